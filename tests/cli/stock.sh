# Stock sqlite3 sees "not a database" and cannot find, replay or delete
# Patron's WAL or journal: afterwards Patron finds every committed change.
. "$PATRON_TOP/tests/cli/lib.sh"
export PATRON_KEY_FILE="$T/k"
unset PATRON_PASSPHRASE
"$PATRON" init >/dev/null
crash_writer 20
last=$(tail -n 1 "$T/loop.out")
check "a WAL with committed frames is left" test -s "$PATRON_DB-pwal"
walsum=$(sha256sum <"$PATRON_DB-pwal")
dbsum=$(sha256sum <"$PATRON_DB")
sqlite3 "$PATRON_DB" "SELECT * FROM sqlite_master" >"$T/out" 2>"$T/err" &&
	not_ok "stock sqlite3 read the file" || ok "stock sqlite3 refuses the file"
grep -q "not a database" "$T/err" && ok "it says: not a database" || not_ok "sqlite3 said: $(cat "$T/err")"
sqlite3 "$PATRON_DB" "PRAGMA journal_mode; PRAGMA wal_checkpoint; VACUUM" >/dev/null 2>&1
check "stock sqlite3 did not touch the WAL" test "$walsum" = "$(sha256sum <"$PATRON_DB-pwal")"
check "stock sqlite3 did not touch the database" test "$dbsum" = "$(sha256sum <"$PATRON_DB")"
check "no stock-named WAL or journal" sh -c "! ls '$T' | grep -E 'db-(wal|journal)$'"
expect_status 0 "Patron replays its WAL" "$PATRON" sql "SELECT max(n) FROM w"
got=$(tail -n 1 "$T/out")
[ "$got" -ge "$last" ] && ok "every committed change is there ($got >= $last)" ||
	not_ok "lost: $got < $last"
expect_status 0 "check" "$PATRON" check
done_testing
