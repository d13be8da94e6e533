// Causal tracing (transformers.md §2.2, ROME's experiments/causal_trace.py) through the forward hooks of the
// transformer contract: a clean run records every state; corrupted runs add ν·N(0, I) noise to the subject tokens'
// embeddings (K samples, the same K for every cell, drawn from a fresh generator per trace); restored runs overwrite
// one state (hidden = block output, MLP output or attention output, window 1) at one token with its clean value.
// Every restored cell of one fact runs in a few batched forward passes: each row of the batch is (noise sample,
// restoration), so the cells share the noise exactly. Results are plain objects (JSON-able) for the worker and the CLI.

import type { ActivationSite, ForwardHooks, TransformerParams, TransformerTrainer } from '../transformer/model';
import { createRng } from '../shared/rng';
import { buildPrompt, FIRST_BASE, LAST_BASE, objectToken, PAD, tokenName, type Fact, type FactSet } from './facts';
import { softmaxRow } from './factsModel';

export type TraceKind = 'hidden' | 'mlp' | 'attn';
export const TRACE_KINDS: readonly TraceKind[] = ['hidden', 'mlp', 'attn'];
const SITE: Record<TraceKind, ActivationSite> = { hidden: 'resid', mlp: 'mlpOut', attn: 'attnOut' };

/**
 * σ of ROME's collect_embedding_std: one standard deviation over all elements of the token embeddings of the
 * subject tokens as they occur in the data (every first and last name occurs in 6 subjects, so each of the 32
 * embedding rows counts equally).
 */
export function subjectEmbeddingStd(params: TransformerParams, set: FactSet): number {
  const d = params.shape.dModel;
  const rows: number[] = [];
  for (const s of set.subjects) rows.push(FIRST_BASE + s.a, LAST_BASE + s.b);
  let n = 0, sum = 0, sq = 0;
  for (const t of rows) {
    for (let j = 0; j < d; j++) {
      const x = params.E[t * d + j];
      n++;
      sum += x;
      sq += x * x;
    }
  }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, (sq - n * mean * mean) / (n - 1)));
}

export interface TraceOptions {
  /** ν, the noise scale (3σ by default in the callers) */
  noise: number;
  /** K noise samples */
  samples: number;
  /** seed of the noise generator, fresh per trace (the same noise for every fact and cell) */
  seed: number;
  /** template 0 (rewrite) or 1 (paraphrase) */
  template?: number;
  /** filler tokens before the subject */
  prefix?: readonly number[];
  /** also run the severed-MLP and severed-attention variants of the hidden-state trace */
  severed?: boolean;
  /** rows per forward pass */
  chunk?: number;
}

export interface TraceIdentities {
  /** max over layers of |P(o) with every position of that layer's hidden state restored − clean P(o)|, and of the final-layer last-token cell */
  allRestoredMaxErr: number;
  /** |P(o) of the in-batch row with nothing restored − the low score of a separate corrupted run| */
  noneRestoredMaxErr: number;
  /** max |IE| over the rows of tokens before the subject, every kind and layer */
  beforeSubjectMaxEffect: number;
  /** |final-layer hidden state restored at the last token − clean P(o)| (also inside allRestoredMaxErr) */
  finalLastTokenErr: number;
}

export interface FactTrace {
  factId: number;
  tokens: number[];
  /** row labels (subject tokens starred) */
  labels: string[];
  subjectFirst: number;
  subjectLast: number;
  target: number;
  /** clean P(o) */
  highScore: number;
  /** corrupted P*(o), the mean over the noise samples */
  lowScore: number;
  /** restored P(o), [token][layer] */
  hidden: number[][];
  mlp: number[][];
  attn: number[][];
  /** hidden state restored with later MLP (attention) outputs at that token frozen at their corrupted values */
  severedMlp?: number[][];
  severedAttn?: number[][];
  identities: TraceIdentities;
}

interface RowPlan {
  sample: number;
  /** restorations applied to this row: site, layer, position, and where the value comes from */
  ops: { site: ActivationSite; layer: number; pos: number; from: 'clean' | 'corrupt' }[];
}

function makeNoise(opts: TraceOptions, nPos: number, d: number): Float32Array[] {
  const g = createRng(opts.seed);
  return Array.from({ length: opts.samples }, () => {
    const a = new Float32Array(nPos * d);
    for (let i = 0; i < a.length; i++) a[i] = g.normal() * opts.noise;
    return a;
  });
}

