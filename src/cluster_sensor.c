/* The cluster sensor's publishing core, shared by its two drivers: the replay of captures
 * (cluster_sensor_replay.c, --site NAME -r FILE) and the daemon's live inputs (daemon.c,
 * --site NAME without -r: the API of cluster.h). Every SCCP message the decoders tap goes
 * into a batch of events (cluster_event.c) published to PREFIX.events.SITE, asynchronously,
 * with Nats-Msg-Id SITE:FRAME:SEQ of the batch's first event so that a re-run of a replay
 * adds nothing; a live run's ids name the run too (SITE:rRUN:FRAME:SEQ), since a restarted
 * sensor numbers its frames from 1 again. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>
#include <ss7watch/cluster_priv.h>
#include <ss7watch/decode.h>

#define WAIT_MS		60000	/* at the end: how long the acknowledgements may take */
#define TICK_MS		50	/* live: the counters reach the daemon's VTY, CTRL and statsd this often */
#define RETRY_TICKS	20	/* live, quiet link: failed publishes go out again once a second */

static struct {
	struct cl_pub pub;
	natsConnection *nc;
	const char *site;
	char subj[256];
	bool live;		/* the daemon's inputs: ids name the run, batch-ms is a timer */
	uint32_t run;		/* this run's id and the number of its last event */
	uint64_t counter;
	uint64_t frame_base;	/* replay: frames of the files replayed before this one */
	uint64_t unpublished;	/* messages that reached on_msg: SUA (no SCCP bytes) or malformed below */
	uint64_t frame;		/* frame of the last SCCP message, and its index in it */
	uint16_t seq;
	bool any;		/* a message was seen: frame and seq are set */
	const struct sw_decoder *last_dec;	/* live: the decoder and its frame of the last message */
	uint64_t last_dec_frame;
	uint64_t too_long;	/* SCCP messages longer than an event carries */
	double t_first;		/* wall clock of the first publish */
	/* the batch being filled: its header is written when it is published */
	uint8_t *batch;
	size_t hdr_len, len;
	unsigned n;
	uint64_t first_counter, first_frame;
	uint16_t first_seq;
	int64_t t_batch;	/* monotonic ms of its first event */
	bool timed;		/* a replayed pipe: batch-ms checked per event (live: batch_timer) */
	uint64_t events;	/* events published in batches */
	struct osmo_timer_list batch_timer;	/* live: ends the batch batch-ms after its first event */
	struct osmo_timer_list tick;		/* live: counters, and retries on a quiet link */
	unsigned ticks;
} sensor;

static uint64_t sensor_waiting_retry(void)
{
	return cl_pub_failed(&sensor.pub);
}

static const struct cl_counter sensor_counters[] = {
	{ "events:published", "Events published (in batches)", &sensor.events },
	{ "events:acked", "Events the stream acknowledged", &sensor.pub.ev_acked },
	{ "events:duplicate", "Events the stream already had (a re-run)", &sensor.pub.ev_duplicates },
	{ "events:publish_errors", "Events of batches the stream never acknowledged", &sensor.pub.ev_errors },
	{ "events:too_long", "SCCP messages longer than an event carries: not published", &sensor.too_long },
	{ "messages:not_published", "SUA, or malformed below SCCP: not published", &sensor.unpublished },
	{ "batches:published", "Batches published", &sensor.pub.published },
	{ "batches:acked", "Batches the stream acknowledged", &sensor.pub.acked },
	{ "batches:duplicate", "Batches the stream already had", &sensor.pub.duplicates },
	{ "batches:retried", "Batches published again after an error or no acknowledgement", &sensor.pub.retries },
	{ "batches:publish_errors", "Batches the stream never acknowledged", &sensor.pub.errors },
};

static const struct cl_gauge sensor_gauges[] = {
	{ "batches:waiting_retry", "Batches whose publish failed, to be published again", "", sensor_waiting_retry },
};

