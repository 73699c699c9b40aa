/* SCCP (ITU-T Q.713) connectionless messages, with our own bounded address parser, and the
 * reassembly of segmented XUDT/LUDT messages (Q.714 4.1.1). */
#include <stddef.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/hash.h>
#include <ss7watch/track_mem.h>
#include <osmocom/core/linuxlist.h>
#include <osmocom/core/bit16gen.h>
#include <ss7watch/decode.h>

/* Where the fixed part of each connectionless message keeps what (0: not there). */
struct sccp_layout {
	uint8_t ctr;		/* enum sw_ctr; 0: not a type we decode */
	uint8_t class_off;	/* protocol class */
	uint8_t cause_off;	/* return cause of a returned message */
	uint8_t hop_off;	/* hop counter */
	uint8_t ptr_off;	/* first pointer */
	uint8_t ptr_size;	/* 1, or 2 for the long (LUDT) messages */
	bool has_optional;	/* fourth pointer: optional part */
	bool segmentable;	/* may carry segments of a longer message */
};

static const struct sccp_layout sccp_layouts[256] = {
	[SW_SCCP_UDT] = { SW_CTR_SCCP_UDT, 1, 0, 0, 2, 1, false, false },
	[SW_SCCP_UDTS] = { SW_CTR_SCCP_UDTS, 0, 1, 0, 2, 1, false, false },
	[SW_SCCP_XUDT] = { SW_CTR_SCCP_XUDT, 1, 0, 2, 3, 1, true, true },
	[SW_SCCP_XUDTS] = { SW_CTR_SCCP_XUDTS, 0, 1, 2, 3, 1, true, false },
	[SW_SCCP_LUDT] = { SW_CTR_SCCP_LUDT, 1, 0, 2, 3, 2, true, true },
	[SW_SCCP_LUDTS] = { SW_CTR_SCCP_LUDT, 0, 1, 2, 3, 2, true, false },
};

enum {
	SCCP_OPT_END = 0x00,
	SCCP_OPT_SEGMENTATION = 0x10,
};

#define SCCP_SSN_MANAGEMENT	1

#define SEG_FIRST		0x80
#define SEG_REMAINING_MASK	0x0f

/* A segmented message is at most 16 segments of at most 255 bytes: one slot holds any. */
#define REASM_SLOT_BYTES	4096
/* Q.714 T(reassembly) is 10-20 s: a partial message older than this will never complete */
#define REASM_TIMEOUT_S		20

/*! A segmented message being reassembled. */
struct sccp_partial {
	struct llist_head list;	/* in sccp_reasm.active (oldest first) or .free */
	struct hlist_node hash;	/* in sccp_reasm.index while active */
	uint32_t opc, lref, calling_pc;
	uint8_t calling_present, calling_ssn;
	char calling_digits[SW_GT_MAX_DIGITS + 1];
	uint8_t next_remaining;	/* "remaining segments" expected in the next segment */
	uint8_t n_segments;
	uint32_t len;
	time_t started;
	uint8_t *buf;
};

struct sccp_reasm {
	struct llist_head active, free;
	struct sccp_partial *partials;
	uint8_t *pool;
	/* the active partials by (OPC, local reference, calling party): a segment finds its
	 * message in one short chain, however many never complete */
	struct hlist_head *index;
	uint32_t index_mask;
	uint64_t seed;
};

struct sccp_reasm *sccp_reasm_alloc(void *ctx, uint32_t max_bytes)
{
	struct sccp_reasm *r = talloc_zero(ctx, struct sccp_reasm);
	uint32_t n = max_bytes / REASM_SLOT_BYTES;

	if (!r)
		return NULL;
	if (!n)
		n = 1;
	/* mapped and populated at once: zeroing them with talloc faults in page by page */
	r->partials = sw_mem_array(r, n, sizeof(struct sccp_partial), SW_MEM_DENSE);
	r->pool = talloc_size(r, (size_t)n * REASM_SLOT_BYTES);
	for (r->index_mask = 1; r->index_mask < 2 * n; r->index_mask <<= 1)
		;
	r->index = sw_mem_array(r, r->index_mask, sizeof(struct hlist_head), SW_MEM_DENSE);
	r->index_mask--;
	r->seed = sw_hash_seed();
	if (!r->partials || !r->pool || !r->index) {
		talloc_free(r);
		return NULL;
	}
	INIT_LLIST_HEAD(&r->active);
	INIT_LLIST_HEAD(&r->free);
	for (uint32_t i = 0; i < n; i++) {
		r->partials[i].buf = r->pool + (size_t)i * REASM_SLOT_BYTES;
		llist_add_tail(&r->partials[i].list, &r->free);
	}
	return r;
}

