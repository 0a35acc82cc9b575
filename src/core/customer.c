/*
 * customer: input cleaned and checked, duplicates, add, edit, get, list
 * (customer.h). The checks of single values are in customer_check.c,
 * resolving a reference in customer_resolve.c, merging in
 * customer_merge.c, the JSON form in customer_json.c.
 */
#include "patron/customer.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "patron/input.h"
#include "patron/json_quote.h"
#include "patron/loyalty.h"
#include "patron/phone.h"
#include "patron/utf8.h"
#include "patron/util.h"

/* Input checked and normalised, ready to be bound. NULL: not given. */
struct customer_clean {
	char *name, *given_name, *family_name;
	char *phone, *email, *birthday, *card, *notes;
	char **tags;
	size_t ntags;
	char *fields;		/* a JSON merge patch of custom fields, or NULL */
};

void
customer_input_init(struct customer_input *in)
{
	memset(in, 0, sizeof *in);
	in->consent = -1;
}

static void
clean_free(struct customer_clean *k)
{
	free(k->name);
	free(k->given_name);
	free(k->family_name);
	free(k->phone);
	free(k->email);
	free(k->birthday);
	free(k->card);
	free(k->notes);
	free(k->fields);
	for (size_t i = 0; i < k->ntags; i++)
		free(k->tags[i]);
	free(k->tags);
	memset(k, 0, sizeof *k);
}

/* A single-line text field: trimmed, checked; "" stays "" (clears). */
static int
clean_text(const char *what, const char *in, size_t max, int multiline,
	char **out, struct perr *e)
{
	const char *why;
	char *s;

	if (in == NULL)
		return 0;
	s = util_trim(xstrdup(in));
	if (multiline) {
		/* Line ends as Windows and old Macs write them: one newline. */
		char *o = s;

		for (const char *p = s; *p != '\0'; p++)
			if (*p == '\r') {
				*o++ = '\n';
				if (p[1] == '\n')
					p++;
			} else
				*o++ = *p;
		*o = '\0';
	}
	if ((why = utf8_check(s, max, multiline)) != NULL) {
		free(s);
		if (strcmp(why, "is too long") == 0)
			return perr_set(e, PX_DATAERR,
				"%s is too long (at most %zu characters)",
				what, max);
		return perr_set(e, PX_DATAERR, "%s %s", what, why);
	}
	*out = s;
	return 0;
}

/*
 * "key=value" pairs of custom fields, checked against customers.fields,
 * as a JSON merge patch ({"key": value, "gone": null}); NULL with e set.
 */
static char *
customer_fields_patch(const struct config *cfg, const char **kv, size_t n,
	struct perr *e)
{
	char *json = NULL, *plain = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&json, &len);

	if (out == NULL) {
		perr_set(e, PX_FAIL, "out of memory");
		return NULL;
	}
	fputc('{', out);
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(kv[i], '='), *v, *why = NULL;
		const struct config_field *f;
		char key[40];

		if (eq == NULL || (size_t)(eq - kv[i]) >= sizeof key) {
			perr_set(e, PX_DATAERR, "a custom field is KEY=VALUE");
			goto fail;
		}
		memcpy(key, kv[i], (size_t)(eq - kv[i]));
		key[eq - kv[i]] = '\0';
		if ((f = config_field_find(cfg, key)) == NULL) {
			perr_set(e, PX_DATAERR, "unknown custom field %s "
				"(declare it under customers.fields in the "
				"config)", utf8_check(key, 32, 0) ? "?" : key);
			goto fail;
		}
		v = eq + 1;
		free(plain);
		plain = NULL;
		if (f->type != CONFIG_FIELD_TEXT)	/* as people type */
			v = plain = input_fold(v);
		if (*v != '\0') {
			if (f->type == CONFIG_FIELD_NUMBER)
				why = customer_check_number(v);
			else if (f->type == CONFIG_FIELD_DATE)
				why = customer_check_date(v);
			else if ((why = utf8_check(v, CUSTOMER_FIELD_MAX, 0)) &&
			    strcmp(why, "is too long") == 0)
				why = "is too long (at most 200 characters)";
		}
		if (why != NULL) {
			perr_set(e, PX_DATAERR, "%s %s", key, why);
			goto fail;
		}
		fprintf(out, "%s\"%s\":", i ? "," : "", key);
		if (*v == '\0')
			fputs("null", out);	/* removes it */
		else if (f->type == CONFIG_FIELD_NUMBER)
			fputs(v, out);
		else
			json_quote(out, v);
	}
	fputc('}', out);
	free(plain);
	if (fclose(out) != 0) {
		free(json);
		perr_set(e, PX_FAIL, "out of memory");
		return NULL;
	}
	return json;
