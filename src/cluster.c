/* The cluster modes on NATS JetStream (cluster.h, doc/cluster.md), one file per role:
 *  - sensor (--site NAME): the decode chain up to SCCP; every SCCP message is published as
 *    one event (cluster_event.c) to PREFIX.events.SITE by the publishing core
 *    (cluster_sensor.c), driven by the replay of -r FILE (cluster_sensor_replay.c) or, without
 *    -r, by the daemon's live inputs (daemon.c);
 *  - worker (cluster_worker.c, --worker N): reads the events stream, merges the sites by
 *    capture time, runs the single-box detector and publishes alerts to PREFIX.alerts;
 *  - collector (cluster_collector.c, --collect -o FILE): appends each alert once.
 * This file: what they share (cluster_priv.h: connection, streams, publishing with retries)
 * and the dispatch. Without libnats only sw_cluster_main() and the live sensor's entry points
 * are built, and say so. */
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
#include <ss7watch/hash.h>
#include <ss7watch/rules.h>

/* the config's bounds of a batch are the record's: an empty batch takes the largest event */
_Static_assert(SW_CLUSTER_BATCH_BYTES_MIN >= SW_BATCH_HDR_LEN + SW_EVENT_SITE_MAX + 2 + SW_EVENT_MAX_LEN,
	       "batch-bytes' minimum must hold the largest event");
_Static_assert(SW_CLUSTER_BATCH_EVENTS_MAX == SW_BATCH_EVENTS_MAX, "batch-events' maximum is the record's");

#ifndef HAVE_NATS

#define NO_NATS	"this ss7watch was built without libnats (install libnats-dev and run configure again)"

int sw_cluster_main(void *ctx, const struct sw_cluster_opts *o)
{
	fprintf(stderr, "ss7watch: --site, --worker and --collect need NATS JetStream: " NO_NATS "\n");
	return 2;
}

int sw_cluster_sensor_start(void *ctx, const struct sw_config *cfg, const char *site)
{
	fprintf(stderr, "ss7watch: --site (a live cluster sensor) needs NATS JetStream: " NO_NATS "\n");
	return -1;
}

bool sw_cluster_sensor_tap(struct sw_decoder *dec, const uint8_t *sccp, uint32_t len, void *priv)
{
	return false;
}

void sw_cluster_sensor_untapped(struct sw_decoder *dec, struct sw_msg *msg)
{
}

int sw_cluster_sensor_stop(void)
{
	return 0;
}

#else

#include <ss7watch/cluster_priv.h>
#include <ss7watch/daemon.h>
#include <ss7watch/input_pcap.h>

#define PUB_TRIES	600		/* publishes of one message before it counts as failed (a minute and more) */
#define PUB_WAIT_MS	2000		/* an unacknowledged publish fails (and is retried) after this */

volatile sig_atomic_t cl_stop_requested;

static void on_stop_signal(int sig)
{
	cl_stop_requested = 1;
	sw_pcap_replay_stop();
}

int64_t cl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double cl_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void cl_sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* --- connection and streams --- */

const struct sw_config_cluster *cl_cfg;
const char *cl_role;	/* "sensor a", "worker-1", "collector": log lines say who */

static void servers_list(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < cl_cfg->n_servers && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? ", " : "", cl_cfg->servers[i]);
}

static void on_disconnected(natsConnection *nc, void *closure)
{
	if (!cl_stop_requested)
		fprintf(stderr, "ss7watch: %s: disconnected from NATS, reconnecting\n", cl_role);
}

static void on_reconnected(natsConnection *nc, void *closure)
{
	char url[256] = "";

	natsConnection_GetConnectedUrl(nc, url, sizeof(url));
	fprintf(stderr, "ss7watch: %s: reconnected to %s\n", cl_role, url);
}

