"""MNIST's IDX files as torch tensors, for the peer scripts beside this file (mlp_peer.py, vae_peer.py)."""
import struct

import torch


def idx(path):
    """One uncompressed IDX file: a big-endian magic (its low byte the rank), the sizes, then uint8 data."""
    with open(path, "rb") as f:
        magic, = struct.unpack(">I", f.read(4))
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(dims)


def images(directory, split):
    """split 'train' or 't10k': (N, 784) float32 pixels in [0, 1]."""
    return idx(f"{directory}/{split}-images-idx3-ubyte").reshape(-1, 784).float() / 255


def labels(directory, split):
    """split 'train' or 't10k': (N,) int64 digit labels."""
    return idx(f"{directory}/{split}-labels-idx1-ubyte").long()
