# A terminal shrunk below 80x24 shows only what size Patron needs, nothing
# of the screen before it (a half-typed form must not stay readable), and
# everything comes back when it grows again.
. "$PATRON_TOP/tests/tui/lib.sh"
"$PATRON" init >/dev/null 2>&1

tui_start
tui_login admin 2468 >/dev/null
tui_keys F5
tui_wait "New customer" >/dev/null
tui_keys -l "Secret Person"
tui_wait "Secret Person" >/dev/null
tm resize-window -t t -x 60 -y 20
# Watch the screen for two seconds (past the one-second tick that
# repaints): nothing of the form may show, even for a moment.
tui_wait "Patron needs 80x24 (now 60x20)" >/dev/null
seen=""
i=0
while [ $i -lt 40 ]; do
	tui_screen | grep -q "Secret\|New customer\|Name" && seen=1
	sleep 0.05
	i=$((i + 1))
done
tui_expect "Patron needs 80x24 (now 60x20)" "too small: says so"
[ -z "$seen" ] && ok "nothing of the form under the message" ||
	not_ok "the old form showed under the message"
# A key brings nothing back; F10 after it asks, so both were handled.
tui_keys Left F10
tui_wait "Quit Patron?" >/dev/null
tui_screen | grep -q "Secret\|New customer\|Name" &&
	not_ok "the form is back after a key" || ok "a key brings nothing back"
tui_keys n
tui_gone "Quit Patron?" >/dev/null
tm resize-window -t t -x 80 -y 24
tui_expect "Secret Person" "grown again: the form and its typing are back"
tui_keys F10
tui_expect "Quit and discard" "F10 still asks"
tui_keys y
tui_expect "EXIT=0" "quit"
done_testing
