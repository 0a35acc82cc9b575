/*
 * export_json: the JSON format: an array of the objects `customer show
 * --json`, `purchase list --json`, `points history --json` and `task list
 * --json` print (DESIGN section 5's keys, amounts as decimal strings), and
 * everything stored about one customer as one object.
 */
#include "patron/export.h"

#include "patron/json_quote.h"

static void
json_time(FILE *out, int64_t ms)
{
	char t[32];

	if (ms == 0) {
		fputs("null", out);
		return;
	}
	util_iso_utc(ms, t, sizeof t);
	fprintf(out, "\"%s\"", t);
}

void
export_json_purchase(FILE *out, const struct config *cfg,
	const struct purchase *p, const char *more)
{
	char total[40];

	util_decimal_format(p->total, util_currency_decimals(p->currency[0] ?
	    p->currency : cfg->store_currency), total, sizeof total);
	fprintf(out, "{\"id\":%lld,\"uuid\":\"%s\",\"receipt\":", (long long)p->id,
	    p->uuid);
	json_quote(out, p->receipt);
	fputs(",\"branch\":", out);
	json_quote(out, p->branch);
	fprintf(out, ",\"customer_id\":%lld,\"total\":\"%s\",\"currency\":\"%s\","
	    "\"occurred_at\":", (long long)p->customer_id, total, p->currency);
	json_time(out, p->occurred_ms);
	fprintf(out, ",\"points\":%lld,\"voided\":%s", (long long)p->points,
	    p->voided ? "true" : "false");
	if (p->return_of > 0)
		fprintf(out, ",\"return_of\":%lld", (long long)p->return_of);
	if (more != NULL)
		fputs(more, out);
	fputc('}', out);
}

void
export_json_entry(FILE *out, const struct ledger_entry *en)
{
	fprintf(out, "{\"id\":%lld,\"uuid\":\"%s\",\"customer_id\":%lld,"
	    "\"kind\":\"%s\",\"points\":%lld,\"balance\":%lld,\"reason\":",
	    (long long)en->id, en->uuid, (long long)en->customer_id,
	    loyalty_kind_names[en->kind], (long long)en->points,
	    (long long)en->balance);
	if (en->reason[0] != '\0')
		json_quote(out, en->reason);
	else
		fputs("null", out);
	fputs(",\"occurred_at\":", out);
	json_time(out, en->occurred_ms);
	fputs(",\"expires_at\":", out);
	json_time(out, en->expires_ms);
	if (en->purchase_id > 0)
		fprintf(out, ",\"purchase_id\":%lld", (long long)en->purchase_id);
	fputs(",\"staff\":", out);
	if (en->staff[0] != '\0')
		json_quote(out, en->staff);
	else
		fputs("null", out);
	fputc('}', out);
}

void
export_json_task(FILE *out, const struct task *t, int64_t now_ms)
{
	char due[32];

	fprintf(out, "{\"id\":%lld,\"uuid\":\"%s\",\"title\":", (long long)t->id,
	    t->uuid);
	json_quote(out, t->title);
	fputs(",\"notes\":", out);
	if (t->notes != NULL)
		json_quote(out, t->notes);
	else
		fputs("null", out);
	if (t->customer_id > 0)
		fprintf(out, ",\"customer_id\":%lld", (long long)t->customer_id);
	else
		fputs(",\"customer_id\":null", out);
	fputs(",\"assignee\":", out);
	json_quote(out, t->assignee);
	fputs(",\"due\":", out);
	if (t->due.ms != 0) {
		if (t->due.all_day)
			util_time_local(t->due.ms, "%Y-%m-%d", due, sizeof due);
		else
			util_iso_utc(t->due.ms, due, sizeof due);
		fprintf(out, "\"%s\"", due);
	} else
		fputs("null", out);
	fprintf(out, ",\"status\":\"%s\",\"priority\":\"%s\",\"overdue\":%s,"
	    "\"rule\":", task_status_names[t->status],
	    task_priority_names[t->priority], task_overdue(t, now_ms) ?
	    "true" : "false");
	if (t->rule[0] != '\0')
		json_quote(out, t->rule);
	else
		fputs("null", out);
	fputs(",\"snoozed_until\":", out);
	json_time(out, t->snoozed_until_ms);
	fputc('}', out);
}

static void
json_head(struct export_out *x, enum export_kind kind)
{
	fputc('[', x->out);
}

static void
json_tail(struct export_out *x, enum export_kind kind)
{
	fputs(x->n ? "\n]\n" : "]\n", x->out);
}

