#!/usr/bin/env bash
# Detection benchmark: `kataster scan` against a plain parallel read of the same files
# (bench/scan.sh, examples/plain_read.rs), measured in the same run, on two trees:
#   1. a folder of 4,000 mixed files: every license/notice/copying file of the crates in
#      $CARGO_HOME/registry/src (real license texts, dual and concatenated ones), filled up
#      with their source files (headers, code that mentions licenses), built in bench/out/;
#   2. the whole crate tree of $CARGO_HOME/registry/src.
# Usage: bench/detect.sh        (RUNS=n for the number of timed runs, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
REG="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ | head -n 1)"
MIXED=bench/out/mixed4000
if [ ! -d "$MIXED" ]; then
  mkdir -p "$MIXED"
  {
    find "$REG" -maxdepth 2 -type f \( -iname 'licen[cs]e*' -o -iname 'copying*' -o -iname 'notice*' \) | sort
    find "$REG" -type f \( -name '*.rs' -o -name '*.c' -o -name '*.h' -o -name '*.md' -o -name '*.toml' -o -name '*.js' -o -name '*.py' \) -size -200k | sort
  } | awk '!seen[$0]++ && n++ < 4000' > bench/out/mixed4000.list
  while read -r f; do
    rel="${f#"$REG"}"
    mkdir -p "$MIXED/$(dirname "$rel")"
    cp "$f" "$MIXED/$rel"
  done < bench/out/mixed4000.list
fi
echo "== 4,000 mixed files"
bench/scan.sh "$MIXED"
echo
echo "== crate registry"
bench/scan.sh "$REG"
