#!/bin/sh
# make demo: create (once) a demo database in ./demo and start Patron on it.
# Until the screens exist, "Patron" is its command line: a shell with the
# demo database, passphrase and admin login in its environment.
set -e
PATRON_BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TOP=$(cd "$(dirname "$0")/.." && pwd)
DIR="$TOP/demo"
PASS="patron demo passphrase"
PIN=1234

mkdir -p "$DIR"
chmod 700 "$DIR"
if [ ! -f "$DIR/config.yaml" ]; then
	cat >"$DIR/config.yaml" <<YAML
# Demo settings: a cheaper key derivation so the demo opens quickly.
store:
  name: Patron Demo
  branch: DEMO-01
security:
  kdf: interactive
YAML
fi
export PATRON_DB="$DIR/patron.db" PATRON_CONFIG="$DIR/config.yaml"
export PATRON_PASSPHRASE="$PASS" PATRON_USER=admin PATRON_PIN=$PIN
if [ ! -f "$PATRON_DB" ]; then
	"$PATRON_BIN" init --admin admin --no-recovery-code
fi
cat <<TEXT

  Demo database: $PATRON_DB
  Passphrase:    $PASS
  Admin:         admin, PIN $PIN

  Try:  patron key list
        patron check
        patron backup /tmp/demo-backup.db
        patron sql "SELECT name, role, created_at FROM staff"

TEXT
"$PATRON_BIN" key list
if [ -t 0 ] && [ -t 1 ]; then
	echo
	echo "  A shell with the demo in its environment; 'exit' leaves it."
	PATH="$(dirname "$PATRON_BIN"):$PATH" PS1='(patron demo) $ ' \
		exec "${SHELL:-/bin/sh}" -i
fi
