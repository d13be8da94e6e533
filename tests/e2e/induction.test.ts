// The "Induction heads" tab in real headless Chromium against the built app (`npx vite build` first):
// the phase change happens live (numbers read from the page: a last-layer head's induction score
// crosses 0.4 and the second-copy loss falls), hovering and ablating work, screenshots of every panel
// while forming and after (tests/e2e/screenshots/induction-*.png), the link restores the tab's
// settings (Back too), an embed of one panel trains, and an invalid value shows its message.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, startHarness, type Harness } from './harness.ts';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const PANELS = ['induction-controls', 'induction-loss', 'induction-scores', 'induction-attention', 'induction-heatmap', 'induction-composition', 'induction-ablation'] as const;
const LN_V = Math.log(64);

const read = (page: Page) => page.evaluate(() => window.__induction!.read());
const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1));

async function shoot(page: Page, suffix: string): Promise<void> {
  for (const id of PANELS) await page.locator(`[data-panel=${id}]`).screenshot({ path: join(SHOTS, `induction-${id.replace('induction-', '')}-${suffix}.png`) });
}

/** Frames drawn per second over `ms`, counted in the page. */
async function fps(page: Page, ms: number): Promise<number> {
  return page.evaluate(
    (d) =>
      new Promise<number>((resolve) => {
        let frames = 0;
        const t0 = performance.now();
        const tick = () => {
          frames++;
          if (performance.now() - t0 < d) requestAnimationFrame(tick);
          else resolve((1000 * frames) / (performance.now() - t0));
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

describe('the Induction heads tab', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows the phase change live: induction crosses 0.4, the second copy falls; hover and ablation work', async () => {
    // the live lab idles (autoplay=0) so the induction worker has the machine's cores to itself
    const { page, problems } = await openLab(h, '?autoplay=0', { width: 1440, height: 1500 });
    await page.getByRole('tab', { name: 'Induction heads' }).click();
    await page.waitForFunction(() => window.__induction !== undefined, null, { timeout: 30_000 });
    await page.waitForFunction(() => window.__induction!.read().step > 0, null, { timeout: 60_000, polling: 100 });
    const early = await read(page);
    expect(early.engine).toBe('fused');
    expect(early.firstCopyLoss).toBeCloseTo(LN_V, 0);
    // while forming: pause in the middle of the cliff (watched every frame in the page), screenshots, then on again
    await page.evaluate(() => {
      const w = window as unknown as { __pausedAt?: number };
      const watch = () => {
        const r = window.__induction!.read();
        if (r.evalStep < 1300 && !r.done) return void requestAnimationFrame(watch);
        window.__induction!.controller.pause();
        w.__pausedAt = r.evalStep;
      };
      requestAnimationFrame(watch);
    });
    const frameRate = await fps(page, 1000);
    await page.waitForFunction(() => (window as unknown as { __pausedAt?: number }).__pausedAt !== undefined, null, { timeout: 180_000, polling: 50 });
    await page.waitForFunction(() => !window.__induction!.read().playing, null, { timeout: 10_000 });
    await page.mouse.move(0, 0);
    await shoot(page, 'forming');
    const forming = await read(page);
    console.log(`induction tab, paused while forming at step ${forming.step}: second copy ${forming.secondCopyLoss}, induction ${forming.maxInduction}, prev-token ${forming.maxPrevToken}`);
    await page.evaluate(() => window.__induction!.controller.play());
    await page.waitForFunction(() => (window.__induction!.read().maxInduction ?? 0) >= 0.4, null, { timeout: 180_000, polling: 50 });
    const formed = await read(page);
    console.log(`induction tab: ${Math.round(early.stepsPerSecond)} steps/s at first; induction ≥ 0.4 at step ${formed.formedAtStep}; ${frameRate.toFixed(0)} fps while training (the time to formation, without the pause, is measured by bench/induction.ts)`);
    expect(formed.formedAtStep).not.toBeNull();
    await page.waitForFunction(() => window.__induction!.read().done, null, { timeout: 180_000, polling: 100 });
    const done = await read(page);
    console.log(`induction tab done: second copy ${early.secondCopyLoss?.toFixed(3)} → ${done.secondCopyLoss?.toFixed(3)} nats, first copy ${done.firstCopyLoss?.toFixed(3)}; best induction ${done.maxInduction}, prev-token ${done.maxPrevToken}; phase change ${done.phaseChange}`);
    expect(done.secondCopyLoss!).toBeLessThan(0.5 * LN_V);
    expect(done.secondCopyLoss!).toBeLessThan(early.secondCopyLoss! - 1);
    expect(done.firstCopyLoss!).toBeGreaterThan(0.9 * LN_V);
    expect(done.maxInduction!).toBeGreaterThanOrEqual(0.4);
    expect(done.phaseChange).toBe(true);
    await expect(page.locator('[data-panel=induction-loss] svg[data-phase]').getAttribute('data-phase')).resolves.toMatch(/^\d+-\d+$/);

    // hover a query row of the second copy: the readout says where each head looks
    const pattern = page.locator('[data-panel=induction-attention] .ind-pattern').last();
    await pattern.scrollIntoViewIfNeeded();
    const box = (await pattern.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * (24.5 / 31));
    await page.waitForFunction(() => document.querySelector('[data-hover-row]')?.getAttribute('data-hover-row') === '24', null, { timeout: 5_000 });
    await expect(page.locator('.ind-hover-readout').innerText()).resolves.toMatch(/Query 24 .*second copy.*L1H\d → 10 /);
    // another sequence
    await page.locator('[data-ind-action=next-sequence]').click();
    await page.waitForFunction(() => window.__induction!.read() && document.querySelector('[data-panel=induction-attention] .panel-subtitle')?.textContent?.startsWith('eval sequence 2 '), null, { timeout: 10_000 });
    // zero the induction heads: the second copy's loss comes back
    await page.locator('[data-ind-action=zero-induction]').click();
    await page.waitForFunction(() => (window.__induction!.read().ablatedSecondCopyLoss ?? 0) > 0, null, { timeout: 10_000, polling: 50 });
    const ablated = await read(page);
    console.log(`zeroing the induction heads: second copy ${done.secondCopyLoss} → ${ablated.ablatedSecondCopyLoss?.toFixed(3)} nats`);
    expect(ablated.ablatedSecondCopyLoss!).toBeGreaterThan(done.secondCopyLoss! + 1);
    await shoot(page, 'after');
    await pattern.scrollIntoViewIfNeeded();
    const again = (await pattern.boundingBox())!;
    await page.mouse.move(again.x + again.width / 2, again.y + again.height * (24.5 / 31));
    await page.locator('[data-panel=induction-attention]').screenshot({ path: join(SHOTS, 'induction-attention-hover.png') });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'induction-page.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('restores its settings from the link, steps Back through an edit, and names an invalid value', async () => {
    const { page, problems } = await openLab(h, '?autoplay=0#view=induction&ind.layers=1&ind.repeat=fixed&ind.steps=400&ind.seed=3');
    await page.waitForFunction(() => window.__induction?.read().runConfig !== null && (window.__induction?.read().step ?? 0) > 0, null, { timeout: 60_000, polling: 100 });
    const r = await read(page);
    expect(r.runConfig).toMatchObject({ layers: 1, repeat: 'fixed', steps: 400, seed: 3 });
    await expect(page.locator('[data-ind-field=layers] input.field-input').inputValue()).resolves.toBe('1');
    await expect(page.locator('select[data-ind-field=repeat]').inputValue()).resolves.toBe('fixed');
    // one layer: no composition to show
    await page.waitForSelector('[data-panel=induction-composition] [data-composition=none]', { timeout: 30_000 });

    // an edit is a history entry; Back restores the link's setting
    await page.waitForTimeout(1100);
    await page.locator('[data-ind-field=heads] input.field-input').fill('4');
    await page.waitForFunction(() => window.__induction!.read().runConfig?.heads === 4, null, { timeout: 30_000 });
    await page.waitForFunction(() => location.hash.includes('ind.heads=4'), null, { timeout: 5_000 });
    expect(hashParams(page).get('ind.layers')).toBe('1');
    await page.goBack();
    await page.waitForFunction(() => window.__induction!.read().runConfig?.heads === 2, null, { timeout: 30_000 });
    expect((await read(page)).runConfig).toMatchObject({ layers: 1, heads: 2, repeat: 'fixed' });

    // an invalid value: its message under the field, the run untouched
    const before = (await read(page)).runConfig;
    await page.locator('[data-ind-field=heads] input.field-input').fill('3');
    await expect(page.locator('[data-ind-field=heads] .field-error').innerText()).resolves.toMatch(/heads \(3\) must divide dModel \(32\)/);
    await page.locator('[data-ind-field=layers] input.field-input').fill('5');
    await expect(page.locator('[data-ind-field=layers] .field-error').innerText()).resolves.toMatch(/layers must be an integer from 1 to 3; got "5"/);
    await page.waitForTimeout(400);
    expect((await read(page)).runConfig).toEqual(before);
    expect(hashParams(page).get('ind.heads')).toBeNull();
    await page.locator('[data-panel=induction-controls]').screenshot({ path: join(SHOTS, 'induction-invalid.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('embeds one panel with its own run controls', async () => {
    const { page, problems } = await openLab(h, '?embed=induction-attention&autoplay=0#view=induction&ind.steps=300&ind.heads=4', { width: 900, height: 760 });
    await page.waitForSelector('[data-embed=induction-attention] [data-panel=induction-attention] .ind-pattern canvas', { timeout: 60_000 });
    await page.waitForFunction(() => (window.__induction?.read().step ?? 0) > 0, null, { timeout: 60_000 });
    await expect(page.locator('.ind-pattern').count()).resolves.toBe(8);
    await expect(page.locator('[data-embed] [data-action=play-pause]').count()).resolves.toBe(1);
    await expect(page.locator('[data-field=sparsity]').count()).resolves.toBe(0);
    await page.waitForFunction(() => window.__induction!.read().done, null, { timeout: 120_000, polling: 100 });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'induction-embed-attention.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
