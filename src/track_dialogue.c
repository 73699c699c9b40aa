/* The detector's transaction table (see track_dialogue.h). Buckets of TXN_WAYS dialogues; a dialogue
 * keeps up to TXN_REQS outstanding invokes (MAP dialogues rarely have more than one or two
 * open at once: a Begin's invoke and an insertSubscriberData inside an updateLocation). */
#include <string.h>
#include <talloc.h>
#include <ss7watch/hash.h>
#include <ss7watch/track_mem.h>
#include <ss7watch/track_dialogue.h>

#define TXN_WAYS	8
#define TXN_REQS	2
/* dialogues a growing table starts with; it doubles when an insert would otherwise evict
 * an open dialogue, up to the configured maximum */
#define TXN_INITIAL	8192

/* The TIDs of a bucket sit together so a lookup compares them in one cache line and touches
 * a dialogue only on a match. */
struct txn_dialogue {
	sw_gt_id owner;
	uint32_t last;		/* last activity, seconds */
	uint8_t n_req;
	struct sw_txn_req req[TXN_REQS];
};

struct txn_bucket {
	uint32_t tid[TXN_WAYS];	/* the TID octets as an integer */
	uint8_t tid_len[TXN_WAYS];	/* 0: free slot */
	struct txn_dialogue d[TXN_WAYS];
};

struct sw_txn_table {
	struct txn_bucket *buckets;
	uint64_t len;		/* bytes mapped */
	uint32_t n_buckets;	/* power of two */
	uint32_t max_buckets;
	uint32_t initial_buckets;	/* n_buckets when allocated (and reset) */
	uint32_t timeout_s;
	uint64_t seed;		/* of the TID hash */
	struct sw_txn_stats st;
};

static struct txn_bucket *bucket_of(const struct sw_txn_table *t, uint32_t tid, uint8_t len)
{
	/* the bucket depends on the TID only, so an answer whose GT was rewritten still finds it */
	uint64_t h = sw_hash_seq(t->seed, (uint64_t)tid << 8 | len);

	return &t->buckets[(uint32_t)(h >> 32) & (t->n_buckets - 1)];
}

static int txn_table_free(struct sw_txn_table *t)
{
	sw_mem_unmap(t->buckets, t->len);
	return 0;
}

struct sw_txn_table *sw_txn_table_alloc(void *ctx, uint32_t max_dialogues, uint32_t timeout_s, bool preallocate)
{
	struct sw_txn_table *t = talloc_zero(ctx, struct sw_txn_table);
	uint32_t n = 1;

	if (!t)
		return NULL;
	talloc_set_destructor(t, txn_table_free);
	while ((uint64_t)n * TXN_WAYS < max_dialogues && n < (1u << 26))
		n <<= 1;
	t->max_buckets = n;
	if (!preallocate && n > TXN_INITIAL / TXN_WAYS)
		n = TXN_INITIAL / TXN_WAYS;
	t->n_buckets = n;
	t->initial_buckets = n;
	t->timeout_s = timeout_s ? timeout_s : 60;
	t->seed = sw_hash_seed();
	t->buckets = sw_mem_map((uint64_t)n * sizeof(struct txn_bucket), &t->len, SW_MEM_DENSE);
	if (!t->buckets) {
		talloc_free(t);
		return NULL;
	}
	t->st.capacity = n * TXN_WAYS;
	t->st.max_capacity = t->max_buckets * TXN_WAYS;
	return t;
}

void sw_txn_table_reset(struct sw_txn_table *t)
{
	struct txn_bucket *nb;
	uint64_t len;

	/* a grown table goes back to the size it started at, where its TIDs hash as a new
	 * one's do; when that memory cannot be had it stays as it is, emptied */
	if (t->n_buckets != t->initial_buckets &&
	    (nb = sw_mem_map((uint64_t)t->initial_buckets * sizeof(*nb), &len, SW_MEM_DENSE))) {
		sw_mem_unmap(t->buckets, t->len);
		t->buckets = nb;
		t->len = len;
		t->n_buckets = t->initial_buckets;
	} else {
		memset(t->buckets, 0, (size_t)t->n_buckets * sizeof(*t->buckets));
	}
	/* a failed doubling lowered it */
	t->max_buckets = t->st.max_capacity / TXN_WAYS;
	memset(&t->st, 0, sizeof(t->st));
	t->st.capacity = t->n_buckets * TXN_WAYS;
	t->st.max_capacity = t->max_buckets * TXN_WAYS;
}

static bool expired(const struct sw_txn_table *t, const struct txn_dialogue *d, uint32_t now)
{
	return (int32_t)(now - d->last) > (int32_t)t->timeout_s;
}

/* Slot index in b of the dialogue (tid, owner); with !exact, a unique dialogue with that
 * TID and another owner. -1 when none. */
static int find_slot(struct sw_txn_table *t, struct txn_bucket *b, uint32_t tid, uint8_t len, sw_gt_id owner,
		     uint32_t now, bool exact)
{
	int tid_only = -1;
	unsigned n_tid_only = 0;

	for (unsigned i = 0; i < TXN_WAYS; i++) {
		if (b->tid[i] != tid || b->tid_len[i] != len)
			continue;
		if (expired(t, &b->d[i], now)) {
			b->tid_len[i] = 0;
			t->st.expired++;
			continue;
		}
		if (b->d[i].owner == owner)
			return i;
		tid_only = i;
		n_tid_only++;
	}
	return (!exact && n_tid_only == 1) ? tid_only : -1;
}

