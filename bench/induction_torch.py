#!/usr/bin/python3
# A copy of the project's shared reference (shared/ref/induction_torch.py, code unchanged), so the bench runs from a clone alone.
"""PyTorch reference for the induction-heads lab: a 2-layer attention-only transformer on random tokens with
one repeated segment of random length and position (../transformers.md §1.2). Reports steps/s, the step at
which a layer-1 head first reaches induction score >= 0.4, and final scores/losses on the canonical eval form
[BOS, r_1..r_L, r_1..r_L] (L=15). Usage: induction_torch.py [--layers 2] [--steps 2000] [--seed 1] [--threads 2]"""
import argparse, json, math, time
import torch, torch.nn.functional as F
a = argparse.ArgumentParser()
a.add_argument("--layers", type=int, default=2); a.add_argument("--heads", type=int, default=2)
a.add_argument("--d", type=int, default=32); a.add_argument("--vocab", type=int, default=64)
a.add_argument("--ctx", type=int, default=32); a.add_argument("--batch", type=int, default=16)
a.add_argument("--lr", type=float, default=1e-2); a.add_argument("--steps", type=int, default=2000)
a.add_argument("--seed", type=int, default=1); a.add_argument("--threads", type=int, default=2)
a.add_argument("--eval-every", type=int, default=50)
o = a.parse_args()
torch.set_num_threads(o.threads); torch.manual_seed(o.seed)
V, T, d, H = o.vocab + 1, o.ctx, o.d, o.heads; dh = d // H; BOS = o.vocab
g = torch.Generator().manual_seed(o.seed + 1000)

def batch(B):
    x = torch.randint(0, o.vocab, (B, T), generator=g); x[:, 0] = BOS
    for i in range(B):
        L = int(torch.randint(4, 16, (1,), generator=g))
        s1 = int(torch.randint(1, T - 2 * L + 1, (1,), generator=g))
        s2 = int(torch.randint(s1 + L, T - L + 1, (1,), generator=g))
        x[i, s2:s2 + L] = x[i, s1:s1 + L]
    return x

class Model(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.E = torch.nn.Parameter(torch.randn(V, d) * 0.1); s.P = torch.nn.Parameter(torch.randn(T, d) * 0.1)
        s.qkv = torch.nn.ModuleList([torch.nn.Linear(d, 3 * d, bias=False) for _ in range(o.layers)])
        s.out = torch.nn.ModuleList([torch.nn.Linear(d, d, bias=False) for _ in range(o.layers)])
        s.U = torch.nn.Linear(d, V, bias=False)
    def forward(s, x, ablate=None):
        B, t = x.shape; r = s.E[x] + s.P[:t]; pats = []
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        for l in range(o.layers):
            q, k, v = s.qkv[l](r).view(B, t, 3, H, dh).unbind(2)
            sc = torch.einsum("bihd,bjhd->bhij", q, k) / math.sqrt(dh)
            A = sc.masked_fill(~mask, -1e9).softmax(-1); pats.append(A)
            z = torch.einsum("bhij,bjhd->bihd", A, v)
            if ablate is not None:
                hs = [h for (al, h) in ablate if al == l]
                if hs: z = z.clone(); z[:, :, hs] = 0
            r = r + s.out[l](z.reshape(B, t, d))
        return s.U(r), pats

m = Model(); opt = torch.optim.Adam(m.parameters(), lr=o.lr)
L = 15; ge = torch.Generator().manual_seed(12345)
rep = torch.randint(0, o.vocab, (256, L), generator=ge)
ev = torch.cat([torch.full((256, 1), BOS), rep, rep], 1)

def evaluate(ablate=None):
    with torch.no_grad():
        logits, pats = m(ev, ablate)
        nll = F.cross_entropy(logits[:, :-1].reshape(-1, V), ev[:, 1:].reshape(-1), reduction="none").view(256, -1)
        first = nll[:, 0:L - 1].mean().item()          # predicting r_2..r_L inside the first copy
        second = nll[:, L + 1:2 * L].mean().item()      # predicting r_2..r_L from the second copy (r_1 excluded)
        heads = []
        for l, A in enumerate(pats):
            for h in range(H):
                Ah = A[:, h]; idx = torch.arange(L + 1, 2 * L + 1)
                ind = Ah[:, idx, idx - L + 1].mean().item()
                i1 = torch.arange(1, 2 * L + 1); prev = Ah[:, i1, i1 - 1].mean().item()
                heads.append(dict(layer=l, head=h, induction=round(ind, 3), prevToken=round(prev, 3)))
    return first, second, heads

t0 = time.time(); formed = None; curve = []; train_s = 0.0
for step in range(1, o.steps + 1):
    ts = time.time()
    x = batch(o.batch)
    logits, _ = m(x)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, V), x[:, 1:].reshape(-1))
    opt.zero_grad(); loss.backward(); opt.step()
    train_s += time.time() - ts
    if step % o.eval_every == 0:
        f, s, heads = evaluate()
        ind = max(h["induction"] for h in heads if h["layer"] == o.layers - 1)
        curve.append([step, round(f, 3), round(s, 3), ind])
        if formed is None and ind >= 0.4 and o.layers > 1: formed = step
f, s, heads = evaluate()
top = max((h for h in heads if h["layer"] == o.layers - 1), key=lambda h: h["induction"])
abl = evaluate([(top["layer"], top["head"])])[1]
ind_heads = [(h["layer"], h["head"]) for h in heads if h["layer"] > 0 and h["induction"] >= 0.4]
abl_all = evaluate(ind_heads)[1] if ind_heads else None
print(json.dumps(dict(config=vars(o), seconds=round(time.time() - t0, 2), train_seconds=round(train_s, 2),
    steps_per_s=round(o.steps / train_s, 1), lnV=round(math.log(o.vocab), 3), formedAtStep=formed,
    firstCopy=round(f, 3), secondCopy=round(s, 3), heads=heads, ablateTopInduction=round(abl, 3),
    ablateAllInduction=abl_all and round(abl_all, 3), curve=curve)))
