# Roles: every permission of roles.ROLE in patron.yaml, tried on the
# command line as each role, first with the defaults and then with a
# configuration that turns every permission of every role the other way.
# A refusal is exit 77 with "may not"; an allowed command may still fail
# for another reason (a ref that does not exist), but never with 77.
# Then the redeem limit, revealing masked data, and granting roles.
. "$PATRON_TOP/tests/cli/lib.sh"
export PATRON_KEY_FILE="$T/key"
unset PATRON_PASSPHRASE
"$PATRON" init >/dev/null 2>&1 || { echo "not ok 1 - init"; exit 1; }
ROLES="cashier clerk agent manager admin"
for r in $ROLES; do
	"$W" staff "s$r" "$r" 1111 >/dev/null
done
"$PATRON" customer add --name "Rita Role" --phone "+86 138 0013 1234" \
	--email rita@example.cn >/dev/null
"$PATRON" points adjust 1 +100000 --reason stock >/dev/null
printf 'name,phone\n' >"$T/empty.csv"

# The defaults, as in config.h: one column per role (cashier clerk agent
# manager admin); mask_personal_data last.
defaults() {
	case $1 in
	view | add | edit | reveal) echo "1 1 1 1 1" ;;
	merge | erase | void | adjust | others_tasks | export | audit | staff | backup)
		echo "0 0 0 1 1" ;;
	purchase | redeem) echo "1 1 0 1 1" ;;
	import) echo "0 1 0 1 1" ;;
	keys | sql) echo "0 0 0 0 1" ;;
	mask) echo "1 0 1 0 0" ;;
	esac
}
col() { # col ROLE "a b c d e": that role's value
	i=0
	for r in $ROLES; do
		i=$((i + 1))
		[ "$r" = "$1" ] && echo "$2" | cut -d' ' -f$i
	done
}
PERMS="view add edit merge erase purchase void redeem adjust others_tasks import export audit staff backup keys sql reveal"

# The command that needs PERM (and, for reveal, view), as role R.
try() {
	perm=$1
	r=$2
	case $perm in
	view) "$PATRON" customer show 1 ;;
	add) "$PATRON" customer add --name "Added by $r $3" ;;
	edit) "$PATRON" customer edit 1 --note "edited by $r" ;;
	merge) "$PATRON" customer merge id:9999 id:9998 --yes ;;
	erase) "$PATRON" customer erase id:9999 --yes ;;
	purchase) "$PATRON" purchase add --customer 1 --total 1.00 ;;
	void) "$PATRON" purchase void 99999 ;;
	redeem) "$PATRON" points redeem 1 100 ;;
	adjust) "$PATRON" points adjust 1 +1 --reason "by $r" ;;
	others_tasks) "$PATRON" task assign 99999 admin ;;
	import) "$PATRON" import customers "$T/empty.csv" ;;
	export) "$PATRON" export customers -o "$T/export-$r-$3.csv" ;;
	audit) "$PATRON" audit verify ;;
	staff) "$PATRON" staff list ;;
	backup) "$PATRON" backup "$T/backup-$r-$3.db" ;;
	keys) "$PATRON" key list ;;
	sql) "$PATRON" sql "SELECT 1" ;;
	reveal) "$PATRON" customer show 1 --reveal --reason "customer asked" ;;
	esac
}

# matrix LABEL INVERT: try every permission as every role.
matrix() {
	for r in $ROLES; do
		for p in $PERMS; do
			want=$(col "$r" "$(defaults "$p")")
			[ "$2" = 1 ] && want=$((1 - want))
			if [ "$p" = reveal ]; then
				# Only masked staff need to reveal.
				m=$(col "$r" "$(defaults mask)")
				[ "$2" = 1 ] && m=$((1 - m))
				[ "$m" = 0 ] && want=1
				# ... and showing the customer needs view.
				v=$(col "$r" "$(defaults view)")
				[ "$2" = 1 ] && v=$((1 - v))
				[ "$v" = 0 ] && want=0
			fi
			PATRON_USER="s$r" PATRON_PIN=1111 try "$p" "$r" "$1" \
				>"$T/out" 2>"$T/err" </dev/null
			got=$?
			if [ "$want" = 1 ] && [ "$got" -ne 77 ]; then
				ok "$1: $r may $p (exit $got)"
			elif [ "$want" = 0 ] && [ "$got" -eq 77 ] &&
				grep -q "may not" "$T/err"; then
				ok "$1: $r may not $p"
			else
				not_ok "$1: $r $p: want allowed=$want, got $got: $(cat "$T/err")"
			fi
		done
	done
}
matrix defaults 0

