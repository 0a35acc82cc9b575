# The screens in the set-group-ID deployment (patron(1), DEPLOYMENT), as a
# support agent reaches them over SSH: an unprivileged user (nobody, no
# other groups) runs Patron installed root:G 2755 in a terminal, logs in,
# finds a customer, records a note, locks the screen, logs in again and
# quits. What the session makes in the data directory is the group's
# (0660), never the user's nor readable by others. Skipped, like
# tests/cli/setgid.sh, without root, setpriv, tmux or set-group-ID.
. "$PATRON_TOP/tests/tui/lib.sh"
SG="$PATRON_BUILD/tests/patron-setgid"	# reads CONF below, see Makefile
CONF="$PATRON_BUILD/tests/setgid/config.yaml"
NOBODY=65534

skip_all() { echo "ok 1 # skip $*"; echo "1..1"; exit 0; }
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v setpriv >/dev/null || skip_all "needs setpriv (util-linux)"
command -v tmux >/dev/null || skip_all "needs tmux"
[ -x "$SG" ] || skip_all "no $SG (make test-build)"
case $(findmnt -n -o OPTIONS -T "$T" 2>/dev/null) in
*nosuid*) skip_all "$T is on a nosuid filesystem" ;;
esac
G=64100
while getent group $G >/dev/null 2>&1; do G=$((G + 1)); done

# Installed as in tests/cli/setgid.sh: root:G 2755, the data directory
# root:G 2770, a home of the user's own.
chmod 755 "$T"
mkdir -p "$T/bin" "$T/data" "$T/home" "$(dirname "$CONF")"
cp "$SG" "$T/bin/patron"
chgrp $G "$T/bin/patron" "$T/data"
chmod 2755 "$T/bin/patron"
chmod 2770 "$T/data"
chown $NOBODY:$NOBODY "$T/home"
chmod 700 "$T/home"
chmod 755 "$(dirname "$CONF")"
printf 'security:\n  kdf: interactive\n  data_dir: %s\n' "$T/data" >"$CONF"
chmod 644 "$CONF"
P="$T/bin/patron"
export PATRON_DB="$T/data/patron.db"	# inside, so not refused
as_user() {
	(cd "$T/home" && HOME="$T/home" setpriv --reuid=$NOBODY \
		--regid=$NOBODY --clear-groups "$@")
}
as_user "$P" --config /nonexistent config check >/dev/null 2>&1
[ $? -eq 77 ] || skip_all "set-group-ID has no effect here"

PATRON_PIN=2468 expect_status 0 "init in shared mode" "$P" init --no-recovery-code
PATRON_NEW_PIN=1357 expect_status 0 "a cashier" "$P" staff add cathy --role cashier
expect_status 0 "a customer" "$P" customer add --name "Li Wei" --phone 13800138000 --card C-7
# The lock file and the WAL index root's commands left go, so that the
# screens make their own (the WAL went when the last command closed).
rm -f "/dev/shm$(head -c 47 "$T/data/patron.db-plock")" "$T/data/patron.db-plock"

# The pane runs Patron as nobody; the tmux server is root's.
cd "$T/home"
PATRON="$P" tui_start HOME="$T/home" \
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

# During the session: the WAL, the lock file and the WAL index, made by
# the user, are the group's, 0660; nothing has the user's group or gives
# others access.
for f in patron.db-pwal patron.db-plock; do
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

tui_keys C-x
tui_expect "Locked by cathy" "Ctrl-X locks the screen"
tui_login cathy 1357 >/dev/null
tui_expect "called about the order" "logs in again, back on the customer"
tui_keys F10
tui_expect "EXIT=0" "F10 quits"

check "after the session too" test -z "$(strays)"
strays
new=$(ls -A "$T/data" | grep -v '^patron\.\(db\|db-pwal\|db-plock\|key\)$')
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
