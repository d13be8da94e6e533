// SAEs on your own activations: how long a 1 MB .npy takes from bytes on disk to the SAE's first training step
// (issue 18's goal: under a second), in Node, beside NumPy's np.load of the same file and, when PyTorch is
// installed, torch's first SAE step on it (the same SAE shape; the interpreter bench/node.ts finds) in the same run;
// with --browser, also in headless Chromium against the built app (`npx vite build` first): the tab's own figure
// from choosing the file to the first SAE snapshot. Figures
// only, never a pass/fail. Alone: node --import tsx bench/saeFile.ts [--repeats 5] [--python python3]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileSource } from '../src/engine/sae/activations.ts';
import { parseActivations } from '../src/engine/sae/activationsFile.ts';
import { validateSaeConfig } from '../src/engine/sae/config.ts';
import { createSaeTrainer } from '../src/engine/sae/engine.ts';
import { encodeNpy } from '../src/engine/sae/npyWrite.ts';
import { pca } from '../src/engine/sae/pca.ts';
import { createRng } from '../src/engine/shared/rng.ts';
import { findTorch } from './node.ts';

const ROWS = 16_384, D = 16; // 16 384 × 16 float32 = 1 MB
const SAE = { dictSize: 48, saeInstances: 8, saeBatch: 1024 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measureNode(path: string): { read: number; parse: number; pca: number; firstStep: number; total: number } {
  const t0 = performance.now();
  const bytes = readFileSync(path);
  const t1 = performance.now();
  const parsed = parseActivations(bytes);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const t2 = performance.now();
  pca(parsed.value.values, parsed.value.rows, parsed.value.cols, 3); // the page's pictures need it before the first snapshot
  const t3 = performance.now();
  const cfg = validateSaeConfig(SAE);
  if (!cfg.ok) throw new Error(cfg.errors.join('; '));
  const trainer = createSaeTrainer(cfg.config, fileSource(parsed.value, null, createRng(0)), 'fused');
  trainer.step(1, { mmcs: false });
  const t4 = performance.now();
  trainer.dispose();
  return { read: t1 - t0, parse: t2 - t1, pca: t3 - t2, firstStep: t4 - t3, total: t4 - t0 };
}

const PY = `
import sys, time
t0 = time.perf_counter()
import numpy as np
t1 = time.perf_counter()
a = np.load(sys.argv[1])
t2 = time.perf_counter()
assert a.shape == (${ROWS}, ${D}) and np.isfinite(a).all()
t3 = time.perf_counter()
out = {"np_load_ms": (t2 - t1) * 1e3, "np_load_check_ms": (t3 - t1) * 1e3}
try:
    import torch
    torch.manual_seed(0)
    t4 = time.perf_counter()
    x = torch.from_numpy(a)
    K, L, B = ${SAE.saeInstances}, ${SAE.dictSize}, ${SAE.saeBatch}
    Wenc = torch.nn.Parameter(torch.randn(K, L, ${D}) * 0.1); benc = torch.nn.Parameter(torch.zeros(K, L))
    Wdec = torch.nn.Parameter(torch.randn(K, ${D}, L) * 0.1); bdec = torch.nn.Parameter(torch.zeros(K, ${D}))
    opt = torch.optim.Adam([Wenc, benc, Wdec, bdec], lr=1e-3)
    h = x[torch.randint(0, x.shape[0], (B,))]
    z = torch.relu(torch.einsum('kld,bd->kbl', Wenc, h) - torch.einsum('kld,kd->kl', Wenc, bdec)[:, None] + benc[:, None])
    rec = torch.einsum('kdl,kbl->kbd', Wdec, z) + bdec[:, None]
    loss = ((rec - h) ** 2).mean() + 0.2 * z.sum(-1).mean()
    opt.zero_grad(); loss.backward(); opt.step()
    out["torch_first_step_ms"] = (time.perf_counter() - t4) * 1e3
except ImportError:
    out["torch_first_step_ms"] = None
print(out)
`;

/** The SAE tab in Chromium: choose the file, read the tab's own timings (parse, chosen → first snapshot). */
async function measureChromium(path: string, repeats: number): Promise<{ parse: number; firstSnapshot: number }[]> {
  const { startHarness } = await import('../tests/e2e/harness.ts');
  const h = await startHarness();
  const out: { parse: number; firstSnapshot: number }[] = [];
  try {
    const buffer = readFileSync(path);
    for (let i = 0; i < repeats; i++) {
      const page = await h.browser.newPage();
      await page.goto(h.url);
      await page.getByRole('tab', { name: 'Sparse autoencoder' }).click();
      await page.waitForFunction(() => window.__sae !== undefined, null, { timeout: 30_000 });
      await page.selectOption('[data-sae-control=base]', 'file');
      await page.evaluate((sae) => { for (const [k, v] of Object.entries(sae)) window.__sae!.controller.edit(k as 'dictSize', v); }, SAE);
      await page.setInputFiles('[data-sae-control=file]', { name: 'acts.npy', mimeType: 'application/octet-stream', buffer });
      await page.waitForFunction(() => window.__sae!.read().file?.firstSnapshotMs != null, null, { timeout: 60_000 });
      const f = (await page.evaluate(() => window.__sae!.read().file))!;
      out.push({ parse: f.parseMs, firstSnapshot: f.firstSnapshotMs! });
      await page.close();
    }
  } finally {
    await h.close();
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeats: { type: 'string', default: '5' }, python: { type: 'string' }, browser: { type: 'boolean', default: false } } });
  const torch = findTorch(values.python);
  const python = values.python ?? torch.python ?? 'python3';
  const repeats = Math.max(1, Number(values.repeats));
  const dir = mkdtempSync(join(tmpdir(), 'sae-file-bench-'));
  const path = join(dir, 'acts.npy');
  const rng = createRng(1);
  writeFileSync(path, encodeNpy(Float32Array.from({ length: ROWS * D }, () => (rng.next() < 0.1 ? rng.next() : 0)), ROWS, D));
  try {
    const runs = Array.from({ length: repeats }, () => measureNode(path));
    const fmt = (k: keyof (typeof runs)[0]) => `${runs[0][k].toFixed(1).padStart(7)} / ${median(runs.map((r) => r[k])).toFixed(1).padStart(7)}`;
    console.log(`SAE on a file: ${ROWS} × ${D} float32 .npy (1 MB), SAE ${SAE.saeInstances} × ${SAE.dictSize} latents, batch ${SAE.saeBatch}, fused engine; ${repeats} runs in one Node process (ms, first run / median)`);
    for (const k of ['read', 'parse', 'pca', 'firstStep', 'total'] as const) console.log(`  node ${k.padEnd(10)} ${fmt(k)}`);
    const py = spawnSync(python, ['-c', PY, path], { encoding: 'utf8', timeout: 120_000 });
    if (py.status !== 0) console.log(`  python: unavailable (${(py.stderr || String(py.error)).trim().split('\n').at(-1)})`);
    else {
      const r = JSON.parse(py.stdout.trim().replace(/'/g, '"').replace(/None/g, 'null')) as Record<string, number | null>;
      const parse = median(runs.map((x) => x.parse));
      console.log(`  ${python}:`);
      console.log(`  numpy np.load ${r.np_load_ms!.toFixed(1)} ms (+ finiteness check ${r.np_load_check_ms!.toFixed(1)} ms); lab parse+validate / np.load+check = ${(parse / r.np_load_check_ms!).toFixed(2)}×`);
      console.log(r.torch_first_step_ms === null ? '  torch: not installed (no first-step ratio)' : `  torch first step ${r.torch_first_step_ms!.toFixed(1)} ms; lab first step / torch = ${(median(runs.map((x) => x.firstStep)) / r.torch_first_step_ms!).toFixed(2)}×`);
    }
    if (values.browser) {
      const c = await measureChromium(path, repeats);
      console.log(`  chromium (the SAE tab, ${repeats} fresh pages; first / median ms): parse + validate ${c[0].parse.toFixed(1)} / ${median(c.map((x) => x.parse)).toFixed(1)}, file chosen → first SAE snapshot ${c[0].firstSnapshot.toFixed(0)} / ${median(c.map((x) => x.firstSnapshot)).toFixed(0)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
