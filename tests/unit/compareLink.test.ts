// The A/B pair in the link (under ab.), through the location codec: written short (A's main settings, B's
// changes), read back equal, and every bad value named with the toy validator's message.

import { describe, expect, it } from 'vitest';
import { flatten, unflatten, type ComparePair } from '../../src/engine/compare/settings';
import { DEFAULT_CONFIG } from '../../src/engine/toy/config';
import { decodeHash, encodeHash, type LinkState, type LinkVocabulary } from '../../src/state/location/link';
import { TAB_SETTINGS } from '../../src/state/location/tabs';
import { config } from './helpers';

const vocab: LinkVocabulary = { views: ['lab', 'compare'], defaultView: 'lab', panels: [] };
const tab = TAB_SETTINGS.find((t) => t.id === 'compare')!;

describe('the A/B pair in the link', () => {
  const pair: ComparePair = { a: config({ sparsity: 0.95, seed: 3 }), b: config({ sparsity: 0.9, seed: 3, importanceDecay: 0.8 }), instance: 0 };
  const state: LinkState = { config: { ...DEFAULT_CONFIG }, view: 'compare', instance: 0, panel: null, settings: { compare: flatten(pair) } };

  it('writes A\'s main settings and only what B changes, under ab., and reads the same pair back', () => {
    const hash = encodeHash(state);
    expect(hash).toContain('&view=compare&ab.pinned=true&ab.a.model=relu-output&ab.a.n=5&ab.a.m=2&ab.a.instances=1&ab.a.sparsity=0.95&ab.a.importanceDecay=0.9&ab.a.steps=10000&ab.a.seed=3&ab.b.sparsity=0.9&ab.b.importanceDecay=0.8');
    expect(hash).not.toContain('ab.b.seed');
    const d = decodeHash(hash, vocab);
    expect(d.errors).toEqual([]);
    expect(unflatten(d.state.settings!.compare as never)).toEqual(pair);
  });

  it('no pair, nothing written', () => {
    expect(encodeHash({ ...state, settings: { compare: tab.defaults } })).not.toContain('ab.');
  });

  it('a bad B value is named with the toy validator\'s message and B keeps A\'s value', () => {
    const d = decodeHash('#view=compare&ab.pinned=true&ab.a.sparsity=0.9&ab.b.sparsity=2&ab.b.n=6', vocab);
    expect(d.errors).toEqual(['In the link: ab.b.sparsity must be a number at least 0 and below 1; got "2"; used the default for B: A\'s ab.a.sparsity.']);
    const p = unflatten(d.state.settings!.compare as never)!;
    expect([p.a.sparsity, p.b.sparsity, p.b.n]).toEqual([0.9, 0.9, 6]);
  });

  it('an instance beyond A\'s instances is refused', () => {
    const d = decodeHash('#view=compare&ab.pinned=true&ab.instance=4', vocab);
    expect(d.errors[0]).toMatch(/instance must be below the number of instances of A and B \(1\); got 4/);
  });
});
