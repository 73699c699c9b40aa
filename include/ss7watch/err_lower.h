/*! \file err_lower.h
 *  Decode errors of the transport layers (link .. SCCP), as an X-macro table.
 *  X(ENUM_SUFFIX, "layer", "reason"). Owned by the lower-layer decoders; append only. */
#pragma once

#define SW_ERRORS_LOWER(X) \
	X(LINK_TRUNCATED,	"link",	"truncated") \
	X(LINK_VLAN_DEPTH,	"link",	"too_many_vlan_tags") \
	X(IP_TRUNCATED,		"ip",	"truncated") \
	X(IP_BAD_VERSION,	"ip",	"bad_version") \
	X(IP_BAD_HDR_LEN,	"ip",	"bad_header_length") \
	X(IP_BAD_TOTAL_LEN,	"ip",	"bad_total_length") \
	X(IP_BAD_EXT_HDR,	"ip",	"bad_extension_header") \
	X(SCTP_TRUNCATED,	"sctp",	"truncated") \
	X(SCTP_BAD_CHUNK_LEN,	"sctp",	"bad_chunk_length") \
	X(SCTP_REASM_OVERFLOW,	"sctp",	"reassembly_overflow") \
	X(SCTP_REASM_GAP,	"sctp",	"reassembly_gap") \
	X(M3UA_TRUNCATED,	"m3ua",	"truncated") \
	X(M3UA_BAD_VERSION,	"m3ua",	"bad_version") \
	X(M3UA_BAD_LENGTH,	"m3ua",	"bad_length") \
	X(M3UA_BAD_PARAM_LEN,	"m3ua",	"bad_parameter_length") \
	X(M3UA_NO_PROTOCOL_DATA, "m3ua", "no_protocol_data") \
	X(M2PA_TRUNCATED,	"m2pa",	"truncated") \
	X(M2PA_BAD_LENGTH,	"m2pa",	"bad_length") \
	X(M2UA_TRUNCATED,	"m2ua",	"truncated") \
	X(M2UA_BAD_LENGTH,	"m2ua",	"bad_length") \
	X(MTP3_TRUNCATED,	"mtp3",	"truncated") \
	X(SUA_TRUNCATED,	"sua",	"truncated") \
	X(SUA_BAD_LENGTH,	"sua",	"bad_length") \
	X(SUA_BAD_ADDRESS,	"sua",	"bad_address") \
	X(SUA_NO_DATA,		"sua",	"no_data") \
	X(SCCP_TRUNCATED,	"sccp",	"truncated") \
	X(SCCP_BAD_POINTER,	"sccp",	"bad_pointer") \
	X(SCCP_BAD_ADDRESS,	"sccp",	"bad_address") \
	X(SCCP_GT_TOO_LONG,	"sccp",	"gt_too_long") \
	X(SCCP_BAD_OPTIONAL,	"sccp",	"bad_optional_part") \
	X(SCCP_SEGMENT_OVERFLOW, "sccp", "segment_overflow") \
	X(SCCP_SEGMENT_GAP,	"sccp",	"segment_gap") \
	X(M2UA_NO_PROTOCOL_DATA, "m2ua", "no_protocol_data") \
	X(M2UA_BAD_VERSION,	"m2ua",	"bad_version") \
	X(M2PA_BAD_VERSION,	"m2pa",	"bad_version") \
	X(MTP2_TRUNCATED,	"mtp2",	"truncated") \
	X(SUA_BAD_VERSION,	"sua",	"bad_version") \
	/* end */
