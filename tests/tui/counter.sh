# The counter as patron(1) sets it up (DEPLOYMENT, "A shop's counter":
# cashiers type only their PIN): Patron installed set-group-ID, the
# database and its key file the group's. A cashier's login (nobody here)
# starts the screens with no passphrase, staff name or PIN in its
# environment: the first thing asked is the staff login, never the
# database passphrase, and so again after the screens are started anew.
# Skipped, like tests/cli/setgid.sh, without root, setpriv, tmux or
# set-group-ID.
. "$PATRON_TOP/tests/tui/lib.sh"
. "$PATRON_TOP/tests/cli/lib_setgid.sh"
command -v tmux >/dev/null || skip_all "needs tmux"
setgid_install
export PATRON_DB="$T/data/patron.db"	# inside, so not refused

PATRON_PIN=2468 expect_status 0 "init, as root, makes the key file" "$P" init --no-recovery-code
check "the key file is the group's" test "$(stat -c '%a %g' "$T/data/patron.key")" = "640 $G"
PATRON_NEW_PIN=1357 expect_status 0 "a cashier" "$P" staff add cathy --role cashier
rm -f "/dev/shm$(head -c 47 "$T/data/patron.db-plock")" \
	"$T/data/patron.db-plock" "$T/data/patron.db-pmark"

# The till's login: nothing secret in its environment.
cd "$T/home"
till() {
	PATRON="$P" tui_start HOME="$T/home" \
		setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		env -u PATRON_PASSPHRASE -u PATRON_USER -u PATRON_PIN -u PATRON_KEY_FILE
}
for start in first again; do
	till
	tui_expect "Staff login" "started $start: the staff login comes first"
	tui_has "Passphrase" && not_ok "... and the passphrase is asked" ||
		ok "... no passphrase asked"
	tui_login cathy 1357 >/dev/null
	tui_expect "cathy (cashier)" "the cashier is in with the PIN alone"
done
done_testing
