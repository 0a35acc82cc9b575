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
 * Each of R rounds (default 3) runs the three loaders on fresh files; the
 * table gives the median of the rounds.
 *
 * usage: bench_import [-n ROWS] [-r ROUNDS] [-d DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "patron/audit.h"
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

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One run of a sqlite3 shell command line, timed. */
static double
shell_time(const char *cmd)
{
	double t0 = bench_now();

	if (system(cmd) != 0) {
		fprintf(stderr, "bench_import: sqlite3 .import failed\n");
		exit(1);
	}
	return bench_now() - t0;
}

/* import_customers() into a new encrypted database, timed with commit. */
static double
patron_time(const char *db, const char *csv, long *added)
{
	uint8_t key[KEYFILE_BYTES];
	struct import_opts o = { 0 };
	struct import_result r;
	struct config cfg;
	struct store *s;
	struct cred *cred;
	struct perr e;
	double t0, t;
	FILE *in;

	randombytes_buf(key, sizeof key);
	cred = cred_new(CRED_KEYFILE, key, sizeof key);
	config_defaults(&cfg);
	if (store_create(db, cred, KDF_INTERACTIVE, &s, &e) < 0 ||
	    (in = fopen(csv, "r")) == NULL) {
		fprintf(stderr, "bench_import: %s\n", e.msg);
		exit(1);
	}
	if (getenv("BENCH_REJECTS") != NULL)
		o.rejects = stderr;
	t0 = bench_now();
	if (import_customers(s, &cfg, 0, in, csv, &o, &r, &e) < 0) {
		fprintf(stderr, "bench_import: %s\n", e.msg);
		exit(1);
	}
	t = bench_now() - t0;
	fclose(in);
	store_close(s);
	cred_free(cred);
	*added = r.added;
	return t;
}

#define ROUNDS_MAX 15

int
main(int argc, char **argv)
{
	long n = 100000, added = 0;
	int rounds = 3;
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char tmpl[512], csv[600], db[600], plain[600], plain2[600], cmd[4096];
	double t_base[ROUNDS_MAX], t_idx[ROUNDS_MAX], t_patron[ROUNDS_MAX];
	double base, idx, pat;
	int ch;

	while ((ch = getopt(argc, argv, "n:r:d:")) != -1) {
		switch (ch) {
		case 'n': n = atol(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		case 'd': dir = optarg; break;
		default:
			fputs("usage: bench_import [-n ROWS] [-r ROUNDS] "
			    "[-d DIR]\n", stderr);
			return 64;
		}
	}
	if (n < 1 || rounds < 1 || rounds > ROUNDS_MAX || sodium_init() < 0)
		return 64;
	audit_install();
	snprintf(tmpl, sizeof tmpl, "%s/patron-bench-import.XXXXXX", dir);
	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(csv, sizeof csv, "%s/customers.csv", tmpl);
	write_csv(csv, n);
	for (int i = 0; i < rounds; i++) {
		snprintf(db, sizeof db, "%s/patron-%d.db", tmpl, i);
		snprintf(plain, sizeof plain, "%s/plain-%d.db", tmpl, i);
		snprintf(plain2, sizeof plain2, "%s/plain-indexed-%d.db", tmpl,
		    i);
		snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'PRAGMA journal_mode="
		    "WAL' 'PRAGMA synchronous=FULL' '.import --csv %s t' "
		    ">/dev/null", plain, csv);
		t_base[i] = shell_time(cmd);
		/* The same, into a table with the lookups Patron indexes. */
		snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'PRAGMA journal_mode="
		    "WAL' 'PRAGMA synchronous=FULL' 'CREATE TABLE t (name, "
		    "phone, email, birthday, card, tags, marketing_consent)' "
		    "'CREATE INDEX t_phone ON t(phone)' 'CREATE INDEX t_email "
		    "ON t(lower(email))' 'CREATE INDEX t_card ON t(card)' "
		    "'.import --csv --skip 1 %s t' >/dev/null", plain2, csv);
		t_idx[i] = shell_time(cmd);
		t_patron[i] = patron_time(db, csv, &added);
	}
	base = median(t_base, rounds);
	idx = median(t_idx, rounds);
	pat = median(t_patron, rounds);
	printf("bench_import: %ld rows (%ld imported), median of %d rounds\n",
	    n, added, rounds);
	printf("sqlite3 .import (plain, no checks)  %7.2f s  %9.0f rows/s\n",
	    base, (double)n / base);
	printf("sqlite3 .import, same indexes       %7.2f s  %9.0f rows/s\n",
	    idx, (double)n / idx);
	printf("patron import (encrypted, checked)  %7.2f s  %9.0f rows/s\n",
	    pat, (double)n / pat);
	printf("ratio %.2fx against the indexed table (like with like; goal: "
	    "within 3x), %.2fx against the bare one\n", pat / idx,
	    pat / base);
	bench_remove("bench_import", tmpl);
	return added == n ? 0 : 1;
}
