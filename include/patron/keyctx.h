/*
 * keyctx: an unlocked data key and the subkeys derived from it, kept in
 * sodium_malloc memory, and the page sealing every Patron file uses.
 *
 * A sealed page is PAGE_SIZE bytes: the first PAGE_SIZE - PAGE_RESERVE bytes
 * are ciphertext, then a 24-byte random nonce, then the 16-byte Poly1305 tag
 * (XChaCha20-Poly1305 IETF). The additional data binds the database id, the
 * kind of file and the page's position, so a page moved elsewhere fails.
 */
#ifndef PATRON_KEYCTX_H
#define PATRON_KEYCTX_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096
#define PAGE_RESERVE 40
#define PAGE_NONCE 24
#define PAGE_TAG 16
#define PAGE_PAYLOAD (PAGE_SIZE - PAGE_RESERVE)
#define KEY_BYTES 32
#define DBID_BYTES 16

/* What kind of file a sealed page lives in: part of the additional data. */
enum keyctx_domain {
	KEYCTX_DB = 'D',	/* a database page, in the file or a WAL frame;
				   position = page number */
	KEYCTX_WAL_HDR = 'H',	/* WAL file header; position 0 */
	KEYCTX_WAL_FRAME = 'F', /* WAL frame header; position = frame index */
	KEYCTX_JOURNAL = 'J',	/* journal page; position = journal offset,
				   page number << 40 */
	KEYCTX_WAL_MARK = 'M',	/* a record in NAME-pmark; position = its slot */
};

struct keyctx;

/* A new context holding a copy of data_key; NULL if secure memory fails. */
struct keyctx *keyctx_new(const uint8_t data_key[KEY_BYTES]);
/* A new context with a fresh random data key. */
struct keyctx *keyctx_generate(void);
struct keyctx *keyctx_ref(struct keyctx *k);
/* Drop a reference; the last one wipes and frees the keys. */
void keyctx_free(struct keyctx *k);
const uint8_t *keyctx_data_key(const struct keyctx *k);

/*
 * Seal PAGE_SIZE bytes of plaintext into out (PAGE_SIZE bytes). The last
 * PAGE_RESERVE bytes of the plaintext are not stored: they must be zero
 * (SQLite leaves the reserve alone) and read back as zero.
 */
void keyctx_seal_page(const struct keyctx *k, const uint8_t dbid[DBID_BYTES],
	int domain, uint64_t pos, const uint8_t *salt, const uint8_t *in,
	uint8_t *out);
/* Open a sealed page in place; returns 0, or -1 if it fails to authenticate. */
int keyctx_open_page(const struct keyctx *k, const uint8_t dbid[DBID_BYTES],
	int domain, uint64_t pos, const uint8_t *salt, uint8_t *page);

/*
 * Seal or open a small record (a WAL header or frame header): n bytes of
 * plaintext become PAGE_NONCE + n + PAGE_TAG bytes.
 */
void keyctx_seal_small(const struct keyctx *k, const uint8_t dbid[DBID_BYTES],
	int domain, uint64_t pos, const uint8_t *in, size_t n, uint8_t *out);
int keyctx_open_small(const struct keyctx *k, const uint8_t dbid[DBID_BYTES],
	int domain, uint64_t pos, const uint8_t *in, size_t n, uint8_t *out);

/*
 * XOR n bytes at stream offset off with the keystream selected by a 24-byte
 * salt: the cipher for the non-page bytes of a rollback journal.
 */
void keyctx_stream_xor(const struct keyctx *k, const uint8_t salt[24],
	uint64_t off, uint8_t *buf, size_t n);

/* A keyed hash under a subkey of the data key (for the audit chain). */
void keyctx_mac(const struct keyctx *k, const void *msg, size_t n,
	uint8_t out[32]);

#endif
