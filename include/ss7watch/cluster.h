/*! \file cluster.h
 *  The cluster (doc/cluster.md): sensors publish one event per SCCP message to a NATS
 *  JetStream stream, workers merge the sites by capture time and run the single-box
 *  detector on them, a collector writes the alerts once.
 *
 *  This header has the parts without libnats: the versioned event record (what a worker
 *  needs to put an SCCP message back into a decoder), the reorder heap that merges the
 *  sites, and the stable alert id. cluster.c has the NATS side (built with libnats only). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <ss7watch/msg.h>

struct sw_config;
struct sw_alert;
struct sw_decoder;

/*! First byte of every event: the record's layout (doc/cluster.md). */
#define SW_EVENT_VERSION	1
/*! Bytes of the fixed part of a version 1 event, before the site name and the SCCP bytes. */
#define SW_EVENT_HDR_LEN	100
/*! Longest site name. */
#define SW_EVENT_SITE_MAX	63
/*! Longest SCCP message an event carries (an LUDT is at most a few KiB). */
#define SW_EVENT_SCCP_MAX	8192
/*! Largest event. */
#define SW_EVENT_MAX_LEN	(SW_EVENT_HDR_LEN + SW_EVENT_SITE_MAX + SW_EVENT_SCCP_MAX)

/*! Byte 9 of an event: its flags (0 in the events of a replay, as in every event before them). */
#define SW_EVENT_F_LIVE		0x01	/*!< a live run: its ids include the run (frames count from 1 again after a restart) */

/*! One decoded event; site and sccp point into the record it was parsed from. */
struct sw_event {
	const char *site;	/*!< not NUL-terminated: site_len bytes */
	uint8_t site_len;
	uint16_t seq;		/*!< the SCCP message's index within its frame (0-based) */
	uint32_t run;		/*!< the sensor run that published it (random per run) */
	uint64_t counter;	/*!< its number in that run, from 1: a worker sees gaps by it */
	bool live;		/*!< SW_EVENT_F_LIVE: the ids of what it causes include the run */
	uint64_t frame;		/*!< the site's frame number */
	struct sw_meta meta;	/*!< frame and ts included */
	struct sw_mtp3 mtp3;
	const uint8_t *sccp;
	uint32_t sccp_len;
};

/*! Why an event record was refused. */
enum sw_event_err {
	SW_EVENT_OK = 0,
	SW_EVENT_SHORT,		/*!< shorter than its fixed part */
	SW_EVENT_VERSION_BAD,	/*!< a version this build does not know */
	SW_EVENT_LENGTH,	/*!< lengths that do not add up to the record's size */
	SW_EVENT_FIELD,		/*!< a field out of its range (ip version, usec, empty site) */
	SW_EVENT_BATCH,		/*!< in a batch: site, run or counter not those its header gives */
	SW_EVENT__ERRS
};

/*! Name of an sw_event_err for counters and logs. */
const char *sw_event_err_name(enum sw_event_err e);

/*! Encode an event into buf (at least SW_EVENT_MAX_LEN bytes); flags: SW_EVENT_F_LIVE or 0.
 *  \returns its length, or 0 when the site or the SCCP message is too long. */
size_t sw_event_encode(uint8_t *buf, size_t cap, const char *site, uint32_t run, uint8_t flags, uint64_t counter,
		       uint64_t frame, uint16_t seq, const struct sw_meta *meta, const struct sw_mtp3 *mtp3, const uint8_t *sccp,
		       uint32_t sccp_len);

/*! Where an encoded event keeps its counter (the sensor re-publishes failures in its order). */
#define SW_EVENT_COUNTER_OFF	92

/*! Parse a record of len bytes from the stream (hostile: any bytes) into ev.
 *  \returns SW_EVENT_OK, or why it was refused (ev then undefined). */
enum sw_event_err sw_event_decode(struct sw_event *ev, const uint8_t *p, size_t len);

/*! First byte of a batch: many events in one message (doc/cluster.md). */
#define SW_BATCH_VERSION	2
/*! Bytes of a batch header before its site name. */
#define SW_BATCH_HDR_LEN	16
/*! Most events in one batch. */
#define SW_BATCH_EVENTS_MAX	4096
/*! Where a batch keeps the counter of its first event. */
#define SW_BATCH_FIRST_OFF	8

/*! First byte of an end-of-run message: a sensor run published all it will (doc/cluster.md). */
#define SW_RUN_END_VERSION	3
/*! Bytes of an end-of-run message before its site name (the site name ends it). */
#define SW_RUN_END_HDR_LEN	16

/*! A sensor run's end: its site, run, and the counter of its last event (0: it published none). */
struct sw_run_end {
	const char *site;	/*!< not NUL-terminated: site_len bytes, inside the message */
	uint8_t site_len;
	uint32_t run;
	uint64_t last;
};

