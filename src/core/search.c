/*
 * search: the in-memory customer index and the ranked query (search.h).
 *
 * The main segment holds every customer at the last rebuild, sorted by
 * visit (most recent first), its text in one arena, and posting lists: for
 * each key (a class and up to three bytes) the ascending entry numbers, so
 * walking a list is walking in visit order. Keys:
 *   PHONE  the last 1-6 digits of the phone
 *   NAME   the first 1-3 bytes of each name word    CARD  of the card
 *   TRI    every 3-byte run inside a name word
 *   EMAIL  the first 1-3 bytes of the address and of its domain
 *   TAG    the first 1-3 bytes of each tag
 *   CARDNUM  the first 1-6 digits of the card's number (its digits
 *          without leading zeros: C0001961 is 1961)
 *   CARDEQ the card's number whole (its length and last 6 digits)
 *   DIGITS every run of 4 digits of the phone after its calling code
 * Customers changed since the rebuild are marked dead there and kept in a
 * small overlay that every query reads in full; a big overlay triggers a
 * rebuild.
 */
#include "patron/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "patron/customer.h"
#include "patron/fold.h"
#include "patron/input.h"
#include "patron/phone.h"

enum { K_PHONE = 1, K_NAME, K_CARD, K_TRI, K_EMAIL, K_TAG, K_CARDNUM,
	K_DIGITS, K_CARDEQ };
enum { R_EXACT, R_PHONE, R_PREFIX, R_INNER, R_DIGITS, R_EMAIL, R_TAG,
	R_NONE = 99 };

#define SX_WORDS 8
#define SX_CANCEL_EVERY 4096

struct sx_entry {
	int64_t id;
	int64_t visit;			/* YYYYMMDDhhmmss, 0 if never */
	/* Arena offsets, in this order (entry_rank reads them as one). */
	uint32_t name, email, tags, card, cardnum, phone;
	uint8_t cc;			/* digits of the phone's calling code */
};

struct sx_list {
	uint32_t key;
	uint32_t start, count;
};

struct sx_seg {
	struct sx_entry *e;
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	/* Posting lists (main segment only): open addressing on key. */
	struct sx_list *lists;
	size_t nlists;			/* slots, a power of two */
	size_t nkeys;			/* slots used: at most half */
	uint32_t *post;
	uint8_t *dead;
	/* id -> entry, sorted by id, for marking entries dead. */
	int64_t *ids;
	uint32_t *idx;
};

struct search {
	struct sx_seg main, over;
	int64_t seq;			/* last customer_change seen */
	int loaded;
	int masked;			/* search_set_masked */
};

struct search *
search_new(void)
{
	return xcalloc(1, sizeof(struct search));
}

void
search_set_masked(struct search *x, int masked)
{
	x->masked = masked;
}

static void
seg_free(struct sx_seg *g)
{
	free(g->e);
	free(g->arena);
	free(g->lists);
	free(g->post);
	free(g->dead);
	free(g->ids);
	free(g->idx);
	memset(g, 0, sizeof *g);
}

void
search_free(struct search *x)
{
	if (x == NULL)
		return;
	seg_free(&x->main);
	seg_free(&x->over);
	free(x);
}

long
search_rows(const struct search *x, struct store *s,
	const struct search_hit *hits, size_t n, struct search_row *rows,
	struct perr *e)
{
	sqlite3_stmt *st;
	char *ids;
	size_t len = 0;
	long got = 0;
	int rc;

	if (n == 0)
		return 0;
	/* The ids as a JSON array: one statement for the whole list. */
	ids = xmalloc(n * 21 + 2);
	ids[len++] = '[';
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(ids + len, "%s%lld", i ? "," : "",
		    (long long)hits[i].id);
	ids[len++] = ']';
	ids[len] = '\0';
	if (store_stmt(s, "SELECT c.id, c.name, c.phone, c.card, c.tier, "
	    "c.points, c.last_visit FROM json_each(?1) j JOIN customer c ON "
	    "c.id = j.value ORDER BY j.key", &st, e) < 0) {
		free(ids);
		return -1;
	}
	sqlite3_bind_text(st, 1, ids, (int)len, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct search_row *r = &rows[got++];
		const char *phone = (const char *)sqlite3_column_text(st, 2);

		r->id = sqlite3_column_int64(st, 0);
		store_col_text(st, 1, r->name, sizeof r->name);
		if (phone == NULL)
			r->phone[0] = '\0';
		else if (x->masked)
			phone_mask(phone, r->phone, sizeof r->phone);
		else
			phone_format(phone, r->phone, sizeof r->phone);
		store_col_text(st, 3, r->card, sizeof r->card);
		store_col_text(st, 4, r->tier, sizeof r->tier);
		r->points = sqlite3_column_int64(st, 5);
		r->last_visit_ms = store_col_ms(st, 6);
	}
	store_stmt_done(s, st);
	free(ids);
	return rc == SQLITE_DONE ? got : store_error(s, rc, e, "search");
}

