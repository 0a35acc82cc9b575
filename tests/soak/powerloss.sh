#!/bin/sh
# make soak: power-loss states at scale (see tests/cli/powerloss.sh for the
# crash model), SOAK_COUNT/10 states (at least 10) of each kind:
#   commits      a writer committing, checkpointing every 8 pages
#   checkpoints  the same log, crash points right after a write or sync of
#                the database file
#   keys         key passwd and key add key-file between commits: the old
#                or the new passphrase opens, the new one and the added key
#                file once reported
#   rotation     key rotate between commits
#   backup       backup between commits: once reported, the backup passes
#                check and holds what was committed before it
#   restore      restore over a database: the old one or the restored one,
#                whole, and the restored one once reported
# Every state must also open, pass check on its first run and hold every
# commit reported before the last completed sync. Prints one line starting
# "soak powerloss:"; POWERLOSS_SEED and POWERLOSS_EXAMPLES as in the test.
# usage: run through tests/soak/run.sh (PATRON, PATRON_BUILD, PATRON_TOP)
. "$PATRON_TOP/tests/cli/lib.sh"
. "$PATRON_TOP/tests/cli/lib_powerloss.sh"
N=$((${SOAK_COUNT:-10000} / 10))
[ "$N" -ge 10 ] || N=10
SEED=${POWERLOSS_SEED:-$$}
PL_EXAMPLES=${POWERLOSS_EXAMPLES:-$T/examples}
export PL_OLD="old passphrase 1" PL_NEW="new passphrase 2"
echo "# seed $SEED, $N states of each kind"
figures=""
failed=""

# run KIND CHECK LOG [crashstates options]: N states of KIND from DIR.log
run() {
	r_kind=$1
	r_how=$2
	r_dir=$3
	shift 3
	states "$r_kind" "$r_how" -n "$N" -s "$SEED" "$@" "$r_dir.log" \
		"$r_dir.snap"
	clean "$r_kind"
	figures="$figures, $r_kind $st_states: $st_open unopenable, $st_check first check failed, $st_lost lost, $st_damaged damaged"
	[ "$st_errors" -eq 0 ] || figures="$figures, $st_errors errors"
	[ $((st_open + st_check + st_lost + st_damaged + st_errors)) -eq 0 ] ||
		failed="$failed $r_kind"
}
# step DIR LOG WORD COMMAND...: a recorded command; WORD marked if it worked
step() {
	s_dir=$1
	s_word=$2
	shift 2
	LD_PRELOAD="$PL_SO" POWERLOG_DIR="$s_dir" POWERLOG_OUT="$s_dir.log" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		"$@" >>"$s_dir.cmd" 2>&1 &&
		"$CS" mark "$s_dir.log" "$s_word" && echo "$s_word" >>"$s_dir.steps"
}
# commits DIR N: N more commits of the writer, recorded
commits() { record "$1" "$1.log" "$PW" patron "$2" 8 >>"$1.out" 2>>"$1.err"; }
# begin DIR: a database in DIR with 20 commits, its snapshot taken
begin() {
	patron_db "$1" && "$PW" patron 20 8 >/dev/null && "$CS" snap "$1" "$1.snap"
}

begin "$T/c"
commits "$T/c" 400
run commits patron "$T/c"
run checkpoints patron "$T/c" -f patron.db

begin "$T/k"
PATRON_NEW_PASSPHRASE="$PL_OLD" "$PATRON" key add passphrase >/dev/null
"$CS" snap "$T/k" "$T/k.snap"
commits "$T/k" 10
export PATRON_NEW_PASSPHRASE="$PL_NEW"
step "$T/k" passwd "$PATRON" key passwd 1
unset PATRON_NEW_PASSPHRASE
commits "$T/k" 10
step "$T/k" add "$PATRON" key add key-file "$T/k/k2"
commits "$T/k" 10
check "key passwd and key add worked while recorded" \
	test "$(cat "$T/k.steps")" = "passwd
add"
run keys keys "$T/k"

begin "$T/r"
commits "$T/r" 10
step "$T/r" rotate "$PATRON" key rotate
commits "$T/r" 10
check "key rotate worked while recorded" grep -qx rotate "$T/r.steps"
run rotation patron "$T/r"

begin "$T/b"
commits "$T/b" 10
step "$T/b" backup "$PATRON" backup "$T/b/b.pbk"
commits "$T/b" 10
check "backup worked while recorded" grep -qx backup "$T/b.steps"
run backup backup "$T/b"

begin "$T/s"
"$PATRON" backup "$T/s/b.pbk" >/dev/null
"$PW" patron 20 8 >/dev/null
"$CS" snap "$T/s" "$T/s.snap"
step "$T/s" restore "$PATRON" restore "$T/s/b.pbk"
check "restore worked while recorded" grep -qx restore "$T/s.steps"
export PL_OLD_ROWS=40 PL_BACKUP_ROWS=20
run restore restore "$T/s"

echo "soak powerloss: seed $SEED${figures}${failed:+; FAILED:$failed}"
[ -z "${POWERLOSS_EXAMPLES:-}" ] || echo "# failing states kept in $PL_EXAMPLES"
done_testing
