/*
 * daily: the work of a new day, one entry point for both faces: the
 * screens run all of it when they start and when the local day changes;
 * `points expire` and `task generate` run one part each (from cron where
 * the screens are not started every day). Each part is one transaction
 * and safe to run as often as wanted: nothing is done twice for one cause.
 */
#ifndef PATRON_DAILY_H
#define PATRON_DAILY_H

#include <stdint.h>

#include "patron/config.h"
#include "patron/loyalty.h"
#include "patron/store.h"

enum daily_part {
	DAILY_UPKEEP = 1,	/* points: expiry, birthday bonuses, tiers */
	DAILY_TASKS = 2,	/* the task rules of the configuration */
	DAILY_ALL = DAILY_UPKEEP | DAILY_TASKS,
};

struct daily {
	struct loyalty_upkeep upkeep;	/* what the upkeep did */
	long made;			/* tasks the rules made */
	enum daily_part failed;		/* the part that failed last, or 0 */
};

/*
 * Run the parts asked for at now, the upkeep first; a part that fails does
 * not stop the next. Returns 0, or -1 with e from the last part that
 * failed (r->failed says which).
 */
int daily_run(struct store *s, const struct config *cfg, int64_t now_ms,
	int parts, struct daily *r, struct perr *e);

#endif
