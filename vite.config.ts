import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { cspValue } from './src/csp.ts';
import { ISOLATION_HEADERS } from './src/isolationHeaders.ts';

/** The built page carries its Content-Security-Policy (src/csp.ts); the dev server does not (hot reload needs inline scripts). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: cspValue() }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  // Relative URLs: the same dist/ works at /, at /any/sub/path/ (GitHub Pages, a course site) and in embeds.
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  // cross-origin isolation (src/isolationHeaders.ts): shared memory, so the SAE kernel can use a second core
  server: { headers: { ...ISOLATION_HEADERS } },
  preview: { headers: { ...ISOLATION_HEADERS } },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
});
