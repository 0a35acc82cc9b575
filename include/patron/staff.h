/*
 * staff: staff accounts and their PINs (Argon2id via crypto_pwhash_str).
 * Roles and permissions beyond the role name come with the roles issue.
 */
#ifndef PATRON_STAFF_H
#define PATRON_STAFF_H

#include <stdint.h>

#include "patron/store.h"
#include "patron/util.h"

#define STAFF_NAME_MAX 64
#define STAFF_PIN_MIN 4
#define STAFF_PIN_MAX 128

struct staff {
	int64_t id;
	char name[STAFF_NAME_MAX + 1];
	char role[16];
	int disabled;
};

/* Whether role is one of cashier, clerk, manager, admin, agent. */
int staff_role_valid(const char *role);
/* Add an account; actor is the acting staff id or 0 (init). */
int staff_add(struct store *s, const char *name, const char *role,
	const char *pin, int64_t actor, int64_t *id, struct perr *e);
/*
 * Check name and PIN; wrong or disabled: exit code 77, same message. After
 * pin_attempts wrong PINs in a row the account is locked for
 * lockout_minutes (0: until an admin unlocks it), across restarts: a
 * locked account is refused (77) whatever the PIN, saying until when.
 * A right PIN resets the count.
 */
int staff_login(struct store *s, const char *name, const char *pin,
	int pin_attempts, int lockout_minutes, struct staff *out,
	struct perr *e);


/* One account, as listed. */
struct staff_row {
	int64_t id;
	char name[STAFF_NAME_MAX + 1];
	char role[16];
	int disabled;
	int failed_attempts;
	char locked_until[32];	/* "" not locked, "admin" until cleared */
};
int staff_each(struct store *s, int (*fn)(const struct staff_row *, void *),
	void *arg, struct perr *e);
/* The account named (any case); PX_FAIL if there is none. */
int staff_get(struct store *s, const char *name, struct staff_row *out,
	struct perr *e);
/* Changes by an acting staff member (audited by the staff triggers). */
int staff_set_role(struct store *s, int64_t id, const char *role,
	struct perr *e);
int staff_set_disabled(struct store *s, int64_t id, int disabled,
	struct perr *e);
int staff_set_pin(struct store *s, int64_t id, const char *pin,
	struct perr *e);
/* Clear a lockout and the count of wrong PINs. */
int staff_unlock(struct store *s, int64_t id, struct perr *e);

#endif
