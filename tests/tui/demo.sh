# The quick start: tools/demo.sh (what `make demo` runs after building)
# makes a demo database with 2,000 synthetic customers and starts the
# screens on it; log in with the PIN it prints and find customers.
. "$PATRON_TOP/tests/tui/lib.sh"
tm kill-server 2>/dev/null
TMUX_SOCK="patron-test-$$-demo"
tm new-session -d -s t -x 80 -y 24 \
	"env TERM=xterm-256color LANG=C.UTF-8 PATRON_DEMO_DIR='$T/demo' \
	sh '$PATRON_TOP/tools/demo.sh' '$PATRON'; echo EXIT=\$?; sleep 600"
tui_expect "Press Enter to start Patron" "the demo is made and explained"
PIN=$(tui_screen | sed -n 's/.*Log in as: *admin, PIN \([0-9]*\).*/\1/p')
[ -n "$PIN" ] && ok "it prints the PIN ($PIN)" || not_ok "no PIN printed"
tui_keys Enter
tui_expect "Staff login" "Enter starts the screens"
tui_keys admin Enter
tui_keys -l "$PIN"
tui_keys Enter
tui_expect "admin (admin)" "logged in with the printed PIN"
tui_keys -l "王"
tui_expect "王" "Chinese names are found"
tui_keys Escape
tui_keys -l "anna"
tui_expect "Anna" "Latin names are found"
tui_keys F10
tui_expect "EXIT=0" "F10 leaves"
export PATRON_DB="$T/demo/patron.db" PATRON_CONFIG="$T/demo/config.yaml" \
	PATRON_PASSPHRASE="patron demo passphrase" PATRON_USER=admin PATRON_PIN="$PIN"
got=$("$PATRON" sql "SELECT count(*) FROM customer" 2>&1 | tail -1)
[ "$got" = 2000 ] && ok "2,000 customers" || not_ok "customers: $got"
got=$("$PATRON" check 2>&1)
echo "$got" | grep -q "integrity ok" && ok "the demo database checks clean" || not_ok "$got"
done_testing
