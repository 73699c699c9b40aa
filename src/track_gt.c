/* The GT intern table (see track_subscr.h): ids 1..max_gts handed out in order, the digits
 * NUL-terminated one after another in an arena, and an open addressing index (linear
 * probing, at most half full, runs bounded by GT_PROBE_MAX) of 64-bit entries (hash >> 32) << 32 | id, so that a
 * probe compares strings only when 32 hash bits already match. No eviction: an id
 * stays valid for the life of the table.
 *
 * The index starts small and doubles when half full, up to twice max_gts: a network sees
 * thousands of GTs, not the million the table allows, and an index probed at random
 * touches (faults in, misses the cache on) every page it spans. An entry keeps its hash
 * bits, so doubling moves entries without hashing a string again. */
#include <string.h>
#include <talloc.h>
#include <ss7watch/hash.h>
#include <ss7watch/msg.h>
#include <ss7watch/track_mem.h>
#include <ss7watch/track_subscr.h>

/* Probes an intern may take: at most half full, a random seed gives runs of 1-2; a run this
 * long means keys chosen to collide, and the GT is refused (counted) rather than walked to */
#define GT_PROBE_MAX	64

/* Arena bytes per GT: E.164 GTs have at most 15 digits, longer ones use up the budget of
 * shorter ones; the arena running out counts as the table being full. */
#define GT_ARENA_PER_GT	16

/* entries of the first index: 32 KiB */
#define GT_IDX_INITIAL	4096

struct sw_gt_table {
	uint64_t *idx;
	uint64_t idx_len;	/* mapped bytes */
	uint32_t idx_mask;
	uint32_t idx_max;	/* entries the index may grow to */
	uint32_t *off;		/* arena offset of each id's digits; [0] is "" */
	char *arena;
	uint32_t arena_size, arena_used;
	uint64_t seed;		/* of the digits' hash */
	struct sw_gt_stats st;
};

static int gt_table_free(struct sw_gt_table *t)
{
	sw_mem_unmap(t->idx, t->idx_len);
	return 0;
}

/* A fresh index of n entries with every entry of the current one. false: no memory (the
 * current index stays). */
static bool idx_resize(struct sw_gt_table *t, uint32_t n)
{
	uint64_t len, *nidx = sw_mem_map((uint64_t)n * sizeof(*nidx), &len, SW_MEM_DENSE);

	if (!nidx)
		return false;
	for (uint32_t i = 0; t->idx && i <= t->idx_mask; i++) {
		uint64_t e = t->idx[i];
		uint32_t pos;

		if (!e)
			continue;
		for (pos = (uint32_t)(e >> 32) & (n - 1); nidx[pos]; pos = (pos + 1) & (n - 1))
			;
		nidx[pos] = e;
	}
	sw_mem_unmap(t->idx, t->idx_len);
	t->idx = nidx;
	t->idx_len = len;
	t->idx_mask = n - 1;
	return true;
}

struct sw_gt_table *sw_gt_table_alloc(void *ctx, uint32_t max_gts)
{
	struct sw_gt_table *t = talloc_zero(ctx, struct sw_gt_table);
	uint64_t idx_max = 2;

	if (!t)
		return NULL;
	talloc_set_destructor(t, gt_table_free);
	if (max_gts > (1U << 26))
		max_gts = 1U << 26;
	while (idx_max < 2ULL * max_gts)
		idx_max <<= 1;
	t->idx_max = idx_max;
	t->arena_size = 1 + max_gts * GT_ARENA_PER_GT + SW_GT_MAX_DIGITS + 1;
	/* sized for the worst case, filled from the front: zero pages faulted in as GTs arrive */
	idx_resize(t, idx_max < GT_IDX_INITIAL ? idx_max : GT_IDX_INITIAL);
	t->off = sw_mem_array(t, max_gts + 1, sizeof(uint32_t), SW_MEM_SPARSE);
	t->arena = sw_mem_array(t, t->arena_size, 1, SW_MEM_SPARSE);
	if (!t->idx || !t->off || !t->arena) {
		talloc_free(t);
		return NULL;
	}
	/* offset 0 is the empty string of id 0 */
	t->arena_used = 1;
	t->st.capacity = max_gts;
	t->seed = sw_hash_seed();
	return t;
}

