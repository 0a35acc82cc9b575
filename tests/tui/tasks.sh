# Tasks on the screens: add one from a customer (its due date shown as a
# date before saving), see it overdue the next day with the clock moved on
# (PATRON_NOW), land on the tasks view at login because of it, mark it
# done; a cashier sees their own tasks and cannot assign.
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

# The next day: overdue; the login lands on the tasks.
tui_start "PATRON_NOW=$next"
tui_login admin 2468 >/dev/null
tui_expect "1 overdue" "the title bar counts the overdue task"
tui_expect "All tasks" "staff with overdue tasks land on the tasks view"
tui_has "Overdue" && ok "grouped under Overdue" || not_ok "$(tui_screen | head -8)"
tui_keys Enter
tui_expect "Wang Fang" "Enter opens the task's customer"
tui_keys Escape
tui_wait "All tasks"
tui_keys x
tui_expect "Done: Call about the blue coat" "x marks it done"
tui_expect "Nothing to do" "nothing left"
tui_has "overdue" && not_ok "still counted overdue" || ok "no overdue count any more"
tui_keys t
tui_expect "New task" "t adds a task here too"
tui_keys -l "Order more bags"
tui_keys Tab
tui_keys -l "fri"
tui_keys Tab
tui_keys -l "cathy"
tui_keys Enter
tui_expect "Task for cathy, due" "a task for cathy asks with its date"
tui_keys Enter
tui_expect "Order more bags" "listed"
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
tui_expect "Snooze task" "s asks until when"
tui_keys Enter
tui_expect "snoozed" "snoozed until tomorrow"
tui_keys F10
tui_expect "EXIT=0" "quit"
check "cached balance and ledger agree" "$PATRON" check
done_testing
