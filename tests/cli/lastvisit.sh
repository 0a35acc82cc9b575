# The last visit follows from the history (live sales and visits) through
# every write; check names cached values that disagree with the history;
# the demo generator's data passes check with nothing dated after now;
# dates shown are in store.timezone; JSON and CSV times have milliseconds.
. "$PATRON_TOP/tests/cli/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  timezone: Asia/Shanghai\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
q() { "$PATRON" sql "$1" | tail -n 1; }
lv() { q "SELECT coalesce(last_visit, 'none') FROM customer WHERE id = $1"; }
is() { # DESCRIPTION GOT WANTED
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: '$2', wanted '$3'"; fi
}
"$PATRON" customer add --name "Lin Tao" --card C-1 >/dev/null
"$PATRON" customer add --name "Mara Quist" --card C-2 >/dev/null
"$PATRON" customer add --name "Odd Hagen" --card C-3 >/dev/null
"$PATRON" customer add --name "Ruth Yang" --card C-4 >/dev/null

# A stale value is named by check, and the next sale replaces it.
"$PATRON" purchase add --customer C-1 --total 100 --receipt A-1 \
	--at "2026-11-02 10:00" >/dev/null
is "a sale sets the last visit" "$(lv 1)" 2026-11-02T02:00:00.000Z
"$PATRON" sql --write "UPDATE customer SET last_visit = '2031-01-01T00:00:00.000Z' WHERE id = 1" >/dev/null
expect_status 65 "check finds a last visit the history does not give" "$PATRON" check
grep -q "customer 1: cached last visit 2031-01-01T00:00:00.000Z, the history gives 2026-11-02T02:00:00.000Z" "$T/err" &&
	ok "... naming the customer and both values" || not_ok "$(cat "$T/err")"
grep -q "1 problem found" "$T/err" && ok "... one problem" || not_ok "$(cat "$T/err")"
"$PATRON" purchase add --customer C-1 --total 50 >/dev/null
is "a sale today replaces a last visit in the future" \
	"$(q "SELECT last_visit = (SELECT max(occurred_at) FROM purchase WHERE customer_id = 1) FROM customer WHERE id = 1")" 1
expect_status 0 "check agrees again" "$PATRON" check

# Tier and points are compared too.
"$PATRON" sql --write "UPDATE customer SET tier = 'Gold', points = 900 WHERE id = 2" >/dev/null
expect_status 65 "check finds a cached tier and balance" "$PATRON" check
grep -q "customer 2: cached tier Gold, the history gives none" "$T/err" &&
	ok "... the tier named" || not_ok "$(cat "$T/err")"
grep -q "customer 2: cached balance 900, ledger sum 0" "$T/err" &&
	ok "... the balance named" || not_ok "$(cat "$T/err")"
"$PATRON" sql --write "UPDATE customer SET tier = NULL, points = 0 WHERE id = 2" >/dev/null

# Visits, voids and returns.
"$PATRON" visit add C-2 --at "2026-11-10 09:00" >/dev/null
is "a visit sets it" "$(lv 2)" 2026-11-10T01:00:00.000Z
"$PATRON" purchase add --customer C-2 --total 80 --receipt B-1 --at "2026-11-20 12:00" >/dev/null
is "a later sale moves it" "$(lv 2)" 2026-11-20T04:00:00.000Z
"$PATRON" visit add C-2 --at "2026-11-01 09:00" >/dev/null
is "an earlier visit leaves it" "$(lv 2)" 2026-11-20T04:00:00.000Z
"$PATRON" purchase void B-1 --reason "wrong customer" >/dev/null
is "a void takes it back to the visit before" "$(lv 2)" 2026-11-10T01:00:00.000Z
"$PATRON" purchase add --customer C-2 --total 60 --receipt B-2 --at "2026-11-21 12:00" >/dev/null
"$PATRON" purchase add --customer C-2 --total -20 --return-of B-2 --at "2026-11-25 12:00" >/dev/null
is "a return is not a visit" "$(lv 2)" 2026-11-21T04:00:00.000Z

