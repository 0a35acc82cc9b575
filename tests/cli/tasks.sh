# patron task add|list|done|cancel|reopen|snooze|assign|generate and
# export tasks: due input, filters, roles, rules made once per cause, JSON,
# CSV, and an iCalendar file that a calendar parser (python3-icalendar)
# reads back.
. "$PATRON_TOP/tests/cli/lib.sh"
cat >"$T/config.yaml" <<'EOF'
security:
  kdf: interactive
store:
  timezone: Asia/Shanghai
tasks:
  rules:
    - { name: thank-you call, on: purchase, min_total: "2000", due_in_days: 3, assign: manager }
    - { name: birthday greeting, on: birthday, days_before: 7, assign: cathy }
    - { name: win-back, on: lapsed, days: 90, min_lifetime_spend: "500", priority: high }
EOF
"$PATRON" init >/dev/null 2>&1
"$W" staff cathy cashier 1357 >/dev/null
"$W" staff mona manager 2222 >/dev/null
json_ok() { sqlite3 :memory: "SELECT json_valid(readfile('$1'))" | grep -qx 1; }
q() { "$PATRON" sql "$1" | tail -n 1; }
day() { TZ=Asia/Shanghai date -d "$1" +%Y-%m-%d; }
"$PATRON" customer add --name "Li Na" --birthday "1990-$(TZ=Asia/Shanghai date -d '+3 days' +%m-%d)" >/dev/null
"$PATRON" customer add --name "Old Friend" >/dev/null

# Adding: due as people type it, shown back as a date.
expect_status 0 "add with --due tomorrow" "$PATRON" task add --title "Call about the order" --customer 1 --due tomorrow
grep -q "due $(day tomorrow)" "$T/out" && ok "tomorrow shown as a date" || not_ok "$(cat "$T/out")"
expect_status 0 "add with --due +2w" "$PATRON" task add --title "Check stock" --due +2w --priority high --json
check "JSON is valid" json_ok "$T/out"
grep -q "\"due\":\"$(day '+14 days')\"" "$T/out" && grep -q '"priority":"high"' "$T/out" &&
	ok "+2w is 14 days on; priority kept" || not_ok "$(cat "$T/out")"
expect_status 0 "add with a date and time" "$PATRON" task add --title "Fitting" --due "2030-01-02 15:30"
grep -q "due 2030-01-02 15:30" "$T/out" && ok "date and time" || not_ok "$(cat "$T/out")"
expect_status 65 "a bad due" "$PATRON" task add --title X --due "someday"
grep -q "today, tomorrow, +3d" "$T/err" && ok "says what is accepted" || not_ok "$(cat "$T/err")"
expect_status 65 "a day that does not exist" "$PATRON" task add --title X --due 2027-02-29
expect_status 64 "no title" "$PATRON" task add --due today
expect_status 65 "an empty title" "$PATRON" task add --title " "
expect_status 65 "escape sequences in a title" "$PATRON" task add --title "$(printf 'x\033]0;t\007')"
expect_status 65 "an unknown assignee" "$PATRON" task add --title X --assignee nobody
expect_status 0 "to a role" "$PATRON" task add --title "Count the till" --assignee clerk --due today
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "a cashier may not give tasks to others" \
	"$PATRON" task add --title X --assignee mona
PATRON_USER=cathy PATRON_PIN=1357 expect_status 0 "a cashier adds their own" \
	"$PATRON" task add --title "Restock bags" --due today

