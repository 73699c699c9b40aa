/* MAP decoders of the short message service (TS 29.002 clause 12, MAP-SM-DataTypes), with
 * the first fields of the SMS TPDU (TS 23.040) carried in forwardSM. */
#include <ss7watch/map.h>
#include <ss7watch/counters.h>
#include <ss7watch/ber.h>
#include "decode_map.h"

static int put(struct map_walk *w, enum map_field f, uint64_t u)
{
	struct map_param *mp = map_add_param(w, f);

	if (!mp)
		return -1;
	mp->u = u;
	return 0;
}

/* Length in octets of a TS 23.040 address (TP-OA, TP-DA) starting at p, or 0 when it does
 * not fit: its length octet counts semi-octets of the value, then comes the TOA octet. */
static unsigned sms_addr_len(const uint8_t *p, const uint8_t *end)
{
	unsigned n;

	if (end - p < 2)
		return 0;
	n = 2 + (p[0] + 1) / 2;
	return n <= (unsigned)(end - p) ? n : 0;
}

/* sm-RP-UI of a forwardSM invoke: SMS-DELIVER (SC to MS) or SMS-SUBMIT (MS to SC); the
 * reports only travel in results. TP-PID and TP-DCS follow TP-OA (DELIVER) or TP-MR and
 * TP-DA (SUBMIT). */
static int sms_tpdu(struct map_walk *w, const struct map_elem *e, const uint8_t *val, uint32_t len)
{
	const uint8_t *p = val, *end = val + len;
	struct map_param *mp;
	unsigned mti, alen;

	(void)e;
	if (w->c->type != SW_COMP_INVOKE || len < 1)
		return 0;
	mti = p[0] & 0x03;
	if (put(w, MF_TP_MTI, mti) < 0)
		return -1;
	switch (mti) {
	case 0:		/* SMS-DELIVER */
		p++;
		alen = sms_addr_len(p, end);
		if (!alen)
			goto bad;
		mp = map_add_param(w, MF_TP_ORIGINATING_ADDRESS);
		if (!mp)
			return -1;
		/* TOA and the digits, without the length octet */
		mp->p = p + 1;
		mp->len = alen - 1;
		p += alen;
		break;
	case 1:		/* SMS-SUBMIT */
		p += 2;
		if (p > end)
			goto bad;
		alen = sms_addr_len(p, end);
		if (!alen)
			goto bad;
		p += alen;
		break;
	default:	/* SMS-STATUS-REPORT / SMS-COMMAND: nothing more we keep */
		return 0;
	}
	if (end - p < 2)
		goto bad;
	if (put(w, MF_TP_PID, p[0]) < 0 || put(w, MF_TP_DCS, p[1]) < 0)
		return -1;
	return 0;
bad:
	if (!w->c->err)
		w->c->err = SW_E_MAP_BAD_PARAMETER;
	return -1;
}

/* mo-forwardSM (and v1/v2 forwardSM, both ways): { sm-RP-DA, sm-RP-OA, sm-RP-UI,
 * extensionContainer, ..., imsi } where
 * sm-RP-DA ::= CHOICE { imsi [0], lmsi [1], roamingNumber [3] (v1),
 * serviceCentreAddressDA [4], noSM-RP-DA [5] };
 * sm-RP-OA ::= CHOICE { msisdn [2], serviceCentreAddressOA [4], noSM-RP-OA [5] } */
static const struct map_elem mo_forward_sm_arg[] = {
	E_VAL(CTX(0), IMSI),
	E_VAL(CTX(1), LMSI),
	E_VAL(CTX(3), ROAMING_NUMBER),
	E_VAL(CTX(4), SERVICE_CENTRE_ADDRESS),
	E_VAL(CTX(2), MSISDN),
	E_FNN(K_OCTETS, 1, sms_tpdu),
	E_VALN(K_OCTETS, 2, IMSI),	/* v3: the sender's IMSI after the extension container */
	E_END
};
static const struct map_elem mo_forward_sm_arg_shapes[] = { E_SUB(K_SEQ, mo_forward_sm_arg), E_END };
MAP_DECODER(map_dec_mo_forward_sm_arg, mo_forward_sm_arg_shapes)

/* mt-forwardSM: the same start; its second OCTET STRING is smDeliveryStartTime, not an IMSI */
static const struct map_elem mt_forward_sm_arg[] = {
	E_VAL(CTX(0), IMSI),
	E_VAL(CTX(1), LMSI),
	E_VAL(CTX(4), SERVICE_CENTRE_ADDRESS),
	E_VAL(CTX(2), MSISDN),
	E_FNN(K_OCTETS, 1, sms_tpdu),
	E_END
};
static const struct map_elem mt_forward_sm_arg_shapes[] = { E_SUB(K_SEQ, mt_forward_sm_arg), E_END };
MAP_DECODER(map_dec_mt_forward_sm_arg, mt_forward_sm_arg_shapes)

/* sendRoutingInfoForSM: { msisdn [0], sm-RP-PRI [1], serviceCentreAddress [2], ...,
 * imsi [12], ... } */
static const struct map_elem sri_sm_arg[] = {
	E_VAL(CTX(0), MSISDN),
	E_BOOL(CTX(1), SM_RP_PRI),
	E_VAL(CTX(2), SERVICE_CENTRE_ADDRESS),
	E_VAL(CTX(12), IMSI),
	E_END
};
static const struct map_elem sri_sm_arg_shapes[] = { E_SUB(K_SEQ, sri_sm_arg), E_END };
MAP_DECODER(map_dec_sri_sm_arg, sri_sm_arg_shapes)

