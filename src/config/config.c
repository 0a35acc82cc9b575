/*
 * config: reading patron.yaml(5) with libyaml's event parser. The option
 * table below is the only place an option is described; defaults, checks,
 * the loader and config_print all walk it.
 */
#include "patron/config.h"
#include "patron/keys.h"
#include "patron/priv.h"
#include "patron/safe.h"
#include "patron/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

/* A config file is a few kilobytes; anything this big is a mistake. */
#define CONFIG_MAX_FILE (1024 * 1024)
/* How much of a bad value or key an error message quotes. */
#define CONFIG_QUOTE_MAX 40

static const char *config_check_nonempty(const char *s);
static const char *config_check_currency(const char *s);
static const char *config_check_country(const char *s);
static const char *config_check_timezone(const char *s);
static const char *config_check_theme(const char *s);
static const char *config_check_keys(const char *s);
static const char *config_check_decimal4(const char *s);
static const char *config_check_abspath(const char *s);

static const char *const config_kdf_names[] = {
	"interactive", "moderate", "sensitive", NULL
};

#define STR(field, chk) CONFIG_STRING, offsetof(struct config, field), \
	sizeof ((struct config *)0)->field, 0, 0, NULL, chk, NULL
#define DEC(field) CONFIG_DECIMAL, offsetof(struct config, field), \
	sizeof ((struct config *)0)->field, 0, 0, NULL, config_check_decimal4, \
	NULL
#define INT(field, lo, hi) CONFIG_INT, offsetof(struct config, field), \
	sizeof(int), lo, hi, NULL, NULL, NULL
#define ENUM(field, names) CONFIG_ENUM, offsetof(struct config, field), \
	sizeof(int), 0, 0, names, NULL, NULL
#define BOOL(field) CONFIG_BOOL, offsetof(struct config, field), \
	sizeof(int), 0, 1, NULL, NULL, NULL
#define LIST(list) CONFIG_LIST, 0, 0, 0, 0, NULL, NULL, &list

/*
 * A list option: a YAML sequence of flow or block mappings, each read by
 * item into entry index of the struct config. Its default is set by reset;
 * def is only how the default is printed.
 */
struct config_loader;
struct config_out;
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

static const struct config_list config_fields_list;
static const struct config_list config_tiers_list;
static const struct config_list config_rules_list;
static const char *const config_rounding_names[] = { "down", "nearest",
	NULL };

