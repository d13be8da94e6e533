// A self-contained PyTorch script that reproduces a config with the lab's recipe (the paper's
// colab): the same model, data, importance, init, AdamW and per-instance loss. Pure: config in,
// Python source out. PyTorch's random numbers are not the lab's, so the weights differ from the
// lab's run; the losses agree statistically (tests/unit/pytorchScript.test.ts runs it).

import { instanceImportance, instanceSparsities, validateConfig, type LabConfig } from '../../engine/toy/config.ts';

const MODEL_LINES: Record<LabConfig['model'], string> = {
  'relu-output': "x' = ReLU(Wᵀ W x + b)",
  linear: "x' = Wᵀ W x + b",
  'relu-hidden': "y' = ReLU(W2 ReLU(W x) + b), trained to compute |x| from signed features",
  'relu-hidden-tied': "x' = ReLU(Wᵀ ReLU(W x) + b), a ReLU hidden layer with tied weights (the privileged-basis model)",
};

export function pytorchScriptFileName(config: LabConfig): string {
  return `superposition_${config.model}_n${config.n}_m${config.m}_seed${config.seed}.py`;
}

/** Python source reproducing `config`; throws if the config does not pass the validator. */
export function pytorchScript(config: LabConfig): string {
  const checked = validateConfig(config);
  if (!checked.ok) throw new Error(`cannot export an invalid config: ${checked.errors.join('; ')}`);
  const c = checked.config;
  // The per-instance values come from the engine's own functions, so the script follows the lab exactly.
  const sparsities = instanceSparsities(c);
  const importanceRows = instanceImportance(c);
  const sameImportance = importanceRows.every((row) => row.every((v, i) => v === importanceRows[0][i]));
  const importance = importanceRows[0];
  // JSON is a Python-safe literal here: every string in a validated config is an enum value.
  const json = JSON.stringify(c, null, 2);
  const sets =
    c.correlatedSets || c.anticorrelatedSets
      ? `  feature sets: ${c.correlatedSets} correlated, ${c.anticorrelatedSets} anticorrelated, ${c.setSize} features each (${c.anticorrelatedConvention} convention), then independent features`
      : '  features: independent';
  return `#!/usr/bin/env python3
"""Superposition Lab run, exported as a PyTorch script (Toy Models of Superposition, Elhage et al. 2022).

Reproduces the lab's recipe for this config:
  model: ${c.model}: ${MODEL_LINES[c.model]}
  ${c.instances} instance(s) trained side by side, n = ${c.n} features, m = ${c.m} hidden dimensions
  sparsity per instance: ${c.sparsityRange ? `densities 1 - S log-spaced from ${1 - c.sparsityRange[0]} to ${Number((1 - c.sparsityRange[1]).toPrecision(6))} (the colab's 20 ** -linspace(0, 1, K) for 0:0.95)` : `S = ${c.sparsity} for every instance`}
  importance I_i = ${String(c.importanceDecay)}^i (${importance.slice(0, 5).map((v) => Number(v.toPrecision(4))).join(', ')}${c.n > 5 ? ', ...' : ''})${sameImportance ? '' : ', the last feature\'s importance varying across instances'}
${sets}
  data: feature i is 0 with probability S, else ${c.model === 'relu-hidden' ? 'uniform on [-1, 1]' : 'uniform on [0, 1]'}; a fresh batch every step
  init: W ~ Normal(0, sqrt(2 / (n*m + K*m))) (the colab's Xavier std), b = 0
  loss of an instance: mean over batch and features of I_i (target_i - out_i)^2; the sum over instances is minimised
  optimiser: torch.optim.AdamW(lr=${String(c.lr)}, betas=(0.9, 0.999), eps=1e-8, weight_decay=${String(c.weightDecay)}), ${c.steps} steps of batch ${c.batch}

PyTorch's random numbers are not the lab's, so the weights differ from the lab's run; the losses agree
statistically. Prints one JSON line: the final loss of each instance, averaged over the last 1% of steps.

Usage: python3 this_script.py [--steps N] [--seed S] [--device cpu|cuda] [--out weights.json]
"""
import argparse
import json
import math
import sys

try:
    import torch
except ImportError:
    sys.exit("this script needs PyTorch: pip install torch (or apt-get install python3-torch)")

CONFIG = json.loads(r"""
${json}
""")

# Sparsity S of each instance, as the lab computes it (engine/toy/config.ts instanceSparsities).
SPARSITY = ${JSON.stringify(sparsities)}
# Importance of each feature${sameImportance ? ' (the same in every instance)' : ', one row per instance'}, as the lab computes it (engine/toy/config.ts instanceImportance).
IMPORTANCE = ${JSON.stringify(sameImportance ? importance : importanceRows)}


def sample_batch(c, density, device):
    """A batch [K, B, n]: [correlated sets..., anticorrelated sets..., independent features...]."""
    K, B, n, size = c["instances"], c["batch"], c["n"], c["setSize"]
    signed = c["model"] == "relu-hidden"
    d = density.view(K, 1, 1)

    def values(*shape):
        v = torch.rand(*shape, device=device)
        return 2 * v - 1 if signed else v

    parts = []
    C, A = c["correlatedSets"], c["anticorrelatedSets"]
    if C:  # every feature of a set is on together (one draw per set), values drawn independently
        on = (torch.rand(K, B, C, 1, device=device) < d.unsqueeze(-1)).float()
        parts.append((on * values(K, B, C, size)).reshape(K, B, C * size))
    if A:  # at most one feature of a set is on
        p_set = d if c["anticorrelatedConvention"] == "paper" else d * size
        on = (torch.rand(K, B, A, 1, device=device) < p_set.unsqueeze(-1)).float()
        which = torch.nn.functional.one_hot(torch.randint(size, (K, B, A), device=device), size).float()
        parts.append((on * which * values(K, B, A, size)).reshape(K, B, A * size))
    rest = n - (C + A) * size
    if rest:
        parts.append((torch.rand(K, B, rest, device=device) < d).float() * values(K, B, rest))
    return torch.cat(parts, dim=2)


def main():
    p = argparse.ArgumentParser(description="Train the exported Superposition Lab config with PyTorch.")
    p.add_argument("--steps", type=int, default=CONFIG["steps"], help="optimiser steps (default: the lab's)")
    p.add_argument("--seed", type=int, default=CONFIG["seed"], help="torch.manual_seed")
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--out", help="also write the final W, b (and W2) of every instance to this JSON file")
    a = p.parse_args()
    if a.steps < 1:
        p.error("--steps must be at least 1")
    c = dict(CONFIG, steps=a.steps, seed=a.seed)
    K, n, m = c["instances"], c["n"], c["m"]
    model = c["model"]
    device = torch.device(a.device)
    torch.manual_seed(c["seed"])

    sparsity = SPARSITY
    density = torch.tensor([1 - s for s in sparsity], dtype=torch.float32, device=device)
    importance = torch.tensor(IMPORTANCE, dtype=torch.float32, device=device)  # [n] or [K, n]
    if importance.dim() == 2:
        importance = importance.unsqueeze(1)  # [K, 1, n], broadcasts over the batch
    std = math.sqrt(2 / (n * m + K * m))
    W = torch.nn.Parameter(torch.randn(K, m, n, device=device) * std)  # column i of W[k] is feature i's direction
    b = torch.nn.Parameter(torch.zeros(K, n, device=device))
    W2 = torch.nn.Parameter(torch.randn(K, n, m, device=device) * std) if model == "relu-hidden" else None
    params = [W, b] + ([W2] if W2 is not None else [])
    opt = torch.optim.AdamW(params, lr=c["lr"], betas=(0.9, 0.999), eps=1e-8, weight_decay=c["weightDecay"])

    def forward(x):  # x: [K, B, n]
        h = torch.bmm(x, W.transpose(1, 2))  # [K, B, m]
        if model == "relu-hidden-tied":
            return torch.relu(torch.bmm(torch.relu(h), W) + b.unsqueeze(1))
        if model == "relu-hidden":
            return torch.relu(torch.bmm(torch.relu(h), W2.transpose(1, 2)) + b.unsqueeze(1))
        out = torch.bmm(h, W) + b.unsqueeze(1)
        return torch.relu(out) if model == "relu-output" else out

    steps = c["steps"]
    tail_from = steps - max(1, steps // 100)
    tail = torch.zeros(K, device=device)
    curve_every = max(1, steps // 100)
    curve = []
    for step in range(steps):
        x = sample_batch(c, density, device)
        target = x.abs() if model == "relu-hidden" else x
        per_instance = (importance * (target - forward(x)) ** 2).mean(dim=(1, 2))  # [K]
        opt.zero_grad(set_to_none=True)
        per_instance.sum().backward()
        opt.step()
        if step >= tail_from:
            tail += per_instance.detach()
        if (step + 1) % curve_every == 0:
            curve.append([step + 1] + per_instance.detach().tolist())
    loss = (tail / (steps - tail_from)).tolist()

    if a.out:
        with open(a.out, "w") as f:
            json.dump({
                "config": c, "lossCurve": curve,
                "instances": [{
                    "sparsity": sparsity[k], "loss": loss[k],
                    "W": W[k].detach().cpu().tolist(), "b": b[k].detach().cpu().tolist(),
                    **({"W2": W2[k].detach().cpu().tolist()} if W2 is not None else {}),
                } for k in range(K)],
            }, f)
    print(json.dumps({"loss": loss, "sparsity": sparsity, "steps": steps, "seed": c["seed"], "model": model, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
`;
}
