/*
 * cmd_customer: `patron customer add|show|edit|search|list|merge`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patron/audit.h"
#include "patron/cli.h"
#include "patron/perm.h"
#include "patron/customer.h"
#include "patron/export.h"
#include "patron/outfile.h"
#include "patron/phone.h"
#include "patron/search.h"


enum { OUT_TABLE, OUT_JSON, OUT_CSV };

/* Whether who sees phone numbers and emails masked (roles.ROLE). */
static int
masked_for(const struct cli *c, const struct staff *who)
{
	return perm_masked(&c->cfg, who->role);
}

struct cust_opts {
	struct customer_input in;
	const char *tags[CUSTOMER_TAGS_MAX + 1];
	const char *fields[64];
	int format;
	long limit;
	int no_tags;
	int reveal;
	int yes;
	const char *reason;
};

enum {
	O_NAME = 256, O_GIVEN, O_FAMILY, O_PHONE, O_EMAIL, O_BIRTHDAY, O_CARD,
	O_TAG, O_NO_TAGS, O_NOTE, O_FIELD, O_CONSENT, O_DUP, O_JSON, O_CSV,
	O_LIMIT, O_REVEAL, O_REASON, O_YES,
};

static const struct option cust_long[] = {
	{ "name", required_argument, NULL, O_NAME },
	{ "given-name", required_argument, NULL, O_GIVEN },
	{ "family-name", required_argument, NULL, O_FAMILY },
	{ "phone", required_argument, NULL, O_PHONE },
	{ "email", required_argument, NULL, O_EMAIL },
	{ "birthday", required_argument, NULL, O_BIRTHDAY },
	{ "card", required_argument, NULL, O_CARD },
	{ "tag", required_argument, NULL, O_TAG },
	{ "no-tags", no_argument, NULL, O_NO_TAGS },
	{ "note", required_argument, NULL, O_NOTE },
	{ "field", required_argument, NULL, O_FIELD },
	{ "consent", required_argument, NULL, O_CONSENT },
	{ "allow-duplicate", no_argument, NULL, O_DUP },
	{ "json", no_argument, NULL, O_JSON },
	{ "csv", no_argument, NULL, O_CSV },
	{ "limit", required_argument, NULL, O_LIMIT },
	{ "reveal", no_argument, NULL, O_REVEAL },
	{ "reason", required_argument, NULL, O_REASON },
	{ "yes", no_argument, NULL, O_YES },
	{ NULL, 0, NULL, 0 },
};

/*
 * Parse the options of any verb and require noperands operands (else
 * usage error why, or "unexpected ..."); returns 0 or an exit code.
 */
