# Roles on the screens: a cashier sees the phone masked, reveals it with a
# reason (recorded) until she leaves the customer, edits without seeing it,
# may not redeem over her limit, nor adjust; a support agent may not sell.
. "$PATRON_TOP/tests/tui/lib.sh"
printf 'security:\n  kdf: interactive\nloyalty:\n  min_redeem: 10\nroles:\n  cashier: { redeem_limit: 300 }\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Wang Fang" --phone "+86 138 0013 8000" \
	--email fang@example.cn --card C-1 >/dev/null
"$PATRON" points adjust 1 +1000 --reason opening >/dev/null
"$W" staff cathy cashier 1357 >/dev/null
"$W" staff andy agent 1357 >/dev/null

tui_start
tui_login cathy 1357 >/dev/null
tui_keys -l "c-1"
tui_wait "Wang Fang"
tui_keys Enter
tui_expect "History: all" "the cashier opens the customer"
tui_has "••• ••• 8000" && ok "the phone is masked" || not_ok "$(tui_screen | grep Phone)"
tui_has "fang@example.cn" && not_ok "the email is shown" || ok "the email is masked"

tui_keys v
tui_expect "Reveal phone and email" "v asks to reveal"
tui_expect "Why?" "... and why"
tui_keys Enter
tui_expect "Why?" "an empty reason does not reveal"
tui_keys -l "customer forgot their card"
tui_keys Enter
tui_expect "fang@example.cn" "with a reason the email is shown"
tui_has "+86 138 0013 8000" && ok "and the phone" || not_ok "$(tui_screen | grep Phone)"
tui_expect "the reveal is recorded" "the status line says it is recorded"
"$PATRON" audit list --action reveal --json >"$T/audit"
check "the reveal is in the audit trail with its reason" grep -q "customer forgot their card" "$T/audit"
check "... under cathy" grep -q '"staff":"cathy"' "$T/audit"

tui_keys Escape
tui_expect "Find" "back to the lookup"
tui_has "138 0013 8000" && not_ok "the lookup shows the phone whole" || ok "the lookup stays masked"
tui_keys Enter
tui_expect "History: all" "the customer again"
tui_has "fang@example.cn" && not_ok "the reveal outlived leaving the customer" || ok "masked again after leaving the customer"

tui_keys e
tui_expect "Phone (new)" "the edit form asks for a new phone, not the old one"
tui_has "138 0013" && not_ok "the edit form shows the phone" || ok "the edit form does not show the phone"
tui_has "fang@" && not_ok "the edit form shows the email" || ok "nor the email"
tui_keys F2
tui_expect "Nothing changed." "saving with the fields empty changes nothing"
"$PATRON" customer show 1 --json >"$T/out"
check "keeps the phone" grep -q '"phone":"+8613800138000"' "$T/out"
check "and the email" grep -q 'fang@example.cn' "$T/out"

tui_keys r
tui_expect "Redeem points" "r opens the redeem form"
tui_keys -l 301
tui_keys F2
tui_expect "may redeem at most 300 points" "over the cashier's limit is refused on the form"
tui_keys BSpace
tui_keys F2
tui_expect "balance 1,000 -> 970" "within it the confirmation follows (thousands separated)"
tui_keys Enter
tui_expect "Redeemed 30 points" "and it is redeemed"
tui_keys a
tui_expect "may not adjust or grant points" "a cashier may not adjust"
tui_cycle f "History: purchases" "History: points" \
	"History: notes and visits" "History: tasks" "History: all"
tui_has "History: changes" && not_ok "a cashier sees the changes" || ok "a cashier cannot filter to the changes (shown unmasked)"

# The support agent looks and advises; selling is not for him.
tui_keys C-x
tui_expect "Locked by cathy" "cathy locks the screen"
tui_login andy 1357 >/dev/null
tui_keys -l "c-1"
tui_wait "Wang Fang"
tui_keys Enter
tui_expect "History: all" "the agent opens the customer"
tui_keys p
tui_expect "may not record purchases" "an agent may not record purchases"
tui_keys r
tui_expect "may not redeem points" "nor redeem"
tui_keys F10
tui_expect "Quit Patron? The work kept for cathy is lost." "F10 asks: cathy's work is kept"
tui_keys y
tui_expect "EXIT=0" "F10 leaves"
done_testing
