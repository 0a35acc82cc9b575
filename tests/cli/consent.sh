# Consent is a record, not a flag: `export customers --consent CHANNEL`
# exports only the customers whose latest consent record for the channel
# says given. Withdrawn, never asked and erased customers are left out.
. "$PATRON_TOP/tests/cli/lib.sh"
"$PATRON" init >/dev/null 2>&1
P="$PATRON"
$P customer add --name "Ann Given" --consent yes >/dev/null
$P customer add --name "Ben Refused" --consent no >/dev/null
$P customer add --name "Cal Never" >/dev/null
$P customer add --name "Dee Withdrew" --consent yes >/dev/null
$P customer edit "id:4" --consent no >/dev/null
$P customer add --name "Eve Changed" --consent no >/dev/null
$P customer edit "id:5" --consent yes >/dev/null
$P customer add --name "Fay Erased" --consent yes >/dev/null
$P customer erase 6 --yes >/dev/null
printf 'name,marketing_consent\nGil Imported,yes\nHal Imported,no\n' >"$T/in.csv"
$P import customers "$T/in.csv" >/dev/null 2>&1

expect_status 0 "export customers --consent marketing" \
	$P export customers --consent marketing
names=$(tail -n +2 "$T/out" | cut -d, -f3 | sort | tr '\n' ' ')
test "$names" = "Ann Given Eve Changed Gil Imported " &&
	ok "given, given last, imported given: nobody else" || not_ok "exported: $names"
expect_status 0 "the same as JSON" $P export customers --consent marketing --format json
test "$(grep -o '"name":' "$T/out" | wc -l)" -eq 3 && ok "three objects" ||
	not_ok "$(cat "$T/out")"
grep -q '"marketing_consent":true' "$T/out" && ! grep -q '"marketing_consent":false' "$T/out" &&
	ok "all of them consented" || not_ok "$(cat "$T/out")"
expect_status 0 "without --consent: everyone not erased" $P export customers
test "$(tail -n +2 "$T/out" | wc -l)" -eq 7 && ok "seven rows" || not_ok "$(cat "$T/out")"
! grep -q "Fay\|Erased customer" "$T/out" && ok "the erased customer never" ||
	not_ok "erased exported"
expect_status 0 "a channel nobody consented to" $P export customers --consent sms
test "$(wc -l <"$T/out")" -eq 1 && ok "the header only" || not_ok "$(cat "$T/out")"
grep -q "no customer has given consent for sms" "$T/err" && ok "and a warning" ||
	not_ok "$(cat "$T/err")"
expect_status 64 "--consent is for customers" $P export purchases --consent marketing
expect_status 64 "a channel is a word" $P export customers --consent "mar keting"
expect_status 0 "recorded in the audit trail" $P audit list --action export
grep -q '"consent":"marketing"' "$T/out" && ok "with the channel" ||
	not_ok "$(cat "$T/out")"
done_testing
