/* The cluster worker (--worker N): reads the whole events stream from its start, merges the
 * sites by capture time (a bounded heap, released skew-ms behind the newest event), feeds
 * each event to a decoder at the SCCP layer and runs the single-box detector and alert
 * filters; every alert goes to PREFIX.alerts with a stable id, so the stream keeps one copy
 * whichever workers publish it; an event is acked once the alerts it caused are. */
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
#include <ss7watch/detect.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/output_eve.h>
#include <ss7watch/output_incident.h>
#include <ss7watch/hash.h>
#include <ss7watch/rules.h>

#define REORDER_CAP	262144		/* events the worker holds back at most (12 MiB): batching sensors run ahead of each other by more than 65536 */
#define SITES_MAX	256
#define SITE_CACHE	65536		/* recent events by (frame, time): the site of an expiry alert */

/* What a worker knows of a site's sequence of events: the capture time up to which it has
 * every event of the site (by the sensor run's counter), and the times of those received
 * ahead of a gap (a publish retried after a node was lost lands later in the stream). */
#define AHEAD	16384
struct wsite {
	bool have_run;
	uint32_t run;
	bool ended;		/* the sensor said run end_run published up to counter end_last */
	uint32_t end_run;
	uint64_t end_last;
	uint64_t next;		/* the counter expected next */
	uint64_t complete_us;	/* every event of the site up to this capture time was read */
	uint64_t max_counter, max_us;
	uint64_t ahead[AHEAD];	/* capture time + 1 of counter next + k at (next + k) % AHEAD; 0: not read */
};

