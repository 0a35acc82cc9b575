#!/bin/sh
# make soak: the long proofs that do not belong in CI (kill -9 loops,
# power-loss states, byte flips at scale). Each tests/soak/NAME.sh is run
# in turn with the build directory and the count in the environment and
# prints one line of figures starting with "soak NAME:"; this script
# collects those lines. Exits non-zero if any part fails.
# usage: sh tests/soak/run.sh BUILD_DIR [COUNT] [NAME...]
#   COUNT  scales every part (iterations or states); default 10000
set -u
BUILD=${1:-build}
COUNT=${2:-10000}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
case "$COUNT" in
'' | *[!0-9]*)
	echo "soak: COUNT must be a whole number, not '$COUNT'" >&2
	exit 64
	;;
esac
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$TOP" && cd "$BUILD" && pwd)
export PATRON="$BUILD/patron" PATRON_BUILD="$BUILD" PATRON_TOP="$TOP"
export SOAK_COUNT="$COUNT"
LOG=$(mktemp -d "${TMPDIR:-/tmp}/patron-soak.XXXXXX")
failed=""
summary=""
for t in "$TOP"/tests/soak/*.sh; do
	name=$(basename "$t" .sh)
	[ "$name" = run ] && continue
	case "$name" in lib*) continue ;; esac
	if [ $# -gt 0 ]; then
		want=0
		for n in "$@"; do [ "$n" = "$name" ] && want=1; done
		[ $want = 1 ] || continue
	fi
	echo "== soak $name ($COUNT)"
	start=$(date +%s)
	sh "$t" >"$LOG/$name.log" 2>&1
	rc=$?
	line=$(grep "^soak $name:" "$LOG/$name.log" | tail -n 1)
	[ -n "$line" ] || line="soak $name: no figures printed"
	line="$line ($(($(date +%s) - start)) s)"
	echo "$line"
	summary="$summary
$line"
	if [ $rc -ne 0 ]; then
		failed="$failed $name"
		tail -n 20 "$LOG/$name.log" | sed 's/^/   /'
	fi
done
echo "logs: $LOG"
echo "== figures$summary"
if [ -n "$failed" ]; then
	echo "soak: FAILED:$failed"
	exit 1
fi
echo "soak: all parts passed"