void cl_sensor_flush(void)
{
	char id[128];

	if (!sensor.n)
		return;
	osmo_timer_del(&sensor.batch_timer);
	sw_batch_encode_hdr(sensor.batch, sensor.site, sensor.run, sensor.first_counter, sensor.n);
	if (!sensor.t_first)
		sensor.t_first = cl_now_s();
	/* failures (a node lost) go out again before anything newer: the stream keeps the
	 * site's order as far as it can, the workers wait for gaps by the counter */
	if (cl_pub_failed(&sensor.pub))
		cl_pub_wait(&sensor.pub, WAIT_MS, false);
	/* the id of the batch's first event: a replay's boundaries depend on the events alone,
	 * so a re-run publishes the same batches with the same ids and the stream keeps the
	 * first copies; a live run's frames count from 1 again after a restart: its run too */
	if (sensor.live)
		snprintf(id, sizeof(id), "%s:r%08" PRIx32 ":%" PRIu64 ":%u", sensor.site, sensor.run, sensor.first_frame,
			 sensor.first_seq);
	else
		snprintf(id, sizeof(id), "%s:%" PRIu64 ":%u", sensor.site, sensor.first_frame, sensor.first_seq);
	cl_pub_send(&sensor.pub, sensor.subj, sensor.batch, sensor.len, id, NULL);
	sensor.events += sensor.n;
	sensor.n = 0;
	sensor.len = sensor.hdr_len;
}

/* The frame number of the message being tapped, and whether it starts a frame. A replay
 * goes on from one file to the next; a live sensor counts the frames (and SIGTRAN
 * messages) of all its inputs in one running number: unique within the run. */
static bool sensor_new_frame(const struct sw_decoder *dec, uint64_t *frame)
{
	if (!sensor.live) {
		*frame = sensor.frame_base + dec->frame;
		return !sensor.any || *frame != sensor.frame;
	}
	/* one input's frame is decoded whole before the select loop serves another */
	if (sensor.any && dec == sensor.last_dec && dec->frame == sensor.last_dec_frame) {
		*frame = sensor.frame;
		return false;
	}
	sensor.last_dec = dec;
	sensor.last_dec_frame = dec->frame;
	*frame = sensor.frame + 1;
	return true;
}

bool cl_sensor_on_sccp(struct sw_decoder *dec, const uint8_t *p, uint32_t len, void *priv)
{
	size_t need = SW_EVENT_HDR_LEN + strlen(sensor.site) + len, n;
	uint64_t frame;

	if (sensor_new_frame(dec, &frame)) {
		sensor.any = true;
		sensor.frame = frame;
		sensor.seq = 0;
	} else {
		sensor.seq++;
	}
	/* a replay serves its counters between events; the daemon's loop does a live sensor's */
	if (!sensor.live)
		cl_osmo_poll();
	if (len > SW_EVENT_SCCP_MAX) {
		sensor.too_long++;
		return true;
	}
	if (sensor.n && (sensor.len + 2 + need > cl_cfg->batch_bytes ||
			 (sensor.timed && cl_now_ms() - sensor.t_batch >= cl_cfg->batch_ms)))
		cl_sensor_flush();
	n = sw_event_encode(sensor.batch + sensor.len + 2, cl_cfg->batch_bytes - sensor.len - 2, sensor.site, sensor.run,
			    sensor.live ? SW_EVENT_F_LIVE : 0, sensor.counter + 1, frame, sensor.seq, &dec->msg.meta,
			    &dec->msg.mtp3, p, len);
	if (!n) {
		/* an empty batch has room for the largest event (batch-bytes' minimum) */
		sensor.too_long++;
		return true;
	}
	sensor.counter++;
	if (!sensor.n) {
		sensor.first_counter = sensor.counter;
		sensor.first_frame = frame;
		sensor.first_seq = sensor.seq;
		if (sensor.timed)
			sensor.t_batch = cl_now_ms();
		/* a quiet link's last events go out batch-ms after the first, not with the next */
		if (sensor.live)
			osmo_timer_schedule(&sensor.batch_timer, cl_cfg->batch_ms / 1000, (cl_cfg->batch_ms % 1000) * 1000);
	}
	sensor.batch[sensor.len] = n >> 8;
	sensor.batch[sensor.len + 1] = n;
	sensor.len += 2 + n;
	sensor.n++;
	if (sensor.n >= cl_cfg->batch_events)
		cl_sensor_flush();
	return true;
}

