#!/usr/bin/env bash
# Run kataster's fuzz targets, each for a bounded time (not part of `cargo test`).
#
#   fuzz/run.sh [SECONDS] [TARGET...]     # default: 60 seconds each, every target
#   JOBS=3 fuzz/run.sh 600                # three targets at a time
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Seeds come from
# fixtures/, crates/ecosystems/src/*/fixtures/ and fuzz/regressions/ (fuzz/seed.py). A
# crash stops its target and is left in fuzz/artifacts/TARGET/; turn it into a regression:
# fix the cause, copy the input to fuzz/regressions/TARGET/ and add a test over it. Prints
# per target: seconds, executions, and whether it found something.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
python3 seed.py
nice -n 19 cargo +nightly fuzz build -O >/dev/null
mkdir -p logs
run_one() {
    local t=$1 start end rc=0
    start=$(date +%s)
    nice -n 19 cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
        -max_total_time="$secs" -max_len=131072 -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
        >"logs/$t.log" 2>&1 || rc=$?
    end=$(date +%s)
    local execs
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo "?")
    if [ "$rc" -eq 0 ]; then
        echo "$t: $((end - start)) s, ${execs} executions, no finding"
    else
        echo "$t: $((end - start)) s, ${execs} executions, FOUND (exit $rc): see fuzz/logs/$t.log and fuzz/artifacts/$t/"
    fi
}
export -f run_one
export secs
printf '%s\n' "${targets[@]}" | xargs -P "${JOBS:-1}" -I{} bash -c 'run_one {}'
