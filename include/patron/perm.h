/*
 * perm: what a staff member's role lets them do, from the roles section of
 * patron.yaml(5) (defaults in config.h). The command line and the screens
 * ask here before acting, so both refuse the same things the same way.
 */
#ifndef PATRON_PERM_H
#define PATRON_PERM_H

#include "patron/config.h"
#include "patron/staff.h"
#include "patron/util.h"

/* ROLE_* of a role name, or -1. */
int perm_role(const char *role);
/* The role's name and a permission's name and what it lets one do. */
const char *perm_role_name(int role);
const char *perm_name(int perm);
const char *perm_what(int perm);

/* Whether role (a name) has permission perm (PERM_*). */
int perm_allows(const struct config *c, const char *role, int perm);
/* 0 if who may; else -1 with e set: PX_NOPERM, "NAME (role) may not ...". */
int perm_check(const struct config *c, const struct staff *who, int perm,
	struct perr *e);
/* Whether role sees phone numbers and emails masked. */
int perm_masked(const struct config *c, const char *role);
/*
 * 0 unless who sees personal data masked; then -1 with e set (PX_NOPERM):
 * what (the audit trail, a right-of-access export) shows it whole, so a
 * masked role may not have it, whatever else the configuration grants.
 */
int perm_unmasked(const struct config *c, const struct staff *who,
	const char *what, struct perr *e);
/* 0 if who may redeem points at once (redeem and redeem_limit), else -1. */
int perm_redeem(const struct config *c, const struct staff *who,
	long points, struct perr *e);
/*
 * Whether role mine has everything role theirs has: every permission, a
 * redeem limit as high, and unmasked data if theirs has it. Staff may only
 * manage accounts, and grant roles, that their own role covers.
 */
int perm_covers(const struct config *c, const char *mine,
	const char *theirs);

/*
 * Reveal a customer's masked phone and email to who, for reason (required,
 * one line, at most PERM_REASON_MAX characters): checks the permission
 * and records the reveal in the audit trail. 0, or -1 with e set.
 */
#define PERM_REASON_MAX 200
struct store;
int perm_reveal(struct store *s, const struct config *c,
	const struct staff *who, int64_t customer_id, const char *reason,
	struct perr *e);

#endif
