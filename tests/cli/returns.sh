# Returns and mistyped totals on the command line: a negative total names
# the sale it returns (--return-of), never more than is left of it; a total
# above store.max_purchase is refused naming the ceiling; messages give
# amounts in the currency with thousands separators, never minor units.
. "$PATRON_TOP/tests/cli/lib.sh"
cat >"$T/config.yaml" <<'EOF'
security:
  kdf: interactive
store:
  currency: CNY
loyalty:
  points_per_unit: "1"
EOF
"$PATRON" init >/dev/null 2>&1
q() { "$PATRON" sql "$1" | tail -n 1; }
bal() { "$PATRON" points balance "$1" --json | sed 's/.*"balance":\([-0-9]*\).*/\1/'; }
"$PATRON" customer add --name "Li Na" --card R1 >/dev/null

expect_status 0 "a sale of 100.00" "$PATRON" purchase add --customer R1 --total 100 --receipt S-1
entries=$(q "SELECT count(*) FROM ledger")

# The issue's case: -2000 without a sale took points and lifetime below 0.
expect_status 64 "a negative total without --return-of" "$PATRON" purchase add --customer R1 --total -2000
grep -q -- "--return-of" "$T/err" && ok "says to name the sale with --return-of" || not_ok "$(cat "$T/err")"
check "nothing recorded" test "$(q "SELECT count(*) FROM purchase")" = 1
check "no points taken" test "$(q "SELECT count(*) FROM ledger")" = "$entries" -a "$(bal 1)" = 100
check "lifetime spend not below zero" test "$(q "SELECT sum(total) FROM purchase")" = 10000

# A return cannot exceed what is left of its sale; amounts in currency.
expect_status 65 "returning more than the sale" "$PATRON" purchase add --customer R1 --total -5000 --return-of S-1
grep -q "has 100.00 CNY left to return, not 5,000.00 CNY" "$T/err" &&
	ok "the refusal names both amounts in CNY" || not_ok "$(cat "$T/err")"
grep -q "minor units" "$T/err" && not_ok "minor units in a message" || ok "no minor units"
expect_status 0 "a return of part" "$PATRON" purchase add --customer R1 --total -31.50 --return-of S-1
grep -q "^return [0-9]*: receipt .*, -31.50 CNY at .*, -31 points (balance 69)" "$T/out" &&
	ok "said as a return with its points" || not_ok "$(cat "$T/out")"
expect_status 65 "then more than is left" "$PATRON" purchase add --customer R1 --total -70 --return-of S-1
grep -q "has 68.50 CNY left to return, not 70.00 CNY" "$T/err" && ok "what is left, net of the return" || not_ok "$(cat "$T/err")"
expect_status 0 "the rest" "$PATRON" purchase add --customer R1 --total -68.50 --return-of S-1
check "all the sale's points are back" test "$(bal 1)" = 0
expect_status 65 "a sale returned in full" "$PATRON" purchase add --customer R1 --total -1 --return-of S-1
grep -q "returned in full already" "$T/err" && ok "says so" || not_ok "$(cat "$T/err")"
expect_status 65 "a positive --total with --return-of" "$PATRON" purchase add --customer R1 --total 5 --return-of S-1

# The ceiling of one purchase: 100,000.00 by default.
expect_status 65 "a mistyped 99999999" "$PATRON" purchase add --customer R1 --total 99999999
grep -q "total 99,999,999.00 CNY is more than one purchase may be, 100,000.00 CNY (store.max_purchase)" "$T/err" &&
	ok "refused naming the ceiling" || not_ok "$(cat "$T/err")"
check "nothing recorded" test "$(q "SELECT count(*) FROM purchase WHERE total > 0")" = 1
expect_status 0 "the ceiling itself is accepted" "$PATRON" purchase add --customer R1 --total 100000 --receipt BIG
grep -q "100,000.00 CNY at .*, +100,000 points (balance 100,000)" "$T/out" &&
	ok "amounts and points with thousands separators" || not_ok "$(cat "$T/out")"
expect_status 0 "a void" "$PATRON" purchase void BIG --reason "typo"
grep -q "^purchase [0-9]* void: receipt BIG, 100,000.00 CNY, -100,000 points (balance 0)" "$T/out" &&
	ok "the void says what it reversed" || not_ok "$(cat "$T/out")"

# store.max_purchase in the config: shown, checked, applied.
expect_status 0 "config show" "$PATRON" config show
grep -q "max_purchase: \"*100000\"*" "$T/out" && ok "shows the default ceiling" || not_ok "$(grep -n max_purchase "$T/out")"
printf 'security:\n  kdf: interactive\nstore:\n  max_purchase: lots\n' >"$T/bad.yaml"
expect_status 78 "a ceiling that is not a number" "$PATRON" --config "$T/bad.yaml" config check
grep -q "bad.yaml:4:.*store.max_purchase" "$T/err" && ok "with file:line" || not_ok "$(cat "$T/err")"
printf 'security:\n  kdf: interactive\nstore:\n  max_purchase: "500.00"\n' >"$T/low.yaml"
expect_status 65 "a configured ceiling" "$PATRON" --config "$T/low.yaml" purchase add --customer R1 --total 500.01
grep -q "more than one purchase may be, 500.00 CNY" "$T/err" && ok "names it" || not_ok "$(cat "$T/err")"
printf 'security:\n  kdf: interactive\nstore:\n  max_purchase: "0"\n' >"$T/none.yaml"
expect_status 0 "0: no ceiling" "$PATRON" --config "$T/none.yaml" purchase add --customer R1 --total 250000

# An import may bring a return without its sale (a till's file does not
# name sales of this database): a documented kind that takes back at most
# the balance, never below zero. A total above the ceiling is a bad row.
"$PATRON" customer add --name "Zhou Min" --card R2 >/dev/null
"$PATRON" purchase add --customer R2 --total 10 --receipt Z-1 >/dev/null
printf 'receipt,customer,total\nI-1,R2,-20\n' >"$T/ret.csv"
expect_status 0 "importing a return without its sale" "$PATRON" import purchases "$T/ret.csv"
check "takes back the 10 points there are, not 20" test "$(bal 2)" = 0
printf 'receipt,customer,total\nI-2,R2,5\nI-3,R2,200000\n' >"$T/big.csv"
expect_status 65 "importing a total above the ceiling" "$PATRON" import purchases "$T/big.csv"
grep -q "big.csv:3.*more than one purchase may be, 100,000.00 CNY" "$T/err" && ok "line 3 named" || not_ok "$(cat "$T/err")"
check "nothing imported" test "$(q "SELECT count(*) FROM purchase WHERE receipt IN ('I-2', 'I-3')")" = 0
done_testing
