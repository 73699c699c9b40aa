/* The decoder object and the hand-over from SCCP to TCAP/MAP and to the consumer. */
#include <stddef.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/decode.h>
#include <ss7watch/tcap.h>
#include <ss7watch/map.h>

#define DEFAULT_SCTP_REASM_BYTES	(4u << 20)
#define DEFAULT_SCCP_REASM_BYTES	(4u << 20)

struct sw_decoder *sw_decoder_alloc(void *ctx, const struct sw_decoder_cfg *cfg,
				    sw_on_msg_t on_msg, void *priv)
{
	struct sw_decoder *dec = talloc_zero(ctx, struct sw_decoder);

	if (!dec)
		return NULL;
	if (cfg)
		dec->cfg = *cfg;
	if (!dec->cfg.sctp_reasm_bytes)
		dec->cfg.sctp_reasm_bytes = DEFAULT_SCTP_REASM_BYTES;
	if (!dec->cfg.sccp_reasm_bytes)
		dec->cfg.sccp_reasm_bytes = DEFAULT_SCCP_REASM_BYTES;
	dec->on_msg = on_msg;
	dec->priv = priv;
	dec->sctp = sctp_reasm_alloc(dec, dec->cfg.sctp_reasm_bytes);
	dec->sccp = sccp_reasm_alloc(dec, dec->cfg.sccp_reasm_bytes);
	if (!dec->sctp || !dec->sccp) {
		talloc_free(dec);
		return NULL;
	}
	return dec;
}

void sw_decoder_free(struct sw_decoder *dec)
{
	talloc_free(dec);
}

void sw_decoder_reset(struct sw_decoder *dec)
{
	sctp_reasm_reset(dec->sctp);
	sccp_reasm_reset(dec->sccp);
	memset(&dec->st, 0, sizeof(dec->st));
	/* whole, components too: a fresh decoder's is zero */
	memset(&dec->msg, 0, sizeof(dec->msg));
	dec->frame = 0;
	memset(&dec->ts, 0, sizeof(dec->ts));
}

void sw_msg_reset_upper(struct sw_msg *msg)
{
	/* only the headers: the component array is filled up to n_comp and read no further.
	 * One memset over the three, which follow each other in struct sw_msg: this runs twice
	 * per message, and three calls cost more than the bytes they clear. */
	memset((char *)msg + offsetof(struct sw_msg, mtp3), 0,
	       offsetof(struct sw_msg, tcap.comp) - offsetof(struct sw_msg, mtp3));
	msg->tcap.acn_version = -1;
	msg->tcap.aare_result = -1;
	msg->tcap.p_abort_cause = -1;
	msg->meta.segments = 1;
	msg->err = SW_E_NONE;
}

void sw_decode_lost(struct sw_decoder *dec, enum sw_err err)
{
	dec->st.err[err < SW_E__COUNT ? err : SW_E_NONE]++;
	dec->st.ctr[SW_CTR_DECODE_ERRORS]++;
}

void sw_decode_fail(struct sw_decoder *dec, enum sw_err err)
{
	sw_decode_lost(dec, err);
	dec->msg.err = err;
	if (dec->on_msg)
		dec->on_msg(dec, &dec->msg, dec->priv);
}

static const uint8_t tcap_type_ctr[] = {
	[SW_TCAP_UNIDIRECTIONAL] = SW_CTR_TCAP_UNIDIRECTIONAL,
	[SW_TCAP_BEGIN] = SW_CTR_TCAP_BEGIN,
	[SW_TCAP_END] = SW_CTR_TCAP_END,
	[SW_TCAP_CONTINUE] = SW_CTR_TCAP_CONTINUE,
	[SW_TCAP_ABORT] = SW_CTR_TCAP_ABORT,
};

static void count_component(struct sw_stats *st, const struct sw_component *c)
{
	st->ctr[SW_CTR_MAP_COMPONENTS]++;
	switch (c->type) {
	case SW_COMP_INVOKE:
		st->ctr[SW_CTR_MAP_INVOKE]++;
		if (c->opcode >= 0 && c->opcode < 256)
			st->map_invoke_by_opcode[c->opcode]++;
		break;
	case SW_COMP_RESULT_LAST:
	case SW_COMP_RESULT:
		st->ctr[SW_CTR_MAP_RESULT]++;
		if (c->opcode >= 0 && c->opcode < 256)
			st->map_result_by_opcode[c->opcode]++;
		break;
	case SW_COMP_ERROR:
		st->ctr[SW_CTR_MAP_ERROR]++;
		break;
	case SW_COMP_REJECT:
		st->ctr[SW_CTR_MAP_REJECT]++;
		break;
	}
}

void sw_deliver_sccp(struct sw_decoder *dec)
{
	struct sw_msg *msg = &dec->msg;
	struct sw_tcap *t = &msg->tcap;
	bool is_map;
	int rc;

	dec->st.ctr[SW_CTR_TCAP_MESSAGES]++;
	rc = tcap_decode(t, msg->sccp.data, msg->sccp.data_len);
	if (rc < 0) {
		sw_decode_fail(dec, -rc);
		return;
	}
	if (t->type < sizeof(tcap_type_ctr) && tcap_type_ctr[t->type])
		dec->st.ctr[tcap_type_ctr[t->type]]++;

	/* A dialogue that names a non-MAP application context (CAP, a vendor IN) is not MAP:
	 * its opcodes mean something else, so its parameters are not decoded as MAP. */
	is_map = !(t->acn_len && !t->acn_info);
	if (!is_map)
		dec->st.ctr[SW_CTR_TCAP_NOT_MAP]++;

	/* the pipeline may name what a component lacks (a result's opcode) before MAP decodes it */
	if (dec->on_tcap)
		dec->on_tcap(dec, msg, dec->on_tcap_priv);

	for (unsigned i = 0; i < t->n_comp; i++) {
		struct sw_component *c = &t->comp[i];

		if (is_map) {
			map_decode_component(t, c);
			if (c->err)
				dec->st.err[c->err < SW_E__COUNT ? c->err : SW_E_NONE]++;
		}
		count_component(&dec->st, c);
	}
	if (dec->on_msg)
		dec->on_msg(dec, msg, dec->priv);
}
