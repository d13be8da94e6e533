// Hosting the built app under a sub-path (issue 15, item 1): a course site or GitHub Pages serves dist/ at
// /<repo>/ or /any/sub/path/, not at /. The build must ask for its scripts, workers, wasm binaries and public
// files relative to the document. Here dist/ is copied to <tmp>/lab/ and a plain static server rooted at <tmp>
// serves it; the page must load, train with the wasm backend, and an embed must draw, with no failed request.

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, openLab, waitForStep, type Harness } from './harness.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(HERE, '../../dist');
const SHOTS = join(HERE, 'screenshots');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A static file server rooted at `root`: what any plain web host does, with no rewriting to index.html. */
function serveStatic(root: string): Promise<{ server: Server; origin: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (!addr || typeof addr === 'string') throw new Error('no port');
      ok({ server, origin: `http://127.0.0.1:${addr.port}`, requests });
    }),
  );
}

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

  it('an embed under /lab/ draws its panel', async () => {
    const { page, problems } = await openLab(h, '?embed=geometry', { width: 640, height: 560 });
    await waitForStep(page, 100);
    await expect(page.locator('[data-panel=geometry] svg').first().isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
