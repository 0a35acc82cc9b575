# The test suite's key derivation cost (patron(1), ENVIRONMENT):
# PATRON_TEST_KDF=1, set by lib.sh, gives new passphrase slots and PIN
# hashes libsodium's minimum Argon2id cost; without it they cost what
# security.kdf says (PINs: interactive), and what the test cost made still
# opens. The set-group-ID mode ignores the variable: tests/cli/setgid.sh.
. "$PATRON_TOP/tests/cli/lib.sh"

"$PATRON" init --no-recovery-code >/dev/null 2>&1
expect_status 0 "key list --json" "$PATRON" key list --json
check "under PATRON_TEST_KDF=1 the passphrase slot costs the minimum" \
	grep -q '"memlimit":8192,"opslimit":1' "$T/out"
expect_status 0 "the admin's PIN hash" "$PATRON" sql \
	"SELECT pin_hash FROM staff WHERE name = 'admin'"
check "... costs the minimum too" grep -q 'm=8,t=1,' "$T/out"

# Without the variable: the configured cost (interactive, in lib.sh).
export PATRON_NEW_PASSPHRASE="second passphrase"
expect_status 0 "the cheap slot opens without PATRON_TEST_KDF" \
	env -u PATRON_TEST_KDF "$PATRON" key add passphrase --label real
expect_status 0 "key list --json" "$PATRON" key list --json
check "a slot made without it costs security.kdf's interactive" \
	grep -q '"label":"real","created":"[^"]*","kdf":"argon2id","memlimit":67108864,"opslimit":2' "$T/out"
PATRON_NEW_PIN=1357 expect_status 0 "staff add without PATRON_TEST_KDF" \
	env -u PATRON_TEST_KDF "$PATRON" staff add cathy --role cashier
expect_status 0 "cathy's PIN hash" "$PATRON" sql \
	"SELECT pin_hash FROM staff WHERE name = 'cathy'"
check "... costs interactive" grep -q 'm=65536,t=2,' "$T/out"
# Only "1" asks for it.
PATRON_TEST_KDF=yes expect_status 0 "PATRON_TEST_KDF=yes" \
	"$PATRON" key add passphrase --label yes
expect_status 0 "key list --json" "$PATRON" key list --json
check "is not PATRON_TEST_KDF=1: the configured cost" \
	grep -q '"label":"yes","created":"[^"]*","kdf":"argon2id","memlimit":67108864' "$T/out"
done_testing