/*! Write the end of run (site, run, last counter) into buf (SW_RUN_END_HDR_LEN + site length
 *  bytes). \returns its length, 0 for a site name that is not one */
size_t sw_run_end_encode(uint8_t *buf, const char *site, uint32_t run, uint64_t last);

/*! Parse an end-of-run message of exactly len bytes (any bytes: checked against len).
 *  \returns SW_BATCH_OK, or why it was refused (SHORT, VERSION_BAD, FIELD: a site name that is
 *  not one or bytes that must be 0, LENGTH: not exactly its size). */
enum sw_batch_err sw_run_end_decode(struct sw_run_end *e, const uint8_t *p, size_t len);

/*! A batch whose framing was checked: count records of length-prefixed events follow its
 *  header, exactly filling it. site points into the message. */
struct sw_batch {
	const char *site;	/*!< not NUL-terminated: site_len bytes */
	uint8_t site_len;
	uint16_t count;		/*!< events (1..SW_BATCH_EVENTS_MAX) */
	uint32_t run;
	uint64_t first;		/*!< counter of the first event; the others follow it by one */
	const uint8_t *recs;	/*!< the records: [u16 length][event] count times */
	size_t recs_len;
};

/*! Why a batch was refused as a whole. */
enum sw_batch_err {
	SW_BATCH_OK = 0,
	SW_BATCH_SHORT,		/*!< shorter than its header */
	SW_BATCH_VERSION_BAD,	/*!< not a batch */
	SW_BATCH_COUNT,		/*!< no events, or more than SW_BATCH_EVENTS_MAX */
	SW_BATCH_FIELD,		/*!< site name, or first counter 0 */
	SW_BATCH_LENGTH,	/*!< records that do not fill the batch exactly in count */
	SW_BATCH__ERRS
};

/*! Name of an sw_batch_err for counters and logs. */
const char *sw_batch_err_name(enum sw_batch_err e);

/*! Write a batch header into buf (SW_BATCH_HDR_LEN + site length bytes).
 *  
eturns the header's length, or 0 when the site is too long. */
size_t sw_batch_encode_hdr(uint8_t *buf, const char *site, uint32_t run, uint64_t first, uint16_t count);

/*! Check a batch of len bytes from the stream (hostile: any bytes): its header and that
 *  count records fill it exactly. The records themselves are not parsed.
 *  
eturns SW_BATCH_OK, or why it was refused (b then undefined). */
enum sw_batch_err sw_batch_decode(struct sw_batch *b, const uint8_t *p, size_t len);

/*! The next record of a checked batch: *off starts at 0.
 *  
eturns false after the last one. */
bool sw_batch_next(const struct sw_batch *b, size_t *off, const uint8_t **rec, size_t *len);

/*! Parse record i (0-based) of batch b as sw_event_decode() does, and check that it is the
 *  batch's: same site and run, counter first + i. */
enum sw_event_err sw_batch_event_decode(const struct sw_batch *b, unsigned i, struct sw_event *ev,
					 const uint8_t *rec, size_t len);

/*! Put an event back into a decoder where the sensor took it (its frame, time, meta and MTP3
 *  label) and decode its SCCP message: the decoder's stages and on_msg follow as in a replay. */
void sw_event_feed(struct sw_decoder *dec, const struct sw_event *ev);

/*! An event waiting in the reorder heap: its sort key and what the caller hangs on it. */
struct sw_reorder_item {
	uint64_t t_us;		/*!< capture time in microseconds */
	uint64_t frame;
	uint16_t seq;
	uint16_t site;		/*!< index into the caller's site table (sorted by the names' order) */
	uint32_t site_rank;	/*!< the site's rank by name: ties of time break on it */
	void *data;		/*!< the caller's (the event record) */
	void *owner;		/*!< the caller's (the NATS message that carried it) */
	uint32_t len;		/*!< the caller's (the record's length) */
};

/*! A bounded binary min-heap by (time, site rank, frame, seq). */
struct sw_reorder {
	struct sw_reorder_item *v;
	uint32_t n, cap;
};

/*! Allocate a heap of cap items (talloc child of ctx). \returns false without memory. */
bool sw_reorder_init(void *ctx, struct sw_reorder *h, uint32_t cap);
/*! Add an item; the heap must not be full. */
void sw_reorder_push(struct sw_reorder *h, const struct sw_reorder_item *it);
/*! Remove the earliest item into out. \returns false when empty. */
bool sw_reorder_pop(struct sw_reorder *h, struct sw_reorder_item *out);
/*! The earliest item, NULL when empty. */
static inline const struct sw_reorder_item *sw_reorder_top(const struct sw_reorder *h)
{
	return h->n ? &h->v[0] : NULL;
}

