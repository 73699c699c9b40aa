/* The subscriber table (see track_subscr.h).
 *
 * Layout: 256-byte buckets of SUBSCR_WAYS (5) records plus a 16-byte header of 8-bit
 * hash tags and 16-bit LRU stamps, so one bucket is four whole cache lines and the
 * records are the IMSI index (no separate key array). An IMSI may live in either of
 * two buckets (two-choice hashing): inserts go to the less loaded one, which keeps the
 * buckets even; when both are full, one of their subscribers is moved to its other
 * bucket if it can be (one cuckoo step): evictions start at ~95% load, and filling
 * the table with as many subscribers as its capacity leaves it ~97.5% full.
 *
 * Growth: the table starts small (SUBSCR_INITIAL subscribers, or the whole capacity when
 * asked to preallocate) and doubles, up to its capacity, when it is SUBSCR_GROW_NUM/DEN
 * full or an insert finds both buckets full: memory (and the pages the kernel must zero)
 * follows the subscribers actually seen, and a small population stays cache-resident.
 * Growing rehashes every record and rebuilds the MSISDN index; record pointers handed out
 * before are invalid afterwards (it happens only inside sw_subscr_get() of a new IMSI).
 *
 * Eviction: at capacity, when both buckets are full, the least recently used of their ten
 * records goes (sampled LRU). Stamps are a clock that ticks once per new subscriber (coarsened
 * to 4096 ticks per table capacity); lookups stamp the record with the current clock.
 *
 * MSISDN index: buckets of MIDX_WAYS 64-bit entries, (hash >> 32) << 32 | (slot + 1), one
 * cache line each; a number may sit in either of its two buckets (seeded hash), so a lookup
 * reads at most two lines whatever numbers arrive, and one unless its first bucket has ever
 * overflowed into a second (a bit per bucket says so). An insert into two full buckets moves one
 * of their entries to its other bucket (one cuckoo step); failing that the number is not
 * indexed (counted in msisdn_index_full; its subscriber is still found by IMSI). 1.25 entries
 * per record keep that rare. Each record with a non-zero msisdn has exactly one entry, and an
 * MSISDN has at most one record.
 *
 * Memory at capacity: 256 / 5 + 8 / 0.8 = 61.2 bytes per subscriber; while growing, the
 * old and the new arrays are both mapped for the length of the rehash. */
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <talloc.h>
#include <ss7watch/hash.h>
#include <ss7watch/msg.h>
#include <ss7watch/track_mem.h>
#include <ss7watch/track_subscr.h>

#define SUBSCR_WAYS		5
#define SUBSCR_BUCKET_SIZE	256
#define SUBSCR_MAX		(1U << 31)
/* MSISDN index slots per 4 subscribers */
#define MSISDN_IDX_NUM		5
#define MSISDN_IDX_DEN		4
#define MIDX_WAYS		8	/* entries per MSISDN index bucket: 64 bytes */
/* first size of a growing table, and the fill at which it doubles */
#define SUBSCR_INITIAL		65536
#define SUBSCR_GROW_NUM		7
#define SUBSCR_GROW_DEN		8

struct subscr_bucket {
	uint8_t tag[SUBSCR_WAYS];	/* 0: free slot */
	uint8_t pad;
	uint16_t stamp[SUBSCR_WAYS];	/* LRU clock at last use */
	struct sw_subscr rec[SUBSCR_WAYS];
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct sw_subscr) == 48, "sw_subscr grew: recheck the bucket layout");
_Static_assert(sizeof(struct subscr_bucket) == SUBSCR_BUCKET_SIZE, "bucket is not 4 lines");

struct sw_subscr_table {
	struct subscr_bucket *b;
	uint64_t *midx;		/* MSISDN index */
	uint64_t b_len, midx_len;	/* bytes mapped */
	uint32_t n_buckets;	/* >= 2 */
	uint32_t max_buckets;	/* n_buckets at capacity */
	uint32_t initial_buckets;	/* n_buckets when allocated (and reset) */
	uint32_t grow_at;	/* count at which the table doubles (while below capacity) */
	uint32_t midx_size;
	uint32_t midx_count;
	/* a bit per bucket: some number whose first bucket this is sits in its second one, so
	 * only then does a lookup read two lines (after the entries, in the same mapping) */
	uint64_t *midx_over;
	uint32_t midx_over_words;
	uint32_t clock;		/* new subscribers so far */
	uint8_t clock_shift;
	uint32_t relocate_below;	/* count under which inserts make room by moving */
	uint64_t seed;		/* of the IMSI and MSISDN hashes */
	uint64_t bytes;
	struct sw_subscr_stats st;
};

