/* Which operation does a result answer? A TCAP ReturnResult(Last) or ReturnError carries only
 * the invoke id unless the sender adds the opcode, so we remember the invokes of open
 * dialogues: key = the TID the invoking side allocated (its OTID) and the GT it sent from;
 * the answer comes back with that TID as DTID, addressed to that GT.
 *
 * Everything is allocated up front: an array of entries kept in age order (a doubly linked
 * list through indices, oldest first) plus an index of buckets of OT_WAYS entries, twice as
 * many ways as entries. The index hashes the TID only, so that when GT translation has
 * rewritten the address the entry can still be found by its TID alone (if exactly one entry
 * has it). A bucket never holds more than OT_WAYS entries: one OTID sent from many GTs fills
 * its bucket and then evicts its own least recent entry, so every lookup reads at most
 * OT_WAYS entries whatever the sender chooses (open addressing would chain them all). */
#include <stdint.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/decode.h>
#include <ss7watch/hash.h>
#include <ss7watch/track_pairing.h>

#define OT_INVOKES	4		/* invokes remembered per dialogue side */
#define OT_WAYS		8		/* entries per index bucket */
#define OT_NIL		UINT32_MAX
#define OT_MAX_ENTRIES	(1u << 24)
#define OT_EXPIRE_STEP	8		/* expired entries reclaimed per allocation, at most */

struct ot_invoke {
	int16_t invoke_id;
	int16_t opcode;			/* -1: slot free */
};

struct ot_entry {
	uint64_t tid;			/* TID bytes with their length in bits 32..39 */
	uint64_t peer_tid;		/* the other side's TID once a Continue showed it, 0 none */
	uint32_t gt_hash;		/* of the GT that allocated tid */
	uint32_t prev, next;		/* age list; next also links the free list */
	int64_t last_seen;
	uint8_t next_inv;		/* ring position for the next invoke */
	struct ot_invoke inv[OT_INVOKES];
};

struct track_pairing {
	uint32_t n_entries;
	uint32_t timeout_s;
	uint32_t mask;			/* index buckets - 1 */
	uint32_t (*bucket)[OT_WAYS];	/* entry indices or OT_NIL */
	struct ot_entry *e;
	uint32_t free_head;
	uint32_t oldest, newest;
	uint64_t seed;			/* of the TID and GT hashes */
};

static uint64_t tid_key(const struct sw_tid *tid)
{
	return sw_tid_value(tid) | ((uint64_t)tid->len << 32);
}

static uint32_t *bucket_of(const struct track_pairing *ot, uint64_t tid)
{
	return ot->bucket[(uint32_t)(sw_hash_seq(ot->seed, tid) >> 32) & ot->mask];
}

/* Hash of the GT digits; an address without GT is keyed by its point code (odd, where a GT's
 * hash is even, so the two never match) */
static uint32_t addr_hash(const struct track_pairing *ot, const struct sw_sccp_addr *a)
{
	if (!(a->present & SW_SCCP_AI_GT) || !a->n_digits)
		return (uint32_t)sw_hash64(ot->seed, a->pc) | 1;
	return (uint32_t)sw_hash_bytes(ot->seed, a->digits, a->n_digits < SW_GT_MAX_DIGITS ?
				       a->n_digits : SW_GT_MAX_DIGITS) & ~1u;
}

struct track_pairing *track_pairing_alloc(void *ctx, uint32_t entries, uint32_t timeout_s)
{
	struct track_pairing *ot;
	uint32_t buckets = 1;

	if (!entries)
		return NULL;
	if (entries > OT_MAX_ENTRIES)
		entries = OT_MAX_ENTRIES;
	/* at most half of the ways used: a bucket rarely overflows with TIDs not chosen to */
	while ((uint64_t)buckets * OT_WAYS < 2ull * entries)
		buckets <<= 1;
	ot = talloc_zero(ctx, struct track_pairing);
	if (!ot)
		return NULL;
	ot->bucket = talloc_array_size(ot, sizeof(*ot->bucket), buckets);
	ot->e = talloc_array(ot, struct ot_entry, entries);
	if (!ot->bucket || !ot->e) {
		talloc_free(ot);
		return NULL;
	}
	ot->n_entries = entries;
	ot->timeout_s = timeout_s;
	ot->mask = buckets - 1;
	ot->seed = sw_hash_seed();
	track_pairing_reset(ot);
	return ot;
}

void track_pairing_reset(struct track_pairing *ot)
{
	/* entries are set up when taken from the free list: only the links need it */
	memset(ot->bucket, 0xff, (size_t)(ot->mask + 1) * sizeof(*ot->bucket));
	for (uint32_t i = 0; i < ot->n_entries; i++)
		ot->e[i].next = i + 1 < ot->n_entries ? i + 1 : OT_NIL;
	ot->free_head = 0;
	ot->oldest = ot->newest = OT_NIL;
}

