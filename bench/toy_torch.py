#!/usr/bin/env python3
"""Superposition Lab's PyTorch reference: the same recipe as the lab's engine (src/engine), on the CPU.

K instances of x' = ReLU(Wᵀ W x + b) (relu-output) or x' = Wᵀ W x + b (linear), trained side by side.
  W: [K, m, n] (hidden h = W x), init normal with the colab's Xavier std sqrt(2 / (n·m + K·m))
     (the colab's parameter is [K, n, m] and PyTorch counts the instance axis as fan_out; see src/engine/init.ts)
  b: [K, n] zeros
  data: feature i of instance k is 0 with probability S_k, else U[0,1]; a fresh batch every step
  importance: I_i = r^i
  loss of instance k: mean over batch and features of I_i (x_i − x'_i)²; the sum over instances is backpropagated
  optimiser: torch.optim.AdamW(lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)

Timing: --steps is the total number of optimiser steps (as in the lab's CLI); the first --warmup of them are
not timed. The timed steps are measured in blocks of --block steps; median_block_ms is the median ms per step
over the full blocks (the robust figure on a busy machine), ms_per_step and steps_per_s are wall-clock over all
timed steps. loss is per instance, the mean over the last 1% of all steps (at least one step).

Prints ONE JSON line. Needs PyTorch; on Debian: apt-get install -y python3-torch libopenblas0-openmp
and run it with /usr/bin/python3.
Example: /usr/bin/python3 bench/toy_torch.py --n 20 --m 5 --instances 10 --sparsity 0.9 --importance-decay 0.9 --steps 2000
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
except ImportError:
    sys.exit(f"toy_torch.py: {sys.executable} cannot import torch; use Debian's /usr/bin/python3 "
             "(apt-get install -y python3-torch libopenblas0-openmp)")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=["relu-output", "linear"], default="relu-output", help="toy model")
    p.add_argument("--n", type=int, default=5, help="number of features")
    p.add_argument("--m", type=int, default=2, help="hidden dimensions")
    p.add_argument("--instances", type=int, default=1, help="K instances trained side by side")
    p.add_argument("--sparsity", type=float, nargs="+", default=[0.9],
                   help="probability S that a feature is zero: one value for all instances, or one per instance")
    p.add_argument("--importance-decay", type=float, default=0.9, help="importance of feature i is r^i")
    p.add_argument("--steps", type=int, default=2000, help="total optimiser steps, warm-up included")
    p.add_argument("--batch", type=int, default=1024, help="samples per step")
    p.add_argument("--lr", type=float, default=1e-3, help="AdamW learning rate")
    p.add_argument("--weight-decay", type=float, default=0.01, help="AdamW weight decay (PyTorch default 0.01)")
    p.add_argument("--seed", type=int, default=1, help="torch.manual_seed (does not reproduce the lab's own RNG)")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    p.add_argument("--warmup", type=int, default=20, help="untimed warm-up steps (part of --steps)")
    p.add_argument("--block", type=int, default=50, help="steps per timed block (for median_block_ms)")
    a = p.parse_args()
    problems = []
    if a.n < 1 or a.m < 1 or a.instances < 1 or a.batch < 1:
        problems.append("--n, --m, --instances and --batch must be at least 1")
    if a.steps < 1:
        problems.append("--steps must be at least 1")
    if a.warmup < 0 or a.block < 1 or a.threads < 1:
        problems.append("--warmup must be ≥ 0, --block and --threads ≥ 1")
    if len(a.sparsity) not in (1, a.instances):
        problems.append(f"--sparsity takes one value or one per instance ({a.instances}); got {len(a.sparsity)}")
    if any(not 0 <= s < 1 for s in a.sparsity):
        problems.append("--sparsity values must be in [0, 1)")
    if not 0 < a.importance_decay <= 1:
        problems.append("--importance-decay must be in (0, 1]")
    if not a.lr > 0:
        problems.append("--lr must be positive")
    if problems:
        p.error("; ".join(problems))
    return a


def main():
    a = parse_args()
    K, n, m, B = a.instances, a.n, a.m, a.batch
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    sparsity = a.sparsity * K if len(a.sparsity) == 1 else a.sparsity
    S = torch.tensor(sparsity, dtype=torch.float32).reshape(K, 1, 1)
    imp = (a.importance_decay ** torch.arange(n, dtype=torch.float64)).float()  # [n], broadcasts over [K, B, n]
    std = (2.0 / (n * m + K * m)) ** 0.5
    W = torch.nn.Parameter(torch.randn(K, m, n) * std)
    b = torch.nn.Parameter(torch.zeros(K, n))
    opt = torch.optim.AdamW([W, b], lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=a.weight_decay)
    relu = a.model == "relu-output"

    def step():
        x = torch.rand(K, B, n) * (torch.rand(K, B, n) >= S).float()  # [K, B, n]
        h = torch.bmm(x, W.transpose(1, 2))  # [K, B, m]
        out = torch.baddbmm(b.unsqueeze(1), h, W)  # [K, B, n]
        if relu:
            out = torch.relu(out)
        per_instance = (imp * (x - out) ** 2).mean(dim=(1, 2))  # [K]
        opt.zero_grad(set_to_none=True)
        per_instance.sum().backward()
        opt.step()
        return per_instance.detach()

    warmup = min(a.warmup, a.steps - 1)
    tail_len = max(1, a.steps // 100)
    tail_from = a.steps - tail_len
    tail = []

    def run(first, count):
        for s in range(first, first + count):
            loss = step()
            if s >= tail_from:
                tail.append(loss)

    run(0, warmup)
    timed = a.steps - warmup
    block_ms = []
    done = 0
    t0 = time.perf_counter()
    while done < timed:
        k = min(a.block, timed - done)
        tb = time.perf_counter()
        run(warmup + done, k)
        if k == a.block:
            block_ms.append(1000 * (time.perf_counter() - tb) / k)
        done += k
    wall = time.perf_counter() - t0
    if not block_ms:  # fewer timed steps than one block: the whole timed run is the only block
        block_ms.append(1000 * wall / timed)
    median_ms = statistics.median(block_ms)
    loss = torch.stack(tail).mean(0).tolist()
    print(json.dumps({
        "engine": "torch", "torch": torch.__version__, "threads": a.threads,
        "model": a.model, "n": n, "m": m, "instances": K, "batch": B, "sparsity": sparsity,
        "importance_decay": a.importance_decay, "lr": a.lr, "seed": a.seed,
        "steps": a.steps, "warmup": warmup, "timed_steps": timed, "block": a.block, "blocks": len(block_ms),
        "steps_per_s": timed / wall, "ms_per_step": 1000 * wall / timed,
        "median_block_ms": median_ms, "median_steps_per_s": 1000 / median_ms, "best_block_ms": min(block_ms),
        "loss": loss,
    }))


if __name__ == "__main__":
    main()
