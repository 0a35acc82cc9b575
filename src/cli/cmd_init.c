/*
 * cmd_init: `patron init`, a new encrypted database and its first admin.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "patron/cli.h"
#include "patron/priv.h"
#include "patron/setgid.h"

static int
cmd_init(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "admin", required_argument, NULL, 'a' },
		{ "no-recovery-code", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *admin = "admin", *kf;
	char code[RECOVERY_TEXT + 1];
	struct cred *cred = NULL, *pin = NULL, *rcred;
	struct store *s = NULL;
	struct header h;
	struct stat st;
	int ch, recovery = 1, made_keyfile = 0, rc = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			admin = optarg;
			break;
		case 'n':
			recovery = 0;
			break;
		default:
			return cli_usage(&cmd_init_entry, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage(&cmd_init_entry, "unexpected argument '%s'",
			argv[optind]);
	if (cli_parsed(c) < 0)
		return cli_fail(c);
	/*
	 * Set-group-ID: databases in the data directory are the
	 * administrator's to make (as root, or a member of the group),
	 * never any user's through the group.
	 */
	if (priv_shared() && getuid() != 0) {
		perr_set(&c->err, PX_NOPERM, "in a shared deployment only root "
		    "makes the database (sudo patron init, or as a member of "
		    "Patron's group)");
		return cli_fail(c);
	}
	if (stat(cli_db_path(c), &st) == 0) {
		perr_set(&c->err, PX_CANTCREAT,
			"%s already exists: Patron will not overwrite a database",
			cli_db_path(c));
		return cli_fail(c);
	}
	kf = c->key_file && *c->key_file ? c->key_file : getenv("PATRON_KEY_FILE");
	/* Set-group-ID: the group's key file, which users cannot read. */
	if (kf == NULL || *kf == '\0')
		kf = setgid_key_default();
	if (kf != NULL && *kf != '\0') {
		/* A key file that does not exist yet is made for this database. */
		if (stat(kf, &st) < 0) {
			if (keyslot_keyfile_create(kf, &c->err) < 0)
				return cli_fail(c);
			made_keyfile = 1;
		}
		cred = cred_from_keyfile(kf, &c->err);
	} else {
		cred = cli_new_passphrase(c, "PATRON_PASSPHRASE",
			"New passphrase for the database: ");
	}
	if (cred == NULL)
		goto fail;
	pin = cli_secret(c, "PATRON_PIN", "PIN for the admin account: ", 1);
	if (pin == NULL)
		goto fail;
	if (store_create(cli_db_path(c), cred, c->cfg.kdf, &s, &c->err) < 0)
		goto fail;
	if (staff_add(s, admin, "admin", (const char *)pin->secret, 0, NULL,
		    &c->err) < 0)
		goto fail_created;
	if (recovery) {
		h = *store_header(s);
		keyslot_recovery_new(code);
		rcred = cred_new(CRED_PASSPHRASE, code, strlen(code));
		rc = keyslot_fill(&h.slots[1], rcred, 1, c->cfg.kdf,
			keyctx_data_key(store_key(s)), NULL, &c->err);
		cred_free(rcred);
		if (rc < 0 || store_write_header(s, &h, &c->err) < 0)
			goto fail_created;
	}
	printf("Created %s\n", cli_db_path(c));
	if (made_keyfile)
		printf("Key file: %s (keep a copy somewhere safe)\n", kf);
	printf("Admin account: %s\n", admin);
	if (recovery) {
		printf("\nRecovery code (shown once; write it down and keep it "
		       "away from this machine):\n\n    %s\n\n"
		       "It opens the database wherever a passphrase is asked "
		       "for.\n",
			code);
		sodium_memzero(code, sizeof code);
	}
	store_close(s);
	cred_free(cred);
	cred_free(pin);
	return 0;
fail_created:
	/* Nothing half-made stays behind. */
	store_close(s);
	store_unlink_all(cli_db_path(c));
fail:
	cred_free(cred);
	cred_free(pin);
	if (made_keyfile)
		remove(kf);
	return cli_fail(c);
}

const struct cli_cmd cmd_init_entry = {
	.name = "init",
	.summary = "Create a new encrypted database and its first admin account.",
	.usage = "init [--admin NAME] [--no-recovery-code]",
	.run = cmd_init,
};
