// The synthetic facts of transformers.md §2.1: two-token subjects, 4 relations × 2 templates of 2 tokens,
// 8 objects per relation, one seeded random object per (subject, relation), 0–3 filler tokens before the subject.
//
// Vocabulary (128 tokens, BOS last as the transformer contract wants):
//   0 … 15    first-name tokens a            16 … 31   last-name tokens b
//   32 … 47   relation templates: 32 + 4·r + 2·t + j  (relation r, template t ∈ {0 rewrite, 1 paraphrase}, word j)
//   48 … 79   objects: 48 + 8·r + k           (8 per relation, disjoint across relations)
//   80 … 95   filler tokens                   96        PAD (after the object; never a target)
//   97 … 126  unused                          127       BOS
// A prompt is [BOS, f_1 … f_p, a, b, t_1, t_2] (length 5 + p ≤ 8); the model predicts the object at t_2.

import { createRng, type Rng } from '../shared/rng';

export const FIRST_NAMES = 16;
export const LAST_NAMES = 16;
export const SUBJECTS = 96;
export const RELATIONS = 4;
export const TEMPLATES = 2;
export const OBJECTS_PER_RELATION = 8;
export const FILLERS = 16;
export const MAX_PREFIX = 3;

export const FIRST_BASE = 0;
export const LAST_BASE = 16;
export const TEMPLATE_BASE = 32;
export const OBJECT_BASE = 48;
export const FILLER_BASE = 80;
export const PAD = 96;
export const VOCAB = 128;
export const BOS = VOCAB - 1;
/** the longest training sequence: BOS, 3 fillers, a, b and the four objects of a subject's "biography" */
export const CTX = 10;

export const RELATION_NAMES = ['lives in', 'works as', 'plays', 'speaks'] as const;
export const TEMPLATE_WORDS: readonly (readonly [string, string])[][] = [
  [['lives', 'in'], ['home', 'town']],
  [['works', 'as'], ['job', 'title']],
  [['plays', 'the'], ['favourite', 'instrument']],
  [['speaks', 'fluent'], ['mother', 'tongue']],
];

export interface Subject {
  /** first-name index 0 … 15 */
  a: number;
  /** last-name index 0 … 15 */
  b: number;
}

export interface Fact {
  /** index in the fact list: subject·4 + relation */
  id: number;
  subject: number;
  relation: number;
  /** object index within the relation, 0 … 7 */
  object: number;
}

export interface FactSet {
  seed: number;
  subjects: Subject[];
  /** facts[s·4 + r] */
  facts: Fact[];
}

export interface Prompt {
  /** [BOS, prefix…, a, b, t1, t2] */
  tokens: number[];
  /** positions of the two subject tokens */
  subjectFirst: number;
  subjectLast: number;
}

export const firstToken = (a: number) => FIRST_BASE + a;
export const lastToken = (b: number) => LAST_BASE + b;
export const templateTokens = (relation: number, template: number): [number, number] => [
  TEMPLATE_BASE + 4 * relation + 2 * template,
  TEMPLATE_BASE + 4 * relation + 2 * template + 1,
];
export const objectToken = (relation: number, object: number) => OBJECT_BASE + OBJECTS_PER_RELATION * relation + object;
export const fillerToken = (k: number) => FILLER_BASE + k;

