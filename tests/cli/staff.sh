# patron staff add|list|disable|enable|unlock|role|passwd: managers and
# admins manage accounts, never above their own role; anyone changes
# their own PIN; PINs never reach the audit trail.
. "$PATRON_TOP/tests/cli/lib.sh"
printf 'security:\n  kdf: interactive\n  pin_attempts: 2\n  lockout_minutes: 0\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
q() { "$PATRON" sql "$1" | tail -n 1; }
PATRON_NEW_PIN=1111 expect_status 0 "admin adds a manager" "$PATRON" staff add mona --role manager
PATRON_NEW_PIN=2222 expect_status 0 "admin adds a cashier" "$PATRON" staff add cathy --role cashier
PATRON_NEW_PIN=12 expect_status 65 "a PIN too short" "$PATRON" staff add x --role clerk
PATRON_NEW_PIN=1234 expect_status 65 "an unknown role" "$PATRON" staff add x --role boss
PATRON_NEW_PIN=1234 expect_status 65 "a name taken" "$PATRON" staff add Mona --role clerk
as_mona() { PATRON_USER=mona PATRON_PIN=1111 "$@"; }
PATRON_NEW_PIN=3333 as_mona expect_status 0 "a manager adds a clerk" "$PATRON" staff add kim --role clerk
PATRON_NEW_PIN=3333 as_mona expect_status 77 "a manager may not add an admin" "$PATRON" staff add boss --role admin
as_mona expect_status 77 "nor make someone admin" "$PATRON" staff role kim admin
as_mona expect_status 77 "nor change the admin" "$PATRON" staff disable admin
as_mona expect_status 0 "a manager makes a clerk a cashier" "$PATRON" staff role kim cashier
PATRON_USER=cathy PATRON_PIN=2222 expect_status 77 "a cashier manages nothing" "$PATRON" staff list
expect_status 0 "list" "$PATRON" staff list --json
sqlite3 :memory: "SELECT json_valid(readfile('$T/out'))" | grep -qx 1 && ok "valid JSON" || not_ok "$(cat "$T/out")"
grep -q '"name":"kim","role":"cashier","disabled":false' "$T/out" && ok "kim a cashier" || not_ok "$(cat "$T/out")"
expect_status 0 "disable" "$PATRON" staff disable cathy
PATRON_USER=cathy PATRON_PIN=2222 expect_status 77 "a disabled account cannot log in" "$PATRON" customer list
expect_status 0 "enable" "$PATRON" staff enable cathy
PATRON_USER=cathy PATRON_PIN=2222 expect_status 0 "and it can again" "$PATRON" customer list
expect_status 65 "nobody disables themselves" "$PATRON" staff disable admin
PATRON_USER=cathy PATRON_PIN=2222 PATRON_NEW_PIN=4444 expect_status 0 "a cashier changes her own PIN" "$PATRON" staff passwd
PATRON_USER=cathy PATRON_PIN=4444 expect_status 0 "the new PIN works" "$PATRON" customer list
PATRON_USER=cathy PATRON_PIN=4444 PATRON_NEW_PIN=5555 expect_status 77 "but not another's" "$PATRON" staff passwd kim
PATRON_USER=cathy PATRON_PIN=0000 "$PATRON" customer list >/dev/null 2>&1
PATRON_USER=cathy PATRON_PIN=0000 "$PATRON" customer list >/dev/null 2>&1
PATRON_USER=cathy PATRON_PIN=4444 expect_status 77 "locked after two wrong PINs" "$PATRON" customer list
expect_status 0 "listed as locked" "$PATRON" staff list
grep -q "cathy .*cashier *locked" "$T/out" && ok "locked" || not_ok "$(cat "$T/out")"
as_mona expect_status 0 "a manager unlocks her" "$PATRON" staff unlock cathy
PATRON_USER=cathy PATRON_PIN=4444 expect_status 0 "she is in again" "$PATRON" customer list
check "no PIN or hash in the audit trail" test "$(q "SELECT count(*) FROM audit WHERE detail LIKE '%argon%' OR detail LIKE '%4444%'")" = 0
check "PIN changes recorded" test "$(q "SELECT count(*) FROM audit WHERE entity = 'staff' AND detail LIKE '%pin_changed%'")" = 1
check "the unlock recorded" test "$(q "SELECT count(*) FROM audit WHERE action = 'unlock'")" = 1
done_testing
