# Basics: init, help, exit codes, wrong credentials change nothing (test 2).
. "$PATRON_TOP/tests/cli/lib.sh"

expect_status 0 "version" "$PATRON" --version
grep -q '^patron ' "$T/out" || not_ok "version prints patron VERSION"
expect_status 0 "help" "$PATRON" --help
for cmd in init key backup restore check sql; do
	expect_status 0 "$cmd --help" "$PATRON" $cmd --help
	grep -q "usage: patron $cmd" "$T/out" || not_ok "$cmd --help shows usage"
done
expect_status 64 "no command is a usage error for now" "$PATRON"
expect_status 64 "unknown command" "$PATRON" frobnicate
expect_status 64 "unknown global option" "$PATRON" --frob check
expect_status 66 "opening a missing database" "$PATRON" check
grep -q "patron init" "$T/err" && ok "missing database points at patron init" ||
	not_ok "missing database message"

expect_status 0 "init" "$PATRON" init
grep -q "Recovery code" "$T/out" && ok "init prints a recovery code" ||
	not_ok "init prints a recovery code"
[ "$(stat -c %a "$PATRON_DB")" = 600 ] && ok "database is mode 0600" ||
	not_ok "database mode $(stat -c %a "$PATRON_DB")"
expect_status 73 "init refuses an existing database" "$PATRON" init
expect_status 0 "check a new database" "$PATRON" check
latest=$(ls "$PATRON_TOP"/schema/[0-9]*.sql | wc -l)
expect_status 0 "schema at the latest migration" "$PATRON" sql "PRAGMA user_version"
grep -q "^$latest\$" "$T/out" && ok "user_version is $latest" ||
	not_ok "user_version: $(cat "$T/out")"

# A database made by a newer Patron is refused, plainly.
cp "$PATRON_DB" "$T/newer.db"
PATRON_DB="$T/newer.db" "$PATRON" sql --write "PRAGMA user_version = 99" >/dev/null
PATRON_DB="$T/newer.db" expect_status 1 "newer schema refused" "$PATRON" check
grep -q "newer Patron" "$T/err" && ok "newer schema message" ||
	not_ok "newer schema message: $(cat "$T/err")"

# Wrong passphrase, wrong PIN, short passphrase.
PATRON_PASSPHRASE=wrong expect_status 77 "wrong passphrase" "$PATRON" check
PATRON_PIN=0000 expect_status 77 "wrong PIN" "$PATRON" sql "SELECT 1"
PATRON_USER=nobody expect_status 77 "unknown staff" "$PATRON" sql "SELECT 1"
PATRON_DB="$T/short.db" PATRON_PASSPHRASE=short expect_status 65 \
	"passphrase under 8 characters refused" "$PATRON" init
[ ! -e "$T/short.db" ] && ok "nothing created on a refused init" ||
	not_ok "refused init left a file"

# Test 2: a wrong passphrase or key file leaves every byte of every file
# unchanged, also with a WAL holding committed frames (writer killed).
"$PATRON" sql --write "CREATE TABLE t (a TEXT)" >/dev/null
crash_writer 20
[ -s "$PATRON_DB-pwal" ] && ok "WAL holds committed frames" || not_ok "no WAL"
sums() { cat "$PATRON_DB" "$PATRON_DB-pwal" "$PATRON_DB-shm" 2>/dev/null | sha256sum; ls -l --time-style=+%s.%N "$T" | grep patron.db; }
before=$(sums)
PATRON_PASSPHRASE=nope expect_status 77 "wrong passphrase with a live WAL" "$PATRON" sql "SELECT count(*) FROM w"
head -c 32 /dev/urandom >"$T/wrong.key"
PATRON_KEY_FILE="$T/wrong.key" expect_status 77 "wrong key file" "$PATRON" check
head -c 31 /dev/urandom >"$T/short.key"
PATRON_KEY_FILE="$T/short.key" expect_status 77 "key file of the wrong size" "$PATRON" check
PATRON_KEY_FILE="$T/missing.key" expect_status 66 "missing key file" "$PATRON" check
after=$(sums)
[ "$before" = "$after" ] && ok "every byte and mtime unchanged after refusals" ||
	not_ok "files changed after a refused unlock"
expect_status 0 "right passphrase still opens" "$PATRON" sql "SELECT count(*) FROM w"
last=$(tail -n 1 "$T/loop.out")
got=$(tail -n 1 "$T/out")
[ "$got" -ge "$last" ] && ok "every reported commit is there ($got >= $last)" ||
	not_ok "lost commits: $got < $last"

# Recovery code unlocks wherever a passphrase is asked for.
PATRON_DB="$T/rc.db" "$PATRON" init >"$T/init.out"
code=$(grep -E '^    [0-9A-Z]{4}(-[0-9A-Z]{4}){7}$' "$T/init.out" | tr -d ' ')
PATRON_DB="$T/rc.db" PATRON_PASSPHRASE="$code" expect_status 0 "recovery code unlocks" "$PATRON" check
lower=$(echo "$code" | tr 'A-Z' 'a-z' | tr -d '-')
PATRON_DB="$T/rc.db" PATRON_PASSPHRASE="$lower" expect_status 0 "recovery code forgives case and hyphens" "$PATRON" check
PATRON_DB="$T/nr.db" "$PATRON" init --no-recovery-code >"$T/init.out"
grep -q "Recovery code" "$T/init.out" && not_ok "--no-recovery-code" || ok "--no-recovery-code"
done_testing
