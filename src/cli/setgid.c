/*
 * setgid: the command line in shared mode (Patron installed set-group-ID,
 * see priv.h). Whatever could widen access is fixed by the administrator,
 * not by the user: the configuration comes from one system path (a
 * configuration can widen roles), and the database and key files must
 * resolve inside security.data_dir (otherwise a user could borrow the
 * group to open, create or replace files elsewhere).
 */
#include "patron/setgid.h"
#include "patron/priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *setgid_dir;	/* security.data_dir, resolved */
static char *setgid_key;	/* DIR/patron.key */
static char *setgid_key_named;	/* --key-file or PATRON_KEY_FILE, resolved */

/* Whether a resolved path lies strictly inside setgid_dir. */
static int
setgid_inside(const char *real)
{
	size_t n = strlen(setgid_dir);

	return strncmp(real, setgid_dir, n) == 0 && real[n] == '/' &&
	    real[n + 1] != '\0';
}

/*
 * realpath(3) of a file that may not exist yet: its directory resolved,
 * its last component as given (never ".", ".." or a dangling symlink).
 */
static char *
setgid_realpath(const char *path)
{
	char *real, *copy, *slash, *dir, *base, *rdir;
	struct stat st;

	if ((real = realpath(path, NULL)) != NULL || errno != ENOENT ||
	    lstat(path, &st) == 0)
		return real;
	copy = xstrdup(path);
	slash = strrchr(copy, '/');
	if (slash == NULL) {
		dir = ".";
		base = copy;
	} else {
		*slash = '\0';
		dir = slash == copy ? "/" : copy;
		base = slash + 1;
	}
	if (*base != '\0' && strcmp(base, ".") != 0 && strcmp(base, "..") != 0 &&
	    (rdir = realpath(dir, NULL)) != NULL) {
		real = xasprintf("%s/%s", strcmp(rdir, "/") == 0 ? "" : rdir,
		    base);
		free(rdir);
	}
	free(copy);
	return real;
}

/* path (named by what) resolved inside setgid_dir, or PX_NOPERM. */
static int
setgid_resolve(struct cli *c, const char *what, const char *path, char **out)
{
	char *real = *path != '\0' ? setgid_realpath(path) : NULL;

	*out = NULL;
	if (real == NULL || !setgid_inside(real)) {
		free(real);
		return perr_set(&c->err, PX_NOPERM, "%s %s: not inside %s: "
		    "refused, Patron runs set-group-ID (see DEPLOYMENT in "
		    "patron(1))", what, path, setgid_dir);
	}
	*out = real;
	return 0;
}

/* The data directory: the group's alone (others have no access). */
static int
setgid_check_dir(struct cli *c)
{
	const char *dir = c->cfg.data_dir;
	struct stat st;

	free(setgid_dir);
	if ((setgid_dir = realpath(dir, NULL)) == NULL ||
	    stat(setgid_dir, &st) != 0)
		return perr_set(&c->err, PX_CONFIG, "security.data_dir %s: %s "
		    "(see DEPLOYMENT in patron(1))", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return perr_set(&c->err, PX_CONFIG, "security.data_dir %s: not "
		    "a directory", dir);
	if (st.st_gid != getegid() || (st.st_mode & 0007) != 0)
		return perr_set(&c->err, PX_CONFIG, "security.data_dir %s must "
		    "belong to Patron's group (gid %u) and give others no "
		    "access; it has gid %u, mode %04o", dir,
		    (unsigned)getegid(), (unsigned)st.st_gid,
		    (unsigned)(st.st_mode & 07777));
	return 0;
}

static int
setgid_load(struct cli *c)
{
	const char *db, *kf;
	struct stat st;

	if (c->config_opt != NULL)
		return perr_set(&c->err, PX_NOPERM, "--config: refused, Patron "
		    "runs set-group-ID and reads only %s", PATRON_SHARED_CONFIG);
	if (stat(PATRON_SHARED_CONFIG, &st) == 0) {
		if (st.st_mode & 0002)
			return perr_set(&c->err, PX_CONFIG, "%s: writable by "
			    "anyone: refused", PATRON_SHARED_CONFIG);
		if (config_load_file(&c->cfg, PATRON_SHARED_CONFIG, &c->err) < 0)
			return -1;
	} else if (errno == ENOENT)
		config_defaults(&c->cfg);
	else
		return perr_set(&c->err, PX_CONFIG, "%s: %s",
		    PATRON_SHARED_CONFIG, strerror(errno));
	if (setgid_check_dir(c) < 0)
		return -1;
	free(setgid_key);
	setgid_key = xasprintf("%s/%s", setgid_dir, SETGID_KEY_NAME);

	free(c->db_path);
	c->db_path = NULL;
	db = c->db_opt != NULL && *c->db_opt != '\0' ? c->db_opt : NULL;
	if (db == NULL && (db = getenv("PATRON_DB")) != NULL && *db == '\0')
		db = NULL;
	if (db == NULL)
		c->db_path = xasprintf("%s/%s", setgid_dir, SETGID_DB_NAME);
	else if (setgid_resolve(c, c->db_opt != NULL ? "--db" : "PATRON_DB",
	    db, &c->db_path) < 0)
		return -1;

	kf = c->key_file != NULL && *c->key_file != '\0' ? c->key_file : NULL;
	if (kf == NULL && (kf = getenv("PATRON_KEY_FILE")) != NULL &&
	    *kf == '\0')
		kf = NULL;
	free(setgid_key_named);
	setgid_key_named = NULL;
	if (kf != NULL && setgid_resolve(c, c->key_file != NULL ?
	    "--key-file" : "PATRON_KEY_FILE", kf, &setgid_key_named) < 0)
		return -1;
	if (setgid_key_named != NULL)
		c->key_file = setgid_key_named;
	else if (lstat(setgid_key, &st) == 0)
		c->key_file = setgid_key;
	else
		c->key_file = NULL;	/* a passphrase, then */
	return 0;
}

int
setgid_config_load(struct cli *c)
{
	int rc;

	if (cli_parse_only) {
		config_defaults(&c->cfg);
		return 0;
	}
	if (!priv_shared())
		return config_load(&c->cfg, c->config_opt, &c->err);
	rc = setgid_load(c);
	/* Dealt with: nothing later may read them. */
	unsetenv("PATRON_CONFIG");
	unsetenv("PATRON_DB");
	unsetenv("PATRON_KEY_FILE");
	return rc;
}

const char *
setgid_key_default(void)
{
	return priv_shared() ? setgid_key : NULL;
}

int
setgid_key_path(struct cli *c, const char *path, char **out)
{
	if (!priv_shared()) {
		*out = xstrdup(path);
		return 0;
	}
	return setgid_resolve(c, "key file", path, out);
}
