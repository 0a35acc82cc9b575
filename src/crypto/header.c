/*
 * header: encoding of the doubled Patron header and its crash-safe update.
 * All integers are little-endian; the layout of one copy is:
 *
 *   0 magic "PATRONDB"   8 version   12 page size   16 reserve   20 flags
 *  24 sequence (u64)    32 database id (16)   48 created (ms)   56 zero
 *  64 slots, 8 x 160 bytes   ...zero...   2016 BLAKE2b-256 of bytes 0..2015
 */
#include "patron/header.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#define SLOT_AT 64
#define SLOT_BYTES 160
#define SUM_AT (HEADER_COPY - 32)

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

void
header_init(struct header *h)
{
	memset(h, 0, sizeof *h);
	h->version = HEADER_VERSION;
	h->page_size = PAGE_SIZE;
	h->reserve = PAGE_RESERVE;
	h->seq = 1;
	randombytes_buf(h->db_id, sizeof h->db_id);
	h->created = util_now_ms();
}

static void
header_encode_slot(const struct slot *s, uint8_t *p)
{
	memset(p, 0, SLOT_BYTES);
	if (s->type == SLOT_EMPTY)
		return;
	p[0] = s->type;
	p[1] = s->kdf;
	put64(p + 8, s->opslimit);
	put64(p + 16, s->memlimit);
	put64(p + 24, (uint64_t)s->created);
	memcpy(p + 32, s->salt, SLOT_SALT);
	memcpy(p + 48, s->nonce, 24);
	memcpy(p + 72, s->wrapped, SLOT_WRAPPED);
	memcpy(p + 120, s->label, strnlen(s->label, SLOT_LABEL));
}

static int
header_decode_slot(const uint8_t *p, struct slot *s, int i, struct perr *e)
{
	memset(s, 0, sizeof *s);
	s->type = p[0];
	if (s->type == SLOT_EMPTY)
		return 0;
	if (s->type > SLOT_RECOVERY)
		return perr_set(e, PX_DATAERR, "key slot %d has unknown type %d",
			i, s->type);
	s->kdf = p[1];
	if (s->kdf > SLOT_KDF_ARGON2ID)
		return perr_set(e, PX_DATAERR, "key slot %d has unknown KDF %d",
			i, s->kdf);
	s->opslimit = get64(p + 8);
	s->memlimit = get64(p + 16);
	if (s->kdf == SLOT_KDF_ARGON2ID &&
		(s->opslimit < crypto_pwhash_OPSLIMIT_MIN ||
			s->opslimit > 64 ||
			s->memlimit < crypto_pwhash_MEMLIMIT_MIN ||
			s->memlimit > ((uint64_t)4 << 30)))
		return perr_set(e, PX_DATAERR,
			"key slot %d has out-of-range KDF cost", i);
	s->created = (int64_t)get64(p + 24);
	memcpy(s->salt, p + 32, SLOT_SALT);
	memcpy(s->nonce, p + 48, 24);
	memcpy(s->wrapped, p + 72, SLOT_WRAPPED);
	memcpy(s->label, p + 120, SLOT_LABEL);
	s->label[SLOT_LABEL] = '\0';
	return 0;
}

void
header_encode(const struct header *h, uint8_t *out)
{
	memset(out, 0, HEADER_COPY);
	memcpy(out, HEADER_MAGIC, 8);
	put32(out + 8, h->version);
	put32(out + 12, h->page_size);
	put32(out + 16, h->reserve);
	put64(out + 24, h->seq);
	memcpy(out + 32, h->db_id, DBID_BYTES);
	put64(out + 48, (uint64_t)h->created);
	for (int i = 0; i < HEADER_SLOTS; i++)
		header_encode_slot(&h->slots[i], out + SLOT_AT + i * SLOT_BYTES);
	crypto_generichash(out + SUM_AT, 32, out, SUM_AT, NULL, 0);
}

