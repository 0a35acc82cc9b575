/*
 * perm: role permissions. The table of permissions and their defaults is
 * CONFIG_PERMS in config.h; the effective values are in struct config.
 */
#include "patron/perm.h"
#include "patron/audit.h"
#include "patron/json_quote.h"
#include "patron/utf8.h"
#include "patron/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERM_ROLE_NAME(r) #r,
static const char *const perm_roles[] = { CONFIG_ROLES(PERM_ROLE_NAME) };
#undef PERM_ROLE_NAME

static const struct {
	const char *name;
	const char *what;
} perm_table[] = {
#define PERM_ROW(p, ca, cl, ag, ma, ad, what) { #p, what },
	CONFIG_PERMS(PERM_ROW)
#undef PERM_ROW
};

int
perm_role(const char *role)
{
	for (int i = 0; i < ROLE_N; i++)
		if (strcmp(role, perm_roles[i]) == 0)
			return i;
	return -1;
}

const char *
perm_role_name(int role)
{
	return role >= 0 && role < ROLE_N ? perm_roles[role] : "?";
}

const char *
perm_name(int perm)
{
	return perm >= 0 && perm < PERM_N ? perm_table[perm].name : "?";
}

const char *
perm_what(int perm)
{
	return perm >= 0 && perm < PERM_N ? perm_table[perm].what : "?";
}

int
perm_allows(const struct config *c, const char *role, int perm)
{
	int r = perm_role(role);

	/* An unknown role (a database from elsewhere) may do nothing. */
	return r >= 0 && perm >= 0 && perm < PERM_N &&
	    c->roles[r].allow[perm];
}

int
perm_check(const struct config *c, const struct staff *who, int perm,
	struct perr *e)
{
	if (perm_allows(c, who->role, perm))
		return 0;
	return perr_set(e, PX_NOPERM, "%s (%s) may not %s", who->name,
	    who->role, perm_what(perm));
}

int
perm_masked(const struct config *c, const char *role)
{
	int r = perm_role(role);

	return r < 0 || c->roles[r].mask_personal_data;
}

int
perm_unmasked(const struct config *c, const struct staff *who,
	const char *what, struct perr *e)
{
	if (!perm_masked(c, who->role))
		return 0;
	return perr_set(e, PX_NOPERM, "%s (%s) sees personal data masked, "
	    "and %s shows it whole", who->name, who->role, what);
}

int
perm_redeem(const struct config *c, const struct staff *who, long points,
	struct perr *e)
{
	int r = perm_role(who->role);

	if (perm_check(c, who, PERM_redeem, e) < 0)
		return -1;
	if (c->roles[r].redeem_limit > 0 && points > c->roles[r].redeem_limit)
		return perr_set(e, PX_NOPERM, "%s (%s) may redeem at most %d "
		    "points at once; a manager can redeem more", who->name,
		    who->role, c->roles[r].redeem_limit);
	return 0;
}

int
perm_covers(const struct config *c, const char *mine, const char *theirs)
{
	int m = perm_role(mine), t = perm_role(theirs);
	const struct config_role *a, *b;

	if (m < 0 || t < 0)
		return 0;
	a = &c->roles[m];
	b = &c->roles[t];
	for (int p = 0; p < PERM_N; p++)
		if (b->allow[p] && !a->allow[p])
			return 0;
	if (a->mask_personal_data && !b->mask_personal_data)
		return 0;
	if (b->allow[PERM_redeem] && a->redeem_limit != 0 &&
	    (b->redeem_limit == 0 || b->redeem_limit > a->redeem_limit))
		return 0;
	return 1;
}

int
perm_reveal(struct store *s, const struct config *c, const struct staff *who,
	int64_t customer_id, const char *reason, struct perr *e)
{
	char *detail = NULL, *r;
	const char *bad;
	size_t len = 0;
	FILE *f;
	int rc;

	if (perm_check(c, who, PERM_reveal, e) < 0)
		return -1;
	r = util_trim(xstrdup(reason ? reason : ""));
	if (*r == '\0')
		bad = "is needed: say why you need to see the data";
	else
		bad = utf8_check(r, PERM_REASON_MAX, 0);
	if (bad != NULL) {
		free(r);
		return perr_set(e, PX_DATAERR, "reason %s", bad);
	}
	if ((f = open_memstream(&detail, &len)) == NULL) {
		free(r);
		return perr_set(e, PX_FAIL, "out of memory");
	}
	fputs("{\"fields\":[\"phone\",\"email\"],\"reason\":", f);
	json_quote(f, r);
	fputc('}', f);
	fclose(f);
	free(r);
	rc = audit_log(s, "reveal", "customer", customer_id, customer_id,
	    detail, e);
	free(detail);
	return rc;
}
