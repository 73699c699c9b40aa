/* The cluster's parts without libnats (cluster.h): the event record sensors publish and
 * workers parse (hostile bytes: every length is checked against the record's size), the
 * reorder heap that merges sites by capture time, and the stable alert id. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/alert.h>
#include <ss7watch/cluster.h>
#include <ss7watch/decode.h>

/* Version 1 layout (all integers big-endian; doc/cluster.md):
 *   0 u8 version  1 u8 site_len  2 u8 ip_version  3 u8 flags (1 mtp3 present, 2 has rctx)
 *   4 u8 via  5 u8 si  6 u8 ni  7 u8 mp  8 u8 sls  9 u8 flags (1 live)  10 u16 seq
 *  12 u16 sport  14 u16 dport  16 u16 sctp stream  18 u16 sccp_len  20 u32 vtag
 *  24 u32 opc  28 u32 dpc  32 u32 rctx  36 u64 frame  44 u64 ts sec  52 u32 ts usec
 *  56 src ip[16]  72 dst ip[16]  88 u32 run  92 u64 counter  100 site[site_len]  then sccp[sccp_len] */
#define F_MTP3		0x01
#define F_RCTX		0x02

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/* Site names go into ids, subjects and alert lines. */
static bool site_chars_ok(const char *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

const char *sw_event_err_name(enum sw_event_err e)
{
	static const char *const names[SW_EVENT__ERRS] = {
		[SW_EVENT_OK] = "ok", [SW_EVENT_SHORT] = "short", [SW_EVENT_VERSION_BAD] = "version",
		[SW_EVENT_LENGTH] = "length", [SW_EVENT_FIELD] = "field", [SW_EVENT_BATCH] = "batch",
	};

	return (unsigned)e < SW_EVENT__ERRS ? names[e] : "?";
}

size_t sw_event_encode(uint8_t *buf, size_t cap, const char *site, uint32_t run, uint8_t flags, uint64_t counter,
		       uint64_t frame, uint16_t seq, const struct sw_meta *meta, const struct sw_mtp3 *mtp3, const uint8_t *sccp,
		       uint32_t sccp_len)
{
	size_t site_len = strlen(site), n = SW_EVENT_HDR_LEN + site_len + sccp_len;

	if (!site_len || site_len > SW_EVENT_SITE_MAX || sccp_len > SW_EVENT_SCCP_MAX || n > cap)
		return 0;
	memset(buf, 0, SW_EVENT_HDR_LEN);
	buf[0] = SW_EVENT_VERSION;
	buf[1] = site_len;
	buf[2] = meta->ip_version;
	buf[3] = (mtp3->present ? F_MTP3 : 0) | (mtp3->has_rctx ? F_RCTX : 0);
	buf[4] = mtp3->via;
	buf[5] = mtp3->si;
	buf[6] = mtp3->ni;
	buf[7] = mtp3->mp;
	buf[8] = mtp3->sls;
	buf[9] = flags;
	put16(buf + 10, seq);
	put16(buf + 12, meta->sport);
	put16(buf + 14, meta->dport);
	put16(buf + 16, meta->sctp_stream);
	put16(buf + 18, sccp_len);
	put32(buf + 20, meta->vtag);
	put32(buf + 24, mtp3->opc);
	put32(buf + 28, mtp3->dpc);
	put32(buf + 32, mtp3->rctx);
	put64(buf + 36, frame);
	put64(buf + 44, (uint64_t)meta->ts.tv_sec);
	put32(buf + 52, (uint32_t)meta->ts.tv_usec);
	memcpy(buf + 56, meta->src_ip, 16);
	memcpy(buf + 72, meta->dst_ip, 16);
	put32(buf + 88, run);
	put64(buf + SW_EVENT_COUNTER_OFF, counter);
	memcpy(buf + SW_EVENT_HDR_LEN, site, site_len);
	memcpy(buf + SW_EVENT_HDR_LEN + site_len, sccp, sccp_len);
	return n;
}

enum sw_event_err sw_event_decode(struct sw_event *ev, const uint8_t *p, size_t len)
{
	uint32_t usec;
	int64_t sec;

	if (len < 1)
		return SW_EVENT_SHORT;
	if (p[0] != SW_EVENT_VERSION)
		return SW_EVENT_VERSION_BAD;
	if (len < SW_EVENT_HDR_LEN)
		return SW_EVENT_SHORT;
	ev->site_len = p[1];
	ev->sccp_len = get16(p + 18);
	if (len != (size_t)SW_EVENT_HDR_LEN + ev->site_len + ev->sccp_len)
		return SW_EVENT_LENGTH;
	sec = (int64_t)get64(p + 44);
	usec = get32(p + 52);
	if (!ev->site_len || ev->site_len > SW_EVENT_SITE_MAX || ev->sccp_len > SW_EVENT_SCCP_MAX ||
	    (p[2] != 0 && p[2] != 4 && p[2] != 6) || usec >= 1000000 || sec < 0 || sec > (int64_t)1 << 40 ||
	    (p[9] & ~SW_EVENT_F_LIVE) || (p[3] & ~(F_MTP3 | F_RCTX)))
		return SW_EVENT_FIELD;
	memset(&ev->meta, 0, sizeof(ev->meta));
	memset(&ev->mtp3, 0, sizeof(ev->mtp3));
	ev->meta.ip_version = p[2];
	ev->mtp3.present = p[3] & F_MTP3;
	ev->mtp3.has_rctx = p[3] & F_RCTX;
	ev->mtp3.via = p[4];
	ev->mtp3.si = p[5];
	ev->mtp3.ni = p[6];
	ev->mtp3.mp = p[7];
	ev->mtp3.sls = p[8];
	ev->live = p[9] & SW_EVENT_F_LIVE;
	ev->seq = get16(p + 10);
	ev->meta.sport = get16(p + 12);
	ev->meta.dport = get16(p + 14);
	ev->meta.sctp_stream = get16(p + 16);
	ev->meta.vtag = get32(p + 20);
	ev->mtp3.opc = get32(p + 24);
	ev->mtp3.dpc = get32(p + 28);
	ev->mtp3.rctx = get32(p + 32);
	ev->frame = ev->meta.frame = get64(p + 36);
	ev->meta.ts.tv_sec = (time_t)sec;
	ev->meta.ts.tv_usec = usec;
	memcpy(ev->meta.src_ip, p + 56, 16);
	memcpy(ev->meta.dst_ip, p + 72, 16);
	ev->run = get32(p + 88);
	ev->counter = get64(p + SW_EVENT_COUNTER_OFF);
	if (!ev->counter)
		return SW_EVENT_FIELD;
	ev->site = (const char *)p + SW_EVENT_HDR_LEN;
	/* it goes into ids, subjects and alert lines */
	if (!site_chars_ok(ev->site, ev->site_len))
		return SW_EVENT_FIELD;
	ev->sccp = p + SW_EVENT_HDR_LEN + ev->site_len;
	return SW_EVENT_OK;
}

/* --- batches --- */

/* Batch layout (doc/cluster.md): 0 u8 version (2)  1 u8 site_len  2 u16 count  4 u32 run
 * 8 u64 first counter  16 site[site_len]  then count times [u16 length][version 1 event] */

const char *sw_batch_err_name(enum sw_batch_err e)
{
	static const char *const names[SW_BATCH__ERRS] = {
		[SW_BATCH_OK] = "ok", [SW_BATCH_SHORT] = "short", [SW_BATCH_VERSION_BAD] = "version",
		[SW_BATCH_COUNT] = "count", [SW_BATCH_FIELD] = "field", [SW_BATCH_LENGTH] = "length",
	};

	return (unsigned)e < SW_BATCH__ERRS ? names[e] : "?";
}

/* The header a batch and an end of run share (doc/cluster.md): version, site name length, a
 * 16-bit field (a batch's count, 0), run, a 64-bit field (its first counter, the last), then
 * the site name. */
#define MSG_HDR_LEN	16
_Static_assert(SW_BATCH_HDR_LEN == MSG_HDR_LEN && SW_RUN_END_HDR_LEN == MSG_HDR_LEN &&
	       SW_BATCH_FIRST_OFF == 8, "batches and ends of runs share one header");

struct msg_hdr {
	const char *site;	/* inside the message, site_len bytes */
	uint8_t site_len;
	uint16_t u16;
	uint32_t run;
	uint64_t u64;
};

static size_t hdr_encode(uint8_t *buf, uint8_t version, const char *site, uint16_t u16, uint32_t run, uint64_t u64)
{
	size_t site_len = strlen(site);

	if (!site_len || site_len > SW_EVENT_SITE_MAX)
		return 0;
	buf[0] = version;
	buf[1] = site_len;
	put16(buf + 2, u16);
	put32(buf + 4, run);
	put64(buf + 8, u64);
	memcpy(buf + MSG_HDR_LEN, site, site_len);
	return MSG_HDR_LEN + site_len;
}

/* The header of a message of len bytes (any bytes), its site name not yet checked. */
static enum sw_batch_err hdr_decode(struct msg_hdr *h, uint8_t version, const uint8_t *p, size_t len)
{
	if (len < 1)
		return SW_BATCH_SHORT;
	if (p[0] != version)
		return SW_BATCH_VERSION_BAD;
	if (len < MSG_HDR_LEN || len < (size_t)MSG_HDR_LEN + p[1])
		return SW_BATCH_SHORT;
	h->site_len = p[1];
	h->site = (const char *)p + MSG_HDR_LEN;
	h->u16 = get16(p + 2);
	h->run = get32(p + 4);
	h->u64 = get64(p + 8);
	return SW_BATCH_OK;
}

static bool hdr_site_ok(const struct msg_hdr *h)
{
	return h->site_len && h->site_len <= SW_EVENT_SITE_MAX && site_chars_ok(h->site, h->site_len);
}

size_t sw_batch_encode_hdr(uint8_t *buf, const char *site, uint32_t run, uint64_t first, uint16_t count)
{
	return hdr_encode(buf, SW_BATCH_VERSION, site, count, run, first);
}

enum sw_batch_err sw_batch_decode(struct sw_batch *b, const uint8_t *p, size_t len)
{
	struct msg_hdr h;
	enum sw_batch_err e = hdr_decode(&h, SW_BATCH_VERSION, p, len);
	size_t off = 0;

	if (e != SW_BATCH_OK)
		return e;
	b->site_len = h.site_len;
	b->site = h.site;
	b->count = h.u16;
	b->run = h.run;
	b->first = h.u64;
	if (!b->count || b->count > SW_BATCH_EVENTS_MAX)
		return SW_BATCH_COUNT;
	/* the counters of its events must not wrap (0 is never one) */
	if (!hdr_site_ok(&h) || !b->first || b->first > UINT64_MAX - b->count)
		return SW_BATCH_FIELD;
	b->recs = p + SW_BATCH_HDR_LEN + b->site_len;
	b->recs_len = len - SW_BATCH_HDR_LEN - b->site_len;
	/* every length inside, nothing after the last record: bounded by count */
	for (unsigned i = 0; i < b->count; i++) {
		size_t n;

		if (b->recs_len - off < 2)
			return SW_BATCH_LENGTH;
		n = get16(b->recs + off);
		if (b->recs_len - off - 2 < n)
			return SW_BATCH_LENGTH;
		off += 2 + n;
	}
	return off == b->recs_len ? SW_BATCH_OK : SW_BATCH_LENGTH;
}

size_t sw_run_end_encode(uint8_t *buf, const char *site, uint32_t run, uint64_t last)
{
	return hdr_encode(buf, SW_RUN_END_VERSION, site, 0, run, last);
}

enum sw_batch_err sw_run_end_decode(struct sw_run_end *e, const uint8_t *p, size_t len)
{
	struct msg_hdr h;
	enum sw_batch_err r = hdr_decode(&h, SW_RUN_END_VERSION, p, len);

	if (r != SW_BATCH_OK)
		return r;
	e->site_len = h.site_len;
	e->site = h.site;
	e->run = h.run;
	e->last = h.u64;
	if (!hdr_site_ok(&h) || h.u16)
		return SW_BATCH_FIELD;
	return len == (size_t)SW_RUN_END_HDR_LEN + e->site_len ? SW_BATCH_OK : SW_BATCH_LENGTH;
}

bool sw_batch_next(const struct sw_batch *b, size_t *off, const uint8_t **rec, size_t *len)
{
	if (*off + 2 > b->recs_len)
		return false;
	*len = get16(b->recs + *off);
	*rec = b->recs + *off + 2;
	*off += 2 + *len;
	return true;
}

enum sw_event_err sw_batch_event_decode(const struct sw_batch *b, unsigned i, struct sw_event *ev,
					 const uint8_t *rec, size_t len)
{
	enum sw_event_err e = sw_event_decode(ev, rec, len);

	if (e != SW_EVENT_OK)
		return e;
	if (ev->site_len != b->site_len || memcmp(ev->site, b->site, b->site_len) || ev->run != b->run ||
	    ev->counter != b->first + i)
		return SW_EVENT_BATCH;
	return SW_EVENT_OK;
}

/* --- the reorder heap --- */

bool sw_reorder_init(void *ctx, struct sw_reorder *h, uint32_t cap)
{
	h->v = talloc_array(ctx, struct sw_reorder_item, cap ? cap : 1);
	h->n = 0;
	h->cap = cap ? cap : 1;
	return h->v != NULL;
}

static bool before(const struct sw_reorder_item *a, const struct sw_reorder_item *b)
{
	if (a->t_us != b->t_us)
		return a->t_us < b->t_us;
	if (a->site_rank != b->site_rank)
		return a->site_rank < b->site_rank;
	if (a->frame != b->frame)
		return a->frame < b->frame;
	return a->seq < b->seq;
}

void sw_reorder_push(struct sw_reorder *h, const struct sw_reorder_item *it)
{
	uint32_t i = h->n++;

	while (i) {
		uint32_t parent = (i - 1) / 2;

		if (!before(it, &h->v[parent]))
			break;
		h->v[i] = h->v[parent];
		i = parent;
	}
	h->v[i] = *it;
}

bool sw_reorder_pop(struct sw_reorder *h, struct sw_reorder_item *out)
{
	struct sw_reorder_item last;
	uint32_t i = 0;

	if (!h->n)
		return false;
	*out = h->v[0];
	last = h->v[--h->n];
	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(&h->v[c + 1], &h->v[c]))
			c++;
		if (!before(&h->v[c], &last))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n)
		h->v[i] = last;
	return true;
}

