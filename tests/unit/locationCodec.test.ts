// The location codec (src/state/location/): every tab's state survives a round trip through the
// address, old links still open as they did, and anything hostile in the hash or the query is
// named in a notice and replaced by its default.

import { describe, expect, it } from 'vitest';
import { validateFields, type FieldSpec } from '../../src/engine/shared/fields';
import { DEFAULT_SAE_CONFIG, validateSaeConfig } from '../../src/engine/sae/config';
import { DEFAULT_CONFIG } from '../../src/engine/toy/config';
import { decodeHash, encodeHash, MAX_HASH_LENGTH, readLocation, TAB_SETTINGS, type LinkState, type LinkVocabulary } from '../../src/state/location';
import { displaySearch } from '../../src/state/location/display';
import type { SettingsSection } from '../../src/state/location/sections';
import { SAE_SETTINGS, type SaeLinkSettings } from '../../src/state/location/tabs';

const vocab: LinkVocabulary = { views: ['lab', 'sae', 'sweep', 'dimensionality', 'phase', 'correlated', 'computation', 'dynamics'], defaultView: 'lab', panels: ['geometry', 'gram', 'norms', 'dimensionality', 'loss'] };
const embeddable = ['geometry', 'gram', 'norms', 'dimensionality', 'loss', 'lab', 'sae', 'computation'];
const read = (search: string, hash = '') => readLocation(search, hash, vocab, embeddable);

const saeSettings = (over: Partial<SaeLinkSettings>): SaeLinkSettings => ({ ...SAE_SETTINGS.defaults, ...over });

