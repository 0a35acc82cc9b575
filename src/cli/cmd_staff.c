/*
 * cmd_staff: `patron staff add|list|disable|enable|passwd|role|unlock`.
 * Managers and admins manage accounts; nobody gives a role above their
 * own, or changes an account above their own. Anyone changes their own PIN.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patron/audit.h"
#include "patron/cli.h"
#include "patron/header.h"
#include "patron/perm.h"
#include "patron/priv.h"
#include "patron/staff.h"

/* who may act on an account of role target (and give role want). */
static int
stf_may(struct cli *c, const struct staff *who, const char *target,
	const char *want)
{
	if (cli_may(c, who, PERM_staff) < 0)
		return -1;
	/* Never grant, nor change an account with, more than one has. */
	if (!perm_covers(&c->cfg, who->role, target) ||
	    (want != NULL && !perm_covers(&c->cfg, who->role, want)))
		return perr_set(&c->err, PX_NOPERM, "%s (%s) may not grant or "
		    "change more than a %s has", who->name, who->role,
		    who->role);
	return 0;
}

/* A new PIN: PATRON_NEW_PIN, else asked twice. */
static struct cred *
stf_new_pin(struct cli *c)
{
	return cli_secret(c, "PATRON_NEW_PIN", "New PIN: ", 1);
}

static int
stf_add(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *role = NULL;
	struct cred *pin;
	int64_t id;
	int ch, rc;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'r')
			return cli_usage(&cmd_staff_entry, "bad option");
		role = optarg;
	}
	if (argc - optind != 1 || role == NULL)
		return cli_usage(&cmd_staff_entry, "add takes NAME --role ROLE");
	if (!staff_role_valid(role)) {
		perr_set(&c->err, PX_DATAERR, "unknown role '%s' (cashier, "
		    "clerk, manager, admin, agent)", role);
		return cli_fail(c);
	}
	if (stf_may(c, who, role, role) < 0 ||
	    (pin = stf_new_pin(c)) == NULL)
		return cli_fail(c);
	rc = staff_add(s, argv[optind], role, (const char *)pin->secret, who->id,
	    &id, &c->err);
	cred_free(pin);
	if (rc < 0)
		return cli_fail(c);
	printf("staff %lld: ", (long long)id);
	cli_print_safe(stdout, argv[optind], 0);
	printf(" (%s)\n", role);
	return 0;
}

static int
stf_row(const struct staff_row *r, void *arg)
{
	char until[32] = "";
	int64_t ms;
	int *n = arg;

	/* Until when, in store.timezone as every time a table shows. */
	if (r->locked_until[0] && util_time_parse(r->locked_until, &ms) == 0)
		util_time_local(ms, "%Y-%m-%d %H:%M", until, sizeof until);
	if ((*n)++ == 0)
		printf("%-24s %-8s %s\n", "NAME", "ROLE", "STATE");
	cli_print_safe(stdout, r->name, 24);
	printf(" %-8s %s%s%s\n", r->role, r->disabled ? "disabled" :
	    r->locked_until[0] ? "locked" : "active", until[0] ? " until " : "",
	    until);
	return 0;
}

static int
stf_json(const struct staff_row *r, void *arg)
{
	int *n = arg;

	fputs((*n)++ ? ",\n" : "\n", stdout);
	printf("{\"id\":%lld,\"name\":", (long long)r->id);
	cli_json_string(stdout, r->name);
	printf(",\"role\":\"%s\",\"disabled\":%s,\"locked\":%s}", r->role,
	    r->disabled ? "true" : "false", r->locked_until[0] ? "true" :
	    "false");
	return 0;
}

static int
stf_list(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	int json = argc == 2 && strcmp(argv[1], "--json") == 0, n = 0;

	if (argc != 1 && !json)
		return cli_usage(&cmd_staff_entry, "list takes only --json");
	if (cli_may(c, who, PERM_staff) < 0)
		return cli_fail(c);
	if (json)
		putchar('[');
	if (staff_each(s, json ? stf_json : stf_row, &n, &c->err) < 0)
		return cli_fail(c);
	if (json)
		puts(n ? "\n]" : "]");
	return 0;
}

