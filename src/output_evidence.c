/* Evidence pcaps (output_evidence.h): a ring of the recent raw frames per capture input, a
 * record per incident with a file (the frames it holds, for order and duplicates, keyed by
 * input and frame number), and a small direct-mapped table of alerted invokes whose answers
 * are still to come. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pcap/pcap.h>
#include <talloc.h>
#include <osmocom/core/linuxlist.h>
#include <osmocom/core/utils.h>
#include <ss7watch/output_evidence.h>
#include <ss7watch/config.h>
#include <ss7watch/hash.h>

#define INCIDENT_BUCKETS	1024
#define PENDING_SLOTS		4096	/* alerted invokes waiting for their answer */
#define PENDING_TIMEOUT_S	60	/* as the dialogue table's transaction timeout */
#define SNAPLEN			262144
#define CUTS_KEPT		256	/* cut frames an incident remembers, so each counts once */
#define MAX_INPUTS		256	/* msg.h: sw_meta.input is a byte */
#define FRAME_BITS		56	/* a frame key: input << FRAME_BITS | frame number */
#define FRAME_MASK		((UINT64_C(1) << FRAME_BITS) - 1)

struct ring_ent {
	uint64_t frame;		/* 0: empty */
	uint64_t pos;		/* monotonic offset of its bytes in the data ring */
	struct timeval ts;
	uint32_t len;
	int dlt;
};

/* The recent frames of one capture input (frame numbers are per input). */
struct ring {
	struct sw_evidence *e;
	struct ring_ent *ents;
	uint8_t *data;
	uint64_t wpos;
};

struct inc_file {
	struct llist_head list;
	uint64_t id;
	int dlt;		/* of its first frame: one file, one link type */
	bool created, sorted;
	uint32_t n_frames, cut, n_cuts;
	uint64_t *frames;	/* frame keys in the order written, max_frames of them */
	uint64_t cuts[CUTS_KEPT];	/* the keys of the first frames cut */
};

struct pending {
	uint64_t key;		/* 0: free */
	uint64_t incident_id;
	uint32_t time;
};

struct sw_evidence {
	struct sw_evidence_cfg cfg;
	char *dir;
	sw_alert_emit_fn next;
	void *next_priv;
	uint64_t seed;
	struct ring *rings[MAX_INPUTS];	/* NULL: no frames (not a capture input) */
	unsigned n_rings;
	struct llist_head buckets[INCIDENT_BUCKETS];
	struct pending pending[PENDING_SLOTS];
	uint32_t n_pending;
	pcap_t *dead;		/* for the dumpers, of link type dead_dlt */
	int dead_dlt;
	struct sw_evidence_stats st;
};

struct sw_evidence_cfg sw_evidence_cfg_from(const struct sw_config *cfg, const char *dir)
{
	const struct sw_config_alerts *a = &cfg->alerts;

	return (struct sw_evidence_cfg){
		.dir = dir ? dir : a->evidence_directory,
		.max_frames = a->evidence_frames ? a->evidence_frames : SW_CONFIG_EVIDENCE_FRAMES,
		.max_bytes = a->evidence_bytes ? a->evidence_bytes : SW_CONFIG_EVIDENCE_BYTES,
		.ring_frames = a->evidence_ring_frames ? a->evidence_ring_frames : SW_CONFIG_EVIDENCE_RING_FRAMES,
		.ring_bytes = a->evidence_ring_bytes ? a->evidence_ring_bytes : SW_CONFIG_EVIDENCE_RING_BYTES,
	};
}

static int evidence_destructor(struct sw_evidence *e)
{
	if (e->dead)
		pcap_close(e->dead);
	return 0;
}

