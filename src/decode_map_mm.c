/* MAP decoders of mobility, subscriber data and authentication (TS 29.002 clauses 8 and 9,
 * MAP-MS-DataTypes): one table per ASN.1 type, one shape per MAP version where they differ.
 * Elements not listed (extension containers, fields nobody alerts on) are skipped. */
#include <ss7watch/map.h>
#include "decode_map.h"

/* updateLocation: { imsi, msc-Number [1], vlr-Number, lmsi [10], ... } */
static const struct map_elem ul_arg[] = {
	E_VALN(K_OCTETS, 1, IMSI),
	E_VAL(CTX(1), MSC_NUMBER),
	E_VALN(K_OCTETS, 2, VLR_NUMBER),
	E_VAL(CTX(10), LMSI),
	E_END
};
static const struct map_elem ul_arg_shapes[] = { E_SUB(K_SEQ, ul_arg), E_END };
MAP_DECODER(map_dec_ul_arg, ul_arg_shapes)

/* v2/v3 UpdateLocationRes / UpdateGprsLocationRes / RestoreDataRes: { hlr-Number, ... };
 * v1 answered with the bare number */
static const struct map_elem hlr_number_res[] = { E_VALN(K_OCTETS, 1, HLR_NUMBER), E_END };
static const struct map_elem ul_res_shapes[] = {
	E_SUB(K_SEQ, hlr_number_res),
	E_VAL(K_OCTETS, HLR_NUMBER),
	E_END
};
MAP_DECODER(map_dec_ul_res, ul_res_shapes)

/* cancelLocation: v1/v2 Identity (IMSI or IMSI-WithLMSI), v3 [3] { identity, cancellationType } */
MAP_NAMES(cancellation_type_names, "updateProcedure", "subscriptionWithdraw", "initialAttachProcedure");
static const struct map_elem imsi_with_lmsi[] = {
	E_VALN(K_OCTETS, 1, IMSI),
	E_VALN(K_OCTETS, 2, LMSI),
	E_END
};
static const struct map_elem cl_arg_v3[] = {
	E_VAL(K_OCTETS, IMSI),
	E_SUBN(K_SEQ, 1, imsi_with_lmsi),
	E_ENUM(K_ENUM, CANCELLATION_TYPE, cancellation_type_names),
	E_END
};
static const struct map_elem cl_arg_shapes[] = {
	E_VAL(K_OCTETS, IMSI),
	E_SUB(K_SEQ, imsi_with_lmsi),
	E_SUB(CTXC(3), cl_arg_v3),
	E_END
};
MAP_DECODER(map_dec_cl_arg, cl_arg_shapes)

/* noteSubscriberDataModified: { imsi, msisdn, ... } */
static const struct map_elem nsdm_arg[] = {
	E_VALN(K_OCTETS, 1, IMSI),
	E_VALN(K_OCTETS, 2, MSISDN),
	E_END
};
static const struct map_elem nsdm_arg_shapes[] = { E_SUB(K_SEQ, nsdm_arg), E_END };
MAP_DECODER(map_dec_nsdm_arg, nsdm_arg_shapes)

/* Ext-SS-InfoList: the ss-Code of each provisioned service, forwarded-to numbers of
 * call forwarding (a hijack shows here). ss-Status is left out: it would fill the params. */
static const struct map_elem ext_forw_feature[] = { E_VAL(CTX(5), FORWARDED_TO_NUMBER), E_END };
static const struct map_elem ext_forw_features[] = { E_SUB(K_SEQ, ext_forw_feature), E_END };
static const struct map_elem ext_forw_info[] = {
	E_OCTET(K_OCTETS, SS_CODE),
	E_SUBN(K_SEQ, 1, ext_forw_features),
	E_END
};
static const struct map_elem ext_ss_code[] = { E_OCTET(K_OCTETS, SS_CODE), E_END };
static const struct map_elem ext_ss_info_list[] = {
	E_SUB(CTXC(0), ext_forw_info),	/* forwardingInfo */
	E_SUB(CTXC(1), ext_ss_code),	/* callBarringInfo */
	E_SUB(CTXC(3), ext_ss_code),	/* ss-Data */
	E_END
};

