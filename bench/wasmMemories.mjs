// Issue 16 item 8: how many WebAssembly memories a Chromium worker can hold, and how garbage in
// other workers (not yet collected) eats into that. `node bench/wasmMemories.mjs` (Debian's chromium).
// Measured 2026-12-02: a worker holding live one-page memories failed at the 124th; five workers that
// had each made and dropped 30 left a sixth able to make 3 ("WebAssembly.Instance(): Out of memory").
import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'] });
const page = await browser.newPage();
const code = `
const bytes = new Uint8Array([0,97,115,109,1,0,0,0, 5,3,1,0,1, 7,10,1,6,109,101,109,111,114,121,2,0]);
const mod = new WebAssembly.Module(bytes);
function run(hold, N) {
  const keep = self.keep ??= [];
  let i = 0;
  try { for (; i < N; i++) { const inst = new WebAssembly.Instance(mod, {}); if (hold) keep.push(inst); } return 'ok ' + i; }
  catch (e) { return 'failed at ' + i + ': ' + e.message; }
}
onmessage = (e) => postMessage(run(e.data[0], e.data[1]));
`;
const held = await page.evaluate(async (code) => {
  const w = new Worker(URL.createObjectURL(new Blob([code])));
  return new Promise((res) => { w.onmessage = (e) => { w.terminate(); res(e.data); }; w.postMessage([true, 1000]); });
}, code);
console.log('one worker holding live memories: ' + held);
const r = await page.evaluate(async (code) => {
  const url = URL.createObjectURL(new Blob([code]));
  const ask = (w, hold, N) => new Promise((res) => { w.onmessage = (e) => res(e.data); w.postMessage([hold, N]); });
  const out = [];
  // five workers (a tab storm: lab, view, SAE, induction workers), each having made and dropped 30 trainers' instances
  const idle = [];
  for (let k = 0; k < 5; k++) { const w = new Worker(url); idle.push(w); out.push('worker ' + k + ' makes 30 and drops them: ' + await ask(w, false, 30)); }
  const w = new Worker(url);
  out.push('a sixth worker then holds live ones: ' + await ask(w, true, 200));
  return out;
}, code);
console.log(r.join('\n'));
await browser.close();
