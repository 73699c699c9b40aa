/*! \file counters.h
 *  Every counter of the decode pipeline, and every decode error, as tables.
 *  The hot path only does st->ctr[SW_CTR_X]++; names and descriptions are used at output
 *  (--stats, VTY, CTRL, statsd) and come from the same tables. */
#pragma once
#include <stdint.h>
#include <ss7watch/err_lower.h>
#include <ss7watch/err_upper.h>

/*! Decode errors: a malformed message at one layer. Index 0 means "no error". */
enum sw_err {
	SW_E_NONE = 0,
#define X(e, layer, reason) SW_E_##e,
	SW_ERRORS_LOWER(X)
	SW_ERRORS_UPPER(X)
#undef X
	SW_E__COUNT
};

/*! Layer name of a decode error ("sctp", "tcap", ...). */
const char *sw_err_layer(enum sw_err e);
/*! Reason of a decode error ("truncated", ...). */
const char *sw_err_reason(enum sw_err e);

/* X(ENUM_SUFFIX, "name", "description") */
#define SW_COUNTERS(X) \
	X(FRAMES,		"frames",		"Frames read from all inputs") \
	X(BYTES,		"bytes",		"Bytes of frames read") \
	X(LINK_UNKNOWN_ETHERTYPE, "link.other_ethertype", "Frames with an ethertype that is not IP") \
	X(IP_PACKETS,		"ip.packets",		"IPv4 and IPv6 packets") \
	X(IP_FRAGMENTS,		"ip.fragments",		"IP fragments (counted and skipped)") \
	X(IP_NOT_SCTP,		"ip.not_sctp",		"IP packets that do not carry SCTP") \
	X(SCTP_PACKETS,		"sctp.packets",		"SCTP packets") \
	X(SCTP_CHUNKS,		"sctp.chunks",		"SCTP chunks of all types") \
	X(SCTP_DATA_CHUNKS,	"sctp.data_chunks",	"SCTP DATA chunks") \
	X(SCTP_OTHER_CHUNKS,	"sctp.other_chunks",	"SCTP control chunks (INIT, SACK, HEARTBEAT, ...)") \
	X(SCTP_PPID_M3UA,	"sctp.ppid.m3ua",	"DATA chunks with PPID 3 (M3UA)") \
	X(SCTP_PPID_M2UA,	"sctp.ppid.m2ua",	"DATA chunks with PPID 2 (M2UA)") \
	X(SCTP_PPID_M2PA,	"sctp.ppid.m2pa",	"DATA chunks with PPID 5 (M2PA)") \
	X(SCTP_PPID_SUA,	"sctp.ppid.sua",	"DATA chunks with PPID 4 (SUA)") \
	X(SCTP_PPID_OTHER,	"sctp.ppid.other",	"DATA chunks with another PPID") \
	X(SCTP_RETRANSMISSIONS,	"sctp.retransmissions",	"DATA chunks whose TSN was already seen (dropped)") \
	X(SCTP_FRAGMENTS,	"sctp.fragments",	"DATA chunks that are fragments of a user message") \
	X(SCTP_REASSEMBLED,	"sctp.reassembled",	"User messages reassembled from fragments") \
	X(M3UA_MESSAGES,	"m3ua.messages",	"M3UA messages") \
	X(M3UA_DATA,		"m3ua.data",		"M3UA DATA messages") \
	X(M3UA_OTHER,		"m3ua.other",		"M3UA management, ASPSM, ASPTM, SSNM, RKM messages") \
	X(M2PA_USER_DATA,	"m2pa.user_data",	"M2PA user data messages") \
	X(M2PA_OTHER,		"m2pa.other",		"M2PA link status and other messages") \
	X(M2UA_DATA,		"m2ua.data",		"M2UA DATA messages") \
	X(M2UA_OTHER,		"m2ua.other",		"M2UA other messages") \
	X(MTP2_FISU_LSSU,	"mtp2.fisu_lssu",	"MTP2 fill-in and link status signal units") \
	X(MTP3_MSUS,		"mtp3.msus",		"MTP3 MSUs (any transport)") \
	X(MTP3_SI_SCCP,		"mtp3.si_sccp",		"MSUs with SI 3 (SCCP)") \
	X(MTP3_SI_OTHER,	"mtp3.si_other",	"MSUs with another SI (ISUP, SNM, ...)") \
	X(SUA_MESSAGES,		"sua.messages",		"SUA messages") \
	X(SUA_CLDT,		"sua.cldt",		"SUA CLDT messages") \
	X(SUA_OTHER,		"sua.other",		"SUA messages other than CLDT") \
	X(SCCP_MESSAGES,	"sccp.messages",	"SCCP messages") \
	X(SCCP_UDT,		"sccp.udt",		"SCCP UDT") \
	X(SCCP_XUDT,		"sccp.xudt",		"SCCP XUDT") \
	X(SCCP_UDTS,		"sccp.udts",		"SCCP UDTS") \
	X(SCCP_XUDTS,		"sccp.xudts",		"SCCP XUDTS") \
	X(SCCP_LUDT,		"sccp.ludt",		"SCCP LUDT and LUDTS") \
	X(SCCP_OTHER,		"sccp.other",		"SCCP connection-oriented and other types") \
	X(SCCP_SEGMENTS,	"sccp.segments",	"XUDT segments received") \
	X(SCCP_REASSEMBLED,	"sccp.reassembled",	"Messages reassembled from XUDT segments") \
	X(TCAP_MESSAGES,	"tcap.messages",	"TCAP messages") \
	X(TCAP_BEGIN,		"tcap.begin",		"TCAP Begin") \
	X(TCAP_CONTINUE,	"tcap.continue",	"TCAP Continue") \
	X(TCAP_END,		"tcap.end",		"TCAP End") \
	X(TCAP_ABORT,		"tcap.abort",		"TCAP Abort") \
	X(TCAP_UNIDIRECTIONAL,	"tcap.unidirectional",	"TCAP Unidirectional") \
	X(TCAP_NOT_MAP,		"tcap.not_map",		"TCAP dialogues whose application context is not MAP") \
	X(MAP_COMPONENTS,	"map.components",	"MAP components") \
	X(MAP_INVOKE,		"map.invoke",		"Invoke components") \
	X(MAP_RESULT,		"map.result",		"ReturnResult(Last) components") \
	X(MAP_ERROR,		"map.error",		"ReturnError components") \
	X(MAP_REJECT,		"map.reject",		"Reject components") \
	X(MAP_OPCODE_INFERRED,	"map.opcode_inferred",	"Results whose opcode was taken from the matching invoke") \
	X(DECODE_ERRORS,	"decode_errors",	"Messages with a decode error at any layer") \
	X(TXN_EVICTED,		"txn.evicted",		"Opcode-tracking transactions evicted when the table was full") \
	X(SCTP_PPID_BY_PORT,	"sctp.ppid_by_port",	"DATA chunks with PPID 0 whose protocol was taken from the port") \
	X(SCCP_MANAGEMENT,	"sccp.management",	"SCCP management (SSN 1) messages: not TCAP, not delivered") \
	/* end */

/*! Counters of the pipeline. */
enum sw_ctr {
#define X(e, name, desc) SW_CTR_##e,
	SW_COUNTERS(X)
#undef X
	SW_CTR__COUNT
};

/*! All counters of one decoder. Plain integers: the hot path increments, readers copy. */
struct sw_stats {
	uint64_t ctr[SW_CTR__COUNT];
	uint64_t err[SW_E__COUNT];
	uint64_t map_invoke_by_opcode[256];
	uint64_t map_result_by_opcode[256];
};

/*! Name ("sctp.chunks") of a counter. */
const char *sw_ctr_name(enum sw_ctr c);
/*! One-line description of a counter. */
const char *sw_ctr_desc(enum sw_ctr c);
