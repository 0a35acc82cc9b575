#!/bin/sh
# Run every test: the cmocka unit tests (TAP output) and the shell tests in
# tests/cli/ (TAP as well). Ends with one line "N passed, N failed".
# usage: tests/run.sh BUILD_DIR [PATTERN]
BUILD=${1:-build}
PATTERN=${2:-}
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$TOP" && cd "$BUILD" && pwd)
export PATRON="$BUILD/patron" PATRON_BUILD="$BUILD" PATRON_TOP="$TOP"
export CMOCKA_MESSAGE_OUTPUT=TAP
LOG=$(mktemp -d "${TMPDIR:-/tmp}/patron-test-log.XXXXXX")
passed=0
failed=0
failures=""

count() { # name, tap file, exit status
	if [ ! -f "$2" ]; then
		# The log is gone (a cleaner of /tmp?): nothing was shown to pass.
		failed=$((failed + 1))
		failures="$failures $1"
		printf '%-40s no TAP output (%s missing)\n' "$1" "$2"
		return
	fi
	p=$(grep -c '^ok ' "$2")
	f=$(grep -c '^not ok ' "$2")
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		# A test that checked nothing has not passed.
		f=1
		echo "not ok - $1 reported no checks" >>"$2"
	elif [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		# A crash or an early exit is a failure even without a TAP line.
		f=1
		echo "not ok - $1 exited with status $3" >>"$2"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failures="$failures $1"
		grep -E '^not ok|^#' "$2" | head -20 | sed "s|^|  $1: |"
	fi
	printf '%-40s %3d passed %3d failed\n' "$1" "$p" "$f"
}

for t in "$BUILD"/tests/unit/test_*; do
	[ -x "$t" ] || continue
	name=unit/$(basename "$t")
	case "$name" in *"$PATTERN"*) ;; *) continue ;; esac
	"$t" >"$LOG/$(basename "$t").tap" 2>&1
	count "$name" "$LOG/$(basename "$t").tap" $?
done
for t in "$TOP"/tests/cli/*.sh "$TOP"/tests/tui/*.sh; do
	case $(basename "$t") in lib*.sh) continue ;; esac
	[ -f "$t" ] || continue
	name=$(basename "$(dirname "$t")")/$(basename "$t" .sh)
	case "$name" in *"$PATTERN"*) ;; *) continue ;; esac
	tap="$LOG/$(echo "$name" | tr / _).tap"
	sh "$t" >"$tap" 2>&1
	count "$name" "$tap" $?
done
echo "logs: $LOG"
[ -n "$failures" ] && echo "failing:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
