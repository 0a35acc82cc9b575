# Key slots: add, list, remove, passwd, rotate; each credential unlocks.
. "$PATRON_TOP/tests/cli/lib.sh"
P1="first passphrase"

PATRON_PASSPHRASE="$P1" "$PATRON" init >"$T/init.out"
export PATRON_PASSPHRASE="$P1"
code=$(grep -E '^    [0-9A-Z]{4}(-[0-9A-Z]{4}){7}$' "$T/init.out" | tr -d ' ')
"$PATRON" sql --write "CREATE TABLE t (a); INSERT INTO t VALUES ('precious')" >/dev/null

expect_status 0 "key list" "$PATRON" key list
grep -q "passphrase" "$T/out" && grep -q "recovery" "$T/out" &&
	ok "list shows the passphrase and recovery slots" || not_ok "list: $(cat "$T/out")"
expect_status 0 "key list --json" "$PATRON" key list --json
grep -q '"slot":0,"type":"passphrase"' "$T/out" && grep -q '"unlocked":true' "$T/out" &&
	ok "json slots" || not_ok "json: $(cat "$T/out")"

PATRON_NEW_PASSPHRASE="second passphrase" expect_status 0 \
	"add a passphrase with a label after the verb" "$PATRON" key add passphrase --label manager
PATRON_PASSPHRASE="second passphrase" expect_status 0 "second passphrase opens" "$PATRON" check
expect_status 0 "add a key file" "$PATRON" key add key-file "$T/k1" --label backups
[ "$(stat -c %a "$T/k1")" = 600 ] && [ "$(stat -c %s "$T/k1")" = 32 ] &&
	ok "key file is 32 bytes, mode 0600" || not_ok "key file mode/size"
PATRON_KEY_FILE="$T/k1" expect_status 0 "key file opens" "$PATRON" check
expect_status 0 "add a recovery code" "$PATRON" key add recovery
code2=$(grep -E '^    [0-9A-Z]{4}(-[0-9A-Z]{4}){7}$' "$T/out" | tr -d ' ')
PATRON_PASSPHRASE="$code2" expect_status 0 "new recovery code opens" "$PATRON" check
expect_status 64 "key add with nothing to add" "$PATRON" key add
expect_status 64 "unknown key verb" "$PATRON" key frob

# passwd rewrites one slot: old passphrase out, new in, others untouched.
PATRON_PASSPHRASE="second passphrase" PATRON_NEW_PASSPHRASE="third passphrase" \
	expect_status 0 "passwd of the slot that unlocked" "$PATRON" key passwd
PATRON_PASSPHRASE="second passphrase" expect_status 77 "old passphrase refused" "$PATRON" check
PATRON_PASSPHRASE="third passphrase" expect_status 0 "new passphrase opens" "$PATRON" check
expect_status 0 "first passphrase untouched" "$PATRON" check
PATRON_NEW_PASSPHRASE="short" expect_status 65 "short new passphrase refused" "$PATRON" key passwd
expect_status 1 "passwd of a key-file slot refused" "$PATRON" key passwd 3

# remove: the slot stops working; the last slot cannot go.
expect_status 0 "remove the key file slot" "$PATRON" key remove 3
PATRON_KEY_FILE="$T/k1" expect_status 77 "removed key file refused" "$PATRON" check
expect_status 1 "remove an empty slot" "$PATRON" key remove 3
expect_status 1 "remove a slot out of range" "$PATRON" key remove 9
PATRON_DB="$T/one.db" "$PATRON" init --no-recovery-code >/dev/null
PATRON_DB="$T/one.db" expect_status 1 "the last key slot cannot be removed" "$PATRON" key remove 0
grep -q "last key" "$T/err" || not_ok "last-key message"

# Non-admins may not touch keys.
"$W" staff clerk1 clerk 1357
PATRON_USER=clerk1 PATRON_PIN=1357 expect_status 77 "a clerk cannot list keys" "$PATRON" key list

# Rotation: a new data key; the unlocking credential and a new recovery code
# work, the others are gone, every page still authenticates.
before=$(od -An -tx1 -j 32 -N 16 "$PATRON_DB")
expect_status 0 "rotate" "$PATRON" key rotate
grep -q "New recovery code" "$T/out" && ok "rotation prints a new recovery code" ||
	not_ok "no new recovery code"
code3=$(grep -E '^    [0-9A-Z]{4}(-[0-9A-Z]{4}){7}$' "$T/out" | tr -d ' ')
after=$(od -An -tx1 -j 32 -N 16 "$PATRON_DB")
[ "$before" != "$after" ] && ok "new database id after rotation" || not_ok "same database id"
expect_status 0 "check after rotation" "$PATRON" check
expect_status 0 "data intact after rotation" "$PATRON" sql "SELECT a FROM t"
grep -q precious "$T/out" || not_ok "row lost in rotation"
PATRON_PASSPHRASE="$code3" expect_status 0 "new recovery code opens" "$PATRON" check
PATRON_PASSPHRASE="$code" expect_status 77 "old recovery code refused" "$PATRON" check
PATRON_PASSPHRASE="third passphrase" expect_status 77 "other passphrase dropped" "$PATRON" check
check "no temporary file left" sh -c "! ls '$T' | grep -q rotate-"

# Rotation needs the database to itself.
"$W" hold "SELECT 1" >"$T/hold.out" 2>&1 &
pid=$!
wait_ready "$T/hold.out"
expect_status 75 "rotate refused while another session is open" "$PATRON" key rotate
kill -9 $pid
wait $pid 2>/dev/null
expect_status 0 "still opens after the refused rotation" "$PATRON" check
done_testing
