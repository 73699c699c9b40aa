/*! \file err_upper.h
 *  Decode errors of TCAP and MAP, as an X-macro table.
 *  X(ENUM_SUFFIX, "layer", "reason"). Owned by the TCAP/MAP decoders; append only. */
#pragma once

#define SW_ERRORS_UPPER(X) \
	X(BER_TRUNCATED,	"tcap",	"ber_truncated") \
	X(BER_BAD_LENGTH,	"tcap",	"ber_bad_length") \
	X(BER_TAG_TOO_LONG,	"tcap",	"ber_tag_too_long") \
	X(BER_TOO_DEEP,		"tcap",	"ber_nesting_too_deep") \
	X(TCAP_UNKNOWN_TYPE,	"tcap",	"unknown_message_type") \
	X(TCAP_BAD_TID,		"tcap",	"bad_transaction_id") \
	X(TCAP_MISSING_TID,	"tcap",	"missing_transaction_id") \
	X(TCAP_BAD_DIALOGUE,	"tcap",	"bad_dialogue_portion") \
	X(TCAP_BAD_COMPONENT,	"tcap",	"bad_component") \
	X(TCAP_TOO_MANY_COMPONENTS, "tcap", "too_many_components") \
	X(MAP_BAD_PARAMETER,	"map",	"bad_parameter") \
	X(MAP_BAD_ADDRESS,	"map",	"bad_address_string") \
	X(MAP_TOO_MANY_PARAMS,	"map",	"too_many_parameters") \
	/* end */
