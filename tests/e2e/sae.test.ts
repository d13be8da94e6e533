// The SAE view in real headless Chromium, against the built app (`npx vite build` first):
// the pentagon's SAE recovers the five directions (MMCS read from the page's data- attributes),
// bad settings get clear messages, too much L1 kills latents, and the Sharkey sweep fills its grid.
// Screenshots go to tests/e2e/screenshots/sae-*.png for a human to look at.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, startHarness, type Harness } from './harness.ts';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const PANELS = ['sae-controls', 'sae-directions', 'sae-cosines', 'sae-curves', 'sae-histogram', 'sae-sweep'] as const;

const readSae = (page: Page) => page.evaluate(() => window.__sae!.read());

/** MMCS of every instance, as the curves panel exposes it. */
async function pageMmcs(page: Page): Promise<number[]> {
  const attr = await page.locator('[data-panel=sae-curves] svg[data-mmcs]').getAttribute('data-mmcs');
  return JSON.parse(attr ?? '[]') as number[];
}

async function openSaeView(h: Harness, query = ''): Promise<{ page: Page; problems: string[] }> {
  const opened = await openLab(h, query);
  await opened.page.getByRole('tab', { name: 'Sparse autoencoder' }).click();
  await opened.page.waitForFunction(() => window.__sae !== undefined, null, { timeout: 30_000 });
  return opened;
}

async function shoot(page: Page, suffix: string): Promise<void> {
  await page.mouse.move(0, 0);
  for (const id of PANELS) await page.locator(`[data-panel=${id}]`).screenshot({ path: join(SHOTS, `sae-panel-${id}${suffix}.png`) });
}

