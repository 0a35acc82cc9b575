# Test 3: one flipped byte at 200 random offsets of the page area (nonces
# and tags included), two swapped pages, a truncated file: `patron check`
# and any read of the page report it; never garbage, never a crash.
. "$PATRON_TOP/tests/cli/lib.sh"
export PATRON_KEY_FILE="$T/k"
unset PATRON_PASSPHRASE
SEED=${TAMPER_SEED:-$$}
echo "# seed $SEED"

"$PATRON" init >/dev/null
"$PATRON" sql --write "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX t_v ON t (v);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)
INSERT INTO t (v) SELECT hex(randomblob(40)) FROM c; VACUUM" >/dev/null
cp "$PATRON_DB" "$T/pristine.db"
size=$(stat -c %s "$T/pristine.db")
pages=$(( (size - 4096) / 4096 ))
echo "# $pages pages"

flip() { # file offset: XOR the byte there with a non-zero value
	old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	new=$(( old ^ (1 + ($2 * 7 + 3) % 255) ))
	printf "$(printf '\\%03o' "$new")" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

awk -v seed="$SEED" -v size="$size" 'BEGIN { srand(seed);
	for (i = 0; i < 200; i++) print 4096 + int(rand() * (size - 4096)) }' >"$T/offsets"
bad_check=0
bad_read=0
while read -r off; do
	cp "$T/pristine.db" "$PATRON_DB"
	flip "$PATRON_DB" "$off"
	pg=$(( (off - 4096) / 4096 + 1 ))
	"$PATRON" check >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc -ne 65 ] || ! grep -q "page $pg\b" "$T/err"; then
		bad_check=$((bad_check + 1))
		echo "# offset $off (page $pg): check exit $rc: $(head -c 300 "$T/err")"
	fi
	"$PATRON" sql "SELECT count(*) FROM dbstat" >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc -ne 65 ] || ! grep -q "page $pg\b" "$T/err"; then
		bad_read=$((bad_read + 1))
		echo "# offset $off (page $pg): read exit $rc: $(head -c 300 "$T/err")"
	fi
done <"$T/offsets"
[ $bad_check -eq 0 ] && ok "check names the page for 200 flipped bytes" ||
	not_ok "check missed $bad_check of 200 flips"
[ $bad_read -eq 0 ] && ok "reading the page fails naming it, 200 flipped bytes" ||
	not_ok "reads missed $bad_read of 200 flips"

# Nonce and tag bytes specifically (last 40 bytes of page 3).
for rel in 4056 4060 4079 4080 4095; do
	cp "$T/pristine.db" "$PATRON_DB"
	flip "$PATRON_DB" $((4096 + 2 * 4096 + rel))
	expect_status 65 "flip in nonce/tag byte $rel of page 3" "$PATRON" check
	grep -q "page 3 " "$T/err" || not_ok "page 3 named for byte $rel"
done

# Two pages swapped.
cp "$T/pristine.db" "$PATRON_DB"
dd if="$T/pristine.db" of="$PATRON_DB" bs=4096 skip=3 seek=4 count=1 conv=notrunc status=none
dd if="$T/pristine.db" of="$PATRON_DB" bs=4096 skip=4 seek=3 count=1 conv=notrunc status=none
expect_status 65 "swapped pages detected" "$PATRON" check
grep -q "page 3 " "$T/err" && grep -q "page 4 " "$T/err" &&
	ok "both swapped pages named" || not_ok "swapped pages named: $(cat "$T/err")"

# Truncated: at a page boundary, inside a page, inside the header.
cp "$T/pristine.db" "$PATRON_DB"
truncate -s $((size - 4096)) "$PATRON_DB"
expect_status 65 "file truncated by a page" "$PATRON" check
cp "$T/pristine.db" "$PATRON_DB"
truncate -s $((size - 100)) "$PATRON_DB"
expect_status 65 "file truncated inside a page" "$PATRON" check
cp "$T/pristine.db" "$PATRON_DB"
truncate -s 3000 "$PATRON_DB"
expect_status 65 "file truncated inside the header" "$PATRON" check
cp "$T/pristine.db" "$PATRON_DB"
truncate -s 0 "$PATRON_DB"
expect_status 65 "empty file" "$PATRON" check

# The header is kept twice: one damaged copy is survived, two are not.
cp "$T/pristine.db" "$PATRON_DB"
flip "$PATRON_DB" 100
expect_status 0 "damaged first header copy: the second one opens" "$PATRON" check
flip "$PATRON_DB" 2148
expect_status 65 "both header copies damaged" "$PATRON" check
cp "$T/pristine.db" "$PATRON_DB"
flip "$PATRON_DB" 2148
expect_status 0 "damaged second header copy: the first one opens" "$PATRON" check
done_testing