/*! The stable id of an alert (the alerts stream's Nats-Msg-Id): the same on every worker
 *  that processes the same events, whatever its name. Built from the rule's sid, the site,
 *  frame and SCCP sequence of the message it is about (of its first related message for an
 *  alert raised when a window expires), the component and the subscriber; \a run is that
 *  message's sensor run when it came from a live run (SW_EVENT_F_LIVE), NULL for a replay. */
void sw_cluster_alert_id(char *buf, size_t len, const struct sw_alert *a, const char *site, const uint32_t *run,
			 uint64_t frame, uint16_t seq);

/*! Command line of a cluster mode (main.c). */
struct sw_cluster_opts {
	const char *config_file;
	const char *site;		/*!< --site NAME: sensor */
	int worker;			/*!< --worker N: worker N (>= 1), 0 none */
	bool collect;			/*!< --collect: collector */
	bool check_only;		/*!< -T */
	bool summary;			/*!< --summary: counters at the end */
	bool stats_only;		/*!< --stats: the sensor also prints the decoder counters */
	bool verbose;
	const char *output;		/*!< collector: -o FILE */
	const char *const *files;	/*!< sensor: -r FILE ... */
	unsigned n_files;
	const char *filter;		/*!< sensor: -F EXPR */
	uint8_t pc_format;
};

/*! Run a cluster mode. \returns the exit status. */
int sw_cluster_main(void *ctx, const struct sw_cluster_opts *o);

struct sw_config;

/*! Does \a cfg (read from \a file) have what every cluster role needs, a cluster section with
 *  a server? \returns true, or false after saying so, naming \a mode ("--site", ...). */
bool sw_cluster_config_ok(const struct sw_config *cfg, const char *file, const char *mode);

/*! Check a site name (--site): 1..63 of letters, digits, '_' and '-' (a subject token). */
bool sw_cluster_site_valid(const char *s);

/*! The role a process takes from its config file (`role` in the cluster section) when the
 *  command line gives none of --site, --worker and --collect: one unit file runs any role. */
struct sw_cluster_role {
	const char *site;		/*!< role sensor NAME */
	int worker;			/*!< role worker N (1..999) */
	const char *collect;		/*!< role collector FILE: the collector's -o FILE */
};

/*! Parse `role KIND ARG` (KIND sensor, worker or collector) into \a r (its strings point
 *  into \a arg). \returns true, or false with the reason in \a err. */
bool sw_cluster_role_parse(struct sw_cluster_role *r, const char *kind, const char *arg, char *err, size_t errlen);

/*! Find the `role` line of the cluster section of config file \a path without reading the
 *  rest (the role decides which loader reads it). \returns true and the role in \a r (strings
 *  allocated on \a ctx) when the file has a well-formed one; false otherwise (no role, or
 *  a bad one, which the loader then refuses with FILE:LINE: reason). */
bool sw_cluster_role_peek(void *ctx, const char *path, struct sw_cluster_role *r);

/* The daemon's live sensor (`ss7watch -c CFG --site NAME` without -r, doc/cluster.md): the
 * daemon's inputs' decoders give every SCCP message to the sensor's publishing core, which
 * src/cluster_sensor.c shares with the replay of captures. One per process. */

/*! Start the live sensor of site \a site with the cluster section of \a cfg: connect to its
 *  servers, make sure both streams exist, draw the run's id, register the cluster_sensor
 *  counter group (on the daemon's VTY, CTRL and statsd) and the osmo_select timers (batch-ms,
 *  the counters). Call after any fork (libnats has threads).
 *  \returns 0, or -1 after printing why (without libnats: that the mode needs it). */
int sw_cluster_sensor_start(void *ctx, const struct sw_config *cfg, const char *site);

/*! The SCCP tap of a live sensor's decoders (dec->on_sccp): the message becomes an event of
 *  the batch being filled (live: its ids include the run, frames count over all inputs).
 *  \returns true: consumed, neither parsed nor detected. */
bool sw_cluster_sensor_tap(struct sw_decoder *dec, const uint8_t *sccp, uint32_t len, void *priv);

/*! A message a live sensor's decoder delivered instead of tapping (SUA, or malformed below
 *  SCCP): counted as not published. */
void sw_cluster_sensor_untapped(struct sw_decoder *dec, struct sw_msg *msg);

/*! Stop the live sensor: publish the partial batch, wait (at most a minute) for every
 *  acknowledgement, print the `cluster sensor SITE: ...` summary and disconnect.
 *  \returns 0, or 1 after naming the count of events not acknowledged. */
int sw_cluster_sensor_stop(void);
