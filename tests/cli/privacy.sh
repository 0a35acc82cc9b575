# The right of access: `customer export-data REF` writes everything stored
# about one person as JSON: the customer, consent records, purchases with
# their lines, interactions, points entries, tasks and the audit trail's
# entries about them; managers and admins only; recorded in the trail.
. "$PATRON_TOP/tests/cli/lib.sh"
"$PATRON" init >/dev/null 2>&1
"$W" staff cathy cashier 1357 >/dev/null
"$PATRON" customer add --name "Li Na" --phone 13800000001 --email li@example.cn --consent yes >/dev/null
"$PATRON" customer add --name "Someone Else" --phone 13800000002 >/dev/null
"$PATRON" purchase add --customer 1 --total 120 --receipt R-1 --line SKU-1:2:60:Tea >/dev/null
"$PATRON" purchase add --customer 2 --total 99 --receipt R-2 >/dev/null
"$PATRON" note add 1 "prefers oolong" >/dev/null
"$PATRON" task add --title "Call back" --customer 1 >/dev/null
"$PATRON" points redeem 1 100 >/dev/null
expect_status 0 "export-data to a file" "$PATRON" customer export-data 1 -o "$T/li.json"
check "the file is 0600" test "$(stat -c %a "$T/li.json")" = 600
sqlite3 :memory: "SELECT json_valid(readfile('$T/li.json'))" | grep -qx 1 && ok "valid JSON" || not_ok "$(head -c 300 "$T/li.json")"
j() { sqlite3 :memory: "SELECT $1 FROM (SELECT readfile('$T/li.json') AS d)"; }
check "the customer, unmasked" test "$(j "json_extract(d, '\$.customer.phone')")" = "+8613800000001"
check "the consent record" test "$(j "json_extract(d, '\$.consent[0].given')")" = 1
check "the purchase with its line" test "$(j "json_extract(json_extract(d, '\$.purchases[0].lines'), '\$[0].name')")" = Tea
check "only their purchases" test "$(j "json_array_length(d, '\$.purchases')")" = 1
check "the note" test "$(j "json_extract(d, '\$.interactions[0].text')")" = "prefers oolong"
check "earn and redeem entries" test "$(j "json_array_length(d, '\$.points')")" = 2
check "the task" test "$(j "json_extract(d, '\$.tasks[0].title')")" = "Call back"
check "the changes about them" test "$(j "json_array_length(d, '\$.changes')")" -ge 5
! grep -q "Someone Else\|13800000002" "$T/li.json" && ok "nothing about anyone else" || not_ok "another customer's data"
expect_status 0 "export-data to stdout" "$PATRON" customer export-data phone:13800000001
grep -q '"name":"Li Na"' "$T/out" && ok "by phone" || not_ok "$(head -c 200 "$T/out")"
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "a cashier may not" "$PATRON" customer export-data 1
expect_status 1 "an unknown customer" "$PATRON" customer export-data 99
expect_status 0 "recorded in the audit trail" "$PATRON" audit list --action export_data
check "twice" test "$(grep -c export_data "$T/out")" = 2
done_testing
