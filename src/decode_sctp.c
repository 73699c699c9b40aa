/* SCTP: every chunk of a packet; DATA/I-DATA user messages reassembled from fragments,
 * retransmitted TSNs dropped, each user message handed over by its payload protocol. */
#include <stddef.h>
#include <string.h>
#include <talloc.h>
#include <osmocom/core/linuxlist.h>
#include <osmocom/core/bit16gen.h>
#include <osmocom/core/bit32gen.h>
#include <ss7watch/decode.h>
#include <ss7watch/hash.h>
#include <ss7watch/track_mem.h>

#define SCTP_COMMON_HDR_LEN	12
#define SCTP_CHUNK_HDR_LEN	4
#define SCTP_DATA_HDR_LEN	16
#define SCTP_IDATA_HDR_LEN	20

enum {
	SCTP_CHUNK_DATA = 0,
	SCTP_CHUNK_IDATA = 64,
};

/* DATA chunk flags */
#define SCTP_FLAG_E		0x01
#define SCTP_FLAG_B		0x02
#define SCTP_FLAG_U		0x04

enum {
	PPID_M2UA = 2,
	PPID_M3UA = 3,
	PPID_SUA = 4,
	PPID_M2PA = 5,
};

/* Reassembly buffers are blocks of the preallocated pool; a message is copied out whole
 * only when its last fragment arrives. */
#define REASM_BLOCK_BYTES	1024
#define REASM_NO_BLOCK		UINT32_MAX
/* largest user message reassembled: M3UA/SUA carry at most a LUDT (< 4 KiB) in practice */
#define REASM_MAX_MSG		65536

/* Retransmission detection: associations remembered (sets of ways, least recently used
 * replaced) and the TSN window of each. */
#define ASSOC_SETS		1024
#define ASSOC_WAYS		4
#define TSN_WINDOW		64
/* a TSN further behind than this is a restarted association, not a retransmission */
#define TSN_RESTART_DISTANCE	65536

/*! One direction of an association: it is what a TSN is unique in. */
struct assoc_key {
	uint8_t src_ip[16], dst_ip[16];
	uint32_t vtag;
	uint16_t sport, dport;
	uint8_t ip_version;
	uint8_t pad[7];		/* always zero: keys are compared as six words */
} __attribute__((aligned(8)));

_Static_assert(sizeof(struct assoc_key) == 48, "assoc_key is compared as six 64-bit words");

/* Equal keys, word by word inline: a memcmp() call per packet showed in profiles. */
static inline bool key_equal(const struct assoc_key *a, const struct assoc_key *b)
{
	const uint64_t *x = (const uint64_t *)a, *y = (const uint64_t *)b;

	return !((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) | (x[4] ^ y[4]) |
		 (x[5] ^ y[5]));
}

struct assoc {
	struct assoc_key key;
	uint32_t last_use;
	uint32_t highest_tsn;
	uint64_t seen;		/* bit i: highest_tsn - i was seen */
	/* payload hash of each TSN in the window (at tsn % TSN_WINDOW): a TSN reused for other
	 * content (synthetic traces, broken stacks) is a new message, not a retransmission */
	uint32_t hash[TSN_WINDOW];
};

/*! A user message being reassembled. */
struct sctp_partial {
	struct llist_head list;	/* in sctp_reasm.active (oldest first) or .free */
	struct hlist_node hash;	/* in sctp_reasm.index while active */
	struct assoc_key key;
	uint16_t stream;
	bool unordered, idata;
	uint32_t mid;		/* I-DATA message id; 0 for DATA */
	uint32_t next_seq;	/* next TSN (DATA) or fragment sequence number (I-DATA) */
	uint32_t ppid;
	uint32_t len;
	uint32_t first_block, last_block;
};

