# Backup while a writer commits (consistent, encrypted, same keys, own id);
# restore verifies first, then replaces content (keeping the live keys) or
# installs a copy where there is no database.
. "$PATRON_TOP/tests/cli/lib.sh"
"$PATRON" init >"$T/init.out"
code=$(grep -E '^    [0-9A-Z]{4}(-[0-9A-Z]{4}){7}$' "$T/init.out" | tr -d ' ')

"$W" loop >"$T/loop.out" 2>&1 &
pid=$!
wait_lines "$T/loop.out" 20
for i in 1 2 3; do
	expect_status 0 "backup $i while a writer commits" "$PATRON" backup "$T/b$i.db"
	wait_lines "$T/loop.out" $(($(wc -l <"$T/loop.out") + 20))
done
kill -9 $pid
wait $pid 2>/dev/null
for i in 1 2 3; do
	PATRON_DB="$T/b$i.db" expect_status 0 "backup $i passes check" "$PATRON" check
	PATRON_DB="$T/b$i.db" "$PATRON" sql "SELECT count(*) = max(n) AND min(n) = 1 FROM w" >"$T/out"
	[ "$(tail -n 1 "$T/out")" = 1 ] && ok "backup $i is one consistent snapshot (1..max, no gap)" ||
		not_ok "backup $i inconsistent"
done
[ "$(stat -c %a "$T/b1.db")" = 600 ] && ok "backup is mode 0600" || not_ok "backup mode"
PATRON_DB="$T/b1.db" PATRON_PASSPHRASE="$code" expect_status 0 "recovery code opens the backup" "$PATRON" check
[ "$(od -An -tx1 -j 32 -N 16 "$T/b1.db")" != "$(od -An -tx1 -j 32 -N 16 "$PATRON_DB")" ] &&
	ok "backup has its own database id" || not_ok "same database id"
grep -a -q "CREATE TABLE w" "$T/b1.db" && not_ok "schema text in the backup" || ok "backup is encrypted"

# Restore over the live database: content replaced, keys kept.
"$PATRON" sql --write "CREATE TABLE after (x); INSERT INTO after VALUES ('later')" >/dev/null
PATRON_NEW_PASSPHRASE="added after the backup" "$PATRON" key add passphrase >/dev/null
n1=$(PATRON_DB="$T/b1.db" "$PATRON" sql "SELECT count(*) FROM w" | tail -n 1)
expect_status 0 "restore over the live database" "$PATRON" restore "$T/b1.db"
expect_status 0 "the restored content is the backup's" "$PATRON" sql "SELECT count(*) FROM w"
[ "$(tail -n 1 "$T/out")" = "$n1" ] && ok "row count matches the backup ($n1)" || not_ok "rows: $(cat "$T/out")"
expect_status 65 "tables made after the backup are gone" "$PATRON" sql "SELECT * FROM after"
PATRON_PASSPHRASE="added after the backup" expect_status 0 "live key slots kept" "$PATRON" check

# A damaged backup is refused and changes nothing.
cp "$T/b2.db" "$T/bad.db"
printf 'X' | dd of="$T/bad.db" bs=1 seek=$((4096 + 4096 + 100)) conv=notrunc status=none
before=$(sha256sum <"$PATRON_DB")
expect_status 65 "damaged backup refused" "$PATRON" restore "$T/bad.db"
grep -q "page 2" "$T/err" && ok "the bad page is named" || not_ok "restore error: $(cat "$T/err")"
[ "$before" = "$(sha256sum <"$PATRON_DB")" ] && ok "database untouched by the refused restore" ||
	not_ok "database changed by a refused restore"
expect_status 66 "missing backup" "$PATRON" restore "$T/none.db"

# No database at all: the backup is installed as a copy.
rm -f "$PATRON_DB" "$PATRON_DB-pwal" "$PATRON_DB-shm"
expect_status 0 "restore where there is no database" "$PATRON" restore "$T/b3.db"
expect_status 0 "restored copy passes check" "$PATRON" check
PATRON_PIN=9999 expect_status 77 "restore needs an admin of the backup" "$PATRON" restore "$T/b3.db"

mkdir "$T/ro" && chmod 500 "$T/ro"
if [ "$(id -u)" != 0 ]; then
	expect_status 73 "backup into an unwritable directory" "$PATRON" backup "$T/ro/x.db"
fi
expect_status 73 "backup into a missing directory" "$PATRON" backup "$T/nodir/x.db"
done_testing
