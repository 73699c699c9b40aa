/* MAP tables (3GPP TS 29.002): decoded fields, every operation code with its FS.11 default
 * category and decoders, every application context with the operations it may carry. */
#include <string.h>
#include <ss7watch/map.h>
#include "decode_map.h"

/* --- fields --- */

static const char *const map_field_names[MF__COUNT] = {
#define X(e, name, kind) [MF_##e] = name,
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
	return (unsigned)f < MF__COUNT ? map_field_names[f] : "unknown";
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
	{ MAP_OP_UPDATE_LOCATION, "updateLocation", C3, map_dec_ul_arg, map_dec_ul_res },
	{ MAP_OP_CANCEL_LOCATION, "cancelLocation", C2, map_dec_cl_arg, NULL },
	{ MAP_OP_PROVIDE_ROAMING_NUMBER, "provideRoamingNumber", C2, map_dec_prn_arg, map_dec_prn_res },
	{ MAP_OP_NOTE_SUBSCRIBER_DATA_MODIFIED, "noteSubscriberDataModified", C1, map_dec_nsdm_arg, NULL },
	{ MAP_OP_RESUME_CALL_HANDLING, "resumeCallHandling", C1, NULL, NULL },
	{ MAP_OP_INSERT_SUBSCRIBER_DATA, "insertSubscriberData", C2, map_dec_isd_arg, NULL },
	{ MAP_OP_DELETE_SUBSCRIBER_DATA, "deleteSubscriberData", C2, map_dec_dsd_arg, NULL },
	{ MAP_OP_SEND_PARAMETERS, "sendParameters", C1, NULL, NULL },
	{ MAP_OP_REGISTER_SS, "registerSS", C3, map_dec_register_ss_arg, map_dec_ss_info_res },
	{ MAP_OP_ERASE_SS, "eraseSS", C3, map_dec_ss_for_bs_arg, map_dec_ss_info_res },
	{ MAP_OP_ACTIVATE_SS, "activateSS", C3, map_dec_ss_for_bs_arg, map_dec_ss_info_res },
	{ MAP_OP_DEACTIVATE_SS, "deactivateSS", C3, map_dec_ss_for_bs_arg, map_dec_ss_info_res },
	{ MAP_OP_INTERROGATE_SS, "interrogateSS", C3, map_dec_ss_for_bs_arg, map_dec_interrogate_ss_res },
	{ MAP_OP_AUTHENTICATION_FAILURE_REPORT, "authenticationFailureReport", C3, map_dec_afr_arg, NULL },
	{ MAP_OP_NOTIFY_SS, "notifySS", C0, NULL, NULL },
	{ MAP_OP_REGISTER_PASSWORD, "registerPassword", C3, NULL, NULL },
	{ MAP_OP_GET_PASSWORD, "getPassword", C2, NULL, NULL },
	{ MAP_OP_PROCESS_UNSTRUCTURED_SS_DATA, "processUnstructuredSS-Data", C0, NULL, NULL },
	{ MAP_OP_RELEASE_RESOURCES, "releaseResources", C0, NULL, NULL },
	{ MAP_OP_MT_FORWARD_SM_VGCS, "mt-ForwardSM-VGCS", C1, NULL, NULL },
	{ MAP_OP_SEND_ROUTING_INFO, "sendRoutingInfo", C1, map_dec_sri_arg, map_dec_sri_res },
	{ MAP_OP_UPDATE_GPRS_LOCATION, "updateGprsLocation", C3, map_dec_ugl_arg, map_dec_ugl_res },
	{ MAP_OP_SEND_ROUTING_INFO_FOR_GPRS, "sendRoutingInfoForGprs", C1, map_dec_sri_gprs_arg, map_dec_sri_gprs_res },
	{ MAP_OP_FAILURE_REPORT, "failureReport", C0, NULL, NULL },
	{ MAP_OP_NOTE_MS_PRESENT_FOR_GPRS, "noteMsPresentForGprs", C0, NULL, NULL },
	{ MAP_OP_PERFORM_HANDOVER, "performHandover", C1, NULL, NULL },
	{ MAP_OP_SEND_END_SIGNAL, "sendEndSignal", C1, NULL, NULL },
	{ MAP_OP_PERFORM_SUBSEQUENT_HANDOVER, "performSubsequentHandover", C1, NULL, NULL },
	{ MAP_OP_PROVIDE_SIWFS_NUMBER, "provideSIWFSNumber", C1, NULL, NULL },
	{ MAP_OP_SIWFS_SIGNALLING_MODIFY, "sIWFSSignallingModify", C1, NULL, NULL },
	{ MAP_OP_PROCESS_ACCESS_SIGNALLING, "processAccessSignalling", C1, NULL, NULL },
	{ MAP_OP_FORWARD_ACCESS_SIGNALLING, "forwardAccessSignalling", C1, NULL, NULL },
	{ MAP_OP_NOTE_INTERNAL_HANDOVER, "noteInternalHandover", C1, NULL, NULL },
	{ MAP_OP_CANCEL_VCSG_LOCATION, "cancelVcsgLocation", C0, NULL, NULL },
	{ MAP_OP_RESET, "reset", C2, map_dec_reset_arg, NULL },
	{ MAP_OP_FORWARD_CHECK_SS, "forwardCheckSS", C0, NULL, NULL },
	{ MAP_OP_PREPARE_GROUP_CALL, "prepareGroupCall", C1, NULL, NULL },
	{ MAP_OP_SEND_GROUP_CALL_END_SIGNAL, "sendGroupCallEndSignal", C1, NULL, NULL },
	{ MAP_OP_PROCESS_GROUP_CALL_SIGNALLING, "processGroupCallSignalling", C1, NULL, NULL },
	{ MAP_OP_FORWARD_GROUP_CALL_SIGNALLING, "forwardGroupCallSignalling", C1, NULL, NULL },
	{ MAP_OP_CHECK_IMEI, "checkIMEI", C1, map_dec_check_imei_arg, map_dec_check_imei_res },
	{ MAP_OP_MT_FORWARD_SM, "mt-forwardSM", C2, map_dec_mt_forward_sm_arg, NULL },
	{ MAP_OP_SEND_ROUTING_INFO_FOR_SM, "sendRoutingInfoForSM", C0, map_dec_sri_sm_arg, map_dec_sri_sm_res },
	{ MAP_OP_MO_FORWARD_SM, "mo-forwardSM", C3, map_dec_mo_forward_sm_arg, NULL },
	{ MAP_OP_REPORT_SM_DELIVERY_STATUS, "reportSM-DeliveryStatus", C0, map_dec_report_sm_ds_arg, NULL },
	{ MAP_OP_NOTE_SUBSCRIBER_PRESENT, "noteSubscriberPresent", C0, NULL, NULL },
	{ MAP_OP_ALERT_SERVICE_CENTRE_WITHOUT_RESULT, "alertServiceCentreWithoutResult", C0, map_dec_asc_arg, NULL },
	{ MAP_OP_ACTIVATE_TRACE_MODE, "activateTraceMode", C1, map_dec_trace_arg, NULL },
	{ MAP_OP_DEACTIVATE_TRACE_MODE, "deactivateTraceMode", C1, map_dec_trace_arg, NULL },
	{ MAP_OP_TRACE_SUBSCRIBER_ACTIVITY, "traceSubscriberActivity", C0, NULL, NULL },
	{ MAP_OP_UPDATE_VCSG_LOCATION, "updateVcsgLocation", C0, NULL, NULL },
	{ MAP_OP_BEGIN_SUBSCRIBER_ACTIVITY, "beginSubscriberActivity", C0, NULL, NULL },
	{ MAP_OP_SEND_IDENTIFICATION, "sendIdentification", C1, map_dec_send_id_arg, map_dec_send_id_res },
	{ MAP_OP_SEND_AUTHENTICATION_INFO, "sendAuthenticationInfo", C3, map_dec_sai_arg, map_dec_sai_res },
	{ MAP_OP_RESTORE_DATA, "restoreData", C3, map_dec_restore_arg, map_dec_restore_res },
	{ MAP_OP_SEND_IMSI, "sendIMSI", C1, map_dec_send_imsi_arg, map_dec_send_imsi_res },
	{ MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST, "processUnstructuredSS-Request", C3, map_dec_ussd_arg, map_dec_ussd_res },
	{ MAP_OP_UNSTRUCTURED_SS_REQUEST, "unstructuredSS-Request", C2, map_dec_ussd_arg, map_dec_ussd_res },
	{ MAP_OP_UNSTRUCTURED_SS_NOTIFY, "unstructuredSS-Notify", C2, map_dec_ussd_arg, NULL },
	{ MAP_OP_ANY_TIME_SUBSCRIPTION_INTERROGATION, "anyTimeSubscriptionInterrogation", C1, map_dec_atsi_arg, NULL },
	{ MAP_OP_INFORM_SERVICE_CENTRE, "informServiceCentre", C0, NULL, NULL },
	{ MAP_OP_ALERT_SERVICE_CENTRE, "alertServiceCentre", C0, map_dec_asc_arg, NULL },
	{ MAP_OP_ANY_TIME_MODIFICATION, "anyTimeModification", C1, map_dec_atm_arg, NULL },
	{ MAP_OP_READY_FOR_SM, "readyForSM", C3, map_dec_rfsm_arg, NULL },
	{ MAP_OP_PURGE_MS, "purgeMS", C3, map_dec_purge_arg, map_dec_purge_res },
	{ MAP_OP_PREPARE_HANDOVER, "prepareHandover", C1, NULL, NULL },
	{ MAP_OP_PREPARE_SUBSEQUENT_HANDOVER, "prepareSubsequentHandover", C1, NULL, NULL },
	{ MAP_OP_PROVIDE_SUBSCRIBER_INFO, "provideSubscriberInfo", C2, map_dec_psi_arg, map_dec_psi_res },
	{ MAP_OP_ANY_TIME_INTERROGATION, "anyTimeInterrogation", C1, map_dec_ati_arg, map_dec_psi_res },
	{ MAP_OP_SS_INVOCATION_NOTIFICATION, "ss-InvocationNotification", C1, map_dec_ssin_arg, NULL },
	{ MAP_OP_SET_REPORTING_STATE, "setReportingState", C0, NULL, NULL },
	{ MAP_OP_STATUS_REPORT, "statusReport", C0, NULL, NULL },
	{ MAP_OP_REMOTE_USER_FREE, "remoteUserFree", C0, NULL, NULL },
	{ MAP_OP_REGISTER_CC_ENTRY, "registerCC-Entry", C1, NULL, NULL },
	{ MAP_OP_ERASE_CC_ENTRY, "eraseCC-Entry", C1, NULL, NULL },
	{ MAP_OP_SECURE_TRANSPORT_CLASS1, "secureTransportClass1", C0, NULL, NULL },
	{ MAP_OP_SECURE_TRANSPORT_CLASS2, "secureTransportClass2", C0, NULL, NULL },
	{ MAP_OP_SECURE_TRANSPORT_CLASS3, "secureTransportClass3", C0, NULL, NULL },
	{ MAP_OP_SECURE_TRANSPORT_CLASS4, "secureTransportClass4", C0, NULL, NULL },
	{ MAP_OP_PROVIDE_SUBSCRIBER_LOCATION, "provideSubscriberLocation", C1, map_dec_psl_arg, map_dec_psl_res },
	{ MAP_OP_SEND_GROUP_CALL_INFO, "sendGroupCallInfo", C1, NULL, NULL },
	{ MAP_OP_SEND_ROUTING_INFO_FOR_LCS, "sendRoutingInfoForLCS", C1, map_dec_sri_lcs_arg, map_dec_sri_lcs_res },
	{ MAP_OP_SUBSCRIBER_LOCATION_REPORT, "subscriberLocationReport", C1, map_dec_slr_arg, NULL },
	{ MAP_OP_IST_ALERT, "ist-Alert", C0, NULL, NULL },
	{ MAP_OP_IST_COMMAND, "ist-Command", C0, NULL, NULL },
	{ MAP_OP_NOTE_MM_EVENT, "noteMM-Event", C3, map_dec_note_mm_arg, NULL },
	{ MAP_OP_LCS_PERIODIC_LOCATION_CANCELLATION, "lcs-PeriodicLocationCancellation", C0, NULL, NULL },
	{ MAP_OP_LCS_LOCATION_UPDATE, "lcs-LocationUpdate", C0, NULL, NULL },
	{ MAP_OP_LCS_PERIODIC_LOCATION_REQUEST, "lcs-PeriodicLocationRequest", C0, NULL, NULL },
	{ MAP_OP_LCS_AREA_EVENT_CANCELLATION, "lcs-AreaEventCancellation", C0, NULL, NULL },
	{ MAP_OP_LCS_AREA_EVENT_REPORT, "lcs-AreaEventReport", C0, NULL, NULL },
	{ MAP_OP_LCS_AREA_EVENT_REQUEST, "lcs-AreaEventRequest", C0, NULL, NULL },
	{ MAP_OP_LCS_MOLR, "lcs-MOLR", C0, NULL, NULL },
	{ MAP_OP_LCS_LOCATION_NOTIFICATION, "lcs-LocationNotification", C0, NULL, NULL },
	{ MAP_OP_CALL_DEFLECTION, "callDeflection", C0, NULL, NULL },
	{ MAP_OP_USER_USER_SERVICE, "userUserService", C0, NULL, NULL },
	{ MAP_OP_ACCESS_REGISTER_CC_ENTRY, "accessRegisterCCEntry", C0, NULL, NULL },
	{ MAP_OP_FORWARD_CUG_INFO, "forwardCUG-Info", C0, NULL, NULL },
	{ MAP_OP_SPLIT_MPTY, "splitMPTY", C0, NULL, NULL },
	{ MAP_OP_RETRIEVE_MPTY, "retrieveMPTY", C0, NULL, NULL },
	{ MAP_OP_HOLD_MPTY, "holdMPTY", C0, NULL, NULL },
	{ MAP_OP_BUILD_MPTY, "buildMPTY", C0, NULL, NULL },
	{ MAP_OP_FORWARD_CHARGE_ADVICE, "forwardChargeAdvice", C0, NULL, NULL },
	{ MAP_OP_EXPLICIT_CT, "explicitCT", C0, NULL, NULL },
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

const char *map_comp_op_name(const struct sw_component *c)
{
	return c->sm_dir ? "forwardSM" : map_op_name(c->opcode);
}

const char *map_sm_direction_name(uint8_t dir)
{
	static const char *const names[] = { [MAP_SM_MO] = "mo", [MAP_SM_MT] = "mt" };

	return dir < sizeof(names) / sizeof(names[0]) ? names[dir] : NULL;
}

/* --- application contexts (TS 29.002 17.3.3), with the operations of their packages --- */

#define OPS(...)	(const uint8_t[]){ __VA_ARGS__, 0xff }

static const struct map_acn map_acns[] = {
	{ 1, "networkLocUpContext", 3, OPS(MAP_OP_UPDATE_LOCATION, MAP_OP_INSERT_SUBSCRIBER_DATA,
		MAP_OP_FORWARD_CHECK_SS, MAP_OP_ACTIVATE_TRACE_MODE, MAP_OP_RESTORE_DATA) },
	{ 2, "locationCancellationContext", 3, OPS(MAP_OP_CANCEL_LOCATION) },
	{ 3, "roamingNumberEnquiryContext", 3, OPS(MAP_OP_PROVIDE_ROAMING_NUMBER) },
	{ 4, "istAlertingContext", 3, OPS(MAP_OP_IST_ALERT) },
	{ 5, "locationInfoRetrievalContext", 3, OPS(MAP_OP_SEND_ROUTING_INFO) },
	{ 6, "callControlTransferContext", 4, OPS(MAP_OP_RESUME_CALL_HANDLING) },
	{ 7, "reportingContext", 3, OPS(MAP_OP_SET_REPORTING_STATE, MAP_OP_STATUS_REPORT,
		MAP_OP_REMOTE_USER_FREE) },
	{ 8, "callCompletionContext", 3, OPS(MAP_OP_REGISTER_CC_ENTRY, MAP_OP_ERASE_CC_ENTRY) },
	{ 9, "serviceTerminationContext", 3, OPS(MAP_OP_IST_COMMAND) },
	{ 10, "resetContext", 3, OPS(MAP_OP_RESET) },
	{ 11, "handoverControlContext", 3, OPS(MAP_OP_PERFORM_HANDOVER, MAP_OP_SEND_END_SIGNAL,
		MAP_OP_PERFORM_SUBSEQUENT_HANDOVER, MAP_OP_PROCESS_ACCESS_SIGNALLING,
		MAP_OP_FORWARD_ACCESS_SIGNALLING, MAP_OP_NOTE_INTERNAL_HANDOVER, MAP_OP_PREPARE_HANDOVER,
		MAP_OP_PREPARE_SUBSEQUENT_HANDOVER) },
	{ 12, "sIWFSAllocationContext", 3, OPS(MAP_OP_PROVIDE_SIWFS_NUMBER, MAP_OP_SIWFS_SIGNALLING_MODIFY) },
	{ 13, "equipmentMngtContext", 3, OPS(MAP_OP_CHECK_IMEI) },
	{ 14, "infoRetrievalContext", 3, OPS(MAP_OP_SEND_PARAMETERS, MAP_OP_SEND_AUTHENTICATION_INFO) },
	{ 15, "interVlrInfoRetrievalContext", 3, OPS(MAP_OP_SEND_IDENTIFICATION) },
	{ 16, "subscriberDataMngtContext", 3, OPS(MAP_OP_INSERT_SUBSCRIBER_DATA,
		MAP_OP_DELETE_SUBSCRIBER_DATA) },
	{ 17, "tracingContext", 3, OPS(MAP_OP_ACTIVATE_TRACE_MODE, MAP_OP_DEACTIVATE_TRACE_MODE,
		MAP_OP_TRACE_SUBSCRIBER_ACTIVITY) },
	{ 18, "networkFunctionalSsContext", 2, OPS(MAP_OP_REGISTER_SS, MAP_OP_ERASE_SS, MAP_OP_ACTIVATE_SS,
		MAP_OP_DEACTIVATE_SS, MAP_OP_INTERROGATE_SS, MAP_OP_REGISTER_PASSWORD, MAP_OP_GET_PASSWORD,
		MAP_OP_PROCESS_UNSTRUCTURED_SS_DATA, MAP_OP_BEGIN_SUBSCRIBER_ACTIVITY) },
	{ 19, "networkUnstructuredSsContext", 2, OPS(MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST,
		MAP_OP_UNSTRUCTURED_SS_REQUEST, MAP_OP_UNSTRUCTURED_SS_NOTIFY) },
	/* informServiceCentre is linked to the SRI-for-SM (the MWD status, v2 and v3) */
	{ 20, "shortMsgGatewayContext", 3, OPS(MAP_OP_SEND_ROUTING_INFO_FOR_SM,
		MAP_OP_REPORT_SM_DELIVERY_STATUS, MAP_OP_INFORM_SERVICE_CENTRE) },
	{ 21, "shortMsgMO-RelayContext", 3, OPS(MAP_OP_MO_FORWARD_SM) },
	{ 22, "subscriberDataModificationNotificationContext", 3, OPS(MAP_OP_NOTE_SUBSCRIBER_DATA_MODIFIED) },
	{ 23, "shortMsgAlertContext", 2, OPS(MAP_OP_ALERT_SERVICE_CENTRE_WITHOUT_RESULT,
		MAP_OP_ALERT_SERVICE_CENTRE) },
	{ 24, "mwdMngtContext", 3, OPS(MAP_OP_NOTE_SUBSCRIBER_PRESENT, MAP_OP_READY_FOR_SM) },
	/* v2 has one forwardSM, with mo-forwardSM's code, for both directions */
	{ 25, "shortMsgMT-RelayContext", 3, OPS(MAP_OP_MT_FORWARD_SM, MAP_OP_MO_FORWARD_SM) },
	{ 26, "imsiRetrievalContext", 2, OPS(MAP_OP_SEND_IMSI) },
	{ 27, "msPurgingContext", 3, OPS(MAP_OP_PURGE_MS) },
	{ 28, "subscriberInfoEnquiryContext", 3, OPS(MAP_OP_PROVIDE_SUBSCRIBER_INFO) },
	{ 29, "anyTimeInfoEnquiryContext", 3, OPS(MAP_OP_ANY_TIME_INTERROGATION) },
	{ 31, "groupCallControlContext", 3, OPS(MAP_OP_PREPARE_GROUP_CALL, MAP_OP_SEND_GROUP_CALL_END_SIGNAL,
		MAP_OP_PROCESS_GROUP_CALL_SIGNALLING, MAP_OP_FORWARD_GROUP_CALL_SIGNALLING) },
	{ 32, "gprsLocationUpdateContext", 3, OPS(MAP_OP_UPDATE_GPRS_LOCATION, MAP_OP_INSERT_SUBSCRIBER_DATA,
		MAP_OP_ACTIVATE_TRACE_MODE) },
	{ 33, "gprsLocationInfoRetrievalContext", 4, OPS(MAP_OP_SEND_ROUTING_INFO_FOR_GPRS) },
	{ 34, "failureReportContext", 3, OPS(MAP_OP_FAILURE_REPORT) },
	{ 35, "gprsNotifyContext", 3, OPS(MAP_OP_NOTE_MS_PRESENT_FOR_GPRS) },
	{ 36, "ss-InvocationNotificationContext", 3, OPS(MAP_OP_SS_INVOCATION_NOTIFICATION) },
	{ 37, "locationSvcGatewayContext", 3, OPS(MAP_OP_SEND_ROUTING_INFO_FOR_LCS) },
	{ 38, "locationSvcEnquiryContext", 3, OPS(MAP_OP_PROVIDE_SUBSCRIBER_LOCATION,
		MAP_OP_SUBSCRIBER_LOCATION_REPORT) },
	{ 39, "authenticationFailureReportContext", 3, OPS(MAP_OP_AUTHENTICATION_FAILURE_REPORT) },
	{ 40, "secureTransportHandlingContext", 3, OPS(MAP_OP_SECURE_TRANSPORT_CLASS1,
		MAP_OP_SECURE_TRANSPORT_CLASS2, MAP_OP_SECURE_TRANSPORT_CLASS3,
		MAP_OP_SECURE_TRANSPORT_CLASS4) },
	{ 41, "shortMsgMT-Relay-VGCS-Context", 3, OPS(MAP_OP_MT_FORWARD_SM_VGCS) },
	{ 42, "mm-EventReportingContext", 3, OPS(MAP_OP_NOTE_MM_EVENT) },
	{ 43, "anyTimeInfoHandlingContext", 3, OPS(MAP_OP_ANY_TIME_SUBSCRIPTION_INTERROGATION,
		MAP_OP_ANY_TIME_MODIFICATION) },
	{ 44, "resourceManagementContext", 3, OPS(MAP_OP_RELEASE_RESOURCES) },
	{ 45, "groupCallInfoRetrievalContext", 3, OPS(MAP_OP_SEND_GROUP_CALL_INFO) },
	{ 46, "vcsgLocationUpdateContext", 3, OPS(MAP_OP_UPDATE_VCSG_LOCATION,
		MAP_OP_INSERT_SUBSCRIBER_DATA) },
	{ 47, "vcsgLocationCancellationContext", 3, OPS(MAP_OP_CANCEL_VCSG_LOCATION) },
};

#define MAP_ACN_MAX	47

static uint8_t map_acn_index[MAP_ACN_MAX + 1];

static void __attribute__((constructor)) map_acn_index_init(void)
{
	for (unsigned i = 0; i < sizeof(map_acns) / sizeof(map_acns[0]); i++)
		map_acn_index[map_acns[i].ctx] = i + 1;
}

/* { itu-t(0) identified-organization(4) etsi(0) mobileDomain(0) gsm-Network(1) ac-Id(0) } */
static const uint8_t map_ac_prefix[MAP_ACN_LEN - 2] = { 0x04, 0x00, 0x00, 0x01, 0x00 };

const struct map_acn *map_acn_lookup(const uint8_t *oid, unsigned len, int *version)
{
	uint8_t ctx, ver;

	/* exactly 7 octets: both arcs after the prefix are below 128 in every MAP AC */
	if (!oid || len != MAP_ACN_LEN || memcmp(oid, map_ac_prefix, sizeof(map_ac_prefix)))
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
