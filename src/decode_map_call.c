/* MAP decoders of call handling, supplementary services, subscriber information and
 * location services (TS 29.002 clauses 7.6, 10-13; MAP-CH-DataTypes, MAP-SS-DataTypes,
 * MAP-LCS-DataTypes): one table per ASN.1 type, one shape per MAP version where they differ. */
#include <ss7watch/map.h>
#include "decode_map.h"

static const struct map_elem none[] = { E_END };

/* SubscriberIdentity ::= CHOICE { imsi [0], msisdn [1] } */
static const struct map_elem subscriber_identity[] = {
	E_VAL(CTX(0), IMSI),
	E_VAL(CTX(1), MSISDN),
	E_END
};

/* CellGlobalIdOrServiceAreaIdOrLAI ::= CHOICE { cgi/sai [0] (7 octets), lai [1] (5 octets) } */
static const struct map_elem cgi_or_lai[] = {
	E_VAL(CTX(0), CELL_GLOBAL_ID),
	E_VAL(CTX(1), LOCATION_AREA_ID),
	E_END
};

/* LocationInformation: { ageOfLocationInformation, geographicalInformation [0],
 * vlr-number [1], locationNumber [2], cellGlobalIdOrServiceAreaIdOrLAI [3], ...,
 * msc-Number [6], ... } */
static const struct map_elem location_info[] = {
	E_UINT(K_INTEGER, AGE_OF_LOCATION),
	E_VAL(CTX(1), VLR_NUMBER),
	E_SUB(CTXC(3), cgi_or_lai),
	E_VAL(CTX(6), MSC_NUMBER),
	E_END
};

/* LocationInformationGPRS: { cellGlobalIdOrServiceAreaIdOrLAI [0], routeingAreaIdentity [1],
 * geographicalInformation [2], sgsn-Number [3], ..., ageOfLocationInformation [9] } */
static const struct map_elem location_info_gprs[] = {
	E_SUB(CTXC(0), cgi_or_lai),
	E_VAL(CTX(3), SGSN_NUMBER),
	E_UINT(CTX(9), AGE_OF_LOCATION),
	E_END
};

/* SubscriberState ::= CHOICE { assumedIdle [0], camelBusy [1], netDetNotReachable,
 * notProvidedFromVLR [2] }; netDetNotReachable is reported by its reason */
MAP_NAMES(not_reachable_names, "msPurged", "imsiDetached", "restrictedArea", "notRegistered");
static const struct map_elem subscriber_state[] = {
	E_STR(CTX(0), SUBSCRIBER_STATE, "assumedIdle"),
	E_STR(CTX(1), SUBSCRIBER_STATE, "camelBusy"),
	E_ENUM(K_ENUM, SUBSCRIBER_STATE, not_reachable_names),
	E_STR(CTX(2), SUBSCRIBER_STATE, "notProvidedFromVLR"),
	E_END
};

/* SubscriberInfo: { locationInformation [0], subscriberState [1], extensionContainer [2],
 * locationInformationGPRS [3], ps-SubscriberState [4], imei [5], ... } */
static const struct map_elem subscriber_info[] = {
	E_SUB(CTXC(0), location_info),
	E_SUB(CTXC(1), subscriber_state),
	E_SUB(CTXC(3), location_info_gprs),
	E_VAL(CTX(5), IMEI),
	E_END
};

/* RequestedInfo: a set of NULL flags (and the requested domain) */
MAP_NAMES(domain_names, "cs-Domain", "ps-Domain");
static const struct map_elem requested_info[] = {
	E_BIT(CTX(0), MAP_RI_LOCATION_INFORMATION),
	E_BIT(CTX(1), MAP_RI_SUBSCRIBER_STATE),
	E_BIT(CTX(3), MAP_RI_CURRENT_LOCATION),
	E_ENUM(CTX(4), REQUESTED_DOMAIN, domain_names),
	E_BIT(CTX(5), MAP_RI_MS_CLASSMARK),
	E_BIT(CTX(6), MAP_RI_IMEI),
	E_BIT(CTX(7), MAP_RI_MNP_REQUESTED_INFO),
	E_BIT(CTX(8), MAP_RI_T_ADS_DATA),
	E_END
};

