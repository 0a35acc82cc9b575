/*
 * view_customer_form: new customer (from the lookup) or edit (from the
 * customer view), on the shared form engine. Saving a new customer opens
 * it; a refusal (a phone already on file, say) stays on the form.
 */
#include "patron/view_customer_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/customer.h"
#include "patron/form.h"
#include "patron/phone.h"
#include "patron/utf8.h"
#include "patron/util.h"

enum { F_NAME, F_PHONE, F_EMAIL, F_BIRTHDAY, F_CARD, F_TAGS, F_NOTES,
	F_CONSENT, F_COUNT };

struct cform {
	int64_t id;		/* 0: new */
	void (*added)(struct ui *u, int64_t id);	/* after a new one */
	int consent;		/* as loaded: record only a change */
	int masked;		/* phone and email not shown: empty keeps */
	struct form form;
	struct form_field fields[F_COUNT + CONFIG_FIELDS_MAX];
	char title[160];
	/* The phone and email a duplicate was reported for: F2 again with
	 * them unchanged saves anyway (the command line's --allow-duplicate). */
	char *dup;
};

static const enum action cform_bar[] = { ACT_HELP, ACT_NEXT_FIELD, ACT_SAVE,
	ACT_BACK, ACT_NONE };

static const char *
check_name(const char *v, const struct config *cfg)
{
	(void)cfg;
	return utf8_check(v, CUSTOMER_NAME_MAX, 0) ? "too long or not text" :
	    NULL;
}

static const char *
check_phone(const char *v, const struct config *cfg)
{
	char out[PHONE_MAX + 1];

	return v[0] == '\0' ? NULL : phone_normalize(v, cfg->store_country, out);
}

static const char *
check_email(const char *v, const struct config *cfg)
{
	(void)cfg;
	return v[0] == '\0' ? NULL : customer_check_email(v);
}

static const char *
check_birthday(const char *v, const struct config *cfg)
{
	(void)cfg;
	return v[0] == '\0' ? NULL : customer_check_birthday(v);
}

static const char *
check_card(const char *v, const struct config *cfg)
{
	char out[64];

	(void)cfg;
	return v[0] == '\0' ? NULL : customer_check_card(v, out, sizeof out);
}

static const char *
check_tags(const char *v, const struct config *cfg)
{
	char *copy = xstrdup(v);
	size_t n = 0;
	const char *why = NULL;

	(void)cfg;
	for (char *p = strtok(copy, ",;"); p != NULL && why == NULL;
	     p = strtok(NULL, ",;")) {
		util_trim(p);
		if (*p == '\0')
			continue;
		if (++n > CUSTOMER_TAGS_MAX)
			why = "at most 32 tags";
		else if (utf8_check(p, CUSTOMER_TAG_MAX, 0) != NULL)
			why = "a tag has at most 32 characters";
	}
	free(copy);
	return why;
}

static const char *
check_notes(const char *v, const struct config *cfg)
{
	(void)cfg;
	return utf8_check(v, CUSTOMER_NOTES_MAX, 1) ? "too long or not text" :
	    NULL;
}

static const char *
check_consent(const char *v, const struct config *cfg)
{
	(void)cfg;
	return v[0] == '\0' || strcmp(v, "yes") == 0 || strcmp(v, "no") == 0 ?
	    NULL : "yes, no or empty";
}

static const char *
check_custom_number(const char *v, const struct config *cfg)
{
	(void)cfg;
	return v[0] == '\0' ? NULL : customer_check_number(v);
}

static const char *
check_custom_date(const char *v, const struct config *cfg)
{
	(void)cfg;
	return v[0] == '\0' ? NULL : customer_check_date(v);
}

static const char *
check_custom_text(const char *v, const struct config *cfg)
{
	(void)cfg;
	return utf8_check(v, CUSTOMER_FIELD_MAX, 0) ? "too long or not text" :
	    NULL;
}

static void
cform_draw(struct view *v, struct ui *u, WINDOW *w)
{
	struct cform *cf = v->data;

	form_draw(&cf->form, u, w, v);
}

/* Tags as typed: separated by commas (or semicolons). */
static size_t
cform_tags(char *buf, const char **tags, size_t max)
{
	size_t n = 0;

	for (char *p = strtok(buf, ",;"); p != NULL && n < max;
	     p = strtok(NULL, ",;")) {
		util_trim(p);
		if (*p != '\0')
			tags[n++] = p;
	}
	return n;
}