/* --- the alert id --- */

/* FNV-1a: unseeded on purpose, every worker must compute the same id */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

void sw_cluster_alert_id(char *buf, size_t len, const struct sw_alert *a, const char *site, const uint32_t *run,
			 uint64_t frame, uint16_t seq)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int32_t comp = a->msg ? a->comp_idx : -2;

	h = fnv(h, a->rule, strlen(a->rule) + 1);
	h = fnv(h, a->subscr.imsi, strlen(a->subscr.imsi) + 1);
	h = fnv(h, a->subscr.msisdn, strlen(a->subscr.msisdn) + 1);
	h = fnv(h, &comp, sizeof(comp));
	/* a live run numbers its frames from 1 again after a restart: the run tells them apart
	 * (a replay keeps its ids, so that a re-run adds nothing) */
	if (run)
		snprintf(buf, len, "%u:%s:r%08" PRIx32 ":%" PRIu64 ":%u:%d:%016" PRIx64, a->signature_id,
			 site ? site : "-", *run, frame, seq, (int)comp, h);
	else
		snprintf(buf, len, "%u:%s:%" PRIu64 ":%u:%d:%016" PRIx64, a->signature_id, site ? site : "-", frame, seq,
			 (int)comp, h);
}

void sw_event_feed(struct sw_decoder *dec, const struct sw_event *ev)
{
	dec->frame = ev->frame;
	dec->ts = ev->meta.ts;
	dec->msg.meta = ev->meta;
	sw_msg_reset_upper(&dec->msg);
	dec->msg.mtp3 = ev->mtp3;
	sw_decode_sccp(dec, ev->sccp, ev->sccp_len);
}
