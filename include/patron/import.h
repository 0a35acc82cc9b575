/*
 * import: customers from CSV (DESIGN section 5): a header row naming the
 * columns (any case), then one customer per row, read with libcsv. By
 * default all or nothing; with a rejects file, the good rows are written
 * and the bad ones go to the file with the reason.
 */
#ifndef PATRON_IMPORT_H
#define PATRON_IMPORT_H

#include <stdio.h>

#include "patron/config.h"
#include "patron/customer.h"
#include "patron/purchase.h"
#include "patron/store.h"
#include "patron/util.h"

enum import_col {
	IC_NAME, IC_GIVEN, IC_FAMILY, IC_PHONE, IC_EMAIL, IC_BIRTHDAY, IC_CARD,
	IC_TAGS, IC_NOTES, IC_CONSENT, IC_NCOLS
};

/*
 * Limits of a CSV file, each checked before the bytes past it are read
 * into memory, so the reader's memory never depends on the file: a field
 * and a row (its raw bytes, quoted line breaks and any blank lines before
 * it included) and the header row in bytes, the columns, and the data
 * rows of one file. The file itself has no size limit: it is read in
 * chunks and its rows only go to the database. Ten million rows is ten
 * times the customers of a large chain; a bigger file is split (a receipt
 * imported twice is recorded once).
 */
#define IMPORT_FIELD_MAX (1 << 20)		/* 1 MiB */
#define IMPORT_ROW_MAX (4 << 20)		/* 4 MiB */
#define IMPORT_HEADER_MAX (16 << 10)		/* 16 KiB */
#define IMPORT_COLUMNS_MAX 64
#define IMPORT_ROWS_MAX 10000000L
#define IMPORT_SHOW_MAX 10	/* bad rows listed before giving up */

/* Columns of a purchases CSV (DESIGN section 5). */
enum import_pcol {
	IP_RECEIPT, IP_CUSTOMER, IP_CUSTOMER_ID, IP_OCCURRED, IP_TOTAL,
	IP_BRANCH, IP_VOIDED, IP_NCOLS
};

#define IMPORT_COLS_MAX 16

/*
 * What a kind of file holds: its column names (matched in any case), the
 * columns of Patron's own exports it reads back and ignores, whether the
 * keys of customers.fields are columns too, and a check of the header
 * (seen[i] counts column i) returning what is missing, or NULL.
 */
struct import_kind {
	const char *const *names;
	int ncols;
	const char *const *ignored;
	int custom;
	const char *(*need)(const int *seen);
};
extern const struct import_kind import_kind_customers;
extern const struct import_kind import_kind_purchases;

/* One data row: its first line in the file, and its fields by column. */
struct import_row {
	long line;
	const char *col[IMPORT_COLS_MAX];	/* NULL: no such column */
	const char *custom[CONFIG_FIELDS_MAX];	/* by customers.fields index */
	char **raw;			/* every field as read, in file order */
	int nraw;
};

/*
 * Read a customers CSV from in (name for messages), calling fn for every
 * data row; fn returns 0 to go on, -1 to stop (its error in e). Errors of
 * the file itself (no or bad header, an unknown or repeated column, an
 * unterminated quote, a NUL byte, a limit passed) are exit code 65 with
 * name:line. Returns the data rows read, or -1.
 */
typedef int (*import_row_fn)(const struct import_row *r, void *arg,
	struct perr *e);
long import_csv(FILE *in, const char *name, const struct config *cfg,
	import_row_fn fn, void *arg, struct perr *e);
/* The same for any kind of file. */
long import_csv_kind(FILE *in, const char *name, const struct config *cfg,
	const struct import_kind *kind, import_row_fn fn, void *arg,
	struct perr *e);

/*
 * The limits a file is read with (the IMPORT_*_MAX above in
 * import_limits_default; tests and fuzzing pass small ones to reach every
 * limit with small files), and the bytes read at a time.
 */
struct import_limits {
	size_t field, row, header;	/* bytes */
	int columns;			/* at most IMPORT_COLUMNS_MAX */
	long rows;
	size_t chunk;
};
extern const struct import_limits import_limits_default;
long import_csv_limits(FILE *in, const char *name, const struct config *cfg,
	const struct import_kind *kind, const struct import_limits *lim,
	import_row_fn fn, void *arg, struct perr *e);

/*
 * A purchases row parsed without the database: the customer reference
 * (card, phone or uuid; or "id:N" from customer_id), total, time, receipt
 * and branch checked. Returns 0, or -1 with e naming the column.
 */
struct import_purchase {
	char customer[128];
	struct purchase_input in;
	int voided;		/* "yes" in a voided column: recorded, voided */
};
int import_purchase_parse(const struct import_row *r,
	const struct config *cfg, struct import_purchase *p, struct perr *e);

/*
 * The customer a row describes: in points into r, into tagbuf (tags split
 * at ';') and into kv ("key=value" of the custom fields, to be freed with
 * import_row_done). Returns 0, or -1 with e saying which column is wrong.
 */
struct import_kv {
	const char *kv[CONFIG_FIELDS_MAX];
	char *owned[CONFIG_FIELDS_MAX];
	int n;
};
int import_row_input(const struct import_row *r, const struct config *cfg,
	struct customer_input *in, const char **tags, size_t maxtags,
	char *tagbuf, size_t tagbuflen, struct import_kv *kv, struct perr *e);
void import_row_done(struct import_kv *kv);

struct import_opts {
	FILE *rejects;		/* NULL: all or nothing */
	int allow_duplicate;
	/* Called now and then with the bytes read so far. */
	void (*progress)(long long done, void *arg);
	void *arg;
	/* Each rejected row, as "name:line: why" (all-or-nothing mode). */
	void (*bad)(const char *msg, void *arg);
};

struct import_result {
	long rows, added, rejected;
	long existed;		/* purchases: receipts recorded before */
};

/*
 * Import customers, for staff member actor, in one transaction. All or
 * nothing: any bad row (invalid, or a duplicate) rolls everything back,
 * exit code 65, the first IMPORT_SHOW_MAX reported through o->bad.
 */
int import_customers(struct store *s, const struct config *cfg, int64_t actor,
	FILE *in, const char *name, const struct import_opts *o,
	struct import_result *r, struct perr *e);

/*
 * Import purchases (POS exports): each row recorded with purchase_add,
 * earning points by the rules; a receipt already recorded with the same
 * customer and total is counted in existed and earns nothing again. All
 * or nothing unless o->rejects, as for customers.
 */
int import_purchases(struct store *s, const struct config *cfg, int64_t actor,
	FILE *in, const char *name, const struct import_opts *o,
	struct import_result *r, struct perr *e);

#endif