void cl_sensor_on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	sensor.unpublished++;
}

void cl_sensor_frame_base(uint64_t frames)
{
	sensor.frame_base += frames;
}

void cl_sensor_timed(bool timed)
{
	/* live: the batch timer does it, no clock read per event */
	sensor.timed = timed && !sensor.live;
}

static void batch_timer_cb(void *data)
{
	cl_sensor_flush();
}

static void tick_cb(void *data)
{
	cl_osmo_poll();
	/* a quiet link publishes nothing that would retry them: once a second here */
	if (++sensor.ticks >= RETRY_TICKS) {
		sensor.ticks = 0;
		if (cl_pub_failed(&sensor.pub))
			cl_pub_wait(&sensor.pub, 0, false);
	}
	osmo_timer_schedule(&sensor.tick, 0, TICK_MS * 1000);
}

static void sensor_disconnect(void)
{
	cl_stop_requested = 1;
	if (sensor.pub.js)
		jsCtx_Destroy(sensor.pub.js);
	natsConnection_Destroy(sensor.nc);
	sensor.pub.js = NULL;
	sensor.nc = NULL;
}

int cl_sensor_open(void *ctx, const char *site, bool live)
{
	struct timespec ts;
	char role[128];

	snprintf(role, sizeof(role), "sensor %s", site);
	cl_role = talloc_strdup(ctx, role);
	sensor.live = live;
	sensor.timed = false;
	sensor.site = site;
	sensor.nc = cl_connect();
	if (!sensor.nc)
		return -1;
	sensor.batch = talloc_size(ctx, cl_cfg->batch_bytes);
	/* max-pending counts events: as many batches in flight as that makes. Thousands of
	 * 64 KiB batches at once would wait for their acknowledgements longer than a publish
	 * may, and be published again for nothing */
	if (!sensor.batch ||
	    cl_pub_init(ctx, &sensor.pub, sensor.nc, (cl_cfg->max_pending + cl_cfg->batch_events - 1) / cl_cfg->batch_events) < 0 ||
	    cl_ensure_streams(sensor.pub.js) < 0) {
		sensor_disconnect();
		return -1;
	}
	sensor.pub.ordered = true;
	sensor.hdr_len = sensor.len = SW_BATCH_HDR_LEN + strlen(site);
	clock_gettime(CLOCK_REALTIME, &ts);
	sensor.run = (uint32_t)(ts.tv_nsec ^ ts.tv_sec * 2654435761u ^ (uint32_t)getpid() << 16);
	cl_events_subject(sensor.subj, sizeof(sensor.subj), site);
	osmo_timer_setup(&sensor.batch_timer, batch_timer_cb, NULL);
	osmo_timer_setup(&sensor.tick, tick_cb, NULL);
	if (live)
		osmo_timer_schedule(&sensor.tick, 0, TICK_MS * 1000);
	fprintf(stderr, "ss7watch: %s: publishing to %s%s (run %08" PRIx32 ")\n", cl_role, sensor.subj,
		live ? ", live" : "", sensor.run);
	return 0;
}

/* Register the counter group: with the role's own listeners for a replay (port offset 0),
 * on the daemon's for a live sensor. */
int cl_sensor_counters(void *ctx, bool listen)
{
	const char *desc = "ss7watch cluster sensor: events published";

	if (listen)
		return cl_osmo_start(ctx, "cluster_sensor", desc, 0, sensor_counters, ARRAY_SIZE(sensor_counters),
				     sensor_gauges, ARRAY_SIZE(sensor_gauges), 0);
	return cl_osmo_counters(ctx, "cluster_sensor", desc, 0, sensor_counters, ARRAY_SIZE(sensor_counters),
				sensor_gauges, ARRAY_SIZE(sensor_gauges));
}