static int
cust_parse(int argc, char **argv, struct cust_opts *o, int noperands,
	const char *why)
{
	int ch;

	memset(o, 0, sizeof *o);
	customer_input_init(&o->in);
	o->in.tags = o->tags;
	o->in.fields = o->fields;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", cust_long, NULL)) != -1) {
		switch (ch) {
		case O_NAME: o->in.name = optarg; break;
		case O_GIVEN: o->in.given_name = optarg; break;
		case O_FAMILY: o->in.family_name = optarg; break;
		case O_PHONE: o->in.phone = optarg; break;
		case O_EMAIL: o->in.email = optarg; break;
		case O_BIRTHDAY: o->in.birthday = optarg; break;
		case O_CARD: o->in.card = optarg; break;
		case O_NOTE: o->in.notes = optarg; break;
		case O_DUP: o->in.allow_duplicate = 1; break;
		case O_JSON: o->format = OUT_JSON; break;
		case O_CSV: o->format = OUT_CSV; break;
		case O_NO_TAGS: o->in.set_tags = 1; break;
		case O_REVEAL: o->reveal = 1; break;
		case O_REASON: o->reason = optarg; break;
		case O_YES: o->yes = 1; break;
		case O_TAG:
			if (o->in.ntags >= CUSTOMER_TAGS_MAX)
				return cli_usage(&cmd_customer_entry,
					"at most %d tags", CUSTOMER_TAGS_MAX);
			o->tags[o->in.ntags++] = optarg;
			o->in.set_tags = 1;
			break;
		case O_FIELD:
			if (o->in.nfields >= 64 || strchr(optarg, '=') == NULL)
				return cli_usage(&cmd_customer_entry,
					"--field takes KEY=VALUE");
			o->fields[o->in.nfields++] = optarg;
			break;
		case O_CONSENT:
			if (strcmp(optarg, "yes") == 0)
				o->in.consent = 1;
			else if (strcmp(optarg, "no") == 0)
				o->in.consent = 0;
			else
				return cli_usage(&cmd_customer_entry,
					"--consent takes yes or no");
			break;
		case O_LIMIT:
			o->limit = strtol(optarg, NULL, 10);
			if (o->limit < 1 || o->limit > 10000)
				return cli_usage(&cmd_customer_entry,
					"--limit takes 1 to 10000");
			break;
		default:
			return cli_usage(&cmd_customer_entry, "bad option");
		}
	}
	if (optind + noperands != argc) {
		if (why == NULL && optind < argc)
			return cli_usage(&cmd_customer_entry, "unexpected '%s'",
				argv[optind]);
		return cli_usage(&cmd_customer_entry, "%s", why);
	}
	if (o->yes && strcmp(argv[0], "merge") != 0)
		return cli_usage(&cmd_customer_entry, "--yes goes with merge "
		    "(and erase)");
	return 0;
}

static void
cust_phone(const struct customer *c, int masked, char *out, size_t len)
{
	if (c->phone == NULL)
		snprintf(out, len, "%s", "");
	else if (masked)
		phone_mask(c->phone, out, len);
	else
		phone_format(c->phone, out, len);
}

static void
show_line(const char *label, const char *v)
{
	printf("%-10s ", label);
	cli_print_safe(stdout, v ? v : "", 0);
	putchar('\n');
}

/* A stored UTC time as a table shows it: in store.timezone. */
static void
local_time(const char *iso, const char *fmt, char *buf, size_t len)
{
	int64_t ms;

	buf[0] = '\0';
	if (iso != NULL && util_time_parse(iso, &ms) == 0)
		util_time_local(ms, fmt, buf, len);
	else if (iso != NULL)
		snprintf(buf, len, "%s", iso);
}

static void
show_time(const char *label, const char *iso)
{
	char when[64];

	local_time(iso, "%Y-%m-%d %H:%M", when, sizeof when);
	show_line(label, when);
}

static void
print_show(struct cli *cl, struct store *s, const struct customer *c,
	int masked)
{
	char phone[64];

	cust_phone(c, masked, phone, sizeof phone);
	printf("%-10s %lld\n", "id", (long long)c->id);
	printf("%-10s %s\n", "uuid", c->uuid);
	show_line("name", c->name);
	if (c->given_name || c->family_name) {
		show_line("given", c->given_name);
		show_line("family", c->family_name);
	}
	show_line("phone", phone);
	show_line("email", c->email && masked ? "\u2022\u2022\u2022" : c->email);
	show_line("card", c->card);
	show_line("birthday", c->birthday);
	fputs("tags       ", stdout);
	for (size_t i = 0; i < c->ntags; i++) {
		cli_print_safe(stdout, c->tags[i], 0);
		if (i + 1 < c->ntags)
			putchar(' ');
	}
	putchar('\n');
	printf("%-10s %lld\n", "points", (long long)c->points);
	show_line("tier", c->tier);
	show_line("consent", c->consent < 0 ? "not asked" :
	    c->consent ? "given" : "withdrawn");
	show_time("last visit", c->last_visit);
	for (int i = 0; i < cl->cfg.nfields; i++) {
		char v[256];

		customer_field(s, c, cl->cfg.fields[i].key, v, sizeof v);
		show_line(cl->cfg.fields[i].label, v);
	}
	show_time("created", c->created_at);
	show_time("updated", c->updated_at);
	if (c->merged_into > 0)
		printf("%-10s %lld\n", "merged in", (long long)c->merged_into);
	show_line("notes", c->notes);
}

