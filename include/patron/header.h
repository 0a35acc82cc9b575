/*
 * header: the Patron header at the start of every database file. It is
 * kept twice (copies at 0 and HEADER_COPY), each with a BLAKE2b checksum
 * and a sequence number, so a crash while a key slot changes leaves either
 * the old or the new header intact: the valid copy with the higher sequence
 * number wins. The SQLite pages follow at HEADER_SIZE.
 */
#ifndef PATRON_HEADER_H
#define PATRON_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "patron/keyctx.h"
#include "patron/util.h"

#define HEADER_SIZE 4096
#define HEADER_COPY 2048
#define HEADER_SLOTS 8
#define HEADER_MAGIC "PATRONDB"
#define HEADER_VERSION 1
#define SLOT_SALT 16
#define SLOT_WRAPPED (KEY_BYTES + 16)
#define SLOT_LABEL 32

enum slot_type {
	SLOT_EMPTY = 0,
	SLOT_PASSPHRASE = 1,
	SLOT_KEYFILE = 2,
	SLOT_RECOVERY = 3,
};

enum slot_kdf {
	SLOT_KDF_NONE = 0,	/* key file, recovery code: already full entropy */
	SLOT_KDF_ARGON2ID = 1,	/* crypto_pwhash, ALG_ARGON2ID13 */
};

/* One key slot: the data key wrapped by one key-encryption key. */
struct slot {
	uint8_t type;
	uint8_t kdf;
	uint64_t opslimit;
	uint64_t memlimit;
	int64_t created;
	uint8_t salt[SLOT_SALT];
	uint8_t nonce[24];
	uint8_t wrapped[SLOT_WRAPPED];
	char label[SLOT_LABEL + 1];
};

struct header {
	uint32_t version;
	uint32_t page_size;
	uint32_t reserve;
	uint64_t seq;
	uint8_t db_id[DBID_BYTES];
	int64_t created;
	struct slot slots[HEADER_SLOTS];
};

/* A fresh header: new random database id, sequence 1, no slots. */
void header_init(struct header *h);
/* Encode one copy (HEADER_COPY bytes, checksum included). */
void header_encode(const struct header *h, uint8_t *out);
/* Decode one copy; -1 with e set if the magic, checksum or fields are bad. */
int header_decode(const uint8_t *buf, size_t len, struct header *h,
	struct perr *e);
/*
 * Pick the header from a whole header region (HEADER_SIZE bytes, or fewer
 * if the file is short): the valid copy with the higher sequence number.
 * which (if not NULL) gets 0 or 1.
 */
int header_parse(const uint8_t *buf, size_t len, struct header *h, int *which,
	struct perr *e);
/*
 * Prepare a header update: given the current header region, set h->seq
 * above the current one and say which copy (0 or 1) to write first. The
 * caller writes and syncs that copy, then the other: a crash at any point
 * leaves the old or the new header valid (see vfs_write_header).
 */
int header_next(const uint8_t *region, size_t len, struct header *h, int *first,
	struct perr *e);
/* Write both copies of a brand-new header (the file holds nothing else). */
int header_create(int fd, const struct header *h, struct perr *e);

/* Index of the first empty slot, or -1 if all are taken. */
int header_free_slot(const struct header *h);
const char *header_slot_type_name(int type);

#endif
