# Damage anywhere in the files is detected or harmless, never silent: a
# few hundred states (tests/soak/lib_flips.sh: flipped bytes in both header
# copies, pages, nonces, tags, the log header, committed, last and stale
# frames; swapped pages and frames; truncation and extension of the file
# and the log), each checked and read. `make soak` runs 10,000.
. "$PATRON_TOP/tests/cli/lib.sh"
. "$PATRON_TOP/tests/soak/lib_flips.sh"
COUNT=${FLIPS_COUNT:-200}
SEED=${FLIPS_SEED:-$$}
echo "# seed $SEED, $COUNT states"
if flips_run "$COUNT" "$SEED"; then
	ok "a baseline with commits in the file and in a wrapped log"
else
	not_ok "a baseline with commits in the file and in a wrapped log"
fi
echo "# $FL_N states: $FL_D detected, $FL_H harmless, $FL_R replays" \
	"undetected (documented), $FL_U other errors"
[ $FL_N -eq "$COUNT" ] && ok "$COUNT damaged states tried" ||
	not_ok "only $FL_N of $COUNT states tried"
[ $FL_S -eq 0 ] && ok "no silent loss" || not_ok "$FL_S silent losses"
[ $FL_C -eq 0 ] && ok "no crash" || not_ok "$FL_C crashes"
[ $FL_D -gt 0 ] && ok "damage detected ($FL_D states)" ||
	not_ok "no damage was detected at all"
[ $FL_H -gt 0 ] && ok "harmless damage passes ($FL_H states)" ||
	not_ok "no state passed: is the read broken?"
done_testing