/* --- call handling --- */

/* sendRoutingInfo: { msisdn [0], cug-CheckInfo [1], numberOfForwarding [2],
 * interrogationType [3], or-Interrogation [4], or-Capability [5], gmsc-OrGsmSCF-Address [6],
 * callReferenceNumber [7], ... } */
MAP_NAMES(interrogation_type_names, "basicCall", "forwarding");
static const struct map_elem sri_arg[] = {
	E_VAL(CTX(0), MSISDN),
	E_ENUM(CTX(3), INTERROGATION_TYPE, interrogation_type_names),
	E_VAL(CTX(6), GMSC_ADDRESS),
	E_VAL(CTX(7), CALL_REFERENCE_NUMBER),
	E_END
};
static const struct map_elem sri_arg_shapes[] = { E_SUB(K_SEQ, sri_arg), E_END };
MAP_DECODER(map_dec_sri_arg, sri_arg_shapes)

/* ForwardingData: { forwardedToNumber [5], ... } */
static const struct map_elem forwarding_data[] = { E_VAL(CTX(5), FORWARDED_TO_NUMBER), E_END };

/* CamelRoutingInfo: { forwardingData, gmscCamelSubscriptionInfo [0] { t-CSI [0], o-CSI [1],
 * ..., d-csi [5] } }: the gsmSCFs the GMSC will hand the call to */
static const struct map_elem gmsc_camel_info[] = {
	E_SUB(CTXC(0), map_camel_bcsm_csi),	/* t-CSI */
	E_SUB(CTXC(1), map_camel_bcsm_csi),	/* o-CSI */
	E_SUB(CTXC(5), map_camel_d_csi),	/* d-csi */
	E_END
};
static const struct map_elem camel_routing_info[] = {
	E_SUB(K_SEQ, forwarding_data),
	E_SUB(CTXC(0), gmsc_camel_info),
	E_END
};

/* v1/v2 SendRoutingInfoRes: { imsi, routingInfo (roamingNumber | forwardingData), ... };
 * v3 [3] { imsi [9], extendedRoutingInfo (routingInfo | camelRoutingInfo [8]), ...,
 * subscriberInfo [7], ..., vmsc-Address [2], ..., msisdn [12], ... } */
static const struct map_elem sri_res_v2[] = {
	E_VALN(K_OCTETS, 1, IMSI),
	E_VALN(K_OCTETS, 2, ROAMING_NUMBER),
	E_SUBN(K_SEQ, 1, forwarding_data),
	E_END
};
static const struct map_elem sri_res_v3[] = {
	E_VAL(CTX(9), IMSI),
	E_VAL(K_OCTETS, ROAMING_NUMBER),
	E_SUB(K_SEQ, forwarding_data),
	E_SUB(CTXC(8), camel_routing_info),
	E_SUB(CTXC(7), subscriber_info),
	E_VAL(CTX(2), VMSC_ADDRESS),
	E_VAL(CTX(12), MSISDN),
	E_END
};
static const struct map_elem sri_res_shapes[] = {
	E_SUB(K_SEQ, sri_res_v2),
	E_SUB(CTXC(3), sri_res_v3),
	E_END
};
MAP_DECODER(map_dec_sri_res, sri_res_shapes)

/* provideRoamingNumber: { imsi [0], msc-Number [1], msisdn [2], previousRoamingNumber [3],
 * lmsi [4], ..., gmsc-Address [8], callReferenceNumber [9], ... }; result v2 the bare
 * roaming number, v3 { roamingNumber, ... } */
