// Write a 2-D float32 matrix as a NumPy .npy file (format 1.0, '<f4', C order): the learned dictionary's export.
// The header is padded with spaces so that magic + length + header is a multiple of 64 bytes, ending in '\n'.

/** The bytes of a .npy file holding values ([rows][cols], row-major) as float32. */
export function encodeNpy(values: ArrayLike<number>, rows: number, cols: number): Uint8Array {
  if (values.length !== rows * cols) throw new Error(`encodeNpy: ${values.length} values for shape (${rows}, ${cols})`);
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const prefix = 10; // \x93NUMPY, version 1.0, uint16 header length
  const padded = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = dict.padEnd(padded - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(padded + rows * cols * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  for (let i = 0; i < rows * cols; i++) view.setFloat32(padded + i * 4, values[i], true);
  return out;
}
