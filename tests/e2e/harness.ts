// Shared e2e set-up: `vite preview` of the built app on a free port, and Debian's headless
// Chromium driven by playwright-core. Console errors of the page (and its worker) are collected.

import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { preview, type PreviewServer } from 'vite';

export const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Serve a built app (default: ./dist) with `vite preview` on a free port and start Chromium; the benches use it too. */
export async function startHarness(opts: { root?: string; outDir?: string } = {}): Promise<Harness> {
  const server: PreviewServer = await preview({
    root: opts.root,
    build: opts.outDir ? { outDir: opts.outDir } : undefined,
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL (was the app built? run `npx vite build`)');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}

export interface OpenPage {
  page: Page;
  /** console errors, page errors and failed requests seen so far */
  problems: string[];
}

export async function openLab(h: Harness, query = '', viewport = { width: 1440, height: 1000 }): Promise<OpenPage> {
  const page = await h.browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  await page.goto(h.url + query);
  await page.waitForFunction(() => window.__lab !== undefined, null, { timeout: 30_000 });
  return { page, problems };
}

/** Wait until the run has done at least `step` steps (or finished). */
export async function waitForStep(page: Page, step: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction((s) => {
    const r = window.__lab!.read();
    return r.step >= s || r.done;
  }, step, { timeout, polling: 100 });
}

export async function waitForDone(page: Page, timeout = 90_000): Promise<void> {
  await page.waitForFunction(() => window.__lab!.read().done, null, { timeout, polling: 100 });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * A static file server rooted at `root`: what any plain web host does, with no rewriting to index.html and no
 * headers beyond the content type (so no cross-origin isolation: public/_headers is just a file to it).
 */
export function serveStatic(root: string): Promise<{ server: Server; origin: string; requests: string[] }> {
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
