// SAEs on your own activations in real headless Chromium (issue 18, item 3), against the built app (`npx vite build`
// first): a 1 MB .npy of known sparse directions in superposition (d = 16, 24 directions) and its truth file go in
// through the SAE tab's file picker (and, from a link, by drag and drop); the SAE trains on them with every panel (PCA pictures, cosines, histograms,
// curves, top-activating rows), the dictionary exports as a .npy the parser reads back, a bad file gets its
// specific message while the run goes on, and a link with the file choice asks for the file.
// Screenshots go to tests/e2e/screenshots/sae-file-*.png for a human to look at.

import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseActivations } from '../../src/engine/sae/activationsFile';
import { encodeNpy } from '../../src/engine/sae/npyWrite';
import { createRng } from '../../src/engine/shared/rng';
import { axeViolations } from './axe.ts';
import { openLab, startHarness, type Harness } from './harness.ts';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const PANELS = ['sae-controls', 'sae-directions', 'sae-cosines', 'sae-curves', 'sae-histogram', 'sae-top-rows'] as const;
const D = 16, G = 24, N = 16_384; // 16 384 × 16 float32 = 1 MB

function synthetic(): { acts: Buffer; dirs: Buffer } {
  const rng = createRng(11);
  const truth = new Float32Array(G * D);
  for (let g = 0; g < G; g++) {
    const v = Array.from({ length: D }, () => rng.normal());
    const n = Math.hypot(...v);
    v.forEach((x, j) => (truth[g * D + j] = x / n));
  }
  const h = new Float32Array(N * D);
  for (let r = 0; r < N; r++) {
    for (let g = 0; g < G; g++) {
      if (rng.next() >= 0.05) continue;
      const c = rng.next();
      for (let j = 0; j < D; j++) h[r * D + j] += c * truth[g * D + j];
    }
  }
  return { acts: Buffer.from(encodeNpy(h, N, D)), dirs: Buffer.from(encodeNpy(truth, G, D)) };
}

const readSae = (page: Page) => page.evaluate(() => window.__sae!.read());

async function openSae(h: Harness, query = ''): Promise<{ page: Page; problems: string[] }> {
  // tall enough that the tallest panel's screenshot needs no scrolling under the sticky header
  const opened = await openLab(h, query, { width: 1440, height: 2000 });
  await opened.page.getByRole('tab', { name: 'Sparse autoencoder' }).click();
  await opened.page.waitForFunction(() => window.__sae !== undefined, null, { timeout: 30_000 });
  return opened;
}

