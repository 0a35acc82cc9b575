/*
 * keyslot: the key derivation for each kind of credential (passphrase, key
 * file, recovery code) and wrapping the data key into a header slot.
 */
#ifndef PATRON_KEYSLOT_H
#define PATRON_KEYSLOT_H

#include <stddef.h>
#include <stdint.h>

#include "patron/cred.h"
#include "patron/header.h"
#include "patron/util.h"

#define RECOVERY_BYTES 20
/* 32 Crockford base32 characters in 8 groups of 4, hyphens between. */
#define RECOVERY_TEXT 39

/* Argon2id cost levels, as config security.kdf names them. */
enum keyslot_kdf_level {
	KDF_INTERACTIVE,
	KDF_MODERATE,
	KDF_SENSITIVE,
};

/* Parse "interactive", "moderate", "sensitive"; -1 if none of them. */
int keyslot_kdf_level(const char *name);
/*
 * Whether PATRON_TEST_KDF=1 asks for the test suite's cost: then every
 * Argon2id hash made (key slots at any level, PINs) costs libsodium's
 * minimum, so the tests' hundreds of unlocks and logins are cheap. A slot
 * or PIN hash records its cost, so what it made opens anywhere. Never for
 * real data; the set-group-ID mode drops the variable (priv_init).
 */
int keyslot_test_cost(void);
/* The Argon2id cost of a PIN hash: interactive, or the test cost. */
void keyslot_pin_cost(uint64_t *ops, size_t *mem);

/*
 * Fill slot s for credential c, wrapping data_key. Passphrases use Argon2id
 * at the given level; key files and recovery codes (recovery = 1 with a
 * passphrase-kind credential holding the code) use BLAKE2b over a salt.
 */
int keyslot_fill(struct slot *s, const struct cred *c, int recovery, int level,
	const uint8_t data_key[KEY_BYTES], const char *label, struct perr *e);

/*
 * Unwrap the data key with c, trying every slot of a matching type (a typed
 * secret is tried against passphrase slots and, if it reads as a recovery
 * code, recovery slots). On success returns the slot index; on failure -1
 * with e set to exit code 77.
 */
int keyslot_unlock(const struct header *h, const struct cred *c,
	uint8_t data_key[KEY_BYTES], struct perr *e);

/* A new random recovery code as text (RECOVERY_TEXT + 1 bytes). */
void keyslot_recovery_new(char *text);
/* Decode a typed recovery code, forgiving case, spaces and O/0 I/L/1. */
int keyslot_recovery_decode(const char *text, size_t len,
	uint8_t out[RECOVERY_BYTES]);

/* Create a key file with fresh random bytes, mode 0600, never replacing. */
int keyslot_keyfile_create(const char *path, struct perr *e);

#endif