/* Keep each section's rows together: config_print writes a header per run. */
const struct config_option config_options[] = {
	{ "store.name", STR(store_name, config_check_nonempty), "Patron",
	  "Shop name shown in the title bar and on receipts" },
	{ "store.branch", STR(store_branch, config_check_nonempty), "MAIN",
	  "Branch code recorded with each purchase" },
	{ "store.currency", STR(store_currency, config_check_currency), "CNY",
	  "ISO 4217 code; its minor unit decides the decimals of amounts" },
	{ "store.country", STR(store_country, config_check_country), "CN",
	  "ISO 3166 alpha-2 code; default country calling code for phones" },
	{ "store.timezone", STR(store_timezone, config_check_timezone), "",
	  "IANA zone for due dates and reports; empty for the system's" },
	{ "store.max_purchase", DEC(store_max_purchase), "100000",
	  "Most one purchase may total, in the store currency (a mistyped "
	  "total is refused); 0: no ceiling" },
	{ "security.kdf", ENUM(kdf, config_kdf_names), "moderate",
	  "Argon2id cost of key slots made from a passphrase" },
	{ "security.idle_lock_minutes", INT(idle_lock_minutes, 0, 1440), "5",
	  "Minutes without input before the screen locks; 0 never locks" },
	{ "security.pin_attempts", INT(pin_attempts, 1, 100), "5",
	  "Wrong PINs in a row before the account is locked out" },
	{ "security.lockout_minutes", INT(lockout_minutes, 0, 1440), "5",
	  "Minutes an account stays locked out; 0 until an admin unlocks it" },
	{ "security.data_dir", STR(data_dir, config_check_abspath),
	  PATRON_STATEDIR "/patron", "Where the database and key file live "
	  "when Patron runs set-group-ID; elsewhere unused" },
	{ "customers.fields", LIST(config_fields_list), "[]",
	  "Custom fields: a list of { key, label, type: text|number|date }" },
	{ "loyalty.points_per_unit", DEC(loyalty_points_per_unit), "1",
	  "Points earned per whole currency unit spent" },
	{ "loyalty.rounding", ENUM(loyalty_rounding, config_rounding_names),
	  "down", "How earned points are rounded: down or nearest" },
	{ "loyalty.min_redeem", INT(loyalty_min_redeem, 0, 100000000), "100",
	  "Fewest points that may be redeemed at once" },
	{ "loyalty.point_value", DEC(loyalty_point_value), "0.01",
	  "Currency value of one point when redeemed" },
	{ "loyalty.expiry_months", INT(loyalty_expiry_months, 0, 600), "24",
	  "Months after which unused points expire, oldest first; 0 never" },
	{ "loyalty.welcome_bonus", INT(loyalty_welcome_bonus, 0, 100000000),
	  "0", "Points given to a customer added by staff" },
	{ "loyalty.birthday_bonus", INT(loyalty_birthday_bonus, 0, 100000000),
	  "0", "Points given once a year in the week of the birthday" },
	{ "loyalty.tiers", LIST(config_tiers_list),
	  "[{ name: Silver, threshold: 1000, multiplier: \"1.25\" }, "
	  "{ name: Gold, threshold: 5000, multiplier: \"1.5\" }]",
	  "Tiers by points earned in 12 months: { name, threshold, "
	  "multiplier }" },
	{ "tasks.rules", LIST(config_rules_list), "[]",
	  "Rules that make follow-up tasks: { name, on: purchase|birthday|"
	  "lapsed|first_visit|tier, ... }" },
#define CONFIG_PICK_cashier(ca, cl, ag, ma, ad) #ca
#define CONFIG_PICK_clerk(ca, cl, ag, ma, ad) #cl
#define CONFIG_PICK_agent(ca, cl, ag, ma, ad) #ag
#define CONFIG_PICK_manager(ca, cl, ag, ma, ad) #ma
#define CONFIG_PICK_admin(ca, cl, ag, ma, ad) #ad
#define CONFIG_PERM_ROW(r, p, ca, cl, ag, ma, ad, what) \
	{ "roles." #r "." #p, BOOL(roles[ROLE_##r].allow[PERM_##p]), \
	  CONFIG_PICK_##r(ca, cl, ag, ma, ad), "May " what },
#define CONFIG_ROLE_ROWS(r, mask, limit) \
	{ "roles." #r ".mask_personal_data", \
	  BOOL(roles[ROLE_##r].mask_personal_data), #mask, \
	  "Phone numbers and emails shown masked unless revealed" }, \
	{ "roles." #r ".redeem_limit", \
	  INT(roles[ROLE_##r].redeem_limit, 0, 100000000), #limit, \
	  "Most points redeemed at once; 0 no limit" }, \
	CONFIG_PERMS(CONFIG_PERM_ROWS_##r)
#define CONFIG_PERM_ROWS_cashier(...) CONFIG_PERM_ROW(cashier, __VA_ARGS__)
#define CONFIG_PERM_ROWS_clerk(...) CONFIG_PERM_ROW(clerk, __VA_ARGS__)
#define CONFIG_PERM_ROWS_agent(...) CONFIG_PERM_ROW(agent, __VA_ARGS__)
#define CONFIG_PERM_ROWS_manager(...) CONFIG_PERM_ROW(manager, __VA_ARGS__)
#define CONFIG_PERM_ROWS_admin(...) CONFIG_PERM_ROW(admin, __VA_ARGS__)
	CONFIG_ROLE_DEFAULTS(CONFIG_ROLE_ROWS)
	{ "ui.theme", STR(ui_theme, config_check_theme), "default",
	  "Theme name: a file in themes/ or ~/.config/patron/themes/" },
#define CONFIG_KEY_ROW(id, name, ...) \
	{ "ui.keys." #name, STR(ui_keys[ACT_##id], config_check_keys), "", \
	  "Keys for '" #name "' (up to 3, e.g. \"F3, /\"); empty: built in" },
	ACTIONS(CONFIG_KEY_ROW)
#undef CONFIG_KEY_ROW
};

#undef STR
#undef DEC
#undef INT
#undef ENUM
#undef LIST
#undef BOOL

const size_t config_noptions = sizeof config_options / sizeof config_options[0];

/* A fixed text buffer with snprintf's contract: count all, store what fits. */
struct config_out {
	char *buf;
	size_t len;
	size_t pos;
};

static void
config_out_char(struct config_out *o, char ch)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = ch;
	o->pos++;
	if (o->len > 0)
		o->buf[o->pos < o->len ? o->pos : o->len - 1] = '\0';
}

static void
config_out_str(struct config_out *o, const char *s)
{
	while (*s != '\0')
		config_out_char(o, *s++);
}

/*
 * C0, DEL and C1 could drive the terminal that shows the text. U+FFFE and
 * U+FFFF count too: YAML cannot carry them unescaped, so config_print could
 * not write them back.
 */
static int
config_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe ||
		cp == 0xffff;
}

/*
 * Copy a value or key into out for an error message: one line, valid UTF-8,
 * at most CONFIG_QUOTE_MAX characters, whatever the input held.
 */
static void
config_quote(const char *s, size_t n, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	struct config_out o = { out, outlen, 0 };
	size_t i = 0, k, chars = 0;
	uint32_t cp;

	if (outlen > 0)
		out[0] = '\0';
	while (i < n) {
		if (chars == CONFIG_QUOTE_MAX) {
			config_out_str(&o, "...");
			return;
		}
		k = utf8_decode(s + i, n - i, &cp);
		if (k == 0 || config_is_control(cp)) {
			/* The placeholder a terminal shows (safe_cp). */
			uint32_t r = k == 0 ? 0xfffd : safe_cp(cp);
			char b[4];
			size_t m = utf8_encode(r == cp ? 0xfffd : r, b);

			if (o.pos + m + 4 >= outlen)
				break;
			for (size_t j = 0; j < m; j++)
				config_out_char(&o, b[j]);
			i += k ? k : 1;
		} else {
			/* Never split a character when out runs short. */
			if (o.pos + k + 4 >= outlen)
				break;
			while (k-- > 0)
				config_out_char(&o, (char)p[i++]);
		}
		chars++;
	}
}

/* What an option accepts, for errors and for config_print's comments. */
static void
config_describe(const struct config_option *o, char *buf, size_t len)
{
	struct config_out out = { buf, len, 0 };
	size_t i;

	if (len > 0)
		buf[0] = '\0';
	switch (o->type) {
	case CONFIG_STRING:
		config_out_str(&out, "a string");
		break;
	case CONFIG_INT:
		snprintf(buf, len, "an integer from %ld to %ld", o->min,
			o->max);
		break;
	case CONFIG_ENUM:
		config_out_str(&out, "one of ");
		for (i = 0; o->values[i] != NULL; i++) {
			if (i > 0)
				config_out_str(&out, ", ");
			config_out_str(&out, o->values[i]);
		}
		break;
	case CONFIG_BOOL:
		config_out_str(&out, "true or false");
		break;
	case CONFIG_DECIMAL:
		config_out_str(&out, "a decimal number like 0.01");
		break;
	case CONFIG_LIST:
		config_out_str(&out, "a list of ");
		config_out_str(&out, o->list->what);
		config_out_str(&out, " mappings");
		break;
	}
}

static int
config_bad_value(const struct config_option *o, const char *text, size_t len,
	const char *expected, struct perr *e)
{
	char want[256], got[CONFIG_QUOTE_MAX * 4 + 8];

	if (expected == NULL) {
		config_describe(o, want, sizeof want);
		expected = want;
	}
	config_quote(text, len, got, sizeof got);
	return perr_set(e, PX_CONFIG, "%s: expected %s, got '%s'", o->path,
		expected, got);
}

/* Text of a field: valid UTF-8, no control character (NUL included). */
static int
config_clean_text(const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			return -1;
		if (config_is_control(cp))
			return -2;
		i += k;
	}
	return 0;
}

static int
config_set_text(const struct config_option *o, void *base, const char *text,
	size_t len, struct perr *e)
{
	const char *why = NULL;
	char *tmp;
	size_t i;
	int r;

	if (len >= o->size)
		return perr_set(e, PX_CONFIG, "%s: longer than %zu bytes",
			o->path, o->size - 1);
	r = config_clean_text(text, len);
	if (r == -1)
		return perr_set(e, PX_CONFIG, "%s: not valid UTF-8", o->path);
	if (r == -2)
		return perr_set(e, PX_CONFIG, "%s: contains a control character",
			o->path);
	if (o->type == CONFIG_DECIMAL) {
		/* Digits, then optionally a point and more digits: no floats. */
		for (i = 0; i < len && text[i] >= '0' && text[i] <= '9'; i++)
			;
		if (i > 0 && i + 1 < len && text[i] == '.')
			for (i++; i < len && text[i] >= '0' && text[i] <= '9';
				i++)
				;
		if (i == 0 || i != len)
			return config_bad_value(o, text, len, NULL, e);
	}
	tmp = xmalloc(len + 1);
	memcpy(tmp, text, len);
	tmp[len] = '\0';
	if (o->check != NULL)
		why = o->check(tmp);
	if (why != NULL) {
		free(tmp);
		return config_bad_value(o, text, len, why, e);
	}
	/* Zero the rest too: equal settings are then equal bytes. */
	memset((char *)base + o->offset, 0, o->size);
	memcpy((char *)base + o->offset, tmp, len);
	free(tmp);
	return 0;
}

static int
config_parse_int(const char *s, long min, long max, int *out)
{
	long long v = 0;
	int neg = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		/* Stop before overflow; the range check below rejects it. */
		if (v > (long long)INT_MAX + 1)
			return -1;
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

int
config_option_set(const struct config_option *o, void *base, const char *text,
	size_t len, struct perr *e)
{
	static const char *const yes[] = { "true", "yes", "on", NULL };
	static const char *const no[] = { "false", "no", "off", NULL };
	char word[64];
	int *field, v, i;

	if (o->type == CONFIG_STRING || o->type == CONFIG_DECIMAL)
		return config_set_text(o, base, text, len, e);
	if (o->type == CONFIG_LIST) {
		struct config *c = base;

		/* As text only the default or the empty list. */
		if (len == strlen(o->def) && memcmp(text, o->def, len) == 0) {
			o->list->reset(c);
			return 0;
		}
		if (len == 2 && memcmp(text, "[]", 2) == 0) {
			o->list->reset(c);
			*(int *)(void *)((char *)c + o->list->count) = 0;
			return 0;
		}
		return config_bad_value(o, text, len, NULL, e);
	}
	/* Every valid number, name or boolean is short and has no NUL. */
	if (len >= sizeof word || memchr(text, '\0', len) != NULL)
		return config_bad_value(o, text, len, NULL, e);
	memcpy(word, text, len);
	word[len] = '\0';
	field = (int *)(void *)((char *)base + o->offset);
	switch (o->type) {
	case CONFIG_INT:
		if (config_parse_int(word, o->min, o->max, &v) < 0)
			break;
		*field = v;
		return 0;
	case CONFIG_ENUM:
		for (i = 0; o->values[i] != NULL; i++)
			if (strcmp(word, o->values[i]) == 0) {
				*field = i;
				return 0;
			}
		break;
	case CONFIG_BOOL:
		for (i = 0; yes[i] != NULL; i++) {
			if (strcasecmp(word, yes[i]) == 0) {
				*field = 1;
				return 0;
			}
			if (strcasecmp(word, no[i]) == 0) {
				*field = 0;
				return 0;
			}
		}
		break;
	default:
		break;
	}
	return config_bad_value(o, text, len, NULL, e);
}

/* A double-quoted YAML scalar that reads back as s. */
static void
config_out_quoted(struct config_out *out, const char *s, size_t n)
{
	char num[8];

	config_out_char(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\') {
			config_out_char(out, '\\');
			config_out_char(out, (char)ch);
		} else if (ch == 0xe2 && i + 2 < n &&
			(unsigned char)s[i + 1] == 0x80 &&
			((unsigned char)s[i + 2] == 0xa8 ||
			(unsigned char)s[i + 2] == 0xa9)) {
			/* YAML reads raw U+2028, U+2029 as line breaks. */
			config_out_str(out, (unsigned char)s[i + 2] == 0xa8 ?
				"\\u2028" : "\\u2029");
			i += 2;
		} else if (ch < 0x20 || ch == 0x7f) {
			snprintf(num, sizeof num, "\\x%02x", ch);
			config_out_str(out, num);
		} else
			config_out_char(out, (char)ch);
	}
	config_out_char(out, '"');
}

int
config_option_format(const struct config_option *o, const void *base,
	char *buf, size_t len)
{
	struct config_out out = { buf, len, 0 };
	const char *s = (const char *)base + o->offset;
	const int *field = (const int *)(const void *)s;
	char num[32];
	size_t i;

	if (len > 0)
		buf[0] = '\0';
	switch (o->type) {
	case CONFIG_STRING:
	case CONFIG_DECIMAL:
		config_out_quoted(&out, s, strnlen(s, o->size));
		break;
	case CONFIG_LIST:
		o->list->format(&out, base);
		break;
	case CONFIG_ENUM:
		for (i = 0; o->values[i] != NULL; i++)
			if ((int)i == *field) {
				config_out_str(&out, o->values[i]);
				return (int)out.pos;
			}
		/* Not a name: print the number, which loading will reject. */
		snprintf(num, sizeof num, "%d", *field);
		config_out_str(&out, num);
		break;
	case CONFIG_INT:
		snprintf(num, sizeof num, "%d", *field);
		config_out_str(&out, num);
		break;
	case CONFIG_BOOL:
		config_out_str(&out, *field ? "true" : "false");
		break;
	}
	return (int)out.pos;
}

void
config_defaults(struct config *c)
{
	const struct config_option *o;
	size_t i;

	/* Zeroed first so that padding compares equal, as tests do. */
	memset(c, 0, sizeof *c);
	for (i = 0; i < config_noptions; i++) {
		o = &config_options[i];
		/* Defaults are checked by the unit tests; they cannot fail. */
		(void)config_option_set(o, c, o->def, strlen(o->def), NULL);
	}
}

/* Amounts and rates are kept to 4 decimals, below a billion. */
static const char *
config_check_decimal4(const char *s)
{
	int64_t v;

	return util_decimal_parse(s, 4, &v) < 0 || v > 1000000000LL * 10000 ?
	    "a decimal number with at most 4 decimals, like 0.01" : NULL;
}

static const char *
config_check_nonempty(const char *s)
{
	return *s == '\0' ? "a non-empty string" : NULL;
}

static const char *
config_check_abspath(const char *s)
{
	return *s != '/' ? "an absolute path" : NULL;
}

static int
config_upper_letters(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return s[n] == '\0';
}

static const char *
config_check_currency(const char *s)
{
	return config_upper_letters(s, 3) ? NULL :
		"an ISO 4217 code of three upper-case letters";
}

static const char *
config_check_country(const char *s)
{
	return config_upper_letters(s, 2) ? NULL :
		"an ISO 3166 alpha-2 code of two upper-case letters";
}

/*
 * The zone becomes a path under the zoneinfo directory, so only the
 * characters of IANA names: no dots, and not absolute.
 */
static const char *
config_check_timezone(const char *s)
{
	const char *p;

	if (*s == '\0')
		return NULL;
	if (*s == '/' || *s == '-' || *s == '+')
		return "an IANA time zone name like Asia/Shanghai";
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			(*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
			*p == '-' || *p == '+'))
			return "an IANA time zone name like Asia/Shanghai";
	/* A zone the system does not have would silently be UTC. */
	if (access("/usr/share/zoneinfo/UTC", R_OK) == 0) {
		char path[128];

		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", s);
		if (access(path, R_OK) != 0)
			return "a time zone this system knows (see "
			    "/usr/share/zoneinfo), like Asia/Shanghai";
	}
	return NULL;
}

/* A theme is looked up as a file name in theme directories: no paths. */
static const char *
config_check_theme(const char *s)
{
	const char *p;

	if (*s == '\0')
		return "a theme name of letters, digits, '-' and '_'";
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			(*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return "a theme name of letters, digits, '-' and '_'";
	return NULL;
}

static const char *
config_check_keys(const char *s)
{
	struct keys_key k[KEYS_MAX];
	const char *why;

	if (*s == '\0' || keys_parse(s, k, KEYS_MAX, &why) > 0)
		return NULL;
	return why;
}

/* The state of one parse: where errors point and what is being filled. */
struct config_loader {
	yaml_parser_t parser;
	const char *name;
	const char *buf;
	size_t len;
	struct config *c;
	struct perr *e;
};

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

static int
config_next(struct config_loader *l, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&l->parser, ev))
		return config_syntax_error(l);
	return 0;
}

static int config_at(struct config_loader *l, const yaml_mark_t *m,
	const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* An error at mark m of the input. */
static int
config_at(struct config_loader *l, const yaml_mark_t *m, const char *fmt, ...)
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
static int
config_is_null(const yaml_event_t *ev)
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

const char *const config_field_types[] = { "text", "number", "date", NULL };

/* Columns of customers that a custom field may not take as its key. */
static const char *const config_reserved_keys[] = { "id", "uuid", "name",
	"given_name", "family_name", "phone", "email", "birthday", "card",
	"tags", "notes", "marketing_consent", "points", "tier", "last_visit",
	"created_at", "updated_at", "fields", "line", "error", NULL };

const struct config_field *
config_field_find(const struct config *c, const char *key)
{
	for (int i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].key, key) == 0)
			return &c->fields[i];
	return NULL;
}

/*
 * The { key: value } pairs of a list item whose MAPPING-START has been
 * read, each passed to fn (which reports its own errors through config_at
 * and returns -1); anything but scalar pairs is an error naming path.
 */
typedef int (*config_pair_fn)(struct config_loader *l, const char *k,
	const yaml_event_t *kev, const char *v, size_t vlen,
	const yaml_event_t *vev, void *arg);

static int
config_pairs(struct config_loader *l, const char *path, config_pair_fn fn,
	void *arg)
{
	char seen[16][24];
	yaml_event_t kev, vev;
	int r = 0, nseen = 0;

	for (;;) {
		if (config_next(l, &kev) < 0)
			return -1;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			return 0;
		}
		/* A key given twice is a mistake, as at the top level. */
		if (kev.type == YAML_SCALAR_EVENT) {
			const char *k = (const char *)kev.data.scalar.value;

			for (int i = 0; i < nseen; i++)
				if (strcmp(seen[i], k) == 0) {
					r = config_at(l, &kev.start_mark, "%s: "
						"duplicate key '%s'", path, seen[i]);
					yaml_event_delete(&kev);
					return r;
				}
			if (nseen < 16 && strlen(k) < sizeof seen[0])
				snprintf(seen[nseen++], sizeof seen[0], "%s", k);
		}
		if (config_next(l, &vev) < 0) {
			yaml_event_delete(&kev);
			return -1;
		}
		if (kev.type != YAML_SCALAR_EVENT || vev.type != YAML_SCALAR_EVENT)
			r = config_at(l, &kev.start_mark, "%s: expected key: "
				"value pairs", path);
		else
			r = fn(l, (const char *)kev.data.scalar.value, &kev,
				(const char *)vev.data.scalar.value,
				vev.data.scalar.length, &vev, arg);
		yaml_event_delete(&kev);
		yaml_event_delete(&vev);
		if (r < 0)
			return -1;
	}
}

