/*
 * export_csv: the CSV format (RFC 4180, CRLF): a header row naming the
 * columns, then one row per customer, purchase, points entry or task.
 * Customers have the columns import reads, and more.
 */
#include "patron/export.h"

#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "patron/phone.h"

/* RFC 4180: quote only the fields that need it. */
static void
csv_cell(FILE *out, const char *s, int last)
{
	if (s != NULL) {
		if (strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' ||
		    (s[0] != '\0' && s[strlen(s) - 1] == ' '))
			csv_fwrite(out, s, strlen(s));
		else
			fputs(s, out);
	}
	fputs(last ? "\r\n" : ",", out);
}

static void
csv_int(FILE *out, int64_t v, int last)
{
	char num[24];

	snprintf(num, sizeof num, "%lld", (long long)v);
	csv_cell(out, num, last);
}

/* A reference to another row: its id, or empty when there is none (0). */
static void
csv_ref(FILE *out, int64_t id, int last)
{
	if (id == 0)
		csv_cell(out, "", last);
	else
		csv_int(out, id, last);
}

static void
csv_iso(FILE *out, int64_t ms, int last)
{
	char t[32] = "";

	if (ms != 0)
		util_iso_utc(ms, t, sizeof t);
	csv_cell(out, t, last);
}

void
export_csv_header(FILE *out, const struct config *cfg)
{
	fputs("id,uuid,name,given_name,family_name,phone,email,birthday,card,"
	      "tags,notes,marketing_consent,points,tier,last_visit,created_at",
		out);
	for (int i = 0; i < cfg->nfields; i++)
		fprintf(out, ",%s", cfg->fields[i].key);
	fputs("\r\n", out);
}

void
export_csv_row(FILE *out, struct store *s, const struct config *cfg,
	const struct customer *c, int masked)
{
	char phone[64];
	size_t len = 1;
	char *tags;

	for (size_t i = 0; i < c->ntags; i++)
		len += strlen(c->tags[i]) + 1;
	tags = xcalloc(1, len);
	for (size_t i = 0; i < c->ntags; i++) {
		if (i > 0)
			strcat(tags, ";");
		strcat(tags, c->tags[i]);
	}
	if (c->phone != NULL && masked)
		phone_mask(c->phone, phone, sizeof phone);
	csv_int(out, c->id, 0);
	csv_cell(out, c->uuid, 0);
	csv_cell(out, c->name, 0);
	csv_cell(out, c->given_name, 0);
	csv_cell(out, c->family_name, 0);
	csv_cell(out, c->phone && masked ? phone : c->phone, 0);
	csv_cell(out, c->email && masked ? "\u2022\u2022\u2022" : c->email, 0);
	csv_cell(out, c->birthday, 0);
	csv_cell(out, c->card, 0);
	csv_cell(out, tags, 0);
	csv_cell(out, c->notes, 0);
	csv_cell(out, c->consent < 0 ? "" : c->consent ? "yes" : "no", 0);
	csv_int(out, c->points, 0);
	csv_cell(out, c->tier, 0);
	csv_cell(out, c->last_visit, 0);
	csv_cell(out, c->created_at, cfg->nfields == 0);
	for (int i = 0; i < cfg->nfields; i++) {
		char v[512];

		customer_field(s, c, cfg->fields[i].key, v, sizeof v);
		csv_cell(out, v, i + 1 == cfg->nfields);
	}
	free(tags);
}

static void
csv_head(struct export_out *x, enum export_kind kind)
{
	static const char *const header[] = {
		[EXPORT_PURCHASES] = "id,uuid,receipt,branch,customer_id,"
		    "occurred_at,total,currency,points,voided,return_of\r\n",
		[EXPORT_POINTS] = "id,uuid,customer_id,kind,points,balance,"
		    "reason,occurred_at,expires_at,purchase_id,staff\r\n",
		[EXPORT_TASKS] = "id,uuid,title,notes,customer_id,assignee,due,"
		    "status,priority,rule,created_at\r\n",
	};

	/* The customers' header grows a column per custom field. */
	if (kind == EXPORT_CUSTOMERS)
		export_csv_header(x->out, x->cfg);
	else
		fputs(header[kind], x->out);
}

static void
csv_customer(struct export_out *x, const struct customer *c)
{
	export_csv_row(x->out, x->s, x->cfg, c, x->masked);
}

static void
csv_purchase(struct export_out *x, const struct purchase *p)
{
	char num[40];

	csv_int(x->out, p->id, 0);
	csv_cell(x->out, p->uuid, 0);
	csv_cell(x->out, p->receipt, 0);
	csv_cell(x->out, p->branch, 0);
	csv_int(x->out, p->customer_id, 0);
	csv_iso(x->out, p->occurred_ms, 0);
	util_decimal_format(p->total, util_currency_decimals(p->currency), num,
	    sizeof num);
	csv_cell(x->out, num, 0);
	csv_cell(x->out, p->currency, 0);
	csv_int(x->out, p->points, 0);
	csv_cell(x->out, p->voided ? "yes" : "no", 0);
	csv_ref(x->out, p->return_of, 1);
}

static void
csv_entry(struct export_out *x, const struct ledger_entry *en)
{
	csv_int(x->out, en->id, 0);
	csv_cell(x->out, en->uuid, 0);
	csv_int(x->out, en->customer_id, 0);
	csv_cell(x->out, loyalty_kind_names[en->kind], 0);
	csv_int(x->out, en->points, 0);
	csv_int(x->out, en->balance, 0);
	csv_cell(x->out, en->reason, 0);
	csv_iso(x->out, en->occurred_ms, 0);
	csv_iso(x->out, en->expires_ms, 0);
	csv_ref(x->out, en->purchase_id, 0);
	csv_cell(x->out, en->staff, 1);
}

static void
csv_task(struct export_out *x, const struct task *t)
{
	char due[32] = "";

	csv_int(x->out, t->id, 0);
	csv_cell(x->out, t->uuid, 0);
	csv_cell(x->out, t->title, 0);
	csv_cell(x->out, t->notes, 0);
	csv_ref(x->out, t->customer_id, 0);
	csv_cell(x->out, t->assignee, 0);
	if (t->due.ms != 0)
		task_due_format(&t->due, due, sizeof due);
	csv_cell(x->out, due, 0);
	csv_cell(x->out, task_status_names[t->status], 0);
	csv_cell(x->out, task_priority_names[t->priority], 0);
	csv_cell(x->out, t->rule, 0);
	csv_iso(x->out, t->created_ms, 1);
}

const struct export_ops export_csv_format = {
	.name = "csv",
	.head = csv_head,
	.customer = csv_customer,
	.purchase = csv_purchase,
	.entry = csv_entry,
	.task = csv_task,
};
