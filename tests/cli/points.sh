# patron purchase add|list|void, points balance|history|earn|redeem|adjust|
# expire, note add, visit add: the rules through the command line, exit
# codes, JSON, the append-only ledger, and eight sessions redeeming at once.
. "$PATRON_TOP/tests/cli/lib.sh"
cat >"$T/config.yaml" <<'EOF'
security:
  kdf: interactive
store:
  country: CN
  currency: CNY
loyalty:
  points_per_unit: "1"
  min_redeem: 10
  expiry_months: 24
  welcome_bonus: 20
  tiers:
    - { name: Silver, threshold: 1000, multiplier: "1.5" }
EOF
"$PATRON" init >/dev/null 2>&1
"$W" staff cathy cashier 1357 >/dev/null
json_ok() { sqlite3 :memory: "SELECT json_valid(readfile('$1'))" | grep -qx 1; }
bal() { "$PATRON" points balance "$1" --json | sed 's/.*"balance":\([-0-9]*\).*/\1/'; }
q() { "$PATRON" sql "$1" | tail -n 1; }
sum() { q "SELECT coalesce(sum(points), 0) FROM ledger WHERE customer_id = $1"; }

expect_status 0 "a customer added by staff" "$PATRON" customer add --name "Li Na" --phone 13800000001 --card C-1
check "gets the welcome bonus" test "$(bal 1)" = 20

# Purchases earn by the rules; the same receipt earns once.
expect_status 0 "purchase" "$PATRON" purchase add --customer card:C-1 --total 99.99 --receipt R-1
grep -q "+99 points (balance 119)" "$T/out" && ok "99.99 earns 99 (rounding down)" || not_ok "$(cat "$T/out")"
expect_status 0 "the same receipt again" "$PATRON" purchase add --customer 1 --total 99.99 --receipt R-1
grep -q "recorded already" "$T/out" && ok "is reported, not recorded" || not_ok "$(cat "$T/out")"
check "and earned once" test "$(bal 1)" = 119
expect_status 65 "the same receipt with another total" "$PATRON" purchase add --customer 1 --total 5 --receipt R-1
expect_status 65 "a bad amount" "$PATRON" purchase add --customer 1 --total 1.234
grep -q "at most 2 decimals" "$T/err" && ok "says why" || not_ok "$(cat "$T/err")"
expect_status 65 "a purchase in the future" "$PATRON" purchase add --customer 1 --total 5 --at 2999-01-01
expect_status 1 "an unknown customer" "$PATRON" purchase add --customer 99 --total 5
expect_status 64 "no total" "$PATRON" purchase add --customer 1
expect_status 65 "a zero total" "$PATRON" purchase add --customer 1 --total 0
expect_status 0 "a repeated receipt as JSON" "$PATRON" purchase add --customer 1 --total 99.99 --receipt R-1 --json
grep -q '"recorded_before":true' "$T/out" && ok "says it was recorded before" || not_ok "$(cat "$T/out")"
expect_status 0 "a purchase with lines, as JSON" "$PATRON" purchase add --customer 1 --total 1000 \
	--receipt R-2 --line SKU-1:2:300:Shoes --line SKU-2:1:400 --json
check "JSON is valid" json_ok "$T/out"
grep -q '"total":"1000.00"' "$T/out" && grep -q '"points":1000' "$T/out" &&
	ok "total as a decimal string, points" || not_ok "$(cat "$T/out")"
check "lines stored" test "$(q "SELECT count(*) FROM purchase_line")" = 2
expect_status 0 "the tier now" "$PATRON" points balance 1
grep -q "Silver" "$T/out" && ok "is Silver (1099 earned)" || not_ok "$(cat "$T/out")"
expect_status 0 "a Silver purchase earns 1.5x" "$PATRON" purchase add --customer 1 --total 100 --receipt R-3
grep -q "+150 points" "$T/out" && ok "150 points" || not_ok "$(cat "$T/out")"

