/* Recent identify steps from outside (track_ident.h): a set-associative table, the IMSI's
 * seeded hash picks a bucket of SW_IDENT_WAYS entries (five cache lines) and every entry of
 * that IMSI lives there, so a subscriber's origins are one bucket scan. The oldest entry of
 * a full bucket makes room: identify steps matter for minutes, and the windows of the rules
 * reading them are shorter than the time a busy interconnect takes to go round the table. */
#include <string.h>
#include <talloc.h>
#include <ss7watch/hash.h>
#include <ss7watch/track_ident.h>
#include <ss7watch/track_mem.h>

struct sw_ident_table {
	struct sw_ident *ways;
	uint32_t *evicted;	/* per bucket: time of the latest entry evicted while fresh */
	uint32_t bucket_mask;
	uint64_t seed;
	uint64_t bytes;
	uint32_t horizon;
	struct sw_ident_stats st;
};

struct sw_ident_table *sw_ident_table_alloc(void *ctx, uint32_t max_entries, uint32_t horizon_s)
{
	struct sw_ident_table *t = talloc_zero(ctx, struct sw_ident_table);
	uint32_t buckets = 1;

	if (!t)
		return NULL;
	while ((uint64_t)buckets * SW_IDENT_WAYS < max_entries && buckets < (1u << 28))
		buckets <<= 1;
	/* hashed: the first few thousand identify steps touch every page, so huge pages (a
	 * fault per 4 KiB page cost a tenth of a replay's time on a VM) */
	t->ways = sw_mem_array(t, (uint64_t)buckets * SW_IDENT_WAYS, sizeof(struct sw_ident), SW_MEM_DENSE);
	t->evicted = talloc_zero_array(t, uint32_t, buckets);
	if (!t->ways || !t->evicted) {
		talloc_free(t);
		return NULL;
	}
	t->bucket_mask = buckets - 1;
	t->seed = sw_hash_seed();
	t->horizon = horizon_s;
	t->bytes = (uint64_t)buckets * SW_IDENT_WAYS * sizeof(struct sw_ident);
	t->st.capacity = buckets * SW_IDENT_WAYS;
	return t;
}

void sw_ident_table_reset(struct sw_ident_table *t)
{
	uint32_t buckets = t->bucket_mask + 1;

	memset(t->ways, 0, (size_t)buckets * SW_IDENT_WAYS * sizeof(*t->ways));
	memset(t->evicted, 0, (size_t)buckets * sizeof(*t->evicted));
	memset(&t->st, 0, sizeof(t->st));
	t->st.capacity = buckets * SW_IDENT_WAYS;
}

static uint32_t bucket_of(const struct sw_ident_table *t, sw_num_t imsi)
{
	return sw_hash64(t->seed, imsi) & t->bucket_mask;
}

struct sw_ident *sw_ident_bucket(struct sw_ident_table *t, sw_num_t imsi)
{
	return &t->ways[bucket_of(t, imsi) * SW_IDENT_WAYS];
}

uint32_t sw_ident_evicted_time(const struct sw_ident_table *t, sw_num_t imsi)
{
	return t->evicted[bucket_of(t, imsi)];
}

struct sw_ident *sw_ident_find(struct sw_ident_table *t, sw_num_t imsi, uint64_t origin, sw_opcode_t opcode)
{
	struct sw_ident *b;

	if (!imsi)
		return NULL;
	b = sw_ident_bucket(t, imsi);
	for (unsigned i = 0; i < SW_IDENT_WAYS; i++)
		if (b[i].imsi == imsi && b[i].origin == origin && b[i].opcode == opcode)
			return &b[i];
	return NULL;
}

struct sw_ident *sw_ident_get(struct sw_ident_table *t, sw_num_t imsi, uint64_t origin, sw_opcode_t opcode,
			      uint32_t now)
{
	struct sw_ident *b, *victim = NULL;

	if (!imsi)
		return NULL;
	b = sw_ident_bucket(t, imsi);
	for (unsigned i = 0; i < SW_IDENT_WAYS; i++) {
		struct sw_ident *w = &b[i];

		if (w->imsi == imsi && w->origin == origin && w->opcode == opcode)
			return w;
		if (!w->imsi) {
			if (!victim || victim->imsi)
				victim = w;
		} else if (!victim || (victim->imsi && (int32_t)(w->time - victim->time) < 0)) {
			victim = w;
		}
	}
	if (!victim->imsi)
		t->st.count++;
	else if ((int32_t)(now - victim->time) <= (int32_t)t->horizon) {
		/* a rule could still have read it: remember that one is missing */
		uint32_t *e = &t->evicted[bucket_of(t, imsi)];

		t->st.evictions++;
		if (!*e || (int32_t)(victim->time - *e) > 0)
			*e = victim->time;
	} else
		t->st.expired++;
	t->st.inserts++;
	*victim = (struct sw_ident){ .imsi = imsi, .origin = origin, .opcode = opcode };
	return victim;
}

uint64_t sw_ident_table_bytes(const struct sw_ident_table *t)
{
	return t->bytes;
}

void sw_ident_table_stats(const struct sw_ident_table *t, struct sw_ident_stats *out)
{
	*out = t->st;
}
