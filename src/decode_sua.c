/* SUA (RFC 3868) connectionless messages, mapped onto the SCCP fields of the message. */
#include <osmocom/core/bit16gen.h>
#include <osmocom/core/bit32gen.h>
#include "decode_sigtran.h"

#define SUA_CLASS_CL		7
enum {
	SUA_TYPE_CLDT = 1,
	SUA_TYPE_CLDR = 2,
};

enum {
	SUA_TAG_ROUTING_CONTEXT = 0x0006,
	SUA_TAG_HOP_COUNTER = 0x0101,
	SUA_TAG_SOURCE_ADDR = 0x0102,
	SUA_TAG_DEST_ADDR = 0x0103,
	SUA_TAG_SCCP_CAUSE = 0x0106,
	SUA_TAG_DATA = 0x010b,
	SUA_TAG_PROTOCOL_CLASS = 0x0115,
	SUA_TAG_SEQUENCE_CONTROL = 0x0116,
	/* inside an address */
	SUA_TAG_GT = 0x8001,
	SUA_TAG_PC = 0x8002,
	SUA_TAG_SSN = 0x8003,
};

/* routing indicator: 1 route on GT; 2 on SSN+PC; 3 hostname; 4 SSN+IP */
#define SUA_RI_GT		1

#define SUA_GT_HDR_LEN		8	/* reserved, GTI, digits, TT, NP, NAI */

static const struct sigtran_layer sua_layer = {
	.hdr_len = SIGTRAN_HDR_LEN,
	.msg_class = SUA_CLASS_CL,
	/* a CLDR (returned message) is decoded, and counted with the others */
	.ctr_type = { [SUA_TYPE_CLDT] = SW_CTR_SUA_CLDT, [SUA_TYPE_CLDR] = SW_CTR_SUA_OTHER },
	/* management, connection-oriented: no MAP to see */
	.ctr_other = SW_CTR_SUA_OTHER,
	.e_truncated = SW_E_SUA_TRUNCATED,
	.e_bad_version = SW_E_SUA_BAD_VERSION,
	.e_bad_length = SW_E_SUA_BAD_LENGTH,
};

static enum sw_err decode_gt(struct sw_sccp_addr *a, const uint8_t *v, uint32_t len)
{
	uint32_t n;

	if (len < SUA_GT_HDR_LEN)
		return SW_E_SUA_BAD_ADDRESS;
	a->gti = v[3] & 0x0f;
	n = v[4];
	a->tt = v[5];
	a->np = v[6];
	a->nai = v[7];
	if (n > SW_GT_MAX_DIGITS)
		return SW_E_SCCP_GT_TOO_LONG;
	if ((n + 1) / 2 > len - SUA_GT_HDR_LEN)
		return SW_E_SUA_BAD_ADDRESS;
	a->n_digits = sw_gt_digits(a->digits, v + SUA_GT_HDR_LEN, n);
	/* the SCCP encoding scheme this GT would have: BCD odd (1) or even (2) */
	a->es = (n & 1) ? 1 : 2;
	a->present |= SW_SCCP_AI_GT;
	return SW_E_NONE;
}

/* Source/destination address: RI, AI, then GT/PC/SSN (and IP or hostname, not kept). */
static enum sw_err decode_addr(struct sw_sccp_addr *a, const uint8_t *v, uint32_t len)
{
	struct sigtran_walk w;
	struct sigtran_param pa;

	if (len < 4)
		return SW_E_SUA_BAD_ADDRESS;
	/* the address indicator (v + 2) says which parts route; we report every part present */
	a->ri = osmo_load16be(v) == SUA_RI_GT ? 0 : 1;
	sigtran_walk_init(&w, v, len, 4);
	while (sigtran_next(&w, &pa)) {
		enum sw_err err;

		switch (pa.tag) {
		case SUA_TAG_GT:
			err = decode_gt(a, pa.v, pa.len);
			if (err)
				return err;
			break;
		case SUA_TAG_PC:
			if (pa.len < 4)
				return SW_E_SUA_BAD_ADDRESS;
			a->pc = osmo_load32be(pa.v) & 0xffffff;
			a->present |= SW_SCCP_AI_PC;
			break;
		case SUA_TAG_SSN:
			if (pa.len < 4)
				return SW_E_SUA_BAD_ADDRESS;
			a->ssn = pa.v[3];
			a->present |= SW_SCCP_AI_SSN;
			break;
		default:
			break;
		}
	}
	return w.bad ? SW_E_SUA_BAD_ADDRESS : SW_E_NONE;
}

void sw_decode_sua(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	struct sw_msg *msg = &dec->msg;
	struct sw_sccp *s = &msg->sccp;
	struct sigtran_walk w;
	struct sigtran_param pa;
	uint32_t msg_len;
	bool has_data = false;

	dec->st.ctr[SW_CTR_SUA_MESSAGES]++;
	msg_len = sigtran_hdr(dec, &sua_layer, p, len);
	if (!msg_len)
		return;
	msg->mtp3.present = false;
	msg->mtp3.via = SW_VIA_SUA;
	s->type = p[3] == SUA_TYPE_CLDT ? SW_SCCP_SUA_CLDT : SW_SCCP_SUA_CLDR;

	sigtran_walk_init(&w, p, msg_len, SIGTRAN_HDR_LEN);
	while (sigtran_next(&w, &pa)) {
		enum sw_err err = SW_E_NONE;

		switch (pa.tag) {
		case SUA_TAG_ROUTING_CONTEXT:
			if (pa.len >= 4) {
				msg->mtp3.has_rctx = true;
				msg->mtp3.rctx = osmo_load32be(pa.v);
			}
			break;
		case SUA_TAG_PROTOCOL_CLASS:
			if (pa.len < 4)
				err = SW_E_SUA_BAD_LENGTH;
			else
				s->protocol_class = pa.v[3] & 0x8f;
			break;
		case SUA_TAG_HOP_COUNTER:
			if (pa.len < 4)
				err = SW_E_SUA_BAD_LENGTH;
			else
				s->hop_counter = pa.v[3];
			break;
		case SUA_TAG_SCCP_CAUSE:
			if (pa.len < 4)
				err = SW_E_SUA_BAD_LENGTH;
			else
				s->return_cause = pa.v[3];
			break;
		case SUA_TAG_SOURCE_ADDR:
			err = decode_addr(&s->calling, pa.v, pa.len);
			break;
		case SUA_TAG_DEST_ADDR:
			err = decode_addr(&s->called, pa.v, pa.len);
			break;
		case SUA_TAG_DATA:
			s->data = pa.v;
			s->data_len = pa.len;
			has_data = true;
			break;
		default:
			/* sequence control, importance, segmentation, ... */
			break;
		}
		if (err) {
			sw_decode_fail(dec, err);
			return;
		}
	}
	if (w.bad) {
		sw_decode_fail(dec, SW_E_SUA_BAD_LENGTH);
		return;
	}
	if (!has_data) {
		sw_decode_fail(dec, SW_E_SUA_NO_DATA);
		return;
	}
	sw_deliver_sccp(dec);
}