/* An unknown key of a list item: quoted, with the keys it takes. */
static int
config_unknown_key(struct config_loader *l, const char *path,
	const yaml_event_t *kev, const char *keys)
{
	char q[CONFIG_QUOTE_MAX * 4 + 8];

	config_quote((const char *)kev->data.scalar.value,
		kev->data.scalar.length, q, sizeof q);
	return config_at(l, &kev->start_mark, "%s: unknown key '%s' (%s)", path,
		q, keys);
}

/* One { key, label, type } mapping; its MAPPING-START has been read. */
struct field_item {
	struct config_field *f;
	int have_key, have_label;
};

static int
config_field_pair(struct config_loader *l, const char *k,
	const yaml_event_t *kev, const char *v, size_t vlen,
	const yaml_event_t *vev, void *arg)
{
	struct field_item *it = arg;
	struct config_field *f = it->f;

	if (strcmp(k, "key") == 0) {
		size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_");

		if (vlen == 0 || vlen >= sizeof f->key || n != vlen ||
		    !(v[0] >= 'a' && v[0] <= 'z'))
			return config_at(l, &vev->start_mark, "customers.fields: "
				"a key is lower-case letters, digits and _, "
				"starting with a letter, at most 31");
		for (int i = 0; config_reserved_keys[i] != NULL; i++)
			if (strcmp(v, config_reserved_keys[i]) == 0)
				return config_at(l, &vev->start_mark,
					"customers.fields: '%s' is a built-in "
					"column", v);
		memcpy(f->key, v, vlen + 1);
		it->have_key = 1;
	} else if (strcmp(k, "label") == 0) {
		if (vlen == 0 || vlen >= sizeof f->label ||
		    config_clean_text(v, vlen) != 0)
			return config_at(l, &vev->start_mark, "customers.fields: "
				"a label is text of 1 to 63 bytes");
		memcpy(f->label, v, vlen + 1);
		it->have_label = 1;
	} else if (strcmp(k, "type") == 0) {
		int t;

		for (t = 0; config_field_types[t] != NULL; t++)
			if (strcmp(v, config_field_types[t]) == 0)
				break;
		if (config_field_types[t] == NULL)
			return config_at(l, &vev->start_mark, "customers.fields: "
				"type is text, number or date");
		f->type = t;
	} else
		return config_unknown_key(l, "customers.fields", kev,
			"key, label, type");
	return 0;
}

