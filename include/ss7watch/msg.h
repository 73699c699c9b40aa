/*! \file msg.h
 *  One decoded SS7 message: where it came from, its MTP3 label, SCCP, TCAP and the MAP
 *  parameters of each component. Filled layer by layer into one scratch struct per decoder
 *  (never allocated per message). Byte fields point into the frame, or into a reassembly
 *  buffer, and are valid only during the on_msg callback. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <sys/time.h>
#include <ss7watch/counters.h>

#define SW_GT_MAX_DIGITS	40
#define SW_MAX_COMPONENTS	16
#define SW_MAX_PARAMS		24

/*! How the MTP3 user part reached us. */
enum sw_transport {
	SW_VIA_NONE = 0,
	SW_VIA_M3UA,
	SW_VIA_M2PA,
	SW_VIA_M2UA,
	SW_VIA_MTP2,
	SW_VIA_MTP3,
	SW_VIA_SUA,
	SW_VIA_IPA,	/* live: libosmo-sigtran over IPA (no routing label) */
	SW_VIA_M3UA_LIVE, /* live: libosmo-sigtran M3UA ASP/SG */
};

/*! Where one message came from. */
struct sw_meta {
	uint64_t frame;		/*!< 1-based frame number (of the last frame for reassembled messages) */
	struct timeval ts;	/*!< capture or arrival time */
	uint8_t ip_version;	/*!< 0 (no IP: MTP2/MTP3 link, live socket), 4 or 6 */
	uint8_t src_ip[16];	/*!< IPv4 in the first 4 bytes */
	uint8_t dst_ip[16];
	uint16_t sport, dport;	/*!< SCTP ports */
	uint32_t vtag;		/*!< SCTP verification tag */
	uint16_t sctp_stream;
	uint8_t input;		/*!< index of the input (live daemon) */
	uint8_t segments;	/*!< >1 when the SCCP message was reassembled from XUDT segments */
};

/*! MTP3 routing label (from M3UA protocol data, MTP3, or SUA routing). */
struct sw_mtp3 {
	bool present;		/*!< false for SUA and IPA: no routing label */
	uint8_t via;		/*!< enum sw_transport */
	uint8_t si, ni, mp, sls;
	uint32_t opc, dpc;
	bool has_rctx;
	uint32_t rctx;		/*!< M3UA routing context */
};

#define SW_SCCP_AI_PC	0x01
#define SW_SCCP_AI_SSN	0x02
#define SW_SCCP_AI_GT	0x04

/*! An SCCP (or SUA) party address, with its global title decoded to digits. */
struct sw_sccp_addr {
	uint8_t present;	/*!< SW_SCCP_AI_* bits of the parts that are present */
	uint8_t ri;		/*!< routing indicator: 0 route on GT, 1 route on PC/SSN */
	uint8_t gti;		/*!< global title indicator (1..4) */
	uint8_t ssn;
	uint32_t pc;
	uint8_t tt, np, es, nai; /*!< translation type, numbering plan, encoding scheme, nature */
	uint8_t n_digits;
	char digits[SW_GT_MAX_DIGITS + 1]; /*!< NUL terminated; hex digits b-f kept as letters */
};

/*! SCCP message types we decode (Q.713 values). */
enum sw_sccp_type {
	SW_SCCP_UDT = 0x09,
	SW_SCCP_UDTS = 0x0a,
	SW_SCCP_XUDT = 0x11,
	SW_SCCP_XUDTS = 0x12,
	SW_SCCP_LUDT = 0x13,
	SW_SCCP_LUDTS = 0x14,
	SW_SCCP_SUA_CLDT = 0xf1,	/*!< not SCCP: an SUA CLDT mapped onto these fields */
	SW_SCCP_SUA_CLDR = 0xf2,	/*!< not SCCP: an SUA CLDR (returned message) */
};

struct sw_sccp {
	uint8_t type;		/*!< enum sw_sccp_type */
	uint8_t protocol_class;	/*!< class 0/1, with the return-on-error bit in 0x80 */
	uint8_t return_cause;	/*!< UDTS/XUDTS/LUDTS: why the message came back */
	uint8_t hop_counter;
	struct sw_sccp_addr called, calling;
	const uint8_t *data;	/*!< user data (TCAP) */
	uint32_t data_len;
};

enum sw_tcap_type {
	SW_TCAP_NONE = 0,
	SW_TCAP_UNIDIRECTIONAL,
	SW_TCAP_BEGIN,
	SW_TCAP_END,
	SW_TCAP_CONTINUE,
	SW_TCAP_ABORT,
};

enum sw_dialogue_type {
	SW_DLG_NONE = 0,
	SW_DLG_AARQ,		/*!< dialogue request */
	SW_DLG_AARE,		/*!< dialogue response */
	SW_DLG_ABRT,		/*!< dialogue abort (user abort) */
	SW_DLG_AUDT,		/*!< unidirectional dialogue */
};

/*! A TCAP transaction id (1..4 octets). */
struct sw_tid {
	uint8_t len;		/*!< 0 when absent */
	uint8_t b[4];
};

/*! The TID's octets (its first four) as a big-endian number: the key of the dialogue
 *  tables. One load and a shift, whatever the length: this runs several times a message. */
static inline uint32_t sw_tid_value(const struct sw_tid *tid)
{
	unsigned n = tid->len < 4 ? tid->len : 4;
	uint32_t v = (uint32_t)tid->b[0] << 24 | (uint32_t)tid->b[1] << 16 | (uint32_t)tid->b[2] << 8 | tid->b[3];

	return n ? v >> (32 - 8 * n) : 0;
}

/*! A number referenced in the frame: TBCD digits, with the AddressString octet when
 *  there is one. Decoded to text only when printed (see sw_tbcd_to_str()). */
