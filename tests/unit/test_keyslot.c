/* test_keyslot: credentials, key derivation and wrapping, recovery codes. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "patron/keyslot.h"

static void
test_recovery_roundtrip(void **state)
{
	char code[RECOVERY_TEXT + 1], messy[64];
	uint8_t a[RECOVERY_BYTES], b[RECOVERY_BYTES];

	(void)state;
	keyslot_recovery_new(code);
	assert_int_equal(strlen(code), RECOVERY_TEXT);
	for (int i = 4; i < RECOVERY_TEXT; i += 5)
		assert_int_equal(code[i], '-');
	assert_int_equal(keyslot_recovery_decode(code, strlen(code), a), 0);
	/* Lower case, spaces instead of hyphens, O for 0 and l for 1. */
	size_t n = 0;
	for (size_t i = 0; code[i]; i++) {
		char ch = code[i];

		if (ch == '-')
			ch = ' ';
		else if (ch == '0')
			ch = 'o';
		else if (ch == '1')
			ch = 'l';
		else if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		messy[n++] = ch;
	}
	assert_int_equal(keyslot_recovery_decode(messy, n, b), 0);
	assert_memory_equal(a, b, sizeof a);
	assert_int_equal(keyslot_recovery_decode("ABCD", 4, b), -1);
	assert_int_equal(keyslot_recovery_decode("UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUUU",
				 39, b),
		-1);
}

static void
test_wrap_unwrap(void **state)
{
	uint8_t dk[KEY_BYTES], got[KEY_BYTES], kf[KEYFILE_BYTES];
	struct header h;
	struct cred *pass, *wrong, *file, *code;
	char text[RECOVERY_TEXT + 1];
	struct perr e;

	(void)state;
	randombytes_buf(dk, sizeof dk);
	randombytes_buf(kf, sizeof kf);
	header_init(&h);
	pass = cred_new(CRED_PASSPHRASE, "correct horse", 13);
	wrong = cred_new(CRED_PASSPHRASE, "correct horsE", 13);
	file = cred_new(CRED_KEYFILE, kf, sizeof kf);
	keyslot_recovery_new(text);
	code = cred_new(CRED_PASSPHRASE, text, strlen(text));
	assert_int_equal(keyslot_fill(&h.slots[0], pass, 0, KDF_INTERACTIVE, dk,
				 NULL, &e),
		0);
	assert_int_equal(keyslot_fill(&h.slots[3], file, 0, KDF_INTERACTIVE, dk,
				 "backups", &e),
		0);
	assert_int_equal(keyslot_fill(&h.slots[5], code, 1, KDF_INTERACTIVE, dk,
				 NULL, &e),
		0);
	assert_int_equal(h.slots[0].kdf, SLOT_KDF_ARGON2ID);
	assert_int_equal(keyslot_unlock(&h, pass, got, &e), 0);
	assert_memory_equal(got, dk, sizeof dk);
	assert_int_equal(keyslot_unlock(&h, file, got, &e), 3);
	assert_int_equal(keyslot_unlock(&h, code, got, &e), 5);
	assert_memory_equal(got, dk, sizeof dk);
	assert_int_equal(keyslot_unlock(&h, wrong, got, &e), -1);
	assert_int_equal(e.code, PX_NOPERM);
	/* The cost is bound to the wrapped key: lowering it breaks the slot. */
	h.slots[0].opslimit = 1;
	assert_int_equal(keyslot_unlock(&h, pass, got, &e), -1);
	cred_free(pass);
	cred_free(wrong);
	cred_free(file);
	cred_free(code);
}

static void
test_keyfile(void **state)
{
	char dir[] = "/tmp/patron-keyslot.XXXXXX", path[64];
	struct stat st;
	struct cred *c;
	struct perr e;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/k", dir);
	assert_int_equal(keyslot_keyfile_create(path, &e), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, KEYFILE_BYTES);
	assert_int_equal(keyslot_keyfile_create(path, &e), -1); /* no overwrite */
	c = cred_from_keyfile(path, &e);
	assert_non_null(c);
	cred_free(c);
	fp = fopen(path, "ab");
	fputc('x', fp);
	fclose(fp);
	assert_null(cred_from_keyfile(path, &e));
	unlink(path);
	assert_null(cred_from_keyfile(path, &e));
	assert_int_equal(e.code, PX_NOINPUT);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recovery_roundtrip),
		cmocka_unit_test(test_wrap_unwrap),
		cmocka_unit_test(test_keyfile),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
