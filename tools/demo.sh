#!/bin/sh
# make demo: create (once) a demo database in ./demo with 2,000 synthetic
# customers and their purchase history, print how to log in, and start
# Patron's screens on it.
set -e
PATRON_BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DEMO_DATA=$(dirname "$PATRON_BIN")/tools/demo-data
TOP=$(cd "$(dirname "$0")/.." && pwd)
DIR="${PATRON_DEMO_DIR:-$TOP/demo}"
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
  country: CN
security:
  kdf: interactive
tasks:
  rules:
    - { name: thank-you call, on: purchase, min_total: "300", due_in_days: 2, assign: manager }
    - { name: birthday greeting, on: birthday, days_before: 7, assign: admin }
    - { name: win-back, on: lapsed, days: 150, min_lifetime_spend: "4500" }
YAML
fi
export PATRON_DB="$DIR/patron.db" PATRON_CONFIG="$DIR/config.yaml"
export PATRON_PASSPHRASE="$PASS"
if [ ! -f "$PATRON_DB" ]; then
	PATRON_PIN=$PIN "$PATRON_BIN" init --admin admin --no-recovery-code
	"$DEMO_DATA" "$PATRON_DB" 2000
	PATRON_USER=admin PATRON_PIN=$PIN "$PATRON_BIN" task generate
fi
cat <<TEXT

  Demo database: $PATRON_DB  (2,000 synthetic customers with history)
  Passphrase:    $PASS  (taken from the environment here)
  Log in as:     admin, PIN $PIN

  In the lookup, type a name (anna, 王, 芳), the last digits of a phone
  or a card number; Enter opens a customer, F5 adds one. In a customer:
  p records a purchase, r redeems points, n adds a note, t adds a task,
  f filters the history, e edits. F9 shows the tasks the rules made.
  F1 shows every key, Esc goes back, F10 quits.

  The command line works on the same database, e.g.:
    PATRON_DB=$PATRON_DB PATRON_PASSPHRASE='$PASS' \\
    PATRON_USER=admin PATRON_PIN=$PIN $PATRON_BIN customer search anna

TEXT
if [ -t 0 ] && [ -t 1 ]; then
	printf '  Press Enter to start Patron. '
	read -r _
	exec "$PATRON_BIN"
fi