sw_num_t sw_num_pack(const char *s)
{
	uint64_t v = 0;
	unsigned n;

	if (!s)
		return 0;
	for (n = 0; s[n]; n++) {
		if (n >= 15 || s[n] < '0' || s[n] > '9')
			return 0;
		v = v * 10 + (s[n] - '0');
	}
	if (!n)
		return 0;
	return ((uint64_t)n << 60) | v;
}

sw_num_t sw_num_from_tbcd(const uint8_t *tbcd, unsigned len)
{
	uint64_t v = 0;
	unsigned n = 0, i = 0;

	/* two decimal digits an octet by table while at least two more fit in 15 */
	for (; i < len && n <= 13 && sw_bcd_pair[tbcd[i]] != 0xff; i++, n += 2)
		v = v * 100 + sw_bcd_pair[tbcd[i]];
	for (; i < len; i++) {
		const uint8_t d[2] = { tbcd[i] & 0x0f, tbcd[i] >> 4 };

		for (unsigned j = 0; j < 2; j++) {
			/* the 0xF filler ends the number, as in sw_tbcd_to_str() */
			if (d[j] == 0x0f)
				goto done;
			if (d[j] > 9 || n >= 15)
				return 0;
			v = v * 10 + d[j];
			n++;
		}
	}
done:
	return n ? ((uint64_t)n << 60) | v : 0;
}

unsigned sw_num_unpack(sw_num_t n, char *buf)
{
	unsigned len = n >> 60;
	uint64_t v = n & ((1ULL << 60) - 1);

	for (unsigned i = len; i > 0; i--) {
		buf[i - 1] = '0' + v % 10;
		v /= 10;
	}
	buf[len] = '\0';
	return len;
}

/* The value of the first k digits of n, -1 when it has fewer */
static int64_t num_prefix(sw_num_t n, unsigned k)
{
	static const uint64_t pow10[16] = {
		1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
		100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
		10000000000000ull, 100000000000000ull, 1000000000000000ull,
	};
	unsigned len = n >> 60;

	if (!k || k > len)
		return -1;
	return (n & ((1ULL << 60) - 1)) / pow10[len - k];
}

void sw_num_plmn(sw_num_t imsi, int *mcc, int *mnc2, int *mnc3)
{
	int64_t p6 = num_prefix(imsi, 6), p5 = p6 >= 0 ? p6 / 10 : num_prefix(imsi, 5);
	int64_t p3 = p5 >= 0 ? p5 / 100 : num_prefix(imsi, 3);

	*mcc = (int)p3;
	*mnc2 = p5 >= 0 ? (int)(p5 % 100) : -1;
	*mnc3 = p6 >= 0 ? (int)(p6 % 1000) : -1;
}

/* Map 32 random bits onto [0, n) without a division (Lemire's multiply-shift). */
static inline uint32_t reduce32(uint32_t x, uint32_t n)
{
	return ((uint64_t)x * n) >> 32;
}

struct imsi_hash {
	uint32_t b1, b2;
	uint8_t tag;
};

static inline struct imsi_hash imsi_hash(const struct sw_subscr_table *t, sw_num_t imsi)
{
	uint64_t h = sw_hash64(t->seed, imsi);
	struct imsi_hash ih;

	ih.b1 = reduce32(h >> 32, t->n_buckets);
	ih.b2 = reduce32(h, t->n_buckets);
	if (ih.b2 == ih.b1)
		ih.b2 = ih.b1 + 1 == t->n_buckets ? 0 : ih.b1 + 1;
	/* the tag must not follow from the bucket number: take it from a re-multiplied hash */
	ih.tag = (h * 0x9e3779b97f4a7c15ULL) >> 56;
	if (!ih.tag)
		ih.tag = 1;
	return ih;
}

