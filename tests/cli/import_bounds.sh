# Import reads outside files with bounded memory and time (patron(1),
# import, LIMITS): endless streams, a sparse file and one huge line end in
# seconds with one located message, exit 65 and nothing written, under a
# memory limit that reading a whole line would break; each limit at its
# boundary; NUL bytes refused with file:line and the column; broken UTF-8
# rejects its row, naming the column.
. "$PATRON_TOP/tests/cli/lib.sh"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Already Here" --card C-1 >/dev/null
count() { "$PATRON" sql "SELECT count(*) FROM customer" | tail -1; }
sales() { "$PATRON" sql "SELECT count(*) FROM purchase" | tail -1; }
before=$(count)

# Patron needs about 80 MB of address space (Argon2id takes 64 MiB); 120
# MB leaves room for the reader's few MiB, not for the 128 MiB that a 100
# MB line takes held whole. AddressSanitizer reserves terabytes of address
# space, so there its own ceiling on resident memory stands in.
VMEM_KB=120000
if [ "${PATRON_SANITIZED:-0}" = 1 ]; then
	VMEM_KB=unlimited
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=1024"
fi
# limited COMMAND...: within the memory limit, and stopped after 60 s.
limited() { (ulimit -v "$VMEM_KB" && exec timeout 60 "$@"); }