/* insertSubscriberData: { imsi [0], COMPONENTS OF SubscriberData, ... } (all versions) */
static const struct map_elem isd_arg[] = {
	E_VAL(CTX(0), IMSI),
	E_VAL(CTX(1), MSISDN),
	E_SUB(CTXC(7), ext_ss_info_list),	/* provisionedSS */
	E_SUB(CTXC(13), map_camel_vlr),		/* vlrCamelSubscriptionInfo */
	E_SUB(CTXC(17), map_camel_sgsn),	/* sgsn-CAMEL-SubscriptionInfo */
	E_END
};
static const struct map_elem isd_arg_shapes[] = { E_SUB(K_SEQ, isd_arg), E_END };
MAP_DECODER(map_dec_isd_arg, isd_arg_shapes)

/* deleteSubscriberData: { imsi [0], basicServiceList [1], ss-List [2], ... } */
static const struct map_elem ss_list[] = { E_OCTET(K_OCTETS, SS_CODE), E_END };
static const struct map_elem dsd_arg[] = {
	E_VAL(CTX(0), IMSI),
	E_SUB(CTXC(2), ss_list),
	E_END
};
static const struct map_elem dsd_arg_shapes[] = { E_SUB(K_SEQ, dsd_arg), E_END };
MAP_DECODER(map_dec_dsd_arg, dsd_arg_shapes)

/* authenticationFailureReport: { imsi, failureCause, ... } */
MAP_NAMES(failure_cause_names, "wrongUserResponse", "wrongNetworkSignature");
static const struct map_elem afr_arg[] = {
	E_VAL(K_OCTETS, IMSI),
	E_ENUM(K_ENUM, FAILURE_CAUSE, failure_cause_names),
	E_END
};
static const struct map_elem afr_arg_shapes[] = { E_SUB(K_SEQ, afr_arg), E_END };
MAP_DECODER(map_dec_afr_arg, afr_arg_shapes)

/* updateGprsLocation: { imsi, sgsn-Number, sgsn-Address, ... } */
static const struct map_elem ugl_arg[] = {
	E_VALN(K_OCTETS, 1, IMSI),
	E_VALN(K_OCTETS, 2, SGSN_NUMBER),
	E_VALN(K_OCTETS, 3, SGSN_ADDRESS),
	E_END
};
static const struct map_elem ugl_arg_shapes[] = { E_SUB(K_SEQ, ugl_arg), E_END };
MAP_DECODER(map_dec_ugl_arg, ugl_arg_shapes)
static const struct map_elem ugl_res_shapes[] = { E_SUB(K_SEQ, hlr_number_res), E_END };
MAP_DECODER(map_dec_ugl_res, ugl_res_shapes)

/* sendRoutingInfoForGprs: { imsi [0], ggsn-Address [1], ggsn-Number [2] };
 * result { sgsn-Address [0], ggsn-Address [1], mobileNotReachableReason [2] } */
static const struct map_elem sri_gprs_arg[] = {
	E_VAL(CTX(0), IMSI),
	E_VAL(CTX(2), GGSN_NUMBER),
	E_END
};
static const struct map_elem sri_gprs_arg_shapes[] = { E_SUB(K_SEQ, sri_gprs_arg), E_END };
MAP_DECODER(map_dec_sri_gprs_arg, sri_gprs_arg_shapes)
static const struct map_elem sri_gprs_res[] = { E_VAL(CTX(0), SGSN_ADDRESS), E_END };
static const struct map_elem sri_gprs_res_shapes[] = { E_SUB(K_SEQ, sri_gprs_res), E_END };
MAP_DECODER(map_dec_sri_gprs_res, sri_gprs_res_shapes)

/* reset: v1/v2 { networkResource, hlr-Number, hlr-List }, v3 { sendingNodenumber, hlr-List,
 * ... }; HLR-List ::= SEQUENCE OF HLR-Id, each the leading digits of the IMSIs affected */
