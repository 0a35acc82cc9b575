/* test_header: the doubled header, its checksums and sequence numbers. */
#include "unit.h"

#include <string.h>

#include <sodium.h>

#include "patron/header.h"

static void
test_roundtrip(void **state)
{
	struct header h, back;
	uint8_t buf[HEADER_COPY];
	struct perr e;

	(void)state;
	header_init(&h);
	h.slots[2].type = SLOT_PASSPHRASE;
	h.slots[2].kdf = SLOT_KDF_ARGON2ID;
	h.slots[2].opslimit = 3;
	h.slots[2].memlimit = 1 << 20;
	strcpy(h.slots[2].label, "manager");
	randombytes_buf(h.slots[2].wrapped, sizeof h.slots[2].wrapped);
	header_encode(&h, buf);
	assert_int_equal(header_decode(buf, sizeof buf, &back, &e), 0);
	assert_memory_equal(back.db_id, h.db_id, DBID_BYTES);
	assert_int_equal(back.seq, h.seq);
	assert_int_equal(back.slots[2].type, SLOT_PASSPHRASE);
	assert_string_equal(back.slots[2].label, "manager");
	assert_memory_equal(back.slots[2].wrapped, h.slots[2].wrapped,
		SLOT_WRAPPED);
	assert_int_equal(back.slots[0].type, SLOT_EMPTY);
}

static void
test_checksum_and_magic(void **state)
{
	struct header h, back;
	uint8_t buf[HEADER_COPY];
	struct perr e;

	(void)state;
	header_init(&h);
	header_encode(&h, buf);
	buf[40] ^= 1;
	assert_int_equal(header_decode(buf, sizeof buf, &back, &e), -1);
	assert_non_null(strstr(e.msg, "checksum"));
	header_encode(&h, buf);
	buf[0] = 'X';
	assert_int_equal(header_decode(buf, sizeof buf, &back, &e), -1);
	assert_non_null(strstr(e.msg, "not a Patron database"));
	assert_int_equal(header_decode(buf, 100, &back, &e), -1);
}

static void
test_newer_copy_wins(void **state)
{
	struct header h, got;
	uint8_t region[HEADER_SIZE];
	struct perr e;
	int which, first;

	(void)state;
	header_init(&h);
	h.seq = 5;
	header_encode(&h, region);
	h.seq = 6;
	strcpy(h.slots[0].label, "x");
	h.slots[0].type = SLOT_KEYFILE;
	header_encode(&h, region + HEADER_COPY);
	assert_int_equal(header_parse(region, sizeof region, &got, &which, &e), 0);
	assert_int_equal(which, 1);
	assert_int_equal(got.seq, 6);
	/* The next update overwrites the copy not read from, seq + 1. */
	assert_int_equal(header_next(region, sizeof region, &h, &first, &e), 0);
	assert_int_equal(first, 0);
	assert_int_equal(h.seq, 7);
	/* A torn newer copy: the older one is used. */
	memset(region + HEADER_COPY + 100, 0, 500);
	assert_int_equal(header_parse(region, sizeof region, &got, &which, &e), 0);
	assert_int_equal(which, 0);
	assert_int_equal(got.seq, 5);
	/* Both broken: an error, not a guess. */
	memset(region + 24, 0xee, 40);
	assert_int_equal(header_parse(region, sizeof region, &got, &which, &e), -1);
}

static void
test_bad_slot_fields(void **state)
{
	struct header h, back;
	uint8_t buf[HEADER_COPY];
	struct perr e;

	(void)state;
	header_init(&h);
	h.slots[1].type = 9;
	header_encode(&h, buf);
	assert_int_equal(header_decode(buf, sizeof buf, &back, &e), -1);
	header_init(&h);
	h.slots[1].type = SLOT_PASSPHRASE;
	h.slots[1].kdf = SLOT_KDF_ARGON2ID;
	h.slots[1].opslimit = 3;
	h.slots[1].memlimit = (uint64_t)64 << 30; /* absurd: refuse, not allocate */
	header_encode(&h, buf);
	assert_int_equal(header_decode(buf, sizeof buf, &back, &e), -1);
	assert_non_null(strstr(e.msg, "cost"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_checksum_and_magic),
		cmocka_unit_test(test_newer_copy_wins),
		cmocka_unit_test(test_bad_slot_fields),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
