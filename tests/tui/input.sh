# Input as people type it, in the screens (issue 15, items 1, 11, 12):
# the edit form holds what the command line took (a 3,399-character note,
# 3,000 Chinese characters) and keeps it whole when something else is
# saved; an unchanged form writes nothing; typing past a field's limit says
# so; a full-width amount in the purchase form; phone lengths; the lookup
# finds middle phone digits and a card's number, and says how many.
. "$PATRON_TOP/tests/tui/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  country: CN\n  currency: CNY\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
long=$(awk 'BEGIN { for (i = 0; i < 3399; i++) printf "%c", 97 + i % 26 }')
cjk=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "王芳好" }')
"$PATRON" customer add --name "Long Note" --phone 13912344384 --card C0001961 \
	--tag vip >/dev/null
"$PATRON" customer edit 1 --note "$long" >/dev/null
"$PATRON" customer add --name "Han Zi" --note "$cjk" >/dev/null
notes_len() {
	"$PATRON" sql "SELECT length(notes) FROM customer WHERE id = $1" | tail -1
}
audits() { "$PATRON" sql "SELECT count(*) FROM audit" | tail -1; }
check "the command line took 3,399 characters" test "$(notes_len 1)" = 3399
check "... and 3,000 Chinese characters" test "$(notes_len 2)" = 3000

tui_start
tui_login admin 2468 >/dev/null

# Middle digits of a phone and a card's number without its prefix.
tui_keys -l 4384
tui_expect "Long Note" "4384 finds the phone 139 1234 4384... in the middle"
tui_expect "1 found" "the list says how many were found"
tui_keys C-u
tui_keys -l 1234
tui_expect "Long Note" "digits from the middle of a phone (1234)"
tui_keys C-u
tui_keys -l 1961
tui_expect "Long Note" "1961 finds the card C0001961"

# The unchanged form writes nothing.
before=$(audits)
stamp=$("$PATRON" sql "SELECT updated_at FROM customer WHERE id = 1" | tail -1)
tui_keys Enter
tui_expect "Tags" "the customer opens"
tui_keys e
tui_expect "Edit customer #1" "e edits"
tui_keys F2
tui_expect "Nothing changed." "F2 on an unchanged form says nothing changed"
check "no audit entry" test "$(audits)" = "$before"
check "no update" test "$("$PATRON" sql "SELECT updated_at FROM customer WHERE id = 1" | tail -1)" = "$stamp"
check "the note is whole" test "$(notes_len 1)" = 3399

# Another field changed: the note stays whole.
tui_keys e
tui_expect "Edit customer #1" "e edits again"
tui_keys Tab Tab Tab Tab Tab
tui_keys -l ", gold"
tui_keys F2
tui_expect "Saved." "a changed tag is saved"
check "the 3,399-character note survives the form" test "$(notes_len 1)" = 3399
"$PATRON" customer show 1 --json | grep -q '"gold"' &&
	ok "the tag was saved" || not_ok "tags: $("$PATRON" customer show 1 --json)"

# A full-width amount from a Chinese input method in the purchase form.
tui_keys p
tui_expect "Record a purchase" "p opens the purchase form"
tui_keys -l "３５.８０"
tui_keys F2
tui_expect "35.80" "a full-width amount is read as 35.80"
tui_keys Enter
tui_expect "Recorded" "and recorded"
check "the purchase is 35.80" test "$("$PATRON" sql "SELECT total FROM purchase" | tail -1)" = 3580
tui_keys Escape
tui_expect "Find" "back to the lookup"

# 3,000 Chinese characters: kept when the name changes.
tui_keys C-u
tui_keys -l "han zi"
tui_expect "Han Zi" "the second customer"
tui_keys Enter
tui_expect "Tags" "opens"
tui_keys e
tui_expect "Edit customer #2" "its form"
tui_keys -l " Jr"
tui_keys F2
tui_expect "Saved." "saved"
check "3,000 Chinese characters survive the form" test "$(notes_len 2)" = 3000
# A note on the history holds what note add takes (4,000), not 900.
tui_keys F5
tui_expect "Add to the history" "F5 opens the note form"
tui_keys Tab
tui_keys -l "$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "%c", 97 + i % 26 }')"
tui_keys F2
tui_expect "Note recorded." "a note of 1,000 characters is recorded"
check "... whole" test "$("$PATRON" sql "SELECT length(text) FROM interaction WHERE customer_id = 2" | tail -1)" = 1000
tui_keys Escape
tui_expect "Find" "back to the lookup"

# A new customer: 3,000 pasted Chinese characters are taken whole; a name
# past 100 characters and a phone of 5 digits are refused, saying why.
tui_keys F5
tui_expect "New customer" "new customer form"
tui_keys -l "$(awk 'BEGIN { for (i = 0; i < 105; i++) printf "n" }')"
tui_expect "Name: at most 100 characters; the rest was not taken." \
	"typing past the name's limit says so"
tui_keys C-u
tui_keys -l "Paste Test"
tui_keys Tab
tui_keys -l 12345
tui_keys F2
tui_expect "11 digits" "a 5-digit phone is refused, saying what a phone in China has"
tui_keys C-u
tui_keys -l "１３８ ００１３ ８０００"
tui_keys Tab Tab Tab Tab Tab
tui_keys -l "$cjk"
tui_keys F2
tui_expect "Customer 3 added" "saved"
check "3,000 pasted Chinese characters are all stored" test "$(notes_len 3)" = 3000
"$PATRON" customer show 3 --json | grep -q '"phone":"+8613800138000"' &&
	ok "full-width phone digits are read" || not_ok "phone: $("$PATRON" customer show 3 --json)"
tui_keys Escape
tui_expect "Find" "back to the lookup"

# More than the list holds: "100+ found".
i=0
{
	echo "name"
	while [ $i -lt 105 ]; do
		echo "Bulk Person $i"
		i=$((i + 1))
	done
} >"$T/bulk.csv"
"$PATRON" import customers "$T/bulk.csv" >/dev/null 2>&1
tui_keys C-u
tui_keys -l "bulk"
tui_expect "100+ found" "past the list's 100, the lookup says 100+"
tui_keys C-u
tui_keys -l "bulk person 104"
tui_expect "1 found" "a narrower search counts again"
tui_keys F10
tui_expect "EXIT=0" "F10 quits"
done_testing
