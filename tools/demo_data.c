/*
 * demo_data: fill the demo database with synthetic customers (bench/synth.h)
 * through the same validation as `patron customer add`, and give the
 * customers who have visited a history: purchases over the last 18 months
 * earning points by the loyalty rules, a few returns, notes and
 * redemptions, and a visit without a purchase. Everything goes through
 * the core calls, so the cached last visit, points and tier follow from
 * the history, and nothing is dated after now (`patron check` agrees).
 * One transaction; the same data on every run.
 *
 * usage: demo-data DB COUNT   (unlocks with PATRON_PASSPHRASE)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../bench/synth.h"
#include "patron/audit.h"
#include "patron/customer.h"
#include "patron/interaction.h"
#include "patron/purchase.h"
#include "patron/loyalty.h"
#include "patron/cred.h"
#include "patron/store.h"

/* Up to 12 purchases over 18 months, oldest first, some notes, a return
 * now and then and a redemption when the balance allows. */
static long
demo_history(struct store *s, const struct config *cfg, struct synth *h,
	int64_t id, int64_t now)
{
	static const char *const notes[] = { "asked about the new season",
		"prefers green tea", "size 38 shoes", ("call when the order "
		"arrives"), "paid by card, wants a paper receipt" };
	int k = (int)synth_below(h, 13);
	int64_t at = now - (int64_t)(540 - synth_below(h, 90)) * 86400000;
	struct purchase p, last = { 0 };
	struct ledger_entry le;
	struct perr e;
	long made = 0;

	for (int i = 0; i < k; i++) {
		struct purchase_input in = { 0 };
		char receipt[32];

		at += (int64_t)(1 + synth_below(h, 540 / (k + 1))) * 86400000;
		if (at > now)
			break;
		snprintf(receipt, sizeof receipt, "D-%lld-%d", (long long)id,
		    i + 1);
		in.customer_id = id;
		in.receipt = receipt;
		in.total = (int64_t)(2000 + synth_below(h, 78000));
		in.occurred_ms = at;
		if (purchase_add(s, cfg, &in, 1, &p, &e) == 0) {
			made++;
			last = p;
		}
		if (synth_below(h, 6) == 0)
			interaction_add(s, id, (int)synth_below(h, 2) ?
			    IK_NOTE : IK_CALL, notes[synth_below(h, 5)], at, 1,
			    NULL, &e);
	}
	if (last.id > 0 && synth_below(h, 10) == 0) {
		struct purchase_input in = { 0 };

		in.customer_id = id;
		in.total = -last.total / 2;
		in.return_of = last.id;
		in.occurred_ms = last.occurred_ms + 86400000 < now ?
		    last.occurred_ms + 86400000 : now;
		purchase_add(s, cfg, &in, 1, &p, &e);
	}
	if (last.balance >= 500 && synth_below(h, 3) == 0)
		loyalty_redeem(s, cfg, id, last.balance / 2, "demo redemption",
		    1, now, &le, &e);
	return made;
}

int
main(int argc, char **argv)
{
	const char *pass = getenv("PATRON_PASSPHRASE");
	struct customer_input in;
	struct synth g = { 2026 };
	struct synth_customer c;
	struct config cfg;
	struct store *s;
	struct cred *cred;
	struct perr e;
	long n, added = 0, purchases = 0;
	struct synth h = { 77 };
	int64_t now = util_now_ms();

	if (argc != 3 || pass == NULL || sodium_init() < 0) {
		fputs("usage: PATRON_PASSPHRASE=... demo-data DB COUNT\n", stderr);
		return 64;
	}
	audit_install();
	n = atol(argv[2]);
	config_defaults(&cfg);
	cred = cred_new(CRED_PASSPHRASE, pass, strlen(pass));
	if (store_open(argv[1], cred, 0, &s, &e) < 0 ||
	    store_exec(s, "BEGIN IMMEDIATE", &e) < 0) {
		perr_print(&e);
		return e.code;
	}
	for (long i = 1; i <= n; i++) {
		const char *tags[1];
		int64_t id;

		synth_customer(&g, i, &c);
		customer_input_init(&in);
		in.name = c.name;
		in.phone = c.phone;
		in.email = c.email[0] ? c.email : NULL;
		in.card = c.card[0] ? c.card : NULL;
		in.birthday = c.birthday[0] ? c.birthday : NULL;
		tags[0] = c.tag;
		in.tags = tags;
		in.ntags = c.tag[0] != '\0';
		in.consent = (int)(i % 3 == 0);
		in.allow_duplicate = 1;
		if (customer_add(s, &cfg, &in, 1, &id, &e) < 0)
			continue;	/* a synthetic card or phone came twice */
		if (c.visit[0] != '\0') {
			int64_t visit;

			purchases += demo_history(s, &cfg, &h, id, now);
			/* A visit without a sale, on the synthetic date when
			 * that has come: the last visit follows from it. */
			if (util_time_parse(c.visit, &visit) == 0 &&
			    visit <= now && interaction_add(s, id, IK_VISIT,
			    NULL, visit, 1, NULL, &e) < 0) {
				perr_print(&e);
				break;
			}
		}
		added++;
	}
	if (store_exec(s, "COMMIT", &e) < 0) {
		perr_print(&e);
		return e.code;
	}
	store_close(s);
	cred_free(cred);
	printf("%ld synthetic customers added, %ld purchases\n", added,
	    purchases);
	return 0;
}
