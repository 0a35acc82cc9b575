/*
 * config: the option table of patron.yaml(5), the only place an option is
 * described, and its values: defaults, checks, parsing one value and
 * writing it back. The loader (config_load.c), the list options
 * (config_list.c) and config_print (config_print.c) all walk the table.
 */
#include "patron/config.h"
#include "patron/config_impl.h"
#include "patron/keys.h"
#include "patron/priv.h"
#include "patron/safe.h"
#include "patron/utf8.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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
	{ "customers.fields", LIST(config_list_fields), "[]",
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
	{ "loyalty.tiers", LIST(config_list_tiers),
	  "[{ name: Silver, threshold: 1000, multiplier: \"1.25\" }, "
	  "{ name: Gold, threshold: 5000, multiplier: \"1.5\" }]",
	  "Tiers by points earned in 12 months: { name, threshold, "
	  "multiplier }" },
	{ "tasks.rules", LIST(config_list_rules), "[]",
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

void
config_out_char(struct config_out *o, char ch)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = ch;
	o->pos++;
	if (o->len > 0)
		o->buf[o->pos < o->len ? o->pos : o->len - 1] = '\0';
}

void
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
void
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
void
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
int
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

int
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
void
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

const struct config_field *
config_field_find(const struct config *c, const char *key)
{
	for (int i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].key, key) == 0)
			return &c->fields[i];
	return NULL;
}
