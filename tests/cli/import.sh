# import customers (CSV, all or nothing or --skip-invalid) and export
# customers (CSV, JSON, vCard): lines and columns in errors, hostile files,
# a round trip, and who may do it.
. "$PATRON_TOP/tests/cli/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  country: CN\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
count() { "$PATRON" sql "SELECT count(*) FROM customer WHERE deleted_at IS NULL" | tail -1; }

# A file as spreadsheets write it: BOM, CRLF, quotes, commas and a newline
# inside fields, columns in any order and case.
printf '\357\273\277Name,PHONE,email,tags,notes,marketing_consent,birthday,card\r\n' >"$T/good.csv"
printf '"Wang, Fang",138 0013 8000,wf@example.cn,vip;regular,"line one\r\nline two",yes,1990-04-21,C-1\r\n' >>"$T/good.csv"
printf 'José Martínez,+34 612 345 678,,,"says ""hola""",no,,\r\n' >>"$T/good.csv"
printf '王芳,13900000000,,,,,,C-3\r\n' >>"$T/good.csv"
expect_status 0 "import a spreadsheet's CSV" "$PATRON" import customers "$T/good.csv"
grep -q "3 customers imported" "$T/out" && ok "three imported" || not_ok "$(cat "$T/out")"
"$PATRON" customer show card:C-1 --json >"$T/j"
grep -q '"name":"Wang, Fang"' "$T/j" && ok "quoted comma kept" || not_ok "$(cat "$T/j")"
grep -q '"notes":"line one\\nline two"' "$T/j" &&
	ok "newline inside a field kept" || not_ok "$(cat "$T/j")"
grep -q '"tags":\["regular","vip"\]' "$T/j" && ok "tags split at ;" || not_ok "$(cat "$T/j")"
grep -q '"marketing_consent":true' "$T/j" && ok "consent recorded" || not_ok "$(cat "$T/j")"
"$PATRON" customer show 2 --json | grep -q 'says \\"hola\\"' && ok "doubled quotes read" || not_ok "quotes"

# All or nothing: bad rows are listed with file:line, nothing is written.
cat >"$T/bad.csv" <<'CSV'
name,phone,email,notes
Good One,13911111111,,
Bad Email,13922222222,nobody@,
Multi Line,13933333333,,"a note
over lines"
Dup Phone,13800138000,,
,13944444444,,
CSV
before=$(count)
expect_status 65 "a file with bad rows is refused" "$PATRON" import customers "$T/bad.csv"
grep -q "bad.csv:3: email must" "$T/err" && ok "names line 3 and the column" || not_ok "$(cat "$T/err")"
grep -q "bad.csv:6: phone already on file for customer 1" "$T/err" &&
	ok "line numbers count the lines inside quoted fields" || not_ok "$(cat "$T/err")"
grep -q "bad.csv:7: name is required" "$T/err" && ok "a row without a name" || not_ok "$(cat "$T/err")"
grep -q "3 of 5 rows rejected; nothing was imported" "$T/err" && ok "says nothing was imported" || not_ok "$(cat "$T/err")"
check "nothing was written" test "$(count)" = "$before"

expect_status 0 "--skip-invalid imports the good rows" "$PATRON" import customers "$T/bad.csv" --skip-invalid "$T/rejects.csv"
grep -q "2 customers imported, 3 rejected" "$T/out" && ok "and says how many" || not_ok "$(cat "$T/out")"
check "rejects file is 0600" test "$(stat -c %a "$T/rejects.csv")" = 600
check "rejects file: header and three rows" test "$(wc -l <"$T/rejects.csv")" -eq 4
grep -q '^3,"email must' "$T/rejects.csv" && ok "rejects carry line and reason" || not_ok "$(cat "$T/rejects.csv")"
check "good rows are in" test "$(count)" = "$((before + 2))"

