/*
 * search: the in-memory customer index and the ranked query (search.h).
 *
 * The main segment holds every customer at the last rebuild, sorted by
 * visit (most recent first), its text in one arena, and posting lists: for
 * each key (a class and up to three bytes) the ascending entry numbers, so
 * walking a list is walking in visit order. Keys:
 *   PHONE  the last 1-3 digits of the phone
 *   NAME   the first 1-3 bytes of each name word    CARD  of the card
 *   TRI    every 3-byte run inside a name word
 *   EMAIL  the first 1-3 bytes of the address and of its domain
 *   TAG    the first 1-3 bytes of each tag
 * Customers changed since the rebuild are marked dead there and kept in a
 * small overlay that every query reads in full; a big overlay triggers a
 * rebuild.
 */
#include "patron/search.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "patron/customer.h"
#include "patron/phone.h"
#include "patron/text.h"

enum { K_PHONE = 1, K_NAME, K_CARD, K_TRI, K_EMAIL, K_TAG };
enum { R_EXACT, R_PHONE, R_PREFIX, R_INNER, R_EMAIL, R_TAG, R_NONE = 99 };

#define SX_WORDS 8
#define SX_CANCEL_EVERY 4096

struct sx_entry {
	int64_t id;
	int64_t visit;			/* YYYYMMDDhhmmss, 0 if never */
	uint32_t name, email, tags, card, phone; /* arena offsets */
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
};

