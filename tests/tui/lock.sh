# The screen lock: the lock key and the idle lock clear the screen of
# personal data and ask for a login; another staff member logs in instead
# (switch user) and gets their own screens; the first gets theirs back,
# with the form they had not saved yet still filled in.
. "$PATRON_TOP/tests/tui/lib.sh"
printf 'security:\n  kdf: interactive\n  idle_lock_minutes: 1\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Wang Fang" --phone "+86 138 0013 8000" --card C-1 >/dev/null
"$W" staff cathy cashier 1357 >/dev/null

tui_start
tui_login admin 2468 >/dev/null
tui_keys -l "c-1"
tui_wait "Wang Fang"
tui_keys Enter
tui_expect "History: all" "admin opens a customer"
tui_keys e
tui_expect "Edit customer #1" "and starts editing"
for i in 1 2 3 4 5 6; do tui_keys Tab; done
tui_keys -l "half-typed note"
tui_expect "half-typed note" "types a note without saving"

tui_keys C-x
tui_expect "Locked by admin" "Ctrl-X locks the screen"
tui_has "Wang Fang" && not_ok "the customer's name is still on the screen" || ok "no customer data on the locked screen"
tui_has "half-typed" && not_ok "the unsaved form is still on the screen" || ok "nor the unsaved form"
tui_has "8000" && not_ok "the phone is still on the screen" || ok "nor the phone"
tui_has "admin (admin)" && not_ok "the title still names admin" || ok "nobody is logged in"
tui_expect "Work kept for admin" "says whose work is kept"

# Switch user: cathy logs in and gets a screen of her own.
tui_login cathy 1357 >/dev/null
tui_expect "cathy (cashier)" "another staff member logs in"
tui_has "half-typed" && not_ok "cathy sees admin's form" || ok "cathy does not get admin's screens"
tui_keys -l "c-1"
tui_wait "Wang Fang"
tui_has "8000" && tui_has "138 0013" && not_ok "cathy sees the phone unmasked" || ok "cathy works with her own role"
tui_keys Escape Escape
tui_wait "Log out cathy?" >/dev/null
tui_keys y
tui_expect "Logged out" "cathy logs out"
tui_keys Escape
tui_expect "F10 quits and discards" "Esc does not quit while work is kept"
tui_expect "Work kept for admin" "admin's work is still kept"

# admin comes back to the form as it was, and saves it.
tui_login admin 2468 >/dev/null
tui_expect "half-typed note" "admin gets the unsaved form back"
tui_expect "Welcome back, admin" "and is told so"
tui_keys F2
tui_expect "Saved" "the kept form saves"
"$PATRON" customer show 1 >"$T/out"
check "the note was saved to the customer" grep -q "half-typed note" "$T/out"

tui_expect "History: all" "back on the customer"

# Work kept under one role is not given back under another.
tui_keys C-x
tui_login cathy 1357 >/dev/null
tui_keys -l "c-1"
tui_wait "Wang Fang"
tui_keys Enter
tui_expect "History: all" "cathy opens the customer"
tui_keys C-x
tui_expect "Work kept for admin, cathy" "both have work kept"
"$PATRON" staff role cathy clerk >/dev/null
tui_login cathy 1357 >/dev/null
tui_expect "Your role changed" "cathy, now a clerk, is told her kept work went"
tui_expect "cathy (clerk)" "and works as a clerk"
tui_has "History: all" && not_ok "the cashier's screens came back" || ok "from the lookup"
tui_keys F10
tui_expect "Quit Patron? The work kept for admin is lost." "F10 asks: admin's work is kept"
tui_keys y
tui_expect "EXIT=0" "F10 leaves"
"$PATRON" audit list --action lock --json >"$T/audit"
check "locks are in the audit trail" test "$(grep -o '"lock"' "$T/audit" | wc -l)" -eq 3
check "... none of them idle" test "$(grep -o '"idle":true' "$T/audit" | wc -l)" -eq 0

# The idle lock: no key for a minute locks the screen by itself. A minute
# lasts 10 seconds here (PATRON_TEST_IDLE_MINUTE, patron(1) ENVIRONMENT):
# longer than any wait between two keys of this test.
tui_start PATRON_TEST_IDLE_MINUTE=10
tui_login admin 2468 >/dev/null
tui_keys -l "c-1"
tui_wait "Wang Fang"
tui_keys Enter
tui_expect "History: all" "admin opens the customer again"
wait_until tui_has "without input"
tui_expect "Locked after 1 minute without input" "a minute without input locks the screen"
tui_has "Wang Fang" && not_ok "the idle lock left the customer on screen" || ok "the idle lock clears the customer from the screen"
tui_login admin 2468 >/dev/null
tui_expect "History: all" "admin logs in again and is back on the customer"
"$PATRON" audit list --action lock --json >"$T/audit"
check "the idle lock is in the audit trail, saying so" \
	test "$(grep -o '"idle":true' "$T/audit" | wc -l)" -eq 1
tui_keys F10
tui_expect "EXIT=0" "F10 leaves"
done_testing