struct sctp_reasm {
	/* the key hash of each way (0: free): a lookup reads one line of tags and touches
	 * only the association that matches, not every way's key */
	uint32_t (*assoc_tag)[ASSOC_WAYS];	/* [ASSOC_SETS] */
	struct assoc (*assoc)[ASSOC_WAYS];	/* [ASSOC_SETS], populated when mapped (track_mem.h) */
	uint32_t use_clock;
	uint64_t seed;		/* of the association key hash */
	struct sw_payload_hash payload;	/* the retransmission check's */

	struct llist_head active, free;
	struct sctp_partial *partials;
	/* the active partials by key, so a fragment finds its message in one short chain:
	 * never-completed fragments fill the pool but do not lengthen a search */
	struct hlist_head *index;
	uint32_t index_mask;

	uint8_t *pool;
	uint32_t *block_next;
	uint32_t free_block;
	uint32_t n_blocks;

	uint8_t *out;		/* a completed message, contiguous */
	uint32_t out_size;
};

struct sctp_reasm *sctp_reasm_alloc(void *ctx, uint32_t max_bytes)
{
	struct sctp_reasm *r = talloc_zero(ctx, struct sctp_reasm);
	uint32_t n_partials;

	if (!r)
		return NULL;
	r->n_blocks = max_bytes / REASM_BLOCK_BYTES;
	if (!r->n_blocks)
		r->n_blocks = 1;
	n_partials = r->n_blocks / 2;
	if (n_partials < 8)
		n_partials = 8;
	if (n_partials > 4096)
		n_partials = 4096;
	r->out_size = max_bytes < REASM_MAX_MSG ? max_bytes : REASM_MAX_MSG;
	if (r->out_size < REASM_BLOCK_BYTES)
		r->out_size = REASM_BLOCK_BYTES;

	r->assoc_tag = sw_mem_array(r, ASSOC_SETS, sizeof(*r->assoc_tag), SW_MEM_DENSE);
	r->assoc = sw_mem_array(r, ASSOC_SETS, sizeof(*r->assoc), SW_MEM_DENSE);
	r->pool = talloc_size(r, (size_t)r->n_blocks * REASM_BLOCK_BYTES);
	r->block_next = talloc_array(r, uint32_t, r->n_blocks);
	/* mapped and populated at once: zeroing them with talloc faults in page by page */
	r->partials = sw_mem_array(r, n_partials, sizeof(struct sctp_partial), SW_MEM_DENSE);
	for (r->index_mask = 1; r->index_mask < 2 * n_partials; r->index_mask <<= 1)
		;
	r->index = sw_mem_array(r, r->index_mask, sizeof(struct hlist_head), SW_MEM_DENSE);
	r->index_mask--;
	r->out = talloc_size(r, r->out_size);
	if (!r->assoc_tag || !r->assoc || !r->pool || !r->block_next || !r->partials || !r->index || !r->out) {
		talloc_free(r);
		return NULL;
	}
	for (uint32_t i = 0; i < r->n_blocks; i++)
		r->block_next[i] = i + 1 < r->n_blocks ? i + 1 : REASM_NO_BLOCK;
	r->free_block = 0;
	r->seed = sw_hash_seed();
	sw_payload_hash_init(&r->payload, r->seed, true);
	INIT_LLIST_HEAD(&r->active);
	INIT_LLIST_HEAD(&r->free);
	for (uint32_t i = 0; i < n_partials; i++)
		llist_add_tail(&r->partials[i].list, &r->free);
	return r;
}

static void make_key(struct assoc_key *k, const struct sw_meta *meta)
{
	memset(k, 0, sizeof(*k));
	k->ip_version = meta->ip_version;
	memcpy(k->src_ip, meta->src_ip, sizeof(k->src_ip));
	memcpy(k->dst_ip, meta->dst_ip, sizeof(k->dst_ip));
	k->vtag = meta->vtag;
	k->sport = meta->sport;
	k->dport = meta->dport;
}

static uint32_t key_hash(const struct sctp_reasm *r, const struct assoc_key *k)
{
	return (uint32_t)sw_hash_bytes(r->seed, k, sizeof(*k));
}

