/*
 * cmd_key: `patron key list|add|remove|passwd|rotate`, the key slots of
 * the header and the data key itself. Every change is made through
 * store_write_header, so a crash leaves the old or the new slots.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "patron/audit.h"
#include "patron/cli.h"
#include "patron/perm.h"
#include "patron/setgid.h"

/*
 * A change of keys is audited once it is made. An entry that cannot be
 * written is reported, but the change stands: still a success.
 */
static int
key_audited(struct cli *c, struct store *s, const char *verb)
{
	char detail[64];

	snprintf(detail, sizeof detail, "{\"verb\":\"%s\"}", verb);
	if (audit_log(s, "key", "key", 0, 0, detail, &c->err) < 0)
		perr_print(&c->err);
	return 0;
}

static int
key_list(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	const struct header *h = store_header(s);
	int json = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return cli_usage(&cmd_key_entry, "unexpected '%s'",
				argv[i]);
	}
	if (json)
		putchar('[');
	else
		printf("%-5s %-11s %-20s %-25s %s\n", "SLOT", "TYPE", "LABEL",
			"CREATED", "KDF");
	for (int i = 0, n = 0; i < HEADER_SLOTS; i++) {
		const struct slot *sl = &h->slots[i];
		char when[32], kdf[64];

		if (sl->type == SLOT_EMPTY)
			continue;
		util_iso_utc(sl->created, when, sizeof when);
		if (sl->kdf == SLOT_KDF_ARGON2ID)
			snprintf(kdf, sizeof kdf, "argon2id %llu MiB, %llu passes",
				(unsigned long long)(sl->memlimit >> 20),
				(unsigned long long)sl->opslimit);
		else
			snprintf(kdf, sizeof kdf, "%s",
				sl->type == SLOT_KEYFILE ? "none (256-bit key file)"
							  : "none (160-bit code)");
		if (json) {
			printf("%s{\"slot\":%d,\"type\":\"%s\",\"label\":", n++ ? "," : "",
				i, header_slot_type_name(sl->type));
			cli_json_string(stdout, sl->label);
			printf(",\"created\":\"%s\",\"kdf\":\"%s\","
			       "\"memlimit\":%llu,\"opslimit\":%llu,"
			       "\"unlocked\":%s}",
				when,
				sl->kdf == SLOT_KDF_ARGON2ID ? "argon2id" : "none",
				(unsigned long long)sl->memlimit,
				(unsigned long long)sl->opslimit,
				i == store_unlock_slot(s) ? "true" : "false");
		} else {
			/* The table's time is local, as in every table. */
			util_time_local(sl->created, "%Y-%m-%d %H:%M", when,
				sizeof when);
			printf("%-5d %-11s ", i, header_slot_type_name(sl->type));
			cli_print_safe(stdout, sl->label, 20);
			printf(" %-25s %s%s\n", when, kdf,
				i == store_unlock_slot(s) ? "  (unlocked now)" : "");
		}
	}
	if (json)
		puts("]");
	return 0;
}

static int
key_add(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	static const struct option opts[] = {
		{ "label", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct header h = *store_header(s);
	const char *label = NULL, *what;
	char code[RECOVERY_TEXT + 1];
	struct cred *cred = NULL;
	struct stat st;
	int ch, slot, rc, recovery = 0;

	optind = 0; /* re-initialise getopt: options may follow operands */
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'l')
			return cli_usage(&cmd_key_entry, "bad option");
		label = optarg;
	}
	if (optind >= argc)
		return cli_usage(&cmd_key_entry,
			"key add needs passphrase, key-file PATH or recovery");
	what = argv[optind];
	slot = header_free_slot(&h);
	if (slot < 0) {
		perr_set(&c->err, PX_FAIL, "all %d key slots are in use: "
					   "remove one first", HEADER_SLOTS);
		return cli_fail(c);
	}
	if (strcmp(what, "passphrase") == 0 && optind + 1 == argc) {
		cred = cli_new_passphrase(c, "PATRON_NEW_PASSPHRASE",
			"New passphrase: ");
	} else if (strcmp(what, "key-file") == 0 && optind + 2 == argc) {
		char *path;

		/* Set-group-ID, only inside security.data_dir. */
		if (setgid_key_path(c, argv[optind + 1], &path) < 0)
			return cli_fail(c);
		if (stat(path, &st) < 0 &&
			keyslot_keyfile_create(path, &c->err) < 0) {
			free(path);
			return cli_fail(c);
		}
		cred = cred_from_keyfile(path, &c->err);
		free(path);
	} else if (strcmp(what, "recovery") == 0 && optind + 1 == argc) {
		keyslot_recovery_new(code);
		cred = cred_new(CRED_PASSPHRASE, code, strlen(code));
		recovery = 1;
	} else {
		return cli_usage(&cmd_key_entry,
			"key add needs passphrase, key-file PATH or recovery");
	}
	if (cred == NULL)
		return cli_fail(c);
	rc = keyslot_fill(&h.slots[slot], cred, recovery, c->cfg.kdf,
		keyctx_data_key(store_key(s)), label, &c->err);
	cred_free(cred);
	if (rc < 0 || store_write_header(s, &h, &c->err) < 0)
		return cli_fail(c);
	printf("Added key slot %d (%s)\n", slot,
		header_slot_type_name(h.slots[slot].type));
	if (recovery) {
		printf("\nRecovery code (shown once; write it down):\n\n    %s\n\n",
			code);
		sodium_memzero(code, sizeof code);
	}
	return key_audited(c, s, argv[0]);
}

