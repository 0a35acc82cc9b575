/*
 * config_print: the effective settings as YAML, each option with its help,
 * type and default as comments, in the option table's order.
 */
#include "patron/config.h"
#include "patron/config_impl.h"
#include "patron/safe.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The source path as a comment: one line whatever the path holds. */
static void
config_print_source(const char *src, FILE *out)
{
	char *q;

	if (src[0] == '\0') {
		fputs("# No file was loaded: these are the defaults.\n", out);
		return;
	}
	q = safe_dup(src, strlen(src), 0);
	fprintf(out, "# Loaded from %s\n", q);
	free(q);
}

void
config_print(const struct config *c, FILE *out)
{
	const struct config_option *o;
	const char *prev = "", *p, *q, *leaf;
	char small[512], want[256], *val;
	size_t i, common, depth, k;
	int n;

	fputs("# Patron configuration, see patron.yaml(5).\n", out);
	config_print_source(c->source, out);
	for (i = 0; i < config_noptions; i++) {
		o = &config_options[i];
		/* How many leading sections this row shares with the last. */
		common = 0;
		for (p = o->path, q = prev; *p != '\0' && *p == *q; p++, q++)
			if (*p == '.')
				common = (size_t)(p - o->path) + 1;
		depth = 0;
		for (p = o->path; p < o->path + common; p++)
			depth += *p == '.';
		/* Open each section that is new here. */
		leaf = strrchr(o->path, '.');
		leaf = leaf ? leaf + 1 : o->path;
		for (p = o->path + common; p < leaf; p = q + 1) {
			q = strchr(p, '.');
			if (depth == 0)
				fputc('\n', out);
			for (k = 0; k < depth; k++)
				fputs("  ", out);
			fprintf(out, "%.*s:\n", (int)(q - p), p);
			depth++;
		}
		for (k = 0; k < depth; k++)
			fputs("  ", out);
		fprintf(out, "# %s\n", o->help);
		for (k = 0; k < depth; k++)
			fputs("  ", out);
		if (o->type == CONFIG_STRING || o->type == CONFIG_DECIMAL)
			fprintf(out, "# Default: \"%s\"\n", o->def);
		else {
			config_describe(o, want, sizeof want);
			want[0] = (char)toupper((unsigned char)want[0]);
			fprintf(out, "# %s; default: %s\n", want, o->def);
		}

		val = small;
		n = config_option_format(o, c, small, sizeof small);
		if (n >= (int)sizeof small) {
			val = xmalloc((size_t)n + 1);
			config_option_format(o, c, val, (size_t)n + 1);
		}
		for (k = 0; k < depth; k++)
			fputs("  ", out);
		fprintf(out, "%s: %s\n", leaf, val);
		if (val != small)
			free(val);
		prev = o->path;
	}
}

