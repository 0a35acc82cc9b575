# The WAL index (SQLite's "-shm", which holds a checksum computed over
# plaintext) lives in memory, never in a file next to the database; its locks
# live on the empty NAME-plock file, so losing the memory cannot split the
# index in two.
. "$PATRON_TOP/tests/cli/lib.sh"
export PATRON_KEY_FILE="$T/k"
unset PATRON_PASSPHRASE
"$PATRON" init >/dev/null
obj() { printf '/dev/shm%s' "$(cat "$PATRON_DB-plock")"; }
no_index_file() {
	for f in "$T"/*; do
		[ "$(head -c 4 "$f" | od -An -tx1 | tr -d ' ')" = 18e22d00 ] &&
			{ echo "# WAL index found in $f"; return 1; }
	done
	return 0
}

"$W" loop >"$T/loop.out" 2>&1 &
pid=$!
wait_lines "$T/loop.out" 50
check "no NAME-shm next to the database" test ! -e "$PATRON_DB-shm"
check "the lock file holds only the object's random name" \
	grep -qx '/patron-[0-9a-f]\{32\}\.walidx' "$PATRON_DB-plock"
check "the lock file is 0600 like the database" test "$(stat -c %a "$PATRON_DB-plock")" = 600
check "the index is a memory object" test -s "$(obj)"
check "the memory object is 0600" test "$(stat -c %a "$(obj)")" = 600
check "the memory object holds the WAL index" test "$(head -c 4 "$(obj)" | od -An -tx1 | tr -d ' ')" = 18e22d00
check "no file in the database's directory holds it" no_index_file
expect_status 0 "a second session reads while the first writes" \
	"$PATRON" sql "SELECT count(*) > 0 FROM w"

# The memory is removed under a running session (logind's RemoveIPC does
# this at logout): a new session must refuse, not build a second index.
rm -f "$(obj)"
expect_status 74 "a new session refuses when the index is gone" \
	"$PATRON" sql "SELECT count(*) FROM w"
grep -q "WAL index .* was removed while another session" "$T/err" &&
	ok "and says why" || not_ok "said: $(cat "$T/err")"
before=$(wc -l <"$T/loop.out")
check "the running session goes on committing" \
	wait_lines "$T/loop.out" $((before + 10))
kill -9 $pid
wait $pid 2>/dev/null
last=$(tail -n 1 "$T/loop.out")
expect_status 0 "alone again, a session rebuilds the index from the WAL" \
	"$PATRON" sql "SELECT max(n) FROM w"
got=$(tail -n 1 "$T/out")
[ "$got" -ge "$last" ] && ok "nothing committed was lost ($got >= $last)" ||
	not_ok "lost: $got < $last"
expect_status 0 "check" "$PATRON" check

# A clean close of the last session removes the memory object.
o=$(obj)
"$PATRON" sql "SELECT 1" >/dev/null
check "no memory object after the last session closed" test ! -e "$o"

# A stale object (the lock file names it, after a crash, say) is removed
# by the first session, which makes a new one under a new random name.
o=$(obj)
printf 'stale' >"$o"
expect_status 0 "a stale object is replaced by the first session" \
	"$PATRON" sql "SELECT count(*) FROM w"
check "and removed" test ! -e "$o"
check "the new one had another name" test "$(obj)" != "$o"
check "and is gone after the last session" test ! -e "$(obj)"
check "still no NAME-shm" test ! -e "$PATRON_DB-shm"
done_testing
