// Pure functions comparing an SAE's decoder directions with the true feature directions.
//
// Cosines are SIGNED. A latent adds z ≥ 0 times its decoder column, so a column pointing at −g cannot
// produce feature g; and every feature in our data enters with a non-negative coefficient (toy: x ≥ 0,
// Sharkey: c ∈ [0, 1]). ARENA-style |cos| would score a dictionary with one latent per antipodal
// pair (the toy model's octahedron, 3 pairs in m = 3) as perfect, though it can reconstruct only
// half of those features. MMCS here is Sharkey et al.'s max cos, with a floor of 0 per feature.

/** cos between every latent's decoder column (W_dec: [dIn][L]) and every true direction ([G][dIn], unit rows): [L][G]. */
export function latentFeatureCosines(Wdec: ArrayLike<number>, dIn: number, L: number, truth: ArrayLike<number>, G: number): Float32Array {
  const out = new Float32Array(L * G);
  const col = new Float64Array(dIn);
  for (let l = 0; l < L; l++) {
    // column l of W_dec, contiguous (the [d][L] layout strides by L)
    let norm = 0;
    for (let j = 0; j < dIn; j++) {
      col[j] = Wdec[j * L + l];
      norm += col[j] ** 2;
    }
    norm = Math.sqrt(norm) || 1;
    for (let g = 0; g < G; g++) {
      let dot = 0;
      const o = g * dIn;
      for (let j = 0; j < dIn; j++) dot += col[j] * truth[o + j];
      out[l * G + g] = dot / norm;
    }
  }
  return out;
}

/**
 * Mean max cosine similarity: for every true feature, the best cos over latents (0 if none points its
 * way), averaged (Sharkey et al.).
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

/**
 * How each latent responds to a batch of inputs h ([B][dIn]): the fraction of inputs it fires on and
 * a histogram of its non-zero activations, per instance, in `bins` bins over [0, max[k]] where
 * max[k] is instance k's largest activation (at least 1e-6).
 * Parameters as in SaeSnapshot: Wenc [K][L][dIn], benc [K][L], bdec [K][dIn].
 */
export function latentHistograms(
  p: { K: number; L: number; dIn: number; Wenc: ArrayLike<number>; benc: ArrayLike<number>; bdec: ArrayLike<number> },
  h: ArrayLike<number>, B: number, bins: number,
): { hist: Float32Array; max: Float32Array; fireRate: Float32Array } {
  const { K, L, dIn: d } = p;
  const hist = new Float32Array(K * L * bins);
  const max = new Float32Array(K);
  const fireRate = new Float32Array(K * L);
  const z = new Float64Array(B * L);
  const xc = new Float64Array(d);
  for (let k = 0; k < K; k++) {
    let top = 1e-6;
    for (let r = 0; r < B; r++) {
      for (let j = 0; j < d; j++) xc[j] = h[r * d + j] - p.bdec[k * d + j];
      for (let l = 0; l < L; l++) {
        let a = p.benc[k * L + l];
        for (let j = 0; j < d; j++) a += p.Wenc[(k * L + l) * d + j] * xc[j];
        z[r * L + l] = a;
        if (a > top) top = a;
      }
    }
    max[k] = top;
    for (let r = 0; r < B; r++) {
      for (let l = 0; l < L; l++) {
        const a = z[r * L + l];
        if (a <= 1e-8) continue;
        fireRate[k * L + l] += 1 / B;
        hist[(k * L + l) * bins + Math.min(bins - 1, Math.floor((a / top) * bins))]++;
      }
    }
  }
  return { hist, max, fireRate };
}
