/*
 * config: the settings file patron.yaml(5). One table of options (path,
 * type, field, default, help) drives loading, defaults, validation and
 * printing, so the four cannot disagree.
 */
#ifndef PATRON_CONFIG_H
#define PATRON_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "patron/actions.h"
#include "patron/util.h"

/* security.kdf: the Argon2id cost of new key slots. */
enum {
	CONFIG_KDF_INTERACTIVE = 0,
	CONFIG_KDF_MODERATE = 1,
	CONFIG_KDF_SENSITIVE = 2,
};

/* A custom customer field declared in customers.fields. */
#define CONFIG_FIELDS_MAX 20
enum { CONFIG_FIELD_TEXT, CONFIG_FIELD_NUMBER, CONFIG_FIELD_DATE };
struct config_field {
	char key[32];		/* [a-z][a-z0-9_]*, not a built-in column */
	char label[64];
	int type;		/* CONFIG_FIELD_* */
};
extern const char *const config_field_types[];

/* A loyalty tier of loyalty.tiers, by points earned in the last 12 months. */
#define CONFIG_TIERS_MAX 10
struct config_tier {
	char name[32];
	long threshold;		/* points earned in 12 months to reach it */
	long multiplier;	/* points multiplier, times CONFIG_SCALE */
};
#define CONFIG_SCALE 10000	/* fixed point of multipliers: 4 decimals */

/* A rule of tasks.rules: when it makes a task, and what the task is. */
#define CONFIG_RULES_MAX 20
enum { RULE_PURCHASE, RULE_BIRTHDAY, RULE_LAPSED, RULE_FIRST_VISIT,
	RULE_TIER, RULE_NKINDS };
extern const char *const config_rule_kinds[];
struct config_rule {
	char name[64];
	int on;			/* RULE_* */
	char min_total[16];	/* purchase: a decimal; "" for any */
	int days_before;	/* birthday */
	int days;		/* lapsed: days without a purchase; first_visit:
				 * days after it */
	char min_lifetime_spend[16];	/* lapsed: a decimal; "" for any */
	int due_in_days;	/* due this many days after the occasion */
	char assign[65];	/* a staff name or a role; "": manager */
	int priority;		/* 0 low, 1 normal, 2 high */
	char title[128];	/* "": made from the rule's name */
};

/*
 * Staff roles and what each may do: roles.ROLE.PERMISSION in patron.yaml.
 * Each permission row gives its default for cashier, clerk, agent, manager
 * and admin, in that order, and what it lets a role do (for messages).
 */
#define CONFIG_ROLES(X) X(cashier) X(clerk) X(agent) X(manager) X(admin)
#define CONFIG_PERMS(X) \
	X(view, true, true, true, true, true, "see customers and their history") \
	X(add, true, true, true, true, true, "add customers") \
	X(edit, true, true, true, true, true, "edit customers") \
	X(merge, false, false, false, true, true, "merge customers") \
	X(erase, false, false, false, true, true, "erase customers") \
	X(purchase, true, true, false, true, true, "record purchases") \
	X(void, false, false, false, true, true, "void purchases") \
	X(redeem, true, true, false, true, true, "redeem points") \
	X(adjust, false, false, false, true, true, "adjust or grant points") \
	X(others_tasks, false, false, false, true, true, \
	    "manage other staff's tasks") \
	X(import, false, true, false, true, true, "import customers") \
	X(export, false, false, false, true, true, "export data") \
	X(audit, false, false, false, true, true, "read the audit trail") \
	X(staff, false, false, false, true, true, "manage staff accounts") \
	X(backup, false, false, false, true, true, "make backups") \
	X(keys, false, false, false, false, true, \
	    "manage keys or restore backups") \
	X(sql, false, false, false, false, true, "use the SQL console") \
	X(reveal, true, true, true, true, true, "reveal masked data")
/* Per role: mask_personal_data and redeem_limit defaults. */
#define CONFIG_ROLE_DEFAULTS(X) X(cashier, true, 2000) X(clerk, false, 0) \
	X(agent, true, 0) X(manager, false, 0) X(admin, false, 0)

#define CONFIG_ROLE_ENUM(r) ROLE_##r,
enum { CONFIG_ROLES(CONFIG_ROLE_ENUM) ROLE_N };
#undef CONFIG_ROLE_ENUM
#define CONFIG_PERM_ENUM(p, ca, cl, ag, ma, ad, what) PERM_##p,
enum { CONFIG_PERMS(CONFIG_PERM_ENUM) PERM_N };
#undef CONFIG_PERM_ENUM
#define PERM_ANY (-1)	/* nothing beyond a staff login */

struct config_role {
	int allow[PERM_N];	/* 0 or 1, by PERM_* */
	int mask_personal_data;	/* phone and email shown masked */
	int redeem_limit;	/* most points in one redemption; 0: no limit */
};

/* loyalty.rounding */
enum { CONFIG_ROUND_DOWN, CONFIG_ROUND_NEAREST };