enum parity {
	PARITY_EVEN,
	PARITY_ODD,
	PARITY_UNKNOWN,		/* no odd/even indication: a final 0xF nibble is a filler */
};

/* BCD digits, low nibble first; odd: the last high nibble is a filler. */
static enum sw_err decode_digits(struct sw_sccp_addr *a, const uint8_t *p, uint32_t len, enum parity parity)
{
	uint32_t n = len * 2;

	if (n && (parity == PARITY_ODD || (parity == PARITY_UNKNOWN && (p[len - 1] >> 4) == 0x0f)))
		n--;
	if (n > SW_GT_MAX_DIGITS)
		return SW_E_SCCP_GT_TOO_LONG;
	a->n_digits = sw_gt_digits(a->digits, p, n);
	return SW_E_NONE;
}

/* Encoding scheme 1 is BCD odd, 2 BCD even; the others say nothing about a filler. */
static enum parity es_parity(uint8_t es)
{
	return es == 1 ? PARITY_ODD : es == 2 ? PARITY_EVEN : PARITY_UNKNOWN;
}

/* The global title after the address indicator, PC and SSN; gti as in ITU Q.713. */
static enum sw_err decode_gt_itu(struct sw_sccp_addr *a, const uint8_t *p, uint32_t len)
{
	enum parity parity = PARITY_UNKNOWN;
	uint32_t hdr;

	switch (a->gti) {
	case 1:	/* NAI with the odd/even bit */
		hdr = 1;
		if (len < hdr)
			return SW_E_SCCP_BAD_ADDRESS;
		a->nai = p[0] & 0x7f;
		parity = (p[0] & 0x80) ? PARITY_ODD : PARITY_EVEN;
		break;
	case 2:	/* TT only */
		hdr = 1;
		if (len < hdr)
			return SW_E_SCCP_BAD_ADDRESS;
		a->tt = p[0];
		break;
	case 3:	/* TT, NP/ES */
	case 4:	/* TT, NP/ES, NAI */
		hdr = a->gti == 3 ? 2 : 3;
		if (len < hdr)
			return SW_E_SCCP_BAD_ADDRESS;
		a->tt = p[0];
		a->np = p[1] >> 4;
		a->es = p[1] & 0x0f;
		parity = es_parity(a->es);
		if (a->gti == 4)
			a->nai = p[2] & 0x7f;
		break;
	default:
		return SW_E_SCCP_BAD_ADDRESS;
	}
	return decode_digits(a, p + hdr, len - hdr, parity);
}

/* ANSI T1.112: GTI 1 is TT + NP/ES, GTI 2 is TT only. */
static enum sw_err decode_gt_ansi(struct sw_sccp_addr *a, const uint8_t *p, uint32_t len)
{
	switch (a->gti) {
	case 1:
		if (len < 2)
			return SW_E_SCCP_BAD_ADDRESS;
		a->tt = p[0];
		a->np = p[1] >> 4;
		a->es = p[1] & 0x0f;
		return decode_digits(a, p + 2, len - 2, es_parity(a->es));
	case 2:
		if (len < 1)
			return SW_E_SCCP_BAD_ADDRESS;
		a->tt = p[0];
		return decode_digits(a, p + 1, len - 1, PARITY_UNKNOWN);
	default:
		return SW_E_SCCP_BAD_ADDRESS;
	}
}

/* Called/calling party address (Q.713 3.4; ANSI: SSN before a 24-bit PC, other AI bits). */
static enum sw_err decode_addr(struct sw_sccp_addr *a, const uint8_t *p, uint32_t len, bool ansi)
{
	uint8_t ai;
	bool has_pc, has_ssn;
	uint32_t off = 1;

