/*
 * bench_import: importing customers from CSV. Writes N synthetic customers
 * (bench/synth.h) to a CSV file, then times, on the same file:
 *
 *   baseline  `sqlite3 plain.db ".import --csv FILE t"`: the stock shell
 *             loading the rows into a plain table, no checks, no encryption;
 *   patron    import_customers() into an encrypted database: every row
 *             parsed with libcsv, validated (UTF-8, phone to E.164, email,
 *             date, card), checked for duplicates, inserted with its tags
 *             and consent, indexed, sealed; one transaction.
 *
 * usage: bench_import [-n ROWS] [-d DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "patron/import.h"
#include "patron/keyslot.h"
#include "patron/store.h"
#include "bench.h"
#include "synth.h"

static void
write_csv(const char *path, long n)
{
	struct synth g = { 7 };
	struct synth_customer c;
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fputs("name,phone,email,birthday,card,tags,marketing_consent\n", f);
	for (long i = 1; i <= n; i++) {
		synth_customer(&g, i, &c);
		/* Every row a valid, distinct customer: phones made unique. */
		fprintf(f, "\"%s\",+86139%08ld,%s,%s,%s,%s,%s\n", c.name, i,
			c.email, c.birthday, c.card, c.tag, i % 3 ? "yes" : "");
	}
	fclose(f);
}

int
main(int argc, char **argv)
{
	long n = 100000;
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char tmpl[512], csv[600], db[600], plain[600], plain2[600], cmd[4096];
	uint8_t key[KEYFILE_BYTES];
	struct import_opts o = { 0 };
	struct import_result r;
	struct config cfg;
	struct store *s;
	struct cred *cred;
	struct perr e;
	double t0, t_base, t_idx, t_patron;
	FILE *in;
	int ch;

	while ((ch = getopt(argc, argv, "n:d:")) != -1) {
		switch (ch) {
		case 'n': n = atol(optarg); break;
		case 'd': dir = optarg; break;
		default:
			fputs("usage: bench_import [-n ROWS] [-d DIR]\n", stderr);
			return 64;
		}
	}
	if (n < 1 || sodium_init() < 0)
		return 64;
	snprintf(tmpl, sizeof tmpl, "%s/patron-bench-import.XXXXXX", dir);
	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(csv, sizeof csv, "%s/customers.csv", tmpl);
	snprintf(db, sizeof db, "%s/patron.db", tmpl);
	snprintf(plain, sizeof plain, "%s/plain.db", tmpl);
	snprintf(plain2, sizeof plain2, "%s/plain-indexed.db", tmpl);
	write_csv(csv, n);

	snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'PRAGMA journal_mode=WAL' "
		"'PRAGMA synchronous=FULL' '.import --csv %s t' >/dev/null",
		plain, csv);
	t0 = bench_now();
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_import: sqlite3 .import failed\n");
		return 1;
	}
	t_base = bench_now() - t0;

	/* The same, into a table with the lookups Patron keeps indexed. */
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'PRAGMA journal_mode=WAL' "
		"'PRAGMA synchronous=FULL' 'CREATE TABLE t (name, phone, email, "
		"birthday, card, tags, marketing_consent)' 'CREATE INDEX t_phone "
		"ON t(phone)' 'CREATE INDEX t_email ON t(lower(email))' "
		"'CREATE INDEX t_card ON t(card)' '.import --csv --skip 1 %s t' "
		">/dev/null", plain2, csv);
	t0 = bench_now();
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_import: sqlite3 .import failed\n");
		return 1;
	}
	t_idx = bench_now() - t0;

	randombytes_buf(key, sizeof key);
	cred = cred_new(CRED_KEYFILE, key, sizeof key);
	config_defaults(&cfg);
	if (store_create(db, cred, KDF_INTERACTIVE, &s, &e) < 0 ||
	    (in = fopen(csv, "r")) == NULL) {
		fprintf(stderr, "bench_import: %s\n", e.msg);
		return 1;
	}
	if (getenv("BENCH_REJECTS") != NULL)
		o.rejects = stderr;
	t0 = bench_now();
	if (import_customers(s, &cfg, 0, in, csv, &o, &r, &e) < 0) {
		fprintf(stderr, "bench_import: %s\n", e.msg);
		return 1;
	}
	t_patron = bench_now() - t0;
	fclose(in);
	store_close(s);
	cred_free(cred);
	printf("bench_import: %ld rows (%ld imported)\n", n, r.added);
	printf("sqlite3 .import (plain, no checks)  %7.2f s  %9.0f rows/s\n",
		t_base, (double)n / t_base);
	printf("sqlite3 .import, same indexes       %7.2f s  %9.0f rows/s\n",
		t_idx, (double)n / t_idx);
	printf("patron import (encrypted, checked)  %7.2f s  %9.0f rows/s\n",
		t_patron, (double)n / t_patron);
	printf("ratio %.2fx against the bare table (goal: within 3x), %.2fx "
		"against the indexed one\n", t_patron / t_base, t_patron / t_idx);
	bench_remove("bench_import", tmpl);
	return r.added == n ? 0 : 1;
}
