# Files the user names for output (patron(1), FILES, "Output files"):
# export -o, customer export-data -o, import --skip-invalid and backup all
# follow one rule. A new path or a regular file is written beside and
# renamed over it; a FIFO or a character device is written in place and
# stays what it is (export) or is refused (backup, which must be a real
# file); a symbolic link or a directory is refused; every error names the
# path given, never the file beside it. Only a FIFO and a device made here,
# in the test's own directory, are ever given as the output.
. "$PATRON_TOP/tests/cli/lib.sh"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Ann Lee" --phone 13800138000 >/dev/null

mkfifo "$T/fifo"
is_fifo() { test -p "$T/fifo"; }
# read_fifo: a reader on the FIFO until the writer closes it, into fifo.out;
# reader_end: wait for it, and stop it if nothing ever wrote to the FIFO
# (a FIFO replaced by a file leaves it waiting).
read_fifo() {
	cat "$T/fifo" >"$T/fifo.out" &
	reader=$!
}
reader_gone() {
	! kill -0 $reader 2>/dev/null || grep -q ') Z' "/proc/$reader/stat" 2>/dev/null
}
reader_end() {
	wait_until reader_gone || kill $reader
	wait $reader 2>/dev/null
}
# A character device of our own: the same numbers as the system's null.
dev=
if mknod "$T/null" c 1 3 2>/dev/null && test -c "$T/null"; then dev="$T/null"; fi
no_tmp() { test -z "$(find "$T" -name '*.tmp-*' 2>/dev/null)"; }

# Export: a FIFO is written in place and stays a FIFO.
read_fifo
expect_status 0 "export -o a FIFO" "$PATRON" export customers -o "$T/fifo"
reader_end
check "the FIFO is still a FIFO" is_fifo
grep -q "Ann Lee" "$T/fifo.out" && ok "its reader got the export" ||
	not_ok "reader got: $(cat "$T/fifo.out")"
read_fifo
expect_status 0 "customer export-data -o a FIFO" "$PATRON" customer export-data 1 -o "$T/fifo"
reader_end
check "still a FIFO" is_fifo
grep -q '"customer"' "$T/fifo.out" && ok "its reader got the data" ||
	not_ok "reader got: $(cat "$T/fifo.out")"

if [ -n "$dev" ]; then
	expect_status 0 "export -o a character device" "$PATRON" export customers -o "$dev"
	check "it is still a character device" test -c "$dev"
	expect_status 0 "export-data -o a character device" "$PATRON" customer export-data 1 -o "$dev"
	check "still a character device" test -c "$dev"
	printf 'name,birthday\nBo,notadate\nCy,2001-02-03\n' >"$T/bad.csv"
	expect_status 0 "import --skip-invalid into a character device" \
		"$PATRON" import customers "$T/bad.csv" --skip-invalid "$dev"
	check "still a character device" test -c "$dev"
else
	ok "# skip mknod not permitted here"
fi

# A regular file is replaced whole, 0600; a new path is made 0600.
printf 'old\n' >"$T/out.csv"
chmod 644 "$T/out.csv"
expect_status 0 "export over a regular file" "$PATRON" export customers -o "$T/out.csv"
grep -q "Ann Lee" "$T/out.csv" && ! grep -q old "$T/out.csv" && ok "replaced" ||
	not_ok "$(cat "$T/out.csv")"
check "0600" test "$(stat -c %a "$T/out.csv")" = 600
expect_status 0 "export to a new path" "$PATRON" export customers -o "$T/new.csv"
check "made 0600" test "$(stat -c %a "$T/new.csv")" = 600
check "no file left beside" no_tmp

# A symbolic link is refused, the link and its target untouched.
printf 'keep\n' >"$T/target"
ln -s "$T/target" "$T/link"
expect_status 73 "export -o a symbolic link is refused" "$PATRON" export customers -o "$T/link"
grep -q "$T/link: a symbolic link" "$T/err" && ok "saying so" || not_ok "$(cat "$T/err")"
check "the link is still a link" test -L "$T/link"
check "its target untouched" test "$(cat "$T/target")" = keep
ln -s "$T/nowhere" "$T/dangling"
expect_status 73 "a dangling link too" "$PATRON" customer export-data 1 -o "$T/dangling"
check "nothing made where it points" test ! -e "$T/nowhere"
mkdir "$T/dir"
expect_status 73 "export -o a directory is refused" "$PATRON" export customers -o "$T/dir"

# Backup: a real encrypted file only.
expect_status 73 "backup to a FIFO is refused" "$PATRON" backup "$T/fifo"
check "the FIFO is still a FIFO" is_fifo
grep -q "$T/fifo: a FIFO" "$T/err" && ok "saying so" || not_ok "$(cat "$T/err")"
if [ -n "$dev" ]; then
	expect_status 73 "backup to a character device is refused" "$PATRON" backup "$dev"
	check "it is still a character device" test -c "$dev"
fi
# (From the test's directory: a build that takes - for a file makes it there.)
backup_dash() { (cd "$T" && "$PATRON" backup -); }
expect_status 64 "backup to - is refused" backup_dash
expect_status 73 "backup to a symbolic link is refused" "$PATRON" backup "$T/link"
check "its target untouched" test "$(cat "$T/target")" = keep
expect_status 0 "backup to a new path" "$PATRON" backup "$T/b.db"
expect_status 0 "backup over it (a regular file)" "$PATRON" backup "$T/b.db"
PATRON_DB="$T/b.db" expect_status 0 "the backup opens" "$PATRON" check

# A failed backup names the path given, not the file beside it.
expect_status 73 "backup into a missing directory" "$PATRON" backup "$T/nodir/b.db"
grep -q "$T/nodir/b.db:" "$T/err" && ! grep -q "tmp-" "$T/err" &&
	ok "the error names the path given" || not_ok "$(cat "$T/err")"
check "no file left beside" no_tmp
PATRON_DB="$T/nodir/p.db" expect_status 73 \
	"restore where the database's directory is missing" "$PATRON" restore "$T/b.db"
grep -q "$T/nodir/p.db:" "$T/err" && ! grep -q "restore-" "$T/err" &&
	ok "the error names the database, not the file beside it" || not_ok "$(cat "$T/err")"
done_testing
