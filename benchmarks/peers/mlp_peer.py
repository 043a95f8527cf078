#!/usr/bin/env python3
"""MNIST MLP (784-128-10, ReLU) with AdamW in PyTorch: the peer of `./tinygen train-mlp`.

Needs Debian's python3-torch with OpenBLAS:  apt-get install -y python3-torch libopenblas0-pthread
Usage: python3 mlp_peer.py MNIST_DIR [--epochs 3] [--batch 64] [--lr 1e-3] [--threads 2]
MNIST_DIR holds the uncompressed IDX files (scripts/fetch-data.sh puts them in ~/.cache/tinygen/mnist).
Prints one JSON line.
"""
import argparse, json, time
import torch
import torch.nn as nn
import torch.nn.functional as F

import mnist_idx

p = argparse.ArgumentParser()
p.add_argument("dir")
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)


xtr, ytr = mnist_idx.images(a.dir, "train"), mnist_idx.labels(a.dir, "train")
xte, yte = mnist_idx.images(a.dir, "t10k"), mnist_idx.labels(a.dir, "t10k")
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
t0, steps = time.perf_counter(), 0
for e in range(a.epochs):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), a.batch):
        ix = perm[i:i + a.batch]
        loss = F.cross_entropy(model(xtr[ix]), ytr[ix])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        steps += 1
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    print(f"epoch {e + 1}: test accuracy {acc:.4f}", flush=True)
s = time.perf_counter() - t0
print(json.dumps({"peer": "pytorch", "model": "mlp", "epochs": a.epochs, "test_accuracy": round(acc, 4),
                  "s_per_epoch": round(s / a.epochs, 3), "steps_per_s": round(steps / s, 1)}))