fail:
	free(plain);
	fclose(out);
	free(json);
	return NULL;
}

/* A trimmed value that check accepts; "" stays "" (clears). */
static int
clean_checked(const char *what, const char *in, const char *(*check)(
	const char *), char **out, struct perr *e)
{
	const char *why;

	if (in == NULL)
		return 0;
	*out = input_fold(in);	/* full-width forms, spaces */
	if ((*out)[0] != '\0' && (why = check(*out)) != NULL)
		return perr_set(e, PX_DATAERR, "%s %s", what, why);
	return 0;
}

static int
customer_clean(const struct config *cfg, const struct customer_input *in,
	int adding, struct customer_clean *k, struct perr *e)
{
	const char *why;
	char buf[64];

	memset(k, 0, sizeof *k);
	if (clean_text("name", in->name, CUSTOMER_NAME_MAX, 0, &k->name, e) < 0 ||
	    clean_text("given name", in->given_name, CUSTOMER_NAME_MAX, 0,
		&k->given_name, e) < 0 ||
	    clean_text("family name", in->family_name, CUSTOMER_NAME_MAX, 0,
		&k->family_name, e) < 0 ||
	    clean_text("notes", in->notes, CUSTOMER_NOTES_MAX, 1, &k->notes,
		e) < 0)
		goto fail;
	/* Given and family names make the name when none is typed. */
	if ((k->name == NULL || k->name[0] == '\0') &&
	    ((k->given_name && k->given_name[0]) ||
		(k->family_name && k->family_name[0]))) {
		free(k->name);
		k->name = xasprintf("%s%s%s",
			k->given_name ? k->given_name : "",
			k->given_name && k->given_name[0] && k->family_name &&
				k->family_name[0] ? " " : "",
			k->family_name ? k->family_name : "");
	}
	if ((adding || k->name != NULL) && (k->name == NULL || k->name[0] == '\0')) {
		perr_set(e, PX_DATAERR, "name is required");
		goto fail;
	}
	if (in->phone != NULL && in->phone[0] != '\0') {
		char e164[PHONE_MAX + 1];

		if ((why = phone_normalize(in->phone, cfg->store_country,
			     e164)) != NULL) {
			perr_set(e, PX_DATAERR, "phone %s", why);
			goto fail;
		}
		k->phone = xstrdup(e164);
	} else if (in->phone != NULL)
		k->phone = xstrdup("");
	if (clean_checked("email", in->email, customer_check_email, &k->email,
		e) < 0 ||
	    clean_checked("birthday", in->birthday, customer_check_birthday,
		&k->birthday, e) < 0)
		goto fail;
	if (in->card != NULL) {
		if (in->card[0] == '\0')
			k->card = xstrdup("");
		else if ((why = customer_check_card(in->card, buf,
				  sizeof buf)) != NULL) {
			perr_set(e, PX_DATAERR, "card %s", why);
			goto fail;
		} else
			k->card = xstrdup(buf);
	}
	if (in->ntags > CUSTOMER_TAGS_MAX) {
		perr_set(e, PX_DATAERR, "at most %d tags", CUSTOMER_TAGS_MAX);
		goto fail;
	}
	k->tags = xcalloc(in->ntags + 1, sizeof *k->tags);
	for (size_t i = 0; i < in->ntags; i++) {
		char *t = NULL;
		int dup = 0;

		if (clean_text("tag", in->tags[i], CUSTOMER_TAG_MAX, 0, &t, e) < 0)
			goto fail;
		if (t[0] == '\0' || strpbrk(t, ";,") != NULL) {
			free(t);
			perr_set(e, PX_DATAERR,
				"tag must not be empty nor hold ; or ,");
			goto fail;
		}
		for (size_t j = 0; j < k->ntags; j++)
			dup |= strcmp(k->tags[j], t) == 0;
		if (dup)
			free(t);
		else
			k->tags[k->ntags++] = t;
	}
	if (in->nfields > 0 &&
	    (k->fields = customer_fields_patch(cfg, in->fields, in->nfields,
		 e)) == NULL)
		goto fail;
	return 0;
fail:
	clean_free(k);
	return -1;
}

