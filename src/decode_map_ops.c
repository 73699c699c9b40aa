/* MAP tables (3GPP TS 29.002): decoded fields, every operation code with its FS.11 default
 * category and decoders, every application context with the operations it may carry. */
#include <string.h>
#include <ss7watch/map.h>
#include "decode_map.h"

/* --- fields --- */

static const struct {
	const char *name;
	uint8_t kind;
} map_fields[MF__COUNT] = {
#define X(e, name, kind) [MF_##e] = { name, kind },
	MAP_FIELDS(X)
#undef X
};

/* Bit names of RequestedInfo, indexed by enum map_requested_info_bit, in TS 29.002 spelling */
static const char *const requested_info_names[] = {
	"locationInformation",
	"subscriberState",
	"currentLocation",
	"imei",
	"ms-classmark",
	"mnpRequestedInfo",
	"locationInformationGPRS",
	"t-adsData",
	NULL
};

const char *map_field_name(enum map_field f)
{
	return (unsigned)f < MF__COUNT ? map_fields[f].name : "unknown";
}

enum map_value_kind map_field_kind(enum map_field f)
{
	return (unsigned)f < MF__COUNT ? map_fields[f].kind : MV_HEX;
}

const char *const *map_field_flag_names(enum map_field f)
{
	return f == MF_REQUESTED_INFO ? requested_info_names : NULL;
}

/* --- operations --- */

#define C1 MAP_CAT_1
#define C2 MAP_CAT_2
#define C3 MAP_CAT_3
#define C0 MAP_CAT_NONE

/* Names as TS 29.002 (and Wireshark) spell them; 109..126 are the TS 24.080 supplementary
 * service operations that share the opcode space and that Wireshark names too. */
