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

# The shipped themes run from the build tree, before any install (and
# with no theme directory of the user's).
for theme in dark light high-contrast; do
	printf 'security:\n  kdf: interactive\nui:\n  theme: %s\n' $theme \
		>"$T/config.yaml"
	check "config check finds $theme in the build tree" \
		"$PATRON" config check
	tui_start XDG_CONFIG_HOME="$T/none"
	if tui_wait "Staff login" && ! tui_has "EXIT="; then
		ok "ui.theme: $theme starts the screens from the build tree"
	else
		not_ok "ui.theme: $theme"
	fi
	tui_has "default theme is used" && not_ok "$theme: fell back" ||
		ok "$theme: its own colours, no fallback"
	tui_keys F10
	tui_wait "EXIT=0" >/dev/null
done

# A broken theme: the screens start with the default's colours and say
# why, with file, line and column; config check refuses it (78) naming
# the same place, and config show says the screens use the default.
printf 'security:\n  kdf: interactive\nui:\n  theme: dark\n' >"$T/config.yaml"
printf 'title: { fg: purple }\n' >"$T/xdg/patron/themes/dark.yaml"
tui_start XDG_CONFIG_HOME="$T/xdg"
tui_expect "Staff login" "a broken theme: the screens start all the same"
tui_screen >"$T/screen"
tr -d "\n" <"$T/screen" | tr -s " " | grep -q "dark.yaml:1:14: expected a colour.*default theme is used" &&
	ok "saying why, with file, line and column" || not_ok "message: $(cat "$T/screen")"
tm capture-pane -e -p -t t | head -1 | grep -q "44m" && ok "in the default's colours" ||
	not_ok "title: $(tm capture-pane -e -p -t t | head -1)"
tui_keys admin
tui_expect "Name   admin" "the login works"
tui_keys F10
tui_expect "EXIT=0" "quit"
expect_status 78 "config check refuses the broken theme" env XDG_CONFIG_HOME="$T/xdg" "$PATRON" config check
grep -q "dark.yaml:1:14: expected a colour" "$T/err" && ok "config check names file:line:column" ||
	not_ok "config check: $(cat "$T/err")"
XDG_CONFIG_HOME="$T/xdg" "$PATRON" config show >"$T/show" 2>&1
grep -q "^# ui.theme: .*dark.yaml:1:14: expected a colour.*the screens use the default theme" "$T/show" &&
	ok "config show says the same" || not_ok "config show: $(tail -3 "$T/show")"
grep -q '^  theme: "dark"' "$T/show" && ok "config show: the theme named" || not_ok "show"

# A theme that does not exist: the same.
printf 'security:\n  kdf: interactive\nui:\n  theme: nosuch\n' >"$T/config.yaml"
tui_start XDG_CONFIG_HOME="$T/xdg"
tui_expect "Staff login" "a missing theme: the screens start all the same"
tui_screen >"$T/screen"
tr -d "\n" <"$T/screen" | tr -s " " | grep -q "theme 'nosuch' not found in .*default theme is used" &&
	ok "saying it was not found" || not_ok "message: $(cat "$T/screen")"
tui_keys F10
tui_expect "EXIT=0" "quit"
expect_status 78 "config check refuses a missing theme" env XDG_CONFIG_HOME="$T/xdg" "$PATRON" config check
done_testing
