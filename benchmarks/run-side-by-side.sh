#!/usr/bin/env bash
# tinygen next to its peers on this machine, in one go: GPT training tok/s, generation tok/s (with and without the KV
# cache), MLP steps/s, VAE s/epoch and test loss (PyTorch and DL4J), autoencoder s/epoch and test quality (DL4J),
# BPE MB/s; model FLOPs utilisation of GPT training against the measured sgemm peak. Prints a markdown table (also
# written to --out) with ratios tinygen / peer.
#
# Usage: benchmarks/run-side-by-side.sh [--iters 300] [--rounds 1] [--gen-tokens 200] [--mlp-epochs 1]
#                                       [--vae-epochs 1] [--ae-epochs 1] [--out benchmarks/results/side-by-side.md]
#                                       [--rebuild]
#
# Peers: the PyTorch scripts in benchmarks/peers/ need Debian's torch with OpenBLAS:
#     apt-get install -y python3-torch libopenblas0-pthread
# (without libopenblas0-pthread torch falls back to the reference BLAS, 30x slower); the VAE as PyTorch's
# examples/vae publishes it (torchvision's dataset and DataLoader, vae_example_peer.py) also needs python3-torchvision.
# A missing peer is skipped with a message. PYTHON picks the interpreter (default /usr/bin/python3, Debian's, where python3-torch installs).
# The DL4J peers (dev.tinygen.bench.dl4j.Dl4jPeers) are in benchmarks.jar: they need only MNIST.
# Runs interleave: each round runs tinygen and the peer back to back, alternating which goes first, so a busy
# neighbour on a shared machine slows both sides alike; with --rounds > 1 the table shows medians.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

iters=300; rounds=1; gen_tokens=200; mlp_epochs=1; vae_epochs=1; ae_epochs=1; out="benchmarks/results/side-by-side.md"; rebuild=0
while [ $# -gt 0 ]; do
  case "$1" in
    --iters) iters="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --gen-tokens) gen_tokens="$2"; shift 2 ;;
    --mlp-epochs) mlp_epochs="$2"; shift 2 ;;
    --vae-epochs) vae_epochs="$2"; shift 2 ;;
    --ae-epochs) ae_epochs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-side-by-side.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$iters" "$rounds" "$gen_tokens" "$mlp_epochs" "$vae_epochs" "$ae_epochs"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "run-side-by-side.sh: expected a positive whole number, got '$n'" >&2; exit 2; }
done

# Measured: passive OpenMP waiting makes ND4J's small ops 1.5-2x faster on 2 cores; PyTorch gets the same setting.
export OMP_WAIT_POLICY=PASSIVE
py="${PYTHON:-/usr/bin/python3}"
[ -x "$py" ] || py="$(command -v python3 || true)"
[ -n "$py" ] || { echo "run-side-by-side.sh: needs python3 (for the peers and the table)" >&2; exit 2; }

jar=benchmarks/target/benchmarks.jar
if [ "$rebuild" = 1 ] || [ ! -f "$jar" ] || [ ! -f examples/target/classpath.txt ]; then
  echo "building tinygen and benchmarks.jar..." >&2
  ./mvnw -q -B -DskipTests install >&2
fi

logs="$(dirname "$out")/side-by-side-logs"
mkdir -p "$logs"
results="$logs/results.jsonl"
: > "$results"
note() { echo "# $*" | tee -a "$logs/notes.txt" >&2; }
: > "$logs/notes.txt"
record() {
  if [ -z "$3" ]; then note "round $1: no result for $2 (see the logs in $logs)"; return 0; fi
  echo "{\"round\":$1,\"what\":\"$2\",\"data\":$3}" >> "$results"
}
# Runs a command with its output in a log; a failure is noted and the run goes on with the other comparisons.
logged() {
  local log="$1"; shift
  local rc=0
  "$@" > "$log" 2>&1 || rc=$?
  [ "$rc" = 0 ] || note "failed: $* (exit $rc; see $log)"
}
last_json() { grep -E '^\{.*\}$' "$1" | tail -1 || true; }

