/*
 * keyctx: the data key in locked, guarded memory and the AEAD that seals
 * pages. Subkeys are derived with crypto_kdf so that the page cipher, the
 * journal stream and the audit MAC never share a key.
 */
#include "patron/keyctx.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

struct keyctx {
	uint8_t data_key[KEY_BYTES];
	uint8_t page_key[KEY_BYTES];
	uint8_t stream_key[KEY_BYTES];
	uint8_t mac_key[KEY_BYTES];
	int refs;
};

static const char keyctx_kdf_context[crypto_kdf_CONTEXTBYTES] = "patronk1";

/*
 * Nonces come from the system's CSPRNG in batches: one getrandom(2) per
 * 170 pages instead of one per page. A forked child refills first, so
 * parent and child never hand out the same bytes.
 */
static uint8_t keyctx_pool[4096];
static size_t keyctx_pool_used = sizeof keyctx_pool;
static pid_t keyctx_pool_pid;
static pthread_mutex_t keyctx_pool_lock = PTHREAD_MUTEX_INITIALIZER;

static void
keyctx_nonce(uint8_t out[PAGE_NONCE])
{
	pthread_mutex_lock(&keyctx_pool_lock);
	if (keyctx_pool_used + PAGE_NONCE > sizeof keyctx_pool ||
		keyctx_pool_pid != getpid()) {
		randombytes_buf(keyctx_pool, sizeof keyctx_pool);
		keyctx_pool_used = 0;
		keyctx_pool_pid = getpid();
	}
	memcpy(out, keyctx_pool + keyctx_pool_used, PAGE_NONCE);
	/* Used bytes are wiped: a later memory dump cannot predict them. */
	sodium_memzero(keyctx_pool + keyctx_pool_used, PAGE_NONCE);
	keyctx_pool_used += PAGE_NONCE;
	pthread_mutex_unlock(&keyctx_pool_lock);
}

struct keyctx *
keyctx_new(const uint8_t data_key[KEY_BYTES])
{
	struct keyctx *k;

	if (sodium_init() < 0)
		return NULL;
	k = sodium_malloc(sizeof *k);
	if (k == NULL)
		return NULL;
	memcpy(k->data_key, data_key, KEY_BYTES);
	crypto_kdf_derive_from_key(k->page_key, KEY_BYTES, 1,
		keyctx_kdf_context, k->data_key);
	crypto_kdf_derive_from_key(k->stream_key, KEY_BYTES, 2,
		keyctx_kdf_context, k->data_key);
	crypto_kdf_derive_from_key(k->mac_key, KEY_BYTES, 3,
		keyctx_kdf_context, k->data_key);
	k->refs = 1;
	return k;
}

struct keyctx *
keyctx_generate(void)
{
	uint8_t dk[KEY_BYTES];
	struct keyctx *k;

	if (sodium_init() < 0)
		return NULL;
	randombytes_buf(dk, sizeof dk);
	k = keyctx_new(dk);
	sodium_memzero(dk, sizeof dk);
	return k;
}

struct keyctx *
keyctx_ref(struct keyctx *k)
{
	k->refs++;
	return k;
}

void
keyctx_free(struct keyctx *k)
{
	if (k == NULL || --k->refs > 0)
		return;
	/* sodium_free wipes the region before unmapping it. */
	sodium_free(k);
}

const uint8_t *
keyctx_data_key(const struct keyctx *k)
{
	return k->data_key;
}

/* Additional data: "PTRN", domain, db id, position, optional 24-byte salt. */
static size_t
keyctx_ad(uint8_t *ad, const uint8_t dbid[DBID_BYTES], int domain,
	uint64_t pos, const uint8_t *salt)
{
	size_t n = 0;

	memcpy(ad, "PTRN", 4);
	n = 4;
	ad[n++] = (uint8_t)domain;
	memcpy(ad + n, dbid, DBID_BYTES);
	n += DBID_BYTES;
	for (int i = 0; i < 8; i++)
		ad[n++] = (uint8_t)(pos >> (8 * i));
	if (salt != NULL) {
		memcpy(ad + n, salt, 24);
		n += 24;
	}
	return n;
}

