/*
 * cmd_purchase: `patron purchase add|list|void`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/cli.h"
#include "patron/perm.h"
#include "patron/customer.h"
#include "patron/export.h"
#include "patron/purchase.h"

enum { OUT_TABLE, OUT_JSON, OUT_CSV };

struct pur_opts {
	const char *customer, *receipt, *branch, *at, *total, *return_of;
	const char *reason;
	struct purchase_line lines[PURCHASE_LINES_MAX];
	char *owned[PURCHASE_LINES_MAX];
	int nlines;
	int format;
	long limit;
};

enum { O_CUSTOMER = 256, O_TOTAL, O_RECEIPT, O_BRANCH, O_AT, O_LINE,
	O_RETURN_OF, O_REASON, O_JSON, O_CSV, O_LIMIT };

static const struct option pur_long[] = {
	{ "customer", required_argument, NULL, O_CUSTOMER },
	{ "total", required_argument, NULL, O_TOTAL },
	{ "receipt", required_argument, NULL, O_RECEIPT },
	{ "branch", required_argument, NULL, O_BRANCH },
	{ "at", required_argument, NULL, O_AT },
	{ "line", required_argument, NULL, O_LINE },
	{ "return-of", required_argument, NULL, O_RETURN_OF },
	{ "reason", required_argument, NULL, O_REASON },
	{ "json", no_argument, NULL, O_JSON },
	{ "csv", no_argument, NULL, O_CSV },
	{ "limit", required_argument, NULL, O_LIMIT },
	{ NULL, 0, NULL, 0 },
};

static void
pur_free(struct pur_opts *o)
{
	for (int i = 0; i < o->nlines; i++)
		free(o->owned[i]);
}

/* --line SKU:QTY:PRICE[:NAME] */
static int
pur_line(struct cli *c, struct pur_opts *o, const char *arg)
{
	struct purchase_line *l = &o->lines[o->nlines];
	char *copy, *qty, *price, *name, *end;

	if (o->nlines == PURCHASE_LINES_MAX)
		return cli_usage(&cmd_purchase_entry, "at most %d lines",
		    PURCHASE_LINES_MAX);
	copy = xstrdup(arg);
	o->owned[o->nlines++] = copy;
	qty = strchr(copy, ':');
	price = qty ? strchr(qty + 1, ':') : NULL;
	if (qty == NULL || price == NULL)
		return cli_usage(&cmd_purchase_entry, "--line takes "
		    "SKU:QTY:PRICE[:NAME]");
	*qty++ = '\0';
	*price++ = '\0';
	if ((name = strchr(price, ':')) != NULL)
		*name++ = '\0';
	l->sku = copy;
	l->name = name;
	l->quantity = strtoll(qty, &end, 10);
	if (*qty == '\0' || *end != '\0')
		return cli_usage(&cmd_purchase_entry, "--line %s: the quantity "
		    "is a whole number", arg);
	if (cli_amount(c, price, &l->unit_price) < 0)
		return cli_fail(c);
	return 0;
}

static int
pur_parse(struct cli *c, int argc, char **argv, struct pur_opts *o,
	int noperands, const char *why)
{
	int ch, rc;

	memset(o, 0, sizeof *o);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", pur_long, NULL)) != -1) {
		switch (ch) {
		case O_CUSTOMER: o->customer = optarg; break;
		case O_TOTAL: o->total = optarg; break;
		case O_RECEIPT: o->receipt = optarg; break;
		case O_BRANCH: o->branch = optarg; break;
		case O_AT: o->at = optarg; break;
		case O_RETURN_OF: o->return_of = optarg; break;
		case O_REASON: o->reason = optarg; break;
		case O_JSON: o->format = OUT_JSON; break;
		case O_CSV: o->format = OUT_CSV; break;
		case O_LINE:
			if ((rc = pur_line(c, o, optarg)) != 0)
				return rc;
			break;
		case O_LIMIT:
			o->limit = strtol(optarg, NULL, 10);
			if (o->limit < 1 || o->limit > 1000000)
				return cli_usage(&cmd_purchase_entry,
				    "--limit takes 1 to 1000000");
			break;
		default:
			return cli_usage(&cmd_purchase_entry, "bad option");
		}
	}
	if (argc - optind != noperands)
		return cli_usage(&cmd_purchase_entry, "%s", why);
	return 0;
}

