#!/bin/sh
# Run the benchmarks (`make bench`) and print their tables.
# usage: sh bench/run.sh [BUILD_DIR]
# BENCH_ROWS, BENCH_ROUNDS and BENCH_DIR override the defaults of
# bench_store (100000 rows, 5 rounds, $TMPDIR or /tmp).
set -u
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1

set -- -n "${BENCH_ROWS:-100000}" -r "${BENCH_ROUNDS:-5}"
if [ -n "${BENCH_DIR:-}" ]; then
	set -- "$@" -d "$BENCH_DIR"
fi

start=$(date +%s)
"$BUILD/bench/bench_store" "$@"
rc=$?
echo "bench_store: $(($(date +%s) - start))s"
exit $rc
