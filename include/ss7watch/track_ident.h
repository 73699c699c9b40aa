/*! \file track_ident.h
 *  Recent identify steps from outside: which origin got an answer naming a subscriber's IMSI
 *  (sendRoutingInfo, SRI-for-SM, sendIMSI) and when, one entry per subscriber, origin and
 *  operation, so that several SMSCs delivering to one subscriber at once each find their own
 *  SRI-for-SM. Bounded: buckets of SW_IDENT_WAYS entries picked by a seeded hash of the IMSI;
 *  when a bucket is full its oldest entry makes room, counted as an eviction when it was
 *  younger than the table's horizon (the longest window that reads it), else as expired. */
#pragma once
#include <stdint.h>
#include <ss7watch/track_subscr.h>

/*! Entries per bucket: an IMSI's entries all live in its bucket. */
#define SW_IDENT_WAYS	8

/*! One identify step answered to an outside origin. */
struct sw_ident {
	sw_num_t imsi;		/*!< 0: free */
	uint64_t origin;	/*!< origin key (detect_origin_key(): a network or a GT) */
	sw_gt_id gt;		/*!< the asking GT, 0 when the GT table was full */
	uint32_t time;		/*!< of the request (seconds of capture time) */
	uint32_t usec;
	uint32_t frame;		/*!< of the request */
	uint32_t delivered;	/*!< last MT delivery from this origin after it, 0 none */
	sw_opcode_t opcode;	/*!< the identify operation */
	uint8_t flags;		/*!< SW_IDENT_* */
};

#define SW_IDENT_ALERTED	0x01	/*!< already part of a locate-after-identify alert */

struct sw_ident_table;

/*! Counters of the table, for stats and VTY. */
struct sw_ident_stats {
	uint64_t inserts;
	uint64_t evictions;	/*!< entries younger than the horizon that made room */
	uint64_t expired;	/*!< older entries reused */
	uint32_t count;		/*!< entries in use */
	uint32_t capacity;
};

/*! Allocate a table of at least max_entries entries (rounded up to a power of two buckets
 *  of SW_IDENT_WAYS, at least one); entries older than horizon_s seconds are no longer read.
 *  \returns NULL when out of memory. */
struct sw_ident_table *sw_ident_table_alloc(void *ctx, uint32_t max_entries, uint32_t horizon_s);
/*! Forget every entry and zero the counters, keeping the memory: afterwards t behaves as a
 *  new table. Costs a pass over the table: meant for small ones (fuzzers reuse one). */
void sw_ident_table_reset(struct sw_ident_table *t);
/*! The entry of (imsi, origin, opcode), created when there is none: a free entry of the
 *  IMSI's bucket, else its oldest one (an eviction when it is younger than the horizon at
 *  now, else expired; counted). A new entry is zero but for its key.
 *  \returns NULL only for imsi 0. */
struct sw_ident *sw_ident_get(struct sw_ident_table *t, sw_num_t imsi, uint64_t origin, sw_opcode_t opcode,
			      uint32_t now);
/*! The entry of (imsi, origin, opcode), NULL when there is none. */
struct sw_ident *sw_ident_find(struct sw_ident_table *t, sw_num_t imsi, uint64_t origin, sw_opcode_t opcode);
/*! The time of the latest entry evicted from imsi's bucket while younger than the horizon
 *  (0: none): an entry not found may have been one of them. */
uint32_t sw_ident_evicted_time(const struct sw_ident_table *t, sw_num_t imsi);
/*! The SW_IDENT_WAYS entries of the bucket imsi lives in (other IMSIs' too: compare imsi). */
struct sw_ident *sw_ident_bucket(struct sw_ident_table *t, sw_num_t imsi);
/*! Bytes of memory the table holds. */
uint64_t sw_ident_table_bytes(const struct sw_ident_table *t);
void sw_ident_table_stats(const struct sw_ident_table *t, struct sw_ident_stats *out);