static int
config_field_item(struct config_loader *l, const yaml_mark_t *start,
	struct config_field *f)
{
	struct field_item it = { f, 0, 0 };

	memset(f, 0, sizeof *f);
	if (config_pairs(l, "customers.fields", config_field_pair, &it) < 0)
		return -1;
	if (!it.have_key)
		return config_at(l, start, "customers.fields: each field needs "
			"a key");
	if (!it.have_label)
		memcpy(f->label, f->key, sizeof f->key);
	return 0;
}

/* A list option: a sequence of mappings; ev is its first event. */
static int
config_list(struct config_loader *l, const struct config_option *o,
	yaml_event_t *ev)
{
	const struct config_list *li = o->list;
	struct config *c = l->c;
	int *count = (int *)(void *)((char *)c + li->count);
	yaml_event_t item;

	li->reset(c);
	if (ev->type == YAML_SCALAR_EVENT && config_is_null(ev))
		return 0;
	*count = 0;
	if (ev->type != YAML_SEQUENCE_START_EVENT)
		return config_at(l, &ev->start_mark, "%s: expected a list of "
			"%s mappings", o->path, li->what);
	for (;;) {
		if (config_next(l, &item) < 0)
			return -1;
		if (item.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&item);
			return 0;
		}
		if (item.type != YAML_MAPPING_START_EVENT) {
			config_at(l, &item.start_mark, "%s: expected a mapping "
				"like %s", o->path, li->what);
			yaml_event_delete(&item);
			return -1;
		}
		if (*count == li->max) {
			config_at(l, &item.start_mark, "%s: at most %d entries",
				o->path, li->max);
			yaml_event_delete(&item);
			return -1;
		}
		if (li->item(l, &item.start_mark, c, *count) < 0 ||
		    (li->check != NULL &&
			li->check(l, &item.start_mark, c, *count) < 0)) {
			yaml_event_delete(&item);
			return -1;
		}
		(*count)++;
		yaml_event_delete(&item);
	}
}

