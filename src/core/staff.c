/*
 * staff: accounts and PIN checks. A failed login says the same thing for
 * an unknown name, a disabled account and a wrong PIN, so it reveals
 * nothing about which accounts exist.
 */
#include "patron/staff.h"
#include "patron/audit.h"
#include "patron/json_quote.h"
#include "patron/keyslot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

static const char *staff_roles[] = { "cashier", "clerk", "manager", "admin",
	"agent" };

int
staff_role_valid(const char *role)
{
	for (size_t i = 0; i < sizeof staff_roles / sizeof staff_roles[0]; i++)
		if (strcmp(role, staff_roles[i]) == 0)
			return 1;
	return 0;
}

static int
staff_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > STAFF_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	return 1;
}

int
staff_add(struct store *s, const char *name, const char *role,
	const char *pin, int64_t actor, int64_t *id, struct perr *e)
{
	char hash[crypto_pwhash_STRBYTES], uuid[37], now[32];
	sqlite3_stmt *st;
	uint64_t ops;
	size_t mem;
	int rc;

	if (!staff_name_valid(name))
		return perr_set(e, PX_DATAERR,
			"staff name must be 1 to %d characters, no control "
			"characters",
			STAFF_NAME_MAX);
	if (!staff_role_valid(role))
		return perr_set(e, PX_DATAERR,
			"unknown role '%s' (cashier, clerk, manager, admin, "
			"agent)",
			role);
	if (strlen(pin) < STAFF_PIN_MIN || strlen(pin) > STAFF_PIN_MAX)
		return perr_set(e, PX_DATAERR, "a PIN must be %d to %d characters",
			STAFF_PIN_MIN, STAFF_PIN_MAX);
	keyslot_pin_cost(&ops, &mem);
	if (crypto_pwhash_str(hash, pin, strlen(pin), ops, mem) != 0)
		return perr_set(e, PX_FAIL, "cannot hash the PIN (out of memory)");
	util_uuid7(uuid);
	util_iso_utc(util_now_ms(), now, sizeof now);
	if (store_prepare(s,
		    "INSERT INTO staff (uuid, name, role, pin_hash, created_at, "
		    "updated_at, created_by, updated_by) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?6)",
		    &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	if (actor > 0)
		sqlite3_bind_int64(st, 6, actor);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	sodium_memzero(hash, sizeof hash);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return perr_set(e, PX_DATAERR, "staff '%s' already exists", name);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, e, "adding staff");
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(store_db(s));
	return 0;
}

/* {"name": NAME} with the name as typed, made safe for JSON. */
static char *
staff_name_json(const char *name)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (f == NULL)
		return NULL;
	fputs("{\"name\":", f);
	json_quote(f, name);
	fputc('}', f);
	fclose(f);
	return out;
}

int
staff_login(struct store *s, const char *name, const char *pin,
	int pin_attempts, int lockout_minutes, struct staff *out,
	struct perr *e)
{
	int64_t now = util_now_ms(), locked_ms = 0, id = 0;
	char until[32] = "", at[32];
	sqlite3_stmt *st;
	int rc, ok = 0, failed = 0, locked = 0;

	memset(out, 0, sizeof *out);
	if (store_prepare(s,
		    "SELECT id, name, role, pin_hash, disabled, failed_attempts, "
		    "locked_until FROM staff WHERE name = ?1",
		    &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *hash = (const char *)sqlite3_column_text(st, 3);
		const char *lu = (const char *)sqlite3_column_text(st, 6);

		id = sqlite3_column_int64(st, 0);
		failed = sqlite3_column_int(st, 5);
		if (lu != NULL && util_time_parse(lu, &locked_ms) == 0 &&
		    (locked_ms > now || locked_ms == 0))
			locked = 1;
		else if (lu != NULL && strcmp(lu, "admin") == 0)
			locked = 1;	/* until an admin unlocks it */
		/* The PIN is checked even when locked: the same time. */
		ok = hash != NULL && sqlite3_column_int(st, 4) == 0 &&
			crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
		if (ok && !locked) {
			out->id = id;
			snprintf(out->name, sizeof out->name, "%s",
				(const char *)sqlite3_column_text(st, 1));
			snprintf(out->role, sizeof out->role, "%s",
				(const char *)sqlite3_column_text(st, 2));
		}
	} else {
		/* Spend the same time as a real check on an unknown name. */
		char dummy[crypto_pwhash_STRBYTES];
		uint64_t ops;
		size_t mem;

		keyslot_pin_cost(&ops, &mem);
		if (crypto_pwhash_str(dummy, pin, strlen(pin), ops, mem) == 0)
			sodium_memzero(dummy, sizeof dummy);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, rc, e, "login");
	if (locked) {
		char *detail = staff_name_json(name);

		audit_actor(s, 0);
		(void)audit_log(s, "login_locked", "staff", id, 0, detail, NULL);
		free(detail);
		if (locked_ms > 0)
			util_time_local(locked_ms, "%Y-%m-%d %H:%M", until,
			    sizeof until);
		return perr_set(e, PX_NOPERM, "%s is locked after too many "
		    "wrong PINs%s%s", name, until[0] ? " until " : " until an "
		    "admin unlocks it", until);
	}
	/* Count wrong PINs of a real account; lock it at the limit. */
	if (rc == SQLITE_ROW && (ok ? failed > 0 : 1)) {
		int lock = !ok && failed + 1 >= pin_attempts;

		if (lock && lockout_minutes > 0)
			util_iso_utc(now + (int64_t)lockout_minutes * 60000, at,
			    sizeof at);
		else if (lock)
			snprintf(at, sizeof at, "admin");
		if (store_prepare(s, "UPDATE staff SET failed_attempts = ?2, "
		    "locked_until = ?3 WHERE id = ?1", &st, e) < 0)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, ok || lock ? 0 : failed + 1);
		if (lock)
			sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
		(void)sqlite3_step(st);	/* a read-only store cannot count */
		sqlite3_finalize(st);
	}
	/* A failure goes to the audit trail (a read-only store cannot). */
	if (!ok) {
		char *detail = staff_name_json(name);

		audit_actor(s, 0);
		(void)audit_log(s, "login_failed", "staff", id, 0, detail, NULL);
		free(detail);
		return perr_set(e, PX_NOPERM, "wrong staff name or PIN");
	}
	/* What this staff member does from here on is theirs. (A session
	 * of the screens records its login; each command records its
	 * changes under the staff member.) */
	audit_actor(s, out->id);
	return 0;
}

