/*
 * customer: customer records: validation, duplicates, add, edit, lookup by
 * reference, merge, and their JSON form (DESIGN section 5 keys).
 */
#ifndef PATRON_CUSTOMER_H
#define PATRON_CUSTOMER_H

#include <stdint.h>
#include <stdio.h>

#include "patron/config.h"
#include "patron/store.h"
#include "patron/util.h"

/*
 * The most each field takes: the command line, imports and the screens'
 * forms all hold these (characters, utf8_length; email in bytes).
 */
#define CUSTOMER_NAME_MAX 100		/* characters */
#define CUSTOMER_EMAIL_MAX 254		/* bytes */
#define CUSTOMER_CARD_MAX 32		/* letters, digits and - kept */
#define CUSTOMER_CARD_TEXT_MAX 64	/* as typed, spaces included */
#define CUSTOMER_DATE_TEXT_MAX 32	/* a date as typed */
#define CUSTOMER_TAG_MAX 32
#define CUSTOMER_TAGS_MAX 32
#define CUSTOMER_NOTES_MAX 10000
#define CUSTOMER_FIELD_MAX 200

/* A customer as stored. Strings are NULL when not set. */
struct customer {
	int64_t id;
	char *uuid;
	char *name, *given_name, *family_name;
	char *phone;		/* E.164 */
	char *email, *birthday, *card, *notes;
	char *fields;		/* JSON object */
	char **tags;
	size_t ntags;
	int64_t points;
	char *tier;
	char *last_visit;
	int consent;		/* -1 never asked, 0 withdrawn, 1 given */
	char *consent_at;
	char *consent_by;
	int64_t merged_into;
	char *deleted_at;
	char *created_at, *updated_at;
	char *created_by, *updated_by;	/* staff names */
};

/*
 * What add and edit take. For edit, NULL leaves a field as it is and ""
 * clears it; tags, when set_tags, replace the customer's tags.
 */
struct customer_input {
	const char *name, *given_name, *family_name;
	const char *phone, *email, *birthday, *card, *notes;
	const char **tags;
	size_t ntags;
	int set_tags;
	const char **fields;	/* "key=value"; value "" removes the field */
	size_t nfields;
	int consent;		/* -1 unchanged, 0 withdrawn, 1 given */
	int allow_duplicate;	/* phone and email may repeat (never cards) */
	int welcome;		/* add: give loyalty.welcome_bonus (staff
				 * adding a customer, not an import) */
};

void customer_input_init(struct customer_input *in);

/* The checks customer_add makes before it writes (exit code 65). */
int customer_validate(const struct config *cfg, const struct customer_input *in,
	struct perr *e);

/*
 * Add a customer for staff member actor. Invalid input: exit code 65 and
 * nothing written; a phone, email or card already on file: 65 naming the
 * customer who has it (unless allow_duplicate, which never covers cards).
 */
int customer_add(struct store *s, const struct config *cfg,
	const struct customer_input *in, int64_t actor, int64_t *id,
	struct perr *e);
int customer_edit(struct store *s, const struct config *cfg, int64_t id,
	const struct customer_input *in, int64_t actor, struct perr *e);

/*
 * Find the customer a reference names: "id:N", "uuid:U", "card:C",
 * "phone:P", or without a prefix a UUID, a card, an id or a phone, in that
 * order. Not found: exit code 1; two different customers: 65 (ambiguous).
 * Deleted (merged) customers are found only by id or uuid.
 */
int customer_resolve(struct store *s, const struct config *cfg,
	const char *ref, int64_t *id, struct perr *e);

/* Load one customer (deleted ones too); not found: exit code 1. */
int customer_get(struct store *s, int64_t id, struct customer *c,
	struct perr *e);
void customer_free(struct customer *c);

/*
 * Call fn for every customer not deleted, ordered by name, up to limit
 * (0: all). fn returns non-zero to stop.
 */
int customer_each(struct store *s, long limit,
	int (*fn)(struct customer *c, void *arg), void *arg, struct perr *e);

/*
 * Merge other into keep: tags, consent records and everything that names
 * other move to keep, fields and contact details keep fills from other
 * only where it has none; other is marked deleted and merged_into keep.
 */
int customer_merge(struct store *s, const struct config *cfg, int64_t keep,
	int64_t other, int64_t actor, struct perr *e);

/* The custom field key of c as text in out ("" if not set); 1 if set. */
int customer_field(struct store *s, const struct customer *c, const char *key,
	char *out, size_t outlen);

/* The customer as one JSON object (DESIGN section 5 keys and more). */
void customer_json(FILE *out, const struct customer *c, int masked);

/*
 * Checks of single values, shared with forms and imports. Each returns NULL
 * or what is wrong. Normalised values are written to out (size outlen).
 */
const char *customer_check_email(const char *s);
const char *customer_check_birthday(const char *s);
const char *customer_check_card(const char *s, char *out, size_t outlen);
/* A number as people write it in a custom field: -12, 42.5 */
const char *customer_check_number(const char *s);
/* Any real date YYYY-MM-DD from 1900 (custom date fields). */
const char *customer_check_date(const char *s);

#endif
