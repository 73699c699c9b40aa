/*! \file map.h
 *  MAP (3GPP TS 29.002): operation table, application contexts, decoded parameter fields. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <ss7watch/msg.h>

/* X(ENUM_SUFFIX, "json_name", kind). Names are TS 29.002 names in snake case. */
#define MAP_FIELDS(X) \
	X(IMSI,			"imsi",			MV_TBCD) \
	X(MSISDN,		"msisdn",		MV_ADDR) \
	X(MSC_NUMBER,		"msc_number",		MV_ADDR) \
	X(VLR_NUMBER,		"vlr_number",		MV_ADDR) \
	X(HLR_NUMBER,		"hlr_number",		MV_ADDR) \
	X(SGSN_NUMBER,		"sgsn_number",		MV_ADDR) \
	X(SGSN_ADDRESS,		"sgsn_address",		MV_HEX) \
	X(GGSN_NUMBER,		"ggsn_number",		MV_ADDR) \
	X(GSMSCF_ADDRESS,	"gsmscf_address",	MV_ADDR) \
	X(SERVICE_CENTRE_ADDRESS, "service_centre_address", MV_ADDR) \
	X(FORWARDED_TO_NUMBER,	"forwarded_to_number",	MV_ADDR) \
	X(ROAMING_NUMBER,	"roaming_number",	MV_ADDR) \
	X(VMSC_ADDRESS,		"vmsc_address",		MV_ADDR) \
	X(GMSC_ADDRESS,		"gmsc_address",		MV_ADDR) \
	X(NETWORK_NODE_NUMBER,	"network_node_number",	MV_ADDR) \
	X(MLC_NUMBER,		"mlc_number",		MV_ADDR) \
	X(LMSI,			"lmsi",			MV_HEX) \
	X(IMEI,			"imei",			MV_TBCD) \
	X(SS_CODE,		"ss_code",		MV_UINT) \
	X(SS_STATUS,		"ss_status",		MV_UINT) \
	X(BASIC_SERVICE,	"basic_service",	MV_UINT) \
	X(CELL_GLOBAL_ID,	"cell_global_id",	MV_CGI) \
	X(LOCATION_AREA_ID,	"location_area_id",	MV_CGI) \
	X(AGE_OF_LOCATION,	"age_of_location",	MV_UINT) \
	X(SUBSCRIBER_STATE,	"subscriber_state",	MV_STR) \
	X(REQUESTED_INFO,	"requested_info",	MV_FLAGS) \
	X(NUMBER_OF_VECTORS,	"number_of_vectors",	MV_UINT) \
	X(CANCELLATION_TYPE,	"cancellation_type",	MV_STR) \
	X(INTERROGATION_TYPE,	"interrogation_type",	MV_STR) \
	X(CALL_REFERENCE_NUMBER, "call_reference_number", MV_HEX) \
	X(SM_RP_PRI,		"sm_rp_pri",		MV_BOOL) \
	X(TP_MTI,		"tp_mti",		MV_UINT) \
	X(TP_PID,		"tp_pid",		MV_UINT) \
	X(TP_DCS,		"tp_dcs",		MV_UINT) \
	X(TP_ORIGINATING_ADDRESS, "tp_originating_address", MV_HEX) \
	X(USSD_DCS,		"ussd_dcs",		MV_UINT) \
	X(USSD_STRING,		"ussd_string",		MV_USSD) \
	X(LOCATION_ESTIMATE,	"location_estimate",	MV_HEX) \
	X(LCS_CLIENT_TYPE,	"lcs_client_type",	MV_UINT) \
	X(MS_NETWORK_CAPABILITY, "ms_network_capability", MV_HEX) \
	X(CAMEL_SERVICE_KEY,	"service_key",		MV_UINT) \
	X(PURGE_FLAGS,		"purge_flags",		MV_STR) \
	X(USER_ERROR,		"user_error",		MV_STR) \
	X(TMSI,			"tmsi",			MV_HEX) \
	X(SM_DELIVERY_OUTCOME,	"sm_delivery_outcome",	MV_STR) \
	X(ALERT_REASON,		"alert_reason",		MV_STR) \
	X(FAILURE_CAUSE,	"failure_cause",	MV_STR) \
	X(EQUIPMENT_STATUS,	"equipment_status",	MV_STR) \
	X(REQUESTED_DOMAIN,	"requested_domain",	MV_STR) \
	X(LCS_EVENT,		"lcs_event",		MV_STR) \
	X(HLR_ID,		"hlr_id_imsi",		MV_TBCD) /* leading IMSI digits of an HLR-List */ \
	/* end */

