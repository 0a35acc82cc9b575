/*
 * cmd_staff: `patron staff add|list|disable|enable|passwd|role|unlock`.
 * Managers and admins manage accounts; nobody gives a role above their
 * own, or changes an account above their own. Anyone changes their own PIN.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patron/cli.h"
#include "patron/perm.h"
#include "patron/staff.h"

/* who may act on an account of role target (and give role want). */
static int
staff_may(struct cli *c, const struct staff *who, const char *target,
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
staff_new_pin(struct cli *c)
{
	return cli_secret(c, "PATRON_NEW_PIN", "New PIN: ", 1);
}

static int
staff_add_cmd(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv)
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
	if (staff_may(c, who, role, role) < 0 ||
	    (pin = staff_new_pin(c)) == NULL)
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
staff_row(const struct staff_row *r, void *arg)
{
	int *n = arg;

	if ((*n)++ == 0)
		printf("%-24s %-8s %s\n", "NAME", "ROLE", "STATE");
	cli_print_safe(stdout, r->name, 24);
	printf(" %-8s %s%s%s\n", r->role, r->disabled ? "disabled" :
	    r->locked_until[0] ? "locked" : "active", r->locked_until[0] &&
	    strcmp(r->locked_until, "admin") != 0 ? " until " : "",
	    r->locked_until[0] && strcmp(r->locked_until, "admin") != 0 ?
	    r->locked_until : "");
	return 0;
}

static int
staff_json(const struct staff_row *r, void *arg)
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
staff_list_cmd(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv)
{
	int json = argc == 2 && strcmp(argv[1], "--json") == 0, n = 0;

	if (argc != 1 && !json)
		return cli_usage(&cmd_staff_entry, "list takes only --json");
	if (cli_may(c, who, PERM_staff) < 0)
		return cli_fail(c);
	if (json)
		putchar('[');
	if (staff_each(s, json ? staff_json : staff_row, &n, &c->err) < 0)
		return cli_fail(c);
	if (json)
		puts(n ? "\n]" : "]");
	return 0;
}

/* The account an operand names, checked against who may change it. */
static int
staff_target(struct cli *c, struct store *s, const struct staff *who,
	const char *name, const char *want, struct staff_row *r)
{
	if (staff_get(s, name, r, &c->err) < 0)
		return -1;
	return staff_may(c, who, r->role, want);
}

static int
staff_state_cmd(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv)
{
	struct staff_row r;
	const char *verb = argv[0];

	if (argc != 2)
		return cli_usage(&cmd_staff_entry, "%s takes a NAME", verb);
	if (staff_target(c, s, who, argv[1], NULL, &r) < 0)
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
staff_role_cmd(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv)
{
	struct staff_row r;

	if (argc != 3)
		return cli_usage(&cmd_staff_entry, "role takes NAME ROLE");
	if (staff_target(c, s, who, argv[1], argv[2], &r) < 0 ||
	    staff_set_role(s, r.id, argv[2], &c->err) < 0)
		return cli_fail(c);
	cli_print_safe(stdout, r.name, 0);
	printf(" is now %s\n", argv[2]);
	return 0;
}

static int
staff_passwd_cmd(struct cli *c, struct store *s, const struct staff *who,
	int argc, char **argv)
{
	struct staff_row r;
	struct cred *pin;
	int rc;

	if (argc > 2)
		return cli_usage(&cmd_staff_entry, "passwd takes at most a NAME");
	if (staff_get(s, argc == 2 ? argv[1] : who->name, &r, &c->err) < 0 ||
	    (r.id != who->id && staff_may(c, who, r.role, NULL) < 0) ||
	    (pin = staff_new_pin(c)) == NULL)
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

static const struct cli_verb staff_verbs[] = {
	{ "add", staff_add_cmd, PERM_staff },
	{ "list", staff_list_cmd, PERM_staff },
	{ "disable", staff_state_cmd, PERM_staff },
	{ "enable", staff_state_cmd, PERM_staff },
	{ "unlock", staff_state_cmd, PERM_staff },
	{ "role", staff_role_cmd, PERM_staff },
	{ "passwd", staff_passwd_cmd, PERM_ANY },
};

static int
cmd_staff(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, &cmd_staff_entry, staff_verbs,
	    sizeof staff_verbs / sizeof staff_verbs[0], argc, argv);
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
		   "agents and managers).",
	.usage = "staff add NAME --role ROLE | staff list [--json] | staff "
		 "disable|enable|unlock NAME | staff role NAME ROLE | staff "
		 "passwd [NAME]",
	.run = cmd_staff,
};
