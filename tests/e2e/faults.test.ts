// Every kind of worker (the live lab's, the paper's views', the SAE's, the induction tab's, the locate & edit tab's,
// the monitor tab's, the A/B compare tab's) closes itself (self.close()), hangs (an endless loop) and throws, and the lab's is also killed
// from outside (terminate), one after the other, in real headless Chromium against the built app (`npx vite build` first). After each, the
// client must notice (an error at once, silence within a few seconds of heartbeat), start a new
// worker with the same settings, and training must go on.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, startHarness, waitForStep, type Harness } from './harness.ts';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const FAULTS = ['terminate', 'close', 'hang', 'throw'] as const;
/**
 * Every other kind: dies silently (self.close()), hangs, throws. Killing it from the page is the same silence to the
 * heartbeat as self.close(), so the lab's worker alone takes all four; three crashes stay under the cap and need no
 * 30 s wait, which keeps this suite about two minutes shorter.
 */
const SILENT_HANG_THROW: readonly Fault[] = ['close', 'hang', 'throw'];
/** the client's defaults (src/worker/client.ts): more than 3 crashes within 30 s and it stops restarting */
const CRASH_CAP = 3;
const CRASH_WINDOW_MS = 30_000;
type Fault = (typeof FAULTS)[number];
type Kind = 'lab' | 'view' | 'sae' | 'induction' | 'locate' | 'monitor' | 'compare' | 'grid';

/** The progress each kind shows: the step of its run in progress (a restarted run starts again from 0). */
const PROGRESS: Record<Kind, string> = {
  lab: 'window.__lab.read().step',
  view: "window.__views.read('dynamics').runs[0].passes[0].step",
  // the base model trains first (phase 'base'), then the SAE: phase and step in one number
  sae: "(window.__sae.read().phase === 'sae' ? 1e9 : 0) + window.__sae.read().step",
  induction: 'window.__induction.read().step',
  // no training to follow: 1 when the model is loaded, 2 when the fact is traced (a restart loads and traces again)
  locate: '(window.__locate.read().source ? 1 : 0) + (window.__locate.read().traceFactId !== null ? 1 : 0)',
  // the toy base's training steps (a run far longer than the test stays in that phase)
  monitor: 'window.__monitor.read().step',
  // the side in training (A, from a link with a long run)
  compare: 'window.__compare.read().step',
  // steps over all the grid's trainers (a grid far longer than the test stays in its first trainer)
  grid: 'window.__grid.read().step',
};
const SAE_PHASE = 1e9;

/** Count, in the page, every time the progress goes back (a run started over): polling from Node could miss it. */
async function watchRestarts(page: Page, kind: Kind): Promise<void> {
  await page.evaluate((expr) => {
    const w = window as unknown as { __restarts: number; __lastProgress: number };
    w.__restarts = 0;
    w.__lastProgress = 0;
    const read = new Function(`return ${expr}`) as () => number;
    setInterval(() => {
      const p = read();
      if (p < w.__lastProgress) w.__restarts++;
      w.__lastProgress = p;
    }, 5);
  }, PROGRESS[kind]);
}

const restarts = (page: Page) => page.evaluate(() => (window as unknown as { __restarts: number }).__restarts);
const progress = (page: Page) => page.evaluate(() => (window as unknown as { __lastProgress: number }).__lastProgress);

async function fault(page: Page, kind: Kind, f: Fault): Promise<void> {
  await page.evaluate(
    ([k, f]) => {
      if (k === 'lab') window.__lab!.controller.fault(f);
      else if (k === 'view') window.__views!.controller.fault(f);
      else if (k === 'sae') window.__sae!.controller.fault(f);
      else if (k === 'induction') window.__induction!.controller.fault(f);
      else if (k === 'monitor') window.__monitor!.controller.fault(f);
      else if (k === 'compare') window.__compare!.controller.fault(f);
      else if (k === 'grid') window.__grid!.controller.fault(f);
      else window.__locate!.controller.fault(f);
    },
    [kind, f] as const,
  );
}