/* Additional-Number ::= CHOICE { msc-Number [0], sgsn-Number [1] } */
static const struct map_elem additional_number[] = {
	E_VAL(CTX(0), MSC_NUMBER),
	E_VAL(CTX(1), SGSN_NUMBER),
	E_END
};

/* LocationInfoWithLMSI: { networkNode-Number [1], lmsi, extensionContainer,
 * gprsNodeIndicator [5], additional-Number [6], ... }; v1 had locationInfo CHOICE
 * { roamingNumber [0], msc-Number [1] } in place of networkNode-Number */
static const struct map_elem location_info_with_lmsi[] = {
	E_VAL(CTX(1), NETWORK_NODE_NUMBER),
	E_VAL(CTX(0), ROAMING_NUMBER),
	E_VAL(K_OCTETS, LMSI),
	E_SUB(CTXC(6), additional_number),
	E_END
};
static const struct map_elem sri_sm_res[] = {
	E_VAL(K_OCTETS, IMSI),
	E_SUB(CTXC(0), location_info_with_lmsi),
	E_END
};
static const struct map_elem sri_sm_res_shapes[] = { E_SUB(K_SEQ, sri_sm_res), E_END };
MAP_DECODER(map_dec_sri_sm_res, sri_sm_res_shapes)

/* reportSM-DeliveryStatus: { msisdn, serviceCentreAddress, sm-DeliveryOutcome, ... } */
MAP_NAMES(sm_delivery_outcome_names, "memoryCapacityExceeded", "absentSubscriber", "successfulTransfer");
static const struct map_elem report_sm_ds_arg[] = {
	E_VALN(K_OCTETS, 1, MSISDN),
	E_VALN(K_OCTETS, 2, SERVICE_CENTRE_ADDRESS),
	E_ENUM(K_ENUM, SM_DELIVERY_OUTCOME, sm_delivery_outcome_names),
	E_END
};
static const struct map_elem report_sm_ds_arg_shapes[] = { E_SUB(K_SEQ, report_sm_ds_arg), E_END };
MAP_DECODER(map_dec_report_sm_ds_arg, report_sm_ds_arg_shapes)

/* alertServiceCentre(WithoutResult): { msisdn, serviceCentreAddress, ... } */
static const struct map_elem asc_arg[] = {
	E_VALN(K_OCTETS, 1, MSISDN),
	E_VALN(K_OCTETS, 2, SERVICE_CENTRE_ADDRESS),
	E_END
};
static const struct map_elem asc_arg_shapes[] = { E_SUB(K_SEQ, asc_arg), E_END };
MAP_DECODER(map_dec_asc_arg, asc_arg_shapes)

/* readyForSM: { imsi [0], alertReason, ... } */
MAP_NAMES(alert_reason_names, "ms-Present", "memoryAvailable");
static const struct map_elem rfsm_arg[] = {
	E_VAL(CTX(0), IMSI),
	E_ENUM(K_ENUM, ALERT_REASON, alert_reason_names),
	E_END
};
static const struct map_elem rfsm_arg_shapes[] = { E_SUB(K_SEQ, rfsm_arg), E_END };
MAP_DECODER(map_dec_rfsm_arg, rfsm_arg_shapes)

/* SM-RP-DA / SM-RP-OA choices of forwardSM (TS 29.002 MAP-SM-DataTypes) */
enum {
	SM_RP_DA_IMSI = 0, SM_RP_DA_LMSI = 1, SM_RP_OA_MSISDN = 2, SM_RP_DA_ROAMING_NUMBER = 3,
	SM_RP_SC_ADDRESS = 4, SM_RP_NONE = 5,
};

/* The direction a choice says: an address of the handset's side as destination, or the
 * service centre as origin, is MT; the service centre as destination, or the sender's MSISDN
 * as origin, is MO; MAP_SM_NONE when the choice says neither. */
static const uint8_t sm_rp_da_dir[6] = {
	[SM_RP_DA_IMSI] = MAP_SM_MT, [SM_RP_DA_LMSI] = MAP_SM_MT, [SM_RP_DA_ROAMING_NUMBER] = MAP_SM_MT,
	[SM_RP_SC_ADDRESS] = MAP_SM_MO,
};
static const uint8_t sm_rp_oa_dir[6] = { [SM_RP_OA_MSISDN] = MAP_SM_MO, [SM_RP_SC_ADDRESS] = MAP_SM_MT };

void map_sm_direction_set(const struct sw_tcap *t, struct sw_component *c)
{
	const uint8_t *p = c->param, *end = c->param + c->param_len;
	struct ber_tlv seq, da, oa;
	uint8_t dir = MAP_SM_NONE;

	/* the arguments say where the message goes; the AC is the sender's choice and only
	 * decides when they do not (v2 shortMsgMT-RelayContext is MT, everything else MO) */
	if (ber_read(p, end, &seq) == 0 && seq.constructed) {
		p = seq.val;
		end = seq.val + seq.len;
		if (ber_next(&p, end, &da) == 0 && da.cls == BER_CONTEXT && da.tag < 6) {
			dir = sm_rp_da_dir[da.tag];
			if (!dir && da.tag == SM_RP_NONE && ber_next(&p, end, &oa) == 0 &&
			    oa.cls == BER_CONTEXT && oa.tag < 6)
				dir = sm_rp_oa_dir[oa.tag];
		}
	}
	if (!dir)
		dir = t->acn_info && t->acn_info->ctx == MAP_AC_SHORT_MSG_MT_RELAY ? MAP_SM_MT : MAP_SM_MO;
	c->sm_dir = dir;
}
