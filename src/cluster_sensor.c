/* The cluster sensor (--site NAME -r FILE): the decode chain up to SCCP; every SCCP message
 * goes into a batch of events (cluster_event.c) published to PREFIX.events.SITE,
 * asynchronously, with Nats-Msg-Id SITE:FRAME:SEQ so that a re-run adds nothing. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <ss7watch/cluster_priv.h>
#include <ss7watch/decode.h>
#include <ss7watch/input_pcap.h>
#include <ss7watch/output_stats.h>

static struct {
	struct cl_pub pub;
	const char *site;
	char subj[256];
	uint32_t run;		/* this run's id and the number of its last event */
	uint64_t counter;
	uint64_t frame_base;	/* frames of the files replayed before this one: numbers go on */
	uint64_t unpublished;	/* messages that reached on_msg: SUA (no SCCP bytes) or malformed below */
	uint64_t frame;		/* frame of the last SCCP message, and its index in it */
	uint16_t seq;
	bool any;		/* a message was seen: frame and seq are set */
	uint64_t too_long;	/* SCCP messages longer than an event carries */
	double t_first;		/* wall clock of the first publish */
	/* the batch being filled: its header is written when it is published */
	uint8_t *batch;
	size_t hdr_len, len;
	unsigned n;
	uint64_t first_counter, first_frame;
	uint16_t first_seq;
	int64_t t_batch;	/* monotonic ms of its first event */
	bool timed;		/* live input: a batch also ends batch-ms after its first event */
	uint64_t events;	/* events published in batches */
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

/* Publish the batch being filled. Its id is that of its first event: boundaries depend only
 * on the events (count and bytes) when a file is replayed, so a re-run publishes the same
 * batches with the same ids and the stream keeps the first copies. */
static void sensor_flush(void)
{
	char id[128];

	if (!sensor.n)
		return;
	sw_batch_encode_hdr(sensor.batch, sensor.site, sensor.run, sensor.first_counter, sensor.n);
	if (!sensor.t_first)
		sensor.t_first = cl_now_s();
	/* failures (a node lost) go out again before anything newer: the stream keeps the
	 * site's order as far as it can, the workers wait for gaps by the counter */
	if (cl_pub_failed(&sensor.pub))
		cl_pub_wait(&sensor.pub, 60000, false);
	snprintf(id, sizeof(id), "%s:%" PRIu64 ":%u", sensor.site, sensor.first_frame, sensor.first_seq);
	cl_pub_send(&sensor.pub, sensor.subj, sensor.batch, sensor.len, id, NULL);
	sensor.events += sensor.n;
	sensor.n = 0;
	sensor.len = sensor.hdr_len;
}

/* The decoder's SCCP tap: add the raw message to the batch instead of parsing it. */
static bool sensor_on_sccp(struct sw_decoder *dec, const uint8_t *p, uint32_t len, void *priv)
{
	uint64_t frame = sensor.frame_base + dec->frame;
	size_t need = SW_EVENT_HDR_LEN + strlen(sensor.site) + len, n;

	if (frame != sensor.frame || !sensor.any) {
		sensor.any = true;
		sensor.frame = frame;
		sensor.seq = 0;
	} else {
		sensor.seq++;
	}
	cl_osmo_poll();
	if (len > SW_EVENT_SCCP_MAX) {
		sensor.too_long++;
		return true;
	}
	if (sensor.n && (sensor.len + 2 + need > cl_cfg->batch_bytes || (sensor.timed && cl_now_ms() - sensor.t_batch >= cl_cfg->batch_ms)))
		sensor_flush();
	n = sw_event_encode(sensor.batch + sensor.len + 2, cl_cfg->batch_bytes - sensor.len - 2, sensor.site, sensor.run,
			    sensor.counter + 1, frame, sensor.seq, &dec->msg.meta, &dec->msg.mtp3, p, len);
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
	}
	sensor.batch[sensor.len] = n >> 8;
	sensor.batch[sensor.len + 1] = n;
	sensor.len += 2 + n;
	sensor.n++;
	if (sensor.n >= cl_cfg->batch_events)
		sensor_flush();
	return true;
}

/* What the SCCP tap did not consume: SUA (it has no SCCP bytes to publish) and messages
 * malformed below SCCP (counted by the decoder as in a replay). */
static void sensor_on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	sensor.unpublished++;
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

