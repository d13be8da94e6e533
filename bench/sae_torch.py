#!/usr/bin/env python3
"""Superposition Lab's PyTorch reference for the sparse autoencoder benchmark (science.md §6.1/§6.2).

K SAE instances trained side by side on the same activations, exactly the lab's recipe (src/engine/sae.ts):
  x̄ = h − b_dec,  z = ReLU(W_enc x̄ + b_enc),  ĥ = W_dec z + b_dec
  loss of instance k = mean_batch( mean_d (ĥ − h)² + λ_k Σ_l z_l ),  the sum over instances is backpropagated
  W_enc [K, L, d] and W_dec [K, d, L] Kaiming-uniform (bound √(6/d)), W_dec columns normalised to unit norm
  after every Adam step (÷ (‖col‖ + 1e-8)), b_enc = b_dec = 0; torch.optim.Adam(lr, betas=(0.9, 0.999), eps=1e-8)
Data (a fresh batch every step, generated in torch, part of the timed step as in the lab):
  toy:     h = W x, W the pentagon (m=2, n=5: W_i = (cos 2πi/5, sin 2πi/5)), x_i = 0 w.p. S else U[0,1]
  sharkey: h = Σ_g c_g G_g with G unit Gaussian directions in R^d, feature g on w.p. p_g ∝ 0.99^g
           (mean `--active` features on), c_g ~ U[0,1]
Dead-latent resampling is off (it runs every 2 500 steps in the lab and costs nothing measurable per step).

Timing as in bench/toy_torch.py: --steps total, the first --warmup untimed, median ms/step over --block-step blocks.
Prints ONE JSON line. Needs PyTorch: run with Debian's /usr/bin/python3 (apt-get install -y python3-torch).
Example: /usr/bin/python3 bench/sae_torch.py --data toy --dict-size 5 --instances 8 --batch 1024 --steps 2000
"""
import argparse
import json
import math
import statistics
import sys
import time

try:
    import torch
except ImportError:
    sys.exit(f"sae_torch.py: {sys.executable} cannot import torch; use Debian's /usr/bin/python3 "
             "(apt-get install -y python3-torch libopenblas0-openmp)")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", choices=["toy", "sharkey"], default="toy")
    p.add_argument("--dim", type=int, default=32, help="sharkey: activation dimension d (toy: 2)")
    p.add_argument("--features", type=int, default=64, help="sharkey: ground-truth features G (toy: 5)")
    p.add_argument("--active", type=float, default=5, help="sharkey: mean active features")
    p.add_argument("--sparsity", type=float, default=0.975, help="toy: probability that a feature is 0")
    p.add_argument("--dict-size", type=int, default=5, help="SAE latents L")
    p.add_argument("--instances", type=int, default=8, help="K SAEs side by side")
    p.add_argument("--l1", type=float, nargs="+", default=[0.2], help="λ: one value or one per instance")
    p.add_argument("--batch", type=int, default=1024)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--steps", type=int, default=2000, help="total Adam steps, warm-up included")
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--block", type=int, default=50)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    problems = []
    if min(a.dim, a.features, a.dict_size, a.instances, a.batch, a.steps, a.block, a.threads) < 1:
        problems.append("--dim, --features, --dict-size, --instances, --batch, --steps, --block and --threads must be at least 1")
    if len(a.l1) not in (1, a.instances):
        problems.append(f"--l1 takes one value or one per instance ({a.instances}); got {len(a.l1)}")
    if not 0 <= a.sparsity < 1:
        problems.append("--sparsity must be in [0, 1)")
    if problems:
        p.error("; ".join(problems))
    return a


def main():
    a = parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    K, L, B = a.instances, a.dict_size, a.batch

    if a.data == "toy":
        n, d = 5, 2
        ang = 2 * math.pi * torch.arange(n, dtype=torch.float32) / n
        W = torch.stack([torch.cos(ang), torch.sin(ang)])  # [d, n]

        def sample():
            x = torch.rand(B, n) * (torch.rand(B, n) >= a.sparsity).float()
            return x @ W.T  # [B, d]
    else:
        d, G = a.dim, a.features
        dirs = torch.randn(G, d)
        dirs = dirs / dirs.norm(dim=1, keepdim=True)
        decay = 0.99 ** torch.arange(G, dtype=torch.float64)
        prob = (a.active * decay / decay.sum()).clamp(max=1).float()

        def sample():
            c = torch.rand(B, G) * (torch.rand(B, G) < prob).float()
            return c @ dirs  # [B, d]

    bound = math.sqrt(6 / d)
    W_enc = torch.nn.Parameter((torch.rand(K, L, d) * 2 - 1) * bound)
    W_dec0 = (torch.rand(K, d, L) * 2 - 1) * bound
    W_dec = torch.nn.Parameter(W_dec0 / W_dec0.norm(dim=1, keepdim=True))
    b_enc = torch.nn.Parameter(torch.zeros(K, 1, L))
    b_dec = torch.nn.Parameter(torch.zeros(K, 1, d))
    lam = torch.tensor(a.l1 * K if len(a.l1) == 1 else a.l1, dtype=torch.float32).reshape(K, 1)
    opt = torch.optim.Adam([W_enc, b_enc, W_dec, b_dec], lr=a.lr, betas=(0.9, 0.999), eps=1e-8)

    def step():
        h = sample().unsqueeze(0).expand(K, B, d)  # [K, B, d]
        z = torch.relu(torch.bmm(h - b_dec, W_enc.transpose(1, 2)) + b_enc)  # [K, B, L]
        h_hat = torch.bmm(z, W_dec.transpose(1, 2)) + b_dec  # [K, B, d]
        rec = ((h_hat - h) ** 2).mean(dim=2)  # [K, B]
        per_instance = (rec + lam * z.sum(dim=2)).mean(dim=1)  # [K]
        opt.zero_grad(set_to_none=True)
        per_instance.sum().backward()
        opt.step()
        with torch.no_grad():
            W_dec.div_(W_dec.norm(dim=1, keepdim=True) + 1e-8)
        return per_instance.detach(), (z > 1e-8).float().sum(dim=2).mean(dim=1)

    warmup = min(a.warmup, a.steps - 1)
    tail_len = max(1, a.steps // 100)
    tail_from = a.steps - tail_len
    tail, tail_l0 = [], []

    def run(first, count):
        for s in range(first, first + count):
            loss, l0 = step()
            if s >= tail_from:
                tail.append(loss)
                tail_l0.append(l0)

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
    if not block_ms:
        block_ms.append(1000 * wall / timed)
    median_ms = statistics.median(block_ms)
    print(json.dumps({
        "engine": "torch", "torch": torch.__version__, "threads": a.threads, "data": a.data, "d": d, "dict_size": L,
        "instances": K, "batch": B, "lr": a.lr, "steps": a.steps, "warmup": warmup, "timed_steps": timed,
        "block": a.block, "blocks": len(block_ms), "ms_per_step": 1000 * wall / timed, "median_block_ms": median_ms,
        "best_block_ms": min(block_ms), "loss": torch.stack(tail).mean(0).tolist(), "l0": torch.stack(tail_l0).mean(0).tolist(),
    }))


if __name__ == "__main__":
    main()