/* Say that this run published all it will: a worker then waits for nothing more from this
 * site once it has read the run's events, instead of idle-ms (doc/cluster.md). Published
 * after every event was acknowledged, so it comes after them in the stream. */
static void sensor_publish_end(void)
{
	uint8_t buf[SW_RUN_END_HDR_LEN + SW_EVENT_SITE_MAX];
	size_t n = sw_run_end_encode(buf, sensor.site, sensor.run, sensor.counter);
	int64_t deadline = cl_now_ms() + 10000;
	jsPubOptions po;
	char id[128];

	jsPubOptions_Init(&po);
	snprintf(id, sizeof(id), "%s:end:%08x", sensor.site, sensor.run);
	po.MsgId = id;
	while (n) {
		jsPubAck *pa = NULL;
		jsErrCode jerr = 0;

		if (js_Publish(&pa, sensor.pub.js, sensor.subj, buf, (int)n, &po, &jerr) == NATS_OK) {
			jsPubAck_Destroy(pa);
			return;
		}
		if (cl_now_ms() > deadline) {
			fprintf(stderr, "ss7watch: %s: the end of the run was not acknowledged: workers wait idle-ms "
				"for this site\n", cl_role);
			return;
		}
		cl_sleep_ms(250);
	}
}

int cl_sensor_close(void)
{
	int rc = 0;

	osmo_timer_del(&sensor.tick);
	/* the end of the input (or a stop) ends the last batch */
	if (sensor.batch)
		cl_sensor_flush();
	/* every event acknowledged, or said which were not */
	if (sensor.pub.js) {
		cl_pub_wait(&sensor.pub, WAIT_MS, true);
		sensor_publish_end();
	}
	cl_osmo_stop();
	fprintf(stderr, "cluster sensor %s: events published %" PRIu64 ", acked %" PRIu64 " (%" PRIu64
		" already in the stream), in batches %" PRIu64 " (%.1f events per batch), acked %" PRIu64 " (%" PRIu64
		" already in the stream), retried %" PRIu64 ", publish errors %" PRIu64 " (%" PRIu64 " events), too long %"
		PRIu64 ", not published %" PRIu64 " (SUA, or malformed below SCCP), %.3f s since the first publish (at %.6f)\n",
		sensor.site, sensor.events, sensor.pub.ev_acked, sensor.pub.ev_duplicates, sensor.pub.published,
		sensor.pub.published ? (double)sensor.events / sensor.pub.published : 0.0, sensor.pub.acked,
		sensor.pub.duplicates, sensor.pub.retries, sensor.pub.errors, sensor.pub.ev_errors, sensor.too_long,
		sensor.unpublished, sensor.t_first ? cl_now_s() - sensor.t_first : 0.0, sensor.t_first);
	if (sensor.pub.errors) {
		fprintf(stderr, "ss7watch: sensor %s: %" PRIu64 " events (%" PRIu64 " batches) were not acknowledged by "
			"the stream %s\n", sensor.site, sensor.pub.ev_errors, sensor.pub.errors, cl_cfg->stream_events);
		rc = 1;
	}
	sensor_disconnect();
	return rc;
}

/* --- the daemon's live sensor (cluster.h) --- */

int sw_cluster_sensor_start(void *ctx, const struct sw_config *cfg, const char *site)
{
	cl_cfg = &cfg->cluster;
	if (cl_sensor_open(ctx, site, true) < 0) {
		nats_Close();
		return -1;
	}
	if (cl_sensor_counters(ctx, false) < 0) {
		osmo_timer_del(&sensor.tick);
		sensor_disconnect();
		nats_Close();
		return -1;
	}
	return 0;
}

bool sw_cluster_sensor_tap(struct sw_decoder *dec, const uint8_t *sccp, uint32_t len, void *priv)
{
	return cl_sensor_on_sccp(dec, sccp, len, priv);
}

void sw_cluster_sensor_untapped(struct sw_decoder *dec, struct sw_msg *msg)
{
	cl_sensor_on_msg(dec, msg, NULL);
}

int sw_cluster_sensor_stop(void)
{
	int rc = cl_sensor_close();

	nats_Close();
	return rc;
}