	if (len < 1)
		return SW_E_SCCP_BAD_ADDRESS;
	ai = p[0];
	has_pc = ansi ? ai & 0x02 : ai & 0x01;
	has_ssn = ansi ? ai & 0x01 : ai & 0x02;
	a->gti = (ai >> 2) & 0x0f;
	a->ri = (ai >> 6) & 0x01;
	if (ansi) {
		if (has_ssn) {
			if (len - off < 1)
				return SW_E_SCCP_BAD_ADDRESS;
			a->ssn = p[off++];
			a->present |= SW_SCCP_AI_SSN;
		}
		if (has_pc) {
			if (len - off < 3)
				return SW_E_SCCP_BAD_ADDRESS;
			a->pc = p[off] | p[off + 1] << 8 | (uint32_t)p[off + 2] << 16;
			off += 3;
			a->present |= SW_SCCP_AI_PC;
		}
	} else {
		if (has_pc) {
			if (len - off < 2)
				return SW_E_SCCP_BAD_ADDRESS;
			a->pc = osmo_load16le(p + off) & 0x3fff;
			off += 2;
			a->present |= SW_SCCP_AI_PC;
		}
		if (has_ssn) {
			if (len - off < 1)
				return SW_E_SCCP_BAD_ADDRESS;
			a->ssn = p[off++];
			a->present |= SW_SCCP_AI_SSN;
		}
	}
	if (!a->gti)
		return SW_E_NONE;
	a->present |= SW_SCCP_AI_GT;
	return ansi ? decode_gt_ansi(a, p + off, len - off) : decode_gt_itu(a, p + off, len - off);
}

/*! A variable part located by its pointer. */
struct sccp_var {
	const uint8_t *p;
	uint32_t len;
};

/* Mandatory variable parameter i: pointer at ptr_pos, length (len_size octets) where it points. */
static inline bool get_var(const uint8_t *p, uint32_t len, const struct sccp_layout *l, unsigned i,
			   uint32_t len_size, struct sccp_var *v)
{
	uint32_t ptr_pos = l->ptr_off + i * l->ptr_size;
	uint32_t ptr = l->ptr_size == 2 ? osmo_load16le(p + ptr_pos) : p[ptr_pos];
	uint32_t start = ptr_pos + ptr, plen;

	if (!ptr || start > len || len - start < len_size)
		return false;
	plen = len_size == 2 ? osmo_load16le(p + start) : p[start];
	start += len_size;
	if (plen > len - start)
		return false;
	v->p = p + start;
	v->len = plen;
	return true;
}

/*! What the optional part says about segmentation. */
struct sccp_seg {
	bool present;
	bool first;
	uint8_t remaining;
	uint32_t lref;
};

static enum sw_err decode_optional(const uint8_t *p, uint32_t len, struct sccp_seg *seg)
{
	uint32_t off = 0;

	/* each parameter is at least 2 octets, so this ends within len/2 rounds */
	while (off < len) {
		uint8_t tag = p[off], plen;

		if (tag == SCCP_OPT_END)
			return SW_E_NONE;
		if (len - off < 2)
			return SW_E_SCCP_BAD_OPTIONAL;
		plen = p[off + 1];
		if (plen > len - off - 2)
			return SW_E_SCCP_BAD_OPTIONAL;
		if (tag == SCCP_OPT_SEGMENTATION) {
			if (plen != 4)
				return SW_E_SCCP_BAD_OPTIONAL;
			seg->present = true;
			seg->first = p[off + 2] & SEG_FIRST;
			seg->remaining = p[off + 2] & SEG_REMAINING_MASK;
			seg->lref = p[off + 3] | p[off + 4] << 8 | (uint32_t)p[off + 5] << 16;
		}
		off += 2 + plen;
	}
	/* no end-of-optional-parameters octet: tolerated, the part ends with the message */
	return SW_E_NONE;
}

static bool partial_matches(const struct sccp_partial *pm, const struct sw_msg *msg, uint32_t lref)
{
	const struct sw_sccp_addr *cg = &msg->sccp.calling;

	return pm->lref == lref && pm->opc == msg->mtp3.opc && pm->calling_present == cg->present &&
	       pm->calling_pc == cg->pc && pm->calling_ssn == cg->ssn &&
	       !strcmp(pm->calling_digits, cg->digits);
}

