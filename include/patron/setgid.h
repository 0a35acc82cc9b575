/*
 * setgid: what the command line does differently when Patron runs
 * set-group-ID (priv.h, patron(1) DEPLOYMENT): one fixed configuration,
 * the database and key files only inside security.data_dir.
 */
#ifndef PATRON_SETGID_H
#define PATRON_SETGID_H

#include "patron/cli.h"

/* The one configuration file of shared mode (Makefile SYSCONFDIR). */
#ifndef PATRON_SHARED_CONFIG
#define PATRON_SHARED_CONFIG PATRON_SYSCONFDIR "/patron/config.yaml"
#endif
/* The database and key file in security.data_dir. */
#define SETGID_DB_NAME "patron.db"
#define SETGID_KEY_NAME "patron.key"

/*
 * Load the configuration into c->cfg. Outside shared mode: config_load
 * with --config. In shared mode: only PATRON_SHARED_CONFIG (defaults if
 * it does not exist); --config is refused (PX_NOPERM) and PATRON_CONFIG
 * ignored; security.data_dir must be a directory of Patron's group giving
 * others no access (else PX_CONFIG); --db or PATRON_DB must resolve inside
 * it (else PX_NOPERM), by default DIR/patron.db; --key-file or
 * PATRON_KEY_FILE likewise, by default DIR/patron.key when it exists.
 * c->db_path and c->key_file are set to the resolved paths.
 */
int setgid_config_load(struct cli *c);
/*
 * In shared mode the key file `init` makes when none is named
 * (DIR/patron.key); NULL outside shared mode.
 */
const char *setgid_key_default(void);
/*
 * A key file named on the command line: in shared mode resolved inside
 * security.data_dir or refused (PX_NOPERM); otherwise path as it is.
 * *out is allocated; free it.
 */
int setgid_key_path(struct cli *c, const char *path, char **out);

#endif
