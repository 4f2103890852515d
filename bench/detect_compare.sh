#!/usr/bin/env bash
# Detection cost against a baseline binary, measured in the same run: wall time on the
# 4,000 mixed files of bench/detect.sh and on the whole crate registry (medians of RUNS
# runs, page cache warm), start-up (binary start to the first file matched: a scan of one
# license file), peak memory (max RSS of the registry scan) and the stripped binary size.
#
# Usage: BASE=/path/to/baseline/kataster bench/detect_compare.sh   (RUNS=n, default 5;
#        NEW=/path/to/kataster to compare another build than this tree's release build;
#        PRE=/path/to/kataster of the tree before the catalogue adds its column and the
#        ratio to it, for the bound on the whole-tree cost)
# The baseline is a release build of an earlier commit (e.g. `git worktree add` of main,
# `cargo build --release`). Run bench/detect.sh once first: it builds bench/out/mixed4000.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BASE:?set BASE to the baseline kataster binary}"
RUNS="${RUNS:-5}"
REG="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ | head -n 1)"
MIXED=bench/out/mixed4000
[ -d "$MIXED" ] || { echo "run bench/detect.sh first (it builds $MIXED)" >&2; exit 2; }
if [ -z "${NEW:-}" ]; then
  cargo build --release --quiet --bin kataster
  NEW=target/release/kataster
fi
ONE=bench/out/one-license
mkdir -p "$ONE" && cp "$(find "$REG" -maxdepth 2 -iname 'LICENSE-MIT' | sort | head -n 1)" "$ONE/LICENSE"
HOME_ISO=$(mktemp -d)
trap 'rm -rf "$HOME_ISO"' EXIT

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { local s; s=$(now); HOME="$HOME_ISO" "$@" >/dev/null 2>&1 || true; awk -v s="$s" -v e="$(now)" 'BEGIN {print e - s}'; }
scan() { "$1" scan -q --no-local-caches -o json=/dev/null "$2"; }
rss() { HOME="$HOME_ISO" /usr/bin/time -f %M "$1" scan -q --no-local-caches -o json=/dev/null "$2" 2>&1 >/dev/null | tail -n 1; }
stripped() { local t; t=$(mktemp); strip -o "$t" "$1"; stat -c %s "$t"; rm -f "$t"; }

BINS=("$BASE" "$NEW")
[ -n "${PRE:-}" ] && BINS=("$PRE" "$BASE" "$NEW")
for b in "${BINS[@]}"; do scan "$b" "$MIXED" >/dev/null 2>&1 || true; scan "$b" "$REG" >/dev/null 2>&1 || true; done
if [ -n "${PRE:-}" ]; then
  printf "%-22s %12s %12s %12s %8s %8s\n" "" "pre-catalogue" "baseline" "this" "/base" "/pre"
else
  printf "%-22s %12s %12s %8s\n" "" "baseline" "this" "ratio"
fi
# One row: the measurement of each binary, the ratios. Timed rows interleave the binaries
# run by run (a, b, c, a, b, c, ...) so that a load that comes and goes on a shared machine
# falls on all of them; each value is the median of its runs.
timed() {
  local target="$1" i k
  local -a times
  for i in $(seq "$RUNS"); do
    for k in "${!BINS[@]}"; do times[k]+="$(timeit scan "${BINS[$k]}" "$target") "; done
  done
  for k in "${!BINS[@]}"; do echo "${times[$k]}" | tr ' ' '\n' | grep . | median; done
}
row() {
  local name="$1" unit="$2"; shift 2
  local vals=() b
  if [ "$1" = timed ]; then
    mapfile -t vals < <("$@")
  else
    for b in "${BINS[@]}"; do vals+=("$("$@" "$b")"); done
  fi
  if [ -n "${PRE:-}" ]; then
    awk -v n="$name" -v p="${vals[0]}" -v a="${vals[1]}" -v b="${vals[2]}" -v u="$unit" \
      'BEGIN {printf "%-22s %11.3f%s %11.3f%s %11.3f%s %7.2fx %7.2fx\n", n, p, u, a, u, b, u, b / a, b / p}'
  else
    awk -v n="$name" -v a="${vals[0]}" -v b="${vals[1]}" -v u="$unit" \
      'BEGIN {printf "%-22s %11.3f%s %11.3f%s %7.2fx\n", n, a, u, b, u, b / a}'
  fi
}
memory() { echo $(( $(rss "$1" "$REG") / 1024 )); }
size() { stripped "$1" | awk '{print $1 / 1048576}'; }
row "4,000 mixed files" s timed "$MIXED"
row "crate registry" s timed "$REG"
row "start-up, one file" s timed "$ONE"
row "peak memory (MiB)" "" memory
row "stripped binary (MiB)" "" size
