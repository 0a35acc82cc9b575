# Custom fields (customers.fields): declared in the config, checked by
# type, stored as JSON, shown, imported and exported by key.
. "$PATRON_TOP/tests/cli/lib.sh"
cat >"$T/config.yaml" <<'YAML'
security:
  kdf: interactive
customers:
  fields:
    - { key: shoe_size, label: Shoe size, type: number }
    - { key: since, label: Member since, type: date }
    - { key: colour, label: Favourite colour }
YAML
"$PATRON" init >/dev/null 2>&1
expect_status 0 "config show lists the fields" "$PATRON" config show
grep -q 'fields: \[{ key: "shoe_size", label: "Shoe size", type: number }' "$T/out" &&
	ok "as YAML config check reads back" || not_ok "$(grep fields "$T/out")"
"$PATRON" config show >"$T/again.yaml"
expect_status 0 "the printed config loads" "$PATRON" --config "$T/again.yaml" config check

expect_status 0 "add with custom fields" "$PATRON" customer add --name Ada \
	--field shoe_size=38 --field since=2019-05-01 --field colour=green
expect_status 0 "show --json" "$PATRON" customer show 1 --json
grep -q '"fields":{"shoe_size":38,"since":"2019-05-01","colour":"green"}' "$T/out" &&
	ok "numbers as numbers, the rest as strings" || not_ok "$(cat "$T/out")"
expect_status 0 "show" "$PATRON" customer show 1
grep -q "Member since 2019-05-01" "$T/out" && ok "shown with their labels" || not_ok "$(cat "$T/out")"
expect_status 0 "edit one field, clear another" "$PATRON" customer edit 1 --field shoe_size=38.5 --field colour=
"$PATRON" customer show 1 --json | grep -q '"fields":{"shoe_size":38.5,"since":"2019-05-01"}' &&
	ok "merged: changed, kept, removed" || not_ok "$("$PATRON" customer show 1 --json)"
expect_status 65 "a number field refuses words" "$PATRON" customer add --name B --field shoe_size=big
grep -q "shoe_size must be a number" "$T/err" && ok "saying so" || not_ok "$(cat "$T/err")"
expect_status 65 "a date field refuses 2023-02-29" "$PATRON" customer add --name B --field since=2023-02-29
expect_status 65 "an undeclared field is refused" "$PATRON" customer add --name B --field size=1
expect_status 65 "a text field refuses escapes" "$PATRON" customer add --name B --field "colour=$(printf 'a\033[2J')"
expect_status 64 "KEY=VALUE is required" "$PATRON" customer add --name B --field colour

printf 'name,shoe_size,since\nBo,44,2020-01-02\nCy,x,\n' >"$T/in.csv"
expect_status 65 "import checks custom columns" "$PATRON" import customers "$T/in.csv"
grep -q "in.csv:3: shoe_size must be a number" "$T/err" && ok "with line and column" || not_ok "$(cat "$T/err")"
printf 'name,shoe_size,since\nBo,44,2020-01-02\n' >"$T/in.csv"
expect_status 0 "import reads custom columns" "$PATRON" import customers "$T/in.csv"
"$PATRON" customer search bo --json | grep -q '"fields":{"shoe_size":44,"since":"2020-01-02"}' &&
	ok "imported by key" || not_ok "$("$PATRON" customer search bo --json)"
expect_status 0 "export" "$PATRON" export customers
head -1 "$T/out" | grep -q 'created_at,shoe_size,since,colour' && ok "a column per custom field" || not_ok "$(head -1 "$T/out")"
done_testing
