# The right to erasure: `customer erase REF` wipes a person's personal data
# and free text while purchases and the points ledger stay for the
# accounts. Checked on what is physically on disk: every page of the
# database file and of its write-ahead log, opened with the database's key
# (tests/helpers/pagescan.c), free pages and unused space included.
. "$PATRON_TOP/tests/cli/lib.sh"
SCAN="$PATRON_BUILD/tests/helpers/pagescan"
cat >"$T/config.yaml" <<'YAML'
security:
  kdf: interactive
customers:
  fields:
    - { key: nickname, label: Nickname }
YAML
"$PATRON" init >/dev/null 2>&1
"$W" staff cathy cashier 1357 >/dev/null
# Another session stays open throughout, so the log is never removed by a
# last close: what erase leaves in it is what a scan finds.
"$W" idle >"$T/idle.out" 2>&1 &
idle=$!
wait_ready "$T/idle.out"

# Everything that can be stored about one person, each value distinctive.
P="$PATRON"
$P customer add --name "Zebediah Quorndale" --phone 13912345678 \
	--email zeb.quorn@example.org --birthday 1971-03-14 --card QZ778899 \
	--tag velvetpig --note "allergic to kumquatberry" \
	--field nickname=Glimmerbeak --consent yes >/dev/null
$P customer add --name "Other Person" --phone 13800000002 --consent yes >/dev/null
$P purchase add --customer card:QZ778899 --total 250 --receipt R-E-1 \
	--line SKU-9:1:250:Teapot >/dev/null
$P purchase add --customer 1 --total 20 --receipt R-E-2 >/dev/null
$P purchase void 2 --reason "mistaken for Quorndale cousin" >/dev/null
$P purchase add --customer 2 --total 99 --receipt R-O-1 >/dev/null
$P note add 1 "whispered secret marzipanolio" >/dev/null
$P task add --title "Call Zebediah about snorkelwick" --customer 1 >/dev/null
$P task add --title "Done with Zebediah" --customer 1 >/dev/null
$P task done 2 >/dev/null
$P points adjust 1 +500 --reason "goodwill flamingohat" >/dev/null
$P points redeem 1 100 >/dev/null
$P customer edit 1 --phone 13912340000 --consent no --tag velvetpig \
	--tag ornithoscope >/dev/null
# A record merged into the customer is the same person.
$P customer add --name "Zeb Quorndale-Old" --email old.quorn@example.org \
	--note "duplicate from quillwhistle import" >/dev/null
$P customer merge 1 3 --yes >/dev/null

VALUES="Zebediah Quorndale 13912345678 13912340000 zeb.quorn old.quorn
1971-03-14 QZ778899 velvetpig ornithoscope kumquatberry Glimmerbeak
marzipanolio snorkelwick flamingohat quillwhistle"
# scan LABEL: how many of VALUES the pages on disk hold ($T/found).
scan() {
	"$SCAN" "$PATRON_DB" >"$T/plain" 2>"$T/scan.err" ||
		{ echo "# $(cat "$T/scan.err")"; return 1; }
	: >"$T/found"
	for v in $VALUES; do
		grep -a -q -F "$v" "$T/plain" && echo "$v" >>"$T/found"
	done
	return 0
}
check "the scan opens every page" scan
grep -q " 0 failed" "$T/scan.err" && ok "no page failed authentication" ||
	not_ok "$(cat "$T/scan.err")"
test -s "$T/plain" && ! grep -a -q Zebediah "$PATRON_DB" &&
	ok "the file itself holds only ciphertext" || not_ok "plaintext on disk"
# The positive control: before erasure every value is found.
test "$(wc -l <"$T/found")" -eq "$(echo $VALUES | wc -w)" &&
	ok "before erasure the scan finds every value" ||
	not_ok "found only: $(tr '\n' ' ' <"$T/found")"
grep -q '[1-9][0-9]* log frames' "$T/scan.err" && ok "the log was scanned" ||
	not_ok "$(cat "$T/scan.err")"

$P sql "SELECT sum(total), count(*) FROM purchase" >"$T/purchases.before"
$P sql "SELECT count(*) FROM purchase_line" >"$T/lines.before"
$P sql "SELECT sum(points) FROM ledger WHERE customer_id = 1" >"$T/balance"
$P sql "SELECT count(*) FROM ledger" >"$T/ledger.before"

