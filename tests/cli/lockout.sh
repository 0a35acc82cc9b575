# Lockout: after security.pin_attempts wrong PINs in a row an account is
# locked for security.lockout_minutes, across restarts (every command is
# one), whatever the PIN; the clock moved past it (PATRON_NOW) lets the
# right PIN in again; a right PIN resets the count; the attempts are in
# the audit trail.
. "$PATRON_TOP/tests/cli/lib.sh"
printf 'security:\n  kdf: interactive\n  pin_attempts: 3\n  lockout_minutes: 5\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
"$W" staff cathy cashier 1357 >/dev/null
q() { "$PATRON" sql "$1" | tail -n 1; }
as_cathy() { PATRON_USER=cathy PATRON_PIN=$1 "$PATRON" customer list; }

expect_status 77 "a wrong PIN" as_cathy 0000
expect_status 77 "a second" as_cathy 0001
expect_status 0 "the right PIN resets the count" as_cathy 1357
check "count reset" test "$(q "SELECT failed_attempts FROM staff WHERE name = 'cathy'")" = 0
expect_status 77 "wrong 1" as_cathy 0000
expect_status 77 "wrong 2" as_cathy 0000
expect_status 77 "wrong 3 locks" as_cathy 0000
expect_status 77 "then the right PIN is refused" as_cathy 1357
grep -q "cathy is locked after too many wrong PINs until" "$T/err" && ok "saying until when" || not_ok "$(cat "$T/err")"
check "the lock is stored" test -n "$(q "SELECT locked_until FROM staff WHERE name = 'cathy'")"
later=$(date -u -d '+6 minutes' +%Y-%m-%dT%H:%M:%SZ)
PATRON_NOW=$later expect_status 0 "six minutes on, the right PIN works" as_cathy 1357
expect_status 0 "others are not locked" "$PATRON" customer list
check "attempts in the audit trail" test \
	"$(q "SELECT count(*) FROM audit WHERE action = 'login_failed'")" = 5 -a \
	"$(q "SELECT count(*) FROM audit WHERE action = 'login_locked'")" = 1
printf 'security:\n  kdf: interactive\n  pin_attempts: 1\n  lockout_minutes: 0\n' >"$T/config.yaml"
export PATRON_NOW=$later	# past the first lock from here on
expect_status 77 "lockout_minutes 0: one wrong PIN" as_cathy 9999
check "locked for good" test "$(q "SELECT locked_until FROM staff WHERE name = 'cathy'")" = admin
PATRON_NOW=$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ) expect_status 77 "locked until an admin unlocks it" as_cathy 1357
grep -q "until an admin unlocks it" "$T/err" && ok "says so" || not_ok "$(cat "$T/err")"

# The only admin locked out for good (lockout_minutes 0): no staff login
# can unlock it. Whoever holds the database's passphrase, recovery code or
# key file can, with --key-holder, and it is in the audit trail.
printf 'security:\n  kdf: interactive\n  pin_attempts: 2\n  lockout_minutes: 0\n' >"$T/config.yaml"
as_admin() { PATRON_PIN=$1 "$PATRON" customer list; }
expect_status 77 "admin: wrong 1" as_admin 0000
expect_status 77 "admin: wrong 2 locks the only admin" as_admin 0000
check "... saying no more than wrong staff name or PIN" \
	test "$(cat "$T/err")" = "patron: wrong staff name or PIN"
expect_status 77 "the right PIN is refused" as_admin 2468
grep -q "until an admin unlocks it (or whoever holds the database's passphrase or key file: patron staff unlock NAME --key-holder)" "$T/err" &&
	ok "saying where the way back is" || not_ok "$(cat "$T/err")"
expect_status 77 "staff unlock needs a login nobody can give" "$PATRON" staff unlock admin
nologin() { env -u PATRON_USER -u PATRON_PIN "$@"; }
PATRON_PASSPHRASE="wrong horse battery" expect_status 77 \
	"--key-holder with a wrong passphrase is refused" nologin "$PATRON" staff unlock admin --key-holder
expect_status 77 "still locked" as_admin 2468
expect_status 0 "staff unlock admin --key-holder, with the passphrase, no PIN" \
	nologin "$PATRON" staff unlock admin --key-holder
expect_status 0 "the admin logs in again" as_admin 2468
expect_status 0 "recorded as key_holder" "$PATRON" audit list --action key_holder --json
grep -q '"staff":null,"action":"key_holder","entity":"staff","entity_id":1' "$T/out" &&
	grep -q '"detail":{"did":"unlock","slot":0,"type":"passphrase"}' "$T/out" &&
	ok "by no staff member, naming the slot" || not_ok "$(cat "$T/out")"
# A forgotten PIN: set a new one the same way, with a key file this time.
"$PATRON" key add key-file "$T/key" >/dev/null
expect_status 77 "locked again: 1" as_admin 1111
expect_status 77 "locked again: 2" as_admin 1111
PATRON_NEW_PIN=1111 expect_status 0 "staff passwd admin --key-holder with the key file" \
	nologin env -u PATRON_PASSPHRASE "$PATRON" --key-file "$T/key" staff passwd admin --key-holder
expect_status 0 "the new PIN works" as_admin 1111
PATRON_PIN=1111 expect_status 0 "in the audit trail" "$PATRON" audit list --action key_holder --json
grep -q '"detail":{"did":"passwd","slot":[0-9],"type":"key-file"}' "$T/out" &&
	ok "naming the key file's slot" || not_ok "$(cat "$T/out")"
expect_status 1 "--key-holder for an unknown name" nologin "$PATRON" staff unlock nobody --key-holder
expect_status 64 "--key-holder without a name" nologin "$PATRON" staff unlock --key-holder
done_testing
