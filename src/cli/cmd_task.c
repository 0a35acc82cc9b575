/*
 * cmd_task: `patron task add|list|done|cancel|snooze|reopen|assign|generate`.
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
#include "patron/task.h"

enum { OUT_TABLE, OUT_JSON, OUT_CSV };

struct tsk_opts {
	struct task_input in;
	const char *customer;
	const char *assignee;
	int mine, overdue, all;
	int format;
	long limit;
};

enum { O_TITLE = 256, O_NOTES, O_CUSTOMER, O_DUE, O_ASSIGNEE, O_PRIORITY,
	O_MINE, O_OVERDUE, O_ALL, O_JSON, O_CSV, O_LIMIT };

static const struct option tsk_long[] = {
	{ "title", required_argument, NULL, O_TITLE },
	{ "notes", required_argument, NULL, O_NOTES },
	{ "customer", required_argument, NULL, O_CUSTOMER },
	{ "due", required_argument, NULL, O_DUE },
	{ "assignee", required_argument, NULL, O_ASSIGNEE },
	{ "priority", required_argument, NULL, O_PRIORITY },
	{ "mine", no_argument, NULL, O_MINE },
	{ "overdue", no_argument, NULL, O_OVERDUE },
	{ "all", no_argument, NULL, O_ALL },
	{ "json", no_argument, NULL, O_JSON },
	{ "csv", no_argument, NULL, O_CSV },
	{ "limit", required_argument, NULL, O_LIMIT },
	{ NULL, 0, NULL, 0 },
};

static int
tsk_parse(int argc, char **argv, struct tsk_opts *o, int noperands,
	const char *why)
{
	int ch, p;

	memset(o, 0, sizeof *o);
	o->in.priority = TP_NORMAL;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", tsk_long, NULL)) != -1) {
		switch (ch) {
		case O_TITLE: o->in.title = optarg; break;
		case O_NOTES: o->in.notes = optarg; break;
		case O_CUSTOMER: o->customer = optarg; break;
		case O_DUE: o->in.due = optarg; break;
		case O_ASSIGNEE: o->assignee = optarg; break;
		case O_MINE: o->mine = 1; break;
		case O_OVERDUE: o->overdue = 1; break;
		case O_ALL: o->all = 1; break;
		case O_JSON: o->format = OUT_JSON; break;
		case O_CSV: o->format = OUT_CSV; break;
		case O_PRIORITY:
			for (p = 0; p < TP_NPRIORITY; p++)
				if (strcmp(optarg, task_priority_names[p]) == 0)
					break;
			if (p == TP_NPRIORITY)
				return cli_usage(&cmd_task_entry, "--priority "
				    "takes low, normal or high");
			o->in.priority = p;
			break;
		case O_LIMIT:
			o->limit = strtol(optarg, NULL, 10);
			if (o->limit < 1 || o->limit > 1000000)
				return cli_usage(&cmd_task_entry,
				    "--limit takes 1 to 1000000");
			break;
		default:
			return cli_usage(&cmd_task_entry, "bad option");
		}
	}
	if (argc - optind != noperands)
		return cli_usage(&cmd_task_entry, "%s", why);
	return 0;
}

/* A task id operand. */
static int
tsk_id(struct cli *c, const char *text, int64_t *id)
{
	char *end;
	long long v = strtoll(text, &end, 10);

	if (*text == '\0' || *end != '\0' || v <= 0)
		return perr_set(&c->err, PX_USAGE, "'%s' is not a task id", text);
	*id = v;
	return 0;
}

/* Another's task may be changed by managers only. */
static int
tsk_may_change(struct cli *c, struct store *s, const struct staff *who,
	int64_t id)
{
	struct task t;
	int mine;

	if (task_get(s, id, &t, &c->err) < 0)
		return -1;
	mine = t.assignee_id == who->id || (t.assignee_is_role &&
	    strcmp(t.assignee, who->role) == 0);
	task_free(&t);
	if (mine)
		return 0;
	return cli_may(c, who, PERM_others_tasks);
}

/* How a task list is printed: the time, and customers' names or not. */
struct tsk_out {
	int64_t now;
	int names;	/* the role may see customers (view) */
};

