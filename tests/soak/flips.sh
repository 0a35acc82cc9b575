# Soak: SOAK_COUNT (default 10,000) damaged states of a database and its
# log, each checked and read: no damage may pass as data (silent loss) or
# crash. How states are made and judged: tests/soak/lib_flips.sh. The CI
# run of the same code is tests/cli/flips.sh. FLIPS_SEED=N repeats a run;
# FLIPS_EXAMPLES=DIR keeps one example of each silent or crashing kind.
. "$PATRON_TOP/tests/cli/lib.sh"
. "$PATRON_TOP/tests/soak/lib_flips.sh"
COUNT=${SOAK_COUNT:-10000}
SEED=${FLIPS_SEED:-$$}
echo "# seed $SEED, $COUNT states"
start=$(date +%s)
flips_run "$COUNT" "$SEED" || { echo "# no baseline"; exit 1; }
echo "# $FL_N states in $(($(date +%s) - start)) s"
[ $FL_U -eq 0 ] || echo "# $FL_U states refused with another exit status" \
	"or a message naming no place"
echo "soak flips: $FL_N states, $FL_D detected, $FL_H harmless," \
	"$FL_S silent, $FL_C crashes, $FL_R replays undetected (documented)"
[ $FL_S -eq 0 ] && [ $FL_C -eq 0 ]