static bool expired(const struct track_pairing *ot, const struct ot_entry *e, int64_t now)
{
	/* a clock going backwards (several inputs) does not expire anything */
	return now > e->last_seen && (uint64_t)(now - e->last_seen) > ot->timeout_s;
}

static void age_unlink(struct track_pairing *ot, uint32_t i)
{
	struct ot_entry *e = &ot->e[i];

	if (e->prev != OT_NIL)
		ot->e[e->prev].next = e->next;
	else
		ot->oldest = e->next;
	if (e->next != OT_NIL)
		ot->e[e->next].prev = e->prev;
	else
		ot->newest = e->prev;
}

static void age_append(struct track_pairing *ot, uint32_t i)
{
	struct ot_entry *e = &ot->e[i];

	e->prev = ot->newest;
	e->next = OT_NIL;
	if (ot->newest != OT_NIL)
		ot->e[ot->newest].next = i;
	else
		ot->oldest = i;
	ot->newest = i;
}

/* Remove entry i from the index and the age list; free it. */
static void ot_remove(struct track_pairing *ot, uint32_t i)
{
	uint32_t *b = bucket_of(ot, ot->e[i].tid);

	for (unsigned w = 0; w < OT_WAYS; w++) {
		if (b[w] == i) {
			b[w] = OT_NIL;
			break;
		}
	}
	age_unlink(ot, i);
	ot->e[i].next = ot->free_head;
	ot->free_head = i;
}

/* The entry for (tid, gt_hash); with any_gt, failing that the only live entry with tid. */
static uint32_t ot_find(struct track_pairing *ot, uint64_t tid, uint32_t gt_hash, int64_t now, bool any_gt)
{
	const uint32_t *b = bucket_of(ot, tid);
	uint32_t only = OT_NIL;
	unsigned same_tid = 0;

	for (unsigned w = 0; w < OT_WAYS; w++) {
		const struct ot_entry *e;

		if (b[w] == OT_NIL)
			continue;
		e = &ot->e[b[w]];
		if (e->tid != tid || expired(ot, e, now))
			continue;
		if (e->gt_hash == gt_hash)
			return b[w];
		same_tid++;
		only = b[w];
	}
	return any_gt && same_tid == 1 ? only : OT_NIL;
}

/* A free way of tid's bucket, the least recently seen entry removed when there is none
 * (counted in *evicted). */
static unsigned free_way(struct track_pairing *ot, uint64_t tid, uint64_t *evicted)
{
	uint32_t *b = bucket_of(ot, tid);
	unsigned w, lru = 0;

	for (w = 0; w < OT_WAYS; w++) {
		if (b[w] == OT_NIL)
			return w;
		if (ot->e[b[w]].last_seen < ot->e[b[lru]].last_seen)
			lru = w;
	}
	ot_remove(ot, b[lru]);
	if (evicted)
		(*evicted)++;
	return lru;
}

static uint32_t ot_insert(struct track_pairing *ot, uint64_t tid, uint32_t gt_hash, int64_t now,
			  uint64_t *evicted)
{
	struct ot_entry *e;
	uint32_t i;
	unsigned w;

	/* reclaim a few expired dialogues first: they were never closed (lost End, Abort) */
	for (unsigned n = 0; n < OT_EXPIRE_STEP && ot->oldest != OT_NIL; n++) {
		if (!expired(ot, &ot->e[ot->oldest], now))
			break;
		ot_remove(ot, ot->oldest);
	}
	if (ot->free_head == OT_NIL) {
		ot_remove(ot, ot->oldest);
		if (evicted)
			(*evicted)++;
	}
	w = free_way(ot, tid, evicted);
	i = ot->free_head;
	e = &ot->e[i];
	ot->free_head = e->next;

	memset(e, 0, sizeof(*e));
	e->tid = tid;
	e->gt_hash = gt_hash;
	e->last_seen = now;
	for (unsigned k = 0; k < OT_INVOKES; k++)
		e->inv[k].opcode = -1;
	bucket_of(ot, tid)[w] = i;
	age_append(ot, i);
	return i;
}

static void ot_remember(struct ot_entry *e, int16_t invoke_id, int16_t opcode)
{
	unsigned k;

	/* an invoke id reused in the dialogue replaces the old one */
	for (k = 0; k < OT_INVOKES; k++)
		if (e->inv[k].opcode >= 0 && e->inv[k].invoke_id == invoke_id)
			break;
	if (k == OT_INVOKES) {
		k = e->next_inv;
		e->next_inv = (e->next_inv + 1) % OT_INVOKES;
	}
	e->inv[k].invoke_id = invoke_id;
	e->inv[k].opcode = opcode;
}

static bool has_local_invoke(const struct sw_tcap *t)
{
	for (unsigned i = 0; i < t->n_comp; i++) {
		const struct sw_component *c = &t->comp[i];

		if (c->type == SW_COMP_INVOKE && c->has_invoke_id && c->opcode >= 0)
			return true;
	}
	return false;
}

