/*! \file tcap.h
 *  TCAP (ITU-T Q.773) message decoding into struct sw_tcap, and the small dialogue table
 *  that gives a result without opcode the opcode of the invoke it answers. */
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

struct tcap_optrack;

/*! A table of open dialogues remembering (invoke id -> opcode), bounded and expiring. */
struct tcap_optrack *tcap_optrack_alloc(void *ctx, uint32_t entries, uint32_t timeout_s);
/*! Remember the invokes of msg (sent by its calling party under its OTID). */
void tcap_optrack_learn(struct tcap_optrack *ot, const struct sw_msg *msg, uint64_t *evicted);
/*! Fill opcode of results in msg that lack one from the invokes they answer.
 *  \returns how many opcodes were inferred. */
unsigned tcap_optrack_infer(struct tcap_optrack *ot, struct sw_msg *msg);