static void
pur_print(struct cli *c, const struct purchase *p, int existed, int format)
{
	char total[64], when[32], pts[32], bal[32];

	if (format == OUT_JSON) {
		/* One more key: whether an earlier run recorded it. */
		export_json_purchase(stdout, &c->cfg, p, existed ?
		    ",\"recorded_before\":true" : ",\"recorded_before\":false");
		putchar('\n');
		return;
	}
	util_money_text(p->total, p->currency, total, sizeof total);
	util_decimal_group(p->points, 0, 1, pts, sizeof pts);
	util_decimal_group(p->balance, 0, 0, bal, sizeof bal);
	util_time_local(p->occurred_ms, "%Y-%m-%d %H:%M", when, sizeof when);
	if (existed)
		printf("receipt %s was recorded already: purchase %lld, nothing "
		    "changed\n", p->receipt, (long long)p->id);
	else
		printf("%s %lld: receipt %s, %s at %s, %s points (balance "
		    "%s)\n", p->total < 0 ? "return" : "purchase",
		    (long long)p->id, p->receipt, total, when, pts, bal);
}

static int
pur_add(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct purchase_input in = { 0 };
	struct pur_opts o;
	struct purchase p;
	int rc;

	if ((rc = pur_parse(c, argc, argv, &o, 0, "add takes options only")))
		goto out;
	rc = -1;
	if (o.customer == NULL || o.total == NULL) {
		rc = cli_usage(&cmd_purchase_entry, "add needs --customer REF "
		    "and --total AMOUNT");
		goto out;
	}
	if (cli_amount(c, o.total, &in.total) < 0)
		goto fail;
	/* A return without its sale could take back points it never gave. */
	if (in.total < 0 && o.return_of == NULL) {
		rc = cli_usage(&cmd_purchase_entry, "a negative --total is a "
		    "return: name the sale with --return-of PURCHASE (purchase "
		    "list --customer REF shows them)");
		goto out;
	}
	if (customer_resolve(s, &c->cfg, o.customer, &in.customer_id,
		&c->err) < 0 ||
	    (o.at != NULL && cli_time(c, o.at, &in.occurred_ms) < 0) ||
	    (o.return_of != NULL && purchase_resolve(s, &c->cfg, o.return_of,
		&in.return_of, &c->err) < 0))
		goto fail;
	in.receipt = o.receipt;
	in.branch = o.branch;
	in.lines = o.lines;
	in.nlines = o.nlines;
	if ((rc = purchase_add(s, &c->cfg, &in, who->id, &p, &c->err)) < 0)
		goto fail;
	pur_print(c, &p, rc == 1, o.format);
	rc = 0;
	goto out;
fail:
	rc = cli_fail(c);
out:
	pur_free(&o);
	return rc;
}

struct pur_table {
	int n;
};

static int
pur_table_row(const struct purchase *p, void *arg)
{
	struct pur_table *t = arg;
	char total[40], when[32];

	if (t->n++ == 0)
		printf("%-8s %-16s %-20s %12s %8s %8s\n", "ID", "WHEN",
		    "RECEIPT", "TOTAL", "POINTS", "CUSTOMER");
	util_decimal_format(p->total, util_currency_decimals(p->currency),
	    total, sizeof total);
	util_time_local(p->occurred_ms, "%Y-%m-%d %H:%M", when, sizeof when);
	printf("%-8lld %-16s ", (long long)p->id, when);
	cli_print_safe(stdout, p->receipt, 20);
	printf(" %12s %+8lld %8lld%s\n", total, (long long)p->points,
	    (long long)p->customer_id, p->voided ? "  void" : "");
	return 0;
}

