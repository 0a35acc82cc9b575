/*
 * cmd_restore: `patron restore FILE`, verify a backup page by page, then
 * put its content in place of the database's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "patron/cli.h"
#include "patron/priv.h"
#include "patron/perm.h"


static int
cmd_restore(struct cli *c, int argc, char **argv)
{
	struct store *b = NULL, *live = NULL;
	struct staff who;
	struct stat st;
	int rc;

	if (argc != 2)
		return cli_usage(&cmd_restore_entry, "restore needs one FILE");
	/* The backup is a file the user names: opened with the user's group
	 * (the credential first, which may be the group's key file). */
	if (cli_credential(c) == NULL)
		return cli_fail(c);
	if (priv_user() < 0) {
		perr_set(&c->err, PX_NOPERM, "cannot take on the user's group: "
		    "%s", strerror(errno));
		return cli_fail(c);
	}
	if (stat(argv[1], &st) < 0)
		rc = perr_set(&c->err, PX_NOINPUT, "%s: no such backup",
		    argv[1]);
	else
		rc = cli_open_path(c, argv[1], STORE_NO_MIGRATE, &b);
	priv_group();
	if (rc < 0)
		return cli_fail(c);
	if (stat(cli_db_path(c), &st) == 0 &&
		cli_open(c, STORE_NO_MIGRATE, &live) < 0) {
		store_close(b);
		return cli_fail(c);
	}
	/*
	 * Restoring over a database needs its admin; where there is none,
	 * an admin of the backup.
	 */
	rc = cli_login(c, live ? live : b, PERM_keys, &who);
	if (rc == 0)
		rc = store_verify(b, cli_report, argv[1], &c->err);
	if (rc == 0 && live != NULL)
		rc = store_restore(live, b, &c->err);
	store_close(b);
	store_close(live);
	if (rc == 0 && live == NULL)
		rc = store_install(argv[1], cli_db_path(c), &c->err);
	if (rc < 0)
		return cli_fail(c);
	printf("Restored %s from %s\n", cli_db_path(c), argv[1]);
	return 0;
}

const struct cli_cmd cmd_restore_entry = {
	.name = "restore",
	.summary = "Verify a backup, then replace the database's content with it.",
	.usage = "restore FILE",
	.run = cmd_restore,
};