describe('round trips, tab by tab', () => {
  it('registers the SAE tab with its field table under the sae. prefix', () => {
    expect(TAB_SETTINGS.map((t) => [t.id, t.prefix])).toEqual([['sae', 'sae.'], ['induction', 'ind.'], ['locate', 'rome.'], ['monitor', 'mon.'], ['compare', 'ab.'], ['grid', 'grid.']]);
    // the store's own start: 20 000 steps, the pentagon and a dictionary of 5
    expect(SAE_SETTINGS.defaults).toMatchObject({ base: 'pentagon', dictSize: 5, saeSteps: 20_000, l1: DEFAULT_SAE_CONFIG.l1 });
  });

  const SAE_CASES: [string, Partial<SaeLinkSettings>][] = [
    ['λ and dictionary size', { l1: 0.5, dictSize: 8 }],
    ['another base', { base: 'three-d', dictSize: 6 }],
    ['the live lab as base', { base: 'lab' }],
    ['a λ sweep across instances', { l1Range: [0.01, 1], saeInstances: 4 }],
    ['no resampling, other optimiser settings', { resample: false, saeLr: 0.003, saeBatch: 256, saeSeed: 42, saeSteps: 5000 }],
    ['Sharkey data', { data: 'sharkey', sharkeyDim: 64, sharkeyFeatures: 128, sharkeyActive: 3.5, dictSize: 256 }],
    ['resampling schedule', { resampleEvery: 1000, deadWindow: 800, resampleScale: 0.2 }],
  ];

  it.each(SAE_CASES)('the SAE tab: %s', (_name, over) => {
    const state: LinkState = { config: { ...DEFAULT_CONFIG }, view: 'sae', instance: 0, panel: null, settings: { sae: saeSettings(over) } };
    const hash = encodeHash(state);
    for (const key of Object.keys(over)) expect(hash).toContain(`&sae.${key}=`);
    const decoded = decodeHash(hash, vocab);
    expect(decoded.errors).toEqual([]);
    expect(decoded.state).toEqual(state);
    expect(encodeHash(decoded.state)).toBe(hash);
    expect(validateSaeConfig(Object.fromEntries(Object.entries(decoded.state.settings!.sae).filter(([k]) => k !== 'base'))).ok).toBe(true);
  });

  it('the Locate & edit tab: fact, layer and new object under rome.; bad values named, defaults kept', () => {
    const settings = { subject: 12, relation: 2, layer: '1', newObject: '5' };
    const state: LinkState = { config: { ...DEFAULT_CONFIG }, view: 'lab', instance: 0, panel: null, settings: { locate: settings } };
    const hash = encodeHash(state);
    expect(hash).toContain('rome.subject=12&rome.relation=2&rome.layer=1&rome.newObject=5');
    const decoded = decodeHash(hash, vocab);
    expect(decoded.errors).toEqual([]);
    expect(decoded.state.settings?.locate).toEqual(settings);
    const bad = decodeHash(hash.replace('rome.subject=12', 'rome.subject=300').replace('rome.layer=1', 'rome.layer=top'), vocab);
    expect(bad.errors).toHaveLength(2);
    expect(bad.errors.join(' ')).toMatch(/rome\.subject/);
    expect(bad.state.settings?.locate).toEqual({ ...settings, subject: 0, layer: 'peak' });
  });

  it('writes only the SAE settings that differ from its defaults, and none when all are defaults', () => {
    const lab: LinkState = { config: { ...DEFAULT_CONFIG }, view: 'lab', instance: 0, panel: null };
    expect(encodeHash({ ...lab, settings: { sae: saeSettings({}) } })).toBe(encodeHash(lab));
    expect(encodeHash({ ...lab, view: 'sae', settings: { sae: saeSettings({ l1: 0.05 }) } })).toMatch(/&view=sae&sae\.l1=0\.05$/);
    // absent from the link: the tab's defaults (the caller applies them)
    expect(decodeHash(encodeHash(lab), vocab).state.settings).toBeUndefined();
  });

  it.each(['sweep', 'dimensionality', 'phase', 'correlated', 'computation', 'dynamics'])('the %s view with its own seed', (view) => {
    const state: LinkState = { config: { ...DEFAULT_CONFIG }, view, instance: 0, panel: null, viewSeed: 12345 };
    const hash = encodeHash(state);
    expect(hash).toContain(`&view=${view}&viewSeed=12345`);
    expect(decodeHash(hash, vocab)).toEqual({ state, errors: [], present: true });
  });

  it('the lab with a grid, a selected instance and panel, beside SAE settings and a view seed', () => {
    const state: LinkState = {
      config: { ...DEFAULT_CONFIG, n: 6, instances: 6, gridColumns: 3, sparsityRange: [0.5, 0.9], extraImportanceRange: [0.1, 10] },
      view: 'lab',
      instance: 4,
      panel: 'norms',
      viewSeed: 3,
      settings: { sae: saeSettings({ l1: 0.3 }) },
    };
    const hash = encodeHash(state);
    expect(decodeHash(hash, vocab)).toEqual({ state, errors: [], present: true });
  });

  it('keeps a link with every setting changed well under the length cap', () => {
    const everything = saeSettings({ data: 'sharkey', dictSize: 16384, l1: 123.456789, l1Range: [0.000123456, 999.999], saeInstances: 64, saeSteps: 9_999_999, saeBatch: 2, saeLr: 0.000123456, saeSeed: 4_294_967_295, resample: false, resampleEvery: 999_999, deadWindow: 999_998, resampleScale: 9.87654321, sharkeyDim: 1024, sharkeyFeatures: 4096, sharkeyActive: 63.123456, base: 'three-d' });
    const hash = encodeHash({ config: { ...DEFAULT_CONFIG, correlatedSets: 1, sparsityRange: [0.123456789, 0.987654321] }, view: 'computation', instance: 0, panel: 'dimensionality', viewSeed: 4_294_967_295, settings: { sae: everything } });
    expect(hash.length).toBeLessThan(MAX_HASH_LENGTH / 2);
    expect(decodeHash(hash, vocab).state.settings?.sae).toEqual(everything);
  });
});

