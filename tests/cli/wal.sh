# Damage in the WAL: a committed frame that fails to authenticate is an
# error naming it; an uncommitted frame lost or torn by a crash (power loss
# can persist a later frame but not an earlier one) reads as the end of the
# log, as in stock SQLite: nothing committed is lost.
. "$PATRON_TOP/tests/cli/lib.sh"
export PATRON_KEY_FILE="$T/k"
unset PATRON_PASSPHRASE
FRAME=$((68 + 4096))
flip() { # file offset
	old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $(( old ^ 0x5a )))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
"$PATRON" init >/dev/null
crash_writer 30
last=$(tail -n 1 "$T/loop.out")
cp "$PATRON_DB" "$T/db.keep"
cp "$PATRON_DB-pwal" "$T/wal.keep"
frames=$(( ($(stat -c %s "$PATRON_DB-pwal") - 72) / FRAME ))
echo "# $frames frames, $last commits"

flip "$PATRON_DB-pwal" $((72 + 2 * FRAME + 68 + 500))
expect_status 65 "a damaged committed WAL frame is an error" "$PATRON" sql "SELECT count(*) FROM w"
grep -q "WAL frame" "$T/err" && ok "the frame is named" || not_ok "message: $(cat "$T/err")"
check "nothing was lost or changed meanwhile" cmp -s "$PATRON_DB" "$T/db.keep"

cp "$T/db.keep" "$PATRON_DB"
cp "$T/wal.keep" "$PATRON_DB-pwal"
flip "$PATRON_DB-pwal" $((72 + 3 * FRAME + 10))
expect_status 65 "a damaged committed frame header is an error" "$PATRON" check

# An uncommitted transaction that spilled frames, killed; then the page of
# one of its frames is lost (stale bytes) while a later frame survived.
# (8 kB more per row: over the 50-page cache whatever the table size.)
cp "$T/db.keep" "$PATRON_DB"
cp "$T/wal.keep" "$PATRON_DB-pwal"
crash_hold hold "UPDATE w SET pad = pad || printf('%.*c', 8000, 'm'); UPDATE w SET pad = pad || 'again'"
nframes=$(( ($(stat -c %s "$PATRON_DB-pwal") - 72) / FRAME ))
check "the killed transaction spilled frames" test "$nframes" -gt $((frames + 1))
flip "$PATRON_DB-pwal" $((72 + (nframes - 2) * FRAME + 68 + 100))
expect_status 0 "a lost uncommitted frame reads as the end of the log" "$PATRON" sql "SELECT count(*) FROM w"
[ "$(tail -n 1 "$T/out")" -ge "$last" ] && ok "every committed row is there" ||
	not_ok "rows: $(cat "$T/out") < $last"
expect_status 0 "check passes afterwards" "$PATRON" check
done_testing
