# The audit trail: changes recorded with who and what (never a PIN),
# imports, exports, key operations and failed logins recorded; `audit
# verify` finds each kind of tampering done through `patron sql --write`
# (an edited, deleted, inserted or reordered entry, a cut-off end) and names
# the first broken entry with exit 65; a key rotation keeps the chain
# whole (and a broken one broken).
. "$PATRON_TOP/tests/cli/lib.sh"
"$PATRON" init >/dev/null 2>&1
q() { "$PATRON" sql "$1" | tail -n 1; }
"$W" staff cathy cashier 1357 >/dev/null
"$PATRON" customer add --name "Li Na" --phone 13800000001 --tag vip >/dev/null
PATRON_USER=cathy PATRON_PIN=1357 "$PATRON" customer edit 1 --email li@example.cn >/dev/null
"$PATRON" purchase add --customer 1 --total 50 >/dev/null
PATRON_PIN=0000 "$PATRON" customer show 1 >/dev/null 2>&1
printf 'name,phone\nZhang Wei,13800000002\n' >"$T/c.csv"
"$PATRON" import customers "$T/c.csv" >/dev/null
"$PATRON" export customers >/dev/null

expect_status 0 "audit list" "$PATRON" audit list
grep -q 'cathy .*update .*customer .*"email":\[null,"li@example.cn"\]' "$T/out" &&
	ok "an edit: who, and before and after" || not_ok "$(cat "$T/out")"
grep -q "login_failed" "$T/out" && ok "a failed login" || not_ok "no failed login"
grep -q 'import .*"added":1' "$T/out" && ok "an import" || not_ok "no import"
grep -q 'export .*"what":"customers"' "$T/out" && ok "an export" || not_ok "no export"
grep -q 'insert .*ledger' "$T/out" && ok "points entries" || not_ok "no ledger entry"
check "no PIN hash in the trail" test "$(q "SELECT count(*) FROM audit WHERE detail LIKE '%argon2%'")" = 0
expect_status 0 "audit list --customer --json" "$PATRON" audit list --customer 1 --json
sqlite3 :memory: "SELECT json_valid(readfile('$T/out'))" | grep -qx 1 && ok "valid JSON" || not_ok "$(head -c 300 "$T/out")"
expect_status 0 "audit list --staff cathy" "$PATRON" audit list --staff cathy --csv
check "only cathy's" test "$(grep -c ',cathy,' "$T/out")" = "$(($(wc -l <"$T/out") - 1))"
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "a cashier may not read the trail" "$PATRON" audit list
expect_status 0 "verify" "$PATRON" audit verify
grep -q "audit trail intact" "$T/out" && ok "intact" || not_ok "$(cat "$T/out")"

cp "$PATRON_DB" "$T/keep.db"
rm -f "$PATRON_DB-pwal"
tamper() { # description, SQL, the entry verify must name (0: the end)
	cp "$T/keep.db" "$PATRON_DB"
	rm -f "$PATRON_DB-pwal"
	"$PATRON" sql --write "$2" >/dev/null
	expect_status 65 "verify finds $1" "$PATRON" audit verify
	if [ "$3" = 0 ]; then
		# The sql command's own entry follows the cut: the gap shows.
		grep -Eq "missing, or the head record was altered|entry [0-9]+ before it is missing" "$T/err" &&
			ok "and says entries are missing" || not_ok "$(cat "$T/err")"
	else
		grep -q "audit entry $3:" "$T/err" && ok "naming entry $3" || not_ok "$(cat "$T/err")"
	fi
}
tamper "an edited detail" "UPDATE audit SET detail = replace(detail, 'li@', 'xx@') WHERE detail LIKE '%li@%'" \
	"$(q "SELECT id FROM audit WHERE detail LIKE '%li@%'")"
tamper "an edited staff member" "UPDATE audit SET staff_id = 1 WHERE staff_id = 2" \
	"$(q "SELECT min(id) FROM audit WHERE staff_id = 2")"
tamper "a deleted entry" "DELETE FROM audit WHERE id = 5" 6
last=$(q "SELECT max(id) FROM audit")
tamper "an inserted entry" "INSERT INTO audit SELECT $((last + 1)), at, staff_id, 'delete', entity, entity_id, customer_id, detail, detail_hash, mac, detail_salt FROM audit WHERE id = 3" $((last + 1))
tamper "two entries swapped" "UPDATE audit SET id = -1 WHERE id = 3; UPDATE audit SET id = 3 WHERE id = 4; UPDATE audit SET id = 4 WHERE id = -1" 3
tamper "the last entry cut off" "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)" 0
"$PATRON" customer add --name "After the cut" >/dev/null
expect_status 65 "what comes after does not hide the cut" "$PATRON" audit verify
expect_status 0 "a write through sql is recorded" "$PATRON" audit list --action sql
grep -q "DELETE FROM audit" "$T/out" && ok "with its statement" || not_ok "$(cat "$T/out")"
cp "$T/keep.db" "$PATRON_DB"
rm -f "$PATRON_DB-pwal"

# Key rotation seals the chain under the new key.
PATRON_NEW_PASSPHRASE="correct horse battery" expect_status 0 "key rotate" "$PATRON" key rotate
expect_status 0 "verify after rotation" "$PATRON" audit verify
"$PATRON" sql --write "UPDATE audit SET action = 'tag' WHERE id = 3" >/dev/null
"$PATRON" key rotate >/dev/null 2>&1
expect_status 65 "a rotation does not hide tampering" "$PATRON" audit verify
grep -q "audit entry 3:" "$T/err" && ok "entry 3 still named" || not_ok "$(cat "$T/err")"
done_testing