/** Break the worker every way in turn; after each, wait for the restart and for training to go past `ahead` again. */
async function breakAndRecover(page: Page, kind: Kind, ahead: number, notice: () => Promise<string>): Promise<void> {
  const faults = kind === 'lab' ? FAULTS : SILENT_HANG_THROW;
  await watchRestarts(page, kind);
  /** when each restart was seen (the client counted the crash a little before) */
  const crashTimes: number[] = [];
  for (const f of faults) {
    const before = await restarts(page);
    await page.waitForFunction((a) => (window as unknown as { __lastProgress: number }).__lastProgress >= a, ahead, { timeout: 60_000, polling: 50 });
    // the client gives up after more than CRASH_CAP crashes within CRASH_WINDOW_MS: keep under it
    const oldest = crashTimes.at(-CRASH_CAP);
    if (oldest !== undefined) await page.waitForTimeout(Math.max(0, oldest + CRASH_WINDOW_MS + 500 - Date.now()));
    const t0 = Date.now();
    await fault(page, kind, f);
    await page.waitForFunction((b) => (window as unknown as { __restarts: number }).__restarts > b, before, { timeout: 20_000, polling: 20 });
    crashTimes.push(Date.now());
    const restartedAfter = Date.now() - t0;
    await page.waitForFunction((a) => (window as unknown as { __lastProgress: number }).__lastProgress >= a, ahead, { timeout: 60_000, polling: 50 });
    console.log(`${kind} worker, ${f}: restarted after ${restartedAfter} ms, ${kind === 'locate' ? 'model loaded and fact traced again' : `training again (past step ${ahead % SAE_PHASE})`} ${Date.now() - t0} ms after the fault`);
    const text = await notice();
    expect(text).toContain(f === 'throw' ? 'crash requested by the test hook' : 'stopped answering');
  }
  expect(await restarts(page)).toBe(faults.length);
  expect(await progress(page)).toBeGreaterThan(0);
}