# Listing and filters.
expect_status 0 "list" "$PATRON" task list
check "four open tasks for admin to see" test "$(grep -c . "$T/out")" = 5
PATRON_USER=cathy PATRON_PIN=1357 expect_status 0 "list --mine for cathy" "$PATRON" task list --mine
grep -q "Restock bags" "$T/out" && ! grep -q "Check stock" "$T/out" && ok "only hers" || not_ok "$(cat "$T/out")"
PATRON_USER=cathy PATRON_PIN=1357 expect_status 0 "list for cathy without --mine" "$PATRON" task list
grep -q "Restock bags" "$T/out" && ! grep -q "Check stock" "$T/out" && ok "still only hers (not a manager)" || not_ok "$(cat "$T/out")"
expect_status 0 "list --assignee clerk" "$PATRON" task list --assignee clerk --json
grep -q "Count the till" "$T/out" && ! grep -q "Restock" "$T/out" && ok "by role" || not_ok "$(cat "$T/out")"
expect_status 0 "list --customer" "$PATRON" task list --customer 1 --csv
check "CSV: header and one task" test "$(wc -l <"$T/out")" = 2

# Status changes: your own, or anyone's for managers.
PATRON_USER=cathy PATRON_PIN=1357 expect_status 77 "a cashier may not close another's task" "$PATRON" task done 1
expect_status 0 "done" "$PATRON" task done 1
expect_status 65 "done twice" "$PATRON" task done 1
expect_status 0 "reopen" "$PATRON" task reopen 1
expect_status 0 "snooze" "$PATRON" task snooze 1 fri
grep -qx "task 1 snoozed until $(TZ=Asia/Shanghai date -d 'next fri' '+%a %Y-%m-%d')" "$T/out" &&
	ok "snooze says until when" || not_ok "$(cat "$T/out")"
expect_status 0 "assign to a manager by name" "$PATRON" task assign 1 mona
PATRON_USER=mona PATRON_PIN=2222 expect_status 0 "she has it" "$PATRON" task list --mine
grep -q "Call about the order" "$T/out" && ok "assigned" || not_ok "$(cat "$T/out")"
expect_status 0 "cancel" "$PATRON" task cancel 2
expect_status 0 "list --all shows closed ones" "$PATRON" task list --all
grep -q "cancelled" "$T/out" && ok "cancelled listed" || not_ok "$(cat "$T/out")"
check "events recorded" test "$(q "SELECT count(*) FROM task_event WHERE task_id = 1")" = 5

# Overdue, with the clock moved on.
PATRON_NOW="$(date -u -d '+3 days' +%Y-%m-%dT%H:%M:%SZ)" expect_status 0 "list --overdue three days on" "$PATRON" task list --overdue
grep -q "Count the till" "$T/out" && grep -q OVERDUE "$T/out" && ok "yesterday's task is overdue" || not_ok "$(cat "$T/out")"
! grep -q "Fitting" "$T/out" && ok "a future one is not" || not_ok "$(cat "$T/out")"

# Rules: once per cause however often they run.
"$PATRON" purchase add --customer 1 --total 2500 >/dev/null
lapsed=$(date -d '120 days ago' +%Y-%m-%d)
"$PATRON" purchase add --customer 2 --total 800 --at "$lapsed" >/dev/null
expect_status 0 "generate" "$PATRON" task generate --json
grep -q '"made":3' "$T/out" && ok "three: thank-you, birthday, win-back" || not_ok "$(cat "$T/out")"
expect_status 0 "generate again" "$PATRON" task generate --json
grep -q '"made":0' "$T/out" && ok "nothing twice" || not_ok "$(cat "$T/out")"
check "the birthday task is due on the birthday, for cathy" test \
	"$(q "SELECT substr(t.due_at, 1, 10) || ' ' || s.name FROM task t JOIN staff s ON s.id = t.assignee_id WHERE t.rule = 'birthday greeting'")" = \
	"$(TZ=UTC date -d "$(day '+3 days') 00:00 +0800" +%Y-%m-%d) cathy"
check "the win-back is high priority" test "$(q "SELECT priority FROM task WHERE rule = 'win-back'")" = 2
# A rule's task says who and why (issue 15, item 10).
check "the win-back names the customer and the last purchase" test \
	"$(q "SELECT title FROM task WHERE rule = 'win-back'")" = "Win-back: Old Friend, last purchase $lapsed"
check "the thank-you call names the sale" test \
	"$(q "SELECT title FROM task WHERE rule = 'thank-you call'")" = "Thank-you call: Li Na, bought 2500.00 on $(day today)"
