/*
 * history: what follows from a customer's history as a whole: the last
 * visit the customer row caches, the check of what rows cache, and the
 * summary above the timeline. The history itself is purchases
 * (purchase.h), interactions (interaction.h) and the timeline that merges
 * them with points and tasks (timeline.h).
 */
#ifndef PATRON_HISTORY_H
#define PATRON_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "patron/config.h"
#include "patron/store.h"

/* A purchase or interaction may be dated this far ahead (clock skew). */
#define HISTORY_FUTURE_MS (5 * 60 * 1000)

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