static void
tsk_print(const struct task *t, int64_t now, int names)
{
	char due[32] = "-";

	if (t->due.ms != 0)
		task_due_format(&t->due, due, sizeof due);
	printf("%-6lld %-16s %-7s %-9s ", (long long)t->id, due,
	    task_overdue(t, now) ? "OVERDUE" : t->status == TS_OPEN &&
	    t->snoozed_until_ms > now ? "snoozed" : task_status_names[t->status],
	    task_priority_names[t->priority]);
	cli_print_safe(stdout, t->assignee, 12);
	putchar(' ');
	cli_print_safe(stdout, t->title, 0);
	if (t->customer_id > 0 && names) {
		printf("  (customer %lld: ", (long long)t->customer_id);
		cli_print_safe(stdout, t->customer_name, 0);
		putchar(')');
	} else if (t->customer_id > 0)
		printf("  (customer %lld)", (long long)t->customer_id);
	putchar('\n');
}

static int
tsk_add(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	int64_t now = util_now_ms(), id;
	struct tsk_opts o;
	struct task t;
	int rc;

	if ((rc = tsk_parse(argc, argv, &o, 0, "add takes options only")))
		return rc;
	if (o.in.title == NULL)
		return cli_usage(&cmd_task_entry, "add needs --title");
	o.in.assignee = o.assignee;
	/* Giving a task to someone else is for managers. */
	if (o.assignee != NULL && strcmp(o.assignee, who->name) != 0 &&
	    cli_may(c, who, PERM_others_tasks) < 0)
		return cli_fail(c);
	/* Naming a customer is looking them up. */
	if ((o.customer != NULL && (cli_may(c, who, PERM_view) < 0 ||
	    customer_resolve(s, &c->cfg, o.customer, &o.in.customer_id,
	    &c->err) < 0)) ||
	    task_add(s, &c->cfg, &o.in, who, now, &id, &c->err) < 0 ||
	    task_get(s, id, &t, &c->err) < 0)
		return cli_fail(c);
	if (o.format == OUT_JSON) {
		export_json_task(stdout, &t, now);
		putchar('\n');
	} else {
		char due[32] = "";

		if (t.due.ms != 0)
			task_due_format(&t.due, due, sizeof due);
		printf("task %lld for %s, %s%s\n", (long long)id, t.assignee,
		    due[0] ? "due " : "no due date", due);
	}
	task_free(&t);
	return 0;
}

static int
tsk_print_one(const struct task *t, void *arg)
{
	const struct tsk_out *o = arg;

	tsk_print(t, o->now, o->names);
	return 0;
}

static int
tsk_list(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	struct task_filter f = { 0 };
	int64_t now = util_now_ms();
	struct tsk_opts o;
	long n;
	int rc;

	if ((rc = tsk_parse(argc, argv, &o, 0, "list takes options only")))
		return rc;
	/* Staff see their own tasks (and their role's); managers anyone's. */
	f.mine = o.mine || !perm_allows(&c->cfg, who->role,
	    PERM_others_tasks) ? who : NULL;
	f.assignee = o.assignee;
	f.overdue = o.overdue;
	f.all = o.all;
	f.limit = o.limit;
	if (o.customer != NULL && (cli_may(c, who, PERM_view) < 0 ||
	    customer_resolve(s, &c->cfg, o.customer, &f.customer_id,
	    &c->err) < 0))
		return cli_fail(c);
	if (o.format == OUT_TABLE) {
		struct tsk_out out = { now, perm_allows(&c->cfg, who->role,
		    PERM_view) };

		n = task_each(s, &f, now, tsk_print_one, &out, &c->err);
	} else if (o.format == OUT_CSV && cli_may(c, who, PERM_view) < 0)
		return cli_fail(c);	/* its rows name the customers */
	else
		n = export_tasks(s, &f, now, o.format == OUT_JSON ? EXPORT_JSON :
		    EXPORT_CSV, stdout, &c->err);
	if (n < 0)
		return cli_fail(c);
	if (n == 0 && o.format == OUT_TABLE)
		fputs("no tasks\n", stderr);
	return 0;
}

/* done, cancel, reopen: ID */
static int
tsk_status(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, int status)
{
	struct tsk_opts o;
	int64_t id;
	int rc;

	if ((rc = tsk_parse(argc, argv, &o, 1, "takes one task ID")))
		return rc;
	if (tsk_id(c, argv[optind], &id) < 0 ||
	    tsk_may_change(c, s, who, id) < 0 ||
	    task_set_status(s, id, status, who, util_now_ms(), &c->err) < 0)
		return cli_fail(c);
	printf("task %lld %s\n", (long long)id, status == TS_OPEN ?
	    "reopened" : task_status_names[status]);
	return 0;
}

static int
tsk_done(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	return tsk_status(c, s, who, argc, argv, TS_DONE);
}

