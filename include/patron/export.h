/*
 * export: customers as CSV (the columns import reads, and more), as a JSON
 * array of the objects `customer show --json` prints, or as vCard 4.0
 * (RFC 6350) for address books.
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

/* One customer in each format (shared with `customer list`). */
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
void export_purchase_json(FILE *out, const struct config *cfg,
	const struct purchase *p, const char *more);
void export_entry_json(FILE *out, const struct ledger_entry *en);

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
void export_task_json(FILE *out, const struct task *t, int64_t now_ms);

/*
 * Everything stored about one customer, as one JSON object (the right of
 * access): "customer" (as `customer show --json`, unmasked), "consent"
 * (every record), "purchases" (with their lines), "interactions",
 * "points" (every ledger entry), "tasks" (done and cancelled too) and
 * "changes" (the audit trail's entries about them).
 */
int export_customer_data(struct store *s, int64_t customer, FILE *out,
	struct perr *e);

#endif