static int
config_fields_check(struct config_loader *l, const yaml_mark_t *start,
	struct config *c, int index)
{
	for (int i = 0; i < index; i++)
		if (strcmp(c->fields[i].key, c->fields[index].key) == 0)
			return config_at(l, start, "customers.fields: key '%s' "
				"declared twice", c->fields[index].key);
	return 0;
}

static void
config_fields_format(struct config_out *out, const struct config *c)
{
	config_out_char(out, '[');
	for (int f = 0; f < c->nfields; f++) {
		const struct config_field *cf = &c->fields[f];

		config_out_str(out, f ? ", { key: " : "{ key: ");
		config_out_quoted(out, cf->key, strlen(cf->key));
		config_out_str(out, ", label: ");
		config_out_quoted(out, cf->label, strlen(cf->label));
		config_out_str(out, ", type: ");
		config_out_str(out, config_field_types[cf->type]);
		config_out_str(out, " }");
	}
	config_out_char(out, ']');
}

static void
config_fields_reset(struct config *c)
{
	memset(c->fields, 0, sizeof c->fields);
	c->nfields = 0;
}

static int
config_field_item_at(struct config_loader *l, const yaml_mark_t *start,
	struct config *c, int index)
{
	return config_field_item(l, start, &c->fields[index]);
}

