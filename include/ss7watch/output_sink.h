/*! \file output_sink.h
 *  The alert sink: one Suricata EVE JSON line per alert (output_eve.h), to a file, standard
 *  output, a stdio stream and/or syslog, with optional pseudonymisation of subscriber
 *  identities (output_pseudo.h) and a writer thread for live inputs (output_queue.h).
 *  doc/alert-schema.md describes every key of a line. The detector reaches it only through
 *  the emit hook of alert.h: sw_alert_sink_emit() with the sink as priv. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <ss7watch/alert.h>

/*! Where alerts go. Any combination of outputs may be enabled. */
struct sw_alert_sink_cfg {
	const char *path;		/*!< file (appended to), "-" for standard output, NULL none */
	FILE *stream;			/*!< an open stream (tests, embedding), NULL none */
	bool syslog;			/*!< also send each line to syslog */
	int syslog_facility;		/*!< LOG_LOCAL0 etc., 0 for LOG_USER */
	const char *syslog_ident;	/*!< NULL for "ss7watch" */
	const uint8_t *pseudo_key;	/*!< HMAC key for pseudonymisation (copied) */
	size_t pseudo_key_len;		/*!< 0: identities are written in clear */
	bool pseudo_keep_location;	/*!< pseudonymised lines keep cell/area ids and estimates */
	bool summary;			/*!< count alerts by rule, threat and calling network */
	/*! > 0: the file and syslog are written by a writer thread through a queue of this many
	 *  bytes, so a slow output never stalls the caller; a line that finds the queue full is
	 *  dropped and counted (live inputs). 0: written before sw_alert_sink_emit() returns
	 *  (replay, where nothing may be dropped). */
	size_t queue_bytes;
};

/*! Counters of a sink. */
struct sw_alert_sink_stats {
	uint64_t emitted;		/*!< alerts formatted and handed to the outputs */
	uint64_t events;		/*!< other event lines (incidents, stats) handed to the outputs */
	uint64_t events_written;	/*!< of those, lines the file (or stdout) took: a full queue
					     may shed an event line like a low-severity alert */
	uint64_t by_severity[4];	/*!< [1] high .. [3] low, [0] any other value */
	uint64_t written;		/*!< lines written completely, counted per output (file/stdout, stream) */
	uint64_t write_errors;		/*!< lines a file/stdout/stream write failed for */
	uint64_t encode_errors;		/*!< alerts that could not be formatted (not emitted) */
	uint64_t reopens;		/*!< successful reopens of the file (rotation) */
	uint64_t reopen_errors;		/*!< failed reopens (writing went on to the old file) */
	uint64_t dropped;		/*!< alerts dropped because the output queue was full (live) */
};

struct sw_alert_queue_stats;

struct sw_alert_sink;

/*! Open the outputs of cfg (talloc child of ctx).
 *  \returns the sink, or NULL with a one-line reason (path included) in err. */
struct sw_alert_sink *sw_alert_sink_open(void *ctx, const struct sw_alert_sink_cfg *cfg,
					 char *err, size_t errlen);

/*! The emit hook of alert.h (sw_alert_emit_fn), sink being the struct sw_alert_sink.
 *  An alert the filters held back (verdict other than SW_ALERT_WRITE) is ignored. Format a
 *  and write it as one line to every output: without a queue one write(2) per
 *  line, with one a writev(2) of whole lines per batch, so a crash or a rotation never leaves
 *  half a line. With a queue the line is only queued here (dropped and counted when full).
 *  \returns 0, or -1 when the alert could not be formatted or an output failed (counted). */
int sw_alert_sink_emit(void *sink, const struct sw_alert *a);

/*! Write one event line that is not an alert (an incident: output_incident.h), with its
 *  '\n', to every output as alert lines are written (queued with its severity under a
 *  writer, counted as events). sink is the struct sw_alert_sink (sw_event_line_fn).
 *  \returns 0, or -1 when an output did not take it (counted). */
int sw_alert_sink_write_event(void *sink, const char *line, size_t len, uint8_t severity);

/*! Reopen the file (after logrotate renamed it): lines already written stay in the old
 *  file, the next one goes to the new. On failure the old file is kept so nothing is lost.
 *  With a queue the writer thread reopens before its next line (lines queued before the
 *  request but not yet written go to the new file) and counts the outcome in reopens /
 *  reopen_errors; this call then returns 0 at once.
 *  Not async-signal-safe: from a signal handler use sw_alert_sink_request_reopen().
 *  \returns 0, or -1 with errno set. */
int sw_alert_sink_reopen(struct sw_alert_sink *s);

/*! Start the writer thread and its queue of queue_bytes (what cfg.queue_bytes does at open),
 *  for a daemon that must fork and block its signals first: a thread does not survive a
 *  fork, and one started before the signals are blocked could take a SIGTERM. Does nothing
 *  when there is no file or syslog output, or a writer already runs.
 *  \returns 0, or -1 with a reason in err. */
int sw_alert_sink_start_writer(struct sw_alert_sink *s, size_t queue_bytes, char *err, size_t errlen);

/*! The writer queue's counters (fill level, high-water mark). \returns false when the sink
 *  has no queue. */
bool sw_alert_sink_queue_stats(const struct sw_alert_sink *s, struct sw_alert_queue_stats *out);

struct sw_latency;

/*! Record, for every alert of a live input (in_iface set), the time from its message's
 *  arrival to its line being written (by the writer thread when there is a queue) in l.
 *  Set before the writer starts; NULL stops it. */
void sw_alert_sink_set_latency(struct sw_alert_sink *s, struct sw_latency *l);

/*! Block until every queued line is written (no-op without a queue). */
void sw_alert_sink_drain(struct sw_alert_sink *s);

/*! Async-signal-safe (SIGHUP handler): every sink reopens its file before its next line
 *  (and in sw_alert_sink_reopen_pending()). */
void sw_alert_sink_request_reopen(void);

/*! Do a reopen requested by sw_alert_sink_request_reopen() now (call from the main loop so
 *  an idle detector still releases the rotated file). \returns as sw_alert_sink_reopen(). */
int sw_alert_sink_reopen_pending(struct sw_alert_sink *s);

/*! Write every queued line, flush and close every output and free the sink. NULL is allowed. */
void sw_alert_sink_close(struct sw_alert_sink *s);

/*! Print the alert totals and, when the sink counts them (cfg.summary), alerts by rule, by
 *  threat and by calling network (--summary), most frequent first. */
void sw_alert_sink_summary(const struct sw_alert_sink *s, FILE *f);

/*! Counters of the sink. */
const struct sw_alert_sink_stats *sw_alert_sink_stats(const struct sw_alert_sink *s);
