/*
 * json_quote: text as a JSON string, for every --json output and the
 * audit log's rows.
 */
#ifndef PATRON_JSON_QUOTE_H
#define PATRON_JSON_QUOTE_H

#include <stdio.h>

/*
 * s as a JSON string, quoted and escaped; broken UTF-8 as U+FFFD, and
 * whatever safe_cp would replace as a \u escape (\u202e), so it is kept
 * exactly but never drives a terminal.
 */
void json_quote(FILE *out, const char *s);

#endif
