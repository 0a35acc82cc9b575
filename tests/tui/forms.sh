# The form engine at 120x40: CJK input, fields wider than their box,
# a resize while the form is open, Esc asking before it throws typing away.
. "$PATRON_TOP/tests/tui/lib.sh"
cat >"$T/config.yaml" <<'YAML'
security:
  kdf: interactive
customers:
  fields:
    - { key: shoe_size, label: Shoe size, type: number }
YAML
"$PATRON" init >/dev/null 2>&1
TUI_COLS=120 TUI_LINES=40
check "the screens start at 120x40" tui_start
tui_login admin 2468 && ok "logged in" || not_ok "login"
tui_keys F5
tui_expect "New customer" "new customer form"
tui_keys -l "王芳"
tui_expect "Name *         王芳" "CJK typed into a field"
tm resize-window -t t -x 90 -y 28
tui_expect "Name *         王芳" "a resize keeps the form and what was typed"
tui_screen | grep -q "Marketing ok" && ok "all fields still shown at 90x28" || not_ok "fields lost"
tui_keys Escape
tui_expect "Discard what was typed?" "Esc after typing asks first"
tui_keys n
tui_wait "Name *         王芳" && ok "n keeps editing" || not_ok "lost the typing"
tui_keys Tab Tab Tab Tab Tab Tab
long="a very long note that is wider than the box it is typed into, to see it scroll along with the cursor END"
tui_keys -l "$long"
tui_expect "cursor END" "a field wider than its box scrolls to the cursor"
tui_keys F10
tui_expect "Quit and discard what was typed?" "F10 after typing asks before quitting"
tui_keys n
tui_wait "cursor END" && ok "n keeps the form" || not_ok "form gone"
tui_keys Escape
tui_expect "Discard what was typed?" "asks again"
tui_keys y
tui_expect "Find" "y discards and goes back"
got=$("$PATRON" sql "SELECT count(*) FROM customer" | tail -1)
[ "$got" = 0 ] && ok "nothing was saved" || not_ok "customers: $got"
tui_keys F5
tui_expect "New customer" "a fresh form"
tui_keys Escape
tui_expect "Find" "Esc on an untouched form closes it at once"
tui_keys F5
tui_wait "New customer"
tui_has "Shoe size" && ok "custom fields from the config are on the form" || not_ok "no custom field"
tui_keys BTab
tui_keys -l "big"
tui_expect "must be a number" "a custom number field is checked as you type"
tui_keys C-u
tui_keys -l "41"
tui_keys Tab
tui_keys -l "王芳"
tui_keys F2
tui_expect "Customer 1 added" "F2 saves a CJK name"
"$PATRON" customer show 1 --json | grep -q '"name":"王芳"' && ok "stored as typed" || not_ok "name"
"$PATRON" customer show 1 --json | grep -q '"fields":{"shoe_size":41}' && ok "with its custom field" || not_ok "fields"
tui_has "Shoe size  41" && ok "the customer view shows it" || not_ok "view"
tui_keys F10
tui_expect "EXIT=0" "F10 quits"
done_testing
