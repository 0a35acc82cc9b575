/*
 * config_list: the options that are lists of mappings (customers.fields,
 * loyalty.tiers, tasks.rules): the reader of a list, and for each list how
 * an entry is read, checked against the earlier ones, written back and
 * reset to the default.
 */
#include "patron/config.h"
#include "patron/config_impl.h"

#include <stdio.h>
#include <string.h>

const char *const config_field_types[] = { "text", "number", "date", NULL };

/* Columns of customers that a custom field may not take as its key. */
static const char *const config_reserved_keys[] = { "id", "uuid", "name",
	"given_name", "family_name", "phone", "email", "birthday", "card",
	"tags", "notes", "marketing_consent", "points", "tier", "last_visit",
	"created_at", "updated_at", "fields", "line", "error", NULL };

/*
 * The { key: value } pairs of a list item whose MAPPING-START has been
 * read, each passed to fn (which reports its own errors through config_load_at
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
		if (config_load_next(l, &kev) < 0)
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
					r = config_load_at(l, &kev.start_mark, "%s: "
						"duplicate key '%s'", path, seen[i]);
					yaml_event_delete(&kev);
					return r;
				}
			if (nseen < 16 && strlen(k) < sizeof seen[0])
				snprintf(seen[nseen++], sizeof seen[0], "%s", k);
		}
		if (config_load_next(l, &vev) < 0) {
			yaml_event_delete(&kev);
			return -1;
		}
		if (kev.type != YAML_SCALAR_EVENT || vev.type != YAML_SCALAR_EVENT)
			r = config_load_at(l, &kev.start_mark, "%s: expected key: "
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
	return config_load_at(l, &kev->start_mark, "%s: unknown key '%s' (%s)", path,
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
			return config_load_at(l, &vev->start_mark, "customers.fields: "
				"a key is lower-case letters, digits and _, "
				"starting with a letter, at most 31");
		for (int i = 0; config_reserved_keys[i] != NULL; i++)
			if (strcmp(v, config_reserved_keys[i]) == 0)
				return config_load_at(l, &vev->start_mark,
					"customers.fields: '%s' is a built-in "
					"column", v);
		memcpy(f->key, v, vlen + 1);
		it->have_key = 1;
	} else if (strcmp(k, "label") == 0) {
		if (vlen == 0 || vlen >= sizeof f->label ||
		    config_clean_text(v, vlen) != 0)
			return config_load_at(l, &vev->start_mark, "customers.fields: "
				"a label is text of 1 to 63 bytes");
		memcpy(f->label, v, vlen + 1);
		it->have_label = 1;
	} else if (strcmp(k, "type") == 0) {
		int t;

		for (t = 0; config_field_types[t] != NULL; t++)
			if (strcmp(v, config_field_types[t]) == 0)
				break;
		if (config_field_types[t] == NULL)
			return config_load_at(l, &vev->start_mark, "customers.fields: "
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
		return config_load_at(l, start, "customers.fields: each field needs "
			"a key");
	if (!it.have_label)
		memcpy(f->label, f->key, sizeof f->key);
	return 0;
}

/* A list option: a sequence of mappings; ev is its first event. */
int
config_list_read(struct config_loader *l, const struct config_option *o,
	yaml_event_t *ev)
{
	const struct config_list *li = o->list;
	struct config *c = l->c;
	int *count = (int *)(void *)((char *)c + li->count);
	yaml_event_t item;

	li->reset(c);
	if (ev->type == YAML_SCALAR_EVENT && config_load_is_null(ev))
		return 0;
	*count = 0;
	if (ev->type != YAML_SEQUENCE_START_EVENT)
		return config_load_at(l, &ev->start_mark, "%s: expected a list of "
			"%s mappings", o->path, li->what);
	for (;;) {
		if (config_load_next(l, &item) < 0)
			return -1;
		if (item.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&item);
			return 0;
		}
		if (item.type != YAML_MAPPING_START_EVENT) {
			config_load_at(l, &item.start_mark, "%s: expected a mapping "
				"like %s", o->path, li->what);
			yaml_event_delete(&item);
			return -1;
		}
		if (*count == li->max) {
			config_load_at(l, &item.start_mark, "%s: at most %d entries",
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
			return config_load_at(l, start, "customers.fields: key '%s' "
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

const struct config_list config_list_fields = {
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
			return config_load_at(l, &vev->start_mark, "loyalty.tiers: a "
				"name is text of 1 to 31 bytes");
		memcpy(t->name, v, vlen + 1);
		it->have_name = 1;
	} else if (strcmp(k, "threshold") == 0) {
		if (config_parse_int(v, 1, 1000000000, &n) < 0)
			return config_load_at(l, &vev->start_mark, "loyalty.tiers: a "
				"threshold is a number of points from 1 to "
				"1000000000");
		t->threshold = n;
		it->have_threshold = 1;
	} else if (strcmp(k, "multiplier") == 0) {
		if (vlen > 12 || util_decimal_parse(v, 4, &x) < 0 ||
		    x < CONFIG_SCALE || x > 100 * CONFIG_SCALE)
			return config_load_at(l, &vev->start_mark, "loyalty.tiers: a "
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
		return config_load_at(l, start, "loyalty.tiers: each tier needs a "
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
			return config_load_at(l, start, "loyalty.tiers: tier '%s' "
				"named twice", t->name);
	if (index > 0 && t->threshold <= c->tiers[index - 1].threshold)
		return config_load_at(l, start, "loyalty.tiers: thresholds must "
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

const struct config_list config_list_tiers = {
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
			return config_load_at(l, &vev->start_mark, "tasks.rules: %s "
				"is text of 1 to %zu bytes", k, cap - 1);
		memcpy(dst, v, vlen + 1);
		it->have_name |= k[0] == 'n';
	} else if (strcmp(k, "on") == 0) {
		if ((r->on = config_word(config_rule_kinds, v)) < 0)
			return config_load_at(l, &vev->start_mark, "tasks.rules: on "
				"is purchase, birthday, lapsed, first_visit or "
				"tier");
		it->have_on = 1;
	} else if (strcmp(k, "priority") == 0) {
		if ((r->priority = config_word(config_priorities, v)) < 0)
			return config_load_at(l, &vev->start_mark, "tasks.rules: "
				"priority is low, normal or high");
	} else if (strcmp(k, "min_total") == 0 ||
	    strcmp(k, "min_lifetime_spend") == 0) {
		char *dst = k[4] == 't' ? r->min_total : r->min_lifetime_spend;

		if (vlen >= sizeof r->min_total ||
		    util_decimal_parse(v, 4, &x) < 0 || x < 0)
			return config_load_at(l, &vev->start_mark, "tasks.rules: %s "
				"is an amount like \"2000\"", k);
		memcpy(dst, v, vlen + 1);
	} else if (strcmp(k, "days_before") == 0 || strcmp(k, "days") == 0 ||
	    strcmp(k, "due_in_days") == 0) {
		if (config_parse_int(v, 0, 3650, &n) < 0)
			return config_load_at(l, &vev->start_mark, "tasks.rules: %s "
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
		return config_load_at(l, start, "tasks.rules: each rule needs a "
			"name and on");
	if ((r->on == RULE_LAPSED || r->on == RULE_FIRST_VISIT) && r->days == 0)
		return config_load_at(l, start, "tasks.rules: rule '%s' needs days",
			r->name);
	return 0;
}

static int
config_rules_check(struct config_loader *l, const yaml_mark_t *start,
	struct config *c, int index)
{
	for (int i = 0; i < index; i++)
		if (strcmp(c->rules[i].name, c->rules[index].name) == 0)
			return config_load_at(l, start, "tasks.rules: rule '%s' "
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

const struct config_list config_list_rules = {
	"{ name, on, ... }", CONFIG_RULES_MAX,
	offsetof(struct config, nrules), config_rule_item, config_rules_check,
	config_rules_format, config_rules_reset,
};