# The peers read dickens.txt as a file: take it from the crunch-test jar the examples run with.
crunch="$(tr ':' '\n' < examples/target/classpath.txt | grep 'crunch-test' | head -1)"
dickens="$logs/dickens.txt"
unzip -p "$crunch" dickens.txt > "$dickens"
mnist="${TINYGEN_DATA:-$HOME/.cache/tinygen}/mnist"

torch_ok=0
if "$py" -c 'import torch' 2>/dev/null; then
  torch_ok=1
  # Not `ldconfig -p | grep -q`: grep -q exits at the first match, ldconfig dies of SIGPIPE, and pipefail turns that
  # into a failure, so the warning showed even with OpenBLAS installed.
  if ! ldconfig -p 2>/dev/null | grep -c libopenblas > /dev/null; then
    note "warning: no OpenBLAS found; torch will use the reference BLAS: apt-get install -y libopenblas0-pthread"
  fi
else
  note "PyTorch peers skipped: $py cannot import torch; install with: apt-get install -y python3-torch libopenblas0-pthread"
fi
mnist_ok=0
[ -f "$mnist/train-images-idx3-ubyte" ] || [ -f "$mnist/train-images-idx3-ubyte.gz" ] && mnist_ok=1
[ "$mnist_ok" = 1 ] || note "MLP and VAE skipped: no MNIST in $mnist (run scripts/fetch-data.sh)"
vae_cmd=0
# `tinygen train-vae --help` would print the top-level usage for an unknown command: look in the command list.
./tinygen --help > "$logs/tinygen-help.txt" 2>&1 || true
if grep -qE '^ +train-vae( |$)' "$logs/tinygen-help.txt"; then vae_cmd=1
else note "tinygen VAE skipped: this build has no 'train-vae' command"; fi
vae_peer=0
if [ -f benchmarks/peers/vae_peer.py ] && [ "$torch_ok" = 1 ]; then vae_peer=1
else note "PyTorch VAE peer skipped: benchmarks/peers/vae_peer.py is missing or torch is unavailable"; fi
# The recipe as PyTorch's examples/vae runs it (torchvision's dataset and DataLoader): needs python3-torchvision.
vae_example=0
if [ -f benchmarks/peers/vae_example_peer.py ] && [ "$torch_ok" = 1 ] && "$py" -c 'import torchvision' 2>/dev/null; then vae_example=1
else note "PyTorch examples/vae peer skipped: needs torchvision (apt-get install -y python3-torchvision)"; fi
ae_cmd=0
if grep -qE '^ +train-ae( |$)' "$logs/tinygen-help.txt"; then ae_cmd=1
else note "tinygen autoencoder skipped: this build has no 'train-ae' command"; fi
dl4j_ok=0
if unzip -l "$jar" 'dev/tinygen/bench/dl4j/Dl4jPeers.class' > /dev/null 2>&1; then dl4j_ok=1
else note "DL4J peers skipped: $jar has no dev.tinygen.bench.dl4j.Dl4jPeers (rebuild with --rebuild)"; fi

echo "sgemm peak..." >&2
java -cp "$jar" dev.tinygen.bench.GemmPeak --seconds 3 > "$logs/gemm-peak.txt"
record 0 gemm_peak "$(last_json "$logs/gemm-peak.txt")"
backend="$(head -1 "$logs/gemm-peak.txt")"

