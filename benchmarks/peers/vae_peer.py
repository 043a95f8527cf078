#!/usr/bin/env python3
"""MNIST VAE (784-400-20, ReLU, Bernoulli decoder, summed BCE + KL, Adam 1e-3, batch 128) in PyTorch: the peer of
`./tinygen train-vae`. The model and loss are PyTorch's examples/vae; the decoder's BCE is taken on logits
(binary_cross_entropy_with_logits), as tinygen does, which is the same loss without the clamp at log(0).

Needs Debian's python3-torch with OpenBLAS:  apt-get install -y python3-torch libopenblas0-pthread
Usage: OMP_WAIT_POLICY=PASSIVE python3 vae_peer.py [MNIST_DIR] [--epochs 10] [--batch 128] [--lr 1e-3] [--threads 2]
MNIST_DIR holds the uncompressed IDX files (default ~/.cache/tinygen/mnist, where scripts/fetch-data.sh puts them).
Prints one line per epoch, then one JSON line.
"""
import argparse, json, os, time
import torch
import torch.nn as nn
import torch.nn.functional as F

import mnist_idx

p = argparse.ArgumentParser()
p.add_argument("dir", nargs="?", default=os.path.expanduser("~/.cache/tinygen/mnist"))
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--batch", type=int, default=128)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--latent", type=int, default=20)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--train-size", type=int, default=60000, help="use the first N training images")
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)


xtr = mnist_idx.images(a.dir, "train")[:a.train_size]
xte = mnist_idx.images(a.dir, "t10k")


class VAE(nn.Module):
    def __init__(self, d=784, h=400, z=20):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(d, h), nn.Linear(h, z), nn.Linear(h, z)
        self.fc3, self.fc4 = nn.Linear(z, h), nn.Linear(h, d)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def loss_fn(logits, x, mu, logvar):
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    return bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


model = VAE(z=a.latent)
opt = torch.optim.Adam(model.parameters(), lr=a.lr)
train_s = 0.0
for e in range(a.epochs):
    t0 = time.perf_counter()
    perm = torch.randperm(len(xtr))
    total = 0.0
    for i in range(0, len(xtr), a.batch):
        x = xtr[perm[i:i + a.batch]]
        logits, mu, logvar = model(x)
        loss = loss_fn(logits, x, mu, logvar)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        total += loss.item()
    s = time.perf_counter() - t0
    train_s += s
    test = 0.0
    with torch.no_grad():
        for i in range(0, len(xte), 1000):
            x = xte[i:i + 1000]
            logits, mu, logvar = model(x)
            test += loss_fn(logits, x, mu, logvar).item()
    test /= len(xte)
    train_loss = total / len(xtr)
    print(f"epoch {e + 1}: train {train_loss:.2f}, test {test:.2f} per sample, {s:.2f} s", flush=True)
print(json.dumps({"peer": "pytorch", "model": "vae", "epochs": a.epochs, "s_per_epoch": round(train_s / a.epochs, 3),
                  "train_loss_per_sample": round(train_loss, 2), "test_loss_per_sample": round(test, 2),
                  "threads": a.threads, "torch": torch.__version__}))