/* A list of customers, as a table, JSON array or CSV. */
struct list_out {
	int format, masked;
	long n;
	struct store *s;
	const struct config *cfg;
};

static void
list_row(struct list_out *o, const struct customer *c, int rank)
{
	char phone[64], day[32];

	cust_phone(c, o->masked, phone, sizeof phone);
	if (o->format == OUT_JSON) {
		fputs(o->n ? ",\n" : "\n", stdout);
		customer_json(stdout, c, o->masked);
	} else if (o->format == OUT_CSV) {
		if (o->n == 0)
			export_csv_header(stdout, o->cfg);
		export_csv_row(stdout, o->s, o->cfg, c, o->masked);
	} else {
		if (o->n == 0)
			printf("%6s  %-28s %-18s %-12s %8s  %-10s\n", "ID",
				"NAME", "PHONE", "CARD", "POINTS", "LAST VISIT");
		printf("%6lld  ", (long long)c->id);
		cli_print_safe(stdout, c->name, 28);
		putchar(' ');
		cli_print_safe(stdout, phone, 18);
		putchar(' ');
		cli_print_safe(stdout, c->card ? c->card : "", 12);
		local_time(c->last_visit, "%Y-%m-%d", day, sizeof day);
		day[10] = '\0';	/* a day, or what was stored cut to one */
		printf(" %8lld  ", (long long)c->points);
		cli_print_safe(stdout, day, 0);
		putchar('\n');
	}
	(void)rank;
	o->n++;
}

static void
list_end(struct list_out *o)
{
	if (o->format == OUT_JSON)
		fputs(o->n ? "\n]\n" : "]\n", stdout);
	else if (o->format == OUT_CSV && o->n == 0)
		export_csv_header(stdout, o->cfg);
}

static int
list_each(struct customer *c, void *arg)
{
	list_row(arg, c, 0);
	return 0;
}

static int
cust_show_masked(struct cli *c, struct store *s, int64_t id, int format,
	int masked)
{
	struct customer k;

	if (customer_get(s, id, &k, &c->err) < 0)
		return cli_fail(c);
	if (format == OUT_JSON) {
		customer_json(stdout, &k, masked);
		putchar('\n');
	} else
		print_show(c, s, &k, masked);
	customer_free(&k);
	return 0;
}

static int
cust_show_one(struct cli *c, struct store *s, const struct staff *who,
	int64_t id, int format)
{
	return cust_show_masked(c, s, id, format, masked_for(c, who));
}

static int
cust_add(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct cust_opts o;
	int64_t id;
	int rc;

	if ((rc = cust_parse(argc, argv, &o, 0, NULL)) != 0)
		return rc;
	o.in.welcome = 1;
	if (customer_add(s, &c->cfg, &o.in, who->id, &id, &c->err) < 0)
		return cli_fail(c);
	if (o.format == OUT_JSON)
		return cust_show_one(c, s, who, id, OUT_JSON);
	printf("%lld\n", (long long)id);
	return 0;
}

static int
cust_show(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct cust_opts o;
	int64_t id;
	int rc;

	if ((rc = cust_parse(argc, argv, &o, 1, "show takes one REF")) != 0)
		return rc;
	if (o.reason != NULL && !o.reveal)
		return cli_usage(&cmd_customer_entry, "--reason goes with "
		    "--reveal");
	if (customer_resolve(s, &c->cfg, argv[optind], &id, &c->err) < 0)
		return cli_fail(c);
	/* Revealing masked data takes a reason, and is recorded. */
	if (o.reveal && masked_for(c, who)) {
		if (perm_reveal(s, &c->cfg, who, id, o.reason, &c->err) < 0)
			return cli_fail(c);
		return cust_show_masked(c, s, id, o.format, 0);
	}
	return cust_show_one(c, s, who, id, o.format);
}

