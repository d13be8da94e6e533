// The "Grid" tab in real headless Chromium against the built app (`npx vite build` first): choose the axes,
// train a small grid in the tab's worker and watch its cells fill in, hover a cell for its numbers, click one to
// open its config in the live lab; a bad range is named precisely and changes nothing; axe clean.
// Screenshots in tests/e2e/screenshots/grid-*.png.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, startHarness, type Harness } from './harness.ts';
import { axeViolations } from './axe';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), click()]);
  const bytes = readFileSync((await d.path())!);
  return { name: d.suggestedFilename(), text: bytes.toString('utf8'), bytes };
}

const read = (page: Page) => page.evaluate(() => window.__grid!.read());

async function setText(page: Page, selector: string, value: string): Promise<void> {
  const input = page.locator(selector);
  await input.fill(value);
  await input.press('Enter');
}

describe('the Grid tab', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('trains a chosen grid live; hover shows a cell, a click opens it in the lab', async () => {
    // a small, quick grid from the link: 300 steps at most
    const { page, problems } = await openLab(h, '?autoplay=0#view=grid&grid.steps=600&grid.lr=0.03&grid.settle=0', { width: 1440, height: 1400 });
    await page.waitForFunction(() => window.__grid !== undefined, null, { timeout: 30_000 });
    // choose the axes: n across (whole numbers), sparsity down
    await setText(page, '[data-grid-cells]', '4x5');
    await setText(page, '[data-grid-axis=x] input', 'n:3:6');
    await setText(page, '[data-grid-axis=y] input', 'sparsity:0:0.95:log');
    await page.waitForFunction(() => { const r = window.__grid!.read(); return r.runConfig?.xSetting === 'n' && r.runConfig.cols === 4 && r.runConfig.rows === 5 && r.cells === 20; }, null, { timeout: 20_000, polling: 50 });
    // n varies across: four trainers, one per column, so the grid fills column by column
    await page.waitForFunction(() => { const r = window.__grid!.read(); return r.cellsDone > 0 && r.cellsDone < 20; }, null, { timeout: 60_000, polling: 20 });
    // pause mid-way to look: some columns done (solid), the rest faint or empty
    await page.locator('[data-grid-play]').click();
    await page.waitForFunction(() => document.querySelector('[data-grid-play]')?.textContent === 'Resume' || window.__grid!.read().done, null, { timeout: 30_000 });
    const partial = await read(page);
    console.log(`grid filling: ${partial.cellsDone} of 20 cells done, ${partial.classified} classified`);
    console.log(`paused: ${!partial.done}`);
    expect(partial.done).toBe(false);
    expect(partial.cellsDone).toBeLessThan(20);
    await expect(page.locator('[data-panel=grid-map] rect[data-status=done]').count()).resolves.toBe(partial.cellsDone);
    await page.locator('[data-panel=grid-map]').screenshot({ path: join(SHOTS, 'grid-filling.png') });
    await page.locator('[data-grid-play]').click();
    await page.waitForFunction(() => window.__grid!.read().done, null, { timeout: 120_000, polling: 100 });
    await expect(page.locator('[data-panel=grid-map] rect[data-status=done]').count()).resolves.toBe(20);
    const classes = await page.locator('[data-panel=grid-map] rect[data-class]').evaluateAll((els) => els.map((e) => e.getAttribute('data-class')));
    console.log(`grid classes: ${[...new Set(classes)].join(' | ')}`);
    expect(classes).toHaveLength(20);
    // sparse data with more features: superposition (more features represented than the 2 dimensions)
    const sparseTip = await page.locator('[data-panel=grid-map] rect[data-row="4"][data-col="3"]').getAttribute('aria-label');
    expect(Number(/represented: (\d+)/.exec(sparseTip!)![1])).toBeGreaterThan(2);

    // hover: the cell's numbers
    await page.locator('[data-panel=grid-map] rect[data-row="4"][data-col="2"]').hover();
    const tip = await page.locator('[data-grid-tooltip]').innerText();
    console.log(`hover: ${tip.replace(/\n/g, '; ')}`);
    expect(tip).toMatch(/features n = 5/);
    expect(tip).toMatch(/sparsity S = 0\.95/);
    expect(tip).toMatch(/geometry: /);
    await page.locator('[data-panel=grid-map]').screenshot({ path: join(SHOTS, 'grid-hover.png') });

    // colour by features represented: no retraining
    await page.locator('[data-grid-classify]').selectOption('represented');
    await page.waitForFunction(() => /^\d+ represented$/.test(document.querySelector('[data-panel=grid-map] rect[data-row="0"][data-col="0"]')?.getAttribute('data-class') ?? ''), null, { timeout: 5000 });
    expect((await read(page)).done).toBe(true);
    await page.locator('[data-panel=grid-controls]').screenshot({ path: join(SHOTS, 'grid-controls.png') });
    await page.locator('[data-panel=grid-map]').screenshot({ path: join(SHOTS, 'grid-map.png') });
    expect(await axeViolations(page)).toEqual([]);

    // exports: the grid as JSON (the CLI's format) and CSV, the picture as SVG and PNG
    const json = await download(page, () => page.locator('[data-grid-export=json]').click());
    const rec = JSON.parse(json.text);
    expect(rec).toMatchObject({ version: 1, kind: 'grid', x: { setting: 'n', values: [3, 4, 5, 6] }, y: { setting: 'sparsity' } });
    expect(rec.cells).toHaveLength(20);
    const csv = await download(page, () => page.locator('[data-grid-export=csv]').click());
    expect(csv.text.split('\n')[0]).toBe('row,col,n,sparsity,geometry,represented,dims_per_feature,last_feature_phase,loss,steps,theory_phase');
    expect(csv.text.trim().split('\n')).toHaveLength(21);
    const svg = await download(page, () => page.locator('[data-panel=grid-map] [data-export=svg]').click());
    expect(svg.name).toMatch(/\.svg$/);
    expect((svg.text.match(/<rect/g) ?? []).length).toBeGreaterThanOrEqual(21); // the background and the 20 cells
    writeFileSync(join(SHOTS, 'export-grid-map.svg'), svg.text);
    const png = await download(page, () => page.locator('[data-panel=grid-map] [data-export=png]').click());
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    writeFileSync(join(SHOTS, 'export-grid-map.png'), png.bytes);

    // keyboard: focus the grid, move with the arrows, Enter opens the cell in the lab
    await page.mouse.move(0, 0);
    await page.locator('[data-panel=grid-map] svg[data-grid=map]').focus();
    for (const key of ['ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowRight', 'ArrowRight']) await page.keyboard.press(key);
    await expect(page.locator('[data-grid-tooltip]').innerText()).resolves.toMatch(/features n = 5/);
    await page.keyboard.press('Enter');
    await expect(page.locator('.view-tabs [role=tab][aria-selected=true]').innerText()).resolves.toBe('Live lab');
    const lab = await page.evaluate(() => window.__lab!.read().config);
    expect(lab).toMatchObject({ n: 5, m: 2, instances: 1, steps: 600, lr: 0.03, seed: 1 });
    expect(lab.sparsity).toBeCloseTo(0.95, 6);
    await page.screenshot({ path: join(SHOTS, 'grid-opened-in-lab.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('embeds the grid map with its own controls', async () => {
    const { page, problems } = await openLab(h, '?embed=grid-map#view=grid&grid.steps=200&grid.cols=4&grid.rows=4', { width: 900, height: 800 });
    await page.waitForFunction(() => window.__grid?.read().done === true, null, { timeout: 120_000, polling: 100 });
    await expect(page.locator('[data-panel=grid-map] rect[data-status=done]').count()).resolves.toBe(16);
    await expect(page.locator('.embed-controls select').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SHOTS, 'grid-embed.png') });
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('names a bad range precisely and keeps the grid it has', async () => {
    const { page, problems } = await openLab(h, '?autoplay=0#view=grid&grid.steps=200', { width: 1440, height: 1200 });
    await page.waitForFunction(() => window.__grid?.read().runConfig != null, null, { timeout: 30_000 });
    const before = (await read(page)).config;
    await setText(page, '[data-grid-axis=x] input', 'sparsity:0.9:0.5');
    await expect(page.locator('[data-grid-axis=x] [role=alert]').innerText()).resolves.toMatch(/x sparsity: from \(0\.9\) must be below to \(0\.5\)/);
    await setText(page, '[data-grid-axis=x] input', 'lr:0:0.1:log');
    await expect(page.locator('[data-grid-axis=x] [role=alert]').innerText()).resolves.toMatch(/lr: from must be above 0/);
    await setText(page, '[data-grid-axis=y] input', 'n:2.5:6');
    await expect(page.locator('[data-grid-axis=y] [role=alert]').innerText()).resolves.toMatch(/n is a whole number/);
    await setText(page, '[data-grid-axis=y] input', 'sparsity:0:0.9');
    await expect(page.locator('[data-grid-axis=y] [role=alert]').innerText()).resolves.toMatch(/both vary sparsity/);
    await setText(page, '[data-grid-cells]', '40x2');
    await expect(page.locator('[role=alert]').filter({ hasText: 'cells must be COLSxROWS' }).count()).resolves.toBe(1);
    expect((await read(page)).config).toEqual(before);
    await page.locator('[data-panel=grid-controls]').screenshot({ path: join(SHOTS, 'grid-bad-range.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
