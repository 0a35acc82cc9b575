/*
 * config_load: reading patron.yaml(5) with libyaml's event parser into the
 * option table, every error with its file:line:column; finding the file.
 */
#include "patron/config.h"
#include "patron/config_impl.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A config file is a few kilobytes; anything this big is a mistake. */
#define CONFIG_MAX_FILE (1024 * 1024)

static int
config_mark_int(size_t v)
{
	return v >= (size_t)INT_MAX ? INT_MAX : (int)v + 1;
}

/*
 * libyaml's reader reports a byte offset, not a mark; count lines and
 * characters up to it so the error still says line and column.
 */
static void
config_offset_mark(const struct config_loader *l, size_t off, int *line,
	int *col)
{
	size_t i, ln = 0, cl = 0;
	unsigned char ch;

	if (off > l->len)
		off = l->len;
	for (i = 0; i < off; i++) {
		ch = (unsigned char)l->buf[i];
		if (ch == '\n' || (ch == '\r' && (i + 1 >= l->len ||
			l->buf[i + 1] != '\n'))) {
			ln++;
			cl = 0;
		} else if ((ch & 0xc0) != 0x80 && ch != '\r')
			cl++;
	}
	*line = config_mark_int(ln);
	*col = config_mark_int(cl);
}

static int
config_syntax_error(struct config_loader *l)
{
	yaml_parser_t *p = &l->parser;
	const char *problem = p->problem ? p->problem : "cannot parse YAML";
	int line, col;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return perr_set(l->e, PX_CONFIG, "%s: out of memory", l->name);
	case YAML_READER_ERROR:
		config_offset_mark(l, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			return perr_at(l->e, PX_CONFIG, l->name, line, col,
				"%s (byte 0x%02x)", problem,
				(unsigned)p->problem_value & 0xff);
		return perr_at(l->e, PX_CONFIG, l->name, line, col, "%s",
			problem);
	default:
		line = config_mark_int(p->problem_mark.line);
		col = config_mark_int(p->problem_mark.column);
		if (p->context != NULL)
			return perr_at(l->e, PX_CONFIG, l->name, line, col,
				"%s (%s)", problem, p->context);
		return perr_at(l->e, PX_CONFIG, l->name, line, col, "%s",
			problem);
	}
}

int
config_load_next(struct config_loader *l, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&l->parser, ev))
		return config_syntax_error(l);
	return 0;
}

/* An error at mark m of the input. */
int
config_load_at(struct config_loader *l, const yaml_mark_t *m, const char *fmt, ...)
{
	char msg[sizeof ((struct perr *)0)->msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return perr_at(l->e, PX_CONFIG, l->name, config_mark_int(m->line),
		config_mark_int(m->column), "%s", msg);
}

/* A plain ~, null or nothing: YAML's null, which keeps the default. */
int
config_load_is_null(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
		ev->data.scalar.tag != NULL)
		return 0;
	return strcmp(v, "") == 0 || strcmp(v, "~") == 0 ||
		strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
		strcmp(v, "NULL") == 0;
}

/* "a mapping", or the value itself quoted, for "expected X, got Y". */
static void
config_got(const yaml_event_t *ev, char *buf, size_t len)
{
	char q[CONFIG_QUOTE_MAX * 4 + 8];

	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
		snprintf(buf, len, "a mapping");
		break;
	case YAML_SEQUENCE_START_EVENT:
		snprintf(buf, len, "a sequence");
		break;
	case YAML_ALIAS_EVENT:
		snprintf(buf, len, "an alias");
		break;
	default:
		config_quote((const char *)ev->data.scalar.value,
			ev->data.scalar.length, q, sizeof q);
		snprintf(buf, len, "'%s'", q);
		break;
	}
}

static int
config_option_at(const char *path)
{
	size_t i;

	for (i = 0; i < config_noptions; i++)
		if (strcmp(config_options[i].path, path) == 0)
			return (int)i;
	return -1;
}

/* The first row inside section path, or -1 if path is no section. */
static int
config_section_at(const char *path)
{
	size_t i, n = strlen(path);

	for (i = 0; i < config_noptions; i++)
		if (strncmp(config_options[i].path, path, n) == 0 &&
			config_options[i].path[n] == '.')
			return (int)i;
	return -1;
}

static int config_mapping(struct config_loader *l, const char *prefix);

