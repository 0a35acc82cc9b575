/*
 * view_detail: the whole of one history row or audit change.
 */
#ifndef PATRON_VIEW_DETAIL_H
#define PATRON_VIEW_DETAIL_H

#include "patron/ui.h"

struct timeline_item;

/* The whole of one history row (or audit change) of customer (a name). */
struct view *view_detail_new(struct ui *u, const char *customer,
	const struct timeline_item *it);

#endif