size_t
search_count(const struct search *x)
{
	return x->main.n + x->over.n;
}

size_t
search_bytes(const struct search *x)
{
	const struct sx_seg *g = &x->main;
	size_t posts = 0;

	for (size_t i = 0; i < g->nlists; i++)
		posts += g->lists[i].count;
	return g->cap * sizeof *g->e + g->acap + g->nlists * sizeof *g->lists +
	    posts * sizeof *g->post + g->n * (1 + sizeof *g->ids +
		sizeof *g->idx) + x->over.cap * sizeof *x->over.e + x->over.acap;
}

/* ---- building ----------------------------------------------------------- */

static uint32_t
seg_put(struct sx_seg *g, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t off;

	if (g->alen + n > g->acap) {
		g->acap = (g->alen + n) * 2;
		g->arena = xrealloc(g->arena, g->acap);
	}
	off = (uint32_t)g->alen;
	memcpy(g->arena + g->alen, s, n);
	g->alen += n;
	return off;
}

static int64_t
visit_key(const char *iso)
{
	int64_t v = 0;
	int digits = 0;

	for (; iso != NULL && *iso != '\0' && digits < 14; iso++)
		if (*iso >= '0' && *iso <= '9') {
			v = v * 10 + (*iso - '0');
			digits++;
		}
	for (; digits > 0 && digits < 14; digits++)
		v *= 10;
	return v;
}

/* Add the customer in the current row of st (see SX_SELECT) to g. */
#define SX_SELECT \
	"SELECT c.id, c.name, coalesce(c.email, ''), coalesce(c.card, ''), " \
	"coalesce(c.phone, ''), c.last_visit, (SELECT group_concat(tag, ' ') " \
	"FROM customer_tag t WHERE t.customer_id = c.id) FROM customer c " \
	"WHERE c.deleted_at IS NULL"

static void
seg_add_row(struct sx_seg *g, sqlite3_stmt *st)
{
	struct sx_entry *en;
	const char *tags = (const char *)sqlite3_column_text(st, 6);
	char *f;

	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 1024;
		g->e = xrealloc(g->e, g->cap * sizeof *g->e);
	}
	en = &g->e[g->n++];
	en->id = sqlite3_column_int64(st, 0);
	en->visit = visit_key((const char *)sqlite3_column_text(st, 5));
	f = fold_text((const char *)sqlite3_column_text(st, 1));
	en->name = seg_put(g, f);
	free(f);
	f = fold_text((const char *)sqlite3_column_text(st, 2));
	en->email = seg_put(g, f);
	free(f);
	f = fold_text(tags ? tags : "");
	en->tags = seg_put(g, f);
	free(f);
	f = fold_text((const char *)sqlite3_column_text(st, 3));
	en->card = seg_put(g, f);
	free(f);
	f = fold_digits((const char *)sqlite3_column_text(st, 3));
	en->cardnum = seg_put(g, f + strspn(f, "0"));
	free(f);
	f = fold_digits((const char *)sqlite3_column_text(st, 4));
	en->phone = seg_put(g, f);
	en->cc = (uint8_t)phone_code_digits(
	    (const char *)sqlite3_column_text(st, 4));
	free(f);
}

static uint32_t
key_make(int cls, const char *b, size_t n)
{
	uint32_t k = (uint32_t)cls << 26 | (uint32_t)n << 24;

	for (size_t i = 0; i < n && i < 3; i++)
		k |= (uint32_t)(unsigned char)b[i] << (16 - 8 * i);
	return k;
}

/* 1 to 6 digits as one key: their count and value (long lists of digit
 * keys would make a query of many digits read many candidates). */
#define SX_NUM_MAX 6

static uint32_t
key_num(int cls, const char *d, size_t n)
{
	uint32_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (uint32_t)(d[i] - '0');
	return (uint32_t)cls << 26 | (uint32_t)n << 20 | v;
}

/* A card's number whole: its length (7 for longer) and last 6 digits. */
static uint32_t
key_cardeq(const char *d, size_t n)
{
	return n <= SX_NUM_MAX ? key_num(K_CARDEQ, d, n) :
	    key_num(K_CARDEQ, d + n - SX_NUM_MAX, SX_NUM_MAX) | 7u << 20;
}

/* Four digits inside a phone. */
static uint32_t
key_digits(const char *d)
{
	return key_num(K_DIGITS, d, 4);
}

