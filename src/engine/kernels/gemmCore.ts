// JavaScript-side facts about the WebAssembly GEMM core (gemm.as.ts), for the callers that lay out
// kernel memory. Keep in step with its block sizes (MR×NR = 4×8, KC = 256, MC = 128, NC = 512).

/** floats of packing space the core needs: a KC×NC block of B, an MC×KC block of A and one edge tile */
export const GEMM_SCRATCH_FLOATS = 256 * 512 + 128 * 256 + 4 * 8;
