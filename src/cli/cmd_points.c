/*
 * cmd_points: `patron points balance|history|earn|redeem|adjust|expire`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/cli.h"
#include "patron/perm.h"
#include "patron/customer.h"
#include "patron/daily.h"
#include "patron/export.h"
#include "patron/input.h"
#include "patron/loyalty.h"

enum { OUT_TABLE, OUT_JSON, OUT_CSV };

struct pts_opts {
	const char *reason;
	int format;
	long limit;
	const char *operand[2];	/* the first two operands */
};

enum { O_REASON = 256, O_JSON, O_CSV, O_LIMIT };

static const struct option pts_long[] = {
	{ "reason", required_argument, NULL, O_REASON },
	{ "json", no_argument, NULL, O_JSON },
	{ "csv", no_argument, NULL, O_CSV },
	{ "limit", required_argument, NULL, O_LIMIT },
	{ NULL, 0, NULL, 0 },
};

/*
 * Whether argv[i], past the first operand or "--", is an option: one of
 * pts_long spelt in full, with its argument if it takes one. Anything
 * else there, "-50" above all, is an operand.
 */
static int
pts_spelt(int argc, char **argv, int i)
{
	for (const struct option *l = pts_long; l->name != NULL; l++)
		if (strncmp(argv[i], "--", 2) == 0 &&
		    strcmp(argv[i] + 2, l->name) == 0)
			return l->has_arg == no_argument || i + 1 < argc;
	return 0;
}

/*
 * Options may come before and after the operands, in one getopt loop.
 * "+" stops at the first operand (or "--") instead of moving it on, so
 * "-50" is a number of points, not options; from there pts_spelt says
 * which arguments are options, and getopt reads those.
 */
static int
pts_parse(int argc, char **argv, struct pts_opts *o, int noperands,
	const char *why)
{
	int n = 0, past = 0;

	memset(o, 0, sizeof *o);
	optind = 0;
	for (;;) {
		if (past && optind >= argc)
			break;
		if (past && !pts_spelt(argc, argv, optind)) {
			if (n < 2)
				o->operand[n] = argv[optind];
			n++;
			optind++;
			continue;
		}
		switch (getopt_long(argc, argv, "+", pts_long, NULL)) {
		case -1: past = 1; break;
		case O_REASON: o->reason = optarg; break;
		case O_JSON: o->format = OUT_JSON; break;
		case O_CSV: o->format = OUT_CSV; break;
		case O_LIMIT:
			o->limit = strtol(optarg, NULL, 10);
			if (o->limit < 1 || o->limit > 1000000)
				return cli_usage(&cmd_points_entry,
				    "--limit takes 1 to 1000000");
			break;
		default:
			return cli_usage(&cmd_points_entry, "bad option");
		}
	}
	if (n != noperands)
		return cli_usage(&cmd_points_entry, "%s", why);
	return 0;
}

/* A signed whole number of points. */
static int
pts_number(struct cli *c, const char *text, int64_t *out)
{
	const char *why = input_points(text, out);

	if (why != NULL)
		return perr_set(&c->err, PX_DATAERR, "'%s' is not a number of "
		    "points: it %s", text, why);
	return 0;
}

static void
pts_entry_print(struct cli *c, const struct ledger_entry *en, int64_t before,
	int format)
{
	char value[40];

	if (format == OUT_JSON) {
		export_json_entry(stdout, en);
		putchar('\n');
		return;
	}
	util_decimal_format(loyalty_value(&c->cfg, en->balance),
	    util_currency_decimals(c->cfg.store_currency), value, sizeof value);
	printf("%s %+lld points: balance %lld -> %lld (worth %s %s)\n",
	    loyalty_kind_names[en->kind], (long long)en->points,
	    (long long)before, (long long)en->balance, value,
	    c->cfg.store_currency);
}

