/* The cluster modes on NATS JetStream (cluster.h, doc/cluster.md):
 *  - sensor (--site NAME -r FILE): the decode chain up to SCCP; every SCCP message is
 *    published as one event (cluster_event.c) to PREFIX.events.SITE, asynchronously, with
 *    Nats-Msg-Id SITE:FRAME:SEQ so that a re-run adds nothing;
 *  - worker (--worker N): reads the whole events stream from its start, merges the sites by
 *    capture time (a bounded heap, released skew-ms behind the newest event), feeds each
 *    event to a decoder at the SCCP layer and runs the single-box detector and alert filters;
 *    every alert goes to PREFIX.alerts with a stable id, so the stream keeps one copy
 *    whichever workers publish it; an event is acked once the alerts it caused are;
 *  - collector (--collect -o FILE): a durable consumer of the alerts stream that appends each
 *    alert once, the stream sequence in the line, and skips what it already wrote.
 * Without libnats only sw_cluster_main() is built, and says so. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <talloc.h>
#include <ss7watch/cluster.h>
#include <ss7watch/config.h>
#include <ss7watch/rules.h>

/* the config's bounds of a batch are the record's: an empty batch takes the largest event */
_Static_assert(SW_CLUSTER_BATCH_BYTES_MIN >= SW_BATCH_HDR_LEN + SW_EVENT_SITE_MAX + 2 + SW_EVENT_MAX_LEN,
	       "batch-bytes' minimum must hold the largest event");
_Static_assert(SW_CLUSTER_BATCH_EVENTS_MAX == SW_BATCH_EVENTS_MAX, "batch-events' maximum is the record's");

bool sw_cluster_site_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= SW_EVENT_SITE_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

#ifndef HAVE_NATS

int sw_cluster_main(void *ctx, const struct sw_cluster_opts *o)
{
	fprintf(stderr, "ss7watch: --site, --worker and --collect need NATS JetStream: this ss7watch was built "
		"without libnats (install libnats-dev and run configure again)\n");
	return 2;
}

#else

#include <nats/nats.h>
#include <ss7watch/decode.h>
#include <ss7watch/detect.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/input_pcap.h>
#include <ss7watch/output_eve.h>
#include <ss7watch/output_incident.h>
#include <ss7watch/output_stats.h>
#include <ss7watch/rules.h>

#define MS		1000000LL	/* nanoseconds of a millisecond (JetStream durations) */
#define PUB_TRIES	600		/* publishes of one message before it counts as failed (a minute and more) */
#define PUB_WAIT_MS	2000		/* an unacknowledged publish fails (and is retried) after this */
#define FETCH_BATCH	256
#define REORDER_CAP	262144		/* events the worker holds back at most (12 MiB): batching sensors run ahead of each other by more than 65536 */
#define SITES_MAX	256
#define SITE_CACHE	65536		/* recent events by (frame, time): the site of an expiry alert */

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	stop_requested = 1;
	sw_pcap_replay_stop();
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* --- connection and streams --- */

static const struct sw_config_cluster *ccfg;
static const char *prog_role;	/* "sensor a", "worker-1", "collector": log lines say who */

static void servers_list(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < ccfg->n_servers && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? ", " : "", ccfg->servers[i]);
}

static void on_disconnected(natsConnection *nc, void *closure)
{
	if (!stop_requested)
		fprintf(stderr, "ss7watch: %s: disconnected from NATS, reconnecting\n", prog_role);
}

static void on_reconnected(natsConnection *nc, void *closure)
{
	char url[256] = "";

	natsConnection_GetConnectedUrl(nc, url, sizeof(url));
	fprintf(stderr, "ss7watch: %s: reconnected to %s\n", prog_role, url);
}

static natsConnection *cl_connect(void)
{
	natsOptions *o = NULL;
	natsConnection *nc = NULL;
	natsStatus s;
	char urls[1024];

	s = natsOptions_Create(&o);
	if (s == NATS_OK)
		s = natsOptions_SetServers(o, (const char **)ccfg->servers, ccfg->n_servers);
	if (s == NATS_OK)
		s = natsOptions_SetName(o, prog_role);
	/* the config's order: a site's sensor prefers its own node */
	if (s == NATS_OK)
		s = natsOptions_SetNoRandomize(o, true);
	/* libnats reconnects among the servers (and those the cluster announces) for ever; what
	 * was published meanwhile waits in its reconnect buffer */
	if (s == NATS_OK)
		s = natsOptions_SetMaxReconnect(o, -1);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectWait(o, 250);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectBufSize(o, 64 << 20);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(o, 2000);
	if (s == NATS_OK)
		s = natsOptions_SetDisconnectedCB(o, on_disconnected, NULL);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectedCB(o, on_reconnected, NULL);
	if (s == NATS_OK)
		s = natsConnection_Connect(&nc, o);
	natsOptions_Destroy(o);
	if (s != NATS_OK) {
		servers_list(urls, sizeof(urls));
		fprintf(stderr, "ss7watch: %s: cannot connect to the NATS servers %s: %s\n", prog_role, urls,
			natsStatus_GetText(s));
		return NULL;
	}
	return nc;
}

/* The stream name with subject subj: created with the configured replicas, file storage,
 * max_age and duplicate window when missing; used as is (said once) when it exists.
 * JetStream may still be electing its leaders right after the servers start: retried for
 * some seconds. \returns 0, or -1 after printing why. */
static int ensure_stream(jsCtx *js, const char *name, const char *subj, uint32_t max_age_s)
{
	int64_t deadline = now_ms() + 20000;
	natsStatus s;
	jsErrCode jerr;

	for (;;) {
		jsStreamInfo *si = NULL;
		jsStreamConfig sc;
		const char *subjects[1] = { subj };

		jerr = 0;
		s = js_GetStreamInfo(&si, js, name, NULL, &jerr);
		if (s == NATS_OK && si->Cluster && (!si->Cluster->Leader || !si->Cluster->Leader[0]) &&
		    now_ms() < deadline && !stop_requested) {
			/* publishes would fail until its replicas elect a leader */
			jsStreamInfo_Destroy(si);
			sleep_ms(100);
			continue;
		}
		if (s == NATS_OK) {
			const jsStreamConfig *c = si->Config;

			if (c->Replicas != (int64_t)ccfg->replicas || c->MaxAge != (int64_t)max_age_s * 1000 * MS ||
			    c->Duplicates != (int64_t)ccfg->duplicate_window_s * 1000 * MS)
				fprintf(stderr, "ss7watch: %s: stream %s exists with other settings (replicas %" PRId64
					", max-age %" PRId64 " s, duplicate-window %" PRId64 " s): used as is\n",
					prog_role, name, c->Replicas, (int64_t)(c->MaxAge / (1000 * MS)),
					(int64_t)(c->Duplicates / (1000 * MS)));
			jsStreamInfo_Destroy(si);
			return 0;
		}
		if (s == NATS_NOT_FOUND) {
			jsStreamConfig_Init(&sc);
			sc.Name = name;
			sc.Subjects = subjects;
			sc.SubjectsLen = 1;
			sc.Storage = js_FileStorage;
			sc.Replicas = ccfg->replicas;
			sc.MaxAge = (int64_t)max_age_s * 1000 * MS;
			sc.Duplicates = (int64_t)ccfg->duplicate_window_s * 1000 * MS;
			jerr = 0;
			s = js_AddStream(&si, js, &sc, NULL, &jerr);
			if (s == NATS_OK) {
				fprintf(stderr, "ss7watch: %s: created stream %s (%s, replicas %u)\n", prog_role, name,
					subj, ccfg->replicas);
				jsStreamInfo_Destroy(si);
				/* look again: until it has a leader */
				continue;
			}
			/* another process created it meanwhile: look again */
		}
		if (now_ms() > deadline || stop_requested) {
			fprintf(stderr, "ss7watch: %s: stream %s: %s (JetStream error %d)\n", prog_role, name,
				nats_GetLastError(NULL) ? nats_GetLastError(NULL) : natsStatus_GetText(s), (int)jerr);
			return -1;
		}
		sleep_ms(250);
	}
}

