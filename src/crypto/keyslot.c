/*
 * keyslot: deriving key-encryption keys from credentials and wrapping the
 * data key with XChaCha20-Poly1305. The slot's parameters (type, KDF, cost,
 * salt) are the additional data, so they cannot be altered unnoticed.
 */
#include "patron/keyslot.h"
#include "patron/priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

static const char keyslot_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int
keyslot_kdf_level(const char *name)
{
	if (strcmp(name, "interactive") == 0)
		return KDF_INTERACTIVE;
	if (strcmp(name, "moderate") == 0)
		return KDF_MODERATE;
	if (strcmp(name, "sensitive") == 0)
		return KDF_SENSITIVE;
	return -1;
}

int
keyslot_test_cost(void)
{
	const char *v = getenv("PATRON_TEST_KDF");

	return v != NULL && strcmp(v, "1") == 0;
}

void
keyslot_pin_cost(uint64_t *ops, size_t *mem)
{
	if (keyslot_test_cost()) {
		*ops = crypto_pwhash_OPSLIMIT_MIN;
		*mem = crypto_pwhash_MEMLIMIT_MIN;
		return;
	}
	*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

static void
keyslot_cost(int level, uint64_t *ops, uint64_t *mem)
{
	if (keyslot_test_cost()) {
		*ops = crypto_pwhash_OPSLIMIT_MIN;
		*mem = crypto_pwhash_MEMLIMIT_MIN;
		return;
	}
	switch (level) {
	case KDF_INTERACTIVE:
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		break;
	case KDF_SENSITIVE:
		*ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
		*mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
		break;
	default:
		*ops = crypto_pwhash_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_MEMLIMIT_MODERATE;
		break;
	}
}

/* The slot's public fields, bound to the wrapped key as additional data. */
static size_t
keyslot_ad(const struct slot *s, uint8_t *ad)
{
	size_t n = 0;

	memcpy(ad, "PTRNSLOT", 8);
	n = 8;
	ad[n++] = s->type;
	ad[n++] = s->kdf;
	for (int i = 0; i < 8; i++)
		ad[n++] = (uint8_t)(s->opslimit >> (8 * i));
	for (int i = 0; i < 8; i++)
		ad[n++] = (uint8_t)(s->memlimit >> (8 * i));
	memcpy(ad + n, s->salt, SLOT_SALT);
	return n + SLOT_SALT;
}

/* Derive the key-encryption key for slot s from secret bytes. */
static int
keyslot_kek(const struct slot *s, const uint8_t *secret, size_t len,
	uint8_t kek[KEY_BYTES])
{
	crypto_generichash_state st;
	static const char tag_file[] = "patron key file v1";
	static const char tag_recovery[] = "patron recovery code v1";

	if (s->kdf == SLOT_KDF_ARGON2ID)
		return crypto_pwhash(kek, KEY_BYTES, (const char *)secret, len,
			       s->salt, s->opslimit, (size_t)s->memlimit,
			       crypto_pwhash_ALG_ARGON2ID13) == 0
			? 0
			: -1;
	if (len == 0 || len > crypto_generichash_KEYBYTES_MAX)
		return -1;
	crypto_generichash_init(&st, secret, len, KEY_BYTES);
	if (s->type == SLOT_KEYFILE)
		crypto_generichash_update(&st, (const uint8_t *)tag_file,
			sizeof tag_file);
	else
		crypto_generichash_update(&st, (const uint8_t *)tag_recovery,
			sizeof tag_recovery);
	crypto_generichash_update(&st, s->salt, SLOT_SALT);
	crypto_generichash_final(&st, kek, KEY_BYTES);
	return 0;
}

int
keyslot_fill(struct slot *s, const struct cred *c, int recovery, int level,
	const uint8_t data_key[KEY_BYTES], const char *label, struct perr *e)
{
	uint8_t kek[KEY_BYTES], ad[64], code[RECOVERY_BYTES];
	const uint8_t *secret = c->secret;
	size_t len = c->len, adlen;
	unsigned long long wlen;

	memset(s, 0, sizeof *s);
	if (c->kind == CRED_KEYFILE) {
		s->type = SLOT_KEYFILE;
		s->kdf = SLOT_KDF_NONE;
	} else if (recovery) {
		if (keyslot_recovery_decode((const char *)c->secret, c->len,
			    code) < 0)
			return perr_set(e, PX_DATAERR,
				"not a valid recovery code");
		s->type = SLOT_RECOVERY;
		s->kdf = SLOT_KDF_NONE;
		secret = code;
		len = sizeof code;
	} else {
		s->type = SLOT_PASSPHRASE;
		s->kdf = SLOT_KDF_ARGON2ID;
		keyslot_cost(level, &s->opslimit, &s->memlimit);
	}
	s->created = util_now_ms();
	randombytes_buf(s->salt, sizeof s->salt);
	randombytes_buf(s->nonce, sizeof s->nonce);
	snprintf(s->label, sizeof s->label, "%s",
		label ? label : header_slot_type_name(s->type));
	if (keyslot_kek(s, secret, len, kek) < 0) {
		sodium_memzero(code, sizeof code);
		return perr_set(e, PX_FAIL,
			"key derivation failed (out of memory?)");
	}
	adlen = keyslot_ad(s, ad);
	crypto_aead_xchacha20poly1305_ietf_encrypt(s->wrapped, &wlen, data_key,
		KEY_BYTES, ad, adlen, NULL, s->nonce, kek);
	sodium_memzero(kek, sizeof kek);
	sodium_memzero(code, sizeof code);
	return 0;
}

static int
keyslot_try(const struct slot *s, const uint8_t *secret, size_t len,
	uint8_t data_key[KEY_BYTES])
{
	uint8_t kek[KEY_BYTES], ad[64];
	size_t adlen = keyslot_ad(s, ad);
	int rc;

	if (keyslot_kek(s, secret, len, kek) < 0)
		return -1;
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(data_key, NULL, NULL,
		s->wrapped, SLOT_WRAPPED, ad, adlen, s->nonce, kek);
	sodium_memzero(kek, sizeof kek);
	return rc == 0 ? 0 : -1;
}

int
keyslot_unlock(const struct header *h, const struct cred *c,
	uint8_t data_key[KEY_BYTES], struct perr *e)
{
	uint8_t code[RECOVERY_BYTES];
	int is_code = 0;

	if (c->kind == CRED_PASSPHRASE)
		is_code = keyslot_recovery_decode((const char *)c->secret,
				  c->len, code) == 0;
	for (int i = 0; i < HEADER_SLOTS; i++) {
		const struct slot *s = &h->slots[i];
		int ok = -1;

		if (c->kind == CRED_KEYFILE && s->type == SLOT_KEYFILE)
			ok = keyslot_try(s, c->secret, c->len, data_key);
		else if (c->kind == CRED_PASSPHRASE &&
			s->type == SLOT_PASSPHRASE)
			ok = keyslot_try(s, c->secret, c->len, data_key);
		else if (is_code && s->type == SLOT_RECOVERY)
			ok = keyslot_try(s, code, sizeof code, data_key);
		if (ok == 0) {
			sodium_memzero(code, sizeof code);
			return i;
		}
	}
	sodium_memzero(code, sizeof code);
	sodium_memzero(data_key, KEY_BYTES);
	return perr_set(e, PX_NOPERM, "%s",
		c->kind == CRED_KEYFILE
			? "wrong key file: it opens no key slot of this database"
			: "wrong passphrase: it opens no key slot of this database");
}

void
keyslot_recovery_new(char *text)
{
	uint8_t raw[RECOVERY_BYTES];
	size_t o = 0;
	int bits = 0;
	uint32_t acc = 0;
	int nchars = 0;

	randombytes_buf(raw, sizeof raw);
	for (size_t i = 0; i < sizeof raw; i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			if (nchars > 0 && nchars % 4 == 0)
				text[o++] = '-';
			text[o++] = keyslot_alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
			nchars++;
		}
	}
	text[o] = '\0';
	sodium_memzero(raw, sizeof raw);
}

