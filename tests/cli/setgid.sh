# The set-group-ID deployment (patron(1), DEPLOYMENT): Patron installed
# setgid to a group of its own, the data directory that group's alone. A
# user outside the group reads nothing directly, but works through Patron
# with a staff PIN; the test aids, another configuration and paths outside
# the data directory are ignored or refused; files the user names are made
# and read with the user's own group; what Patron makes in the directory
# is the group's. Needs root (to chgrp and to switch to nobody) and a
# filesystem that honours set-group-ID; otherwise every test is skipped.
. "$PATRON_TOP/tests/cli/lib.sh"
. "$PATRON_TOP/tests/cli/lib_setgid.sh"
setgid_install '  pin_attempts: 2\n  lockout_minutes: 5\n'
mkdir -p "$T/other"
# Everything the user's environment could say, pointing elsewhere.
printf 'store:\n  name: Widened\n' >"$T/home/evil.yaml"
chown $NOBODY "$T/home/evil.yaml"
export PATRON_CONFIG="$T/home/evil.yaml"
unset PATRON_DB

# Root sets up through the same binary (real group 0: shared mode too).
PATRON_PIN=2468 expect_status 0 "init in shared mode" "$P" init --no-recovery-code
check "the key file is the group's, 0640" \
	test "$(stat -c '%a %g' "$T/data/patron.key")" = "640 $G"
check "the database is the group's, 0660" \
	test "$(stat -c '%a %g' "$T/data/patron.db")" = "660 $G"
PATRON_NEW_PIN=1357 expect_status 0 "a cashier" "$P" staff add cathy --role cashier
expect_status 0 "a customer" "$P" customer add --name "Li Wei" --phone 13800138000
# The test suite's cheap key derivation (PATRON_TEST_KDF=1, from lib.sh)
# is ignored: PINs and passphrase slots cost what they would anywhere.
expect_status 0 "the PIN hashes" "$P" sql "SELECT name, pin_hash FROM staff"
check "PATRON_TEST_KDF is ignored: the admin's PIN costs interactive" \
	grep -q 'admin.*m=65536,t=2,' "$T/out"
check "... and cathy's" grep -q 'cathy.*m=65536,t=2,' "$T/out"
PATRON_NEW_PASSPHRASE="a passphrase" expect_status 0 "a passphrase slot" \
	"$P" key add passphrase --label real
expect_status 0 "key list --json" "$P" key list --json
check "... costs security.kdf's interactive" \
	grep -q '"label":"real","created":"[^"]*","kdf":"argon2id","memlimit":67108864,"opslimit":2' "$T/out"

# Directly, the user reads nothing.
expect_status 1 "the user cannot read the database" as_user cat "$T/data/patron.db"
expect_status 1 "nor the key file" as_user cat "$T/data/patron.key"
expect_status 2 "nor list the directory" as_user ls "$T/data"
# Through Patron, with a PIN, they can.
expect_status 0 "customer list through Patron" as_user "$P" customer list
grep -q "Li Wei" "$T/out" && ok "lists the customer" || not_ok "no customer"
PATRON_PIN=0000 expect_status 77 "a wrong PIN is refused" as_user "$P" customer list

# The configuration is the system's alone.
expect_status 77 "--config is refused" as_user "$P" --config "$T/home/evil.yaml" config show
expect_status 0 "PATRON_CONFIG is ignored" as_user "$P" config show
grep -q Widened "$T/out" && not_ok "the user's config was read" || ok "not read"
grep -q "data_dir: \"$T/data\"" "$T/out" && ok "the system config is" || not_ok "$(head -3 "$T/out")"

# The database only inside the data directory.
ln -s "$T/other" "$T/data/escape"
expect_status 77 "--db outside is refused" as_user "$P" --db "$T/home/x.db" customer list
grep -q "not inside" "$T/err" && ok "saying why" || not_ok "$(cat "$T/err")"
expect_status 77 "--db with .. is refused" as_user "$P" --db "$T/data/../other/x.db" customer list
expect_status 77 "--db through a symlink out is refused" as_user "$P" --db "$T/data/escape/x.db" customer list
expect_status 77 "PATRON_DB outside is refused" as_user env PATRON_DB="$T/home/x.db" "$P" customer list
expect_status 77 "init outside is refused" as_user "$P" --db "$T/home/new.db" init
check "and made nothing" test ! -e "$T/home/new.db" -a ! -e "$T/other/x.db"
expect_status 77 "a user may not init a database inside the data directory either" \
	as_user "$P" --db "$T/data/mine.db" init
check "... saying only root makes it" grep -q "only root" "$T/err"
check "... and made nothing" test ! -e "$T/data/mine.db"
expect_status 0 "--db inside is fine" as_user "$P" --db "$T/data/../data/patron.db" customer list
expect_status 77 "--key-file outside is refused" as_user "$P" --key-file "$T/home/k" customer list
expect_status 77 "PATRON_KEY_FILE outside is refused" as_user env PATRON_KEY_FILE=/etc/passwd "$P" customer list
expect_status 77 "key add key-file outside is refused" as_user "$P" key add key-file "$T/home/k"
check "no key file made" test ! -e "$T/home/k"

