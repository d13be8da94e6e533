// The live lab in real headless Chromium, against the built app (`npx vite build` first).
// Screenshots go to tests/e2e/screenshots/ for a human to look at.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, startHarness, waitForDone, waitForStep, type Harness } from './harness.ts';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const PANELS = ['geometry', 'gram', 'norms', 'dimensionality', 'loss'] as const;

async function shootPanels(page: Page, suffix = ''): Promise<void> {
  await page.mouse.move(0, 0); // no tooltip in the pictures
  for (const id of PANELS) await page.locator(`[data-panel=${id}]`).screenshot({ path: join(SHOTS, `panel-${id}${suffix}.png`) });
}

const read = (page: Page) => page.evaluate(() => window.__lab!.read());
const readoutStep = async (page: Page) => Number((await page.locator('[data-readout=step]').innerText()).split('/')[0].replace(/\s/g, ''));

describe('the live lab', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('loads without console errors, trains the default config to a pentagon (gaps ≈ 72°)', async () => {
    const t0 = Date.now();
    const { page, problems } = await openLab(h);
    await waitForStep(page, 1);
    const start = await read(page);
    expect(start.backend).toBe('wasm');
    expect(start.runConfig?.n).toBe(5);
    expect(start.runConfig?.m).toBe(2);
    expect(start.runConfig?.sparsity).toBe(0.95);
    // The defaults use seed 1, a pentagon; seed 0 of this config ends in the antipodal-pairs local minimum.
    expect(start.runConfig?.seed).toBe(1);
    for (const id of PANELS) await expect(page.locator(`[data-panel=${id}] svg`).first().isVisible()).resolves.toBe(true);

    // Converged pentagon: five represented features, neighbours 72° ± 8° apart, read from the DOM.
    await page.waitForFunction(
      () => {
        const svg = document.querySelector('[data-panel=geometry] svg[data-angle-gaps]');
        const gaps = JSON.parse(svg?.getAttribute('data-angle-gaps') ?? '[]') as number[];
        return gaps.length === 5 && gaps.every((g) => Math.abs(g - 72) <= 8);
      },
      null,
      { timeout: 60_000, polling: 50 },
    );
    const pentagonAt = await read(page);
    console.log(`pentagon (all gaps within 72 ± 8°) at step ${pentagonAt.step}, ${Date.now() - t0} ms after opening the page`);
    await waitForDone(page);

    const svg = page.locator('[data-panel=geometry] svg[data-angle-gaps]').first();
    const gaps = JSON.parse((await svg.getAttribute('data-angle-gaps'))!) as number[];
    expect(gaps).toHaveLength(5);
    for (const g of gaps) expect(Math.abs(g - 72)).toBeLessThanOrEqual(8);
    await expect(svg.getAttribute('data-geometry')).resolves.toBe('pentagon');
    await expect(svg.locator('.feature-arrow').count()).resolves.toBe(5);
    await expect(page.locator('[data-panel=geometry] .geometry-name').first().innerText()).resolves.toBe('pentagon');
    await expect(page.locator('[data-panel=geometry] figcaption').innerText()).resolves.toContain('each gets 2/5 of a dimension');

    const done = await read(page);
    console.log(`default run: ${done.step} steps in ${Date.now() - t0} ms; backend ${done.backend}, engine ${done.engine}; final loss ${done.losses[0].toExponential(3)}`);
    await page.screenshot({ path: join(SHOTS, 'page-default.png'), fullPage: true });
    await shootPanels(page);

    // Hovering feature 1 highlights it everywhere and shows its exact values.
    const arrow = svg.locator('.feature-arrow[data-feature="0"] .hit-area');
    const box = (await arrow.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * (box.y < 0 ? 0.3 : 0.7));
    await arrow.hover({ force: true });
    await page.locator('.tooltip').waitFor({ timeout: 5000 });
    await expect(page.locator('.tooltip').innerText()).resolves.toMatch(/Feature 1[\s\S]*‖Wᵢ‖\s+1\.\d{4}/);
    await expect(page.locator('[data-panel=norms] .row-highlight').count()).resolves.toBe(1);
    await expect(page.locator('[data-panel=gram] .heatmap-highlight').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SHOTS, 'page-hover.png') });

    expect(problems).toEqual([]);
    await page.close();
  });

  it('moving the sparsity slider to dense retrains and leaves two dominant features', async () => {
    const { page, problems } = await openLab(h);
    await waitForStep(page, 50);
    const slider = page.locator('[data-field=sparsity] input[type=range]').first();
    await slider.focus();
    await page.keyboard.press('Home'); // density 1 − S = 1: every feature always on
    await expect(page.locator('[data-field=sparsity] output').first().innerText()).resolves.toBe('1');
    await page.waitForFunction(() => window.__lab!.read().runConfig?.sparsity === 0, null, { timeout: 10_000 });
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('sparsity')).toBe('0'); // the run's state lives in the hash
    await page.waitForFunction(
      () => {
        const norms = window.__lab!.read().featureNorms;
        return norms.length === 5 && norms.filter((v) => v > 0.9).length === 2 && norms.filter((v) => v < 0.15).length === 3;
      },
      null,
      { timeout: 60_000, polling: 100 },
    );
    const r = await read(page);
    console.log(`dense: norms ${r.featureNorms.map((v) => v.toFixed(2)).join(', ')} at step ${r.step}; geometry "${r.geometry[0]}"`);
    // the two dominant features are the two most important ones
    expect(r.featureNorms[0]).toBeGreaterThan(0.9);
    expect(r.featureNorms[1]).toBeGreaterThan(0.9);
    await page.locator('[data-panel=norms]').screenshot({ path: join(SHOTS, 'panel-norms-dense.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('rejects an impossible typed value with the validator message and keeps the run going', async () => {
    const { page } = await openLab(h);
    await waitForStep(page, 50);
    const n = page.locator('[data-field=n] input.field-input');
    await n.fill('0');
    const error = page.locator('[data-field=n] .field-error');
    await expect(error.innerText()).resolves.toContain('n must be an integer from 1 to 512; got "0"');
    await expect(n.getAttribute('aria-invalid')).resolves.toBe('true');
    const before = (await read(page)).step;
    await waitForStep(page, before + 200);
    const r = await read(page);
    expect(r.runConfig?.n).toBe(5);
    expect(r.config.n).toBe(5);
    await page.locator('[data-field=lr] input.field-input').fill('2');
    await expect(page.locator('[data-field=lr] .field-error').innerText()).resolves.toMatch(/^lr must be a number .* got "2"/);
    await page.locator('.sidebar').screenshot({ path: join(SHOTS, 'controls-invalid.png') });
    await n.fill('6');
    await expect(error.count()).resolves.toBe(0);
    await page.waitForFunction(() => window.__lab!.read().runConfig?.n === 6, null, { timeout: 10_000 });
    await page.close();
  });

  it('pause stops the step counter; Step advances it by one', async () => {
    // a run far longer than the test, so it cannot finish (and turn Pause into "Train again") before the click
    const { page } = await openLab(h, '?steps=5000000');
    await waitForStep(page, 100);
    await page.locator('[data-action=play-pause]').click();
    await page.waitForFunction(() => !window.__lab!.read().playing, null, { timeout: 5000 });
    const paused = await readoutStep(page);
    await page.waitForTimeout(700);
    expect(await readoutStep(page)).toBe(paused);
    expect((await read(page)).step).toBe(paused);
    await page.locator('[data-action=step]').click();
    await page.waitForFunction((s) => window.__lab!.read().step === s + 1, paused, { timeout: 5000 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Space'); // the shortcut plays again
    await waitForStep(page, paused + 100);
    await page.close();
  });

  it('recovers from a killed worker and from a crashed one, with the same config', async () => {
    const { page } = await openLab(h, '?n=6&sparsity=0.9&steps=4000');
    await waitForStep(page, 100);
    const config = (await read(page)).runConfig;

    const killedAt = Date.now();
    await page.evaluate(() => window.__lab!.killWorker());
    await page.waitForFunction(() => window.__lab!.read().health === 'restarting' || window.__lab!.read().step < 100, null, { timeout: 15_000, polling: 50 });
    await page.waitForFunction(() => window.__lab!.read().health === 'running' && window.__lab!.read().step >= 100, null, { timeout: 30_000, polling: 50 });
    console.log(`killed worker: training again ${Date.now() - killedAt} ms later`);
    expect((await read(page)).runConfig).toEqual(config);
    await expect(page.locator('[data-notice=worker]').innerText()).resolves.toContain('stopped answering');

    const crashedAt = Date.now();
    await page.evaluate(() => window.__lab!.crashWorker());
    await page.waitForFunction(() => window.__lab!.read().health === 'restarting' || window.__lab!.read().step < 100, null, { timeout: 15_000, polling: 20 });
    await page.waitForFunction(() => window.__lab!.read().health === 'running' && window.__lab!.read().step >= 100, null, { timeout: 30_000, polling: 50 });
    console.log(`crashed worker: training again ${Date.now() - crashedAt} ms later`);
    expect((await read(page)).runConfig).toEqual(config);
    await expect(page.locator('[data-notice=worker]').innerText()).resolves.toContain('crash requested by the test hook');
    await page.screenshot({ path: join(SHOTS, 'page-after-crash.png') });
    await page.close();
  });

  it('draws a sparsity sweep, a rotatable 3-D view and a projection for m > 3', async () => {
    const { page, problems } = await openLab(h, '?instances=6&sparsityRange=0:0.99&steps=6000');
    await waitForDone(page);
    await expect(page.locator('[data-panel=geometry] svg[data-angle-gaps]').count()).resolves.toBe(6);
    await expect(page.locator('[data-panel=loss] path.loss-line').count()).resolves.toBe(6);
    await page.screenshot({ path: join(SHOTS, 'page-sweep.png'), fullPage: true });
    await shootPanels(page, '-sweep');

    await page.evaluate(() => window.__lab!.setConfig({ n: 6, m: 3, instances: 1, sparsityRange: null, sparsity: 0.9, importanceDecay: 1, steps: 4000 }));
    await page.waitForFunction(() => window.__lab!.read().runConfig?.m === 3, null, { timeout: 10_000 });
    await waitForDone(page);
    const view3d = page.locator('[data-panel=geometry] svg.feature-arrows-3d').first();
    const arrowEnds = () => view3d.evaluate((el) => Array.from(el.querySelectorAll('.feature-arrow line'), (l) => l.getAttribute('x2')).join());
    const lineBefore = await arrowEnds();
    await page.evaluate(() => window.scrollTo(0, 0)); // the panel screenshots scrolled the page
    const box = (await view3d.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 20, { steps: 5 });
    await page.mouse.up();
    expect(await arrowEnds()).not.toBe(lineBefore);
    await page.mouse.move(0, 0);
    await page.locator('[data-panel=geometry]').screenshot({ path: join(SHOTS, 'panel-geometry-3d.png') });

    await page.evaluate(() => window.__lab!.setConfig({ n: 20, m: 5, instances: 1, sparsity: 0.95, importanceDecay: 0.8, steps: 3000 }));
    await page.waitForFunction(() => window.__lab!.read().runConfig?.m === 5, null, { timeout: 10_000 });
    await waitForDone(page);
    await expect(page.locator('[data-panel=geometry] .panel-note').innerText()).resolves.toContain('projection');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'page-n20-m5.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