struct site_cache_entry {
	uint64_t frame, t_us;
	uint16_t site, seq;
	uint32_t run;
	bool live;		/* its run is part of the ids (SW_EVENT_F_LIVE) */
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
	uint32_t cur_run;
	bool cur_live;
	struct sw_alert scratch;
	uint64_t newest_us, released_us;
	bool released_any;
	uint64_t max_sseq;	/* highest stream sequence received: a new consumer starts after it */
	struct wmsg **done;	/* messages whose events are processed, acked once their alerts are */
	unsigned n_done, done_cap;
	bool alerts_pending;
	uint64_t alerts_by_rule[SW_RULE__COUNT];
	/* counters */
	uint64_t consumed, redelivered, dup_deliveries, malformed[SW_EVENT__ERRS], late, full_released, hold_released;
	uint64_t msgs, batches, batch_events, bad_batches[SW_BATCH__ERRS];
	uint64_t processed, lag, depth_max, resubscribed, fetch_errors, sites_over, alert_encode_errors, holes;
	char seed_from[200];	/* where the hash seed came from, for the summary */
	char durable[48];	/* its consumer's name: ss7watch-worker-N */
	uint64_t not_drained;	/* idle periods in which the stream still had events for us */
	bool drain_deferred;	/* said so for this idle period */
	bool hole;		/* a stream sequence was skipped: consume again from the first missing */
	bool resumed;		/* a new consumer: its first message may start after a hole (expired) */
	uint64_t gaps_filled, gaps_given_up, site_runs, runs_ended;
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
	so.Stream = cl_cfg->stream_events;
	/* the detector's state is rebuilt from the stream's retention on every start */
	if (start_seq > 1) {
		so.Config.DeliverPolicy = js_DeliverByStartSequence;
		so.Config.OptStartSeq = start_seq;
	} else {
		jsStreamInfo *si = NULL;

		so.Config.DeliverPolicy = js_DeliverAll;
		/* the first message is the stream's first: one lost in flight shows as a hole */
		if (js_GetStreamInfo(&si, wk.pub.js, cl_cfg->stream_events, NULL, NULL) == NATS_OK) {
			wk.max_sseq = si->State.Msgs ? si->State.FirstSeq - 1 : si->State.LastSeq;
			wk.resumed = false;
			jsStreamInfo_Destroy(si);
		}
	}
	so.Config.AckPolicy = js_AckExplicit;
	/* events wait in the reorder heap before they are acked */
	so.Config.AckWait = 300000 * MS;
	so.Config.MaxAckPending = REORDER_CAP + 4 * cl_cfg->fetch_batch;
	so.Config.InactiveThreshold = 60000 * MS;
	cl_events_subject(subj, sizeof(subj), ">");
	/* durable: replicated like the stream, the consumer outlives the loss of a node (an
	 * ephemeral one lives on one node and goes with it). Made again from start_seq each
	 * time: the detector's state is this process's, rebuilt from what it consumes */
	js_DeleteConsumer(wk.pub.js, cl_cfg->stream_events, wk.durable, NULL, NULL);
	s = js_PullSubscribe(&wk.sub, wk.pub.js, subj, wk.durable, NULL, &so, &jerr);
	if (s != NATS_OK && !(wk.fetch_errors++ % 20)) {
		fprintf(stderr, "ss7watch: %s: cannot consume stream %s: %s (JetStream error %d)\n", wk.name,
			cl_cfg->stream_events, nats_GetLastError(NULL) && *nats_GetLastError(NULL) ?
			nats_GetLastError(NULL) : natsStatus_GetText(s), (int)jerr);
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
	const uint32_t *run = NULL;
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
		run = wk.cur_live ? &wk.cur_run : NULL;
	} else {
		uint64_t t_us = a->n_related ? (uint64_t)a->related[0].ts.tv_sec * 1000000 + a->related[0].ts.tv_usec : 0;
		struct site_cache_entry *e;

		frame = sw_alert_frame(a);
		if (a->n_related && a->related[0].input < wk.n_sites)
			site = wk.sites[a->related[0].input];
		/* its SCCP sequence and run, while the frame is among the recent ones */
		e = site_cache_slot(frame, t_us);
		if (e->frame == frame && e->t_us == t_us && (!site || wk.sites[e->site] == site)) {
			site = wk.sites[e->site];
			seq = e->seq;
			run = e->live ? &e->run : NULL;
		}
	}
	c->site = site;
	sw_cluster_alert_id(id, sizeof(id), c, site, run, frame, seq);
	n = sw_eve_format(wk.eve, c, &line);
	if (!n) {
		wk.alert_encode_errors++;
		return -1;
	}
	cl_pub_send(&wk.pub, wk.alerts_subj, line, n, id, wk.name);
	wk.alerts_pending = true;
	wk.t_last_alert = cl_now_s();
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
		/* an end said of another run is not this one's */
		if (st->ended && st->end_run != run)
			st->ended = false;
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

/* Has the site's sensor ended its run, and has every event of it been read? Such a site
 * holds no other back: nothing of it is still to come. */
static bool site_finished(const struct wsite *st)
{
	if (!st->ended)
		return false;
	/* a run that published nothing */
	if (!st->end_last)
		return !st->have_run || st->next > st->max_counter;
	return st->have_run && st->run == st->end_run && st->next > st->end_last;
}

static bool all_sites_finished(void)
{
	for (unsigned i = 0; i < wk.n_sites; i++)
		if (!site_finished(wk.site_st[i]))
			return false;
	return wk.n_sites > 0;
}

/* A sensor's end of run: its site waits for nothing more once its events up to the last
 * counter are read (the end is published after they were all acknowledged). */
static void worker_take_run_end(const struct sw_run_end *e)
{
	int site = site_index(e->site, e->site_len);
	struct wsite *st;

	if (site < 0) {
		wk.sites_over++;
		return;
	}
	st = wk.site_st[site];
	wk.runs_ended++;
	st->ended = true;
	st->end_run = e->run;
	st->end_last = e->last;
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
	cl_events_subject(filter, sizeof(filter), ">");
	cl_events_subject(prefix, sizeof(prefix), "");
	plen = strlen(prefix);
	jo.Stream.Info.SubjectsFilter = filter;
	if (js_GetStreamInfo(&si, wk.pub.js, cl_cfg->stream_events, &jo, NULL) != NATS_OK)
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
		if (!site_finished(wk.site_st[i]) && wk.site_st[i]->complete_us < w)
			w = wk.site_st[i]->complete_us;
	return wk.n_sites ? w : 0;
}

static void worker_commit(void);

/* A NATS message the worker fetched (one event or a batch of them): acked once every event
 * it carried has been processed and the alerts they caused are in the alerts stream. */
struct wmsg {
	natsMsg *m;
	uint32_t refs;		/* its events still held, and 1 while it is being taken */
	int64_t received_ms;	/* monotonic: how long its events have been held (max-hold-ms) */
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
	wk.cur_run = ev.run;
	wk.cur_live = ev.live;
	e = site_cache_slot(ev.frame, t_us);
	*e = (struct site_cache_entry){ .frame = ev.frame, .t_us = t_us, .site = site, .seq = ev.seq, .run = ev.run,
					.live = ev.live };
	/* the detector keeps it with a request: an alert raised when a window expires names
	 * the site of its frame by it */
	ev.meta.input = (uint8_t)site;
	sw_event_feed(dec, &ev);
	wk.processed++;
	wk.t_last_event = cl_now_s();
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
	uint64_t skew = (uint64_t)cl_cfg->skew_ms * 1000, w = watermark();