static inline uint16_t lru_now(const struct sw_subscr_table *t)
{
	return t->clock >> t->clock_shift;
}

static inline uint32_t slot_of(const struct sw_subscr_table *t, const struct sw_subscr *s)
{
	uintptr_t off = (uintptr_t)s - (uintptr_t)t->b;
	uint32_t bucket = off / SUBSCR_BUCKET_SIZE;
	unsigned way = (off % SUBSCR_BUCKET_SIZE - offsetof(struct subscr_bucket, rec))
		       / sizeof(struct sw_subscr);

	return bucket * SUBSCR_WAYS + way;
}

static inline struct sw_subscr *slot_rec(const struct sw_subscr_table *t, uint32_t slot)
{
	return &t->b[slot / SUBSCR_WAYS].rec[slot % SUBSCR_WAYS];
}

static inline void touch(struct sw_subscr_table *t, struct sw_subscr *s)
{
	uint32_t slot = slot_of(t, s);

	t->b[slot / SUBSCR_WAYS].stamp[slot % SUBSCR_WAYS] = lru_now(t);
}

static int subscr_table_free(struct sw_subscr_table *t)
{
	sw_mem_unmap(t->b, t->b_len);
	sw_mem_unmap(t->midx, t->midx_len);
	return 0;
}

/* The count at which the table doubles: none once it is at its maximum. */
static void set_grow_at(struct sw_subscr_table *t)
{
	t->grow_at = t->n_buckets < t->max_buckets
		     ? (uint64_t)t->n_buckets * SUBSCR_WAYS * SUBSCR_GROW_NUM / SUBSCR_GROW_DEN : UINT32_MAX;
}

/* Map (zeroed) arrays for n_buckets and make them the table's; the caller keeps the old.
 * On failure the table is left as it was. */
static int map_arrays(struct sw_subscr_table *t, uint32_t n_buckets)
{
	uint32_t cap = n_buckets * SUBSCR_WAYS;
	uint32_t midx_size = ((uint64_t)cap * MSISDN_IDX_NUM / MSISDN_IDX_DEN / MIDX_WAYS + 1) * MIDX_WAYS;
	uint64_t b_len, midx_len;
	struct subscr_bucket *b;
	uint64_t *midx;

	b = sw_mem_map((uint64_t)n_buckets * sizeof(struct subscr_bucket), &b_len, SW_MEM_DENSE);
	uint32_t over_words = (midx_size / MIDX_WAYS + 63) / 64;

	midx = sw_mem_map((uint64_t)(midx_size + over_words) * sizeof(uint64_t), &midx_len, SW_MEM_DENSE);
	if (!b || !midx) {
		sw_mem_unmap(b, b_len);
		sw_mem_unmap(midx, midx_len);
		return -1;
	}
	t->b = b;
	t->b_len = b_len;
	t->midx = midx;
	t->midx_len = midx_len;
	t->n_buckets = n_buckets;
	t->midx_size = midx_size;
	t->midx_count = 0;
	t->midx_over = midx + midx_size;
	t->midx_over_words = over_words;
	t->relocate_below = cap - cap / 64;
	set_grow_at(t);
	t->bytes = sizeof(*t) + b_len + midx_len;
	t->st.capacity = cap;
	return 0;
}

struct sw_subscr_table *sw_subscr_table_alloc(void *ctx, uint32_t max_subscribers, bool preallocate)
{
	struct sw_subscr_table *t = talloc_zero(ctx, struct sw_subscr_table);
	uint32_t cap, n;

	if (!t)
		return NULL;
	talloc_set_destructor(t, subscr_table_free);
	t->seed = sw_hash_seed();
	if (max_subscribers > SUBSCR_MAX)
		max_subscribers = SUBSCR_MAX;
	t->max_buckets = (max_subscribers + SUBSCR_WAYS - 1) / SUBSCR_WAYS;
	if (t->max_buckets < 2)
		t->max_buckets = 2;
	cap = t->max_buckets * SUBSCR_WAYS;
	t->st.max_capacity = cap;
	/* 4096 LRU ticks per table's worth of new subscribers: the 16-bit stamps wrap only
	 * after 16 turnovers, long after an unused record would have been evicted */
	while ((cap >> t->clock_shift) > 4096)
		t->clock_shift++;

