#!/usr/bin/env python3
"""The three products of a linear layer's training step in PyTorch: the peer of dev.tinygen.bench.GemmShapes.

forward y = x W, input gradient dX = dY W^T, weight gradient dW = X^T dY, each torch.mm into a reused output.

Needs Debian's python3-torch with OpenBLAS:  apt-get install -y python3-torch libopenblas0-pthread
Usage: OMP_WAIT_POLICY=PASSIVE python3 gemm_peer.py [MxKxN ...] [--threads 2]
(default: the five shapes of a cpuSmall GPT step). One line per shape: median microseconds of 300 timed repetitions
after 50 warm-up ones, and GFLOP/s; then the sum of all medians.
"""
import argparse
import time

import torch

GPT_SHAPES = ["768x128x384", "768x128x128", "768x128x512", "768x512x128", "768x128x77"]

p = argparse.ArgumentParser()
p.add_argument("shapes", nargs="*", default=GPT_SHAPES)
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
total = 0.0
for shape in a.shapes:
    m, k, n = (int(v) for v in shape.split("x"))
    x, w, dy = torch.randn(m, k), torch.randn(k, n), torch.randn(m, n)
    y, dx, dw = torch.empty(m, n), torch.empty(m, k), torch.empty(k, n)
    medians = []
    for f in (lambda: torch.mm(x, w, out=y), lambda: torch.mm(dy, w.t(), out=dx), lambda: torch.mm(x.t(), dy, out=dw)):
        us = []
        for r in range(-50, 300):
            t0 = time.perf_counter()
            f()
            t1 = time.perf_counter()
            if r >= 0:
                us.append((t1 - t0) * 1e6)
        us.sort()
        medians.append(us[len(us) // 2])
    flops = 2.0 * m * k * n
    total += sum(medians)
    print("%s  fwd %.1f us (%.0f GFLOP/s)  dX %.1f us (%.0f)  dW %.1f us (%.0f)" % (
        shape, medians[0], flops / medians[0] / 1e3, medians[1], flops / medians[1] / 1e3, medians[2], flops / medians[2] / 1e3))
print("sum of the medians: %.1f us" % total)
