# Shared by tests/cli/setgid.sh and tests/tui/setgid.sh, after lib.sh:
# Patron installed as patron(1) DEPLOYMENT says, in $T. The test binary
# (tests/patron-setgid, see the Makefile) reads $CONF, not /etc.
SG="$PATRON_BUILD/tests/patron-setgid"
CONF="$PATRON_BUILD/tests/setgid/config.yaml"
NOBODY=65534

skip_all() { echo "ok 1 # skip $*"; echo "1..1"; exit 0; }

# as_user COMMAND...: as nobody (uid and gid 65534, no other groups).
as_user() {
	(cd "$T/home" && HOME="$T/home" setpriv --reuid=$NOBODY \
		--regid=$NOBODY --clear-groups "$@")
}

# setgid_install [SECURITY_LINES]: $P is Patron root:$G 2755, $T/data the
# data directory root:$G 2770, $T/home nobody's; the configuration's
# security section gets SECURITY_LINES too. Skips every test where
# set-group-ID cannot work (not root, no setpriv, nosuid, no effect).
setgid_install() {
	[ "$(id -u)" = 0 ] || skip_all "needs root"
	command -v setpriv >/dev/null || skip_all "needs setpriv (util-linux)"
	[ -x "$SG" ] || skip_all "no $SG (make test-build)"
	case $(findmnt -n -o OPTIONS -T "$T" 2>/dev/null) in
	*nosuid*) skip_all "$T is on a nosuid filesystem" ;;
	esac
	# A group no one has: a number is enough.
	G=64100
	while getent group $G >/dev/null 2>&1; do G=$((G + 1)); done
	chmod 755 "$T"
	mkdir -p "$T/bin" "$T/data" "$T/home" "$(dirname "$CONF")"
	cp "$SG" "$T/bin/patron"
	chgrp $G "$T/bin/patron" "$T/data"
	chmod 2755 "$T/bin/patron"
	chmod 2770 "$T/data"
	chown $NOBODY:$NOBODY "$T/home"
	chmod 700 "$T/home"
	chmod 755 "$(dirname "$CONF")"
	printf 'security:\n  kdf: interactive\n  data_dir: %s\n%b' "$T/data" \
		"${1:-}" >"$CONF"
	chmod 644 "$CONF"
	P="$T/bin/patron"
	# Set-group-ID must work here (not nosuid, no no_new_privs): in
	# shared mode --config is refused.
	as_user "$P" --config /nonexistent config check >/dev/null 2>&1
	[ $? -eq 77 ] || skip_all "set-group-ID has no effect here"
	as_user test -r "$CONF" || skip_all "nobody cannot reach $CONF"
}