static int
keyslot_b32_value(int ch)
{
	if (ch >= 'a' && ch <= 'z')
		ch -= 'a' - 'A';
	if (ch == 'O')
		ch = '0';
	if (ch == 'I' || ch == 'L')
		ch = '1';
	for (int i = 0; i < 32; i++)
		if (keyslot_alphabet[i] == ch)
			return i;
	return -1;
}

int
keyslot_recovery_decode(const char *text, size_t len,
	uint8_t out[RECOVERY_BYTES])
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0, nchars = 0;

	for (size_t i = 0; i < len; i++) {
		int v;

		if (text[i] == '-' || text[i] == ' ')
			continue;
		v = keyslot_b32_value((unsigned char)text[i]);
		if (v < 0 || nchars >= 32)
			return -1;
		nchars++;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			out[o++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return nchars == 32 && o == RECOVERY_BYTES ? 0 : -1;
}

int
keyslot_keyfile_create(const char *path, struct perr *e)
{
	uint8_t buf[KEYFILE_BYTES];
	int fd;

	/* Set-group-ID, the group reads it (0640); otherwise 0600. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    priv_mode(0600, 0040));
	if (fd < 0)
		return perr_set(e, PX_CANTCREAT, "%s: cannot create key file: %s",
			path, strerror(errno));
	randombytes_buf(buf, sizeof buf);
	if (util_pwrite_all(fd, buf, sizeof buf, 0) < 0 || fsync(fd) < 0) {
		sodium_memzero(buf, sizeof buf);
		close(fd);
		unlink(path);
		return perr_set(e, PX_IOERR, "%s: cannot write key file: %s",
			path, strerror(errno));
	}
	sodium_memzero(buf, sizeof buf);
	close(fd);
	return 0;
}
