// Exports of the "Induction heads" tab: the run's record as JSON (the CLI's format, built by the
// engine: buildInductionRecord) and a self-contained PyTorch script of a config, modelled on the
// reference ref/induction_torch.py with the config's shape, data and optimiser. Pure.
// PyTorch's random numbers are not the lab's, so the weights differ; formation, losses and scores
// agree statistically (tests/unit/inductionScript.test.ts runs it).

import { evalRepeatLength, MAX_REPEAT, MIN_REPEAT, validateInductionConfig, type InductionConfig } from '../../engine/transformer/config.ts';
import { EVAL_SEQUENCES } from '../../engine/transformer/data.ts';
import type { InductionRecord } from '../../engine/transformer/induction.ts';
import { HEAD_THRESHOLD } from '../../engine/transformer/metrics.ts';

const stem = (c: InductionConfig) => `induction_L${c.layers}H${c.heads}_d${c.dModel}_${c.repeat}_seed${c.seed}`;

export function inductionRecordFileName(c: InductionConfig): string {
  return `${stem(c)}.json`;
}

export function inductionRecordJson(record: InductionRecord): string {
  return JSON.stringify(record) + '\n';
}

export function inductionScriptFileName(c: InductionConfig): string {
  return `${stem(c)}.py`;
}

/** Python source that trains `config` in PyTorch; throws if the config does not pass the validator. */
export function inductionScript(config: InductionConfig): string {
  const checked = validateInductionConfig(config);
  if (!checked.ok) throw new Error(`cannot export an invalid config: ${checked.errors.join('; ')}`);
  const c = checked.config;
  // JSON is a Python-safe literal here (true/false/null are mapped below); strings are enum values.
  const json = JSON.stringify({ ...c, engine: undefined }, null, 2).replace(/\btrue\b/g, 'True').replace(/\bfalse\b/g, 'False').replace(/\bnull\b/g, 'None');
  const L = evalRepeatLength(c.ctx);
  return `#!/usr/bin/env python3
"""Superposition Lab, "Induction heads" tab, exported as a PyTorch script.

Trains the tab's tiny decoder-only transformer on its task:
  model: ${c.layers} layer(s) x ${c.heads} attention head(s), d_model ${c.dModel}, learned positions, untied unembedding${c.mlp ? `, GELU MLP (width ${c.dMlp})` : ', attention only'}${c.layerNorm ? ', pre-LayerNorm' : ''}
  data: ${c.vocab} content tokens + BOS, context ${c.ctx}; ${c.repeat === 'random'
    ? `random tokens with one repeated segment of random length ${Math.min(MIN_REPEAT, L)}-${Math.min(MAX_REPEAT, L)} at random offsets`
    : `always [BOS, r_1..r_${L}, r_1..r_${L}, filler] (the fixed-repeat pitfall: a positional head suffices)`}
  optimiser: torch.optim.${c.weightDecay > 0 ? 'AdamW' : 'Adam'}(lr=${c.lr}${c.weightDecay > 0 ? `, weight_decay=${c.weightDecay}` : ''}), ${c.steps} steps of batch ${c.batch}, a fresh batch every step
  eval: every ${c.evalEvery} steps on ${EVAL_SEQUENCES} fixed sequences [BOS, r_1..r_${L}, r_1..r_${L}]; first copy = predicting r_2..r_${L}
        inside the first copy (~ ln V), second copy = the same tokens inside the second; induction score = mean attention
        from position i of the second copy to i - ${L - 1}; previous-token score = mean attention to i - 1.

PyTorch's random numbers are not the lab's, so the weights differ from the lab's run; the losses, scores and the step
of formation agree statistically. Prints one JSON line in the shape of the lab's run record (version 1):
formedAtStep, final losses and head scores, ablations and the K-composition matrix, and the curve.

Usage: python3 this_script.py [--steps N] [--seed S] [--threads T] [--eval-every N]
"""
import argparse, json, math, time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    raise SystemExit("this script needs PyTorch: pip install torch")

CONFIG = ${json}

a = argparse.ArgumentParser()
a.add_argument("--steps", type=int, default=CONFIG["steps"])
a.add_argument("--seed", type=int, default=CONFIG["seed"])
a.add_argument("--threads", type=int, default=2)
a.add_argument("--eval-every", type=int, default=CONFIG["evalEvery"])
o = a.parse_args()
torch.set_num_threads(o.threads)
torch.manual_seed(o.seed)

NL, H, d, VOCAB, T = CONFIG["layers"], CONFIG["heads"], CONFIG["dModel"], CONFIG["vocab"], CONFIG["ctx"]
V, BOS, dh = VOCAB + 1, VOCAB, d // H
MLP, LN, DMLP = CONFIG["mlp"], CONFIG["layerNorm"], CONFIG["dMlp"] or 4 * d
L = min(${MAX_REPEAT}, (T - 1) // 2)               # the eval form's repeat length
LMIN, LMAX = min(${MIN_REPEAT}, L), L
THRESHOLD = ${HEAD_THRESHOLD}
g = torch.Generator().manual_seed(o.seed + 1000)

def batch(B):
    x = torch.randint(0, VOCAB, (B, T), generator=g)
    x[:, 0] = BOS
    for i in range(B):
        if CONFIG["repeat"] == "fixed":
            x[i, 1 + L:1 + 2 * L] = x[i, 1:1 + L]
            continue
        n = int(torch.randint(LMIN, LMAX + 1, (1,), generator=g))
        s1 = int(torch.randint(1, T - 2 * n + 1, (1,), generator=g))
        s2 = int(torch.randint(s1 + n, T - n + 1, (1,), generator=g))
        x[i, s2:s2 + n] = x[i, s1:s1 + n]
    return x

class Model(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.E = torch.nn.Parameter(torch.randn(V, d) * 0.1)
        s.P = torch.nn.Parameter(torch.randn(T, d) * 0.1)
        s.qkv = torch.nn.ModuleList([torch.nn.Linear(d, 3 * d, bias=False) for _ in range(NL)])
        s.out = torch.nn.ModuleList([torch.nn.Linear(d, d, bias=False) for _ in range(NL)])
        s.ln1 = torch.nn.ModuleList([torch.nn.LayerNorm(d) if LN else torch.nn.Identity() for _ in range(NL)])
        s.ln2 = torch.nn.ModuleList([torch.nn.LayerNorm(d) if LN and MLP else torch.nn.Identity() for _ in range(NL)])
        s.mlp = torch.nn.ModuleList([torch.nn.Sequential(torch.nn.Linear(d, DMLP), torch.nn.GELU(approximate="tanh"), torch.nn.Linear(DMLP, d)) if MLP else torch.nn.Identity() for _ in range(NL)])
        for m in s.mlp:
            if MLP:
                torch.nn.init.zeros_(m[0].bias); torch.nn.init.zeros_(m[2].bias)
        s.lnf = torch.nn.LayerNorm(d) if LN else torch.nn.Identity()
        s.U = torch.nn.Linear(d, V, bias=False)

    def forward(s, x, ablate=()):
        B, t = x.shape
        r = s.E[x] + s.P[:t]
        pats = []
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        for l in range(NL):
            q, k, v = s.qkv[l](s.ln1[l](r)).view(B, t, 3, H, dh).unbind(2)
            sc = torch.einsum("bihd,bjhd->bhij", q, k) / math.sqrt(dh)
            A = sc.masked_fill(~mask, -1e9).softmax(-1)
            pats.append(A)
            z = torch.einsum("bhij,bjhd->bihd", A, v)
            hs = [h for (al, h) in ablate if al == l]
            if hs:
                z = z.clone(); z[:, :, hs] = 0
            r = r + s.out[l](z.reshape(B, t, d))
            if MLP:
                r = r + s.mlp[l](s.ln2[l](r))
        return s.U(s.lnf(r)), pats

m = Model()
if CONFIG["weightDecay"] > 0:
    opt = torch.optim.AdamW(m.parameters(), lr=CONFIG["lr"], weight_decay=CONFIG["weightDecay"])
else:
    opt = torch.optim.Adam(m.parameters(), lr=CONFIG["lr"])
ge = torch.Generator().manual_seed(12345)
rep = torch.randint(0, VOCAB, (${EVAL_SEQUENCES}, L), generator=ge)
ev = torch.cat([torch.full((${EVAL_SEQUENCES}, 1), BOS), rep, rep], 1)

def evaluate(ablate=()):
    with torch.no_grad():
        logits, pats = m(ev, ablate)
        nll = F.cross_entropy(logits[:, :-1].reshape(-1, V), ev[:, 1:].reshape(-1), reduction="none").view(${EVAL_SEQUENCES}, -1)
        first = nll[:, 1:L].mean().item()            # positions 1 .. L-1 predict r_2 .. r_L in the first copy
        second = nll[:, L + 1:2 * L].mean().item()   # positions L+1 .. 2L-1 predict r_2 .. r_L in the second
        heads = []
        for l, A in enumerate(pats):
            for h in range(H):
                Ah = A[:, h]
                idx = torch.arange(L + 1, 2 * L + 1)
                i1 = torch.arange(1, 2 * L + 1)
                heads.append(dict(layer=l, head=h, induction=round(Ah[:, idx, idx - L + 1].mean().item(), 4),
                                  prevToken=round(Ah[:, i1, i1 - 1].mean().item(), 4), currentToken=round(Ah[:, i1, i1].mean().item(), 4),
                                  bos=round(Ah[:, i1, 0].mean().item(), 4)))
    return first, second, heads

def k_composition():
    if NL < 2:
        return []
    with torch.no_grad():
        def ov(l, h):
            Wv = s_qkv(l)[2][:, h * dh:(h + 1) * dh]; Wo = m.out[l].weight.T[h * dh:(h + 1) * dh]
            return Wv @ Wo
        def qk(l, h):
            Wq, Wk, _ = s_qkv(l)
            return Wq[:, h * dh:(h + 1) * dh] @ Wk[:, h * dh:(h + 1) * dh].T
        def score(A, B):
            return (torch.linalg.norm(A @ B) / (torch.linalg.norm(A) * torch.linalg.norm(B))).item()
        return [[round(score(ov(0, a), qk(1, b).T), 4) for b in range(H)] for a in range(H)]

def s_qkv(l):
    W = m.qkv[l].weight.T            # [d][3d], row-vector convention x W
    return W[:, :d], W[:, d:2 * d], W[:, 2 * d:]

t0 = time.time(); formed = None; train_s = 0.0
f, s_, heads = evaluate()
best = lambda hs, layer, key: max(h[key] for h in hs if h["layer"] == layer)
curve = [[0, round(f, 4), round(s_, 4), best(heads, NL - 1, "induction"), best(heads, 0, "prevToken")]]
for step in range(1, o.steps + 1):
    ts = time.time()
    x = batch(CONFIG["batch"])
    logits, _ = m(x)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, V), x[:, 1:].reshape(-1))
    opt.zero_grad(); loss.backward(); opt.step()
    train_s += time.time() - ts
    if step % o.eval_every == 0 or step == o.steps:
        f, s_, heads = evaluate()
        ind = best(heads, NL - 1, "induction")
        curve.append([step, round(f, 4), round(s_, 4), ind, best(heads, 0, "prevToken")])
        if formed is None and ind >= THRESHOLD:
            formed = step
f, s_, heads = evaluate()
ind_heads = [[h["layer"], h["head"]] for h in heads if h["layer"] >= 1 and h["induction"] >= THRESHOLD]
config = dict(CONFIG, steps=o.steps, seed=o.seed, evalEvery=o.eval_every)
print(json.dumps(dict(version=1, kind="induction", config=config, engine="pytorch", torch=torch.__version__,
    seconds=round(time.time() - t0, 2), stepsPerSecond=round(o.steps / train_s, 1), lnV=round(math.log(VOCAB), 4),
    formedAtStep=formed, final=dict(firstCopyLoss=round(f, 4), secondCopyLoss=round(s_, 4), heads=heads,
        ablation=[dict(layer=h["layer"], head=h["head"], secondCopyLoss=round(evaluate([(h["layer"], h["head"])])[1], 4)) for h in heads],
        ablateInduction=dict(heads=ind_heads, secondCopyLoss=round(evaluate([tuple(x) for x in ind_heads])[1], 4) if ind_heads else None),
        kComposition=k_composition()),
    curve=curve)))
`;
}
