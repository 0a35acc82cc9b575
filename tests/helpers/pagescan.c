/*
 * pagescan: a test helper that opens every sealed page of a Patron
 * database file and of its write-ahead log with the database's own key and
 * writes the plaintext to standard output, so a test can grep what is
 * physically on disk: live rows, free pages, unused space in pages, and
 * old page images left in the log. SQLite never opens the file (which
 * would checkpoint and remove the log). Credentials come from the same
 * environment as patron's (PATRON_KEY_FILE or PATRON_PASSPHRASE).
 *
 *   pagescan DB > plain      page counts and failures on standard error
 *   pagescan --frames DB     one line per WAL frame, "frame I PGNO COMMIT
 *                            SALT" (COMMIT: the database size if it ends a
 *                            transaction, else 0; SALT: "cur" if it carries
 *                            the WAL header's salts, "old" if not, "bad" if
 *                            it fails to authenticate), then the marks of
 *                            NAME-pmark as "mark SLOT FRAMES cur|old|none"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "patron/header.h"
#include "patron/keyctx.h"
#include "patron/keyslot.h"
#include "patron/vfs.h"

/* The WAL's physical layout (src/crypto/vfs.c). */
#define SCAN_SEAL (PAGE_NONCE + PAGE_TAG)
#define SCAN_WAL_HDR (32 + SCAN_SEAL)
#define SCAN_FHDR_PLAIN (24 + 4)
#define SCAN_FHDR (SCAN_FHDR_PLAIN + SCAN_SEAL)
#define SCAN_FRAME (SCAN_FHDR + PAGE_SIZE)

static void
pagescan_die(const char *what, struct perr *e)
{
	if (e != NULL)
		perr_print(e);
	else
		fprintf(stderr, "pagescan: %s\n", what);
	exit(1);
}

static struct keyctx *
pagescan_key(const char *path, struct header *h)
{
	const char *kf = getenv("PATRON_KEY_FILE");
	const char *pass = getenv("PATRON_PASSPHRASE");
	uint8_t region[HEADER_SIZE], dk[KEY_BYTES];
	struct keyctx *k;
	struct cred *cred;
	struct perr e;
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		pagescan_die(path, NULL);
	n = fread(region, 1, sizeof region, f);
	fclose(f);
	if (header_parse(region, n, h, NULL, &e) < 0)
		pagescan_die(NULL, &e);
	if (kf != NULL && *kf != '\0')
		cred = cred_from_keyfile(kf, &e);
	else
		cred = cred_new(CRED_PASSPHRASE, pass ? pass : "",
		    pass ? strlen(pass) : 0);
	if (cred == NULL || keyslot_unlock(h, cred, dk, &e) < 0)
		pagescan_die(NULL, &e);
	cred_free(cred);
	k = keyctx_new(dk);
	sodium_memzero(dk, sizeof dk);
	if (k == NULL)
		pagescan_die("no secure memory", NULL);
	return k;
}

/* Every page of the main file; returns how many failed. */
static long
pagescan_main(const char *path, const struct keyctx *k,
	const struct header *h, long *pages)
{
	uint8_t page[PAGE_SIZE];
	long bad = 0;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, HEADER_SIZE,
	    SEEK_SET) != 0)
		pagescan_die(path, NULL);
	for (uint64_t pg = 1; fread(page, 1, PAGE_SIZE, f) == PAGE_SIZE;
	    pg++) {
		(*pages)++;
		if (sodium_is_zero(page, PAGE_SIZE))
			continue;	/* the lock-byte page, never written */
		if (keyctx_open_page(k, h->db_id, KEYCTX_DB, pg, NULL,
		    page) < 0) {
			bad++;
			continue;
		}
		fwrite(page, 1, PAGE_SIZE - PAGE_RESERVE, stdout);
	}
	fclose(f);
	return bad;
}

/* Every frame of the log, current or left over from earlier ones. */
static long
pagescan_wal(const char *path, const struct keyctx *k,
	const struct header *h, long *frames)
{
	uint8_t sealed[SCAN_FRAME], plain[SCAN_FHDR_PLAIN];
	char *wal;
	long bad = 0;
	FILE *f;

	if (asprintf(&wal, "%s%s", path, VFS_WAL_SUFFIX) < 0)
		pagescan_die("out of memory", NULL);
	f = fopen(wal, "rb");
	free(wal);
	if (f == NULL)
		return 0;	/* no log: nothing in it */
	if (fseek(f, SCAN_WAL_HDR, SEEK_SET) != 0) {
		fclose(f);
		return 0;
	}
	for (uint64_t i = 0; fread(sealed, 1, SCAN_FRAME, f) == SCAN_FRAME;
	    i++) {
		uint32_t pgno;

		(*frames)++;
		if (keyctx_open_small(k, h->db_id, KEYCTX_WAL_FRAME, i, sealed,
		    sizeof plain, plain) < 0) {
			bad++;
			continue;
		}
		pgno = (uint32_t)plain[0] << 24 | (uint32_t)plain[1] << 16 |
		    (uint32_t)plain[2] << 8 | plain[3];
		if (keyctx_open_page(k, h->db_id, KEYCTX_DB, pgno, NULL,
		    sealed + SCAN_FHDR) < 0) {
			bad++;
			continue;
		}
		fwrite(sealed + SCAN_FHDR, 1, PAGE_SIZE - PAGE_RESERVE, stdout);
	}
	fclose(f);
	return bad;
}

