// @ts-nocheck: AssemblyScript source (buildKernels.ts copies it as gemmMadd.ts for the plain-SIMD build).
/** c + a·b, rounded twice (plain WebAssembly SIMD has no fused multiply-add) */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(c, f32x4.mul(a, b));
}
