/*
 * audit: the chained, keyed audit trail (include/patron/audit.h).
 *
 * An entry's MAC covers the MAC before it, its id, time, staff member,
 * action, entity, ids and the hash of its detail, under a subkey of the
 * data key. The head (last id and MAC) is kept in meta with a MAC of its
 * own, so an entry cut off the end is found as well.
 */
#include "patron/audit.h"
#include "patron/json_quote.h"
#include "patron/keyctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define MAC_BYTES 32
#define SALT_BYTES 16	/* crypto_generichash_KEYBYTES_MIN */

void
audit_actor(struct store *s, int64_t staff_id)
{
	*store_actor(s) = staff_id;
}

int64_t
audit_actor_get(struct store *s)
{
	return *store_actor(s);
}

static void
put64(crypto_generichash_state *h, int64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
	crypto_generichash_update(h, b, 8);
}

static void
putstr(crypto_generichash_state *h, const char *s)
{
	crypto_generichash_update(h, (const uint8_t *)(s ? s : ""),
	    s ? strlen(s) + 1 : 1);
}

/*
 * The MAC of an entry: BLAKE2b keyed with the audit key over the previous
 * MAC and the entry's fields, each field framed (fixed width or
 * NUL-terminated) so no two entries share an encoding.
 */
static void
entry_mac(struct store *s, const uint8_t prev[MAC_BYTES], int64_t id,
	const char *at, int64_t staff, const char *action, const char *entity,
	int64_t entity_id, int64_t customer_id,
	const uint8_t dhash[MAC_BYTES], uint8_t out[MAC_BYTES])
{
	crypto_generichash_state h;
	uint8_t key[MAC_BYTES];

	/* A subkey of its own: the chain key is the MAC of a label. */
	keyctx_mac(store_key(s), "patron audit chain v1", 21, key);
	crypto_generichash_init(&h, key, sizeof key, MAC_BYTES);
	crypto_generichash_update(&h, prev, MAC_BYTES);
	put64(&h, id);
	putstr(&h, at);
	put64(&h, staff);
	putstr(&h, action);
	putstr(&h, entity);
	put64(&h, entity_id);
	put64(&h, customer_id);
	crypto_generichash_update(&h, dhash, MAC_BYTES);
	crypto_generichash_final(&h, out, MAC_BYTES);
	sodium_memzero(key, sizeof key);
	sodium_memzero(&h, sizeof h);
}

/*
 * The hash of a detail, under its salt (a random key of the entry's own,
 * wiped with the detail) or, for entries from before the salt, none.
 */
static void
detail_hash(const char *detail, const uint8_t *salt, uint8_t out[MAC_BYTES])
{
	crypto_generichash(out, MAC_BYTES, (const uint8_t *)(detail ? detail :
	    ""), detail ? strlen(detail) : 0, salt, salt ? SALT_BYTES : 0);
}

/* The MAC of the head record kept in meta. */
static void
head_mac(struct store *s, int64_t id, const uint8_t mac[MAC_BYTES],
	char hex[2 * MAC_BYTES + 1])
{
	uint8_t msg[8 + MAC_BYTES + 4], out[MAC_BYTES];

	memcpy(msg, "head", 4);
	for (int i = 0; i < 8; i++)
		msg[4 + i] = (uint8_t)((uint64_t)id >> (56 - 8 * i));
	memcpy(msg + 12, mac, MAC_BYTES);
	keyctx_mac(store_key(s), msg, sizeof msg, out);
	util_hex(out, MAC_BYTES, hex);
}

/* The head record (meta audit_head) into head, "" if none. 0, or -1. */
static int
head_read(struct store *s, char *head, size_t len, struct perr *e)
{
	return store_meta_get(s, "audit_head", head, len, "audit", e) < 0 ?
	    -1 : 0;
}