run_tinygen_gpt() {
  local r=$1 dir="$logs/gpt-run-$1"
  echo "round $r: tinygen train-gpt --iters $iters" >&2
  logged "$logs/tinygen-gpt-$r.txt" ./tinygen train-gpt --iters "$iters" --sample-tokens 20 --out "$dir"
  record "$r" tinygen_gpt "$(last_json "$logs/tinygen-gpt-$r.txt")"
  local v; v="$(grep -o 'vocabulary [0-9]*' "$logs/tinygen-gpt-$r.txt" | head -1 | cut -d' ' -f2 || true)"
  record "$r" tinygen_vocab "${v:+{\"vocab\":$v\}}"
  for mode in cache no-cache; do
    echo "round $r: tinygen sample ($mode)" >&2
    local flag=""; [ "$mode" = no-cache ] && flag="--no-cache"
    logged "$logs/tinygen-sample-$mode-$r.txt" ./tinygen sample --run "$dir" --tokens "$gen_tokens" --greedy $flag
    local tps; tps="$(grep -o '([0-9.]* tokens/s' "$logs/tinygen-sample-$mode-$r.txt" | tail -1 | tr -d '(' | cut -d' ' -f1 || true)"
    record "$r" "tinygen_gen_$mode" "${tps:+{\"tokens_per_s\":$tps\}}"
  done
}
run_peer_gpt() {
  [ "$torch_ok" = 1 ] || return 0
  echo "round $1: gpt_peer.py --iters $iters" >&2
  logged "$logs/peer-gpt-$1.txt" "$py" benchmarks/peers/gpt_peer.py "$dickens" --iters "$iters" --gen-tokens "$gen_tokens"
  record "$1" peer_gpt "$(last_json "$logs/peer-gpt-$1.txt")"
}
run_tinygen_mlp() {
  [ "$mnist_ok" = 1 ] || return 0
  echo "round $1: tinygen train-mlp --epochs $mlp_epochs" >&2
  logged "$logs/tinygen-mlp-$1.txt" ./tinygen train-mlp --epochs "$mlp_epochs"
  record "$1" tinygen_mlp "$(last_json "$logs/tinygen-mlp-$1.txt")"
}
run_peer_mlp() {
  [ "$torch_ok" = 1 ] && [ "$mnist_ok" = 1 ] || return 0
  echo "round $1: mlp_peer.py --epochs $mlp_epochs" >&2
  logged "$logs/peer-mlp-$1.txt" "$py" benchmarks/peers/mlp_peer.py "$mnist" --epochs "$mlp_epochs"
  record "$1" peer_mlp "$(last_json "$logs/peer-mlp-$1.txt")"
}
run_tinygen_vae() {
  [ "$vae_cmd" = 1 ] && [ "$mnist_ok" = 1 ] || return 0
  echo "round $1: tinygen train-vae --epochs $vae_epochs" >&2
  # The 2-D latent variant trains after the timed model and is not compared: skip it.
  logged "$logs/tinygen-vae-$1.txt" ./tinygen train-vae --epochs "$vae_epochs" --latent2-epochs 0 --out "$logs/vae-run-$1"
  record "$1" tinygen_vae "$(last_json "$logs/tinygen-vae-$1.txt")"
}
run_peer_vae() {
  [ "$vae_peer" = 1 ] && [ "$mnist_ok" = 1 ] || return 0
  echo "round $1: vae_peer.py --epochs $vae_epochs" >&2
  logged "$logs/peer-vae-$1.txt" "$py" benchmarks/peers/vae_peer.py "$mnist" --epochs "$vae_epochs"
  record "$1" peer_vae "$(last_json "$logs/peer-vae-$1.txt")"
}
run_example_vae() {
  [ "$vae_example" = 1 ] && [ "$mnist_ok" = 1 ] || return 0
  echo "round $1: vae_example_peer.py --epochs $vae_epochs" >&2
  logged "$logs/example-vae-$1.txt" "$py" benchmarks/peers/vae_example_peer.py "$mnist" --epochs "$vae_epochs"
  record "$1" example_vae "$(last_json "$logs/example-vae-$1.txt")"
}
run_dl4j_vae() {
  [ "$dl4j_ok" = 1 ] && [ "$mnist_ok" = 1 ] || return 0
  echo "round $1: DL4J VAE --epochs $vae_epochs" >&2
  logged "$logs/dl4j-vae-$1.txt" java -Xmx4g -cp "$jar" dev.tinygen.bench.dl4j.Dl4jPeers --model vae --epochs "$vae_epochs" --mnist "$mnist"
  record "$1" dl4j_vae "$(last_json "$logs/dl4j-vae-$1.txt")"
}
# train-ae always trains the plain autoencoder first and times only it (s_per_epoch, train_loss_per_image,
# test_psnr_db in its JSON); the one denoising run it insists on and the anomaly runs (skipped here) come after.
run_tinygen_ae() {
  [ "$ae_cmd" = 1 ] && [ "$mnist_ok" = 1 ] || return 0
  echo "round $1: tinygen train-ae --epochs $ae_epochs" >&2
  logged "$logs/tinygen-ae-$1.txt" ./tinygen train-ae --epochs "$ae_epochs" --anomaly-epochs 0 --noise gaussian:0.5 --out "$logs/ae-run-$1"
  record "$1" tinygen_ae "$(last_json "$logs/tinygen-ae-$1.txt")"
}
run_dl4j_ae() {
  [ "$dl4j_ok" = 1 ] && [ "$mnist_ok" = 1 ] || return 0
  echo "round $1: DL4J autoencoder --epochs $ae_epochs" >&2
  logged "$logs/dl4j-ae-$1.txt" java -Xmx4g -cp "$jar" dev.tinygen.bench.dl4j.Dl4jPeers --model ae --epochs "$ae_epochs" --mnist "$mnist"
  record "$1" dl4j_ae "$(last_json "$logs/dl4j-ae-$1.txt")"
}
run_bpe() {
  echo "round $1: BPE tinygen vs jtokkit" >&2
  logged "$logs/bpe-$1.txt" java -Xmx4g -cp "$jar" dev.tinygen.bench.BpeThroughput --rounds 5
  record "$1" bpe "$(last_json "$logs/bpe-$1.txt")"
}

