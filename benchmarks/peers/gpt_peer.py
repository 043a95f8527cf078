#!/usr/bin/env python3
"""The main job's recipe in PyTorch, for a side-by-side comparison with `./tinygen train-gpt`.

Char-level GPT (cpuSmall: block 64, 4 layers, 4 heads, 128 wide, dropout 0, learned positions, separate head),
batch 12, AdamW (0.9, 0.99), weight decay 0.1 on matrices only, lr 1e-3 with 100 warmup steps then cosine to 1e-4,
gradient clipping at 1.0, on dickens.txt (BOM stripped), first 90% train, last 10% validation.

Needs Debian's python3-torch with OpenBLAS:  apt-get install -y python3-torch libopenblas0-pthread
Usage: OMP_WAIT_POLICY=PASSIVE python3 gpt_peer.py DICKENS_TXT [--iters 2000] [--threads 2] [--gen-tokens 200]
Prints one JSON line at the end.
"""
import argparse, json, math, time
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("data")
p.add_argument("--iters", type=int, default=2000)
p.add_argument("--batch", type=int, default=12)
p.add_argument("--block", type=int, default=64)
p.add_argument("--layers", type=int, default=4)
p.add_argument("--heads", type=int, default=4)
p.add_argument("--width", type=int, default=128)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--min-lr", type=float, default=1e-4)
p.add_argument("--warmup", type=int, default=100)
p.add_argument("--eval-interval", type=int, default=250)
p.add_argument("--eval-iters", type=int, default=20)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--gen-tokens", type=int, default=200)
p.add_argument("--seed", type=int, default=1337)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)

text = open(a.data, encoding="utf-8").read().lstrip("\ufeff")
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]
V, T, C = len(chars), a.block, a.width


def batch(split, gen=None):
    d = train_data if split == "train" else val_data
    ix = torch.randint(len(d) - T, (a.batch,), generator=gen)
    return torch.stack([d[i:i + T] for i in ix]), torch.stack([d[i + 1:i + T + 1] for i in ix])


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.c_attn, self.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.c_fc, self.mlp_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(self, x):
        B, T_, _ = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = [t.view(B, T_, a.heads, C // a.heads).transpose(1, 2) for t in (q, k, v)]  # (B, nh, T, hs)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // a.heads)
        att = att.masked_fill(torch.triu(torch.ones(T_, T_, dtype=torch.bool), 1), float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T_, C)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.h = nn.ModuleList([Block() for _ in range(a.layers)])
        self.ln_f, self.lm_head = nn.LayerNorm(C), nn.Linear(C, V)
        for name, p_ in self.named_parameters():
            if name.endswith("bias"): nn.init.zeros_(p_)
            elif "ln" in name: nn.init.ones_(p_)
            elif name.endswith("c_proj.weight") or name.endswith("mlp_proj.weight"):
                nn.init.normal_(p_, 0, 0.02 / math.sqrt(2 * a.layers))
            else: nn.init.normal_(p_, 0, 0.02)

    def forward(self, idx, targets=None):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for b in self.h: x = b(x)
        logits = self.lm_head(self.ln_f(x))
        loss = None if targets is None else F.cross_entropy(logits.view(-1, V), targets.view(-1))
        return logits, loss


model = Gpt()
decay = [p_ for n_, p_ in model.named_parameters() if p_.dim() >= 2]
no_decay = [p_ for n_, p_ in model.named_parameters() if p_.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=a.lr, betas=(0.9, 0.99), eps=1e-8)


def lr_at(it):
    if it < a.warmup: return a.lr * it / a.warmup
    if it > a.iters: return a.min_lr
    r = (it - a.warmup) / max(1, a.iters - a.warmup)
    return a.min_lr + 0.5 * (1 + math.cos(math.pi * r)) * (a.lr - a.min_lr)


@torch.no_grad()
def evaluate(step):
    model.eval()
    g = torch.Generator().manual_seed(a.seed * 31 + step)
    out = {}
    for s in ("train", "val"):
        out[s] = sum(model(*batch(s, g))[1].item() for _ in range(a.eval_iters)) / a.eval_iters
    model.train()
    return out


times, val = [], float("nan")
for it in range(a.iters):
    for g_ in opt.param_groups: g_["lr"] = lr_at(it)
    t0 = time.perf_counter()
    x, y = batch("train")
    _, loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    dt = time.perf_counter() - t0
    if it > 0: times.append(dt)
    if (it + 1) % a.eval_interval == 0 or it + 1 == a.iters:
        e = evaluate(it + 1)
        val = e["val"]
        print(f"step {it + 1}: train {e['train']:.4f}, val {e['val']:.4f}, {dt * 1000:.0f} ms", flush=True)

ms = 1000 * sum(times) / max(1, len(times))


@torch.no_grad()
def generate_uncached(n):
    model.eval()
    idx = torch.zeros((1, 1), dtype=torch.long)
    t0 = time.perf_counter()
    for _ in range(n):
        logits, _ = model(idx[:, -T:])
        idx = torch.cat([idx, logits[:, -1, :].argmax(-1, keepdim=True)], dim=1)
    return n / (time.perf_counter() - t0)


gen = generate_uncached(a.gen_tokens)
print(json.dumps({"peer": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
                  "params": sum(p_.numel() for p_ in model.parameters()), "iters": a.iters,
                  "train_loss": round(loss.item(), 4), "val_loss": round(val, 4), "ms_per_iter": round(ms, 2),
                  "tokens_per_s": round(a.batch * T / (ms / 1000), 1), "gen_tokens_per_s_uncached": round(gen, 1)}))
