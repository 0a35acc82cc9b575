# Nobody falls out by accident: Ctrl-C does what F10 does (a half-filled
# form asks first), quitting asks while other staff's work is kept, and
# Esc or q in the list go back to the search field before anything logs
# out, which asks.
. "$PATRON_TOP/tests/tui/lib.sh"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Wang Fang" --card C-1 >/dev/null
"$PATRON" customer add --name "Wang Wei" --card C-2 >/dev/null
"$W" staff cathy cashier 1357 >/dev/null

tui_start
tui_login admin 2468 >/dev/null
tui_keys F5
tui_wait "New customer" >/dev/null
tui_keys -l "Half Typed"
tui_wait "Half Typed" >/dev/null
tui_keys C-c
tui_expect "Quit and discard what was typed?" "Ctrl-C with a half-filled form asks first"
tui_has "EXIT=" && not_ok "Ctrl-C quit at once" || ok "still running"
tui_keys n
tui_expect "Half Typed" "n: the form and its typing stay"
tui_keys Escape
tui_expect "Discard what was typed?" "Esc asks too"
tui_keys y
tui_wait "Find" >/dev/null

# q and Esc in the list: back to the search field, the search kept.
tui_keys -l "wang"
tui_wait "Wang Wei" >/dev/null
tui_keys Down
tui_wait "Esc Search" >/dev/null
tui_keys q
tui_wait "Esc Clear" >/dev/null
tui_has "Logged out" && not_ok "q in the list logged out" ||
	ok "q in the list goes back to the search field"
tui_has "Find  wang" && ok "with the search as typed" || not_ok "search lost"
tui_keys Down
tui_wait "Esc Search" >/dev/null
tui_keys Escape
tui_expect "Esc Clear" "Esc in the list goes back to the search field too"
tui_has "Find  wang" && ok "the search kept" || not_ok "search lost"
tui_keys Escape
tui_expect "Esc Log out" "Esc in the field clears the search"
tui_has "Find  wang" && not_ok "not cleared" || ok "cleared"
tui_keys Escape
tui_expect "Log out admin?" "Esc on an empty search asks before logging out"
tui_keys n
tui_expect "Still logged in." "n: still logged in"
tui_has "admin (admin)" && ok "admin still here" || not_ok "logged out"
tui_keys Escape
tui_wait "Log out admin?" >/dev/null
tui_keys y
tui_expect "Logged out" "y logs out"

# Work kept for a locked-out staff member: F10 and Ctrl-C on the login ask.
tui_login cathy 1357 >/dev/null
tui_keys F5
tui_keys -l "Kept Form"
tui_wait "Kept Form" >/dev/null
tui_keys C-x
tui_wait "Work kept for cathy" >/dev/null
tui_keys F10
tui_expect "Quit Patron? The work kept for cathy is lost." "F10 on the login asks while work is kept"
tui_has "EXIT=" && not_ok "F10 quit at once" || ok "still running"
tui_keys n
tui_expect "Not quit." "n: not quit"
tui_has "Work kept for cathy" && ok "the work still kept" || not_ok "work gone"
tui_keys C-c
tui_expect "Quit Patron? The work kept for cathy" "Ctrl-C asks the same"
tui_keys y
tui_expect "EXIT=0" "y quits"

# Nothing unsaved, nothing kept: Ctrl-C and F10 quit at once.
tui_start
tui_login admin 2468 >/dev/null
tui_keys C-c
tui_expect "EXIT=0" "Ctrl-C in the lookup quits at once"
done_testing
