/*
 * view_customer: one customer: profile, loyalty, summary and history.
 */
#ifndef PATRON_VIEW_CUSTOMER_H
#define PATRON_VIEW_CUSTOMER_H

#include <stdint.h>

#include "patron/ui.h"

struct view *view_customer_new(struct ui *u, int64_t id);

#endif
