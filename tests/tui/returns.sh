# Returns, voids and mistyped totals in the screens: a negative total in
# the purchase form is refused, saying how to make a return; F6 lists the
# customer's sales with what is left of each and the return is made from
# the one picked; a total above store.max_purchase is refused naming the
# ceiling; a manager voids a sale from its history row (d, a reason, a
# confirmation), recorded in the audit trail; a cashier may not.
. "$PATRON_TOP/tests/tui/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  max_purchase: "5000"\nloyalty:\n  tiers: []\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Wang Fang" --card C-1 >/dev/null
"$W" staff cathy cashier 1357 >/dev/null
"$PATRON" purchase add --customer 1 --total 1250 --receipt S-1 --at "$(date -d '2 days ago' '+%Y-%m-%d %H:%M')" >/dev/null
"$PATRON" purchase add --customer 1 --total 500 --receipt S-2 --at "$(date -d 'yesterday' '+%Y-%m-%d %H:%M')" >/dev/null
q() { "$PATRON" sql "$1" | tail -n 1; }

tui_start
tui_login admin 2468 >/dev/null
tui_keys -l "c-1"
tui_wait "Wang Fang"
tui_keys Enter
tui_wait "History: all"
tui_screen | grep "S-1" | grep -q "1,250.00 *+1,250" &&
	ok "history rows have thousands separators" || not_ok "$(tui_screen | grep S-1)"

# A negative total is not a return.
tui_keys p
tui_wait "Record a purchase"
tui_keys -l -- "-2000"
tui_expect "a return is F6, not minus" "a minus is marked as typed"
tui_keys F2
tui_expect "A return is not a negative total: press F6 and pick the sale." "saving it says how to make a return"
tui_has "Purchase -2" && not_ok "a confirmation for a negative total" || ok "no confirmation"

# The ceiling of one purchase.
tui_keys BSpace BSpace BSpace BSpace BSpace
tui_keys -l "99999999"
tui_expect "at most 5,000.00" "a total above the ceiling is marked as typed"
tui_keys F2
tui_expect "Above the ceiling of one purchase, 5,000.00 CNY: check the total." "saving it names the ceiling"
check "nothing recorded" test "$(q "SELECT count(*) FROM purchase")" = 2
tui_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
tui_keys -l "1234.5"
tui_keys F2
tui_expect "Purchase 1,234.50 CNY: +1,234 points, balance 1,750 -> 2,984." "the confirmation has thousands separators"
tui_keys Escape

# F6: a return, from the sale picked.
tui_keys F6
tui_expect "which sale?" "F6 lists the sales to return from"
tui_has "S-2" && tui_has "S-1" && ok "both sales listed" || not_ok "$(tui_screen)"
tui_has "1,250.00" && ok "with amounts" || not_ok "$(tui_screen)"
tui_keys Down Enter
tui_expect "Return for customer #1: receipt S-1" "the sale picked is the return's"
tui_expect "1,250.00 CNY left" "what is left of it"
tui_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace
tui_keys -l "2000"
tui_keys F2
tui_expect "Only 1,250.00 CNY of receipt S-1 is left to return." "no more than is left"
tui_keys BSpace BSpace BSpace BSpace
tui_keys -l "250"
tui_keys F2
tui_expect "Return 250.00 CNY of receipt S-1: -250 points, balance 1,750 -> 1,500." "the return's confirmation"
tui_keys Enter
tui_expect "Return recorded: -250 points, balance 1,500." "recorded"
check "as a return of S-1" test "$(q "SELECT total || ' ' || return_of FROM purchase WHERE total < 0")" = "-25000 $(q "SELECT id FROM purchase WHERE receipt = 'S-1'")"

# F6 in the customer view goes to the list at once; what was returned is
# no longer left.
tui_keys F6
tui_expect "which sale?" "F6 in the customer view"
tui_expect "1,000.00" "S-1 has 1,000.00 left"
tui_keys Escape
tui_expect "Nothing recorded." "Esc leaves the list"

# A manager voids S-2 from its history row: the rows are the return, S-2,
# S-1, newest first.
tui_keys f
tui_wait "History: purchases"
tui_keys Down
tui_keys d
tui_expect "Void receipt S-2 of customer #1 (500.00 CNY, +500 points)" "d opens the void of the selected sale"
tui_keys -l "wrong customer"
tui_keys Enter
tui_expect "Void receipt S-2, 500.00 CNY: -500 points, balance 1,500 -> 1,000." "asks first, with the points"
tui_keys Enter
tui_expect "Receipt S-2 void: -500 points, balance 1,000." "voided"
check "S-2 is void" test "$(q "SELECT void_reason FROM purchase WHERE receipt = 'S-2' AND voided_at IS NOT NULL")" = "wrong customer"
check "in the audit trail" test "$(q "SELECT count(*) FROM audit WHERE action = 'void' AND entity = 'purchase'")" = 1
tui_has "void" && ok "the row shows it void" || not_ok "$(tui_screen)"
tui_keys d
tui_expect "That one is void already." "a void sale cannot be voided again"
tui_keys Down
tui_keys d
tui_expect "Receipt S-1 has returns: void them first" "a sale with a return standing says so at once"
tui_keys Escape
tui_wait "Nothing recorded."
# The void's row, not selected now, draws its points as the rest of it
# (dim): +500 in the gain colour read as points still earned.
E=$(printf '\033')
tm capture-pane -e -p -t t | grep "S-2" >"$T/voidrow"
before() { sed "s/$1.*//; s/.*$E\[/$E[/" "$T/voidrow"; }
if grep -q "+500" "$T/voidrow" && [ "$(before S-2)" = "$(before +500)" ]; then
	ok "a void's points look as the rest of its row, not gained"
else
	not_ok "a void's points: $(cat -v "$T/voidrow")"
fi
tui_keys F10
tui_expect "EXIT=0" "quit"
check "cached balance and ledger agree" "$PATRON" check

# A cashier may return but not void.
tui_start
tui_login cathy 1357 >/dev/null
tui_keys -l "c-1"
tui_wait "Wang Fang"
tui_keys Enter
tui_wait "History: all"
tui_keys f
tui_wait "History: purchases"
tui_keys Down Down
tui_keys d
tui_expect "may not void purchases" "a cashier may not void"
check "S-1 not void" test "$(q "SELECT count(*) FROM purchase WHERE voided_at IS NOT NULL")" = 1
tui_keys F10
tui_expect "EXIT=0" "quit"
done_testing
