// Sharing, embedding, exporting and lecture use, in real headless Chromium against the built app
// (`npx vite build` first). Screenshots and exported figures go to tests/e2e/screenshots/.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Download, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunFile } from '../../src/state/export/runJson.ts';
import { readPngSize } from '../../src/ui/export/svgCompose.ts';
import { openLab, startHarness, waitForDone, waitForStep, type Harness } from './harness.ts';
import { axeViolations } from './axe';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const PANELS = ['geometry', 'gram', 'norms', 'dimensionality', 'loss'] as const;

const read = (page: Page | Frame) => page.evaluate(() => window.__lab!.read());
const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1));

async function download(page: Page, click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), click()]);
  const path = await download.path();
  return { download, bytes: readFileSync(path!) };
}

describe('share, embed, export and lecture mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('restores the exact run from the hash, and Back / Forward step through edits', async () => {
    const { page, problems } = await openLab(h, '#n=6&m=2&instances=3&sparsityRange=0:0.9&seed=3&steps=3000&instance=2&panel=norms');
    await waitForStep(page, 1);
    const r = await read(page);
    expect(r.runConfig).toMatchObject({ n: 6, m: 2, instances: 3, sparsityRange: [0, 0.9], seed: 3, steps: 3000 });
    await expect(page.locator('[data-panel=norms]').getAttribute('data-selected')).resolves.toBe('true');
    await expect(page.locator('[data-panel=norms] .panel-subtitle').innerText()).resolves.toContain('instance 2');
    // the address is rewritten in full (a link survives a change of defaults)
    expect(hashParams(page).get('batch')).toBe('1024');
    expect(hashParams(page).get('instance')).toBe('2');
    await waitForDone(page);
    const normsA = (await read(page)).featureNorms;

    // the same link in a fresh page trains the same run: same seed, same final weights
    const again = await openLab(h, new URL(page.url()).search + new URL(page.url()).hash);
    await waitForDone(again.page);
    expect((await read(again.page)).featureNorms).toEqual(normsA);
    await again.page.close();

    // an edit makes a history entry; a second edit after a pause another
    await page.locator('[data-field=n] input.field-input').fill('5');
    await page.waitForFunction(() => window.__lab!.read().runConfig?.n === 5, null, { timeout: 10_000 });
    await page.waitForTimeout(1200);
    await page.locator('[data-field=seed] input.field-input').fill('8');
    await page.waitForFunction(() => window.__lab!.read().runConfig?.seed === 8, null, { timeout: 10_000 });
    expect(hashParams(page).get('seed')).toBe('8');
    await page.goBack();
    await page.waitForFunction(() => window.__lab!.read().runConfig?.seed === 3 && window.__lab!.read().runConfig?.n === 5, null, { timeout: 10_000 });
    expect(hashParams(page).get('seed')).toBe('3');
    await page.goBack();
    await page.waitForFunction(() => window.__lab!.read().runConfig?.n === 6, null, { timeout: 10_000 });
    await page.goForward();
    await page.goForward();
    await page.waitForFunction(() => window.__lab!.read().runConfig?.seed === 8, null, { timeout: 10_000 });
    // a link pasted into the address bar applies at once
    await page.evaluate(() => (window.location.hash = '#n=7&m=3&seed=2'));
    await page.waitForFunction(() => window.__lab!.read().runConfig?.n === 7 && window.__lab!.read().runConfig?.m === 3, null, { timeout: 10_000 });
    // the old ?n=…&m=… form still works, and moves into the hash
    const old = await openLab(h, '?backend=cpu&n=4&sparsity=0.8');
    await waitForStep(old.page, 1);
    expect((await read(old.page)).runConfig).toMatchObject({ n: 4, sparsity: 0.8 });
    expect(new URL(old.page.url()).search).toBe('?backend=cpu');
    expect(hashParams(old.page).get('n')).toBe('4');
    expect((await read(old.page)).backend).toBe('cpu');
    await old.page.close();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reports a hostile hash, trains the defaults and injects nothing', async () => {
    const dialogs: string[] = [];
    const hostile =
      '#n=<script>window.__pwned=1</script>&m=-2&lr=NaN&seed=1e400&sparsity=0.9&sparsity=0.5&foo=<img src=x onerror=window.__pwned=2>' +
      '&view=<svg/onload=window.__pwned=3>&steps=99999999999&batch=%E0%A4%A&panel=javascript:alert(1)&instance=0';
    const { page, problems } = await openLab(h, hostile);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await waitForStep(page, 100);
    const notices = await page.locator('.notices .notice').allInnerTexts();
    console.log(notices.join('\n'));
    const text = notices.join('\n');
    expect(text).toContain('n must be an integer from 1 to 512; got "<script>window.__pwned=1</script>"');
    expect(text).toMatch(/m must be an integer .* got "-2"/);
    expect(text).toMatch(/sparsity appears 2 times/);
    expect(text).toMatch(/steps must be an integer .* got "99999999999"/);
    expect(text).toMatch(/…and \d+ more problems/);
    const r = await read(page);
    expect(r.runConfig).toMatchObject({ n: 5, m: 2, lr: 0.001, seed: 1, sparsity: 0.95 });
    const injected = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      scripts: Array.from(document.querySelectorAll('script')).map((s) => s.src || s.textContent!.slice(0, 40)),
      imgs: document.querySelectorAll('img').length,
      svgOnload: document.querySelectorAll('svg[onload]').length,
    }));
    expect(injected).toEqual({ pwned: null, scripts: [expect.stringMatching(/\/assets\/index-.*\.js$/)], imgs: 0, svgOnload: 0 });
    expect(dialogs).toEqual([]);
    // the cleaned link is written back
    expect(hashParams(page).get('n')).toBe('5');
    expect(page.url()).not.toContain('script');
    await page.locator('.notices').screenshot({ path: join(SHOTS, 'share-bad-hash.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('embeds one panel without chrome in a real <iframe>, from the Embed dialog’s code', async () => {
    const { page, problems } = await openLab(h, '#n=5&m=2&sparsity=0.95&seed=1&steps=4000');
    await waitForStep(page, 1);
    await page.locator('[data-panel=geometry] [data-action=embed-code]').click();
    const dialog = page.locator('dialog.copy-dialog');
    await dialog.waitFor();
    await page.locator('[data-embed-control=reset]').uncheck();
    const snippet = await page.locator('[data-copy-text]').inputValue();
    await page.screenshot({ path: join(SHOTS, 'share-embed-dialog.png') });
    expect(snippet).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=geometry&amp;hide=reset#model=relu-output&amp;n=5/);
    await page.keyboard.press('Escape');
    await expect(dialog.count()).resolves.toBe(0);
    await page.close();

    // a course page on the same server with that snippet, plus a dark, large-type gram embed in a narrow frame
    const host = await h.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const gramSrc = `${h.url}?embed=gram&hide=sparsity&theme=dark&present=1#n=6&m=2&instances=2&sparsityRange=0.7:0.95&seed=2&steps=3000`;
    await host.route('**/course-page.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><title>Lecture 7</title><style>body{font:16px sans-serif;margin:24px;display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}</style></head>
<body><section><h1>Lecture 7: superposition</h1><p>Drag the sparsity slider and watch the pentagon form.</p>${snippet.replace('<iframe ', '<iframe id="geo" ')}</section>
<iframe id="gram" src="${gramSrc}" title="WtW" width="420" height="560" style="border:1px solid #ccc"></iframe></body></html>`,
      }),
    );
    await host.goto(`${h.url}course-page.html`);
    const geo = host.frame({ url: /embed=geometry/ })!;
    const gram = host.frame({ url: /embed=gram/ })!;
    for (const f of [geo, gram]) console.log(f.url(), await f.evaluate(() => JSON.stringify(window.__lab?.read() ?? null)).catch((e: Error) => e.message));
    for (const f of [geo, gram]) await f.waitForFunction(() => (window.__lab?.read().step ?? 0) >= 3000 || !!window.__lab?.read().done, null, { timeout: 60_000, polling: 200 });
    // no page chrome: no header, settings, tabs or toolbar; the panel and its essential controls only
    for (const f of [geo, gram]) {
      for (const sel of ['.app-header', '.sidebar', '.view-tabs', '.lab-toolbar']) await expect(f.locator(sel).count()).resolves.toBe(0);
      await expect(f.locator('[data-panel]').count()).resolves.toBe(1);
    }
    await expect(geo.locator('[data-panel=geometry] svg.feature-arrows').count()).resolves.toBe(1);
    await expect(geo.locator('[data-action=play-pause]').count()).resolves.toBe(1);
    await expect(geo.locator('[data-action=reset]').count()).resolves.toBe(0); // hidden through the snippet
    await expect(geo.locator('.embed-sparsity input[type=range]').count()).resolves.toBe(1);
    await expect(gram.locator('.embed-sparsity').count()).resolves.toBe(0); // ?hide=sparsity
    await expect(gram.locator('[data-action=reset]').count()).resolves.toBe(1);
    expect(await gram.evaluate(() => [document.documentElement.dataset.theme, document.documentElement.dataset.present])).toEqual(['dark', '1']);
    // sized to its container: nothing wider than the frame
    for (const [f, width] of [[geo, 640], [gram, 420]] as const) {
      const scrollWidth = await f.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth).toBeLessThanOrEqual(width);
    }
    // the embed's controls work: the slider retrains, pause stops
    const slider = geo.locator('.embed-sparsity input[type=range]');
    await slider.focus();
    await slider.press('Home');
    await geo.waitForFunction(() => window.__lab!.read().runConfig?.sparsity === 0, null, { timeout: 10_000 });
    await host.mouse.move(0, 0);
    await host.waitForTimeout(1500);
    await host.screenshot({ path: join(SHOTS, 'share-embed-iframes.png') });
    expect(await axeViolations(gram)).toEqual([]);
    await host.close();

    // a whole view can be embedded too
    const whole = await openLab(h, '?embed=lab#n=5&m=2&steps=2000', { width: 900, height: 700 });
    await waitForStep(whole.page, 1);
    await expect(whole.page.locator('[data-panel]').count()).resolves.toBe(5);
    await expect(whole.page.locator('.sidebar, .app-header').count()).resolves.toBe(0);
    await whole.page.close();
    expect([...problems, ...whole.problems]).toEqual([]);
  });

  it('exports every panel as a parseable SVG and a PNG of the expected size, the run as valid JSON, and a PyTorch script', async () => {
    const { page, problems } = await openLab(h, '#n=5&m=2&instances=3&sparsityRange=0:0.95&seed=1&steps=3000');
    await waitForDone(page);
    await page.mouse.move(0, 0);
    for (const id of PANELS) {
      const svg = await download(page, () => page.locator(`[data-panel=${id}] [data-export=svg]`).click());
      const text = svg.bytes.toString('utf8');
      const title = await page.locator(`[data-panel=${id}] h2`).innerText();
      expect(svg.download.suggestedFilename()).toMatch(/^superposition-lab_[a-z0-9-]+\.svg$/);
      const parsed = await page.evaluate((t) => {
        const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
        const root = doc.documentElement;
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          root: root.nodeName,
          width: Number(root.getAttribute('width')),
          height: Number(root.getAttribute('height')),
          title: doc.querySelector('title')?.textContent,
          texts: Array.from(doc.querySelectorAll('text'), (n) => n.textContent).join(' | '),
          scripts: doc.querySelectorAll('script, foreignObject').length,
        };
      }, text);
      expect(parsed.error).toBeNull();
      expect(parsed.root).toBe('svg');
      expect(parsed.title).toBe(title);
      expect(parsed.texts).toContain(title); // the title is drawn
      expect(parsed.scripts).toBe(0);
      writeFileSync(join(SHOTS, `export-${id}.svg`), text);

      const png = await download(page, () => page.locator(`[data-panel=${id}] [data-export=png]`).click());
      const size = readPngSize(new Uint8Array(png.bytes));
      expect(size).toEqual({ width: parsed.width * 3, height: parsed.height * 3 });
      const decoded = await page.evaluate(async (b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        return { width: bitmap.width, height: bitmap.height };
      }, png.bytes.toString('base64'));
      expect(decoded).toEqual(size);
      writeFileSync(join(SHOTS, `export-${id}.png`), png.bytes);
      console.log(`${id}: SVG ${parsed.width}×${parsed.height}, ${(svg.bytes.length / 1024).toFixed(0)} kB; PNG ${size!.width}×${size!.height}, ${(png.bytes.length / 1024).toFixed(0)} kB`);
    }
    // legends are in the figures
    expect(readFileSync(join(SHOTS, 'export-geometry.svg'), 'utf8')).toContain('importance');
    expect(readFileSync(join(SHOTS, 'export-norms.svg'), 'utf8')).toContain('superposition');
    expect(readFileSync(join(SHOTS, 'export-loss.svg'), 'utf8')).toContain('S = 0.95');

    // the run, in the CLI's JSON contract, validated by the same reader the import uses
    const json = await download(page, () => page.locator('[data-action=export-json]').click());
    const run = parseRunFile(json.bytes.toString('utf8'), ['lab']);
    expect(run.ok).toBe(true);
    const r = await read(page);
    expect(run.ok && run.config).toEqual(r.runConfig);
    expect(run.ok && run.record.instances.map((i) => i.loss).every((l) => l > 0)).toBe(true);
    expect(run.ok && run.record.steps).toBe(3000);

    // the PyTorch script for the current config
    const py = await download(page, () => page.locator('[data-action=export-pytorch]').click());
    expect(py.download.suggestedFilename()).toBe('superposition_relu-output_n5_m2_seed1.py');
    const script = py.bytes.toString('utf8');
    expect(script).toContain('import torch');
    expect(script).toContain('"sparsityRange": [\n    0,\n    0.95\n  ]');

    // importing a run restores its config; a broken file is refused with every problem listed
    const edited = JSON.parse(json.bytes.toString('utf8'));
    edited.config.seed = 11;
    edited.config.n = 4;
    edited.instances = edited.instances.map((i: { W: number[][]; b: number[] }) => ({ ...i, W: i.W.map((row) => row.slice(0, 4)), b: i.b.slice(0, 4) }));
    const input = page.locator('input[data-import-input]');
    await input.setInputFiles({ name: 'edited-run.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(edited)) });
    await page.waitForFunction(() => window.__lab!.read().runConfig?.seed === 11 && window.__lab!.read().runConfig?.n === 4, null, { timeout: 10_000 });
    expect(hashParams(page).get('seed')).toBe('11');
    edited.config.n = 0;
    edited.instances[0].loss = 'low';
    await input.setInputFiles({ name: 'broken-run.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(edited)) });
    const message = page.locator('[data-message=error]');
    await message.waitFor({ timeout: 5000 });
    await expect(message.innerText()).resolves.toMatch(/Could not open broken-run\.json[\s\S]*config: n must be an integer from 1 to 512; got 0/);
    await page.locator('.app-header').screenshot({ path: join(SHOTS, 'share-import-error.png') });
    expect((await read(page)).runConfig?.n).toBe(4);

    // Copy link: the clipboard gets the page's address (or, where refused, a dialog shows it)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(h.url).origin });
    await page.locator('[data-action=copy-link]').click();
    await page.waitForFunction(() => document.querySelector('[data-message=info]') || document.querySelector('[data-copy-text]'), null, { timeout: 5000 });
    const copied = await page.evaluate(async () => (document.querySelector('[data-copy-text]') as HTMLTextAreaElement | null)?.value ?? (await navigator.clipboard.readText()));
    expect(copied).toBe(page.url());
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lecture mode: shortcuts, help overlay, presentation mode, dark theme, phone to projector, hidden controls', async () => {
    const { page, problems } = await openLab(h, '?autoplay=0#n=5&m=2&sparsity=0.95&seed=1&steps=10000', { width: 1920, height: 1080 });
    await page.waitForFunction(() => window.__lab!.read().health === 'running', null, { timeout: 30_000 });
    await page.keyboard.press('s');
    await page.waitForFunction(() => window.__lab!.read().step === 1, null, { timeout: 5000 });
    await page.keyboard.press('Shift+S');
    await page.waitForFunction(() => window.__lab!.read().step === 101, null, { timeout: 5000 });
    // arrows move a focused slider (and the page shortcuts leave it alone)
    const nSlider = page.locator('[data-field=n] input[type=range]');
    await nSlider.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.__lab!.read().config.n === 6, null, { timeout: 5000 });
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => window.__lab!.read().runConfig?.n === 5, null, { timeout: 5000 });
    await nSlider.evaluate((el) => (el as HTMLElement).blur());
    await page.keyboard.press('?');
    await page.locator('dialog.help-overlay').waitFor();
    await expect(page.locator('dialog.help-overlay').innerText()).resolves.toMatch(/Play \/ pause[\s\S]*Presentation mode/);
    await page.screenshot({ path: join(SHOTS, 'share-help.png') });
    await page.keyboard.press('Escape');
    await expect(page.locator('dialog.help-overlay').count()).resolves.toBe(0);
    await page.keyboard.press('2'); // the second example: dense = PCA
    await page.waitForFunction(() => window.__lab!.read().runConfig?.sparsity === 0, null, { timeout: 10_000 });
    await page.keyboard.press('1');
    await page.waitForFunction(() => window.__lab!.read().runConfig?.sparsity === 0.95, null, { timeout: 10_000 });
    await waitForDone(page); // a new example starts playing
    // the examples menu shows each example's description
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('[data-action=presets]').click();
    await expect(page.locator('.preset-item').count()).resolves.toBeGreaterThanOrEqual(10);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'share-presets-menu.png'), clip: { x: 0, y: 0, width: 760, height: 1080 } });
    await page.keyboard.press('Escape');

    // presentation mode (P) and the dark theme (T), at projector size
    await page.keyboard.press('p');
    await page.keyboard.press('t');
    expect(await page.evaluate(() => [document.documentElement.dataset.theme, document.documentElement.dataset.present])).toEqual(['dark', '1']);
    expect(new URL(page.url()).searchParams.get('present')).toBe('1');
    await page.waitForTimeout(500);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'share-projector-dark-presentation.png') });
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1920);
    await page.close();

    // the light theme follows the system; the dark one too (prefers-color-scheme)
    const dark = await h.browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' });
    await dark.goto(`${h.url}#n=5&m=2&instances=6&sparsityRange=0:0.99&seed=1&steps=4000`);
    await dark.waitForFunction(() => window.__lab?.read().done, null, { timeout: 60_000 });
    expect(await dark.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await dark.mouse.move(0, 0);
    await dark.screenshot({ path: join(SHOTS, 'share-dark-system.png'), fullPage: true });
    await dark.close();

    // a phone: one column, nothing wider than the screen
    const phone = await openLab(h, '#n=5&m=2&sparsity=0.95&seed=1&steps=3000', { width: 375, height: 812 });
    await waitForDone(phone.page);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await phone.page.screenshot({ path: join(SHOTS, 'share-phone.png'), fullPage: true });
    await phone.page.close();

    // controls hidden through the URL, both spellings
    const hidden = await openLab(h, '?hide=n,m,presets&seed_hide=true&step_hide=1#n=5&steps=2000');
    await waitForStep(hidden.page, 1);
    for (const field of ['n', 'm', 'seed']) await expect(hidden.page.locator(`[data-field=${field}]`).count()).resolves.toBe(0);
    await expect(hidden.page.locator('[data-presets]').count()).resolves.toBe(0);
    await expect(hidden.page.locator('[data-action=step]').count()).resolves.toBe(0);
    await expect(hidden.page.locator('[data-field=lr]').count()).resolves.toBe(1);
    await hidden.page.close();
    expect(problems).toEqual([]);
  });

  it('has no serious or critical accessibility violations (axe-core), light theme', async () => {
    const { page } = await openLab(h, '#n=5&m=2&instances=3&sparsityRange=0:0.95&seed=1&steps=3000');
    await waitForDone(page);
    const violations = await axeViolations(page);
    // every panel has its screen-reader summary, politely announced
    for (const id of PANELS) {
      const summary = page.locator(`[data-summary=${id}]`);
      await expect(summary.getAttribute('aria-live')).resolves.toBe('polite');
      expect((await summary.textContent())!.length).toBeGreaterThan(20);
    }
    console.log(await page.locator('[data-summary]').allTextContents());
    expect(violations).toEqual([]);
    await page.close();
  });
});