/** Run rows (each: noise sample + restorations) through the model; returns P(target) per row. */
function runRows(
  trainer: TransformerTrainer, tokens: readonly number[], subjectFirst: number, subjectLast: number, target: number,
  noise: Float32Array[], rows: readonly RowPlan[], sources: { clean: Map<string, Float32Array>; corrupt?: Map<string, Float32Array>[] },
  chunk: number,
): number[] {
  const { dModel: d, vocab: V } = trainer.shape;
  const T = tokens.length;
  const probs: number[] = [];
  for (let r0 = 0; r0 < rows.length; r0 += chunk) {
    const part = rows.slice(r0, r0 + chunk);
    const B = part.length;
    const batch = new Int32Array(B * T);
    for (let b = 0; b < B; b++) batch.set(tokens, b * T);
    // ops grouped by "site:layer"
    const bySite = new Map<string, { row: number; pos: number; src: Float32Array }[]>();
    part.forEach((plan, b) => {
      for (const op of plan.ops) {
        const key = `${op.site}:${op.layer}`;
        const src = op.from === 'clean' ? sources.clean.get(key) : sources.corrupt?.[plan.sample].get(key);
        if (!src) throw new Error(`trace: no ${op.from} value recorded for ${key}`);
        let list = bySite.get(key);
        if (!list) bySite.set(key, (list = []));
        list.push({ row: b, pos: op.pos, src });
      }
    });
    const hooks: ForwardHooks = {
      patch: (site, layer, data) => {
        const width = data.length / (B * T);
        if (site === 'embed') {
          for (let b = 0; b < B; b++) {
            const n = noise[part[b].sample];
            for (let p = subjectFirst; p <= subjectLast; p++) {
              const at = (b * T + p) * width;
              const off = (p - subjectFirst) * d;
              for (let j = 0; j < d; j++) data[at + j] += n[off + j];
            }
          }
        }
        const list = bySite.get(`${site}:${layer}`);
        if (!list) return;
        for (const { row, pos, src } of list) data.set(src.subarray(pos * width, (pos + 1) * width), (row * T + pos) * width);
      },
    };
    const res = trainer.forward(batch, B, T, hooks);
    for (let b = 0; b < B; b++) probs.push(softmaxRow(res.logits, (b * T + T - 1) * V, V)[target]);
  }
  return probs;
}

/** Split batch-recorded activations into per-row maps (each [T][width]). */
function perRow(acts: Partial<Record<ActivationSite, Float32Array[]>>, B: number): Map<string, Float32Array>[] {
  const rows = Array.from({ length: B }, () => new Map<string, Float32Array>());
  for (const [site, list] of Object.entries(acts) as [ActivationSite, Float32Array[]][]) {
    list.forEach((a, l) => {
      const n = a.length / B;
      for (let b = 0; b < B; b++) rows[b].set(`${site}:${l}`, a.slice(b * n, (b + 1) * n));
    });
  }
  return rows;
}

function labelsOf(tokens: readonly number[], subjectFirst: number, subjectLast: number): string[] {
  return tokens.map((t, i) => tokenName(t) + (i >= subjectFirst && i <= subjectLast ? '*' : ''));
}