for r in $(seq 1 "$rounds"); do
  # Odd rounds start with tinygen, even rounds with the peer, so slow drift in the machine's load cancels out.
  if [ $((r % 2)) = 1 ]; then
    run_tinygen_gpt "$r"; run_peer_gpt "$r"; run_tinygen_mlp "$r"; run_peer_mlp "$r"
    run_tinygen_vae "$r"; run_peer_vae "$r"; run_example_vae "$r"; run_dl4j_vae "$r"; run_tinygen_ae "$r"; run_dl4j_ae "$r"
  else
    run_peer_gpt "$r"; run_tinygen_gpt "$r"; run_peer_mlp "$r"; run_tinygen_mlp "$r"
    run_dl4j_vae "$r"; run_example_vae "$r"; run_peer_vae "$r"; run_tinygen_vae "$r"; run_dl4j_ae "$r"; run_tinygen_ae "$r"
  fi
  run_bpe "$r"
done

mkdir -p "$(dirname "$out")"
"$py" - "$results" "$logs/notes.txt" "$backend" "$iters" "$rounds" "$gen_tokens" "$mlp_epochs" "$vae_epochs" "$ae_epochs" <<'PY' | tee "$out"
import json, statistics, sys, datetime, platform, subprocess
results, notes_file, backend, iters, rounds, gen_tokens, mlp_epochs, vae_epochs, ae_epochs = sys.argv[1:10]
rows = [json.loads(l) for l in open(results) if l.strip()]

def med(what, key):
    vals = [r["data"][key] for r in rows if r["what"] == what and r["data"].get(key) is not None]
    return statistics.median(vals) if vals else None

def fmt(v, digits=1):
    return "n/a" if v is None else f"{v:,.{digits}f}"

def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"

def diff(a, b, digits=2):
    return "n/a" if a is None or b is None else f"{a - b:+.{digits}f}"

def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"): return line.split(":", 1)[1].strip()
    except OSError: pass
    return platform.processor() or "unknown CPU"