static void
bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || s[0] == '\0')
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

/* Someone else with this phone, email or card: 65 naming them. */
static int
customer_dupes(struct store *s, const struct customer_clean *k, int64_t self,
	int allow, struct perr *e)
{
	static const char *const what[] = { "card", "phone", "email" };
	const char *val[] = { k->card, allow ? NULL : k->phone,
		allow ? NULL : k->email };
	static const char *const sql[] = {
		"SELECT id, name FROM customer WHERE card = ?1 AND id != ?2 "
		"AND deleted_at IS NULL LIMIT 1",
		"SELECT id, name FROM customer WHERE phone = ?1 AND id != ?2 "
		"AND deleted_at IS NULL LIMIT 1",
		/* "email IS NOT NULL" lets SQLite use the partial index. */
		"SELECT id, name FROM customer WHERE lower(email) = lower(?1) "
		"AND email IS NOT NULL AND id != ?2 AND deleted_at IS NULL "
		"LIMIT 1",
	};

	for (int i = 0; i < 3; i++) {
		sqlite3_stmt *st;
		int rc;

		if (val[i] == NULL || val[i][0] == '\0')
			continue;
		if (store_stmt(s, sql[i], &st, e) < 0)
			return -1;
		sqlite3_bind_text(st, 1, val[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, self);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			perr_set(e, PX_DATAERR, "%s already on file for customer "
				"%lld (%s)%s", what[i],
				(long long)sqlite3_column_int64(st, 0),
				(const char *)sqlite3_column_text(st, 1),
				i == 0 ? "" : "; --allow-duplicate adds anyway");
			store_stmt_done(s, st);
			return -1;
		}
		store_stmt_done(s, st);
		if (rc != SQLITE_DONE)
			return store_error(s, rc, e, "duplicate check");
	}
	return 0;
}

static int
customer_put_tags(struct store *s, int64_t id, char **tags, size_t n,
	int replace, struct perr *e)
{
	sqlite3_stmt *st;

	/* A new customer has no tags to replace (and the DELETE, with its
	 * trigger, costs an ephemeral table per call). */
	if (!replace)
		goto insert;
	if (store_stmt(s, "DELETE FROM customer_tag WHERE customer_id = ?1",
		    &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_stmt_done(s, st);
		return store_error(s, SQLITE_ERROR, e, "tags");
	}
	store_stmt_done(s, st);
insert:
	if (n == 0)
		return 0;
	/* OR FAIL: every failure rolls the unit back anyway, and SQLite
	 * then needs no statement journal. */
	if (store_stmt(s, "INSERT OR FAIL INTO customer_tag (customer_id, tag) "
		    "VALUES (?1, ?2)", &st, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, tags[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_stmt_done(s, st);
			return store_error(s, SQLITE_ERROR, e, "tags");
		}
		sqlite3_reset(st);
	}
	store_stmt_done(s, st);
	return 0;
}

static int
customer_put_consent(struct store *s, int64_t id, int given, int64_t actor,
	const char *now, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, "INSERT OR FAIL INTO consent (customer_id, channel, given, "
		    "at, staff_id) VALUES (?1, 'marketing', ?2, ?3, ?4)",
		    &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, given);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	if (actor > 0)
		sqlite3_bind_int64(st, 4, actor);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "consent");
}