int sw_evidence_check_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (!dir || !dir[0]) {
		snprintf(err, errlen, "evidence directory: no path given");
		return -1;
	}
	if (stat(dir, &st) < 0) {
		snprintf(err, errlen, "evidence directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "evidence directory %s: not a directory", dir);
		return -1;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		snprintf(err, errlen, "evidence directory %s: not writable: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

struct sw_evidence *sw_evidence_alloc(void *ctx, const struct sw_evidence_cfg *cfg, sw_alert_emit_fn next,
				      void *next_priv, char *err, size_t errlen)
{
	struct sw_evidence *e;

	if (sw_evidence_check_dir(cfg->dir, err, errlen) < 0)
		return NULL;
	e = talloc_zero(ctx, struct sw_evidence);
	if (!e) {
		snprintf(err, errlen, "out of memory allocating the evidence stage");
		return NULL;
	}
	talloc_set_destructor(e, evidence_destructor);
	e->cfg = *cfg;
	e->dir = talloc_strdup(e, cfg->dir);
	e->cfg.dir = e->dir;
	e->next = next;
	e->next_priv = next_priv;
	e->seed = sw_hash_seed();
	e->dead_dlt = -1;
	for (unsigned i = 0; i < INCIDENT_BUCKETS; i++)
		INIT_LLIST_HEAD(&e->buckets[i]);
	if (!e->dir) {
		talloc_free(e);
		snprintf(err, errlen, "out of memory allocating the evidence stage");
		return NULL;
	}
	return e;
}

void *sw_evidence_tap(struct sw_evidence *e, uint8_t input)
{
	struct ring *r = e->rings[input];

	if (r)
		return r;
	r = talloc_zero(e, struct ring);
	if (!r)
		return NULL;
	r->e = e;
	r->ents = talloc_zero_array(r, struct ring_ent, e->cfg.ring_frames);
	/* untouched pages of the byte ring cost nothing until frames fill them */
	r->data = talloc_size(r, e->cfg.ring_bytes);
	if (!r->ents || !r->data) {
		talloc_free(r);
		return NULL;
	}
	e->rings[input] = r;
	e->n_rings++;
	return r;
}

const struct sw_evidence_stats *sw_evidence_stats(const struct sw_evidence *e)
{
	return &e->st;
}

/* --- the ring --- */

void sw_evidence_frame(void *priv, int dlt, const uint8_t *buf, uint32_t len, const struct timeval *ts,
		       uint64_t frame)
{
	struct ring *ring = priv;
	const struct sw_evidence_cfg *cfg = &ring->e->cfg;
	struct ring_ent *r = &ring->ents[frame % cfg->ring_frames];
	uint64_t off;

	if (!frame || frame > FRAME_MASK || len > cfg->ring_bytes) {
		r->frame = 0;
		return;
	}
	/* a frame's bytes stay contiguous: one that would wrap starts at the beginning */
	off = ring->wpos % cfg->ring_bytes;
	if (off + len > cfg->ring_bytes)
		ring->wpos += cfg->ring_bytes - off, off = 0;
	memcpy(ring->data + off, buf, len);
	*r = (struct ring_ent){ .frame = frame, .pos = ring->wpos, .len = len, .dlt = dlt };
	if (ts)
		r->ts = *ts;
	ring->wpos += len;
}

/* The ring's copy of frame, NULL when it has been overwritten or was never kept. */
static const struct ring_ent *ring_find(const struct ring *ring, uint64_t frame)
{
	const struct ring_ent *r = &ring->ents[frame % ring->e->cfg.ring_frames];

	if (!frame || r->frame != frame || r->pos + ring->e->cfg.ring_bytes < ring->wpos)
		return NULL;
	return r;
}

static bool ts_matches(const struct ring_ent *r, const struct timeval *ts)
{
	/* the detector keeps some times in whole seconds (usec 0) */
	return r->ts.tv_sec == ts->tv_sec && (!ts->tv_usec || r->ts.tv_usec == ts->tv_usec);
}

/* A frame an alert names. The alert's own frame and an answer know their input (exact); a
 * request's or a related frame (the detector keeps no input with them) is looked for in
 * the alert's input first, then in the other inputs, and with more than one ring must have
 * the capture time the alert gives it, so that an alert on input B never takes input A's
 * frame of the same number. \returns the ring entry and its frame key in *key, or NULL
 * with the key of the alert's input in *key. */
static const struct ring_ent *frame_find(const struct sw_evidence *e, uint8_t input, uint64_t frame,
					 const struct timeval *ts, bool exact, uint64_t *key)
{
	const struct ring *own = e->rings[input];
	const struct ring_ent *r;
	bool timed = ts && (ts->tv_sec || ts->tv_usec);

	*key = (uint64_t)input << FRAME_BITS | (frame & FRAME_MASK);
	if (own && (r = ring_find(own, frame)) &&
	    (exact || e->n_rings == 1 || !timed || ts_matches(r, ts)))
		return r;
	if (exact || !timed)
		return NULL;
	for (unsigned i = 0; i < MAX_INPUTS; i++) {
		if (!e->rings[i] || e->rings[i] == own)
			continue;
		r = ring_find(e->rings[i], frame);
		if (r && ts_matches(r, ts)) {
			*key = (uint64_t)i << FRAME_BITS | (frame & FRAME_MASK);
			return r;
		}
	}
	return NULL;
}

/* The bytes of an entry of the ring of frame key. */
static const uint8_t *frame_bytes(const struct sw_evidence *e, uint64_t key, const struct ring_ent *r)
{
	const struct ring *ring = e->rings[key >> FRAME_BITS];

	return ring->data + r->pos % e->cfg.ring_bytes;
}

void sw_evidence_new_input(struct sw_evidence *e)
{
	for (unsigned i = 0; i < MAX_INPUTS; i++)
		if (e->rings[i])
			memset(e->rings[i]->ents, 0, sizeof(*e->rings[i]->ents) * e->cfg.ring_frames);
	memset(e->pending, 0, sizeof(e->pending));
	e->n_pending = 0;
}

/* --- incident files --- */

static struct inc_file *inc_find(struct sw_evidence *e, uint64_t id, bool create)
{
	struct llist_head *b = &e->buckets[sw_hash64(e->seed, id) % INCIDENT_BUCKETS];
	struct inc_file *f;

	llist_for_each_entry(f, b, list)
		if (f->id == id)
			return f;
	if (!create)
		return NULL;
	/* one per incident with a written alert, not per message */
	f = talloc_zero(e, struct inc_file);
	if (f)
		f->frames = talloc_array(f, uint64_t, e->cfg.max_frames);
	if (!f || !f->frames) {
		talloc_free(f);
		return NULL;
	}
	f->id = id;
	f->dlt = -1;
	f->sorted = true;
	llist_add(&f->list, b);
	return f;
}

static void inc_path(const struct sw_evidence *e, uint64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%llu.pcap", e->dir, (unsigned long long)id);
}

static pcap_t *dead_for(struct sw_evidence *e, int dlt)
{
	if (e->dead && e->dead_dlt == dlt)
		return e->dead;
	if (e->dead)
		pcap_close(e->dead);
	e->dead = pcap_open_dead(dlt, SNAPLEN);
	e->dead_dlt = e->dead ? dlt : -1;
	return e->dead;
}

static void dump_one(pcap_dumper_t *d, const struct timeval *ts, const uint8_t *bytes, uint32_t len)
{
	struct pcap_pkthdr h = { .ts = *ts, .caplen = len, .len = len };

	pcap_dump((u_char *)d, &h, bytes);
}

/* A frame f does not get: counted once (while it remembers the cut ones) in counter. */
static void inc_cut(struct inc_file *f, uint64_t frame, uint64_t *counter)
{
	if (f->n_cuts < CUTS_KEPT)
		f->cuts[f->n_cuts++] = frame;
	f->cut++;
	(*counter)++;
}

/* Append a frame (from the ring, frame_find()) to f's file, unless it holds it or a limit is
 * reached. A file has one link type: a frame of another input's link type is cut. */
static void inc_add_frame(struct sw_evidence *e, struct inc_file *f, uint8_t input, uint64_t frame,
			  const struct timeval *ts, bool exact)
{
	const struct ring_ent *r;
	pcap_t *dead;
	pcap_dumper_t *d;
	char path[512];
	uint64_t key;

	r = frame_find(e, input, frame, ts, exact, &key);
	for (uint32_t i = 0; i < f->n_frames; i++)
		if (f->frames[i] == key)
			return;
	for (uint32_t i = 0; i < f->n_cuts; i++)
		if (f->cuts[i] == key)
			return;
	if (!r) {
		inc_cut(f, key, &e->st.lost);
		return;
	}
	if (f->n_frames >= e->cfg.max_frames) {
		inc_cut(f, key, &e->st.cut_frames);
		return;
	}
	if (f->dlt >= 0 && r->dlt != f->dlt) {
		inc_cut(f, key, &e->st.cut_linktype);
		return;
	}
	if (e->st.bytes + r->len > e->cfg.max_bytes) {
		inc_cut(f, key, &e->st.cut_bytes);
		return;
	}
	inc_path(e, f->id, path, sizeof(path));
	dead = dead_for(e, r->dlt);
	d = !dead ? NULL : f->created ? pcap_dump_open_append(dead, path) : pcap_dump_open(dead, path);
	if (!d) {
		inc_cut(f, key, &e->st.write_errors);
		return;
	}
	dump_one(d, &r->ts, frame_bytes(e, key, r), r->len);
	pcap_dump_close(d);
	if (!f->created)
		e->st.files++;
	f->created = true;
	f->dlt = r->dlt;
	if (f->n_frames && f->frames[f->n_frames - 1] > key)
		f->sorted = false;
	f->frames[f->n_frames++] = key;
	e->st.frames++;
	e->st.bytes += r->len;
}

/* --- answers of alerted invokes --- */

/* The invoking side's TID and GT and the invoke id: an invoke's OTID and calling GT, an
 * answer's DTID and called GT. */
static uint64_t pending_key(const struct sw_evidence *e, const struct sw_tid *tid, const char *gt, int invoke_id)
{
	uint8_t k[4 + 1 + 2 + SW_GT_MAX_DIGITS];
	size_t gl = strnlen(gt, SW_GT_MAX_DIGITS);

	memset(k, 0, 7);
	memcpy(k, tid->b, tid->len <= 4 ? tid->len : 4);
	k[4] = tid->len;
	k[5] = (uint8_t)invoke_id;
	k[6] = (uint8_t)(invoke_id >> 8);
	memcpy(k + 7, gt, gl);
	return sw_hash_bytes(e->seed, k, 7 + gl) | 1;
}

static void pending_add(struct sw_evidence *e, const struct sw_alert *a)
{
	const struct sw_tcap *t = &a->msg->tcap;

	if (!t->otid.len)
		return;
	for (unsigned i = 0; i < t->n_comp; i++) {
		const struct sw_component *c = &t->comp[i];
		struct pending *p;
		uint64_t key;

		if ((a->comp_idx >= 0 && (int)i != a->comp_idx) || c->type != SW_COMP_INVOKE || !c->has_invoke_id)
			continue;
		key = pending_key(e, &t->otid, a->msg->sccp.calling.digits, c->invoke_id);
		/* direct-mapped: a newer invoke takes the slot of an older one */
		p = &e->pending[key % PENDING_SLOTS];
		if (!p->key)
			e->n_pending++;
		*p = (struct pending){ .key = key, .incident_id = a->incident_id,
				       .time = (uint32_t)a->msg->meta.ts.tv_sec };
	}
}

void sw_evidence_message(struct sw_evidence *e, const struct sw_msg *msg)
{
	const struct sw_tcap *t = &msg->tcap;

	/* a message without a captured frame (the SIGTRAN listener) has nothing to add */
	if (!e->n_pending || !t->dtid.len || msg->err || !e->rings[msg->meta.input])
		return;
	for (unsigned i = 0; i < t->n_comp; i++) {
		const struct sw_component *c = &t->comp[i];
		struct pending *p;
		struct inc_file *f;
		uint64_t key;

		if (c->type == SW_COMP_INVOKE || !c->has_invoke_id)
			continue;
		key = pending_key(e, &t->dtid, msg->sccp.called.digits, c->invoke_id);
		p = &e->pending[key % PENDING_SLOTS];
		if (p->key != key)
			continue;
		if ((uint32_t)msg->meta.ts.tv_sec - p->time <= PENDING_TIMEOUT_S &&
		    (f = inc_find(e, p->incident_id, false)))
			inc_add_frame(e, f, msg->meta.input, msg->meta.frame, NULL, true);
		/* a last result or an error ends the invoke; a partial result keeps it */
		if (c->type != SW_COMP_RESULT) {
			p->key = 0;
			e->n_pending--;
		}
	}
}

/* --- the stage --- */

int sw_evidence_emit(void *priv, const struct sw_alert *a)
{
	struct sw_evidence *e = priv;
	struct inc_file *f;

	if (a->verdict == SW_ALERT_WRITE && a->incident_id) {
		/* frames are searched from the alert's input: its message's */
		uint8_t input = a->msg ? a->msg->meta.input : 0;

		if (a->msg && !e->rings[input]) {
			/* the SIGTRAN listener: a message, no captured frame */
			e->st.skipped++;
		} else if ((f = inc_find(e, a->incident_id, true))) {
			if (a->msg)
				inc_add_frame(e, f, input, a->msg->meta.frame, NULL, true);
			if (a->request_frame)
				inc_add_frame(e, f, input, a->request_frame, &a->request_ts, false);
			for (unsigned i = 0; i < a->n_related && i < SW_ALERT_MAX_RELATED; i++)
				inc_add_frame(e, f, input, a->related[i].frame, &a->related[i].ts, false);
			if (a->msg)
				pending_add(e, a);
		} else {
			e->st.write_errors++;
		}
	}
	return e->next ? e->next(e->next_priv, a) : 0;
}

struct rec {
	uint64_t frame;
	struct pcap_pkthdr h;
	uint8_t *bytes;
};

static int rec_cmp(const void *x, const void *y)
{
	const struct rec *a = x, *b = y;

	return a->frame < b->frame ? -1 : a->frame > b->frame;
}

/* Rewrite f's file in frame order (frames were appended as alerts came: a request or a
 * window's related frames come after later ones). \returns 0 or -1. */
static int inc_sort(struct sw_evidence *e, struct inc_file *f)
{
	char path[512], errbuf[PCAP_ERRBUF_SIZE];
	struct rec *recs = talloc_zero_array(f, struct rec, f->n_frames);
	const struct pcap_pkthdr *h;
	const u_char *bytes;
	pcap_dumper_t *d;
	uint32_t n = 0;
	pcap_t *p;

	inc_path(e, f->id, path, sizeof(path));
	p = recs ? pcap_open_offline(path, errbuf) : NULL;
	if (!p)
		return -1;
	while (n < f->n_frames && pcap_next_ex(p, (struct pcap_pkthdr **)&h, &bytes) == 1) {
		recs[n] = (struct rec){ .frame = f->frames[n], .h = *h, .bytes = talloc_memdup(recs, bytes, h->caplen) };
		if (!recs[n].bytes)
			break;
		n++;
	}
	pcap_close(p);
	if (n != f->n_frames)
		return -1;
	qsort(recs, n, sizeof(*recs), rec_cmp);
	d = pcap_dump_open(dead_for(e, f->dlt), path);
	if (!d)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		pcap_dump((u_char *)d, &recs[i].h, recs[i].bytes);
	pcap_dump_close(d);
	talloc_free(recs);
	return 0;
}

bool sw_evidence_close(struct sw_evidence *e, uint64_t incident_id, struct sw_evidence_info *out)
{
	struct inc_file *f = inc_find(e, incident_id, false);

	if (!f)
		return false;
	if (f->created && !f->sorted && inc_sort(e, f) < 0)
		e->st.write_errors++;
	inc_path(e, f->id, out->file, sizeof(out->file));
	out->frames = f->n_frames;
	out->cut = f->cut;
	if (!f->created)
		out->file[0] = '\0';
	llist_del(&f->list);
	talloc_free(f);
	return true;
}

void sw_evidence_summary(const struct sw_evidence *e, char *buf, size_t len)
{
	const struct sw_evidence_stats *es = &e->st;

	snprintf(buf, len, "Evidence: %llu files, %llu frames, %llu bytes; cut %llu (evidence-frames), %llu "
		 "(evidence-bytes), %llu (link type), %llu no longer in the ring, %llu write errors; %llu alerts "
		 "skipped (no captured frame: SIGTRAN listener)",
		 (unsigned long long)es->files, (unsigned long long)es->frames, (unsigned long long)es->bytes,
		 (unsigned long long)es->cut_frames, (unsigned long long)es->cut_bytes,
		 (unsigned long long)es->cut_linktype, (unsigned long long)es->lost,
		 (unsigned long long)es->write_errors, (unsigned long long)es->skipped);
}
