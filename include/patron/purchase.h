/*
 * purchase: purchases and returns, and the points they earn.
 *
 * A purchase earns points by the loyalty rules in the transaction that
 * records it; a return (a negative total) names the sale it returns, takes
 * no more than is left of it, and reverses points in proportion to what
 * that sale earned; a void reverses what the purchase or return did. One
 * sale is at most store.max_purchase (a mistyped total is refused).
 * Receipts are unique per branch: recording a receipt that is already
 * there returns the first one (an offline retry is safe).
 */
#ifndef PATRON_PURCHASE_H
#define PATRON_PURCHASE_H

#include <stdint.h>

#include "patron/config.h"
#include "patron/store.h"

#define PURCHASE_LINES_MAX 200
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

#endif
