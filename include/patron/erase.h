/*
 * erase: the right to erasure. A customer's personal data goes for good;
 * what the accounts need (purchases with their lines, the points ledger,
 * tier changes, the shape of the history) stays under the same integer id,
 * a fresh random uuid and the placeholder name "Erased customer ID".
 *
 * What is wiped, in one transaction: names, phone, email, birthday, card,
 * notes and custom fields; tags; every consent record (after erasure they
 * would prove consent of nobody); the text of notes and other
 * interactions; the reasons of points entries and voided purchases; the
 * titles and notes of tasks about the customer and the details of their
 * events (open ones are cancelled); the customer's rows of the change log;
 * and the details of the audit trail's entries about the customer and
 * their purchases, interactions, tasks and points entries (the chain stays
 * verifiable: details sit outside it, under a hash). Records merged into
 * the customer are the same person and are erased with them. A remaining
 * points balance is forfeited by a ledger entry (cause "erasure"), so no
 * liability is left for nobody. One audit entry, "customer_erased",
 * records that it happened, with counts and no personal data.
 *
 * The append-only triggers of the ledger stay in force for everyone else:
 * only the erasing connection runs without triggers, for the length of the
 * transaction (which also keeps the audit triggers from writing the wiped
 * values into new entries). After the commit the write-ahead log is
 * checkpointed and truncated, so no old page image stays in it; with
 * secure_delete on, freed space in the database file is zeroed.
 */
#ifndef PATRON_ERASE_H
#define PATRON_ERASE_H

#include <stdint.h>

#include "patron/config.h"
#include "patron/store.h"
#include "patron/util.h"

/* "Erased customer 12": the name an erased customer is shown under. */
#define ERASE_NAME "Erased customer"

struct erase_result {
	int64_t forfeited;	/* points taken off (or a debt forgiven: < 0) */
	long cancelled;		/* open tasks cancelled */
	long records;		/* customer rows erased (1 + merged-away ones) */
	int checkpointed;	/* the WAL was emptied: 0 if another session
				 * was reading and old pages may remain there
				 * until the next checkpoint */
};

/*
 * Whether customer id may be erased: 0, or -1 with e saying why not
 * (exit code 1): no such customer, erased already, or merged into another
 * (erase that one). Writes nothing.
 */
int erase_check(struct store *s, int64_t id, struct perr *e);

/*
 * Erase customer id for staff member actor, as described above; r (may be
 * NULL) gets what was done. On failure nothing is written.
 */
int erase_customer(struct store *s, const struct config *cfg, int64_t id,
	int64_t actor, struct erase_result *r, struct perr *e);

#endif