	n = t->max_buckets;
	if (!preallocate && n > SUBSCR_INITIAL / SUBSCR_WAYS)
		n = SUBSCR_INITIAL / SUBSCR_WAYS;
	t->initial_buckets = n;
	if (map_arrays(t, n) < 0) {
		talloc_free(t);
		return NULL;
	}
	return t;
}

void sw_subscr_table_reset(struct sw_subscr_table *t)
{
	struct subscr_bucket *b = t->b;
	uint64_t *midx = t->midx;
	uint64_t b_len = t->b_len, midx_len = t->midx_len;
	uint32_t max_capacity = t->st.max_capacity;

	/* a failed doubling lowered it */
	t->max_buckets = max_capacity / SUBSCR_WAYS;
	/* a grown table goes back to the size it started at, where its IMSIs hash as a new
	 * one's do; when that memory cannot be had it stays as it is, emptied */
	if (t->n_buckets != t->initial_buckets && map_arrays(t, t->initial_buckets) == 0) {
		sw_mem_unmap(b, b_len);
		sw_mem_unmap(midx, midx_len);
	} else {
		memset(t->b, 0, (size_t)t->n_buckets * sizeof(*t->b));
		memset(t->midx, 0, (size_t)(t->midx_size + t->midx_over_words) * sizeof(*t->midx));
		t->midx_count = 0;
		set_grow_at(t);
	}
	t->clock = 0;
	memset(&t->st, 0, sizeof(t->st));
	t->st.capacity = t->n_buckets * SUBSCR_WAYS;
	t->st.max_capacity = max_capacity;
}

static struct sw_subscr *bucket_find(struct sw_subscr_table *t, uint32_t bi, uint8_t tag,
				     sw_num_t imsi)
{
	struct subscr_bucket *b = &t->b[bi];

	for (unsigned i = 0; i < SUBSCR_WAYS; i++) {
		if (b->tag[i] == tag && b->rec[i].imsi == imsi) {
			b->stamp[i] = lru_now(t);
			return &b->rec[i];
		}
	}
	return NULL;
}

static struct sw_subscr *imsi_find(struct sw_subscr_table *t, const struct imsi_hash *ih,
				   sw_num_t imsi)
{
	struct sw_subscr *s;

	/* half the IMSIs are in their second bucket: have its load under way */
	__builtin_prefetch(&t->b[ih->b2]);
	s = bucket_find(t, ih->b1, ih->tag, imsi);
	return s ? s : bucket_find(t, ih->b2, ih->tag, imsi);
}

void sw_subscr_prefetch(const struct sw_subscr_table *t, sw_num_t imsi)
{
	struct imsi_hash ih = imsi_hash(t, imsi);

	/* header lines only: prefetching whole buckets runs out of line fill buffers */
	__builtin_prefetch(&t->b[ih.b1]);
	__builtin_prefetch(&t->b[ih.b2]);
}

struct sw_subscr *sw_subscr_find(struct sw_subscr_table *t, sw_num_t imsi)
{
	struct imsi_hash ih;

	t->st.lookups++;
	if (!imsi)
		return NULL;
	ih = imsi_hash(t, imsi);
	return imsi_find(t, &ih, imsi);
}

/* MSISDN index */

struct midx_hash {
	uint32_t tag;		/* the entry's upper half */
	uint32_t b1, b2;	/* its two buckets */
};

static inline struct midx_hash midx_hash(const struct sw_subscr_table *t, sw_num_t msisdn)
{
	uint64_t h = sw_hash64(t->seed, msisdn);
	uint32_t nb = t->midx_size / MIDX_WAYS;

	return (struct midx_hash){ .tag = h >> 32, .b1 = reduce32(h >> 32, nb), .b2 = reduce32((uint32_t)h, nb) };
}

static inline uint64_t *midx_bucket(const struct sw_subscr_table *t, uint32_t b)
{
	return &t->midx[(size_t)b * MIDX_WAYS];
}

static inline bool midx_overflowed(const struct sw_subscr_table *t, uint32_t b)
{
	return t->midx_over[b / 64] & (1ull << (b % 64));
}