int cl_run_sensor(void *ctx, const struct sw_cluster_opts *o)
{
	struct sw_decoder_cfg dcfg = { .pc_format = o->pc_format };
	struct sw_decoder *dec;
	natsConnection *nc;
	char err[512], role[128];
	int rc = 0;

	snprintf(role, sizeof(role), "sensor %s", o->site);
	cl_role = talloc_strdup(ctx, role);
	if (!o->n_files) {
		fprintf(stderr, "ss7watch: --site publishes captures: give -r FILE\n");
		return 2;
	}
	if (cl_osmo_start(ctx, "cluster_sensor", "ss7watch cluster sensor: events published", 0, sensor_counters,
			  ARRAY_SIZE(sensor_counters), sensor_gauges, ARRAY_SIZE(sensor_gauges), 0) < 0)
		return 1;
	nc = cl_connect();
	if (!nc)
		return 1;
	/* max-pending counts events: as many batches in flight as that makes. Thousands of
	 * 64 KiB batches at once would wait for their acknowledgements longer than a publish
	 * may, and be published again for nothing */
	if (cl_pub_init(ctx, &sensor.pub, nc, (cl_cfg->max_pending + cl_cfg->batch_events - 1) / cl_cfg->batch_events) < 0 ||
	    cl_ensure_streams(sensor.pub.js) < 0) {
		natsConnection_Destroy(nc);
		return 1;
	}
	sensor.site = o->site;
	sensor.pub.ordered = true;
	sensor.batch = talloc_size(ctx, cl_cfg->batch_bytes);
	if (!sensor.batch) {
		natsConnection_Destroy(nc);
		return 1;
	}
	sensor.hdr_len = sensor.len = SW_BATCH_HDR_LEN + strlen(o->site);
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		sensor.run = (uint32_t)(ts.tv_nsec ^ ts.tv_sec * 2654435761u ^ (uint32_t)getpid() << 16);
	}
	cl_events_subject(sensor.subj, sizeof(sensor.subj), o->site);
	dec = sw_decoder_alloc(ctx, &dcfg, sensor_on_msg, NULL);
	if (!dec) {
		fprintf(stderr, "ss7watch: out of memory allocating the decoder\n");
		return 1;
	}
	dec->on_sccp = sensor_on_sccp;
	cl_install_signals();
	fprintf(stderr, "ss7watch: %s: publishing to %s\n", cl_role, sensor.subj);
	for (unsigned i = 0; i < o->n_files && !rc && !cl_stop_requested; i++) {
		char **files = NULL;
		struct stat st;
		int n = 1;

		if (strcmp(o->files[i], "-") && stat(o->files[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			n = sw_pcap_dir_list(ctx, o->files[i], &files, err, sizeof(err));
			if (n <= 0) {
				fprintf(stderr, "ss7watch: %s\n", n ? err : "no pcap or pcapng file in the directory");
				rc = 1;
				break;
			}
		}
		for (int f = 0; f < n && !rc; f++) {
			const char *file = files ? files[f] : o->files[i];

			/* a replayed file's batch boundaries depend on its events only (a re-run
			 * publishes the same ids); a pipe may be a live capture: batch-ms too */
			sensor.timed = !strcmp(file, "-") ? fstat(0, &st) == 0 && !S_ISREG(st.st_mode) :
				       stat(file, &st) == 0 && !S_ISREG(st.st_mode);
			dec->frame = 0;
			if (sw_pcap_replay(dec, file, o->filter, err, sizeof(err)) < 0) {
				fprintf(stderr, "ss7watch: %s\n", err);
				rc = 1;
			}
			/* frame numbers of the next file go on after this one's: ids stay unique */
			sensor.frame_base += dec->frame;
		}
	}
	/* the end of the input ends the last batch */
	sensor_flush();
	/* every event acknowledged, or said which were not */
	cl_pub_wait(&sensor.pub, 60000, true);
	sensor_publish_end();
	cl_osmo_stop();
	fprintf(stderr, "cluster sensor %s: events published %" PRIu64 ", acked %" PRIu64 " (%" PRIu64
		" already in the stream), in batches %" PRIu64 " (%.1f events per batch), acked %" PRIu64 " (%" PRIu64
		" already in the stream), retried %" PRIu64 ", publish errors %" PRIu64 " (%" PRIu64 " events), too long %"
		PRIu64 ", not published %" PRIu64 " (SUA, or malformed below SCCP), %.3f s since the first publish (at %.6f)\n",
		o->site, sensor.events, sensor.pub.ev_acked, sensor.pub.ev_duplicates, sensor.pub.published,
		sensor.pub.published ? (double)sensor.events / sensor.pub.published : 0.0, sensor.pub.acked,
		sensor.pub.duplicates, sensor.pub.retries, sensor.pub.errors, sensor.pub.ev_errors, sensor.too_long,
		sensor.unpublished, sensor.t_first ? cl_now_s() - sensor.t_first : 0.0, sensor.t_first);
	if (o->stats_only || o->verbose)
		sw_stats_print(o->stats_only ? stdout : stderr, &dec->st);
	if (sensor.pub.errors) {
		fprintf(stderr, "ss7watch: sensor %s: %" PRIu64 " events (%" PRIu64 " batches) were not acknowledged by "
			"the stream %s\n", o->site, sensor.pub.ev_errors, sensor.pub.errors, cl_cfg->stream_events);
		rc = 1;
	}
	sw_decoder_free(dec);
	cl_stop_requested = 1;
	jsCtx_Destroy(sensor.pub.js);
	natsConnection_Destroy(nc);
	return rc;
}
