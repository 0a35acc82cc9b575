/*
 * view_tasks: follow-up tasks, grouped by when they are due.
 */
#ifndef PATRON_VIEW_TASKS_H
#define PATRON_VIEW_TASKS_H

#include "patron/ui.h"

/* The tasks view: mine, or everyone's for managers. */
struct view *view_tasks_new(struct ui *u);

#endif
