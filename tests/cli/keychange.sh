# Test 5: a key change killed at each step leaves exactly the old or the new
# passphrase working, never neither and never both.
. "$PATRON_TOP/tests/cli/lib.sh"
OLD="old passphrase 1"
NEW="new passphrase 2"

"$PATRON" init --no-recovery-code >/dev/null
"$PATRON" sql --write "CREATE TABLE t (a); INSERT INTO t VALUES ('kept')" >/dev/null
opens() { PATRON_PASSPHRASE="$1" "$PATRON" sql "SELECT a FROM t" >/dev/null 2>&1; }
# step, which passphrase must open afterwards
for case in "header-before-first old" "header-torn-first old" \
	"header-between new" "header-after new"; do
	set -- $case
	step=$1
	want=$2
	# Start from the old passphrase each time.
	PATRON_NEW_PASSPHRASE="$OLD" "$PATRON" key passwd >/dev/null 2>&1
	opens "$OLD" || not_ok "setup: old passphrase opens before $step"
	PATRON_PASSPHRASE="$OLD" PATRON_NEW_PASSPHRASE="$NEW" PATRON_FAULT=$step \
		"$PATRON" key passwd >/dev/null 2>&1
	rc=$?
	[ $rc -eq 137 ] || echo "# $step: exit $rc (expected to be killed)"
	o=0
	nw=0
	opens "$OLD" && o=1
	opens "$NEW" && nw=1
	if [ "$want" = old ] && [ $o -eq 1 ] && [ $nw -eq 0 ]; then
		ok "killed at $step: exactly the old passphrase opens"
	elif [ "$want" = new ] && [ $o -eq 0 ] && [ $nw -eq 1 ]; then
		ok "killed at $step: exactly the new passphrase opens"
	else
		not_ok "killed at $step: old opens=$o new opens=$nw (wanted $want)"
	fi
	# Leave the database on the old passphrase for the next round.
	if [ $nw -eq 1 ]; then
		PATRON_PASSPHRASE="$NEW" PATRON_NEW_PASSPHRASE="$OLD" "$PATRON" key passwd >/dev/null
	fi
done

# Adding a slot, killed half way: the database keeps working either way.
for step in header-before-first header-torn-first header-between header-after; do
	PATRON_PASSPHRASE="$OLD" PATRON_NEW_PASSPHRASE="$NEW" PATRON_FAULT=$step \
		"$PATRON" key add passphrase >/dev/null 2>&1
	opens "$OLD" && ok "key add killed at $step: old passphrase still opens" ||
		not_ok "key add killed at $step locked the database"
	PATRON_PASSPHRASE="$OLD" "$PATRON" key list --json >"$T/slots"
	if grep -q '"slot":1' "$T/slots"; then
		PATRON_PASSPHRASE="$OLD" "$PATRON" key remove 1 >/dev/null
	fi
done

# Rotation killed before the new file replaces the old one.
PATRON_PASSPHRASE="$OLD" PATRON_FAULT=rotate-before-rename "$PATRON" key rotate >/dev/null 2>&1
opens "$OLD" && ok "rotation killed before the switch: the old file still opens" ||
	not_ok "rotation killed before the switch"
PATRON_PASSPHRASE="$OLD" expect_status 0 "data intact after the killed rotation" "$PATRON" sql "SELECT a FROM t"
grep -q kept "$T/out" || not_ok "row kept"
PATRON_PASSPHRASE="$OLD" expect_status 0 "check after the killed rotation" "$PATRON" check
done_testing
