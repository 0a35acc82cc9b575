/*
 * fuzz_header: libFuzzer target for the code that reads untrusted bytes
 * before any key is known: the doubled file header with its key slots, the
 * header update planner, unlocking with a key file, and the recovery-code
 * decoder. Whatever the input, nothing may crash, leak or hit UB, and a
 * header that parses must survive an encode/decode round trip unchanged.
 *
 * Random mutations almost never keep a BLAKE2b checksum valid, so each input
 * is also tried with the checksums recomputed: that lets the fuzzer reach
 * the field and key-slot checks behind them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "patron/header.h"
#include "patron/keyslot.h"

/* Where a copy keeps its checksum (see the layout in src/crypto/header.c). */
#define FUZZ_SUM_AT (HEADER_COPY - 32)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed invariant: say which, then crash so libFuzzer keeps the input. */
static void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_header: round trip changed %s\n", what);
	abort();
}

static void
fuzz_same_slot(const struct slot *a, const struct slot *b)
{
	if (a->type != b->type || a->kdf != b->kdf)
		fuzz_fail("slot type or KDF");
	if (a->opslimit != b->opslimit || a->memlimit != b->memlimit)
		fuzz_fail("slot KDF cost");
	if (a->created != b->created)
		fuzz_fail("slot creation time");
	if (memcmp(a->salt, b->salt, sizeof a->salt) != 0 ||
		memcmp(a->nonce, b->nonce, sizeof a->nonce) != 0 ||
		memcmp(a->wrapped, b->wrapped, sizeof a->wrapped) != 0)
		fuzz_fail("slot salt, nonce or wrapped key");
	/* The label is a C string: bytes after its NUL are not kept. */
	if (strcmp(a->label, b->label) != 0)
		fuzz_fail("slot label");
}

static void
fuzz_same_header(const struct header *a, const struct header *b)
{
	if (a->version != b->version || a->page_size != b->page_size ||
		a->reserve != b->reserve)
		fuzz_fail("version or page layout");
	if (a->seq != b->seq)
		fuzz_fail("sequence number");
	if (memcmp(a->db_id, b->db_id, sizeof a->db_id) != 0)
		fuzz_fail("database id");
	if (a->created != b->created)
		fuzz_fail("creation time");
	for (int i = 0; i < HEADER_SLOTS; i++)
		fuzz_same_slot(&a->slots[i], &b->slots[i]);
}

/* Whether unlocking h with a key file stays cheap (no Argon2id to run). */
static int
fuzz_cheap_unlock(const struct header *h)
{
	for (int i = 0; i < HEADER_SLOTS; i++)
		if (h->slots[i].type == SLOT_KEYFILE &&
			h->slots[i].kdf == SLOT_KDF_ARGON2ID)
			return 0;
	return 1;
}

static void
fuzz_parsed(const uint8_t *data, size_t size, const struct header *h)
{
	uint8_t copy[HEADER_COPY], region[HEADER_SIZE];
	uint8_t dk[KEY_BYTES];
	struct header back, next;
	struct perr e;
	struct cred *c;
	int first;

	header_encode(h, copy);
	if (header_decode(copy, sizeof copy, &back, &e) < 0) {
		fprintf(stderr, "fuzz_header: %s\n", e.msg);
		fuzz_fail("validity (re-encoded header does not decode)");
	}
	fuzz_same_header(h, &back);

	/* Both copies re-encoded: the parser must pick one of them. */
	memcpy(region, copy, HEADER_COPY);
	memcpy(region + HEADER_COPY, copy, HEADER_COPY);
	if (header_parse(region, sizeof region, &back, &first, &e) < 0)
		fuzz_fail("validity (doubled header does not parse)");
	fuzz_same_header(h, &back);

	next = *h;
	if (header_next(data, size, &next, &first, &e) < 0)
		fuzz_fail("validity (header_next refused a parsed header)");
	if (next.seq != h->seq + 1 || (first != 0 && first != 1))
		fuzz_fail("update plan");

	if (!fuzz_cheap_unlock(h))
		return;
	/* A key file made of the input's first bytes: must simply fail. */
	c = cred_new(CRED_KEYFILE, data, KEYFILE_BYTES);
	if (c == NULL)
		abort();
	(void)keyslot_unlock(h, c, dk, &e);
	sodium_memzero(dk, sizeof dk);
	cred_free(c);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	return 0;
}

static void
fuzz_parse(const uint8_t *data, size_t size)
{
	struct header h;
	struct perr e;
	int which = -1;

	perr_clear(&e);
	if (header_parse(data, size, &h, &which, &e) == 0) {
		if (which != 0 && which != 1)
			fuzz_fail("copy index");
		fuzz_parsed(data, size, &h);
	} else if (e.msg[0] == '\0') {
		fuzz_fail("error message (parse failed without one)");
	}
	/* Also decode a single copy on its own, at whatever length we have. */
	(void)header_decode(data, size, &h, &e);
}

/*
 * The input with valid checksums. The checksum bytes are overwritten
 * anyway, so the low bit of each copy's first one says whether to leave
 * that copy's checksum as it is: the fuzzer can still make one copy bad.
 */
static void
fuzz_parse_fixed(const uint8_t *data, size_t size)
{
	uint8_t *buf;

	if (size < HEADER_COPY)
		return;
	/* Exactly size bytes, so AddressSanitizer sees any over-read. */
	buf = malloc(size);
	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	for (size_t at = 0; at + HEADER_COPY <= size && at < HEADER_SIZE;
		at += HEADER_COPY)
		if (!(buf[at + FUZZ_SUM_AT] & 1))
			crypto_generichash(buf + at + FUZZ_SUM_AT, 32, buf + at,
				FUZZ_SUM_AT, NULL, 0);
	fuzz_parse(buf, size);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t code[RECOVERY_BYTES];

	fuzz_parse(data, size);
	fuzz_parse_fixed(data, size);
	(void)keyslot_recovery_decode((const char *)data, size, code);
	return 0;
}
