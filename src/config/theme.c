/*
 * theme: colour themes read with libyaml's document API, and the nearest
 * colour a terminal can show.
 */
#include "patron/theme.h"
#include "patron/priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#define THEME_NAME(id, name, ...) #name,
const char *const theme_elem_names[THEME_NELEMS] = { THEME_ELEMS(THEME_NAME) };
#undef THEME_NAME

static const char *const theme_color_names[16] = { "black", "red", "green",
	"yellow", "blue", "magenta", "cyan", "white", "bright-black",
	"bright-red", "bright-green", "bright-yellow", "bright-blue",
	"bright-magenta", "bright-cyan", "bright-white" };

/* RGB of the 16 basic colours (xterm's). */
static const unsigned char theme_basic_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

/* A colour of the list: an index, or -1 for the default. */
#define THEME_COLOR(i) { (i) < 0 ? TC_DEFAULT : TC_INDEX, (i) < 0 ? 0 : (i), \
	0, 0, 0 }
#define THEME_ATTRS(a) !!((a) & THEME_BOLD), !!((a) & THEME_UNDERLINE), \
	!!((a) & THEME_REVERSE), !!((a) & THEME_DIM)

void
theme_builtin(struct theme *t, int mono)
{
#define THEME_COLORS(id, name, fg, bg, attrs, mono_attrs) \
	{ THEME_COLOR(fg), THEME_COLOR(bg), THEME_ATTRS(attrs) },
#define THEME_PLAIN(id, name, fg, bg, attrs, mono_attrs) \
	{ THEME_COLOR(-1), THEME_COLOR(-1), THEME_ATTRS(mono_attrs) },
	static const struct theme_elem colors[THEME_NELEMS] = {
		THEME_ELEMS(THEME_COLORS)
	};
	static const struct theme_elem plain[THEME_NELEMS] = {
		THEME_ELEMS(THEME_PLAIN)
	};
#undef THEME_COLORS
#undef THEME_PLAIN

	t->mono = mono;
	memcpy(t->elem, mono ? plain : colors, sizeof t->elem);
}

static int
theme_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse a colour; returns NULL or what is wrong. */
static const char *
theme_color(const char *s, struct theme_color *c)
{
	memset(c, 0, sizeof *c);
	if (strcasecmp(s, "default") == 0) {
		c->kind = TC_DEFAULT;
		return NULL;
	}
	for (int i = 0; i < 16; i++)
		if (strcasecmp(s, theme_color_names[i]) == 0) {
			c->kind = TC_INDEX;
			c->index = i;
			return NULL;
		}
	if (s[0] == '#') {
		int v[6];

		if (strlen(s) != 7)
			return "expected #rrggbb";
		for (int i = 0; i < 6; i++)
			if ((v[i] = theme_hex((unsigned char)s[i + 1])) < 0)
				return "expected #rrggbb";
		c->kind = TC_RGB;
		c->r = (unsigned char)(v[0] * 16 + v[1]);
		c->g = (unsigned char)(v[2] * 16 + v[3]);
		c->b = (unsigned char)(v[4] * 16 + v[5]);
		return NULL;
	}
	if (s[0] >= '0' && s[0] <= '9' && strlen(s) <= 3 &&
	    strspn(s, "0123456789") == strlen(s) && atoi(s) <= 255) {
		c->kind = TC_INDEX;
		c->index = atoi(s);
		return NULL;
	}
	return "expected a colour: default, a name (red, bright-blue, ...), "
	       "0-255 or #rrggbb";
}

/* RGB of xterm colour i (0-255). */
static void
theme_rgb(int i, int rgb[3])
{
	static const int steps[6] = { 0, 95, 135, 175, 215, 255 };

	if (i < 16) {
		for (int k = 0; k < 3; k++)
			rgb[k] = theme_basic_rgb[i][k];
	} else if (i < 232) {
		i -= 16;
		rgb[0] = steps[i / 36];
		rgb[1] = steps[i / 6 % 6];
		rgb[2] = steps[i % 6];
	} else
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (i - 232);
}

