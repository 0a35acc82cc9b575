# The admin SQL console: read-only unless --write, admin only, JSON/CSV,
# terminal-safe output, and the encryption's guard rails (page size, temp
# store, mmap, extensions; ATTACH and VACUUM INTO under the same keys).
. "$PATRON_TOP/tests/cli/lib.sh"
"$PATRON" init >/dev/null
"$PATRON" sql --write "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n REAL);
INSERT INTO t VALUES (1, '王芳', 1.5), (2, 'a,b \"q\"', NULL), (3, 'esc' || char(27) || ']0;pwned' || char(7), 2)" >/dev/null

expect_status 77 "writes refused without --write" "$PATRON" sql "DELETE FROM t"
grep -q -- "--write" "$T/err" && ok "the refusal says how" || not_ok "message: $(cat "$T/err")"
expect_status 77 "writes refused even after a read" "$PATRON" sql "SELECT 1; INSERT INTO t (name) VALUES ('x')"
expect_status 0 "count unchanged" "$PATRON" sql "SELECT count(*) FROM t"
[ "$(tail -n 1 "$T/out")" = 3 ] && ok "nothing was written" || not_ok "rows: $(cat "$T/out")"
expect_status 65 "bad SQL is bad input" "$PATRON" sql "SELEC 1"
expect_status 64 "no SQL is a usage error" "$PATRON" sql

expect_status 0 "json" "$PATRON" sql --json "SELECT id, name, n FROM t ORDER BY id"
grep -q '"name":"王芳"' "$T/out" && grep -q '"n":null' "$T/out" && grep -q '\\u001b' "$T/out" &&
	ok "json: UTF-8 kept, null, control characters escaped" || not_ok "json: $(cat "$T/out")"
expect_status 0 "csv" "$PATRON" sql --csv "SELECT id, name FROM t WHERE id < 3 ORDER BY id"
printf 'id,name\r\n1,王芳\r\n2,"a,b ""q"""\r\n' >"$T/want.csv"
cmp -s "$T/out" "$T/want.csv" && ok "csv is RFC 4180" || not_ok "csv: $(od -c "$T/out" | head)"
expect_status 0 "table output" "$PATRON" sql "SELECT name FROM t WHERE id = 3"
grep -q "$(printf '\033')" "$T/out" && not_ok "escape sequence reached the terminal" ||
	ok "escape sequences neutralised in tables"

"$W" staff mgr manager 1111
PATRON_USER=mgr PATRON_PIN=1111 expect_status 77 "a manager may not use sql" "$PATRON" sql "SELECT 1"

# Guard rails of the encryption.
expect_status 65 "page_size cannot change" "$PATRON" sql --write "PRAGMA page_size = 8192; VACUUM"
expect_status 0 "page size still 4096" "$PATRON" sql "PRAGMA page_size"
[ "$(tail -n 1 "$T/out")" = 4096 ] && ok "4096" || not_ok "page size $(cat "$T/out")"
expect_status 65 "temp_store cannot leave memory" "$PATRON" sql "PRAGMA temp_store = FILE"
expect_status 0 "mmap stays off" "$PATRON" sql "PRAGMA mmap_size = 1000000"
[ "$(tail -n 1 "$T/out")" = 0 ] && ok "mmap_size pinned to 0" || not_ok "mmap: $(cat "$T/out")"
expect_status 65 "no extensions" "$PATRON" sql "SELECT load_extension('x')"
expect_status 0 "VACUUM keeps the reserve" "$PATRON" sql --write "VACUUM"
expect_status 0 "check after VACUUM" "$PATRON" check

expect_status 0 "VACUUM INTO" "$PATRON" sql --write "VACUUM INTO '$T/into.db'"
[ "$(stat -c %a "$T/into.db")" = 600 ] && ok "VACUUM INTO file is 0600" || not_ok "mode $(stat -c %a "$T/into.db")"
head -c 8 "$T/into.db" | grep -q PATRONDB && ok "VACUUM INTO writes a Patron file" || not_ok "no header"
PATRON_DB="$T/into.db" expect_status 0 "the copy opens with the same passphrase" "$PATRON" sql "SELECT name FROM t WHERE id = 1"
grep -q 王芳 "$T/out" || not_ok "copy content"
expect_status 0 "ATTACH a new file and write to it" "$PATRON" sql --write \
	"ATTACH '$T/att.db' AS a; CREATE TABLE a.x (v); INSERT INTO a.x VALUES ('attached-secret'); DETACH a"
grep -a -q attached-secret "$T/att.db" && not_ok "attached file is plaintext" || ok "attached file is encrypted"
expect_status 0 "ATTACH an existing Patron file" "$PATRON" sql "ATTACH '$T/att.db' AS a; SELECT v FROM a.x"
grep -q attached-secret "$T/out" && ok "read back through ATTACH" || not_ok "attach read: $(cat "$T/err")"
done_testing
