/*! \file track_subscr.h
 *  The subscriber table: roaming state per IMSI (serving MSC/VLR and SGSN, since when, from
 *  which operation) and the recent operations the correlation rules need, with a MSISDN
 *  index. Compact (<= 64 bytes per subscriber including both indexes), growing with the
 *  subscribers seen up to a bound: when full, the least recently used subscriber is
 *  evicted and counted. */
#pragma once
#include <stdint.h>
#include <stdbool.h>

/*! A number (IMSI or E.164 MSISDN, up to 15 digits) packed into 64 bits:
 *  digits as a decimal value in the low 60 bits, digit count in the top 4 bits (so "0049"
 *  and "49" differ). 0 means "none". */
typedef uint64_t sw_num_t;

/*! Pack a digit string (up to 15 decimal digits). \returns 0 when s is not such a string. */
sw_num_t sw_num_pack(const char *s);
/*! Pack TBCD digits (up to the 0xF filler) without going through text: the same value as
 *  sw_num_pack() of sw_tbcd_to_str(). \returns 0 when they are not 1-15 decimal digits. */
sw_num_t sw_num_from_tbcd(const uint8_t *tbcd, unsigned len);
/*! Unpack into buf (>= 16 bytes). \returns digits written. */
unsigned sw_num_unpack(sw_num_t n, char *buf);
/*! The MCC (first three digits), and the two- and three-digit MNC candidates after it, of a
 *  packed IMSI, without unpacking it: -1 for each that the number is too short for. */
void sw_num_plmn(sw_num_t imsi, int *mcc, int *mnc2, int *mnc3);

/*! Interned GT: a small integer naming a global title string (0 = none). Serving nodes and
 *  calling GTs are stored as these, not as strings. */
typedef uint32_t sw_gt_id;

struct sw_gt_table;

/*! A GT as a key that needs no table: its packed digits (sw_num_pack()) when it is 1-15
 *  decimal digits, else a seeded hash of its digits with the top four bits 0 and bit 59 set,
 *  which no packed number has (their top four bits count the digits). 0 for no GT. Keys the
 *  correlation windows, which must keep counting when the intern table is full. */
sw_num_t sw_gt_key(const char *digits);

/*! Counters of a GT intern table. */
struct sw_gt_stats {
	uint64_t full;		/*!< interns refused because the table was full */
	uint64_t probe_limit;	/*!< interns refused after GT_PROBE_MAX probes (colliding keys) */
	uint32_t count, capacity;
};

/*! Allocate an intern table for at most max_gts distinct GTs (ids are 1..max_gts, dense,
 *  so they can index per-GT arrays). Never evicts: an id stays valid. */
struct sw_gt_table *sw_gt_table_alloc(void *ctx, uint32_t max_gts);
/*! Forget every GT (ids start at 1 again) and zero the counters, keeping the memory.
 *  Costs one index probe per GT interned, whatever the table's size. */
void sw_gt_table_reset(struct sw_gt_table *t);
/*! Intern digits (up to 40 characters, as in sw_sccp_addr.digits). \returns 0 when digits
 *  is NULL, empty or too long, or when the table is full (counted in sw_gt_stats.full;
 *  the digit store holds 16 bytes per GT on average, so very long GTs can fill it early). */
sw_gt_id sw_gt_intern(struct sw_gt_table *t, const char *digits);
/*! sw_gt_intern() of digits whose length is known (len == strlen(digits)): the SCCP
 *  decoder counted them, and every message interns its calling and called GT. */
sw_gt_id sw_gt_intern_len(struct sw_gt_table *t, const char *digits, size_t len);
/*! The digits of an interned GT ("" for 0 or an unknown id). */
const char *sw_gt_str(const struct sw_gt_table *t, sw_gt_id id);
void sw_gt_table_stats(const struct sw_gt_table *t, struct sw_gt_stats *out);

/*! Which operation last established a piece of state (MAP opcode, 0 = none). */
typedef uint8_t sw_opcode_t;

/*! Roaming state and recent operations of one subscriber. Times are seconds of capture time
 *  (time_t truncated to 32 bits is enough for relative comparisons within decades).
 *  A pointer to it is valid until the next sw_subscr_get() of an unknown IMSI (which may
 *  grow the table or evict it). imsi and msisdn are read-only: use sw_subscr_set_msisdn(). */