tg_tok, pt_tok = med("tinygen_gpt", "tokens_per_s"), med("peer_gpt", "tokens_per_s")
tg_gc, tg_gn = med("tinygen_gen_cache", "tokens_per_s"), med("tinygen_gen_no-cache", "tokens_per_s")
pt_gen = med("peer_gpt", "gen_tokens_per_s_uncached")
tg_mlp, pt_mlp = med("tinygen_mlp", "steps_per_s"), med("peer_mlp", "steps_per_s")
tg_vae, pt_vae = med("tinygen_vae", "s_per_epoch"), med("peer_vae", "s_per_epoch")
dj_vae = med("dl4j_vae", "s_per_epoch")
ex_vae, ex_vae_test = med("example_vae", "s_per_epoch"), med("example_vae", "test_loss_per_sample")
tg_vae_test, pt_vae_test = med("tinygen_vae", "test_loss_per_sample"), med("peer_vae", "test_loss_per_sample")
dj_vae_test = med("dl4j_vae", "test_loss_per_sample")
tg_ae, dj_ae = med("tinygen_ae", "s_per_epoch"), med("dl4j_ae", "s_per_epoch")
tg_ae_train, dj_ae_train = med("tinygen_ae", "train_loss_per_image"), med("dl4j_ae", "train_loss_per_sample")
tg_ae_psnr, dj_ae_psnr = med("tinygen_ae", "test_psnr_db"), med("dl4j_ae", "test_psnr_db")
dj_ae_test = med("dl4j_ae", "test_loss_per_sample")
tg_bpe, jt_bpe = med("bpe", "tinygen_mb_per_s"), med("bpe", "jtokkit_mb_per_s")
peak = med("gemm_peak", "gflops_best")
torch_v = next((r["data"].get("torch") for r in rows if r["what"] == "peer_gpt"), None)

print(f"## Side by side ({datetime.date.today().isoformat()})\n")
print(f"- machine: {cpu()}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores")
print(f"- tinygen: `{backend}`")
print(f"- PyTorch: {torch_v or 'not run'}; DL4J 1.0.0-M2.1 (same ND4J backend as tinygen); jtokkit 1.1.0")
print(f"- command: `benchmarks/run-side-by-side.sh --iters {iters} --rounds {rounds} --gen-tokens {gen_tokens} "
      f"--mlp-epochs {mlp_epochs} --vae-epochs {vae_epochs} --ae-epochs {ae_epochs}` (medians over {rounds} round(s))\n")