static uint32_t
key_hash(uint32_t k)
{
	k ^= k >> 16;
	k *= 0x7feb352d;
	k ^= k >> 15;
	k *= 0x846ca68b;
	k ^= k >> 16;
	return k;
}

static struct sx_list *list_slot(struct sx_seg *g, uint32_t key, int create);

/* Twice the slots, the lists as they were (a table never fills up). */
static void
lists_grow(struct sx_seg *g)
{
	struct sx_list *old = g->lists;
	size_t n = g->nlists;

	g->nlists *= 2;
	g->lists = xcalloc(g->nlists, sizeof *g->lists);
	g->nkeys = 0;
	for (size_t i = 0; i < n; i++)
		if (old[i].key != 0)
			*list_slot(g, old[i].key, 1) = old[i];
	free(old);
}

static struct sx_list *
list_slot(struct sx_seg *g, uint32_t key, int create)
{
	size_t mask = g->nlists - 1;

	if (g->nlists == 0)
		return NULL;
	if (create && (g->nkeys + 1) * 2 > g->nlists) {
		lists_grow(g);
		mask = g->nlists - 1;
	}
	for (size_t i = key_hash(key) & mask;; i = (i + 1) & mask) {
		if (g->lists[i].key == key)
			return &g->lists[i];
		if (g->lists[i].key == 0) {
			if (!create)
				return NULL;
			g->lists[i].key = key;
			g->nkeys++;
			return &g->lists[i];
		}
	}
}

/* Prefix keys (1 to 3 bytes) of each space-separated word of s. */
typedef void (*key_fn)(struct sx_seg *g, uint32_t key, uint32_t entry);

static void
keys_words(struct sx_seg *g, int cls, const char *s, uint32_t entry,
	key_fn fn)
{
	while (*s != '\0') {
		size_t n = strcspn(s, " ");

		for (size_t k = 1; k <= 3 && k <= n; k++)
			fn(g, key_make(cls, s, k), entry);
		if (cls == K_NAME)
			for (size_t i = 0; i + 3 <= n; i++)
				fn(g, key_make(K_TRI, s + i, 3), entry);
		s += n;
		while (*s == ' ')
			s++;
	}
}

static void
keys_entry(struct sx_seg *g, uint32_t entry, key_fn fn)
{
	const struct sx_entry *en = &g->e[entry];
	const char *a = g->arena, *p = a + en->phone;
	size_t pl = strlen(p);

	for (size_t k = 1; k <= SX_NUM_MAX && k <= pl; k++)
		fn(g, key_num(K_PHONE, p + pl - k, k), entry);
	for (size_t i = en->cc; i + 4 <= pl; i++)
		fn(g, key_digits(p + i), entry);
	pl = strlen(a + en->cardnum);
	for (size_t k = 1; k <= SX_NUM_MAX && k <= pl; k++)
		fn(g, key_num(K_CARDNUM, a + en->cardnum, k), entry);
	if (pl > 0)
		fn(g, key_cardeq(a + en->cardnum, pl), entry);
	keys_words(g, K_NAME, a + en->name, entry, fn);
	keys_words(g, K_CARD, a + en->card, entry, fn);
	keys_words(g, K_TAG, a + en->tags, entry, fn);
	/* The email address folds to words ("ann example com"): its start
	 * and its domain's start are what people type. */
	keys_words(g, K_EMAIL, a + en->email, entry, fn);
}

static void
key_count(struct sx_seg *g, uint32_t key, uint32_t entry)
{
	struct sx_list *l = list_slot(g, key, 1);

	/* Entries come in ascending order: count each once per list. */
	if (l->count == 0 || l->start != entry + 1) {
		l->count++;
		l->start = entry + 1;
	}
}

static void
key_fill(struct sx_seg *g, uint32_t key, uint32_t entry)
{
	struct sx_list *l = list_slot(g, key, 0);

	if (l->count > 0 && g->post[l->start + l->count - 1] == entry)
		return;
	g->post[l->start + l->count++] = entry;
}