static const struct map_elem hlr_list[] = { E_VAL(K_OCTETS, HLR_ID), E_END };
static const struct map_elem reset_arg[] = {
	E_VALN(K_OCTETS, 1, HLR_NUMBER),
	E_SUBN(K_SEQ, 1, hlr_list),
	E_END
};
static const struct map_elem reset_arg_shapes[] = { E_SUB(K_SEQ, reset_arg), E_END };
MAP_DECODER(map_dec_reset_arg, reset_arg_shapes)

/* checkIMEI: v1/v2 the bare IMEI, v3 { imei, requestedEquipmentInfo, ... } */
/* Rel-16 names (formerly whiteListed, blackListed, greyListed) */
MAP_NAMES(equipment_status_names, "permittedListed", "prohibitedListed", "trackingListed");
static const struct map_elem check_imei_arg[] = { E_VAL(K_OCTETS, IMEI), E_END };
static const struct map_elem check_imei_arg_shapes[] = {
	E_VAL(K_OCTETS, IMEI),
	E_SUB(K_SEQ, check_imei_arg),
	E_END
};
MAP_DECODER(map_dec_check_imei_arg, check_imei_arg_shapes)
static const struct map_elem check_imei_res[] = {
	E_ENUM(K_ENUM, EQUIPMENT_STATUS, equipment_status_names),
	E_END
};
static const struct map_elem check_imei_res_shapes[] = {
	E_ENUM(K_ENUM, EQUIPMENT_STATUS, equipment_status_names),
	E_SUB(K_SEQ, check_imei_res),
	E_END
};
MAP_DECODER(map_dec_check_imei_res, check_imei_res_shapes)

/* activate/deactivateTraceMode: { imsi [0], traceReference [1], ... } */
static const struct map_elem trace_arg[] = { E_VAL(CTX(0), IMSI), E_END };
static const struct map_elem trace_arg_shapes[] = { E_SUB(K_SEQ, trace_arg), E_END };
MAP_DECODER(map_dec_trace_arg, trace_arg_shapes)

/* sendIdentification: v2 the bare TMSI, v3 { tmsi, numberOfRequestedVectors, ...,
 * msc-Number, ... }; result v2 { imsi, authenticationSetList }, v3 [3] { imsi, [0]/[1] } */
static const struct map_elem send_id_arg_v3[] = {
	E_VALN(K_OCTETS, 1, TMSI),
	E_UINT(K_INTEGER, NUMBER_OF_VECTORS),
	E_VALN(K_OCTETS, 2, MSC_NUMBER),
	E_END
};
static const struct map_elem send_id_arg_shapes[] = {
	E_VAL(K_OCTETS, TMSI),
	E_SUB(K_SEQ, send_id_arg_v3),
	E_END
};
MAP_DECODER(map_dec_send_id_arg, send_id_arg_shapes)
static const struct map_elem send_id_res_v2[] = {
	E_VALN(K_OCTETS, 1, IMSI),
	E_COUNT(K_SEQ, NUMBER_OF_VECTORS),
	E_END
};
static const struct map_elem send_id_res_v3[] = {
	E_VAL(K_OCTETS, IMSI),
	E_COUNT(CTXC(0), NUMBER_OF_VECTORS),	/* tripletList */
	E_COUNT(CTXC(1), NUMBER_OF_VECTORS),	/* quintupletList */
	E_END
};
static const struct map_elem send_id_res_shapes[] = {
	E_SUB(K_SEQ, send_id_res_v2),
	E_SUB(CTXC(3), send_id_res_v3),
	E_END
};
MAP_DECODER(map_dec_send_id_res, send_id_res_shapes)

/* sendAuthenticationInfo: v2 the bare IMSI, v3 { imsi [0], numberOfRequestedVectors, ... };
 * result v2 SEQUENCE OF AuthenticationSet, v3 [3] { tripletList [0] / quintupletList [1],
 * ..., eps-AuthenticationSetList [2] }: the number of vectors returned */
