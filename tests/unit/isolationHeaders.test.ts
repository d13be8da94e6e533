// Cross-origin isolation (issue 17): the headers that let the SAE kernel use a second core are defined
// once (src/isolationHeaders.ts) and sent the same way by `npm start`, `vite preview` and the static
// hosts that read public/_headers. And the SAE controls' kernel readout says which path runs, in words.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { UserConfig } from 'vite';
import viteConfig from '../../vite.config';
import { ISOLATION_HEADERS } from '../../src/isolationHeaders';
import { kernelText, shortReason } from '../../src/ui/panels/sae/kernelText';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('cross-origin isolation headers', () => {
  it('are COOP same-origin, COEP require-corp and CORP cross-origin', () => {
    expect(ISOLATION_HEADERS).toEqual({
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
  });

  it('vite config sends them from the dev server and from preview', () => {
    const config = viteConfig as UserConfig;
    expect(config.server?.headers).toEqual(ISOLATION_HEADERS);
    expect(config.preview?.headers).toEqual(ISOLATION_HEADERS);
  });

  it('public/_headers gives every path the same headers (Netlify / Cloudflare Pages format)', () => {
    const lines = readFileSync(join(ROOT, 'public/_headers'), 'utf8').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    expect(lines[0]).toBe('/*');
    const headers = Object.fromEntries(lines.slice(1).map((l) => {
      expect(l).toMatch(/^\s+\S/); // indented under its path
      const at = l.indexOf(':');
      return [l.slice(0, at).trim(), l.slice(at + 1).trim()];
    }));
    expect(headers).toEqual(ISOLATION_HEADERS);
  });
});

describe('the SAE kernel readout', () => {
  it('names the build and the threads, with the reason in a few words and in full', () => {
    expect(kernelText({ build: 'relaxed-simd', threads: 2, reason: 'cross-origin isolated: a helper worker shares the work' }, 'fused')).toEqual({
      path: 'relaxed SIMD (FMA) · 2 threads', why: 'cross-origin isolated', reason: 'cross-origin isolated: a helper worker shares the work',
    });
    const notIsolated = 'the page is not cross-origin isolated (served without COOP/COEP, or embedded)';
    expect(kernelText({ build: 'simd', threads: 1, reason: notIsolated }, 'fused')).toEqual({ path: 'SIMD · 1 thread', why: 'the page is not cross-origin isolated', reason: notIsolated });
    expect(kernelText({ build: null, threads: 1, reason: 'no WebAssembly SIMD: the JavaScript pass' }, 'fused')?.path).toBe('JavaScript · 1 thread');
    expect(kernelText(null, 'tfjs')?.path).toBe('none (TF.js engine)');
    expect(kernelText(null, '')).toBeNull();
    expect(kernelText(undefined, 'fused')).toBeNull();
    expect(shortReason('products too small to share')).toBe('products too small to share');
  });
});
