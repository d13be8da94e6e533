// Pure functions comparing an SAE's decoder directions with the true feature directions.

/** |cos| between every latent's decoder column (W_dec: [dIn][L]) and every true direction ([G][dIn], unit rows): [L][G]. */
export function latentFeatureCosines(Wdec: ArrayLike<number>, dIn: number, L: number, truth: ArrayLike<number>, G: number): Float32Array {
  const out = new Float32Array(L * G);
  for (let l = 0; l < L; l++) {
    let norm = 0;
    for (let j = 0; j < dIn; j++) norm += Wdec[j * L + l] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let g = 0; g < G; g++) {
      let dot = 0;
      for (let j = 0; j < dIn; j++) dot += Wdec[j * L + l] * truth[g * dIn + j];
      out[l * G + g] = Math.abs(dot) / norm;
    }
  }
  return out;
}

/**
 * Mean max cosine similarity: for every true feature, the best |cos| over latents, averaged (Sharkey et al.).
 * Dead latents (never firing) recover nothing, so `alive` can leave them out.
 */
export function mmcs(cosines: Float32Array, L: number, G: number, alive?: ArrayLike<boolean | number>): number {
  if (G === 0) return NaN;
  let total = 0;
  for (let g = 0; g < G; g++) {
    let best = 0;
    for (let l = 0; l < L; l++) if (!alive || alive[l]) best = Math.max(best, cosines[l * G + g]);
    total += best;
  }
  return total / G;
}

/** For every latent, the true feature it matches best and how well. */
export function bestMatches(cosines: Float32Array, L: number, G: number): { feature: number; cosine: number }[] {
  return Array.from({ length: L }, (_, l) => {
    let feature = -1, cosine = 0;
    for (let g = 0; g < G; g++) {
      if (cosines[l * G + g] > cosine) {
        cosine = cosines[l * G + g];
        feature = g;
      }
    }
    return { feature, cosine };
  });
}
