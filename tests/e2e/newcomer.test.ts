// What a newcomer hits (issue 15): labels that agree with the picture, one final loss, embeds that only show controls
// acting on what they show, smaller wording and interaction fixes. Against the built app (`npx vite build` first);
// screenshots go to tests/e2e/screenshots/.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openLab, startHarness, waitForDone, waitForStep, type Harness } from './harness.ts';
import { embedFrameSize } from '../../src/state/embedCode.ts';
import { PANELS } from '../../src/ui/catalog.ts';
import { headingOrder } from './axe';

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

  it('?embed=correlated shows only the view\'s own controls: no Train again / Reset / sparsity of the hidden live lab, which does not train', async () => {
    const { page, problems } = await openLab(h, '?embed=correlated', { width: 1000, height: 820 });
    await page.waitForSelector('[data-embed=correlated] [data-panel]');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(SHOTS, 'newcomer-embed-correlated.png') });
    await expect(page.locator('.embed-controls').count()).resolves.toBe(0);
    await expect(page.locator('[data-action=reset]').count()).resolves.toBe(0);
    await expect(page.locator('[data-field=sparsity]').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /train again/i }).count()).resolves.toBeLessThanOrEqual(1);
    const lab = await page.evaluate(() => window.__lab!.read());
    expect(lab.playing).toBe(false);
    expect(lab.step).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('every panel embed fits the frame its embed code asks for (no scrolling, caption visible)', async () => {
    const sizes: string[] = [];
    for (const { id } of PANELS.filter((p) => !('view' in p))) {
      const [width, height] = embedFrameSize(id);
      const { page, problems } = await openLab(h, `?embed=${id}`, { width, height });
      console.log(`embed ${id}`);
      await waitForStep(page, 500).catch(async (e) => {
        console.log(JSON.stringify(await page.evaluate(() => window.__lab!.read())).slice(0, 400), problems);
        throw e;
      });
      await page.waitForSelector(`[data-panel=${id}] svg`);
      await page.waitForTimeout(500);
      const content = await page.evaluate(() => document.documentElement.scrollHeight);
      sizes.push(`${id}: content ${content} px in a ${width}×${height} frame`);
      if (content > height) await page.screenshot({ path: join(SHOTS, `newcomer-embed-${id}-overflow.png`), fullPage: true });
      sizes.push(problems.join('; '));
      await page.close();
    }
    console.log(sizes.join('\n'));
    for (const line of sizes.filter((l) => l.includes('content'))) {
      const [, content, height] = /content (\d+) px in a \d+×(\d+)/.exec(line)!;
      expect(Number(content), line).toBeLessThanOrEqual(Number(height));
    }
  });

  it('dragging the 3-D view rotates it without selecting its labels', async () => {
    const { page, problems } = await openLab(h, '?autoplay=0#n=6&m=3&sparsity=0.9&importanceDecay=1');
    const svg = page.locator('[data-panel=geometry] svg.feature-arrows-3d').first();
    await svg.waitFor();
    const box = (await svg.boundingBox())!;
    // start on a feature label, drag across the picture and out past its edge, as a user rotating it would
    const label = (await svg.locator('text').first().boundingBox())!;
    await page.mouse.move(label.x + 2, label.y + label.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 20, { steps: 8 });
    await page.mouse.move(box.x + box.width + 60, box.y + box.height + 80, { steps: 8 });
    await page.mouse.up();
    const selected = await page.evaluate(() => window.getSelection()?.toString() ?? '');
    await page.locator('[data-panel=geometry]').screenshot({ path: join(SHOTS, 'newcomer-3d-drag.png') });
    expect(selected).toBe('');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('headings go down one level at a time (axe heading-order) in the lab and every tab', async () => {
    const found: string[] = [];
    for (const view of ['lab', 'sae', 'sweep', 'dimensionality', 'phase', 'correlated', 'computation', 'induction', 'dynamics']) {
      const { page } = await openLab(h, `?autoplay=0#view=${view}`);
      await page.waitForSelector('[data-panel]');
      await page.waitForTimeout(800);
      for (const f of await headingOrder(page)) found.push(`${view}: ${f}`);
      await page.close();
    }
    console.log(found.join('\n'));
    expect(found).toEqual([]);
  });

  it('on a 375 px phone the sparsity slider and play sit next to the geometry (a sticky bar) and act on it', async () => {
    const { page, problems } = await openLab(h, '#n=5&m=2&sparsity=0.95&steps=3000', { width: 375, height: 740 });
    await waitForDone(page);
    const bar = page.locator('.phone-bar');
    await expect(bar.isVisible()).resolves.toBe(true);
    const slider = bar.locator('input[type=range]').first();
    const top = (await slider.boundingBox())!.y;
    expect(top).toBeLessThan(740); // on the first screen, not at y ≈ 4000 below every panel
    // scroll to the geometry's caption: the bar stays on screen above the picture
    await page.locator('[data-panel=geometry] figcaption').scrollIntoViewIfNeeded();
    const barBox = (await bar.boundingBox())!;
    expect(barBox.y).toBeGreaterThanOrEqual(-1);
    expect(barBox.y + barBox.height).toBeLessThanOrEqual(740);
    await page.screenshot({ path: join(SHOTS, 'newcomer-phone-375.png') });
    // dragging it retrains the model shown below
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => window.__lab!.read().runConfig?.sparsity !== 0.95, null, { timeout: 10_000 });
    // nothing wider than the screen
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('presentation mode at 1280×720 and 1920×1080: no readout item runs into another, the sidebar keeps its inputs', async () => {
    for (const [width, height] of [[1280, 720], [1920, 1080]]) {
      const { page, problems } = await openLab(h, '?present=1#n=5&m=2&sparsity=0.95&steps=3000', { width, height });
      await waitForDone(page);
      const found = await page.evaluate(() => {
        const bad: string[] = [];
        const boxes = [...document.querySelectorAll('.readout dt, .readout dd')].map((e) => ({ e, r: e.getBoundingClientRect() }));
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i].r, b = boxes[j].r;
            if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) bad.push(`"${boxes[i].e.textContent}" overlaps "${boxes[j].e.textContent}"`);
          }
        }
        for (const { e, r } of boxes) if (r.right > window.innerWidth) bad.push(`"${e.textContent}" is cut off at the right edge`);
        const sb = document.querySelector('.sidebar')!.getBoundingClientRect();
        for (const el of document.querySelectorAll('.sidebar input, .sidebar select, .sidebar button')) {
          const r = el.getBoundingClientRect();
          if (r.width && r.right > sb.right + 0.5) bad.push(`${el.tagName} ${el.getAttribute('name') ?? el.className} spills out of the sidebar by ${Math.round(r.right - sb.right)} px`);
        }
        return bad;
      });
      await page.screenshot({ path: join(SHOTS, `newcomer-present-${width}x${height}.png`) });
      expect(found, `${width}×${height}`).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('SVG export draws the WᵀW heatmap as vector cells, not an embedded raster image', async () => {
    const { page, problems } = await openLab(h, '#n=5&m=2&sparsity=0.95&steps=2000');
    await waitForDone(page);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.locator('[data-panel=gram] [data-export=svg]').click()]);
    const svg = readFileSync((await download.path())!, 'utf8');
    expect(svg).not.toContain('<image');
    const cells = svg.match(/<g class="heatmap-cells">(.*?)<\/g>/)?.[1] ?? '';
    const rects = cells.match(/<rect /g)?.length ?? 0;
    console.log(`gram SVG: ${rects} cell rectangles for 25 cells, ${svg.length} bytes`);
    expect(rects).toBeGreaterThanOrEqual(5);
    expect(rects).toBeLessThanOrEqual(25);
    expect(problems).toEqual([]);
    await page.close();
  });
});
