#!/usr/bin/env bash
# Lockfile parse benchmark: one generated lockfile per format with N entries (default
# 100,000), parsed by its cataloger, against a generic parse of the same bytes measured in
# the same run (examples/lockfile_bench.rs). Usage: bench/lockfile.sh [N [FILE...]]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example lockfile_bench
target/release/examples/lockfile_bench "${1:-100000}" "${@:2}"
