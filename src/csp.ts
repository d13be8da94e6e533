// The Content-Security-Policy of the built app (vite.config.ts writes it into index.html as a meta
// tag; the dev server, which needs inline scripts and a websocket for hot reload, goes without).
//
// The app makes no request beyond its own origin, and the policy enforces that: scripts, workers,
// the TF.js .wasm files and the shipped ROME model come from 'self'. 'wasm-unsafe-eval' lets
// WebAssembly compile (TF.js's wasm backend and the fused kernels) without allowing eval; workers
// are the app's own files only (the module workers and the kernels' helper, kernelHelper.worker.ts;
// TF.js's threaded build, which would make its workers from blobs, is turned off); inline styles are the
// style attributes React and d3 set and the <style> of exported SVGs; data: and blob: images are the
// PNG/SVG exports and the empty favicon.
//
// A meta tag cannot say who may frame the page (frame-ancestors is ignored there), so embedding
// stays open for course pages and slides; a host that wants to restrict it sends the header in
// README.md ("Security") with its own frame-ancestors.

export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval'",
  'worker-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob:",
  'font-src': "'self' data:",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'none'",
};

/** The policy as one header or meta value. */
export function cspValue(extra: Record<string, string> = {}): string {
  return Object.entries({ ...CSP_DIRECTIVES, ...extra })
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}
