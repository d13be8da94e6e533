// Every tab from its address, in real headless Chromium against the built app (`npx vite build`
// first): the SAE tab opens with the settings its link names, Back and Forward step through its
// edits, an embed of it is configured from its URL, and bad page parameters in the query get notices.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, startHarness, waitForStep, type Harness } from './harness.ts';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1));
const fieldValue = (target: Page | Frame, key: string) => target.locator(`[data-sae-field=${key}] input.field-input`).inputValue();

/** the SAE is training with λ = l1 in every instance (so the worker got the link's settings) */
async function waitForSaeL1(target: Page | Frame, l1: number): Promise<void> {
  await target.waitForFunction(
    (x) => {
      const r = window.__sae?.read();
      return !!r && r.phase === 'sae' && r.step > 0 && r.l1.length > 0 && r.l1.every((v) => Math.abs(v - x) < 1e-6);
    },
    l1,
    { timeout: 90_000, polling: 100 },
  );
}

describe('every tab from its address', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('opens the SAE tab with the settings its link names, and Back / Forward step through its edits', async () => {
    const { page, problems } = await openLab(h, '#view=sae&sae.l1=0.5&sae.dictSize=8&sae.saeInstances=2&sae.saeSteps=4000&sae.resample=false');
    await waitForSaeL1(page, 0.5);
    await expect(page.getByRole('tab', { name: 'Sparse autoencoder' }).getAttribute('aria-selected')).resolves.toBe('true');
    expect(await fieldValue(page, 'l1')).toBe('0.5');
    expect(await fieldValue(page, 'dictSize')).toBe('8');
    expect(await fieldValue(page, 'saeSteps')).toBe('4000');
    expect(await page.locator('[data-sae-control=resample]').isChecked()).toBe(false);
    const r = await page.evaluate(() => window.__sae!.read());
    expect(r.l1).toEqual([0.5, 0.5]);
    expect(r.totalSteps).toBe(4000);
    // the dictionary has the link's size (the pentagon base would pick 5)
    await page.waitForSelector('[data-panel=sae-directions] svg.sae-directions .sae-latent', { timeout: 30_000 });
    await expect(page.locator('[data-panel=sae-directions] svg.sae-directions').first().locator('.sae-latent').count()).resolves.toBe(8);
    // the address keeps them (cleaned up, in the field table's order)
    expect(hashParams(page).get('view')).toBe('sae');
    expect(hashParams(page).get('sae.l1')).toBe('0.5');
    expect(hashParams(page).get('sae.dictSize')).toBe('8');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'location-sae-from-link.png') });

    // an edit is a history entry; Back restores the link's λ, Forward the edit
    await page.waitForTimeout(1100);
    await page.locator('[data-sae-field=l1] input.field-input').fill('0.05');
    await waitForSaeL1(page, 0.05);
    expect(hashParams(page).get('sae.l1')).toBe('0.05');
    await page.goBack();
    await waitForSaeL1(page, 0.5);
    expect(hashParams(page).get('sae.l1')).toBe('0.5');
    expect(await fieldValue(page, 'dictSize')).toBe('8');
    await page.goForward();
    await waitForSaeL1(page, 0.05);

    // the same address in a fresh page opens the same SAE
    const again = await openLab(h, new URL(page.url()).hash);
    await waitForSaeL1(again.page, 0.05);
    expect(await fieldValue(again.page, 'dictSize')).toBe('8');
    await again.page.close();

    // a link pasted into the address bar applies at once, the SAE's settings with it
    await page.evaluate(() => (window.location.hash = '#view=sae&sae.l1=0.3&sae.saeInstances=2'));
    await waitForSaeL1(page, 0.3);
    expect(await fieldValue(page, 'dictSize')).toBe('5'); // absent from the link: the default
    expect([...problems, ...again.problems]).toEqual([]);
    await page.close();
  });

  it('names bad SAE settings in a notice and keeps the good ones', async () => {
    const { page, problems } = await openLab(h, '#view=sae&sae.l1=-3&sae.dictSize=6&sae.base=<img src=x onerror=alert(1)>&sae.saeSteps=3000');
    await waitForSaeL1(page, 0.2);
    const text = (await page.locator('.notices .notice').allInnerTexts()).join('\n');
    expect(text).toContain('In the link: sae.l1 must be a number from 0 to 1000; got "-3"; used the default sae.l1 = 0.2.');
    expect(text).toContain('sae.base must be one of pentagon, hexagon, three-d, lab, file; got "<img src=x onerror=alert(1)>"');
    expect(await fieldValue(page, 'dictSize')).toBe('6');
    expect(await page.locator('[data-sae-control=base]').inputValue()).toBe('pentagon');
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(hashParams(page).get('sae.l1')).toBeNull(); // the cleaned link is written back
    expect(problems).toEqual([]);
    await page.close();
  });

  it('embeds the SAE tab configured from its URL', async () => {
    const src = `${h.url}?embed=sae&hide=open#view=sae&sae.l1=0.1&sae.dictSize=7&sae.saeInstances=2&sae.saeSteps=3000`;
    const host = await h.browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const problems: string[] = [];
    host.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    await host.route('**/sae-course.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><head><title>Lecture 9</title></head><body><h1>Lecture 9: sparse autoencoders</h1>
<iframe id="sae" src="${src.replace(/&/g, '&amp;')}" title="SAE" width="1100" height="900" style="border:0"></iframe></body></html>`,
      }),
    );
    await host.goto(`${h.url}sae-course.html`);
    const frame = host.frame({ url: /embed=sae/ })!;
    await waitForSaeL1(frame, 0.1);
    for (const sel of ['.app-header', '.sidebar', '.view-tabs', '.embed-open']) await expect(frame.locator(sel).count()).resolves.toBe(0);
    expect(await fieldValue(frame, 'l1')).toBe('0.1');
    expect(await fieldValue(frame, 'dictSize')).toBe('7');
    expect((await frame.evaluate(() => window.__sae!.read())).totalSteps).toBe(3000);
    await frame.waitForSelector('[data-panel=sae-directions] svg.sae-directions .sae-latent', { timeout: 30_000 });
    await expect(frame.locator('[data-panel=sae-directions] svg.sae-directions').first().locator('.sae-latent').count()).resolves.toBe(7);
    await host.waitForTimeout(1000);
    await host.screenshot({ path: join(SHOTS, 'location-sae-embed.png') });
    expect(problems).toEqual([]);
    await host.close();
  });

  it('names bad page parameters in the query, runs with the defaults and injects nothing', async () => {
    const dialogs: string[] = [];
    const { page, problems } = await openLab(h, '?backend=<script>window.__pwned=1</script>&engine=javascript:alert(1)&autoplay=<b>x</b>#n=5&m=2&steps=2000');
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await waitForStep(page, 1);
    const text = (await page.locator('.notices .notice').allInnerTexts()).join('\n');
    expect(text).toContain('In the address bar: backend must be one of wasm, cpu, webgl; got "<script>window.__pwned=1</script>"; used the default backend = none.');
    expect(text).toContain('In the address bar: engine must be one of auto, tfjs, fused; got "javascript:alert(1)"; used the default engine = auto.');
    expect(text).toMatch(/In the address bar: autoplay must be true or false .*got "<b>x<\/b>"; used the default autoplay = true\./);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).toBeNull();
    expect(dialogs).toEqual([]);
    await page.locator('.notices').screenshot({ path: join(SHOTS, 'location-bad-query.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