static const struct map_op map_ops[] = {
	{ 2, "updateLocation", C3, map_dec_ul_arg, map_dec_ul_res },
	{ 3, "cancelLocation", C2, map_dec_cl_arg, NULL },
	{ 4, "provideRoamingNumber", C2, map_dec_prn_arg, map_dec_prn_res },
	{ 5, "noteSubscriberDataModified", C1, map_dec_nsdm_arg, NULL },
	{ 6, "resumeCallHandling", C1, NULL, NULL },
	{ 7, "insertSubscriberData", C2, map_dec_isd_arg, NULL },
	{ 8, "deleteSubscriberData", C2, map_dec_dsd_arg, NULL },
	{ 9, "sendParameters", C1, NULL, NULL },
	{ 10, "registerSS", C3, map_dec_register_ss_arg, map_dec_ss_info_res },
	{ 11, "eraseSS", C3, map_dec_ss_for_bs_arg, map_dec_ss_info_res },
	{ 12, "activateSS", C3, map_dec_ss_for_bs_arg, map_dec_ss_info_res },
	{ 13, "deactivateSS", C3, map_dec_ss_for_bs_arg, map_dec_ss_info_res },
	{ 14, "interrogateSS", C3, map_dec_ss_for_bs_arg, map_dec_interrogate_ss_res },
	{ 15, "authenticationFailureReport", C3, map_dec_afr_arg, NULL },
	{ 16, "notifySS", C0, NULL, NULL },
	{ 17, "registerPassword", C3, NULL, NULL },
	{ 18, "getPassword", C2, NULL, NULL },
	{ 19, "processUnstructuredSS-Data", C0, NULL, NULL },
	{ 20, "releaseResources", C0, NULL, NULL },
	{ 21, "mt-ForwardSM-VGCS", C1, NULL, NULL },
	{ 22, "sendRoutingInfo", C1, map_dec_sri_arg, map_dec_sri_res },
	{ 23, "updateGprsLocation", C3, map_dec_ugl_arg, map_dec_ugl_res },
	{ 24, "sendRoutingInfoForGprs", C1, map_dec_sri_gprs_arg, map_dec_sri_gprs_res },
	{ 25, "failureReport", C0, NULL, NULL },
	{ 26, "noteMsPresentForGprs", C0, NULL, NULL },
	{ 28, "performHandover", C1, NULL, NULL },
	{ 29, "sendEndSignal", C1, NULL, NULL },
	{ 30, "performSubsequentHandover", C1, NULL, NULL },
	{ 31, "provideSIWFSNumber", C1, NULL, NULL },
	{ 32, "sIWFSSignallingModify", C1, NULL, NULL },
	{ 33, "processAccessSignalling", C1, NULL, NULL },
	{ 34, "forwardAccessSignalling", C1, NULL, NULL },
	{ 35, "noteInternalHandover", C1, NULL, NULL },
	{ 36, "cancelVcsgLocation", C0, NULL, NULL },
	{ 37, "reset", C2, map_dec_reset_arg, NULL },
	{ 38, "forwardCheckSS", C0, NULL, NULL },
	{ 39, "prepareGroupCall", C1, NULL, NULL },
	{ 40, "sendGroupCallEndSignal", C1, NULL, NULL },
	{ 41, "processGroupCallSignalling", C1, NULL, NULL },
	{ 42, "forwardGroupCallSignalling", C1, NULL, NULL },
	{ 43, "checkIMEI", C1, map_dec_check_imei_arg, map_dec_check_imei_res },
	{ 44, "mt-forwardSM", C2, map_dec_mt_forward_sm_arg, NULL },
	{ 45, "sendRoutingInfoForSM", C0, map_dec_sri_sm_arg, map_dec_sri_sm_res },
	{ 46, "mo-forwardSM", C3, map_dec_mo_forward_sm_arg, NULL },
	{ 47, "reportSM-DeliveryStatus", C0, map_dec_report_sm_ds_arg, NULL },
	{ 48, "noteSubscriberPresent", C0, NULL, NULL },
	{ 49, "alertServiceCentreWithoutResult", C0, map_dec_asc_arg, NULL },
	{ 50, "activateTraceMode", C1, map_dec_trace_arg, NULL },
	{ 51, "deactivateTraceMode", C1, map_dec_trace_arg, NULL },
	{ 52, "traceSubscriberActivity", C0, NULL, NULL },
	{ 53, "updateVcsgLocation", C0, NULL, NULL },
	{ 54, "beginSubscriberActivity", C0, NULL, NULL },
	{ 55, "sendIdentification", C1, map_dec_send_id_arg, map_dec_send_id_res },
	{ 56, "sendAuthenticationInfo", C3, map_dec_sai_arg, map_dec_sai_res },
	{ 57, "restoreData", C3, map_dec_restore_arg, map_dec_restore_res },
	{ 58, "sendIMSI", C1, map_dec_send_imsi_arg, map_dec_send_imsi_res },
	{ 59, "processUnstructuredSS-Request", C3, map_dec_ussd_arg, map_dec_ussd_res },
	{ 60, "unstructuredSS-Request", C2, map_dec_ussd_arg, map_dec_ussd_res },
	{ 61, "unstructuredSS-Notify", C2, map_dec_ussd_arg, NULL },
	{ 62, "anyTimeSubscriptionInterrogation", C1, map_dec_atsi_arg, NULL },
	{ 63, "informServiceCentre", C0, NULL, NULL },
	{ 64, "alertServiceCentre", C0, map_dec_asc_arg, NULL },
	{ 65, "anyTimeModification", C1, map_dec_atm_arg, NULL },
	{ 66, "readyForSM", C3, map_dec_rfsm_arg, NULL },
	{ 67, "purgeMS", C3, map_dec_purge_arg, map_dec_purge_res },
	{ 68, "prepareHandover", C1, NULL, NULL },
	{ 69, "prepareSubsequentHandover", C1, NULL, NULL },
	{ 70, "provideSubscriberInfo", C2, map_dec_psi_arg, map_dec_psi_res },
	{ 71, "anyTimeInterrogation", C1, map_dec_ati_arg, map_dec_psi_res },
	{ 72, "ss-InvocationNotification", C1, map_dec_ssin_arg, NULL },
	{ 73, "setReportingState", C0, NULL, NULL },
	{ 74, "statusReport", C0, NULL, NULL },
	{ 75, "remoteUserFree", C0, NULL, NULL },
	{ 76, "registerCC-Entry", C1, NULL, NULL },
	{ 77, "eraseCC-Entry", C1, NULL, NULL },
	{ 78, "secureTransportClass1", C0, NULL, NULL },
	{ 79, "secureTransportClass2", C0, NULL, NULL },
	{ 80, "secureTransportClass3", C0, NULL, NULL },
	{ 81, "secureTransportClass4", C0, NULL, NULL },
	{ 83, "provideSubscriberLocation", C1, map_dec_psl_arg, map_dec_psl_res },
	{ 84, "sendGroupCallInfo", C1, NULL, NULL },
	{ 85, "sendRoutingInfoForLCS", C1, map_dec_sri_lcs_arg, map_dec_sri_lcs_res },
	{ 86, "subscriberLocationReport", C1, map_dec_slr_arg, NULL },
	{ 87, "ist-Alert", C0, NULL, NULL },
	{ 88, "ist-Command", C0, NULL, NULL },
	{ 89, "noteMM-Event", C3, map_dec_note_mm_arg, NULL },
	{ 109, "lcs-PeriodicLocationCancellation", C0, NULL, NULL },
	{ 110, "lcs-LocationUpdate", C0, NULL, NULL },
	{ 111, "lcs-PeriodicLocationRequest", C0, NULL, NULL },
	{ 112, "lcs-AreaEventCancellation", C0, NULL, NULL },
	{ 113, "lcs-AreaEventReport", C0, NULL, NULL },
	{ 114, "lcs-AreaEventRequest", C0, NULL, NULL },
	{ 115, "lcs-MOLR", C0, NULL, NULL },
	{ 116, "lcs-LocationNotification", C0, NULL, NULL },
	{ 117, "callDeflection", C0, NULL, NULL },
	{ 118, "userUserService", C0, NULL, NULL },
	{ 119, "accessRegisterCCEntry", C0, NULL, NULL },
	{ 120, "forwardCUG-Info", C0, NULL, NULL },
	{ 121, "splitMPTY", C0, NULL, NULL },
	{ 122, "retrieveMPTY", C0, NULL, NULL },
	{ 123, "holdMPTY", C0, NULL, NULL },
	{ 124, "buildMPTY", C0, NULL, NULL },
	{ 125, "forwardChargeAdvice", C0, NULL, NULL },
	{ 126, "explicitCT", C0, NULL, NULL },
};

