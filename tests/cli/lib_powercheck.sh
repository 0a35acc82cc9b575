#!/bin/sh
# The verification crashstates runs on each rebuilt power-loss state (see
# tests/helpers/crashstates.c and tests/cli/powerloss.sh). The files are in
# $CRASH_DIR, the commits reported before the last completed sync listed in
# $CRASH_EXPECTED. Prints what it saw; the exit status is the findings:
#   1 would not open   2 the first check failed   4 reported commits missing
#   8 still damaged after a second check          16+ the harness failed
# usage: lib_powercheck.sh patron|stock|keys|backup|restore
#   patron   the database opens with the key file k, as for every kind but
#            stock; the commits are the numbers among the markers
#   keys     the passphrase $PL_OLD or $PL_NEW opens; $PL_NEW must once
#            "passwd" was reported, the key file k2 once "add" was
#   backup   once "backup" was reported, b.pbk passes check the first time
#            and holds the commits reported before it
#   restore  the database holds rows 1..$PL_OLD_ROWS (before) or exactly
#            1..$PL_BACKUP_ROWS (restored); the latter once "restore" was
#            reported
set -u
kind=${1:?kind}
D=${CRASH_DIR:?}
unset PATRON_PASSPHRASE || true
f=0
sorted() { tr -d '\r' | grep -E '^[0-9]+$' | sort; }
# missing HAVE: the expected commits that HAVE lacks
missing() {
	sorted <"$CRASH_EXPECTED" >"$D.want"
	comm -23 "$D.want" "$1" | wc -l
}

# reported WORD: the writer reported WORD before the last completed sync.
reported() { grep -qx "$1" "$CRASH_EXPECTED"; }
# opens [VAR=VALUE...]: the database opens, with these credentials.
opens() { env "$@" "$PATRON" sql --csv "SELECT n FROM w" >"$D.rows" 2>"$D.err"; }

# patron_state: check, a second check if it failed, then every reported
# commit in w. Credentials come from the environment.
patron_state() {
	if ! "$PATRON" check >"$D.check" 2>&1; then
		f=$((f | 2))
		echo "first check: $(head -c 300 "$D.check")"
		if ! "$PATRON" check >"$D.check" 2>&1; then
			f=$((f | 8))
			echo "second check: $(head -c 300 "$D.check")"
		fi
	fi
	if ! "$PATRON" sql --csv "SELECT n FROM w" >"$D.rows" 2>"$D.err"; then
		f=$((f | 1))
		echo "select: $(head -c 300 "$D.err")"
		return
	fi
	sorted <"$D.rows" >"$D.have"
	m=$(missing "$D.have")
	if [ "$m" -ne 0 ]; then
		f=$((f | 4))
		echo "$m reported commits missing"
	fi
}

case $kind in
patron)
	export PATRON_DB="$D/patron.db" PATRON_KEY_FILE="$D/k"
	patron_state
	;;
keys)
	export PATRON_DB="$D/patron.db"
	o=0
	nw=0
	opens PATRON_KEY_FILE= PATRON_PASSPHRASE="$PL_OLD" && o=1
	opens PATRON_KEY_FILE= PATRON_PASSPHRASE="$PL_NEW" && nw=1
	if [ $o -eq 0 ] && [ $nw -eq 0 ]; then
		f=$((f | 1))
		echo "neither passphrase opens: $(head -c 300 "$D.err")"
	elif reported passwd && [ $nw -eq 0 ]; then
		f=$((f | 4))
		echo "the passphrase change was reported but the new one fails"
	fi
	if reported add && ! opens PATRON_KEY_FILE="$D/k2"; then
		f=$((f | 4))
		echo "key file k2 was added but fails: $(head -c 300 "$D.err")"
	fi
	export PATRON_KEY_FILE="$D/k"
	patron_state
	;;
backup)
	export PATRON_DB="$D/patron.db" PATRON_KEY_FILE="$D/k"
	patron_state
	if reported backup; then
		sed '/^backup$/q' "$CRASH_EXPECTED" >"$D.before"
		CRASH_EXPECTED="$D.before"
		export PATRON_DB="$D/b.pbk"
		echo "backup:"
		patron_state
	fi
	;;
restore)
	export PATRON_DB="$D/patron.db" PATRON_KEY_FILE="$D/k"
	if ! "$PATRON" check >"$D.check" 2>&1; then
		f=$((f | 2))
		echo "first check: $(head -c 300 "$D.check")"
		"$PATRON" check >"$D.check" 2>&1 || f=$((f | 8))
	fi
	if ! opens; then
		f=$((f | 1))
		echo "select: $(head -c 300 "$D.err")"
	else
		sorted <"$D.rows" >"$D.have"
		seq "$PL_OLD_ROWS" | sort >"$D.old"
		seq "$PL_BACKUP_ROWS" | sort >"$D.new"
		if cmp -s "$D.have" "$D.new"; then
			:
		elif cmp -s "$D.have" "$D.old" && ! reported restore; then
			:
		else
			f=$((f | 4))
			echo "rows: $(wc -l <"$D.have"), neither the old database" \
				"nor the restored one (restore reported:" \
				"$(reported restore && echo yes || echo no))"
		fi
	fi
	;;
stock)
	db=$D/stock.db
	if ! out=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1) ||
		[ "$out" != ok ]; then
		f=$((f | 2))
		echo "integrity_check: $(echo "$out" | head -c 300)"
		out=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1)
		[ "$out" = ok ] || f=$((f | 8))
	fi
	if ! sqlite3 "$db" "SELECT n FROM w" >"$D.rows" 2>"$D.err"; then
		f=$((f | 1))
		echo "select: $(head -c 300 "$D.err")"
	else
		sorted <"$D.rows" >"$D.have"
		m=$(missing "$D.have")
		[ "$m" -eq 0 ] || { f=$((f | 4)); echo "$m reported commits missing"; }
	fi
	;;
*)
	echo "lib_powercheck.sh: unknown kind $kind"
	exit 16
	;;
esac
exit $f
