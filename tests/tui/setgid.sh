# The screens in the set-group-ID deployment (patron(1), DEPLOYMENT), as a
# support agent reaches them over SSH: an unprivileged user (nobody, no
# other groups) runs Patron installed root:G 2755 in a terminal, logs in,
# finds a customer, records a note, locks the screen, logs in again and
# quits. What the session makes in the data directory is the group's
# (0660), never the user's nor readable by others. Skipped, like
# tests/cli/setgid.sh, without root, setpriv, tmux or set-group-ID.
. "$PATRON_TOP/tests/tui/lib.sh"
. "$PATRON_TOP/tests/cli/lib_setgid.sh"
command -v tmux >/dev/null || skip_all "needs tmux"
setgid_install '  idle_lock_minutes: 1\n'
export PATRON_DB="$T/data/patron.db"	# inside, so not refused

PATRON_PIN=2468 expect_status 0 "init in shared mode" "$P" init --no-recovery-code
PATRON_NEW_PIN=1357 expect_status 0 "a cashier" "$P" staff add cathy --role cashier
expect_status 0 "a customer" "$P" customer add --name "Li Wei" --phone 13800138000 --card C-7
# The lock file, the WAL index and the WAL's marks root's commands left
# go, so that the screens make their own (the WAL went when the last
# command closed, so the marks say nothing is needed).
rm -f "/dev/shm$(head -c 47 "$T/data/patron.db-plock")" \
	"$T/data/patron.db-plock" "$T/data/patron.db-pmark"

# The pane runs Patron as nobody; the tmux server is root's.
cd "$T/home"
PATRON="$P" tui_start HOME="$T/home" PATRON_TEST_IDLE_MINUTE=1 \
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups
tui_login cathy 1357 >/dev/null
tui_expect "cathy (cashier)" "nobody logs in as cathy on the screens"
tui_keys -l "li wei"
tui_expect "Li Wei" "finds the customer"
tui_keys Enter
tui_expect "History: all" "opens the customer"
tui_keys n
tui_expect "Add to the history" "opens the note form"
tui_keys Tab
tui_keys -l "called about the order"
tui_keys Enter
tui_expect "Note recorded." "records a note"

# During the session: the WAL, its marks, the lock file and the WAL index,
# made by the user, are the group's, 0660; nothing has the user's group or gives
# others access.
for f in patron.db-pwal patron.db-pmark patron.db-plock; do
	check "$f is made with the group, 0660" \
		test "$(stat -c '%a %u %g' "$T/data/$f" 2>&1)" = "660 $NOBODY $G"
done
shm=/dev/shm$(head -c 47 "$T/data/patron.db-plock" 2>/dev/null)
[ -f "$shm" ] || shm=	# not all of /dev/shm
check "the WAL index in memory too" \
	test "$(stat -c '%a %u %g' "$shm" 2>&1)" = "660 $NOBODY $G"
strays() {
	find "$T/data" $shm \( ! -group $G -o -perm /0007 \) \
		-printf '# %p %u:%g %m\n' 2>/dev/null
}
check "nothing in the user's group or open to others" test -z "$(strays)"
strays

# The test aid PATRON_TEST_IDLE_MINUTE=1 (a minute of one second) is
# ignored: four seconds without a key do not lock the screen.
t0=$(date +%s)
wait_until sh -c "[ \$(date +%s) -ge $((t0 + 4)) ]"
tui_has "without input" && not_ok "the idle lock took a minute of 1 s" ||
	ok "PATRON_TEST_IDLE_MINUTE is ignored"

tui_keys C-x
tui_expect "Locked by cathy" "Ctrl-X locks the screen"
tui_login cathy 1357 >/dev/null
tui_expect "called about the order" "logs in again, back on the customer"
tui_keys F10
tui_expect "EXIT=0" "F10 quits"

check "after the session too" test -z "$(strays)"
strays
new=$(ls -A "$T/data" | grep -v '^patron\.\(db\|db-pwal\|db-pmark\|db-plock\|key\)$')
check "no other file in the data directory${new:+ ($new)}" test -z "$new"
check "nothing written in the user's home" test -z "$(ls -A "$T/home")"
expect_status 0 "the note through the command line" "$P" sql \
	"SELECT s.name || ': ' || i.text FROM interaction i JOIN staff s ON s.id = i.staff_id"
grep -q "cathy: called about the order" "$T/out" && ok "is cathy's, in the database" ||
	not_ok "$(head -5 "$T/out")"

# Started from root's shell, HOME is root's (0700): the user's themes
# are out of reach, which is no reason to refuse the screens.
mkdir -m 700 "$T/roothome"
PATRON="$P" tui_start HOME="$T/roothome" \
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups
tui_expect "Staff login" "a HOME out of the user's reach: the screens start"
tui_keys F10
tui_expect "EXIT=0" "and quit"
done_testing
