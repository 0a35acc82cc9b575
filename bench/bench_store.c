/*
 * bench_store: what encryption at rest costs. One workload, run in the same
 * process through plain SQLite (the stock "unix" VFS) and through Patron's
 * store (the sealing VFS), with the same pragmas and the same pseudo-random
 * keys and payloads, so the ratio of their times is the price of the shim.
 * bench/README.md says how to read the table.
 *
 * usage: bench_store [-v] [-n ROWS] [-r ROUNDS] [-d DIR] [-e plain|patron]
 * (-e runs one engine alone, for a profiler; -v prints every round.)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "patron/audit.h"
#include "patron/keyslot.h"
#include "patron/store.h"
#include "patron/util.h"
#include "patron/vfs.h"

#define BENCH_PAYLOAD 100
#define BENCH_INSERT_BATCH 1000
#define BENCH_UPDATE_BATCH 100
#define BENCH_SCAN_ROWS 100
#define BENCH_MAX_ROUNDS 15
/* Warm phases: a page cache that holds the whole database. */
#define BENCH_CACHE_WARM "-65536"
/* Cold phase: SQLite's default 2 MB, far smaller than the database. */
#define BENCH_CACHE_COLD "-2000"
#define BENCH_PASS "bench passphrase"

/* One open database, through either engine. */
struct bench_conn {
	const struct bench_engine *eng;
	char *path;
	sqlite3 *db;
	struct store *store;
	struct cred *cred;
};

/* How a database is created, reopened and closed: plain or Patron. */
struct bench_engine {
	const char *name;
	int (*create)(struct bench_conn *c, struct perr *e);
	int (*reopen)(struct bench_conn *c, struct perr *e);
	void (*close)(struct bench_conn *c);
	/* Files besides path itself that the database leaves behind. */
	const char *suffixes[4];
};

/* A timed phase; prepare (if any) runs first, outside the clock. */
struct bench_phase {
	const char *name;
	int is_write;
	int (*prepare)(struct bench_conn *c, long rows, struct perr *e);
	/* Returns the operations done (-1 on error) and a checksum. */
	long (*run)(struct bench_conn *c, long rows, uint64_t *sum,
		struct perr *e);
};

/* ---- deterministic data ------------------------------------------------ */

static uint64_t
bench_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* splitmix64: the same seed gives both engines the same work. */
static uint64_t
bench_next(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return bench_mix(*state);
}

static long
bench_pick(uint64_t *state, long n)
{
	return (long)(bench_next(state) % (uint64_t)n);
}

/* The indexed column of row id: random-looking, so index inserts scatter. */
static void
bench_code(long id, char out[18])
{
	snprintf(out, 18, "C%016" PRIx64, bench_mix((uint64_t)id));
}

static void
bench_payload(uint64_t *state, char out[BENCH_PAYLOAD + 1])
{
	static const char alphabet[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
	uint64_t r = 0;

	for (int i = 0; i < BENCH_PAYLOAD; i++) {
		if (i % 8 == 0)
			r = bench_next(state);
		out[i] = alphabet[(r & 0xff) % (sizeof alphabet - 1)];
		r >>= 8;
	}
	out[BENCH_PAYLOAD] = '\0';
}

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- SQL helpers ------------------------------------------------------- */

static int
bench_sqlerr(struct bench_conn *c, const char *what, struct perr *e)
{
	const char *detail = vfs_last_error();

	return perr_set(e, PX_FAIL, "%s: %s: %s%s%s", c->eng->name, what,
		c->db ? sqlite3_errmsg(c->db) : "no database",
		detail[0] ? ": " : "", detail);
}

static int
bench_exec(struct bench_conn *c, const char *sql, struct perr *e)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return bench_sqlerr(c, sql, e);
	return 0;
}

static int
bench_prepare(struct bench_conn *c, const char *sql, sqlite3_stmt **st,
	struct perr *e)
{
	if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) != SQLITE_OK)
		return bench_sqlerr(c, sql, e);
	return 0;
}