void
keyctx_seal_page(const struct keyctx *k, const uint8_t dbid[DBID_BYTES],
	int domain, uint64_t pos, const uint8_t *salt, const uint8_t *in,
	uint8_t *out)
{
	uint8_t ad[64];
	size_t adlen = keyctx_ad(ad, dbid, domain, pos, salt);
	uint8_t *nonce = out + PAGE_PAYLOAD;
	uint8_t *tag = nonce + PAGE_NONCE;

	keyctx_nonce(nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out, tag, NULL,
		in, PAGE_PAYLOAD, ad, adlen, NULL, nonce, k->page_key);
}

int
keyctx_open_page(const struct keyctx *k, const uint8_t dbid[DBID_BYTES],
	int domain, uint64_t pos, const uint8_t *salt, uint8_t *page)
{
	uint8_t ad[64];
	size_t adlen = keyctx_ad(ad, dbid, domain, pos, salt);
	uint8_t nonce[PAGE_NONCE], tag[PAGE_TAG];

	memcpy(nonce, page + PAGE_PAYLOAD, PAGE_NONCE);
	memcpy(tag, page + PAGE_PAYLOAD + PAGE_NONCE, PAGE_TAG);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(page, NULL,
		    page, PAGE_PAYLOAD, tag, ad, adlen, nonce, k->page_key) != 0)
		return -1;
	memset(page + PAGE_PAYLOAD, 0, PAGE_RESERVE);
	return 0;
}

void
keyctx_seal_small(const struct keyctx *k, const uint8_t dbid[DBID_BYTES],
	int domain, uint64_t pos, const uint8_t *in, size_t n, uint8_t *out)
{
	uint8_t ad[64];
	size_t adlen = keyctx_ad(ad, dbid, domain, pos, NULL);

	keyctx_nonce(out);
	crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out + PAGE_NONCE,
		out + PAGE_NONCE + n, NULL, in, n, ad, adlen, NULL, out,
		k->page_key);
}

int
keyctx_open_small(const struct keyctx *k, const uint8_t dbid[DBID_BYTES],
	int domain, uint64_t pos, const uint8_t *in, size_t n, uint8_t *out)
{
	uint8_t ad[64];
	size_t adlen = keyctx_ad(ad, dbid, domain, pos, NULL);

	return crypto_aead_xchacha20poly1305_ietf_decrypt_detached(out, NULL,
		       in + PAGE_NONCE, n, in + PAGE_NONCE + n, ad, adlen, in,
		       k->page_key) == 0
		? 0
		: -1;
}

void
keyctx_stream_xor(const struct keyctx *k, const uint8_t salt[24],
	uint64_t off, uint8_t *buf, size_t n)
{
	uint8_t block[64];
	size_t skip = (size_t)(off % 64), head;

	if (skip != 0) {
		/* A partial first block: its keystream, from the right byte. */
		head = 64 - skip < n ? 64 - skip : n;
		memset(block, 0, sizeof block);
		crypto_stream_xchacha20_xor_ic(block, block, sizeof block, salt,
			off / 64, k->stream_key);
		for (size_t i = 0; i < head; i++)
			buf[i] ^= block[skip + i];
		sodium_memzero(block, sizeof block);
		buf += head;
		off += head;
		n -= head;
	}
	if (n > 0)
		crypto_stream_xchacha20_xor_ic(buf, buf, n, salt, off / 64,
			k->stream_key);
}

void
keyctx_mac(const struct keyctx *k, const void *msg, size_t n, uint8_t out[32])
{
	crypto_generichash(out, 32, msg, n, k->mac_key, KEY_BYTES);
}
