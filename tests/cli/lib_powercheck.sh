#!/bin/sh
# The verification crashstates runs on each rebuilt power-loss state (see
# tests/helpers/crashstates.c and tests/cli/powerloss.sh). The files are in
# $CRASH_DIR, the commits reported before the last completed sync listed in
# $CRASH_EXPECTED. Prints what it saw; the exit status is the findings:
#   1 would not open   2 the first check failed   4 reported commits missing
#   8 still damaged after a second check          16+ the harness failed
# usage: lib_powercheck.sh patron|stock|keys|backup|restore
set -u
kind=${1:?kind}
D=${CRASH_DIR:?}
f=0
sorted() { tr -d '\r' | grep -E '^[0-9]+$' | sort; }
# missing HAVE: the expected commits that HAVE lacks
missing() {
	sorted <"$CRASH_EXPECTED" >"$D.want"
	comm -23 "$D.want" "$1" | wc -l
}

# patron_state DB: check, a second check if it failed, then every reported
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
	unset PATRON_PASSPHRASE || true
	patron_state
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