int
theme_nearest(const struct theme_color *c, int ncolors)
{
	int want[3], best = 0;
	long bestd = -1;

	if (c->kind == TC_DEFAULT || ncolors <= 0)
		return -1;
	if (c->kind == TC_INDEX && c->index < ncolors)
		return c->index;
	if (c->kind == TC_INDEX)
		theme_rgb(c->index, want);
	else {
		want[0] = c->r;
		want[1] = c->g;
		want[2] = c->b;
	}
	if (ncolors > 256)
		ncolors = 256;
	for (int i = 0; i < ncolors; i++) {
		int rgb[3];
		long d = 0;

		theme_rgb(i, rgb);
		for (int k = 0; k < 3; k++)
			d += (long)(rgb[k] - want[k]) * (rgb[k] - want[k]);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

static int
theme_at(struct perr *e, const char *file, const yaml_node_t *n,
	const char *fmt, const char *arg)
{
	return perr_at(e, PX_CONFIG, file, (int)n->start_mark.line + 1,
		(int)n->start_mark.column + 1, fmt, arg);
}

/* A scalar's text (NUL-terminated by libyaml), or NULL if not a scalar. */
static const char *
theme_scalar(const yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE ?
	    (const char *)n->data.scalar.value : NULL;
}

static int
theme_element(yaml_document_t *d, const char *file, yaml_node_t *map,
	struct theme_elem *el, struct perr *e)
{
	if (map->type != YAML_MAPPING_NODE)
		return theme_at(e, file, map, "expected a mapping like "
			"{ fg: white, bg: blue, bold: true }%s", "");
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		yaml_node_t *v = yaml_document_get_node(d, p->value);
		const char *key = theme_scalar(k), *val = theme_scalar(v), *why;
		int *flag = NULL;

		if (key == NULL || val == NULL)
			return theme_at(e, file, key == NULL ? k : v,
				"expected key: value%s", "");
		if (strcmp(key, "fg") == 0 || strcmp(key, "bg") == 0) {
			why = theme_color(val, key[0] == 'f' ? &el->fg : &el->bg);
			if (why != NULL)
				return theme_at(e, file, v, "%s", why);
			continue;
		}
		if (strcmp(key, "bold") == 0)
			flag = &el->bold;
		else if (strcmp(key, "underline") == 0)
			flag = &el->underline;
		else if (strcmp(key, "reverse") == 0)
			flag = &el->reverse;
		else if (strcmp(key, "dim") == 0)
			flag = &el->dim;
		else
			return theme_at(e, file, k, "unknown key '%s' (fg, bg, "
				"bold, underline, reverse, dim)", key);
		if (strcmp(val, "true") == 0)
			*flag = 1;
		else if (strcmp(val, "false") == 0)
			*flag = 0;
		else
			return theme_at(e, file, v, "expected true or false%s",
				"");
	}
	return 0;
}

int
theme_load_buffer(const char *file, const char *buf, size_t len,
	struct theme *t, struct perr *e)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int rc = 0;

	theme_builtin(t, 0);
	if (!yaml_parser_initialize(&parser))
		return perr_set(e, PX_FAIL, "cannot start the YAML parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = perr_at(e, PX_CONFIG, file,
			(int)parser.problem_mark.line + 1,
			(int)parser.problem_mark.column + 1, "%s",
			parser.problem ? parser.problem : "not YAML");
		yaml_parser_delete(&parser);
		return rc;
	}
	root = yaml_document_get_root_node(&doc);
	if (root != NULL && root->type != YAML_MAPPING_NODE)
		rc = theme_at(e, file, root, "expected a mapping of elements "
			"(title, selection, ...)%s", "");
	for (yaml_node_pair_t *p = root && rc == 0 ?
		 root->data.mapping.pairs.start : NULL;
	     p != NULL && p < root->data.mapping.pairs.top && rc == 0; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key);
		const char *key = theme_scalar(k);
		int i;

		if (key == NULL) {
			rc = theme_at(e, file, k, "expected an element name%s",
				"");
			break;
		}
		if (strcmp(key, "mono") == 0) {
			const char *v = theme_scalar(yaml_document_get_node(&doc,
				p->value));

			if (v == NULL || (strcmp(v, "true") && strcmp(v, "false")))
				rc = theme_at(e, file, k, "mono: expected true "
					"or false%s", "");
			else
				t->mono = strcmp(v, "true") == 0;
			continue;
		}
		for (i = 0; i < THEME_NELEMS; i++)
			if (strcmp(key, theme_elem_names[i]) == 0)
				break;
		if (i == THEME_NELEMS) {
			rc = theme_at(e, file, k, "unknown element '%s'", key);
			break;
		}
		rc = theme_element(&doc, file, yaml_document_get_node(&doc,
			p->value), &t->elem[i], e);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