check "the birthday greeting names the day" test \
	"$(q "SELECT title FROM task WHERE rule = 'birthday greeting'")" = \
	"Birthday greeting: Li Na, birthday $(TZ=Asia/Shanghai date -d '+3 days' '+%a %Y-%m-%d')"
"$PATRON" purchase add --customer 1 --total 3000 >/dev/null
expect_status 0 "a new big purchase" "$PATRON" task generate --json
grep -q '"made":1' "$T/out" && ok "is a new occasion" || not_ok "$(cat "$T/out")"
printf 'tasks:\n  rules:\n    - { name: x, on: lapsed, days: 30, assign: nobody }\n' >>"$T/config.yaml"
sed -i '/^tasks:/,$d' "$T/config.yaml"
printf 'tasks:\n  rules:\n    - { name: x, on: lapsed, days: 30, assign: nobody }\n' >>"$T/config.yaml"
expect_status 78 "a rule assigning nobody" "$PATRON" task generate
grep -q "rule 'x': assign: no staff member or role 'nobody'" "$T/err" && ok "is a config error" || not_ok "$(cat "$T/err")"
sed -i '/^tasks:/,$d' "$T/config.yaml"

# Export: CSV, JSON and iCalendar (read back by a calendar parser).
expect_status 0 "export tasks as CSV" "$PATRON" export tasks
head -1 "$T/out" | grep -q "^id,uuid,title,notes,customer_id,assignee,due,status,priority,rule,created_at" &&
	ok "CSV header" || not_ok "$(head -1 "$T/out")"
"$PATRON" task add --title "Ring, then; write \\ back" --notes "$(printf 'first line\nsecond line, with 王芳 and a long tail to fold: %s' "$(printf 'x%.0s' $(seq 1 120))")" --customer 1 --due "2030-01-02 15:30" >/dev/null
expect_status 0 "export tasks as iCalendar" "$PATRON" export tasks --format ics -o "$T/tasks.ics"
check "the file is 0600" test "$(stat -c %a "$T/tasks.ics")" = 600
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if "$PY" -c 'import icalendar' 2>/dev/null; then
	"$PY" - "$T/tasks.ics" "$(q "SELECT count(*) FROM task")" >"$T/ics.out" 2>&1 <<'PYEOF'
import sys, icalendar
data = open(sys.argv[1], 'rb').read()
assert all(len(l) <= 75 for l in data.split(b'\r\n')), "a line over 75 octets"
assert b'\n' not in data.replace(b'\r\n', b''), "a bare LF"
cal = icalendar.Calendar.from_ical(data)
todos = cal.walk('VTODO')
assert len(todos) == int(sys.argv[2]), (len(todos), sys.argv[2])
t = [x for x in todos if str(x['SUMMARY']).startswith('Ring')][0]
assert str(t['SUMMARY']) == 'Ring, then; write \\ back', t['SUMMARY']
assert str(t['DESCRIPTION']).startswith('first line\nsecond line, with 王芳'), t['DESCRIPTION']
assert t['DUE'].dt.isoformat() == '2030-01-02T07:30:00+00:00', t['DUE'].dt
assert all(str(x['STATUS']) in ('NEEDS-ACTION', 'COMPLETED', 'CANCELLED') for x in todos)
assert len(set(str(x['UID']) for x in todos)) == len(todos)
print('ok', len(todos))
PYEOF
	grep -q "^ok" "$T/ics.out" && ok "python3-icalendar reads every VTODO back" || not_ok "$(cat "$T/ics.out")"
else
	not_ok "python3-icalendar is not installed (apt-get install python3-icalendar)"
fi
expect_status 0 "export tasks as JSON" "$PATRON" export tasks --format json
check "JSON is valid" json_ok "$T/out"
expect_status 64 "tasks as vCard are refused" "$PATRON" export tasks --format vcf
expect_status 0 "check" "$PATRON" check
done_testing
