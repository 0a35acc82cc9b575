# Login, lookup as you type, the customer view, masking by role, hostile
# names, resize, help, and leaving cleanly.
. "$PATRON_TOP/tests/tui/lib.sh"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "王芳" --phone "+86 138 0013 8000" --card C-1 >/dev/null
"$PATRON" customer add --name "José Martínez" --phone "+34 612 345 678" --email jose@example.es >/dev/null
"$PATRON" customer add --name "Anna Schmidt" --phone "+49 151 2345 6789" --tag vip >/dev/null
"$W" staff cathy cashier 1357 >/dev/null

check "the screens start" tui_start
tui_expect "Staff login" "the login screen comes first"
tui_keys admin Enter
tui_cursor_on PIN
tui_keys -l 9999
# The PIN shows nothing as it is typed: back to the name, seen by the
# cursor, the four digits have been handled.
tui_keys Up
tui_cursor_on "Name   admin"
tui_screen | grep -q 9999 && not_ok "PIN digits on screen" || ok "PIN digits not on screen"
tui_keys Down
tui_cursor_on PIN
tui_keys Enter
tui_expect "wrong" "a wrong PIN is refused"
tui_keys -l 2468
tui_keys Enter
tui_expect "admin (admin)" "logged in: the staff member is in the title"
tui_expect "José Martínez" "the lookup lists the latest customers"

tui_keys -l "芳"
tui_wait "Find  芳" && ok "typing goes to the search field" || not_ok "field"
tui_wait "1 found" >/dev/null
tui_has "Anna Schmidt" && not_ok "results did not narrow" || ok "results narrow as you type"
tui_has "+86 138 0013 8000" && ok "an admin sees the full phone" || not_ok "phone"
tui_keys Escape
tui_expect "Anna Schmidt" "Esc clears the search"
tui_keys -l 6789
tui_expect "Anna Schmidt" "found by the last digits of the phone"
tui_keys Enter
tui_expect "Tags       vip" "Enter opens the customer"
tui_keys e
tui_expect "Edit customer" "e edits"
tui_keys Tab Tab C-u
tui_keys -l "anna@"
tui_keys F2
tui_expect "Email: must" "an invalid email is refused on save"
tui_keys -l "example.de"
tui_keys F2
tui_expect "anna@example.de" "saved; the customer view shows it"
"$PATRON" customer show 3 --json | grep -q '"email":"anna@example.de"' &&
	ok "the change is in the database" || not_ok "not saved"
tui_keys Escape
tui_expect "Find" "back to the lookup"
tui_keys F5
tui_expect "New customer" "F5: new customer form"
tui_keys Enter
tui_expect "Name *" "form fields, the required one marked"
tui_keys F2
tui_expect "Name: required" "saving without a name is refused"
tui_keys -l "Kim Lee"
tui_keys Tab
tui_keys -l "13800138000"
tui_keys F2
tui_expect "phone already on file for customer 1" "a duplicate phone is refused, naming the customer"
tui_keys C-u
tui_keys -l "13900000000"
tui_keys F2
tui_expect "Customer 4 added" "a new customer is saved and opened"
tui_keys F1
tui_expect "Keys" "F1 shows the help"
tui_has "New customer" && ok "help lists the actions" || not_ok "help content"
tui_keys x
tui_keys Escape
tui_wait "Find"
tui_keys Escape
tui_wait "latest visitors"

# Names from imports or SQL may hold escape sequences: shown, not run.
"$PATRON" sql --write "INSERT INTO customer (uuid, name, created_at, updated_at) VALUES ('x1', 'Evil' || char(27) || ']0;pwned' || char(7) || char(27) || '[2JName', 'now', 'now')" >/dev/null
tui_keys -l "evil"
tui_expect "Evil" "the hostile name is found"
tui_has "pwned" && ok "its text is shown" || not_ok "text missing"
title=$(tm display-message -p -t t '#{pane_title}')
[ "$title" != "pwned" ] && ok "the window title was not changed" || not_ok "title set to $title"
tui_has "Find  evil" && ok "the screen was not cleared" || not_ok "screen cleared"

tm resize-window -t t -x 100 -y 30
tui_expect "Last visit" "redrawn after a resize"
tm resize-window -t t -x 60 -y 20
tui_expect "needs 80x24 (now 60x20)" "too small: says so"
tm resize-window -t t -x 80 -y 24
tui_expect "Last visit" "back to normal size"
tui_keys Escape Escape
tui_expect "Log out admin?" "Esc on an empty search asks to log out"
tui_keys y
tui_expect "Logged out" "y logs out"
tui_keys cathy Enter
tui_keys -l 1357
tui_keys Enter
tui_expect "cathy (cashier)" "another staff member logs in"
tui_keys -l "王"
tui_expect "8000" "the cashier finds the customer"
tui_has "+86 138 0013 8000" && not_ok "cashier sees the full phone" || ok "the cashier sees the phone masked"
tui_keys F10
tui_expect "EXIT=0" "F10 quits with status 0"

# A dropped SSH connection (SIGHUP) ends the session cleanly.
tui_start
tui_wait "Staff login"
pid=$(tm display-message -p -t t '#{pane_pid}')
# The pane runs sh -c "env ... patron; ...": Patron is its child.
ppid_of() { ps -o pid= --ppid "$1" | tr -d ' '; }
child=$(ppid_of "$pid")
echo "# pane $pid, patron $child"
[ -n "$child" ] && kill -HUP "$child"
tui_expect "EXIT=0" "SIGHUP: Patron leaves cleanly"

# One visit, one date: the lookup, the card and the history all show it in
# store.timezone (07:30 in Shanghai is 23:30 UTC the day before).
printf 'security:\n  kdf: interactive\nstore:\n  timezone: Asia/Shanghai\n' >"$T/tz.yaml"
export PATRON_CONFIG="$T/tz.yaml"
"$PATRON" visit add C-1 --at "2026-12-07 07:30" >/dev/null
tui_start
tui_wait "Staff login"
tui_keys admin Enter
tui_keys -l 2468
tui_keys Enter
tui_expect "latest visitors" "logged in (store.timezone Asia/Shanghai)"
tui_screen | grep "王芳" | grep -q "2026-12-07" &&
	ok "the lookup shows the visit's local day" ||
	not_ok "lookup: $(tui_screen | grep "王芳")"
tui_keys -l "王"
tui_wait "Find  王" && tui_keys Enter
tui_expect "Last visit 2026-12-07" "the card shows the same day"
tui_screen | grep -Eq "2026-12-07( 07:30)? +visit" &&
	ok "the history shows the same day" ||
	not_ok "history: $(tui_screen | grep -i visit)"
done_testing
