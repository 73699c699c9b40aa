/* The detector's transaction table (see txn.h). Buckets of TXN_WAYS dialogues; a dialogue
 * keeps up to TXN_REQS outstanding invokes (MAP dialogues rarely have more than one or two
 * open at once: a Begin's invoke and an insertSubscriberData inside an updateLocation). */
#include <string.h>
#include <talloc.h>
#include <ss7watch/txn.h>

#define TXN_WAYS	8
#define TXN_REQS	2

struct txn_dialogue {
	uint32_t tid;		/* the TID octets as an integer, with its length in the key */
	uint8_t tid_len;	/* 0: free slot */
	uint8_t n_req;
	sw_gt_id owner;
	uint32_t last;		/* last activity, seconds */
	struct sw_txn_req req[TXN_REQS];
};

struct sw_txn_table {
	struct txn_dialogue *slots;
	uint32_t n_buckets;	/* power of two */
	uint32_t timeout_s;
	struct sw_txn_stats st;
};

static uint32_t tid_value(const struct sw_tid *tid)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < tid->len && i < 4; i++)
		v = (v << 8) | tid->b[i];
	return v;
}

static uint32_t bucket_of(const struct sw_txn_table *t, uint32_t tid, uint8_t len)
{
	/* the bucket depends on the TID only, so an answer whose GT was rewritten still finds it */
	uint64_t h = ((uint64_t)tid << 8 | len) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 32) & (t->n_buckets - 1);
}

struct sw_txn_table *sw_txn_table_alloc(void *ctx, uint32_t max_dialogues, uint32_t timeout_s)
{
	struct sw_txn_table *t = talloc_zero(ctx, struct sw_txn_table);
	uint32_t n = 1;

	if (!t)
		return NULL;
	while ((uint64_t)n * TXN_WAYS < max_dialogues && n < (1u << 28))
		n <<= 1;
	t->n_buckets = n;
	t->timeout_s = timeout_s ? timeout_s : 60;
	t->slots = talloc_zero_array(t, struct txn_dialogue, (size_t)n * TXN_WAYS);
	if (!t->slots) {
		talloc_free(t);
		return NULL;
	}
	t->st.capacity = n * TXN_WAYS;
	return t;
}

static bool expired(const struct sw_txn_table *t, const struct txn_dialogue *d, uint32_t now)
{
	return (int32_t)(now - d->last) > (int32_t)t->timeout_s;
}

static struct txn_dialogue *find_dialogue(struct sw_txn_table *t, uint32_t tid, uint8_t len, sw_gt_id owner,
					  uint32_t now, bool exact)
{
	struct txn_dialogue *b = &t->slots[(size_t)bucket_of(t, tid, len) * TXN_WAYS];
	struct txn_dialogue *tid_only = NULL;
	unsigned n_tid_only = 0;

	for (unsigned i = 0; i < TXN_WAYS; i++) {
		struct txn_dialogue *d = &b[i];

		if (!d->tid_len || d->tid != tid || d->tid_len != len)
			continue;
		if (expired(t, d, now)) {
			d->tid_len = 0;
			t->st.expired++;
			continue;
		}
		if (d->owner == owner)
			return d;
		tid_only = d;
		n_tid_only++;
	}
	return (!exact && n_tid_only == 1) ? tid_only : NULL;
}

struct sw_txn_req *sw_txn_add(struct sw_txn_table *t, const struct sw_tid *tid, sw_gt_id owner,
			      int16_t invoke_id, uint32_t now)
{
	uint32_t v = tid_value(tid);
	struct txn_dialogue *d = find_dialogue(t, v, tid->len, owner, now, true);
	struct sw_txn_req *r;

	if (!d) {
		struct txn_dialogue *b = &t->slots[(size_t)bucket_of(t, v, tid->len) * TXN_WAYS];
		struct txn_dialogue *victim = NULL;

		for (unsigned i = 0; i < TXN_WAYS; i++) {
			if (!b[i].tid_len || expired(t, &b[i], now)) {
				if (b[i].tid_len)
					t->st.expired++;
				victim = &b[i];
				break;
			}
			if (!victim || (int32_t)(b[i].last - victim->last) < 0)
				victim = &b[i];
		}
		if (victim->tid_len && !expired(t, victim, now))
			t->st.evicted++;
		d = victim;
		d->tid = v;
		d->tid_len = tid->len;
		d->owner = owner;
		d->n_req = 0;
	}
	d->last = now;
	/* a reused invoke id replaces the old invoke; otherwise the oldest one goes */
	for (unsigned i = 0; i < d->n_req; i++) {
		if (d->req[i].invoke_id == invoke_id) {
			r = &d->req[i];
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
	struct txn_dialogue *d = find_dialogue(t, tid_value(tid), tid->len, owner, now, false);

	if (d) {
		for (unsigned i = 0; i < d->n_req; i++) {
			if (d->req[i].invoke_id == invoke_id) {
				d->last = now;
				t->st.matched++;
				return &d->req[i];
			}
		}
	}
	t->st.unmatched++;
	return NULL;
}

void sw_txn_close(struct sw_txn_table *t, const struct sw_tid *tid, sw_gt_id owner, uint32_t now)
{
	struct txn_dialogue *d = find_dialogue(t, tid_value(tid), tid->len, owner, now, false);

	if (d) {
		d->tid_len = 0;
		t->st.closed++;
	}
}

void sw_txn_table_stats(const struct sw_txn_table *t, struct sw_txn_stats *out)
{
	*out = t->st;
}
