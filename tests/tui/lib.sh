# The TUI tests: the real patron binary on a real encrypted database, in a
# real terminal (a tmux server of its own, 80x24), driven by keys and read
# back with capture-pane. Shares tests/cli/lib.sh (temp dir, TAP helpers).
. "$PATRON_TOP/tests/cli/lib.sh"
TMUX_N=0
TMUX_SOCK="patron-test-$$-0"
tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; [ -n "${KEEP_TMP:-}" ] || rm -rf "$T"' EXIT

# tui_start [ENV=VALUE...]: start Patron's screens in a fresh pane.
# When Patron exits, the pane prints "EXIT=<status>" and stays.
# TUI_COLS and TUI_LINES choose another size.
tui_start() {
	# A new server each time: a killed one may still hold its socket.
	tm kill-server 2>/dev/null
	TMUX_N=$((TMUX_N + 1))
	TMUX_SOCK="patron-test-$$-$TMUX_N"
	tm new-session -d -s t -x "${TUI_COLS:-80}" -y "${TUI_LINES:-24}" \
		"env TERM=xterm-256color LANG=C.UTF-8 PATRON_DB='$PATRON_DB' \
		PATRON_CONFIG='$PATRON_CONFIG' PATRON_PASSPHRASE='$PATRON_PASSPHRASE' \
		PATRON_TEST_KDF=1 $* '$PATRON'; echo EXIT=\$?; sleep 600" ||
		{ echo "# tmux cannot start a server (is /dev/null a device?)"; return 1; }
}
tui_screen() { tm capture-pane -p -t t; }
tui_keys() { tm send-keys -t t "$@"; }
# tui_has TEXT: the screen shows TEXT now.
tui_has() { tui_screen | grep -qF -- "$1"; }
# tui_wait TEXT: until the screen shows TEXT (10 s at most).
tui_wait() {
	i=0
	while [ $i -lt 100 ]; do
		tui_has "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# gave up waiting for '$1'; the screen:"
	tui_screen | sed 's/^/#  /'
	return 1
}
# tui_gone TEXT: until the screen no longer shows TEXT (10 s at most).
tui_gone() {
	i=0
	while [ $i -lt 100 ]; do
		tui_has "$1" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# gave up waiting for '$1' to go; the screen:"
	tui_screen | sed 's/^/#  /'
	return 1
}
# tui_cursor_on TEXT: until the cursor is on the line that shows TEXT (10 s
# at most): the sign that keys before were handled where they show
# nothing themselves (a PIN).
tui_cursor_on() {
	i=0
	while [ $i -lt 100 ]; do
		row=$(tui_screen | grep -n -F -- "$1" | head -1 | cut -d: -f1)
		[ -n "$row" ] &&
			[ $((row - 1)) = "$(tm display -p -t t '#{cursor_y}')" ] &&
			return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# gave up waiting for the cursor on '$1'"
	return 1
}
# tui_cycle KEY TEXT...: press KEY once for each TEXT and wait for it, so
# that what is not shown after the last is known to have been passed by.
tui_cycle() {
	key=$1
	shift
	for want in "$@"; do
		tui_keys "$key"
		tui_wait "$want" >/dev/null || return 1
	done
}
# tui_expect TEXT DESCRIPTION
tui_expect() { if tui_wait "$1"; then ok "$2"; else not_ok "$2"; fi; }
# tui_login NAME PIN: from the login screen to the lookup, or to the
# screens kept for NAME since a lock.
tui_login() {
	tui_wait "Staff login" || return 1
	tui_keys "$1" Enter
	tui_keys -l "$2"
	tui_keys Enter
	tui_gone "Staff login"
}