/*
 * The effective settings. Every string is valid UTF-8 without control
 * characters and NUL-terminated; every number is within its option's range.
 */
struct config {
	char store_name[128];
	char store_branch[64];
	char store_currency[4];		/* ISO 4217, three upper-case letters */
	char store_country[3];		/* ISO 3166-1 alpha-2 */
	char store_timezone[64];	/* IANA zone; "" is the system's */
	char store_max_purchase[16];	/* a decimal; "0": no ceiling */
	int kdf;			/* CONFIG_KDF_* */
	int idle_lock_minutes;		/* 0 never locks */
	int pin_attempts;
	int lockout_minutes;
	char data_dir[1024];		/* security.data_dir, shared mode */
	char ui_theme[64];		/* a theme name, not a path */
	char ui_keys[ACT_NACTIONS][ACTIONS_SPEC_MAX];	/* ui.keys.NAME by ACT_*; "" keeps
					 * the built-in keys */
	struct config_field fields[CONFIG_FIELDS_MAX];	/* customers.fields */
	int nfields;
	char loyalty_points_per_unit[16];	/* a decimal */
	int loyalty_rounding;			/* CONFIG_ROUND_* */
	int loyalty_min_redeem;
	char loyalty_point_value[16];		/* a decimal, in currency */
	int loyalty_expiry_months;		/* 0: points never expire */
	int loyalty_welcome_bonus;
	int loyalty_birthday_bonus;
	struct config_tier tiers[CONFIG_TIERS_MAX];	/* thresholds rising */
	int ntiers;
	struct config_rule rules[CONFIG_RULES_MAX];	/* tasks.rules */
	int nrules;
	struct config_role roles[ROLE_N];	/* by ROLE_* */
	char source[4096];		/* the file loaded, or "" for defaults */
};

/* The custom field named key, or NULL. */
const struct config_field *config_field_find(const struct config *c,
	const char *key);

/* The kinds of value an option holds, and how its field is laid out. */
enum config_type {
	CONFIG_STRING,	/* char[size] */
	CONFIG_INT,	/* int, min..max */
	CONFIG_ENUM,	/* int, index into values */
	CONFIG_BOOL,	/* int, 0 or 1 */
	CONFIG_DECIMAL,	/* char[size], digits with an optional fraction */
	CONFIG_LIST,	/* a list of mappings, described by list */
};

struct config_list;	/* how a list option is read and written */

/*
 * One row of the option table. Rows of one section are adjacent, so
 * config_print can write each section once.
 */
struct config_option {
	const char *path;		/* dotted: "security.kdf" */
	enum config_type type;
	size_t offset;			/* offsetof the field */
	size_t size;			/* STRING, DECIMAL: bytes, NUL included */
	long min, max;			/* INT */
	const char *const *values;	/* ENUM: NULL-terminated names */
	/* STRING: a further rule; returns what was expected, or NULL if ok. */
	const char *(*check)(const char *s);
	const struct config_list *list;	/* LIST */
	const char *def;		/* the default, as text */
	const char *help;		/* one line, for config_print and docs */
};

extern const struct config_option config_options[];
extern const size_t config_noptions;

/* Fill c with every option's default; c->source becomes "". */
void config_defaults(struct config *c);

/*
 * Read the YAML file at path over the defaults. Returns 0, or -1 with e set
 * (code PX_CONFIG, file:line:column where the input is at fault). On error
 * *c holds the defaults.
 */
int config_load_file(struct config *c, const char *path, struct perr *e);

/* The same for len bytes at buf; name stands for the file in errors. */
int config_load_buffer(struct config *c, const char *name, const char *buf,
	size_t len, struct perr *e);

/*
 * Find and load the config file, as DESIGN section 5 orders it:
 * explicit_path (the --config option) if not NULL, else $PATRON_CONFIG if
 * set and not empty; either must be readable, else PX_CONFIG "cannot read".
 * Otherwise the first that exists of $XDG_CONFIG_HOME/patron/config.yaml
 * ($HOME/.config when XDG_CONFIG_HOME is unset or relative) and
 * /etc/patron/config.yaml; if neither exists, the defaults (source "").
 */
int config_load(struct config *c, const char *explicit_path, struct perr *e);

/*
 * Write the effective settings as YAML, each option preceded by its help,
 * type and default as a comment. config_load_buffer reads it back to an
 * equal struct.
 */
void config_print(const struct config *c, FILE *out);

/*
 * Parse text (len bytes) as option o's type and store it in the struct at
 * base. Returns 0, or -1 with e set to "PATH: what was wrong" and no
 * location; the field is unchanged then.
 */
int config_option_set(const struct config_option *o, void *base,
	const char *text, size_t len, struct perr *e);

/*
 * Write o's value in the struct at base as a YAML scalar (quoted where a
 * string) that config_option_set accepts back. Returns the length it needed,
 * as snprintf does.
 */
int config_option_format(const struct config_option *o, const void *base,
	char *buf, size_t len);

#endif