static void
json_customer(struct export_out *x, const struct customer *c)
{
	fputs(x->n ? ",\n" : "\n", x->out);
	customer_json(x->out, c, x->masked);
}

static void
json_purchase(struct export_out *x, const struct purchase *p)
{
	fputs(x->n ? ",\n" : "\n", x->out);
	export_json_purchase(x->out, x->cfg, p, NULL);
}

static void
json_entry(struct export_out *x, const struct ledger_entry *en)
{
	fputs(x->n ? ",\n" : "\n", x->out);
	export_json_entry(x->out, en);
}

static void
json_task(struct export_out *x, const struct task *t)
{
	fputs(x->n ? ",\n" : "\n", x->out);
	export_json_task(x->out, t, x->now_ms);
}

const struct export_ops export_json_format = {
	.name = "json",
	.head = json_head,
	.tail = json_tail,
	.customer = json_customer,
	.purchase = json_purchase,
	.entry = json_entry,
	.task = json_task,
};

/* Rows of a query about one customer as a JSON array of objects whose
 * keys are the columns (text, numbers and NULL). */
static int
json_rows(struct store *s, const char *sql, int64_t customer, FILE *out,
	struct perr *e)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	fputc('[', out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(n++ ? ",\n" : "\n", out);
		fputc('{', out);
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			fprintf(out, "%s\"%s\":", i ? "," : "",
			    sqlite3_column_name(st, i));
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_INTEGER:
				fprintf(out, "%lld", (long long)
				    sqlite3_column_int64(st, i));
				break;
			case SQLITE_NULL:
				fputs("null", out);
				break;
			default:
				json_quote(out, (const char *)
				    sqlite3_column_text(st, i));
				break;
			}
		}
		fputc('}', out);
	}
	sqlite3_finalize(st);
	fputs(n ? "\n]" : "]", out);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "export");
}

int
export_json_customer_data(struct store *s, int64_t customer, FILE *out,
	struct perr *e)
{
	static const struct {
		const char *key;
		const char *sql;
	} parts[] = {
		{ "consent", "SELECT c.channel, c.given, c.at, c.text_version, "
		  "f.name AS staff FROM consent c LEFT JOIN staff f ON f.id = "
		  "c.staff_id WHERE c.customer_id = ?1 ORDER BY c.id" },
		{ "purchases", "SELECT p.id, p.uuid, p.receipt, p.branch, "
		  "p.total, p.currency, p.occurred_at, p.points, p.return_of, "
		  "p.voided_at, p.void_reason, (SELECT json_group_array("
		  "json_object('sku', l.sku, 'name', l.name, 'quantity', "
		  "l.quantity, 'unit_price', l.unit_price)) FROM purchase_line l "
		  "WHERE l.purchase_id = p.id) AS lines FROM purchase p WHERE "
		  "p.customer_id = ?1 ORDER BY p.occurred_at, p.id" },
		{ "interactions", "SELECT i.id, i.uuid, i.kind, i.occurred_at, "
		  "i.text, f.name AS staff FROM interaction i LEFT JOIN staff f "
		  "ON f.id = i.staff_id WHERE i.customer_id = ?1 ORDER BY "
		  "i.occurred_at, i.id" },
		{ "points", "SELECT l.id, l.uuid, l.kind, l.points, l.balance, "
		  "l.reason, l.purchase_id, l.created_at AS occurred_at, "
		  "l.expires_at FROM ledger l WHERE l.customer_id = ?1 ORDER BY "
		  "l.id" },
		{ "tasks", "SELECT t.id, t.uuid, t.title, t.notes, t.due_at, "
		  "t.status, t.created_at, t.closed_at FROM task t WHERE "
		  "t.customer_id = ?1 ORDER BY t.id" },
		{ "changes", "SELECT a.id, a.at, f.name AS staff, a.action, "
		  "a.entity, a.entity_id, a.detail FROM audit a LEFT JOIN staff "
		  "f ON f.id = a.staff_id WHERE a.customer_id = ?1 ORDER BY "
		  "a.id" },
	};
	struct customer c;

	if (customer_get(s, customer, &c, e) < 0)
		return -1;
	fputs("{\"customer\":", out);
	customer_json(out, &c, 0);
	customer_free(&c);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		fprintf(out, ",\n\"%s\":", parts[i].key);
		if (json_rows(s, parts[i].sql, customer, out, e) < 0)
			return -1;
	}
	fputs("}\n", out);
	if (fflush(out) != 0 || ferror(out))
		return perr_set(e, PX_IOERR, "cannot write the output");
	return 0;
}
