/*
 * demo_data: fill the demo database with synthetic customers (bench/synth.h)
 * through the same validation as `patron customer add`, in one transaction.
 *
 * usage: demo-data DB COUNT   (unlocks with PATRON_PASSPHRASE)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../bench/synth.h"
#include "patron/customer.h"
#include "patron/keyslot.h"
#include "patron/store.h"

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
	long n, added = 0;
	char sql[160];

	if (argc != 3 || pass == NULL || sodium_init() < 0) {
		fputs("usage: PATRON_PASSPHRASE=... demo-data DB COUNT\n", stderr);
		return 64;
	}
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
			snprintf(sql, sizeof sql, "UPDATE customer SET last_visit "
				"= '%s' WHERE id = %lld", c.visit, (long long)id);
			if (store_exec(s, sql, &e) < 0)
				break;
		}
		added++;
	}
	if (store_exec(s, "COMMIT", &e) < 0) {
		perr_print(&e);
		return e.code;
	}
	store_close(s);
	cred_free(cred);
	printf("%ld synthetic customers added\n", added);
	return 0;
}