static int
pur_list(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct pur_table t = { 0 };
	struct pur_opts o;
	int64_t customer = 0;
	long n;
	int rc;

	if ((rc = pur_parse(c, argc, argv, &o, 0, "list takes options only")))
		return rc;
	if (o.limit == 0)
		o.limit = 50;
	if (o.customer != NULL && customer_resolve(s, &c->cfg, o.customer,
	    &customer, &c->err) < 0)
		return cli_fail(c);
	if (o.format == OUT_TABLE)
		n = purchase_each(s, customer, o.limit, pur_table_row, &t,
		    &c->err);
	else
		n = export_purchases(s, &c->cfg, customer, o.limit,
		    o.format == OUT_JSON ? EXPORT_JSON : EXPORT_CSV, stdout,
		    &c->err);
	if (n < 0)
		return cli_fail(c);
	if (n == 0 && o.format == OUT_TABLE)
		fputs("no purchases\n", stderr);
	return 0;
}

static int
pur_void(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct pur_opts o;
	struct purchase p;
	int64_t id;
	int rc;

	if ((rc = pur_parse(c, argc, argv, &o, 1, "void takes one purchase "
	    "(ID or RECEIPT)")))
		return rc;
	if (purchase_resolve(s, &c->cfg, argv[optind], &id, &c->err) < 0 ||
	    purchase_void(s, &c->cfg, id, o.reason, who->id, &p, &c->err) < 0)
		return cli_fail(c);
	if (o.format == OUT_JSON) {
		export_json_purchase(stdout, &c->cfg, &p, NULL);
		putchar('\n');
	} else {
		char total[64], pts[32], bal[32];

		util_money_text(p.total, p.currency, total, sizeof total);
		util_decimal_group(-p.points, 0, 1, pts, sizeof pts);
		util_decimal_group(p.balance, 0, 0, bal, sizeof bal);
		printf("%s %lld void: receipt %s, %s, %s points (balance %s)\n",
		    p.total < 0 ? "return" : "purchase", (long long)p.id,
		    p.receipt, total, pts, bal);
	}
	return 0;
}

static const struct cli_verb pur_verbs[] = {
	{ "add", pur_add, PERM_purchase, 0 },
	{ "list", pur_list, PERM_view, 0 },
	{ "void", pur_void, PERM_void, 0 },
};

static int
cmd_purchase(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, &cmd_purchase_entry, pur_verbs,
	    sizeof pur_verbs / sizeof pur_verbs[0], argc, argv, NULL);
}

const struct cli_cmd cmd_purchase_entry = {
	.name = "purchase",
	.summary = "Record, list and void purchases and returns.",
	.details = "add: --customer REF --total AMOUNT (in the store currency; "
		   "at most store.max_purchase)\n  [--receipt R] [--branch B] "
		   "[--at TIME] [--line SKU:QTY:PRICE[:NAME]]...\n  [--return-of "
		   "PURCHASE] [--json]. The same receipt twice is recorded "
		   "once.\n  A return: a negative --total with --return-of, the "
		   "sale it returns (at most\n  what is left of it); it takes "
		   "back that sale's points in proportion.\nlist: [--customer REF] [--limit N] [--json|--csv], "
		   "newest first.\nvoid PURCHASE [--reason TEXT]: managers; "
		   "reverses the points it earned.\nPURCHASE is an id or a "
		   "receipt (BRANCH:RECEIPT for another branch).",
	.usage = "purchase add --customer REF --total AMOUNT [options] | "
		 "purchase list [--customer REF] [--limit N] [--json|--csv] | "
		 "purchase void PURCHASE [--reason TEXT]",
	.run = cmd_purchase,
};
