# Hostile data in a real terminal: a customer's name, phone, notes and
# tags, a note on the timeline, a task title and a staff name that try to
# set the window title (OSC 0 and 2, BEL and ST), write the clipboard
# (OSC 52), clear the screen or move the cursor (CSI, also 8-bit), pass
# through tmux (DCS) or reverse the text (RLO), put there with `sql
# --write` as an old database or a careless script could. On the screens
# and from the command line they are shown as placeholders: the pane's
# title, tmux's paste buffers and what is on the screen stay as they were.
. "$PATRON_TOP/tests/tui/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  timezone: UTC\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
"$W" staff eve clerk 1357 >/dev/null
"$PATRON" customer add --name "Hostile" --card H-1 --tag vip \
	--phone "+86 138 0013 8000" >/dev/null
"$PATRON" task add --title "plain" --customer H-1 --due tomorrow \
	--assignee eve >/dev/null
"$PATRON" note add H-1 "plain note" >/dev/null

# The hostile strings, as SQL expressions.
ESC="char(27)"
BEL="char(7)"
ST="$ESC || '\\'"
OSC0="$ESC || ']0;pwned' || $BEL"
OSC2="$ESC || ']2;pwned' || $ST"
OSC52="$ESC || ']52;c;cHduZWQ=' || $BEL"
CLEAR="$ESC || '[2J' || $ESC || '[H'"
MOVE="$ESC || '[5;5H' || $ESC || '[10A'"
DCS="$ESC || 'Ptmux;' || $ESC || $ESC || ']2;pwned' || $BEL || $ST"
CSI8="char(155) || '2J' || CAST(X'9b' AS TEXT) || 'H'"
RLO="char(8238)"
"$PATRON" sql --write "UPDATE customer SET
	name = 'Evil ' || $OSC0 || ' ' || $CLEAR || $RLO || 'eman',
	phone = '+86' || $OSC52,
	notes = 'Notes ' || $OSC2 || char(10) || $MOVE || ' end'
	WHERE card = 'H-1'" >/dev/null &&
"$PATRON" sql --write "UPDATE customer_tag SET tag = 'vip' || $DCS" >/dev/null &&
"$PATRON" sql --write "UPDATE interaction SET text = 'Note ' || $CSI8 || $DCS" >/dev/null &&
"$PATRON" sql --write "UPDATE task SET title = 'Task ' || $OSC2 || $CLEAR" >/dev/null &&
"$PATRON" sql --write "UPDATE staff SET name = 'eve' || $OSC52 WHERE name = 'eve'" >/dev/null &&
	ok "hostile strings stored with sql --write" || not_ok "sql --write"

# safe_after SESSION WHAT: the pane's title and the paste buffers are as
# they were, and nothing was written on the first line.
safe_after() {
	title=$(tm display -p -t "$1" '#{pane_title}')
	[ "$title" = fixed-title ] && ok "$2: the pane's title did not change" ||
		not_ok "$2: the pane's title is now '$title'"
	[ -z "$(tm list-buffers 2>/dev/null)" ] &&
		ok "$2: no paste buffer was set (OSC 52)" ||
		not_ok "$2: a paste buffer: $(tm list-buffers)"
}

# The screens.
tui_start
tm set -g set-clipboard on
tm select-pane -t t -T fixed-title
tui_login admin 2468 >/dev/null
tui_expect "Evil ␛]0;pwned␇ ␛…" "the lookup shows the name with placeholders (cut: …)"
tui_has "admin (admin)" && ok "the title bar is still there (not cleared)" ||
	not_ok "title bar gone: $(tui_screen | head -3)"
tui_keys -l "h-1"
tui_wait "Find  h-1"
tui_keys Enter
tui_expect "Evil ␛]0;pwned␇ ␛[2J␛[H�eman" "the customer's name with placeholders"
tui_expect "vip␛Ptmux;␛␛]2;pwned␇␛\\" "the tag with placeholders"
tui_expect "+86 ␛]5" "the phone with placeholders"
tui_expect "1 open: Task ␛]2;pwned␛\\␛…" "the open task's title with placeholders (cut: …)"
tui_expect "Note �2J�H␛Ptmux;␛␛]2;pwned␇" "the note on the timeline with placeholders (8-bit CSI as U+FFFD)"
tui_has "Evil ␛]0;pwned␇" && tui_has "History" &&
	ok "the customer view is whole (not cleared, no cursor moved)" ||
	not_ok "customer view: $(tui_screen)"
safe_after t "customer view"
tui_keys Escape
tui_wait "Find"
tui_keys F9
tui_expect "All tasks" "the tasks view"
tui_expect "Task ␛]2;pwned␛\\␛" "the tasks view shows the title with placeholders"
tui_expect "eve␛]52;c" "and the hostile staff name with placeholders (cut to fit)"
safe_after t "tasks view"
tui_keys F10
tui_expect "EXIT=0" "quit"

