// A/B compare (issue 18 item 1): what changed between two trained toy models, as pure functions of their
// final weights. Per feature: ‖Wᵢ‖, Dᵢ and the role its orthogonal group gives it (metrics.ts groupLabels:
// named from the represented features only); WᵀW of both and their difference; the loss change; and a
// one-line verdict. Features are numbered from 1 in the verdict, as the lab's pictures number them.

import { featureDimensionality, featureNorms, geometryGroups, gram, groupLabels, nameGeometry, type PolytopeLabel } from '../toy/metrics';

/** One side of a comparison: one instance's final weights and its final loss. */
export interface CompareSide {
  /** m×n row-major, column i = feature i */
  W: ArrayLike<number>;
  m: number;
  n: number;
  /** final loss (mean over the last 1 % of steps) */
  loss: number;
}

export interface FeatureDelta {
  /** 0-based */
  feature: number;
  normA: number;
  normB: number;
  dimA: number;
  dimB: number;
  roleA: PolytopeLabel;
  roleB: PolytopeLabel;
  /** which orthogonal group (geometryGroups) the feature is in, in A and in B; null when not represented */
  groupA: number | null;
  groupB: number | null;
}

export interface Comparison {
  /** features both sides have (the Gram difference and the deltas cover these) */
  shared: number;
  geometryA: string;
  geometryB: string;
  features: FeatureDelta[];
  /** n×n row-major, each side's own n */
  gramA: Float32Array;
  gramB: Float32Array;
  /** B − A over the shared features, shared×shared */
  gramDiff: Float32Array;
  lossA: number;
  lossB: number;
  /** lossB / lossA − 1 */
  lossChange: number;
  verdict: string;
}

/** Below this relative loss change the verdict calls the loss unchanged. */
export const SAME_LOSS = 0.005;

export function compareRuns(a: CompareSide, b: CompareSide): Comparison {
  const shared = Math.min(a.n, b.n);
  const normA = featureNorms(a.W, a.m, a.n);
  const normB = featureNorms(b.W, b.m, b.n);
  const dimA = featureDimensionality(a.W, a.m, a.n);
  const dimB = featureDimensionality(b.W, b.m, b.n);
  const roleA = groupLabels(a.W, a.m, a.n);
  const roleB = groupLabels(b.W, b.m, b.n);
  const gramA = gram(a.W, a.m, a.n);
  const gramB = gram(b.W, b.m, b.n);
  const gramDiff = new Float32Array(shared * shared);
  for (let i = 0; i < shared; i++) for (let j = 0; j < shared; j++) gramDiff[i * shared + j] = gramB[i * b.n + j] - gramA[i * a.n + j];
  const groupA = groupOf(a);
  const groupB = groupOf(b);
  const features = Array.from({ length: shared }, (_, i): FeatureDelta => ({
    feature: i, normA: normA[i], normB: normB[i], dimA: dimA[i], dimB: dimB[i], roleA: roleA[i], roleB: roleB[i], groupA: groupA[i], groupB: groupB[i],
  }));
  const lossChange = b.loss / a.loss - 1;
  return {
    shared, geometryA: nameGeometry(a.W, a.m, a.n), geometryB: nameGeometry(b.W, b.m, b.n), features, gramA, gramB, gramDiff,
    lossA: a.loss, lossB: b.loss, lossChange, verdict: verdict(features, a.n, b.n, lossChange),
  };
}

function groupOf(s: CompareSide): (number | null)[] {
  const out: (number | null)[] = Array(s.n).fill(null);
  geometryGroups(s.W, s.m, s.n).forEach((g, index) => g.features.forEach((i) => (out[i] = index)));
  return out;
}

/** "feature 5", "features 1–2", "features 1, 3 and 5" (1-based). */
export function featureList(features: readonly number[]): string {
  const ids = [...features].sort((x, y) => x - y).map((i) => i + 1);
  if (ids.length === 1) return `feature ${ids[0]}`;
  const contiguous = ids.every((v, i) => i === 0 || v === ids[i - 1] + 1);
  if (contiguous) return `features ${ids[0]}–${ids[ids.length - 1]}`;
  return `features ${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

/** A role as a place a feature is in: "a dedicated dimension", "an antipodal pair", "the pentagon", "dropped". */
function rolePhrase(role: PolytopeLabel, count: number, groups: number): string {
  switch (role) {
    case 'not represented':
      return 'dropped';
    case 'dedicated':
      return count > 1 ? 'dedicated dimensions' : 'a dedicated dimension';
    case 'digon':
      return groups > 1 ? 'antipodal pairs' : 'an antipodal pair';
    case 'irregular':
      return groups > 1 ? 'irregular arrangements' : 'an irregular arrangement';
    default:
      return groups > 1 ? `${role}s` : `a ${role}`;
  }
}

/** What "left" a role reads as: "left the pentagon", "left its dedicated dimension". */
function leftPhrase(role: PolytopeLabel, plural: boolean): string {
  switch (role) {
    case 'dedicated':
      return plural ? 'left their dedicated dimensions' : 'left its dedicated dimension';
    case 'digon':
      return plural ? 'left their antipodal pairs' : 'left its antipodal pair';
    case 'irregular':
      return 'left an irregular arrangement';
    default:
      return `left the ${role}`;
  }
}

function lossWords(change: number): string {
  if (!Number.isFinite(change)) return 'loss not comparable';
  if (Math.abs(change) < SAME_LOSS) return 'loss unchanged';
  if (change >= 1) return `loss ${(change + 1).toFixed(1)}× higher`;
  return `loss ${Math.round(Math.abs(change) * 100)}% ${change > 0 ? 'higher' : 'lower'}`;
}

/**
 * The verdict: every change of role, features with the same change grouped ("features 3–5 left the pentagon and got
 * dropped", "features 1–2 went from a pentagon to dedicated dimensions"), then the loss change; "no feature changed its
 * role" when none did.
 */
export function verdict(features: readonly FeatureDelta[], nA: number, nB: number, lossChange: number): string {
  const changes = new Map<string, FeatureDelta[]>();
  for (const f of features) {
    if (f.roleA === f.roleB) continue;
    const key = `${f.roleA}→${f.roleB}`;
    changes.set(key, [...(changes.get(key) ?? []), f]);
  }
  const count = (xs: (number | null)[]) => new Set(xs).size;
  const clauses = [...changes.entries()].map(([key, fs]) => {
    const [from, to] = key.split('→') as [PolytopeLabel, PolytopeLabel];
    const who = featureList(fs.map((f) => f.feature));
    const was = rolePhrase(from, fs.length, count(fs.map((f) => f.groupA)));
    const now = rolePhrase(to, fs.length, count(fs.map((f) => f.groupB)));
    if (to === 'not represented') return `${who} ${leftPhrase(from, fs.length > 1)} and got dropped`;
    if (from === 'not represented') return `${who} went from dropped to ${now}`;
    return `${who} went from ${was} to ${now}`;
  });
  if (nA !== nB) clauses.push(nB > nA ? `B adds ${featureList(range(nA, nB))}` : `B has no ${featureList(range(nB, nA))}`);
  const roles = clauses.length ? clauses.join('; ') : 'no feature changed its role';
  return `${roles}; ${lossWords(lossChange)}`;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