/* Double the table: every open dialogue moves to its bucket in the new array (the bucket
 * follows from the TID alone). \returns -1 when the memory cannot be had. */
static int grow(struct sw_txn_table *t, uint32_t now)
{
	struct txn_bucket *old = t->buckets, *nb;
	uint32_t old_n = t->n_buckets, n = old_n * 2;
	uint64_t old_len = t->len, len;

	nb = sw_mem_map((uint64_t)n * sizeof(struct txn_bucket), &len, SW_MEM_DENSE);
	if (!nb) {
		/* keep working at this size: from now on the table evicts instead */
		t->max_buckets = old_n;
		t->st.grow_failures++;
		return -1;
	}
	t->buckets = nb;
	t->len = len;
	t->n_buckets = n;
	for (uint32_t bi = 0; bi < old_n; bi++) {
		for (unsigned i = 0; i < TXN_WAYS; i++) {
			struct txn_bucket *b;
			unsigned j;

			if (!old[bi].tid_len[i])
				continue;
			if (expired(t, &old[bi].d[i], now)) {
				t->st.expired++;
				continue;
			}
			b = bucket_of(t, old[bi].tid[i], old[bi].tid_len[i]);
			for (j = 0; j < TXN_WAYS && b->tid_len[j]; j++)
				;
			if (j == TXN_WAYS) {
				t->st.evicted++;
				continue;
			}
			b->tid[j] = old[bi].tid[i];
			b->tid_len[j] = old[bi].tid_len[i];
			b->d[j] = old[bi].d[i];
		}
	}
	sw_mem_unmap(old, old_len);
	t->st.capacity = n * TXN_WAYS;
	t->st.grows++;
	return 0;
}

struct sw_txn_req *sw_txn_add(struct sw_txn_table *t, const struct sw_tid *tid, sw_gt_id owner,
			      int16_t invoke_id, uint32_t now)
{
	uint32_t v = sw_tid_value(tid);
	struct txn_bucket *b = bucket_of(t, v, tid->len);
	int i = find_slot(t, b, v, tid->len, owner, now, true);
	struct txn_dialogue *d;
	struct sw_txn_req *r;

	if (i < 0) {
		/* a free or expired slot, else the least recently active dialogue goes, unless
		 * the table can still grow */
retry:
		for (unsigned j = 0; j < TXN_WAYS; j++) {
			if (!b->tid_len[j] || expired(t, &b->d[j], now)) {
				if (b->tid_len[j])
					t->st.expired++;
				i = j;
				break;
			}
			if (i < 0 || (int32_t)(b->d[j].last - b->d[i].last) < 0)
				i = j;
		}
		if (b->tid_len[i] && !expired(t, &b->d[i], now)) {
			if (t->n_buckets < t->max_buckets && grow(t, now) == 0) {
				b = bucket_of(t, v, tid->len);
				i = -1;
				goto retry;
			}
			t->st.evicted++;
		}
		b->tid[i] = v;
		b->tid_len[i] = tid->len;
		b->d[i].owner = owner;
		b->d[i].n_req = 0;
	}
	d = &b->d[i];
	d->last = now;
	/* a reused invoke id replaces the old invoke; otherwise the oldest one goes */
	for (unsigned j = 0; j < d->n_req; j++) {
		if (d->req[j].invoke_id == invoke_id) {
			r = &d->req[j];
			goto fill;
		}
	}
	if (d->n_req < TXN_REQS) {
		r = &d->req[d->n_req++];
	} else {
		memmove(&d->req[0], &d->req[1], sizeof(d->req[0]) * (TXN_REQS - 1));
		r = &d->req[TXN_REQS - 1];
	}
fill:
	memset(r, 0, sizeof(*r));
	r->invoke_id = invoke_id;
	t->st.inserted++;
	return r;
}

const struct sw_txn_req *sw_txn_find(struct sw_txn_table *t, const struct sw_tid *tid, sw_gt_id owner,
				     int16_t invoke_id, uint32_t now)
{
	uint32_t v = sw_tid_value(tid);
	struct txn_bucket *b = bucket_of(t, v, tid->len);
	int i = find_slot(t, b, v, tid->len, owner, now, false);

	if (i >= 0) {
		struct txn_dialogue *d = &b->d[i];

		for (unsigned j = 0; j < d->n_req; j++) {
			if (d->req[j].invoke_id == invoke_id) {
				d->last = now;
				t->st.matched++;
				return &d->req[j];
			}
		}
	}
	t->st.unmatched++;
	return NULL;
}

void sw_txn_prefetch(const struct sw_txn_table *t, const struct sw_tid *tid)
{
	__builtin_prefetch(bucket_of(t, sw_tid_value(tid), tid->len));
}

void sw_txn_close(struct sw_txn_table *t, const struct sw_tid *tid, sw_gt_id owner, uint32_t now)
{
	uint32_t v = sw_tid_value(tid);
	struct txn_bucket *b = bucket_of(t, v, tid->len);
	int i = find_slot(t, b, v, tid->len, owner, now, false);

	if (i >= 0) {
		b->tid_len[i] = 0;
		t->st.closed++;
	}
}

void sw_txn_table_stats(const struct sw_txn_table *t, struct sw_txn_stats *out)
{
	*out = t->st;
}
