# Test 1: no plaintext reaches the disk. 1,000 unique markers in a table,
# an indexed column and an FTS5 table; then commit, rollback, a sort larger
# than the page cache, CREATE INDEX, VACUUM, backup, and kill -9 in the
# middle of transactions (WAL and rollback journal). grep finds no marker in
# the database, its WAL, journal, shm, or the backup.
. "$PATRON_TOP/tests/cli/lib.sh"
export PATRON_KEY_FILE="$T/k"
unset PATRON_PASSPHRASE
MARK='MK[a-z][0-9]{6}Z'
files() { echo "$PATRON_DB" "$PATRON_DB-pwal" "$PATRON_DB-pjournal" "$PATRON_DB-shm" "$PATRON_DB-wal" "$PATRON_DB-journal"; }
clean() { # what is on disk now holds no marker, in any case
	for f in $(files) "$@"; do
		[ -f "$f" ] || continue
		if grep -a -q -i -E "$MARK" "$f"; then
			echo "# marker found in $f: $(grep -a -o -i -E "$MARK" "$f" | head -3 | tr '\n' ' ')"
			return 1
		fi
	done
}
sqlw() { "$PATRON" sql --write "$1" >/dev/null; }

"$PATRON" init >/dev/null
sqlw "CREATE TABLE m (id INTEGER PRIMARY KEY, v TEXT, w TEXT, pad TEXT);
CREATE INDEX m_w ON m (w);
CREATE VIRTUAL TABLE f USING fts5 (body);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000)
INSERT INTO m (v, w, pad) SELECT printf('MKv%06dZ', i), printf('MKw%06dZ', i), hex(randomblob(100)) FROM c;
INSERT INTO f SELECT printf('MKf%06dZ more words', id) FROM m;"
check "markers are readable through Patron (positive control)" \
	sh -c "'$PATRON' sql --csv 'SELECT v, w FROM m' | grep -o -E '$MARK' | wc -l | grep -q 2000"
"$PATRON" sql --csv "SELECT v FROM m" >"$T/plain.csv"
grep -q -E "$MARK" "$T/plain.csv" && ok "grep finds markers in a plaintext file" ||
	not_ok "positive control for grep"
check "after commit" clean

sqlw "BEGIN; UPDATE m SET v = printf('MKr%06dZ', id); INSERT INTO f SELECT printf('MKr%06dZ', id) FROM m; ROLLBACK"
check "after rollback" clean
expect_status 0 "sort larger than the page cache (in memory, no temp file)" \
	"$PATRON" sql "PRAGMA cache_size = 10; SELECT count(*) FROM (SELECT v, pad FROM m ORDER BY random())"
sqlw "CREATE INDEX m_v ON m (v)"
check "after CREATE INDEX" clean
sqlw "VACUUM"
check "after VACUUM" clean
"$PATRON" backup "$T/backup.db" >/dev/null
check "backup written" test -s "$T/backup.db"
check "after backup (backup included)" clean "$T/backup.db"
sqlw "VACUUM INTO '$T/into.db'"
check "after VACUUM INTO" clean "$T/into.db"

# kill -9 inside a big transaction that spilled pages to the WAL.
crash_hold hold "INSERT INTO m (v, w, pad) SELECT printf('MKk%06dZ', id), w, pad || pad || pad FROM m;
INSERT INTO m (v, w, pad) SELECT printf('MKk%06dZ', id), w, pad FROM m;
INSERT INTO f SELECT printf('MKk%06dZ', id) FROM m"
check "the transaction had spilled to the WAL" test -s "$PATRON_DB-pwal"
check "after kill -9 in a WAL transaction" clean

# The same in rollback-journal mode: a hot journal with page images.
crash_hold hold-journal "UPDATE m SET pad = pad || 'MKj000001Z';
DELETE FROM f"
check "a hot journal was left" test -s "$PATRON_DB-pjournal"
check "after kill -9 in a journal transaction (hot journal)" clean
expect_status 0 "check after both crashes (journal rolled back)" "$PATRON" check
expect_status 0 "committed data intact" "$PATRON" sql "SELECT count(*), count(DISTINCT v) FROM m WHERE v LIKE 'MKv%'"
grep -q '^1000  *1000$' "$T/out" && ok "1000 committed markers, none of the rolled back" ||
	not_ok "row count: $(cat "$T/out")"
expect_status 0 "FTS5 rows intact" "$PATRON" sql "SELECT count(*) FROM f WHERE f MATCH 'more'"
grep -q '^1000$' "$T/out" && ok "fts intact" || not_ok "fts count $(cat "$T/out")"
check "no stock-SQLite journal or WAL names used" sh -c "! ls '$T' | grep -E 'db-(wal|journal)$'"
check "at the end" clean "$T/backup.db" "$T/into.db"
done_testing
