/*
 * cmd_erase: `patron customer erase REF [--yes]`, the right to erasure
 * (src/core/erase.c). It cannot be undone, so on a terminal the user types
 * the customer's name (or "erase") first; a script says --yes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patron/cli.h"
#include "patron/customer.h"
#include "patron/erase.h"

int cmd_erase_customer(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg);

/* Whether the person at the terminal typed the name or "erase". */
static int
cmd_erase_confirmed(int64_t id, const char *name)
{
	fprintf(stderr, "Erase customer %lld, ", (long long)id);
	cli_print_safe(stderr, name, 0);
	fprintf(stderr, ", for good?\nTheir personal data, notes, tags and "
	    "consent records are wiped;\npurchases and points entries stay, "
	    "under \"" ERASE_NAME " %lld\".\nType the customer's name or "
	    "\"erase\" to go on: ", (long long)id);
	return cli_confirm("erase", name);
}

int
cmd_erase_customer(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	struct erase_result r;
	struct customer k;
	const char *ref = NULL;
	int64_t id;
	int yes = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0)
			yes = 1;
		else if (ref == NULL && (argv[i][0] != '-' ||
		    argv[i][1] == '\0'))
			ref = argv[i];
		else
			return cli_usage(&cmd_customer_entry, "erase takes REF "
			    "[--yes]");
	}
	if (ref == NULL)
		return cli_usage(&cmd_customer_entry, "erase takes REF [--yes]");
	if (customer_resolve(s, &c->cfg, ref, &id, &c->err) < 0 ||
	    erase_check(s, id, &c->err) < 0)
		return cli_fail(c);
	if (!yes) {
		if (!isatty(STDIN_FILENO))
			return cli_usage(&cmd_customer_entry, "erase cannot be "
			    "undone: give --yes when standard input is not a "
			    "terminal");
		if (customer_get(s, id, &k, &c->err) < 0)
			return cli_fail(c);
		yes = cmd_erase_confirmed(id, k.name);
		customer_free(&k);
		if (!yes) {
			perr_set(&c->err, PX_FAIL, "customer %lld not erased",
			    (long long)id);
			return cli_fail(c);
		}
	}
	if (erase_customer(s, &c->cfg, id, who->id, &r, &c->err) < 0)
		return cli_fail(c);
	printf("customer %lld erased", (long long)id);
	if (r.records > 1)
		printf(" with %ld merged record%s", r.records - 1,
		    r.records > 2 ? "s" : "");
	if (r.forfeited != 0)
		printf("; %lld points %s", (long long)(r.forfeited > 0 ?
		    r.forfeited : -r.forfeited), r.forfeited > 0 ?
		    "forfeited" : "owed written off");
	if (r.cancelled > 0)
		printf("; %ld open task%s cancelled", r.cancelled,
		    r.cancelled > 1 ? "s" : "");
	putchar('\n');
	if (!r.checkpointed)
		fputs("patron: warning: another session is reading the "
		    "database: until it ends and the next checkpoint, the "
		    "write-ahead log may still hold the erased data\n", stderr);
	return 0;
}