# Every permission of every role the other way round.
{
	printf 'security:\n  kdf: interactive\nroles:\n'
	for r in $ROLES; do
		printf '  %s:\n' "$r"
		for p in $PERMS mask; do
			v=$(col "$r" "$(defaults "$p")")
			[ "$v" = 1 ] && v=false || v=true
			[ "$p" = mask ] && p=mask_personal_data
			printf '    %s: %s\n' "$p" "$v"
		done
		printf '    redeem_limit: 0\n'
	done
} >"$T/inverted.yaml"
check "the inverted configuration is valid" "$PATRON" --config "$T/inverted.yaml" config check
PATRON_CONFIG="$T/inverted.yaml" matrix inverted 1

# Masking follows mask_personal_data.
PATRON_USER=scashier PATRON_PIN=1111 "$PATRON" customer show 1 >"$T/out"
check "a cashier sees the phone masked" grep -q "1234" "$T/out"
check "... and not the whole number" sh -c "! grep -q '138' '$T/out'"
check "... nor the email" sh -c "! grep -q 'rita@' '$T/out'"
printf 'security:\n  kdf: interactive\nroles:\n  cashier: { mask_personal_data: false }\n' >"$T/unmask.yaml"
PATRON_CONFIG="$T/unmask.yaml" PATRON_USER=scashier PATRON_PIN=1111 \
	"$PATRON" customer show 1 >"$T/out"
check "with mask_personal_data false a cashier sees it" grep -q "rita@example.cn" "$T/out"
PATRON_USER=sclerk PATRON_PIN=1111 "$PATRON" customer list --json >"$T/out"
check "a clerk sees phone numbers whole" grep -q "8613800131234" "$T/out"

# Revealing: a reason, the data, an audit entry with the reason.
PATRON_USER=sagent PATRON_PIN=1111 expect_status 0 "an agent reveals with a reason" \
	"$PATRON" customer show 1 --reveal --reason "caller verified by card"
check "... and sees the email" grep -q "rita@example.cn" "$T/out"
PATRON_USER=sagent PATRON_PIN=1111 expect_status 65 "revealing needs a reason" \
	"$PATRON" customer show 1 --reveal --reason "  "
PATRON_USER=sagent PATRON_PIN=1111 expect_status 65 "... without one too" \
	"$PATRON" customer show 1 --reveal
check "... nothing was shown" sh -c "! grep -q 'rita@' '$T/out'"
PATRON_USER=sagent PATRON_PIN=1111 expect_status 64 "--reason alone is a usage error" \
	"$PATRON" customer show 1 --reason why
"$PATRON" audit list --action reveal --json >"$T/audit"
check "the reveal is in the audit trail" grep -q "caller verified by card" "$T/audit"
# Recorded: the cashier's and the agent's reveals of the first matrix and
# this one; refused ones and no-op reveals of unmasked staff are not.
check "... and only allowed reveals of masked data are" \
	test "$(grep -o '"reveal"' "$T/audit" | wc -l)" -eq 3
check "... under the agent" grep -q "sagent" "$T/audit"
check "the trail still verifies" "$PATRON" audit verify

# The redeem limit: per redemption, managers unlimited by default.
PATRON_USER=scashier PATRON_PIN=1111 expect_status 0 "a cashier redeems 2000" \
	"$PATRON" points redeem 1 2000
PATRON_USER=scashier PATRON_PIN=1111 expect_status 77 "... but not 2001" \
	"$PATRON" points redeem 1 2001