static const struct map_elem prn_arg[] = {
	E_VAL(CTX(0), IMSI),
	E_VAL(CTX(1), MSC_NUMBER),
	E_VAL(CTX(2), MSISDN),
	E_VAL(CTX(4), LMSI),
	E_VAL(CTX(8), GMSC_ADDRESS),
	E_VAL(CTX(9), CALL_REFERENCE_NUMBER),
	E_END
};
static const struct map_elem prn_arg_shapes[] = { E_SUB(K_SEQ, prn_arg), E_END };
MAP_DECODER(map_dec_prn_arg, prn_arg_shapes)
static const struct map_elem prn_res[] = { E_VALN(K_OCTETS, 1, ROAMING_NUMBER), E_END };
static const struct map_elem prn_res_shapes[] = {
	E_VAL(K_OCTETS, ROAMING_NUMBER),
	E_SUB(K_SEQ, prn_res),
	E_END
};
MAP_DECODER(map_dec_prn_res, prn_res_shapes)

/* --- supplementary services --- */

/* registerSS: { ss-Code, basicService (bearerService [2] | teleservice [3]),
 * forwardedToNumber [4], ... } */
static const struct map_elem register_ss_arg[] = {
	E_OCTET(K_OCTETS, SS_CODE),
	E_OCTET(CTX(2), BASIC_SERVICE),
	E_OCTET(CTX(3), BASIC_SERVICE),
	E_VAL(CTX(4), FORWARDED_TO_NUMBER),
	E_END
};
static const struct map_elem register_ss_arg_shapes[] = { E_SUB(K_SEQ, register_ss_arg), E_END };
MAP_DECODER(map_dec_register_ss_arg, register_ss_arg_shapes)

/* SS-ForBS-Code of erase/activate/deactivate/interrogateSS: { ss-Code, basicService, ... } */
static const struct map_elem ss_for_bs_arg[] = {
	E_OCTET(K_OCTETS, SS_CODE),
	E_OCTET(CTX(2), BASIC_SERVICE),
	E_OCTET(CTX(3), BASIC_SERVICE),
	E_END
};
static const struct map_elem ss_for_bs_arg_shapes[] = { E_SUB(K_SEQ, ss_for_bs_arg), E_END };
MAP_DECODER(map_dec_ss_for_bs_arg, ss_for_bs_arg_shapes)

/* ForwardingFeature: { basicService, ss-Status [4], forwardedToNumber [5], ... } */
static const struct map_elem forw_feature[] = {
	E_OCTET(CTX(4), SS_STATUS),
	E_VAL(CTX(5), FORWARDED_TO_NUMBER),
	E_END
};
static const struct map_elem forw_feature_list[] = { E_SUB(K_SEQ, forw_feature), E_END };
static const struct map_elem forw_info[] = {
	E_OCTET(K_OCTETS, SS_CODE),
	E_SUB(K_SEQ, forw_feature_list),
	E_END
};
static const struct map_elem cb_feature[] = { E_OCTET(CTX(4), SS_STATUS), E_END };
static const struct map_elem cb_feature_list[] = { E_SUB(K_SEQ, cb_feature), E_END };
static const struct map_elem cb_info[] = {
	E_OCTET(K_OCTETS, SS_CODE),
	E_SUB(K_SEQ, cb_feature_list),
	E_END
};
static const struct map_elem ss_data[] = {
	E_OCTET(K_OCTETS, SS_CODE),
	E_OCTET(CTX(4), SS_STATUS),
	E_END
};

/* SS-Info ::= CHOICE { forwardingInfo [0], callBarringInfo [1], ss-Data [3] } */
static const struct map_elem ss_info_res_shapes[] = {
	E_SUB(CTXC(0), forw_info),
	E_SUB(CTXC(1), cb_info),
	E_SUB(CTXC(3), ss_data),
	E_END
};
MAP_DECODER(map_dec_ss_info_res, ss_info_res_shapes)

/* InterrogateSS-Res ::= CHOICE { ss-Status [0], basicServiceGroupList [2],
 * forwardingFeatureList [3], genericServiceInfo [4] } */
static const struct map_elem interrogate_ss_res_shapes[] = {
	E_OCTET(CTX(0), SS_STATUS),
	E_SUB(CTXC(2), none),
	E_SUB(CTXC(3), forw_feature_list),
	E_SUB(CTXC(4), none),
	E_END
};
MAP_DECODER(map_dec_interrogate_ss_res, interrogate_ss_res_shapes)

/* USSD-Arg: { ussd-DataCodingScheme, ussd-String, alertingPattern, msisdn [0], ... };
 * USSD-Res: { ussd-DataCodingScheme, ussd-String } */