static struct assoc *assoc_get(struct sctp_reasm *r, const struct assoc_key *k)
{
	uint32_t h = key_hash(r, k), tag = h ? h : 1;
	uint32_t *tags = r->assoc_tag[h % ASSOC_SETS];
	struct assoc *set = r->assoc[h % ASSOC_SETS];
	unsigned victim = 0;

	r->use_clock++;
	for (unsigned i = 0; i < ASSOC_WAYS; i++) {
		if (tags[i] == tag && key_equal(&set[i].key, k)) {
			set[i].last_use = r->use_clock;
			return &set[i];
		}
	}
	/* a free way, else the least recently used one */
	for (unsigned i = 0; i < ASSOC_WAYS; i++) {
		if (!tags[i]) {
			victim = i;
			break;
		}
		if ((int32_t)(set[i].last_use - set[victim].last_use) < 0)
			victim = i;
	}
	tags[victim] = tag;
	set[victim].key = *k;
	set[victim].last_use = r->use_clock;
	set[victim].highest_tsn = 0;
	set[victim].seen = 0;
	return &set[victim];
}

/* Has this TSN (with this payload) been seen on this association direction? Records it if not. */
static bool tsn_seen(struct assoc *a, uint32_t tsn, uint32_t hash)
{
	uint32_t ahead = tsn - a->highest_tsn, behind = a->highest_tsn - tsn;
	uint32_t *slot = &a->hash[tsn % TSN_WINDOW];

	if (!a->seen) {
		a->highest_tsn = tsn;
		a->seen = 1;
	} else if (ahead && ahead < 0x80000000u) {
		a->seen = ahead >= TSN_WINDOW ? 0 : a->seen << ahead;
		a->seen |= 1;
		a->highest_tsn = tsn;
	} else if (behind < TSN_WINDOW) {
		if ((a->seen & (1ull << behind)) && *slot == hash)
			return true;
		a->seen |= 1ull << behind;
	} else if (behind < TSN_RESTART_DISTANCE) {
		return true;	/* older than the window: long acknowledged */
	} else {
		a->highest_tsn = tsn;
		a->seen = 1;
	}
	*slot = hash;
	return false;
}

static void partial_free(struct sctp_reasm *r, struct sctp_partial *pm)
{
	if (!hlist_unhashed(&pm->hash))
		hlist_del_init(&pm->hash);
	if (pm->first_block != REASM_NO_BLOCK) {
		r->block_next[pm->last_block] = r->free_block;
		r->free_block = pm->first_block;
	}
	pm->first_block = pm->last_block = REASM_NO_BLOCK;
	llist_del(&pm->list);
	llist_add(&pm->list, &r->free);
}

void sctp_reasm_reset(struct sctp_reasm *r)
{
	/* the partial messages and their blocks go back to the free lists: which ones are
	 * free does not matter, so this costs what is in use, not the pool */
	while (!llist_empty(&r->active))
		partial_free(r, llist_first_entry(&r->active, struct sctp_partial, list));
	/* a free tag is a free way: an association is set up when it takes one */
	memset(r->assoc_tag, 0, ASSOC_SETS * sizeof(*r->assoc_tag));
	r->use_clock = 0;
}

/* Drop the oldest partial message other than keep; false when there is none. */
static bool drop_oldest(struct sw_decoder *dec, const struct sctp_partial *keep)
{
	struct sctp_reasm *r = dec->sctp;
	struct sctp_partial *pm;

	llist_for_each_entry(pm, &r->active, list) {
		if (pm == keep)
			continue;
		partial_free(r, pm);
		sw_decode_lost(dec, SW_E_SCTP_REASM_OVERFLOW);
		return true;
	}
	return false;
}

static struct sctp_partial *partial_new(struct sw_decoder *dec)
{
	struct sctp_reasm *r = dec->sctp;
	struct sctp_partial *pm;

	if (llist_empty(&r->free) && !drop_oldest(dec, NULL))
		return NULL;
	pm = llist_first_entry(&r->free, struct sctp_partial, list);
	llist_del(&pm->list);
	llist_add_tail(&pm->list, &r->active);
	pm->len = 0;
	pm->first_block = pm->last_block = REASM_NO_BLOCK;
	return pm;
}