	while ((top = sw_reorder_top(&wk.heap)) && top->t_us + skew < w)
		worker_release_one();
}

/* max-hold-ms: an alert waits at most that long for a site that says nothing (its link
 * quiet, its sensor gone without ending its run); what that site sends later of that time is
 * late (counted). The earliest by capture time first, as the heap gives them. */
static void worker_release_held(void)
{
	const struct sw_reorder_item *top;
	int64_t now = cl_now_ms();

	if (!cl_cfg->max_hold_ms)
		return;
	while ((top = sw_reorder_top(&wk.heap)) &&
	       now - ((const struct wmsg *)top->owner)->received_ms >= (int64_t)cl_cfg->max_hold_ms) {
		wk.hold_released++;
		worker_release_one();
	}
}

/* Ack the messages whose events are all processed once the alerts they caused are in the
 * alerts stream. */
static void worker_commit(void)
{
	bool acked = true;

	if (wk.alerts_pending) {
		while ((acked = cl_pub_wait(&wk.pub, 30000, false) == 0) == false && !cl_stop_requested)
			fprintf(stderr, "ss7watch: %s: alerts not acknowledged yet by stream %s, waiting\n", wk.name,
				cl_cfg->stream_alerts);
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

	if (cl_js_reply_info(m, &sseq, &delivered, &pending)) {
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
	w->received_ms = cl_now_ms();
	wk.msgs++;
	wk.t_last_consumed = cl_now_s();
	if (!wk.t_first)
		wk.t_first = wk.t_last_consumed;
	if (len && d[0] == SW_RUN_END_VERSION) {
		struct sw_run_end re;
		enum sw_batch_err be = sw_run_end_decode(&re, d, len);

		if (be != SW_BATCH_OK)
			wk.bad_batches[be]++;
		else
			worker_take_run_end(&re);
	} else if (len && d[0] == SW_BATCH_VERSION) {
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
/* Has this worker received everything the stream holds? Only the stream can say: a worker
 * whose node died receives nothing for a while, which is not the same as nothing to come.
 * Updates wk.lag when the stream answers; false when it does not (the connection down,
 * JetStream electing a leader). */
static bool stream_drained(void)
{
	jsStreamInfo *si = NULL;
	uint64_t last;

	if (natsConnection_Status(wk.nc) != NATS_CONN_STATUS_CONNECTED ||
	    js_GetStreamInfo(&si, wk.pub.js, cl_cfg->stream_events, NULL, NULL) != NATS_OK)
		return false;
	last = si->State.LastSeq;
	jsStreamInfo_Destroy(si);
	wk.lag = last > wk.max_sseq ? last - wk.max_sseq : 0;
	return !wk.lag;
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
		"), late %" PRIu64 ", reorder depth %u (max %" PRIu64 ", released when full %" PRIu64
		", after max-hold-ms %" PRIu64 "), lag %" PRIu64
		", sites %u (%" PRIu64 " events of sites over %u), gaps filled %" PRIu64 ", given up %" PRIu64
		", sensor restarts %" PRIu64 ", runs ended %" PRIu64 "\n",
		wk.name, wk.consumed, wk.processed, wk.msgs, wk.batches,
		wk.batches ? (double)wk.batch_events / wk.batches : 0.0, wk.redelivered, wk.dup_deliveries, malformed,
		wk.malformed[SW_EVENT_SHORT], wk.malformed[SW_EVENT_VERSION_BAD], wk.malformed[SW_EVENT_LENGTH],
		wk.malformed[SW_EVENT_FIELD], wk.malformed[SW_EVENT_BATCH], bad_batches, wk.bad_batches[SW_BATCH_SHORT],
		wk.bad_batches[SW_BATCH_COUNT], wk.bad_batches[SW_BATCH_FIELD], wk.bad_batches[SW_BATCH_LENGTH], wk.late,
		wk.heap.n, wk.depth_max, wk.full_released, wk.hold_released, wk.lag, wk.n_sites, wk.sites_over, SITES_MAX, wk.gaps_filled,
		wk.gaps_given_up, wk.site_runs, wk.runs_ended);
	fprintf(f, "cluster %s: alerts published %" PRIu64 ", acked %" PRIu64 ", duplicate %" PRIu64
		", retried %" PRIu64 ", publish errors %" PRIu64 ", not formatted %" PRIu64 ", consumer re-created %" PRIu64
		" (%" PRIu64 " after a skipped stream sequence), fetch errors %" PRIu64 ", drains deferred %" PRIu64
		" (idle, the stream not drained)\n", wk.name, wk.pub.published, wk.pub.acked, wk.pub.duplicates,
		wk.pub.retries, wk.pub.errors, wk.alert_encode_errors, wk.resubscribed, wk.holes, wk.fetch_errors,
		wk.not_drained);
	if (wk.t_first)
		fprintf(f, "cluster %s: first event at %.6f, last event consumed at %.6f, last event processed at %.6f, "
			"last alert at %.6f (wall clock)\n", wk.name, wk.t_first, wk.t_last_consumed, wk.t_last_event,
			wk.t_last_alert);
	fprintf(f, "hash seed 0x%016" PRIx64 " (%s)\n", sw_hash_seed(), wk.seed_from);
	fprintf(f, "messages %llu, components %llu, alerts %llu\n", (unsigned long long)st->messages,
		(unsigned long long)st->components, (unsigned long long)st->alerts);
	for (unsigned r = 0; r < SW_RULE__COUNT; r++)
		if (wk.alerts_by_rule[r])
			fprintf(f, "  %8" PRIu64 "  %s\n", wk.alerts_by_rule[r], sw_rule_defs[r].id);
}

static uint64_t worker_malformed_events(void)
{
	uint64_t n = 0;

	for (unsigned i = 1; i < SW_EVENT__ERRS; i++)
		n += wk.malformed[i];
	return n;
}

static uint64_t worker_malformed_batches(void)
{
	uint64_t n = 0;

	for (unsigned i = 1; i < SW_BATCH__ERRS; i++)
		n += wk.bad_batches[i];
	return n;
}

static uint64_t worker_lag(void)
{
	return wk.lag;
}

static uint64_t worker_reorder_depth(void)
{
	return wk.heap.n;
}

static uint64_t worker_sites(void)
{
	return wk.n_sites;
}

/* the summary's counters (print_worker_summary), by stage: consumed, reordered, alerts */
static const struct cl_counter worker_counters[] = {
	{ "events:consumed", "Events received from the events stream", &wk.consumed },
	{ "events:processed", "Events fed to the detector", &wk.processed },
	{ "events:malformed", "Events refused: short, version, length, field, not of their batch", NULL,
	  worker_malformed_events },
	{ "events:late", "Events whose turn had passed: processed out of order", &wk.late },
	{ "events:sites_over", "Events of sites beyond the 256 a worker tells apart: dropped", &wk.sites_over },
	{ "messages:consumed", "Messages (batches or single events) taken", &wk.msgs },
	{ "messages:redelivered", "Messages delivered again by the stream", &wk.redelivered },
	{ "messages:already_taken", "Redelivered messages already held or processed", &wk.dup_deliveries },
	{ "batches:malformed", "Batches refused whole: short, count, field, length", NULL, worker_malformed_batches },
	{ "reorder:released_full", "Events released early: the reorder heap was full", &wk.full_released },
	{ "gaps:filled", "Gaps in a site's counter filled by a later message", &wk.gaps_filled },
	{ "gaps:given_up", "Gaps in a site's counter given up", &wk.gaps_given_up },
	{ "sensors:restarts", "Sensor runs started again (a new run id)", &wk.site_runs },
	{ "alerts:published", "Alerts published to the alerts stream", &wk.pub.published },
	{ "alerts:acked", "Alerts the stream acknowledged", &wk.pub.acked },
	{ "alerts:duplicate", "Alerts the stream already had (another worker, a restart)", &wk.pub.duplicates },
	{ "alerts:retried", "Alerts published again after an error or no acknowledgement", &wk.pub.retries },
	{ "alerts:publish_errors", "Alerts the stream never acknowledged", &wk.pub.errors },
	{ "alerts:not_formatted", "Alerts that could not be formatted: not published", &wk.alert_encode_errors },
	{ "consumer:recreated", "Consumers made again (a skipped sequence, a lost node)", &wk.resubscribed },
	{ "consumer:fetch_errors", "Fetches that failed", &wk.fetch_errors },
	{ "drain:deferred", "Idle periods the stream was not drained in: held events kept", &wk.not_drained },
	{ "reorder:released_hold", "Events released after max-hold-ms, whatever the other sites", &wk.hold_released },
};

static const struct cl_gauge worker_gauges[] = {
	{ "events:lag", "Events in the stream not yet received", "", worker_lag },
	{ "reorder:depth", "Events held in the reorder heap", "", worker_reorder_depth },
	{ "sites", "Sites known", "", worker_sites },
};

/* Release everything held and expire the tracker's windows by the last capture time, as at
 * the end of a replay: nothing more is to come (why says how the worker knows). */
static void worker_drain(const char *why)
{
	while (wk.heap.n)
		worker_release_one();
	sites_give_up_gaps();
	sw_detector_flush(wk.det);
	worker_commit();
	fprintf(stderr, "ss7watch: %s: drained: %" PRIu64 " events processed, %" PRIu64
		" alerts published, last event processed at %.6f (%s)\n", wk.name, wk.processed, wk.pub.published,
		wk.t_last_event, why);
}

int cl_run_worker(void *ctx, struct sw_config *cfg, const struct sw_cluster_opts *o)
{
	struct sw_decoder_cfg dcfg = { .pc_format = o->pc_format };
	struct sw_incident_cfg icfg;
	char err[512], bucket[160];
	uint64_t seed;
	int64_t idle_since = cl_now_ms(), lag_checked = cl_now_ms();
	bool flushed = true;
	unsigned stuck = 0, stuck_errors = 0;
	int rc = 0;

	wk.ctx = ctx;
	snprintf(wk.name, sizeof(wk.name), "worker-%d", o->worker);
	snprintf(wk.durable, sizeof(wk.durable), "ss7watch-worker-%d", o->worker);
	cl_role = wk.name;
	cl_alerts_subject(wk.alerts_subj, sizeof(wk.alerts_subj));
	wk.done_cap = REORDER_CAP + cl_cfg->fetch_batch;
	wk.done = talloc_array(ctx, struct wmsg *, wk.done_cap);
	wk.cache = talloc_zero_array(ctx, struct site_cache_entry, SITE_CACHE);
	wk.eve = sw_eve_alloc(ctx, cfg->alerts.pseudo_key, cfg->alerts.pseudo_key_len, cfg->alerts.pseudo_keep_location);
	if (!wk.done || !wk.cache || !wk.eve || !sw_reorder_init(ctx, &wk.heap, REORDER_CAP)) {
		fprintf(stderr, "ss7watch: out of memory allocating the worker\n");
		return 1;
	}
	if (cl_osmo_start(ctx, "cluster_worker", "ss7watch cluster worker: events consumed, alerts published",
			  o->worker, worker_counters, ARRAY_SIZE(worker_counters), worker_gauges, ARRAY_SIZE(worker_gauges),
			  o->worker) < 0)
		return 1;
	/* a stop while the setup waits for JetStream (a node lost) ends it, with a word */
	cl_install_signals();
	wk.nc = cl_connect();
	if (!wk.nc)
		return 1;
	if (cl_pub_init(ctx, &wk.pub, wk.nc, cl_cfg->max_pending) < 0 || cl_ensure_streams(wk.pub.js) < 0) {
		natsConnection_Destroy(wk.nc);
		return 1;
	}
	/* every worker hashes alike, before the detector's tables are made */
	if (cl_shared_seed(wk.pub.js, &seed, bucket, sizeof(bucket)) < 0)
		goto fail_nats;
	if (sw_hash_seed_share(seed))
		snprintf(wk.seed_from, sizeof(wk.seed_from), "the cluster's, key-value bucket %s", bucket);
	else
		snprintf(wk.seed_from, sizeof(wk.seed_from), "from the environment, not the cluster's");
	/* logged as the daemon logs its own: a run can be repeated with SS7WATCH_HASH_SEED */
	fprintf(stderr, "ss7watch: %s: hash seed 0x%016" PRIx64 " (%s)\n", wk.name, sw_hash_seed(), wk.seed_from);
	/* the replay's alert path, its sink replaced by the alerts stream */
	icfg = sw_incident_cfg_from(cfg, 0);
	wk.incidents = sw_incidents_alloc(ctx, &icfg, worker_emit, NULL, worker_event_line, NULL);
	wk.filters = wk.incidents ? sw_threshold_alloc(ctx, cfg, sw_incidents_emit, wk.incidents, err, sizeof(err)) : NULL;
	if (!wk.filters) {
		fprintf(stderr, "ss7watch: %s\n", wk.incidents ? err : "out of memory allocating the incident table");
		goto fail_nats;
	}
	wk.det = sw_detector_alloc(ctx, cfg, sw_threshold_emit, wk.filters, err, sizeof(err));
	if (!wk.det) {
		fprintf(stderr, "ss7watch: %s: %s\n", o->config_file, err);
		goto fail_nats;
	}
	wk.dec = sw_decoder_alloc(ctx, &dcfg, sw_detector_on_msg, wk.det);
	if (!wk.dec) {
		fprintf(stderr, "ss7watch: out of memory allocating the decoder\n");
		goto fail_nats;
	}
	for (unsigned i = 0; i < cl_cfg->n_sites; i++)
		site_index(cl_cfg->sites[i], strlen(cl_cfg->sites[i]));
	learn_sites();
	/* retried in the loop while JetStream elects leaders */
	worker_subscribe(1);
	fprintf(stderr, "ss7watch: %s: consuming stream %s from its start\n", wk.name, cl_cfg->stream_events);
	while (!cl_stop_requested) {
		natsMsgList list = { 0 };
		jsErrCode jerr = 0;
		natsStatus s;
		int want = cl_cfg->fetch_batch;

		cl_osmo_poll();
		if (!wk.sub) {
			if (worker_subscribe(wk.max_sseq + 1) < 0)
				cl_sleep_ms(500);
			continue;
		}
		s = natsSubscription_Fetch(&list, wk.sub, want, cl_cfg->idle_ms < 500 ? cl_cfg->idle_ms : 500, &jerr);
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
			idle_since = cl_now_ms();
			flushed = false;
			wk.drain_deferred = false;
			stuck = 0;
			worker_release_ready();
			worker_release_held();
			worker_commit();
			/* every site's sensor ended its run and the stream has nothing more: the end
			 * of the input, as at the end of a replay, without waiting idle-ms */
			if (all_sites_finished() && stream_drained()) {
				worker_drain("every site ended its run");
				flushed = true;
			}
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
			cl_sleep_ms(100);
			continue;
		}
		stuck_errors = 0;
		if (cl_cfg->max_hold_ms && wk.heap.n) {
			worker_release_held();
			worker_commit();
		}
		/* a consumer lost with its node delivers nothing while the stream grows: make a new
		 * one that starts after the last event received */
		if (cl_now_ms() - lag_checked >= 1000) {
			lag_checked = cl_now_ms();
			stream_drained();
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
		if (cl_now_ms() - idle_since < cl_cfg->idle_ms)
			continue;
		/* drained and idle: what is held cannot wait for other sites any longer. Idle is
		 * not enough: a worker cut off from the stream (its node lost) would release what it
		 * holds before the rest of the other sites' events, and process those late */
		if (!flushed && !stream_drained()) {
			if (!wk.drain_deferred) {
				wk.drain_deferred = true;
				wk.not_drained++;
				fprintf(stderr, "ss7watch: %s: idle for %u ms but the stream %s is not drained (%s): "
					"holding %u events\n", wk.name, cl_cfg->idle_ms, cl_cfg->stream_events,
					wk.lag ? "events not yet received" : "no answer from the stream", wk.heap.n);
			}
			continue;
		}
		if (!flushed) {
			worker_drain("idle");
			flushed = true;
		}
		idle_since = cl_now_ms();
	}
	/* SIGTERM: what was taken is processed and its alerts published before the exit */
	worker_release_ready();
	worker_commit();
	if (cl_pub_wait(&wk.pub, 10000, true) < 0)
		rc = 1;
	/* held events are not acked: the next worker start replays them anyway */
	cl_osmo_stop();
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
fail_nats:
	jsCtx_Destroy(wk.pub.js);
	natsConnection_Destroy(wk.nc);
	return 1;
}