describe('the SAE tab on a file', () => {
  let h: Harness;
  const { acts, dirs } = synthetic();
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('loads a 1 MB .npy, trains on it with every panel, exports the dictionary, and refuses a bad file', async () => {
    const { page, problems } = await openSae(h);
    expect(acts.length).toBeGreaterThan(1024 * 1024);
    await page.selectOption('[data-sae-control=base]', 'file');
    await expect(page.locator('.sae-file-link').textContent()).resolves.toMatch(/not in the link/);
    // a shorter run: settings go through the controller like any edit
    await page.evaluate(() => {
      window.__sae!.controller.edit('dictSize', 48);
      window.__sae!.controller.edit('saeSteps', 4000);
      window.__sae!.controller.edit('saeInstances', 4);
      window.__sae!.controller.edit('l1', 0.02);
      window.__sae!.controller.edit('saeBatch', 256);
    });
    const t0 = await page.evaluate(() => performance.now());
    await page.setInputFiles('[data-sae-control=file]', { name: 'acts.npy', mimeType: 'application/octet-stream', buffer: acts });
    await page.waitForFunction((d) => { const r = window.__sae!.read(); return r.dIn === d && r.step > 0; }, D, { timeout: 30_000, polling: 'raf' });
    const t1 = await page.evaluate(() => performance.now());
    const info = (await readSae(page)).file!;
    console.log(`1 MB .npy in the page: read and validated in ${info.parseMs.toFixed(1)} ms; file chosen → first SAE snapshot ${info.firstSnapshotMs?.toFixed(0)} ms in the page (${(t1 - t0).toFixed(0)} ms seen from the test, with the upload through the driver); figures, not pass/fail`);
    expect(info).toMatchObject({ rows: N, cols: D, format: 'npy', truth: null });
    await expect(page.locator('[data-sae-no-truth]').count()).resolves.toBe(1);

    await page.setInputFiles('[data-sae-control=truth]', { name: 'dirs.npy', mimeType: 'application/octet-stream', buffer: dirs });
    await page.waitForFunction(() => window.__sae!.read().file?.truth?.rows === 24, null, { timeout: 10_000 });
    await page.waitForFunction(() => window.__sae!.read().done, null, { timeout: 120_000, polling: 250 });
    const done = await readSae(page);
    console.log(`SAE on the file: MMCS ${done.mmcs.map((x) => x.toFixed(3)).join(' ')}, L0 ${done.l0.map((x) => x.toFixed(2)).join(' ')}, dead ${done.deadFraction.map((x) => x.toFixed(2)).join(' ')}`);
    expect(Math.max(...done.mmcs)).toBeGreaterThan(0.8);
    expect(done.topRowsStep).toBe(4000);
    const readout = await page.locator('[data-sae-instance-readout]').textContent();
    console.log(`readout of instance 1: ${readout}`);
    expect(readout).toMatch(/^reconstruction #1[\d.e−]+ \([\d.]+% of variance\)L0[\d.]+dead[\d.]+%$/);

    // the panels: PCA pictures (d = 16 > 3), the heatmap with 24 columns, histograms, the top-rows table
    await expect(page.locator('[data-panel=sae-directions] .panel-subtitle').textContent()).resolves.toMatch(/on PC1–PC3 of d = 16/);
    await expect(page.locator('[data-panel=sae-directions] .sae-latent').count()).resolves.toBeGreaterThanOrEqual(48);
    await expect(page.locator('[data-panel=sae-cosines] svg[data-mmcs]').getAttribute('aria-label')).resolves.toBe('cosine heatmap: 48 latents by 24 features');
    await expect(page.locator('[data-panel=sae-histogram] .sae-hist').count()).resolves.toBe(48);
    const firstRow = page.locator('.sae-top-table tbody tr').first();
    await expect(firstRow.locator('td.sae-top-cell').first().textContent()).resolves.toMatch(/^\d+ \([\d.]+\)$/);
    await expect(page.locator('[data-sae-file-info]').textContent()).resolves.toMatch(/^acts\.npy: 16\s384 rows × d = 16 \(npy, 1 MB, read and checked in [\d.]+ ms, training [\d.]+ ms after it was chosen\)\.$/);

    // the dictionary as .npy: our parser reads it back, 48 × 16, unit rows
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-sae-action=export-npy]')]);
    const saved = parseActivations(readFileSync((await download.path())!));
    expect(saved.ok && saved.value).toMatchObject({ rows: 48, cols: 16 });
    if (saved.ok) expect(Math.hypot(...saved.value.values.subarray(0, 16))).toBeCloseTo(1, 4);

    await page.mouse.move(0, 0);
    for (const id of PANELS) await page.locator(`[data-panel=${id}]`).screenshot({ path: join(SHOTS, `sae-file-panel-${id}.png`) });
    await page.screenshot({ path: join(SHOTS, 'sae-file-page.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // a bad file: its message by the picker; the loaded file and its run stay
    const truncated = Buffer.from(encodeNpy(new Float32Array(64), 8, 8).subarray(0, 128 + 100));
    await page.setInputFiles('[data-sae-control=file]', { name: 'broken.npy', mimeType: 'application/octet-stream', buffer: truncated });
    const error = page.locator('[data-panel=sae-controls] .field-error').first();
    // the file is read asynchronously: wait for its message
    const messageFor = (name: string) => page.waitForFunction((n) => document.querySelector('[data-panel=sae-controls] .field-error')?.textContent?.startsWith(n), name, { timeout: 10_000 });
    await messageFor('broken.npy');
    await expect(error.textContent()).resolves.toBe("broken.npy: the .npy data is truncated: shape (8, 8) of '<f4' needs 256 bytes, the file has 100. The previous setting is still in use.");
    await page.setInputFiles('[data-sae-control=file]', { name: 'ragged.json', mimeType: 'application/json', buffer: Buffer.from('[[1, 2], [3]]') });
    await messageFor('ragged.json');
    await expect(error.textContent()).resolves.toBe('ragged.json: ragged rows: row 1 has 1 values, row 0 has 2. The previous setting is still in use.');
    expect((await readSae(page)).file).toMatchObject({ name: 'acts.npy', rows: N });
    await page.locator('[data-panel=sae-controls]').screenshot({ path: join(SHOTS, 'sae-file-bad-file.png') });

    // the link keeps the SAE settings and the file choice, not the file: a new page asks for it
    const url = page.url();
    expect(url).toMatch(/sae\.base=file/);
    expect(url).toMatch(/sae\.dictSize=48/);
    expect(problems).toEqual([]);
    const again = await openLab(h, url.slice(url.indexOf('#')));
    await again.page.waitForFunction(() => window.__sae !== undefined, null, { timeout: 30_000 });
    await again.page.waitForSelector('[data-sae-file-wanted]', { timeout: 10_000 });
    await again.page.locator('[data-panel=sae-controls]').screenshot({ path: join(SHOTS, 'sae-file-from-link.png') });
    expect(await axeViolations(again.page)).toEqual([]);
    await expect(again.page.locator('[data-sae-file-wanted]').textContent()).resolves.toMatch(/^This link trains on an activations file, which a link cannot carry: choose the \.npy or JSON file below/);
    await expect(again.page.locator('[data-panel=sae-controls] .field-error').count()).resolves.toBe(0);
    // and once the file is dropped on the file section, it trains with the link's settings
    await again.page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'acts.npy', { type: 'application/octet-stream' }));
      const zone = document.querySelector('.sae-file')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, acts.toString('base64'));
    await again.page.waitForFunction(() => window.__sae!.read().step > 0, null, { timeout: 30_000 });
    await expect(again.page.locator('[data-sae-file-wanted]').count()).resolves.toBe(0);
    const dropped = await again.page.evaluate(() => window.__sae!.read());
    expect(dropped.l1).toEqual([0.02, 0.02, 0.02, 0.02].map(Math.fround));
    expect(dropped.file).toMatchObject({ name: 'acts.npy', rows: N, cols: D });
    await expect(again.page.locator('[data-sae-field=dictSize] input').first().inputValue()).resolves.toBe('48');
    expect(again.problems).toEqual([]);
  }, 240_000);
});
