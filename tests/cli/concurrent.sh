# Several sessions writing at once (WAL restarts, checkpoints by whoever
# commits, frames rewritten by others): no false authentication errors, no
# lost commits, and `check` passes.
. "$PATRON_TOP/tests/cli/lib.sh"
export PATRON_KEY_FILE="$T/k"
unset PATRON_PASSPHRASE
"$PATRON" init >/dev/null
"$PATRON" sql --write "CREATE TABLE w (n INTEGER PRIMARY KEY, pad TEXT)" >/dev/null
pids=""
for i in 1 2 3 4; do
	"$W" shared >"$T/w$i.out" 2>"$T/w$i.err" &
	pids="$pids $!"
done
# Until each has committed and together 2,000 times (some 3,000 pages:
# WAL restarts and checkpoints by whoever commits).
for i in 1 2 3 4; do wait_lines "$T/w$i.out" 1; done
commits() { [ "$(cat "$T"/w*.out | wc -l)" -ge "$1" ]; }
wait_until commits 2000
for p in $pids; do kill $p; done
for p in $pids; do wait $p 2>/dev/null; done
errs=$(cat "$T"/w*.err)
[ -z "$errs" ] && ok "four concurrent writers ran without an error" ||
	not_ok "writer errors: $(echo "$errs" | head -3)"
total=$(cat "$T"/w*.out | wc -l)
echo "# $total commits by 4 writers"
check "the writers committed" test "$total" -gt 20
expect_status 0 "check after concurrent writers" "$PATRON" check
"$PATRON" sql --csv "SELECT n FROM w" | tail -n +2 | tr -d '\r' | sort >"$T/have"
cat "$T"/w*.out | sort >"$T/said"
missing=$(comm -23 "$T/said" "$T/have" | wc -l)
[ "$missing" -eq 0 ] && ok "every reported commit is present" || not_ok "$missing commits lost"
dups=$(sort "$T/said" | uniq -d | wc -l)
[ "$dups" -eq 0 ] && ok "no number committed twice" || not_ok "$dups duplicates"
done_testing
