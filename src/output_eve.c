/* The EVE JSON line of an alert, written by hand (output_json.h).
 * An alert line starts from the --dump object of the triggering message, so an analyst sees
 * the message exactly as --dump shows it, and adds the rule, the subscriber state and the
 * evidence the decision was based on. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/time.h>
#include <string.h>
#include <jansson.h>
#include <talloc.h>
#include <ss7watch/output_eve.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/output_json.h>
#include <ss7watch/output_pseudo.h>
#include <ss7watch/map.h>

#define DUMP_BUF_LEN		16384
#define LINE_BUF_LEN		32768

struct sw_eve {
	char *dump_buf;
	size_t dump_cap;
	char *line_buf;
	size_t line_cap;
	bool pseudo;		/* identities are replaced by their pseudonyms under key */
	bool keep_location;	/* ... and cells, areas, estimates stay (else reduced) */
	struct sw_pseudo_key key;
};

static int eve_destructor(struct sw_eve *e)
{
	sw_pseudo_key_wipe(&e->key);
	return 0;
}

struct sw_eve *sw_eve_alloc(void *ctx, const uint8_t *pseudo_key, size_t pseudo_key_len, bool keep_location)
{
	struct sw_eve *e = talloc_zero(ctx, struct sw_eve);

	if (!e)
		return NULL;
	talloc_set_destructor(e, eve_destructor);
	e->dump_buf = talloc_size(e, DUMP_BUF_LEN);
	e->dump_cap = DUMP_BUF_LEN;
	e->line_buf = talloc_size(e, LINE_BUF_LEN);
	e->line_cap = LINE_BUF_LEN;
	if (!e->dump_buf || !e->line_buf) {
		talloc_free(e);
		return NULL;
	}
	if (pseudo_key_len) {
		sw_pseudo_key_set(&e->key, pseudo_key, pseudo_key_len);
		e->pseudo = true;
		e->keep_location = keep_location;
	}
	return e;
}

/* --- writing the EVE object ------------------------------------------------------------ */

static const char *transport_proto(const struct sw_msg *msg)
{
	if (msg->mtp3.via == SW_VIA_IPA)
		return "TCP";
	if (msg->meta.ip_version || msg->mtp3.via == SW_VIA_M3UA_LIVE)
		return "SCTP";
	return NULL;
}

static const char *transport_app_proto(const struct sw_msg *msg)
{
	switch (msg->mtp3.via) {
	case SW_VIA_M3UA:
	case SW_VIA_M3UA_LIVE:
		return "m3ua";
	case SW_VIA_M2PA:
		return "m2pa";
	case SW_VIA_M2UA:
		return "m2ua";
	case SW_VIA_MTP2:
		return "mtp2";
	case SW_VIA_MTP3:
		return "mtp3";
	case SW_VIA_SUA:
		return "sua";
	case SW_VIA_IPA:
		return "ipa";
	default:
		return NULL;
	}
}

/* A string member, left out when there is no text. */
static void put_str(struct jw *w, const char *key, const char *s)
{
	if (s && s[0])
		jw_kv_str(w, key, s);
}

/* A double as jansson wrote it before (JSON_REAL_PRECISION(12)): %.12g, with ".0" when that
 * looks like an integer; NaN and infinities are not JSON: null says "not computable". */
static void put_double(struct jw *w, double d)
{
	char buf[40];
	int n;

	if (isnan(d) || isinf(d)) {
		jw_raw(w, "null", 4);
		return;
	}
	n = snprintf(buf, sizeof(buf) - 2, "%.12g", d);
	if (n <= 0 || n >= (int)sizeof(buf) - 2) {
		jw_raw(w, "null", 4);
		return;
	}
	if (!strpbrk(buf, ".eE")) {
		buf[n++] = '.';
		buf[n++] = '0';
	}
	jw_raw(w, buf, n);
}

static void write_alert(struct jw *w, const struct sw_alert *a)
{
	jw_key(w, "alert");
	jw_open(w, '{');
	jw_kv_str(w, "action", "allowed");
	/* Suricata's generator id of rule alerts: tools that key on gid:sid:rev read ours alike */
	jw_kv_int(w, "gid", SW_ALERT_GID);
	jw_kv_int(w, "signature_id", a->signature_id);
	jw_kv_int(w, "rev", a->rev);
	put_str(w, "rule", a->rule);
	put_str(w, "signature", a->name);
	put_str(w, "category", a->category);
	put_str(w, "threat", a->threat);
	jw_kv_int(w, "severity", a->severity);
	/* a line that passed a threshold: the hits it stands for, those held back before it */
	if (a->count) {
		jw_kv_uint(w, "count", a->count);
		jw_kv_uint(w, "suppressed", a->suppressed);
	}
	jw_close(w, '}');
}