/* --- asynchronous publishing with retries --- */

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

/* The counter of an event, or of the first event of a batch. */
static uint64_t event_counter(const natsMsg *m)
{
	const uint8_t *d = (const uint8_t *)natsMsg_GetData(m);
	int len = natsMsg_GetDataLength(m);
	unsigned off = SW_EVENT_COUNTER_OFF;
	uint64_t c = 0;

	if (len >= SW_BATCH_HDR_LEN && d[0] == SW_BATCH_VERSION)
		off = SW_BATCH_FIRST_OFF;
	else if (len < SW_EVENT_HDR_LEN)
		return 0;
	for (unsigned i = 0; i < 8; i++)
		c = c << 8 | d[off + i];
	return c;
}

/* Events in a message the sensor publishes: a batch says how many. */
static unsigned msg_events(const natsMsg *m)
{
	const uint8_t *d = (const uint8_t *)natsMsg_GetData(m);

	if (natsMsg_GetDataLength(m) >= SW_BATCH_HDR_LEN && d[0] == SW_BATCH_VERSION)
		return (unsigned)d[2] << 8 | d[3];
	return 1;
}

static void count_errors(struct cl_pub *p, const natsMsg *m)
{
	__atomic_add_fetch(&p->errors, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&p->ev_errors, msg_events(m), __ATOMIC_RELAXED);
}

static int cmp_counter(const void *a, const void *b)
{
	uint64_t x = event_counter(*(natsMsg *const *)a), y = event_counter(*(natsMsg *const *)b);

	return x < y ? -1 : x > y;
}

/* A publish that failed (no ack in time, or refused while stalled): kept to be published
 * again in its order, or counted as an error when too many wait already. Takes m. */
static void keep_failed(struct cl_pub *p, natsMsg *m)
{
	pthread_mutex_lock(&p->mu);
	if (p->n_failed < p->cap) {
		p->failed[p->n_failed++] = m;
		m = NULL;
	} else {
		count_errors(p, m);
	}
	pthread_mutex_unlock(&p->mu);
	natsMsg_Destroy(m);
}

static void on_puback(jsCtx *js, natsMsg *m, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
	struct cl_pub *p = closure;

	if (pa) {
		unsigned n = msg_events(m);

		__atomic_add_fetch(&p->acked, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&p->ev_acked, n, __ATOMIC_RELAXED);
		if (pa->Duplicate) {
			__atomic_add_fetch(&p->duplicates, 1, __ATOMIC_RELAXED);
			__atomic_add_fetch(&p->ev_duplicates, n, __ATOMIC_RELAXED);
		}
		natsMsg_Destroy(m);
		return;
	}
	keep_failed(p, m);
}

/* max_pending: messages in flight at most. */
static int pub_init(void *ctx, struct cl_pub *p, natsConnection *nc, unsigned max_pending)
{
	jsOptions jo;

	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	/* at most max_pending are in flight, so at most that many can fail at once */
	p->cap = max_pending + 16;
	p->failed = talloc_array(ctx, natsMsg *, p->cap);
	if (!p->failed)
		return -1;
	jsOptions_Init(&jo);
	jo.PublishAsync.MaxPending = max_pending;
	jo.PublishAsync.AckHandler = on_puback;
	jo.PublishAsync.AckHandlerClosure = p;
	jo.PublishAsync.StallWait = 1000;
	if (natsConnection_JetStream(&p->js, nc, &jo) != NATS_OK)
		return -1;
	return 0;
}

/* Publish m (ownership taken). A stalled or refused publish goes to the retry list. */
static void pub_msg(struct cl_pub *p, natsMsg *m)
{
	jsPubOptions po;
	const char *v = NULL;
	char tries[16];
	int t = 0;
	natsStatus s;

	if (natsMsgHeader_Get(m, "Ss7watch-Try", &v) == NATS_OK && v)
		t = atoi(v);
	if (t >= PUB_TRIES) {
		count_errors(p, m);
		natsMsg_Destroy(m);
		return;
	}
	snprintf(tries, sizeof(tries), "%d", t + 1);
	natsMsgHeader_Set(m, "Ss7watch-Try", tries);
	jsPubOptions_Init(&po);
	po.MaxWait = PUB_WAIT_MS;
	s = js_PublishMsgAsync(p->js, &m, &po);
	if (s == NATS_OK)
		return;
	/* stalled (max-pending reached) or not connected: try again later */
	keep_failed(p, m);
}

/* Publish data to subj with the de-duplication id (and a worker header when given). */
static void pub_send(struct cl_pub *p, const char *subj, const void *data, size_t len, const char *id,
		     const char *worker)
{
	natsMsg *m = NULL;

	if (natsMsg_Create(&m, subj, NULL, data, (int)len) != NATS_OK ||
	    natsMsgHeader_Set(m, "Nats-Msg-Id", id) != NATS_OK ||
	    (worker && natsMsgHeader_Set(m, "Ss7watch-Worker", worker) != NATS_OK)) {
		const uint8_t *d = data;

		natsMsg_Destroy(m);
		__atomic_add_fetch(&p->errors, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&p->ev_errors, len >= 4 && d[0] == SW_BATCH_VERSION ? (unsigned)d[2] << 8 | d[3] : 1,
				   __ATOMIC_RELAXED);
		return;
	}
	p->published++;
	pub_msg(p, m);
}

/* Publish again what failed, the earliest first. \returns how many were retried. */
static unsigned pub_pump(struct cl_pub *p)
{
	natsMsg **batch;
	unsigned n;

	pthread_mutex_lock(&p->mu);
	n = p->n_failed;
	if (!n) {
		pthread_mutex_unlock(&p->mu);
		return 0;
	}
	batch = malloc(n * sizeof(*batch));
	if (!batch) {
		pthread_mutex_unlock(&p->mu);
		return 0;
	}
	memcpy(batch, p->failed, n * sizeof(*batch));
	p->n_failed = 0;
	pthread_mutex_unlock(&p->mu);
	/* a node or leader lost: give the cluster a moment (a leader election takes seconds) */
	sleep_ms(100);
	if (p->ordered)
		qsort(batch, n, sizeof(*batch), cmp_counter);
	for (unsigned i = 0; i < n; i++) {
		__atomic_add_fetch(&p->retries, 1, __ATOMIC_RELAXED);
		pub_msg(p, batch[i]);
	}
	free(batch);
	return n;
}

static unsigned pub_failed(struct cl_pub *p)
{
	unsigned n;

	pthread_mutex_lock(&p->mu);
	n = p->n_failed;
	pthread_mutex_unlock(&p->mu);
	return n;
}

/* Wait until every publish is acknowledged (retrying failures), at most timeout_ms.
 * \returns 0, or -1 when some are still unacknowledged (counted as errors if final). */
static int pub_wait(struct cl_pub *p, int64_t timeout_ms, bool final)
{
	int64_t deadline = now_ms() + timeout_ms;
	jsPubOptions po;
	natsStatus s;
	unsigned left;

	for (;;) {
		pub_pump(p);
		jsPubOptions_Init(&po);
		po.MaxWait = 500;
		s = js_PublishAsyncComplete(p->js, &po);
		pthread_mutex_lock(&p->mu);
		left = p->n_failed;
		pthread_mutex_unlock(&p->mu);
		if (s == NATS_OK && !left)
			return 0;
		if (now_ms() > deadline)
			break;
	}
	if (final) {
		natsMsgList pending = { 0 };

		if (js_PublishAsyncGetPendingList(&pending, p->js) == NATS_OK) {
			for (int i = 0; i < pending.Count; i++)
				count_errors(p, pending.Msgs[i]);
			natsMsgList_Destroy(&pending);
		}
		pthread_mutex_lock(&p->mu);
		for (unsigned i = 0; i < p->n_failed; i++) {
			count_errors(p, p->failed[i]);
			natsMsg_Destroy(p->failed[i]);
		}
		p->n_failed = 0;
		pthread_mutex_unlock(&p->mu);
	}
	return -1;
}