function shuffle<T>(xs: T[], rng: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/**
 * The 96 subjects: a 6-regular bipartite graph between first and last names (every a and every b in exactly 6
 * subjects), pairs (a, π((a + s_k) mod 16)) for 6 distinct seeded shifts s_k and a seeded permutation π.
 */
export function makeSubjects(rng: Rng): Subject[] {
  const shifts = shuffle([...Array(LAST_NAMES).keys()], rng).slice(0, SUBJECTS / FIRST_NAMES);
  const perm = shuffle([...Array(LAST_NAMES).keys()], rng);
  const out: Subject[] = [];
  for (let a = 0; a < FIRST_NAMES; a++) for (const s of shifts) out.push({ a, b: perm[(a + s) % LAST_NAMES] });
  return shuffle(out, rng);
}

/** The subjects and one uniform random object per (subject, relation), from `seed`. */
export function makeFacts(seed: number): FactSet {
  const root = createRng(seed);
  const subjects = makeSubjects(root.fork(1));
  const og = root.fork(2);
  const facts: Fact[] = [];
  for (let s = 0; s < SUBJECTS; s++) {
    for (let r = 0; r < RELATIONS; r++) facts.push({ id: s * RELATIONS + r, subject: s, relation: r, object: Math.floor(og.next() * OBJECTS_PER_RELATION) });
  }
  return { seed, subjects, facts };
}

export function factOf(set: FactSet, subject: number, relation: number): Fact {
  return set.facts[subject * RELATIONS + relation];
}

/** [BOS, prefix…, a, b, t1, t2] for a subject, relation and template (0 rewrite, 1 paraphrase). */
export function buildPrompt(set: FactSet, subject: number, relation: number, template: number, prefix: readonly number[] = []): Prompt {
  const { a, b } = set.subjects[subject];
  const tokens = [BOS, ...prefix.map(fillerToken), firstToken(a), lastToken(b), ...templateTokens(relation, template)];
  return { tokens, subjectFirst: 1 + prefix.length, subjectLast: 2 + prefix.length };
}

/** [BOS, prefix…, a, b]: the subject alone (for ROME's key k*, read at the last token). */
export function subjectPrompt(set: FactSet, subject: number, prefix: readonly number[] = []): Prompt {
  const { a, b } = set.subjects[subject];
  return { tokens: [BOS, ...prefix.map(fillerToken), firstToken(a), lastToken(b)], subjectFirst: 1 + prefix.length, subjectLast: 2 + prefix.length };
}

/**
 * The fixed filler prefixes used for evaluation: for each length 0 … 3 one seeded prefix (the same for every fact,
 * so results are reproducible; length 0 is the bare prompt).
 */
export function evalPrefixes(seed: number): number[][] {
  const g = createRng(seed).fork(3);
  return [0, 1, 2, 3].map((p) => Array.from({ length: p }, () => Math.floor(g.next() * FILLERS)));
}

/** A random filler prefix of uniform length 0 … 3. */
export function randomPrefix(rng: Rng): number[] {
  const p = Math.floor(rng.next() * (MAX_PREFIX + 1));
  return Array.from({ length: p }, () => Math.floor(rng.next() * FILLERS));
}

/** The subject's facts with the other relations. */
export function otherRelations(set: FactSet, fact: Fact): Fact[] {
  return set.facts.filter((f) => f.subject === fact.subject && f.relation !== fact.relation);
}

/** Neighbourhood (CounterFact): other subjects with the same relation and the same true object. */
export function neighbourhood(set: FactSet, fact: Fact): Fact[] {
  return set.facts.filter((f) => f.relation === fact.relation && f.object === fact.object && f.subject !== fact.subject);
}

/** Token-sharing neighbours: other subjects sharing the first or the last name, same relation. */
export function tokenSharing(set: FactSet, fact: Fact): Fact[] {
  const s = set.subjects[fact.subject];
  return set.facts.filter((f) => {
    if (f.relation !== fact.relation || f.subject === fact.subject) return false;
    const o = set.subjects[f.subject];
    return o.a === s.a || o.b === s.b;
  });
}

/** Readable token names, for heatmap rows and captions. */
export function tokenName(t: number): string {
  if (t === BOS) return 'BOS';
  if (t === PAD) return 'PAD';
  if (t < LAST_BASE) return `A${t - FIRST_BASE}`;
  if (t < TEMPLATE_BASE) return `B${t - LAST_BASE}`;
  if (t < OBJECT_BASE) {
    const k = t - TEMPLATE_BASE;
    return TEMPLATE_WORDS[k >> 2][(k >> 1) & 1][k & 1];
  }
  if (t < FILLER_BASE) return `o${(t - OBJECT_BASE) >> 3}.${(t - OBJECT_BASE) & 7}`;
  if (t < PAD) return `f${t - FILLER_BASE}`;
  return `?${t}`;
}

/**
 * A subject's "biography": [BOS, prefix…, a, b, o_π1, o_π2, o_π3, o_π4], its four objects in a random order, with
 * loss weight 1 on the positions before each object. At b the next object is any of the four, so the model must
 * hold all of the subject's attributes at its last token (the subject "enrichment" ROME's trace finds in GPT).
 */
function biography(set: FactSet, subject: number, rng: Rng): { tokens: number[]; from: number } {
  const { a, b } = set.subjects[subject];
  const prefix = randomPrefix(rng);
  const order = shuffle([...Array(RELATIONS).keys()], rng);
  const tokens = [BOS, ...prefix.map(fillerToken), firstToken(a), lastToken(b), ...order.map((r) => objectToken(r, set.facts[subject * RELATIONS + r].object))];
  return { tokens, from: 2 + prefix.length };
}

/**
 * A training batch of B sequences of length CTX (PAD at the end): a fraction `bioFraction` of subject biographies,
 * the rest question prompts [prompt…, object] with loss weight 1 at the position before the object only.
 */
export function trainingBatch(set: FactSet, B: number, rng: Rng, bioFraction = 0): { tokens: Int32Array; weights: Float32Array } {
  const tokens = new Int32Array(B * CTX).fill(PAD);
  const weights = new Float32Array(B * CTX);
  for (let i = 0; i < B; i++) {
    if (bioFraction > 0 && rng.next() < bioFraction) {
      const bio = biography(set, Math.floor(rng.next() * SUBJECTS), rng);
      tokens.set(bio.tokens, i * CTX);
      for (let t = bio.from; t < bio.tokens.length - 1; t++) weights[i * CTX + t] = 1;
      continue;
    }
    const f = set.facts[Math.floor(rng.next() * set.facts.length)];
    const template = rng.next() < 0.5 ? 0 : 1;
    const p = buildPrompt(set, f.subject, f.relation, template, randomPrefix(rng));
    tokens.set(p.tokens, i * CTX);
    tokens[i * CTX + p.tokens.length] = objectToken(f.relation, f.object);
    weights[i * CTX + p.tokens.length - 1] = 1;
  }
  return { tokens, weights };
}