check "... and is told the limit" grep -q "at most 2000 points" "$T/err"
PATRON_USER=smanager PATRON_PIN=1111 expect_status 0 "a manager redeems 5000" \
	"$PATRON" points redeem 1 5000
printf 'security:\n  kdf: interactive\nroles:\n  manager: { redeem_limit: 3000 }\n' >"$T/limit.yaml"
PATRON_CONFIG="$T/limit.yaml" PATRON_USER=smanager PATRON_PIN=1111 \
	expect_status 77 "roles.manager.redeem_limit applies" "$PATRON" points redeem 1 3001

# Granting: never more than one's own role has.
PATRON_USER=smanager PATRON_PIN=1111 PATRON_NEW_PIN=2222 expect_status 0 \
	"a manager adds a cashier" "$PATRON" staff add newcashier --role cashier
PATRON_USER=smanager PATRON_PIN=1111 PATRON_NEW_PIN=2222 expect_status 77 \
	"a manager may not add an admin" "$PATRON" staff add newadmin --role admin
PATRON_USER=smanager PATRON_PIN=1111 expect_status 77 \
	"... nor make someone admin" "$PATRON" staff role newcashier admin
PATRON_USER=smanager PATRON_PIN=1111 expect_status 77 \
	"... nor change an admin's account" "$PATRON" staff disable sadmin
printf 'security:\n  kdf: interactive\nroles:\n  clerk: { sql: true }\n' >"$T/clerk.yaml"
PATRON_CONFIG="$T/clerk.yaml" PATRON_USER=smanager PATRON_PIN=1111 \
	expect_status 77 "a clerk widened beyond a manager is not the manager's to grant" \
	"$PATRON" staff role newcashier clerk
PATRON_CONFIG="$T/clerk.yaml" PATRON_USER=sclerk PATRON_PIN=1111 \
	expect_status 0 "... and that clerk may use the console" "$PATRON" sql "SELECT 1"

# Data shown whole stays with roles that see it whole: a masked role given
# export gets masked exports, and neither the audit trail nor a
# right-of-access export.
printf 'security:\n  kdf: interactive\nroles:\n  cashier: { export: true, audit: true }\n' >"$T/wide.yaml"
for f in csv json vcf; do
	PATRON_CONFIG="$T/wide.yaml" PATRON_USER=scashier PATRON_PIN=1111 \
		"$PATRON" export customers --format $f -o "$T/wide.$f"
	check "a masked role's $f export has no whole phone" sh -c "! grep -q '138.*0013\\|8613800' '$T/wide.$f'"
	check "... nor the email" sh -c "! grep -q 'rita@' '$T/wide.$f'"
	check "... but the customer" grep -q "Rita Role" "$T/wide.$f"
done
PATRON_USER=smanager PATRON_PIN=1111 "$PATRON" export customers --format vcf -o "$T/manager.vcf"
check "an unmasked role's vCard has the phone (positive control)" grep -q "tel:+8613800131234" "$T/manager.vcf"
PATRON_CONFIG="$T/wide.yaml" PATRON_USER=scashier PATRON_PIN=1111 \
	expect_status 77 "a masked role may not export a customer's data" \
	"$PATRON" customer export-data 1
check "... and is told why" grep -q "masked" "$T/err"
PATRON_CONFIG="$T/wide.yaml" PATRON_USER=scashier PATRON_PIN=1111 \
	expect_status 77 "... nor list the audit trail" "$PATRON" audit list
PATRON_CONFIG="$T/wide.yaml" PATRON_USER=scashier PATRON_PIN=1111 \
	expect_status 0 "... but may verify it" "$PATRON" audit verify