describe('the SAE view', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('trains the pentagon, then SAEs whose MMCS rises above 0.95 (A7), without console errors', async () => {
    const t0 = Date.now();
    const { page, problems } = await openSaeView(h);
    await page.waitForFunction(() => window.__sae!.read().phase === 'sae' && window.__sae!.read().step > 0, null, { timeout: 60_000, polling: 100 });
    await expect(page.locator('[data-sae-base]').getAttribute('data-sae-base')).resolves.toBe('pentagon');
    await page.waitForSelector('[data-panel=sae-curves] svg[data-mmcs]', { timeout: 30_000 });
    const early = await pageMmcs(page);
    const earlyStep = (await readSae(page)).step;
    console.log(`SAE view: first snapshot at SAE step ${earlyStep}, ${Date.now() - t0} ms after opening; MMCS ${early.map((x) => x.toFixed(3)).join(' ')}`);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(SHOTS, 'sae-page-early.png'), fullPage: true });

    await page.waitForFunction(
      () => {
        const svg = document.querySelector('[data-panel=sae-curves] svg[data-mmcs]');
        const mmcs = JSON.parse(svg?.getAttribute('data-mmcs') ?? '[]') as number[];
        return mmcs.length === 8 && Math.max(...mmcs) > 0.95;
      },
      null,
      { timeout: 120_000, polling: 200 },
    );
    const recovered = await readSae(page);
    console.log(`SAE view: best MMCS > 0.95 at SAE step ${recovered.step} (${Date.now() - t0} ms; ${Math.round(recovered.stepsPerSecond)} steps/s, engine ${recovered.engine})`);
    await page.waitForFunction(() => window.__sae!.read().done, null, { timeout: 120_000, polling: 250 });
    const done = await readSae(page);
    const final = await pageMmcs(page);
    console.log(`SAE view: done (${done.step} steps) after ${Date.now() - t0} ms; MMCS ${final.map((x) => x.toFixed(3)).join(' ')}; dead ${done.deadFraction.map((x) => x.toFixed(2)).join(' ')}`);
    expect(done.step).toBe(20_000);
    expect(Math.max(...final)).toBeGreaterThan(0.95);
    expect(Math.max(...final)).toBeGreaterThan(Math.max(...early));
    expect(final.filter((x) => x > 0.95).length).toBeGreaterThanOrEqual(4);
    // the winner's heatmap: the data- attribute there agrees, and every latent of a recovering instance is drawn
    const best = final.indexOf(Math.max(...final));
    await page.locator('.sae-multiple').nth(best).click();
    await expect(page.locator('[data-panel=sae-cosines] svg[data-mmcs]').getAttribute('data-mmcs')).resolves.toBe(final[best].toFixed(4));
    await expect(page.locator('[data-panel=sae-directions] svg.sae-directions').first().locator('.sae-latent').count()).resolves.toBe(5);
    await expect(page.locator('[data-panel=sae-directions] svg.sae-directions').first().locator('.sae-truth').count()).resolves.toBe(5);
    await page.screenshot({ path: join(SHOTS, 'sae-page-done.png'), fullPage: true });
    await shoot(page, '');
    // hovering a latent highlights it in the heatmap
    await page.locator('[data-panel=sae-cosines] .sae-cos-row[data-latent="0"] rect').first().hover();
    await expect(page.locator('[data-panel=sae-cosines] .sae-cos-focus').count()).resolves.toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('rejects bad settings with the validator\'s message and keeps training; too much L1 kills latents', async () => {
    const { page, problems } = await openSaeView(h);
    await page.waitForFunction(() => window.__sae!.read().phase === 'sae', null, { timeout: 60_000 });
    const l1 = page.locator('[data-sae-field=l1] input.field-input');
    await l1.fill('-1');
    const error = page.locator('[data-sae-field=l1] .field-error');
    await expect(error.innerText()).resolves.toContain('l1 must be a number from 0 to 1000; got "-1"');
    const dict = page.locator('[data-sae-field=dictSize] input.field-input');
    await dict.fill('2.5');
    await expect(page.locator('[data-sae-field=dictSize] .field-error').innerText()).resolves.toContain('dictSize must be an integer from 1 to 16384; got "2.5"');
    await page.locator('[data-panel=sae-controls]').screenshot({ path: join(SHOTS, 'sae-panel-sae-controls-invalid.png') });
    const before = (await readSae(page)).step;
    await page.waitForFunction((s) => window.__sae!.read().step > s + 200, before, { timeout: 30_000 });

    // λ = 10 without resampling: the L1 penalty drives the pre-activations below zero for good
    await dict.fill('5');
    await page.locator('[data-sae-control=resample]').uncheck();
    await l1.fill('10');
    // (latents die after ~8000 steps at lr 1e-3: Adam moves each bias by about lr per step)
    await page.waitForFunction(() => window.__sae!.read().l1[0] === 10 && window.__sae!.read().step >= 12_000, null, { timeout: 90_000, polling: 200 });
    const dead = await readSae(page);
    console.log(`λ = 10, no resampling: at step ${dead.step} dead fraction ${dead.deadFraction.map((x) => x.toFixed(2)).join(' ')}, L0 ${dead.l0.map((x) => x.toFixed(3)).join(' ')}`);
    const meanDead = dead.deadFraction.reduce((a, b) => a + b, 0) / dead.deadFraction.length;
    expect(meanDead).toBeGreaterThan(0.5);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'sae-page-dead.png'), fullPage: true });
    for (const id of ['sae-directions', 'sae-curves', 'sae-histogram'] as const) await page.locator(`[data-panel=${id}]`).screenshot({ path: join(SHOTS, `sae-panel-${id}-dead.png`) });

    // a 3-D base model (6 features in m = 3: an octahedron), back to λ = 0.2 with resampling
    await l1.fill('0.2');
    await page.locator('[data-sae-control=resample]').check();
    await page.locator('[data-sae-control=base]').selectOption('three-d');
    // antipodal features need a latent each (signed cosines): MMCS plateaus near 0.70/0.84 until resampling
    // re-points the spare latents (steps 10 000–17 500), then reaches ≈ 0.99 (see tests/unit and the README)
    await page.waitForFunction(() => window.__sae!.read().baseGeometry === '3 antipodal pairs' && window.__sae!.read().phase === 'sae' && window.__sae!.read().done, null, { timeout: 120_000, polling: 200 });
    const threeD = await readSae(page);
    console.log(`3-D base: ${threeD.baseGeometry}, at step ${threeD.step} MMCS ${threeD.mmcs.map((x) => x.toFixed(3)).join(' ')}`);
    expect(Math.max(...threeD.mmcs)).toBeGreaterThan(0.95);
    expect(threeD.mmcs.filter((x) => x > 0.95).length).toBeGreaterThanOrEqual(4);
    await expect(page.locator('[data-panel=sae-directions] svg.sae-directions').first().locator('.sae-latent').count()).resolves.toBe(6);
    await page.mouse.move(0, 0);
    for (const id of ['sae-directions', 'sae-cosines'] as const) await page.locator(`[data-panel=${id}]`).screenshot({ path: join(SHOTS, `sae-panel-${id}-3d.png`) });

    // the live lab's own model (its default: the S = 0.95 pentagon, trained meanwhile in the lab's worker)
    await page.locator('[data-sae-control=base]').selectOption('lab');
    await page.waitForFunction(() => window.__sae!.read().baseGeometry === 'pentagon' && window.__sae!.read().phase === 'sae' && window.__sae!.read().step > 2000, null, { timeout: 90_000, polling: 200 });
    await expect(page.locator('[data-sae-base]').innerText()).resolves.toContain('n = 5, m = 2');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs the Sharkey sweep in a worker and fills the grid: D/G ≥ 1 beats D/G = 0.5', async () => {
    const t0 = Date.now();
    const { page, problems } = await openSaeView(h, '?autoplay=0');
    const set = async (name: string, value: string) => page.locator(`[data-sweep-field=${name}] input`).fill(value);
    await set('ratios', '0.5,1,2');
    await set('l1Range', '0.003:0.03');
    await set('sharkeyDim', '16');
    await set('sharkeyFeatures', '32');
    await set('sharkeyActive', '3');
    await set('saeSteps', '1500');
    await page.locator('[data-sae-action=sweep-run]').click();
    await page.waitForSelector('[data-panel=sae-sweep] svg[data-sweep-grid]', { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-panel=sae-sweep] svg[data-sweep-done="1"]') !== null, null, { timeout: 180_000, polling: 250 });
    const grid = JSON.parse((await page.locator('[data-panel=sae-sweep] svg[data-sweep-grid]').getAttribute('data-sweep-grid'))!) as number[][];
    const best = grid.map((row) => Math.max(...row));
    console.log(`sweep (d=16, G=32, 3 active, 1500 steps): best MMCS per ratio 0.5/1/2 = ${best.map((x) => x.toFixed(3)).join(' / ')} in ${Date.now() - t0} ms`);
    expect(best[1]).toBeGreaterThan(best[0] + 0.1);
    expect(best[2]).toBeGreaterThan(0.9);
    await page.mouse.move(0, 0);
    await page.locator('[data-panel=sae-sweep]').screenshot({ path: join(SHOTS, 'sae-panel-sae-sweep-done.png') });
    // a bad ratio list is refused with a message
    await set('ratios', '0.5,x');
    await page.locator('[data-sae-action=sweep-run]').click();
    await expect(page.locator('#sae-sweep-errors').innerText()).resolves.toContain('ratios must be numbers separated by commas');
    expect(problems).toEqual([]);
    await page.close();
  });
});