static uint32_t
pagescan_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The frames of the log and the marks, for tests that damage them. */
static int
pagescan_frames(const char *path, const struct keyctx *k,
	const struct header *h)
{
	uint8_t sealed[SCAN_FRAME], plain[SCAN_FHDR_PLAIN], hdr[32];
	uint8_t msealed[12 + SCAN_SEAL], mplain[12];
	int have_hdr = 0;
	char *name;
	FILE *f;

	if (asprintf(&name, "%s%s", path, VFS_WAL_SUFFIX) < 0)
		pagescan_die("out of memory", NULL);
	f = fopen(name, "rb");
	free(name);
	if (f != NULL && fread(sealed, 1, SCAN_WAL_HDR, f) == SCAN_WAL_HDR &&
	    keyctx_open_small(k, h->db_id, KEYCTX_WAL_HDR, 0, sealed,
	    sizeof hdr, hdr) == 0)
		have_hdr = 1;
	printf("header %s\n", have_hdr ? "ok" : "bad");
	for (uint64_t i = 0; f != NULL &&
	    fread(sealed, 1, SCAN_FRAME, f) == SCAN_FRAME; i++) {
		if (keyctx_open_small(k, h->db_id, KEYCTX_WAL_FRAME, i, sealed,
		    sizeof plain, plain) < 0) {
			printf("frame %llu 0 0 bad\n", (unsigned long long)i);
			continue;
		}
		printf("frame %llu %u %u %s\n", (unsigned long long)i,
		    pagescan_be32(plain), pagescan_be32(plain + 4),
		    have_hdr && memcmp(plain + 8, hdr + 16, 8) == 0 ? "cur"
								     : "old");
	}
	if (f != NULL)
		fclose(f);
	if (asprintf(&name, "%s%s", path, VFS_MARK_SUFFIX) < 0)
		pagescan_die("out of memory", NULL);
	f = fopen(name, "rb");
	free(name);
	for (int slot = 0; slot < 2; slot++) {
		if (f == NULL || fseek(f, slot * 512L, SEEK_SET) != 0 ||
		    fread(msealed, 1, sizeof msealed, f) != sizeof msealed ||
		    keyctx_open_small(k, h->db_id, KEYCTX_WAL_MARK,
		    (uint64_t)slot, msealed, sizeof mplain, mplain) < 0) {
			printf("mark %d 0 none\n", slot);
			continue;
		}
		printf("mark %d %u %s\n", slot, (uint32_t)mplain[8] |
		    (uint32_t)mplain[9] << 8 | (uint32_t)mplain[10] << 16 |
		    (uint32_t)mplain[11] << 24,
		    have_hdr && memcmp(mplain, hdr + 16, 8) == 0 ? "cur"
								 : "old");
	}
	if (f != NULL)
		fclose(f);
	return fflush(stdout) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct header h;
	struct keyctx *k;
	long pages = 0, frames = 0, bad;

	if (argc == 3 && strcmp(argv[1], "--frames") == 0) {
		int rc;

		if (sodium_init() < 0)
			pagescan_die("libsodium", NULL);
		k = pagescan_key(argv[2], &h);
		rc = pagescan_frames(argv[2], k, &h);
		keyctx_free(k);
		return rc;
	}
	if (argc != 2) {
		fputs("usage: pagescan [--frames] DB > plaintext\n", stderr);
		return 64;
	}
	if (sodium_init() < 0)
		pagescan_die("libsodium", NULL);
	k = pagescan_key(argv[1], &h);
	bad = pagescan_main(argv[1], k, &h, &pages);
	bad += pagescan_wal(argv[1], k, &h, &frames);
	keyctx_free(k);
	if (fflush(stdout) != 0)
		pagescan_die("cannot write", NULL);
	fprintf(stderr, "pagescan: %ld pages, %ld log frames, %ld failed\n",
	    pages, frames, bad);
	return 0;
}