static const struct map_elem sai_arg_v3[] = {
	E_VAL(CTX(0), IMSI),
	E_UINT(K_INTEGER, NUMBER_OF_VECTORS),
	E_END
};
static const struct map_elem sai_arg_shapes[] = {
	E_VAL(K_OCTETS, IMSI),
	E_SUB(K_SEQ, sai_arg_v3),
	E_END
};
MAP_DECODER(map_dec_sai_arg, sai_arg_shapes)
static const struct map_elem sai_res_v3[] = {
	E_COUNT(CTXC(0), NUMBER_OF_VECTORS),
	E_COUNT(CTXC(1), NUMBER_OF_VECTORS),
	E_COUNT(CTXC(2), NUMBER_OF_VECTORS),
	E_END
};
static const struct map_elem sai_res_shapes[] = {
	E_COUNT(K_SEQ, NUMBER_OF_VECTORS),
	E_SUB(CTXC(3), sai_res_v3),
	E_END
};
MAP_DECODER(map_dec_sai_res, sai_res_shapes)

/* restoreData: { imsi, lmsi, ... }; result { hlr-Number, msNotReachable, ... } */
static const struct map_elem restore_arg[] = {
	E_VALN(K_OCTETS, 1, IMSI),
	E_VALN(K_OCTETS, 2, LMSI),
	E_END
};
static const struct map_elem restore_arg_shapes[] = { E_SUB(K_SEQ, restore_arg), E_END };
MAP_DECODER(map_dec_restore_arg, restore_arg_shapes)
static const struct map_elem restore_res_shapes[] = { E_SUB(K_SEQ, hlr_number_res), E_END };
MAP_DECODER(map_dec_restore_res, restore_res_shapes)

/* sendIMSI: the bare MSISDN; result the bare IMSI */
static const struct map_elem send_imsi_arg_shapes[] = { E_VAL(K_OCTETS, MSISDN), E_END };
MAP_DECODER(map_dec_send_imsi_arg, send_imsi_arg_shapes)
static const struct map_elem send_imsi_res_shapes[] = { E_VAL(K_OCTETS, IMSI), E_END };
MAP_DECODER(map_dec_send_imsi_res, send_imsi_res_shapes)

/* purgeMS: v2 { imsi, vlr-Number }, v3 [3] { imsi, vlr-Number [0], sgsn-Number [1], ... };
 * result { freezeTMSI [0], freezeP-TMSI [1], extensionContainer, freezeM-TMSI [2] } */
static const struct map_elem purge_arg_v2[] = {
	E_VALN(K_OCTETS, 1, IMSI),
	E_VALN(K_OCTETS, 2, VLR_NUMBER),
	E_END
};
static const struct map_elem purge_arg_v3[] = {
	E_VAL(K_OCTETS, IMSI),
	E_VAL(CTX(0), VLR_NUMBER),
	E_VAL(CTX(1), SGSN_NUMBER),
	E_END
};
static const struct map_elem purge_arg_shapes[] = {
	E_SUB(K_SEQ, purge_arg_v2),
	E_SUB(CTXC(3), purge_arg_v3),
	E_END
};
MAP_DECODER(map_dec_purge_arg, purge_arg_shapes)
static const struct map_elem purge_res[] = {
	E_STR(CTX(0), PURGE_FLAGS, "freezeTMSI"),
	E_STR(CTX(1), PURGE_FLAGS, "freezeP-TMSI"),
	E_STR(CTX(2), PURGE_FLAGS, "freezeM-TMSI"),
	E_END
};
static const struct map_elem purge_res_shapes[] = { E_SUB(K_SEQ, purge_res), E_END };
MAP_DECODER(map_dec_purge_res, purge_res_shapes)

/* noteMM-Event: { serviceKey, eventMet [0], imsi [1], msisdn [2], ... } */
static const struct map_elem note_mm_arg[] = {
	E_UINT(K_INTEGER, CAMEL_SERVICE_KEY),
	E_VAL(CTX(1), IMSI),
	E_VAL(CTX(2), MSISDN),
	E_END
};
static const struct map_elem note_mm_arg_shapes[] = { E_SUB(K_SEQ, note_mm_arg), E_END };
MAP_DECODER(map_dec_note_mm_arg, note_mm_arg_shapes)
