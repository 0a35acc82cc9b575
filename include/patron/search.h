/*
 * search: the one ranked customer search of the lookup screen and
 * `patron customer search`, answered from an index held in memory.
 *
 * Ranks, best first (ties: the most recent visit, then the newest customer):
 *   0  the exact card or phone number, or a card's number: its digits
 *      without letters and leading zeros (1961 finds C0001961)
 *   1  the last digits of a phone number
 *   2  the start of a word of the name, of the card, or of a card's number
 *   3  anywhere in the name (any script: 芳 finds 王芳)
 *   4  4 or more digits anywhere in a phone after its calling code
 *   5  the start of the email address or of its domain
 *   6  the start of a tag
 * Matching ignores case, accents and punctuation, and full-width forms
 * (input_fold). With several words, every word must match; the customer
 * ranks by its worst word.
 *
 * The index holds every customer's folded name, email, tags, card and phone
 * in visit order, with posting lists for word starts, phone endings and
 * trigrams, so a query reads only the candidates it needs and stops once
 * the best rank it can reach is full. Changes made by any session are
 * picked up from the customer_change log by search_refresh.
 */
#ifndef PATRON_SEARCH_H
#define PATRON_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "patron/config.h"
#include "patron/store.h"
#include "patron/util.h"

struct search_hit {
	int64_t id;
	int rank;
};

struct search;

struct search *search_new(void);
void search_free(struct search *x);

/*
 * Bring the index up to date with the database: the first call loads every
 * customer, later ones only what changed since (a cheap no-op when nothing
 * did).
 */
int search_refresh(struct search *x, struct store *s, struct perr *e);

/*
 * Search as staff who see phones and emails masked: a phone matches by its
 * last 4 digits or whole (never by digits inside), an email by whole words
 * only, so what is masked cannot be rebuilt a digit or letter at a time.
 * Off by default.
 */
void search_set_masked(struct search *x, int masked);
/*
 * The best up to limit customers for query, into hits; returns how many, or
 * -1 with e set, or -2 if cancel (called now and then, may be NULL) returned
 * non-zero. An empty query lists the most recent visitors. Callers that
 * say how many were found ask for one more than they show: "100+".
 */
long search_query(struct search *x, struct store *s, const struct config *cfg,
	const char *query, struct search_hit *hits, size_t limit,
	int (*cancel)(void *arg), void *arg, struct perr *e);

/* A customer found, as a list of results shows it. */
struct search_row {
	int64_t id;
	char name[256];
	char phone[48];		/* formatted, or masked as the search is; "" */
	char card[40];
	char tier[40];
	int64_t points;
	int64_t last_visit_ms;	/* 0: none */
};
/*
 * The rows of hits[0..n), in their order, read in one query; a customer
 * gone since the index last saw them is left out. Returns how many rows,
 * or -1 with e set.
 */
long search_rows(const struct search *x, struct store *s,
	const struct search_hit *hits, size_t n, struct search_row *rows,
	struct perr *e);

/* Customers in the index, and its size in bytes (for the bench). */
size_t search_count(const struct search *x);
size_t search_bytes(const struct search *x);

#endif
