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


static int
cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "consent", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *what, *channel = NULL;
	int ch, format = EXPORT_CSV;
	struct outfile of;
	struct store *s;
	struct staff who;
	FILE *out;
	long n;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if ((format = export_format_named(optarg)) < 0)
				return cli_usage(&cmd_export_entry,
					"--format takes csv, json, vcf or ics");
			break;
		case 'o':
			path = strcmp(optarg, "-") == 0 ? NULL : optarg;
			break;
		case 'c':
			/* A channel name: a word, safe in the audit detail. */
			channel = optarg;
			if (*channel == '\0' || strlen(channel) > 32 ||
			    channel[strspn(channel, "abcdefghijklmnopqrstuvwxyz"
			    "0123456789_-")] != '\0')
				return cli_usage(&cmd_export_entry, "--consent "
				    "takes a channel such as marketing");
			break;
		default:
			return cli_usage(&cmd_export_entry, "bad option");
		}
	}
	if (optind + 1 != argc || (strcmp(argv[optind], "customers") != 0 &&
	    strcmp(argv[optind], "purchases") != 0 &&
	    strcmp(argv[optind], "points") != 0 &&
	    strcmp(argv[optind], "tasks") != 0))
		return cli_usage(&cmd_export_entry,
			"export customers|purchases|points|tasks");
	what = argv[optind];
	if (what[0] != 'c' && format == EXPORT_VCF)
		return cli_usage(&cmd_export_entry, "vCard is for customers; "
		    "%s export as csv or json%s", what, what[0] == 't' ?
		    " or ics" : "");
	if (what[0] != 't' && format == EXPORT_ICS)
		return cli_usage(&cmd_export_entry, "iCalendar is for tasks; "
		    "%s export as csv or json%s", what, what[0] == 'c' ?
		    " or vcf" : "");
	if (channel != NULL && what[0] != 'c')
		return cli_usage(&cmd_export_entry, "--consent is for "
		    "customers");
	if (cli_open(c, 0, &s) < 0)
		return cli_fail(c);
	if (cli_login(c, s, PERM_export, &who) < 0) {
		store_close(s);
		return cli_fail(c);
	}
	/* Never half a file, never a device replaced (outfile.h). */
	if (outfile_open(&of, path ? path : "-", 0, &c->err) < 0) {
		store_close(s);
		return cli_fail(c);
	}
	out = of.f;
	if (what[0] == 't') {
		struct task_filter f = { 0 };

		f.all = 1;
		n = export_tasks(s, &f, util_now_ms(), format, out, &c->err);
	} else if (what[0] == 'c')
		n = export_customers_consented(s, &c->cfg, channel, format,
		    perm_masked(&c->cfg, who.role), out, &c->err);
	else if (what[1] == 'u')
		n = export_purchases(s, &c->cfg, 0, 0, format, out, &c->err);
	else
		n = export_points(s, 0, 0, format, out, &c->err);
	if (n >= 0) {
		char detail[600];

		snprintf(detail, sizeof detail, "{\"what\":\"%s\",\"rows\":%ld,"
		    "\"to\":\"%s\"%s%s%s}", what, n, path ? "file" : "stdout",
		    channel ? ",\"consent\":\"" : "", channel ? channel : "",
		    channel ? "\"" : "");
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
	if (channel != NULL && n == 0)
		fprintf(stderr, "patron: no customer has given consent for "
		    "%s\n", channel);
	if (path != NULL)
		fprintf(stderr, "%ld %s exported to %s\n", n, what[0] == 'c' ?
		    "customers" : what[0] == 't' ? "tasks" : what[1] == 'u' ?
		    "purchases" : "points entries", path);
	return 0;
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
	.run = cmd_export,
};