describe('a new tab registers by declaring its field table and a prefix', () => {
  interface DemoConfig {
    layers: number;
    heads: number;
    attnOnly: boolean;
  }
  const FIELDS: readonly FieldSpec<DemoConfig>[] = [
    { key: 'layers', flag: 'layers', help: 'layers', type: { kind: 'int', min: 1, max: 4 } },
    { key: 'heads', flag: 'heads', help: 'heads per layer', type: { kind: 'int', min: 1, max: 16 } },
    { key: 'attnOnly', flag: 'attn-only', help: 'no MLPs', type: { kind: 'bool' } },
  ];
  const defaults: DemoConfig = { layers: 2, heads: 4, attnOnly: true };
  const demo: SettingsSection<DemoConfig> = {
    id: 'demo',
    prefix: 'demo.',
    fields: FIELDS,
    defaults,
    validate: (input, base) => validateFields(FIELDS, input, base, {}, (c) => (c.layers * c.heads > 32 ? [`layers × heads is ${c.layers * c.heads}; at most 32`] : [])),
  };
  const tabs = [...TAB_SETTINGS, demo];
  const v = { ...vocab, views: [...vocab.views, 'demo'] };

  it('round-trips its settings beside the others, with no other code', () => {
    const state: LinkState = { config: { ...DEFAULT_CONFIG }, view: 'demo', instance: 0, panel: null, settings: { sae: saeSettings({ l1: 1 }), demo: { layers: 1, heads: 8, attnOnly: false } } };
    const hash = encodeHash(state, tabs);
    expect(hash).toMatch(/&view=demo&sae\.l1=1&demo\.layers=1&demo\.heads=8&demo\.attnOnly=false$/);
    expect(decodeHash(hash, v, tabs)).toEqual({ state, errors: [], present: true });
  });

  it('gets the same notices: bad values, clashes, repeats', () => {
    const d = decodeHash('#view=demo&demo.layers=9&demo.heads=16&demo.attnOnly=maybe&demo.heads=2&demo.depth=3', v, tabs);
    const text = d.errors.join('\n');
    expect(text).toMatch(/In the link: demo\.layers must be an integer from 1 to 4; got "9"; used the default demo\.layers = 2\./);
    expect(text).toMatch(/demo\.heads appears 2 times in the link; used the default demo\.heads = 4/);
    expect(text).toMatch(/demo\.attnOnly must be true or false .*; used the default demo\.attnOnly = true/);
    expect(text).toMatch(/unknown setting "demo\.depth"/);
    expect(d.state.settings?.demo).toEqual(defaults);
    const clash = decodeHash('#demo.layers=4&demo.heads=16', v, tabs);
    expect(clash.errors.join('\n')).toMatch(/layers × heads is 64; at most 32; used the default demo\.heads = 4/);
    expect(clash.state.settings?.demo).toEqual({ ...defaults, layers: 4 });
  });
});

describe('old links keep working', () => {
  const OLD: [string, string, string, (l: ReturnType<typeof read>) => void][] = [
    ['the old query form', '?n=5&m=2', '', (l) => expect(l.link.state.config).toEqual({ ...DEFAULT_CONFIG, n: 5, m: 2 })],
    ['old query form with page parameters', '?backend=cpu&n=4&sparsity=0.8', '', (l) => {
      expect(l.page.backends).toEqual(['cpu']);
      expect(l.link.state.config).toMatchObject({ n: 4, sparsity: 0.8 });
    }],
    ['a forced backend', '?backend=webgl', '', (l) => expect(l.page.backends).toEqual(['webgl'])],
    ['the TF.js engine', '?engine=tfjs', '', (l) => expect(l.page.engine).toBe('tfjs')],
    ['the fused engine', '?engine=fused', '', (l) => expect(l.page.engine).toBe('fused')],
    ['the SAE engine', '?saeEngine=tfjs', '', (l) => expect(l.page.saeEngine).toBe('tfjs')],
    ['paused start', '?autoplay=0', '', (l) => expect(l.page.autoplay).toBe(false)],
    ['autoplay on', '?autoplay=1', '', (l) => expect(l.page.autoplay).toBe(true)],
    ['an embedded panel', '?embed=gram', '#n=6', (l) => {
      expect(l.display.embed).toBe('gram');
      expect(l.link.state.config.n).toBe(6);
    }],
    ['an embedded view', '?embed=sae', '#view=sae', (l) => expect([l.display.embed, l.link.state.view]).toEqual(['sae', 'sae'])],
    ['hidden controls, both spellings', '?hide=n,m&seed_hide=true&step_hide=1', '', (l) => expect(new Set(l.display.hidden)).toEqual(new Set(['n', 'm', 'seed', 'step']))],
    ['presentation mode', '?present=1', '', (l) => expect(l.display.presentation).toBe(true)],
    ['a theme in the hash', '', '#n=5&theme=dark', (l) => expect(l.display.theme).toBe('dark')],
    ['the full hash', '', '#model=relu-output&n=5&m=2&instances=3&sparsity=0.95&importanceDecay=0.9&steps=10000&batch=1024&lr=0.001&weightDecay=0.01&seed=1&view=lab&instance=2&panel=norms', (l) => {
      expect(l.link.state).toMatchObject({ instance: 1, panel: 'norms', view: 'lab' });
      expect(l.link.state.config.instances).toBe(3);
    }],
    ['a view seed', '', '#view=computation&viewSeed=7', (l) => expect(l.link.state).toMatchObject({ view: 'computation', viewSeed: 7 })],
    ['nothing at all', '', '', (l) => expect(l.link.state).toEqual({ config: DEFAULT_CONFIG, view: 'lab', instance: 0, panel: null })],
  ];

  it.each(OLD)('%s: %s%s', (_name, search, hash, check) => {
    const l = read(search, hash);
    expect(l.errors).toEqual([]);
    check(l);
  });

  it('prefers the hash over the old query form', () => {
    expect(read('?n=4', '#n=6').link.state.config.n).toBe(6);
  });

  it('writes the display query an embed starts with', () => {
    expect(displaySearch({ embed: 'sae', hidden: ['reset', 'play'], presentation: true, theme: 'dark' })).toBe('?embed=sae&hide=reset,play&present=1&theme=dark');
    expect(displaySearch({ embed: null, hidden: [] })).toBe('');
  });
});