/*
 * The pragmas both engines run with: Patron's store sets the same journal,
 * sync, temp and delete modes itself, and forbids mmap.
 */
static int
bench_pragmas(struct bench_conn *c, const char *cache, struct perr *e)
{
	char sql[512];

	snprintf(sql, sizeof sql,
		"PRAGMA page_size = 4096;"
		"PRAGMA journal_mode = WAL;"
		"PRAGMA synchronous = FULL;"
		"PRAGMA temp_store = MEMORY;"
		"PRAGMA mmap_size = 0;"
		"PRAGMA foreign_keys = ON;"
		"PRAGMA secure_delete = ON;"
		"PRAGMA cache_size = %s;",
		cache);
	return bench_exec(c, sql, e);
}

/* ---- engines ----------------------------------------------------------- */

static int
plain_open(struct bench_conn *c, int flags, struct perr *e)
{
	if (sqlite3_open_v2(c->path, &c->db, flags, "unix") != SQLITE_OK)
		return bench_sqlerr(c, "open", e);
	return 0;
}

static int
plain_create(struct bench_conn *c, struct perr *e)
{
	if (plain_open(c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, e) < 0)
		return -1;
	if (bench_pragmas(c, BENCH_CACHE_WARM, e) < 0)
		return -1;
	/* Patron's own schema too, so both files hold the same tables. */
	if (bench_exec(c, "BEGIN", e) < 0)
		return -1;
	for (int i = 0; i < store_nmigrations; i++)
		if (bench_exec(c, store_migrations[i].sql, e) < 0)
			return -1;
	return bench_exec(c, "COMMIT", e);
}

static int
plain_reopen(struct bench_conn *c, struct perr *e)
{
	sqlite3_close_v2(c->db);
	c->db = NULL;
	if (plain_open(c, SQLITE_OPEN_READWRITE, e) < 0)
		return -1;
	return bench_pragmas(c, BENCH_CACHE_COLD, e);
}

static void
plain_close(struct bench_conn *c)
{
	sqlite3_close_v2(c->db);
	c->db = NULL;
}

static int
patron_create(struct bench_conn *c, struct perr *e)
{
	c->cred = cred_new(CRED_PASSPHRASE, BENCH_PASS, strlen(BENCH_PASS));
	if (c->cred == NULL)
		return perr_set(e, PX_FAIL, "cannot allocate secure memory");
	if (store_create(c->path, c->cred, KDF_INTERACTIVE, &c->store, e) < 0)
		return -1;
	c->db = store_db(c->store);
	return bench_pragmas(c, BENCH_CACHE_WARM, e);
}

static int
patron_reopen(struct bench_conn *c, struct perr *e)
{
	store_close(c->store);
	c->store = NULL;
	c->db = NULL;
	if (store_open(c->path, c->cred, 0, &c->store, e) < 0)
		return -1;
	c->db = store_db(c->store);
	return bench_pragmas(c, BENCH_CACHE_COLD, e);
}

static void
patron_close(struct bench_conn *c)
{
	store_close(c->store);
	c->store = NULL;
	c->db = NULL;
	cred_free(c->cred);
	c->cred = NULL;
}

static const struct bench_engine bench_engines[] = {
	{ .name = "plain",
		.create = plain_create,
		.reopen = plain_reopen,
		.close = plain_close,
		.suffixes = { "-wal", "-shm", "-journal", NULL } },
	{ .name = "patron",
		.create = patron_create,
		.reopen = patron_reopen,
		.close = patron_close,
		.suffixes = { VFS_WAL_SUFFIX, "-shm", VFS_JOURNAL_SUFFIX,
			NULL } },
};
#define BENCH_NENGINES (int)(sizeof bench_engines / sizeof bench_engines[0])

/* ---- phases ------------------------------------------------------------ */