# Returns and voids reverse what was earned.
expect_status 0 "a partial return" "$PATRON" purchase add --customer 1 --total -250 --return-of R-2
grep -q -- "-250 points" "$T/out" && ok "takes back a quarter of 1000" || not_ok "$(cat "$T/out")"
expect_status 65 "returning more than is left" "$PATRON" purchase add --customer 1 --total -800 --return-of R-2
expect_status 65 "voiding a sale with returns" "$PATRON" purchase void R-2
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "a cashier may not void" "$PATRON" purchase void R-3
expect_status 0 "a manager voids" "$PATRON" purchase void R-3 --reason "wrong customer"
expect_status 65 "voiding twice" "$PATRON" purchase void R-3
b=$(bal 1)
check "balance = 20 + 99 + 1000 - 250 (+150 -150) = 869" test "$b" = 869

# Redeeming: the minimum, the balance, exit 65 with nothing written.
entries=$(q "SELECT count(*) FROM ledger")
expect_status 65 "below loyalty.min_redeem" "$PATRON" points redeem 1 5
expect_status 65 "more than the balance" "$PATRON" points redeem 1 870
grep -q "has 869 points" "$T/err" && ok "says the balance" || not_ok "$(cat "$T/err")"
check "nothing written" test "$(q "SELECT count(*) FROM ledger")" = "$entries"
PATRON_USER=cathy PATRON_PIN=1357 expect_status 0 "a cashier redeems part" "$PATRON" points redeem 1 69
grep -q "balance 869 -> 800" "$T/out" && ok "before and after shown" || not_ok "$(cat "$T/out")"
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "a cashier may not adjust" "$PATRON" points adjust 1 +5 --reason x
expect_status 65 "an adjustment needs a reason" "$PATRON" points adjust 1 -5
expect_status 0 "adjust down with a reason" "$PATRON" points adjust 1 -5 --reason "typo at the till"
expect_status 65 "adjust below zero" "$PATRON" points adjust 1 -9999 --reason x
expect_status 0 "earn without a purchase" "$PATRON" points earn 1 5 --reason "survey"
expect_status 0 "history as JSON" "$PATRON" points history 1 --json
check "JSON is valid" json_ok "$T/out"
grep -q '"kind":"adjust","points":-5,"balance":795,"reason":"typo at the till"' "$T/out" &&
	ok "entries carry kind, points, balance, reason" || not_ok "$(head -c 600 "$T/out")"
expect_status 0 "history with --limit after the customer" "$PATRON" points history 1 --limit 2 --csv
check "two entries" test "$(($(wc -l <"$T/out") - 1))" = 2
expect_status 0 "history as CSV" "$PATRON" points history 1 --csv
head -1 "$T/out" | grep -q "^id,uuid,customer_id,kind,points,balance,reason" && ok "CSV header" || not_ok "$(head -1 "$T/out")"

# The ledger is append-only: the database refuses edits.
expect_status 65 "UPDATE on the ledger is refused" "$PATRON" sql --write "UPDATE ledger SET points = 1000000"
grep -q "append-only" "$T/err" && ok "saying why" || not_ok "$(cat "$T/err")"
expect_status 65 "DELETE on the ledger is refused" "$PATRON" sql --write "DELETE FROM ledger"
check "cached balance = ledger sum" test "$(bal 1)" = "$(sum 1)"
expect_status 0 "check passes" "$PATRON" check
"$PATRON" sql --write "UPDATE customer SET points = points + 1 WHERE id = 1" >/dev/null
expect_status 65 "check finds a wrong cached balance" "$PATRON" check
grep -q "cached balance" "$T/err" && ok "and names it" || not_ok "$(cat "$T/err")"
"$PATRON" sql --write "UPDATE customer SET points = points - 1 WHERE id = 1" >/dev/null