static const struct config_list config_fields_list = {
	"{ key, label, type }", CONFIG_FIELDS_MAX,
	offsetof(struct config, nfields), config_field_item_at,
	config_fields_check, config_fields_format, config_fields_reset,
};

/* One { name, threshold, multiplier } mapping. */
struct tier_item {
	struct config_tier *t;
	int have_name, have_threshold;
};

static int
config_tier_pair(struct config_loader *l, const char *k,
	const yaml_event_t *kev, const char *v, size_t vlen,
	const yaml_event_t *vev, void *arg)
{
	struct tier_item *it = arg;
	struct config_tier *t = it->t;
	int64_t x;
	int n;

	if (strcmp(k, "name") == 0) {
		if (vlen == 0 || vlen >= sizeof t->name ||
		    config_clean_text(v, vlen) != 0)
			return config_at(l, &vev->start_mark, "loyalty.tiers: a "
				"name is text of 1 to 31 bytes");
		memcpy(t->name, v, vlen + 1);
		it->have_name = 1;
	} else if (strcmp(k, "threshold") == 0) {
		if (config_parse_int(v, 1, 1000000000, &n) < 0)
			return config_at(l, &vev->start_mark, "loyalty.tiers: a "
				"threshold is a number of points from 1 to "
				"1000000000");
		t->threshold = n;
		it->have_threshold = 1;
	} else if (strcmp(k, "multiplier") == 0) {
		if (vlen > 12 || util_decimal_parse(v, 4, &x) < 0 ||
		    x < CONFIG_SCALE || x > 100 * CONFIG_SCALE)
			return config_at(l, &vev->start_mark, "loyalty.tiers: a "
				"multiplier is a decimal from 1 to 100 like "
				"\"1.25\"");
		t->multiplier = (long)x;
	} else
		return config_unknown_key(l, "loyalty.tiers", kev,
			"name, threshold, multiplier");
	return 0;
}

static int
config_tier_item(struct config_loader *l, const yaml_mark_t *start,
	struct config *c, int index)
{
	struct tier_item it = { &c->tiers[index], 0, 0 };

	memset(it.t, 0, sizeof *it.t);
	it.t->multiplier = CONFIG_SCALE;
	if (config_pairs(l, "loyalty.tiers", config_tier_pair, &it) < 0)
		return -1;
	if (!it.have_name || !it.have_threshold)
		return config_at(l, start, "loyalty.tiers: each tier needs a "
			"name and a threshold");
	return 0;
}

static int
config_tiers_check(struct config_loader *l, const yaml_mark_t *start,
	struct config *c, int index)
{
	const struct config_tier *t = &c->tiers[index];

	for (int i = 0; i < index; i++)
		if (strcmp(c->tiers[i].name, t->name) == 0)
			return config_at(l, start, "loyalty.tiers: tier '%s' "
				"named twice", t->name);
	if (index > 0 && t->threshold <= c->tiers[index - 1].threshold)
		return config_at(l, start, "loyalty.tiers: thresholds must "
			"rise from one tier to the next");
	return 0;
}

static void
config_tiers_format(struct config_out *out, const struct config *c)
{
	char num[64];

	config_out_char(out, '[');
	for (int i = 0; i < c->ntiers; i++) {
		const struct config_tier *t = &c->tiers[i];

		config_out_str(out, i ? ", { name: " : "{ name: ");
		config_out_quoted(out, t->name, strlen(t->name));
		snprintf(num, sizeof num, ", threshold: %ld, multiplier: \"",
			t->threshold);
		config_out_str(out, num);
		util_decimal_format(t->multiplier, 4, num, sizeof num);
		/* "1.2500" reads back the same as "1.25": print the short. */
		for (size_t n = strlen(num); num[n - 1] == '0'; n--)
			num[n - 1] = '\0';
		if (num[strlen(num) - 1] == '.')
			num[strlen(num) - 1] = '\0';
		config_out_str(out, num);
		config_out_str(out, "\" }");
	}
	config_out_char(out, ']');
}