# Refusals first: nothing is written by them.
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "a cashier may not erase" \
	$P customer erase 1 --yes
expect_status 64 "no terminal and no --yes: refused" $P customer erase 1 </dev/null
grep -q -- "--yes" "$T/err" && ok "saying --yes is needed" || not_ok "$(cat "$T/err")"
expect_status 1 "a merged-away record: erase the one it went into" \
	$P customer erase 3 --yes
grep -q "merged into customer 1" "$T/err" && ok "saying where it went" ||
	not_ok "$(cat "$T/err")"
expect_status 1 "an unknown customer" $P customer erase 99 --yes
expect_status 64 "no REF" $P customer erase --yes
expect_status 0 "erase --help" $P customer erase --help
grep -q "customer erase REF \[--yes\]" "$T/out" && ok "help shows erase" ||
	not_ok "$(head -3 "$T/out")"

# The audit entry of the birthday change (a short detail, easy to guess):
# its detail and the hash kept in the chain, before erasure.
$P sql --csv "SELECT id, detail, hex(detail_hash) FROM audit WHERE customer_id = 1 AND detail LIKE '%1971-03-14%' ORDER BY id LIMIT 1" |
	tail -n +2 >"$T/guess"
check "an audit detail of the person's is there to guess (positive control)" grep -q 1971-03-14 "$T/guess"
/usr/bin/python3 - "$T/guess" >"$T/guess.py" 2>&1 <<'PY'
import csv, hashlib, sys
row = next(csv.reader(open(sys.argv[1])))
plain = hashlib.blake2b(row[1].encode(), digest_size=32).hexdigest().upper()
print("plain-hash-matches" if plain == row[2] else "salted")
PY
check "the detail's hash is salted, not the plain hash of what it says" grep -q salted "$T/guess.py"

expect_status 0 "erase by card" $P customer erase QZ778899 --yes
grep -q "customer 1 erased with 1 merged record; 650 points forfeited; 1 open task cancelled" \
	"$T/out" && ok "what was done" || not_ok "$(cat "$T/out")"
check "the scan after erasure" scan
test ! -s "$T/found" && ok "no page of the file or the log holds an erased value" ||
	not_ok "still on disk: $(tr '\n' ' ' <"$T/found")"
grep -q " 0 log frames" "$T/scan.err" && ok "the log was truncated" ||
	not_ok "$(cat "$T/scan.err")"
test "$($P sql "SELECT count(*) FROM audit WHERE customer_id = 1 AND action <> 'customer_erased' AND (detail IS NOT NULL OR detail_salt IS NOT NULL)" | tail -1)" -eq 0 &&
	ok "every audit detail about the person is gone, with its salt" ||
	not_ok "$($P sql "SELECT id, action, detail FROM audit WHERE customer_id = 1 AND detail_salt IS NOT NULL")"
check "the trail still verifies" $P audit verify
expect_status 1 "erasing twice is refused" $P customer erase 1 --yes
grep -q "erased already" "$T/err" && ok "saying so" || not_ok "$(cat "$T/err")"
expect_status 1 "the old card names nobody" $P customer show QZ778899
expect_status 1 "search finds nobody" $P customer search Zebediah
expect_status 0 "the other customer is still found" $P customer search Other
grep -q "Other Person" "$T/out" && ok "by name" || not_ok "$(cat "$T/out")"

# Every table, every column, through the SQL console.
$P sql "SELECT name FROM sqlite_schema WHERE type = 'table'" | tail -n +2 >"$T/tables"
: >"$T/dump"
while read -r t; do
	$P sql "SELECT * FROM \"$t\"" >>"$T/dump" 2>&1
done <"$T/tables"
test "$(wc -l <"$T/tables")" -ge 14 && ok "$(wc -l <"$T/tables") tables dumped" ||
	not_ok "tables: $(cat "$T/tables")"
found=""
for v in $VALUES; do grep -q -F "$v" "$T/dump" && found="$found $v"; done
test -z "$found" && ok "patron sql finds none of the erased values" ||
	not_ok "patron sql finds:$found"
