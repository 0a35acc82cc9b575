/*
 * cred: a credential as supplied by a person or a file (a passphrase, a
 * recovery code as typed, the bytes of a key file), kept in sodium memory
 * and wiped when freed. What unlocks what is keyslot.h's.
 */
#ifndef PATRON_CRED_H
#define PATRON_CRED_H

#include <stddef.h>
#include <stdint.h>

#include "patron/util.h"

#define KEYFILE_BYTES 32

enum cred_kind {
	CRED_PASSPHRASE, /* a passphrase or a recovery code, as typed */
	CRED_KEYFILE,	 /* the 32 bytes of a key file */
};

/*
 * A secret supplied by a person or a file, in sodium memory, with a NUL
 * after its len bytes.
 */
struct cred {
	int kind;
	size_t len;
	uint8_t *secret;
};

struct cred *cred_new(int kind, const void *secret, size_t len);
void cred_free(struct cred *c);
/* Load a key file: exactly KEYFILE_BYTES bytes; -1 with e set otherwise. */
struct cred *cred_from_keyfile(const char *path, struct perr *e);

#endif
