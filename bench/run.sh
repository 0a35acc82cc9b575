#!/bin/sh
# Run the benchmarks (`make bench`) and print their tables.
# usage: sh bench/run.sh [BUILD_DIR]
# BENCH_ROWS, BENCH_ROUNDS and BENCH_DIR override the defaults of
# bench_store (100000 rows, 5 rounds, $TMPDIR or /tmp); BENCH_CUSTOMERS,
# BENCH_QUERIES and BENCH_BASELINE those of bench_search (1000000
# customers, 2000 queries per kind, 20 baseline queries per kind);
# BENCH_IMPORT_ROWS that of bench_import (100000 rows); BENCH_HISTORY_CUSTOMERS,
# BENCH_HISTORY_LEDGER and BENCH_HISTORY_EVENTS those of bench_history
# (1000000 customers, 20000000 ledger entries, 10000 events);
# BENCH_SANITIZE_MB that of bench_sanitize (64 MB of text).
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
echo

set -- -n "${BENCH_CUSTOMERS:-1000000}" -q "${BENCH_QUERIES:-2000}" \
	-b "${BENCH_BASELINE:-20}"
if [ -n "${BENCH_DIR:-}" ]; then
	set -- "$@" -d "$BENCH_DIR"
fi
start=$(date +%s)
"$BUILD/bench/bench_search" "$@" || rc=$?
echo "bench_search: $(($(date +%s) - start))s"
echo

set -- -n "${BENCH_IMPORT_ROWS:-100000}"
if [ -n "${BENCH_DIR:-}" ]; then
	set -- "$@" -d "$BENCH_DIR"
fi
start=$(date +%s)
"$BUILD/bench/bench_import" "$@" || rc=$?
echo "bench_import: $(($(date +%s) - start))s"
echo

set -- -c "${BENCH_HISTORY_CUSTOMERS:-1000000}" \
	-l "${BENCH_HISTORY_LEDGER:-20000000}" -e "${BENCH_HISTORY_EVENTS:-10000}"
if [ -n "${BENCH_DIR:-}" ]; then
	set -- "$@" -d "$BENCH_DIR"
fi
start=$(date +%s)
"$BUILD/bench/bench_history" "$@" || rc=$?
echo "bench_history: $(($(date +%s) - start))s"
echo

start=$(date +%s)
"$BUILD/bench/bench_sanitize" -m "${BENCH_SANITIZE_MB:-64}" || rc=$?
echo "bench_sanitize: $(($(date +%s) - start))s"
exit $rc
