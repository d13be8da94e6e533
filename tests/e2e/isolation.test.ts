// Cross-origin isolation and the second core (issue 17, item 2), against the built app (`npx vite build`
// first). `vite preview` sends the COOP/COEP headers (vite.config.ts, src/isolationHeaders.ts): the page is
// cross-origin isolated, and an SAE whose batch × d × L reaches SAE_THREADS_FROM runs its kernel on two
// threads (a helper worker, kernelHelper.worker.ts, started by the SAE worker). A plain static server
// without the headers serves the same dist/: one thread, the reason on screen, and the same numbers to the bit.

import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS } from '../../src/isolationHeaders.ts';
import { openLab, serveStatic, startHarness, type Harness } from './harness.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(HERE, '../../dist');
const SHOTS = join(HERE, 'screenshots');

// the octahedron's activations (d = 3) into 128 latents, batches of 1024: 1024 × 3 × 128 = 393 216 ≥ SAE_THREADS_FROM
const BIG_SAE = '#view=sae&sae.base=three-d&sae.dictSize=128&sae.saeBatch=1024&sae.saeInstances=2&sae.saeSteps=600&sae.resample=false';

type Read = ReturnType<NonNullable<Window['__sae']>['read']>;

/** Open the SAE tab with the big SAE, wait for its kernel path and for the run to finish. */
async function trainBigSae(h: Harness): Promise<{ page: Page; problems: string[]; first: Read; done: Read }> {
  const { page, problems } = await openLab(h, BIG_SAE);
  await page.waitForFunction(() => window.__sae?.read().kernel != null, null, { timeout: 60_000, polling: 100 });
  const first = await page.evaluate(() => window.__sae!.read());
  await page.waitForFunction(() => window.__sae!.read().done, null, { timeout: 120_000, polling: 200 });
  const done = await page.evaluate(() => window.__sae!.read());
  return { page, problems, first, done };
}

const kernelRow = (page: Page) => page.locator('[data-panel=sae-controls] .sae-kernel');

describe('cross-origin isolation: the SAE kernel on two threads', () => {
  let h: Harness;
  let plain: { server: Server; origin: string };
  let isolatedRun: Read | null = null;
  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('no dist/ (run `npx vite build` first)');
    h = await startHarness();
    plain = await serveStatic(DIST);
  });
  afterAll(async () => {
    await h?.close();
    await new Promise<void>((ok) => (plain ? plain.server.close(() => ok()) : ok()));
  });

  it('vite preview sends COOP/COEP/CORP: the page is isolated and a large SAE says 2 threads', async () => {
    const response = await fetch(h.url);
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) expect(response.headers.get(name)).toBe(value);
    const { page, problems, first, done } = await trainBigSae(h);
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);
    expect(first.kernel).toMatchObject({ threads: 2, reason: 'cross-origin isolated: a helper worker shares the work' });
    expect(['relaxed-simd', 'simd']).toContain(first.kernel!.build);
    const row = kernelRow(page);
    await expect(row.getAttribute('data-sae-kernel-threads')).resolves.toBe('2');
    await expect(row.locator('dd').innerText()).resolves.toMatch(/SIMD.* · 2 threads\s+cross-origin isolated/);
    // the helper is a worker of its own (started by the SAE worker)
    const workers = page.workers().map((w) => w.url());
    console.log(`isolated: kernel ${first.kernel!.build} · ${first.kernel!.threads} threads; workers ${workers.map((u) => u.split('/').at(-1)).join(', ')}`);
    expect(workers.some((u) => /\/kernelHelper\.worker-[\w-]+\.js$/.test(u))).toBe(true);
    expect(done.step).toBe(600);
    expect(done.mmcs.every(Number.isFinite)).toBe(true);
    isolatedRun = done;
    await page.mouse.move(0, 0);
    await page.locator('[data-panel=sae-controls]').screenshot({ path: join(SHOTS, 'isolation-sae-controls-2-threads.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a plain static server (no headers): not isolated, 1 thread with the reason on screen, the same numbers to the bit', async () => {
    const { page, problems, first, done } = await trainBigSae({ ...h, url: `${plain.origin}/`, close: async () => {} });
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(false);
    expect(first.kernel).toMatchObject({ threads: 1, reason: expect.stringContaining('not cross-origin isolated') });
    await expect(kernelRow(page).getAttribute('data-sae-kernel-threads')).resolves.toBe('1');
    await expect(kernelRow(page).locator('dd').innerText()).resolves.toMatch(/SIMD.* · 1 thread\s+the page is not cross-origin isolated/);
    await expect(kernelRow(page).locator('dd').getAttribute('title')).resolves.toContain('served without COOP/COEP');
    expect(page.workers().some((u) => u.url().includes('kernelHelper'))).toBe(false);
    expect(done.step).toBe(600);
    expect(isolatedRun).not.toBeNull();
    expect({ mmcs: done.mmcs, l0: done.l0, dead: done.deadFraction }).toEqual({ mmcs: isolatedRun!.mmcs, l0: isolatedRun!.l0, dead: isolatedRun!.deadFraction });
    await page.mouse.move(0, 0);
    await page.locator('[data-panel=sae-controls]').screenshot({ path: join(SHOTS, 'isolation-sae-controls-1-thread.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