/* Append a fragment; evicts older partials when the pool is full. false: no room. */
static bool partial_append(struct sw_decoder *dec, struct sctp_partial *pm, const uint8_t *p, uint32_t len)
{
	struct sctp_reasm *r = dec->sctp;

	if (len > r->out_size - pm->len)
		return false;
	while (len) {
		uint32_t off = pm->len % REASM_BLOCK_BYTES, n;

		if (!off && (pm->len || pm->first_block == REASM_NO_BLOCK)) {
			uint32_t b;

			while (r->free_block == REASM_NO_BLOCK)
				if (!drop_oldest(dec, pm))
					return false;
			b = r->free_block;
			r->free_block = r->block_next[b];
			r->block_next[b] = REASM_NO_BLOCK;
			if (pm->first_block == REASM_NO_BLOCK)
				pm->first_block = b;
			else
				r->block_next[pm->last_block] = b;
			pm->last_block = b;
		}
		n = REASM_BLOCK_BYTES - off;
		if (n > len)
			n = len;
		memcpy(r->pool + (size_t)pm->last_block * REASM_BLOCK_BYTES + off, p, n);
		pm->len += n;
		p += n;
		len -= n;
	}
	return true;
}

static uint32_t partial_copy_out(struct sctp_reasm *r, const struct sctp_partial *pm)
{
	uint32_t done = 0;

	for (uint32_t b = pm->first_block; b != REASM_NO_BLOCK && done < pm->len; b = r->block_next[b]) {
		uint32_t n = pm->len - done;

		if (n > REASM_BLOCK_BYTES)
			n = REASM_BLOCK_BYTES;
		memcpy(r->out + done, r->pool + (size_t)b * REASM_BLOCK_BYTES, n);
		done += n;
	}
	return done;
}

static struct hlist_head *partial_chain(struct sctp_reasm *r, const struct assoc_key *k, uint16_t stream,
					 bool unordered, bool idata, uint32_t mid)
{
	uint64_t which = (uint64_t)mid << 32 | (uint32_t)stream << 2 | (uint32_t)unordered << 1 | idata;

	return &r->index[(sw_hash_bytes(r->seed, k, sizeof(*k)) ^ sw_hash64(r->seed, which)) & r->index_mask];
}

/* The partial message in chain (partial_chain() of the same key), or NULL. */
static struct sctp_partial *partial_find(struct hlist_head *chain, const struct assoc_key *k, uint16_t stream,
					 bool unordered, bool idata, uint32_t mid)
{
	struct sctp_partial *pm;

	hlist_for_each_entry(pm, chain, hash) {
		if (pm->stream == stream && pm->unordered == unordered && pm->idata == idata && pm->mid == mid &&
		    key_equal(&pm->key, k))
			return pm;
	}
	return NULL;
}

/*! One fragment of a user message (B/E flags not both set). */
struct sctp_frag {
	uint8_t flags;
	bool idata;
	uint16_t stream;
	uint32_t mid, seq, ppid;
	const uint8_t *p;
	uint32_t len;
};