static int
cform_save(struct view *v, struct ui *u)
{
	struct cform *cf = v->data;
	struct customer_input in;
	const char *tags[CUSTOMER_TAGS_MAX], *kv[CONFIG_FIELDS_MAX];
	char *tagbuf, *owned[CONFIG_FIELDS_MAX];
	const char *consent = cf->fields[F_CONSENT].f.buf;
	struct form *fm = &cf->form;
	char *dup;
	struct perr e;
	int64_t id;
	int rc, nkv = 0;

	/*
	 * An edit passes only what was changed (NULL keeps a field as it
	 * is), so saving a form left as it was writes nothing at all.
	 */
#define CF_VALUE(i) (cf->id == 0 || form_changed(fm, (i)) ? \
	cf->fields[(i)].f.buf : NULL)
	customer_input_init(&in);
	in.name = CF_VALUE(F_NAME);
	in.phone = CF_VALUE(F_PHONE);
	in.email = CF_VALUE(F_EMAIL);
	/* Masked and left empty: unchanged. */
	if (cf->masked && in.phone != NULL && in.phone[0] == '\0')
		in.phone = NULL;
	if (cf->masked && in.email != NULL && in.email[0] == '\0')
		in.email = NULL;
	in.birthday = CF_VALUE(F_BIRTHDAY);
	in.card = CF_VALUE(F_CARD);
	in.notes = CF_VALUE(F_NOTES);
	tagbuf = xstrdup(cf->fields[F_TAGS].f.buf);
	in.tags = tags;
	in.ntags = cform_tags(tagbuf, tags, CUSTOMER_TAGS_MAX);
	in.set_tags = CF_VALUE(F_TAGS) != NULL;
	if (strcmp(consent, "yes") == 0)
		in.consent = 1;
	else if (strcmp(consent, "no") == 0)
		in.consent = 0;
	if (in.consent == cf->consent)
		in.consent = -1;
	for (int i = 0; i < u->cfg->nfields; i++) {
		if (CF_VALUE(F_COUNT + i) == NULL)
			continue;
		owned[nkv] = xasprintf("%s=%s", u->cfg->fields[i].key,
			cf->fields[F_COUNT + i].f.buf);
		kv[nkv] = owned[nkv];
		nkv++;
	}
#undef CF_VALUE
	in.fields = kv;
	in.nfields = (size_t)nkv;
	in.welcome = 1;
	dup = xasprintf("%s\n%s", cf->fields[F_PHONE].f.buf,
	    cf->fields[F_EMAIL].f.buf);
	in.allow_duplicate = cf->dup != NULL && strcmp(cf->dup, dup) == 0;
	if (cf->id != 0 && in.name == NULL && in.phone == NULL &&
	    in.email == NULL && in.birthday == NULL && in.card == NULL &&
	    in.notes == NULL && !in.set_tags && in.consent < 0 && nkv == 0) {
		free(tagbuf);
		free(dup);
		ui_say(u, 0, "Nothing changed.");
		return UI_POP;
	}
	if (cf->id == 0)
		rc = customer_add(u->store, u->cfg, &in, u->who.id, &id, &e);
	else
		rc = customer_edit(u->store, u->cfg, cf->id, &in, u->who.id, &e);
	for (int i = 0; i < nkv; i++)
		free(owned[i]);
	free(tagbuf);
	if (rc < 0) {
		/* The command line's way past a duplicate is a flag; here it
		 * is F2 again. */
		char *flag = strstr(e.msg, "; --allow-duplicate");

		free(cf->dup);
		cf->dup = NULL;
		if (flag != NULL) {
			*flag = '\0';
			cf->dup = dup;
			dup = NULL;
		}
		snprintf(cf->form.error, sizeof cf->form.error, "Not saved: "
		    "%s%s", e.msg, flag != NULL ? ". F2 again saves it all "
		    "the same; or change it." : "");
		free(dup);
		return UI_HANDLED;
	}
	free(dup);
	if (cf->id == 0) {
		ui_say(u, 0, "Customer %lld added.", (long long)id);
		if (cf->added != NULL)
			cf->added(u, id);
	} else
		ui_say(u, 0, "Saved.");
	return UI_POP;
}

