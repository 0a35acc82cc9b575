/*
 * interaction: what happened with a customer besides purchases (visits,
 * calls, emails, complaints, notes), on their history timeline.
 */
#ifndef PATRON_INTERACTION_H
#define PATRON_INTERACTION_H

#include <stdint.h>

#include "patron/store.h"

#define INTERACTION_TEXT_MAX 4000	/* bytes of an interaction's text */

enum interaction_kind { IK_VISIT, IK_CALL, IK_EMAIL, IK_COMPLAINT, IK_NOTE,
	IK_NKINDS };
extern const char *const interaction_kind_names[];
/* Record an interaction (text may be NULL for a visit). */
int interaction_add(struct store *s, int64_t customer, int kind,
	const char *text, int64_t occurred_ms, int64_t actor, int64_t *id,
	struct perr *e);

#endif
