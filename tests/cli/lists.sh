# One rule for the exit status of every list (patron(1), EXIT STATUS): it
# never depends on the format. A search that finds nobody is "not found"
# (1) as a table, JSON or CSV, the output still whole ([] or the CSV
# header); a list or export with no rows is a whole answer (0), again in
# every format, JSON [] and CSV its header.
. "$PATRON_TOP/tests/cli/lib.sh"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Ann Lee" >/dev/null

for f in "" --json --csv; do
	expect_status 1 "customer search finding nobody ${f:-(table)}: 1" \
		"$PATRON" customer search nobodyzzz $f
	expect_status 0 "customer search finding someone ${f:-(table)}: 0" \
		"$PATRON" customer search ann $f
done
"$PATRON" customer search nobodyzzz --json >"$T/out" 2>/dev/null
check "JSON: an empty array" test "$(cat "$T/out")" = "[]"
"$PATRON" customer search nobodyzzz --csv >"$T/out" 2>/dev/null
check "CSV: the header alone" test "$(wc -l <"$T/out")" = 1 -a \
	"$(cut -d, -f1-3 "$T/out")" = "id,uuid,name"

# Lists with no rows: 0 in every format.
for f in "" --json --csv; do
	for cmd in "task list" "purchase list --customer 1" "points history 1" \
		"audit list --action nosuch"; do
		# shellcheck disable=SC2086
		expect_status 0 "$cmd ${f:-(table)}, empty: 0" "$PATRON" $cmd $f
		case $f in
		--json) check "... prints []" test "$(cat "$T/out")" = "[]" ;;
		--csv) check "... prints the CSV header" test "$(wc -l <"$T/out")" = 1 ;;
		*) check "... says so on stderr, nothing on stdout" \
			test -s "$T/err" -a ! -s "$T/out" ;;
		esac
	done
done
for fmt in csv json; do
	expect_status 0 "export tasks --format $fmt, none: 0" \
		"$PATRON" export tasks --format $fmt -o "$T/tasks.$fmt"
done
done_testing
