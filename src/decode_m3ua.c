/* M3UA (RFC 4666): the MTP3 label and SCCP bytes of a DATA message. */
#include <osmocom/core/bit16gen.h>
#include <osmocom/core/bit32gen.h>
#include <ss7watch/decode.h>

#define M3UA_HDR_LEN		8
#define M3UA_PARAM_HDR_LEN	4
#define M3UA_PROT_DATA_HDR_LEN	12	/* OPC, DPC, SI, NI, MP, SLS */

enum {
	M3UA_CLASS_TRANSFER = 1,
	M3UA_TYPE_DATA = 1,
};

enum {
	M3UA_TAG_ROUTING_CONTEXT = 0x0006,
	M3UA_TAG_PROTOCOL_DATA = 0x0210,
};

#define MTP_SI_SCCP		3

void sw_decode_m3ua(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	struct sw_mtp3 *m = &dec->msg.mtp3;
	const uint8_t *data = NULL;
	uint32_t msg_len, off, data_len = 0;

	dec->st.ctr[SW_CTR_M3UA_MESSAGES]++;
	if (len < M3UA_HDR_LEN) {
		sw_decode_fail(dec, SW_E_M3UA_TRUNCATED);
		return;
	}
	if (p[0] != 1) {
		sw_decode_fail(dec, SW_E_M3UA_BAD_VERSION);
		return;
	}
	if (p[2] != M3UA_CLASS_TRANSFER || p[3] != M3UA_TYPE_DATA) {
		/* MGMT, ASPSM, ASPTM, SSNM, RKM: link housekeeping, not user traffic */
		dec->st.ctr[SW_CTR_M3UA_OTHER]++;
		return;
	}
	dec->st.ctr[SW_CTR_M3UA_DATA]++;
	msg_len = osmo_load32be(p + 4);
	if (msg_len < M3UA_HDR_LEN || msg_len > len) {
		sw_decode_fail(dec, SW_E_M3UA_BAD_LENGTH);
		return;
	}

	for (off = M3UA_HDR_LEN; off < msg_len; ) {
		uint16_t tag, plen;

		if (msg_len - off < M3UA_PARAM_HDR_LEN) {
			sw_decode_fail(dec, SW_E_M3UA_BAD_PARAM_LEN);
			return;
		}
		tag = osmo_load16be(p + off);
		plen = osmo_load16be(p + off + 2);
		if (plen < M3UA_PARAM_HDR_LEN || plen > msg_len - off) {
			sw_decode_fail(dec, SW_E_M3UA_BAD_PARAM_LEN);
			return;
		}
		switch (tag) {
		case M3UA_TAG_ROUTING_CONTEXT:
			/* a list of contexts; the first is the one the message travels in */
			if (plen >= M3UA_PARAM_HDR_LEN + 4) {
				m->has_rctx = true;
				m->rctx = osmo_load32be(p + off + 4);
			}
			break;
		case M3UA_TAG_PROTOCOL_DATA:
			if (plen < M3UA_PARAM_HDR_LEN + M3UA_PROT_DATA_HDR_LEN) {
				sw_decode_fail(dec, SW_E_M3UA_BAD_PARAM_LEN);
				return;
			}
			data = p + off + M3UA_PARAM_HDR_LEN;
			data_len = plen - M3UA_PARAM_HDR_LEN;
			break;
		default:
			/* network appearance, correlation id, ...: nothing we report */
			break;
		}
		/* parameters are padded to 4 bytes; the last one may lack its padding */
		off += (plen + 3u) & ~3u;
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
	if (m->si != MTP_SI_SCCP) {
		dec->st.ctr[SW_CTR_MTP3_SI_OTHER]++;
		return;
	}
	dec->st.ctr[SW_CTR_MTP3_SI_SCCP]++;
	sw_decode_sccp(dec, data + M3UA_PROT_DATA_HDR_LEN, data_len - M3UA_PROT_DATA_HDR_LEN);
}