static int
append(struct store *s, const char *action, const char *entity,
	int64_t entity_id, int64_t customer_id, const char *detail,
	struct perr *e)
{
	uint8_t prev[MAC_BYTES] = { 0 }, dh[MAC_BYTES], mac[MAC_BYTES];
	uint8_t salt[SALT_BYTES];
	char at[32], head[3 * MAC_BYTES + 64], hm[2 * MAC_BYTES + 1];
	char mhex[2 * MAC_BYTES + 1], cur[256];
	const char *colon;
	int64_t id = 1, staff = audit_actor_get(s);
	sqlite3_stmt *st;
	int rc;

	/*
	 * Chain from the head record, not from whatever row is last in the
	 * table: entries cut off the end stay missing after new ones come.
	 */
	if (head_read(s, cur, sizeof cur, e) < 0)
		return -1;
	colon = strchr(cur, ':');
	if (colon != NULL && strlen(colon + 1) > 2 * MAC_BYTES &&
	    sodium_hex2bin(prev, MAC_BYTES, colon + 1, 2 * MAC_BYTES, NULL,
	    NULL, NULL) == 0)
		id = strtoll(cur, NULL, 10) + 1;
	util_iso_utc(util_now_ms(), at, sizeof at);
	randombytes_buf(salt, sizeof salt);
	detail_hash(detail, detail ? salt : NULL, dh);
	entry_mac(s, prev, id, at, staff, action, entity, entity_id,
	    customer_id, dh, mac);
	if (store_stmt(s, "INSERT INTO audit (id, at, staff_id, action, entity, "
	    "entity_id, customer_id, detail, detail_hash, mac, detail_salt) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", &st,
	    e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	if (staff > 0)
		sqlite3_bind_int64(st, 3, staff);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, entity, -1, SQLITE_STATIC);
	if (entity_id != 0)
		sqlite3_bind_int64(st, 6, entity_id);
	if (customer_id != 0)
		sqlite3_bind_int64(st, 7, customer_id);
	if (detail != NULL) {
		sqlite3_bind_text(st, 8, detail, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 11, salt, SALT_BYTES, SQLITE_STATIC);
	}
	sqlite3_bind_blob(st, 9, dh, MAC_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 10, mac, MAC_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, e, "audit");
	util_hex(mac, MAC_BYTES, mhex);
	head_mac(s, id, mac, hm);
	snprintf(head, sizeof head, "%lld:%s:%s", (long long)id, mhex, hm);
	return store_meta_set(s, "audit_head", head, "audit", e);
}

/*
 * A JSON string, as all of Patron's JSON: controls, C1 and bidirectional
 * controls escaped, so a detail printed by `audit list --json` is safe.
 */
static void
json_string(FILE *out, const char *s)
{
	json_quote(out, s != NULL ? s : "");
}

/* A value of a trigger's row as JSON. */
static void
json_value(FILE *out, sqlite3_value *v)
{
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
		fprintf(out, "%lld", (long long)sqlite3_value_int64(v));
		break;
	case SQLITE_FLOAT:
		fprintf(out, "%.17g", sqlite3_value_double(v));
		break;
	case SQLITE_TEXT:
		json_string(out, (const char *)sqlite3_value_text(v));
		break;
	default:
		fputs("null", out);
		break;
	}
}

static int
same_value(sqlite3_value *a, sqlite3_value *b)
{
	int ta = sqlite3_value_type(a), tb = sqlite3_value_type(b);

	if (ta != tb)
		return 0;
	if (ta == SQLITE_NULL)
		return 1;
	if (ta == SQLITE_INTEGER)
		return sqlite3_value_int64(a) == sqlite3_value_int64(b);
	return sqlite3_value_bytes(a) == sqlite3_value_bytes(b) &&
	    memcmp(sqlite3_value_blob(a), sqlite3_value_blob(b),
	    (size_t)sqlite3_value_bytes(a)) == 0;
}

/*
 * patron_audit(action, entity, entity_id, customer_id, width, ...): width 2
 * takes (key, value) pairs, what was written (NULLs left out); width 3
 * takes (key, before, after) triples, of which only the changed ones are
 * kept as [before, after]. An update that changed nothing is not recorded.
 */
