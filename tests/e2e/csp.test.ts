// Issue 16 item 10: the built app runs under its Content-Security-Policy (src/csp.ts, a meta tag
// vite writes into index.html) with no violation: the lab, the SAE and the induction tabs train,
// TF.js's wasm backend compiles ('wasm-unsafe-eval'), and nothing is fetched from another origin.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, startHarness, waitForStep, type Harness } from './harness.ts';

const root = join(import.meta.dirname, '..', '..');

/** Violations the page reports (the event) and the console's "Refused to …" lines (workers' too). */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const lines: string[] = [];
  const note = (text: string) => {
    if (/Content Security Policy|Refused to/i.test(text)) lines.push(text);
  };
  page.on('console', (m) => note(m.text()));
  page.on('worker', (w) => w.evaluate(() => {
    self.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to: ${(e as SecurityPolicyViolationEvent).violatedDirective} ${(e as SecurityPolicyViolationEvent).blockedURI}`));
  }).catch(() => {}));
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(new URL(page.url() || 'http://127.0.0.1').origin) && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
  });
  await page.evaluate(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...lines, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...foreign.map((u) => `request to another origin: ${u}`)];
}

describe('Content-Security-Policy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is in the built page: own origin only, wasm compiles, workers from its own files only', () => {
    const html = readFileSync(join(root, 'dist', 'index.html'), 'utf8');
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
    expect(meta).not.toBeNull();
    const policy = meta![1].replace(/&#39;/g, "'");
    expect(policy).toMatch(/default-src 'self'/);
    expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(policy).toMatch(/connect-src 'self'(;|$)/);
    expect(policy).toMatch(/worker-src 'self'(;|$)/);
    expect(policy).not.toMatch(/unsafe-eval'(?<!wasm-unsafe-eval')|\*|https?:/);
  });

  it('the lab, the SAE and the induction tabs train under it with no violation', async () => {
    const { page, problems } = await openLab(h);
    const violations = await watchViolations(page);
    await waitForStep(page, 200);
    // TF.js's wasm backend started under the policy
    expect(await page.evaluate(() => window.__lab!.read().backend)).toBe('wasm');
    await page.getByRole('tab', { name: 'Sparse autoencoder' }).click();
    await page.waitForFunction(() => window.__sae !== undefined && window.__sae.read().phase === 'sae' && window.__sae.read().step > 0, null, { timeout: 90_000, polling: 200 });
    await page.getByRole('tab', { name: 'Induction heads' }).click();
    await page.waitForFunction(() => window.__induction !== undefined && window.__induction.read().step > 0, null, { timeout: 90_000, polling: 200 });
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('would report a violation (the watch works): an inline script is refused', async () => {
    const { page } = await openLab(h);
    const violations = await watchViolations(page);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
    });
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    expect((await violations()).join('\n')).toMatch(/script-src/);
    await page.close();
  });
});
