// Which build of a GEMM kernel this runtime runs: relaxed SIMD (f32x4.relaxed_madd, a fused
// multiply-add) where WebAssembly.validate accepts it, else plain SIMD (mul + add). Chromium ships
// relaxed SIMD; Node 20 (V8 11.3) accepts it only with --experimental-wasm-relaxed-simd.

/** (v128, v128, v128) → v128: local.get 0, 1, 2; f32x4.relaxed_madd (0xfd 0x85 0x02) */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b,
  0x03, 0x02, 0x01, 0x00,
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b,
]);

let allowed = true;
let detected: boolean | undefined;

/** true when this runtime validates relaxed-SIMD WebAssembly */
export function relaxedSimdSupported(): boolean {
  if (detected === undefined) {
    try {
      detected = typeof WebAssembly === 'object' && WebAssembly.validate(PROBE);
    } catch {
      detected = false;
    }
  }
  return detected;
}

/** Forbid (or allow again) the relaxed builds; takes effect for kernels not compiled yet (the bench compares both). */
export function allowRelaxedSimd(allow: boolean): void {
  allowed = allow;
}

export type KernelBuild = 'relaxed-simd' | 'simd';

/** The binary to compile and which build it is: the relaxed one when supported and allowed. */
export function pickKernelBuild(simdBase64: string, relaxedBase64: string): { base64: string; build: KernelBuild } {
  return allowed && relaxedSimdSupported() ? { base64: relaxedBase64, build: 'relaxed-simd' } : { base64: simdBase64, build: 'simd' };
}

export function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}