# refused DESCRIPTION PATTERN COMMAND...: exit 65 within the limits, one
# line on stderr matching PATTERN, no customer and no sale written.
refused() {
	d=$1
	pat=$2
	shift 2
	expect_status 65 "$d" limited "$@"
	if [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q -- "$pat" "$T/err"; then
		ok "$d: one line, '$pat'"
	else
		not_ok "$d: wanted one line '$pat', got: $(head -c 300 "$T/err")"
	fi
	[ "$(count)" = "$before" ] && [ "$(sales)" = 0 ] && ok "$d: nothing written" ||
		not_ok "$d: $(count) customers, $(sales) sales"
}

# Endless input, from devices and pipes.
refused "/dev/zero" "/dev/zero:1: a NUL byte in the header row, column 1" \
	"$PATRON" import customers /dev/zero
refused "/dev/zero as purchases" "/dev/zero:1: a NUL byte in the header row" \
	"$PATRON" import purchases /dev/zero
truncate -s 2G "$T/sparse.csv"
refused "a 2 GB sparse file" "sparse.csv:1: a NUL byte in the header row" \
	"$PATRON" import customers "$T/sparse.csv"
rm -f "$T/sparse.csv"
refused "yes | import" "stdin:1: unknown column 'y'" \
	sh -c 'yes | "$1" import customers -' sh "$PATRON"
refused "an endless header line" \
	"stdin:1: a header row longer than 16384 bytes, the limit of the header" \
	sh -c 'yes name | tr -d "\n" | "$1" import customers -' sh "$PATRON"
refused "an endless field" \
	"stdin:2: a field longer than 1048576 bytes, the limit of a field" \
	sh -c '{ echo name; tr "\0" a </dev/zero; } | "$1" import customers -' sh "$PATRON"
refused "an endless quoted field over many lines" \
	"stdin:[0-9]*: a field longer than 1048576 bytes" \
	sh -c '{ echo name,notes; echo "A,\"open"; yes more; } | "$1" import customers -' sh "$PATRON"
refused "endless commas in a row" "stdin:2: more than 2 fields, the header has 2" \
	sh -c '{ echo name,notes; yes , | tr -d "\n"; } | "$1" import customers -' sh "$PATRON"
refused "endless blank lines" "stdin:[0-9]*: a row longer than 4194304 bytes, the limit of a row" \
	sh -c '{ echo name; yes ""; } | "$1" import customers -' sh "$PATRON"
refused "an endless purchases field" \
	"stdin:2: a field longer than 1048576 bytes" \
	sh -c '{ echo receipt,customer,total; tr "\0" 7 </dev/zero; } | "$1" import purchases -' sh "$PATRON"

# One line of 100 MB: as the header, and as a field.
head -c 100000000 /dev/zero | tr '\0' a >"$T/line.csv"
refused "a file of one 100 MB line" "line.csv:1: a header row longer than 16384 bytes" \
	"$PATRON" import customers "$T/line.csv"
{ echo name; head -c 100000000 /dev/zero | tr '\0' a; echo; } >"$T/line.csv"
refused "a 100 MB field" "line.csv:2: a field longer than 1048576 bytes" \
	"$PATRON" import customers "$T/line.csv"
rm -f "$T/line.csv"

# Each limit at its boundary: the last byte allowed passes the reader (the
# row is then checked as usual), one more is refused. A row's and the
# header's line break is not counted.
as() { head -c "$1" /dev/zero | tr '\0' "$2"; }
{ echo name,notes; printf 'A,'; as 1048576 a; echo; } >"$T/f.csv"
expect_status 65 "a field of 1 MiB passes the reader" limited "$PATRON" import customers "$T/f.csv"
grep -q "f.csv:2: notes is too long" "$T/err" && ok "and its row is checked" || not_ok "$(head -c 300 "$T/err")"
{ echo name,notes; printf 'A,'; as 1048577 a; echo; } >"$T/f.csv"
refused "a field of 1 MiB and a byte" "f.csv:2: a field longer than 1048576 bytes" \
	"$PATRON" import customers "$T/f.csv"
# A row, its line break not counted: 1 + 4 commas + 3 MiB + 1048571 = 4 MiB.
{
	echo name,notes,tags,email,card
	printf 'A,'
	for i in 1 2 3; do as 1048576 a; printf ,; done
	as 1048571 a
	echo
} >"$T/r.csv"
expect_status 65 "a row of 4 MiB passes the reader" limited "$PATRON" import customers "$T/r.csv"
grep -q "r.csv:2: .*too long" "$T/err" && ok "and its row is checked" || not_ok "$(head -c 300 "$T/err")"
{
	echo name,notes,tags,email,card
	printf 'A,'
	for i in 1 2 3; do as 1048576 a; printf ,; done
	as 1048572 a
	echo
} >"$T/r.csv"
refused "a row of 4 MiB and a byte" "r.csv:2: a row longer than 4194304 bytes" \
	"$PATRON" import customers "$T/r.csv"
{ printf name; as 16380 ' '; echo; echo Exact Header; } >"$T/h.csv"
expect_status 0 "a header row of 16 KiB is read" limited "$PATRON" import customers "$T/h.csv"
{ printf name; as 16381 ' '; echo; echo Long Header; } >"$T/h.csv"
before=$(count)
refused "a header row of 16 KiB and a byte" "h.csv:1: a header row longer than 16384 bytes" \
	"$PATRON" import customers "$T/h.csv"
{ printf name; as 63 , | sed 's/,/,id/g'; echo; printf Columns; as 63 ,; echo; } >"$T/c.csv"
expect_status 0 "64 columns are read" limited "$PATRON" import customers "$T/c.csv"
{ printf name; as 64 , | sed 's/,/,id/g'; echo; printf Columns; as 64 ,; echo; } >"$T/c.csv"
before=$(count)
refused "65 columns" "c.csv:1: the header has more than 64 columns" \
	"$PATRON" import customers "$T/c.csv"

# NUL bytes: the file is refused (it is not UTF-8 text), naming the
# line and the column, even with --skip-invalid.
printf 'name,notes\nA,Nul\000Byte\n' >"$T/nul.csv"
refused "a NUL byte in a field" "nul.csv:2: notes: a NUL byte" \
	"$PATRON" import customers "$T/nul.csv"
refused "a NUL byte with --skip-invalid" "nul.csv:2: notes: a NUL byte" \
	"$PATRON" import customers "$T/nul.csv" --skip-invalid "$T/rejects.csv"
printf 'name,no\000tes\nA,b\n' >"$T/nul.csv"
refused "a NUL byte in the header" "nul.csv:1: a NUL byte in the header row, column 2" \
	"$PATRON" import customers "$T/nul.csv"
printf 'name,notes\nA,"one\ntwo\nthr\000ee"\n' >"$T/nul.csv"
refused "a NUL byte on the third line of a field" "nul.csv:4: notes: a NUL byte" \
	"$PATRON" import customers "$T/nul.csv"
printf 'name,notes\nA,b,\000\n' >"$T/nul.csv"
refused "a NUL byte in a field past the header's" "nul.csv:2: a NUL byte in field 3, the header has 2" \
	"$PATRON" import customers "$T/nul.csv"
printf '\377\376n\000a\000m\000e\000\n\000A\000\n\000' >"$T/utf16.csv"
refused "a UTF-16 file" "utf16.csv:1: a NUL byte in the header row, column 1 (not UTF-8 text: UTF-16" \
	"$PATRON" import customers "$T/utf16.csv"
printf 'receipt,customer,total\nR1,C-1\000,10\n' >"$T/nul.csv"
refused "a NUL byte in a purchase" "nul.csv:2: customer: a NUL byte" \
	"$PATRON" import purchases "$T/nul.csv"

# Broken UTF-8 is not a file error: its row is rejected, naming the
# column, as any invalid value is (and goes to the rejects file).
printf 'name,notes,tags\nBad\377Name,,\nGood,no\377te,\nFine,,t\377ag\nWell,,\n' >"$T/utf.csv"
expect_status 65 "broken UTF-8 rejects its rows" limited "$PATRON" import customers "$T/utf.csv"
grep -q "utf.csv:2: name is not valid UTF-8" "$T/err" && grep -q "utf.csv:3: notes is not valid UTF-8" "$T/err" &&
	grep -q "utf.csv:4: tag is not valid UTF-8" "$T/err" && ok "naming line and column" ||
	not_ok "$(head -c 400 "$T/err")"
! grep -q "$(printf '\377')" "$T/err" && ok "the message holds no broken byte" || not_ok "raw byte in message"
before=$(count)
expect_status 0 "with --skip-invalid the good row goes in" "$PATRON" import customers "$T/utf.csv" \
	--skip-invalid "$T/rejects.csv"
check "one customer added" test "$(count)" = "$((before + 1))"
check "three rows in the rejects file" test "$(grep -c 'not valid UTF-8' "$T/rejects.csv")" = 3
printf 'na\377me\nA\n' >"$T/utf.csv"
expect_status 65 "broken UTF-8 in the header is an unknown column" "$PATRON" import customers "$T/utf.csv"
grep -q "utf.csv:1: unknown column 'na$(printf '\357\277\275')me'" "$T/err" && ok "shown with U+FFFD" ||
	not_ok "$(head -c 300 "$T/err")"
done_testing