static void write_subscriber(struct jw *w, const struct sw_alert_subscr *sub)
{
	const __typeof__(sub->state) *st = &sub->state;

	if (!sub->imsi[0] && !sub->msisdn[0] && sub->home < 0 && !st->node_gt[0])
		return;
	jw_key(w, "subscriber");
	jw_open(w, '{');
	put_str(w, "imsi", sub->imsi);
	put_str(w, "msisdn", sub->msisdn);
	if (sub->home >= 0)
		jw_kv_bool(w, "home", sub->home);
	if (st->node_gt[0]) {
		jw_key(w, "state");
		jw_open(w, '{');
		jw_kv_str(w, "node_gt", st->node_gt);
		put_str(w, "node_kind", st->node_kind);
		put_str(w, "network", st->network);
		put_str(w, "country", st->country);
		if (st->since.tv_sec || st->since.tv_usec)
			jw_kv_ts(w, "since", &st->since);
		put_str(w, "learned_from", st->learned_from);
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

/* The evidence members in order; a key given twice keeps its first place and its last value,
 * as a JSON object built member by member would. */
static void write_evidence(struct jw *w, const struct sw_alert *a)
{
	unsigned n = a->n_ev < SW_ALERT_MAX_EVIDENCE ? a->n_ev : SW_ALERT_MAX_EVIDENCE;

	jw_key(w, "evidence");
	jw_open(w, '{');
	for (unsigned i = 0; i < n; i++) {
		const struct sw_alert_ev *ev = &a->ev[i];
		unsigned k;

		if (!ev->key || ev->type > SW_ALERT_EV_BOOL)
			continue;
		for (k = 0; k < i && !(a->ev[k].key && !strcmp(a->ev[k].key, ev->key)); k++)
			;
		if (k < i)
			continue;	/* written at its first place */
		for (k = n; k-- > i;)
			if (a->ev[k].key && !strcmp(a->ev[k].key, ev->key) && a->ev[k].type <= SW_ALERT_EV_BOOL)
				break;
		ev = &a->ev[k];
		jw_key(w, ev->key);
		switch (ev->type) {
		case SW_ALERT_EV_INT:
			jw_int(w, ev->i);
			break;
		case SW_ALERT_EV_DOUBLE:
			put_double(w, ev->d);
			break;
		case SW_ALERT_EV_STR:
			jw_strval(w, ev->s, strnlen(ev->s, sizeof(ev->s)));
			break;
		case SW_ALERT_EV_BOOL:
			jw_raw(w, ev->b ? "true" : "false", ev->b ? 4 : 5);
			break;
		}
	}
	jw_close(w, '}');
}

static void write_related(struct jw *w, const struct sw_alert *a)
{
	if (!a->n_related)
		return;
	jw_key(w, "related");
	jw_open(w, '[');
	for (unsigned i = 0; i < a->n_related && i < SW_ALERT_MAX_RELATED; i++) {
		const struct sw_alert_related *r = &a->related[i];
		const char *name = r->opcode >= 0 ? map_op_name(r->opcode) : NULL;

		jw_sep(w);
		jw_open(w, '{');
		jw_kv_uint(w, "pcap_cnt", r->frame);
		jw_kv_ts(w, "timestamp", &r->ts);
		if (r->opcode >= 0)
			jw_kv_int(w, "opcode", r->opcode);
		put_str(w, "op", name);
		put_str(w, "calling_gt", r->calling_gt);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* When, what, where from: the keys that come first in Suricata's order. */
static void write_head(struct jw *w, const struct sw_alert *a)
{
	const struct timeval *t = sw_alert_time(a);
	struct timeval when;
	char ip[64];

	if (t)
		when = *t;
	else
		gettimeofday(&when, NULL);
	jw_kv_ts(w, "timestamp", &when);
	jw_kv_str(w, "event_type", "alert");
	if (a->msg || a->n_related)
		jw_kv_uint(w, "pcap_cnt", sw_alert_frame(a));
	/* a cluster worker's frame numbers are those of the site that captured the frame */
	put_str(w, "site", a->site);
	if (a->incident_id)
		jw_kv_uint(w, "incident_id", a->incident_id);
	put_str(w, "pcap_filename", a->pcap_filename);
	put_str(w, "in_iface", a->in_iface);
	if (a->msg && a->msg->meta.ip_version) {
		sw_format_ip(ip, sizeof(ip), &a->msg->meta, false);
		jw_kv_str(w, "src_ip", ip);
		sw_format_ip(ip, sizeof(ip), &a->msg->meta, true);
		jw_kv_str(w, "dest_ip", ip);
	}
	if (a->msg) {
		put_str(w, "proto", transport_proto(a->msg));
		put_str(w, "app_proto", transport_app_proto(a->msg));
	}
}

/* Room for need bytes in *buf (of *cap, a talloc child of e), grown and kept.
 * \returns false when there is no memory for it. */
static bool buf_reserve(struct sw_eve *e, char **buf, size_t *cap, size_t need)
{
	char *bigger;

	if (need <= *cap)
		return true;
	bigger = talloc_realloc_size(e, *buf, need);
	if (!bigger)
		return false;
	*buf = bigger;
	*cap = need;
	return true;
}

/* The dump buffer as large as msg's line can be: a long message is written whole, as --dump
 * writes it. */
static bool dump_reserve(struct sw_eve *e, const struct sw_msg *msg)
{
	return buf_reserve(e, &e->dump_buf, &e->dump_cap, sw_dump_line_bound(msg));
}

/* --- the line -------------------------------------------------------------------------- */

#define JSON_LINE_FLAGS	(JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(12))
/* the head and tail of a line are bounded by the alert's fixed-size fields; a buffer grown
 * this far that still overflows means a bug, not a long alert */
#define LINE_MAX_LEN		(1u << 22)

/* Room for need bytes in line_buf. */
static bool line_reserve(struct sw_eve *e, size_t need)
{
	return buf_reserve(e, &e->line_buf, &e->line_cap, need);
}

/* The plain alert line in line_buf: head, the message's protocol objects as the dump writer
 * writes them (the same text as --dump), tail. \returns its length, 0 on failure. */
static size_t write_line(struct sw_eve *e, const struct sw_alert *a)
{
	size_t members = 0;

	if (a->msg && dump_reserve(e, a->msg))
		members = sw_dump_json_members(e->dump_buf, e->dump_cap, a->msg, a->comp_idx);
	for (;;) {
		struct jw w = { .p = e->line_buf, .end = e->line_buf + e->line_cap - 1 };
		size_t len;

		jw_open(&w, '{');
		write_head(&w, a);
		if (members) {
			jw_sep(&w);
			jw_raw(&w, e->dump_buf, members);
		}
		write_alert(&w, a);
		write_subscriber(&w, &a->subscr);
		write_evidence(&w, a);
		write_related(&w, a);
		jw_close(&w, '}');
		len = jw_finish(&w, e->line_buf);
		if (len)
			return len;
		if (e->line_cap >= LINE_MAX_LEN || !line_reserve(e, e->line_cap * 2))
			return 0;
	}
}

/* The compact text of o at line_buf + off, one byte kept free after it (the '\n').
 * \returns the line's new length, or 0. */
static size_t line_put_json(struct sw_eve *e, size_t off, json_t *o)
{
	/* json_dumpb() returns the size it needs: dump again into a buffer that big */
	size_t n = json_dumpb(o, e->line_buf + off, e->line_cap - off - 1, JSON_LINE_FLAGS);

	if (n && n > e->line_cap - off - 1) {
		if (!line_reserve(e, off + n + 1))
			return 0;
		n = json_dumpb(o, e->line_buf + off, e->line_cap - off - 1, JSON_LINE_FLAGS);
	}
	return n && n <= e->line_cap - off - 1 ? off + n : 0;
}

/* The alert line in line_buf; \returns its length without the '\n', 0 on failure.
 * Pseudonymised, the plain line is parsed and every string of it looked at (output_pseudo.c)
 * before it is written again: the rare case pays for the tree, the plain one allocates
 * nothing (an alert storm is bound by this). */
static size_t format_line(struct sw_eve *e, const struct sw_alert *a)
{
	size_t len = write_line(e, a);
	json_t *eve;

	if (!len || !e->pseudo)
		return len;
	/* the dump escapes a NUL in decoded text as \u0000: accept it */
	eve = json_loadb(e->line_buf, len, JSON_ALLOW_NUL, NULL);
	if (!eve)
		return 0;
	sw_pseudo_json(&e->key, eve, a->subscr.imsi, a->subscr.msisdn, e->keep_location);
	json_object_set_new(eve, "pseudonymised", json_true());
	len = line_put_json(e, 0, eve);
	json_decref(eve);
	return len;
}

size_t sw_eve_format(struct sw_eve *e, const struct sw_alert *a, char **line)
{
	size_t len = format_line(e, a);

	/* line_buf moves when a line outgrows it */
	*line = e->line_buf;
	return len;
}
