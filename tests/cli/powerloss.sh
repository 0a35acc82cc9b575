# Power loss: a writer's writes, truncations, renames and syncs are recorded
# by inode (tests/preload/powerlog.so), and the files are rebuilt as a power
# cut at a random moment could have left them (tests/helpers/crashstates.c:
# what each file had at its last sync, then any subset of its later writes
# with the last one torn at a 512-byte boundary; directory changes after the
# last directory sync kept as a prefix). Each state must open, pass
# `patron check` the first time and hold every commit the writer reported
# before the last completed sync.
#
# The controls run in the same harness: stock SQLite (WAL and rollback
# journal) must come through every state whole, and it must lose commits
# when the syncs are dropped from the log or it runs with synchronous=OFF,
# as must Patron without its syncs: the harness sees a loss when there is
# one.
#
# POWERLOSS_SEED picks the states (printed; the default changes each run),
# POWERLOSS_STATES scales them (default 200 for Patron's commits), and
# POWERLOSS_EXAMPLES=DIR keeps up to two failing states of each finding
# and kind (rebuilt files, description, verification output).
. "$PATRON_TOP/tests/cli/lib.sh"
. "$PATRON_TOP/tests/cli/lib_powerloss.sh"
SEED=${POWERLOSS_SEED:-$$}
N=${POWERLOSS_STATES:-200}
# Sanitized builds run each check several times slower.
[ -n "${PATRON_SANITIZED:-}" ] && [ -z "${POWERLOSS_STATES:-}" ] && N=100
PL_EXAMPLES=${POWERLOSS_EXAMPLES:-$T/examples}
echo "# seed $SEED, $N states for commits (POWERLOSS_SEED, POWERLOSS_STATES)"

# Patron: commits with a checkpoint every 8 pages, and the last checkpoint
# and removal of the WAL as the writer closes.
patron_db "$T/p"
"$CS" snap "$T/p" "$T/p.snap"
record "$T/p" "$T/p.log" "$PW" patron 150 8 >"$T/p.out" 2>"$T/p.err"
check "the Patron writer committed 150 transactions while recorded" \
	test "$(tail -n 1 "$T/p.out")" = 150
states commits patron -n "$N" -s "$SEED" "$T/p.log" "$T/p.snap"
clean "Patron, commits and checkpoints"
# Crash points right after a write or sync of the database file: inside
# checkpoints, where page 1 and others are overwritten in place.
states checkpoints patron -n $((N / 2)) -s "$SEED" -f patron.db \
	"$T/p.log" "$T/p.snap"
clean "Patron, inside checkpoints"

# Stock SQLite in the same harness: nothing lost in either journal mode.
# In rollback mode a commit is the journal's unlink, which synchronous=FULL
# does not sync (SQLite documents it): EXTRA syncs the directory after it.
stock() { # NAME MODE SYNC: record 150 commits of stock SQLite in $T/NAME
	mkdir -p "$T/$1"
	sqlite3 "$T/$1/stock.db" \
		"CREATE TABLE w (n INTEGER PRIMARY KEY, pad TEXT)" &&
		"$CS" snap "$T/$1" "$T/$1.snap" &&
		record "$T/$1" "$T/$1.log" "$PW" stock "$T/$1/stock.db" 150 \
			"$2" "$3" 8 >"$T/$1.out" 2>"$T/$1.err" &&
		test "$(tail -n 1 "$T/$1.out")" = 150
}
check "stock SQLite committed 150 transactions in WAL mode" stock sw wal full
states stockwal stock -n $((N / 2)) -s "$SEED" "$T/sw.log" "$T/sw.snap"
clean "stock SQLite, WAL, synchronous=FULL (control)"
check "stock SQLite committed 150 transactions in rollback mode" \
	stock sd delete extra
states stockrollback stock -n $((N / 2)) -s "$SEED" "$T/sd.log" "$T/sd.snap"
clean "stock SQLite, rollback journal, synchronous=EXTRA (control)"

# Negative controls: the harness must see the losses when syncs are gone.
sees_loss() {
	if [ "$st_errors" -eq 0 ] && [ $((st_open + st_check + st_lost +
		st_damaged)) -gt 0 ]; then
		ok "$1: the harness sees losses ($st_lost of $st_states states" \
			"lost commits, $st_check failed a check)"
	else
		not_ok "$1: no loss seen in $st_states states ($st_errors errors)"
	fi
}
states nosync stock -n 50 -s "$SEED" -d "$T/sw.log" "$T/sw.snap"
sees_loss "stock SQLite, WAL, syncs dropped from the log"
states patronnosync patron -n 30 -s "$SEED" -d "$T/p.log" "$T/p.snap"
sees_loss "Patron, syncs dropped from the log"
check "stock SQLite committed 150 transactions with synchronous=OFF" \
	stock so wal off
states syncoff stock -n 50 -s "$SEED" "$T/so.log" "$T/so.snap"
sees_loss "stock SQLite, WAL, synchronous=OFF"
if [ -n "${POWERLOSS_EXAMPLES:-}" ]; then
	echo "# failing states kept in $PL_EXAMPLES"
fi
done_testing
