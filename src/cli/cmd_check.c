/*
 * cmd_check: `patron check`, authenticate every page, run SQLite's
 * integrity check and compare what is cached (points, last visits, tiers)
 * with the ledger and the history; exit 65 naming what is wrong.
 */
#include <stdio.h>
#include <string.h>

#include "patron/cli.h"
#include "patron/history.h"
#include "patron/loyalty.h"

static int
cmd_check(struct cli *c, int argc, char **argv)
{
	struct store *s;
	long problems;
	int damaged;

	if (argc != 1)
		return cli_usage(&cmd_check_entry, "check takes no arguments");
	if (cli_open(c, STORE_NO_MIGRATE, &s) < 0)
		return cli_fail(c);
	problems = store_check(s, cli_report, (void *)cli_db_path(c), &c->err);
	damaged = store_header_damage(s);
	/* The points ledger (cached balances and running sums), and what
	 * else customer rows cache: the last visit and the tier. */
	if (problems == 0 && store_schema_version(s) >= 3) {
		long ledger = loyalty_check(s, cli_report,
		    (void *)cli_db_path(c), &c->err);
		long cached = ledger < 0 ? -1 : history_check(s, &c->cfg,
		    util_now_ms(), cli_report, (void *)cli_db_path(c), &c->err);

		problems = cached < 0 ? -1 : ledger + cached;
	}
	store_close(s);
	if (problems < 0)
		return cli_fail(c);
	/* Redundancy lost, nothing else: the other copy is whole. */
	if (damaged == 1 || damaged == 2)
		fprintf(stderr, "patron: warning: %s: the %s copy of the header "
			"is damaged; the %s is in use, and the next key change "
			"writes both again\n", cli_db_path(c),
			damaged == 1 ? "first" : "second",
			damaged == 1 ? "second" : "first");
	if (problems > 0) {
		fprintf(stderr, "patron: %s: %ld problem%s found\n",
			cli_db_path(c), problems, problems == 1 ? "" : "s");
		return PX_DATAERR;
	}
	printf("%s: every page authenticated, integrity ok, points ledger "
	    "consistent, last visits and tiers agree with the history\n",
	    cli_db_path(c));
	return 0;
}

const struct cli_cmd cmd_check_entry = {
	.name = "check",
	.summary = "Authenticate every page, check the database's integrity and "
		   "the points ledger.",
	.usage = "check",
	.run = cmd_check,
};
