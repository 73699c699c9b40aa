/* M3UA (RFC 4666): the MTP3 label and SCCP bytes of a DATA message. */
#include <osmocom/core/bit32gen.h>
#include "decode_sigtran.h"

#define M3UA_PROT_DATA_HDR_LEN	12	/* OPC, DPC, SI, NI, MP, SLS */

enum {
	M3UA_CLASS_TRANSFER = 1,
	M3UA_TYPE_DATA = 1,
};

enum {
	M3UA_TAG_ROUTING_CONTEXT = 0x0006,
	M3UA_TAG_PROTOCOL_DATA = 0x0210,
};

static const struct sigtran_layer m3ua_layer = {
	.hdr_len = SIGTRAN_HDR_LEN,
	.msg_class = M3UA_CLASS_TRANSFER,
	.ctr_type = { [M3UA_TYPE_DATA] = SW_CTR_M3UA_DATA },
	/* MGMT, ASPSM, ASPTM, SSNM, RKM */
	.ctr_other = SW_CTR_M3UA_OTHER,
	.e_truncated = SW_E_M3UA_TRUNCATED,
	.e_bad_version = SW_E_M3UA_BAD_VERSION,
	.e_bad_length = SW_E_M3UA_BAD_LENGTH,
};

void sw_decode_m3ua(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	struct sw_mtp3 *m = &dec->msg.mtp3;
	const uint8_t *data = NULL;
	uint32_t msg_len, data_len = 0;
	struct sigtran_walk w;
	struct sigtran_param pa;

	dec->st.ctr[SW_CTR_M3UA_MESSAGES]++;
	msg_len = sigtran_hdr(dec, &m3ua_layer, p, len);
	if (!msg_len)
		return;
	sigtran_walk_init(&w, p, msg_len, SIGTRAN_HDR_LEN);
	while (sigtran_next(&w, &pa)) {
		switch (pa.tag) {
		case M3UA_TAG_ROUTING_CONTEXT:
			/* a list of contexts; the first is the one the message travels in */
			if (pa.len >= 4) {
				m->has_rctx = true;
				m->rctx = osmo_load32be(pa.v);
			}
			break;
		case M3UA_TAG_PROTOCOL_DATA:
			if (pa.len < M3UA_PROT_DATA_HDR_LEN) {
				sw_decode_fail(dec, SW_E_M3UA_BAD_PARAM_LEN);
				return;
			}
			data = pa.v;
			data_len = pa.len;
			break;
		default:
			/* network appearance, correlation id, ...: nothing we report */
			break;
		}
	}
	if (w.bad) {
		sw_decode_fail(dec, SW_E_M3UA_BAD_PARAM_LEN);
		return;
	}
	if (!data) {
		sw_decode_fail(dec, SW_E_M3UA_NO_PROTOCOL_DATA);
		return;
	}

	m->present = true;
	m->via = SW_VIA_M3UA;
	m->opc = osmo_load32be(data);
	m->dpc = osmo_load32be(data + 4);
	m->si = data[8];
	m->ni = data[9];
	m->mp = data[10];
	m->sls = data[11];
	dec->st.ctr[SW_CTR_MTP3_MSUS]++;
	sw_decode_mtp3_user(dec, data + M3UA_PROT_DATA_HDR_LEN, data_len - M3UA_PROT_DATA_HDR_LEN);
}