/* The chain of the partials a segment with this OPC, reference and calling party may
 * continue (partial_matches() decides). */
static struct hlist_head *partial_chain(struct sccp_reasm *r, uint32_t opc, uint32_t lref,
					const char *calling_digits)
{
	uint64_t h = sw_hash64(r->seed, (uint64_t)opc << 32 | lref) ^
		     sw_hash_bytes(r->seed, calling_digits, strlen(calling_digits));

	return &r->index[h & r->index_mask];
}

static void partial_free(struct sccp_reasm *r, struct sccp_partial *pm)
{
	if (!hlist_unhashed(&pm->hash))
		hlist_del_init(&pm->hash);
	llist_del(&pm->list);
	llist_add(&pm->list, &r->free);
}

void sccp_reasm_reset(struct sccp_reasm *r)
{
	/* which partial messages are free does not matter: this costs what is in use */
	while (!llist_empty(&r->active))
		partial_free(r, llist_first_entry(&r->active, struct sccp_partial, list));
}

/* Drop partial messages whose missing segments are overdue (the list is oldest first). */
static void expire(struct sw_decoder *dec, time_t now)
{
	struct sccp_reasm *r = dec->sccp;
	struct sccp_partial *pm, *tmp;

	llist_for_each_entry_safe(pm, tmp, &r->active, list) {
		if (now - pm->started <= REASM_TIMEOUT_S)
			break;
		partial_free(r, pm);
		sw_decode_lost(dec, SW_E_SCCP_SEGMENT_GAP);
	}
}

static struct sccp_partial *partial_new(struct sw_decoder *dec)
{
	struct sccp_reasm *r = dec->sccp;
	struct sccp_partial *pm;

	if (llist_empty(&r->free)) {
		/* full: the oldest is the least likely to complete */
		partial_free(r, llist_first_entry(&r->active, struct sccp_partial, list));
		sw_decode_lost(dec, SW_E_SCCP_SEGMENT_OVERFLOW);
	}
	pm = llist_first_entry(&r->free, struct sccp_partial, list);
	llist_del(&pm->list);
	llist_add_tail(&pm->list, &r->active);
	return pm;
}

/* One segment of a segmented message: buffer it, and deliver the whole on the last one. */
static void reassemble(struct sw_decoder *dec, const struct sccp_seg *seg)
{
	struct sccp_reasm *r = dec->sccp;
	struct sw_msg *msg = &dec->msg;
	struct sw_sccp *s = &msg->sccp;
	struct sccp_partial *pm = NULL, *it;
	time_t now = msg->meta.ts.tv_sec;
	struct hlist_head *chain;

	dec->st.ctr[SW_CTR_SCCP_SEGMENTS]++;
	expire(dec, now);
	/* a first segment is indexed where its followers will look */
	chain = partial_chain(r, msg->mtp3.opc, seg->lref, s->calling.digits);
	hlist_for_each_entry(it, chain, hash) {
		if (partial_matches(it, msg, seg->lref)) {
			pm = it;
			break;
		}
	}
	if (seg->first) {
		if (pm) {
			/* a new first segment under the same reference: the old one lost its end */
			partial_free(r, pm);
			sw_decode_lost(dec, SW_E_SCCP_SEGMENT_GAP);
		}
		pm = partial_new(dec);
		pm->opc = msg->mtp3.opc;
		pm->lref = seg->lref;
		pm->calling_present = s->calling.present;
		pm->calling_pc = s->calling.pc;
		pm->calling_ssn = s->calling.ssn;
		memcpy(pm->calling_digits, s->calling.digits, sizeof(pm->calling_digits));
		hlist_add_head(&pm->hash, chain);
		pm->n_segments = 0;
		pm->len = 0;
		pm->started = now;
	} else if (!pm || seg->remaining + 1 != pm->next_remaining) {
		if (pm)
			partial_free(r, pm);
		sw_decode_fail(dec, SW_E_SCCP_SEGMENT_GAP);
		return;
	}
	if (s->data_len > REASM_SLOT_BYTES - pm->len) {
		partial_free(r, pm);
		sw_decode_fail(dec, SW_E_SCCP_SEGMENT_OVERFLOW);
		return;
	}
	memcpy(pm->buf + pm->len, s->data, s->data_len);
	pm->len += s->data_len;
	pm->n_segments++;
	pm->next_remaining = seg->remaining;
	if (seg->remaining)
		return;

	dec->st.ctr[SW_CTR_SCCP_REASSEMBLED]++;
	s->data = pm->buf;
	s->data_len = pm->len;
	msg->meta.segments = pm->n_segments;
	sw_deliver_sccp(dec);
	/* only now: the message pointed into the slot during delivery */
	partial_free(r, pm);
}