struct search *
search_new(void)
{
	return xcalloc(1, sizeof(struct search));
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
	f = text_fold((const char *)sqlite3_column_text(st, 1));
	en->name = seg_put(g, f);
	free(f);
	f = text_fold((const char *)sqlite3_column_text(st, 2));
	en->email = seg_put(g, f);
	free(f);
	f = text_fold(tags ? tags : "");
	en->tags = seg_put(g, f);
	free(f);
	f = text_fold((const char *)sqlite3_column_text(st, 3));
	en->card = seg_put(g, f);
	free(f);
	f = text_digits((const char *)sqlite3_column_text(st, 4));
	en->phone = seg_put(g, f);
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

static struct sx_list *
list_slot(struct sx_seg *g, uint32_t key, int create)
{
	size_t mask = g->nlists - 1;

	if (g->nlists == 0)
		return NULL;
	for (size_t i = key_hash(key) & mask;; i = (i + 1) & mask) {
		if (g->lists[i].key == key)
			return &g->lists[i];
		if (g->lists[i].key == 0) {
			if (!create)
				return NULL;
			g->lists[i].key = key;
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

	for (size_t k = 1; k <= 3 && k <= pl; k++)
		fn(g, key_make(K_PHONE, p + pl - k, k), entry);
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

	if (store_prepare(s, "SELECT coalesce(max(seq), 0) FROM customer_change",
		    &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	*seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
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
	int nwords;
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

static int
word_rank(const char *a, const struct sx_entry *en, const char *w, size_t n,
	int digits)
{
	const char *phone = a + en->phone, *name = a + en->name;
	size_t pl = strlen(phone);

	if (digits && pl >= n && strcmp(phone + pl - n, w) == 0)
		return pl == n ? R_EXACT : R_PHONE;
	if (strcmp(a + en->card, w) == 0)
		return R_EXACT;
	if (starts_word(name, w, n) || starts_word(a + en->card, w, n))
		return R_PREFIX;
	if (strstr(name, w) != NULL)
		return R_INNER;
	if (starts_word(a + en->email, w, n))
		return R_EMAIL;
	if (starts_word(a + en->tags, w, n))
		return R_TAG;
	return R_NONE;
}

static int
entry_rank(const char *a, const struct sx_entry *en, const struct sx_query *q)
{
	int worst = R_EXACT;

	for (int i = 0; i < q->nwords; i++) {
		int r = word_rank(a, en, q->words[i], q->len[i], q->digits[i]);

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
 * Walk up to two posting lists merged in entry order (visit order), adding
 * the entries whose rank is want (any rank if want < 0) until o holds stop
 * entries. Returns -2 if cancelled.
 */
struct sx_walk {
	const struct search *x;
	const struct sx_query *q;
	int (*cancel)(void *);
	void *arg;
	long steps;
};

static int
walk_visit(struct sx_walk *w, uint32_t i, int want, struct sx_out *o)
{
	const struct sx_seg *g = &w->x->main;
	int r;

	if (++w->steps % SX_CANCEL_EVERY == 0 && w->cancel != NULL &&
	    w->cancel(w->arg))
		return -2;
	if (g->dead[i])
		return 0;
	r = entry_rank(g->arena, &g->e[i], w->q);
	if (r != R_NONE && (want < 0 || r == want))
		out_add(o, &g->e[i], r);
	return 0;
}

static int
walk_lists(struct sx_walk *w, const struct sx_list *l1,
	const struct sx_list *l2, int want, struct sx_out *o, size_t stop)
{
	const uint32_t *p = w->x->main.post;
	uint32_t i1 = 0, i2 = 0, n1 = l1 ? l1->count : 0, n2 = l2 ? l2->count : 0;

	while ((i1 < n1 || i2 < n2) && o->n < stop) {
		uint32_t a = i1 < n1 ? p[l1->start + i1] : UINT32_MAX;
		uint32_t b = i2 < n2 ? p[l2->start + i2] : UINT32_MAX;
		uint32_t next = a < b ? a : b;

		if (a == next)
			i1++;
		if (b == next)
			i2++;
		if (walk_visit(w, next, want, o) < 0)
			return -2;
	}
	return 0;
}

static int
walk_all(struct sx_walk *w, int want, struct sx_out *o, size_t stop)
{
	for (uint32_t i = 0; i < w->x->main.n && o->n < stop; i++)
		if (walk_visit(w, i, want, o) < 0)
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
	if (store_prepare(s, "SELECT id, last_visit FROM customer WHERE "
		    "deleted_at IS NULL AND (card = ?1 OR phone = ?2)", &st,
		    e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, card, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, e164, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sx_entry en = { 0 };

		en.id = sqlite3_column_int64(st, 0);
		en.visit = visit_key((const char *)sqlite3_column_text(st, 1));
		out_add(o, &en, R_EXACT);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "search");
}

static int
sx_main(struct sx_walk *w, size_t limit, struct sx_out *o)
{
	const struct sx_seg *g = &w->x->main;
	const struct sx_query *q = w->q;
	size_t n, best = 0, k;
	const char *wd;
	int empty;

	if (q->nwords == 0) {
		for (uint32_t i = 0; i < g->n && o->n < limit; i++)
			if (!g->dead[i])
				out_add(o, &g->e[i], R_PREFIX);
		return 0;
	}
	for (int i = 1; i < q->nwords; i++)
		if (q->len[i] > q->len[best])
			best = (size_t)i;
	wd = q->words[best];
	n = q->len[best];
	k = n < 3 ? n : 3;
	if (q->nwords > 1) {
		/* Every candidate of the longest word, ranked by all words. */
		const struct sx_list *tri = rarest_tri(g, wd, n, &empty);

		/* Too short for trigrams: it may match anywhere in a name. */
		if (n < 3)
			return walk_all(w, -1, o, SIZE_MAX);
		if ((q->digits[best] && walk_lists(w, seg_list(g, K_PHONE,
			wd + n - k, k), NULL, -1, o, SIZE_MAX) < 0) ||
		    walk_lists(w, seg_list(g, K_NAME, wd, k),
			seg_list(g, K_CARD, wd, k), -1, o, SIZE_MAX) < 0 ||
		    walk_lists(w, tri, NULL, -1, o, SIZE_MAX) < 0 ||
		    walk_lists(w, seg_list(g, K_EMAIL, wd, k),
			seg_list(g, K_TAG, wd, k), -1, o, SIZE_MAX) < 0)
			return -2;
		return 0;
	}
	/* One word: rank by rank, each list in visit order, until full. */
	if (q->digits[0] && walk_lists(w, seg_list(g, K_PHONE, wd + n - k, k),
				NULL, R_PHONE, o, limit) < 0)
		return -2;
	if (walk_lists(w, seg_list(g, K_NAME, wd, k), seg_list(g, K_CARD, wd, k),
		    R_PREFIX, o, limit) < 0)
		return -2;
	if (o->n < limit) {
		if (n >= 3) {
			const struct sx_list *tri = rarest_tri(g, wd, n, &empty);

			if (!empty &&
			    walk_lists(w, tri, NULL, R_INNER, o, limit) < 0)
				return -2;
		} else if (walk_all(w, R_INNER, o, limit) < 0)
			return -2;
	}
	if (walk_lists(w, seg_list(g, K_EMAIL, wd, k), NULL, R_EMAIL, o,
		    limit) < 0 ||
	    walk_lists(w, seg_list(g, K_TAG, wd, k), NULL, R_TAG, o, limit) < 0)
		return -2;
	return 0;
}

long
search_query(struct search *x, struct store *s, const struct config *cfg,
	const char *query, struct search_hit *hits, size_t limit,
	int (*cancel)(void *arg), void *arg, struct perr *e)
{
	struct sx_query q;
	struct sx_out o = { 0 };
	struct sx_walk w = { x, &q, cancel, arg, 0 };
	char *folded, *p;
	size_t n = 0;
	long rc = 0;

	if (limit == 0)
		return 0;
	memset(&q, 0, sizeof q);
	/* A phone number typed with spaces or dashes is one number. */
	folded = strspn(query, "0123456789 +-./()") == strlen(query) ?
	    text_digits(query) : text_fold(query);
	for (p = strtok(folded, " "); p != NULL && q.nwords < SX_WORDS;
	     p = strtok(NULL, " ")) {
		q.words[q.nwords] = p;
		q.len[q.nwords] = strlen(p);
		q.digits[q.nwords] = strspn(p, "0123456789") == strlen(p);
		q.nwords++;
	}
	if (q.nwords > 0 && sx_exact(s, cfg, query, &o, e) < 0) {
		rc = -1;
		goto out;
	}
	if (sx_main(&w, limit + o.n, &o) < 0) {
		rc = -2;
		goto out;
	}
	for (size_t i = 0; i < x->over.n; i++) {
		const struct sx_entry *en = &x->over.e[i];
		int r = q.nwords ? entry_rank(x->over.arena, en, &q) : R_PREFIX;

		if (r != R_NONE)
			out_add(&o, en, r);
	}
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
	return rc;
}
