/* What the cluster roles share (src/cluster.c): the connection, the streams, asynchronous
 * publishing with retries, the clock and the stop flag. Private to src/cluster*.c, built
 * with libnats only. */
#pragma once

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nats/nats.h>
#include <ss7watch/cluster.h>
#include <ss7watch/config.h>
#include <ss7watch/decode.h>

#define MS		1000000LL	/* nanoseconds of a millisecond (JetStream durations) */

/* Messages whose publish failed (an error or no acknowledgement in time: a node lost, a
 * leader being elected) wait here for the main thread to publish them again; their
 * Nats-Msg-Id makes a second copy harmless. */
struct cl_pub {
	jsCtx *js;
	pthread_mutex_t mu;
	natsMsg **failed;
	unsigned n_failed, cap;
	bool ordered;		/* events: failures are published again in their counter's order */
	/* the acknowledgement callback runs on a libnats thread */
	uint64_t published, acked, duplicates, errors, retries;
	/* events: the events in those messages (one for an alert) */
	uint64_t ev_acked, ev_duplicates, ev_errors;
};

/* set by SIGINT / SIGTERM: every role's loop ends */
extern volatile sig_atomic_t cl_stop_requested;
/* the configuration's cluster section */
extern const struct sw_config_cluster *cl_cfg;
/* "sensor a", "worker-1", "collector": log lines say who */
extern const char *cl_role;

/*! \returns the monotonic clock in milliseconds */
int64_t cl_now_ms(void);
/*! \returns the wall clock in seconds */
double cl_now_s(void);
/*! Sleep \a ms milliseconds. */
void cl_sleep_ms(unsigned ms);
/*! SIGINT and SIGTERM set cl_stop_requested (and stop a replay); SIGPIPE is ignored. */
void cl_install_signals(void);

/*! Connect to the configured servers, reconnecting for ever. \returns NULL after printing why */
natsConnection *cl_connect(void);
/*! Both streams exist (created as configured when missing). \returns 0, or -1 after printing why */
int cl_ensure_streams(jsCtx *js);
/*! The hash seed every worker uses (the scan estimate counts hash bits: replicas must agree),
 *  key "hash-seed" of the key-value bucket STREAM-EVENTS_STATE (named into \a bucket): the
 *  first worker's own random seed, read by the others. \returns 0, or -1 after printing why */
int cl_shared_seed(jsCtx *js, uint64_t *seed, char *bucket, size_t bucket_len);
/*! PREFIX.events.SITE into \a buf */
void cl_events_subject(char *buf, size_t len, const char *site);
/*! PREFIX.alerts into \a buf */
void cl_alerts_subject(char *buf, size_t len);
/*! The stream sequence, delivery count and pending count of a JetStream message, from its
 * reply subject. \returns false when it has none */
bool cl_js_reply_info(const natsMsg *m, uint64_t *sseq, uint64_t *delivered, uint64_t *pending);

/*! A JetStream context on \a nc publishing asynchronously, at most \a max_pending messages in
 * flight. \returns 0, or -1 after printing why */
int cl_pub_init(void *ctx, struct cl_pub *p, natsConnection *nc, unsigned max_pending);
/*! Publish \a data to \a subj with Nats-Msg-Id \a id (and Ss7watch-Worker \a worker if not NULL). */
void cl_pub_send(struct cl_pub *p, const char *subj, const void *data, size_t len, const char *id,
		 const char *worker);
/*! \returns the publishes that failed and wait to be published again */
unsigned cl_pub_failed(struct cl_pub *p);
/*! Wait up to \a timeout_ms for every publish to be acknowledged, publishing failures again;
 * \a final: the last wait, what is still failed counts as an error. \returns 0, or -1 on time out */
int cl_pub_wait(struct cl_pub *p, int64_t timeout_ms, bool final);

/*! The roles (src/cluster_sensor_replay.c, cluster_worker.c, cluster_collector.c): the
 * process's main loop until stopped or done. \returns the exit code */
int cl_run_sensor(void *ctx, const struct sw_cluster_opts *o);
int cl_run_worker(void *ctx, struct sw_config *cfg, const struct sw_cluster_opts *o);
int cl_run_collector(void *ctx, const struct sw_cluster_opts *o);

/* cluster_sensor.c: the sensor's publishing core, driven by the replay (cluster_sensor_replay.c)
 * or by the daemon's live inputs (sw_cluster_sensor_start() and the rest of cluster.h) */

/*! Connect, make sure both streams exist, draw the run's id; \a live: the daemon's inputs
 * (ids name the run, a timer ends a batch batch-ms after its first event, the counters
 * follow every 50 ms). \returns 0, or -1 after printing why (nothing left open) */
int cl_sensor_open(void *ctx, const char *site, bool live);
/*! The sensor's counter group, with the role's own VTY and CTRL listeners when \a listen
 * (a replay), on the daemon's otherwise. \returns 0 or -1 */
int cl_sensor_counters(void *ctx, bool listen);
/*! The decoders' SCCP tap (dec->on_sccp): the message goes into the batch. \returns true */
bool cl_sensor_on_sccp(struct sw_decoder *dec, const uint8_t *p, uint32_t len, void *priv);
/*! The decoders' on_msg: what the tap did not take (SUA, malformed below SCCP) is counted. */
void cl_sensor_on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv);
/*! Publish the batch being filled, if any. */
void cl_sensor_flush(void);
/*! Replay: the next file's frame numbers go on after \a frames more. */
void cl_sensor_frame_base(uint64_t frames);
/*! Replay: the file being read is a pipe (possibly live): batch-ms is checked per event. */
void cl_sensor_timed(bool timed);
/*! Publish the last batch, wait for every acknowledgement (bounded), print the `cluster
 * sensor` summary and disconnect. \returns 0, or 1 when some events were not acknowledged */
int cl_sensor_close(void);

/* cluster_counters.c: the role's counters on the VTY, CTRL and statsd */

/*! A counter of a role: *value (read atomically: some are counted on libnats' threads), or
 *  what get() returns when it is set. Names in the daemon's style ("events:consumed"). */
struct cl_counter {
	const char *name;
	const char *description;
	const uint64_t *value;
	uint64_t (*get)(void);
};

/*! A gauge of a role (a stat item): what get() returns now. */
struct cl_gauge {
	const char *name;
	const char *description;
	const char *unit;
	uint64_t (*get)(void);
};

/*! The role's rate counter and stat item groups \a group . \a index, and the telnet VTY and
 *  CTRL listeners when the config file gives their ports (plus \a port_offset: a worker's
 *  number, as the workers and the collector share a file). The config
 *  file must have been read after sw_osmo_app_init(). \returns 0, or -1 after printing why */
int cl_osmo_start(void *ctx, const char *group, const char *description, unsigned index,
		  const struct cl_counter *ctrs, unsigned n_ctrs, const struct cl_gauge *gauges, unsigned n_gauges,
		  unsigned port_offset);
/*! The role's rate counter and stat item groups alone: the daemon's listeners serve them (a
 *  live sensor). \returns 0, or -1 after printing why */
int cl_osmo_counters(void *ctx, const char *group, const char *description, unsigned index,
		     const struct cl_counter *ctrs, unsigned n_ctrs, const struct cl_gauge *gauges, unsigned n_gauges);
/*! Copy the counters and, when the role has its own listeners (cl_osmo_start()), serve the
 *  VTY, CTRL and stats reporter without waiting; does nothing when called again within 50 ms,
 *  or before the counters exist. Main thread only. */
void cl_osmo_poll(void);
/*! The last copy of the counters and a last stats report (a run shorter than its interval). */
void cl_osmo_stop(void);
