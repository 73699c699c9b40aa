/*! \file track_dialogue.h
 *  The detector's TCAP transaction table: what each open dialogue asked, so a result, error
 *  or abort is attributed to the request it answers (who asked, about whom, when, in which
 *  frame). Keyed by the TID the requester allocated and the requester's GT; set-associative
 *  buckets, so it is bounded without chains: a full bucket evicts its oldest entry. */
#pragma once
#include <stdint.h>
#include <ss7watch/msg.h>
#include <ss7watch/track_subscr.h>

/*! One outstanding invoke. */
struct sw_txn_req {
	sw_num_t imsi;		/*!< subscriber the request named (0 unknown) */
	sw_num_t msisdn;
	sw_gt_id caller;	/*!< calling GT of the request */
	sw_gt_id aux_gt;	/*!< updateLocation: the VLR number it names (serves if accepted) */
	uint32_t frame;
	uint32_t time;		/*!< seconds */
	uint32_t usec : 24;	/*!< < 10^6 */
	uint32_t input : 8;	/*!< sw_meta.input of the request: its capture input (a worker's site) */
	int16_t invoke_id;
	uint8_t opcode;
	uint8_t flags;		/*!< SW_TXN_* */
};

#define SW_TXN_CALLER_HOME	0x01	/*!< the requester is in the home network */
#define SW_TXN_SM_MT		0x02	/*!< a MAP v1/v2 forwardSM carrying an MT short message */
#define SW_TXN_DIR_KNOWN	0x04	/*!< the traffic direction of the request is kept: */
#define SW_TXN_DIR_SHIFT	3	/*!< ... enum sw_direction in these two bits */
#define SW_TXN_DIR_MASK		0x18

struct sw_txn_table;

struct sw_txn_stats {
	uint64_t inserted, matched, unmatched, expired, evicted, closed;
	uint64_t grows;		/*!< times the table doubled */
	uint64_t grow_failures;	/*!< doublings refused for lack of memory (it then evicts) */
	uint32_t capacity;	/*!< dialogues the table holds now */
	uint32_t max_capacity;	/*!< what it may grow to */
};

/*! Allocate a table for max_dialogues open dialogues (rounded up to whole buckets of 8, a
 *  power of two). With preallocate it has that size from the start; otherwise it starts at
 *  8192 and doubles whenever a new dialogue would evict an open one, up to max_dialogues.
 *  A request pointer from this table is valid until the next sw_txn_add(). */
struct sw_txn_table *sw_txn_table_alloc(void *ctx, uint32_t max_dialogues, uint32_t timeout_s, bool preallocate);
/*! Forget every dialogue and zero the counters, keeping the memory (a grown table goes back
 *  to the size it started at): afterwards t behaves as a new table. Costs a pass over the
 *  buckets: meant for small tables (fuzzers reuse one). */
void sw_txn_table_reset(struct sw_txn_table *t);

/*! Slot for a new invoke in the dialogue (tid, owner): owner is the GT of the side that
 *  allocated tid. The caller fills the returned request. */
struct sw_txn_req *sw_txn_add(struct sw_txn_table *t, const struct sw_tid *tid, sw_gt_id owner,
			      int16_t invoke_id, uint32_t now);

/*! The invoke that a result/error with invoke_id answers, in the dialogue the peer names by
 *  tid (our side: owner = the GT the answer is sent to). When GT translation rewrote the
 *  address, a unique dialogue with that tid is accepted. NULL when not seen. */
const struct sw_txn_req *sw_txn_find(struct sw_txn_table *t, const struct sw_tid *tid, sw_gt_id owner,
				     int16_t invoke_id, uint32_t now);

/*! Start loading the bucket of tid into the cache (the lookup follows a little later). */
void sw_txn_prefetch(const struct sw_txn_table *t, const struct sw_tid *tid);

/*! The dialogue ended (End, Abort): forget it. */
void sw_txn_close(struct sw_txn_table *t, const struct sw_tid *tid, sw_gt_id owner, uint32_t now);

void sw_txn_table_stats(const struct sw_txn_table *t, struct sw_txn_stats *out);
