/*
 * priv: shared mode, when Patron runs set-group-ID. The group is given up
 * for the time it takes to open a file the user named, and taken back
 * through the saved set-group-ID. Patron runs no other program, so there
 * is no exec to drop the group for; should it ever run one, it must call
 * setgid(getgid()) first.
 */
#include "patron/priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int priv_is_shared;
static gid_t priv_real_gid;	/* the user's */
static gid_t priv_patron_gid;	/* the group Patron is installed with */
static int priv_depth;		/* priv_user calls not yet given back */

int
priv_init(struct perr *e)
{
	priv_real_gid = getgid();
	priv_patron_gid = getegid();
	if (geteuid() != getuid())
		return perr_set(e, PX_CONFIG, "patron is installed set-user-ID: "
		    "not supported; install it set-group-ID (see DEPLOYMENT "
		    "in patron(1))");
	priv_is_shared = priv_real_gid != priv_patron_gid;
	if (!priv_is_shared)
		return 0;
	/* Explicit modes decide: 0600 for the user's files, 0660 or 0640
	 * for the group's. */
	umask(007);
	/* Test aids: a clock that ends lockouts, crashes on demand, cheap
	 * key derivation, a short idle lock. */
	unsetenv("PATRON_NOW");
	unsetenv("PATRON_FAULT");
	unsetenv("PATRON_TEST_KDF");
	unsetenv("PATRON_TEST_IDLE_MINUTE");
	return 0;
}

int
priv_shared(void)
{
	return priv_is_shared;
}

int
priv_user(void)
{
	if (!priv_is_shared)
		return 0;
	/* Nested (a backup opens its file inside the user's bracket). */
	if (priv_depth > 0) {
		priv_depth++;
		return 0;
	}
	if (setegid(priv_real_gid) != 0)
		return -1;
	if (getegid() != priv_real_gid) {
		errno = EPERM;
		return -1;
	}
	priv_depth = 1;
	return 0;
}

void
priv_group(void)
{
	int saved = errno;

	if (priv_is_shared && priv_depth > 0 && --priv_depth == 0)
		(void)setegid(priv_patron_gid);
	errno = saved;
}

mode_t
priv_mode(mode_t own, mode_t group)
{
	if (priv_is_shared && getegid() == priv_patron_gid)
		return own | group;
	return own;
}

int
priv_open(const char *path, int flags, mode_t mode)
{
	int fd;

	if (priv_user() < 0)
		return -1;
	fd = open(path, flags, mode);
	priv_group();
	return fd;
}

FILE *
priv_fopen(const char *path, const char *mode)
{
	FILE *f;

	if (priv_user() < 0)
		return NULL;
	f = fopen(path, mode);
	priv_group();
	return f;
}