/*
 * The end of add and edit: tags (replacing them in an edit that sets
 * them), the consent record, commit; on failure roll back. Frees k.
 */
static int
customer_finish(struct store *s, int64_t id, struct customer_clean *k,
	const struct customer_input *in, int editing, int64_t actor,
	const char *now, struct perr *e)
{
	int rc = 0;

	if (((!editing || in->set_tags) &&
		customer_put_tags(s, id, k->tags, k->ntags, editing, e) < 0) ||
	    (in->consent >= 0 &&
		customer_put_consent(s, id, in->consent, actor, now, e) < 0) ||
	    store_commit(s, e) < 0) {
		store_rollback(s);
		rc = -1;
	}
	clean_free(k);
	return rc;
}

int
customer_validate(const struct config *cfg, const struct customer_input *in,
	struct perr *e)
{
	struct customer_clean k;

	if (customer_clean(cfg, in, 1, &k, e) < 0)
		return -1;
	clean_free(&k);
	return 0;
}

int
customer_add(struct store *s, const struct config *cfg,
	const struct customer_input *in, int64_t actor, int64_t *id,
	struct perr *e)
{
	struct customer_clean k;
	sqlite3_stmt *st;
	char uuid[37], now[32];
	int rc;

	if (customer_clean(cfg, in, 1, &k, e) < 0)
		return -1;
	if (store_begin(s, e) < 0)
		goto fail;
	if (customer_dupes(s, &k, 0, in->allow_duplicate, e) < 0) {
		store_abandon(s);
		goto fail;
	}
	util_uuid7(uuid);
	util_iso_utc(util_now_ms(), now, sizeof now);
	if (store_stmt(s,
		    "INSERT OR FAIL INTO customer (uuid, name, given_name, family_name, "
		    "phone, email, birthday, card, notes, created_at, updated_at, "
		    "created_by, updated_by, fields) VALUES (?1, ?2, ?3, ?4, ?5, "
		    "?6, ?7, ?8, ?9, ?10, ?10, ?11, ?11, "
		    "json_patch('{}', coalesce(?12, '{}')))",
		    &st, e) < 0)
		goto rollback;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	bind_opt(st, 2, k.name);
	bind_opt(st, 3, k.given_name);
	bind_opt(st, 4, k.family_name);
	bind_opt(st, 5, k.phone);
	bind_opt(st, 6, k.email);
	bind_opt(st, 7, k.birthday);
	bind_opt(st, 8, k.card);
	bind_opt(st, 9, k.notes);
	sqlite3_bind_text(st, 10, now, -1, SQLITE_STATIC);
	if (actor > 0)
		sqlite3_bind_int64(st, 11, actor);
	bind_opt(st, 12, k.fields);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	if (rc != SQLITE_DONE) {
		store_error(s, rc, e, "add customer");
		goto rollback;
	}
	*id = sqlite3_last_insert_rowid(store_db(s));
	/*
	 * The change log only needs to cover what a running session has not
	 * read yet; a session further behind rebuilds its index. Keep the
	 * last 100,000 changes, pruning now and then.
	 */
	if (*id % 4096 == 0 &&
	    store_exec(s, "DELETE FROM customer_change WHERE seq <= (SELECT "
		"max(seq) FROM customer_change) - 100000", e) < 0)
		goto rollback;
	if (in->welcome && loyalty_welcome(s, cfg, *id, actor, util_now_ms(),
	    e) < 0)
		goto rollback;
	return customer_finish(s, *id, &k, in, 0, actor, now, e);
rollback:
	store_rollback(s);
fail:
	clean_free(&k);
	return -1;
}

