# patron import purchases and export purchases|points: POS files, the same
# receipt earning once, all or nothing, rejects, and exports read back.
. "$PATRON_TOP/tests/cli/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  country: CN\n  branch: HS-01\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
json_ok() { sqlite3 :memory: "SELECT json_valid(readfile('$1'))" | grep -qx 1; }
q() { "$PATRON" sql "$1" | tail -n 1; }
"$PATRON" customer add --name "Zhang Wei" --card C-1 --phone 13800000001 >/dev/null
"$PATRON" customer add --name "Anna Berg" --card C-2 >/dev/null
uuid=$(q "SELECT uuid FROM customer WHERE id = 2")

printf 'Receipt,Customer,Occurred_At,Total,Branch\r\nP-1,C-1,2026-01-05 10:00,120.00,\r\nP-2,13800000001,2026-02-05T02:00:00Z,80.5,\r\nP-3,%s,2026-03-01,15,HS-02\r\n' "$uuid" >"$T/pos.csv"
expect_status 0 "import purchases (card, phone, uuid; CRLF)" "$PATRON" import purchases "$T/pos.csv"
grep -q "^3 purchases imported" "$T/out" && ok "three recorded" || not_ok "$(cat "$T/out")"
check "points earned: 120 + 80" test "$(q "SELECT points FROM customer WHERE id = 1")" = 200
check "branch from the file, else store.branch" test \
	"$(q "SELECT group_concat(branch, ' ') FROM (SELECT branch FROM purchase ORDER BY id)")" = "HS-01 HS-01 HS-02"
check "an ISO time with Z is stored as that UTC time" test \
	"$(q "SELECT count(*) FROM purchase WHERE occurred_at LIKE '2026-02-05T02:00:00%'")" = 1

# Offline retries: the same file again records and earns nothing.
expect_status 0 "the same file again" "$PATRON" import purchases "$T/pos.csv"
grep -q "^0 purchases imported, 3 recorded before" "$T/out" && ok "nothing twice" || not_ok "$(cat "$T/out")"
check "points unchanged" test "$(q "SELECT points FROM customer WHERE id = 1")" = 200
check "ledger sum unchanged" test "$(q "SELECT sum(points) FROM ledger")" = 215

# All or nothing: one bad row, nothing written, the rows named.
printf 'receipt,customer,total\nQ-1,C-1,10\nQ-2,C-9,10\nQ-3,C-1,ten\nP-1,C-2,120.00\n' >"$T/bad.csv"
expect_status 65 "a file with bad rows" "$PATRON" import purchases "$T/bad.csv"
grep -q "bad.csv:3: no customer" "$T/err" && ok "unknown customer at line 3" || not_ok "$(cat "$T/err")"
grep -q "bad.csv:4: total: an amount" "$T/err" && ok "bad total at line 4" || not_ok "$(cat "$T/err")"
grep -q "bad.csv:5: receipt P-1 of branch HS-01 is already recorded" "$T/err" &&
	ok "a receipt reused for another customer at line 5" || not_ok "$(cat "$T/err")"
check "nothing written" test "$(q "SELECT count(*) FROM purchase")" = 3
expect_status 0 "--skip-invalid" "$PATRON" import purchases "$T/bad.csv" --skip-invalid "$T/rej.csv"
grep -q "1 purchases imported, 3 rejected" "$T/out" && ok "good row in, bad rows out" || not_ok "$(cat "$T/out")"
check "rejects file is 0600" test "$(stat -c %a "$T/rej.csv")" = 600
head -1 "$T/rej.csv" | grep -q "^line,error,receipt,customer,customer_id,occurred_at,total,branch,voided" &&
	ok "rejects keep the columns" || not_ok "$(head -1 "$T/rej.csv")"
printf 'receipt,total\nX,1\n' >"$T/nocust.csv"
expect_status 65 "no customer column" "$PATRON" import purchases "$T/nocust.csv"
grep -q "nocust.csv:1: a customer column is needed" "$T/err" && ok "says so" || not_ok "$(cat "$T/err")"
printf 'receipt,customer,total,colour\n' >"$T/unknown.csv"
expect_status 65 "an unknown column" "$PATRON" import purchases "$T/unknown.csv"
grep -q "unknown column 'colour' (columns: receipt, customer, customer_id, occurred_at, total, branch, voided)" "$T/err" &&
	ok "lists the columns" || not_ok "$(cat "$T/err")"
"$W" staff agnes agent 1111 >/dev/null
PATRON_USER=agnes PATRON_PIN=1111 expect_status 77 "an agent may not import purchases" "$PATRON" import purchases "$T/pos.csv"

# Exports: CSV reads back as an import; JSON is valid; vCard is refused.
"$PATRON" purchase void HS-02:P-3 --reason "test" >/dev/null
expect_status 0 "export purchases as CSV" "$PATRON" export purchases -o "$T/p.csv"
check "the file is 0600" test "$(stat -c %a "$T/p.csv")" = 600
check "one row per purchase" test "$(($(wc -l <"$T/p.csv") - 1))" = 4
rm -f "$PATRON_DB"* && "$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Zhang Wei" --card C-1 >/dev/null
"$PATRON" customer add --name "Anna Berg" --card C-2 >/dev/null
expect_status 0 "the export imports back (customer_id)" "$PATRON" import purchases "$T/p.csv"
grep -q "^4 purchases imported" "$T/out" && ok "all four" || not_ok "$(cat "$T/out")"
check "the voided one is void again, its points reversed" test \
	"$(q "SELECT count(*) FROM purchase WHERE voided_at IS NOT NULL")" = 1 -a \
	"$(q "SELECT points FROM customer WHERE id = 2")" = 0
expect_status 0 "export points as JSON" "$PATRON" export points --format json
check "JSON is valid" json_ok "$T/out"
grep -q '"kind":"earn"' "$T/out" && ok "entries exported" || not_ok "$(head -c 300 "$T/out")"
expect_status 64 "points as vCard is refused" "$PATRON" export points --format vcf
"$W" staff cathy cashier 1357 >/dev/null
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "a cashier may not export" "$PATRON" export purchases
expect_status 0 "check" "$PATRON" check
done_testing
