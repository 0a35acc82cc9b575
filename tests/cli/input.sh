# Values as people type them, on the command line (issue 15, items 11
# and 12): full-width digits from a Chinese input method, the store's
# currency sign, grouping and surrounding spaces in amounts, points,
# phones, cards and dates; phone lengths by country; search by digits
# inside a phone and by a card's number, and how many were found.
. "$PATRON_TOP/tests/cli/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  country: CN\n  currency: CNY\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
P=$PATRON
q() { "$P" sql "$1" | tail -1; }

# Phones: lengths checked per country, saying what is expected.
expect_status 65 "a 5-digit phone is refused (form and CLI alike)" \
	$P customer add --name Short --phone 12345
grep -q "11 digits" "$T/err" && ok "... saying a mobile in China has 11 digits" ||
	not_ok "$(cat "$T/err")"
check "nothing written" test "$(q "SELECT count(*) FROM customer")" = 0
expect_status 65 "a landline without its area code is refused" \
	$P customer add --name Local --phone "6552 9988"
grep -q "area code" "$T/err" && ok "... naming the area code" || not_ok "$(cat "$T/err")"
expect_status 65 "a foreign number too short is refused" \
	$P customer add --name Tiny --phone "+1 555 01"
grep -q "8 to 15 digits" "$T/err" && ok "... with the lengths allowed" || not_ok "$(cat "$T/err")"
expect_status 0 "full-width digits and an ideographic space" \
	$P customer add --name "王芳" --phone "１３８　００１３　８０００ " \
	--card "Ｃ０００１９６１" --birthday "１９９０－０４－２１ "
check "phone stored as E.164" test "$(q "SELECT phone FROM customer WHERE id = 1")" = "+8613800138000"
check "card stored plain" test "$(q "SELECT card FROM customer WHERE id = 1")" = "C0001961"
check "birthday stored plain" test "$(q "SELECT birthday FROM customer WHERE id = 1")" = "1990-04-21"
expect_status 0 "a Beijing landline with its area code" \
	$P customer add --name Landline --phone "010 6552 9988"
check "... kept with the area code" test "$(q "SELECT phone FROM customer WHERE id = 2")" = "+861065529988"
expect_status 0 "a customer by the full-width reference" $P customer show "１３８００１３８０００"

# Amounts: full-width, the store's sign, grouping, spaces.
for a in "３５.８０" "¥35.80" "￥35.80" "35.80 " " 35.80" "35.80元" "CNY 35.80"; do
	expect_status 0 "amount '$a'" $P purchase add --customer 1 --total "$a"
done
check "each is 35.80" test "$(q "SELECT count(*) FROM purchase WHERE total = 3580")" = 7
expect_status 0 "grouped by commas" $P purchase add --customer 1 --total "1,234.50"
expect_status 0 "grouped by spaces" $P purchase add --customer 1 --total "1 234.50"
check "both are 1234.50" test "$(q "SELECT count(*) FROM purchase WHERE total = 123450")" = 2
expect_status 65 "another currency's sign is refused" $P purchase add --customer 1 --total '$35.80'
grep -q "another currency" "$T/err" && ok "... saying so" || not_ok "$(cat "$T/err")"
expect_status 65 "digits grouped oddly are refused (12 50 is not 1250)" \
	$P purchase add --customer 1 --total "12 50"

# Points.
expect_status 0 "full-width points with a sign and grouping" \
	$P points adjust 1 "＋１,０００" --reason "full width"
grep -Eq "\+1,?000 points" "$T/out" && ok "... read as +1000" || not_ok "$(cat "$T/out")"
expect_status 0 "points with spaces around" $P points redeem 1 " 100 "

# Dates.
expect_status 0 "a full-width due date" $P task add --title Call --customer 1 --due "＋３ｄ"
expect_status 0 "a visit at a full-width time" $P visit add 1 --at "２０２６－１２－０１ １０:３０"

# Search: digits inside a phone, a card's number, how many.
$P customer add --name "Zhou Ming" --phone 13912344384 >/dev/null
$P customer add --name "Card Only" --card C-0042 >/dev/null
expect_status 0 "4384 finds a phone by its middle digits" $P customer search 4384
grep -q "Zhou Ming" "$T/out" && ok "... Zhou Ming" || not_ok "$(cat "$T/out")"
grep -q "^1 found" "$T/out" && ok "the table says how many" || not_ok "$(cat "$T/out")"
expect_status 0 "1961 finds the card C0001961" $P customer search 1961
grep -q "王芳" "$T/out" && ok "... 王芳" || not_ok "$(cat "$T/out")"
expect_status 0 "42 finds the card C-0042" $P customer search 42
grep -q "Card Only" "$T/out" && ok "... Card Only" || not_ok "$(cat "$T/out")"
expect_status 0 "full-width digits search too" $P customer search "４３８４"
grep -q "Zhou Ming" "$T/out" && ok "... Zhou Ming" || not_ok "$(cat "$T/out")"
expect_status 1 "three digits are not searched inside phones" $P customer search 912
expect_status 0 "the JSON has rows only" $P customer search 4384 --json
grep -q "found" "$T/out" && not_ok "a count in the JSON" || ok "no count in the JSON"
i=0
{
	echo "name"
	while [ $i -lt 25 ]; do
		echo "Bulk $i"
		i=$((i + 1))
	done
} >"$T/bulk.csv"
$P import customers "$T/bulk.csv" >/dev/null 2>&1
expect_status 0 "a search past the limit" $P customer search bulk
grep -q "^20+ found" "$T/out" && ok "says 20+ found" || not_ok "$(tail -2 "$T/out")"
check "and shows 20 rows" test "$(grep -c Bulk "$T/out")" = 20
expect_status 0 "with a higher limit" $P customer search bulk --limit 30
grep -q "^25 found" "$T/out" && ok "says 25 found" || not_ok "$(tail -2 "$T/out")"
done_testing
