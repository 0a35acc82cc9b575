/*
 * bench_search: the lookup screen's search with many customers in the
 * encrypted database. Loads N synthetic customers (bench/synth.h), builds
 * the in-memory index, and times queries of 1 to 8 characters of six
 * kinds (word starts, phone endings, inner parts of names, Chinese
 * characters, digits from inside a phone, a card's number without its
 * prefix), reporting p50, p99 and max per kind.
 *
 * Baseline, measured in the same run on the same rows: stock SQLite (unix
 * VFS, no encryption) answering the same queries with LIKE and ORDER BY
 * last_visit, the way a web CRM's search box is often written. It scans,
 * so it runs fewer queries.
 *
 * usage: bench_search [-n CUSTOMERS] [-q QUERIES] [-b BASELINE_QUERIES]
 *        [-d DIR]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "patron/audit.h"
#include "patron/customer.h"
#include "patron/fold.h"
#include "patron/keyslot.h"
#include "patron/search.h"
#include "patron/store.h"
#include "patron/utf8.h"
#include "patron/vfs.h"
#include "bench.h"
#include "synth.h"

#define LIMIT 20

static void
die(const char *what, const struct perr *e)
{
	fprintf(stderr, "bench_search: %s: %s\n", what, e ? e->msg : "");
	exit(1);
}

static const char insert_sql[] =
	"INSERT INTO customer (uuid, name, phone, email, card, last_visit, "
	"birthday, created_at, updated_at) VALUES (?1, ?2, ?3, nullif(?4, ''), "
	"nullif(?5, ''), nullif(?6, ''), nullif(?7, ''), ?8, ?8)";

/* The same rows into the open database db; tags into customer_tag. */
static void
load(sqlite3 *db, long n)
{
	struct synth g = { 42 };
	struct synth_customer c;
	sqlite3_stmt *ins, *tag;
	char uuid[37];

	if (sqlite3_prepare_v2(db, insert_sql, -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO customer_tag VALUES (?1, ?2)",
		-1, &tag, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_search: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (long i = 1; i <= n; i++) {
		synth_customer(&g, i, &c);
		util_uuid7(uuid);
		sqlite3_bind_text(ins, 1, uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, c.name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, c.phone, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, c.email, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, c.card, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, c.visit, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 7, c.birthday, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, "2026-01-01T00:00:00Z", -1,
			SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "bench_search: insert: %s\n",
				sqlite3_errmsg(db));
			exit(1);
		}
		sqlite3_reset(ins);
		if (c.tag[0] != '\0') {
			sqlite3_bind_int64(tag, 1, sqlite3_last_insert_rowid(db));
			sqlite3_bind_text(tag, 2, c.tag, -1, SQLITE_STATIC);
			sqlite3_step(tag);
			sqlite3_reset(tag);
		}
		if (i % 50000 == 0) {
			sqlite3_exec(db, "COMMIT; BEGIN", NULL, NULL, NULL);
		}
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_finalize(ins);
	sqlite3_finalize(tag);
}

/* ---- queries ------------------------------------------------------------ */

enum { Q_PREFIX, Q_PHONE, Q_INNER, Q_CJK, Q_MIDDLE, Q_CARDNUM, Q_KINDS };
static const char *const kind_name[] = { "word start", "phone ending",
	"inside a name", "Chinese chars", "phone middle", "card digits" };

/* Up to max bytes of s cut at a character boundary, at least one char. */
static void
cut(const char *s, size_t max, char *out)
{
	size_t n = 0;

	while (s[n] != '\0') {
		size_t k = 1;

		while ((s[n + k] & 0xc0) == 0x80)
			k++;
		if (n + k > max && n > 0)
			break;
		n += k;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Queries of 1 to 8 characters drawn from the synthetic names. */
static char **
make_queries(int kind, long count, long customers)
{
	struct synth g = { 4242 + (uint64_t)kind };
	struct synth_customer c;
	char **q = calloc((size_t)count, sizeof *q);

	for (long i = 0; i < count; i++) {
		size_t len = 1 + synth_below(&g, 8);
		char buf[96], *folded, *w;
		long pick = 1 + (long)synth_below(&g, (uint32_t)customers);

		/* A customer drawn like the loaded ones. */
		if (kind == Q_MIDDLE || kind == Q_CARDNUM) {
			synth_customer(&g, pick, &c);
			if (kind == Q_CARDNUM) {
				/* Its number without the C and zeros. */
				snprintf(buf, sizeof buf, "%ld", pick);
				q[i] = strdup(buf);
				continue;
			}
			/* 4 to 6 digits from inside a mobile (+86 1xx...). */
			len = 4 + synth_below(&g, 3);
			snprintf(buf, sizeof buf, "%.*s", (int)len, c.phone + 3 +
				synth_below(&g, (uint32_t)(strlen(c.phone) - 4 -
				len)));
			q[i] = strdup(buf);
			continue;
		}
		if (kind == Q_PHONE) {
			snprintf(buf, sizeof buf, "%08u",
				synth_below(&g, 100000000));
			q[i] = strdup(buf + 8 - (len < 3 ? 3 : len));
			continue;
		}
		if (kind == Q_CJK) {
			const char *f = synth_cn_family[synth_below(&g,
				SYNTH_N(synth_cn_family))];
			const char *gv = synth_cn_given[synth_below(&g,
				SYNTH_N(synth_cn_given))];

			snprintf(buf, sizeof buf, "%s", synth_below(&g, 3) == 0 ?
				gv : synth_below(&g, 2) ? f : "");
			if (buf[0] == '\0')
				snprintf(buf, sizeof buf, "%s%s", f, gv);
			q[i] = strdup(buf);
			continue;
		}
		synth_customer(&g, pick, &c);
		folded = fold_text(c.name);
		w = folded;
		if (strchr(w, ' ') != NULL && synth_below(&g, 2))
			w = strchr(w, ' ') + 1;
		if (kind == Q_INNER) {
			/* Within one word: past its first character. */
			size_t wl = strcspn(w, " "), off;

			w[wl] = '\0';
			if (wl > 2) {
				off = 1 + synth_below(&g, (uint32_t)wl - 2);
				while ((w[off] & 0xc0) == 0x80)
					off++;
				w += off;
			}
		}
		cut(w, len, buf);
		q[i] = strdup(buf[0] ? buf : "a");
		free(folded);
	}
	return q;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stats {
	double p50, p99, max;
};

static struct stats
summarise(double *t, long n)
{
	struct stats s;

	qsort(t, (size_t)n, sizeof *t, cmp_double);
	s.p50 = t[n / 2] * 1e3;
	s.p99 = t[(long)((double)n * 0.99)] * 1e3;
	s.max = t[n - 1] * 1e3;
	return s;
}

static const char baseline_sql[] =
	"SELECT id FROM customer WHERE deleted_at IS NULL AND (name LIKE ?1 || "
	"'%' OR name LIKE '% ' || ?1 || '%' OR name LIKE '%' || ?1 || '%' OR "
	"phone LIKE '%' || ?1 OR card LIKE ?1 || '%' OR email LIKE ?1 || '%') "
	"ORDER BY last_visit DESC LIMIT 20";

int
main(int argc, char **argv)
{
	long n = 1000000, nq = 2000, nb = 40;
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char tmpl[512], path[600], plain[600];
	uint8_t key[KEYFILE_BYTES];
	struct cred *cred;
	struct store *s;
	struct search *x;
	struct config cfg;
	struct perr e;
	sqlite3 *pdb;
	sqlite3_stmt *st;
	double t0, t_load, t_plain, t_index;
	int ch;

	while ((ch = getopt(argc, argv, "n:q:b:d:")) != -1) {
		switch (ch) {
		case 'n': n = atol(optarg); break;
		case 'q': nq = atol(optarg); break;
		case 'b': nb = atol(optarg); break;
		case 'd': dir = optarg; break;
		default:
			fprintf(stderr, "usage: bench_search [-n CUSTOMERS] "
				"[-q QUERIES] [-b BASELINE_QUERIES] [-d DIR]\n");
			return 64;
		}
	}
	if (n < 100 || nq < 10 || nb < 1 || sodium_init() < 0)
		return 64;
	audit_install();
	snprintf(tmpl, sizeof tmpl, "%s/patron-bench-search.XXXXXX", dir);
	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/patron.db", tmpl);
	snprintf(plain, sizeof plain, "%s/plain.db", tmpl);
	randombytes_buf(key, sizeof key);
	cred = cred_new(CRED_KEYFILE, key, sizeof key);
	config_defaults(&cfg);
	strcpy(cfg.store_country, "CN");

	printf("bench_search: %ld customers, %ld queries per kind "
		"(baseline %ld), limit %d\n", n, nq, nb, LIMIT);
	if (store_create(path, cred, KDF_INTERACTIVE, &s, &e) < 0)
		die("create", &e);
	t0 = bench_now();
	load(store_db(s), n);
	t_load = bench_now() - t0;

	if (sqlite3_open_v2(plain, &pdb, SQLITE_OPEN_READWRITE |
		    SQLITE_OPEN_CREATE, "unix") != SQLITE_OK)
		die("plain open", NULL);
	sqlite3_exec(pdb, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
		"PRAGMA cache_size=-16384; CREATE TABLE staff (id INTEGER "
		"PRIMARY KEY); CREATE TABLE customer (id INTEGER PRIMARY KEY, "
		"uuid TEXT, name TEXT, phone TEXT, email TEXT, card TEXT, "
		"last_visit TEXT, birthday TEXT, created_at TEXT, updated_at "
		"TEXT, deleted_at TEXT); CREATE TABLE customer_tag (customer_id, "
		"tag); CREATE INDEX customer_visit ON customer(last_visit);",
		NULL, NULL, NULL);
	t0 = bench_now();
	load(pdb, n);
	t_plain = bench_now() - t0;
	printf("load (bulk insert)      patron %7.1f s   plain %7.1f s   "
		"ratio %.2fx\n", t_load, t_plain, t_load / t_plain);

	/*
	 * What a session (the TUI) holds with this many customers: a child
	 * process opens the database, builds the index and answers a query;
	 * its peak resident set is the figure.
	 */
	store_close(s);
	fflush(stdout);
	{
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			struct search_hit h[LIMIT];
			struct rusage ru;

			if (store_open(path, cred, 0, &s, &e) < 0)
				_exit(1);
			x = search_new();
			if (search_refresh(x, s, &e) < 0 ||
			    search_query(x, s, &cfg, "anna", h, LIMIT, NULL, NULL,
				&e) < 0)
				_exit(1);
			getrusage(RUSAGE_SELF, &ru);
			printf("session peak RSS        %7.0f MB (database open, "
				"index built, one query)\n", ru.ru_maxrss / 1024.0);
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, &status, 0);
	}
	if (store_open(path, cred, 0, &s, &e) < 0)
		die("open", &e);

	/* A session starts cold: reopen, then build the index. */
	store_close(s);
	if (store_open(path, cred, 0, &s, &e) < 0)
		die("open", &e);
	x = search_new();
	t0 = bench_now();
	if (search_refresh(x, s, &e) < 0)
		die("index", &e);
	t_index = bench_now() - t0;
	printf("index build (cold)      %7.2f s, %zu customers, %.0f MB\n",
		t_index, search_count(x), (double)search_bytes(x) / 1048576.0);

	if (sqlite3_prepare_v2(pdb, baseline_sql, -1, &st, NULL) != SQLITE_OK)
		die(sqlite3_errmsg(pdb), NULL);
	double *bylen[9];
	long nbylen[9] = { 0 };

	for (int i = 0; i < 9; i++)
		bylen[i] = calloc((size_t)nq * Q_KINDS, sizeof(double));
	printf("%-16s %9s %9s %9s   %9s %9s   %s\n", "query kind",
		"p50 ms", "p99 ms", "max ms", "base p50", "base p99",
		"p99 ratio");
	for (int k = 0; k < Q_KINDS; k++) {
		char **q = make_queries(k, nq, n);
		double *t = calloc((size_t)nq, sizeof *t);
		double *b = calloc((size_t)nb, sizeof *b);
		struct search_hit hits[LIMIT];
		struct stats ps, bs;
		long found = 0;

		for (long i = 0; i < nq; i++) {
			long got;

			t0 = bench_now();
			got = search_query(x, s, &cfg, q[i], hits, LIMIT, NULL,
				NULL, &e);
			t[i] = bench_now() - t0;
			if (got < 0)
				die("query", &e);
			{
				size_t chars = utf8_length(q[i]);

				if (chars > 8)
					chars = 8;
				bylen[chars][nbylen[chars]++] = t[i];
			}
			found += got;
			if (getenv("BENCH_SLOW") && t[i] > 1e-3)
				printf("  slow %.2f ms: '%s' (%ld hits)\n",
					t[i] * 1e3, q[i], got);
		}
		for (long i = 0; i < nb; i++) {
			t0 = bench_now();
			sqlite3_bind_text(st, 1, q[i], -1, SQLITE_STATIC);
			while (sqlite3_step(st) == SQLITE_ROW)
				;
			sqlite3_reset(st);
			b[i] = bench_now() - t0;
		}
		ps = summarise(t, nq);
		bs = summarise(b, nb);
		printf("%-16s %9.3f %9.3f %9.3f   %9.1f %9.1f   %.4fx "
			"(avg %.1f hits)\n", kind_name[k], ps.p50, ps.p99, ps.max,
			bs.p50, bs.p99, ps.p99 / bs.p99, (double)found / nq);
		for (long i = 0; i < nq; i++)
			free(q[i]);
		free(q);
		free(t);
		free(b);
	}
	printf("\n%-16s %9s %9s %9s %9s\n", "characters", "queries", "p50 ms",
		"p99 ms", "max ms");
	for (int i = 1; i <= 8; i++) {
		struct stats ls;

		if (nbylen[i] == 0)
			continue;
		ls = summarise(bylen[i], nbylen[i]);
		printf("%-16d %9ld %9.3f %9.3f %9.3f\n", i, nbylen[i], ls.p50,
			ls.p99, ls.max);
	}
	for (int i = 0; i < 9; i++)
		free(bylen[i]);
	sqlite3_finalize(st);
	sqlite3_close(pdb);
	search_free(x);
	store_close(s);
	cred_free(cred);
	bench_remove("bench_search", tmpl);
	return 0;
}