static int
tsk_cancel(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	return tsk_status(c, s, who, argc, argv, TS_CANCELLED);
}

static int
tsk_reopen(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	return tsk_status(c, s, who, argc, argv, TS_OPEN);
}

static int
tsk_snooze(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	struct tsk_opts o;
	char until[40], hm[8];
	struct task t;
	int64_t id;
	int rc;

	if ((rc = tsk_parse(argc, argv, &o, 2, "snooze takes a task ID and "
	    "WHEN (tomorrow, +3d, fri, ...)")))
		return rc;
	if (tsk_id(c, argv[optind], &id) < 0 ||
	    tsk_may_change(c, s, who, id) < 0 ||
	    task_snooze(s, id, argv[optind + 1], who, util_now_ms(),
		&c->err) < 0 || task_get(s, id, &t, &c->err) < 0)
		return cli_fail(c);
	/* Until when, as a day (and the time when one was given). */
	util_time_local(t.snoozed_until_ms, "%H:%M", hm, sizeof hm);
	util_time_local(t.snoozed_until_ms, strcmp(hm, "00:00") == 0 ?
	    "%a %Y-%m-%d" : "%a %Y-%m-%d %H:%M", until, sizeof until);
	printf("task %lld snoozed until %s\n", (long long)id, until);
	task_free(&t);
	return 0;
}

static int
tsk_assign(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	struct tsk_opts o;
	int64_t id;
	int rc;

	if ((rc = tsk_parse(argc, argv, &o, 2, "assign takes a task ID and "
	    "a staff NAME or ROLE")))
		return rc;
	if (tsk_id(c, argv[optind], &id) < 0 ||
	    task_assign(s, id, argv[optind + 1], who, util_now_ms(),
		&c->err) < 0)
		return cli_fail(c);
	printf("task %lld assigned to %s\n", (long long)id, argv[optind + 1]);
	return 0;
}

static int
tsk_generate(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	struct tsk_opts o;
	struct daily d;
	long n;
	int rc;

	(void)who;
	if ((rc = tsk_parse(argc, argv, &o, 0, "generate takes no operands")))
		return rc;
	if (daily_run(s, &c->cfg, util_now_ms(), DAILY_TASKS, &d, &c->err) < 0)
		return cli_fail(c);
	n = d.made;
	if (o.format == OUT_JSON)
		printf("{\"made\":%ld}\n", n);
	else
		printf("%ld task%s made\n", n, n == 1 ? "" : "s");
	return 0;
}

static const struct cli_verb tsk_verbs[] = {
	{ "add", tsk_add, PERM_ANY, 0 },
	{ "list", tsk_list, PERM_ANY, 0 },
	{ "done", tsk_done, PERM_ANY, 0 },
	{ "cancel", tsk_cancel, PERM_ANY, 0 },
	{ "reopen", tsk_reopen, PERM_ANY, 0 },
	{ "snooze", tsk_snooze, PERM_ANY, 0 },
	{ "assign", tsk_assign, PERM_others_tasks, 0 },
	{ "generate", tsk_generate, PERM_ANY, 0 },
};

static int
cmd_task(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, &cmd_task_entry, tsk_verbs,
	    sizeof tsk_verbs / sizeof tsk_verbs[0], argc, argv, NULL);
}

const struct cli_cmd cmd_task_entry = {
	.name = "task",
	.summary = "Follow-up tasks: add, list, done, cancel, snooze, reopen, "
		   "assign, and generate from the rules.",
	.details = "add --title T [--customer REF] [--due WHEN] [--assignee "
		   "NAME|ROLE] [--priority low|normal|high]\n  [--notes TEXT] "
		   "[--json]: WHEN is today, tomorrow, +3d, +2w, +1m, fri, "
		   "2026-12-01 or\n  2026-12-01 15:30 (store.timezone); the "
		   "assignee defaults to you (others: managers).\n"
		   "list [--mine] [--overdue] [--customer REF] [--assignee "
		   "NAME|ROLE] [--all] [--limit N]\n  [--json|--csv]: open "
		   "tasks in due order (--all: done and cancelled too).\n"
		   "done|cancel|reopen ID, snooze ID WHEN: your tasks, or "
		   "anyone's for managers.\nassign ID NAME|ROLE: managers.\n"
		   "generate: apply tasks.rules (also done when the screens "
		   "start); safe to repeat.",
	.usage = "task add --title T [options] | task list [filters] | task "
		 "done|cancel|reopen ID | task snooze ID WHEN | task assign ID "
		 "NAME|ROLE | task generate",
	.run = cmd_task,
};