static inline void midx_set_overflowed(struct sw_subscr_table *t, uint32_t b)
{
	t->midx_over[b / 64] |= 1ull << (b % 64);
}

/* msisdn's entry (hashed to mh), or NULL. */
static uint64_t *midx_find_hashed(const struct sw_subscr_table *t, sw_num_t msisdn, const struct midx_hash *h)
{
	const struct midx_hash mh = *h;
	const uint32_t bs[2] = { mh.b1, mh.b2 };

	for (unsigned k = 0; k < 2; k++) {
		uint64_t *e = midx_bucket(t, bs[k]);

		for (unsigned w = 0; w < MIDX_WAYS; w++)
			if (e[w] && (uint32_t)(e[w] >> 32) == mh.tag &&
			    slot_rec(t, (uint32_t)e[w] - 1)->msisdn == msisdn)
				return &e[w];
		/* nothing of this bucket ever went to its second one */
		if (!midx_overflowed(t, mh.b1) || mh.b2 == mh.b1)
			break;
	}
	return NULL;
}

static uint64_t *midx_find(const struct sw_subscr_table *t, sw_num_t msisdn)
{
	struct midx_hash mh = midx_hash(t, msisdn);

	return midx_find_hashed(t, msisdn, &mh);
}

static uint64_t *midx_free_way(const struct sw_subscr_table *t, uint32_t b)
{
	uint64_t *e = midx_bucket(t, b);

	for (unsigned w = 0; w < MIDX_WAYS; w++)
		if (!e[w])
			return &e[w];
	return NULL;
}

/* A free entry for a number hashed to mh: in either bucket, else after moving one entry of
 * them to its other bucket. NULL when both buckets and those others are full. */
static uint64_t *midx_make_room(struct sw_subscr_table *t, const struct midx_hash *mh)
{
	const uint32_t bs[2] = { mh->b1, mh->b2 };
	uint64_t *e;

	if ((e = midx_free_way(t, mh->b1)))
		return e;
	for (unsigned k = 0; k < 2; k++) {
		uint64_t *b = midx_bucket(t, bs[k]);

		if (k && (e = midx_free_way(t, mh->b2))) {
			midx_set_overflowed(t, mh->b1);
			return e;
		}
		for (unsigned w = 0; w < MIDX_WAYS; w++) {
			struct midx_hash other = midx_hash(t, slot_rec(t, (uint32_t)b[w] - 1)->msisdn);
			uint32_t alt = other.b1 == bs[k] ? other.b2 : other.b1;
			uint64_t *to;

			if (alt == bs[k] || !(to = midx_free_way(t, alt)))
				continue;
			if (alt == other.b2)
				midx_set_overflowed(t, other.b1);
			*to = b[w];
			b[w] = 0;
			if (k)
				midx_set_overflowed(t, mh->b1);
			return &b[w];
		}
	}
	return NULL;
}

static void midx_remove(struct sw_subscr_table *t, const struct sw_subscr *s)
{
	uint64_t *e = midx_find(t, s->msisdn);

	if (e) {
		*e = 0;
		t->midx_count--;
	}
}

uint32_t sw_subscr_msisdn_buckets(const struct sw_subscr_table *t, sw_num_t msisdn, uint32_t *other)
{
	struct midx_hash mh = midx_hash(t, msisdn);

	*other = mh.b2;
	return mh.b1;
}

void sw_subscr_prefetch_msisdn(const struct sw_subscr_table *t, sw_num_t msisdn)
{
	struct midx_hash mh = midx_hash(t, msisdn);

	/* the second bucket is read only for the few first buckets that overflowed */
	__builtin_prefetch(midx_bucket(t, mh.b1));
}

struct sw_subscr *sw_subscr_find_msisdn(struct sw_subscr_table *t, sw_num_t msisdn)
{
	struct sw_subscr *s;
	uint64_t *e;

	t->st.lookups++;
	if (!msisdn)
		return NULL;
	e = midx_find(t, msisdn);
	if (!e)
		return NULL;
	s = slot_rec(t, (uint32_t)*e - 1);
	touch(t, s);
	return s;
}

