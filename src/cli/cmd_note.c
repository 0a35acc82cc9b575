/*
 * cmd_note: `patron note add` and `patron visit add`, interactions on a
 * customer's timeline.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patron/cli.h"
#include "patron/perm.h"
#include "patron/customer.h"
#include "patron/interaction.h"

/*
 * note add REF TEXT [--kind note|call|email|complaint] [--at TIME]
 * visit add REF [--note TEXT] [--at TIME]
 */
static int
note_record(struct cli *c, const struct cli_cmd *cmd, int argc, char **argv,
	int visit)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "at", required_argument, NULL, 'a' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *text = NULL, *at = NULL;
	int64_t customer, when = 0, id;
	int ch, kind = visit ? IK_VISIT : IK_NOTE;
	struct store *s;
	struct staff who;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			if (visit)
				return cli_usage(cmd, "bad option");
			for (kind = IK_CALL; kind < IK_NKINDS; kind++)
				if (strcmp(optarg,
				    interaction_kind_names[kind]) == 0)
					break;
			if (kind == IK_NKINDS)
				return cli_usage(cmd, "--kind takes note, call, "
				    "email or complaint");
			break;
		case 'a': at = optarg; break;
		case 'n':
			if (!visit)
				return cli_usage(cmd, "bad option");
			text = optarg;
			break;
		default:
			return cli_usage(cmd, "bad option");
		}
	}
	if (argc - optind != (visit ? 1 : 2))
		return cli_usage(cmd, visit ? "visit add takes one customer REF" :
		    "note add takes a customer REF and the TEXT");
	if (!visit)
		text = argv[optind + 1];
	if (at != NULL && cli_time(c, at, &when) < 0)
		return cli_fail(c);
	if (cli_open(c, 0, &s) < 0)
		return cli_fail(c);
	if (cli_login(c, s, PERM_view, &who) < 0 ||
	    customer_resolve(s, &c->cfg, argv[optind], &customer, &c->err) < 0 ||
	    interaction_add(s, customer, kind, text, when, who.id, &id,
		&c->err) < 0) {
		store_close(s);
		return cli_fail(c);
	}
	store_close(s);
	printf("%s %lld recorded for customer %lld\n",
	    interaction_kind_names[kind], (long long)id, (long long)customer);
	return 0;
}

/* Both parse before they unlock: CLI_SELF. */
static int
note_add(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	return note_record(c, &cmd_note_entry, argc, argv, 0);
}

static int
note_visit_add(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	return note_record(c, &cmd_visit_entry, argc, argv, 1);
}

static const struct cli_verb note_verbs[] = {
	{ "add", note_add, CLI_SELF, 0 },
};

static const struct cli_verb note_visit_verbs[] = {
	{ "add", note_visit_add, CLI_SELF, 0 },
};

static int
cmd_note(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, &cmd_note_entry, note_verbs,
	    sizeof note_verbs / sizeof note_verbs[0], argc, argv, NULL);
}

static int
cmd_visit(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, &cmd_visit_entry, note_visit_verbs,
	    sizeof note_visit_verbs / sizeof note_visit_verbs[0], argc, argv,
	    NULL);
}

const struct cli_cmd cmd_note_entry = {
	.name = "note",
	.summary = "Add a note, call, email or complaint to a customer's "
		   "history.",
	.usage = "note add REF TEXT [--kind note|call|email|complaint] "
		 "[--at TIME]",
	.verb_usage = "the verb is add",
	.run = cmd_note,
};

const struct cli_cmd cmd_visit_entry = {
	.name = "visit",
	.summary = "Record a visit (without a purchase) on a customer's "
		   "history.",
	.usage = "visit add REF [--note TEXT] [--at TIME]",
	.verb_usage = "the verb is add",
	.run = cmd_visit,
};
