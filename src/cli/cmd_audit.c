/*
 * cmd_audit: `patron audit list|verify`, the tamper-evident audit trail.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/audit.h"
#include "patron/cli.h"
#include "patron/perm.h"
#include "patron/customer.h"

enum { OUT_TABLE, OUT_JSON, OUT_CSV };

#define AUD_CSV_HEADER "id,at,staff,action,entity,entity_id,customer_id," \
	"detail\r\n"

struct aud_out {
	int format;
	long n;
};

static void
aud_csv(const char *s, int last)
{
	if (s != NULL && strpbrk(s, ",\"\r\n") != NULL) {
		putchar('"');
		for (; *s != '\0'; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else if (s != NULL)
		fputs(s, stdout);
	fputs(last ? "\r\n" : ",", stdout);
}

static int
aud_row(const struct audit_entry *a, void *arg)
{
	struct aud_out *o = arg;
	char at[32], num[32];

	util_iso_utc(a->at_ms, at, sizeof at);
	if (o->format == OUT_JSON) {
		fputs(o->n ? ",\n" : "\n", stdout);
		printf("{\"id\":%lld,\"at\":\"%s\",\"staff\":", (long long)a->id,
		    at);
		if (a->staff[0] != '\0')
			cli_json_string(stdout, a->staff);
		else
			fputs("null", stdout);
		printf(",\"action\":\"%s\",\"entity\":\"%s\",\"entity_id\":",
		    a->action, a->entity);
		printf(a->entity_id ? "%lld" : "null", (long long)a->entity_id);
		fputs(",\"customer_id\":", stdout);
		printf(a->customer_id ? "%lld" : "null",
		    (long long)a->customer_id);
		/* The detail is JSON already (or erased). */
		printf(",\"detail\":%s}", a->detail ? a->detail : "null");
	} else if (o->format == OUT_CSV) {
		if (o->n == 0)
			fputs(AUD_CSV_HEADER, stdout);
		snprintf(num, sizeof num, "%lld", (long long)a->id);
		aud_csv(num, 0);
		aud_csv(at, 0);
		aud_csv(a->staff, 0);
		aud_csv(a->action, 0);
		aud_csv(a->entity, 0);
		snprintf(num, sizeof num, "%lld", (long long)a->entity_id);
		aud_csv(a->entity_id ? num : "", 0);
		snprintf(num, sizeof num, "%lld", (long long)a->customer_id);
		aud_csv(a->customer_id ? num : "", 0);
		aud_csv(a->detail ? a->detail : "", 1);
	} else {
		util_time_local(a->at_ms, "%Y-%m-%d %H:%M:%S", at, sizeof at);
		printf("%-7lld %s  ", (long long)a->id, at);
		cli_print_safe(stdout, a->staff[0] ? a->staff : "-", 10);
		printf(" %-12s %-11s", a->action, a->entity);
		if (a->entity_id)
			printf(" #%-6lld ", (long long)a->entity_id);
		else
			printf("         ");
		cli_print_safe(stdout, a->detail ? a->detail : a->customer_id ?
		    "(erased)" : "", 0);
		putchar('\n');
	}
	o->n++;
	return 0;
}

static int
aud_list(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	static const struct option opts[] = {
		{ "customer", required_argument, NULL, 'c' },
		{ "staff", required_argument, NULL, 's' },
		{ "action", required_argument, NULL, 'a' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "limit", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct audit_filter f = { 0 };
	struct aud_out o = { OUT_TABLE, 0 };
	const char *customer = NULL;
	int ch;

	if (perm_unmasked(&c->cfg, who, "the audit trail", &c->err) < 0)
		return cli_fail(c);
	f.limit = 100;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': customer = optarg; break;
		case 's': f.staff = optarg; break;
		case 'a': f.action = optarg; break;
		case 'S':
			if (cli_time(c, optarg, &f.since_ms) < 0)
				return cli_fail(c);
			break;
		case 'U':
			if (cli_time(c, optarg, &f.until_ms) < 0)
				return cli_fail(c);
			break;
		case 'l':
			f.limit = strtol(optarg, NULL, 10);
			if (f.limit < 1)
				return cli_usage(&cmd_audit_entry, "--limit takes "
				    "a positive number");
			break;
		case 'j': o.format = OUT_JSON; break;
		case 'v': o.format = OUT_CSV; break;
		default:
			return cli_usage(&cmd_audit_entry, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage(&cmd_audit_entry, "list takes options only");
	if (customer != NULL && customer_resolve(s, &c->cfg, customer,
	    &f.customer_id, &c->err) < 0)
		return cli_fail(c);
	if (o.format == OUT_JSON)
		putchar('[');
	if (audit_each(s, &f, aud_row, &o, &c->err) < 0)
		return cli_fail(c);
	/* No entry is a whole answer too: [], the header, or a note. */
	if (o.format == OUT_JSON)
		puts(o.n ? "\n]" : "]");
	else if (o.format == OUT_CSV && o.n == 0)
		fputs(AUD_CSV_HEADER, stdout);
	else if (o.n == 0)
		fputs("no audit entries\n", stderr);
	return 0;
}

static int
aud_verify(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	int64_t bad;
	long checked;
	int rc;

	(void)argv;
	if (argc != 1)
		return cli_usage(&cmd_audit_entry, "verify takes no operands");
	rc = audit_verify(s, &bad, &checked, &c->err);
	if (rc < 0)
		return cli_fail(c);
	if (rc > 0) {
		c->err.code = PX_DATAERR;
		return cli_fail(c);
	}
	printf("audit trail intact: %ld entries verified\n", checked);
	return 0;
}

static const struct cli_verb aud_verbs[] = {
	{ "list", aud_list, PERM_audit, 0 },
	{ "verify", aud_verify, PERM_audit, 0 },
};

static int
cmd_audit(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, &cmd_audit_entry, aud_verbs,
	    sizeof aud_verbs / sizeof aud_verbs[0], argc, argv, NULL);
}

const struct cli_cmd cmd_audit_entry = {
	.name = "audit",
	.summary = "List the audit trail, or verify that no entry was edited, "
		   "removed, added or moved.",
	.details = "list [--customer REF] [--staff NAME] [--action ACTION] "
		   "[--since TIME] [--until TIME]\n  [--limit N (100)] "
		   "[--json|--csv]: newest first.\nverify: walk the chain; "
		   "exit 65 naming the first entry that does not verify.\n"
		   "Role: manager or admin.",
	.usage = "audit list [filters] | audit verify",
	.verb_usage = "audit list or audit verify",
	.run = cmd_audit,
};
