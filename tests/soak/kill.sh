# Soak: SOAK_COUNT (default 10,000) times, one writer or several at once
# commit numbered transactions and are killed with SIGKILL at a random
# moment (while opening, recovering, committing or checkpointing: many
# rounds checkpoint every few pages); then `patron check` passes on its
# first run and every number a writer printed as committed is there.
# The test of the same promise in CI is tests/cli/crash.sh (200 kills).
# The read after each kill is the writer helper's `dump`: the same store
# and VFS as `patron sql`, without the staff login's Argon2id each time.
# KILL_SEED=N repeats a run.
. "$PATRON_TOP/tests/cli/lib.sh"
export PATRON_KEY_FILE="$T/k"
unset PATRON_PASSPHRASE
COUNT=${SOAK_COUNT:-10000}
SEED=${KILL_SEED:-$$}
# A fresh database every few megabytes keeps check quick, round after round.
LIMIT=${KILL_RESET_BYTES:-$((4 * 1024 * 1024))}
echo "# seed $SEED, $COUNT kills"

"$PATRON" init >/dev/null || exit 1
"$PATRON" sql --write "CREATE TABLE w (n INTEGER PRIMARY KEY, pad TEXT)" \
	>/dev/null || exit 1
# The fresh database, with its marks of what the log must hold where the
# build keeps them (NAME-pmark): the two go together.
cp "$PATRON_DB" "$T/fresh.db"
[ -f "$PATRON_DB-pmark" ] && cp "$PATRON_DB-pmark" "$T/fresh.db-pmark"

# One line a round: writers (1 = `loop`, more = `shared`), the writers'
# wal_autocheckpoint (0: SQLite's default), whether to wait for the first
# commit before the delay, and the delay before the kill in seconds.
awk -v seed="$SEED" -v n="$COUNT" 'BEGIN { srand(seed);
	for (i = 0; i < n; i++) {
		w = rand() < 0.7 ? 1 : 2 + int(rand() * 3)
		r = rand()
		ck = r < 0.3 ? 0 : r < 0.7 ? 1 + int(rand() * 8) : \
			8 + int(rand() * 120)
		wait = rand() < 0.6
		printf "%d %d %d %.3f\n", w, ck, wait, rand() * (wait ? 0.06 : 0.1)
	} }' >"$T/plan"

kills=0
commits=0
lost=0
badcheck=0
badopen=0
werr=0
start=$(date +%s)
while read -r writers ck waitfirst delay; do
	kills=$((kills + 1))
	if [ "$(stat -c %s "$PATRON_DB")" -gt $LIMIT ]; then
		rm -f "$PATRON_DB-pwal" "$PATRON_DB-pmark"
		cp "$T/fresh.db" "$PATRON_DB"
		if [ -f "$T/fresh.db-pmark" ]; then
			cp "$T/fresh.db-pmark" "$PATRON_DB-pmark"
		fi
	fi
	mode=loop
	[ "$writers" -gt 1 ] && mode=shared
	if [ "$ck" -gt 0 ]; then export WRITER_CHECKPOINT=$ck; else
		unset WRITER_CHECKPOINT
	fi
	pids=""
	i=0
	while [ $i -lt "$writers" ]; do
		"$W" $mode >"$T/out.$i" 2>"$T/err.$i" &
		pids="${pids:+$pids }$!"
		i=$((i + 1))
	done
	if [ "$waitfirst" = 1 ]; then
		# A condition, not a time: the first writer's first commit.
		until [ -s "$T/out.0" ] || ! kill -0 ${pids%% *} 2>/dev/null; do
			sleep 0.002
		done
	fi
	sleep "$delay"
	kill -9 $pids 2>/dev/null
	for p in $pids; do wait "$p" 2>/dev/null; done
	# A writer that stopped by itself (not killed) has an error to show.
	i=0
	while [ $i -lt "$writers" ]; do
		if [ -s "$T/err.$i" ]; then
			werr=$((werr + 1))
			echo "# round $kills: writer $i: $(head -c 300 "$T/err.$i")"
		fi
		i=$((i + 1))
	done
	if ! "$PATRON" check >"$T/check.out" 2>"$T/check.err"; then
		badcheck=$((badcheck + 1))
		echo "# round $kills: check failed: $(head -c 300 "$T/check.err")"
		# The first failing state, for a look (KEEP_TMP=1 keeps $T).
		[ -d "$T/failed" ] || { mkdir "$T/failed" &&
			cp "$PATRON_DB"* "$T/failed/"; }
	fi
	# (A writer killed before it started has no output file.)
	cat "$T"/out.* >"$T/said" 2>/dev/null
	if ! "$W" dump "SELECT n FROM w" >"$T/have" 2>"$T/read.err"; then
		badopen=$((badopen + 1))
		echo "# round $kills: read failed: $(head -c 300 "$T/read.err")"
	fi
	# Every number printed (said) must be in the table (have).
	set -- $(awk 'FILENAME == ARGV[1] { if ($1 ~ /^[0-9]+$/) have[$1] = 1; next }
		/^[0-9]+$/ { said++; if (!($1 in have)) { lost++; if (lost <= 3)
			print "# missing " $1 > "/dev/stderr" } }
		END { print said + 0, lost + 0 }' "$T/have" "$T/said")
	commits=$((commits + $1))
	if [ "$2" -ne 0 ]; then
		lost=$((lost + $2))
		echo "# round $kills: $2 reported commits missing ($writers writers)"
	fi
	rm -f "$T"/out.* "$T"/err.*
	if [ $((kills % 500)) -eq 0 ]; then
		echo "# $kills kills, $commits commits, $(($(date +%s) - start)) s"
	fi
done <"$T/plan"
secs=$(($(date +%s) - start))
echo "# $kills kills in $secs s, $werr writer errors"
echo "soak kill: $kills kills, $commits commits reported, $lost lost," \
	"$badcheck check failures, $badopen open failures"
[ $lost -eq 0 ] && [ $badcheck -eq 0 ] && [ $badopen -eq 0 ] &&
	[ $werr -eq 0 ] && [ $commits -gt 0 ]
