#!/usr/bin/env bash
# Detection cost against a baseline binary, measured in the same run: wall time on the
# 4,000 mixed files of bench/detect.sh and on the whole crate registry (medians of RUNS
# runs, page cache warm), start-up (binary start to the first file matched: a scan of one
# license file), peak memory (max RSS of the registry scan) and the stripped binary size.
#
# Usage: BASE=/path/to/baseline/kataster bench/detect_compare.sh   (RUNS=n, default 5;
#        NEW=/path/to/kataster to compare another build than this tree's release build)
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
med() { for _ in $(seq "$RUNS"); do timeit scan "$1" "$2"; done | median; }
rss() { HOME="$HOME_ISO" /usr/bin/time -f %M "$1" scan -q --no-local-caches -o json=/dev/null "$2" 2>&1 >/dev/null | tail -n 1; }
stripped() { local t; t=$(mktemp); strip -o "$t" "$1"; stat -c %s "$t"; rm -f "$t"; }

for b in "$BASE" "$NEW"; do scan "$b" "$MIXED" >/dev/null 2>&1 || true; scan "$b" "$REG" >/dev/null 2>&1 || true; done
printf "%-22s %12s %12s %8s\n" "" "baseline" "this" "ratio"
row() { awk -v n="$1" -v a="$2" -v b="$3" -v u="$4" 'BEGIN {printf "%-22s %11.3f%s %11.3f%s %7.2fx\n", n, a, u, b, u, b / a}'; }
row "4,000 mixed files" "$(med "$BASE" "$MIXED")" "$(med "$NEW" "$MIXED")" s
row "crate registry" "$(med "$BASE" "$REG")" "$(med "$NEW" "$REG")" s
row "start-up, one file" "$(med "$BASE" "$ONE")" "$(med "$NEW" "$ONE")" s
row "peak memory (MiB)" "$(( $(rss "$BASE" "$REG") / 1024 ))" "$(( $(rss "$NEW" "$REG") / 1024 ))" ""
row "stripped binary (MiB)" "$(stripped "$BASE" | awk '{print $1 / 1048576}')" "$(stripped "$NEW" | awk '{print $1 / 1048576}')" ""