/* The value of option row i; ev is its first event. */
static int
config_value(struct config_loader *l, int i, yaml_event_t *ev)
{
	const struct config_option *o = &config_options[i];
	char want[256], got[CONFIG_QUOTE_MAX * 4 + 16];
	struct perr sub;

	if (o->type == CONFIG_LIST)
		return config_list_read(l, o, ev);
	if (ev->type != YAML_SCALAR_EVENT) {
		config_describe(o, want, sizeof want);
		config_got(ev, got, sizeof got);
		return perr_at(l->e, PX_CONFIG, l->name,
			config_mark_int(ev->start_mark.line),
			config_mark_int(ev->start_mark.column),
			"%s: expected %s, got %s", o->path, want, got);
	}
	if (config_load_is_null(ev))
		return config_option_set(o, l->c, o->def, strlen(o->def),
			l->e);
	if (config_option_set(o, l->c, (const char *)ev->data.scalar.value,
		ev->data.scalar.length, &sub) < 0)
		return config_load_at(l, &ev->start_mark, "%s", sub.msg);
	return 0;
}

/* The value of section path; ev is its first event. */
static int
config_section(struct config_loader *l, const char *path, yaml_event_t *ev)
{
	char got[CONFIG_QUOTE_MAX * 4 + 16];

	if (ev->type == YAML_MAPPING_START_EVENT)
		return config_mapping(l, path);
	if (ev->type == YAML_SCALAR_EVENT && config_load_is_null(ev))
		return 0;
	config_got(ev, got, sizeof got);
	return config_load_at(l, &ev->start_mark, "%s: expected a mapping, got %s",
		path, got);
}

/*
 * A mapping whose MAPPING-START has been read, inside section prefix ("" at
 * the top). Each key must name an option or a section in the table; only
 * the table can make the recursion deeper, so input cannot.
 */
static int
config_mapping(struct config_loader *l, const char *prefix)
{
	char path[256], key[CONFIG_QUOTE_MAX * 4 + 8], shown[512];
	yaml_event_t kev, vev;
	const char *k;
	size_t klen, plen = strlen(prefix);
	int *first, i, r = -1, is_option;

	/* Rows stand for keys: siblings never share a first row. */
	first = xcalloc(config_noptions, sizeof *first);
	for (;;) {
		if (config_load_next(l, &kev) < 0)
			goto out;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			break;
		}
		if (kev.type != YAML_SCALAR_EVENT) {
			config_got(&kev, key, sizeof key);
			config_load_at(l, &kev.start_mark,
				"expected a key name, got %s", key);
			yaml_event_delete(&kev);
			goto out;
		}
		k = (const char *)kev.data.scalar.value;
		klen = kev.data.scalar.length;
		i = -1;
		is_option = 0;
		/* A dot or NUL in a key would let "a.b" pose as a nested key. */
		if (klen > 0 && memchr(k, '.', klen) == NULL &&
			memchr(k, '\0', klen) == NULL &&
			plen + 1 + klen < sizeof path) {
			snprintf(path, sizeof path, "%s%s%s", prefix,
				plen ? "." : "", k);
			if ((i = config_option_at(path)) >= 0)
				is_option = 1;
			else
				i = config_section_at(path);
		}
		if (i < 0) {
			config_quote(k, klen, key, sizeof key);
			snprintf(shown, sizeof shown, "%s%s%s", prefix,
				plen ? "." : "", key);
			/* People write "store.name:"; say how it is spelled. */
			config_load_at(l, &kev.start_mark, "unknown key '%s'%s", shown,
				memchr(k, '.', klen) != NULL ?
				" (write sections as nested mappings)" : "");
			yaml_event_delete(&kev);
			goto out;
		}
		if (first[i] != 0) {
			config_load_at(l, &kev.start_mark,
				"duplicate key '%s' (first on line %d)", path,
				first[i]);
			yaml_event_delete(&kev);
			goto out;
		}
		first[i] = config_mark_int(kev.start_mark.line);
		yaml_event_delete(&kev);

		if (config_load_next(l, &vev) < 0)
			goto out;
		if (is_option)
			r = config_value(l, i, &vev);
		else
			r = config_section(l, path, &vev);
		yaml_event_delete(&vev);
		if (r < 0)
			goto out;
		r = -1;
	}
	r = 0;
out:
	free(first);
	return r;
}

