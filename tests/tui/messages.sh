# Messages and hints whole at 80 columns (wrapped onto a second line when
# long), saying what to do in the screens, and the help listing each key
# once, every line whole. ? opens the help in an empty search field.
. "$PATRON_TOP/tests/tui/lib.sh"
printf 'security:\n  kdf: interactive\n  pin_attempts: 2\nstore:\n  timezone: UTC\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "宋伟伟伟伟伟伟伟伟伟伟" --phone "13800138000" --email song@example.com --card C-1 >/dev/null
"$PATRON" purchase add --customer card:C-1 --total 4000 --receipt R-1 >/dev/null
"$W" staff cathy cashier 1357 >/dev/null
"$W" staff lily cashier 1357 >/dev/null
# shown TEXT: the screen shows TEXT, read across wrapped lines.
shown() { tui_screen | tr -d '\n' | tr -s ' ' | grep -qF -- "$1"; }
# expect_shown TEXT DESCRIPTION: wait up to 10 s.
expect_shown() {
	i=0
	while [ $i -lt 100 ]; do
		shown "$1" && { ok "$2"; return; }
		sleep 0.1
		i=$((i + 1))
	done
	not_ok "$2"
	tui_screen | sed 's/^/#  /'
}

tui_start
tui_wait "Staff login" >/dev/null
# The lockout, with its time whole.
# lily's PIN guessed at twice (the command line counts with the screens).
PATRON_USER=lily PATRON_PIN=0000 "$PATRON" customer list >/dev/null 2>&1
PATRON_USER=lily PATRON_PIN=0000 "$PATRON" customer list >/dev/null 2>&1
tui_keys lily Enter
tui_keys -l 1357
tui_keys Enter
expect_shown "lily is locked after too many wrong PINs until" "the lockout message"
tui_screen | tr -d '\n' | tr -s ' ' | grep -q "until [0-9-]* [0-9:]*[0-9]" &&
	ok "with its time whole" || not_ok "time cut: $(tui_screen | sed -n 14,18p)"

tui_start
tui_login admin 2468 >/dev/null
# ? opens the help in the empty search field.
tui_keys "?"
tui_expect "any key closes" "? in an empty search field opens the help"
tui_has "Find  ?" && not_ok "? was typed too" || ok "and is not typed"
# Each key once, every line whole.
tui_screen | grep -q "Enter Enter" && not_ok "a key listed twice" || ok "each key listed once"
tui_screen | grep -q "…" && not_ok "a help line is cut: $(tui_screen | grep '…')" ||
	ok "no help line is cut at 80 columns"
tui_has "Unmask phone and email" && tui_has "your work is kept" &&
	ok "the long entries whole" || not_ok "help: $(tui_screen | sed 's/^/#  /')"
tui_keys Escape
tui_keys -l "C-1?"
tui_wait "Find  C-1?" >/dev/null && ok "? after text is typed" || not_ok "? typed"
tui_keys Escape
tui_wait "Esc Log out" >/dev/null

# A phone already on file: the form says how to save anyway, and F2 does.
tui_keys F5
tui_wait "New customer" >/dev/null
tui_keys -l "Zhang Min"
tui_keys Tab
tui_keys -l "13800138000"
tui_keys F2
expect_shown "phone already on file for customer 1 (宋伟伟伟伟伟伟伟伟伟伟). F2 again saves it all the same; or change it." \
	"a duplicate phone: the whole message, saying what to do in the form"
shown "allow-duplicate" && not_ok "a command-line flag in the screens" ||
	ok "no command-line flag"
tui_keys F2
tui_expect "Customer 2 added." "F2 again saves it"

# Hints beside a field wrap instead of being cut.
tui_keys Escape
tui_keys -l "C-1"
tui_wait "宋伟" >/dev/null
tui_keys Down Enter
tui_wait "History" >/dev/null
tui_keys e
tui_wait "Edit customer" >/dev/null
tui_keys Tab Tab C-u
tui_keys -l "song@"
expect_shown "must have a domain like example.com after the @" "the email hint whole"
tui_keys Escape y
tui_wait "History" >/dev/null
tui_keys t
tui_wait "New task" >/dev/null
tui_keys -l "Call"
tui_keys Tab
tui_keys -l "someday"
expect_shown "today, tomorrow, +3d, fri, 2026-12-01, ..." "the due date hint whole"
tui_keys Escape y
tui_wait "History" >/dev/null
# A receipt already recorded.
tui_keys F7
tui_wait "Purchase" >/dev/null
tui_keys -l "12"
tui_keys Tab
tui_keys -l "R-1"
tui_keys F2 Enter
expect_shown "is already recorded (purchase 1, customer 1)" "a receipt already recorded: the whole message"
tui_keys Escape Escape y
tui_keys F10
tui_wait "EXIT=0" >/dev/null

# The redeem limit of a cashier, whole.
tui_start
tui_login cathy 1357 >/dev/null
tui_keys -l "C-1"
tui_wait "8000" >/dev/null
tui_keys Down Enter
tui_wait "History" >/dev/null
tui_keys F8
tui_wait "Redeem" >/dev/null
tui_keys -l 3000
tui_keys F2 Enter
expect_shown "a manager can redeem more" "the redeem limit: the whole message"
tui_keys F10 y
tui_wait "EXIT=0" >/dev/null
done_testing
