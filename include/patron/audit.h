/*
 * audit: the tamper-evident audit trail. Every entry (time, staff member,
 * action, entity, what changed) is chained to the one before by a keyed
 * BLAKE2b MAC under a subkey of the data key (keyctx_mac), so an entry
 * edited, deleted, inserted or moved breaks the chain where it happened;
 * the last entry's position is kept in meta under a MAC of its own, so
 * cutting entries off the end is found too.
 *
 * Changes of data are recorded by triggers (schema/005_audit.sql) that call
 * the SQL function patron_audit(action, entity, entity_id, customer_id,
 * detail), which every connection of the store has; the staff member is the
 * one set with audit_actor. Logins, reveals, exports and key operations
 * are recorded by audit_log. What changed (detail) is kept apart from the
 * chain, under a hash: erasing a customer wipes the details about them and
 * leaves the chain whole.
 */
#ifndef PATRON_AUDIT_H
#define PATRON_AUDIT_H

#include <stdint.h>

#include "patron/store.h"

/*
 * Hook the audit trail into every store opened from now on (store_hooks):
 * each connection gets patron_audit(), and a rotation of the data key
 * seals the chain again under the new key, leaving entries that did not
 * verify broken, so a rotation never hides tampering. Call it once, before
 * the first store_open or store_create.
 */
void audit_install(void);
/* The staff member whose actions follow (0: nobody, e.g. init). */
void audit_actor(struct store *s, int64_t staff_id);
int64_t audit_actor_get(struct store *s);

/*
 * Append an entry (in the caller's transaction, or its own). entity_id and
 * customer_id 0 mean none; detail is JSON text or NULL.
 */
int audit_log(struct store *s, const char *action, const char *entity,
	int64_t entity_id, int64_t customer_id, const char *detail,
	struct perr *e);

/*
 * Walk the whole chain. Returns 0 when intact, 1 when broken with *bad the
 * first entry that does not verify (0: the end was cut off) and why in
 * e->msg, -1 on error.
 */
int audit_verify(struct store *s, int64_t *bad, long *checked, struct perr *e);

/* One entry, as listed. */
struct audit_entry {
	int64_t id;
	int64_t at_ms;
	char staff[64];
	char action[32];
	char entity[32];
	int64_t entity_id;
	int64_t customer_id;
	const char *detail;	/* valid during the callback; NULL if erased */
};
struct audit_filter {
	int64_t customer_id;	/* 0: any */
	const char *staff;	/* a name; NULL: any */
	const char *action;	/* NULL: any */
	int64_t since_ms, until_ms;	/* 0: open */
	long limit;		/* 0: all */
};
/* Newest first. Returns the number listed, or -1. */
long audit_each(struct store *s, const struct audit_filter *f,
	int (*fn)(const struct audit_entry *, void *), void *arg,
	struct perr *e);

/* Wipe the details of every entry about a customer (erasure). */
int audit_forget_customer(struct store *s, int64_t customer, struct perr *e);

#endif
