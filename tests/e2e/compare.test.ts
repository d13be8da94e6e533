// The "A/B compare" tab in real headless Chromium against the built app (`npx vite build` first): train the
// pentagon in the lab, pin it as A, change B's sparsity, train B with the same seed; the verdict, both
// geometries, the WᵀW difference, the per-feature deltas and both losses are shown; the link reopens the pair,
// retrains both and gives the same verdict; Back returns to the previous B; a bad B value gets the toy validator's
// message; axe clean; fits 1280×720 and a 375 px phone. Screenshots in tests/e2e/screenshots/compare-*.png.

import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, startHarness, waitForDone, type Harness } from './harness.ts';
import { axeViolations } from './axe';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const PANELS = ['compare-controls', 'compare-geometry', 'compare-gram', 'compare-features', 'compare-loss'] as const;
const read = (page: Page) => page.evaluate(() => window.__compare!.read());
const waitBothDone = (page: Page) => page.waitForFunction(() => window.__compare?.read().verdict != null, null, { timeout: 120_000, polling: 100 });

/** The page is no wider than the window (nothing scrolls sideways). */
const overflowX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('the A/B compare tab', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('pins the lab\'s pentagon as A, trains B at S = 0.9 with the same seed, shows the verdict and the panels; the link gives the same verdict', async () => {
    const { page, problems } = await openLab(h, '', { width: 1280, height: 720 });
    await waitForDone(page);
    await page.locator('.pin-bar').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'compare-lab-pin.png') });
    await page.locator('[data-action=pin-a]').click();
    await page.waitForFunction(() => window.__compare?.read().pinned === true, null, { timeout: 10_000 });
    let r = await read(page);
    expect(r.aSource).toBe('lab');
    expect(r.aDone).toBe(true);
    expect(r.training).toBeNull(); // B = A: nothing to train yet
    expect(await page.getByRole('tab', { name: 'A/B compare' }).getAttribute('aria-selected')).toBe('true');

    // a bad value: the toy validator's message, nothing trains
    await page.locator('[data-compare-field=sparsity] input.field-input').fill('1.5');
    await expect(page.locator('[data-compare-field=sparsity] .field-error').innerText()).resolves.toMatch(/^sparsity must be a number at least 0 and below 1; got "1\.5"/);
    expect((await read(page)).pair!.b.sparsity).toBe(0.95);

    await page.locator('[data-compare-field=sparsity] input.field-input').fill('0.9');
    await page.waitForFunction(() => window.__compare!.read().training === 'b', null, { timeout: 10_000 });
    await waitBothDone(page);
    r = await read(page);
    console.log(`compare (seed 1): A ${r.geometryA}, B ${r.geometryB}: ${r.verdict}`);
    expect(r.pair!.b).toEqual({ ...r.pair!.a, sparsity: 0.9 });
    expect(r.geometryA).toBe('pentagon');
    expect(r.verdict).toContain('feature 5 left the pentagon and got dropped');
    await expect(page.locator('[data-compare-verdict]').getAttribute('data-compare-verdict')).resolves.toBe(r.verdict);
    await expect(page.locator('[data-compare-geometry=a]').innerText()).resolves.toBe('pentagon');
    await expect(page.locator('[data-compare-geometry=b]').innerText()).resolves.toBe(r.geometryB);
    await expect(page.locator('[data-panel=compare-features] tbody tr').count()).resolves.toBe(5);
    await expect(page.locator('[data-panel=compare-features] tr[data-compare-feature="4"]').getAttribute('class')).resolves.toBe('compare-changed');
    await expect(page.locator('[data-panel=compare-gram] canvas').count()).resolves.toBe(3);
    await expect(page.locator('[data-panel=compare-loss] path[data-compare-loss]').count()).resolves.toBe(2);

    // the JSON export is the CLI's record, with the same verdict
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action=compare-export]').click()]);
    const record = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(record).toMatchObject({ version: 1, kind: 'compare', instance: 0, changed: ['sparsity 0.95 → 0.9'], verdict: r.verdict });
    expect(record.a.config.seed).toBe(record.b.config.seed);

    // every panel through the existing SVG and PNG export
    for (const id of PANELS) {
      const [svg] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-panel=${id}] [data-export=svg]`).click()]);
      expect(svg.suggestedFilename()).toMatch(/\.svg$/);
      const text = await readFile((await svg.path())!, 'utf8');
      const parsed = await page.evaluate((t) => {
        const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
        return { error: doc.querySelector('parsererror')?.textContent ?? null, rects: doc.querySelectorAll('rect').length, title: doc.querySelector('title')?.textContent };
      }, text);
      expect(parsed.error).toBeNull();
      expect(parsed.title).toBe(await page.locator(`[data-panel=${id}] h2`).innerText());
      if (id === 'compare-gram') expect(parsed.rects).toBeGreaterThan(2 * 25); // the heatmaps' cells as vector rectangles (not one image)
      const [png] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-panel=${id}] [data-export=png]`).click()]);
      expect(png.suggestedFilename()).toMatch(/\.png$/);
    }
    await page.mouse.move(0, 0);
    for (const id of PANELS) await page.locator(`[data-panel=${id}]`).screenshot({ path: join(SHOTS, `${id}.png`) });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'compare-1280x720.png') });
    expect(await overflowX(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);

    // the phone: everything in one column, nothing sideways
    await page.setViewportSize({ width: 375, height: 800 });
    await page.waitForTimeout(300);
    expect(await overflowX(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'compare-phone.png'), fullPage: true });

    // the link: both trained again with the seed, the same verdict
    const hash = new URL(page.url()).hash;
    expect(hash).toContain('ab.pinned=true');
    expect(hash).toContain('ab.b.sparsity=0.9');
    const again = await openLab(h, `?autoplay=0${hash}`, { width: 1280, height: 720 });
    await waitBothDone(again.page);
    const r2 = await read(again.page);
    expect(r2.aSource).toBe('trained');
    expect(r2.verdict).toBe(r.verdict);
    expect(again.problems).toEqual([]);
    await again.page.close();

    // Back returns to the previous B (a second change, then Back)
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(1100); // a new history entry, not the same burst
    await page.locator('[data-compare-field=importanceDecay] input.field-input').fill('0.8');
    await page.waitForFunction(() => window.location.hash.includes('ab.b.importanceDecay=0.8'), null, { timeout: 10_000 });
    await page.goBack();
    await page.waitForFunction(() => window.__compare!.read().pair?.b.importanceDecay === 0.9, null, { timeout: 10_000 });
    await waitBothDone(page);
    expect((await read(page)).verdict).toBe(r.verdict);
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);

  it('an embedded compare panel trains its pair from the link and shows the verdict', async () => {
    const { page, problems } = await openLab(h, '?embed=compare-geometry#view=compare&ab.pinned=true&ab.a.sparsity=0.9&ab.a.steps=3000&ab.b.sparsity=0', { width: 700, height: 560 });
    await waitBothDone(page);
    const r = await read(page);
    expect(r.geometryB).toBe('2 dedicated dimensions');
    await expect(page.locator('[data-compare-verdict-caption]').innerText()).resolves.toContain(r.verdict!);
    await page.screenshot({ path: join(SHOTS, 'compare-embed.png') });
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('B with m = 3: drawn in 3-D beside A\'s plane, turned with the keyboard', async () => {
    const { page, problems } = await openLab(h, '?autoplay=0#view=compare&ab.pinned=true&ab.a.n=4&ab.a.steps=3000&ab.b.m=3', { width: 1280, height: 720 });
    await waitBothDone(page);
    const r = await read(page);
    console.log(`compare n=4, m=2 → m=3 (seed 1, 3000 steps): A ${r.geometryA}, B ${r.geometryB}: ${r.verdict}`);
    expect(r.pair!.b.m).toBe(3);
    const b = page.locator('[data-compare-side=b] svg');
    await expect(b.getAttribute('role')).resolves.toBe('img');
    await b.focus();
    await page.keyboard.press('ArrowRight');
    await page.locator('[data-panel=compare-geometry]').screenshot({ path: join(SHOTS, 'compare-geometry-3d.png') });
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
