/*
 * export_vcard: the vCard 4.0 format (RFC 6350) of address books: one
 * card per customer, and no place for the other kinds.
 */
#include "patron/export.h"

#include <string.h>

/*
 * A vCard content line: name, value escaped (backslash, comma, semicolon,
 * newline) unless raw, folded at 75 octets without splitting a UTF-8
 * character, CRLF.
 */
static void
vcard_line(FILE *out, const char *name, const char *value, int raw)
{
	size_t col = strlen(name) + 1;

	fprintf(out, "%s:", name);
	for (const char *p = value; *p != '\0'; p++) {
		char esc[3] = { 0 };
		size_t need;

		if (!raw && (*p == '\\' || *p == ',' || *p == ';')) {
			esc[0] = '\\';
			esc[1] = *p;
		} else if (!raw && *p == '\n') {
			esc[0] = '\\';
			esc[1] = 'n';
		} else if (*p == '\r')
			continue;
		need = esc[0] ? 2 : 1;
		/* Fold before a character that would pass 75 octets; only
		 * at the start of a UTF-8 sequence. */
		if (col + need > 75 && ((unsigned char)*p & 0xc0) != 0x80) {
			fputs("\r\n ", out);
			col = 1;
		}
		if (esc[0])
			fputs(esc, out);
		else
			fputc(*p, out);
		col += need;
	}
	fputs("\r\n", out);
}

void
export_vcard(FILE *out, const struct customer *c, int masked)
{
	char buf[512];

	fputs("BEGIN:VCARD\r\nVERSION:4.0\r\n", out);
	vcard_line(out, "FN", c->name ? c->name : "", 0);
	if (c->given_name != NULL || c->family_name != NULL) {
		/* N: family;given;additional;prefixes;suffixes, each escaped. */
		char fam[256] = "", giv[256] = "";
		const char *src[2] = { c->family_name, c->given_name };
		char *dst[2] = { fam, giv };

		for (int k = 0; k < 2; k++) {
			size_t o = 0;

			for (const char *p = src[k]; p && *p && o + 3 < 256; p++) {
				if (*p == ',' || *p == ';' || *p == '\\')
					dst[k][o++] = '\\';
				dst[k][o++] = *p;
			}
			dst[k][o] = '\0';
		}
		snprintf(buf, sizeof buf, "%s;%s;;;", fam, giv);
		vcard_line(out, "N", buf, 1);
	}
	snprintf(buf, sizeof buf, "urn:uuid:%s", c->uuid);
	vcard_line(out, "UID", buf, 1);
	if (c->phone != NULL && !masked) {
		snprintf(buf, sizeof buf, "tel:%s", c->phone);
		vcard_line(out, "TEL;VALUE=uri;TYPE=cell", buf, 1);
	}
	if (c->email != NULL && !masked)
		vcard_line(out, "EMAIL", c->email, 0);
	if (c->birthday != NULL) {
		snprintf(buf, sizeof buf, "%.4s%.2s%.2s", c->birthday,
			c->birthday + 5, c->birthday + 8);
		vcard_line(out, "BDAY", buf, 1);
	}
	if (c->ntags > 0) {
		/* CATEGORIES is a list: commas separate, each value escaped. */
		size_t o = 0;

		for (size_t i = 0; i < c->ntags && o + 4 < sizeof buf; i++) {
			if (i > 0)
				buf[o++] = ',';
			for (const char *p = c->tags[i]; *p && o + 3 < sizeof buf;
			     p++) {
				if (*p == ',' || *p == ';' || *p == '\\')
					buf[o++] = '\\';
				buf[o++] = *p;
			}
		}
		buf[o] = '\0';
		vcard_line(out, "CATEGORIES", buf, 1);
	}
	if (c->notes != NULL)
		vcard_line(out, "NOTE", c->notes, 0);
	if (c->card != NULL)
		vcard_line(out, "X-PATRON-CARD", c->card, 0);
	if (c->updated_at != NULL) {
		/* REV: a timestamp, basic format. */
		char rev[32];
		size_t o = 0;

		for (const char *p = c->updated_at; *p && o + 2 < sizeof rev;
		     p++)
			if (*p != '-' && *p != ':' && *p != '.')
				rev[o++] = *p;
		rev[o] = '\0';
		/* Drop the milliseconds: 20261122T091500123Z -> ...500Z. */
		if (o == 19)
			memmove(rev + 15, rev + 18, 2);
		vcard_line(out, "REV", rev, 1);
	}
	fputs("END:VCARD\r\n", out);
}

static void
vcard_customer(struct export_out *x, const struct customer *c)
{
	export_vcard(x->out, c, x->masked);
}

const struct export_ops export_vcard_format = {
	.name = "vcf",
	.alias = "vcard",
	.customer = vcard_customer,
};