void sw_decode_sccp(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	bool ansi = dec->cfg.pc_format == SW_PC_24BIT;
	struct sw_sccp *s = &dec->msg.sccp;
	const struct sccp_layout *l;
	struct sccp_var called, calling, data;
	struct sccp_seg seg = { 0 };
	uint32_t fixed_len;
	enum sw_err err;

	/* ss7replay relays the raw bytes instead */
	if (dec->on_sccp && dec->on_sccp(dec, p, len, dec->priv))
		return;

	dec->st.ctr[SW_CTR_SCCP_MESSAGES]++;
	if (len < 1) {
		sw_decode_fail(dec, SW_E_SCCP_TRUNCATED);
		return;
	}
	l = &sccp_layouts[p[0]];
	if (!l->ctr) {
		/* connection-oriented, management of the connection, ...: not MAP traffic */
		dec->st.ctr[SW_CTR_SCCP_OTHER]++;
		return;
	}
	dec->st.ctr[l->ctr]++;
	fixed_len = l->ptr_off + (l->has_optional ? 4 : 3) * l->ptr_size;
	if (len < fixed_len) {
		sw_decode_fail(dec, SW_E_SCCP_TRUNCATED);
		return;
	}
	s->type = p[0];
	if (l->class_off)
		s->protocol_class = p[l->class_off] & 0x8f;
	if (l->cause_off)
		s->return_cause = p[l->cause_off];
	if (l->hop_off)
		s->hop_counter = p[l->hop_off];

	if (!get_var(p, len, l, 0, 1, &called) || !get_var(p, len, l, 1, 1, &calling) ||
	    !get_var(p, len, l, 2, l->ptr_size, &data)) {
		sw_decode_fail(dec, SW_E_SCCP_BAD_POINTER);
		return;
	}
	err = decode_addr(&s->called, called.p, called.len, ansi);
	if (!err)
		err = decode_addr(&s->calling, calling.p, calling.len, ansi);
	if (err) {
		sw_decode_fail(dec, err);
		return;
	}
	s->data = data.p;
	s->data_len = data.len;
	/* SCCP management (SSA, SSP, SST, ...) talks about subsystems: no TCAP inside */
	if ((s->called.present & SW_SCCP_AI_SSN) && s->called.ssn == SCCP_SSN_MANAGEMENT) {
		dec->st.ctr[SW_CTR_SCCP_MANAGEMENT]++;
		return;
	}

	if (l->has_optional) {
		uint32_t ptr_pos = l->ptr_off + 3 * l->ptr_size;
		uint32_t ptr = l->ptr_size == 2 ? osmo_load16le(p + ptr_pos) : p[ptr_pos];

		if (ptr) {
			if (ptr > len - ptr_pos) {
				sw_decode_fail(dec, SW_E_SCCP_BAD_POINTER);
				return;
			}
			err = decode_optional(p + ptr_pos + ptr, len - ptr_pos - ptr, &seg);
			if (err) {
				sw_decode_fail(dec, err);
				return;
			}
		}
	}
	/* a first segment with nothing remaining is a whole message */
	if (seg.present && !(seg.first && !seg.remaining)) {
		if (l->segmentable) {
			reassemble(dec, &seg);
			return;
		}
		/* a returned segment (XUDTS/LUDTS): a piece of TCAP, its pieces come back in any
		 * order or not at all; counted, not decoded */
		dec->st.ctr[SW_CTR_SCCP_SEGMENTS]++;
		return;
	}
	sw_deliver_sccp(dec);
}