# A merge: the kept customer's from both histories, the other's none.
"$PATRON" visit add C-3 --at "2026-11-30 18:00" >/dev/null
"$PATRON" customer merge 2 3 --yes >/dev/null 2>&1
is "merge: the kept customer's last visit from both histories" "$(lv 2)" 2026-11-30T10:00:00.000Z
is "merge: the merged one has no history left" "$(lv 3)" none

# Imports: purchases move it; a customer file's last_visit is ignored.
"$PATRON" customer add --name "Ivo Ban" --card C-5 >/dev/null
printf 'receipt,customer,occurred_at,total\nI-1,C-5,2026-11-29 08:00,30\n' >"$T/p.csv"
"$PATRON" import purchases "$T/p.csv" >/dev/null
is "an imported sale sets it" "$(lv 5)" 2026-11-29T00:00:00.000Z
printf 'name,last_visit\nNew Comer,2030-01-01T00:00:00Z\n' >"$T/c.csv"
"$PATRON" import customers "$T/c.csv" >/dev/null
is "an imported customer's last_visit is ignored" \
	"$(q "SELECT coalesce(last_visit, 'none') FROM customer WHERE name = 'New Comer'")" none
# Tiers configured otherwise: the upkeep applies them to everyone, and
# until it has, check does not compare tiers (nor with another file).
"$PATRON" purchase add --customer C-5 --total 1200 >/dev/null
"$PATRON" points expire >/dev/null
is "a tier by the default rules" "$(q "SELECT tier FROM customer WHERE id = 5")" Silver
{ cat "$T/config.yaml"; printf 'loyalty:\n  tiers:\n    - { name: Bronze, threshold: 500, multiplier: "1.1" }\n'; } >"$T/bronze.yaml"
PATRON_CONFIG="$T/bronze.yaml" expect_status 0 "check with other tiers configured: no problem" "$PATRON" check
grep -q "tiers not compared" "$T/err" && ok "... but says tiers were not compared" || not_ok "$(cat "$T/err")"
PATRON_CONFIG="$T/bronze.yaml" "$PATRON" points expire >/dev/null
is "the upkeep applies the new tiers to everyone" "$(q "SELECT tier FROM customer WHERE id = 5")" Bronze
PATRON_CONFIG="$T/bronze.yaml" expect_status 0 "check agrees under them" "$PATRON" check
grep -q "tiers not compared" "$T/err" && not_ok "$(cat "$T/err")" || ok "... comparing tiers"
PATRON_CONFIG="$T/bronze.yaml" "$PATRON" sql --write "UPDATE customer SET tier = 'Gold' WHERE id = 5" >/dev/null
PATRON_CONFIG="$T/bronze.yaml" expect_status 65 "a tier set by hand is named" "$PATRON" check
grep -q "customer 5: cached tier Gold, the history gives Bronze" "$T/err" && ok "... with both values" || not_ok "$(cat "$T/err")"
"$PATRON" sql --write "UPDATE customer SET tier = 'Bronze' WHERE id = 5" >/dev/null
expect_status 0 "check with the default file does not compare Bronze" "$PATRON" check
PATRON_CONFIG="$T/bronze.yaml" "$PATRON" points expire >/dev/null
PATRON_USER=admin "$PATRON" customer erase 1 --yes >/dev/null 2>&1
expect_status 0 "after erasure, merge, voids and imports check agrees" "$PATRON" check

# One visit, one date: store.timezone everywhere it is shown.
"$PATRON" visit add C-4 --at "2026-12-07 07:30" >/dev/null
is "stored in UTC" "$(lv 4)" 2026-12-06T23:30:00.000Z
"$PATRON" customer search "Ruth" >"$T/out"
grep -q "2026-12-07" "$T/out" && ok "search's table: the local day" ||
	not_ok "search: $(cat "$T/out")"
"$PATRON" customer list >"$T/out"
grep "Ruth" "$T/out" | grep -q "2026-12-07" && ok "list's table: the local day" ||
	not_ok "list: $(cat "$T/out")"
