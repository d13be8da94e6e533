// @ts-nocheck: AssemblyScript source: buildKernels.ts compiles it in place of gemmMadd.as.ts for the relaxed-SIMD build.
/** c + a·b in one f32x4.relaxed_madd: a fused multiply-add where the CPU has one (rounded once), else mul+add */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.relaxed_madd(a, b, c);
}
