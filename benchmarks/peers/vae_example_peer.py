#!/usr/bin/env python3
"""The MNIST VAE as PyTorch's own examples/vae/main.py trains it: torchvision's MNIST dataset with the ToTensor
transform, a DataLoader (batch 128, shuffled), sigmoid decoder with binary_cross_entropy summed, plus KL; Adam 1e-3.
The peer of `./tinygen train-vae` that reproduces "the same recipe in PyTorch"; benchmarks/peers/vae_peer.py is the
faster peer that holds the images in one tensor and slices batches from it (no per-image transform).

Needs Debian's python3-torch and python3-torchvision with OpenBLAS:
    apt-get install -y python3-torch python3-torchvision libopenblas0-pthread
Usage: OMP_WAIT_POLICY=PASSIVE python3 vae_example_peer.py [MNIST_DIR] [--epochs 10] [--threads 2]
MNIST_DIR holds the uncompressed IDX files (default ~/.cache/tinygen/mnist, where scripts/fetch-data.sh puts them);
they are linked into a torchvision-style MNIST/raw folder in a temporary directory, nothing is downloaded.
Prints one line per epoch, then one JSON line.
"""
import argparse, json, os, tempfile, time
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

p = argparse.ArgumentParser()
p.add_argument("dir", nargs="?", default=os.path.expanduser("~/.cache/tinygen/mnist"))
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)

tmp = tempfile.TemporaryDirectory(prefix="tinygen-mnist-")  # removed when the script ends
root = tmp.name
os.makedirs(os.path.join(root, "MNIST", "raw"))
for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
    src = os.path.join(os.path.abspath(a.dir), name)
    if not os.path.isfile(src):
        raise SystemExit(f"vae_example_peer: {src} is missing; run scripts/fetch-data.sh")
    os.symlink(src, os.path.join(root, "MNIST", "raw", name))
train_loader = DataLoader(datasets.MNIST(root, train=True, download=False, transform=transforms.ToTensor()),
                          batch_size=128, shuffle=True)
test_loader = DataLoader(datasets.MNIST(root, train=False, download=False, transform=transforms.ToTensor()),
                         batch_size=128, shuffle=False)


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x.view(-1, 784)))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


def loss_fn(recon, x, mu, logvar):
    bce = F.binary_cross_entropy(recon, x.view(-1, 784), reduction="sum")
    return bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
train_s, test = 0.0, float("nan")
for e in range(a.epochs):
    model.train()
    t0 = time.perf_counter()
    total = 0.0
    for x, _ in train_loader:
        opt.zero_grad()
        recon, mu, logvar = model(x)
        loss = loss_fn(recon, x, mu, logvar)
        loss.backward()
        total += loss.item()
        opt.step()
    s = time.perf_counter() - t0
    train_s += s
    model.eval()
    test = 0.0
    with torch.no_grad():
        for x, _ in test_loader:
            recon, mu, logvar = model(x)
            test += loss_fn(recon, x, mu, logvar).item()
    test /= len(test_loader.dataset)
    print(f"epoch {e + 1}: train {total / len(train_loader.dataset):.2f}, test {test:.2f} per sample, {s:.2f} s", flush=True)
print(json.dumps({"peer": "pytorch-examples-vae", "model": "vae", "epochs": a.epochs,
                  "s_per_epoch": round(train_s / a.epochs, 3), "test_loss_per_sample": round(test, 3),
                  "threads": a.threads, "torch": torch.__version__}))
