# Shared by the shell tests: a temp directory per test file, TAP output,
# and cheap key derivation: PATRON_TEST_KDF=1 gives every passphrase slot
# and PIN hash libsodium's minimum Argon2id cost (patron(1), ENVIRONMENT),
# so hundreds of unlocks and logins cost little.
set -u
: "${PATRON:?run through tests/run.sh or set PATRON}"
W="$PATRON_BUILD/tests/helpers/writer" # the test helper, tests/helpers/writer.c
T=$(mktemp -d "${TMPDIR:-/tmp}/patron-cli.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"' EXIT
n=0
fails=0
printf 'security:\n  kdf: interactive\n' >"$T/config.yaml"
export PATRON_CONFIG="$T/config.yaml" PATRON_DB="$T/patron.db"
export PATRON_PASSPHRASE="correct horse battery" PATRON_USER=admin PATRON_PIN=2468
export PATRON_TEST_KDF=1
unset PATRON_KEY_FILE PATRON_NEW_PASSPHRASE PATRON_FAULT || true

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
# expect_status CODE DESCRIPTION COMMAND...: passes on that exit status.
expect_status() {
	want=$1
	d=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$d"; else
		not_ok "$d (exit $got, wanted $want)"
		sed 's/^/# /' "$T/err" | head -5
	fi
}
# No marker in any of the given files (binary-safe).
no_marker() {
	pat=$1
	shift
	for f in "$@"; do
		[ -f "$f" ] || continue
		if grep -a -q "$pat" "$f"; then
			echo "# marker '$pat' found in $f"
			return 1
		fi
	done
	return 0
}
# wait_until COMMAND...: poll (up to 60 s) until COMMAND succeeds.
wait_until() {
	i=0
	while [ $i -lt 600 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# gave up waiting for: $*"
	return 1
}
has_lines() { [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ]; }
# wait_ready FILE: until a helper printed "ready" there.
wait_ready() { wait_until grep -qs ready "$1"; }
# wait_lines FILE N: until FILE has N lines.
wait_lines() { wait_until has_lines "$1" "$2"; }
# crash_writer LINES: run the writer helper's commit loop until it has
# reported LINES commits (in $T/loop.out), then kill -9 it: a WAL holding
# committed frames is left behind.
crash_writer() {
	# Emptied first: the redirection below happens in the child, and the
	# wait must not count the lines of a writer before this one.
	: >"$T/loop.out"
	"$W" loop >"$T/loop.out" 2>&1 &
	cw_pid=$!
	wait_lines "$T/loop.out" "$1"
	kill -9 $cw_pid
	wait $cw_pid 2>/dev/null
}
# crash_hold hold|hold-journal SQL: run SQL in a transaction that is never
# committed, then kill -9 the process holding it.
crash_hold() {
	: >"$T/hold.out"	# not the "ready" of the one before (crash_writer)
	"$W" "$1" "$2" >"$T/hold.out" 2>&1 &
	ch_pid=$!
	wait_ready "$T/hold.out"
	kill -9 $ch_pid
	wait $ch_pid 2>/dev/null
}
# outfile PATH...: before patron writes to PATH (-o, backup, --skip-invalid,
# export-data, a redirection). Tests run as root: a path outside $T, or one
# that exists and is not a regular file (a device, a FIFO, a symlink), stops
# the test file instead of being written to.
outfile() {
	for f in "$@"; do
		case "$f" in
		"$T"/*) ;;
		*) echo "Bail out! output path outside $T: $f"; exit 1 ;;
		esac
		if [ -e "$f" ] || [ -L "$f" ]; then
			[ -f "$f" ] && [ ! -L "$f" ] || {
				echo "Bail out! output path is not a regular file: $f"
				exit 1
			}
		fi
	done
}
done_testing() { echo "1..$n"; [ "$fails" -eq 0 ]; }
