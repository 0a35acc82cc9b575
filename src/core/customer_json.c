/*
 * customer_json: a customer as one JSON object, personal data masked for
 * the roles that see it so (customer.h).
 */
#include "patron/customer.h"

#include "patron/json_quote.h"
#include "patron/phone.h"

static void
json_field(FILE *out, const char *key, const char *val, int *first)
{
	fprintf(out, "%s\"%s\":", *first ? "" : ",", key);
	*first = 0;
	if (val == NULL)
		fputs("null", out);
	else
		json_quote(out, val);
}

void
customer_json(FILE *out, const struct customer *c, int masked)
{
	char phone[64];
	int first = 1;

	fprintf(out, "{\"id\":%lld", (long long)c->id);
	first = 0;
	json_field(out, "uuid", c->uuid, &first);
	json_field(out, "name", c->name, &first);
	json_field(out, "given_name", c->given_name, &first);
	json_field(out, "family_name", c->family_name, &first);
	if (c->phone != NULL && masked)
		phone_mask(c->phone, phone, sizeof phone);
	json_field(out, "phone", c->phone && masked ? phone : c->phone, &first);
	json_field(out, "email", c->email && masked ? "\u2022\u2022\u2022" :
	    c->email, &first);
	json_field(out, "card", c->card, &first);
	json_field(out, "birthday", c->birthday, &first);
	fputs(",\"tags\":[", out);
	for (size_t i = 0; i < c->ntags; i++) {
		if (i > 0)
			fputc(',', out);
		json_quote(out, c->tags[i]);
	}
	fprintf(out, "],\"points\":%lld", (long long)c->points);
	json_field(out, "tier", c->tier, &first);
	json_field(out, "notes", c->notes, &first);
	fprintf(out, ",\"fields\":%s", c->fields ? c->fields : "{}");
	fprintf(out, ",\"marketing_consent\":%s",
		c->consent < 0 ? "null" : c->consent ? "true" : "false");
	json_field(out, "consent_at", c->consent_at, &first);
	json_field(out, "last_visit", c->last_visit, &first);
	json_field(out, "created_at", c->created_at, &first);
	json_field(out, "updated_at", c->updated_at, &first);
	json_field(out, "created_by", c->created_by, &first);
	json_field(out, "updated_by", c->updated_by, &first);
	if (c->merged_into > 0)
		fprintf(out, ",\"merged_into\":%lld", (long long)c->merged_into);
	json_field(out, "deleted_at", c->deleted_at, &first);
	fputc('}', out);
}