/** Trace one fact: the three heatmaps (and optionally the severed ones), scores and the R-3 identities. */
export function traceFact(trainer: TransformerTrainer, set: FactSet, fact: Fact, opts: TraceOptions): FactTrace {
  const { layers: L, dModel: d, vocab: V } = trainer.shape;
  const p = buildPrompt(set, fact.subject, fact.relation, opts.template ?? 0, opts.prefix ?? []);
  const tokens = p.tokens;
  const T = tokens.length;
  const target = objectToken(fact.relation, fact.object);
  const chunk = opts.chunk ?? 512;
  const K = opts.samples;
  const noise = makeNoise(opts, p.subjectLast - p.subjectFirst + 1, d);

  // clean run
  const clean = trainer.forward(Int32Array.from(tokens), 1, T, { record: true });
  const cleanMap = perRow(clean.activations!, 1)[0];
  const highScore = softmaxRow(clean.logits, (T - 1) * V, V)[target];

  // corrupted runs (recorded, for the low score and the severed variants)
  const corrupt = runCorrupt(trainer, tokens, p.subjectFirst, p.subjectLast, noise, K);
  const lowProbs = corrupt.logitsRows.map((row) => softmaxRow(row, (T - 1) * V, V)[target]);
  const lowScore = mean(lowProbs);

  // the restoration plan: none, every cell of every kind, every position of each layer (identity rows)
  const rows: RowPlan[] = [];
  const cells: { kind: TraceKind | 'all' | 'none' | 'sevMlp' | 'sevAttn'; pos: number; layer: number }[] = [];
  const addCell = (kind: (typeof cells)[number]['kind'], pos: number, layer: number, ops: (k: number) => RowPlan['ops']) => {
    cells.push({ kind, pos, layer });
    for (let k = 0; k < K; k++) rows.push({ sample: k, ops: ops(k) });
  };
  addCell('none', -1, -1, () => []);
  for (const kind of TRACE_KINDS) {
    for (let i = 0; i < T; i++) for (let l = 0; l < L; l++) addCell(kind, i, l, () => [{ site: SITE[kind], layer: l, pos: i, from: 'clean' }]);
  }
  for (let l = 0; l < L; l++) addCell('all', -1, l, () => Array.from({ length: T }, (_, i) => ({ site: 'resid' as const, layer: l, pos: i, from: 'clean' as const })));
  if (opts.severed) {
    for (const [kind, site] of [['sevMlp', 'mlpOut'], ['sevAttn', 'attnOut']] as const) {
      for (let i = 0; i < T; i++) {
        for (let l = 0; l < L; l++) {
          addCell(kind, i, l, () => [
            { site: 'resid', layer: l, pos: i, from: 'clean' },
            ...Array.from({ length: L - 1 - l }, (_, j) => ({ site, layer: l + 1 + j, pos: i, from: 'corrupt' as const })),
          ]);
        }
      }
    }
  }
  const probs = runRows(trainer, tokens, p.subjectFirst, p.subjectLast, target, noise, rows, { clean: cleanMap, corrupt: corrupt.maps }, chunk);
  const cellValue = (c: number) => mean(probs.slice(c * K, (c + 1) * K));
  const grid = () => Array.from({ length: T }, () => new Array<number>(L).fill(0));
  const maps: Record<string, number[][]> = { hidden: grid(), mlp: grid(), attn: grid(), sevMlp: grid(), sevAttn: grid() };
  let noneValue = 0;
  let allErr = 0;
  cells.forEach((c, ci) => {
    const v = cellValue(ci);
    if (c.kind === 'none') noneValue = v;
    else if (c.kind === 'all') allErr = Math.max(allErr, Math.abs(v - highScore));
    else maps[c.kind][c.pos][c.layer] = v;
  });
  const finalLastTokenErr = Math.abs(maps.hidden[T - 1][L - 1] - highScore);
  let before = 0;
  for (const kind of TRACE_KINDS) for (let i = 0; i < p.subjectFirst; i++) for (let l = 0; l < L; l++) before = Math.max(before, Math.abs(maps[kind][i][l] - lowScore));
  return {
    factId: fact.id,
    tokens: [...tokens],
    labels: labelsOf(tokens, p.subjectFirst, p.subjectLast),
    subjectFirst: p.subjectFirst,
    subjectLast: p.subjectLast,
    target,
    highScore,
    lowScore,
    hidden: maps.hidden,
    mlp: maps.mlp,
    attn: maps.attn,
    ...(opts.severed ? { severedMlp: maps.sevMlp, severedAttn: maps.sevAttn } : {}),
    identities: {
      allRestoredMaxErr: Math.max(allErr, finalLastTokenErr),
      noneRestoredMaxErr: Math.abs(noneValue - lowScore),
      beforeSubjectMaxEffect: before,
      finalLastTokenErr,
    },
  };
}

/** K corrupted rows, recorded (their activations feed the severed variants). */
function runCorrupt(trainer: TransformerTrainer, tokens: readonly number[], subjectFirst: number, subjectLast: number, noise: Float32Array[], K: number) {
  const T = tokens.length;
  const V = trainer.shape.vocab;
  const d = trainer.shape.dModel;
  const batch = new Int32Array(K * T);
  for (let k = 0; k < K; k++) batch.set(tokens, k * T);
  const res = trainer.forward(batch, K, T, {
    record: true,
    patch: (site, _layer, data) => {
      if (site !== 'embed') return;
      for (let k = 0; k < K; k++) {
        for (let p = subjectFirst; p <= subjectLast; p++) {
          const at = (k * T + p) * d;
          const off = (p - subjectFirst) * d;
          for (let j = 0; j < d; j++) data[at + j] += noise[k][off + j];
        }
      }
    },
  });
  const logitsRows = Array.from({ length: K }, (_, k) => res.logits.subarray(k * T * V, (k + 1) * T * V));
  return { maps: perRow(res.activations!, K), logitsRows };
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length ? s / xs.length : NaN;
}

