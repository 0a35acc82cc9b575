/*
 * history: purchases and returns, interactions, and the one timeline per
 * customer that the customer screen and `points history` read.
 *
 * A purchase earns points by the loyalty rules in the transaction that
 * records it; a return (a negative total) names the sale it returns, takes
 * no more than is left of it, and reverses points in proportion to what
 * that sale earned; a void reverses what the purchase or return did. One
 * sale is at most store.max_purchase (a mistyped total is refused).
 * Receipts are unique per branch: recording a receipt that is already
 * there returns the first one (an offline retry is safe).
 */
#ifndef PATRON_HISTORY_H
#define PATRON_HISTORY_H

#include <stdint.h>

#include "patron/config.h"
#include "patron/store.h"

#define PURCHASE_LINES_MAX 200
#define HISTORY_TEXT_MAX 4000	/* bytes of an interaction's text */
#define RECEIPT_MAX 64

struct purchase_line {
	const char *sku;
	const char *name;		/* NULL: none */
	int64_t quantity;		/* whole units, > 0 */
	int64_t unit_price;		/* minor units, >= 0 */
};

struct purchase_input {
	int64_t customer_id;
	const char *receipt;		/* NULL: one is made up (branch-N) */
	const char *branch;		/* NULL: store.branch */
	int64_t total;			/* minor units; < 0: a return */
	int64_t occurred_ms;		/* 0: now */
	int64_t return_of;		/* a return's sale; 0 */
	int unlinked;			/* import: a return may come without
					 * its sale, taking back at most the
					 * balance (never below zero) */
	const struct purchase_line *lines;
	int nlines;
};

struct purchase {
	int64_t id;
	char uuid[37];
	int64_t customer_id;
	char branch[64];
	char receipt[RECEIPT_MAX + 1];
	int64_t total;
	char currency[4];
	int64_t return_of;
	int64_t occurred_ms;
	int64_t points;
	int voided;
	int64_t balance;		/* the customer's, after recording */
	int64_t left;			/* purchase_returnable: not yet
					 * returned, minor units */
};

/* store.max_purchase in minor units of the store currency; 0: none. */
int64_t purchase_ceiling(const struct config *cfg);

/*
 * Record a purchase or return. Returns 0 when recorded, 1 when the
 * receipt was there already with the same customer and total (*out is
 * that one, nothing written), -1 on error (PX_DATAERR: the same receipt
 * with other data, a bad line, a return without its sale or larger than
 * what is left of it, a sale above purchase_ceiling).
 */
int purchase_add(struct store *s, const struct config *cfg,
	const struct purchase_input *in, int64_t actor, struct purchase *out,
	struct perr *e);
/*
 * The points recording in would earn (> 0) or take back (< 0), as
 * purchase_add computes them: for the confirmation screen.
 */
int purchase_points(struct store *s, const struct config *cfg,
	const struct purchase_input *in, int64_t *points, struct perr *e);
/*
 * Void a purchase or return: marked voided, its points reversed. A void
 * of a voided purchase is refused (PX_DATAERR).
 */
int purchase_void(struct store *s, const struct config *cfg, int64_t id,
	const char *reason, int64_t actor, struct purchase *out,
	struct perr *e);
/* The purchase with this id or "BRANCH:RECEIPT" / "RECEIPT" (store's). */
int purchase_resolve(struct store *s, const struct config *cfg,
	const char *ref, int64_t *id, struct perr *e);
int purchase_get(struct store *s, int64_t id, struct purchase *out,
	struct perr *e);
/* Purchases of one customer (0: all), newest first, up to limit. */
long purchase_each(struct store *s, int64_t customer, long limit,
	int (*fn)(const struct purchase *, void *), void *arg, struct perr *e);
/*
 * The sales of one customer that can still be returned (not void, not
 * returned in full), newest first, up to limit, each with left set.
 */
long purchase_returnable(struct store *s, int64_t customer, long limit,
	int (*fn)(const struct purchase *, void *), void *arg, struct perr *e);

enum interaction_kind { IK_VISIT, IK_CALL, IK_EMAIL, IK_COMPLAINT, IK_NOTE,
	IK_NKINDS };