static void
config_tiers_reset(struct config *c)
{
	static const struct config_tier def[] = {
		{ "Silver", 1000, 12500 },
		{ "Gold", 5000, 15000 },
	};

	memset(c->tiers, 0, sizeof c->tiers);
	memcpy(c->tiers, def, sizeof def);
	c->ntiers = (int)(sizeof def / sizeof def[0]);
}

static const struct config_list config_tiers_list = {
	"{ name, threshold, multiplier }", CONFIG_TIERS_MAX,
	offsetof(struct config, ntiers), config_tier_item, config_tiers_check,
	config_tiers_format, config_tiers_reset,
};

const char *const config_rule_kinds[] = { "purchase", "birthday", "lapsed",
	"first_visit", "tier", NULL };
static const char *const config_priorities[] = { "low", "normal", "high",
	NULL };

/* One tasks.rules mapping. */
struct rule_item {
	struct config_rule *r;
	int have_name, have_on;
};

/* The index of v in a NULL-terminated list, or -1. */
static int
config_word(const char *const *words, const char *v)
{
	for (int i = 0; words[i] != NULL; i++)
		if (strcmp(v, words[i]) == 0)
			return i;
	return -1;
}

static int
config_rule_pair(struct config_loader *l, const char *k,
	const yaml_event_t *kev, const char *v, size_t vlen,
	const yaml_event_t *vev, void *arg)
{
	struct rule_item *it = arg;
	struct config_rule *r = it->r;
	int64_t x;
	int n;

	if (strcmp(k, "name") == 0 || strcmp(k, "title") == 0 ||
	    strcmp(k, "assign") == 0) {
		char *dst = k[0] == 'n' ? r->name : k[0] == 't' ? r->title :
		    r->assign;
		size_t cap = k[0] == 'n' ? sizeof r->name : k[0] == 't' ?
		    sizeof r->title : sizeof r->assign;

		if (vlen == 0 || vlen >= cap || config_clean_text(v, vlen) != 0)
			return config_at(l, &vev->start_mark, "tasks.rules: %s "
				"is text of 1 to %zu bytes", k, cap - 1);
		memcpy(dst, v, vlen + 1);
		it->have_name |= k[0] == 'n';
	} else if (strcmp(k, "on") == 0) {
		if ((r->on = config_word(config_rule_kinds, v)) < 0)
			return config_at(l, &vev->start_mark, "tasks.rules: on "
				"is purchase, birthday, lapsed, first_visit or "
				"tier");
		it->have_on = 1;
	} else if (strcmp(k, "priority") == 0) {
		if ((r->priority = config_word(config_priorities, v)) < 0)
			return config_at(l, &vev->start_mark, "tasks.rules: "
				"priority is low, normal or high");
	} else if (strcmp(k, "min_total") == 0 ||
	    strcmp(k, "min_lifetime_spend") == 0) {
		char *dst = k[4] == 't' ? r->min_total : r->min_lifetime_spend;

		if (vlen >= sizeof r->min_total ||
		    util_decimal_parse(v, 4, &x) < 0 || x < 0)
			return config_at(l, &vev->start_mark, "tasks.rules: %s "
				"is an amount like \"2000\"", k);
		memcpy(dst, v, vlen + 1);
	} else if (strcmp(k, "days_before") == 0 || strcmp(k, "days") == 0 ||
	    strcmp(k, "due_in_days") == 0) {
		if (config_parse_int(v, 0, 3650, &n) < 0)
			return config_at(l, &vev->start_mark, "tasks.rules: %s "
				"is a number of days from 0 to 3650", k);
		if (strcmp(k, "days") == 0)
			r->days = n;
		else if (strcmp(k, "days_before") == 0)
			r->days_before = n;
		else
			r->due_in_days = n;
	} else
		return config_unknown_key(l, "tasks.rules", kev, "name, on, "
			"min_total, days_before, days, min_lifetime_spend, "
			"due_in_days, assign, priority, title");
	return 0;
}

static int
config_rule_item(struct config_loader *l, const yaml_mark_t *start,
	struct config *c, int index)
{
	struct rule_item it = { &c->rules[index], 0, 0 };
	struct config_rule *r = it.r;

	memset(r, 0, sizeof *r);
	r->on = -1;
	r->priority = 1;
	if (config_pairs(l, "tasks.rules", config_rule_pair, &it) < 0)
		return -1;
	if (!it.have_name || !it.have_on)
		return config_at(l, start, "tasks.rules: each rule needs a "
			"name and on");
	if ((r->on == RULE_LAPSED || r->on == RULE_FIRST_VISIT) && r->days == 0)
		return config_at(l, start, "tasks.rules: rule '%s' needs days",
			r->name);
	return 0;
}

static int
config_rules_check(struct config_loader *l, const yaml_mark_t *start,
	struct config *c, int index)
{
	for (int i = 0; i < index; i++)
		if (strcmp(c->rules[i].name, c->rules[index].name) == 0)
			return config_at(l, start, "tasks.rules: rule '%s' "
				"named twice", c->rules[index].name);
	return 0;
}

