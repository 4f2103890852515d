#!/usr/bin/env bash
# Scan benchmark: wall time of `kataster scan` against a plain parallel read of every file
# of the same tree (examples/plain_read.rs), measured in the same run, and their ratio.
#
# Usage: bench/scan.sh [TREE]   (default: the crates in $CARGO_HOME/registry/src: real
#                                 open-source code with sources, license files, manifests)
# Each command runs once to warm the page cache, then RUNS times (default 5); medians are reported.
set -euo pipefail
cd "$(dirname "$0")/.."
TREE="${1:-$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ | head -n 1)}"
RUNS="${RUNS:-5}"
cargo build --release --quiet --bin kataster --example plain_read
K=target/release/kataster
P=target/release/examples/plain_read

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { local s; s=$(now); "$@" >/dev/null 2>&1 || true; awk -v s="$s" -v e="$(now)" 'BEGIN {print e - s}'; }

"$P" "$TREE" >/dev/null
"$K" scan -q -o json=/dev/null "$TREE" || true
plain=$(for _ in $(seq "$RUNS"); do timeit "$P" "$TREE"; done | median)
hashed=$(for _ in $(seq "$RUNS"); do timeit "$P" --hash "$TREE"; done | median)
scan=$(for _ in $(seq "$RUNS"); do timeit "$K" scan -q -o json=/dev/null "$TREE"; done | median)
stats=$("$P" "$TREE")
files=$(sed -E 's/.*files=([0-9]+).*/\1/' <<<"$stats")
bytes=$(sed -E 's/.*bytes=([0-9]+).*/\1/' <<<"$stats")
awk -v tree="$TREE" -v files="$files" -v bytes="$bytes" -v plain="$plain" -v hashed="$hashed" -v scan="$scan" -v cores="$(nproc)" 'BEGIN {
  printf "tree:        %s\nfiles:       %d (%.1f MiB), %d cores\n", tree, files, bytes / 1048576, cores
  printf "plain read:  %.3f s\n", plain
  printf "read+hash:   %.3f s  (SHA-256 and SHA-1 of every file)\n", hashed
  printf "kataster:    %.3f s  (%.0f files/s, %.1f MiB/s)\n", scan, files / scan, bytes / 1048576 / scan
  printf "ratio:       %.2fx the plain read, %.2fx read+hash\n", scan / plain, scan / hashed
}'
