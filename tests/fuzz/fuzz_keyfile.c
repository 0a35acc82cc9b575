/*
 * fuzz_keyfile: libFuzzer target for the key-file reader. The input is
 * written as a key file in a temp directory and read back with
 * cred_from_keyfile: exactly KEYFILE_BYTES bytes make a key-file
 * credential holding those bytes, anything else is refused with exit code
 * 77 and a message, and nothing may crash, leak or hit UB. A credential
 * read so must open nothing by itself: it is then tried on a real header
 * (key-file slots are cheap to try) and must simply fail there.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "patron/header.h"
#include "patron/keyslot.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];
static char fuzz_path[96];
static struct header fuzz_hdr;	/* one key-file slot, for a key nobody has */

static void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_keyfile: %s\n", what);
	abort();
}

static void
fuzz_cleanup(void)
{
	unlink(fuzz_path);
	rmdir(fuzz_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t key[KEYFILE_BYTES], dk[KEY_BYTES];
	struct cred *c;
	struct perr e;

	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	strcpy(fuzz_dir, "/tmp/patron-fuzz-keyfile.XXXXXX");
	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail("cannot make a temp directory");
	snprintf(fuzz_path, sizeof fuzz_path, "%s/key", fuzz_dir);
	atexit(fuzz_cleanup);

	/* A header whose only slot wraps a random data key for a random key
	 * file, as patron init --key-file makes it. */
	header_init(&fuzz_hdr);
	randombytes_buf(key, sizeof key);
	randombytes_buf(dk, sizeof dk);
	c = cred_new(CRED_KEYFILE, key, sizeof key);
	if (c == NULL || keyslot_fill(&fuzz_hdr.slots[0], c, 0, KDF_INTERACTIVE,
	    dk, NULL, &e) < 0)
		fuzz_fail("cannot fill a key slot");
	cred_free(c);
	sodium_memzero(key, sizeof key);
	sodium_memzero(dk, sizeof dk);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t dk[KEY_BYTES];
	struct cred *c;
	struct perr e;
	FILE *fp;

	fp = fopen(fuzz_path, "wb");
	if (fp == NULL || (size > 0 && fwrite(data, 1, size, fp) != size) ||
	    fclose(fp) != 0)
		fuzz_fail("cannot write the key file");
	perr_clear(&e);
	c = cred_from_keyfile(fuzz_path, &e);
	if (size != KEYFILE_BYTES) {
		if (c != NULL)
			fuzz_fail("a key file of the wrong size was accepted");
		if (e.code != PX_NOPERM || e.msg[0] == '\0')
			fuzz_fail("refused without exit code 77 and a message");
		return 0;
	}
	if (c == NULL)
		fuzz_fail("a key file of the right size was refused");
	if (c->kind != CRED_KEYFILE || c->len != KEYFILE_BYTES ||
	    memcmp(c->secret, data, KEYFILE_BYTES) != 0)
		fuzz_fail("the credential is not the file's bytes");
	if (keyslot_unlock(&fuzz_hdr, c, dk, &e) >= 0)
		fuzz_fail("a guessed key file unlocked the header");
	sodium_memzero(dk, sizeof dk);
	cred_free(c);
	return 0;
}