/* The account an operand names, checked against who may change it. */
static int
stf_target(struct cli *c, struct store *s, const struct staff *who,
	const char *name, const char *want, struct staff_row *r)
{
	if (staff_get(s, name, r, &c->err) < 0)
		return -1;
	return stf_may(c, who, r->role, want);
}

static int
stf_state(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	struct staff_row r;
	const char *verb = argv[0];

	if (argc != 2)
		return cli_usage(&cmd_staff_entry, "%s takes a NAME", verb);
	if (stf_target(c, s, who, argv[1], NULL, &r) < 0)
		return cli_fail(c);
	if (r.id == who->id && strcmp(verb, "unlock") != 0) {
		perr_set(&c->err, PX_DATAERR, "you cannot %s yourself", verb);
		return cli_fail(c);
	}
	if ((strcmp(verb, "unlock") == 0 ? staff_unlock(s, r.id, &c->err) :
	    staff_set_disabled(s, r.id, strcmp(verb, "disable") == 0,
	    &c->err)) < 0)
		return cli_fail(c);
	cli_print_safe(stdout, r.name, 0);
	printf(" %s\n", strcmp(verb, "unlock") == 0 ? "unlocked" :
	    strcmp(verb, "disable") == 0 ? "disabled" : "enabled");
	return 0;
}

static int
stf_role(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	struct staff_row r;

	if (argc != 3)
		return cli_usage(&cmd_staff_entry, "role takes NAME ROLE");
	if (stf_target(c, s, who, argv[1], argv[2], &r) < 0 ||
	    staff_set_role(s, r.id, argv[2], &c->err) < 0)
		return cli_fail(c);
	cli_print_safe(stdout, r.name, 0);
	printf(" is now %s\n", argv[2]);
	return 0;
}

static int
stf_passwd(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv, void *arg)
{
	struct staff_row r;
	struct cred *pin;
	int rc;

	if (argc > 2)
		return cli_usage(&cmd_staff_entry, "passwd takes at most a NAME");
	if (staff_get(s, argc == 2 ? argv[1] : who->name, &r, &c->err) < 0 ||
	    (r.id != who->id && stf_may(c, who, r.role, NULL) < 0) ||
	    (pin = stf_new_pin(c)) == NULL)
		return cli_fail(c);
	rc = staff_set_pin(s, r.id, (const char *)pin->secret, &c->err);
	cred_free(pin);
	if (rc < 0)
		return cli_fail(c);
	printf("PIN of ");
	cli_print_safe(stdout, r.name, 0);
	puts(" changed");
	return 0;
}

static const struct cli_verb stf_verbs[] = {
	{ "add", stf_add, PERM_staff, 0 },
	{ "list", stf_list, PERM_staff, 0 },
	{ "disable", stf_state, PERM_staff, 0 },
	{ "enable", stf_state, PERM_staff, 0 },
	{ "unlock", stf_state, PERM_staff, 0 },
	{ "role", stf_role, PERM_staff, 0 },
	{ "passwd", stf_passwd, PERM_ANY, 0 },
};

/*
 * unlock NAME --key-holder, passwd NAME --key-holder: the way back when
 * nobody who may can log in (the only admin locked out, or their PIN
 * forgotten). No staff login: the database's own credential authorises
 * it, which already opens every page and so gives more than any role.
 * In shared mode every user's commands unlock with the group's key file,
 * so there it is for members of the group (for whom Patron is not in
 * shared mode). Recorded in the audit trail as key_holder, with the slot.
 */
