#!/usr/bin/env python3
"""Superposition Lab's PyTorch reference for the facts model of transformers.md §2.1 (src/engine/rome/factsModel.ts).

The same model as src/engine/transformer/model.ts: pre-LN GPT, learned positions, GELU (tanh) MLP of width 4·d,
untied unembedding without bias, LayerNorm eps 1e-5; vocab 128, context 10. A training step: a batch of B facts
prompts [BOS, 0–3 fillers, a, b, t1, t2, object, PAD…] (fresh random batch every step, generated in torch as part of
the timed step), the loss the cross-entropy of the object at the position before it only, Adam(lr, 0.9, 0.999, 1e-8).
The facts themselves are random here (a random object per (subject, relation)), and the app's subject biographies
(half its sequences: [BOS, fillers, a, b, four objects]) are left out: the cost per step is the same.

Timing: --steps total, the first --warmup untimed, median ms/step over blocks of --block steps.
Prints ONE JSON line. Needs PyTorch: run with Debian's /usr/bin/python3 (apt-get install -y python3-torch).
Example: /usr/bin/python3 bench/facts_torch.py --layers 4 --d-model 32 --heads 4 --batch 64 --steps 300 --threads 1
"""
import argparse
import json
import math
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    sys.exit(f"facts_torch.py: {sys.executable} cannot import torch; use Debian's /usr/bin/python3 (apt-get install -y python3-torch)")

V, CTX, BOS, PAD = 128, 10, 127, 96


class Block(nn.Module):
    def __init__(self, d, heads, d_mlp):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.q = nn.Linear(d, d, bias=False)
        self.k = nn.Linear(d, d, bias=False)
        self.v = nn.Linear(d, d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, d_mlp)
        self.proj = nn.Linear(d_mlp, d)

    def forward(self, x, mask):
        B, T, d = x.shape
        h, dh = self.heads, d // self.heads
        a = self.ln1(x)
        q = self.q(a).view(B, T, h, dh).transpose(1, 2)
        k = self.k(a).view(B, T, h, dh).transpose(1, 2)
        v = self.v(a).view(B, T, h, dh).transpose(1, 2)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(dh) + mask[:T, :T]
        z = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, d)
        x = x + self.o(z)
        return x + self.proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class Model(nn.Module):
    def __init__(self, layers, d, heads, d_mlp):
        super().__init__()
        self.E = nn.Parameter(torch.randn(V, d) * 0.1)
        self.P = nn.Parameter(torch.randn(CTX, d) * 0.1)
        self.blocks = nn.ModuleList([Block(d, heads, d_mlp) for _ in range(layers)])
        self.lnf = nn.LayerNorm(d)
        self.U = nn.Linear(d, V, bias=False)
        self.register_buffer("mask", torch.full((CTX, CTX), float("-inf")).triu(1))

    def forward(self, tokens):
        T = tokens.shape[1]
        x = self.E[tokens] + self.P[:T]
        for b in self.blocks:
            x = b(x, self.mask)
        return self.U(self.lnf(x))


def batch(B, g, firsts, lasts, objects):
    """B prompts with random facts, templates and 0–3 fillers; returns tokens [B, CTX] and the object positions."""
    tokens = torch.full((B, CTX), PAD, dtype=torch.long)
    subj = torch.randint(0, 96, (B,), generator=g)
    rel = torch.randint(0, 4, (B,), generator=g)
    tmpl = torch.randint(0, 2, (B,), generator=g)
    p = torch.randint(0, 4, (B,), generator=g)
    fill = torch.randint(80, 96, (B, 3), generator=g)
    tokens[:, 0] = BOS
    pos = torch.arange(CTX).expand(B, CTX)
    tokens = torch.where((pos >= 1) & (pos <= p[:, None]), torch.cat([tokens[:, :1], fill, tokens[:, 4:]], 1), tokens)
    rows = torch.arange(B)
    tokens[rows, 1 + p] = firsts[subj]
    tokens[rows, 2 + p] = lasts[subj]
    t1 = 32 + 4 * rel + 2 * tmpl
    tokens[rows, 3 + p] = t1
    tokens[rows, 4 + p] = t1 + 1
    tokens[rows, 5 + p] = 48 + 8 * rel + objects[subj, rel]
    return tokens, 4 + p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--d-model", type=int, default=32)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--mlp-ratio", type=int, default=4)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--block", type=int, default=30)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    g = torch.Generator().manual_seed(a.seed)
    firsts = torch.randint(0, 16, (96,), generator=g)
    lasts = 16 + torch.randint(0, 16, (96,), generator=g)
    objects = torch.randint(0, 8, (96, 4), generator=g)
    model = Model(a.layers, a.d_model, a.heads, a.mlp_ratio * a.d_model)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    blocks, t0, losses = [], None, []
    rows = torch.arange(a.batch)
    for step in range(a.steps):
        if step == a.warmup:
            t0 = time.perf_counter()
        tokens, at = batch(a.batch, g, firsts, lasts, objects)
        logits = model(tokens)
        loss = F.cross_entropy(logits[rows, at], tokens[rows, at + 1])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if step >= a.warmup and (step - a.warmup + 1) % a.block == 0:
            now = time.perf_counter()
            blocks.append((now - t0) * 1000 / a.block)
            t0 = now
    ms = statistics.median(blocks) if blocks else float("nan")
    print(json.dumps({
        "engine": "torch", "threads": a.threads, "torch": torch.__version__,
        "layers": a.layers, "dModel": a.d_model, "heads": a.heads, "batch": a.batch, "steps": a.steps,
        "msPerStep": ms, "stepsPerSecond": 1000 / ms if ms == ms else None, "firstLoss": losses[0], "lastLoss": losses[-1],
    }))


if __name__ == "__main__":
    main()