static long
phase_insert(struct bench_conn *c, long rows, uint64_t *sum, struct perr *e)
{
	sqlite3_stmt *st;
	uint64_t rng = 1;
	char code[18], payload[BENCH_PAYLOAD + 1];

	if (bench_exec(c,
		    "CREATE TABLE bench(id INTEGER PRIMARY KEY,"
		    " code TEXT NOT NULL, payload TEXT NOT NULL);"
		    "CREATE INDEX bench_code ON bench(code);",
		    e) < 0 ||
		bench_prepare(c,
			"INSERT INTO bench(id, code, payload) VALUES (?, ?, ?)",
			&st, e) < 0)
		return -1;
	for (long id = 1; id <= rows; id++) {
		if ((id - 1) % BENCH_INSERT_BATCH == 0 &&
			bench_exec(c, "BEGIN IMMEDIATE", e) < 0)
			goto fail;
		bench_code(id, code);
		bench_payload(&rng, payload);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, payload, BENCH_PAYLOAD, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			bench_sqlerr(c, "insert", e);
			goto fail;
		}
		sqlite3_reset(st);
		*sum += (uint64_t)payload[0];
		if ((id % BENCH_INSERT_BATCH == 0 || id == rows) &&
			bench_exec(c, "COMMIT", e) < 0)
			goto fail;
	}
	sqlite3_finalize(st);
	return rows;
fail:
	sqlite3_finalize(st);
	return -1;
}

/* Step a statement expected to return exactly one row; add it to sum. */
static int
bench_one_row(struct bench_conn *c, sqlite3_stmt *st, uint64_t *sum,
	struct perr *e)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return perr_set(e, PX_FAIL, "%s: a row is missing",
				c->eng->name);
		return bench_sqlerr(c, "select", e);
	}
	*sum += (uint64_t)sqlite3_column_int64(st, 0) +
		(uint64_t)sqlite3_column_bytes(st, 1);
	sqlite3_reset(st);
	return 0;
}

