/*
 * cmd_export: `patron export customers|purchases|points [--format F] [-o FILE]`.
 * An export is customer data in the clear, asked for: it goes where the
 * user says, and a file it creates is readable by its owner only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/audit.h"
#include "patron/cli.h"
#include "patron/outfile.h"
#include "patron/perm.h"
#include "patron/export.h"


struct exp_opts {
	int format;
	const char *path;	/* NULL: standard output */
	const char *channel;	/* --consent, or NULL */
};

/*
 * Whatever the kind: the checks of format and consent, the file, the
 * export, its audit entry and the count. what is the verb as typed.
 */
static int
exp_run(struct cli *c, int argc, char **argv, const struct exp_opts *o,
	enum export_kind kind)
{
	static const char *const rows[] = { "customers", "purchases",
		"points entries", "tasks" };
	const char *what = argv[0];
	struct outfile of;
	struct store *s;
	struct staff who;
	long n;

	if (argc != 1)
		return cli_usage(&cmd_export_entry, "%s",
		    cmd_export_entry.verb_usage);
	if (kind != EXPORT_CUSTOMERS && o->format == EXPORT_VCF)
		return cli_usage(&cmd_export_entry, "vCard is for customers; "
		    "%s export as csv or json%s", what, kind == EXPORT_TASKS ?
		    " or ics" : "");
	if (kind != EXPORT_TASKS && o->format == EXPORT_ICS)
		return cli_usage(&cmd_export_entry, "iCalendar is for tasks; "
		    "%s export as csv or json%s", what, kind ==
		    EXPORT_CUSTOMERS ? " or vcf" : "");
	if (o->channel != NULL && kind != EXPORT_CUSTOMERS)
		return cli_usage(&cmd_export_entry, "--consent is for "
		    "customers");
	if (cli_open(c, 0, &s) < 0)
		return cli_fail(c);
	if (cli_login(c, s, PERM_export, &who) < 0) {
		store_close(s);
		return cli_fail(c);
	}
	/* Never half a file, never a device replaced (outfile.h). */
	if (outfile_open(&of, o->path ? o->path : "-", 0, &c->err) < 0) {
		store_close(s);
		return cli_fail(c);
	}
	if (kind == EXPORT_TASKS) {
		struct task_filter f = { 0 };

		f.all = 1;
		n = export_tasks(s, &f, util_now_ms(), o->format, of.f,
		    &c->err);
	} else if (kind == EXPORT_CUSTOMERS)
		n = export_customers_consented(s, &c->cfg, o->channel,
		    o->format, perm_masked(&c->cfg, who.role), of.f, &c->err);
	else if (kind == EXPORT_PURCHASES)
		n = export_purchases(s, &c->cfg, 0, 0, o->format, of.f,
		    &c->err);
	else
		n = export_points(s, 0, 0, o->format, of.f, &c->err);
	if (n >= 0) {
		char detail[600];

		snprintf(detail, sizeof detail, "{\"what\":\"%s\",\"rows\":%ld,"
		    "\"to\":\"%s\"%s%s%s}", what, n, o->path ? "file" : "stdout",
		    o->channel ? ",\"consent\":\"" : "",
		    o->channel ? o->channel : "", o->channel ? "\"" : "");
		if (audit_log(s, "export", what, 0, 0, detail, &c->err) < 0)
			n = -1;
	}
	store_close(s);
	if (n < 0)
		outfile_abort(&of);
	else if (outfile_commit(&of, &c->err) < 0)
		n = -1;
	if (n < 0)
		return cli_fail(c);
	if (o->channel != NULL && n == 0)
		fprintf(stderr, "patron: no customer has given consent for "
		    "%s\n", o->channel);
	if (o->path != NULL)
		fprintf(stderr, "%ld %s exported to %s\n", n, rows[kind],
		    o->path);
	return 0;
}

static int
exp_customers(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	return exp_run(c, argc, argv, arg, EXPORT_CUSTOMERS);
}

static int
exp_purchases(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	return exp_run(c, argc, argv, arg, EXPORT_PURCHASES);
}

static int
exp_points(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	return exp_run(c, argc, argv, arg, EXPORT_POINTS);
}

static int
exp_tasks(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	return exp_run(c, argc, argv, arg, EXPORT_TASKS);
}

/* Each opens the database itself, once the output is known to be right. */
static const struct cli_verb exp_verbs[] = {
	{ "customers", exp_customers, CLI_SELF, 0 },
	{ "purchases", exp_purchases, CLI_SELF, 0 },
	{ "points", exp_points, CLI_SELF, 0 },
	{ "tasks", exp_tasks, CLI_SELF, 0 },
};

/* The options may come before the noun: they are read first. */
static int
cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "consent", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct exp_opts o = { EXPORT_CSV, NULL, NULL };
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if ((o.format = export_format_named(optarg)) < 0)
				return cli_usage(&cmd_export_entry,
					"--format takes csv, json, vcf or ics");
			break;
		case 'o':
			o.path = strcmp(optarg, "-") == 0 ? NULL : optarg;
			break;
		case 'c':
			/* A channel name: a word, safe in the audit detail. */
			o.channel = optarg;
			if (*o.channel == '\0' || strlen(o.channel) > 32 ||
			    o.channel[strspn(o.channel, "abcdefghijklmnopqrstuvwxyz"
			    "0123456789_-")] != '\0')
				return cli_usage(&cmd_export_entry, "--consent "
				    "takes a channel such as marketing");
			break;
		default:
			return cli_usage(&cmd_export_entry, "bad option");
		}
	}
	/* From the noun on: argv[optind - 1] stands where the verb's
	 * command would. */
	return cli_dispatch(c, &cmd_export_entry, exp_verbs,
	    sizeof exp_verbs / sizeof exp_verbs[0], argc - optind + 1,
	    argv + optind - 1, &o);
}

const struct cli_cmd cmd_export_entry = {
	.name = "export",
	.summary = "Export customers (CSV, JSON, vCard 4.0), purchases or "
		   "points entries (CSV, JSON), tasks (CSV, JSON, iCalendar), "
		   "in the clear: to standard output or -o FILE, 0600.",
	.usage = "export customers|purchases|points|tasks [--format "
		 "csv|json|vcf|ics] [--consent CHANNEL] [-o FILE]",
	.details = "Role: manager or admin.\n--consent CHANNEL (customers "
		   "only): just the customers whose latest consent\nrecord "
		   "for CHANNEL says given, e.g. --consent marketing for a "
		   "mailing.",
	.verb_usage = "export customers|purchases|points|tasks",
	.run = cmd_export,
};