int
customer_edit(struct store *s, const struct config *cfg, int64_t id,
	const struct customer_input *in, int64_t actor, struct perr *e)
{
	static const char *const cols[] = { "name", "given_name",
		"family_name", "phone", "email", "birthday", "card", "notes" };
	struct customer_clean k;
	sqlite3_stmt *st;
	char now[32], sql[512];
	const char *vals[8];
	size_t o;
	int rc;

	if (customer_clean(cfg, in, 0, &k, e) < 0)
		return -1;
	vals[0] = k.name;
	vals[1] = k.given_name;
	vals[2] = k.family_name;
	vals[3] = k.phone;
	vals[4] = k.email;
	vals[5] = k.birthday;
	vals[6] = k.card;
	vals[7] = k.notes;
	if (store_begin(s, e) < 0)
		goto fail;
	if (customer_dupes(s, &k, id, in->allow_duplicate, e) < 0)
		goto rollback;
	util_iso_utc(util_now_ms(), now, sizeof now);
	o = (size_t)snprintf(sql, sizeof sql,
		"UPDATE customer SET updated_at = ?1, updated_by = ?2%s",
		k.fields ? ", fields = json_patch(fields, ?12)" : "");
	for (int i = 0; i < 8; i++)
		if (vals[i] != NULL)
			o += (size_t)snprintf(sql + o, sizeof sql - o,
				", %s = ?%d", cols[i], i + 4);
	snprintf(sql + o, sizeof sql - o,
		" WHERE id = ?3 AND deleted_at IS NULL");
	if (store_prepare(s, sql, &st, e) < 0)
		goto rollback;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	if (actor > 0)
		sqlite3_bind_int64(st, 2, actor);
	sqlite3_bind_int64(st, 3, id);
	for (int i = 0; i < 8; i++)
		if (vals[i] != NULL)
			bind_opt(st, i + 4, vals[i]);
	if (k.fields != NULL)
		sqlite3_bind_text(st, 12, k.fields, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_error(s, rc, e, "edit customer");
		goto rollback;
	}
	if (sqlite3_changes(store_db(s)) == 0) {
		perr_set(e, PX_FAIL, "customer %lld not found (or merged)",
			(long long)id);
		goto rollback;
	}
	return customer_finish(s, id, &k, in, 1, actor, now, e);
rollback:
	store_rollback(s);
fail:
	clean_free(&k);
	return -1;
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t == NULL ? NULL : xstrdup((const char *)t);
}

#define CUSTOMER_COLS \
	"c.id, c.uuid, c.name, c.given_name, c.family_name, c.phone, " \
	"c.email, c.birthday, c.card, c.notes, c.fields, c.points, c.tier, " \
	"c.last_visit, c.merged_into, c.deleted_at, c.created_at, " \
	"c.updated_at, cb.name, ub.name, " \
	"(SELECT given FROM consent WHERE customer_id = c.id AND " \
	"channel = 'marketing' ORDER BY id DESC LIMIT 1), " \
	"(SELECT at FROM consent WHERE customer_id = c.id AND " \
	"channel = 'marketing' ORDER BY id DESC LIMIT 1), " \
	"(SELECT s.name FROM consent k LEFT JOIN staff s ON s.id = " \
	"k.staff_id WHERE k.customer_id = c.id AND k.channel = 'marketing' " \
	"ORDER BY k.id DESC LIMIT 1) " \
	"FROM customer c LEFT JOIN staff cb ON cb.id = c.created_by " \
	"LEFT JOIN staff ub ON ub.id = c.updated_by "

