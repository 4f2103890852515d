#!/usr/bin/env bash
# Rescan benchmark: the nightly rescan of an unchanged estate with `--result-cache`, against
# the first scan that fills the cache, on the same tree in the same run; and both against a
# scan without the cache. The ratio second/first is the figure to report.
#
# Usage: bench/rescan.sh [DIR]   (default: the crates in $CARGO_HOME/registry/src, each
#                                 crate one repository of the estate, listed in an estate file)
# The page cache is warmed once; then RUNS times (default 3): an empty cache, the first scan,
# the second scan. Medians are reported. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ | head -n 1)}"
DIR="${DIR%/}"
RUNS="${RUNS:-3}"
cargo build --release --quiet --bin kataster
K=target/release/kataster
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The estate: every folder of DIR is a repository.
ESTATE="$WORK/estate.toml"
for d in "$DIR"/*/; do
  name=$(basename "$d")
  printf '[[repository]]\nname = "%s"\npath = "%s"\n\n' "$name" "${d%/}" >>"$ESTATE"
done
repos=$(grep -c '^\[\[repository\]\]' "$ESTATE")

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { local s; s=$(now); "$@" >/dev/null 2>&1 || true; awk -v s="$s" -v e="$(now)" 'BEGIN {print e - s}'; }
scan() { "$K" scan -q --estate-file "$ESTATE" -o json=/dev/null "$@"; }

scan >/dev/null 2>&1 || true # warm the page cache
plain=(); first=(); second=()
for _ in $(seq "$RUNS"); do
  rm -rf "$WORK/cache"
  plain+=("$(timeit scan)")
  first+=("$(timeit scan --result-cache "$WORK/cache")")
  second+=("$(timeit scan --result-cache "$WORK/cache")")
done
p=$(printf '%s\n' "${plain[@]}" | median)
f=$(printf '%s\n' "${first[@]}" | median)
s=$(printf '%s\n' "${second[@]}" | median)
files=$(find "$DIR" -type f | wc -l)
cache=$(du -sh "$WORK/cache" | cut -f1)
# The second scan must find what the first found.
scan --result-cache "$WORK/cache" -o json="$WORK/b.json"
scan -o json="$WORK/a.json"
same=$(python3 - "$WORK/a.json" "$WORK/b.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for v in (a, b):
    for k in ("started_at", "finished_at", "duration_ms"):
        v["scan"][k] = None
print("identical" if a == b else "DIFFERENT")
EOF
)
awk -v dir="$DIR" -v repos="$repos" -v files="$files" -v p="$p" -v f="$f" -v s="$s" -v cache="$cache" \
    -v cores="$(nproc)" -v same="$same" 'BEGIN {
  printf "estate:          %s (%d repositories, %d files), %d cores\n", dir, repos, files, cores
  printf "no cache:        %.3f s\n", p
  printf "first scan:      %.3f s  (filling the cache: %.2fx the scan without it; cache %s)\n", f, f / p, cache
  printf "second scan:     %.3f s  (unchanged estate, from the cache)\n", s
  printf "ratio:           %.2f (second / first), %.2f (second / no cache)\n", s / f, s / p
  printf "inventories:     %s (second scan with the cache against a scan without it)\n", same
}'