# The test clock is ignored: a locked account stays locked.
later=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
PATRON_USER=cathy PATRON_PIN=0000 expect_status 77 "cathy: wrong 1" as_user "$P" customer list
PATRON_USER=cathy PATRON_PIN=0000 expect_status 77 "cathy: wrong 2 locks" as_user "$P" customer list
PATRON_USER=cathy PATRON_PIN=1357 PATRON_NOW=$later expect_status 77 \
	"PATRON_NOW a day on: still locked" as_user "$P" customer list
grep -q "locked" "$T/err" && ok "locked, says so" || not_ok "$(cat "$T/err")"
# The way back is the key holder's: in shared mode every user's commands
# hold the group's key file, so --key-holder is refused there, to root
# too; a member of the group, for whom Patron is an ordinary program, may.
expect_status 77 "staff unlock --key-holder is refused in shared mode" \
	as_user "$P" staff unlock cathy --key-holder
grep -q "member of Patron's group" "$T/err" && ok "saying who may" || not_ok "$(cat "$T/err")"
expect_status 77 "to root outside the group too" "$P" staff unlock cathy --key-holder
expect_status 0 "a member of the group may" env PATRON_CONFIG="$CONF" \
	PATRON_DB="$T/data/patron.db" PATRON_KEY_FILE="$T/data/patron.key" \
	setpriv --regid=$G --clear-groups "$P" staff unlock cathy --key-holder
PATRON_USER=cathy PATRON_PIN=1357 expect_status 0 "cathy logs in again" as_user "$P" customer list
PATRON_FAULT=rotate-before-rename expect_status 0 "PATRON_FAULT is ignored" \
	as_user "$P" key rotate
check "the rotated database is the group's, 0660" \
	test "$(stat -c '%a %g' "$T/data/patron.db")" = "660 $G"
expect_status 0 "and opens" as_user "$P" customer list

# Files the user names: with the user's own group.
expect_status 66 "import of the key file cannot read it" as_user "$P" import customers "$T/data/patron.key"
expect_status 0 "export -o" as_user "$P" export customers -o "$T/home/out.csv"
check "made with the user's group, 0600" \
	test "$(stat -c '%a %u %g' "$T/home/out.csv")" = "600 $NOBODY $NOBODY"
expect_status 73 "export -o into the data directory is refused" \
	as_user "$P" export customers -o "$T/data/out.csv"
expect_status 0 "backup to the user's directory" as_user "$P" backup "$T/home/b.db"
check "the backup is the user's, 0600" \
	test "$(stat -c '%a %g' "$T/home/b.db")" = "600 $NOBODY"
expect_status 0 "restore from it" as_user "$P" restore "$T/home/b.db"
check "the database stays the group's" \
	test "$(stat -c '%a %g' "$T/data/patron.db")" = "660 $G"
expect_status 66 "restore from the key file cannot read it" as_user "$P" restore "$T/data/patron.key"
expect_status 65 "sql ATTACH is refused" as_user "$P" sql "ATTACH '$T/home/a.db' AS a"
check "and made nothing" test ! -e "$T/home/a.db"

# While a session is open, its WAL, lock file and WAL index are the
# group's: an import waits on a pipe with the database open.
mkfifo "$T/home/in.csv"
chown $NOBODY "$T/home/in.csv"
as_user "$P" import customers "$T/home/in.csv" >"$T/imp.out" 2>&1 &
imp=$!
exec 3>"$T/home/in.csv"
printf 'name,phone\n' >&3
wait_until test -e "$T/data/patron.db-pwal"
check "the WAL is the group's, 0660" \
	test "$(stat -c '%a %g' "$T/data/patron.db-pwal")" = "660 $G"
check "the lock file too" \
	test "$(stat -c '%a %g' "$T/data/patron.db-plock")" = "660 $G"
shm=/dev/shm$(head -c 47 "$T/data/patron.db-plock")
check "the WAL index in memory too" test "$(stat -c '%a %g' "$shm")" = "660 $G"
printf 'Zhang San,13900139000\n' >&3
exec 3>&-
wait $imp
check "the import went through" test $? -eq 0
check "the WAL's marks are the group's, 0660" \
	test "$(stat -c '%a %g' "$T/data/patron.db-pmark")" = "660 $G"
expect_status 0 "search" as_user "$P" customer search Zhang
grep -q "Zhang San" "$T/out" && ok "imported" || not_ok "$(cat "$T/imp.out")"

# A second user (another uid, its own group) shares the database.
expect_status 0 "another user" sh -c "cd / && setpriv --reuid=65533 --regid=65533 \
	--clear-groups '$P' customer list"
done_testing
