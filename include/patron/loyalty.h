/*
 * loyalty: the points ledger and the rules of config `loyalty`.
 *
 * The ledger is append-only (the schema refuses UPDATE and DELETE): a
 * balance is the sum of a customer's entries and a mistake is undone by a
 * reversing entry. Every credit is a lot that expires expiry_months after
 * it was given; debits (redemptions, expiries, negative adjustments,
 * reversals) use the lots in the order they expire, so the oldest points
 * go first. Every write happens inside the caller's transaction or opens
 * its own (BEGIN IMMEDIATE), so a balance is read and written under the
 * write lock: concurrent redemptions cannot overdraw.
 */
#ifndef PATRON_LOYALTY_H
#define PATRON_LOYALTY_H

#include <stdint.h>

#include "patron/config.h"
#include "patron/store.h"

enum loyalty_kind {
	LK_EARN, LK_REDEEM, LK_ADJUST, LK_EXPIRE, LK_REVERSE, LK_BONUS,
	LK_NKINDS
};
extern const char *const loyalty_kind_names[];	/* "earn", ... */

/* How far back earned points count toward a tier. */
#define LOYALTY_TIER_MONTHS 12
/* Points expiring within this many days are "expiring soon". */
#define LOYALTY_SOON_DAYS 30
/* A reason is one line of at most this many bytes. */
#define LOYALTY_REASON_MAX 200

/* One ledger entry, as read back. */
struct ledger_entry {
	int64_t id;
	char uuid[37];
	int64_t customer_id;
	int kind;			/* LK_* */
	int64_t points;			/* signed */
	int64_t balance;		/* after this entry */
	int64_t purchase_id;		/* 0: none */
	char reason[LOYALTY_REASON_MAX + 1];
	int64_t occurred_ms;
	int64_t expires_ms;		/* 0: never, or a debit */
	char staff[64];			/* who recorded it; "" if nobody */
};

/* Where a customer stands. */
struct loyalty_status {
	int64_t balance;
	int64_t qualifying;		/* earned by purchases in 12 months */
	int tier;			/* index into cfg->tiers, -1: none */
	int next;			/* the next tier, -1: at the top */
	int64_t to_next;		/* points still needed for next */
	int64_t expiring;		/* lapsing within LOYALTY_SOON_DAYS */
	int64_t expiring_ms;		/* when the first of them lapses */
};

/*
 * Points a purchase of total (minor units, >= 0) earns at multiplier
 * (times CONFIG_SCALE): total in whole units x points_per_unit x
 * multiplier, rounded as loyalty.rounding says. Never negative.
 */
int64_t loyalty_points_for(const struct config *cfg, int64_t total,
	long multiplier);
/* The tier index qualifying points reach, -1 for none. */
int loyalty_tier_for(const struct config *cfg, int64_t qualifying);
/* The currency value of points, in minor units (rounded down). */
int64_t loyalty_value(const struct config *cfg, int64_t points);

/* The cached balance of a live customer; PX_FAIL if there is none. */
int loyalty_balance(struct store *s, int64_t customer, int64_t *balance,
	struct perr *e);
int loyalty_status(struct store *s, const struct config *cfg, int64_t customer,
	int64_t now_ms, struct loyalty_status *st, struct perr *e);
/* Only the tier (what a purchase's multiplier needs). */
int loyalty_tier_now(struct store *s, const struct config *cfg,
	int64_t customer, int64_t now_ms, int *tier, struct perr *e);

/*
 * A new entry. points is signed (a redeem or expire is negative). A debit
 * that would take the balance below zero is refused with PX_DATAERR unless
 * allow_negative (reversals of earned points may: the customer spent
 * them already). cause, when not NULL, makes the entry once-only for the
 * customer: a second one with the same cause is not written and *out
 * holds the first (returns 1 then). Returns 0 when written, -1 on error.
 */
struct ledger_post {
	int64_t customer_id;
	int kind;
	int64_t points;
	int64_t purchase_id;		/* 0: none */
	const char *cause;
	const char *reason;
	int64_t occurred_ms;
	int64_t actor;			/* staff id, 0: none */
	int allow_negative;
};
int loyalty_post(struct store *s, const struct config *cfg,
	const struct ledger_post *p, struct ledger_entry *out, struct perr *e);

/*
 * Staff operations, each in its own transaction, with the rules checked:
 * redeem (points > 0, at least min_redeem, at most the balance), adjust
 * (signed, a reason required, never below zero), earn (points > 0, a
 * reason required). Refusals are PX_DATAERR with one line saying why.
 */
int loyalty_redeem(struct store *s, const struct config *cfg,
	int64_t customer, int64_t points, const char *reason, int64_t actor,
	int64_t now_ms, struct ledger_entry *out, struct perr *e);
int loyalty_adjust(struct store *s, const struct config *cfg,
	int64_t customer, int64_t points, const char *reason, int64_t actor,
	int64_t now_ms, struct ledger_entry *out, struct perr *e);
int loyalty_earn(struct store *s, const struct config *cfg,
	int64_t customer, int64_t points, const char *reason, int64_t actor,
	int64_t now_ms, struct ledger_entry *out, struct perr *e);

/* The welcome bonus for a customer just added (once; nothing if 0). */
int loyalty_welcome(struct store *s, const struct config *cfg,
	int64_t customer, int64_t actor, int64_t now_ms, struct perr *e);

/*
 * The configured tiers in one line ("Silver:1000,Gold:5000"). The daily
 * upkeep keeps the one it applied (meta loyalty_tiers) and computes every
 * tier again when the configuration's differs.
 */
void loyalty_tiers_sig(const struct config *cfg, char *buf, size_t len);

/*
 * Recompute and store customer.tier (inside the caller's transaction),
 * recording a change in tier_change. Returns 1 if it changed, 0 if not.
 */
int loyalty_retier(struct store *s, const struct config *cfg,
	int64_t customer, int64_t now_ms, struct perr *e);

/*
 * The daily upkeep, idempotent: expire lapsed points, give birthday
 * bonuses due in the last 7 days, and move tiers whose 12-month window
 * changed since the last run. One transaction.
 */
struct loyalty_upkeep {
	long expired_customers;
	int64_t expired_points;
	long birthday_bonuses;
	long retiered;
};
int loyalty_upkeep(struct store *s, const struct config *cfg, int64_t now_ms,
	struct loyalty_upkeep *r, struct perr *e);

/*
 * A customer's entries, newest first, up to limit, with ids below
 * before_id (0: from the newest). Returns the count passed to fn, or -1.
 */
long loyalty_history(struct store *s, int64_t customer, int64_t before_id,
	long limit, int (*fn)(const struct ledger_entry *, void *), void *arg,
	struct perr *e);

/* Every entry of every customer in id order (export). */
int loyalty_each(struct store *s,
	int (*fn)(const struct ledger_entry *, void *), void *arg,
	struct perr *e);

/*
 * Move other's points to keep (a merge): an adjustment out of other and
 * one into keep per lot left, each keeping its expiry. Inside the
 * caller's transaction.
 */
int loyalty_merge(struct store *s, const struct config *cfg, int64_t keep,
	int64_t other, int64_t actor, int64_t now_ms, struct perr *e);

/*
 * Verify every customer's cached balance and every entry's running
 * balance against the ledger; report each mismatch through fn. Returns
 * the number of problems, or -1.
 */
long loyalty_check(struct store *s, void (*fn)(const char *, void *),
	void *arg, struct perr *e);

#endif