static void reassemble(struct sw_decoder *dec, const struct assoc_key *k, const struct sctp_frag *f)
{
	struct sctp_reasm *r = dec->sctp;
	bool unordered = f->flags & SCTP_FLAG_U;
	struct hlist_head *chain = partial_chain(r, k, f->stream, unordered, f->idata, f->mid);
	struct sctp_partial *pm = partial_find(chain, k, f->stream, unordered, f->idata, f->mid);
	uint32_t len, ppid;

	dec->st.ctr[SW_CTR_SCTP_FRAGMENTS]++;
	if (f->flags & SCTP_FLAG_B) {
		/* a new message on this stream: an unfinished one before it lost its end */
		if (pm) {
			partial_free(r, pm);
			sw_decode_lost(dec, SW_E_SCTP_REASM_GAP);
		}
		pm = partial_new(dec);
		if (!pm) {
			sw_decode_fail(dec, SW_E_SCTP_REASM_OVERFLOW);
			return;
		}
		pm->key = *k;
		pm->stream = f->stream;
		pm->unordered = unordered;
		pm->idata = f->idata;
		pm->mid = f->mid;
		pm->ppid = f->ppid;
		hlist_add_head(&pm->hash, chain);
	} else if (!pm || pm->next_seq != f->seq) {
		/* the start or a middle piece is missing: report it once, at the end */
		if (pm)
			partial_free(r, pm);
		if (pm || (f->flags & SCTP_FLAG_E))
			sw_decode_fail(dec, SW_E_SCTP_REASM_GAP);
		return;
	}
	if (!partial_append(dec, pm, f->p, f->len)) {
		partial_free(r, pm);
		sw_decode_fail(dec, SW_E_SCTP_REASM_OVERFLOW);
		return;
	}
	pm->next_seq = f->seq + 1;
	if (!(f->flags & SCTP_FLAG_E))
		return;

	len = partial_copy_out(r, pm);
	ppid = pm->ppid;
	partial_free(r, pm);
	dec->st.ctr[SW_CTR_SCTP_REASSEMBLED]++;
	sw_decode_sctp_user(dec, ppid, r->out, len);
}

/* PPID 0 ("unspecified") is common in traces: the well-known port names the protocol */
static const struct {
	uint16_t port;
	uint32_t ppid;
} port_ppid[] = {
	{ 2905, PPID_M3UA },
	{ 14001, PPID_SUA },
	{ 3565, PPID_M2PA },
	{ 2904, PPID_M2UA },
};

static uint32_t ppid_by_port(struct sw_decoder *dec, uint32_t ppid)
{
	const struct sw_meta *meta = &dec->msg.meta;

	if (ppid)
		return ppid;
	for (size_t i = 0; i < sizeof(port_ppid) / sizeof(port_ppid[0]); i++) {
		if (meta->dport == port_ppid[i].port || meta->sport == port_ppid[i].port) {
			dec->st.ctr[SW_CTR_SCTP_PPID_BY_PORT]++;
			return port_ppid[i].ppid;
		}
	}
	return ppid;
}

static const uint8_t ppid_ctr[] = {
	[PPID_M2UA] = SW_CTR_SCTP_PPID_M2UA,
	[PPID_M3UA] = SW_CTR_SCTP_PPID_M3UA,
	[PPID_SUA] = SW_CTR_SCTP_PPID_SUA,
	[PPID_M2PA] = SW_CTR_SCTP_PPID_M2PA,
};

static void count_ppid(struct sw_stats *st, uint32_t ppid)
{
	if (ppid < sizeof(ppid_ctr) && ppid_ctr[ppid])
		st->ctr[ppid_ctr[ppid]]++;
	else
		st->ctr[SW_CTR_SCTP_PPID_OTHER]++;
}