# Hostile files
printf 'name,phone\nFine,13955555555\n"Open quote,139\n' >"$T/trunc.csv"
expect_status 65 "a truncated file (open quote) is refused" "$PATRON" import customers "$T/trunc.csv"
grep -q "trunc.csv:3: the file ends inside a quoted field" "$T/err" && ok "saying where" || not_ok "$(cat "$T/err")"
printf 'name,shoe\nX,42\n' >"$T/col.csv"
expect_status 65 "an unknown column is refused" "$PATRON" import customers "$T/col.csv"
grep -q "col.csv:1: unknown column 'shoe'" "$T/err" && ok "naming it" || not_ok "$(cat "$T/err")"
printf 'name,phone\nOne,1,2\n' >"$T/extra.csv"
expect_status 65 "a row with too many fields is refused" "$PATRON" import customers "$T/extra.csv"
{ printf 'name,notes\nHuge,'; head -c 1048600 /dev/zero | tr '\0' a; printf '\n'; } >"$T/huge.csv"
expect_status 65 "a 1 MB field is refused" "$PATRON" import customers "$T/huge.csv"
{ printf 'name,notes\nBig,'; head -c 20000 /dev/zero | tr '\0' a; printf '\n'; } >"$T/big.csv"
expect_status 65 "a note over 10000 characters is refused" "$PATRON" import customers "$T/big.csv"
grep -q "big.csv:2: notes is too long" "$T/err" && ok "with the column" || not_ok "$(cat "$T/err")"
printf 'name\n"Evil\033]0;pwned\007"\n' >"$T/esc.csv"
expect_status 65 "escape sequences in a name are refused" "$PATRON" import customers "$T/esc.csv"
! grep -q "$(printf '\033')" "$T/err" && ok "and the message holds no escape" || not_ok "raw escape in message"
printf 'name\nBad\377UTF\n' >"$T/utf.csv"
expect_status 65 "broken UTF-8 is refused" "$PATRON" import customers "$T/utf.csv"
: >"$T/empty.csv"
expect_status 65 "an empty file is refused" "$PATRON" import customers "$T/empty.csv"
expect_status 66 "a missing file: 66" "$PATRON" import customers "$T/none.csv"
printf 'name,phone\nFrom Stdin,13966666666\n' >"$T/stdin.csv"
expect_status 0 "import from standard input" "$PATRON" import customers - <"$T/stdin.csv"

# Export, and a round trip into a new database
expect_status 0 "export CSV" "$PATRON" export customers -o "$T/all.csv"
check "export file is 0600" test "$(stat -c %a "$T/all.csv")" = 600
check "one row per customer" test "$(grep -c '^[0-9]*,[0-9a-f]\{8\}-' "$T/all.csv")" = "$(count)"
expect_status 0 "export JSON" "$PATRON" export customers --format json
sqlite3 :memory: "SELECT json_valid(readfile('$T/out'))" | grep -qx 1 && ok "valid JSON" || not_ok "JSON"
expect_status 0 "export vCard" "$PATRON" export customers --format vcf
check "one vCard per customer" test "$(grep -c '^BEGIN:VCARD' "$T/out")" = "$(count)"
check "every vCard line ends in CRLF" test "$(grep -c "$(printf '\r')\$" "$T/out")" = "$(wc -l <"$T/out")"
check "no vCard line over 75 octets" sh -c "! LC_ALL=C awk 'length(\$0) > 76' '$T/out' | grep -q ."
grep -q '^TEL;VALUE=uri;TYPE=cell:tel:+8613800138000' "$T/out" && ok "TEL as a tel: URI" || not_ok "TEL"
grep -q '^CATEGORIES:regular,vip' "$T/out" && ok "tags as CATEGORIES" || not_ok "CATEGORIES"
grep -q '^NOTE:says "hola"' "$T/out" && ok "NOTE" || not_ok "NOTE"
PATRON_DB="$T/copy.db" "$PATRON" init >/dev/null 2>&1
PATRON_DB="$T/copy.db" expect_status 0 "its CSV imports into a new database" "$PATRON" import customers "$T/all.csv"
PATRON_DB="$T/copy.db" "$PATRON" export customers | cut -d, -f3- | sed 's/,[^,]*$//' | sort >"$T/b"
cut -d, -f3- "$T/all.csv" | sed 's/,[^,]*$//' | sort >"$T/a"
check "the round trip keeps every field" cmp -s "$T/a" "$T/b"

"$W" staff cathy cashier 1357 >/dev/null
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "a cashier may not export" "$PATRON" export customers
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "nor import" "$PATRON" import customers "$T/good.csv"
done_testing