# The command line, in a terminal: human output, machine formats written
# to the terminal, and error messages that echo an argument.
cat >"$T/cli.sh" <<EOF
# Not before the title and the clipboard are set (the test touches go).
while [ ! -e "$T/go" ]; do sleep 0.1; done
echo MARKER-TOP
"$PATRON" customer show H-1
"$PATRON" customer search evil
"$PATRON" task list
"$PATRON" staff list
"$PATRON" audit list --limit 6
"$PATRON" export customers
"$PATRON" export tasks --format ics
"$PATRON" sql "SELECT name FROM customer"
"$PATRON" task done "\$(printf 'x\\033]0;pwned\\007')"
"$PATRON" customer show "\$(printf 'x\\033]2;pwned\\033\\\\\\033[2J')"
echo CLI-DONE
EOF
tm kill-server 2>/dev/null
TMUX_SOCK="patron-test-$$-cli"
tm new-session -d -s c -x 200 -y 100 \
	"env TERM=xterm-256color LANG=C.UTF-8 PATRON_DB='$PATRON_DB' \
	PATRON_CONFIG='$PATRON_CONFIG' PATRON_PASSPHRASE='$PATRON_PASSPHRASE' \
	PATRON_USER=admin PATRON_PIN=2468 sh '$T/cli.sh'; sleep 600"
tm set -g set-clipboard on
tm select-pane -t c -T fixed-title
: >"$T/go"
i=0
while [ $i -lt 100 ] && ! tm capture-pane -p -t c | grep -q CLI-DONE; do
	sleep 0.1
	i=$((i + 1))
done
tm capture-pane -p -t c >"$T/screen"
grep -q CLI-DONE "$T/screen" && ok "the commands ran" ||
	not_ok "the commands: $(head -20 "$T/screen")"
[ "$(head -1 "$T/screen")" = MARKER-TOP ] &&
	ok "the first line is still there: no clear, no cursor home" ||
	not_ok "the screen was changed: $(head -3 "$T/screen")"
safe_after c "command line"
grep -q "name *Evil ␛]0;pwned␇ ␛\[2J␛\[H�eman" "$T/screen" &&
	ok "customer show: placeholders" || not_ok "customer show"
grep -q "^ *1  Evil ␛]0;pwned␇" "$T/screen" &&
	ok "customer search: placeholders" || not_ok "customer search"
grep -q "Task ␛]2;pwned␛\\\\␛\[2J␛\[H" "$T/screen" &&
	ok "task list: placeholders" || not_ok "task list"
grep -q "^eve␛]52;c;cHduZWQ=␇" "$T/screen" &&
	ok "staff list: placeholders" || not_ok "staff list"
grep -q "update .*task .*Task \\\\u001b\]2;pwned" "$T/screen" &&
	ok "audit list: the detail, JSON-escaped" || not_ok "audit list"
grep -q "^1,.*,Evil ␛]0;pwned␇ ␛\[2J␛\[H�eman," "$T/screen" &&
	ok "export to the terminal: CSV with placeholders" || not_ok "export csv"
grep -q "^SUMMARY:Task ␛]2\\\\;pwned␛" "$T/screen" &&
	ok "export to the terminal: iCalendar with placeholders" ||
	not_ok "export ics"
grep -q "'x␛]0;pwned␇' is not a task id" "$T/screen" &&
	ok "an error echoing an argument: placeholders" || not_ok "error"
grep -q "x␛]2;pwned␛\\\\␛\[2J" "$T/screen" &&
	ok "a customer not found: the reference with placeholders" ||
	not_ok "not found message"

# Scripts still read the data as it is stored.
"$PATRON" export customers | grep -q "$(printf 'Evil \033]0;pwned\007')" &&
	ok "to a pipe, export keeps the data byte for byte" ||
	not_ok "export to a pipe changed the data"
"$PATRON" customer show H-1 --json | grep -q 'Evil \\u001b]0;pwned\\u0007 \\u001b\[2J\\u001b\[H\\u202eeman' &&
	ok "JSON escapes C0 and bidi controls" || not_ok "json: $("$PATRON" customer show H-1 --json)"

# The control: the same sequences, raw, do change this pane.
tm kill-server 2>/dev/null
TMUX_SOCK="patron-test-$$-raw"
rm -f "$T/go"
tm new-session -d -s r "while [ ! -e '$T/go' ]; do sleep 0.1; done; printf 'Evil \\033]2;pwned\\033\\\\\\033]52;c;cHduZWQ=\\007'; sleep 600"
tm set -g set-clipboard on
tm select-pane -t r -T fixed-title
: >"$T/go"
wait_until sh -c "[ \"\$(tmux -L '$TMUX_SOCK' -f /dev/null display -p -t r '#{pane_title}')\" = pwned ]" &&
	ok "control: a raw OSC 2 does set the title here" ||
	not_ok "control: the title check cannot see a change"
[ -n "$(tm list-buffers 2>/dev/null)" ] &&
	ok "control: a raw OSC 52 does set a paste buffer here" ||
	not_ok "control: the buffer check cannot see a change"

done_testing
