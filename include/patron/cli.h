/*
 * cli: what every subcommand shares: the global options, finding and
 * unlocking the database, staff login, reading secrets, and output as a
 * table, JSON or CSV.
 */
#ifndef PATRON_CLI_H
#define PATRON_CLI_H

#include <stdio.h>

#include "patron/config.h"
#include "patron/staff.h"
#include "patron/store.h"
#include "patron/util.h"

struct cli {
	const char *db_opt;	/* --db */
	const char *config_opt; /* --config */
	const char *key_file;	/* --key-file or PATRON_KEY_FILE */
	const char *user;	/* --user or PATRON_USER */
	char *db_path;		/* resolved */
	struct cred *cred;	/* the unlocking credential, read once */
	struct config cfg;
	struct perr err;
};

/* One command: `patron NAME ...`. */
struct cli_cmd {
	const char *name;
	const char *summary;	/* one line, for the command list */
	const char *usage;	/* printed by --help, after "usage: patron " */
	const char *details;	/* more for --help, or NULL */
	/*
	 * A noun-verb command's usage message for a missing or unknown verb;
	 * NULL: "NAME needs a verb" and "unknown verb 'VERB'".
	 */
	const char *verb_usage;
	int (*run)(struct cli *c, int argc, char **argv);
};

/* The commands, one per file in src/cli/. */
extern const struct cli_cmd cmd_init_entry;
extern const struct cli_cmd cmd_key_entry;
extern const struct cli_cmd cmd_backup_entry;
extern const struct cli_cmd cmd_restore_entry;
extern const struct cli_cmd cmd_check_entry;
extern const struct cli_cmd cmd_sql_entry;
extern const struct cli_cmd cmd_customer_entry;
extern const struct cli_cmd cmd_config_entry;
extern const struct cli_cmd cmd_import_entry;
extern const struct cli_cmd cmd_export_entry;
extern const struct cli_cmd cmd_purchase_entry;
extern const struct cli_cmd cmd_points_entry;
extern const struct cli_cmd cmd_note_entry;
extern const struct cli_cmd cmd_visit_entry;
extern const struct cli_cmd cmd_task_entry;
extern const struct cli_cmd cmd_audit_entry;
extern const struct cli_cmd cmd_staff_entry;

/* A verb of a noun-verb command (`patron purchase add`). */
struct cli_verb {
	const char *name;
	/* arg: what cli_dispatch was given (the command's own options). */
	int (*run)(struct cli *c, struct store *s, const struct staff *who,
		int argc, char **argv, void *arg);
	int perm;	/* PERM_* needed, checked at login, PERM_ANY or CLI_SELF */
	int flags;	/* store_open's flags: STORE_EXCLUSIVE */
};
/*
 * A verb that opens the database and logs in itself, if it needs them (s
 * and who are NULL): it first refuses what it can without them, files and
 * secrets. config check and show never open it.
 */
#define CLI_SELF (-2)
/*
 * Find argv[1] among verbs, open the database with the verb's flags, log
 * the staff member in and run the verb with argv from the verb on and arg
 * (a CLI_SELF verb at once); usage errors otherwise.
 */
int cli_dispatch(struct cli *c, const struct cli_cmd *cmd,
	const struct cli_verb *verbs, size_t n, int argc, char **argv,
	void *arg);

/*
 * Parse only: set by tests/fuzz/fuzz_args.c, which runs main over argument
 * vectors. The configuration is then the defaults (no file is read), and a
 * command stops at cli_parsed: where it would first touch a file, a secret
 * or the database.
 */
extern int cli_parse_only;
/*
 * The arguments are parsed: from here on files, secrets and the database.
 * 0, or -1 with c->err set (PX_FAIL) in parse-only mode.
 */
int cli_parsed(struct cli *c);

/* Exit status for an error already in c->err: prints it, returns the code. */
int cli_fail(struct cli *c);
/* Usage error: prints "patron: msg" and the usage line; returns 64. */
int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Whether argv holds -h or --help before any "--". */
int cli_wants_help(int argc, char **argv);
void cli_print_help(const struct cli_cmd *cmd, FILE *out);

/* The database path: --db, PATRON_DB, $XDG_DATA_HOME/patron/patron.db. */
const char *cli_db_path(struct cli *c);

/*
 * Read a secret: from the environment variable env if set, else asked on
 * the terminal without echo (twice when confirm). NULL with c->err set if
 * neither is possible or the two entries differ. Free with cred_free.
 */
struct cred *cli_secret(struct cli *c, const char *env, const char *prompt,
	int confirm);
/*
 * A new passphrase (from env, else asked twice), at least
 * CLI_PASSPHRASE_MIN characters; NULL with c->err set otherwise.
 */
#define CLI_PASSPHRASE_MIN 8
struct cred *cli_new_passphrase(struct cli *c, const char *env,
	const char *prompt);
/* A problem found by check or restore: "patron: ARG: MSG" on stderr. */
void cli_report(const char *msg, void *arg);
/*
 * The credential to unlock with: --key-file, or a passphrase. Read (or
 * asked for) once per command and kept in c; do not free it.
 */
const struct cred *cli_credential(struct cli *c);
/* Unlock and open the database file at path with cli_credential. */
int cli_open_path(struct cli *c, const char *path, int flags,
	struct store **out);
/* Unlock and open the database; flags as for store_open. */
int cli_open(struct cli *c, int flags, struct store **out);
/*
 * Log a staff member in (--user/PATRON_USER and PATRON_PIN, else asked)
 * and require permission perm (PERM_*, or PERM_ANY).
 */
int cli_login(struct cli *c, struct store *s, int perm, struct staff *who);
/* perm_check into c->err: 0 if who may, else -1 (PX_NOPERM). */
int cli_may(struct cli *c, const struct staff *who, int perm);
/*
 * Before what cannot be undone (customer erase, customer merge): the
 * caller has said on stderr what will happen and what to type. Reads one
 * line from standard input, a terminal, with bounded memory; 1 when it is
 * word or alt (NULL: none), else 0 (longer than 4 KiB, end of file).
 */
int cli_confirm(const char *word, const char *alt);

/* An amount in the store currency ("12.50") into minor units, or -1. */
int cli_amount(struct cli *c, const char *text, int64_t *out);
/* A time as people type it (util_time_parse), or -1 with c->err set. */
int cli_time(struct cli *c, const char *text, int64_t *ms);

/* Output helpers. */
void cli_json_string(FILE *out, const char *s);
/*
 * s as one line made safe for a terminal (safe_write: controls, line
 * breaks, bidi controls shown as placeholders), padded to width columns.
 */
void cli_print_safe(FILE *out, const char *s, int width);

#endif
