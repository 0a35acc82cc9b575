# The key bar shows what this role may do in this state, always with the
# help and the way out: no F7/F8 for an agent, v Reveal where data is
# masked, Esc named for what it does, Esc and F10 kept at 80 columns, and
# the confirmation step's own keys.
. "$PATRON_TOP/tests/tui/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  timezone: UTC\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Wang Fang" --phone "13800138000" --card C-1 >/dev/null
"$PATRON" purchase add --customer card:C-1 --total 300 >/dev/null
"$PATRON" task add --title "Call about the coat" --customer card:C-1 \
	--due "+1d" >/dev/null
"$W" staff ann agent 1357 >/dev/null
"$W" staff cathy cashier 2468 >/dev/null
bar() { tui_screen | tail -1; }
# bar_has TEXT DESCRIPTION / bar_lacks TEXT DESCRIPTION
bar_has() { if tui_wait "$1" >/dev/null && bar | grep -qF -- "$1"; then ok "$2"; else not_ok "$2: $(bar)"; fi; }
bar_lacks() { if bar | grep -qF -- "$1"; then not_ok "$2: $(bar)"; else ok "$2"; fi; }

tui_start
tui_login ann 1357 >/dev/null
bar_has "Esc Log out" "the lookup: Esc says it logs out"
bar_lacks "Back" "not Back"
bar_has "F1 Help" "help is on the bar"
tui_keys -l "wang"
bar_has "Esc Clear" "with a search typed, Esc clears it"
tui_keys Down
bar_has "Esc Search" "in the list, Esc goes to the search field"
tui_keys Enter
tui_wait "History" >/dev/null
bar_has "Esc Back" "the customer: Esc goes back"
bar_lacks "F7 Purchase" "an agent is not offered purchases"
bar_lacks "F8 Redeem" "nor redemptions"
bar_has "v Reveal" "an agent sees masked data and is offered v"
bar_has "F10 Quit" "and the way out"
tui_keys F10
tui_wait "EXIT=0" >/dev/null

tui_start
tui_login admin 2468 >/dev/null
tui_keys -l "wang"
tui_keys Down Enter
tui_wait "History" >/dev/null
bar_has "F7 Purchase" "an admin is offered purchases"
bar_has "F8 Redeem" "and redemptions"
bar_lacks "Reveal" "nothing is masked for an admin: no v"
tui_keys F8
tui_wait "Redeem points" >/dev/null
bar_has "F2 Save" "a form: F2 saves"
tui_keys -l 100
tui_keys F2
tui_wait "Enter: confirm" >/dev/null
bar_has "Enter Confirm" "the confirmation step: Enter confirms"
bar_lacks "Tab Next" "no Tab there"
bar_lacks "F2 Save" "nor F2"
tui_keys Escape
bar_has "F2 Save" "back in the form: F2 again"
tui_keys F10
tui_wait "Quit and discard" >/dev/null
tui_keys y
tui_wait "EXIT=0" >/dev/null

# The tasks view at 80 columns: the way out survives, for a manager
# with every key, and a cashier is not offered what she may not do.
tui_start
tui_login admin 2468 >/dev/null
tui_keys F9
tui_wait "All tasks" >/dev/null
bar_has "Esc Back" "80 columns: the tasks bar keeps Esc"
bar_has "F10 Quit" "and F10"
bar_lacks "…" "and is not cut"
tui_keys F10
tui_wait "EXIT=0" >/dev/null
tui_start
tui_login cathy 2468 >/dev/null
tui_keys F9
tui_wait "My tasks" >/dev/null
bar_lacks "Assign" "a cashier is not offered assigning"
bar_lacks "Mine/all" "nor everyone's tasks"
bar_has "Esc Back" "Esc goes back"
tui_keys F10
tui_wait "EXIT=0" >/dev/null
done_testing
