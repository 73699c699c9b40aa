/*! \file tcap.h
 *  TCAP (ITU-T Q.773) message decoding into struct sw_tcap. */
#pragma once
#include <stdint.h>
#include <ss7watch/msg.h>

/*! Decode a TCAP message: type, TIDs, dialogue portion (AC name, MAP-OpenInfo),
 *  components (not yet their MAP parameters: see map_decode_component()).
 *  \returns 0, or a negative enum sw_err. On error t holds what was decoded so far. */
int tcap_decode(struct sw_tcap *t, const uint8_t *data, uint32_t len);

/*! Name of a TCAP message type ("begin", ...). */
const char *tcap_type_name(enum sw_tcap_type t);
/*! Name of a component type ("invoke", "returnResultLast", ...). */
const char *tcap_comp_type_name(enum sw_comp_type t);
