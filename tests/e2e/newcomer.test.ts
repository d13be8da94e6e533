// What a newcomer hits (issue 15): labels that agree with the picture, one final loss, embeds that only show controls
// acting on what they show, smaller wording and interaction fixes. Against the built app (`npx vite build` first);
// screenshots go to tests/e2e/screenshots/.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openLab, startHarness, waitForDone, type Harness } from './harness.ts';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const geometryName = (page: Page) => page.locator('[data-panel=geometry] .geometry-name').first().innerText();

describe('issue 15: what a newcomer hits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('geometry label: "not yet settled" while training, then "2 antipodal pairs" for the seed-0 local minimum, matching its caption', async () => {
    const { page, problems } = await openLab(h, '?autoplay=0#n=5&m=2&sparsity=0.95&importanceDecay=0.9&seed=0');
    await page.waitForSelector('[data-panel=geometry] .geometry-name');
    await expect(geometryName(page)).resolves.toMatch(/^not yet settled/); // random weights at step 0
    await page.locator('[data-panel=geometry]').screenshot({ path: join(SHOTS, 'newcomer-step0-label.png') });
    await page.evaluate(() => window.__lab!.controller.play());
    await waitForDone(page);
    await expect(geometryName(page)).resolves.toBe('2 antipodal pairs');
    const caption = await page.locator('[data-panel=geometry] figcaption').innerText();
    expect(caption).toContain('Four of 5 features are represented');
    expect(caption).not.toMatch(/irregular/);
    await page.locator('[data-panel=geometry]').screenshot({ path: join(SHOTS, 'newcomer-local-minimum-label.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('one final loss: the header, the Loss panel and the exported JSON give the same number, named "final loss"', async () => {
    const { page, problems } = await openLab(h, '#n=5&m=2&sparsity=0.95&steps=3000');
    await waitForDone(page);
    await page.waitForSelector('[data-readout=loss][data-final=yes]');
    const header = await page.locator('[data-readout=loss]').innerText();
    await expect(page.locator('.readout dt[title^="final loss"]').textContent()).resolves.toBe('final loss');
    const panel = page.locator('[data-panel=loss] [data-final-loss]');
    const panelText = await panel.innerText();
    const panelValue = Number(await panel.getAttribute('data-final-loss'));
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.locator('[data-action=export-json]').click()]);
    const json = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { instances: { loss: number }[] };
    console.log(`final loss: header ${header}, Loss panel "${panelText}", JSON ${json.instances[0].loss}`);
    expect(json.instances[0].loss).toBeCloseTo(panelValue, 9);
    expect(panelText).toContain(`final loss ${header}`);
    expect(panelText).toContain('last 1 % of steps');
    await page.locator('.readout').screenshot({ path: join(SHOTS, 'newcomer-final-loss-header.png') });
    await page.locator('[data-panel=loss]').screenshot({ path: join(SHOTS, 'newcomer-final-loss-panel.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