static int
cform_key(struct view *v, struct ui *u, const struct ui_key *k)
{
	struct cform *cf = v->data;

	switch (form_key(&cf->form, u, k)) {
	case FORM_SAVE:
		return cform_save(v, u);
	case FORM_CANCEL:
		ui_say(u, 0, "Not saved.");
		return UI_POP;
	case FORM_QUIT:
		return UI_QUIT;
	case FORM_HANDLED:
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

static void
cform_free(struct view *v)
{
	struct cform *cf = v->data;

	form_free(&cf->form);
	free(cf->dup);
	free(v->data);
	free(v);
}

static int
cform_bar_item(struct view *v, struct ui *u, enum action a,
	const char **label)
{
	struct cform *cf = v->data;

	(void)u;
	return form_bar_item(&cf->form, a, label);
}

static const struct view_ops cform_ops = {
	.name = "customer-form",
	.draw = cform_draw,
	.key = cform_key,
	.free = cform_free,
	.bar = cform_bar,
	.bar_item = cform_bar_item,
};

struct view *
view_customer_form_new(struct ui *u, int64_t id,
	void (*added)(struct ui *u, int64_t id))
{
	static const struct {
		const char *label;
		int required;
		const char *(*check)(const char *, const struct config *);
		size_t max;
	} spec[F_COUNT] = {
		/* What the command line takes (customer.h, phone.h). */
		[F_NAME] = { "Name", 1, check_name, CUSTOMER_NAME_MAX },
		[F_PHONE] = { "Phone", 0, check_phone, PHONE_TEXT_MAX },
		[F_EMAIL] = { "Email", 0, check_email, CUSTOMER_EMAIL_MAX },
		[F_BIRTHDAY] = { "Birthday", 0, check_birthday,
			CUSTOMER_DATE_TEXT_MAX },
		[F_CARD] = { "Card", 0, check_card, CUSTOMER_CARD_TEXT_MAX },
		/* 32 tags of 32 characters, each with ", " */
		[F_TAGS] = { "Tags", 0, check_tags,
			CUSTOMER_TAGS_MAX * (CUSTOMER_TAG_MAX + 2) },
		[F_NOTES] = { "Notes", 0, check_notes, CUSTOMER_NOTES_MAX },
		[F_CONSENT] = { "Marketing ok", 0, check_consent, 3 },
	};
	struct view *v = xcalloc(1, sizeof *v);
	struct cform *cf = xcalloc(1, sizeof *cf);
	struct customer c;
	struct perr e;

	cf->id = id;
	cf->added = added;
	cf->consent = -1;
	for (int i = 0; i < F_COUNT; i++) {
		cf->fields[i].label = spec[i].label;
		cf->fields[i].required = spec[i].required;
		cf->fields[i].check = spec[i].check;
		field_init(&cf->fields[i].f, spec[i].max, 0);
	}
	field_limit_bytes(&cf->fields[F_EMAIL].f, CUSTOMER_EMAIL_MAX);
	for (int i = 0; i < u->cfg->nfields; i++) {
		const struct config_field *d = &u->cfg->fields[i];
		struct form_field *ff = &cf->fields[F_COUNT + i];

		ff->label = d->label;
		ff->check = d->type == CONFIG_FIELD_NUMBER ? check_custom_number :
		    d->type == CONFIG_FIELD_DATE ? check_custom_date :
		    check_custom_text;
		field_init(&ff->f, CUSTOMER_FIELD_MAX, 0);
	}
	cf->form.fields = cf->fields;
	cf->form.n = F_COUNT + u->cfg->nfields;
	cf->form.title = cf->title;
	snprintf(cf->title, sizeof cf->title, "New customer");
	if (id > 0 && customer_get(u->store, id, &c, &e) == 0) {
		char *tags = xstrdup(""), phone[64] = "";

		snprintf(cf->title, sizeof cf->title, "Edit customer #%lld",
			(long long)id);
		if (c.phone != NULL)
			phone_format(c.phone, phone, sizeof phone);
		field_set(&cf->fields[F_NAME].f, c.name ? c.name : "");
		/*
		 * Staff who see them masked may replace the phone and email
		 * but not read them off the form (unless revealed).
		 */
		cf->masked = ui_masked(u) && u->revealed != id;
		if (cf->masked) {
			cf->fields[F_PHONE].label = "Phone (new)";
			cf->fields[F_EMAIL].label = "Email (new)";
		} else {
			field_set(&cf->fields[F_PHONE].f, phone);
			field_set(&cf->fields[F_EMAIL].f, c.email ? c.email :
			    "");
		}
		field_set(&cf->fields[F_BIRTHDAY].f, c.birthday ? c.birthday : "");
		field_set(&cf->fields[F_CARD].f, c.card ? c.card : "");
		for (size_t i = 0; i < c.ntags; i++) {
			char *more = xasprintf("%s%s%s", tags, i ? ", " : "",
				c.tags[i]);

			free(tags);
			tags = more;
		}
		field_set(&cf->fields[F_TAGS].f, tags);
		free(tags);
		field_set(&cf->fields[F_NOTES].f, c.notes ? c.notes : "");
		field_set(&cf->fields[F_CONSENT].f, c.consent < 0 ? "" :
		    c.consent ? "yes" : "no");
		cf->consent = c.consent;
		for (int i = 0; i < u->cfg->nfields; i++) {
			char v[CUSTOMER_FIELD_MAX * 4 + 1];

			customer_field(u->store, &c, u->cfg->fields[i].key, v,
				sizeof v);
			field_set(&cf->fields[F_COUNT + i].f, v);
		}
		customer_free(&c);
		form_loaded(&cf->form);
	}
	form_check(&cf->form, u->cfg);
	v->ops = &cform_ops;
	v->data = cf;
	return v;
}
