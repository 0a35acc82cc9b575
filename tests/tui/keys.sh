# Keys from the configuration (ui.keys): a remapped action works and shows
# in the key bar and the help; a key given to two actions and a key that
# does not exist are refused with their location.
. "$PATRON_TOP/tests/tui/lib.sh"
"$PATRON" init >/dev/null 2>&1
printf 'security:\n  kdf: interactive\nui:\n  keys:\n    new: "F11, +"\n    quit: F12\n' >"$T/config.yaml"
expect_status 0 "config check accepts ui.keys" "$PATRON" config check
tui_start
tui_login admin 2468 && ok "logged in" || not_ok "login"
tui_has "F11 New" && ok "the key bar shows the new key" || not_ok "bar: $(tui_screen | tail -1)"
tui_keys F11
tui_expect "New customer" "F11 opens the new customer form"
tui_keys Escape
tui_wait "Find"
tui_keys F1
tui_expect "F11 +" "the help lists the configured keys"
tui_keys x
tui_keys F12
tui_expect "EXIT=0" "F12 quits as configured"

printf 'security:\n  kdf: interactive\nui:\n  keys:\n    new: C-n\n' >"$T/config.yaml"
tui_start
tui_expect "EXIT=78" "a key given to two actions stops Patron"
tui_screen | tr -d '\n' | grep -q "one key does both 'down' and 'new'" &&
	ok "naming both actions" || not_ok "$(tui_screen | head -3)"

expect_status 78 "config check finds it too" "$PATRON" config check
grep -q "one key does both 'down' and 'new'" "$T/err" && ok "saying which" || not_ok "$(cat "$T/err")"

printf 'ui:\n  keys:\n    save: F13\n' >"$T/config.yaml"
expect_status 78 "a key that does not exist is a config error" "$PATRON" config check
grep -q "config.yaml:3:11: ui.keys.save" "$T/err" && ok "with file:line:column" || not_ok "$(cat "$T/err")"
done_testing
