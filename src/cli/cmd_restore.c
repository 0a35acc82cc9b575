/*
 * cmd_restore: `patron restore FILE`, verify a backup page by page, then
 * put its content in place of the database's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "patron/cli.h"

static const char *const restore_roles[] = { "admin", NULL };

static int
cmd_restore(struct cli *c, int argc, char **argv)
{
	struct store *s;
	struct staff who;
	struct cred *cred;
	struct stat st;
	int rc;

	if (argc != 2)
		return cli_usage(&cmd_restore_entry, "restore needs one FILE");
	if (stat(argv[1], &st) < 0) {
		perr_set(&c->err, PX_NOINPUT, "%s: no such backup", argv[1]);
		return cli_fail(c);
	}
	/*
	 * Restoring over a database needs its admin; where there is none,
	 * an admin of the backup.
	 */
	if (cli_open(c, STORE_NO_MIGRATE, &s) < 0) {
		char *live = c->db_path;

		if (c->err.code != PX_NOINPUT)
			return cli_fail(c);
		perr_clear(&c->err);
		c->db_path = xstrdup(argv[1]);
		rc = cli_open(c, STORE_NO_MIGRATE, &s);
		free(c->db_path);
		c->db_path = live;
		if (rc < 0)
			return cli_fail(c);
	}
	rc = cli_login(c, s, restore_roles, &who);
	store_close(s);
	if (rc < 0)
		return cli_fail(c);
	perr_clear(&c->err);
	cred = cli_credential(c);
	if (cred == NULL)
		return cli_fail(c);
	rc = store_restore(argv[1], cli_db_path(c), cred, cli_report,
		argv[1], &c->err);
	cred_free(cred);
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
