# Colours on the screen: the default theme, a 256-colour theme from the
# user's theme directory, NO_COLOR, and a broken theme refused before the
# screen starts (read from tmux with the attributes: capture-pane -e).
. "$PATRON_TOP/tests/tui/lib.sh"
"$PATRON" init >/dev/null 2>&1
ESC=$(printf '\033')
colours() { tm capture-pane -e -p -t t | grep -c "$ESC\[[0-9;]*\(3[0-7]\|4[0-7]\|38;5;[0-9]*\|48;5;[0-9]*\)m"; }

tui_start
tui_wait "Staff login"
[ "$(colours)" -gt 0 ] && ok "the default theme has colours" || not_ok "no colour"
tm capture-pane -e -p -t t | head -1 | grep -q "44m" && ok "a blue title bar" ||
	not_ok "title: $(tm capture-pane -e -p -t t | head -1 | od -c | head -3)"

tui_start NO_COLOR=1
tui_wait "Staff login"
[ "$(colours)" -eq 0 ] && ok "NO_COLOR: no colour at all" || not_ok "colours with NO_COLOR"
tm capture-pane -e -p -t t | head -1 | grep -q "${ESC}\[7m\|;7m" && ok "NO_COLOR: the title in reverse" ||
	not_ok "no reverse title"

mkdir -p "$T/xdg/patron/themes"
cp "$PATRON_TOP/themes/dark.yaml" "$T/xdg/patron/themes/"
printf 'security:\n  kdf: interactive\nui:\n  theme: dark\n' >"$T/config.yaml"
tui_start XDG_CONFIG_HOME="$T/xdg"
tui_wait "Staff login"
tm capture-pane -e -p -t t | grep -q "38;5;\|48;5;" && ok "the dark theme uses 256 colours" ||
	not_ok "no 256 colours"

printf 'title: { fg: purple }\n' >"$T/xdg/patron/themes/dark.yaml"
tui_start XDG_CONFIG_HOME="$T/xdg"
tui_expect "EXIT=78" "a broken theme: exit 78 before the screen"
tui_screen >"$T/screen"; tr -d "\n" <"$T/screen" | grep -q "dark.yaml:1:14: expected a colour" && ok "naming file, line and column" || not_ok "message"
done_testing