/*! Decoded MAP parameter fields. */
enum map_field {
#define X(e, name, kind) MF_##e,
	MAP_FIELDS(X)
#undef X
	MF__COUNT
};

/*! Bits of MF_REQUESTED_INFO (RequestedInfo of PSI / ATI). */
enum map_requested_info_bit {
	MAP_RI_LOCATION_INFORMATION	= 1 << 0,
	MAP_RI_SUBSCRIBER_STATE		= 1 << 1,
	MAP_RI_CURRENT_LOCATION		= 1 << 2,
	MAP_RI_IMEI			= 1 << 3,
	MAP_RI_MS_CLASSMARK		= 1 << 4,
	MAP_RI_MNP_REQUESTED_INFO	= 1 << 5,
	MAP_RI_LOCATION_INFORMATION_GPRS = 1 << 6,
	MAP_RI_T_ADS_DATA		= 1 << 7,
};

/*! Numbering plan of an AddressString (TS 29.002 MAP-CommonDataTypes): the low nibble of its
 *  first octet. */
enum map_npi {
	MAP_NPI_ISDN		= 1,	/*!< ISDN/telephony numbering plan (E.164): an MSISDN, a node */
	MAP_NPI_LAND_MOBILE	= 6,	/*!< land mobile numbering plan (E.212): an IMSI */
};
#define MAP_NPI_MASK	0x0f

/*! JSON name of a field. */
const char *map_field_name(enum map_field f);
/*! Value kind of a field (inline: the decoder asks for every value it keeps). */
static inline enum map_value_kind map_field_kind(enum map_field f)
{
	switch (f) {
#define X(e, name, kind) case MF_##e: return kind;
	MAP_FIELDS(X)
#undef X
	default:
		return MV_HEX;
	}
}
/*! Names of the set bits of an MV_FLAGS field, NULL-terminated table indexed by bit. */
const char *const *map_field_flag_names(enum map_field f);

/*! GSMA FS.11 category of an operation (the default: operators may override). */
enum map_category {
	MAP_CAT_NONE = 0,
	MAP_CAT_1 = 1,
	MAP_CAT_2 = 2,
	MAP_CAT_3 = 3,
};

/*! Local operation codes of MAP (3GPP TS 29.002 17.5, MAP-Protocol), and the TS 24.080
 *  supplementary service operations that share the opcode space (109..126). */