/* The numbers of a JetStream message's reply subject, without an allocation:
 * $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>
 * (and the longer form with domain and account hash). \returns false when it is not one. */
static bool js_reply_info(const natsMsg *m, uint64_t *sseq, uint64_t *delivered, uint64_t *pending)
{
	const char *r = natsMsg_GetReply(m), *tok[16];
	unsigned n = 0;

	if (!r || strncmp(r, "$JS.ACK.", 8))
		return false;
	for (const char *q = r; *q && n < 16; q++)
		if (q == r || q[-1] == '.')
			tok[n++] = q;
	if (n == 9) {
		*delivered = strtoull(tok[4], NULL, 10);
		*sseq = strtoull(tok[5], NULL, 10);
		*pending = strtoull(tok[8], NULL, 10);
		return true;
	}
	if (n >= 11) {
		*delivered = strtoull(tok[6], NULL, 10);
		*sseq = strtoull(tok[7], NULL, 10);
		*pending = strtoull(tok[10], NULL, 10);
		return true;
	}
	return false;
}

static int load_cluster_config(void *ctx, const char *file, struct sw_config **out, const char *mode)
{
	char err[512];

	if (sw_config_load(ctx, file, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "ss7watch: %s\n", err);
		return -1;
	}
	if (!(*out)->cluster.present || !(*out)->cluster.n_servers) {
		fprintf(stderr, "ss7watch: %s: %s needs a 'cluster' section with at least one 'server URL' "
			"(doc/cluster.md)\n", file, mode);
		return -1;
	}
	ccfg = &(*out)->cluster;
	return 0;
}

static void events_subject(char *buf, size_t len, const char *site)
{
	snprintf(buf, len, "%s.events.%s", ccfg->subject_prefix, site);
}

static void alerts_subject(char *buf, size_t len)
{
	snprintf(buf, len, "%s.alerts", ccfg->subject_prefix);
}

/* Both streams exist. */
static int ensure_streams(jsCtx *js)
{
	char subj[256];
	/* the alerts stream keeps alerts as long as it remembers their ids */
	uint32_t alerts_age = ccfg->duplicate_window_s > ccfg->max_age_s ? ccfg->duplicate_window_s : ccfg->max_age_s;

	events_subject(subj, sizeof(subj), ">");
	if (ensure_stream(js, ccfg->stream_events, subj, ccfg->max_age_s) < 0)
		return -1;
	alerts_subject(subj, sizeof(subj));
	return ensure_stream(js, ccfg->stream_alerts, subj, alerts_age);
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ======================================================================================
 * sensor
 * ====================================================================================== */

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
		sensor.t_first = now_s();
	/* failures (a node lost) go out again before anything newer: the stream keeps the
	 * site's order as far as it can, the workers wait for gaps by the counter */
	if (pub_failed(&sensor.pub))
		pub_wait(&sensor.pub, 60000, false);
	snprintf(id, sizeof(id), "%s:%" PRIu64 ":%u", sensor.site, sensor.first_frame, sensor.first_seq);
	pub_send(&sensor.pub, sensor.subj, sensor.batch, sensor.len, id, NULL);
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
	if (len > SW_EVENT_SCCP_MAX) {
		sensor.too_long++;
		return true;
	}
	if (sensor.n && (sensor.len + 2 + need > ccfg->batch_bytes || (sensor.timed && now_ms() - sensor.t_batch >= ccfg->batch_ms)))
		sensor_flush();
	n = sw_event_encode(sensor.batch + sensor.len + 2, ccfg->batch_bytes - sensor.len - 2, sensor.site, sensor.run,
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
			sensor.t_batch = now_ms();
	}
	sensor.batch[sensor.len] = n >> 8;
	sensor.batch[sensor.len + 1] = n;
	sensor.len += 2 + n;
	sensor.n++;
	if (sensor.n >= ccfg->batch_events)
		sensor_flush();
	return true;
}

/* What the SCCP tap did not consume: SUA (it has no SCCP bytes to publish) and messages
 * malformed below SCCP (counted by the decoder as in a replay). */
static void sensor_on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	sensor.unpublished++;
}

