# Whole screens compared with the expected text in tests/tui/expected/
# (clock and dates masked), at 80x24 and 120x40. After a deliberate change
# of a screen, regenerate them with:
#   GENERATE=1 sh tests/run.sh build tui/screens
. "$PATRON_TOP/tests/tui/lib.sh"
EXPECTED="$PATRON_TOP/tests/tui/expected"
printf 'security:\n  kdf: interactive\nstore:\n  timezone: UTC\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "王芳" --phone "+86 138 0013 8000" --card C-1 --tag vip --consent yes >/dev/null
"$PATRON" customer add --given-name José --family-name Martínez --phone "+34 612 345 678" \
	--email jose@example.es --birthday 1985-02-28 >/dev/null
"$PATRON" customer add --name "Anna Schmidt" --phone "+49 151 2345 6789" --card C-3 \
	--note "prefers email" >/dev/null
"$PATRON" sql --write "UPDATE customer SET last_visit = '2026-0' || id || '-1' || id || 'T10:00:00Z'" >/dev/null
# History for 王芳, dated relative to today so the masked screens stay put.
ago() { date -u -d "$1 ago" +%Y-%m-%d; }
"$PATRON" purchase add --customer card:C-1 --total 1200 --receipt R-100 --at "$(ago '3 months') 10:00" >/dev/null
"$PATRON" purchase add --customer card:C-1 --total 80.50 --receipt R-101 --at "$(ago '2 months') 11:30" >/dev/null
"$PATRON" note add card:C-1 "prefers green tea" --kind call --at "$(ago '2 months') 12:15" >/dev/null
"$PATRON" visit add card:C-1 --at "$(ago '1 month') 16:45" >/dev/null

mask() {
	sed -e 's/[0-2][0-9]:[0-5][0-9] *$/HH:MM/' \
		-e 's/20[0-9][0-9]-[01][0-9]-[0-3][0-9]/YYYY-MM-DD/g' \
		-e 's/ *$//'
}
# screen NAME DESCRIPTION: compare the masked screen with NAME.txt.
screen() {
	tui_screen | mask >"$T/$1.txt"
	if [ -n "${GENERATE:-}" ]; then
		cp "$T/$1.txt" "$EXPECTED/$1.txt"
		ok "$2 (regenerated)"
	elif diff -u "$EXPECTED/$1.txt" "$T/$1.txt" >"$T/diff"; then
		ok "$2"
	else
		not_ok "$2"
		sed 's/^/# /' "$T/diff" | head -30
	fi
}

tui_start
tui_wait "Staff login"
screen login-80x24 "the login screen, 80x24"
tui_login admin 2468 >/dev/null
tui_wait "Anna Schmidt"
screen lookup-80x24 "the lookup with the latest visitors, 80x24"
tui_keys -l "ma"
tui_wait "Find  ma"
screen lookup-ma-80x24 "the lookup after typing 'ma', 80x24"
tui_keys Escape
tui_keys -l "c-1"
tui_wait "王芳"
tui_keys Enter
tui_wait "History"
screen customer-80x24 "the customer view with its history, 80x24"
tui_keys F10
tui_wait "EXIT=0"

TUI_COLS=120 TUI_LINES=40
tui_start
tui_login admin 2468 >/dev/null
tui_keys -l "c-1"
tui_wait "王芳"
tui_keys Enter
tui_wait "Marketing"
screen customer-120x40 "the customer view, 120x40"
tui_keys e
tui_wait "Edit customer"
screen form-120x40 "the edit form, 120x40"
tui_keys F10
tui_wait "EXIT=0"
done_testing