static void
staff_row_read(sqlite3_stmt *st, struct staff_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	snprintf(r->name, sizeof r->name, "%s",
	    (const char *)sqlite3_column_text(st, 1));
	snprintf(r->role, sizeof r->role, "%s",
	    (const char *)sqlite3_column_text(st, 2));
	r->disabled = sqlite3_column_int(st, 3);
	r->failed_attempts = sqlite3_column_int(st, 4);
	if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
		const char *lu = (const char *)sqlite3_column_text(st, 5);
		int64_t ms;

		/* A lock that has run out is no lock. */
		if (strcmp(lu, "admin") == 0 || (util_time_parse(lu, &ms) == 0 &&
		    ms > util_now_ms()))
			snprintf(r->locked_until, sizeof r->locked_until, "%s",
			    lu);
	}
}

#define STAFF_COLS "SELECT id, name, role, disabled, failed_attempts, " \
	"locked_until FROM staff "

int
staff_each(struct store *s, int (*fn)(const struct staff_row *, void *),
	void *arg, struct perr *e)
{
	struct staff_row r;
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(s, STAFF_COLS "ORDER BY name", &st, e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		staff_row_read(st, &r);
		if (fn(&r, arg) != 0)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    store_error(s, rc, e, "staff");
}

int
staff_get(struct store *s, const char *name, struct staff_row *out,
	struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(s, STAFF_COLS "WHERE name = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		staff_row_read(st, out);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return perr_set(e, PX_FAIL, "no staff member '%s'", name);
	return rc == SQLITE_ROW ? 0 : store_error(s, rc, e, "staff");
}

/* One UPDATE of an account, with ?1 its id and ?2 a value. */
static int
staff_update(struct store *s, const char *sql, int64_t id, const char *text,
	int num, struct perr *e)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	util_iso_utc(util_now_ms(), now, sizeof now);
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (text != NULL)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int(st, 2, num);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	if (audit_actor_get(s) > 0)
		sqlite3_bind_int64(st, 4, audit_actor_get(s));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "staff");
}

int
staff_set_role(struct store *s, int64_t id, const char *role, struct perr *e)
{
	if (!staff_role_valid(role))
		return perr_set(e, PX_DATAERR, "unknown role '%s' (cashier, "
		    "clerk, manager, admin, agent)", role);
	return staff_update(s, "UPDATE staff SET role = ?2, updated_at = ?3, "
	    "updated_by = ?4 WHERE id = ?1", id, role, 0, e);
}

int
staff_set_disabled(struct store *s, int64_t id, int disabled, struct perr *e)
{
	return staff_update(s, "UPDATE staff SET disabled = ?2, updated_at = "
	    "?3, updated_by = ?4 WHERE id = ?1", id, NULL, disabled ? 1 : 0, e);
}

int
staff_set_pin(struct store *s, int64_t id, const char *pin, struct perr *e)
{
	char hash[crypto_pwhash_STRBYTES];
	uint64_t ops;
	size_t mem;
	int rc;

	if (strlen(pin) < STAFF_PIN_MIN || strlen(pin) > STAFF_PIN_MAX)
		return perr_set(e, PX_DATAERR, "a PIN must be %d to %d "
		    "characters", STAFF_PIN_MIN, STAFF_PIN_MAX);
	keyslot_pin_cost(&ops, &mem);
	if (crypto_pwhash_str(hash, pin, strlen(pin), ops, mem) != 0)
		return perr_set(e, PX_FAIL, "cannot hash the PIN (out of "
		    "memory)");
	rc = staff_update(s, "UPDATE staff SET pin_hash = ?2, failed_attempts "
	    "= 0, locked_until = NULL, updated_at = ?3, updated_by = ?4 WHERE "
	    "id = ?1", id, hash, 0, e);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int
staff_unlock(struct store *s, int64_t id, struct perr *e)
{
	return staff_update(s, "UPDATE staff SET failed_attempts = ?2, "
	    "locked_until = NULL, updated_at = ?3, updated_by = ?4 WHERE id = "
	    "?1", id, NULL, 0, e) < 0 ? -1 :
	    audit_log(s, "unlock", "staff", id, 0, NULL, e);
}
