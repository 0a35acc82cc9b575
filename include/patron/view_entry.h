/*
 * view_entry: the quick forms of the customer and tasks views.
 */
#ifndef PATRON_VIEW_ENTRY_H
#define PATRON_VIEW_ENTRY_H

#include <stdint.h>

#include "patron/ui.h"

enum entry_kind { ENTRY_PURCHASE, ENTRY_REDEEM, ENTRY_ADJUST, ENTRY_NOTE,
	ENTRY_TASK, ENTRY_SNOOZE, ENTRY_ASSIGN, ENTRY_REVEAL, ENTRY_VOID,
	ENTRY_RETURN };

/* id: the customer (0: a task without one), the task for SNOOZE and
 * ASSIGN, the purchase for VOID. RETURN is the purchase form opened on
 * the list of the customer's sales to return from. */
struct view *view_entry_new(struct ui *u, int64_t id, int kind);

#endif