/* One DATA or I-DATA chunk (header already length checked). */
static void decode_data_chunk(struct sw_decoder *dec, struct assoc *a, const struct assoc_key *k,
			      const uint8_t *c, uint32_t clen)
{
	struct sctp_frag f = {
		.flags = c[1],
		.idata = c[0] == SCTP_CHUNK_IDATA,
		.stream = osmo_load16be(c + 8),
	};
	uint32_t tsn = osmo_load32be(c + 4), hdr_len;

	dec->st.ctr[SW_CTR_SCTP_DATA_CHUNKS]++;
	if (f.idata) {
		hdr_len = SCTP_IDATA_HDR_LEN;
		f.mid = osmo_load32be(c + 12);
		/* the first fragment carries the PPID, the others their sequence number */
		if (f.flags & SCTP_FLAG_B)
			f.ppid = osmo_load32be(c + 16);
		else
			f.seq = osmo_load32be(c + 16);
	} else {
		hdr_len = SCTP_DATA_HDR_LEN;
		f.ppid = osmo_load32be(c + 12);
		f.seq = tsn;
	}
	f.p = c + hdr_len;
	f.len = clen - hdr_len;

	/* the payload hash tells a retransmission (same TSN, same bytes) from a TSN that a broken
	 * peer reused for another message */
	if (tsn_seen(a, tsn, sw_payload_hash(&dec->sctp->payload, f.p, f.len))) {
		dec->st.ctr[SW_CTR_SCTP_RETRANSMISSIONS]++;
		return;
	}
	dec->msg.meta.sctp_stream = f.stream;
	/* an I-DATA fragment other than the first has no PPID */
	if (!f.idata || (f.flags & SCTP_FLAG_B)) {
		f.ppid = ppid_by_port(dec, f.ppid);
		count_ppid(&dec->st, f.ppid);
	}
	if ((f.flags & (SCTP_FLAG_B | SCTP_FLAG_E)) == (SCTP_FLAG_B | SCTP_FLAG_E)) {
		sw_decode_sctp_user(dec, f.ppid, f.p, f.len);
		return;
	}
	sw_msg_reset_upper(&dec->msg);
	reassemble(dec, k, &f);
}

void sw_decode_sctp(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	struct sw_meta *meta = &dec->msg.meta;
	struct assoc *a = NULL;
	struct assoc_key k;
	uint32_t off = SCTP_COMMON_HDR_LEN;

	if (len < SCTP_COMMON_HDR_LEN) {
		sw_decode_fail(dec, SW_E_SCTP_TRUNCATED);
		return;
	}
	dec->st.ctr[SW_CTR_SCTP_PACKETS]++;
	meta->sport = osmo_load16be(p);
	meta->dport = osmo_load16be(p + 2);
	meta->vtag = osmo_load32be(p + 4);

	while (off < len) {
		const uint8_t *c = p + off;
		uint32_t clen, min_len;

		if (len - off < SCTP_CHUNK_HDR_LEN) {
			sw_msg_reset_upper(&dec->msg);
			sw_decode_fail(dec, SW_E_SCTP_TRUNCATED);
			return;
		}
		clen = osmo_load16be(c + 2);
		dec->st.ctr[SW_CTR_SCTP_CHUNKS]++;
		if (c[0] == SCTP_CHUNK_DATA)
			min_len = SCTP_DATA_HDR_LEN;
		else if (c[0] == SCTP_CHUNK_IDATA)
			min_len = SCTP_IDATA_HDR_LEN;
		else
			min_len = SCTP_CHUNK_HDR_LEN;
		if (clen < min_len || clen > len - off) {
			sw_msg_reset_upper(&dec->msg);
			sw_decode_fail(dec, clen > len - off ? SW_E_SCTP_TRUNCATED : SW_E_SCTP_BAD_CHUNK_LEN);
			return;
		}
		if (c[0] == SCTP_CHUNK_DATA || c[0] == SCTP_CHUNK_IDATA) {
			if (!a) {
				make_key(&k, meta);
				a = assoc_get(dec->sctp, &k);
			}
			decode_data_chunk(dec, a, &k, c, clen);
		} else {
			dec->st.ctr[SW_CTR_SCTP_OTHER_CHUNKS]++;
		}
		/* chunks are padded to 4 bytes; the last one may lack its padding */
		off += (clen + 3) & ~3u;
	}
}

void sw_decode_sctp_user(struct sw_decoder *dec, uint32_t ppid, const uint8_t *p, uint32_t len)
{
	sw_msg_reset_upper(&dec->msg);
	switch (ppid) {
	case PPID_M3UA:
		sw_decode_m3ua(dec, p, len);
		break;
	case PPID_M2PA:
		sw_decode_m2pa(dec, p, len);
		break;
	case PPID_M2UA:
		sw_decode_m2ua(dec, p, len);
		break;
	case PPID_SUA:
		sw_decode_sua(dec, p, len);
		break;
	default:
		/* counted by the caller (sctp.ppid.other): not an SS7 user adaptation */
		break;
	}
}
