/*! \file track_pairing.h
 *  Result -> invoke pairing: a TCAP ReturnResult(Last) or ReturnError carries only the invoke
 *  id unless its sender adds the opcode. A bounded, expiring table of the invokes of open
 *  dialogues gives such a result the opcode of the invoke it answers. In the pipeline it runs
 *  between TCAP and MAP decoding (track_pairing_attach()), so MAP decodes the result as an
 *  answer to that operation and --dump and --stats name it. */
#pragma once
#include <stdint.h>
#include <ss7watch/msg.h>

struct sw_decoder;
struct track_pairing;

/*! A table of open dialogues remembering (invoke id -> opcode) of at most entries dialogues,
 *  each forgotten timeout_s after it was last seen. \returns NULL when entries is 0 or out of
 *  memory. */
struct track_pairing *track_pairing_alloc(void *ctx, uint32_t entries, uint32_t timeout_s);
/*! Forget every dialogue, keeping the memory: afterwards tp pairs as a new table would.
 *  Costs a pass over the index and the entries' links (fuzzers reuse one table). */
void track_pairing_reset(struct track_pairing *tp);
/*! Remember the invokes of msg (sent by its calling party under its OTID); forget a dialogue
 *  its End or Abort closes. Adds to *evicted (may be NULL) the dialogues that had to make room. */
void track_pairing_learn(struct track_pairing *tp, const struct sw_msg *msg, uint64_t *evicted);
/*! Fill opcode of results in msg that lack one from the invokes they answer.
 *  \returns how many opcodes were inferred. */
unsigned track_pairing_infer(struct track_pairing *tp, struct sw_msg *msg);

/*! Make the pairing a stage of dec's pipeline (sw_on_tcap_t): every TCAP message first gets
 *  the opcodes of its answers, then teaches the table its invokes; counted in dec's counters
 *  as map.opcode_inferred and txn.evicted. The table (entries dialogues, 0: 65536; timeout_s,
 *  0: 60 s) belongs to dec. \returns it, or NULL when out of memory. */
struct track_pairing *track_pairing_attach(struct sw_decoder *dec, uint32_t entries, uint32_t timeout_s);