enum map_opcode {
	MAP_OP_UPDATE_LOCATION = 2,
	MAP_OP_CANCEL_LOCATION = 3,
	MAP_OP_PROVIDE_ROAMING_NUMBER = 4,
	MAP_OP_NOTE_SUBSCRIBER_DATA_MODIFIED = 5,
	MAP_OP_RESUME_CALL_HANDLING = 6,
	MAP_OP_INSERT_SUBSCRIBER_DATA = 7,
	MAP_OP_DELETE_SUBSCRIBER_DATA = 8,
	MAP_OP_SEND_PARAMETERS = 9,
	MAP_OP_REGISTER_SS = 10,
	MAP_OP_ERASE_SS = 11,
	MAP_OP_ACTIVATE_SS = 12,
	MAP_OP_DEACTIVATE_SS = 13,
	MAP_OP_INTERROGATE_SS = 14,
	MAP_OP_AUTHENTICATION_FAILURE_REPORT = 15,
	MAP_OP_NOTIFY_SS = 16,
	MAP_OP_REGISTER_PASSWORD = 17,
	MAP_OP_GET_PASSWORD = 18,
	MAP_OP_PROCESS_UNSTRUCTURED_SS_DATA = 19,
	MAP_OP_RELEASE_RESOURCES = 20,
	MAP_OP_MT_FORWARD_SM_VGCS = 21,
	MAP_OP_SEND_ROUTING_INFO = 22,
	MAP_OP_UPDATE_GPRS_LOCATION = 23,
	MAP_OP_SEND_ROUTING_INFO_FOR_GPRS = 24,
	MAP_OP_FAILURE_REPORT = 25,
	MAP_OP_NOTE_MS_PRESENT_FOR_GPRS = 26,
	MAP_OP_PERFORM_HANDOVER = 28,
	MAP_OP_SEND_END_SIGNAL = 29,
	MAP_OP_PERFORM_SUBSEQUENT_HANDOVER = 30,
	MAP_OP_PROVIDE_SIWFS_NUMBER = 31,
	MAP_OP_SIWFS_SIGNALLING_MODIFY = 32,
	MAP_OP_PROCESS_ACCESS_SIGNALLING = 33,
	MAP_OP_FORWARD_ACCESS_SIGNALLING = 34,
	MAP_OP_NOTE_INTERNAL_HANDOVER = 35,
	MAP_OP_CANCEL_VCSG_LOCATION = 36,
	MAP_OP_RESET = 37,
	MAP_OP_FORWARD_CHECK_SS = 38,
	MAP_OP_PREPARE_GROUP_CALL = 39,
	MAP_OP_SEND_GROUP_CALL_END_SIGNAL = 40,
	MAP_OP_PROCESS_GROUP_CALL_SIGNALLING = 41,
	MAP_OP_FORWARD_GROUP_CALL_SIGNALLING = 42,
	MAP_OP_CHECK_IMEI = 43,
	MAP_OP_MT_FORWARD_SM = 44,
	MAP_OP_SEND_ROUTING_INFO_FOR_SM = 45,
	MAP_OP_MO_FORWARD_SM = 46,
	MAP_OP_REPORT_SM_DELIVERY_STATUS = 47,
	MAP_OP_NOTE_SUBSCRIBER_PRESENT = 48,
	MAP_OP_ALERT_SERVICE_CENTRE_WITHOUT_RESULT = 49,
	MAP_OP_ACTIVATE_TRACE_MODE = 50,
	MAP_OP_DEACTIVATE_TRACE_MODE = 51,
	MAP_OP_TRACE_SUBSCRIBER_ACTIVITY = 52,
	MAP_OP_UPDATE_VCSG_LOCATION = 53,
	MAP_OP_BEGIN_SUBSCRIBER_ACTIVITY = 54,
	MAP_OP_SEND_IDENTIFICATION = 55,
	MAP_OP_SEND_AUTHENTICATION_INFO = 56,
	MAP_OP_RESTORE_DATA = 57,
	MAP_OP_SEND_IMSI = 58,
	MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST = 59,
	MAP_OP_UNSTRUCTURED_SS_REQUEST = 60,
	MAP_OP_UNSTRUCTURED_SS_NOTIFY = 61,
	MAP_OP_ANY_TIME_SUBSCRIPTION_INTERROGATION = 62,
	MAP_OP_INFORM_SERVICE_CENTRE = 63,
	MAP_OP_ALERT_SERVICE_CENTRE = 64,
	MAP_OP_ANY_TIME_MODIFICATION = 65,
	MAP_OP_READY_FOR_SM = 66,
	MAP_OP_PURGE_MS = 67,
	MAP_OP_PREPARE_HANDOVER = 68,
	MAP_OP_PREPARE_SUBSEQUENT_HANDOVER = 69,
	MAP_OP_PROVIDE_SUBSCRIBER_INFO = 70,
	MAP_OP_ANY_TIME_INTERROGATION = 71,
	MAP_OP_SS_INVOCATION_NOTIFICATION = 72,
	MAP_OP_SET_REPORTING_STATE = 73,
	MAP_OP_STATUS_REPORT = 74,
	MAP_OP_REMOTE_USER_FREE = 75,
	MAP_OP_REGISTER_CC_ENTRY = 76,
	MAP_OP_ERASE_CC_ENTRY = 77,
	MAP_OP_SECURE_TRANSPORT_CLASS1 = 78,
	MAP_OP_SECURE_TRANSPORT_CLASS2 = 79,
	MAP_OP_SECURE_TRANSPORT_CLASS3 = 80,
	MAP_OP_SECURE_TRANSPORT_CLASS4 = 81,
	MAP_OP_PROVIDE_SUBSCRIBER_LOCATION = 83,
	MAP_OP_SEND_GROUP_CALL_INFO = 84,
	MAP_OP_SEND_ROUTING_INFO_FOR_LCS = 85,
	MAP_OP_SUBSCRIBER_LOCATION_REPORT = 86,
	MAP_OP_IST_ALERT = 87,
	MAP_OP_IST_COMMAND = 88,
	MAP_OP_NOTE_MM_EVENT = 89,
	MAP_OP_LCS_PERIODIC_LOCATION_CANCELLATION = 109,
	MAP_OP_LCS_LOCATION_UPDATE = 110,
	MAP_OP_LCS_PERIODIC_LOCATION_REQUEST = 111,
	MAP_OP_LCS_AREA_EVENT_CANCELLATION = 112,
	MAP_OP_LCS_AREA_EVENT_REPORT = 113,
	MAP_OP_LCS_AREA_EVENT_REQUEST = 114,
	MAP_OP_LCS_MOLR = 115,
	MAP_OP_LCS_LOCATION_NOTIFICATION = 116,
	MAP_OP_CALL_DEFLECTION = 117,
	MAP_OP_USER_USER_SERVICE = 118,
	MAP_OP_ACCESS_REGISTER_CC_ENTRY = 119,
	MAP_OP_FORWARD_CUG_INFO = 120,
	MAP_OP_SPLIT_MPTY = 121,
	MAP_OP_RETRIEVE_MPTY = 122,
	MAP_OP_HOLD_MPTY = 123,
	MAP_OP_BUILD_MPTY = 124,
	MAP_OP_FORWARD_CHARGE_ADVICE = 125,
	MAP_OP_EXPLICIT_CT = 126,
};

