#!/bin/sh
# Run every test: the cmocka unit tests (TAP output) and the shell tests in
# tests/cli/ (TAP as well). Ends with one line "N passed, N failed".
# Test files run TEST_JOBS at a time (default: one per processor).
# usage: tests/run.sh BUILD_DIR [PATTERN]

# "run.sh --one NAME PATH [NAME PATH]...": test files one after the other,
# each one's TAP in $LOG and its exit status beside it.
if [ "${1:-}" = --one ]; then
	shift
	while [ $# -ge 2 ]; do
		tap="$LOG/$(echo "$1" | tr / _).tap"
		case "$2" in
		*.sh) sh "$2" >"$tap" 2>&1 ;;
		*) "$2" >"$tap" 2>&1 ;;
		esac
		echo $? >"$tap.rc"
		shift 2
	done
	exit 0
fi
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

# Every test file, by name: unit tests, then the shell tests.
list() {
	for t in "$BUILD"/tests/unit/test_*; do
		[ -x "$t" ] && echo "unit/$(basename "$t") $t"
	done
	for t in "$TOP"/tests/cli/*.sh "$TOP"/tests/tui/*.sh; do
		case $(basename "$t") in lib*.sh) continue ;; esac
		[ -f "$t" ] && echo "$(basename "$(dirname "$t")")/$(basename "$t" .sh) $t"
	done
}
list | while read -r name path; do
	case "$name" in *"$PATTERN"*) echo "$name $path" ;; esac
done >"$LOG/selected"
# The jobs, one a line, the longest first so that the parallel run does
# not end waiting on one of them (SLOW: the longest, longest first, as
# timed on 2 cores). The set-group-ID tests share one installed
# configuration: one job runs them one after the other.
SLOW="cli/crash tui/colours cli/powerloss cli/flips tui/messages setgid
cli/tamper tui/keybar tui/lock cli/concurrent unit/test_store cli/roles
cli/erase"
job_lines() {
	for s in $SLOW; do
		case $s in
		setgid) grep setgid "$LOG/selected" | paste -s -d ' ' - ;;
		*) grep "^$s " "$LOG/selected" ;;
		esac
	done
	grep -v setgid "$LOG/selected" | while read -r name path; do
		case " $(echo $SLOW) " in
		*" $name "*) ;;
		*) echo "$name $path" ;;
		esac
	done
}
export LOG
job_lines | grep . | xargs -r -L 1 -P "${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}" \
	sh "$0" --one
while read -r name path; do
	tap="$LOG/$(echo "$name" | tr / _).tap"
	count "$name" "$tap" "$(cat "$tap.rc" 2>/dev/null || echo 1)"
done <"$LOG/selected"
echo "logs: $LOG"
[ -n "$failures" ] && echo "failing:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
