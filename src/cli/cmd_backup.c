/*
 * cmd_backup: `patron backup FILE`, an online, consistent, encrypted copy
 * that opens with the same keys as the database.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "patron/cli.h"
#include "patron/priv.h"
#include "patron/perm.h"


/* The backup is a file the user names: made with the user's own group. */
static int
backup_write(struct cli *c, struct store *s, const char *path)
{
	int rc;

	if (priv_user() < 0)
		return perr_set(&c->err, PX_NOPERM, "cannot take on the user's "
		    "group: %s", strerror(errno));
	rc = store_backup(s, path, &c->err);
	priv_group();
	return rc;
}

static int
cmd_backup(struct cli *c, int argc, char **argv)
{
	struct store *s;
	struct staff who;

	if (argc != 2)
		return cli_usage(&cmd_backup_entry, "backup needs one FILE");
	if (cli_open(c, 0, &s) < 0)
		return cli_fail(c);
	if (cli_login(c, s, PERM_backup, &who) < 0 ||
		backup_write(c, s, argv[1]) < 0) {
		store_close(s);
		return cli_fail(c);
	}
	store_close(s);
	printf("Backed up %s to %s\n", cli_db_path(c), argv[1]);
	return 0;
}

const struct cli_cmd cmd_backup_entry = {
	.name = "backup",
	.summary = "Write an encrypted, consistent copy of the database while "
		   "it is in use.",
	.usage = "backup FILE",
	.run = cmd_backup,
};