grep -q "Erased customer 1" "$T/dump" && ok "the placeholder name" ||
	not_ok "no placeholder"

check "the scan after all that" scan
test ! -s "$T/found" && ok "still no erased value on disk" ||
	not_ok "on disk: $(tr '\n' ' ' <"$T/found")"

# The accounts are whole.
$P sql "SELECT sum(total), count(*) FROM purchase" >"$T/purchases.after"
$P sql "SELECT count(*) FROM purchase_line" >"$T/lines.after"
check "purchases unchanged" cmp -s "$T/purchases.before" "$T/purchases.after"
check "purchase lines unchanged" cmp -s "$T/lines.before" "$T/lines.after"
test "$($P sql "SELECT count(*) FROM ledger" | tail -1)" -eq \
	"$(($(tail -1 "$T/ledger.before") + 1))" &&
	ok "the ledger kept every entry and gained one" || not_ok "ledger rows"
test "$($P sql "SELECT points || ' ' || cause FROM ledger WHERE customer_id = 1 ORDER BY id DESC LIMIT 1" | tail -1)" = \
	"-$(tail -1 "$T/balance") erasure" && ok "the balance forfeited by one entry" ||
	not_ok "$($P sql "SELECT * FROM ledger WHERE customer_id = 1")"
test "$($P sql "SELECT points FROM customer WHERE id = 1" | tail -1)" = 0 &&
	ok "no points left" || not_ok "points left"
test "$($P sql "SELECT group_concat(status) FROM task WHERE customer_id = 1" | tail -1)" = \
	"cancelled,done" && ok "the open task cancelled, the done one kept" ||
	not_ok "$($P sql "SELECT status FROM task")"
expect_status 65 "the ledger still refuses updates" \
	$P sql --write "UPDATE ledger SET reason = 'x' WHERE id = 1"
grep -q "append-only" "$T/err" && ok "append-only" || not_ok "$(cat "$T/err")"
expect_status 0 "audit verify passes" $P audit verify
expect_status 0 "patron check passes" $P check
expect_status 0 "the erasure is in the audit trail" $P audit list --action customer_erased
grep -q '"records":2,"points_forfeited":650,"tasks_cancelled":1' "$T/out" &&
	ok "with counts only" || not_ok "$(cat "$T/out")"

# On a terminal the name (or "erase") must be typed; anything else stops.
# erase_tty REF ANSWER: run erase on a pseudo-terminal, answer, exit status.
erase_tty() {
	python3 - "$PATRON" "$1" "$2" >"$T/tty.out" 2>&1 <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "customer", "erase", sys.argv[2]])
out = b""
while b"to go on: " not in out:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
os.write(fd, sys.argv[3].encode() + b"\n")
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.write(out.decode())
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
PY
}
tess=$($P customer add --name "Tess Tty")
erase_tty $tess "Tess" && not_ok "a wrong answer erased" ||
	ok "a wrong answer does not erase"
grep -q "customer $tess not erased" "$T/tty.out" &&
	grep -q "Erased customer $tess" "$T/tty.out" &&
	ok "the question names the customer and the placeholder" || not_ok "$(cat "$T/tty.out")"
check "still there" $P customer show $tess
check "the name typed erases" erase_tty $tess "Tess Tty"
expect_status 1 "gone" $P customer search Tess
uma=$($P customer add --name "Uma Tty")
check '"erase" typed erases' erase_tty $uma erase

# A session inside a read transaction holds the log up: erase says so.
yol=$($P customer add --name "Yolanda Brackenfeather" --phone 13700000003)
"$W" read "SELECT count(*) FROM customer" >"$T/read.out" 2>&1 &
reader=$!
wait_ready "$T/read.out"
expect_status 0 "erase beside a reader" $P customer erase $yol --yes
grep -q "write-ahead log may still hold" "$T/err" && ok "warns about the log" ||
	not_ok "$(cat "$T/err")"
kill $reader
wait $reader 2>/dev/null
kill $idle
wait $idle 2>/dev/null
$P customer list >/dev/null
VALUES="Brackenfeather 13700000003"
check "the scan once the reader is gone" scan
test ! -s "$T/found" && ok "the next checkpoint took the old pages" ||
	not_ok "still on disk: $(tr '\n' ' ' <"$T/found")"
done_testing