void sw_gt_table_reset(struct sw_gt_table *t)
{
	uint32_t capacity;

	/* Newest first: each GT then sits where it was inserted, behind older GTs only, so
	 * its probe from its hash's slot still reaches it. The arena and the offsets are
	 * read only up to count: they need no clearing. */
	for (sw_gt_id id = t->st.count; id; id--) {
		const char *s = t->arena + t->off[id];
		uint32_t pos = (uint32_t)(sw_hash_bytes(t->seed, s, strlen(s)) >> 32) & t->idx_mask;

		while ((uint32_t)t->idx[pos] != id)
			pos = (pos + 1) & t->idx_mask;
		t->idx[pos] = 0;
	}
	t->arena_used = 1;
	capacity = t->st.capacity;
	memset(&t->st, 0, sizeof(t->st));
	t->st.capacity = capacity;
}

sw_gt_id sw_gt_intern(struct sw_gt_table *t, const char *digits)
{
	return sw_gt_intern_len(t, digits, digits ? strnlen(digits, SW_GT_MAX_DIGITS + 1) : 0);
}

sw_gt_id sw_gt_intern_len(struct sw_gt_table *t, const char *digits, size_t len)
{
	uint64_t h, e;
	uint32_t hi, pos;
	unsigned probes = 0;
	sw_gt_id id;

	if (!len || len > SW_GT_MAX_DIGITS)
		return 0;
	/* the top bits pick the slot and are kept to compare strings only when they match */
	h = sw_hash_bytes(t->seed, digits, len);
	hi = h >> 32;
	for (pos = hi & t->idx_mask; (e = t->idx[pos]); pos = (pos + 1) & t->idx_mask) {
		const char *s = t->arena + t->off[(uint32_t)e];

		if ((uint32_t)(e >> 32) == hi && !memcmp(s, digits, len) && !s[len])
			return (uint32_t)e;
		if (++probes >= GT_PROBE_MAX) {
			t->st.probe_limit++;
			return 0;
		}
	}
	if (t->st.count >= t->st.capacity || t->arena_used + len + 1 > t->arena_size) {
		t->st.full++;
		return 0;
	}
	/* half full: double the index (where that fails, probes grow longer and stay bounded) */
	if (2 * (t->st.count + 1) > t->idx_mask + 1 && t->idx_mask + 1 < t->idx_max &&
	    idx_resize(t, 2 * (t->idx_mask + 1)))
		for (pos = hi & t->idx_mask; t->idx[pos]; pos = (pos + 1) & t->idx_mask)
			;
	id = ++t->st.count;
	t->off[id] = t->arena_used;
	memcpy(t->arena + t->arena_used, digits, len + 1);
	t->arena_used += len + 1;
	t->idx[pos] = (uint64_t)hi << 32 | id;
	return id;
}

const char *sw_gt_str(const struct sw_gt_table *t, sw_gt_id id)
{
	if (id > t->st.count)
		return "";
	return t->arena + t->off[id];
}

void sw_gt_table_stats(const struct sw_gt_table *t, struct sw_gt_stats *out)
{
	*out = t->st;
}

sw_num_t sw_gt_key(const char *digits)
{
	sw_num_t n = sw_num_pack(digits);
	size_t len;

	if (n || !digits || !(len = strnlen(digits, SW_GT_MAX_DIGITS + 1)))
		return n;
	/* longer than E.164 or not decimal: hashed, in a range packed numbers never use */
	return (sw_hash_bytes(sw_hash_seed(), digits, len) & ((1ull << 59) - 1)) | (1ull << 59);
}
