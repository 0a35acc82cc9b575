# patron customer add|show|edit|list|search|merge: validation, duplicates,
# references, masking by role, JSON and CSV, and hostile input.
. "$PATRON_TOP/tests/cli/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  country: CN\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
json_ok() { sqlite3 :memory: "SELECT json_valid(readfile('$1'))" | grep -qx 1; }

expect_status 0 "add with every field" "$PATRON" customer add --name "王芳" \
	--phone "138 0013 8000" --email wf@example.cn --birthday 1990-04-21 \
	--card c-1001 --tag vip --tag 常客 --note "likes green tea" --consent yes
check "add prints the new id" test "$(cat "$T/out")" = 1
expect_status 0 "add with given and family name" "$PATRON" customer add \
	--given-name José --family-name Martínez --phone "+34 612 345 678"
expect_status 0 "show by card, any case" "$PATRON" customer show C-1001
grep -q "+86 138 0013 8000" "$T/out" && ok "phone kept as E.164, shown grouped" || not_ok "phone: $(grep phone "$T/out")"
expect_status 0 "show --json" "$PATRON" customer show 2 --json
check "JSON is valid" json_ok "$T/out"
grep -q '"name":"José Martínez"' "$T/out" && ok "name made from given and family" || not_ok "$(cat "$T/out")"
grep -q '"phone":"+34612345678"' "$T/out" && ok "JSON phone is E.164" || not_ok "$(cat "$T/out")"

# Validation: exit 65, one line naming the field, nothing written.
before=$("$PATRON" sql "SELECT count(*) FROM customer")
for bad in "--email nobody@" "--email a@b@c.de" "--birthday 2023-02-29" \
	"--birthday 2999-01-01" "--phone 12ab" "--phone 12" "--card a/b"; do
	# shellcheck disable=SC2086
	expect_status 65 "refused: $bad" "$PATRON" customer add --name X $bad
done
expect_status 65 "a name is required" "$PATRON" customer add --phone 13900000000
expect_status 65 "escape sequences in a name are refused" "$PATRON" customer add \
	--name "$(printf 'evil\033]0;pwned\007')"
check "the error is one line" test "$(wc -l <"$T/err")" -eq 1
grep -q "name contains a control character" "$T/err" && ok "and names the field" || not_ok "$(cat "$T/err")"
expect_status 65 "broken UTF-8 is refused" "$PATRON" customer add --name "$(printf 'a\377b')"
expect_status 65 "bidi override is refused" "$PATRON" customer add --name "$(printf 'abc\342\200\256def')"
head -c 120000 /dev/zero | tr '\0' a >"$T/big"
expect_status 65 "a 120 kB note is refused" "$PATRON" customer add --name Big --note "$(cat "$T/big")"
expect_status 65 "unknown custom field" "$PATRON" customer add --name X --field shoe=42
check "nothing was written" test "$("$PATRON" sql "SELECT count(*) FROM customer")" = "$before"

# Duplicates
expect_status 65 "same phone refused" "$PATRON" customer add --name Other --phone 13800138000
grep -q "customer 1 (王芳)" "$T/err" && ok "names who has it" || not_ok "$(cat "$T/err")"
expect_status 65 "same email refused, any case" "$PATRON" customer add --name Other --email WF@Example.CN
expect_status 0 "--allow-duplicate adds a shared phone" "$PATRON" customer add --name "Wang Lei" \
	--phone 13800138000 --allow-duplicate
expect_status 65 "a card is never shared" "$PATRON" customer add --name Other --card C-1001 --allow-duplicate

# Edit
expect_status 65 "a shared phone names no one" "$PATRON" customer edit phone:+8613800138000 --tag x
grep -q "shared by customers 1 and 3" "$T/err" && ok "and says who shares it" || not_ok "$(cat "$T/err")"
expect_status 0 "edit by card" "$PATRON" customer edit card:c-1001 --email "" --tag gold
"$PATRON" customer show 1 --json >"$T/j"
grep -q '"email":null' "$T/j" && ok "an empty value clears" || not_ok "$(cat "$T/j")"
grep -q '"tags":\["gold"\]' "$T/j" && ok "tags replaced" || not_ok "$(cat "$T/j")"
grep -q '"birthday":"1990-04-21"' "$T/j" && ok "other fields kept" || not_ok "$(cat "$T/j")"
expect_status 65 "edit to a taken card refused" "$PATRON" customer edit 2 --card c-1001
expect_status 1 "unknown customer: exit 1" "$PATRON" customer show 999
expect_status 1 "unknown card: exit 1" "$PATRON" customer show card:NOPE

# Search and list
expect_status 0 "search by one character of a Chinese name" "$PATRON" customer search 芳
grep -q "王芳" "$T/out" && ok "found 王芳" || not_ok "$(cat "$T/out")"
expect_status 0 "search by last digits" "$PATRON" customer search 8000 --json
check "search JSON is valid" json_ok "$T/out"
check "both customers with the phone" test "$(grep -o '"id":' "$T/out" | wc -l)" -eq 2
expect_status 0 "search without accents" "$PATRON" customer search martinez
grep -q "José" "$T/out" && ok "found José" || not_ok "$(cat "$T/out")"
expect_status 1 "no match: exit 1" "$PATRON" customer search zzzz
expect_status 0 "list --csv" "$PATRON" customer list --csv
check "CSV header and three rows" test "$(wc -l <"$T/out")" -eq 4
head -1 "$T/out" | grep -q '^id,uuid,name,given_name,family_name,phone,email,birthday,card,tags' &&
	ok "CSV columns" || not_ok "$(head -1 "$T/out")"

# Masking by role: a cashier sees the last four digits only.
"$W" staff cathy cashier 1357 >/dev/null
PATRON_USER=cathy PATRON_PIN=1357 expect_status 0 "cashier shows a customer" "$PATRON" customer show 1
grep -q "8000" "$T/out" && ! grep -q "138 0013" "$T/out" && ok "phone masked for a cashier" ||
	not_ok "$(grep phone "$T/out")"
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "a cashier may not merge" "$PATRON" customer merge 1 3 --yes

# Merge
expect_status 0 "merge 3 into 1" "$PATRON" customer merge 1 3 --yes
expect_status 0 "the merged one is still there by id" "$PATRON" customer show 3 --json
grep -q '"merged_into":1' "$T/out" && ok "and says where it went" || not_ok "$(cat "$T/out")"
expect_status 1 "search no longer finds it" "$PATRON" customer search "wang lei"
! grep -q "Wang Lei" "$T/out" && ok "merged customer gone from search" || not_ok "$(cat "$T/out")"
expect_status 1 "merging it again fails" "$PATRON" customer merge 1 3 --yes
expect_status 0 "check" "$PATRON" check
done_testing