static int
cust_edit(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct cust_opts o;
	int64_t id;
	int rc;

	if ((rc = cust_parse(argc, argv, &o, 1, "edit takes one REF")) != 0)
		return rc;
	if (customer_resolve(s, &c->cfg, argv[optind], &id, &c->err) < 0 ||
	    customer_edit(s, &c->cfg, id, &o.in, who->id, &c->err) < 0)
		return cli_fail(c);
	return o.format == OUT_JSON ? cust_show_one(c, s, who, id, OUT_JSON) : 0;
}

/*
 * Listing many customers is an export: staff without the export permission
 * get at most CUST_LIST_MAX rows (the lookup screen shows as many); more
 * is refused (PX_NOPERM).
 */
#define CUST_LIST_MAX 100
static int
cust_bulk(struct cli *c, const struct staff *who, long *limit)
{
	if (perm_allows(&c->cfg, who->role, PERM_export))
		return 0;
	if (*limit == 0)
		*limit = CUST_LIST_MAX;
	if (*limit > CUST_LIST_MAX)
		return perr_set(&c->err, PX_NOPERM, "%s (%s) may list at most "
		    "%d customers; more is an export (permission export)",
		    who->name, who->role, CUST_LIST_MAX);
	return 0;
}

static int
cust_list(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct cust_opts o;
	struct list_out lo;
	long asked;
	int rc;

	if ((rc = cust_parse(argc, argv, &o, 0, "list takes no operand")) != 0)
		return rc;
	asked = o.limit;
	if (cust_bulk(c, who, &o.limit) < 0)
		return cli_fail(c);
	lo.format = o.format;
	lo.masked = masked_for(c, who);
	lo.n = 0;
	lo.s = s;
	lo.cfg = &c->cfg;
	if (lo.format == OUT_JSON)
		putchar('[');
	/* list shows everyone unless --limit is given (or cust_bulk). */
	rc = customer_each(s, o.limit, list_each, &lo, &c->err);
	list_end(&lo);
	if (rc == 0 && lo.n == 0 && lo.format == OUT_TABLE)
		fputs("no customers\n", stderr);
	if (rc == 0 && asked == 0 && o.limit > 0 && lo.n == o.limit)
		fprintf(stderr, "patron: the first %ld customers; listing them "
		    "all is an export (permission export)\n", o.limit);
	/* The whole file listed is an export, and recorded as one. */
	if (rc == 0 && o.limit == 0) {
		char detail[96];

		snprintf(detail, sizeof detail, "{\"what\":\"customer list\","
		    "\"rows\":%ld}", lo.n);
		rc = audit_log(s, "export", "customers", 0, 0, detail,
		    &c->err);
	}
	return rc < 0 ? cli_fail(c) : 0;
}

static int
cust_search(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	struct cust_opts o;
	struct list_out lo;
	struct search *x;
	struct search_hit *hits;
	long n;
	int rc;

	if ((rc = cust_parse(argc, argv, &o, 1, "search takes one QUERY")) != 0)
		return rc;
	if (o.limit == 0)
		o.limit = 20;
	if (cust_bulk(c, who, &o.limit) < 0)
		return cli_fail(c);
	x = search_new();
	search_set_masked(x, masked_for(c, who));
	/* One more than the limit: whether there are more ("20+ found"). */
	hits = xcalloc((size_t)o.limit + 1, sizeof *hits);
	if (search_refresh(x, s, &c->err) < 0 ||
	    (n = search_query(x, s, &c->cfg, argv[optind], hits,
		 (size_t)o.limit + 1, NULL, NULL, &c->err)) < 0) {
		free(hits);
		search_free(x);
		return cli_fail(c);
	}
	lo.format = o.format;
	lo.masked = masked_for(c, who);
	lo.n = 0;
	lo.s = s;
	lo.cfg = &c->cfg;
	if (lo.format == OUT_JSON)
		putchar('[');
	for (long i = 0; i < n && i < o.limit; i++) {
		struct customer k;

		if (customer_get(s, hits[i].id, &k, &c->err) < 0) {
			free(hits);
			search_free(x);
			return cli_fail(c);
		}
		list_row(&lo, &k, hits[i].rank);
		customer_free(&k);
	}
	list_end(&lo);
	/* The table says how many (JSON and CSV stay rows only). */
	if (lo.format == OUT_TABLE && n > o.limit)
		printf("%ld+ found: the first %ld shown (--limit N for more)\n",
		    o.limit, o.limit);
	else if (lo.format == OUT_TABLE && n > 0)
		printf("%ld found\n", n);
	free(hits);
	search_free(x);
	/* A search that finds nobody is "not found" in every format: the
	 * output is still whole (no rows, [] or the CSV header). */
	return n == 0 ? (fputs("no customer found\n", stderr), 1) : 0;
}