extern const char *const interaction_kind_names[];
/* Record an interaction (text may be NULL for a visit). */
int interaction_add(struct store *s, int64_t customer, int kind,
	const char *text, int64_t occurred_ms, int64_t actor, int64_t *id,
	struct perr *e);

/*
 * The last visit follows from the history: the latest live sale (a
 * return or a voided purchase is not a visit) or recorded visit.
 * customer.last_visit caches it for the lookup's order; this recomputes
 * it (inside the caller's transaction, written only when it changes).
 */
int history_last_visit(struct store *s, int64_t customer, struct perr *e);
/*
 * Compare what customer rows cache with the history: the last visit of
 * every customer, the tier of live ones (at now_ms, by cfg, except where
 * a sale left the 12-month window since the daily upkeep last ran).
 * Each disagreement goes to fn; returns their number, or -1.
 */
long history_check(struct store *s, const struct config *cfg, int64_t now_ms,
	void (*fn)(const char *, void *), void *arg, struct perr *e);

/* What a timeline row is. */
enum timeline_kind { TL_PURCHASE, TL_RETURN, TL_POINTS, TL_VISIT, TL_CALL,
	TL_EMAIL, TL_COMPLAINT, TL_NOTE, TL_TASK, TL_CHANGE, TL_NKINDS };
extern const char *const timeline_kind_names[];
/* Filters: a mask of these. */
#define TL_F_PURCHASES ((1u << TL_PURCHASE) | (1u << TL_RETURN))
#define TL_F_POINTS (1u << TL_POINTS)
#define TL_F_INTERACTIONS ((1u << TL_VISIT) | (1u << TL_CALL) | \
	(1u << TL_EMAIL) | (1u << TL_COMPLAINT) | (1u << TL_NOTE))
#define TL_F_TASKS (1u << TL_TASK)
/* Who changed what (the audit trail): only when asked for, not in "all". */
#define TL_F_CHANGES (1u << TL_CHANGE)
#define TL_F_ALL (TL_F_CHANGES - 1)

struct timeline_item {
	int kind;			/* TL_* */
	int64_t id;			/* in its own table */
	int64_t at_ms;
	int64_t amount;			/* purchases: total, minor units */
	int64_t points;			/* purchases and points entries */
	int voided;
	char text[256];			/* receipt, kind of entry and reason, note */
	char staff[64];
	/* The keyset position (opaque): pass the last row to get the next. */
	char key_at[32];
	int key_src;
};

/*
 * One page of the timeline, newest first: up to n items after *after
 * (NULL: from the top). Points entries that belong to a purchase are
 * folded into the purchase's row. Returns the number of items, or -1.
 */
long timeline_page(struct store *s, int64_t customer, unsigned filter,
	const struct timeline_item *after, struct timeline_item *items,
	long n, struct perr *e);

/*
 * The whole of one timeline row (as timeline_page gave it), as labelled
 * fields: every column of its source that has a value, times local, money
 * in the store currency, a purchase's lines, an audit change's detail one
 * field per key ("was: ...\nnow: ..." for an update). Values are whole
 * (newlines kept): the screens show them when a row is opened.
 */
struct timeline_field {
	char *label;
	char *value;
};
struct timeline_detail {
	struct timeline_field *f;
	int n;
};
int timeline_detail(struct store *s, const struct config *cfg,
	const struct timeline_item *it, struct timeline_detail *d,
	struct perr *e);
void timeline_detail_free(struct timeline_detail *d);

/* The summary above the timeline. */
struct history_summary {
	int64_t first_seen_ms;		/* the customer's creation */
	int64_t last_visit_ms;		/* 0: never */
	long visits_12m;		/* days with a purchase or visit */
	int64_t spend_12m;		/* net of returns, minor units */
	long purchases_12m;
	int64_t avg_basket;		/* spend_12m / purchases_12m */
	int64_t lifetime;		/* all purchases, net */
	int64_t months[12];		/* spend per month, oldest first */
};
int history_summary(struct store *s, int64_t customer, int64_t now_ms,
	struct history_summary *h, struct perr *e);

/* Spend as a row of block characters (ASCII when ascii), n cells. */
void history_sparkline(const int64_t *v, int n, int ascii, char *buf,
	size_t len);

#endif
