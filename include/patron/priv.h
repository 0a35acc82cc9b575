/*
 * priv: the set-group-ID deployment (patron(1), DEPLOYMENT). Installed
 * setgid to a group of its own, Patron runs with that group as its
 * effective group and the user's as its real one: "shared mode". Files it
 * makes while holding the group are shared with the group; files a user
 * names are opened with the user's own group, never with Patron's.
 */
#ifndef PATRON_PRIV_H
#define PATRON_PRIV_H

#include <stdio.h>
#include <sys/types.h>

#include "patron/util.h"

/* Build-time system paths (Makefile SYSCONFDIR, STATEDIR). */
#ifndef PATRON_SYSCONFDIR
#define PATRON_SYSCONFDIR "/etc"
#endif
#ifndef PATRON_STATEDIR
#define PATRON_STATEDIR "/var/lib"
#endif

/*
 * Call first in main. Finds out whether Patron runs set-group-ID (the
 * effective group is not the real one) and, if so, sets the umask to 007
 * (so what is made with the group can be shared with it) and removes the
 * test aids PATRON_NOW and PATRON_FAULT from the environment. A
 * set-user-ID Patron is refused (PX_CONFIG): it is not a deployment
 * Patron supports.
 */
int priv_init(struct perr *e);
/* Whether Patron runs set-group-ID (see priv_init). */
int priv_shared(void);
/*
 * Make the user's real group the effective one (0), or -1 with errno set
 * if that fails; nothing to do outside shared mode. Calls nest: the group
 * comes back at the priv_group that matches the first.
 */
int priv_user(void);
/* Take the group back (the saved set-group-ID); errno is kept. */
void priv_group(void);
/*
 * The mode for a new file: own (e.g. 0600), plus group (e.g. 0060) when
 * the file is made in shared mode while holding Patron's group.
 */
mode_t priv_mode(mode_t own, mode_t group);
/*
 * open(2) and fopen(3) for a file the user named (an import, an export, a
 * backup): done with the user's own group, so Patron's group never lends
 * access to it. errno as set by the call.
 */
int priv_open(const char *path, int flags, mode_t mode);
FILE *priv_fopen(const char *path, const char *mode);

#endif