# Expiry: the oldest points first, and only once.
expect_status 0 "a second customer" "$PATRON" customer add --name "Old Points" --phone 13800000002
expect_status 0 "bought 30 months ago" "$PATRON" purchase add --customer 2 --total 100 --at 2024-05-01 --receipt OLD-1
expect_status 0 "and 6 months ago" "$PATRON" purchase add --customer 2 --total 50 --at "$(date -d '6 months ago' +%Y-%m-%d)" --receipt OLD-2
expect_status 0 "redeemed 30" "$PATRON" points redeem 2 30
expect_status 0 "points expire" "$PATRON" points expire --json
grep -q '"expired_points":70' "$T/out" && ok "70 expire: the old lot less the 30 used (it expires first)" || not_ok "$(cat "$T/out")"
expect_status 0 "points expire again" "$PATRON" points expire --json
grep -q '"expired_points":0' "$T/out" && ok "expires nothing more" || not_ok "$(cat "$T/out")"
check "70 left (welcome 20, the recent 50)" test "$(bal 2)" = 70
expect_status 0 "a purchase recorded late, lapsed already" "$PATRON" purchase add --customer 2 --total 40 --at 2024-01-01 --receipt LATE-1
expect_status 0 "points expire" "$PATRON" points expire --json
grep -q '"expired_points":40' "$T/out" && ok "the late lot expires on the next run" || not_ok "$(cat "$T/out")"

# Interactions on the timeline.
expect_status 0 "note add" "$PATRON" note add 1 "asked for size 42" --kind call
expect_status 65 "a note needs text" "$PATRON" note add 1 " "
expect_status 0 "visit add" "$PATRON" visit add 1 --at "$(date +%Y-%m-%d)"
expect_status 0 "purchase list --json" "$PATRON" purchase list --customer 1 --json
check "JSON is valid" json_ok "$T/out"
expect_status 0 "purchase list --csv" "$PATRON" purchase list --csv
check "every purchase listed" test "$(($(wc -l <"$T/out") - 1))" = "$(q "SELECT count(*) FROM purchase")"

# Merging moves purchases and points, keeping expiry.
expect_status 0 "merge 2 into 1" "$PATRON" customer merge 1 2 --yes
check "points moved" test "$(sum 1)" = "$(bal 1)" -a "$(bal 1)" -gt 800
check "other left with none" test "$(sum 2)" = 0
check "purchases moved" test "$(q "SELECT count(*) FROM purchase WHERE customer_id = 2")" = 0
expect_status 0 "check after merge" "$PATRON" check

# Eight sessions redeem at once: never below zero, nothing lost.
expect_status 0 "a customer with 800 points" "$PATRON" customer add --name "Busy" --phone 13800000003
"$PATRON" points earn 3 780 --reason "for the race" >/dev/null
i=0
while [ $i -lt 8 ]; do
	( j=0; while [ $j -lt 5 ]; do "$PATRON" points redeem 3 30 >/dev/null 2>>"$T/race-err.log"; echo $? >>"$T/race.$i"; j=$((j + 1)); done ) &
	i=$((i + 1))
done
wait
okc=$(cat "$T"/race.[0-7] | grep -cx 0)
badc=$(cat "$T"/race.[0-7] | grep -vcx 0)
others=$(cat "$T"/race.[0-7] | grep -cvE '^(0|65)$')
check "40 tries, each answered 0 or 65" test "$((okc + badc))" = 40 -a "$others" = 0
check "26 succeeded (800 / 30)" test "$okc" = 26
check "balance is 800 - 26 x 30 = 20, never negative" test "$(bal 3)" = 20
check "and equals the ledger sum" test "$(sum 3)" = 20
check "every entry's balance is non-negative" test \
	"$(q "SELECT count(*) FROM ledger WHERE customer_id = 3 AND balance < 0")" = 0
expect_status 0 "check after the race" "$PATRON" check
done_testing
