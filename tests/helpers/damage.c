/*
 * damage: a test helper that damages a database file or its log the way
 * the flip tests need, one process per change instead of a pipeline of od
 * and dd, and maps the log so a test can aim at its committed frames.
 *
 *   damage flip FILE OFFSET MASK           XOR the byte at OFFSET with MASK
 *   damage swap FILE A B LEN               exchange LEN bytes at A and B
 *   damage put FILE OFFSET SRC SRCOFF LEN  copy LEN bytes of SRC over FILE
 *                                          (an older page put back)
 *   damage extend FILE LEN zero|random     append LEN bytes
 *   damage walmap DB                       one line per frame of DB's log:
 *       "FRAME PAGE COMMIT CURRENT": COMMIT is the database size in pages
 *       on a commit frame (else 0), CURRENT is 1 while the frames carry the
 *       log header's salts, from the first frame on (SQLite reads no
 *       further), else 0. Credentials as patron's (PATRON_KEY_FILE or
 *       PATRON_PASSPHRASE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "patron/header.h"
#include "patron/keyctx.h"
#include "patron/keyslot.h"
#include "patron/vfs.h"

/* The log's physical layout (src/crypto/vfs.c). */
#define DAMAGE_SEAL (PAGE_NONCE + PAGE_TAG)
#define DAMAGE_WAL_HDR (32 + DAMAGE_SEAL)
#define DAMAGE_FHDR_PLAIN (24 + 4)
#define DAMAGE_FHDR (DAMAGE_FHDR_PLAIN + DAMAGE_SEAL)
#define DAMAGE_FRAME (DAMAGE_FHDR + PAGE_SIZE)

static void
damage_die(const char *what, const char *why)
{
	fprintf(stderr, "damage: %s: %s\n", what, why);
	exit(1);
}

static FILE *
damage_open(const char *path, const char *mode)
{
	FILE *f = fopen(path, mode);

	if (f == NULL)
		damage_die(path, "cannot open");
	return f;
}

static void
damage_pread(FILE *f, const char *path, void *buf, long len, long off)
{
	if (fseek(f, off, SEEK_SET) != 0 ||
	        fread(buf, 1, (size_t)len, f) != (size_t)len)
		damage_die(path, "cannot read there");
}

static void
damage_pwrite(FILE *f, const char *path, const void *buf, long len, long off)
{
	if (fseek(f, off, SEEK_SET) != 0 ||
	        fwrite(buf, 1, (size_t)len, f) != (size_t)len)
		damage_die(path, "cannot write there");
}

static long
damage_num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0)
		damage_die(s, "not a whole number");
	return v;
}

