/*! \file map.h
 *  MAP (3GPP TS 29.002): operation table, application contexts, decoded parameter fields. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
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

/*! JSON name of a field. */
const char *map_field_name(enum map_field f);
/*! Value kind of a field. */
enum map_value_kind map_field_kind(enum map_field f);
/*! Names of the set bits of an MV_FLAGS field, NULL-terminated table indexed by bit. */
const char *const *map_field_flag_names(enum map_field f);

/*! GSMA FS.11 category of an operation (the default: operators may override). */
enum map_category {
	MAP_CAT_NONE = 0,
	MAP_CAT_1 = 1,
	MAP_CAT_2 = 2,
	MAP_CAT_3 = 3,
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

/*! Operation by local opcode; NULL when the opcode is not a MAP operation. */
const struct map_op *map_op_by_code(int opcode);
/*! Name of an opcode, or NULL. */
const char *map_op_name(int opcode);

/*! A MAP application context (TS 29.002 17.3.3): { 0 4 0 0 1 0 <ctx> <version> }. */
struct map_acn {
	uint8_t ctx;			/*!< application context number */
	const char *name;		/*!< e.g. "shortMsgGatewayContext" */
	uint8_t max_version;
	const uint8_t *ops;		/*!< opcodes allowed in this context, ended by 0xff */
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

/*! Find the first param of field f in c, or NULL. */
const struct map_param *map_param_find(const struct sw_component *c, enum map_field f);