void track_pairing_learn(struct track_pairing *ot, const struct sw_msg *msg, uint64_t *evicted)
{
	const struct sw_tcap *t = &msg->tcap;
	int64_t now = msg->meta.ts.tv_sec;
	uint32_t i, peer;

	if (!ot)
		return;
	switch (t->type) {
	case SW_TCAP_BEGIN:
	case SW_TCAP_CONTINUE:
		if (!t->otid.len)
			return;
		/* tell the other side's entry our TID, so that an End closes both */
		if (t->type == SW_TCAP_CONTINUE && t->dtid.len) {
			peer = ot_find(ot, tid_key(&t->dtid), addr_hash(ot, &msg->sccp.called), now, true);
			if (peer != OT_NIL)
				ot->e[peer].peer_tid = tid_key(&t->otid);
		}
		i = ot_find(ot, tid_key(&t->otid), addr_hash(ot, &msg->sccp.calling), now, false);
		if (i == OT_NIL) {
			if (!has_local_invoke(t))
				return;
			i = ot_insert(ot, tid_key(&t->otid), addr_hash(ot, &msg->sccp.calling), now, evicted);
		}
		if (t->type == SW_TCAP_CONTINUE && t->dtid.len)
			ot->e[i].peer_tid = tid_key(&t->dtid);
		ot->e[i].last_seen = now;
		age_unlink(ot, i);
		age_append(ot, i);
		for (unsigned k = 0; k < t->n_comp; k++) {
			const struct sw_component *c = &t->comp[k];

			if (c->type == SW_COMP_INVOKE && c->has_invoke_id && c->opcode >= 0)
				ot_remember(&ot->e[i], c->invoke_id, c->opcode);
		}
		break;
	case SW_TCAP_END:
	case SW_TCAP_ABORT:
		if (!t->dtid.len)
			return;
		/* the dialogue is over: forget both sides */
		i = ot_find(ot, tid_key(&t->dtid), addr_hash(ot, &msg->sccp.called), now, true);
		if (i == OT_NIL)
			return;
		if (ot->e[i].peer_tid) {
			peer = ot_find(ot, ot->e[i].peer_tid, addr_hash(ot, &msg->sccp.calling), now, true);
			if (peer != OT_NIL && peer != i)
				ot_remove(ot, peer);
		}
		ot_remove(ot, i);
		break;
	default:
		break;
	}
}

unsigned track_pairing_infer(struct track_pairing *ot, struct sw_msg *msg)
{
	struct sw_tcap *t = &msg->tcap;
	int64_t now = msg->meta.ts.tv_sec;
	uint32_t i = OT_NIL;
	unsigned n = 0;

	if (!ot || (t->type != SW_TCAP_CONTINUE && t->type != SW_TCAP_END) || !t->dtid.len)
		return 0;
	for (unsigned k = 0; k < t->n_comp; k++) {
		struct sw_component *c = &t->comp[k];
		struct ot_entry *e;

		if (c->type != SW_COMP_RESULT_LAST && c->type != SW_COMP_RESULT && c->type != SW_COMP_ERROR)
			continue;
		if (c->opcode >= 0 || c->opcode_global || !c->has_invoke_id)
			continue;
		/* the answer goes to the invoking side: our DTID is its OTID, our called its GT */
		if (i == OT_NIL) {
			i = ot_find(ot, tid_key(&t->dtid), addr_hash(ot, &msg->sccp.called), now, true);
			if (i == OT_NIL)
				return n;
		}
		e = &ot->e[i];
		for (unsigned j = 0; j < OT_INVOKES; j++) {
			if (e->inv[j].opcode < 0 || e->inv[j].invoke_id != c->invoke_id)
				continue;
			c->opcode = e->inv[j].opcode;
			c->opcode_inferred = true;
			n++;
			/* a last result or an error closes the invoke */
			if (c->type != SW_COMP_RESULT)
				e->inv[j].opcode = -1;
			break;
		}
	}
	return n;
}

/* --- the pipeline stage --- */

#define DEFAULT_ENTRIES		(1u << 16)
#define DEFAULT_TIMEOUT_S	60

static void pairing_stage(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	struct track_pairing *tp = priv;

	dec->st.ctr[SW_CTR_MAP_OPCODE_INFERRED] += track_pairing_infer(tp, msg);
	track_pairing_learn(tp, msg, &dec->st.ctr[SW_CTR_TXN_EVICTED]);
}

struct track_pairing *track_pairing_attach(struct sw_decoder *dec, uint32_t entries, uint32_t timeout_s)
{
	struct track_pairing *tp = track_pairing_alloc(dec, entries ? entries : DEFAULT_ENTRIES,
						       timeout_s ? timeout_s : DEFAULT_TIMEOUT_S);

	if (!tp)
		return NULL;
	dec->on_tcap = pairing_stage;
	dec->on_tcap_priv = tp;
	return tp;
}
