/* MTP3 and what carries it: M2PA (RFC 4165), M2UA (RFC 3331) and MTP2 signal units. */
#include <osmocom/core/bit16gen.h>
#include <osmocom/core/bit32gen.h>
#include "decode_sigtran.h"

#define MTP_SI_SCCP		3

/* M2PA: common header, then BSN and FSN (24 bits each, after a spare byte) */
#define M2PA_HDR_LEN		16
#define M2PA_CLASS		11
enum {
	M2PA_TYPE_USER_DATA = 1,
	M2PA_TYPE_LINK_STATUS = 2,
};

/* M2UA: the common header and tag-length-value parameters */
#define M2UA_CLASS_MAUP		6
#define M2UA_TYPE_DATA		1
enum {
	M2UA_TAG_PROTOCOL_DATA_1 = 0x0300,
	M2UA_TAG_PROTOCOL_DATA_2 = 0x0301,	/* TTC: one octet LI/priority before the MSU */
};

static const struct sigtran_layer m2pa_layer = {
	.hdr_len = M2PA_HDR_LEN,
	.msg_class = M2PA_CLASS,
	.ctr_type = { [M2PA_TYPE_USER_DATA] = SW_CTR_M2PA_USER_DATA },
	/* link status (alignment, proving, ready, busy) */
	.ctr_other = SW_CTR_M2PA_OTHER,
	.e_truncated = SW_E_M2PA_TRUNCATED,
	.e_bad_version = SW_E_M2PA_BAD_VERSION,
	.e_bad_length = SW_E_M2PA_BAD_LENGTH,
};

static const struct sigtran_layer m2ua_layer = {
	.hdr_len = SIGTRAN_HDR_LEN,
	.msg_class = M2UA_CLASS_MAUP,
	.ctr_type = { [M2UA_TYPE_DATA] = SW_CTR_M2UA_DATA },
	.ctr_other = SW_CTR_M2UA_OTHER,
	.e_truncated = SW_E_M2UA_TRUNCATED,
	.e_bad_version = SW_E_M2UA_BAD_VERSION,
	.e_bad_length = SW_E_M2UA_BAD_LENGTH,
};

/* MTP2 (Q.703): BSN/BIB, FSN/FIB, LI; Annex A (extended sequence numbers) doubles them */
#define MTP2_HDR_LEN		3
#define MTP2_EXT_HDR_LEN	6
#define MTP2_PHDR_LEN		4	/* sent, annex_a_used, link number */
#define MTP2_PHDR_ANNEX_A_USED	1

void sw_decode_m2pa(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	uint32_t msg_len = sigtran_hdr(dec, &m2pa_layer, p, len);

	/* none: not user data, or failed; the header alone: a bare acknowledgement (BSN update) */
	if (msg_len <= M2PA_HDR_LEN)
		return;
	/* one priority octet, then the MSU */
	sw_decode_mtp3(dec, p + M2PA_HDR_LEN + 1, msg_len - M2PA_HDR_LEN - 1, SW_VIA_M2PA);
}

void sw_decode_m2ua(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	uint32_t msg_len = sigtran_hdr(dec, &m2ua_layer, p, len);
	struct sigtran_walk w;
	struct sigtran_param pa;

	if (!msg_len)
		return;
	sigtran_walk_init(&w, p, msg_len, SIGTRAN_HDR_LEN);
	while (sigtran_next(&w, &pa)) {
		if (pa.tag == M2UA_TAG_PROTOCOL_DATA_1) {
			sw_decode_mtp3(dec, pa.v, pa.len, SW_VIA_M2UA);
			return;
		}
		if (pa.tag == M2UA_TAG_PROTOCOL_DATA_2) {
			if (pa.len < 1) {
				sw_decode_fail(dec, SW_E_M2UA_BAD_LENGTH);
				return;
			}
			sw_decode_mtp3(dec, pa.v + 1, pa.len - 1, SW_VIA_M2UA);
			return;
		}
		/* interface identifier, correlation id, ... */
	}
	sw_decode_fail(dec, w.bad ? SW_E_M2UA_BAD_LENGTH : SW_E_M2UA_NO_PROTOCOL_DATA);
}

void sw_decode_mtp2(struct sw_decoder *dec, const uint8_t *p, uint32_t len, bool with_phdr)
{
	bool annex_a = false;
	uint32_t hdr_len;
	uint16_t li;

	if (with_phdr) {
		if (len < MTP2_PHDR_LEN) {
			sw_decode_fail(dec, SW_E_MTP2_TRUNCATED);
			return;
		}
		annex_a = p[1] == MTP2_PHDR_ANNEX_A_USED;
		p += MTP2_PHDR_LEN;
		len -= MTP2_PHDR_LEN;
	}
	hdr_len = annex_a ? MTP2_EXT_HDR_LEN : MTP2_HDR_LEN;
	if (len < hdr_len) {
		sw_decode_fail(dec, SW_E_MTP2_TRUNCATED);
		return;
	}
	li = annex_a ? osmo_load16le(p + 4) & 0x1ff : p[2] & 0x3f;
	/* LI 0: fill-in, 1-2: link status; the LI saturates (63 / 511) for long MSUs */
	if (li < 3) {
		dec->st.ctr[SW_CTR_MTP2_FISU_LSSU]++;
		return;
	}
	sw_decode_mtp3(dec, p + hdr_len, len - hdr_len, SW_VIA_MTP2);
}

/* SIO + routing label; the label layout depends on the point code format */
#define MTP3_ITU_LABEL_LEN	4
#define MTP3_24BIT_LABEL_LEN	7

void sw_decode_mtp3(struct sw_decoder *dec, const uint8_t *p, uint32_t len, uint8_t via)
{
	struct sw_mtp3 *m = &dec->msg.mtp3;
	bool pc24 = dec->cfg.pc_format == SW_PC_24BIT;
	uint32_t label_len = pc24 ? MTP3_24BIT_LABEL_LEN : MTP3_ITU_LABEL_LEN;
	uint8_t sio;

	dec->st.ctr[SW_CTR_MTP3_MSUS]++;
	if (len < 1 + label_len) {
		sw_decode_fail(dec, SW_E_MTP3_TRUNCATED);
		return;
	}
	sio = p[0];
	m->present = true;
	m->via = via;
	m->si = sio & 0x0f;
	m->ni = sio >> 6;
	m->mp = (sio >> 4) & 0x03;
	if (pc24) {
		/* ANSI/China: DPC, OPC 24 bits each (member, cluster, network), SLS 8 bits */
		m->dpc = p[1] | p[2] << 8 | (uint32_t)p[3] << 16;
		m->opc = p[4] | p[5] << 8 | (uint32_t)p[6] << 16;
		m->sls = p[7];
	} else {
		uint32_t label = osmo_load32le(p + 1);

		m->dpc = label & 0x3fff;
		m->opc = (label >> 14) & 0x3fff;
		m->sls = label >> 28;
	}
	sw_decode_mtp3_user(dec, p + 1 + label_len, len - 1 - label_len);
}

void sw_decode_mtp3_user(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	if (dec->msg.mtp3.si != MTP_SI_SCCP) {
		/* ISUP, TUP, MTP network management: not ours */
		dec->st.ctr[SW_CTR_MTP3_SI_OTHER]++;
		return;
	}
	dec->st.ctr[SW_CTR_MTP3_SI_SCCP]++;
	sw_decode_sccp(dec, p, len);
}
