/*
 * daily: the day's work (daily.h), the points upkeep and the task rules in
 * the order the screens have always run them: the rules see the tiers the
 * upkeep has just moved.
 */
#include "patron/daily.h"
#include "patron/task.h"

#include <string.h>

int
daily_run(struct store *s, const struct config *cfg, int64_t now_ms,
	int parts, struct daily *r, struct perr *e)
{
	struct perr te;

	memset(r, 0, sizeof *r);
	if ((parts & DAILY_UPKEEP) &&
	    loyalty_upkeep(s, cfg, now_ms, &r->upkeep, e) < 0)
		r->failed = DAILY_UPKEEP;
	/* Its own error, so rules that run leave the upkeep's as it was. */
	if ((parts & DAILY_TASKS) &&
	    (r->made = task_generate(s, cfg, now_ms, &te)) < 0) {
		*e = te;
		r->made = 0;
		r->failed = DAILY_TASKS;
	}
	return r->failed ? -1 : 0;
}
