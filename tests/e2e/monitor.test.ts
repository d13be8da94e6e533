// The "Monitor & ablate" tab in real headless Chromium against the built app (`npx vite build` first): the
// default toy base trains in the tab's worker and the page shows the detectors, false alarms, ablations and
// steering with the engine's numbers; the live monitor streams the chosen target; the induction base separates
// repeated sequences; the link restores the settings and an invalid value is named. Screenshots of every panel
// in tests/e2e/screenshots/monitor-*.png.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, startHarness, type Harness } from './harness.ts';
import { axeViolations } from './axe';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const PANELS = ['monitor-controls', 'monitor-detectors', 'monitor-live', 'monitor-ablation', 'monitor-steering'] as const;

const read = (page: Page) => page.evaluate(() => window.__monitor!.read());

async function shoot(page: Page, suffix: string): Promise<void> {
  for (const id of PANELS) await page.locator(`[data-panel=${id}]`).screenshot({ path: join(SHOTS, `${id}${suffix}.png`) });
}

describe('the Monitor & ablate tab', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('trains the default toy base and shows detectors, false alarms, the live monitor, ablations and steering', async () => {
    const { page, problems } = await openLab(h, '?autoplay=0', { width: 1440, height: 1600 });
    await page.getByRole('tab', { name: 'Monitor & ablate' }).click();
    await page.waitForFunction(() => window.__monitor !== undefined, null, { timeout: 30_000 });
    await page.waitForFunction(() => window.__monitor!.read().phase === 'base', null, { timeout: 60_000, polling: 100 });
    await page.waitForFunction(() => window.__monitor!.read().done, null, { timeout: 400_000, polling: 250 });
    const r = await read(page);
    expect(r.features).toBe(10);
    const rows = r.table as [number, boolean, ...number[]][];
    const rep = rows.filter((row) => row[1]);
    console.log(`monitor tab (seed 1): ${rep.length} represented; per feature [AUROC n/s/p, FA n/s/p, removed n/s/d, collateral n/s/d]:\n${rows.map((row) => row.map((v) => (typeof v === 'number' ? Number(v.toFixed(3)) : v)).join(' ')).join('\n')}`);
    expect(rep.length).toBeGreaterThanOrEqual(7);
    // the page measures what the engine measures: the neuron false-alarms on a quarter or more, the SAE latent and the probe less on average
    const mean = (k: number) => rep.reduce((s, row) => s + (row[k] as number), 0) / rep.length;
    expect(mean(5)).toBeGreaterThan(0.25);
    expect(mean(6)).toBeLessThan(mean(5) / 2);
    expect(mean(7)).toBeLessThan(mean(5));
    for (const row of rep) expect(row[10]).toBeGreaterThan(0.99); // projecting the direction out removes the feature
    expect(mean(12)).toBeLessThan(mean(11) / 3); // SAE collateral vs neuron collateral
    await expect(page.locator('[data-panel=monitor-detectors] .mon-table tbody tr').count()).resolves.toBe(10);
    await expect(page.locator('[data-panel=monitor-ablation] svg[data-mon-ablation]').count()).resolves.toBe(4);
    await page.waitForSelector('[data-panel=monitor-live] svg[data-mon-stream="0"]', { timeout: 20_000 });
    await expect(page.locator('[data-panel=monitor-controls] [data-mon-mono]').innerText()).resolves.toMatch(/none monosemantic/);

    // follow another feature: the table row, the ablation bars and the live stream switch to it
    await page.locator('[data-panel=monitor-detectors] tr[data-mon-row="3"] button').click();
    await page.waitForFunction(() => window.__monitor!.read().streamTarget === 3, null, { timeout: 20_000, polling: 100 });
    await expect(page.locator('[data-panel=monitor-ablation] .panel-subtitle').innerText()).resolves.toBe('feature 3');
    await expect(page.locator('select[data-mon-field=target]').inputValue()).resolves.toBe('3');
    // freeze the stream for the screenshots
    await page.locator('[data-mon-action=stream]').click();
    await page.mouse.move(0, 0);
    await shoot(page, '');
    // from the top: a page scrolled before a full-page shot draws its sticky header mid-page
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'monitor-page.png'), fullPage: true });
    // labelled controls, readable contrast: no serious or critical axe-core violation in the tab
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 480_000);

  it('the induction base: the induction head separates repeats (AUROC ≥ 0.95), the previous-token head does not; the link restores the settings', async () => {
    const { page, problems } = await openLab(h, '?autoplay=0#view=monitor&mon.base=induction&mon.seed=1', { width: 1440, height: 1400 });
    await page.waitForFunction(() => window.__monitor?.read().config.base === 'induction', null, { timeout: 30_000 });
    await page.waitForFunction(() => window.__monitor!.read().done, null, { timeout: 240_000, polling: 250 });
    const r = await read(page);
    console.log(`monitor tab, induction base: AUROC induction ${r.inductionAuroc?.[0].toFixed(3)}, previous-token ${r.inductionAuroc?.[1].toFixed(3)}`);
    expect(r.inductionAuroc![0]).toBeGreaterThanOrEqual(0.95);
    expect(r.inductionAuroc![1]).toBeLessThan(0.7);
    await expect(page.locator('select[data-mon-field=base]').inputValue()).resolves.toBe('induction');
    await page.waitForSelector('[data-panel=monitor-live] svg[data-mon-stream]', { timeout: 20_000 });
    await page.locator('[data-mon-action=stream]').click();
    await page.mouse.move(0, 0);
    for (const id of ['monitor-detectors', 'monitor-live', 'monitor-ablation'] as const) await page.locator(`[data-panel=${id}]`).screenshot({ path: join(SHOTS, `${id}-induction.png`) });

    // an invalid value: its message under the field, the run untouched, the link unchanged
    await page.locator('select[data-mon-field=base]').selectOption('toy');
    await page.waitForFunction(() => location.hash.includes('mon.base=toy') || !location.hash.includes('mon.base'), null, { timeout: 5_000 });
    await page.locator('[data-mon-field=sparsity] input.field-input').fill('1.5');
    await expect(page.locator('[data-mon-field=sparsity] .field-error').innerText()).resolves.toMatch(/sparsity must be a number at least 0 and below 1; got "1.5"/);
    expect((await read(page)).config.sparsity).toBe(0.95);
    await page.locator('[data-panel=monitor-controls]').screenshot({ path: join(SHOTS, 'monitor-invalid.png') });
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);

  it('monitors the live lab\'s current model (the pentagon) when asked', async () => {
    const { page, problems } = await openLab(h, '#view=monitor&mon.base=lab&mon.saeLatents=5', { width: 1440, height: 1400 });
    await page.waitForFunction(() => window.__monitor !== undefined && window.__lab !== undefined, null, { timeout: 30_000 });
    // the lab trains its default model (n = 5, m = 2, S = 0.95) meanwhile; once it has one, run again to read it
    await page.waitForFunction(() => window.__lab!.read().step >= 2000, null, { timeout: 60_000, polling: 100 });
    await page.locator('[data-mon-action=reset]').click();
    await page.waitForFunction(() => window.__monitor!.read().done, null, { timeout: 120_000, polling: 250 });
    const r = await read(page);
    expect(r.config.base).toBe('lab');
    expect(r.features).toBe(5);
    await expect(page.locator('[data-mon-lab-note]').count()).resolves.toBe(1);
    await page.locator('[data-mon-action=stream]').click();
    await page.mouse.move(0, 0);
    await page.locator('[data-panel=monitor-detectors]').screenshot({ path: join(SHOTS, 'monitor-detectors-lab.png') });
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);
});