describe('bad values become notices', () => {
  it('reports every bad page parameter in the query, and uses its default', () => {
    const l = read('?backend=<script>&engine=javascript:alert(1)&autoplay=<b>&saeEngine=gpu');
    const text = l.errors.join('\n');
    expect(text).toMatch(/In the address bar: backend must be one of wasm, cpu, webgl; got "<script>"; used the default backend = none\./);
    expect(text).toMatch(/In the address bar: engine must be one of auto, tfjs, fused; got "javascript:alert\(1\)"; used the default engine = auto\./);
    expect(text).toMatch(/In the address bar: autoplay must be true or false .*got "<b>"; used the default autoplay = true\./);
    expect(text).toMatch(/saeEngine must be one of auto, tfjs, fused; got "gpu"/);
    expect(l.page).toMatchObject({ backends: null, engine: 'auto', saeEngine: 'auto', autoplay: true });
    // page parameters are not run state: nothing is read as the old link form
    expect(l.page.legacy).toBeNull();
  });

  const BAD_SAE: [string, string, RegExp, Partial<SaeLinkSettings>][] = [
    ['negative λ', '#sae.l1=-1&sae.dictSize=8', /sae\.l1 must be a number from 0 to 1000; got "-1"; used the default sae\.l1 = 0\.2/, { dictSize: 8 }],
    ['a script as dictionary size', '#sae.dictSize=<script>alert(1)</script>', /sae\.dictSize must be an integer from 1 to 16384; got "<script>alert\(1\)<\/script>"/, {}],
    ['an unknown base', '#sae.base=<img src=x onerror=alert(1)>', /sae\.base must be one of pentagon, hexagon, three-d, lab, file; got "<img src=x onerror=alert\(1\)>"/, {}],
    ['a huge number', '#sae.saeSteps=1e308', /sae\.saeSteps must be an integer .* got "1e308"/, {}],
    ['an overflowing number', '#sae.saeLr=1e999', /sae\.saeLr must be a number .* got "1e999"/, {}],
    ['a bad range', '#sae.l1Range=0:1', /l1Range must be two positive numbers/, {}],
    ['a bad bool', '#sae.resample=yes', /sae\.resample must be true or false/, {}],
    ['too big to train', '#sae.saeInstances=64&sae.saeBatch=65536&sae.dictSize=16384', /saeInstances × saeBatch × dictSize is .*; used the default sae\.dictSize = 5/, { saeInstances: 64, saeBatch: 65536 }],
    ['a dead window longer than the resampling period', '#sae.resampleEvery=1000&sae.deadWindow=2000', /deadWindow \(2000\) must not exceed resampleEvery \(1000\); used the default sae\.deadWindow = 500/, { resampleEvery: 1000 }],
    ['a repeated key', '#sae.l1=0.1&sae.l1=0.3', /sae\.l1 appears 2 times in the link; used the default sae\.l1 = 0\.2/, {}],
    ['an unknown SAE key', '#sae.evil=1', /unknown setting "sae\.evil"/, {}],
  ];

  it.each(BAD_SAE)('the SAE tab: %s', (_name, hash, message, kept) => {
    const d = decodeHash(hash, vocab);
    expect(d.errors.join('\n')).toMatch(message);
    const sae = d.state.settings?.sae ?? SAE_SETTINGS.defaults;
    expect(sae).toEqual(saeSettings(kept));
    for (const e of d.errors) expect(e).not.toMatch(/(^|[^"])<script>/);
  });
});

describe('untrusted input', () => {
  it('treats prototype keys as unknown settings and pollutes nothing', () => {
    const d = decodeHash('#__proto__=1&constructor=2&sae.__proto__=3&sae.constructor=4&__proto__[polluted]=1&sae.toString=5&hasOwnProperty=6', vocab);
    expect(d.errors.join('\n')).toMatch(/unknown setting "__proto__"/);
    expect(d.errors.join('\n')).toMatch(/unknown setting "sae\.__proto__"/);
    expect(d.errors.at(-1)).toMatch(/and 2 more problems/);
    expect(d.state.config).toEqual(DEFAULT_CONFIG);
    expect(d.state.settings).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(d.state)).toBe(Object.prototype);
    const q = read('?__proto__=1&constructor=x&toString=y');
    expect(q.errors).toEqual(['__proto__', 'constructor', 'toString'].map((k) => `Ignored an unknown setting "${k}" in the address bar.`));
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it('refuses a hash over the length cap, and an old-form query too', () => {
    const long = decodeHash(`#view=sae&sae.l1=${'9'.repeat(MAX_HASH_LENGTH)}`, vocab);
    expect(long.errors).toEqual([expect.stringMatching(/too long .* at most 2000/)]);
    expect(long.state.settings).toBeUndefined();
    const longQuery = read(`?n=${'9'.repeat(MAX_HASH_LENGTH)}`);
    expect(longQuery.errors.join('\n')).toMatch(/too long/);
    expect(longQuery.link.state.config).toEqual(DEFAULT_CONFIG);
  });

  it('cuts a huge value short in its notice', () => {
    const d = decodeHash(`#sae.base=${'x'.repeat(1500)}`, vocab);
    expect(d.errors[0].length).toBeLessThan(260);
    const q = read(`?engine=${'<script>'.repeat(200)}`);
    expect(q.errors[0].length).toBeLessThan(200);
    expect(q.page.engine).toBe('auto');
  });

  it('quotes control characters and markup as text', () => {
    const d = decodeHash('#sae.base=%0A%3Cb%3Ebold%3C%2Fb%3E%00', vocab);
    expect(d.errors[0]).toContain('got "\\n<b>bold</b>\\u0000"');
  });
});

describe('the "Induction heads" tab in the link', () => {
  const ind = TAB_SETTINGS.find((t) => t.id === 'induction')!;
  const v = { ...vocab, views: [...vocab.views, 'induction'] };

  it('writes only what differs from its defaults, under ind., and reads it back', () => {
    const settings = { ...ind.defaults, layers: 1, repeat: 'fixed', lr: 0.003 };
    const state: LinkState = { config: { ...DEFAULT_CONFIG }, view: 'induction', instance: 0, panel: null, settings: { induction: settings } };
    const hash = encodeHash(state);
    expect(hash).toMatch(/&view=induction&ind\.layers=1&ind\.repeat=fixed&ind\.lr=0\.003$/);
    expect(decodeHash(hash, v)).toEqual({ state, errors: [], present: true });
  });

  it('names a bad value and a clash, and keeps the defaults for them', () => {
    const d = decodeHash('#view=induction&ind.layers=7&ind.heads=3', v);
    const text = d.errors.join('\n');
    expect(text).toMatch(/ind\.layers must be an integer from 1 to 3; got "7"; used the default ind\.layers = 2/);
    expect(text).toMatch(/heads \(3\) must divide dModel \(32\)/);
    expect(d.state.settings?.induction).toEqual(ind.defaults);
  });
});