struct sw_number {
	const uint8_t *tbcd;	/*!< NULL when absent */
	uint8_t len;		/*!< bytes of TBCD */
	bool has_ton_npi;
	uint8_t ton_npi;	/*!< AddressString first octet (ext, nature, numbering plan) */
};

enum sw_comp_type {
	SW_COMP_NONE = 0,
	SW_COMP_INVOKE = 1,		/* [1] */
	SW_COMP_RESULT_LAST = 2,	/* [2] */
	SW_COMP_ERROR = 3,		/* [3] */
	SW_COMP_REJECT = 4,		/* [4] */
	SW_COMP_RESULT = 7,		/* [7] returnResultNotLast */
};

/*! Kinds of decoded MAP values; a field always has the same kind (see map.h). */
enum map_value_kind {
	MV_TBCD,	/*!< p/len: TBCD digits (IMSI, IMEI, LMSI-less numbers) */
	MV_ADDR,	/*!< p/len: AddressString / ISDN-AddressString (first octet TON/NPI) */
	MV_UINT,	/*!< u: an integer */
	MV_BOOL,	/*!< u: 0/1 */
	MV_STR,		/*!< s: a static string (enumerated values) */
	MV_HEX,		/*!< p/len: raw octets printed as hex */
	MV_CGI,		/*!< p/len: 7 octets MCC/MNC/LAC/CI, or 5 octets LAI */
	MV_FLAGS,	/*!< u: bit mask, names from the field's flag table */
	MV_USSD,	/*!< p/len: USSD string, 7-bit packed when the dcs says so */
};

/*! One decoded MAP parameter. */
struct map_param {
	uint8_t field;		/*!< enum map_field (map.h) */
	uint16_t len;
	union {
		const uint8_t *p;
		uint64_t u;
		const char *s;
	};
};

/*! One TCAP component with its MAP parameters. */
struct sw_component {
	uint8_t type;		/*!< enum sw_comp_type */
	bool has_invoke_id, has_linked_id;
	bool opcode_global;	/*!< a global (OID) opcode or error code */
	bool opcode_inferred;	/*!< opcode taken from the matching invoke of the dialogue */
	uint8_t sm_dir;		/*!< enum map_sm_direction of a MAP v1/v2 forwardSM invoke */
	int16_t invoke_id, linked_id;
	int16_t opcode;		/*!< local opcode, -1 when absent */
	int16_t error;		/*!< local error code of a ReturnError, -1 when absent */
	int8_t reject_type;	/*!< Reject: problem type (0 general .. 3 returnError), -1 none */
	int8_t reject_problem;
	const uint8_t *param;	/*!< the parameter (argument/result), zero copy */
	uint32_t param_len;
	uint16_t err;		/*!< enum sw_err: MAP decode error of this component, 0 none */
	uint8_t n_params;
	struct map_param params[SW_MAX_PARAMS];
};

struct map_acn;

struct sw_tcap {
	uint8_t type;		/*!< enum sw_tcap_type */
	struct sw_tid otid, dtid;
	uint8_t dialogue;	/*!< enum sw_dialogue_type */
	uint8_t acn_len;	/*!< bytes of the application context OID, 0 when absent */
	uint8_t acn[16];	/*!< the OID content octets */
	const struct map_acn *acn_info; /*!< MAP context, NULL when not a known MAP AC */
	int8_t acn_version;	/*!< last arc of a MAP AC, -1 when none */
	int8_t aare_result;	/*!< AARE result (0 accepted, 1 reject-permanent), -1 none */
	int16_t p_abort_cause;	/*!< P-Abort cause, -1 none */
	bool u_abort;		/*!< Abort carries a user abort (dialogue portion ABRT or user info) */
	struct sw_number dest_ref, orig_ref; /*!< MAP-OpenInfo destination/originationReference */
	uint8_t n_comp;
	struct sw_component comp[SW_MAX_COMPONENTS];
};

/*! One decoded message. */
struct sw_msg {
	struct sw_meta meta;
	/* mtp3, sccp and the tcap header are cleared as one block (sw_msg_reset_upper()) */
	struct sw_mtp3 mtp3;
	struct sw_sccp sccp;
	struct sw_tcap tcap;
	uint16_t err;		/*!< enum sw_err: first error that stopped the decode, 0 none */
};

/*! Nibble alphabet of TBCD-STRING (TS 29.002): 0-9, '*', '#', a-c; the 0xF filler maps to '\0'. */
extern const char sw_bcd_tbcd[16];
/*! Nibble alphabet of SCCP global title digits (Q.713): 0-9, a-f. */
extern const char sw_bcd_gt[16];
/*! An octet of two decimal BCD digits as their value (low nibble first: 0x21 -> 12), 0xff when
 *  either nibble is not 0-9: the fast path of the digit decoders. */
extern const uint8_t sw_bcd_pair[256];

/*! Decode up to n BCD digits (low nibble first) with alphabet; a nibble it maps to '\0' ends
 *  them. buf takes n + 1 bytes. \returns number of digits written (buf NUL terminated). */
unsigned sw_bcd_to_str(char *buf, const uint8_t *bcd, unsigned n, const char alphabet[16]);

/*! Decode n SCCP global title digits (low nibble first) with the sw_bcd_gt alphabet, in
 *  which every nibble is a digit. buf takes n + 1 bytes. \returns n (buf NUL terminated). */
unsigned sw_gt_digits(char *buf, const uint8_t *bcd, unsigned n);

/*! Decode a TBCD number into digits. Stops at the 0xF filler; hex digits a-e print as
 *  letters. \returns number of digits written (buf always NUL terminated). */
unsigned sw_tbcd_to_str(char *buf, unsigned buflen, const uint8_t *tbcd, unsigned len);
