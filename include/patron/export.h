/*
 * export: customers, purchases, points entries and tasks written in one of
 * the formats of a table (export.c), one file each as abook's filters:
 * CSV (export_csv.c: the columns import reads, and more), JSON
 * (export_json.c: the objects `show --json` and `list --json` print),
 * vCard 4.0 for address books (export_vcard.c, RFC 6350) and iCalendar
 * for calendars (export_ics.c, RFC 5545).
 */
#ifndef PATRON_EXPORT_H
#define PATRON_EXPORT_H

#include <stdio.h>

#include "patron/config.h"
#include "patron/customer.h"
#include "patron/purchase.h"
#include "patron/loyalty.h"
#include "patron/task.h"
#include "patron/store.h"
#include "patron/util.h"

enum export_format { EXPORT_CSV, EXPORT_JSON, EXPORT_VCF, EXPORT_ICS };

/* The format named "csv", "json", "vcf" ("vcard") or "ics"; -1 if none. */
int export_format_named(const char *name);

/* What is being written, for a format's head and tail. */
enum export_kind { EXPORT_CUSTOMERS, EXPORT_PURCHASES, EXPORT_POINTS,
	EXPORT_TASKS };

/* One export under way, as the formats see it. */
struct export_out {
	FILE *out;
	struct store *s;		/* customers: custom field values */
	const struct config *cfg;	/* custom fields, the store currency */
	int masked;			/* customers: phone and email hidden */
	int64_t now_ms;			/* tasks: overdue, the iCalendar stamp */
	long n;				/* rows written so far */
};

/*
 * A format: the names it answers to and how it writes each kind of row.
 * head and tail (NULL: nothing) come before and after the rows; a NULL
 * row function means the format has no place for that kind.
 */
struct export_ops {
	const char *name;
	const char *alias;	/* another name, or NULL */
	void (*head)(struct export_out *x, enum export_kind kind);
	void (*tail)(struct export_out *x, enum export_kind kind);
	void (*customer)(struct export_out *x, const struct customer *c);
	void (*purchase)(struct export_out *x, const struct purchase *p);
	void (*entry)(struct export_out *x, const struct ledger_entry *en);
	void (*task)(struct export_out *x, const struct task *t);
};

/* The formats, one per file; export.c lists them by enum export_format. */
extern const struct export_ops export_csv_format;
extern const struct export_ops export_json_format;
extern const struct export_ops export_vcard_format;
extern const struct export_ops export_ics_format;

/*
 * Every customer not merged away; returns how many, or -1 with e set. CSV
 * has a column per custom field of cfg after the fixed ones.
 */
long export_customers(struct store *s, const struct config *cfg, int format,
	int masked, FILE *out, struct perr *e);
/*
 * The same, for a mailing: only the customers whose latest consent record
 * for channel ("marketing") says given. Withdrawn, or never asked, leaves
 * a customer out; erased customers have no record and are never exported.
 * channel NULL: everyone, as export_customers.
 */
long export_customers_consented(struct store *s, const struct config *cfg,
	const char *channel, int format, int masked, FILE *out, struct perr *e);

/* A customer as a CSV row, and the header row (shared with `customer list`). */
void export_csv_header(FILE *out, const struct config *cfg);
void export_csv_row(FILE *out, struct store *s, const struct config *cfg,
	const struct customer *c, int masked);
/* masked: without phone and email (a masked number is no use in a card). */
void export_vcard(FILE *out, const struct customer *c, int masked);

/*
 * Purchases and ledger entries of one customer (0: everyone), newest
 * first, at most limit (0: all), as CSV or a JSON array; returns how many.
 * The JSON objects are those of `purchase list --json` and `points history
 * --json`: DESIGN section 5's keys, amounts as decimal strings.
 */
long export_purchases(struct store *s, const struct config *cfg,
	int64_t customer, long limit, int format, FILE *out, struct perr *e);
long export_points(struct store *s, int64_t customer, long limit, int format,
	FILE *out, struct perr *e);
/* more: further "key":value members (starting with a comma), or NULL. */
void export_json_purchase(FILE *out, const struct config *cfg,
	const struct purchase *p, const char *more);
void export_json_entry(FILE *out, const struct ledger_entry *en);

/*
 * Tasks matching f (done and cancelled ones too when f->all) as CSV, a
 * JSON array of `task list --json` objects, or an iCalendar (RFC 5545)
 * VCALENDAR of VTODO components that calendar programs read: UID from the
 * task's uuid, SUMMARY, DESCRIPTION, DUE (a DATE for a day, UTC otherwise),
 * PRIORITY (1 high, 5 normal, 9 low), STATUS (NEEDS-ACTION, COMPLETED,
 * CANCELLED). Returns how many.
 */
long export_tasks(struct store *s, const struct task_filter *f, int64_t now_ms,
	int format, FILE *out, struct perr *e);
void export_json_task(FILE *out, const struct task *t, int64_t now_ms);

/*
 * Everything stored about one customer, as one JSON object (the right of
 * access): "customer" (as `customer show --json`, unmasked), "consent"
 * (every record), "purchases" (with their lines), "interactions",
 * "points" (every ledger entry), "tasks" (done and cancelled too) and
 * "changes" (the audit trail's entries about them).
 */
int export_json_customer_data(struct store *s, int64_t customer, FILE *out,
	struct perr *e);

#endif
