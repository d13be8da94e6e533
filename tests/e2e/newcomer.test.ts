// What a newcomer hits (issue 15): labels that agree with the picture, one final loss, embeds that only show controls
// acting on what they show, smaller wording and interaction fixes. Against the built app (`npx vite build` first);
// screenshots go to tests/e2e/screenshots/.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
