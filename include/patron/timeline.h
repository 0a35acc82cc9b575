/*
 * timeline: the one timeline per customer that the customer screen reads:
 * purchases, returns, visits, calls, notes, complaints, point entries and
 * task events, newest first, and the changes of the audit trail on asking.
 */
#ifndef PATRON_TIMELINE_H
#define PATRON_TIMELINE_H

#include <stdint.h>

#include "patron/config.h"
#include "patron/store.h"

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

#endif
