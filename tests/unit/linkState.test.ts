// The run's state in the URL hash: every preset survives a round trip, and a hostile or broken
// hash is reported and replaced by defaults, never trusted.

import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig } from '../../src/engine/toy/config';
import { embedSnippet, embedUrl } from '../../src/state/embedCode';
import { decodeHash, encodeHash, MAX_HASH_LENGTH, pageSearch, readDisplayParams, readUrl, withQueryParam, type LinkState, type LinkVocabulary } from '../../src/state/location';
import { PRESETS } from '../../src/state/presets';

const vocab: LinkVocabulary = { views: ['lab', 'sae', 'sweep', 'dimensionality', 'phase', 'correlated', 'computation', 'dynamics'], defaultView: 'lab', panels: ['geometry', 'gram', 'norms', 'dimensionality', 'loss'] };

function presetState(id: string): LinkState {
  const preset = PRESETS.find((p) => p.id === id)!;
  const r = validateConfig(preset.config, DEFAULT_CONFIG);
  if (!r.ok) throw new Error(`${id}: ${r.errors.join('; ')}`);
  return { config: r.config, view: preset.view ?? 'lab', instance: r.config.instances > 1 ? r.config.instances - 1 : 0, panel: 'gram' };
}

describe('link state in the hash', () => {
  it('has a valid config for every preset, each with a one-line description', () => {
    expect(PRESETS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    for (const p of PRESETS) {
      expect(validateConfig(p.config).errors, p.id).toEqual([]);
      expect(p.hint.length, p.id).toBeGreaterThan(20);
      expect(p.hint, p.id).not.toContain('\n');
    }
  });

  it.each(PRESETS.map((p) => p.id))('round-trips preset %s exactly', (id) => {
    const state = presetState(id);
    const hash = encodeHash(state);
    expect(hash.startsWith('#')).toBe(true);
    const decoded = decodeHash(hash, vocab);
    expect(decoded.errors).toEqual([]);
    expect(decoded.present).toBe(true);
    expect(decoded.state).toEqual(state);
    expect(encodeHash(decoded.state)).toBe(hash);
  });

  it('writes the fields that define a run even when they are defaults, and is readable', () => {
    const hash = encodeHash({ config: { ...DEFAULT_CONFIG }, view: 'lab', instance: 0, panel: null });
    expect(hash).toBe('#model=relu-output&n=5&m=2&instances=1&sparsity=0.95&importanceDecay=0.9&steps=10000&batch=1024&lr=0.001&weightDecay=0.01&seed=1&view=lab');
    const sweep = encodeHash({ config: { ...DEFAULT_CONFIG, instances: 4, sparsityRange: [0, 0.99] }, view: 'lab', instance: 2, panel: null });
    expect(sweep).toContain('sparsityRange=0:0.99');
    expect(sweep).toContain('instance=3');
  });

  it('reads a partial hash over the defaults', () => {
    const d = decodeHash('#n=6&m=3', vocab);
    expect(d.errors).toEqual([]);
    expect(d.state.config).toEqual({ ...DEFAULT_CONFIG, n: 6, m: 3 });
    expect(decodeHash('', vocab)).toMatchObject({ present: false, errors: [] });
    expect(decodeHash('#', vocab)).toMatchObject({ present: false, errors: [] });
  });

  const BAD: [string, string, RegExp][] = [
    ['script payload in a value', '#n=<script>alert(1)</script>&m=2', /n must be an integer .*got "<script>alert\(1\)<\/script>"/],
    ['markup in a key', '#<b>x</b>=1', /unknown setting "<b>x<\/b>"/],
    ['script payload in the view', '#view=<svg onload=alert(1)>', /no view "<svg onload=alert\(1\)>"/],
    ['javascript: in the panel', '#panel=javascript:alert(1)', /"javascript:alert\(1\)" is not a panel name/],
    ['huge number', '#n=1e308', /n must be an integer from 1 to 512; got "1e308"/],
    ['overflowing number', '#lr=1e999', /lr must be a number .* got "1e999"/],
    ['NaN', '#sparsity=NaN', /sparsity must be a number .* got "NaN"/],
    ['Infinity', '#steps=Infinity', /steps must be an integer .* got "Infinity"/],
    ['negative', '#m=-2', /m must be an integer .* got "-2"/],
    ['negative seed', '#seed=-1', /seed must be an integer .* got "-1"/],
    ['missing value', '#n=', /n must be an integer .* got ""/],
    ['repeated key', '#n=6&n=7', /n appears 2 times .* used the default n = 5/],
    ['unknown key', '#foo=1', /unknown setting "foo"/],
    ['prototype key', '#__proto__=1&constructor=2', /unknown setting "__proto__"/],
    ['bad enum', '#model=relu-output;drop', /model must be one of relu-output, linear, relu-hidden/],
    ['bad percent-encoding', '#n=%E0%A4%A&m=%%', /n must be an integer/],
    ['hex number', '#n=0x10', /n must be an integer .* got "0x10"/],
    ['range junk', '#sparsityRange=0:1:2', /sparsityRange must be two sparsities/],
    ['instance out of range', '#instance=9', /instance must be a whole number from 1 to 1; got "9"/],
    ['cross-field clash', '#n=3&correlatedSets=2', /correlated and anticorrelated sets need 4 features .*used the default correlatedSets = 0/],
  ];

  it.each(BAD)('reports and replaces: %s', (_name, hash, message) => {
    const d = decodeHash(hash, vocab);
    expect(d.errors.join('\n')).toMatch(message);
    expect(validateConfig(d.state.config).ok).toBe(true);
    expect(vocab.views).toContain(d.state.view);
    if (d.state.panel !== null) expect(d.state.panel).toMatch(/^[a-z][a-z0-9-]*$/);
    // nothing from the hash survives as markup: every message quotes it as a JSON string
    for (const e of d.errors) expect(e).not.toMatch(/(^|[^"])<script>/);
  });

  it('keeps the good settings beside the bad ones', () => {
    const d = decodeHash('#n=6&m=abc&seed=7&view=nope&panel=loss', vocab);
    expect(d.state.config).toEqual({ ...DEFAULT_CONFIG, n: 6, seed: 7 });
    expect(d.state.view).toBe('lab');
    expect(d.state.panel).toBe('loss');
    expect(d.errors).toHaveLength(2);
  });

  it('refuses an enormous hash outright and caps the number of messages', () => {
    const long = decodeHash('#n=' + '9'.repeat(MAX_HASH_LENGTH + 10), vocab);
    expect(long.errors[0]).toMatch(/too long/);
    expect(long.state.config).toEqual(DEFAULT_CONFIG);
    const many = decodeHash('#' + Array.from({ length: 40 }, (_, i) => `k${i}=1`).join('&'), vocab);
    expect(many.errors.length).toBeLessThanOrEqual(6);
    expect(many.errors.at(-1)).toMatch(/and 35 more problems/);
    const longValue = decodeHash(`#view=${'x'.repeat(500)}`, vocab);
    expect(longValue.errors[0].length).toBeLessThan(200);
  });

  it('saves a paper view\'s seed as viewSeed, through the validator', () => {
    const state: LinkState = { config: { ...DEFAULT_CONFIG }, view: 'computation', instance: 0, panel: null, viewSeed: 7 };
    const hash = encodeHash(state);
    expect(hash).toMatch(/&view=computation&viewSeed=7$/);
    expect(decodeHash(hash, vocab)).toMatchObject({ errors: [], state });
    expect(encodeHash({ ...state, viewSeed: undefined })).not.toContain('viewSeed');
    expect(decodeHash('#view=computation', vocab).state.viewSeed).toBeUndefined();
    for (const bad of ['-1', '1.5', '<b>x</b>', '99999999999']) {
      const d = decodeHash(`#view=computation&viewSeed=${encodeURIComponent(bad)}`, vocab);
      expect(d.state.viewSeed).toBeUndefined();
      expect(d.errors.join(' ')).toMatch(/viewSeed must be an integer from 0 to 4294967295; got .*the view uses its preset's seed/);
    }
  });

  it('ignores display keys in the hash (TensorFlow Playground style)', () => {
    const d = decodeHash('#n=6&seed_hide=true&embed=gram&present=1', vocab);
    expect(d.errors).toEqual([]);
    expect(d.state.config.n).toBe(6);
  });
});

describe('query string: page parameters and the old link form', () => {
  it('reads ?backend ?engine ?autoplay and an old-style config', () => {
    const u = readUrl('?backend=cpu&engine=tfjs&autoplay=0&n=6&sparsity=0.9', vocab);
    expect(u).toMatchObject({ backends: ['cpu'], engine: 'tfjs', autoplay: false });
    expect(u.legacy?.state.config).toEqual({ ...DEFAULT_CONFIG, n: 6, sparsity: 0.9 });
    expect(u.legacy?.errors).toEqual([]);
    expect(readUrl('?backend=cpu&embed=gram&hide=n', vocab).legacy).toBeNull();
    expect(readUrl('?n=0', vocab).legacy?.errors[0]).toMatch(/In the address bar: n must be an integer/);
  });

  it('keeps only page and display parameters in the query', () => {
    expect(pageSearch('?backend=cpu&n=6&embed=gram&seed_hide=1&m=2')).toBe('?backend=cpu&embed=gram&seed_hide=1');
    expect(pageSearch('?n=6')).toBe('');
    expect(pageSearch('')).toBe('');
    expect(withQueryParam('?backend=cpu', 'present', '1')).toBe('?backend=cpu&present=1');
    expect(withQueryParam('?present=1&backend=cpu', 'present', null)).toBe('?backend=cpu');
  });
});

describe('display parameters', () => {
  const embeddable = ['geometry', 'gram', 'norms', 'dimensionality', 'loss', 'lab'];
  it('reads embed, hide lists, <name>_hide, presentation and theme', () => {
    const d = readDisplayParams('?embed=gram&hide=n,m,seed&reset_hide=true&present=1', '#theme=dark', embeddable);
    expect(d).toMatchObject({ embed: 'gram', presentation: true, theme: 'dark', errors: [] });
    expect(new Set(d.hidden)).toEqual(new Set(['n', 'm', 'seed', 'reset']));
    expect(readDisplayParams('?hide=n&n_hide=false', '', embeddable).hidden).toEqual([]);
    expect(readDisplayParams('?embed=lab', '', embeddable).embed).toBe('lab');
  });

  it('reports unknown embeds and controls without echoing markup', () => {
    const d = readDisplayParams('?embed=<script>x</script>&hide=bogus&theme=neon&present=maybe', '', embeddable);
    expect(d.embed).toBe('geometry');
    expect(d.errors.join('\n')).toMatch(/no panel or view "<script>x<\/script>" to embed/);
    expect(d.errors.join('\n')).toMatch(/Cannot hide "bogus"/);
    expect(d.errors.join('\n')).toMatch(/theme must be light, dark or system/);
    expect(d.errors.join('\n')).toMatch(/present must be 1 or 0/);
  });

  it('builds an iframe snippet with the run in the hash, escaped as HTML', () => {
    const hash = encodeHash({ config: { ...DEFAULT_CONFIG }, view: 'lab', instance: 0, panel: null });
    const o = { base: 'https://example.org/lab/', hash, id: 'geometry', title: 'Feature "directions" <W>', hide: ['reset'] };
    expect(embedUrl(o)).toBe(`https://example.org/lab/?embed=geometry&hide=reset${hash}`);
    const html = embedSnippet(o);
    expect(html).toMatch(/^<iframe src="https:\/\/example\.org\/lab\/\?embed=geometry&amp;hide=reset#model=relu-output&amp;n=5/);
    expect(html).toContain('title="Superposition Lab: Feature &quot;directions&quot; &lt;W&gt;"');
    expect(html).toMatch(/width="\d+" height="\d+"/);
  });
});