/*
 * A merge cannot be undone: on a terminal, name both customers and go on
 * only when "merge" is typed, as erase asks (cli_confirm). 0 to go on,
 * else -1 with c->err set (nothing merged).
 */
static int
cust_merge_confirmed(struct cli *c, struct store *s, int64_t keep,
	int64_t other)
{
	struct customer k, o;
	int yes;

	if (keep == other)
		return perr_set(&c->err, PX_USAGE, "cannot merge a customer "
		    "into itself");
	if (customer_get(s, keep, &k, &c->err) < 0)
		return -1;
	if (customer_get(s, other, &o, &c->err) < 0) {
		customer_free(&k);
		return -1;
	}
	yes = k.deleted_at == NULL && o.deleted_at == NULL;
	if (!yes)
		perr_set(&c->err, PX_FAIL, "no customer %lld (or already "
		    "merged)", (long long)(k.deleted_at ? keep : other));
	else {
		fprintf(stderr, "Merge customer %lld, ", (long long)other);
		cli_print_safe(stderr, o.name, 0);
		fprintf(stderr, ", into customer %lld, ", (long long)keep);
		cli_print_safe(stderr, k.name, 0);
		fprintf(stderr, "?\nTheir purchases, points, history and tasks "
		    "move to customer %lld;\ncustomer %lld is marked merged. "
		    "This cannot be undone.\nType \"merge\" to go on: ",
		    (long long)keep, (long long)other);
		if (!(yes = cli_confirm("merge", NULL)))
			perr_set(&c->err, PX_FAIL, "customer %lld not merged",
			    (long long)other);
	}
	customer_free(&k);
	customer_free(&o);
	return yes ? 0 : -1;
}

static int
cust_merge(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	int64_t keep, other;
	struct cust_opts o;
	int rc;

	if ((rc = cust_parse(argc, argv, &o, 2, "merge takes KEEP OTHER")) != 0)
		return rc;
	if (!o.yes && !isatty(STDIN_FILENO))
		return cli_usage(&cmd_customer_entry, "merge cannot be undone: "
		    "give --yes when standard input is not a terminal");
	if (cli_may(c, who, PERM_merge) < 0 ||
	    customer_resolve(s, &c->cfg, argv[optind], &keep, &c->err) < 0 ||
	    customer_resolve(s, &c->cfg, argv[optind + 1], &other, &c->err) < 0 ||
	    (!o.yes && cust_merge_confirmed(c, s, keep, other) < 0) ||
	    customer_merge(s, &c->cfg, keep, other, who->id, &c->err) < 0)
		return cli_fail(c);
	return o.format == OUT_JSON ? cust_show_one(c, s, who, keep, OUT_JSON) :
	    (printf("%lld\n", (long long)keep), 0);
}

/*
 * export-data REF [-o FILE]: everything stored about one person (the right
 * of access), written where asked, 0600, and recorded in the audit trail.
 */