static int
customer_row(struct store *s, sqlite3_stmt *st, struct customer *c,
	struct perr *e)
{
	sqlite3_stmt *tq;
	int rc;

	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->uuid = col_dup(st, 1);
	c->name = col_dup(st, 2);
	c->given_name = col_dup(st, 3);
	c->family_name = col_dup(st, 4);
	c->phone = col_dup(st, 5);
	c->email = col_dup(st, 6);
	c->birthday = col_dup(st, 7);
	c->card = col_dup(st, 8);
	c->notes = col_dup(st, 9);
	c->fields = col_dup(st, 10);
	c->points = sqlite3_column_int64(st, 11);
	c->tier = col_dup(st, 12);
	c->last_visit = col_dup(st, 13);
	/* One form out (JSON, CSV), with milliseconds, whatever wrote it. */
	if (c->last_visit != NULL && store_col_ms(st, 13) != 0) {
		char iso[32];

		util_iso_utc(store_col_ms(st, 13), iso, sizeof iso);
		free(c->last_visit);
		c->last_visit = xstrdup(iso);
	}
	c->merged_into = sqlite3_column_int64(st, 14);
	c->deleted_at = col_dup(st, 15);
	c->created_at = col_dup(st, 16);
	c->updated_at = col_dup(st, 17);
	c->created_by = col_dup(st, 18);
	c->updated_by = col_dup(st, 19);
	c->consent = sqlite3_column_type(st, 20) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(st, 20);
	c->consent_at = col_dup(st, 21);
	c->consent_by = col_dup(st, 22);
	if (store_stmt(s, "SELECT tag FROM customer_tag WHERE customer_id "
		    "= ?1 ORDER BY tag", &tq, e) < 0)
		return -1;
	sqlite3_bind_int64(tq, 1, c->id);
	while ((rc = sqlite3_step(tq)) == SQLITE_ROW) {
		c->tags = xrealloc(c->tags, (c->ntags + 1) * sizeof *c->tags);
		c->tags[c->ntags++] = col_dup(tq, 0);
	}
	store_stmt_done(s, tq);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "tags");
}

int
customer_get(struct store *s, int64_t id, struct customer *c, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof *c);
	if (store_stmt(s, "SELECT " CUSTOMER_COLS "WHERE c.id = ?1", &st,
		    e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = customer_row(s, st, c, e) < 0 ? -1 : 0;
	else if (rc == SQLITE_DONE)
		rc = perr_set(e, PX_FAIL, "no customer %lld", (long long)id);
	else
		rc = store_error(s, rc, e, "customer");
	store_stmt_done(s, st);
	return rc;
}

void
customer_free(struct customer *c)
{
	char **strs[] = { &c->uuid, &c->name, &c->given_name, &c->family_name,
		&c->phone, &c->email, &c->birthday, &c->card, &c->notes,
		&c->fields, &c->tier, &c->last_visit, &c->deleted_at,
		&c->created_at, &c->updated_at, &c->created_by, &c->updated_by,
		&c->consent_at, &c->consent_by };

	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(*strs[i]);
	for (size_t i = 0; i < c->ntags; i++)
		free(c->tags[i]);
	free(c->tags);
	memset(c, 0, sizeof *c);
}

int
customer_each(struct store *s, long limit,
	int (*fn)(struct customer *c, void *arg), void *arg, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(s, "SELECT " CUSTOMER_COLS "WHERE c.deleted_at IS "
		    "NULL ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?1", &st,
		    e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct customer c;
		int stop;

		if (customer_row(s, st, &c, e) < 0) {
			customer_free(&c);
			sqlite3_finalize(st);
			return -1;
		}
		stop = fn(&c, arg);
		customer_free(&c);
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "customers");
}

int
customer_field(struct store *s, const struct customer *c, const char *key,
	char *out, size_t outlen)
{
	sqlite3_stmt *st;
	const unsigned char *v;

	out[0] = '\0';
	if (c->fields == NULL ||
	    store_stmt(s, "SELECT json_extract(?1, '$.' || ?2)", &st, NULL) < 0)
		return 0;
	sqlite3_bind_text(st, 1, c->fields, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (v = sqlite3_column_text(st, 0)) != NULL)
		snprintf(out, outlen, "%s", (const char *)v);
	store_stmt_done(s, st);
	return out[0] != '\0';
}
