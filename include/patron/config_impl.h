/*
 * config_impl: what the files of src/config/ share to read and write
 * patron.yaml(5); not part of config.h's public face. config.c holds the
 * option table and its values, config_load.c the libyaml loader,
 * config_list.c the list options, config_print.c the printer.
 */
#ifndef PATRON_CONFIG_IMPL_H
#define PATRON_CONFIG_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "patron/config.h"

/* How much of a bad value or key an error message quotes. */
#define CONFIG_QUOTE_MAX 40

/* config.c: values. */

/* A fixed text buffer with snprintf's contract: count all, store what fits. */
struct config_out {
	char *buf;
	size_t len;
	size_t pos;
};

void config_out_char(struct config_out *o, char ch);
void config_out_str(struct config_out *o, const char *s);
/* A double-quoted YAML scalar that reads back as s. */
void config_out_quoted(struct config_out *out, const char *s, size_t n);
/*
 * Copy a value or key into out for an error message: one line, valid UTF-8,
 * at most CONFIG_QUOTE_MAX characters, whatever the input held.
 */
void config_quote(const char *s, size_t n, char *out, size_t outlen);
/* What an option accepts, for errors and for config_print's comments. */
void config_describe(const struct config_option *o, char *buf, size_t len);
/* Text of a field: 0 if valid UTF-8 without a control character (NUL
 * included), -1 if not UTF-8, -2 with a control character. */
int config_clean_text(const char *s, size_t n);
/* A decimal integer from min to max into *out; 0, or -1. */
int config_parse_int(const char *s, long min, long max, int *out);

/* config_load.c: the state of one parse, where errors point and what is
 * being filled. */
struct config_loader {
	yaml_parser_t parser;
	const char *name;
	const char *buf;
	size_t len;
	struct config *c;
	struct perr *e;
};

/* The next event; -1 with the syntax error set. */
int config_load_next(struct config_loader *l, yaml_event_t *ev);
/* An error at mark m of the input; returns -1. */
int config_load_at(struct config_loader *l, const yaml_mark_t *m,
	const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A plain ~, null or nothing: YAML's null, which keeps the default. */
int config_load_is_null(const yaml_event_t *ev);

/*
 * config_list.c: a list option, a YAML sequence of flow or block mappings,
 * each read by item into entry index of the struct config. Its default is
 * set by reset; the option's def is only how the default is printed.
 */
struct config_list {
	const char *what;	/* "{ key, label, type }" */
	int max;
	size_t count;		/* offsetof the int counting the entries */
	int (*item)(struct config_loader *l, const yaml_mark_t *start,
		struct config *c, int index);
	int (*check)(struct config_loader *l, const yaml_mark_t *start,
		struct config *c, int index);	/* against earlier entries */
	void (*format)(struct config_out *o, const struct config *c);
	void (*reset)(struct config *c);
};

extern const struct config_list config_list_fields;	/* customers.fields */
extern const struct config_list config_list_tiers;	/* loyalty.tiers */
extern const struct config_list config_list_rules;	/* tasks.rules */

/* The value of list option o; ev is its first event. */
int config_list_read(struct config_loader *l, const struct config_option *o,
	yaml_event_t *ev);

#endif
