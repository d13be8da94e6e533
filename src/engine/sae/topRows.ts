// For each latent, the rows of the user's activations file that activate it most: the "what is this latent
// about" table. Pure; one pass over the rows per instance (rows × L × d), keeping a small sorted list per latent.

export interface TopRows {
  /** rows kept per latent */
  T: number;
  /** [K][L][T] row indices into the file, best first; −1 where a latent fired on fewer than T rows */
  rows: Int32Array;
  /** [K][L][T] the activation z of those rows */
  values: Float32Array;
}

type Encoder = { K: number; L: number; dIn: number; Wenc: ArrayLike<number>; benc: ArrayLike<number>; bdec: ArrayLike<number> };

/** Top-T rows of x ([n][dIn]) by each latent's activation z = ReLU(W_enc (x − b_dec) + b_enc); only z > 0 counts. */
export function topActivatingRows(p: Encoder, x: ArrayLike<number>, n: number, T: number, instances: readonly number[] = Array.from({ length: p.K }, (_, k) => k)): TopRows {
  const { K, L, dIn: d } = p;
  const rows = new Int32Array(K * L * T).fill(-1);
  const values = new Float32Array(K * L * T);
  const xc = new Float64Array(d);
  for (const k of instances) {
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < d; j++) xc[j] = x[r * d + j] - p.bdec[k * d + j];
      for (let l = 0; l < L; l++) {
        let z = p.benc[k * L + l];
        const w = (k * L + l) * d;
        for (let j = 0; j < d; j++) z += p.Wenc[w + j] * xc[j];
        const o = (k * L + l) * T;
        if (z <= 0 || (rows[o + T - 1] >= 0 && z <= values[o + T - 1])) continue;
        // insert into the sorted list of T
        let i = T - 1;
        while (i > 0 && (rows[o + i - 1] < 0 || values[o + i - 1] < z)) {
          rows[o + i] = rows[o + i - 1];
          values[o + i] = values[o + i - 1];
          i--;
        }
        rows[o + i] = r;
        values[o + i] = z;
      }
    }
  }
  return { T, rows, values };
}
