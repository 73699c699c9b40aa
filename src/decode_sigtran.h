/* Internal to the decoder: what M2PA, M2UA, M3UA and SUA share, the SIGTRAN common header
 * (RFC 4666 3.1) and the tag-length-value parameters after it (RFC 4666 3.2). Not installed. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <osmocom/core/bit16gen.h>
#include <osmocom/core/bit32gen.h>
#include <ss7watch/decode.h>

#define SIGTRAN_VERSION		1
#define SIGTRAN_HDR_LEN		8	/* version, reserved, class, type, length */
#define SIGTRAN_PARAM_HDR_LEN	4	/* tag, length */

/*! How one adaptation layer treats the common header: which messages it decodes, and what
 *  it counts each outcome as. */
struct sigtran_layer {
	uint8_t hdr_len;		/* common header plus the layer's own fixed fields */
	uint8_t msg_class;		/* the class of the messages decoded */
	uint8_t ctr_type[3];		/* counter of each type of that class; 0: not decoded */
	uint8_t ctr_other;		/* counter of every other class and type */
	enum sw_err e_truncated, e_bad_version, e_bad_length;
};

_Static_assert(SW_CTR__COUNT <= 256, "sigtran_layer keeps counters in 8 bits");

/*! Check and count the common header of a message of layer l (inline: once per message).
 *  \returns the message length (at least l->hdr_len, at most len), or 0 when the message is
 *  not decoded further: counted as another class or type, or failed (sw_decode_fail()). */
static inline uint32_t sigtran_hdr(struct sw_decoder *dec, const struct sigtran_layer *l, const uint8_t *p,
				   uint32_t len)
{
	uint32_t msg_len;
	uint8_t ctr = 0;

	if (len < l->hdr_len) {
		sw_decode_fail(dec, l->e_truncated);
		return 0;
	}
	if (p[0] != SIGTRAN_VERSION) {
		sw_decode_fail(dec, l->e_bad_version);
		return 0;
	}
	if (p[2] == l->msg_class && p[3] < sizeof(l->ctr_type))
		ctr = l->ctr_type[p[3]];
	if (!ctr) {
		/* management, link status, ...: link housekeeping, not user traffic */
		dec->st.ctr[l->ctr_other]++;
		return 0;
	}
	dec->st.ctr[ctr]++;
	msg_len = osmo_load32be(p + 4);
	if (msg_len < l->hdr_len || msg_len > len) {
		sw_decode_fail(dec, l->e_bad_length);
		return 0;
	}
	return msg_len;
}

/*! One parameter; len excludes the parameter header and the padding. */
struct sigtran_param {
	uint16_t tag;
	const uint8_t *v;
	uint32_t len;
};

/*! A bounded walk over the parameters in p[off..len). */
struct sigtran_walk {
	const uint8_t *p;
	uint32_t len, off;
	bool bad;			/* stopped at a parameter that does not fit */
};

static inline void sigtran_walk_init(struct sigtran_walk *w, const uint8_t *p, uint32_t len, uint32_t off)
{
	*w = (struct sigtran_walk){ .p = p, .len = len, .off = off };
}

/*! The next parameter of the walk. \returns false at the end, or at a malformed parameter
 *  with w->bad set. */
static inline bool sigtran_next(struct sigtran_walk *w, struct sigtran_param *pa)
{
	uint16_t plen;

	if (w->off >= w->len)
		return false;
	if (w->len - w->off < SIGTRAN_PARAM_HDR_LEN) {
		w->bad = true;
		return false;
	}
	pa->tag = osmo_load16be(w->p + w->off);
	plen = osmo_load16be(w->p + w->off + 2);
	if (plen < SIGTRAN_PARAM_HDR_LEN || plen > w->len - w->off) {
		w->bad = true;
		return false;
	}
	pa->v = w->p + w->off + SIGTRAN_PARAM_HDR_LEN;
	pa->len = plen - SIGTRAN_PARAM_HDR_LEN;
	/* padded to 4 bytes; the last one may lack its padding */
	w->off += (plen + 3u) & ~3u;
	return true;
}
