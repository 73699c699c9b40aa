/*! \file output_queue.h
 *  A bounded queue of formatted alert lines between the packet path and a writer thread, so
 *  a slow or blocked output (a full disk, a stalled NFS mount, a pipe nobody reads, a busy
 *  syslog) never stalls the decoding of live traffic. When it is stopped, every queued line
 *  is written first.
 *
 *  When it is full it sheds by severity: lines of each severity wait in a ring of their own
 *  under one shared byte budget, and a line that does not fit pushes out the oldest lines of
 *  the lowest severity queued below its own; when nothing lower is queued, the new line is
 *  the one dropped. So a severity-1 line is kept as long as anything lower is queued. The
 *  writer takes lines from the rings in the order they were pushed. Drops are counted per
 *  severity.
 *
 *  One producer (the thread that raises alerts), one consumer (the writer thread). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

struct sw_alert_queue;

/*! A queued line as the writer sees it. */
struct sw_alert_queue_line {
	const char *line;	/*!< with its '\n' */
	size_t len;
	uint8_t severity;
	bool event;			/*!< an event line (incident, stats), not an alert */
	const struct timeval *arrival;	/*!< what was pushed with it (NULL: none) */
};

/*! Most lines handed to the write callback at once. */
#define SW_ALERT_QUEUE_BATCH	64

/*! Writes n (1..SW_ALERT_QUEUE_BATCH) lines, in queue order, to the outputs; runs on the
 *  writer thread. Everything queued while the writer was busy comes in one call, so a
 *  burst costs one wakeup and one writev(2), not one of each per line. */
typedef void (*sw_alert_queue_write_cb)(void *priv, const struct sw_alert_queue_line *lines, unsigned n);

/*! Called on the writer thread before each line and once more when it is idle, to do work
 *  that must be ordered with the writes (reopening the file after a rotation). */
typedef void (*sw_alert_queue_idle_cb)(void *priv);

/*! Start the writer thread with a ring of bytes bytes (at least 4096).
 *  \returns the queue (talloc child of ctx), or NULL with errno set. */
struct sw_alert_queue *sw_alert_queue_start(void *ctx, size_t bytes, sw_alert_queue_write_cb write,
					    sw_alert_queue_idle_cb before_write, void *priv);

/*! Queue a copy of line, with its severity (1 high .. 3 low; any other value counts as 3),
 *  whether it is an event line rather than an alert, and arrival time (NULL: none). Never blocks. May push out queued lines of a lower severity
 *  (counted in dropped_by_severity).
 *  \returns true, or false when the line itself was dropped (no room, nothing lower to push
 *  out; counted). */
bool sw_alert_queue_push(struct sw_alert_queue *q, const char *line, size_t len, uint8_t severity, bool event,
			 const struct timeval *arrival);

/*! Wake the writer so that before_write runs soon even when no line is queued. */
void sw_alert_queue_kick(struct sw_alert_queue *q);

/*! Block until every line queued so far has been written. */
void sw_alert_queue_drain(struct sw_alert_queue *q);

/*! Write what is queued, stop the thread and free the queue (NULL allowed). */
void sw_alert_queue_stop(struct sw_alert_queue *q);

/*! Counters of a queue. */
struct sw_alert_queue_stats {
	uint64_t queued;	/*!< lines accepted */
	uint64_t dropped;	/*!< lines refused or pushed out because the queue was full */
	uint64_t dropped_by_severity[4];	/*!< [1] .. [3]; [0] unused */
	uint64_t written;	/*!< lines handed to the write callback */
	uint32_t bytes;		/*!< ring size */
	uint32_t used;		/*!< bytes queued now */
	uint32_t high_water;	/*!< most bytes ever queued at once */
};

void sw_alert_queue_stats(struct sw_alert_queue *q, struct sw_alert_queue_stats *out);
