// @ts-nocheck: AssemblyScript source, compiled to WebAssembly by buildKernels.ts (not part of the TS build).
//
// The fused SAE engine's pass (forward + backward of one instance on one batch, ../saeFused.ts) with
// 128-bit SIMD over float32 lanes (f32x4). Same formulas as the JavaScript pass:
//   x̄ = h − b_dec, a = W_enc x̄ + b_enc, z = ReLU(a), ĥ = W_dec z + b_dec, e = ĥ − h, δ = scale·e,
//   ∂b_dec += δ − W_encᵀ g, ∂W_dec += δ zᵀ, g_l = (W_decᵀ δ)_l + λ/B for firing l, ∂W_enc += g x̄ᵀ, ∂b_enc += g.
// Layouts (byte offsets into this module's memory; dP = d rounded up to 4, LP = L rounded up to 4,
// padding lanes zero): h [B][dP]; WencT [d][LP] (the forward walks it row by row); Wenc, WdecT and
// the gradients gWenc, gWdecT [L][dP]; benc, gbenc, fired [LP]; bdec, gbdec [dP].
// Arithmetic is float32 (like TF.js), with float64 loss sums.

let recOut: f64 = 0;
let l0Out: f64 = 0;

/** mean reconstruction (mean over d) of the last pass */
export function lastReconstruction(): f64 {
  return recOut;
}

/** mean number of firing latents per example in the last pass */
export function lastL0(): f64 {
  return l0Out;
}

@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** One instance on B examples; gradients are overwritten, `fired[l]` set to 1 for latents with z > 1e-8. Returns the mean loss. */
export function pass(
  B: i32, d: i32, dP: i32, L: i32, LP: i32, lambda: f32, l1Grad: f32, scale: f32,
  h: usize, WencT: usize, Wenc: usize, benc: usize, WdecT: usize, bdec: usize,
  gWenc: usize, gbenc: usize, gWdecT: usize, gbdec: usize, fired: usize,
  xc: usize, pre: usize, hHat: usize, dh: usize, dxc: usize, act: usize, z: usize,
): f64 {
  const dBytes = <usize>dP << 2;
  const lBytes = <usize>LP << 2;
  memory.fill(gWenc, 0, <usize>L * dBytes);
  memory.fill(gWdecT, 0, <usize>L * dBytes);
  memory.fill(gbenc, 0, lBytes);
  memory.fill(gbdec, 0, dBytes);
  memory.fill(fired, 0, lBytes);
  const zero = f32x4.splat(0);
  const sv = f32x4.splat(scale);
  let lossSum: f64 = 0;
  let recSum: f64 = 0;
  let l0: i32 = 0;
  for (let r = 0; r < B; r++) {
    const hr = h + <usize>r * dBytes;
    for (let j: usize = 0; j < dBytes; j += 16) {
      const b = v128.load(bdec + j);
      v128.store(xc + j, f32x4.sub(v128.load(hr + j), b));
      v128.store(hHat + j, b);
    }
    // pre = b_enc + Σ_j x̄_j · (row j of W_encᵀ)
    memory.copy(pre, benc, lBytes);
    for (let j = 0; j < d; j++) {
      const x = load<f32>(xc + (<usize>j << 2));
      if (x == 0) continue;
      const xv = f32x4.splat(x);
      const row = WencT + <usize>j * lBytes;
      for (let l: usize = 0; l < lBytes; l += 16) v128.store(pre + l, f32x4.add(v128.load(pre + l), f32x4.mul(xv, v128.load(row + l))));
    }
    // firing latents: remember them, decode
    let nAct = 0;
    for (let l = 0; l < L; l++) {
      const a = load<f32>(pre + (<usize>l << 2));
      if (a > 0) {
        store<i32>(act + (<usize>nAct << 2), l);
        store<f32>(z + (<usize>nAct << 2), a);
        nAct++;
        const av = f32x4.splat(a);
        const row = WdecT + <usize>l * dBytes;
        for (let j: usize = 0; j < dBytes; j += 16) v128.store(hHat + j, f32x4.add(v128.load(hHat + j), f32x4.mul(av, v128.load(row + j))));
      }
    }
    // error, δ, ∂b_dec (direct part)
    let recv = zero;
    for (let j: usize = 0; j < dBytes; j += 16) {
      const e = f32x4.sub(v128.load(hHat + j), v128.load(hr + j));
      recv = f32x4.add(recv, f32x4.mul(e, e));
      const g = f32x4.mul(sv, e);
      v128.store(dh + j, g);
      v128.store(gbdec + j, f32x4.add(v128.load(gbdec + j), g));
      v128.store(dxc + j, zero);
    }
    // backward through the firing latents
    let sp: f64 = 0;
    for (let i = 0; i < nAct; i++) {
      const l = load<i32>(act + (<usize>i << 2));
      const zl = load<f32>(z + (<usize>i << 2));
      sp += <f64>zl;
      if (zl > 1e-8) {
        l0++;
        store<i32>(fired + (<usize>l << 2), 1);
      }
      const dro = WdecT + <usize>l * dBytes;
      const gdo = gWdecT + <usize>l * dBytes;
      const zv = f32x4.splat(zl);
      let glv = zero;
      for (let j: usize = 0; j < dBytes; j += 16) {
        const dhj = v128.load(dh + j);
        glv = f32x4.add(glv, f32x4.mul(v128.load(dro + j), dhj));
        v128.store(gdo + j, f32x4.add(v128.load(gdo + j), f32x4.mul(dhj, zv)));
      }
      const gl: f32 = hsum(glv) + l1Grad;
      store<f32>(gbenc + (<usize>l << 2), load<f32>(gbenc + (<usize>l << 2)) + gl);
      const gv = f32x4.splat(gl);
      const eo = Wenc + <usize>l * dBytes;
      const geo = gWenc + <usize>l * dBytes;
      for (let j: usize = 0; j < dBytes; j += 16) {
        v128.store(geo + j, f32x4.add(v128.load(geo + j), f32x4.mul(gv, v128.load(xc + j))));
        v128.store(dxc + j, f32x4.add(v128.load(dxc + j), f32x4.mul(v128.load(eo + j), gv)));
      }
    }
    for (let j: usize = 0; j < dBytes; j += 16) v128.store(gbdec + j, f32x4.sub(v128.load(gbdec + j), v128.load(dxc + j)));
    const rec: f64 = <f64>hsum(recv) / <f64>d;
    lossSum += rec + <f64>lambda * sp;
    recSum += rec;
  }
  recOut = recSum / <f64>B;
  l0Out = <f64>l0 / <f64>B;
  return lossSum / <f64>B;
}
