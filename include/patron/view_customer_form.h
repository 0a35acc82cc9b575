/*
 * view_customer_form: a new customer, or an edit of one.
 */
#ifndef PATRON_VIEW_CUSTOMER_FORM_H
#define PATRON_VIEW_CUSTOMER_FORM_H

#include <stdint.h>

#include "patron/ui.h"

/*
 * The form for customer id, or for a new one (id 0); once a new one is
 * saved, added (if not NULL) is called with its id, the form still on the
 * stack: the opener decides what follows (the lookup opens it).
 */
struct view *view_customer_form_new(struct ui *u, int64_t id,
	void (*added)(struct ui *u, int64_t id));

#endif