static int
cust_export_data(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	const char *path = NULL;
	struct outfile of;
	char detail[96];
	int64_t id;
	int rc;

	if (argc == 4 && strcmp(argv[2], "-o") == 0)
		path = argv[3];
	else if (argc != 2)
		return cli_usage(&cmd_customer_entry, "export-data takes REF "
		    "[-o FILE]");
	if (perm_unmasked(&c->cfg, who, "a right-of-access export",
	    &c->err) < 0 ||
	    customer_resolve(s, &c->cfg, argv[1], &id, &c->err) < 0)
		return cli_fail(c);
	snprintf(detail, sizeof detail, "{\"to\":\"%s\"}", path ? "file" :
	    "stdout");
	/* Recorded before any of it leaves: no export without its entry. */
	if (path == NULL || strcmp(path, "-") == 0) {
		if (audit_log(s, "export_data", "customer", id, id, detail,
		    &c->err) < 0 || export_json_customer_data(s, id, stdout,
		    &c->err) < 0)
			return cli_fail(c);
		return 0;
	}
	/* Never half a file, never a device replaced (outfile.h). */
	if (outfile_open(&of, path, 0, &c->err) < 0)
		return cli_fail(c);
	/* Written in place (a FIFO, a terminal) it leaves as it is written:
	 * recorded first; beside, before it takes its name. */
	rc = of.tmp == NULL ? audit_log(s, "export_data", "customer", id, id,
	    detail, &c->err) : 0;
	if (rc == 0)
		rc = export_json_customer_data(s, id, of.f, &c->err);
	if (rc == 0 && of.tmp != NULL)
		rc = audit_log(s, "export_data", "customer", id, id, detail,
		    &c->err);
	if (rc < 0)
		outfile_abort(&of);
	else
		rc = outfile_commit(&of, &c->err);
	return rc < 0 ? cli_fail(c) : 0;
}

/* customer erase REF [--yes]: src/cli/cmd_erase.c */
int cmd_erase_customer(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg);

static const struct cli_verb cust_verbs[] = {
	{ "export-data", cust_export_data, PERM_export, 0 },
	{ "add", cust_add, PERM_add, 0 },
	{ "show", cust_show, PERM_view, 0 },
	{ "edit", cust_edit, PERM_edit, 0 },
	{ "list", cust_list, PERM_view, 0 },
	{ "search", cust_search, PERM_view, 0 },
	{ "merge", cust_merge, PERM_merge, 0 },
	{ "erase", cmd_erase_customer, PERM_erase, 0 },
};

static int
cmd_customer(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, &cmd_customer_entry, cust_verbs,
	    sizeof cust_verbs / sizeof cust_verbs[0], argc, argv, NULL);
}

const struct cli_cmd cmd_customer_entry = {
	.name = "customer",
	.summary = "Add, show, edit, search, list and merge customers; export "
		   "everything stored about one, or erase them.",
	.details = "REF is id:N, uuid:U, card:C, phone:P, or any of these "
		   "without the prefix.\nOptions of add and edit: --name, "
		   "--given-name, --family-name, --phone, --email,\n--birthday "
		   "YYYY-MM-DD, --card, --tag T (repeatable; edit: replaces), "
		   "--no-tags,\n--note TEXT, --field KEY=VALUE, --consent "
		   "yes|no, --allow-duplicate.\nAn empty value clears a field "
		   "in edit.\nRoles that see phone and email masked reveal "
		   "them with show --reveal --reason TEXT;\nthe reveal is "
		   "recorded in the audit trail.\nerase wipes a customer's "
		   "personal data for good; purchases and points stay\nunder "
		   "\"Erased customer ID\". It asks for the name on a "
		   "terminal; scripts give --yes.\nmerge KEEP OTHER cannot be "
		   "undone either: on a terminal it asks for \"merge\";\n"
		   "scripts give --yes.",
	.usage = "customer add --name NAME [options] | customer show REF "
		 "[--json] [--reveal --reason TEXT] | customer edit REF "
		 "[options] | customer search QUERY [--limit N] [--json|--csv] | customer list "
		 "[--limit N] [--json|--csv] | customer merge KEEP OTHER [--yes] | "
		 "customer export-data REF [-o FILE] | customer erase REF "
		 "[--yes]",
	.run = cmd_customer,
};
