/*
 * view_lookup: the counter's first screen, a search field and its matches.
 */
#ifndef PATRON_VIEW_LOOKUP_H
#define PATRON_VIEW_LOOKUP_H

#include "patron/ui.h"

struct view *view_lookup_new(struct ui *u);

#endif