static long
bench_reads_by_id(struct bench_conn *c, long rows, long n, uint64_t seed,
	uint64_t *sum, struct perr *e)
{
	sqlite3_stmt *st;
	uint64_t rng = seed;

	if (bench_prepare(c, "SELECT length(code), payload FROM bench "
			     "WHERE id = ?",
		    &st, e) < 0)
		return -1;
	for (long i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, bench_pick(&rng, rows) + 1);
		if (bench_one_row(c, st, sum, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return n;
}

static long
phase_read_id(struct bench_conn *c, long rows, uint64_t *sum, struct perr *e)
{
	return bench_reads_by_id(c, rows, rows, 2, sum, e);
}

static long
phase_read_code(struct bench_conn *c, long rows, uint64_t *sum,
	struct perr *e)
{
	sqlite3_stmt *st;
	uint64_t rng = 3;
	char code[18];

	if (bench_prepare(c, "SELECT id, payload FROM bench WHERE code = ?",
		    &st, e) < 0)
		return -1;
	for (long i = 0; i < rows; i++) {
		bench_code(bench_pick(&rng, rows) + 1, code);
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		if (bench_one_row(c, st, sum, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rows;
}

static long
phase_scan(struct bench_conn *c, long rows, uint64_t *sum, struct perr *e)
{
	sqlite3_stmt *st;
	uint64_t rng = 4;
	long n = rows / 100 > 0 ? rows / 100 : 1;
	long span = rows > BENCH_SCAN_ROWS ? rows - BENCH_SCAN_ROWS + 1 : 1;
	int rc;

	if (bench_prepare(c, "SELECT id, code, payload FROM bench "
			     "WHERE id >= ? ORDER BY id LIMIT ?",
		    &st, e) < 0)
		return -1;
	for (long i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, bench_pick(&rng, span) + 1);
		sqlite3_bind_int(st, 2, BENCH_SCAN_ROWS);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			*sum += (uint64_t)sqlite3_column_int64(st, 0) +
				(uint64_t)sqlite3_column_bytes(st, 2);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(st);
			return bench_sqlerr(c, "scan", e);
		}
	}
	sqlite3_finalize(st);
	return n;
}

static long
phase_update(struct bench_conn *c, long rows, uint64_t *sum, struct perr *e)
{
	sqlite3_stmt *st;
	uint64_t rng = 5;
	long n = rows / 10 > 0 ? rows / 10 : 1;
	char payload[BENCH_PAYLOAD + 1];

	if (bench_prepare(c, "UPDATE bench SET payload = ? WHERE id = ?", &st,
		    e) < 0)
		return -1;
	for (long i = 0; i < n; i++) {
		if (i % BENCH_UPDATE_BATCH == 0 &&
			bench_exec(c, "BEGIN IMMEDIATE", e) < 0)
			goto fail;
		bench_payload(&rng, payload);
		sqlite3_bind_text(st, 1, payload, BENCH_PAYLOAD, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, bench_pick(&rng, rows) + 1);
		if (sqlite3_step(st) != SQLITE_DONE ||
			sqlite3_changes(c->db) != 1) {
			bench_sqlerr(c, "update", e);
			goto fail;
		}
		sqlite3_reset(st);
		*sum += (uint64_t)payload[0];
		if (((i + 1) % BENCH_UPDATE_BATCH == 0 || i + 1 == n) &&
			bench_exec(c, "COMMIT", e) < 0)
			goto fail;
	}
	sqlite3_finalize(st);
	return n;
fail:
	sqlite3_finalize(st);
	return -1;
}

/*
 * Close (the last connection checkpoints the WAL into the file) and open
 * again with a small cache: reads then miss the page cache and come from
 * the OS cache, through the VFS, so every page is read and opened again.
 */
static int
phase_cold_prepare(struct bench_conn *c, long rows, struct perr *e)
{
	uint64_t sum = 0;

	if (c->eng->reopen(c, e) < 0)
		return -1;
	/* Page 1 and the schema, which every connection reads once anyway. */
	return bench_reads_by_id(c, rows, 1, 99, &sum, e) < 0 ? -1 : 0;
}

static long
phase_cold(struct bench_conn *c, long rows, uint64_t *sum, struct perr *e)
{
	long n = rows / 5 > 0 ? rows / 5 : 1;

	return bench_reads_by_id(c, rows, n, 6, sum, e);
}

static const struct bench_phase bench_phases[] = {
	{ "insert (1000 rows/txn)", 1, NULL, phase_insert },
	{ "point read by id", 0, NULL, phase_read_id },
	{ "point read by indexed code", 0, NULL, phase_read_code },
	{ "range scan of 100 rows", 0, NULL, phase_scan },
	{ "update (100 rows/txn)", 1, NULL, phase_update },
	{ "cold point read by id, 2 MB", 0, phase_cold_prepare, phase_cold },
};
#define BENCH_NPHASES (int)(sizeof bench_phases / sizeof bench_phases[0])

/* ---- driver ------------------------------------------------------------ */

struct bench_result {
	long ops[BENCH_NPHASES];
	uint64_t sum[BENCH_NPHASES];
	double secs[BENCH_NPHASES][BENCH_MAX_ROUNDS];
	long long bytes; /* database file size after the cold phase */
};

static void
bench_unlink(const char *path, const struct bench_engine *eng)
{
	unlink(path);
	for (int i = 0; eng->suffixes[i] != NULL; i++) {
		char *p = xasprintf("%s%s", path, eng->suffixes[i]);

		unlink(p);
		free(p);
	}
}

static long long
bench_file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long long n = -1;

	if (f != NULL && fseek(f, 0, SEEK_END) == 0)
		n = ftell(f);
	if (f != NULL)
		fclose(f);
	return n;
}

/* Time one phase through one engine; check it read what it read before. */
static int
bench_phase_run(struct bench_conn *c, int p, long rows, int round,
	struct bench_result *res, struct perr *e)
{
	const struct bench_phase *ph = &bench_phases[p];
	uint64_t sum = 0;
	double t0;
	long n;

	if (ph->prepare != NULL && ph->prepare(c, rows, e) < 0)
		return -1;
	t0 = bench_now();
	n = ph->run(c, rows, &sum, e);
	res->secs[p][round] = bench_now() - t0;
	if (n < 0)
		return -1;
	res->ops[p] = n;
	if (round > 0 && res->sum[p] != sum)
		return perr_set(e, PX_FAIL,
			"%s: %s: checksum differs between rounds",
			c->eng->name, ph->name);
	res->sum[p] = sum;
	return 0;
}

/*
 * One round on fresh databases. The engines take turns phase by phase (the
 * first alternating), so a change in machine load hits both alike.
 */
static int
bench_round(const int *run, const char *dir, long rows, int round,
	struct bench_result *res, struct perr *e)
{
	struct bench_conn c[BENCH_NENGINES];
	int rc = -1;

	memset(c, 0, sizeof c);
	for (int i = 0; i < BENCH_NENGINES; i++) {
		c[i].eng = &bench_engines[i];
		c[i].path = xasprintf("%s/%s.db", dir, c[i].eng->name);
		bench_unlink(c[i].path, c[i].eng);
		if (run[i] && c[i].eng->create(&c[i], e) < 0)
			goto out;
	}
	for (int p = 0; p < BENCH_NPHASES; p++)
		for (int k = 0; k < BENCH_NENGINES; k++) {
			int i = (k + p + round) % BENCH_NENGINES;

			if (run[i] &&
				bench_phase_run(&c[i], p, rows, round, &res[i],
					e) < 0)
				goto out;
		}
	for (int i = 0; i < BENCH_NENGINES; i++)
		res[i].bytes = bench_file_size(c[i].path);
	rc = 0;
out:
	for (int i = 0; i < BENCH_NENGINES; i++) {
		c[i].eng->close(&c[i]);
		bench_unlink(c[i].path, c[i].eng);
		free(c[i].path);
	}
	return rc;
}

static int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
bench_median(const double *v, int n)
{
	double s[BENCH_MAX_ROUNDS];

	memcpy(s, v, (size_t)n * sizeof *s);
	qsort(s, (size_t)n, sizeof *s, bench_cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void
bench_report(const struct bench_result *res, const int *run, long rows,
	int rounds)
{
	int misses = 0, both = run[0] && run[1];

	printf("\nPatron store benchmark: %ld rows, %d-byte payloads, median "
	       "of %d rounds\n",
		rows, BENCH_PAYLOAD, rounds);
	printf("plain = SQLite %s, \"unix\" VFS; patron = store_create, "
	       "XChaCha20-Poly1305 per page\n",
		sqlite3_libversion());
	printf("ratio = patron time / plain time; targets: reads <= 1.15x, "
	       "writes <= 1.30x\n\n");
	printf("%-30s %8s %12s %12s %7s %8s\n", "operation", "ops",
		"plain ops/s", "patron ops/s", "ratio", "target");
	for (int p = 0; p < BENCH_NPHASES; p++) {
		const struct bench_phase *ph = &bench_phases[p];
		double t[BENCH_NENGINES], limit = ph->is_write ? 1.30 : 1.15;
		char rate[BENCH_NENGINES][32];
		long ops = 0;

		for (int i = 0; i < BENCH_NENGINES; i++) {
			snprintf(rate[i], sizeof rate[i], "-");
			if (!run[i])
				continue;
			ops = res[i].ops[p];
			t[i] = bench_median(res[i].secs[p], rounds);
			snprintf(rate[i], sizeof rate[i], "%.0f",
				(double)ops / t[i]);
		}
		printf("%-30s %8ld %12s %12s", ph->name, ops, rate[0], rate[1]);
		if (both) {
			double ratio = t[1] / t[0];

			misses += ratio > limit;
			printf(" %6.2fx %5.2fx %s", ratio, limit,
				ratio <= limit ? "ok" : "MISS");
		}
		printf("\n");
	}
	printf("\nfile size:");
	for (int i = 0; i < BENCH_NENGINES; i++)
		if (run[i])
			printf(" %s %.1f MB", bench_engines[i].name,
				(double)res[i].bytes / 1e6);
	printf("\n");
	if (both)
		printf("%d of %d operations within target\n",
			BENCH_NPHASES - misses, BENCH_NPHASES);
}

/* With -v: every round's time for one engine and phase, in ms. */
static void
bench_verbose(const struct bench_result *res, const int *run, int rounds)
{
	for (int i = 0; i < BENCH_NENGINES; i++) {
		if (!run[i])
			continue;
		for (int p = 0; p < BENCH_NPHASES; p++) {
			fprintf(stderr, "%-7s %-30s", bench_engines[i].name,
				bench_phases[p].name);
			for (int r = 0; r < rounds; r++)
				fprintf(stderr, " %8.1f",
					res[i].secs[p][r] * 1e3);
			fprintf(stderr, " ms\n");
		}
	}
}

static void
bench_usage(void)
{
	fprintf(stderr, "usage: bench_store [-v] [-n ROWS] [-r ROUNDS] "
			"[-d DIR] [-e plain|patron]\n");
}

int
main(int argc, char **argv)
{
	static struct bench_result res[BENCH_NENGINES];
	const char *parent = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	long rows = 100000;
	int rounds = 5, verbose = 0, ch, rc = 0;
	int run[BENCH_NENGINES];
	char *dir;
	struct perr e;

	for (int i = 0; i < BENCH_NENGINES; i++)
		run[i] = 1;
	while ((ch = getopt(argc, argv, "n:r:d:e:vh")) != -1) {
		switch (ch) {
		case 'e':
			for (int i = 0; i < BENCH_NENGINES; i++)
				run[i] = strcmp(optarg,
						 bench_engines[i].name) == 0;
			if (!run[0] && !run[1]) {
				bench_usage();
				return PX_USAGE;
			}
			break;
		case 'v':
			verbose = 1;
			break;
		case 'n':
			rows = strtol(optarg, NULL, 10);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'd':
			parent = optarg;
			break;
		default:
			bench_usage();
			return ch == 'h' ? 0 : PX_USAGE;
		}
	}
	if (optind != argc || rows < BENCH_SCAN_ROWS || rounds < 1 ||
		rounds > BENCH_MAX_ROUNDS) {
		bench_usage();
		fprintf(stderr, "  ROWS >= %d, 1 <= ROUNDS <= %d\n",
			BENCH_SCAN_ROWS, BENCH_MAX_ROUNDS);
		return PX_USAGE;
	}
	audit_install();
	perr_clear(&e);
	if (vfs_register(&e) < 0) {
		perr_print(&e);
		return PX_FAIL;
	}
	dir = xasprintf("%s/patron-bench.XXXXXX", parent);
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "bench_store: %s: %s\n", dir, strerror(errno));
		free(dir);
		return PX_CANTCREAT;
	}
	for (int r = 0; r < rounds && rc == 0; r++) {
		fprintf(stderr, "round %d/%d\n", r + 1, rounds);
		rc = bench_round(run, dir, rows, r, res, &e);
	}
	rmdir(dir);
	free(dir);
	if (rc < 0) {
		perr_print(&e);
		return PX_FAIL;
	}
	for (int p = 0; p < BENCH_NPHASES && run[0] && run[1]; p++)
		if (res[0].sum[p] != res[1].sum[p]) {
			fprintf(stderr, "bench_store: %s: plain and patron read "
					"different data\n",
				bench_phases[p].name);
			return PX_FAIL;
		}
	if (verbose)
		bench_verbose(res, run, rounds);
	bench_report(res, run, rows, rounds);
	return 0;
}