struct sw_subscr {
	sw_num_t imsi;
	sw_num_t msisdn;	/*!< 0 = unknown */
	sw_gt_id vlr;		/*!< serving MSC/VLR GT */
	sw_gt_id sgsn;		/*!< serving SGSN GT */
	uint32_t vlr_since;	/*!< when the VLR was established */
	uint32_t sgsn_since;
	/* the latest proof that the phone itself was somewhere (an accepted registration, a
	 * delivered or sent short message, a located PSI/ATI answer, a procedure of the serving
	 * VLR): an HLR's record of the VLR is not one, the phone may be off on a plane */
	uint32_t pres_time;	/*!< when, 0: no proof seen */
	sw_gt_id pres_gt;	/*!< the node it was at (0 when the GT table was full) */
	uint32_t pres_frame;	/*!< the frame that proved it */
	sw_opcode_t vlr_op;	/*!< operation that established vlr (2 updateLocation, 70 PSI ...) */
	sw_opcode_t sgsn_op;
	sw_opcode_t pres_op;	/*!< the operation that proved it */
	uint8_t flags;		/*!< SW_SUBSCR_* */
};

#define SW_SUBSCR_HOME		0x01	/*!< IMSI of the home network */

struct sw_subscr_table;

/*! Counters of the table, for stats and VTY. */
struct sw_subscr_stats {
	uint64_t lookups, inserts, evictions;
	uint64_t msisdn_index_full;	/*!< MSISDNs not indexed: both their buckets full */
	uint64_t grows;		/*!< times the table doubled */
	uint64_t grow_failures;	/*!< doublings refused for lack of memory (it then evicts) */
	uint32_t count;
	uint32_t capacity;	/*!< subscribers the table holds now */
	uint32_t max_capacity;	/*!< what it may grow to (the configured maximum) */
};

/*! The two MSISDN index buckets of msisdn (the second in *other): a test builds
 *  collisions with it. */
uint32_t sw_subscr_msisdn_buckets(const struct sw_subscr_table *t, sw_num_t msisdn, uint32_t *other);

/*! Allocate a table for at most max_subscribers (rounded up to a multiple of 5, at least
 *  10, at most 2^31), 61.2 bytes per subscriber it holds. With preallocate, all of it is
 *  allocated and touched here (no rehash ever runs on the packet path); otherwise it starts
 *  at 65536 subscribers and doubles as they arrive, up to max_subscribers.
 *  \returns NULL when out of memory. */
struct sw_subscr_table *sw_subscr_table_alloc(void *ctx, uint32_t max_subscribers, bool preallocate);
/*! Forget every subscriber and zero the counters, keeping the memory (a grown table goes
 *  back to the size it started at): afterwards t behaves as a new table. Costs a pass over
 *  the table's arrays: meant for small tables (fuzzers reuse one). */
void sw_subscr_table_reset(struct sw_subscr_table *t);
/*! Find by IMSI; NULL when unknown (or imsi is 0). Marks the entry recently used. */
struct sw_subscr *sw_subscr_find(struct sw_subscr_table *t, sw_num_t imsi);
/*! Find by MSISDN; NULL when unknown (or msisdn is 0). Marks the entry recently used. */
struct sw_subscr *sw_subscr_find_msisdn(struct sw_subscr_table *t, sw_num_t msisdn);
/*! Find or create by IMSI. When both buckets the IMSI may live in are full, the least
 *  recently used of their 10 subscribers is evicted (counted). A new entry is all zero but
 *  for imsi. \returns NULL only for imsi 0. */
struct sw_subscr *sw_subscr_get(struct sw_subscr_table *t, sw_num_t imsi);
/*! Set, change or clear (0) the MSISDN of s and index it. An MSISDN belongs to at most one
 *  subscriber: if another one had it, its msisdn becomes 0. */
void sw_subscr_set_msisdn(struct sw_subscr_table *t, struct sw_subscr *s, sw_num_t msisdn);
/*! Hint that imsi will be looked up soon: start loading its buckets. Issue it for a batch of
 *  messages before their lookups to overlap the cache misses. */
void sw_subscr_prefetch(const struct sw_subscr_table *t, sw_num_t imsi);
/*! Hint that msisdn will be looked up soon: start loading its index slot (the record it
 *  names is a second miss, which the lookup takes). */
void sw_subscr_prefetch_msisdn(const struct sw_subscr_table *t, sw_num_t msisdn);
/*! Bytes of memory the table holds (both indexes), for the per-subscriber figure. */
uint64_t sw_subscr_table_bytes(const struct sw_subscr_table *t);
void sw_subscr_table_stats(const struct sw_subscr_table *t, struct sw_subscr_stats *out);
