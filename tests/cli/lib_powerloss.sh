# Shared by tests/cli/powerloss.sh and tests/soak/powerloss.sh: record a
# writer's writes and syncs with powerlog.so, then rebuild crash states from
# the log with crashstates and verify each (tests/cli/lib_powercheck.sh).
# Sourced after tests/cli/lib.sh.
CS="$PATRON_BUILD/tests/helpers/crashstates"
PW="$PATRON_BUILD/tests/helpers/plwriter"
PL_SO="$PATRON_BUILD/tests/preload/powerlog.so"
PL_CHECK="$PATRON_TOP/tests/cli/lib_powercheck.sh"

# record DIR LOG COMMAND...: run COMMAND with its writes, syncs, renames and
# unlinks in DIR logged to LOG, and its standard output as commit markers.
# A sanitized build's runtime would insist on being loaded first.
record() {
	rec_dir=$1
	rec_log=$2
	shift 2
	LD_PRELOAD="$PL_SO" POWERLOG_DIR="$rec_dir" POWERLOG_OUT="$rec_log" \
		POWERLOG_MARK_FD=1 \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		"$@"
}

# patron_db DIR: a new Patron database DIR/patron.db with key file DIR/k and
# the table the writer fills; PATRON_DB and PATRON_KEY_FILE point there.
patron_db() {
	mkdir -p "$1"
	export PATRON_DB="$1/patron.db" PATRON_KEY_FILE="$1/k"
	unset PATRON_PASSPHRASE || true
	"$PATRON" init --no-recovery-code >/dev/null &&
		"$PATRON" sql --write \
			"CREATE TABLE w (n INTEGER PRIMARY KEY, pad TEXT)" >/dev/null
}

# states KIND CHECK [crashstates run options...] -- LOG SNAP: run the
# states, keep the line of figures in $T/KIND.fig and set the counts:
# st_states st_open st_check st_lost st_damaged st_errors
states() {
	st_kind=$1
	st_how=$2
	shift 2
	mkdir -p "$T/work.$st_kind"
	"$CS" run -k "$st_kind" -e "$PL_EXAMPLES" "$@" "$T/work.$st_kind" \
		sh "$PL_CHECK" "$st_how" >"$T/$st_kind.fig" 2>"$T/$st_kind.err"
	st_rc=$?
	sed 's/^/# /' "$T/$st_kind.fig"
	[ $st_rc -le 1 ] && [ -s "$T/$st_kind.fig" ] ||
		sed 's/^/# /' "$T/$st_kind.err" | head -5
	set -- $(sed 's/[^0-9 ]//g' "$T/$st_kind.fig")
	st_states=${1:-0} st_open=${2:-0} st_check=${3:-0} st_lost=${4:-0}
	st_damaged=${5:-0} st_errors=${6:-1}
	[ $st_rc -le 1 ] || st_errors=$((st_errors + 1))
}

# clean DESCRIPTION: the last states opened, checked and lost nothing.
clean() {
	if [ "$st_states" -gt 0 ] && [ "$st_errors" -eq 0 ] &&
		[ $((st_open + st_check + st_lost + st_damaged)) -eq 0 ]; then
		ok "$1: $st_states states, each opens, checks and has every commit"
	else
		not_ok "$1: of $st_states states $st_open would not open," \
			"$st_check failed the first check, $st_lost lost" \
			"commits, $st_damaged stayed damaged ($st_errors errors)"
	fi
}
