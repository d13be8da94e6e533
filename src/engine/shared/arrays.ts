// Small typed-array helpers shared by the fused engines.

/** dst[c][r] = src[r][c] for a rows×cols float64 matrix. */
export function transposeInto(src: Float64Array, rows: number, cols: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
}