void sw_subscr_set_msisdn(struct sw_subscr_table *t, struct sw_subscr *s, sw_num_t msisdn)
{
	struct midx_hash mh;
	uint64_t *e;

	if (s->msisdn == msisdn)
		return;
	if (s->msisdn)
		midx_remove(t, s);
	s->msisdn = 0;
	if (!msisdn)
		return;
	mh = midx_hash(t, msisdn);
	e = midx_find_hashed(t, msisdn, &mh);
	if (e) {
		/* the number moved to another IMSI: the older holder loses it */
		slot_rec(t, (uint32_t)*e - 1)->msisdn = 0;
	} else {
		e = midx_make_room(t, &mh);
		if (!e) {
			t->st.msisdn_index_full++;
			return;
		}
		t->midx_count++;
	}
	s->msisdn = msisdn;
	*e = (uint64_t)mh.tag << 32 | (slot_of(t, s) + 1);
}

static void move_rec(struct sw_subscr_table *t, uint32_t from_bi, unsigned from_way,
		     uint32_t to_bi, unsigned to_way)
{
	struct subscr_bucket *from = &t->b[from_bi], *to = &t->b[to_bi];
	struct sw_subscr *s = &to->rec[to_way];

	*s = from->rec[from_way];
	to->tag[to_way] = from->tag[from_way];
	to->stamp[to_way] = from->stamp[from_way];
	if (s->msisdn) {
		/* still finds the old slot, whose record is intact until reused */
		uint64_t *e = midx_find(t, s->msisdn);

		if (e)
			*e = (*e & ~0xffffffffULL) | (slot_of(t, s) + 1);
	}
	from->tag[from_way] = 0;
}

/* Both buckets of a new IMSI are full: move one of their ten subscribers to its other
 * bucket if that has room (one cuckoo step; lifts the load at the first eviction from
 * ~74% to ~95%). \returns whether a slot was freed, in *bp and *wayp. */
static bool make_room(struct sw_subscr_table *t, const struct imsi_hash *ih,
		      struct subscr_bucket **bp, unsigned *wayp)
{
	const uint32_t home[2] = { ih->b1, ih->b2 };
	uint32_t alt[2 * SUBSCR_WAYS];

	for (unsigned i = 0; i < 2 * SUBSCR_WAYS; i++) {
		uint32_t bi = home[i / SUBSCR_WAYS];
		struct imsi_hash rh = imsi_hash(t, t->b[bi].rec[i % SUBSCR_WAYS].imsi);

		alt[i] = rh.b1 == bi ? rh.b2 : rh.b1;
		__builtin_prefetch(&t->b[alt[i]]);
	}
	for (unsigned i = 0; i < 2 * SUBSCR_WAYS; i++) {
		for (unsigned w = 0; w < SUBSCR_WAYS; w++) {
			if (t->b[alt[i]].tag[w])
				continue;
			move_rec(t, home[i / SUBSCR_WAYS], i % SUBSCR_WAYS, alt[i], w);
			*bp = &t->b[home[i / SUBSCR_WAYS]];
			*wayp = i % SUBSCR_WAYS;
			return true;
		}
	}
	return false;
}

/* The emptier of the IMSI's two buckets with a free way, else room made by one cuckoo
 * step (while below the relocation load). \returns false when both stay full. */
static bool free_slot(struct sw_subscr_table *t, const struct imsi_hash *ih,
		      struct subscr_bucket **bp, unsigned *wayp)
{
	struct subscr_bucket *b1 = &t->b[ih->b1], *b2 = &t->b[ih->b2];
	unsigned free1 = 0, free2 = 0;
	int w1 = -1, w2 = -1;

	for (unsigned i = 0; i < SUBSCR_WAYS; i++) {
		if (!b1->tag[i]) {
			free1++;
			w1 = i;
		}
		if (!b2->tag[i]) {
			free2++;
			w2 = i;
		}
	}
	if (free1 || free2) {
		/* two choices: the emptier bucket */
		*bp = free1 >= free2 ? b1 : b2;
		*wayp = free1 >= free2 ? w1 : w2;
		return true;
	}
	return t->st.count < t->relocate_below && make_room(t, ih, bp, wayp);
}

/* Double the table (up to its capacity): rehash every record into new arrays, rebuild the
 * MSISDN index. \returns -1 when the memory cannot be had (the table stays as it was). */
