// Hosting the built app under a sub-path (issue 15, item 1): a course site or GitHub Pages serves dist/ at
// /<repo>/ or /any/sub/path/, not at /. The build must ask for its scripts, workers, wasm binaries and public
// files relative to the document. Here dist/ is copied to <tmp>/lab/ and a plain static server rooted at <tmp>
// serves it; the page must load, train with the wasm backend, and an embed must draw, with no failed request.

import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, openLab, serveStatic, waitForStep, type Harness } from './harness.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(HERE, '../../dist');
const SHOTS = join(HERE, 'screenshots');

describe('hosting under a sub-path', () => {
  let tmp = '';
  let server: Server;
  let browser: Browser;
  let h: Harness;
  let requests: string[] = [];
  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) throw new Error('no dist/ (run `npx vite build` first)');
    tmp = mkdtempSync(join(tmpdir(), 'lab-subpath-'));
    cpSync(DIST, join(tmp, 'lab'), { recursive: true });
    const s = await serveStatic(tmp);
    server = s.server;
    requests = s.requests;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    h = { url: `${s.origin}/lab/`, browser, close: async () => {} };
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('serves dist/ at /lab/: the page loads, trains with the wasm backend, no request leaves /lab/', async () => {
    const { page, problems } = await openLab(h);
    await waitForStep(page, 300);
    const r = await page.evaluate(() => window.__lab!.read());
    expect(r.backend).toBe('wasm');
    expect(r.step).toBeGreaterThanOrEqual(300);
    // a public file is fetched relative to the document too
    const status = await page.evaluate(async () => (await fetch('rome-facts-model.json')).status);
    expect(status).toBe(200);
    await page.screenshot({ path: join(SHOTS, 'hosting-subpath.png') });
    expect(problems).toEqual([]);
    const outside = requests.filter((p) => !p.startsWith('/lab/'));
    expect(outside).toEqual([]);
    await page.close();
  });

  it('without the COOP/COEP headers the page is not isolated: a large SAE runs on 1 thread, says why, and trains', async () => {
    // 1024 × 3 × 128 ≥ SAE_THREADS_FROM: two threads where the page is isolated (tests/e2e/isolation.test.ts)
    const { page, problems } = await openLab(h, '#view=sae&sae.base=three-d&sae.dictSize=128&sae.saeBatch=1024&sae.saeInstances=2&sae.saeSteps=300');
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(false);
    await page.waitForFunction(() => window.__sae?.read().kernel != null && window.__sae.read().step > 0, null, { timeout: 60_000, polling: 100 });
    const kernel = await page.evaluate(() => window.__sae!.read().kernel);
    expect(kernel).toMatchObject({ threads: 1, reason: 'the page is not cross-origin isolated (served without COOP/COEP, or embedded)' });
    await expect(page.locator('[data-panel=sae-controls] .sae-kernel dd').innerText()).resolves.toMatch(/· 1 thread\s+the page is not cross-origin isolated/);
    await page.waitForFunction(() => window.__sae!.read().done, null, { timeout: 90_000, polling: 200 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an embed under /lab/ draws its panel', async () => {
    const { page, problems } = await openLab(h, '?embed=geometry', { width: 640, height: 560 });
    await waitForStep(page, 100);
    await expect(page.locator('[data-panel=geometry] svg').first().isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
