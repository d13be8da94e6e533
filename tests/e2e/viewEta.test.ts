// Issue 15, 2b–c in the browser: a view's tab says how long it should take, the view shows an estimate and a progress bar with the time left, keeps training
// while its tab is left (the live lab is shown meanwhile), and its timer counts training time only.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, startHarness, type Harness } from './harness.ts';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

describe('view progress', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('estimate and ETA; the view trains on while its tab is left', async () => {
    const { page, problems } = await openLab(h, '?autoplay=0');
    const tab = (name: string) => page.locator('.view-tabs button[role=tab]').filter({ hasText: name });
    // before it starts: the tab says how long it should take
    expect(await tab('Sparsity sweep').getAttribute('title')).toMatch(/\(training takes about \d+ (s|min) on this machine\)$/);
    await tab('Sparsity sweep').click();
    // the preset now trains in seconds: 20 000 steps (early stopping waits for 30 % of them) keep it training through the checks below
    await page.waitForFunction(() => window.__views?.read('sweep') != null, null, { timeout: 20_000 });
    expect(await page.evaluate(() => window.__views!.controller.restart('sweep', { steps: 20_000 }))).toEqual([]);
    await page.waitForFunction(() => (window.__views?.read('sweep')?.done ?? 0) > 0, null, { timeout: 20_000, polling: 100 });
    await expect.poll(() => page.locator('[data-view-estimate]').innerText()).toMatch(/^Whole view: about \d+ (s|min) on this machine/);
    const bar = page.locator('[data-view-head=sweep] [role=progressbar]');
    await expect.poll(async () => (await bar.getAttribute('aria-valuetext')) ?? '', { timeout: 10_000 }).toMatch(/^\d+ percent, \d+ seconds of training, about \d+ (seconds|minutes) left$/);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await page.locator('[data-view-head=sweep]').screenshot({ path: join(SHOTS, 'view-eta.png') });

    // leave the tab for 3 s: the view goes on training
    const before = await page.evaluate(() => window.__views!.read('sweep')!.done);
    await page.getByRole('tab', { name: 'Live lab' }).click();
    await page.waitForTimeout(3000);
    const away = await page.evaluate(() => window.__views!.read('sweep')!);
    expect(away.done).toBeGreaterThan(before);
    expect(away.runs[0].passes[0].status).toBe('training');

    // paused for 2 s: the timer stands still
    await tab('Sparsity sweep').click();
    await page.evaluate(() => window.__views!.controller.pause());
    await page.waitForFunction(() => window.__views!.read('sweep')!.runs.some((r) => r.passes.some((p) => p.status === 'paused')), null, { timeout: 10_000 });
    const t1 = await page.evaluate(() => window.__views!.read('sweep')!.trainingSeconds);
    await page.waitForTimeout(2000);
    const t2 = await page.evaluate(() => window.__views!.read('sweep')!.trainingSeconds);
    expect(t2 - t1).toBeLessThan(0.05);
    expect(problems).toEqual([]);
    await page.close();
  });
});
