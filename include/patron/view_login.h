/*
 * view_login: staff name and PIN, the bottom of the screens' stack (ui_run
 * is given view_login_new). After a lock (its locked op) it says whose work
 * is kept.
 */
#ifndef PATRON_VIEW_LOGIN_H
#define PATRON_VIEW_LOGIN_H

#include "patron/ui.h"

struct view *view_login_new(struct ui *u);

#endif