static int
entry_cmp(const void *pa, const void *pb)
{
	const struct sx_entry *a = pa, *b = pb;

	if (a->visit != b->visit)
		return a->visit > b->visit ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

static int
id_cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

static void
seg_index(struct sx_seg *g)
{
	size_t total = 0;

	if (g->n > 1)
		qsort(g->e, g->n, sizeof *g->e, entry_cmp);
	g->nlists = 1024;
	while (g->nlists < g->n * 2)
		g->nlists *= 2;
	g->lists = xcalloc(g->nlists, sizeof *g->lists);
	for (uint32_t i = 0; i < g->n; i++)
		keys_entry(g, i, key_count);
	for (size_t i = 0; i < g->nlists; i++) {
		uint32_t c = g->lists[i].count;

		g->lists[i].start = (uint32_t)total;
		g->lists[i].count = 0;
		total += c;
	}
	g->post = xmalloc((total ? total : 1) * sizeof *g->post);
	for (uint32_t i = 0; i < g->n; i++)
		keys_entry(g, i, key_fill);
	g->dead = xcalloc(g->n ? g->n : 1, 1);
	/* id -> entry */
	g->ids = xmalloc((g->n ? g->n : 1) * sizeof *g->ids);
	g->idx = xmalloc((g->n ? g->n : 1) * sizeof *g->idx);
	{
		int64_t(*pairs)[2] = xmalloc((g->n ? g->n : 1) * sizeof *pairs);

		for (size_t i = 0; i < g->n; i++) {
			pairs[i][0] = g->e[i].id;
			pairs[i][1] = (int64_t)i;
		}
		if (g->n > 1)
			qsort(pairs, g->n, sizeof *pairs, id_cmp);
		for (size_t i = 0; i < g->n; i++) {
			g->ids[i] = pairs[i][0];
			g->idx[i] = (uint32_t)pairs[i][1];
		}
		free(pairs);
	}
}

static long
seg_find(const struct sx_seg *g, int64_t id)
{
	size_t lo = 0, hi = g->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (g->ids[mid] == id)
			return (long)g->idx[mid];
		if (g->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
sx_max_seq(struct store *s, int64_t *seq, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	/* Kept prepared: the lookup asks at every key. */
	if (store_stmt(s, "SELECT coalesce(max(seq), 0) FROM customer_change",
		    &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	*seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_stmt_done(s, st);
	return rc == SQLITE_ROW ? 0 : store_error(s, rc, e, "search index");
}

static int
sx_rebuild(struct search *x, struct store *s, struct perr *e)
{
	sqlite3_stmt *st;
	int own = sqlite3_get_autocommit(store_db(s)), rc;

	seg_free(&x->main);
	seg_free(&x->over);
	if (own && store_exec(s, "BEGIN", e) < 0)
		return -1;
	if (sx_max_seq(s, &x->seq, e) < 0 ||
	    store_prepare(s, SX_SELECT, &st, e) < 0)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		seg_add_row(&x->main, st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_error(s, rc, e, "search index");
		goto fail;
	}
	if (own)
		store_exec(s, "COMMIT", NULL);
	seg_index(&x->main);
	x->loaded = 1;
	return 0;
fail:
	if (own)
		store_exec(s, "ROLLBACK", NULL);
	seg_free(&x->main);
	x->loaded = 0;
	return -1;
}

/* Re-read one customer into the overlay (or only drop it if deleted). */
static int
sx_update(struct search *x, struct store *s, int64_t id, struct perr *e)
{
	struct sx_seg *o = &x->over;
	sqlite3_stmt *st;
	long at = seg_find(&x->main, id);
	int rc;

	if (at >= 0)
		x->main.dead[at] = 1;
	for (size_t i = 0; i < o->n; i++)
		if (o->e[i].id == id) {
			o->e[i] = o->e[--o->n];
			break;
		}
	if (store_prepare(s, SX_SELECT " AND c.id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		seg_add_row(o, st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    store_error(s, rc, e, "search index");
}

int
search_refresh(struct search *x, struct store *s, struct perr *e)
{
	sqlite3_stmt *st;
	int64_t seq, *ids = NULL;
	size_t n = 0, cap = 0, limit;
	int rc;

	if (!x->loaded)
		return sx_rebuild(x, s, e);
	if (sx_max_seq(s, &seq, e) < 0)
		return -1;
	if (seq == x->seq)
		return 0;
	/* Changes we have not seen were pruned away: start over. */
	if (store_prepare(s, "SELECT min(seq) FROM customer_change", &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > x->seq + 1) {
		sqlite3_finalize(st);
		return sx_rebuild(x, s, e);
	}
	sqlite3_finalize(st);
	limit = x->main.n / 64 > 256 ? x->main.n / 64 : 256;
	if (store_prepare(s, "SELECT DISTINCT customer_id FROM customer_change "
		    "WHERE seq > ?1 AND seq <= ?2", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, x->seq);
	sqlite3_bind_int64(st, 2, seq);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n + x->over.n < limit) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW) {
		/* Too much changed: start over. */
		free(ids);
		return sx_rebuild(x, s, e);
	}
	if (rc != SQLITE_DONE) {
		free(ids);
		return store_error(s, rc, e, "search index");
	}
	for (size_t i = 0; i < n; i++)
		if (sx_update(x, s, ids[i], e) < 0) {
			free(ids);
			x->loaded = 0;	/* half applied: rebuild next time */
			return -1;
		}
	free(ids);
	x->seq = seq;
	return 0;
}

/* ---- querying ----------------------------------------------------------- */

struct sx_query {
	char *words[SX_WORDS];
	size_t len[SX_WORDS];
	int digits[SX_WORDS];
	/* A word of digits without its leading zeros ("" if all zeros): a
	 * card's number, as on the card (1961 for C0001961). */
	const char *num[SX_WORDS];
	size_t numlen[SX_WORDS];
	int nwords;
	int masked;	/* phone and email are masked for the searcher */
};

static int
starts_word(const char *hay, const char *w, size_t n)
{
	for (const char *p = hay; *p != '\0';) {
		if (strncmp(p, w, n) == 0)
			return 1;
		p += strcspn(p, " ");
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* Whether hay has the word w (n bytes) whole. */
static int
has_word(const char *hay, const char *w, size_t n)
{
	for (const char *p = hay; *p != '\0';) {
		if (strncmp(p, w, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p += strcspn(p, " ");
		while (*p == ' ')
			p++;
	}
	return 0;
}

/*
 * For staff who see them masked, a phone matches by the last 4 digits
 * (what the mask shows) or as a whole, and an email by whole words: no
 * digit by digit, letter by letter rebuilding of what is masked. Digits
 * inside a phone (4 or more, after the calling code) only unmasked.
 */
static int
word_rank(const char *a, const struct sx_entry *en, const struct sx_query *q,
	int i)
{
	const char *phone = a + en->phone, *name = a + en->name, *w =
	    q->words[i];
	size_t pl = strlen(phone), n = q->len[i];
	int digits = q->digits[i], masked = q->masked;
	int ending = digits && pl >= n && strcmp(phone + pl - n, w) == 0 &&
	    (!masked || n <= 4 || pl == n);

	if (ending && pl == n)
		return R_EXACT;
	if (strcmp(a + en->card, w) == 0)
		return R_EXACT;
	if (digits && q->numlen[i] > 0 &&
	    strcmp(a + en->cardnum, q->num[i]) == 0)
		return R_EXACT;
	if (ending)
		return R_PHONE;
	if (starts_word(name, w, n) || starts_word(a + en->card, w, n) ||
	    (digits && q->numlen[i] > 0 &&
		strncmp(a + en->cardnum, q->num[i], q->numlen[i]) == 0))
		return R_PREFIX;
	if (strstr(name, w) != NULL)
		return R_INNER;
	if (digits && !masked && n >= 4 && pl > en->cc &&
	    strstr(phone + en->cc, w) != NULL)
		return R_DIGITS;
	if (masked ? has_word(a + en->email, w, n) :
	    starts_word(a + en->email, w, n))
		return R_EMAIL;
	if (starts_word(a + en->tags, w, n))
		return R_TAG;
	return R_NONE;
}

static int
entry_rank(const char *a, const struct sx_entry *en, const struct sx_query *q)
{
	/* The fields of an entry are adjacent in the arena, name first and
	 * phone last: one memmem per word rejects most entries (a word of
	 * digits by its end without zeros: it is in whatever it matches). */
	const char *span = a + en->name;
	size_t len = (size_t)(a + en->phone - span) + strlen(a + en->phone);
	int worst = R_EXACT;

	for (int i = 0; i < q->nwords; i++) {
		const char *w = q->numlen[i] > 0 ? q->num[i] : q->words[i];
		size_t n = q->numlen[i] > 0 ? q->numlen[i] : q->len[i];

		if (memmem(span, len, w, n) == NULL)
			return R_NONE;
	}
	for (int i = 0; i < q->nwords; i++) {
		int r = word_rank(a, en, q, i);

		if (r == R_NONE)
			return R_NONE;
		if (r > worst)
			worst = r;
	}
	return worst;
}

struct sx_found {
	int64_t id, visit;
	int rank;
};

struct sx_out {
	struct sx_found *f;
	size_t n, cap;
};

static void
out_add(struct sx_out *o, const struct sx_entry *en, int rank)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->f = xrealloc(o->f, o->cap * sizeof *o->f);
	}
	o->f[o->n].id = en->id;
	o->f[o->n].visit = en->visit;
	o->f[o->n].rank = rank;
	o->n++;
}

static const struct sx_list *
seg_list(const struct sx_seg *g, int cls, const char *b, size_t n)
{
	return list_slot((struct sx_seg *)g, key_make(cls, b, n), 0);
}

/*
 * A walk over entries in visit order: the entries of some posting lists
 * merged, or all of them. Each entry ranked lo to hi is added to out; the walk stops once `need` entries of rank stop_rank or
 * better were added (counting `good` already there).
 */
struct sx_walk {
	const struct search *x;
	const struct sx_query *q;
	int (*cancel)(void *);
	void *arg;
	long steps;
	size_t good, need;
	int stop_rank;
};

#define SX_MAXLISTS 8

static int
walk_visit(struct sx_walk *w, uint32_t i, int lo, int hi, struct sx_out *o)
{
	const struct sx_seg *g = &w->x->main;
	int r;

	if (++w->steps % SX_CANCEL_EVERY == 0 && w->cancel != NULL &&
	    w->cancel(w->arg))
		return -2;
	if (g->dead[i])
		return 0;
	r = entry_rank(g->arena, &g->e[i], w->q);
	if (r >= lo && r <= hi) {
		out_add(o, &g->e[i], r);
		if (r <= w->stop_rank)
			w->good++;
	}
	return 0;
}

static int
walk_lists(struct sx_walk *w, const struct sx_list *const *l, int nl,
	int lo, int hi, struct sx_out *o)
{
	const uint32_t *p = w->x->main.post;
	uint32_t at[SX_MAXLISTS] = { 0 };

	while (w->good < w->need) {
		uint32_t next = UINT32_MAX;

		for (int j = 0; j < nl; j++)
			if (l[j] != NULL && at[j] < l[j]->count &&
			    p[l[j]->start + at[j]] < next)
				next = p[l[j]->start + at[j]];
		if (next == UINT32_MAX)
			break;
		for (int j = 0; j < nl; j++)
			if (l[j] != NULL && at[j] < l[j]->count &&
			    p[l[j]->start + at[j]] == next)
				at[j]++;
		if (walk_visit(w, next, lo, hi, o) < 0)
			return -2;
	}
	return 0;
}

static int
walk_all(struct sx_walk *w, int lo, int hi, struct sx_out *o)
{
	for (uint32_t i = 0; i < w->x->main.n && w->good < w->need; i++)
		if (walk_visit(w, i, lo, hi, o) < 0)
			return -2;
	return 0;
}

/* The trigram of w (n >= 3) with the shortest list; NULL if one is empty. */
static const struct sx_list *
rarest_tri(const struct sx_seg *g, const char *w, size_t n, int *empty)
{
	const struct sx_list *best = NULL;

	*empty = 0;
	for (size_t i = 0; i + 3 <= n; i++) {
		const struct sx_list *l = seg_list(g, K_TRI, w + i, 3);

		if (l == NULL) {
			*empty = 1;
			return NULL;
		}
		if (best == NULL || l->count < best->count)
			best = l;
	}
	return best;
}

/* The 4-digit run of w (n >= 4 digits) with the shortest list. */
static const struct sx_list *
rarest_digits(const struct sx_seg *g, const char *w, size_t n, int *empty)
{
	const struct sx_list *best = NULL;

	*empty = 0;
	for (size_t i = 0; i + 4 <= n; i++) {
		const struct sx_list *l = list_slot((struct sx_seg *)g,
		    key_digits(w + i), 0);

		if (l == NULL) {
			*empty = 1;
			return NULL;
		}
		if (best == NULL || l->count < best->count)
			best = l;
	}
	return best;
}

/*
 * The list of word i's digits as a phone ending (K_PHONE: its last 6) or
 * a card's number (K_CARDNUM: its first 6 without zeros); NULL if the word
 * is not digits or nobody has them.
 */
static const struct sx_list *
num_list(const struct sx_seg *g, int cls, const struct sx_query *q, int i)
{
	const char *d = cls == K_PHONE ? q->words[i] : q->num[i];
	size_t n = cls == K_PHONE ? q->len[i] : q->numlen[i];

	if (!q->digits[i] || n == 0)
		return NULL;
	if (n > SX_NUM_MAX) {
		if (cls == K_PHONE)
			d += n - SX_NUM_MAX;
		n = SX_NUM_MAX;
	}
	return list_slot((struct sx_seg *)g, key_num(cls, d, n), 0);
}

/* Whether word i may match digits inside a phone. */
#define SX_INNER_DIGITS(q, i) \
	((q)->digits[(i)] && !(q)->masked && (q)->len[(i)] >= 4)

static int
found_cmp(const void *pa, const void *pb)
{
	const struct sx_found *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank - b->rank;
	if (a->visit != b->visit)
		return a->visit > b->visit ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

/* Exact card or phone, straight from the database's indexes. */
static int
sx_exact(struct store *s, const struct config *cfg, const char *query,
	struct sx_out *o, struct perr *e)
{
	char card[64], e164[PHONE_MAX + 1];
	sqlite3_stmt *st;
	int rc;

	if (customer_check_card(query, card, sizeof card) != NULL)
		card[0] = '\0';
	if (phone_normalize(query, cfg->store_country, e164) != NULL)
		e164[0] = '\0';
	if (card[0] == '\0' && e164[0] == '\0')
		return 0;
	/* Two statements: SQLite does not use partial indexes for an OR. */
	for (int i = 0; i < 2; i++) {
		const char *v = i == 0 ? card : e164;

		if (v[0] == '\0')
			continue;
		if (store_prepare(s, i == 0 ?
			    "SELECT id, last_visit FROM customer WHERE card = ?1 "
			    "AND deleted_at IS NULL" :
			    "SELECT id, last_visit FROM customer WHERE phone = ?1 "
			    "AND deleted_at IS NULL", &st, e) < 0)
			return -1;
		sqlite3_bind_text(st, 1, v, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct sx_entry en = { 0 };

			en.id = sqlite3_column_int64(st, 0);
			en.visit = visit_key(
				(const char *)sqlite3_column_text(st, 1));
			out_add(o, &en, R_EXACT);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			break;
	}
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "search");
}

static int
sx_main(struct sx_walk *w, struct sx_out *o)
{
	const struct sx_seg *g = &w->x->main;
	const struct sx_query *q = w->q;
	const struct sx_list *l[SX_MAXLISTS];
	size_t n, best = 0, k;
	const char *wd;
	int empty;

	if (q->nwords == 0) {
		for (uint32_t i = 0; i < g->n && w->good < w->need; i++)
			if (!g->dead[i]) {
				out_add(o, &g->e[i], R_PREFIX);
				w->good++;
			}
		return 0;
	}
	for (int i = 1; i < q->nwords; i++)
		if (q->len[i] > q->len[best])
			best = (size_t)i;
	wd = q->words[best];
	n = q->len[best];
	k = n < 3 ? n : 3;
	if (q->nwords > 1) {
		size_t smallest = SIZE_MAX;

		/*
		 * Several words. First the customers every word finds by a
		 * word start, card or phone ending: the candidates of the word
		 * with the fewest, in visit order, until full.
		 */
		w->stop_rank = R_PREFIX;
		for (int i = 0; i < q->nwords; i++) {
			size_t ki = q->len[i] < 3 ? q->len[i] : 3, total = 0;
			const struct sx_list *a[4] = {
				seg_list(g, K_NAME, q->words[i], ki),
				seg_list(g, K_CARD, q->words[i], ki),
				num_list(g, K_PHONE, q, i),
				num_list(g, K_CARDNUM, q, i) };

			for (int j = 0; j < 4; j++)
				total += a[j] ? a[j]->count : 0;
			if (total < smallest) {
				smallest = total;
				memcpy(l, a, sizeof a);
			}
		}
		if (walk_lists(w, l, 4, R_EXACT, R_PREFIX, o) < 0)
			return -2;
		if (w->good >= w->need)
			return 0;
		/*
		 * Then the rest (some word inside a name, an email, a tag):
		 * every candidate of the word with the fewest. A name that
		 * holds a word holds its rarest trigram, as start or inside.
		 */
		w->need = SIZE_MAX;
		smallest = SIZE_MAX;
		for (int i = 0; i < q->nwords; i++) {
			size_t ki = 3, total = 0;
			const char *wi = q->words[i];
			const struct sx_list *a[7];

			if (q->len[i] < 3)
				continue;
			a[0] = rarest_tri(g, wi, q->len[i], &empty);
			a[1] = seg_list(g, K_CARD, wi, ki);
			a[2] = seg_list(g, K_EMAIL, wi, ki);
			a[3] = seg_list(g, K_TAG, wi, ki);
			a[4] = num_list(g, K_PHONE, q, i);
			a[5] = num_list(g, K_CARDNUM, q, i);
			a[6] = SX_INNER_DIGITS(q, i) ? rarest_digits(g, wi,
			    q->len[i], &empty) : NULL;
			for (int j = 0; j < 7; j++)
				total += a[j] ? a[j]->count : 0;
			if (total < smallest) {
				smallest = total;
				memcpy(l, a, sizeof a);
			}
		}
		if (smallest == SIZE_MAX)	/* all too short for trigrams */
			return walk_all(w, R_INNER, R_TAG, o);
		return walk_lists(w, l, 7, R_INNER, R_TAG, o);
	}
	/* One word: rank by rank, each in visit order, until full. A card
	 * whose number it is first: phone endings could fill the list. */
	w->stop_rank = R_NONE;
	l[2] = q->numlen[0] > 0 ? list_slot((struct sx_seg *)g,
	    key_cardeq(q->num[0], q->numlen[0]), 0) : NULL;
	if (l[2] != NULL && walk_lists(w, l + 2, 1, R_EXACT, R_EXACT, o) < 0)
		return -2;
	l[2] = num_list(g, K_CARDNUM, q, 0);
	l[0] = num_list(g, K_PHONE, q, 0);
	if (l[0] != NULL && walk_lists(w, l, 1, R_PHONE, R_PHONE, o) < 0)
		return -2;
	/* Word starts: the names starting with its first three bytes, or,
	 * if fewer, those holding its rarest trigram; cards' numbers. */
	l[0] = seg_list(g, K_NAME, wd, k);
	l[1] = seg_list(g, K_CARD, wd, k);
	if (n > 3) {
		const struct sx_list *tri = rarest_tri(g, wd, n, &empty);

		if (empty || (tri != NULL && l[0] != NULL &&
			tri->count < l[0]->count))
			l[0] = tri;
	}
	if (walk_lists(w, l, 3, R_PREFIX, R_PREFIX, o) < 0)
		return -2;
	if (n >= 3) {
		l[0] = rarest_tri(g, wd, n, &empty);
		if (walk_lists(w, l, 1, R_INNER, R_INNER, o) < 0)
			return -2;
	} else if (walk_all(w, R_INNER, R_INNER, o) < 0)
		return -2;
	if (SX_INNER_DIGITS(q, 0)) {
		l[0] = rarest_digits(g, wd, n, &empty);
		if (walk_lists(w, l, 1, R_DIGITS, R_DIGITS, o) < 0)
			return -2;
	}
	l[0] = seg_list(g, K_EMAIL, wd, k);
	if (walk_lists(w, l, 1, R_EMAIL, R_EMAIL, o) < 0)
		return -2;
	l[0] = seg_list(g, K_TAG, wd, k);
	return walk_lists(w, l, 1, R_TAG, R_TAG, o);
}

long
search_query(struct search *x, struct store *s, const struct config *cfg,
	const char *query, struct search_hit *hits, size_t limit,
	int (*cancel)(void *arg), void *arg, struct perr *e)
{
	struct sx_query q;
	struct sx_out o = { 0 };
	struct sx_walk w = { x, &q, cancel, arg, 0, 0, limit, R_NONE };
	char *folded, *p, *plain = NULL;
	size_t n = 0;
	long rc = 0;

	if (limit == 0)
		return 0;
	memset(&q, 0, sizeof q);
	q.masked = x->masked;
	/* Full-width digits and letters as typed in a Chinese input method;
	 * a phone number typed with spaces or dashes is one number. */
	query = plain = input_fold(query);
	folded = strspn(query, "0123456789 +-./()") == strlen(query) ?
	    fold_digits(query) : fold_text(query);
	for (p = strtok(folded, " "); p != NULL && q.nwords < SX_WORDS;
	     p = strtok(NULL, " ")) {
		q.words[q.nwords] = p;
		q.len[q.nwords] = strlen(p);
		q.digits[q.nwords] = strspn(p, "0123456789") == strlen(p);
		if (q.digits[q.nwords]) {
			q.num[q.nwords] = p + strspn(p, "0");
			q.numlen[q.nwords] = strlen(q.num[q.nwords]);
		}
		q.nwords++;
	}
	if (q.nwords > 0 && sx_exact(s, cfg, query, &o, e) < 0) {
		rc = -1;
		goto out;
	}
	w.good = o.n;	/* the exact hits */
	if (sx_main(&w, &o) < 0) {
		rc = -2;
		goto out;
	}
	for (size_t i = 0; i < x->over.n; i++) {
		const struct sx_entry *en = &x->over.e[i];
		int r = q.nwords ? entry_rank(x->over.arena, en, &q) : R_PREFIX;

		if (r != R_NONE)
			out_add(&o, en, r);
	}
	if (o.n > 1)
		qsort(o.f, o.n, sizeof *o.f, found_cmp);
	for (size_t i = 0; i < o.n && n < limit; i++) {
		int dup = 0;

		/* An exact hit is also found by the index: keep its best. */
		for (size_t j = 0; j < n && !dup; j++)
			dup = hits[j].id == o.f[i].id;
		if (dup)
			continue;
		hits[n].id = o.f[i].id;
		hits[n].rank = o.f[i].rank;
		n++;
	}
	rc = (long)n;
out:
	free(o.f);
	free(folded);
	free(plain);
	return rc;
}