print("| what | tinygen | peer | peer value | tinygen / peer | target |")
print("|---|---:|---|---:|---:|---|")
print(f"| GPT training, tok/s (cpuSmall, B 12, T 64, {iters} iters) | {fmt(tg_tok)} | PyTorch | {fmt(pt_tok)} | {ratio(tg_tok, pt_tok)} | >= 2x |")
print(f"| generation, tok/s, KV cache ({gen_tokens} tokens, batch 1) | {fmt(tg_gc)} | PyTorch, no cache | {fmt(pt_gen)} | {ratio(tg_gc, pt_gen)} | |")
print(f"| generation, tok/s, no cache | {fmt(tg_gn)} | PyTorch, no cache | {fmt(pt_gen)} | {ratio(tg_gn, pt_gen)} | |")
print(f"| MLP 784-128-10 training, steps/s (batch 64) | {fmt(tg_mlp)} | PyTorch | {fmt(pt_mlp)} | {ratio(tg_mlp, pt_mlp)} | |")
# Seconds per epoch: lower is better, so the ratio is peer / tinygen (above 1: tinygen faster), like the rates above.
print(f"| VAE 784-400-20, s/epoch ({vae_epochs} epoch(s); ratio = peer / tinygen) | {fmt(tg_vae, 2)} | PyTorch | {fmt(pt_vae, 2)} | {ratio(pt_vae, tg_vae)} | >= 1.5x |")
print(f"| VAE 784-400-20, s/epoch (ratio = peer / tinygen) | {fmt(tg_vae, 2)} | PyTorch, examples/vae as published (DataLoader) | {fmt(ex_vae, 2)} | {ratio(ex_vae, tg_vae)} | |")
print(f"| VAE 784-400-20, s/epoch (ratio = peer / tinygen) | {fmt(tg_vae, 2)} | DL4J | {fmt(dj_vae, 2)} | {ratio(dj_vae, tg_vae)} | |")
print(f"| VAE test loss, nats per image (-ELBO, one z draw; difference tinygen - peer) | {fmt(tg_vae_test, 2)} | PyTorch | {fmt(pt_vae_test, 2)} | {diff(tg_vae_test, pt_vae_test)} | |")
print(f"| VAE test loss, nats per image (difference tinygen - peer) | {fmt(tg_vae_test, 2)} | PyTorch, examples/vae | {fmt(ex_vae_test, 2)} | {diff(tg_vae_test, ex_vae_test)} | |")
print(f"| VAE test loss, nats per image (difference tinygen - peer) | {fmt(tg_vae_test, 2)} | DL4J | {fmt(dj_vae_test, 2)} | {diff(tg_vae_test, dj_vae_test)} | |")
print(f"| autoencoder 784-256-32, s/epoch ({ae_epochs} epoch(s); ratio = peer / tinygen) | {fmt(tg_ae, 2)} | DL4J | {fmt(dj_ae, 2)} | {ratio(dj_ae, tg_ae)} | |")
print(f"| autoencoder train loss, BCE per image, last epoch (difference tinygen - peer) | {fmt(tg_ae_train, 2)} | DL4J | {fmt(dj_ae_train, 2)} | {diff(tg_ae_train, dj_ae_train)} | |")
print(f"| autoencoder test PSNR, dB (higher is better; difference tinygen - peer) | {fmt(tg_ae_psnr, 2)} | DL4J | {fmt(dj_ae_psnr, 2)} | {diff(tg_ae_psnr, dj_ae_psnr)} | |")
print(f"| BPE encode, MB/s (cl100k_base, dickens.txt) | {fmt(tg_bpe, 2)} | jtokkit | {fmt(jt_bpe, 2)} | {ratio(tg_bpe, jt_bpe)} | >= 1x |")
print()
if dj_ae_test is not None:
    print(f"DL4J autoencoder test loss: {dj_ae_test:.2f} BCE per image (`./tinygen train-ae` reports test PSNR, not a test loss).\n")

vocab = med("tinygen_vocab", "vocab")
params = med("tinygen_gpt", "params")
print("### Model FLOPs utilisation, GPT training\n")
if params and vocab and peak:
    L, T, C = 4, 64, 128
    n_matmul = params - (vocab + T) * C          # embedding lookups (wte, wpe) do no multiply-adds
    per_token = 6 * n_matmul + 12 * L * T * C
    print(f"FLOPs per token = 6 N + 12 L T C, N = {n_matmul:,.0f} parameters outside the embedding tables "
          f"(of {params:,.0f}), L {L}, T {T}, C {C}: {per_token / 1e6:.2f} MFLOP per token.")
    print(f"Measured sgemm peak (1024^3 Nd4j.gemm, best repetition): {peak:.1f} GFLOP/s.\n")
    print("| who | tok/s | model GFLOP/s | MFU |")
    print("|---|---:|---:|---:|")
    for who, tok in (("tinygen", tg_tok), ("PyTorch", pt_tok)):
        if tok is None: continue
        g = per_token * tok / 1e9
        print(f"| {who} | {tok:,.0f} | {g:.2f} | {100 * g / peak:.1f}% |")
else:
    print("not computed: GPT run or sgemm peak missing")
print()
notes = [l.strip() for l in open(notes_file) if l.strip()]
if notes:
    print("### Skipped or warned\n")
    for n in notes: print(f"- {n.lstrip('# ')}")
PY
echo "written to $out; logs in $logs" >&2
