# Test 4: 200 times, a writer commits numbered transactions and is killed
# with SIGKILL at a random moment; then `patron check` passes and every
# transaction the writer reported committed is present.
. "$PATRON_TOP/tests/cli/lib.sh"
export PATRON_KEY_FILE="$T/k"
unset PATRON_PASSPHRASE
ROUNDS=${CRASH_ROUNDS:-200}
SEED=${CRASH_SEED:-$$}
echo "# seed $SEED, $ROUNDS rounds"

"$PATRON" init >/dev/null
awk -v seed="$SEED" -v n="$ROUNDS" 'BEGIN { srand(seed);
	for (i = 0; i < n; i++) printf "%.3f\n", 0.01 + rand() * 0.25 }' >"$T/delays"
lost=0
badcheck=0
total=0
round=0
while read -r delay; do
	round=$((round + 1))
	"$W" loop >"$T/loop.out" 2>"$T/loop.err" &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if ! "$PATRON" check >"$T/out" 2>"$T/err"; then
		badcheck=$((badcheck + 1))
		echo "# round $round: check failed: $(head -c 300 "$T/err")"
	fi
	# Every number the writer printed (committed) must be in the table.
	"$PATRON" sql --csv "SELECT n FROM w" 2>/dev/null | tail -n +2 | tr -d '\r' | sort >"$T/have"
	sort "$T/loop.out" | grep -E '^[0-9]+$' >"$T/said" || true
	missing=$(comm -23 "$T/said" "$T/have" | wc -l)
	total=$((total + $(wc -l <"$T/said")))
	if [ "$missing" -ne 0 ]; then
		lost=$((lost + missing))
		echo "# round $round: $missing reported commits missing"
	fi
done <"$T/delays"
echo "# $total commits reported over $ROUNDS kills"
[ $badcheck -eq 0 ] && ok "check passes after each of $ROUNDS kills" ||
	not_ok "check failed after $badcheck kills"
[ $lost -eq 0 ] && ok "no reported commit lost ($total commits)" ||
	not_ok "$lost reported commits lost"
[ $total -gt 0 ] && ok "the writer committed at all" || not_ok "no commits"
done_testing