static void
config_rules_format(struct config_out *out, const struct config *c)
{
	char num[32];

	config_out_char(out, '[');
	for (int i = 0; i < c->nrules; i++) {
		const struct config_rule *r = &c->rules[i];

		config_out_str(out, i ? ", { name: " : "{ name: ");
		config_out_quoted(out, r->name, strlen(r->name));
		config_out_str(out, ", on: ");
		config_out_str(out, config_rule_kinds[r->on]);
		if (r->min_total[0] != '\0') {
			config_out_str(out, ", min_total: ");
			config_out_quoted(out, r->min_total,
			    strlen(r->min_total));
		}
		/* Every key that is set, so the rule reads back the same. */
		if (r->days_before > 0 || r->on == RULE_BIRTHDAY) {
			snprintf(num, sizeof num, ", days_before: %d",
			    r->days_before);
			config_out_str(out, num);
		}
		if (r->days > 0) {
			snprintf(num, sizeof num, ", days: %d", r->days);
			config_out_str(out, num);
		}
		if (r->min_lifetime_spend[0] != '\0') {
			config_out_str(out, ", min_lifetime_spend: ");
			config_out_quoted(out, r->min_lifetime_spend,
			    strlen(r->min_lifetime_spend));
		}
		snprintf(num, sizeof num, ", due_in_days: %d", r->due_in_days);
		config_out_str(out, num);
		if (r->assign[0] != '\0') {
			config_out_str(out, ", assign: ");
			config_out_quoted(out, r->assign, strlen(r->assign));
		}
		config_out_str(out, ", priority: ");
		config_out_str(out, config_priorities[r->priority]);
		if (r->title[0] != '\0') {
			config_out_str(out, ", title: ");
			config_out_quoted(out, r->title, strlen(r->title));
		}
		config_out_str(out, " }");
	}
	config_out_char(out, ']');
}

static void
config_rules_reset(struct config *c)
{
	memset(c->rules, 0, sizeof c->rules);
	c->nrules = 0;
}

static const struct config_list config_rules_list = {
	"{ name, on, ... }", CONFIG_RULES_MAX,
	offsetof(struct config, nrules), config_rule_item, config_rules_check,
	config_rules_format, config_rules_reset,
};

/* The value of option row i; ev is its first event. */
static int
config_value(struct config_loader *l, int i, yaml_event_t *ev)
{
	const struct config_option *o = &config_options[i];
	char want[256], got[CONFIG_QUOTE_MAX * 4 + 16];
	struct perr sub;

	if (o->type == CONFIG_LIST)
		return config_list(l, o, ev);
	if (ev->type != YAML_SCALAR_EVENT) {
		config_describe(o, want, sizeof want);
		config_got(ev, got, sizeof got);
		return perr_at(l->e, PX_CONFIG, l->name,
			config_mark_int(ev->start_mark.line),
			config_mark_int(ev->start_mark.column),
			"%s: expected %s, got %s", o->path, want, got);
	}
	if (config_is_null(ev))
		return config_option_set(o, l->c, o->def, strlen(o->def),
			l->e);
	if (config_option_set(o, l->c, (const char *)ev->data.scalar.value,
		ev->data.scalar.length, &sub) < 0)
		return config_at(l, &ev->start_mark, "%s", sub.msg);
	return 0;
}

/* The value of section path; ev is its first event. */
static int
config_section(struct config_loader *l, const char *path, yaml_event_t *ev)
{
	char got[CONFIG_QUOTE_MAX * 4 + 16];

	if (ev->type == YAML_MAPPING_START_EVENT)
		return config_mapping(l, path);
	if (ev->type == YAML_SCALAR_EVENT && config_is_null(ev))
		return 0;
	config_got(ev, got, sizeof got);
	return config_at(l, &ev->start_mark, "%s: expected a mapping, got %s",
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
		if (config_next(l, &kev) < 0)
			goto out;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			break;
		}
		if (kev.type != YAML_SCALAR_EVENT) {
			config_got(&kev, key, sizeof key);
			config_at(l, &kev.start_mark,
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
			config_at(l, &kev.start_mark, "unknown key '%s'%s", shown,
				memchr(k, '.', klen) != NULL ?
				" (write sections as nested mappings)" : "");
			yaml_event_delete(&kev);
			goto out;
		}
		if (first[i] != 0) {
			config_at(l, &kev.start_mark,
				"duplicate key '%s' (first on line %d)", path,
				first[i]);
			yaml_event_delete(&kev);
			goto out;
		}
		first[i] = config_mark_int(kev.start_mark.line);
		yaml_event_delete(&kev);

		if (config_next(l, &vev) < 0)
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

	if (config_next(l, &ev) < 0)
		return -1;
	yaml_event_delete(&ev);			/* STREAM-START */
	if (config_next(l, &ev) < 0)
		return -1;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev);			/* DOCUMENT-START */
	if (config_next(l, &ev) < 0)
		return -1;
	if (ev.type == YAML_MAPPING_START_EVENT)
		r = config_mapping(l, "");
	else if (ev.type == YAML_SCALAR_EVENT && config_is_null(&ev))
		r = 0;
	else {
		config_got(&ev, got, sizeof got);
		r = config_at(l, &ev.start_mark,
			"expected a mapping at the top level, got %s", got);
	}
	yaml_event_delete(&ev);
	if (r < 0)
		return -1;
	if (config_next(l, &ev) < 0)
		return -1;
	yaml_event_delete(&ev);			/* DOCUMENT-END */
	if (config_next(l, &ev) < 0)
		return -1;
	if (ev.type != YAML_STREAM_END_EVENT) {
		r = config_at(l, &ev.start_mark,
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