static int grow(struct sw_subscr_table *t)
{
	struct subscr_bucket *old = t->b;
	uint64_t *old_midx = t->midx;
	uint64_t old_b_len = t->b_len, old_midx_len = t->midx_len;
	uint32_t old_n = t->n_buckets, n = old_n * 2;

	if (n > t->max_buckets || n < old_n)
		n = t->max_buckets;
	if (map_arrays(t, n) < 0) {
		/* the table is untouched: it keeps working at this size and evicts from now on */
		t->grow_at = UINT32_MAX;
		t->max_buckets = old_n;
		t->st.grow_failures++;
		return -1;
	}
	t->st.count = 0;
	for (uint32_t bi = 0; bi < old_n; bi++) {
		for (unsigned w = 0; w < SUBSCR_WAYS; w++) {
			const struct sw_subscr *r = &old[bi].rec[w];
			struct imsi_hash ih;
			struct subscr_bucket *b;
			unsigned way;

			if (!old[bi].tag[w])
				continue;
			ih = imsi_hash(t, r->imsi);
			if (!free_slot(t, &ih, &b, &way)) {
				/* twice the room and still both buckets full: vanishingly rare */
				t->st.evictions++;
				continue;
			}
			b->rec[way] = *r;
			b->rec[way].msisdn = 0;
			b->tag[way] = ih.tag;
			b->stamp[way] = old[bi].stamp[w];
			t->st.count++;
			/* indexed at once: a later cuckoo move updates its entry */
			sw_subscr_set_msisdn(t, &b->rec[way], r->msisdn);
		}
	}
	sw_mem_unmap(old, old_b_len);
	sw_mem_unmap(old_midx, old_midx_len);
	t->st.grows++;
	return 0;
}

/* Both buckets of a new IMSI are full at capacity: the least recently used of their ten
 * subscribers goes. \returns its bucket, its way in *wayp. */
static struct subscr_bucket *evict_lru(struct sw_subscr_table *t, const struct imsi_hash *ih, uint16_t now,
				       unsigned *wayp)
{
	struct subscr_bucket *b1 = &t->b[ih->b1], *b2 = &t->b[ih->b2], *b = b1;
	uint16_t age = 0;
	struct sw_subscr *s;

	for (unsigned i = 0; i < 2 * SUBSCR_WAYS; i++) {
		struct subscr_bucket *c = i < SUBSCR_WAYS ? b1 : b2;
		unsigned w = i % SUBSCR_WAYS;
		uint16_t a = now - c->stamp[w];

		if (a > age || i == 0) {
			age = a;
			b = c;
			*wayp = w;
		}
	}
	s = &b->rec[*wayp];
	if (s->msisdn)
		midx_remove(t, s);
	t->st.evictions++;
	t->st.count--;
	return b;
}

struct sw_subscr *sw_subscr_get(struct sw_subscr_table *t, sw_num_t imsi)
{
	struct imsi_hash ih;
	struct subscr_bucket *b;
	struct sw_subscr *s;
	unsigned way = 0;
	uint16_t now;

	t->st.lookups++;
	if (!imsi)
		return NULL;
	ih = imsi_hash(t, imsi);
	s = imsi_find(t, &ih, imsi);
	if (s)
		return s;

	t->st.inserts++;
	t->clock++;
	now = lru_now(t);
	if (t->st.count >= t->grow_at && grow(t) == 0)
		ih = imsi_hash(t, imsi);
	while (!free_slot(t, &ih, &b, &way)) {
		/* a full pair of buckets below capacity: grow rather than evict */
		if (t->n_buckets < t->max_buckets && grow(t) == 0) {
			ih = imsi_hash(t, imsi);
			continue;
		}
		b = evict_lru(t, &ih, now, &way);
		break;
	}
	s = &b->rec[way];
	memset(s, 0, sizeof(*s));
	s->imsi = imsi;
	b->tag[way] = ih.tag;
	b->stamp[way] = now;
	t->st.count++;
	return s;
}

uint64_t sw_subscr_table_bytes(const struct sw_subscr_table *t)
{
	return t->bytes;
}

void sw_subscr_table_stats(const struct sw_subscr_table *t, struct sw_subscr_stats *out)
{
	*out = t->st;
}