#define MAP_OP_MAX	127

/* opcode -> index + 1 into map_ops, built once from the table above */
static uint8_t map_op_index[MAP_OP_MAX + 1];

static void __attribute__((constructor)) map_op_index_init(void)
{
	for (unsigned i = 0; i < sizeof(map_ops) / sizeof(map_ops[0]); i++)
		map_op_index[map_ops[i].code] = i + 1;
}

const struct map_op *map_op_by_code(int opcode)
{
	if (opcode < 0 || opcode > MAP_OP_MAX || !map_op_index[opcode])
		return NULL;
	return &map_ops[map_op_index[opcode] - 1];
}

const char *map_op_name(int opcode)
{
	const struct map_op *op = map_op_by_code(opcode);

	return op ? op->name : NULL;
}

/* --- application contexts (TS 29.002 17.3.3), with the operations of their packages --- */

#define OPS(...)	(const uint8_t[]){ __VA_ARGS__, 0xff }

static const struct map_acn map_acns[] = {
	{ 1, "networkLocUpContext", 3, OPS(2, 7, 38, 50, 57) },
	{ 2, "locationCancellationContext", 3, OPS(3) },
	{ 3, "roamingNumberEnquiryContext", 3, OPS(4) },
	{ 4, "istAlertingContext", 3, OPS(87) },
	{ 5, "locationInfoRetrievalContext", 3, OPS(22) },
	{ 6, "callControlTransferContext", 4, OPS(6) },
	{ 7, "reportingContext", 3, OPS(73, 74, 75) },
	{ 8, "callCompletionContext", 3, OPS(76, 77) },
	{ 9, "serviceTerminationContext", 3, OPS(88) },
	{ 10, "resetContext", 3, OPS(37) },
	{ 11, "handoverControlContext", 3, OPS(28, 29, 30, 33, 34, 35, 68, 69) },
	{ 12, "sIWFSAllocationContext", 3, OPS(31, 32) },
	{ 13, "equipmentMngtContext", 3, OPS(43) },
	{ 14, "infoRetrievalContext", 3, OPS(9, 56) },
	{ 15, "interVlrInfoRetrievalContext", 3, OPS(55) },
	{ 16, "subscriberDataMngtContext", 3, OPS(7, 8) },
	{ 17, "tracingContext", 3, OPS(50, 51, 52) },
	{ 18, "networkFunctionalSsContext", 2, OPS(10, 11, 12, 13, 14, 17, 18, 19, 54) },
	{ 19, "networkUnstructuredSsContext", 2, OPS(59, 60, 61) },
	{ 20, "shortMsgGatewayContext", 3, OPS(45, 47) },
	{ 21, "shortMsgMO-RelayContext", 3, OPS(46) },
	{ 22, "subscriberDataModificationNotificationContext", 3, OPS(5) },
	{ 23, "shortMsgAlertContext", 2, OPS(49, 64) },
	{ 24, "mwdMngtContext", 3, OPS(48, 66) },
	{ 25, "shortMsgMT-RelayContext", 3, OPS(44, 46) },	/* v2: forwardSM (46) both ways */
	{ 26, "imsiRetrievalContext", 2, OPS(58) },
	{ 27, "msPurgingContext", 3, OPS(67) },
	{ 28, "subscriberInfoEnquiryContext", 3, OPS(70) },
	{ 29, "anyTimeInfoEnquiryContext", 3, OPS(71) },
	{ 31, "groupCallControlContext", 3, OPS(39, 40, 41, 42) },
	{ 32, "gprsLocationUpdateContext", 3, OPS(23, 7, 50) },
	{ 33, "gprsLocationInfoRetrievalContext", 4, OPS(24) },
	{ 34, "failureReportContext", 3, OPS(25) },
	{ 35, "gprsNotifyContext", 3, OPS(26) },
	{ 36, "ss-InvocationNotificationContext", 3, OPS(72) },
	{ 37, "locationSvcGatewayContext", 3, OPS(85) },
	{ 38, "locationSvcEnquiryContext", 3, OPS(83, 86) },
	{ 39, "authenticationFailureReportContext", 3, OPS(15) },
	{ 40, "secureTransportHandlingContext", 3, OPS(78, 79, 80, 81) },
	{ 41, "shortMsgMT-Relay-VGCS-Context", 3, OPS(21) },
	{ 42, "mm-EventReportingContext", 3, OPS(89) },
	{ 43, "anyTimeInfoHandlingContext", 3, OPS(62, 65) },
	{ 44, "resourceManagementContext", 3, OPS(20) },
	{ 45, "groupCallInfoRetrievalContext", 3, OPS(84) },
	{ 46, "vcsgLocationUpdateContext", 3, OPS(53, 7) },
	{ 47, "vcsgLocationCancellationContext", 3, OPS(36) },
};