static uint32_t
damage_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void
damage_walmap(const char *db)
{
	uint8_t region[HEADER_SIZE], dk[KEY_BYTES], hdr[32];
	/* Big enough for the log header (72 bytes) and a frame header (68). */
	uint8_t sealed[DAMAGE_WAL_HDR], plain[DAMAGE_FHDR_PLAIN];
	const char *kf = getenv("PATRON_KEY_FILE");
	const char *pass = getenv("PATRON_PASSPHRASE");
	int current = 1;
	struct header h;
	struct keyctx *k;
	struct cred *cred;
	struct perr e;
	char *wal;
	size_t n;
	FILE *f;

	f = damage_open(db, "rb");
	n = fread(region, 1, sizeof region, f);
	fclose(f);
	if (header_parse(region, n, &h, NULL, &e) < 0)
		damage_die(db, e.msg);
	if (kf != NULL && *kf != '\0')
		cred = cred_from_keyfile(kf, &e);
	else
		cred = cred_new(CRED_PASSPHRASE, pass ? pass : "",
		        pass ? strlen(pass) : 0);
	if (cred == NULL || keyslot_unlock(&h, cred, dk, &e) < 0)
		damage_die(db, e.msg);
	cred_free(cred);
	k = keyctx_new(dk);
	sodium_memzero(dk, sizeof dk);
	if (k == NULL)
		damage_die(db, "no secure memory");
	if (asprintf(&wal, "%s%s", db, VFS_WAL_SUFFIX) < 0)
		damage_die(db, "out of memory");
	f = damage_open(wal, "rb");
	if (fread(sealed, 1, DAMAGE_WAL_HDR, f) != DAMAGE_WAL_HDR ||
	        keyctx_open_small(k, h.db_id, KEYCTX_WAL_HDR, 0, sealed,
	                sizeof hdr, hdr) < 0)
		damage_die(wal, "the log header does not open");
	for (long i = 0;; i++) {
		if (fseek(f, DAMAGE_WAL_HDR + i * (long)DAMAGE_FRAME,
		            SEEK_SET) != 0 ||
		        fread(sealed, 1, DAMAGE_FHDR, f) != DAMAGE_FHDR)
			break;
		if (keyctx_open_small(k, h.db_id, KEYCTX_WAL_FRAME, (uint64_t)i,
		            sealed, sizeof plain, plain) < 0) {
			printf("%ld 0 0 0\n", i);
			current = 0;
			continue;
		}
		/* Salts at 8..15 of a frame header, 16..23 of the log's. */
		if (memcmp(plain + 8, hdr + 16, 8) != 0)
			current = 0;
		printf("%ld %u %u %d\n", i, damage_be32(plain),
		        damage_be32(plain + 4), current);
	}
	fclose(f);
	free(wal);
	keyctx_free(k);
}

int
main(int argc, char **argv)
{
	static uint8_t a[1 << 16], b[1 << 16];
	FILE *f, *src;
	long len;

	if (sodium_init() < 0)
		damage_die("libsodium", "cannot start");
	if (argc == 5 && strcmp(argv[1], "flip") == 0) {
		long mask = damage_num(argv[4]);

		if (mask < 1 || mask > 255)
			damage_die(argv[4], "a mask is 1 to 255");
		f = damage_open(argv[2], "r+b");
		damage_pread(f, argv[2], a, 1, damage_num(argv[3]));
		a[0] ^= (uint8_t)mask;
		damage_pwrite(f, argv[2], a, 1, damage_num(argv[3]));
	} else if (argc == 6 && strcmp(argv[1], "swap") == 0) {
		if ((len = damage_num(argv[5])) > (long)sizeof a)
			damage_die(argv[5], "too long");
		f = damage_open(argv[2], "r+b");
		damage_pread(f, argv[2], a, len, damage_num(argv[3]));
		damage_pread(f, argv[2], b, len, damage_num(argv[4]));
		damage_pwrite(f, argv[2], b, len, damage_num(argv[3]));
		damage_pwrite(f, argv[2], a, len, damage_num(argv[4]));
	} else if (argc == 7 && strcmp(argv[1], "put") == 0) {
		if ((len = damage_num(argv[6])) > (long)sizeof a)
			damage_die(argv[6], "too long");
		src = damage_open(argv[4], "rb");
		damage_pread(src, argv[4], a, len, damage_num(argv[5]));
		fclose(src);
		f = damage_open(argv[2], "r+b");
		damage_pwrite(f, argv[2], a, len, damage_num(argv[3]));
	} else if (argc == 5 && strcmp(argv[1], "extend") == 0) {
		f = damage_open(argv[2], "ab");
		for (len = damage_num(argv[3]); len > 0;) {
			size_t take =
			        len < (long)sizeof a ? (size_t)len : sizeof a;

			if (strcmp(argv[4], "random") == 0)
				randombytes_buf(a, take);
			else
				memset(a, 0, take);
			if (fwrite(a, 1, take, f) != take)
				damage_die(argv[2], "cannot append");
			len -= (long)take;
		}
	} else if (argc == 3 && strcmp(argv[1], "walmap") == 0) {
		damage_walmap(argv[2]);
		return 0;
	} else {
		fputs("usage: damage flip|swap|put|extend|walmap ...\n",
		        stderr);
		return 64;
	}
	if (fclose(f) != 0)
		damage_die(argv[2], "cannot write");
	return 0;
}