static int
stf_key_holder(struct cli *c, int argc, char **argv)
{
	const char *verb = argv[1], *name = NULL;
	const struct slot *sl;
	struct staff_row r;
	struct cred *pin = NULL;
	struct store *s;
	char detail[128];
	int rc;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--key-holder") == 0)
			continue;
		if (name != NULL || argv[i][0] == '-')
			return cli_usage(&cmd_staff_entry, "%s --key-holder "
			    "takes one NAME", verb);
		name = argv[i];
	}
	if (name == NULL)
		return cli_usage(&cmd_staff_entry, "%s --key-holder takes one "
		    "NAME", verb);
	if (priv_shared()) {
		perr_set(&c->err, PX_NOPERM, "--key-holder: refused, Patron "
		    "runs set-group-ID and every user's commands hold its key "
		    "file; run it as a member of Patron's group (see "
		    "DEPLOYMENT in patron(1))");
		return cli_fail(c);
	}
	if (cli_open(c, 0, &s) < 0)
		return cli_fail(c);
	if (staff_get(s, name, &r, &c->err) < 0 ||
	    (verb[0] == 'p' && (pin = stf_new_pin(c)) == NULL)) {
		store_close(s);
		return cli_fail(c);
	}
	sl = &store_header(s)->slots[store_unlock_slot(s)];
	snprintf(detail, sizeof detail, "{\"did\":\"%s\",\"slot\":%d,"
	    "\"type\":\"%s\"}", verb, store_unlock_slot(s),
	    header_slot_type_name(sl->type));
	/* The change and its record, in one transaction. */
	rc = store_begin(s, &c->err);
	if (rc == 0)
		rc = audit_log(s, "key_holder", "staff", r.id, 0, detail,
		    &c->err);
	if (rc == 0)
		rc = pin != NULL ? staff_set_pin(s, r.id,
		    (const char *)pin->secret, &c->err) :
		    staff_unlock(s, r.id, &c->err);
	if (rc == 0)
		rc = store_commit(s, &c->err);
	else
		store_rollback(s);
	cred_free(pin);
	store_close(s);
	if (rc < 0)
		return cli_fail(c);
	cli_print_safe(stdout, r.name, 0);
	puts(verb[0] == 'p' ? ": PIN set and unlocked, by the database's key "
	    "holder" : " unlocked, by the database's key holder");
	return 0;
}

static int
cmd_staff(struct cli *c, int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "unlock") == 0 ||
	    strcmp(argv[1], "passwd") == 0)) {
		for (int i = 2; i < argc; i++)
			if (strcmp(argv[i], "--key-holder") == 0)
				return stf_key_holder(c, argc, argv);
	}
	return cli_dispatch(c, &cmd_staff_entry, stf_verbs,
	    sizeof stf_verbs / sizeof stf_verbs[0], argc, argv, NULL);
}

const struct cli_cmd cmd_staff_entry = {
	.name = "staff",
	.summary = "Staff accounts: add, list, disable, enable, unlock, role, "
		   "passwd.",
	.details = "add NAME --role ROLE: the PIN from PATRON_NEW_PIN, else "
		   "asked twice (4 to 128 characters).\nlist [--json]; "
		   "disable|enable|unlock NAME; role NAME ROLE; passwd [NAME] "
		   "(your own PIN\n  without NAME).\nManagers and admins manage "
		   "accounts, never one above their own role nor\ngiving a "
		   "role above their own (a manager may add cashiers, clerks, "
		   "agents and managers).\nunlock NAME --key-holder, passwd "
		   "NAME --key-holder: the way back when nobody\n  who may "
		   "can log in; no staff login, authorised by the database's "
		   "passphrase,\n  recovery code or key file; recorded as "
		   "key_holder in the audit trail.",
	.usage = "staff add NAME --role ROLE | staff list [--json] | staff "
		 "disable|enable|unlock NAME | staff role NAME ROLE | staff "
		 "passwd [NAME] | staff unlock|passwd NAME --key-holder",
	.run = cmd_staff,
};