struct sw_component;
struct sw_tcap;

/*! A decoder of one argument or result; adds params to c, sets c->err on failure. */
typedef void (*map_param_decoder_t)(const struct sw_tcap *t, struct sw_component *c,
				     const uint8_t *p, uint32_t len);

/*! One MAP operation. */
struct map_op {
	uint8_t code;
	const char *name;		/*!< TS 29.002 name, e.g. "sendRoutingInfoForSM" */
	uint8_t category;		/*!< enum map_category */
	map_param_decoder_t decode_arg;	/*!< NULL when we do not decode the argument */
	map_param_decoder_t decode_res;
};

/*! Direction of a MAP v1/v2 forwardSM (opcode 46 below application context version 3): the
 *  one operation carries mobile-originated and mobile-terminated short messages alike. */
enum map_sm_direction {
	MAP_SM_NONE = 0,	/*!< not a v1/v2 forwardSM (v3 mo-forwardSM, or another operation) */
	MAP_SM_MO,		/*!< MSC to SMSC: SM-RP-DA is a service centre address */
	MAP_SM_MT,		/*!< SMSC to MSC: SM-RP-DA is an IMSI, LMSI or roaming number */
};

/*! Name of a component's operation as the dialogue's MAP version calls it: a v1/v2 opcode 46
 *  is "forwardSM" (c->sm_dir set), v3 "mo-forwardSM"; NULL when not a MAP operation. */
const char *map_comp_op_name(const struct sw_component *c);
/*! "mo" / "mt" for MAP_SM_MO / MAP_SM_MT, NULL otherwise. */
const char *map_sm_direction_name(uint8_t dir);

/*! Operation by local opcode; NULL when the opcode is not a MAP operation. */
const struct map_op *map_op_by_code(int opcode);
/*! Name of an opcode, or NULL. */
const char *map_op_name(int opcode);

/*! Content octets of a MAP application context OID: the 5 of its prefix, context, version. */
#define MAP_ACN_LEN	7

/*! A MAP application context (TS 29.002 17.3.3): { 0 4 0 0 1 0 <ctx> <version> }. */
struct map_acn {
	uint8_t ctx;			/*!< application context number */
	const char *name;		/*!< e.g. "shortMsgGatewayContext" */
	uint8_t max_version;
	const uint8_t *ops;		/*!< opcodes allowed in this context, ended by 0xff */
};

/*! Application context numbers the detector tests for (TS 29.002 17.3.3). */
enum map_ac_ctx {
	MAP_AC_LOCATION_INFO_RETRIEVAL	= 5,	/*!< locationInfoRetrievalContext (sendRoutingInfo) */
	MAP_AC_SHORT_MSG_MT_RELAY	= 25,	/*!< shortMsgMT-RelayContext (v2: forwardSM, MT) */
};

/*! Look up a MAP application context from its OID content octets; sets *version.
 *  \returns NULL when the OID is not a MAP AC (e.g. CAP or a vendor AC). */
const struct map_acn *map_acn_lookup(const uint8_t *oid, unsigned len, int *version);
/*! Is opcode allowed in this AC? (Rule: AC / opcode mismatch.) */
bool map_acn_allows(const struct map_acn *acn, int opcode);

/*! Decode the MAP parameter of one component (argument of an invoke, result of a
 *  ReturnResult, parameter of a ReturnError) according to c->opcode and t's AC version.
 *  Unknown opcodes are left with no params and no error. */
void map_decode_component(const struct sw_tcap *t, struct sw_component *c);

/*! Find the first param of field f in c, or NULL (inline: the detector asks several times
 *  per component). */
static inline const struct map_param *map_param_find(const struct sw_component *c, enum map_field f)
{
	for (unsigned i = 0; i < c->n_params; i++)
		if (c->params[i].field == f)
			return &c->params[i];
	return NULL;
}