/** The maps and scores of FactTrace, averaged over facts (labels and subject rows from the first). */
export interface AveragedTrace
  extends Pick<FactTrace, 'labels' | 'subjectFirst' | 'subjectLast' | 'highScore' | 'lowScore' | 'hidden' | 'mlp' | 'attn' | 'severedMlp' | 'severedAttn'> {
  facts: number;
  /** the largest average indirect effect of the MLP map (restored − low score) */
  peak: { kind: TraceKind; token: number; layer: number };
  /** the layer where the MLP effect at the last subject token peaks (the default edit layer) */
  subjectPeakLayer: number;
  /** the worst of each identity over the facts */
  identities: TraceIdentities;
}

const avgGrid = (gs: number[][][]) => gs[0].map((row, i) => row.map((_, l) => mean(gs.map((g) => g[i][l]))));

/** Average per-fact traces of one prompt shape (same prefix length, so rows line up): the AIE heatmaps. */
export function averageTraces(traces: readonly FactTrace[]): AveragedTrace {
  if (!traces.length) throw new Error('averageTraces: no traces');
  const T = traces[0].tokens.length;
  if (traces.some((t) => t.tokens.length !== T)) throw new Error('averageTraces: traces of different lengths');
  const first = traces[0];
  const labels = first.labels.map((_, i) => {
    if (i === 0) return 'BOS';
    if (i < first.subjectFirst) return `prefix ${i}`;
    if (i === first.subjectFirst) return 'first name*';
    if (i === first.subjectLast) return 'last name*';
    return i === T - 1 ? 'relation 2 (last)' : 'relation 1';
  });
  const low = mean(traces.map((t) => t.lowScore));
  const mlp = avgGrid(traces.map((t) => t.mlp));
  let peak = { kind: 'mlp' as TraceKind, token: 0, layer: 0 };
  for (let i = 0; i < T; i++) for (let l = 0; l < mlp[0].length; l++) if (mlp[i][l] > mlp[peak.token][peak.layer]) peak = { kind: 'mlp', token: i, layer: l };
  const subjRow = mlp[first.subjectLast];
  const subjectPeakLayer = subjRow.indexOf(Math.max(...subjRow));
  const worst = (f: (t: FactTrace) => number) => Math.max(...traces.map(f));
  return {
    facts: traces.length,
    labels,
    subjectFirst: first.subjectFirst,
    subjectLast: first.subjectLast,
    highScore: mean(traces.map((t) => t.highScore)),
    lowScore: low,
    hidden: avgGrid(traces.map((t) => t.hidden)),
    mlp,
    attn: avgGrid(traces.map((t) => t.attn)),
    ...(traces.every((t) => t.severedMlp) ? { severedMlp: avgGrid(traces.map((t) => t.severedMlp!)), severedAttn: avgGrid(traces.map((t) => t.severedAttn!)) } : {}),
    peak,
    subjectPeakLayer,
    identities: {
      allRestoredMaxErr: worst((t) => t.identities.allRestoredMaxErr),
      noneRestoredMaxErr: worst((t) => t.identities.noneRestoredMaxErr),
      beforeSubjectMaxEffect: worst((t) => t.identities.beforeSubjectMaxEffect),
      finalLastTokenErr: worst((t) => t.identities.finalLastTokenErr),
    },
  };
}

/** Indirect effects IE = restored − low score of a map. */
export function indirectEffects(map: number[][], lowScore: number): number[][] {
  return map.map((row) => row.map((v) => v - lowScore));
}

/** Pick n facts the model gets right on the traced prompt (ROME skips wrong ones), seeded. */
export function pickTraceFacts(trainer: TransformerTrainer, set: FactSet, n: number, seed: number, template = 0, prefix: readonly number[] = []): Fact[] {
  const g = createRng(seed).fork(21);
  const order = [...set.facts];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(g.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out: Fact[] = [];
  for (let c = 0; c < order.length && out.length < n; c += 64) {
    const part = order.slice(c, c + 64);
    const prompts = part.map((f) => buildPrompt(set, f.subject, f.relation, template, prefix).tokens);
    const T = prompts[0].length;
    const batch = new Int32Array(part.length * T).fill(PAD);
    prompts.forEach((pr, i) => batch.set(pr, i * T));
    const { logits } = trainer.forward(batch, part.length, T);
    const V = trainer.shape.vocab;
    part.forEach((f, i) => {
      const pr = softmaxRow(logits, (i * T + T - 1) * V, V);
      let best = 0;
      for (let j = 1; j < V; j++) if (pr[j] > pr[best]) best = j;
      if (best === objectToken(f.relation, f.object) && out.length < n) out.push(f);
    });
  }
  return out;
}
