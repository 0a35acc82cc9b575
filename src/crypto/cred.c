/*
 * cred: a credential's secret in sodium memory, and key files read whole
 * (cred.h).
 */
#include "patron/cred.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

struct cred *
cred_new(int kind, const void *secret, size_t len)
{
	struct cred *c;

	if (sodium_init() < 0)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->kind = kind;
	c->len = len;
	/* NUL-terminated, so a passphrase or PIN can be used as a string. */
	c->secret = sodium_malloc(len + 1);
	if (c->secret == NULL) {
		free(c);
		return NULL;
	}
	memcpy(c->secret, secret, len);
	c->secret[len] = 0;
	return c;
}

void
cred_free(struct cred *c)
{
	if (c == NULL)
		return;
	sodium_free(c->secret);
	free(c);
}

struct cred *
cred_from_keyfile(const char *path, struct perr *e)
{
	uint8_t buf[KEYFILE_BYTES + 1];
	struct cred *c;
	long n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perr_set(e, errno == ENOENT ? PX_NOINPUT : PX_NOPERM,
			"%s: cannot open key file: %s", path, strerror(errno));
		return NULL;
	}
	n = util_pread_all(fd, buf, sizeof buf, 0);
	close(fd);
	if (n != KEYFILE_BYTES) {
		sodium_memzero(buf, sizeof buf);
		perr_set(e, PX_NOPERM,
			"%s: not a Patron key file (must be %d bytes)", path,
			KEYFILE_BYTES);
		return NULL;
	}
	c = cred_new(CRED_KEYFILE, buf, KEYFILE_BYTES);
	sodium_memzero(buf, sizeof buf);
	if (c == NULL)
		perr_set(e, PX_FAIL, "cannot allocate secure memory");
	return c;
}
