/*
 * cmd_import: `patron import customers|purchases FILE|-` from CSV: all or nothing,
 * or with --skip-invalid REJECTS.csv the good rows and a file of the rest.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "patron/cli.h"
#include "patron/outfile.h"
#include "patron/priv.h"
#include "patron/perm.h"
#include "patron/import.h"

struct imp_progress {
	long long total;	/* bytes, 0 if unknown (a pipe) */
	struct timespec start;
	int shown;
};

static double
imp_elapsed(const struct imp_progress *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - p->start.tv_sec) +
	    (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
}

/* A bar on stderr, only on a terminal and once the work passes 1 s. */
static void
imp_progress(long long done, void *arg)
{
	struct imp_progress *p = arg;
	int width = 40, fill, n;
	char bar[80];

	if (p->total <= 0 || done < 0 || !isatty(STDERR_FILENO) ||
	    imp_elapsed(p) < 1.0)
		return;
	fill = (int)((double)done / (double)p->total * width);
	if (fill > width)
		fill = width;
	n = snprintf(bar, sizeof bar, "\rimporting [%.*s%*s] %3d%%",
		fill, "########################################", width - fill,
		"", (int)((double)done * 100 / (double)p->total));
	/* Past the safe stream on stderr, which shows a lone CR as U+240D:
	 * this CR is ours and must take the cursor back. */
	fflush(stderr);
	if (n > 0 && write(STDERR_FILENO, bar, (size_t)n) == n)
		p->shown = 1;
}

static void
imp_bad(const char *msg, void *arg)
{
	(void)arg;
	fprintf(stderr, "patron: ");
	cli_print_safe(stderr, msg, 0);
	fputc('\n', stderr);
}

struct imp_opts {
	const char *rejects;	/* --skip-invalid REJECTS.csv, or NULL */
	int allow_duplicate;
};

/*
 * Either kind: the input, then the database, the rejects file, the rows
 * and the count. argv holds the verb and FILE.
 */
static int
imp_run(struct cli *c, int argc, char **argv, const struct imp_opts *io,
	int purchases)
{
	struct imp_progress prog = { 0, { 0, 0 }, 0 };
	struct import_opts o = { NULL, io->allow_duplicate, imp_progress,
		&prog, imp_bad };
	struct import_result r;
	const char *rejects = io->rejects, *file;
	struct store *s;
	struct outfile of = { NULL, NULL, NULL };
	struct staff who;
	struct stat st;
	FILE *in;
	int rc;

	if (argc != 2)
		return cli_usage(&cmd_import_entry, "%s",
		    cmd_import_entry.verb_usage);
	file = argv[1];
	if (cli_parsed(c) < 0)
		return cli_fail(c);
	if (strcmp(file, "-") == 0)
		in = stdin;
	else if ((in = priv_fopen(file, "r")) == NULL) {
		perr_set(&c->err, PX_NOINPUT, "%s: cannot open", file);
		return cli_fail(c);
	}
	if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode))
		prog.total = st.st_size;
	if (cli_open(c, 0, &s) < 0 || cli_login(c, s, purchases ?
	    PERM_purchase : PERM_import, &who) < 0) {
		if (in != stdin)
			fclose(in);
		return cli_fail(c);
	}
	if (rejects != NULL) {
		/* The rejects hold customer data: only the user may read them
		 * (0600), made as every output file is (outfile.h). */
		if (outfile_open(&of, rejects, 0, &c->err) < 0) {
			store_close(s);
			if (in != stdin)
				fclose(in);
			return cli_fail(c);
		}
		o.rejects = of.f;
	}
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	rc = (purchases ? import_purchases : import_customers)(s, &c->cfg,
	    who.id, in, strcmp(file, "-") == 0 ? "stdin" : file, &o, &r,
	    &c->err);
	if (prog.shown)
		fputc('\n', stderr);
	store_close(s);
	if (in != stdin)
		fclose(in);
	o.rejects = NULL;
	if (rc < 0)
		outfile_abort(&of);
	else if (rejects != NULL)
		rc = outfile_commit(&of, &c->err);
	if (rc < 0)
		return cli_fail(c);
	printf("%ld %s imported", r.added, purchases ? "purchases" :
	    "customers");
	if (r.existed > 0)
		printf(", %ld recorded before", r.existed);
	if (r.rejected > 0)
		printf(", %ld rejected (see %s)", r.rejected, rejects);
	putchar('\n');
	return 0;
}

static int
imp_customers(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	return imp_run(c, argc, argv, arg, 0);
}

static int
imp_purchases(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	return imp_run(c, argc, argv, arg, 1);
}

/* Each opens its input before the database, and logs in with its role. */
static const struct cli_verb imp_verbs[] = {
	{ "customers", imp_customers, CLI_SELF, 0 },
	{ "purchases", imp_purchases, CLI_SELF, 0 },
};

/* The options may come before the noun: they are read first. */
static int
cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "skip-invalid", required_argument, NULL, 's' },
		{ "allow-duplicate", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct imp_opts o = { NULL, 0 };
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			o.rejects = optarg;
			break;
		case 'd':
			o.allow_duplicate = 1;
			break;
		default:
			return cli_usage(&cmd_import_entry, "bad option");
		}
	}
	/* From the noun on, as cmd_export. */
	return cli_dispatch(c, &cmd_import_entry, imp_verbs,
	    sizeof imp_verbs / sizeof imp_verbs[0], argc - optind + 1,
	    argv + optind - 1, &o);
}

const struct cli_cmd cmd_import_entry = {
	.name = "import",
	.summary = "Import customers or purchases from CSV (all or nothing, or "
		   "the good rows with --skip-invalid).",
	.usage = "import customers|purchases FILE|- [--skip-invalid "
		 "REJECTS.csv] [--allow-duplicate]",
	.verb_usage = "import customers|purchases FILE",
	.details = "A header row names the columns, in any case and order.\n"
		   "customers: name (or given_name and family_name), phone, "
		   "email, birthday (YYYY-MM-DD),\n  card, tags (separated by "
		   ";), notes, marketing_consent (yes/no), the keys of\n"
		   "  customers.fields; id, uuid, points, tier, last_visit, "
		   "created_at are ignored.\n  Role: clerk, manager or admin.\n"
		   "purchases: receipt, customer (card, phone or uuid) or "
		   "customer_id, total, occurred_at,\n  branch; a receipt "
		   "recorded before is not recorded (or earned) again.\n  "
		   "Role: anyone who records sales.",
	.run = cmd_import,
};