/*
 * Read dir/name.yaml (path) into memory; 1 if it does not exist, or dir is
 * out of the user's reach: a HOME that is not theirs (su without -, or
 * setpriv) hides their themes, it does not stop the screens.
 */
static int
theme_read(const char *dir, const char *path, char **buf, size_t *len,
	struct perr *e)
{
	/* A user's own theme is read with the user's group (priv.h). */
	FILE *f = priv_fopen(path, "r");
	int err = errno;
	long n;

	/* access(2) asks with the real group, the user's. */
	if (f == NULL)
		return err == ENOENT ||
		    (err == EACCES && access(dir, X_OK) != 0) ? 1 :
		    perr_set(e, PX_CONFIG, "%s: %s", path, strerror(err));
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || n > 65536 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return perr_set(e, PX_CONFIG, "%s: not a theme file (over "
			"64 KiB?)", path);
	}
	*buf = xmalloc((size_t)n + 1);
	*len = fread(*buf, 1, (size_t)n, f);
	fclose(f);
	return 0;
}

/*
 * The themes beside the running binary ($(BUILD)/themes, copied there by
 * make), so a build runs with its own themes before it is installed.
 */
static int
theme_build_dir(char *dir, size_t len)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (n <= 0)
		return 0;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return 0;
	*slash = '\0';
	snprintf(dir, len, "%s/themes", exe);
	return strcmp(dir, PATRON_DATADIR "/themes") != 0;
}

int
theme_load(const char *name, struct theme *t, struct perr *e)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char dirs[3][4096], path[4200];
	int ndirs = 0;

	if (xdg != NULL && xdg[0] == '/')
		snprintf(dirs[ndirs++], sizeof dirs[0], "%s/patron/themes", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(dirs[ndirs++], sizeof dirs[0],
			"%s/.config/patron/themes", home);
	ndirs += theme_build_dir(dirs[ndirs], sizeof dirs[0]);
	snprintf(dirs[ndirs++], sizeof dirs[0], "%s/themes", PATRON_DATADIR);
	for (int i = 0; i < ndirs; i++) {
		char *buf = NULL;
		size_t len = 0;
		int rc;

		snprintf(path, sizeof path, "%s/%s.yaml", dirs[i], name);
		if ((rc = theme_read(dirs[i], path, &buf, &len, e)) < 0)
			return -1;
		if (rc == 1)
			continue;
		rc = theme_load_buffer(path, buf, len, t, e);
		free(buf);
		return rc;
	}
	if (strcmp(name, "default") == 0 || strcmp(name, "mono") == 0) {
		theme_builtin(t, strcmp(name, "mono") == 0);
		return 0;
	}
	return perr_set(e, PX_CONFIG, "theme '%s' not found in %s%s%s%s%s",
		name, dirs[0], ndirs > 2 ? ", " : "", ndirs > 2 ? dirs[1] : "",
		ndirs > 1 ? " or " : "", ndirs > 1 ? dirs[ndirs - 1] : "");
}
