# Tasks on the screens: add one from a customer (its due date shown as a
# date before saving), see it overdue the next day with the clock moved on
# (PATRON_NOW), land on the tasks view at login because of it (one's own
# first), mark it done, undo that and reopen it; the assignee checked as
# typed and picked; a cashier sees their own tasks, cannot assign, and is
# told until when a task is snoozed.
. "$PATRON_TOP/tests/tui/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  timezone: UTC\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Wang Fang" --card C-1 >/dev/null
"$W" staff cathy cashier 1357 >/dev/null
now=$(date -u +%Y-%m-%dT12:00:00Z)
next=$(date -u -d '+1 day' +%Y-%m-%dT12:00:00Z)
tomorrow=$(date -u -d '+1 day' +%Y-%m-%d)

tui_start "PATRON_NOW=$now"
tui_login admin 2468 >/dev/null
tui_keys -l "c-1"
tui_wait "Wang Fang"
tui_keys Enter
tui_wait "History"
tui_keys t
tui_expect "New task for customer #1" "t opens a task form on the customer"
tui_keys -l "Call about the blue coat"
tui_keys Tab
tui_keys -l "today"
tui_keys Enter Enter
tui_expect "due $(date -u +%a) $(date -u +%Y-%m-%d)." "the due date is shown as a date before saving"
tui_keys Enter
tui_expect "Task 1 added." "added"
tui_expect "1 open: Call about the" "the customer shows the open task"
tui_keys f f f f
tui_expect "History: tasks" "the history filtered to tasks"
tui_expect "created: Call about the" "the task's creation is on the timeline"
tui_keys F10
tui_expect "EXIT=0" "quit"

# The next day: overdue; the login lands on the tasks, her own first
# (issue 15, item 10): an admin sees everyone's with f, not buried in them.
"$PATRON" task add --title "Wipe the counter" --assignee cathy >/dev/null
tui_start "PATRON_NOW=$next"
tui_login admin 2468 >/dev/null
tui_expect "1 overdue" "the title bar counts the overdue task"
tui_expect "My tasks" "an admin with tasks of her own lands on hers"
tui_has "Wipe the counter" && not_ok "another's task among hers" || ok "only hers"
tui_has "Overdue" && ok "grouped under Overdue" || not_ok "$(tui_screen | head -8)"
tui_keys f
tui_expect "Wipe the counter" "f shows everyone's"
tui_expect "All tasks" "titled so"
tui_keys f
tui_expect "My tasks" "f again: hers"
tui_keys Enter
tui_expect "Wang Fang" "Enter opens the task's customer"
tui_keys Escape
tui_wait "My tasks"
# Done says which; u undoes it; x on a done task reopens it.
tui_keys x
tui_expect "Done: #1 'Call about the blue coat'. u undoes it." "x marks it done, naming it"
tui_expect "Done today" "the done task stays in sight"
tui_has "overdue" && not_ok "still counted overdue" || ok "no overdue count any more"
tui_keys u
tui_expect "Reopened #1 'Call about the blue coat'." "u undoes it"
tui_expect "1 overdue" "overdue again"
tui_keys x
tui_expect "Done: #1" "done again"
tui_keys x
tui_expect "Reopened #1" "x on the done task reopens it"
tui_keys x
tui_expect "Done: #1" "and done"
# The assignee is checked as typed and picked from staff and roles.
tui_keys t
tui_expect "New task" "t adds a task here too"
tui_keys -l "Order more bags"
tui_keys Tab
tui_keys -l "fri"
tui_keys Tab
tui_keys -l "bob"
tui_expect "nobody by that name" "an unknown assignee is marked as typed"
tui_keys Enter
tui_wait "For: nobody by that name"
tui_has "Task for bob" && not_ok "bob reached the question" || ok "refused before the question"
tui_keys BSpace BSpace BSpace Down Down
tui_expect "cathy" "Down picks from the staff"
tui_keys Enter
tui_expect "Task for cathy, due" "a task for cathy asks with its date"
tui_keys Enter
tui_expect "Task 3 added." "added"
tui_keys F10
tui_expect "EXIT=0" "quit"

tui_start "PATRON_NOW=$next"
tui_login cathy 1357 >/dev/null
tui_keys F9
tui_expect "My tasks" "a cashier sees her tasks"
tui_expect "Order more bags" "the one given to her"
tui_keys a
tui_expect "may not manage other staff's tasks" "a cashier cannot assign"
tui_keys s
tui_expect "Snooze #3 'Order more bags'" "s asks until when, naming the task"
tui_keys Enter
tui_expect "Snoozed #3 'Order more bags' until $(date -u -d "$next +1 day" '+%a %Y-%m-%d')." \
	"snoozing says which task and until when"
tui_keys F10
tui_expect "EXIT=0" "quit"

# A rule's task names the customer in its title: the row gives the title
# the customer's column rather than say the name twice.
printf 'tasks:\n  rules:\n    - { name: thank-you call, on: purchase, min_total: "1000", assign: admin }\n' >>"$T/config.yaml"
"$PATRON" purchase add --customer 1 --total 1500 >/dev/null
"$PATRON" task generate >/dev/null
tui_start "PATRON_NOW=$next"
tui_login admin 2468 >/dev/null
tui_wait "My tasks" >/dev/null
tui_expect "Thank-you call: Wang Fang, bought 1500.00 on" \
	"the rule's task says who and why, in the customer's columns too"
tui_screen | grep "Thank-you call" | grep -q "Wang Fang.*Wang Fang" &&
	not_ok "the name twice" || ok "the name once"
tui_keys F10
tui_expect "EXIT=0" "quit"
check "cached balance and ledger agree" "$PATRON" check
done_testing