"$PATRON" customer show C-4 >"$T/out"
grep -q "^last visit 2026-12-07 07:30" "$T/out" && ok "show: the local time" ||
	not_ok "show: $(cat "$T/out")"
"$PATRON" customer search Ruth --json >"$T/out"
grep -q '"last_visit":"2026-12-06T23:30:00.000Z"' "$T/out" &&
	ok "JSON: UTC with milliseconds" || not_ok "json: $(cat "$T/out")"

# Other tables: a lock's end and a key slot's creation, local too.
PATRON_NEW_PIN=1357 "$PATRON" staff add cathy --role cashier >/dev/null
"$PATRON" sql --write "UPDATE staff SET locked_until = '2099-12-31T20:00:00.000Z' WHERE name = 'cathy'" >/dev/null
"$PATRON" staff list >"$T/out"
grep -q "cathy .*locked until 2100-01-01 04:00" "$T/out" &&
	ok "staff list: a lock ends at a local time" || not_ok "staff: $(cat "$T/out")"
"$PATRON" key list >"$T/out"
grep -Eq "passphrase .* [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} " "$T/out" &&
	! grep -q "T[0-9:.]*Z" "$T/out" && ok "key list: local times" ||
	not_ok "keys: $(cat "$T/out")"

# Written without milliseconds (by hand, an older version): JSON and CSV
# still give them, as patron(1) says (Amounts and times).
"$PATRON" sql --write "UPDATE customer SET last_visit = '2026-12-06T23:30:00Z' WHERE id = 4" >/dev/null
"$PATRON" customer show C-4 --json >"$T/out"
grep -q '"last_visit":"2026-12-06T23:30:00.000Z"' "$T/out" &&
	ok "show --json: milliseconds" || not_ok "json: $(cat "$T/out")"
"$PATRON" customer search Ruth --csv >"$T/out"
grep -q ',2026-12-06T23:30:00.000Z,' "$T/out" && ok "CSV: milliseconds" ||
	not_ok "csv: $(cat "$T/out")"

# Whatever was written there by hand, a table never lets it drive the
# terminal.
"$PATRON" sql --write "UPDATE customer SET last_visit = char(27) || ']0;x' || char(7) WHERE id = 4" >/dev/null
"$PATRON" customer list >"$T/out"
grep -q "$(printf '\033')" "$T/out" && not_ok "an escape in customer list" ||
	ok "list: no escape from a stored value"
"$PATRON" visit add C-4 --at "2026-12-07 07:30" >/dev/null

# A database from before: the upgrade recomputes every last visit once.
"$PATRON" sql --write "UPDATE customer SET last_visit = '2031-01-01T00:00:00Z'; PRAGMA user_version = 7" >/dev/null
"$PATRON" customer show C-4 >/dev/null
is "the upgrade takes last visits from the history" \
	"$(q "SELECT count(*) FROM customer WHERE last_visit > '2030'")" 0
is "... keeping those the history gives" "$(lv 4)" 2026-12-06T23:30:00.000Z
expect_status 0 "... and check agrees" "$PATRON" check

# The demo generator: consistent data, nothing after now.
D="$T/demo.db"
PATRON_DB="$D" "$PATRON" init --no-recovery-code >/dev/null 2>&1
check "demo data generated" sh -c "'$PATRON_BUILD/tools/demo-data' '$D' 300 >/dev/null"
PATRON_DB="$D" expect_status 0 "the demo's data passes check" "$PATRON" check
now="strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
is "the demo has last visits" "$(PATRON_DB="$D" q "SELECT count(*) > 100 FROM customer WHERE last_visit IS NOT NULL")" 1
is "nothing in the demo is dated after now" "$(PATRON_DB="$D" q "SELECT
	(SELECT count(*) FROM customer WHERE last_visit > $now) +
	(SELECT count(*) FROM purchase WHERE occurred_at > $now) +
	(SELECT count(*) FROM interaction WHERE occurred_at > $now) +
	(SELECT count(*) FROM ledger WHERE created_at > $now)")" 0
done_testing