static int run_sensor(void *ctx, const struct sw_cluster_opts *o)
{
	struct sw_decoder_cfg dcfg = { .pc_format = o->pc_format };
	struct sw_decoder *dec;
	natsConnection *nc;
	char err[512], role[128];
	int rc = 0;

	snprintf(role, sizeof(role), "sensor %s", o->site);
	prog_role = talloc_strdup(ctx, role);
	if (!o->n_files) {
		fprintf(stderr, "ss7watch: --site publishes captures: give -r FILE\n");
		return 2;
	}
	nc = cl_connect();
	if (!nc)
		return 1;
	/* max-pending counts events: as many batches in flight as that makes. Thousands of
	 * 64 KiB batches at once would wait for their acknowledgements longer than a publish
	 * may, and be published again for nothing */
	if (pub_init(ctx, &sensor.pub, nc, (ccfg->max_pending + ccfg->batch_events - 1) / ccfg->batch_events) < 0 ||
	    ensure_streams(sensor.pub.js) < 0) {
		natsConnection_Destroy(nc);
		return 1;
	}
	sensor.site = o->site;
	sensor.pub.ordered = true;
	sensor.batch = talloc_size(ctx, ccfg->batch_bytes);
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
	events_subject(sensor.subj, sizeof(sensor.subj), o->site);
	dec = sw_decoder_alloc(ctx, &dcfg, sensor_on_msg, NULL);
	if (!dec) {
		fprintf(stderr, "ss7watch: out of memory allocating the decoder\n");
		return 1;
	}
	dec->on_sccp = sensor_on_sccp;
	install_signals();
	fprintf(stderr, "ss7watch: %s: publishing to %s\n", prog_role, sensor.subj);
	for (unsigned i = 0; i < o->n_files && !rc && !stop_requested; i++) {
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
	pub_wait(&sensor.pub, 60000, true);
	fprintf(stderr, "cluster sensor %s: events published %" PRIu64 ", acked %" PRIu64 " (%" PRIu64
		" already in the stream), in batches %" PRIu64 " (%.1f events per batch), acked %" PRIu64 " (%" PRIu64
		" already in the stream), retried %" PRIu64 ", publish errors %" PRIu64 " (%" PRIu64 " events), too long %"
		PRIu64 ", not published %" PRIu64 " (SUA, or malformed below SCCP), %.3f s since the first publish (at %.6f)\n",
		o->site, sensor.events, sensor.pub.ev_acked, sensor.pub.ev_duplicates, sensor.pub.published,
		sensor.pub.published ? (double)sensor.events / sensor.pub.published : 0.0, sensor.pub.acked,
		sensor.pub.duplicates, sensor.pub.retries, sensor.pub.errors, sensor.pub.ev_errors, sensor.too_long,
		sensor.unpublished, sensor.t_first ? now_s() - sensor.t_first : 0.0, sensor.t_first);
	if (o->stats_only || o->verbose)
		sw_stats_print(o->stats_only ? stdout : stderr, &dec->st);
	if (sensor.pub.errors) {
		fprintf(stderr, "ss7watch: sensor %s: %" PRIu64 " events (%" PRIu64 " batches) were not acknowledged by "
			"the stream %s\n", o->site, sensor.pub.ev_errors, sensor.pub.errors, ccfg->stream_events);
		rc = 1;
	}
	sw_decoder_free(dec);
	stop_requested = 1;
	jsCtx_Destroy(sensor.pub.js);
	natsConnection_Destroy(nc);
	return rc;
}

/* ======================================================================================
 * worker
 * ====================================================================================== */

/* What a worker knows of a site's sequence of events: the capture time up to which it has
 * every event of the site (by the sensor run's counter), and the times of those received
 * ahead of a gap (a publish retried after a node was lost lands later in the stream). */
#define AHEAD	16384
struct wsite {
	bool have_run;
	uint32_t run;
	uint64_t next;		/* the counter expected next */
	uint64_t complete_us;	/* every event of the site up to this capture time was read */
	uint64_t max_counter, max_us;
	uint64_t ahead[AHEAD];	/* capture time + 1 of counter next + k at (next + k) % AHEAD; 0: not read */
};

struct site_cache_entry {
	uint64_t frame, t_us;
	uint16_t site, seq;
};

static struct {
	void *ctx;
	char name[32];
	struct cl_pub pub;
	char alerts_subj[256];
	natsConnection *nc;
	natsSubscription *sub;
	struct sw_decoder *dec;
	struct sw_detector *det;
	struct sw_threshold *filters;
	struct sw_incidents *incidents;
	struct sw_eve *eve;
	struct sw_reorder heap;
	char sites[SITES_MAX][SW_EVENT_SITE_MAX + 1];
	struct wsite *site_st[SITES_MAX];
	unsigned n_sites;
	struct site_cache_entry *cache;
	/* the event being fed to the decoder: what alerts on it are about */
	uint16_t cur_site, cur_seq;
	uint64_t cur_frame;
	struct sw_alert scratch;
	uint64_t newest_us, released_us;
	bool released_any;
	uint64_t max_sseq;	/* highest stream sequence received: a new consumer starts after it */
	struct wmsg **done;	/* messages whose events are processed, acked once their alerts are */
	unsigned n_done, done_cap;
	bool alerts_pending;
	uint64_t alerts_by_rule[SW_RULE__COUNT];
	/* counters */
	uint64_t consumed, redelivered, dup_deliveries, malformed[SW_EVENT__ERRS], late, full_released;
	uint64_t msgs, batches, batch_events, bad_batches[SW_BATCH__ERRS];
	uint64_t processed, lag, depth_max, resubscribed, fetch_errors, sites_over, alert_encode_errors, holes;
	bool hole;		/* a stream sequence was skipped: consume again from the first missing */
	bool resumed;		/* a new consumer: its first message may start after a hole (expired) */
	uint64_t gaps_filled, gaps_given_up, site_runs;
	double t_first, t_last_alert, t_last_event, t_last_consumed;
} wk;

static int worker_subscribe(uint64_t start_seq)
{
	jsSubOptions so;
	jsErrCode jerr = 0;
	natsStatus s;
	char subj[256];

	if (wk.sub) {
		natsSubscription_Unsubscribe(wk.sub);
		natsSubscription_Destroy(wk.sub);
		wk.sub = NULL;
	}
	/* a new consumer's first message may come after a hole (messages expired) */
	wk.resumed = true;
	jsSubOptions_Init(&so);
	so.Stream = ccfg->stream_events;
	/* the detector's state is rebuilt from the stream's retention on every start */
	if (start_seq > 1) {
		so.Config.DeliverPolicy = js_DeliverByStartSequence;
		so.Config.OptStartSeq = start_seq;
	} else {
		jsStreamInfo *si = NULL;

		so.Config.DeliverPolicy = js_DeliverAll;
		/* the first message is the stream's first: one lost in flight shows as a hole */
		if (js_GetStreamInfo(&si, wk.pub.js, ccfg->stream_events, NULL, NULL) == NATS_OK) {
			wk.max_sseq = si->State.Msgs ? si->State.FirstSeq - 1 : si->State.LastSeq;
			wk.resumed = false;
			jsStreamInfo_Destroy(si);
		}
	}
	so.Config.AckPolicy = js_AckExplicit;
	/* events wait in the reorder heap before they are acked */
	so.Config.AckWait = 300000 * MS;
	so.Config.MaxAckPending = REORDER_CAP + 4 * ccfg->fetch_batch;
	so.Config.InactiveThreshold = 60000 * MS;
	events_subject(subj, sizeof(subj), ">");
	s = js_PullSubscribe(&wk.sub, wk.pub.js, subj, NULL, NULL, &so, &jerr);
	if (s != NATS_OK && !(wk.fetch_errors++ % 20)) {
		fprintf(stderr, "ss7watch: %s: cannot consume stream %s: %s (JetStream error %d)\n", wk.name,
			ccfg->stream_events, nats_GetLastError(NULL) ? nats_GetLastError(NULL) : natsStatus_GetText(s),
			(int)jerr);
	}
	if (s != NATS_OK) {
		wk.sub = NULL;
		return -1;
	}
	return 0;
}

/* The site of an alert raised when a window expired: that of its first related message,
 * found by frame and capture time among the recent events. */
static struct site_cache_entry *site_cache_slot(uint64_t frame, uint64_t t_us)
{
	return &wk.cache[(frame * 0x9e3779b97f4a7c15ull ^ t_us) * 0xff51afd7ed558ccdull >> 48];
}

/* The incident stage's output: name the site, give the alert its stable id, publish it. */
static int worker_emit(void *priv, const struct sw_alert *a)
{
	struct sw_alert *c = &wk.scratch;
	const char *site = NULL;
	uint64_t frame;
	uint16_t seq = 0;
	char id[256], *line;
	size_t n;

	if (a->verdict != SW_ALERT_WRITE)
		return 0;
	*c = *a;
	if (a->msg) {
		site = wk.sites[wk.cur_site];
		frame = wk.cur_frame;
		seq = wk.cur_seq;
	} else {
		uint64_t t_us = a->n_related ? (uint64_t)a->related[0].ts.tv_sec * 1000000 + a->related[0].ts.tv_usec : 0;
		struct site_cache_entry *e;

		frame = sw_alert_frame(a);
		e = site_cache_slot(frame, t_us);
		if (e->frame == frame && e->t_us == t_us) {
			site = wk.sites[e->site];
			seq = e->seq;
		}
	}
	c->site = site;
	sw_cluster_alert_id(id, sizeof(id), c, site, frame, seq);
	n = sw_eve_format(wk.eve, c, &line);
	if (!n) {
		wk.alert_encode_errors++;
		return -1;
	}
	pub_send(&wk.pub, wk.alerts_subj, line, n, id, wk.name);
	wk.alerts_pending = true;
	wk.t_last_alert = now_s();
	for (unsigned r = 0; r < SW_RULE__COUNT; r++)
		if (!strcmp(sw_rule_defs[r].id, a->rule))
			wk.alerts_by_rule[r]++;
	return 0;
}

/* incident and stats lines stay in the worker in phase 1 (doc/cluster.md) */
static int worker_event_line(void *priv, const char *line, size_t len, uint8_t severity)
{
	return 0;
}

static int site_index(const char *name, unsigned len)
{
	for (unsigned i = 0; i < wk.n_sites; i++)
		if (!strncmp(wk.sites[i], name, len) && !wk.sites[i][len])
			return i;
	if (wk.n_sites >= SITES_MAX || !len || len > SW_EVENT_SITE_MAX)
		return -1;
	wk.site_st[wk.n_sites] = talloc_zero(wk.ctx, struct wsite);
	if (!wk.site_st[wk.n_sites])
		return -1;
	memcpy(wk.sites[wk.n_sites], name, len);
	wk.sites[wk.n_sites][len] = '\0';
	return wk.n_sites++;
}

/* Count event (run, counter, t_us) of site st into its complete prefix. */
static void site_account(struct wsite *st, uint32_t run, uint64_t counter, uint64_t t_us)
{
	if (!st->have_run || run != st->run) {
		/* a sensor (re)started: its counter starts again */
		if (st->have_run)
			wk.site_runs++;
		memset(st->ahead, 0, sizeof(st->ahead));
		st->have_run = true;
		st->run = run;
		/* a run counts from 1: its first events may come later (published again after a
		 * node was lost); one first seen far into its count started before the stream's
		 * retention, or while this worker was away */
		st->next = counter < AHEAD ? 1 : counter;
	}
	if (counter > st->max_counter)
		st->max_counter = counter;
	if (t_us > st->max_us)
		st->max_us = t_us;
	if (counter < st->next)
		return;
	if (counter - st->next >= AHEAD) {
		/* a gap longer than what is kept: given up, the site's order goes on from here */
		wk.gaps_given_up++;
		memset(st->ahead, 0, sizeof(st->ahead));
		st->next = counter;
	}
	if (counter != st->next) {
		st->ahead[counter % AHEAD] = t_us + 1;
		return;
	}
	if (t_us > st->complete_us)
		st->complete_us = t_us;
	st->next++;
	if (st->ahead[st->next % AHEAD])
		wk.gaps_filled++;
	while (st->ahead[st->next % AHEAD]) {
		uint64_t t = st->ahead[st->next % AHEAD] - 1;

		st->ahead[st->next % AHEAD] = 0;
		if (t > st->complete_us)
			st->complete_us = t;
		st->next++;
	}
}

/* Drained and idle: a gap that is still open will not be filled. */
static void sites_give_up_gaps(void)
{
	for (unsigned i = 0; i < wk.n_sites; i++) {
		struct wsite *st = wk.site_st[i];

		if (!st->have_run || st->next > st->max_counter)
			continue;
		wk.gaps_given_up++;
		memset(st->ahead, 0, sizeof(st->ahead));
		st->next = st->max_counter + 1;
		st->complete_us = st->max_us;
	}
}

/* Ties of capture time between sites break on the name (its first bytes), the same on every
 * worker whatever order it learned the sites in. */
static uint32_t site_rank(unsigned site)
{
	const uint8_t *n = (const uint8_t *)wk.sites[site];
	uint32_t r = 0;

	for (unsigned i = 0; i < 4; i++)
		r = r << 8 | (n[0] ? *n++ : 0);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sites that have events in the stream, by the subjects it holds (PREFIX.events.SITE):
 * a site known before its first event is read holds the others back until it is (a sensor
 * that published after another). Sorted by name, so every worker numbers them alike. */
static void learn_sites(void)
{
	jsStreamInfo *si = NULL;
	jsOptions jo;
	char filter[256], prefix[256];
	const char *names[SITES_MAX];
	unsigned n = 0;
	size_t plen;

	jsOptions_Init(&jo);
	events_subject(filter, sizeof(filter), ">");
	events_subject(prefix, sizeof(prefix), "");
	plen = strlen(prefix);
	jo.Stream.Info.SubjectsFilter = filter;
	if (js_GetStreamInfo(&si, wk.pub.js, ccfg->stream_events, &jo, NULL) != NATS_OK)
		return;
	for (int i = 0; si->State.Subjects && i < si->State.Subjects->Count && n < SITES_MAX; i++) {
		const char *subj = si->State.Subjects->List[i].Subject;

		if (!strncmp(subj, prefix, plen) && sw_cluster_site_valid(subj + plen))
			names[n++] = subj + plen;
	}
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (unsigned i = 0; i < n; i++)
		site_index(names[i], strlen(names[i]));
	jsStreamInfo_Destroy(si);
}

/* Every site has been read up to this capture time: the earliest of their newest. */
static uint64_t watermark(void)
{
	uint64_t w = UINT64_MAX;

	for (unsigned i = 0; i < wk.n_sites; i++)
		if (wk.site_st[i]->complete_us < w)
			w = wk.site_st[i]->complete_us;
	return wk.n_sites ? w : 0;
}

static void worker_commit(void);

/* A NATS message the worker fetched (one event or a batch of them): acked once every event
 * it carried has been processed and the alerts they caused are in the alerts stream. */
struct wmsg {
	natsMsg *m;
	uint32_t refs;		/* its events still held, and 1 while it is being taken */
};

/* One of w's events is done with: the last one puts w in the list to ack. */
static void wmsg_put(struct wmsg *w)
{
	if (--w->refs)
		return;
	if (wk.n_done >= wk.done_cap)
		worker_commit();
	wk.done[wk.n_done++] = w;
}

/* Feed one event to the decoder at the SCCP layer, as the site's decoder would have. */
static void worker_feed(const struct sw_reorder_item *it)
{
	struct sw_decoder *dec = wk.dec;
	struct sw_event ev;
	struct site_cache_entry *e;
	uint16_t site = it->site;
	uint64_t t_us;

	/* it parsed when it was taken: this finds the pointers again */
	if (sw_event_decode(&ev, it->data, it->len) != SW_EVENT_OK) {
		wmsg_put(it->owner);
		return;
	}
	t_us = (uint64_t)ev.meta.ts.tv_sec * 1000000 + ev.meta.ts.tv_usec;
	wk.cur_site = site;
	wk.cur_frame = ev.frame;
	wk.cur_seq = ev.seq;
	e = site_cache_slot(ev.frame, t_us);
	*e = (struct site_cache_entry){ .frame = ev.frame, .t_us = t_us, .site = site, .seq = ev.seq };
	sw_event_feed(dec, &ev);
	wk.processed++;
	wk.t_last_event = now_s();
	if (wk.released_us < t_us || !wk.released_any)
		wk.released_us = t_us;
	wk.released_any = true;
	wmsg_put(it->owner);
}

/* Release the earliest held event. */
static void worker_release_one(void)
{
	struct sw_reorder_item it;

	if (sw_reorder_pop(&wk.heap, &it))
		worker_feed(&it);
}

/* Events more than skew behind what every site has reached are released, in time order. */
static void worker_release_ready(void)
{
	const struct sw_reorder_item *top;
	uint64_t skew = (uint64_t)ccfg->skew_ms * 1000, w = watermark();

	while ((top = sw_reorder_top(&wk.heap)) && top->t_us + skew < w)
		worker_release_one();
}

/* Ack the messages whose events are all processed once the alerts they caused are in the
 * alerts stream. */
static void worker_commit(void)
{
	bool acked = true;

	if (wk.alerts_pending) {
		while ((acked = pub_wait(&wk.pub, 30000, false) == 0) == false && !stop_requested)
			fprintf(stderr, "ss7watch: %s: alerts not acknowledged yet by stream %s, waiting\n", wk.name,
				ccfg->stream_alerts);
		wk.alerts_pending = !acked;
	}
	for (unsigned i = 0; i < wk.n_done; i++) {
		/* stopped before its alerts were in the stream: not acked (the next start replays it) */
		if (acked)
			natsMsg_Ack(wk.done[i]->m, NULL);
		natsMsg_Destroy(wk.done[i]->m);
		free(wk.done[i]);
	}
	wk.n_done = 0;
}

/* Hold one parsed event of w (rec, len: its record) in the reorder heap. */
static void worker_take_event(struct wmsg *w, const struct sw_event *ev, const uint8_t *rec, size_t len)
{
	struct sw_reorder_item it;
	uint64_t t_us;
	int site;

	site = site_index(ev->site, ev->site_len);
	if (site < 0) {
		wk.sites_over++;
		return;
	}
	t_us = (uint64_t)ev->meta.ts.tv_sec * 1000000 + ev->meta.ts.tv_usec;
	if (t_us > wk.newest_us)
		wk.newest_us = t_us;
	site_account(wk.site_st[site], ev->run, ev->counter, t_us);
	it = (struct sw_reorder_item){ .t_us = t_us, .frame = ev->frame, .seq = ev->seq, .site = site,
				       .site_rank = site_rank(site), .data = (void *)rec, .owner = w,
				       .len = (uint32_t)len };
	w->refs++;
	if (wk.released_any && t_us < wk.released_us) {
		/* its turn has passed: processed now, out of order, and counted */
		wk.late++;
		worker_feed(&it);
		return;
	}
	if (wk.heap.n >= wk.heap.cap) {
		wk.full_released++;
		worker_release_one();
	}
	sw_reorder_push(&wk.heap, &it);
	if (wk.heap.n > wk.depth_max)
		wk.depth_max = wk.heap.n;
}

/* A fetched message: one event (version 1) or a batch (version 2). Hostile bytes: a batch
 * whose framing is wrong is refused whole, a malformed record inside a sound batch alone. */
static void worker_take(natsMsg *m)
{
	const uint8_t *d = (const uint8_t *)natsMsg_GetData(m);
	size_t len = natsMsg_GetDataLength(m);
	uint64_t sseq = 0, delivered = 1, pending = 0;
	struct sw_event ev;
	enum sw_event_err e;
	struct wmsg *w;

	if (js_reply_info(m, &sseq, &delivered, &pending)) {
		wk.lag = pending;
		if (delivered > 1)
			wk.redelivered++;
		/* already held or processed: a redelivery after an ack was lost */
		if (sseq && sseq <= wk.max_sseq) {
			wk.dup_deliveries++;
			natsMsg_Ack(m, NULL);
			natsMsg_Destroy(m);
			return;
		}
		/* the consumer reads every message of the stream: a sequence skipped was delivered
		 * while the connection was lost (its node killed) and would come again only after
		 * the ack wait; this and the rest of the fetch are dropped unacked, and a new
		 * consumer starts at the first one missing */
		if (wk.hole || (sseq > wk.max_sseq + 1 && !wk.resumed)) {
			wk.hole = true;
			natsMsg_Destroy(m);
			return;
		}
	}
	w = malloc(sizeof(*w));
	if (!w) {
		/* not acked: delivered again after the ack wait */
		natsMsg_Destroy(m);
		return;
	}
	if (sseq) {
		wk.max_sseq = sseq;
		wk.resumed = false;
	}
	w->m = m;
	w->refs = 1;
	wk.msgs++;
	wk.t_last_consumed = now_s();
	if (!wk.t_first)
		wk.t_first = wk.t_last_consumed;
	if (len && d[0] == SW_BATCH_VERSION) {
		struct sw_batch b;
		enum sw_batch_err be = sw_batch_decode(&b, d, len);
		const uint8_t *rec;
		size_t off = 0, rlen;

		if (be != SW_BATCH_OK) {
			wk.bad_batches[be]++;
		} else {
			wk.batches++;
			wk.batch_events += b.count;
			for (unsigned i = 0; sw_batch_next(&b, &off, &rec, &rlen); i++) {
				wk.consumed++;
				e = sw_batch_event_decode(&b, i, &ev, rec, rlen);
				if (e != SW_EVENT_OK)
					wk.malformed[e]++;
				else
					worker_take_event(w, &ev, rec, rlen);
			}
		}
	} else {
		wk.consumed++;
		e = sw_event_decode(&ev, d, len);
		if (e != SW_EVENT_OK)
			wk.malformed[e]++;
		else
			worker_take_event(w, &ev, d, len);
	}
	wmsg_put(w);
}

/* Stream's last sequence, 0 when it cannot be read. */
static uint64_t stream_last_seq(void)
{
	jsStreamInfo *si = NULL;
	uint64_t last = 0;

	if (js_GetStreamInfo(&si, wk.pub.js, ccfg->stream_events, NULL, NULL) == NATS_OK) {
		last = si->State.LastSeq;
		jsStreamInfo_Destroy(si);
	}
	return last;
}

static void print_worker_summary(FILE *f)
{
	const struct sw_detector_stats *st = sw_detector_stats(wk.det);
	uint64_t malformed = 0, bad_batches = 0;

	for (unsigned i = 1; i < SW_EVENT__ERRS; i++)
		malformed += wk.malformed[i];
	for (unsigned i = 1; i < SW_BATCH__ERRS; i++)
		bad_batches += wk.bad_batches[i];
	fprintf(f, "cluster %s: events consumed %" PRIu64 ", processed %" PRIu64 ", in messages %" PRIu64 " (batches %"
		PRIu64 ", %.1f events per batch), redelivered %" PRIu64 " (%" PRIu64 " already taken), malformed %" PRIu64
		" (short %" PRIu64 ", version %" PRIu64 ", length %" PRIu64 ", field %" PRIu64 ", batch %" PRIu64
		"), malformed batches %" PRIu64 " (short %" PRIu64 ", count %" PRIu64 ", field %" PRIu64 ", length %" PRIu64
		"), late %" PRIu64 ", reorder depth %u (max %" PRIu64 ", released when full %" PRIu64 "), lag %" PRIu64
		", sites %u (%" PRIu64 " events of sites over %u), gaps filled %" PRIu64 ", given up %" PRIu64
		", sensor restarts %" PRIu64 "\n",
		wk.name, wk.consumed, wk.processed, wk.msgs, wk.batches,
		wk.batches ? (double)wk.batch_events / wk.batches : 0.0, wk.redelivered, wk.dup_deliveries, malformed,
		wk.malformed[SW_EVENT_SHORT], wk.malformed[SW_EVENT_VERSION_BAD], wk.malformed[SW_EVENT_LENGTH],
		wk.malformed[SW_EVENT_FIELD], wk.malformed[SW_EVENT_BATCH], bad_batches, wk.bad_batches[SW_BATCH_SHORT],
		wk.bad_batches[SW_BATCH_COUNT], wk.bad_batches[SW_BATCH_FIELD], wk.bad_batches[SW_BATCH_LENGTH], wk.late,
		wk.heap.n, wk.depth_max, wk.full_released, wk.lag, wk.n_sites, wk.sites_over, SITES_MAX, wk.gaps_filled,
		wk.gaps_given_up, wk.site_runs);
	fprintf(f, "cluster %s: alerts published %" PRIu64 ", acked %" PRIu64 ", duplicate %" PRIu64
		", retried %" PRIu64 ", publish errors %" PRIu64 ", not formatted %" PRIu64 ", consumer re-created %" PRIu64
		" (%" PRIu64 " after a skipped stream sequence), fetch errors %" PRIu64 "\n", wk.name, wk.pub.published,
		wk.pub.acked, wk.pub.duplicates, wk.pub.retries, wk.pub.errors, wk.alert_encode_errors, wk.resubscribed,
		wk.holes, wk.fetch_errors);
	if (wk.t_first)
		fprintf(f, "cluster %s: first event at %.6f, last event consumed at %.6f, last event processed at %.6f, "
			"last alert at %.6f (wall clock)\n", wk.name, wk.t_first, wk.t_last_consumed, wk.t_last_event,
			wk.t_last_alert);
	fprintf(f, "messages %llu, components %llu, alerts %llu\n", (unsigned long long)st->messages,
		(unsigned long long)st->components, (unsigned long long)st->alerts);
	for (unsigned r = 0; r < SW_RULE__COUNT; r++)
		if (wk.alerts_by_rule[r])
			fprintf(f, "  %8" PRIu64 "  %s\n", wk.alerts_by_rule[r], sw_rule_defs[r].id);
}

static int run_worker(void *ctx, struct sw_config *cfg, const struct sw_cluster_opts *o)
{
	struct sw_decoder_cfg dcfg = { .pc_format = o->pc_format };
	struct sw_incident_cfg icfg;
	char err[512];
	int64_t idle_since = now_ms(), lag_checked = now_ms();
	bool flushed = true;
	unsigned stuck = 0, stuck_errors = 0;
	int rc = 0;

	wk.ctx = ctx;
	snprintf(wk.name, sizeof(wk.name), "worker-%d", o->worker);
	prog_role = wk.name;
	alerts_subject(wk.alerts_subj, sizeof(wk.alerts_subj));
	wk.done_cap = REORDER_CAP + ccfg->fetch_batch;
	wk.done = talloc_array(ctx, struct wmsg *, wk.done_cap);
	wk.cache = talloc_zero_array(ctx, struct site_cache_entry, SITE_CACHE);
	wk.eve = sw_eve_alloc(ctx, cfg->alerts.pseudo_key, cfg->alerts.pseudo_key_len, cfg->alerts.pseudo_keep_location);
	if (!wk.done || !wk.cache || !wk.eve || !sw_reorder_init(ctx, &wk.heap, REORDER_CAP)) {
		fprintf(stderr, "ss7watch: out of memory allocating the worker\n");
		return 1;
	}
	/* the replay's alert path, its sink replaced by the alerts stream */
	icfg = sw_incident_cfg_from(cfg, 0);
	wk.incidents = sw_incidents_alloc(ctx, &icfg, worker_emit, NULL, worker_event_line, NULL);
	wk.filters = wk.incidents ? sw_threshold_alloc(ctx, cfg, sw_incidents_emit, wk.incidents, err, sizeof(err)) : NULL;
	if (!wk.filters) {
		fprintf(stderr, "ss7watch: %s\n", wk.incidents ? err : "out of memory allocating the incident table");
		return 1;
	}
	wk.det = sw_detector_alloc(ctx, cfg, sw_threshold_emit, wk.filters, err, sizeof(err));
	if (!wk.det) {
		fprintf(stderr, "ss7watch: %s: %s\n", o->config_file, err);
		return 1;
	}
	wk.dec = sw_decoder_alloc(ctx, &dcfg, sw_detector_on_msg, wk.det);
	if (!wk.dec) {
		fprintf(stderr, "ss7watch: out of memory allocating the decoder\n");
		return 1;
	}
	wk.nc = cl_connect();
	if (!wk.nc)
		return 1;
	if (pub_init(ctx, &wk.pub, wk.nc, ccfg->max_pending) < 0 || ensure_streams(wk.pub.js) < 0) {
		natsConnection_Destroy(wk.nc);
		return 1;
	}
	for (unsigned i = 0; i < ccfg->n_sites; i++)
		site_index(ccfg->sites[i], strlen(ccfg->sites[i]));
	learn_sites();
	/* retried in the loop while JetStream elects leaders */
	worker_subscribe(1);
	install_signals();
	fprintf(stderr, "ss7watch: %s: consuming stream %s from its start\n", wk.name, ccfg->stream_events);
	while (!stop_requested) {
		natsMsgList list = { 0 };
		jsErrCode jerr = 0;
		natsStatus s;
		int want = ccfg->fetch_batch;

		if (!wk.sub) {
			if (worker_subscribe(wk.max_sseq + 1) < 0)
				sleep_ms(500);
			continue;
		}
		s = natsSubscription_Fetch(&list, wk.sub, want, ccfg->idle_ms < 500 ? ccfg->idle_ms : 500, &jerr);
		if (s == NATS_OK && list.Count) {
			for (int i = 0; i < list.Count; i++) {
				worker_take(list.Msgs[i]);
				list.Msgs[i] = NULL;
			}
			natsMsgList_Destroy(&list);
			if (wk.hole) {
				fprintf(stderr, "ss7watch: %s: stream sequence %" PRIu64 " skipped (delivered while the "
					"connection was lost): consuming again from it\n", wk.name, wk.max_sseq + 1);
				wk.holes++;
				wk.resubscribed++;
				wk.hole = false;
				worker_subscribe(wk.max_sseq + 1);
			}
			idle_since = now_ms();
			flushed = false;
			stuck = 0;
			worker_release_ready();
			worker_commit();
			continue;
		}
		natsMsgList_Destroy(&list);
		if (s != NATS_OK && s != NATS_TIMEOUT) {
			wk.fetch_errors++;
			/* the consumer lost with its node: a new one after the last event received */
			if (++stuck_errors >= 20) {
				wk.resubscribed++;
				worker_subscribe(wk.max_sseq + 1);
				stuck_errors = 0;
			}
			sleep_ms(100);
			continue;
		}
		stuck_errors = 0;
		/* a consumer lost with its node delivers nothing while the stream grows: make a new
		 * one that starts after the last event received */
		if (now_ms() - lag_checked >= 1000) {
			uint64_t last = stream_last_seq();

			lag_checked = now_ms();
			wk.lag = last > wk.max_sseq ? last - wk.max_sseq : 0;
			if (wk.lag && ++stuck >= 3) {
				fprintf(stderr, "ss7watch: %s: consumer delivers nothing while %" PRIu64 " events wait: "
					"consuming again from stream sequence %" PRIu64 "\n", wk.name, wk.lag,
					wk.max_sseq + 1);
				wk.resubscribed++;
				worker_subscribe(wk.max_sseq + 1);
				stuck = 0;
			} else if (!wk.lag) {
				stuck = 0;
			}
		}
		if (now_ms() - idle_since < ccfg->idle_ms)
			continue;
		/* drained and idle: what is held cannot wait for other sites any longer */
		if (!flushed) {
			while (wk.heap.n)
				worker_release_one();
			sites_give_up_gaps();
			/* as at the end of a replay: windows that ended by the last capture time */
			sw_detector_flush(wk.det);
			worker_commit();
			flushed = true;
			fprintf(stderr, "ss7watch: %s: drained: %" PRIu64 " events processed, %" PRIu64
				" alerts published, last event processed at %.6f\n", wk.name, wk.processed,
				wk.pub.published, wk.t_last_event);
		}
		idle_since = now_ms();
	}
	/* SIGTERM: what was taken is processed and its alerts published before the exit */
	worker_release_ready();
	worker_commit();
	if (pub_wait(&wk.pub, 10000, true) < 0)
		rc = 1;
	/* held events are not acked: the next worker start replays them anyway */
	print_worker_summary(stderr);
	if (wk.sub) {
		natsSubscription_Unsubscribe(wk.sub);
		natsSubscription_Destroy(wk.sub);
	}
	for (struct sw_reorder_item it; sw_reorder_pop(&wk.heap, &it);) {
		struct wmsg *w = it.owner;

		if (!--w->refs) {
			natsMsg_Destroy(w->m);
			free(w);
		}
	}
	jsCtx_Destroy(wk.pub.js);
	natsConnection_Destroy(wk.nc);
	return rc;
}

/* ======================================================================================
 * collector
 * ====================================================================================== */

#define COLLECTOR_DURABLE	"ss7watch-collector"

/* The stream sequence of the last line of the file (0: empty, or no such line). */
static int last_written_seq(int fd, uint64_t *seq, char *err, size_t errlen)
{
	char buf[65536], *p;
	off_t size = lseek(fd, 0, SEEK_END);
	ssize_t n;
	off_t from;

	*seq = 0;
	if (size <= 0)
		return 0;
	from = size > (off_t)sizeof(buf) - 1 ? size - (off_t)sizeof(buf) + 1 : 0;
	n = pread(fd, buf, sizeof(buf) - 1, from);
	if (n < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	/* a last line cut by a crash ends without '\n': cut it off, its alert comes again */
	while (n > 0 && buf[n - 1] != '\n')
		buf[--n] = '\0';
	if (from + n < size) {
		if (n == 0 && from > 0) {
			snprintf(err, errlen, "the last 64 KiB hold no line end: not an alert file");
			return -1;
		}
		fprintf(stderr, "ss7watch: collector: cut %lld bytes of a last line without its end\n",
			(long long)(size - from - n));
		if (ftruncate(fd, from + n) < 0) {
			snprintf(err, errlen, "cannot cut the unfinished last line: %s", strerror(errno));
			return -1;
		}
		size = from + n;
	}
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	p = strrchr(buf, '\n');
	p = p ? p + 1 : buf;
	p = strstr(p, "\"cluster\":{\"seq\":");
	if (p)
		*seq = strtoull(p + 17, NULL, 10);
	if (size > 0 && (n == 0 || !p))
		fprintf(stderr, "ss7watch: collector: the last line of the file names no stream sequence: "
			"starting from what the durable consumer delivers\n");
	return 0;
}

/* The durable consumer, made again to start right after the file's last line: messages a
 * killed collector had fetched but not acked would otherwise come back after newer ones, and
 * the file's order is what tells a line written from one that is not. Retried while
 * JetStream elects leaders (a node lost). \returns 0, or -1 (stopped, or no stream). */
static int collector_subscribe(jsCtx *js, natsSubscription **sub, uint64_t last_seq)
{
	int64_t warned = now_ms();
	jsSubOptions so;
	jsErrCode jerr;
	natsStatus s;
	char subj[256];

	if (*sub) {
		natsSubscription_Destroy(*sub);
		*sub = NULL;
	}
	alerts_subject(subj, sizeof(subj));
	while (!stop_requested) {
		js_DeleteConsumer(js, ccfg->stream_alerts, COLLECTOR_DURABLE, NULL, NULL);
		jsSubOptions_Init(&so);
		so.Stream = ccfg->stream_alerts;
		so.Config.AckPolicy = js_AckExplicit;
		so.Config.AckWait = 30000 * MS;
		so.Config.MaxAckPending = 4 * FETCH_BATCH;
		if (last_seq) {
			so.Config.DeliverPolicy = js_DeliverByStartSequence;
			so.Config.OptStartSeq = last_seq + 1;
		} else {
			so.Config.DeliverPolicy = js_DeliverAll;
		}
		jerr = 0;
		s = js_PullSubscribe(sub, js, subj, COLLECTOR_DURABLE, NULL, &so, &jerr);
		if (s == NATS_OK)
			return 0;
		*sub = NULL;
		if (now_ms() - warned > 5000) {
			fprintf(stderr, "ss7watch: collector: cannot consume stream %s yet: %s (JetStream error %d)\n",
				ccfg->stream_alerts, nats_GetLastError(NULL) ? nats_GetLastError(NULL) : natsStatus_GetText(s),
				(int)jerr);
			warned = now_ms();
		}
		sleep_ms(250);
	}
	return -1;
}

static int run_collector(void *ctx, const struct sw_cluster_opts *o)
{
	natsConnection *nc;
	natsSubscription *sub = NULL;
	jsCtx *js = NULL;
	jsErrCode jerr = 0;
	natsStatus s;
	uint64_t last_seq, written = 0, skipped = 0, malformed = 0, errors = 0;
	char err[256], *out = NULL;
	size_t out_cap = 1 << 20;
	int fd, rc = 0;

	prog_role = "collector";
	if (!o->output || !strcmp(o->output, "-")) {
		fprintf(stderr, "ss7watch: --collect appends alerts to a file: give -o FILE\n");
		return 2;
	}
	fd = open(o->output, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		fprintf(stderr, "ss7watch: %s: cannot open alert output: %s\n", o->output, strerror(errno));
		return 1;
	}
	if (last_written_seq(fd, &last_seq, err, sizeof(err)) < 0) {
		fprintf(stderr, "ss7watch: %s: %s\n", o->output, err);
		close(fd);
		return 1;
	}
	out = talloc_size(ctx, out_cap);
	nc = cl_connect();
	if (!nc || !out) {
		close(fd);
		return 1;
	}
	if (natsConnection_JetStream(&js, nc, NULL) != NATS_OK || ensure_streams(js) < 0)
		goto fail;
	install_signals();
	if (collector_subscribe(js, &sub, last_seq) < 0)
		goto fail;
	fprintf(stderr, "ss7watch: collector: appending the alerts of stream %s to %s after sequence %" PRIu64 "\n",
		ccfg->stream_alerts, o->output, last_seq);
	while (!stop_requested) {
		natsMsgList list = { 0 };
		size_t n = 0;

		s = natsSubscription_Fetch(&list, sub, FETCH_BATCH, 500, &jerr);
		if (s != NATS_OK) {
			natsMsgList_Destroy(&list);
			if (s == NATS_TIMEOUT)
				continue;
			/* the consumer lost (its node, a leader election): again after the last line */
			if (++errors % 20 == 0 && collector_subscribe(js, &sub, last_seq) < 0)
				break;
			sleep_ms(100);
			continue;
		}
		errors = 0;
		for (int i = 0; i < list.Count; i++) {
			natsMsg *m = list.Msgs[i];
			const char *d = natsMsg_GetData(m), *worker = NULL;
			int len = natsMsg_GetDataLength(m);
			uint64_t sseq = 0, delivered, pending;

			js_reply_info(m, &sseq, &delivered, &pending);
			if (sseq && sseq <= last_seq) {
				skipped++;
				continue;
			}
			while (len > 0 && (d[len - 1] == '\n' || d[len - 1] == ' '))
				len--;
			if (len < 2 || d[0] != '{' || d[len - 1] != '}' || memchr(d, '\n', len) ||
			    (size_t)len + 256 > out_cap) {
				malformed++;
				continue;
			}
			if (n + len + 256 > out_cap) {
				if (write(fd, out, n) != (ssize_t)n) {
					fprintf(stderr, "ss7watch: %s: %s\n", o->output, strerror(errno));
					rc = 1;
					stop_requested = 1;
				}
				n = 0;
			}
			if (natsMsgHeader_Get(m, "Ss7watch-Worker", &worker) != NATS_OK || !worker)
				worker = "";
			memcpy(out + n, d, len - 1);
			n += len - 1;
			n += snprintf(out + n, out_cap - n, ",\"cluster\":{\"seq\":%" PRIu64 ",\"worker\":\"%.32s\"}}\n",
				      sseq, strspn(worker, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(worker) ?
				      worker : "?");
			last_seq = sseq;
			written++;
		}
		/* the lines are in the file before their messages are acked */
		if (n && write(fd, out, n) != (ssize_t)n) {
			fprintf(stderr, "ss7watch: %s: %s\n", o->output, strerror(errno));
			rc = 1;
			natsMsgList_Destroy(&list);
			break;
		}
		for (int i = 0; i < list.Count; i++)
			natsMsg_Ack(list.Msgs[i], NULL);
		natsMsgList_Destroy(&list);
	}
	fsync(fd);
	fprintf(stderr, "cluster collector: alerts written %" PRIu64 ", skipped as duplicate %" PRIu64
		", malformed %" PRIu64 ", last stream sequence %" PRIu64 "\n", written, skipped, malformed, last_seq);
	natsSubscription_Destroy(sub);
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
	close(fd);
	return rc;
fail:
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
	close(fd);
	return 1;
}

int sw_cluster_main(void *ctx, const struct sw_cluster_opts *o)
{
	struct sw_config *cfg;
	const char *mode = o->site ? "--site" : o->worker ? "--worker" : "--collect";
	int rc;

	if (!o->config_file) {
		fprintf(stderr, "ss7watch: %s needs the cluster's configuration: -c FILE\n", mode);
		return 2;
	}
	if (load_cluster_config(ctx, o->config_file, &cfg, mode) < 0)
		return 1;
	if (o->check_only) {
		printf("ss7watch: %s: configuration OK (cluster %s: %u servers, streams %s and %s)\n",
		       o->config_file, mode, ccfg->n_servers, ccfg->stream_events, ccfg->stream_alerts);
		return 0;
	}
	if (o->site)
		rc = run_sensor(ctx, o);
	else if (o->worker)
		rc = run_worker(ctx, cfg, o);
	else
		rc = run_collector(ctx, o);
	nats_Close();
	return rc;
}

#endif /* HAVE_NATS */