/* The stream: nothing, or one document holding nothing or a mapping. */
static int
config_stream(struct config_loader *l)
{
	char got[CONFIG_QUOTE_MAX * 4 + 16];
	yaml_event_t ev;
	int r;

	if (config_load_next(l, &ev) < 0)
		return -1;
	yaml_event_delete(&ev);			/* STREAM-START */
	if (config_load_next(l, &ev) < 0)
		return -1;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev);			/* DOCUMENT-START */
	if (config_load_next(l, &ev) < 0)
		return -1;
	if (ev.type == YAML_MAPPING_START_EVENT)
		r = config_mapping(l, "");
	else if (ev.type == YAML_SCALAR_EVENT && config_load_is_null(&ev))
		r = 0;
	else {
		config_got(&ev, got, sizeof got);
		r = config_load_at(l, &ev.start_mark,
			"expected a mapping at the top level, got %s", got);
	}
	yaml_event_delete(&ev);
	if (r < 0)
		return -1;
	if (config_load_next(l, &ev) < 0)
		return -1;
	yaml_event_delete(&ev);			/* DOCUMENT-END */
	if (config_load_next(l, &ev) < 0)
		return -1;
	if (ev.type != YAML_STREAM_END_EVENT) {
		r = config_load_at(l, &ev.start_mark,
			"only one YAML document is allowed");
		yaml_event_delete(&ev);
		return r;
	}
	yaml_event_delete(&ev);
	return 0;
}

int
config_load_buffer(struct config *c, const char *name, const char *buf,
	size_t len, struct perr *e)
{
	struct config_loader l;
	struct config tmp;
	int r;

	if (name == NULL)
		name = "<config>";
	if (buf == NULL) {
		buf = "";
		len = 0;
	}
	config_defaults(&tmp);
	memset(&l, 0, sizeof l);
	l.name = name;
	l.buf = buf;
	l.len = len;
	l.c = &tmp;
	l.e = e;
	if (!yaml_parser_initialize(&l.parser)) {
		config_defaults(c);
		return perr_set(e, PX_CONFIG, "%s: out of memory", name);
	}
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)buf,
		len);
	r = config_stream(&l);
	yaml_parser_delete(&l.parser);
	if (r < 0) {
		config_defaults(c);
		return -1;
	}
	snprintf(tmp.source, sizeof tmp.source, "%s", name);
	*c = tmp;
	return 0;
}

/* Read a whole file; returns 0 or an errno value. */
static int
config_read(const char *path, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 4096, n;
	char *buf;
	FILE *f;
	int err;

	*bufp = NULL;
	*lenp = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return errno;
	buf = xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap > CONFIG_MAX_FILE) {
				free(buf);
				fclose(f);
				return EFBIG;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		err = errno ? errno : EIO;
		free(buf);
		fclose(f);
		return err;
	}
	fclose(f);
	if (len > CONFIG_MAX_FILE) {
		free(buf);
		return EFBIG;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

/* Load path; a missing file is skipped (1) when missing_ok is set. */
static int
config_try(struct config *c, const char *path, int missing_ok,
	struct perr *e)
{
	char *buf;
	size_t len;
	int err, r;

	if (strlen(path) >= sizeof c->source) {
		config_defaults(c);
		return perr_at(e, PX_CONFIG, path, 0, 0, "path too long");
	}
	errno = 0;
	if ((err = config_read(path, &buf, &len)) != 0) {
		if (missing_ok && (err == ENOENT || err == ENOTDIR))
			return 1;
		config_defaults(c);
		if (err == EFBIG)
			return perr_at(e, PX_CONFIG, path, 0, 0,
				"cannot read: larger than %d bytes",
				CONFIG_MAX_FILE);
		return perr_at(e, PX_CONFIG, path, 0, 0, "cannot read: %s",
			strerror(err));
	}
	r = config_load_buffer(c, path, buf, len, e);
	free(buf);
	return r;
}

int
config_load_file(struct config *c, const char *path, struct perr *e)
{
	return config_try(c, path, 0, e) < 0 ? -1 : 0;
}

int
config_load(struct config *c, const char *explicit_path, struct perr *e)
{
	char path[sizeof c->source];
	const char *xdg, *home, *env;
	int r;

	if (explicit_path == NULL && (env = getenv("PATRON_CONFIG")) != NULL &&
		*env != '\0')
		explicit_path = env;
	if (explicit_path != NULL)
		return config_load_file(c, explicit_path, e);

	/* XDG: a relative XDG_CONFIG_HOME is to be ignored. */
	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	path[0] = '\0';
	if (xdg != NULL && xdg[0] == '/')
		r = snprintf(path, sizeof path, "%s/patron/config.yaml", xdg);
	else if (home != NULL && home[0] != '\0')
		r = snprintf(path, sizeof path,
			"%s/.config/patron/config.yaml", home);
	else
		r = 0;
	if (r < 0 || (size_t)r >= sizeof path) {
		config_defaults(c);
		return perr_set(e, PX_CONFIG,
			"config directory path too long");
	}
	if (path[0] != '\0' && (r = config_try(c, path, 1, e)) <= 0)
		return r;
	if ((r = config_try(c, "/etc/patron/config.yaml", 1, e)) <= 0)
		return r;
	config_defaults(c);
	return 0;
}