static void
sql_audit(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct store *s = sqlite3_user_data(ctx);
	int width = argc > 4 ? sqlite3_value_int(argv[4]) : 2;
	char *detail = NULL;
	size_t len = 0;
	struct perr e;
	FILE *out;
	int n = 0, rc;

	if (argc < 5 || (width != 2 && width != 3) || (argc - 5) % width != 0) {
		sqlite3_result_error(ctx, "patron_audit: bad arguments", -1);
		return;
	}
	if ((out = open_memstream(&detail, &len)) == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	fputc('{', out);
	for (int i = 5; i + width <= argc; i += width) {
		if (width == 2 && sqlite3_value_type(argv[i + 1]) == SQLITE_NULL)
			continue;
		if (width == 3 && same_value(argv[i + 1], argv[i + 2]))
			continue;
		fputs(n++ ? "," : "", out);
		json_string(out, (const char *)sqlite3_value_text(argv[i]));
		fputc(':', out);
		if (width == 3) {
			fputc('[', out);
			json_value(out, argv[i + 1]);
			fputc(',', out);
			json_value(out, argv[i + 2]);
			fputc(']', out);
		} else
			json_value(out, argv[i + 1]);
	}
	fputc('}', out);
	if (fclose(out) != 0) {
		free(detail);
		sqlite3_result_error_nomem(ctx);
		return;
	}
	rc = width == 3 && n == 0 ? 0 :
	    append(s, (const char *)sqlite3_value_text(argv[0]),
	    (const char *)sqlite3_value_text(argv[1]),
	    sqlite3_value_int64(argv[2]), sqlite3_value_int64(argv[3]), detail,
	    &e);
	free(detail);
	if (rc < 0) {
		sqlite3_result_error(ctx, e.msg, -1);
		return;
	}
	sqlite3_result_null(ctx);
}

int
audit_log(struct store *s, const char *action, const char *entity,
	int64_t entity_id, int64_t customer_id, const char *detail,
	struct perr *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	if (append(s, action, entity, entity_id, customer_id, detail, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, e) < 0 ? (store_rollback(s), -1) : 0;
}

int
audit_verify(struct store *s, int64_t *bad, long *checked, struct perr *e)
{
	uint8_t prev[MAC_BYTES] = { 0 }, dh[MAC_BYTES], mac[MAC_BYTES];
	int64_t last = 0, expect = 1;
	char head[256] = "", want[3 * MAC_BYTES + 64];
	char mhex[2 * MAC_BYTES + 1], hm[2 * MAC_BYTES + 1];
	sqlite3_stmt *st;
	int rc;

	*bad = 0;
	*checked = 0;
	if (store_prepare(s, "SELECT id, at, coalesce(staff_id, 0), action, "
	    "entity, coalesce(entity_id, 0), coalesce(customer_id, 0), detail, "
	    "detail_hash, mac, detail_salt FROM audit ORDER BY id", &st,
	    e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *detail = (const char *)sqlite3_column_text(st, 7);

		if (id != expect) {
			*bad = id;
			perr_set(e, PX_DATAERR, "audit entry %lld: entry %lld "
			    "before it is missing", (long long)id,
			    (long long)expect);
			goto broken;
		}
		if (sqlite3_column_bytes(st, 8) != MAC_BYTES ||
		    sqlite3_column_bytes(st, 9) != MAC_BYTES) {
			*bad = id;
			perr_set(e, PX_DATAERR, "audit entry %lld: damaged",
			    (long long)id);
			goto broken;
		}
		memcpy(dh, sqlite3_column_blob(st, 8), MAC_BYTES);
		/* An erased detail is NULL; one present must match. */
		if (detail != NULL) {
			uint8_t got[MAC_BYTES];
			const uint8_t *salt = sqlite3_column_bytes(st, 10) ==
			    SALT_BYTES ? sqlite3_column_blob(st, 10) : NULL;

			detail_hash(detail, salt, got);
			if (sodium_memcmp(got, dh, MAC_BYTES) != 0) {
				*bad = id;
				perr_set(e, PX_DATAERR, "audit entry %lld: "
				    "what changed was altered", (long long)id);
				goto broken;
			}
		}
		entry_mac(s, prev, id, (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_int64(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 4),
		    sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
		    dh, mac);
		if (sodium_memcmp(mac, sqlite3_column_blob(st, 9),
		    MAC_BYTES) != 0) {
			*bad = id;
			perr_set(e, PX_DATAERR, "audit entry %lld: altered, "
			    "inserted or out of place (its chain does not "
			    "verify)", (long long)id);
			goto broken;
		}
		memcpy(prev, mac, MAC_BYTES);
		last = id;
		expect = id + 1;
		(*checked)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, e, "audit");
	/* The head: the last entry is the one recorded last. */
	if (head_read(s, head, sizeof head, e) < 0)
		return -1;
	if (last == 0 && head[0] == '\0')
		return 0;
	util_hex(prev, MAC_BYTES, mhex);
	head_mac(s, last, prev, hm);
	snprintf(want, sizeof want, "%lld:%s:%s", (long long)last, mhex, hm);
	if (strcmp(head, want) != 0) {
		*bad = 0;
		perr_set(e, PX_DATAERR, "audit trail: entries after %lld are "
		    "missing, or the head record was altered", (long long)last);
		return 1;
	}
	return 0;
broken:
	sqlite3_finalize(st);
	return 1;
}

long
audit_each(struct store *s, const struct audit_filter *f,
	int (*fn)(const struct audit_entry *, void *), void *arg,
	struct perr *e)
{
	char sql[1024], since[32] = "", until[32] = "";
	struct audit_entry en;
	sqlite3_stmt *st;
	long n = 0;
	int rc;

	if (f->since_ms)
		util_iso_utc(f->since_ms, since, sizeof since);
	if (f->until_ms)
		util_iso_utc(f->until_ms, until, sizeof until);
	snprintf(sql, sizeof sql, "SELECT a.id, a.at, coalesce(f.name, ''), "
	    "a.action, a.entity, coalesce(a.entity_id, 0), "
	    "coalesce(a.customer_id, 0), a.detail FROM audit a LEFT JOIN staff "
	    "f ON f.id = a.staff_id WHERE 1%s%s%s%s%s ORDER BY a.id DESC "
	    "LIMIT ?6",
	    f->customer_id ? " AND a.customer_id = ?1" : "",
	    f->staff ? " AND f.name = ?2" : "",
	    f->action ? " AND a.action = ?3" : "",
	    f->since_ms ? " AND a.at >= ?4" : "",
	    f->until_ms ? " AND a.at < ?5" : "");
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, f->customer_id);
	if (f->staff)
		sqlite3_bind_text(st, 2, f->staff, -1, SQLITE_STATIC);
	if (f->action)
		sqlite3_bind_text(st, 3, f->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, since, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, until, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, f->limit > 0 ? f->limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(st, 1);

		memset(&en, 0, sizeof en);
		en.id = sqlite3_column_int64(st, 0);
		if (at == NULL || util_time_parse(at, &en.at_ms) < 0)
			en.at_ms = 0;
		store_col_text(st, 2, en.staff, sizeof en.staff);
		store_col_text(st, 3, en.action, sizeof en.action);
		store_col_text(st, 4, en.entity, sizeof en.entity);
		en.entity_id = sqlite3_column_int64(st, 5);
		en.customer_id = sqlite3_column_int64(st, 6);
		en.detail = (const char *)sqlite3_column_text(st, 7);
		n++;
		if (fn(&en, arg) != 0)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n :
	    store_error(s, rc, e, "audit");
}

int
audit_forget_customer(struct store *s, int64_t customer, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(s, "UPDATE audit SET detail = NULL, detail_salt = "
	    "NULL WHERE customer_id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "audit");
}

/*
 * Seal the chain of to (a copy of from's pages under a new data key, as
 * key rotation makes) under to's key (the store's rekey hook). Entries that did not verify under
 * from's key are left broken, so a rotation never hides tampering.
 */
static int
audit_rekey(struct store *from, struct store *to, struct perr *e)
{
	uint8_t oldprev[MAC_BYTES] = { 0 }, newprev[MAC_BYTES] = { 0 };
	uint8_t dh[MAC_BYTES], mac[MAC_BYTES];
	char head[256] = "", want[3 * MAC_BYTES + 64];
	char mhex[2 * MAC_BYTES + 1], hm[2 * MAC_BYTES + 1];
	int64_t last = 0, expect = 1;
	sqlite3_stmt *st, *up;
	int rc, sound = 1;

	if (sqlite3_table_column_metadata(store_db(to), "main", "audit", "mac",
	    NULL, NULL, NULL, NULL, NULL) != SQLITE_OK)
		return 0;	/* a database from before the audit trail */
	if (store_prepare(to, "SELECT id, at, coalesce(staff_id, 0), action, "
	    "entity, coalesce(entity_id, 0), coalesce(customer_id, 0), "
	    "detail_hash, mac FROM audit ORDER BY id", &st, e) < 0)
		return -1;
	if (store_prepare(to, "UPDATE audit SET mac = ?2 WHERE id = ?1", &up,
	    e) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *at = (const char *)sqlite3_column_text(st, 1);
		int ok;

		memset(dh, 0, sizeof dh);
		if (sqlite3_column_bytes(st, 7) == MAC_BYTES)
			memcpy(dh, sqlite3_column_blob(st, 7), MAC_BYTES);
		entry_mac(from, oldprev, id, at, sqlite3_column_int64(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 4),
		    sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
		    dh, mac);
		ok = id == expect && sqlite3_column_bytes(st, 8) == MAC_BYTES &&
		    sodium_memcmp(mac, sqlite3_column_blob(st, 8),
		    MAC_BYTES) == 0;
		if (sqlite3_column_bytes(st, 8) == MAC_BYTES)
			memcpy(oldprev, sqlite3_column_blob(st, 8), MAC_BYTES);
		/* A sound entry is sealed again under the new key; a broken one
		 * stays broken, so rotating never hides tampering. */
		entry_mac(to, newprev, id, at, sqlite3_column_int64(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 4),
		    sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
		    dh, mac);
		memcpy(newprev, mac, MAC_BYTES);
		if (!ok) {
			sound = 0;
			mac[0] ^= 0xff;
		}
		sqlite3_bind_int64(up, 1, id);
		sqlite3_bind_blob(up, 2, mac, MAC_BYTES, SQLITE_TRANSIENT);
		if (sqlite3_step(up) != SQLITE_DONE) {
			sqlite3_finalize(st);
			sqlite3_finalize(up);
			return store_error(to, sqlite3_errcode(store_db(to)), e,
			    "audit");
		}
		sqlite3_reset(up);
		last = id;
		expect = id + 1;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	if (rc != SQLITE_DONE)
		return store_error(to, rc, e, "audit");
	/* The head, sealed again if it was sound. */
	if (head_read(to, head, sizeof head, e) < 0)
		return -1;
	if (last == 0)
		return 0;
	util_hex(oldprev, MAC_BYTES, mhex);
	head_mac(from, last, oldprev, hm);
	snprintf(want, sizeof want, "%lld:%s:%s", (long long)last, mhex, hm);
	util_hex(newprev, MAC_BYTES, mhex);
	head_mac(to, last, newprev, hm);
	if (strcmp(head, want) != 0 || !sound)
		hm[0] = hm[0] == '0' ? '1' : '0';
	snprintf(head, sizeof head, "%lld:%s:%s", (long long)last, mhex, hm);
	return store_meta_set(to, "audit_head", head, "audit", e);
}

/* Give the connection patron_audit() (the store's open hook). */
static int
audit_open(struct store *s, struct perr *e)
{
	/*
	 * Triggers call it, and the schema is not trusted: it is marked
	 * innocuous, which it is as far as a schema could abuse it (it only
	 * appends to the audit trail).
	 */
	if (sqlite3_create_function(store_db(s), "patron_audit", -1,
	    SQLITE_UTF8 | SQLITE_INNOCUOUS, s, sql_audit, NULL, NULL) !=
	    SQLITE_OK)
		return perr_set(e, PX_FAIL, "cannot register the audit trail");
	return 0;
}

void
audit_install(void)
{
	static const struct store_hooks h = {
		.open = audit_open,
		.rekey = audit_rekey,
	};

	store_hooks(&h);
}
