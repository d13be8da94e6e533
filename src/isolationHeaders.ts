// The headers that make the page cross-origin isolated (issue 17): with them the browser allows
// SharedArrayBuffer and shared WebAssembly memory, and the SAE kernel splits its large products with
// a helper worker (the second core: engine/kernels/kernelThreads.ts). Without them everything still
// works on one thread, with the same numbers.
//
// vite.config.ts sends them from `npm start` (server.headers) and `vite preview` (preview.headers);
// public/_headers carries them to static hosts that read that file (Netlify, Cloudflare Pages);
// README.md ("Hosting") has the nginx and Apache lines. tests/unit/isolationHeaders.test.ts keeps all
// three equal to this constant.
//
// COOP same-origin + COEP require-corp isolate the page: every resource it loads must then be
// same-origin (they all are: scripts, workers, wasm, the facts model) or opt in with CORP/CORS.
// CORP cross-origin lets an isolated page of someone else's embed ours in an iframe.

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};