static int
pts_balance(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct loyalty_status st;
	struct pts_opts o;
	char value[40], when[32] = "";
	int64_t id;
	int rc;

	if ((rc = pts_parse(argc, argv, &o, 1, "balance takes one customer "
	    "REF")))
		return rc;
	if (customer_resolve(s, &c->cfg, o.operand[0], &id, &c->err) < 0 ||
	    loyalty_status(s, &c->cfg, id, util_now_ms(), &st, &c->err) < 0)
		return cli_fail(c);
	util_decimal_format(loyalty_value(&c->cfg, st.balance),
	    util_currency_decimals(c->cfg.store_currency), value, sizeof value);
	if (st.expiring_ms > 0)
		util_time_local(st.expiring_ms, "%Y-%m-%d", when, sizeof when);
	if (o.format == OUT_JSON) {
		printf("{\"customer_id\":%lld,\"balance\":%lld,\"points\":%lld,"
		    "\"value\":\"%s\",\"tier\":", (long long)id,
		    (long long)st.balance, (long long)st.balance, value);
		if (st.tier >= 0)
			cli_json_string(stdout, c->cfg.tiers[st.tier].name);
		else
			fputs("null", stdout);
		printf(",\"earned_12m\":%lld,\"next_tier\":",
		    (long long)st.qualifying);
		if (st.next >= 0)
			cli_json_string(stdout, c->cfg.tiers[st.next].name);
		else
			fputs("null", stdout);
		printf(",\"to_next_tier\":%lld,\"expiring\":%lld,"
		    "\"expiring_from\":", (long long)st.to_next,
		    (long long)st.expiring);
		if (when[0] != '\0')
			printf("\"%s\"", when);
		else
			fputs("null", stdout);
		puts("}");
		return 0;
	}
	printf("balance   %lld points (worth %s %s)\n", (long long)st.balance,
	    value, c->cfg.store_currency);
	printf("tier      ");
	cli_print_safe(stdout, st.tier >= 0 ? c->cfg.tiers[st.tier].name : "-",
	    0);
	printf(" (%lld points earned in 12 months)\n",
	    (long long)st.qualifying);
	if (st.next >= 0) {
		printf("next      ");
		cli_print_safe(stdout, c->cfg.tiers[st.next].name, 0);
		printf(" in %lld points\n", (long long)st.to_next);
	}
	if (st.expiring > 0)
		printf("expiring  %lld points from %s\n",
		    (long long)st.expiring, when);
	return 0;
}

struct pts_table {
	int n;
};

static int
pts_table_row(const struct ledger_entry *en, void *arg)
{
	struct pts_table *t = arg;
	char when[32];

	if (t->n++ == 0)
		printf("%-8s %-16s %-8s %8s %8s  %s\n", "ID", "WHEN", "KIND",
		    "POINTS", "BALANCE", "REASON");
	util_time_local(en->occurred_ms, "%Y-%m-%d %H:%M", when, sizeof when);
	printf("%-8lld %-16s %-8s %+8lld %8lld  ", (long long)en->id, when,
	    loyalty_kind_names[en->kind], (long long)en->points,
	    (long long)en->balance);
	cli_print_safe(stdout, en->reason, 0);
	putchar('\n');
	return 0;
}

static int
pts_history(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	struct pts_table t = { 0 };
	struct pts_opts o;
	int64_t id;
	long n;
	int rc;

	if ((rc = pts_parse(argc, argv, &o, 1, "history takes one customer "
	    "REF")))
		return rc;
	if (customer_resolve(s, &c->cfg, o.operand[0], &id, &c->err) < 0)
		return cli_fail(c);
	if (o.format == OUT_TABLE)
		n = loyalty_history(s, id, 0, o.limit ? o.limit : 50,
		    pts_table_row, &t, &c->err);
	else
		n = export_points(s, id, o.limit, o.format == OUT_JSON ?
		    EXPORT_JSON : EXPORT_CSV, stdout, &c->err);
	if (n < 0)
		return cli_fail(c);
	if (n == 0 && o.format == OUT_TABLE)
		fputs("no points entries\n", stderr);
	return 0;
}

