// @ts-nocheck: AssemblyScript source: gemm.as.ts's multiply-add in the plain-SIMD build (buildKernels.ts puts
// gemmMadd.relaxed.as.ts in its place for the relaxed-SIMD build).
/** c + a·b, rounded twice (plain WebAssembly SIMD has no fused multiply-add) */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(c, f32x4.mul(a, b));
}