# Searching cannot rebuild what is masked: a masked role finds a phone by
# its last 4 digits or whole, an email by whole words.
as_cashier() { PATRON_USER=scashier PATRON_PIN=1111 "$PATRON" "$@"; }
as_manager() { PATRON_USER=smanager PATRON_PIN=1111 "$PATRON" "$@"; }
expect_status 0 "a cashier finds a phone by its last 4 digits" as_cashier customer search 1234
check "... the right customer" grep -q "Rita Role" "$T/out"
expect_status 1 "... but not by 5 (digit by digit)" as_cashier customer search 31234
expect_status 0 "... which a manager may" as_manager customer search 31234
expect_status 0 "a cashier finds the whole number" as_cashier customer search "138 0013 1234"
expect_status 1 "a cashier does not find an email by its start" as_cashier customer search exam
expect_status 0 "... which a manager does" as_manager customer search exam
expect_status 0 "a cashier finds an email by a whole word" as_cashier customer search example

# Tasks of a role that may not see customers do not name them.
printf 'security:\n  kdf: interactive\nroles:\n  agent: { view: false }\n' >"$T/blind.yaml"
"$PATRON" task add --title "Call back" --customer 1 --assignee agent >/dev/null
PATRON_CONFIG="$T/blind.yaml" PATRON_USER=sagent PATRON_PIN=1111 \
	expect_status 0 "an agent without view lists the role's tasks" "$PATRON" task list
check "... with the customer's number" grep -q "(customer 1)" "$T/out"
check "... not their name" sh -c "! grep -q 'Rita' '$T/out'"
PATRON_CONFIG="$T/blind.yaml" PATRON_USER=sagent PATRON_PIN=1111 \
	expect_status 77 "... and may not look one up through --customer" \
	"$PATRON" task list --customer "138 0013 1234"
PATRON_CONFIG="$T/blind.yaml" PATRON_USER=sagent PATRON_PIN=1111 \
	expect_status 77 "... nor list them as CSV, which names them" "$PATRON" task list --csv
PATRON_USER=sagent PATRON_PIN=1111 expect_status 0 "with view the agent sees the name" \
	"$PATRON" task list
check "... there" grep -q "Rita Role" "$T/out"

# Listing many customers is an export: without the export permission at
# most 100 rows; the whole file listed is recorded as an export.
{
	echo "name,phone"
	i=0
	while [ $i -lt 120 ]; do
		printf 'Bulk %03d,+86 139 0000 %04d\n' $i $i
		i=$((i + 1))
	done
} >"$T/bulk.csv"
"$PATRON" import customers "$T/bulk.csv" >/dev/null
PATRON_USER=scashier PATRON_PIN=1111 "$PATRON" customer list --csv >"$T/out" 2>"$T/err"
check "a cashier lists at most 100 customers" test "$(($(wc -l <"$T/out") - 1))" -eq 100
check "... and is told the rest is an export" grep -q "is an export" "$T/err"
PATRON_USER=scashier PATRON_PIN=1111 expect_status 77 "... nor more with --limit" \
	"$PATRON" customer list --limit 101
PATRON_USER=scashier PATRON_PIN=1111 expect_status 77 "... nor through search" \
	"$PATRON" customer search bulk --limit 101
PATRON_USER=smanager PATRON_PIN=1111 "$PATRON" customer list --csv >"$T/out"
check "a manager lists everyone" test "$(($(wc -l <"$T/out") - 1))" -ge 121
"$PATRON" audit list --action export --json >"$T/audit"
check "... which is recorded as an export" grep -q '"what":"customer list"' "$T/audit"

# Bad roles configuration: file:line:column, exit 78.
printf 'roles:\n  cashier:\n    fly: true\n' >"$T/bad.yaml"
expect_status 78 "an unknown permission is a config error" \
	"$PATRON" --config "$T/bad.yaml" config check
check "... with its place" grep -q "bad.yaml:3:" "$T/err"
printf 'roles:\n  owner: { view: true }\n' >"$T/bad.yaml"
expect_status 78 "an unknown role is a config error" \
	"$PATRON" --config "$T/bad.yaml" config check
printf 'roles:\n  agent: { redeem: maybe }\n' >"$T/bad.yaml"
expect_status 78 "a permission is true or false" \
	"$PATRON" --config "$T/bad.yaml" config check
done_testing