/* earn, redeem and adjust: REF POINTS [--reason TEXT]. */
static int
pts_change(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, int kind)
{
	struct ledger_entry en;
	struct pts_opts o;
	int64_t id, points = 0, before;
	int rc;

	if ((rc = pts_parse(argc, argv, &o, 2, "takes a customer REF and "
	    "POINTS")))
		return rc;
	if (customer_resolve(s, &c->cfg, o.operand[0], &id, &c->err) < 0 ||
	    pts_number(c, o.operand[1], &points) < 0 ||
	    (kind == LK_REDEEM && perm_redeem(&c->cfg, who, (long)points,
	    &c->err) < 0))
		return cli_fail(c);
	if (kind == LK_REDEEM)
		rc = loyalty_redeem(s, &c->cfg, id, points, o.reason, who->id,
		    util_now_ms(), &en, &c->err);
	else if (kind == LK_EARN)
		rc = loyalty_earn(s, &c->cfg, id, points, o.reason, who->id,
		    util_now_ms(), &en, &c->err);
	else
		rc = loyalty_adjust(s, &c->cfg, id, points, o.reason, who->id,
		    util_now_ms(), &en, &c->err);
	if (rc < 0)
		return cli_fail(c);
	before = en.balance - en.points;
	pts_entry_print(c, &en, before, o.format);
	return 0;
}

static int
pts_earn(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	return pts_change(c, s, who, argc, argv, LK_EARN);
}

static int
pts_redeem(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	return pts_change(c, s, who, argc, argv, LK_REDEEM);
}

static int
pts_adjust(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	return pts_change(c, s, who, argc, argv, LK_ADJUST);
}

static int
pts_expire(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct pts_opts o;
	struct daily d;
	const struct loyalty_upkeep *r = &d.upkeep;
	int rc;

	if ((rc = pts_parse(argc, argv, &o, 0, "expire takes no operands")))
		return rc;
	if (daily_run(s, &c->cfg, util_now_ms(), DAILY_UPKEEP, &d,
	    &c->err) < 0)
		return cli_fail(c);
	if (o.format == OUT_JSON)
		printf("{\"expired_points\":%lld,\"expired_customers\":%ld,"
		    "\"birthday_bonuses\":%ld,\"tiers_changed\":%ld}\n",
		    (long long)r->expired_points, r->expired_customers,
		    r->birthday_bonuses, r->retiered);
	else
		printf("%lld points expired (%ld customers), %ld birthday "
		    "bonuses, %ld tiers changed\n", (long long)r->expired_points,
		    r->expired_customers, r->birthday_bonuses, r->retiered);
	return 0;
}

static const struct cli_verb pts_verbs[] = {
	{ "balance", pts_balance, PERM_view, 0 },
	{ "history", pts_history, PERM_view, 0 },
	{ "earn", pts_earn, PERM_adjust, 0 },
	{ "redeem", pts_redeem, PERM_redeem, 0 },
	{ "adjust", pts_adjust, PERM_adjust, 0 },
	{ "expire", pts_expire, PERM_view, 0 },
};

static int
cmd_points(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, &cmd_points_entry, pts_verbs,
	    sizeof pts_verbs / sizeof pts_verbs[0], argc, argv, NULL);
}

const struct cli_cmd cmd_points_entry = {
	.name = "points",
	.summary = "The loyalty ledger: balance, history, earn, redeem, adjust, "
		   "expire.",
	.details = "balance REF [--json]: balance, tier, progress, points "
		   "expiring within 30 days.\nhistory REF [--limit N] "
		   "[--json|--csv]: the entries, newest first.\nredeem REF "
		   "POINTS [--reason TEXT]: at least loyalty.min_redeem, never "
		   "more than the\n  balance (exit 65, nothing written).\n"
		   "earn REF POINTS --reason TEXT, adjust REF [+|-]POINTS "
		   "--reason TEXT: managers.\nexpire: expire lapsed points, "
		   "give birthday bonuses, move tiers; safe to repeat.",
	.usage = "points balance|history REF | points redeem REF POINTS | "
		 "points earn|adjust REF [+|-]POINTS --reason TEXT | points "
		 "expire",
	.run = cmd_points,
};