static const struct map_elem ussd[] = {
	E_OCTETN(K_OCTETS, 1, USSD_DCS),
	E_VALN(K_OCTETS, 2, USSD_STRING),
	E_VAL(CTX(0), MSISDN),
	E_END
};
static const struct map_elem ussd_shapes[] = { E_SUB(K_SEQ, ussd), E_END };
MAP_DECODER(map_dec_ussd_arg, ussd_shapes)
MAP_DECODER(map_dec_ussd_res, ussd_shapes)

/* ss-InvocationNotification: { imsi [0], msisdn [1], ss-Event [2], ... } */
static const struct map_elem ssin_arg[] = {
	E_VAL(CTX(0), IMSI),
	E_VAL(CTX(1), MSISDN),
	E_OCTET(CTX(2), SS_CODE),
	E_END
};
static const struct map_elem ssin_arg_shapes[] = { E_SUB(K_SEQ, ssin_arg), E_END };
MAP_DECODER(map_dec_ssin_arg, ssin_arg_shapes)

/* --- subscriber information enquiry --- */

/* provideSubscriberInfo: { imsi [0], lmsi [1], requestedInfo [2], ... };
 * result { subscriberInfo, extensionContainer } (also anyTimeInterrogation's) */
static const struct map_elem psi_arg[] = {
	E_VAL(CTX(0), IMSI),
	E_VAL(CTX(1), LMSI),
	E_FLAGS(CTXC(2), REQUESTED_INFO, requested_info),
	E_END
};
static const struct map_elem psi_arg_shapes[] = { E_SUB(K_SEQ, psi_arg), E_END };
MAP_DECODER(map_dec_psi_arg, psi_arg_shapes)
static const struct map_elem psi_res[] = { E_SUBN(K_SEQ, 1, subscriber_info), E_END };
static const struct map_elem psi_res_shapes[] = { E_SUB(K_SEQ, psi_res), E_END };
MAP_DECODER(map_dec_psi_res, psi_res_shapes)

/* anyTimeInterrogation: { subscriberIdentity [0], requestedInfo [1], extensionContainer [2],
 * gsmSCF-Address [3] } */
static const struct map_elem ati_arg[] = {
	E_SUB(CTXC(0), subscriber_identity),
	E_FLAGS(CTXC(1), REQUESTED_INFO, requested_info),
	E_VAL(CTX(3), GSMSCF_ADDRESS),
	E_END
};
static const struct map_elem ati_arg_shapes[] = { E_SUB(K_SEQ, ati_arg), E_END };
MAP_DECODER(map_dec_ati_arg, ati_arg_shapes)

/* anyTimeSubscriptionInterrogation: { subscriberIdentity [0], requestedSubscriptionInfo [1],
 * gsmSCF-Address [2], ... } */
static const struct map_elem atsi_arg[] = {
	E_SUB(CTXC(0), subscriber_identity),
	E_VAL(CTX(2), GSMSCF_ADDRESS),
	E_END
};
static const struct map_elem atsi_arg_shapes[] = { E_SUB(K_SEQ, atsi_arg), E_END };
MAP_DECODER(map_dec_atsi_arg, atsi_arg_shapes)

/* anyTimeModification: { subscriberIdentity [0], gsmSCF-Address [1], ... } */
static const struct map_elem atm_arg[] = {
	E_SUB(CTXC(0), subscriber_identity),
	E_VAL(CTX(1), GSMSCF_ADDRESS),
	E_END
};
static const struct map_elem atm_arg_shapes[] = { E_SUB(K_SEQ, atm_arg), E_END };
MAP_DECODER(map_dec_atm_arg, atm_arg_shapes)

/* --- location services --- */

/* LCS-ClientID: { lcsClientType [0], ... } */
static const struct map_elem lcs_client_id[] = { E_UINT(CTX(0), LCS_CLIENT_TYPE), E_END };

/* Additional-Number ::= CHOICE { msc-Number [0], sgsn-Number [1] } */
static const struct map_elem additional_number[] = {
	E_VAL(CTX(0), MSC_NUMBER),
	E_VAL(CTX(1), SGSN_NUMBER),
	E_END
};