#define MAP_ACN_MAX	47

static uint8_t map_acn_index[MAP_ACN_MAX + 1];

static void __attribute__((constructor)) map_acn_index_init(void)
{
	for (unsigned i = 0; i < sizeof(map_acns) / sizeof(map_acns[0]); i++)
		map_acn_index[map_acns[i].ctx] = i + 1;
}

/* { itu-t(0) identified-organization(4) etsi(0) mobileDomain(0) gsm-Network(1) ac-Id(0) } */
static const uint8_t map_ac_prefix[] = { 0x04, 0x00, 0x00, 0x01, 0x00 };

const struct map_acn *map_acn_lookup(const uint8_t *oid, unsigned len, int *version)
{
	uint8_t ctx, ver;

	/* exactly 7 octets: both arcs after the prefix are below 128 in every MAP AC */
	if (!oid || len != sizeof(map_ac_prefix) + 2 || memcmp(oid, map_ac_prefix, sizeof(map_ac_prefix)))
		return NULL;
	ctx = oid[5];
	ver = oid[6];
	if (ctx > MAP_ACN_MAX || ver & 0x80 || !map_acn_index[ctx])
		return NULL;
	if (version)
		*version = ver;
	return &map_acns[map_acn_index[ctx] - 1];
}

bool map_acn_allows(const struct map_acn *acn, int opcode)
{
	if (!acn || opcode < 0)
		return false;
	for (const uint8_t *o = acn->ops; *o != 0xff; o++)
		if (*o == opcode)
			return true;
	return false;
}

const struct map_param *map_param_find(const struct sw_component *c, enum map_field f)
{
	for (unsigned i = 0; i < c->n_params; i++)
		if (c->params[i].field == f)
			return &c->params[i];
	return NULL;
}