int
header_decode(const uint8_t *buf, size_t len, struct header *h, struct perr *e)
{
	uint8_t sum[32];

	memset(h, 0, sizeof *h);
	if (len < HEADER_COPY)
		return perr_set(e, PX_DATAERR, "header is truncated");
	if (memcmp(buf, HEADER_MAGIC, 8) != 0)
		return perr_set(e, PX_DATAERR, "not a Patron database");
	crypto_generichash(sum, sizeof sum, buf, SUM_AT, NULL, 0);
	if (sodium_memcmp(sum, buf + SUM_AT, 32) != 0)
		return perr_set(e, PX_DATAERR, "header checksum mismatch");
	h->version = get32(buf + 8);
	if (h->version != HEADER_VERSION)
		return perr_set(e, PX_DATAERR,
			"header format %u is not supported (this Patron reads %d)",
			h->version, HEADER_VERSION);
	h->page_size = get32(buf + 12);
	h->reserve = get32(buf + 16);
	if (h->page_size != PAGE_SIZE || h->reserve != PAGE_RESERVE)
		return perr_set(e, PX_DATAERR,
			"unsupported page layout %u/%u", h->page_size,
			h->reserve);
	h->seq = get64(buf + 24);
	memcpy(h->db_id, buf + 32, DBID_BYTES);
	h->created = (int64_t)get64(buf + 48);
	for (int i = 0; i < HEADER_SLOTS; i++)
		if (header_decode_slot(buf + SLOT_AT + i * SLOT_BYTES,
			    &h->slots[i], i, e) < 0)
			return -1;
	return 0;
}

int
header_parse(const uint8_t *buf, size_t len, struct header *h, int *which,
	struct perr *e)
{
	struct header a, b;
	struct perr ea, eb;
	int oka, okb;

	oka = header_decode(buf, len, &a, &ea) == 0;
	okb = len >= HEADER_SIZE &&
		header_decode(buf + HEADER_COPY, len - HEADER_COPY, &b, &eb) == 0;
	if (!oka && !okb) {
		if (len < HEADER_SIZE && len < HEADER_COPY)
			return perr_set(e, PX_DATAERR,
				len == 0 ? "empty file, not a Patron database"
					 : "file is too short for a Patron header");
		/* Prefer the message that explains the most. */
		*e = ea;
		return -1;
	}
	if (oka && (!okb || a.seq >= b.seq)) {
		*h = a;
		if (which)
			*which = 0;
	} else {
		*h = b;
		if (which)
			*which = 1;
	}
	return 0;
}

static int
header_write_copy(int fd, const struct header *h, int which, struct perr *e)
{
	uint8_t buf[HEADER_COPY];

	header_encode(h, buf);
	if (util_pwrite_all(fd, buf, sizeof buf, (int64_t)which * HEADER_COPY) <
			0 ||
		fdatasync(fd) < 0)
		return perr_set(e, PX_IOERR, "cannot write header: %s",
			strerror(errno));
	return 0;
}

int
header_next(const uint8_t *region, size_t len, struct header *h, int *first,
	struct perr *e)
{
	struct header cur;
	int which;

	if (header_parse(region, len, &cur, &which, e) < 0)
		return -1;
	h->seq = cur.seq + 1;
	/*
	 * Overwrite the copy we did not read from: the one we read stays the
	 * valid fallback until the new one is on disk.
	 */
	*first = 1 - which;
	return 0;
}

int
header_create(int fd, const struct header *h, struct perr *e)
{
	if (header_write_copy(fd, h, 0, e) < 0 ||
		header_write_copy(fd, h, 1, e) < 0)
		return -1;
	return 0;
}

int
header_free_slot(const struct header *h)
{
	for (int i = 0; i < HEADER_SLOTS; i++)
		if (h->slots[i].type == SLOT_EMPTY)
			return i;
	return -1;
}

const char *
header_slot_type_name(int type)
{
	switch (type) {
	case SLOT_PASSPHRASE:
		return "passphrase";
	case SLOT_KEYFILE:
		return "key-file";
	case SLOT_RECOVERY:
		return "recovery";
	default:
		return "empty";
	}
}