static int
key_slot_arg(struct cli *c, const char *arg, const struct header *h)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || n < 0 || n >= HEADER_SLOTS ||
		h->slots[n].type == SLOT_EMPTY)
		return perr_set(&c->err, PX_FAIL, "no key slot '%s'", arg);
	return (int)n;
}

static int
key_remove(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct header h = *store_header(s);
	int slot, used = 0;

	if (argc != 2)
		return cli_usage(&cmd_key_entry, "key remove needs one SLOT");
	slot = key_slot_arg(c, argv[1], &h);
	if (slot < 0)
		return cli_fail(c);
	for (int i = 0; i < HEADER_SLOTS; i++)
		used += h.slots[i].type != SLOT_EMPTY;
	if (used <= 1) {
		perr_set(&c->err, PX_FAIL,
			"slot %d is the last key: removing it would lock the "
			"database forever", slot);
		return cli_fail(c);
	}
	memset(&h.slots[slot], 0, sizeof h.slots[slot]);
	if (store_write_header(s, &h, &c->err) < 0)
		return cli_fail(c);
	printf("Removed key slot %d\n", slot);
	return key_audited(c, s, argv[0]);
}

static int
key_passwd(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	struct header h = *store_header(s);
	struct cred *cred;
	char label[SLOT_LABEL + 1];
	int slot = store_unlock_slot(s), rc;

	if (argc > 2)
		return cli_usage(&cmd_key_entry, "key passwd takes at most a SLOT");
	if (argc == 2 && (slot = key_slot_arg(c, argv[1], &h)) < 0)
		return cli_fail(c);
	if (h.slots[slot].type != SLOT_PASSPHRASE) {
		perr_set(&c->err, PX_FAIL,
			"slot %d holds a %s, not a passphrase", slot,
			header_slot_type_name(h.slots[slot].type));
		return cli_fail(c);
	}
	cred = cli_new_passphrase(c, "PATRON_NEW_PASSPHRASE",
		"New passphrase: ");
	if (cred == NULL)
		return cli_fail(c);
	memcpy(label, h.slots[slot].label, sizeof label);
	rc = keyslot_fill(&h.slots[slot], cred, 0, c->cfg.kdf,
		keyctx_data_key(store_key(s)), label, &c->err);
	cred_free(cred);
	if (rc < 0 || store_write_header(s, &h, &c->err) < 0)
		return cli_fail(c);
	printf("Changed the passphrase of key slot %d\n", slot);
	return key_audited(c, s, argv[0]);
}

static int
key_rotate(struct cli *c, struct store *s, const struct staff *who, int argc,
	char **argv, void *arg)
{
	const struct header *h = store_header(s);
	char code[RECOVERY_TEXT + 1];
	int had_recovery = 0, dropped = 0, rc;

	if (argc != 1)
		return cli_usage(&cmd_key_entry, "key rotate takes no arguments");
	for (int i = 0; i < HEADER_SLOTS; i++) {
		if (i == store_unlock_slot(s) || h->slots[i].type == SLOT_EMPTY)
			continue;
		if (h->slots[i].type == SLOT_RECOVERY)
			had_recovery = 1;
		else
			dropped++;
	}
	/* The credential that unlocked is wrapped again around the new key. */
	rc = store_rotate(s, cli_credential(c), c->cfg.kdf,
		had_recovery ? code : NULL, &c->err);
	if (rc < 0)
		return cli_fail(c);
	printf("Rotated the data key: every page is now sealed under a new key.\n");
	if (dropped > 0)
		printf("%d other passphrase or key-file slot(s) were removed; "
		       "add them again with 'patron key add'.\n",
			dropped);
	if (had_recovery) {
		printf("\nNew recovery code (the old one no longer works):\n\n"
		       "    %s\n\n",
			code);
		sodium_memzero(code, sizeof code);
	}
	/* The rotated store is a new file: the entry goes into it. */
	return key_audited(c, s, argv[0]);
}

static const struct cli_verb key_verbs[] = {
	{ "list", key_list, PERM_keys, 0 },
	{ "add", key_add, PERM_keys, 0 },
	{ "remove", key_remove, PERM_keys, 0 },
	{ "passwd", key_passwd, PERM_keys, 0 },
	{ "rotate", key_rotate, PERM_keys, STORE_EXCLUSIVE },
};

static int
cmd_key(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, &cmd_key_entry, key_verbs,
	    sizeof key_verbs / sizeof key_verbs[0], argc, argv, NULL);
}

const struct cli_cmd cmd_key_entry = {
	.name = "key",
	.summary = "Manage key slots (passphrases, key files, recovery codes) "
		   "and rotate the data key.",
	.usage = "key list [--json] | key add passphrase|recovery [--label L] | "
		 "key add key-file PATH [--label L] | key remove SLOT | "
		 "key passwd [SLOT] | key rotate",
	.run = cmd_key,
};