/* LCSLocationInfo: { networkNode-Number, lmsi [0], extensionContainer [1],
 * gprsNodeIndicator [2], additional-Number [3], ... } */
static const struct map_elem lcs_location_info[] = {
	E_VAL(K_OCTETS, NETWORK_NODE_NUMBER),
	E_VAL(CTX(0), LMSI),
	E_SUB(CTXC(3), additional_number),
	E_END
};

/* provideSubscriberLocation: { locationType, mlc-Number, lcs-ClientID [0],
 * privacyOverride [1], imsi [2], msisdn [3], lmsi [4], imei [5], ... };
 * result { locationEstimate, ageOfLocationEstimate [0], ..., cellIdOrSai [6], ... } */
static const struct map_elem psl_arg[] = {
	E_VAL(K_OCTETS, MLC_NUMBER),
	E_SUB(CTXC(0), lcs_client_id),
	E_VAL(CTX(2), IMSI),
	E_VAL(CTX(3), MSISDN),
	E_VAL(CTX(4), LMSI),
	E_VAL(CTX(5), IMEI),
	E_END
};
static const struct map_elem psl_arg_shapes[] = { E_SUB(K_SEQ, psl_arg), E_END };
MAP_DECODER(map_dec_psl_arg, psl_arg_shapes)
static const struct map_elem psl_res[] = {
	E_VAL(K_OCTETS, LOCATION_ESTIMATE),
	E_UINT(CTX(0), AGE_OF_LOCATION),
	E_SUB(CTXC(6), cgi_or_lai),
	E_END
};
static const struct map_elem psl_res_shapes[] = { E_SUB(K_SEQ, psl_res), E_END };
MAP_DECODER(map_dec_psl_res, psl_res_shapes)

/* sendRoutingInfoForLCS: { mlcNumber [0], targetMS [1], ... };
 * result { targetMS [0], lcsLocationInfo [1], ... } */
static const struct map_elem sri_lcs_arg[] = {
	E_VAL(CTX(0), MLC_NUMBER),
	E_SUB(CTXC(1), subscriber_identity),
	E_END
};
static const struct map_elem sri_lcs_arg_shapes[] = { E_SUB(K_SEQ, sri_lcs_arg), E_END };
MAP_DECODER(map_dec_sri_lcs_arg, sri_lcs_arg_shapes)
static const struct map_elem sri_lcs_res[] = {
	E_SUB(CTXC(0), subscriber_identity),
	E_SUB(CTXC(1), lcs_location_info),
	E_END
};
static const struct map_elem sri_lcs_res_shapes[] = { E_SUB(K_SEQ, sri_lcs_res), E_END };
MAP_DECODER(map_dec_sri_lcs_res, sri_lcs_res_shapes)

/* subscriberLocationReport: { lcs-Event, lcs-ClientID, lcsLocationInfo, msisdn [0],
 * imsi [1], imei [2], na-ESRD [3], na-ESRK [4], locationEstimate [5],
 * ageOfLocationEstimate [6], ... } */
MAP_NAMES(lcs_event_names, "emergencyCallOrigination", "emergencyCallRelease", "mo-lr",
	  "deferredmt-lrResponse", "deferredmo-lrTTTPInitiation", "emergencyCallHandover");
static const struct map_elem slr_arg[] = {
	E_ENUM(K_ENUM, LCS_EVENT, lcs_event_names),
	E_SUBN(K_SEQ, 1, lcs_client_id),
	E_SUBN(K_SEQ, 2, lcs_location_info),
	E_VAL(CTX(0), MSISDN),
	E_VAL(CTX(1), IMSI),
	E_VAL(CTX(2), IMEI),
	E_VAL(CTX(5), LOCATION_ESTIMATE),
	E_UINT(CTX(6), AGE_OF_LOCATION),
	E_END
};
static const struct map_elem slr_arg_shapes[] = { E_SUB(K_SEQ, slr_arg), E_END };
MAP_DECODER(map_dec_slr_arg, slr_arg_shapes)