describe('worker faults', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    ['blocked', 'abort'],
    ['corrupt', 'garbage'],
  ] as const)('%s .wasm files: a notice says the wasm backend failed and which backend runs instead; training goes on', async (_name, how) => {
    const page = await h.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const hit: string[] = [];
    await page.route(/\.wasm(\?|$)/, (route) => {
      hit.push(route.request().url());
      return how === 'abort' ? route.abort('blockedbyclient') : route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('not a wasm module, just bytes') });
    });
    await page.goto(h.url + '?engine=tfjs');
    await page.waitForFunction(() => window.__lab !== undefined, null, { timeout: 30_000 });
    await waitForStep(page, 50);
    const notice = page.locator('[data-notice=backend]');
    await notice.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await notice.innerText();
    expect(hit.length).toBeGreaterThan(0);
    expect(text).toMatch(/TF\.js's wasm backend could not start \(.+\)\. TF\.js runs on (webgl|cpu) instead/);
    const run = await page.evaluate(() => window.__lab!.read());
    expect(run.backend).toMatch(/^(webgl|cpu)$/);
    expect(text).toContain(`runs on ${run.backend} instead`);
    console.log(`${how}: ${text}`);
    await page.screenshot({ path: join(SHOTS, `faults-wasm-${_name}.png`) });
    await page.close();
  });

  it('a tab storm (60 quick tab clicks) leaves every tab training, with no "Out of memory"', async () => {
    const { page, problems } = await openLab(h);
    await waitForStep(page, 50);
    const tabs = ['Sparse autoencoder', 'Phase diagrams', 'Induction heads', 'Correlated features', 'Live lab', 'Learning dynamics', 'Computation', 'Dimensionality'];
    for (let i = 0; i < 60; i++) {
      await page.getByRole('tab', { name: tabs[i % tabs.length] }).click();
      await page.waitForTimeout(60);
    }
    await page.getByRole('tab', { name: 'Induction heads' }).click();
    await page.waitForFunction(() => (window.__induction?.read().step ?? 0) > 20, null, { timeout: 90_000, polling: 200 });
    await page.getByRole('tab', { name: 'Sparse autoencoder' }).click();
    await page.waitForFunction(() => window.__sae?.read().phase === 'sae' && window.__sae.read().step > 0, null, { timeout: 90_000, polling: 200 });
    await page.getByRole('tab', { name: 'Live lab' }).click();
    const before = await page.evaluate(() => window.__lab!.read().step);
    // the last paper view opened keeps training after its tab is left; the lab's run goes on once it is done
    await page.waitForFunction((s) => window.__lab!.read().step > s || window.__lab!.read().done, before, { timeout: 180_000, polling: 100 });
    const notices = (await page.locator('.notice').allInnerTexts()).join(' ');
    expect(notices).not.toMatch(/Out of memory|could not start/i);
    expect(problems.filter((p) => /Out of memory|WebAssembly/i.test(p))).toEqual([]);
    await page.close();
  });

  it('the live lab recovers from each fault with the same config', async () => {
    // a run far longer than the test, so it cannot finish in between
    const { page } = await openLab(h, '?n=6&sparsity=0.9&steps=5000000');
    await waitForStep(page, 100);
    const config = (await page.evaluate(() => window.__lab!.read())).runConfig;
    await breakAndRecover(page, 'lab', 500, () => page.locator('[data-notice=worker]').innerText());
    const after = await page.evaluate(() => window.__lab!.read());
    expect(after.runConfig).toEqual(config);
    expect(after.health).toBe('running');
    expect(after.playing).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'faults-lab.png') });
    await page.close();
  });

  it('a paper view recovers from each fault and its pass carries on', async () => {
    const { page } = await openLab(h, '?autoplay=0');
    await page.locator('.view-tabs button[role=tab]').filter({ hasText: 'Learning dynamics' }).click();
    await page.waitForFunction(() => window.__views?.read('dynamics') != null, null, { timeout: 30_000 });
    // one pass far longer than the test
    await page.evaluate(() => window.__views!.controller.restart('dynamics', { steps: 5_000_000 }));
    await page.waitForFunction(() => window.__views!.read('dynamics')!.runs[0].passes[0].totalSteps === 5_000_000, null, { timeout: 10_000 });
    await breakAndRecover(page, 'view', 500, () => page.locator('.notice').allInnerTexts().then((t) => t.join(' ')));
    const pass = (await page.evaluate(() => window.__views!.read('dynamics')))!.runs[0].passes[0];
    expect(pass.status).toBe('training');
    expect(pass.totalSteps).toBe(5_000_000);
    await page.screenshot({ path: join(SHOTS, 'faults-view.png') });
    await page.close();
  });

  it('the SAE recovers from each fault with the same settings, by heartbeat when the worker dies silently', async () => {
    const { page } = await openLab(h, '?autoplay=0');
    await page.getByRole('tab', { name: 'Sparse autoencoder' }).click();
    await page.waitForFunction(() => window.__sae !== undefined, null, { timeout: 30_000 });
    // an SAE run far longer than the test
    await page.evaluate(() => window.__sae!.controller.edit('saeSteps', 5_000_000));
    await page.waitForFunction(() => window.__sae!.read().totalSteps === 5_000_000, null, { timeout: 60_000 });
    const settings = await page.evaluate(() => ({ l1: window.__sae!.read().l1 }));
    await breakAndRecover(page, 'sae', SAE_PHASE + 300, () => page.locator('.notice').allInnerTexts().then((t) => t.join(' ')));
    const after = await page.evaluate(() => window.__sae!.read());
    expect(after).toMatchObject({ phase: 'sae', playing: true, health: 'running', totalSteps: 5_000_000, l1: settings.l1 });
    await page.screenshot({ path: join(SHOTS, 'faults-sae.png') });
    await page.close();
  });

  it('the induction tab recovers from each fault with the same config and keeps training', async () => {
    // a run far longer than the test, so it cannot finish in between
    const { page } = await openLab(h, '?autoplay=0#view=induction&ind.steps=1000000');
    await page.waitForFunction(() => (window.__induction?.read().step ?? 0) > 0, null, { timeout: 60_000, polling: 100 });
    const config = (await page.evaluate(() => window.__induction!.read())).runConfig;
    expect(config?.steps).toBe(1_000_000);
    await breakAndRecover(page, 'induction', 300, () => page.locator('.notice').allInnerTexts().then((t) => t.join(' ')));
    const after = await page.evaluate(() => window.__induction!.read());
    expect(after).toMatchObject({ health: 'running', playing: true, engine: 'fused', runConfig: config });
    expect(after.curvePoints).toBeGreaterThan(1);
    await page.screenshot({ path: join(SHOTS, 'faults-induction.png') });
    await page.close();
  });

  it('the Locate & edit tab recovers from each fault: the model loads again and the fact is traced again', async () => {
    const { page } = await openLab(h, '?autoplay=0#view=locate&rome.subject=9');
    await page.waitForFunction(() => window.__locate?.read().traceFactId === 36, null, { timeout: 60_000, polling: 100 });
    await breakAndRecover(page, 'locate', 2, () => page.locator('.notice').allInnerTexts().then((t) => t.join(' ')));
    const after = await page.evaluate(() => window.__locate!.read());
    expect(after).toMatchObject({ health: 'running', source: 'shipped', traceFactId: 36, settings: { subject: 9 } });
    await page.screenshot({ path: join(SHOTS, 'faults-locate.png') });
    await page.close();
  });

  it('the monitor tab recovers from each fault with the same config and keeps training its base', async () => {
    const { page } = await openLab(h, '?autoplay=0#view=monitor&mon.steps=1000000');
    await page.waitForFunction(() => (window.__monitor?.read().step ?? 0) > 0, null, { timeout: 60_000, polling: 100 });
    const config = (await page.evaluate(() => window.__monitor!.read())).runConfig;
    expect(config?.steps).toBe(1_000_000);
    await breakAndRecover(page, 'monitor', 300, () => page.locator('.notice').allInnerTexts().then((t) => t.join(' ')));
    const after = await page.evaluate(() => window.__monitor!.read());
    expect(after).toMatchObject({ health: 'running', phase: 'base', runConfig: config });
    await page.screenshot({ path: join(SHOTS, 'faults-monitor.png') });
    await page.close();
  });

  it('the A/B compare tab recovers from each fault and keeps training the same side with the same config', async () => {
    const { page } = await openLab(h, '?autoplay=0#view=compare&ab.pinned=true&ab.a.steps=1000000&ab.b.sparsity=0.9');
    await page.waitForFunction(() => (window.__compare?.read().step ?? 0) > 0, null, { timeout: 60_000, polling: 100 });
    const pair = (await page.evaluate(() => window.__compare!.read())).pair;
    expect(pair?.a.steps).toBe(1_000_000);
    await breakAndRecover(page, 'compare', 300, () => page.locator('.notice').allInnerTexts().then((t) => t.join(' ')));
    const after = await page.evaluate(() => window.__compare!.read());
    expect(after).toMatchObject({ health: 'running', training: 'a', pair });
    await page.screenshot({ path: join(SHOTS, 'faults-compare.png') });
    await page.close();
  });

  it('the grid tab recovers from each fault with the same grid and trains it again', async () => {
    const { page } = await openLab(h, '?autoplay=0#view=grid&grid.steps=1000000&grid.settle=0');
    await page.waitForFunction(() => (window.__grid?.read().step ?? 0) > 0, null, { timeout: 60_000, polling: 100 });
    const config = (await page.evaluate(() => window.__grid!.read())).runConfig;
    expect(config?.steps).toBe(1_000_000);
    await breakAndRecover(page, 'grid', 200, () => page.locator('.notice').allInnerTexts().then((t) => t.join(' ')));
    const after = await page.evaluate(() => window.__grid!.read());
    expect(after).toMatchObject({ health: 'running', runConfig: config, cells: 144 });
    await page.screenshot({ path: join(SHOTS, 'faults-grid.png') });
    await page.close();
  });
});