natsConnection *cl_connect(void)
{
	const char *what = NULL, *file = NULL;	/* the setting and file libnats refused */
	natsOptions *o = NULL;
	natsConnection *nc = NULL;
	natsStatus s;
	char urls[1024];

	s = natsOptions_Create(&o);
	if (s == NATS_OK)
		s = natsOptions_SetServers(o, (const char **)cl_cfg->servers, cl_cfg->n_servers);
	if (s == NATS_OK)
		s = natsOptions_SetName(o, cl_role);
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
	/* between sites the events name subscribers: TLS with the servers verified, and a
	 * certificate of our own when the servers ask for one */
	if (s == NATS_OK && cl_cfg->tls_ca) {
		s = natsOptions_SetSecure(o, true);
		if (s == NATS_OK && (s = natsOptions_LoadCATrustedCertificates(o, cl_cfg->tls_ca)) != NATS_OK)
			what = "tls-ca", file = cl_cfg->tls_ca;
		if (s == NATS_OK && cl_cfg->tls_cert &&
		    (s = natsOptions_LoadCertificatesChain(o, cl_cfg->tls_cert, cl_cfg->tls_key)) != NATS_OK)
			what = "tls-cert", file = cl_cfg->tls_cert;
	}
	if (s == NATS_OK && cl_cfg->user)
		s = natsOptions_SetUserInfo(o, cl_cfg->user, cl_cfg->password);
	if (s == NATS_OK)
		s = natsOptions_SetDisconnectedCB(o, on_disconnected, NULL);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectedCB(o, on_reconnected, NULL);
	if (s == NATS_OK)
		s = natsConnection_Connect(&nc, o);
	natsOptions_Destroy(o);
	if (s != NATS_OK && what) {
		fprintf(stderr, "ss7watch: %s: %s %s: %s\n", cl_role, what, file,
			nats_GetLastError(NULL) ? nats_GetLastError(NULL) : natsStatus_GetText(s));
		return NULL;
	}
	if (s != NATS_OK) {
		const char *why = nats_GetLastError(NULL);

		servers_list(urls, sizeof(urls));
		/* libnats' last error says more than the status: the TLS or authorization failure */
		fprintf(stderr, "ss7watch: %s: cannot connect to the NATS servers %s: %s%s\n", cl_role, urls,
			why && *why ? why : natsStatus_GetText(s),
			/* a server that verifies clients closes the connection after the handshake */
			cl_cfg->tls_ca && !cl_cfg->tls_cert && why && strstr(why, "PONG") ?
			" (the servers closed the connection: if they verify clients, give tls-cert)" : "");
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
	int64_t deadline = cl_now_ms() + 20000;
	natsStatus s;
	jsErrCode jerr;

	for (;;) {
		jsStreamInfo *si = NULL;
		jsStreamConfig sc;
		const char *subjects[1] = { subj };

		jerr = 0;
		s = js_GetStreamInfo(&si, js, name, NULL, &jerr);
		if (s == NATS_OK && si->Cluster && (!si->Cluster->Leader || !si->Cluster->Leader[0]) &&
		    cl_now_ms() < deadline && !cl_stop_requested) {
			/* publishes would fail until its replicas elect a leader */
			jsStreamInfo_Destroy(si);
			cl_sleep_ms(100);
			continue;
		}
		if (s == NATS_OK) {
			const jsStreamConfig *c = si->Config;

			if (c->Replicas != (int64_t)cl_cfg->replicas || c->MaxAge != (int64_t)max_age_s * 1000 * MS ||
			    c->Duplicates != (int64_t)cl_cfg->duplicate_window_s * 1000 * MS)
				fprintf(stderr, "ss7watch: %s: stream %s exists with other settings (replicas %" PRId64
					", max-age %" PRId64 " s, duplicate-window %" PRId64 " s): used as is\n",
					cl_role, name, c->Replicas, (int64_t)(c->MaxAge / (1000 * MS)),
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
			sc.Replicas = cl_cfg->replicas;
			sc.MaxAge = (int64_t)max_age_s * 1000 * MS;
			sc.Duplicates = (int64_t)cl_cfg->duplicate_window_s * 1000 * MS;
			jerr = 0;
			s = js_AddStream(&si, js, &sc, NULL, &jerr);
			if (s == NATS_OK) {
				fprintf(stderr, "ss7watch: %s: created stream %s (%s, replicas %u)\n", cl_role, name,
					subj, cl_cfg->replicas);
				jsStreamInfo_Destroy(si);
				/* look again: until it has a leader */
				continue;
			}
			/* another process created it meanwhile: look again */
		}
		if (cl_now_ms() > deadline || cl_stop_requested) {
			fprintf(stderr, "ss7watch: %s: stream %s: %s (JetStream error %d)\n", cl_role, name,
				nats_GetLastError(NULL) ? nats_GetLastError(NULL) : natsStatus_GetText(s), (int)jerr);
			return -1;
		}
		cl_sleep_ms(250);
	}
}

/* --- state the workers share --- */

#define SEED_KEY	"hash-seed"

int cl_shared_seed(jsCtx *js, uint64_t *seed, char *bucket, size_t bucket_len)
{
	int64_t deadline = cl_now_ms() + 20000;
	uint64_t mine = sw_hash_seed();
	uint8_t v[8];

	snprintf(bucket, bucket_len, "%s_STATE", cl_cfg->stream_events);
	for (unsigned i = 0; i < 8; i++)
		v[i] = mine >> (56 - 8 * i);
	for (;;) {
		kvStore *kv = NULL;
		kvEntry *e = NULL;
		uint64_t rev;
		natsStatus s = js_KeyValue(&kv, js, bucket);

		if (s == NATS_NOT_FOUND) {
			kvConfig kc;

			kvConfig_Init(&kc);
			kc.Bucket = bucket;
			kc.History = 1;
			kc.Replicas = cl_cfg->replicas;
			kc.StorageType = js_FileStorage;
			s = js_CreateKeyValue(&kv, js, &kc);
		}
		if (s == NATS_OK) {
			/* the first worker's seed is the cluster's: the others read it */
			if (kvStore_Create(&rev, kv, SEED_KEY, v, sizeof(v)) == NATS_OK) {
				*seed = mine;
				kvStore_Destroy(kv);
				return 0;
			}
			if (kvStore_Get(&e, kv, SEED_KEY) == NATS_OK) {
				const uint8_t *d = (const uint8_t *)kvEntry_Value(e);
				int len = kvEntry_ValueLen(e);

				*seed = 0;
				for (unsigned i = 0; len == (int)sizeof(v) && i < sizeof(v); i++)
					*seed = *seed << 8 | d[i];
				kvEntry_Destroy(e);
				kvStore_Destroy(kv);
				if (len == (int)sizeof(v))
					return 0;
				fprintf(stderr, "ss7watch: %s: key-value bucket %s: '%s' is not a seed (%d bytes, not 8)\n",
					cl_role, bucket, SEED_KEY, len);
				return -1;
			}
			kvStore_Destroy(kv);
		}
		if (cl_now_ms() > deadline || cl_stop_requested) {
			fprintf(stderr, "ss7watch: %s: key-value bucket %s: cannot read or create '%s': %s\n", cl_role,
				bucket, SEED_KEY, nats_GetLastError(NULL) ? nats_GetLastError(NULL) : natsStatus_GetText(s));
			return -1;
		}
		/* JetStream electing the bucket's leader, or another worker creating it */
		cl_sleep_ms(250);
	}
}

/* --- asynchronous publishing with retries --- */


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
int cl_pub_init(void *ctx, struct cl_pub *p, natsConnection *nc, unsigned max_pending)
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
void cl_pub_send(struct cl_pub *p, const char *subj, const void *data, size_t len, const char *id,
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
	cl_sleep_ms(100);
	if (p->ordered)
		qsort(batch, n, sizeof(*batch), cmp_counter);
	for (unsigned i = 0; i < n; i++) {
		__atomic_add_fetch(&p->retries, 1, __ATOMIC_RELAXED);
		pub_msg(p, batch[i]);
	}
	free(batch);
	return n;
}

unsigned cl_pub_failed(struct cl_pub *p)
{
	unsigned n;

	pthread_mutex_lock(&p->mu);
	n = p->n_failed;
	pthread_mutex_unlock(&p->mu);
	return n;
}

/* Wait until every publish is acknowledged (retrying failures), at most timeout_ms.
 * \returns 0, or -1 when some are still unacknowledged (counted as errors if final). */
int cl_pub_wait(struct cl_pub *p, int64_t timeout_ms, bool final)
{
	int64_t deadline = cl_now_ms() + timeout_ms;
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
		if (cl_now_ms() > deadline)
			break;
		/* the VTY and CTRL answer while the stream catches up */
		cl_osmo_poll();
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
bool cl_js_reply_info(const natsMsg *m, uint64_t *sseq, uint64_t *delivered, uint64_t *pending)
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

	/* the file's line vty, ctrl-port and stats reporter sections: the role's counters */
	sw_osmo_app_init(ctx);
	if (sw_config_load(ctx, file, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "ss7watch: %s\n", err);
		return -1;
	}
	if (!sw_cluster_config_ok(*out, file, mode))
		return -1;
	cl_cfg = &(*out)->cluster;
	return 0;
}

void cl_events_subject(char *buf, size_t len, const char *site)
{
	snprintf(buf, len, "%s.events.%s", cl_cfg->subject_prefix, site);
}

void cl_alerts_subject(char *buf, size_t len)
{
	snprintf(buf, len, "%s.alerts", cl_cfg->subject_prefix);
}

/* Both streams exist. */
int cl_ensure_streams(jsCtx *js)
{
	char subj[256];
	/* the alerts stream keeps alerts as long as it remembers their ids */
	uint32_t alerts_age = cl_cfg->duplicate_window_s > cl_cfg->max_age_s ? cl_cfg->duplicate_window_s : cl_cfg->max_age_s;

	cl_events_subject(subj, sizeof(subj), ">");
	if (ensure_stream(js, cl_cfg->stream_events, subj, cl_cfg->max_age_s) < 0)
		return -1;
	cl_alerts_subject(subj, sizeof(subj));
	return ensure_stream(js, cl_cfg->stream_alerts, subj, alerts_age);
}

void cl_install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
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
		       o->config_file, mode, cl_cfg->n_servers, cl_cfg->stream_events, cl_cfg->stream_alerts);
		return 0;
	}
	if (o->site)
		rc = cl_run_sensor(ctx, o);
	else if (o->worker)
		rc = cl_run_worker(ctx, cfg, o);
	else
		rc = cl_run_collector(ctx, o);
	nats_Close();
	return rc;
}

#endif /* HAVE_NATS */
