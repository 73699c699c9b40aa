/* The EVE JSON line of an alert, built with jansson.
 * An alert line starts from the --dump object of the triggering message, so an analyst sees
 * the message exactly as --dump shows it, and adds the rule, the subscriber state and the
 * evidence the decision was based on. */
#include <stdbool.h>
#include <string.h>
#include <jansson.h>
#include <talloc.h>
#include <ss7watch/output_eve.h>
#include <ss7watch/output_dump.h>
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

/* --- building the EVE object ----------------------------------------------------------- */

static json_t *ts_json(const struct timeval *tv)
{
	char buf[32];
	size_t n = sw_format_ts(buf, sizeof(buf), tv);

	return json_stringn(buf, n);
}

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

static void set_str(json_t *o, const char *key, const char *s)
{
	if (s && s[0])
		json_object_set_new(o, key, json_string(s));
}

static json_t *alert_json(const struct sw_alert *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "action", json_string("allowed"));
	/* Suricata's generator id of rule alerts: tools that key on gid:sid:rev read ours alike */
	json_object_set_new(o, "gid", json_integer(SW_ALERT_GID));
	json_object_set_new(o, "signature_id", json_integer(a->signature_id));
	json_object_set_new(o, "rev", json_integer(a->rev));
	set_str(o, "rule", a->rule);
	set_str(o, "signature", a->name);
	set_str(o, "category", a->category);
	set_str(o, "threat", a->threat);
	json_object_set_new(o, "severity", json_integer(a->severity));
	/* a line that passed a threshold: the hits it stands for, those held back before it */
	if (a->count) {
		json_object_set_new(o, "count", json_integer(a->count));
		json_object_set_new(o, "suppressed", json_integer(a->suppressed));
	}
	return o;
}

static json_t *subscriber_json(const struct sw_alert_subscr *sub)
{
	json_t *o = json_object();

	set_str(o, "imsi", sub->imsi);
	set_str(o, "msisdn", sub->msisdn);
	if (sub->home >= 0)
		json_object_set_new(o, "home", json_boolean(sub->home));
	if (sub->state.node_gt[0]) {
		json_t *st = json_object();

		json_object_set_new(st, "node_gt", json_string(sub->state.node_gt));
		set_str(st, "node_kind", sub->state.node_kind);
		set_str(st, "network", sub->state.network);
		set_str(st, "country", sub->state.country);
		if (sub->state.since.tv_sec || sub->state.since.tv_usec)
			json_object_set_new(st, "since", ts_json(&sub->state.since));
		set_str(st, "learned_from", sub->state.learned_from);
		json_object_set_new(o, "state", st);
	}
	if (!json_object_size(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *evidence_json(const struct sw_alert *a)
{
	json_t *o = json_object();

	for (unsigned i = 0; i < a->n_ev && i < SW_ALERT_MAX_EVIDENCE; i++) {
		const struct sw_alert_ev *ev = &a->ev[i];
		json_t *v;

		if (!ev->key)
			continue;
		switch (ev->type) {
		case SW_ALERT_EV_INT:
			v = json_integer(ev->i);
			break;
		case SW_ALERT_EV_DOUBLE:
			/* NaN and infinities are not JSON: null says "not computable" */
			v = json_real(ev->d);
			if (!v)
				v = json_null();
			break;
		case SW_ALERT_EV_STR:
			v = json_stringn(ev->s, strnlen(ev->s, sizeof(ev->s)));
			break;
		case SW_ALERT_EV_BOOL:
			v = json_boolean(ev->b);
			break;
		default:
			continue;
		}
		json_object_set_new(o, ev->key, v);
	}
	return o;
}

static json_t *related_json(const struct sw_alert *a)
{
	json_t *arr = json_array();

	for (unsigned i = 0; i < a->n_related && i < SW_ALERT_MAX_RELATED; i++) {
		const struct sw_alert_related *r = &a->related[i];
		json_t *o = json_object();
		const char *name = r->opcode >= 0 ? map_op_name(r->opcode) : NULL;

		json_object_set_new(o, "pcap_cnt", json_integer(r->frame));
		json_object_set_new(o, "timestamp", ts_json(&r->ts));
		if (r->opcode >= 0)
			json_object_set_new(o, "opcode", json_integer(r->opcode));
		set_str(o, "op", name);
		set_str(o, "calling_gt", r->calling_gt);
		json_array_append_new(arr, o);
	}
	return arr;
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

/* The --dump object of the triggering message, or NULL (no message, or no memory for it). */
static json_t *message_json(struct sw_eve *e, const struct sw_alert *a)
{
	size_t n;

	if (!a->msg || !dump_reserve(e, a->msg))
		return NULL;
	n = sw_dump_json(e->dump_buf, e->dump_cap, a->msg, a->comp_idx);
	if (!n)
		return NULL;
	/* the dump escapes a NUL in decoded text as \u0000: accept it */
	return json_loadb(e->dump_buf, n, JSON_ALLOW_NUL, NULL);
}

/* When, what, where from: the keys that come first in Suricata's order. */
static json_t *head_json(const struct sw_alert *a)
{
	json_t *h = json_object();
	const struct timeval *t = sw_alert_time(a);
	struct timeval when;
	char ip[64];

	if (t)
		when = *t;
	else
		gettimeofday(&when, NULL);
	json_object_set_new(h, "timestamp", ts_json(&when));
	json_object_set_new(h, "event_type", json_string("alert"));
	if (a->msg || a->n_related)
		json_object_set_new(h, "pcap_cnt", json_integer(sw_alert_frame(a)));
	if (a->incident_id)
		json_object_set_new(h, "incident_id", json_integer(a->incident_id));
	set_str(h, "pcap_filename", a->pcap_filename);
	set_str(h, "in_iface", a->in_iface);
	if (a->msg && a->msg->meta.ip_version) {
		sw_format_ip(ip, sizeof(ip), &a->msg->meta, false);
		json_object_set_new(h, "src_ip", json_string(ip));
		sw_format_ip(ip, sizeof(ip), &a->msg->meta, true);
		json_object_set_new(h, "dest_ip", json_string(ip));
	}
	if (a->msg) {
		set_str(h, "proto", transport_proto(a->msg));
		set_str(h, "app_proto", transport_app_proto(a->msg));
	}
	return h;
}

/* What decided it: the keys after the message's protocol objects. */
static json_t *tail_json(const struct sw_alert *a)
{
	json_t *t = json_object(), *sub;

	json_object_set_new(t, "alert", alert_json(a));
	sub = subscriber_json(&a->subscr);
	if (sub)
		json_object_set_new(t, "subscriber", sub);
	json_object_set_new(t, "evidence", evidence_json(a));
	if (a->n_related)
		json_object_set_new(t, "related", related_json(a));
	return t;
}

/* The whole alert as one object, pseudonymised: head, the message's protocol objects (its
 * --dump object, parsed), tail; then every string is looked at (output_pseudo.c). */
static json_t *pseudonymised_eve(struct sw_eve *e, const struct sw_alert *a)
{
	json_t *eve = head_json(a);
	json_t *m = message_json(e, a), *tail = tail_json(a);
	const char *k;
	json_t *v;

	if (m) {
		json_object_foreach(m, k, v) {
			if (!json_object_get(eve, k))
				json_object_set(eve, k, v);
		}
		json_decref(m);
	}
	json_object_foreach(tail, k, v)
		json_object_set(eve, k, v);
	json_decref(tail);

	sw_pseudo_json(&e->key, eve, a->subscr.imsi, a->subscr.msisdn, e->keep_location);
	json_object_set_new(eve, "pseudonymised", json_true());
	return eve;
}

/* --- the line -------------------------------------------------------------------------- */

#define JSON_LINE_FLAGS	(JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(12))

/* Room for need bytes in line_buf. */
static bool line_reserve(struct sw_eve *e, size_t need)
{
	return buf_reserve(e, &e->line_buf, &e->line_cap, need);
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
 * Without pseudonymisation the message's protocol objects go in as the dump writer writes
 * them, between the head and the tail objects: the line is the same as building one object
 * (and the same text as --dump), at a fraction of the cost of parsing and re-serialising
 * the dump (an alert storm is bound by this). */
static size_t format_line(struct sw_eve *e, const struct sw_alert *a)
{
	json_t *head, *tail, *eve;
	size_t len, members = 0, tail_at;

	if (e->pseudo) {
		eve = pseudonymised_eve(e, a);
		len = eve ? line_put_json(e, 0, eve) : 0;
		json_decref(eve);
		return len;
	}
	if (a->msg && dump_reserve(e, a->msg))
		members = sw_dump_json_members(e->dump_buf, e->dump_cap, a->msg, a->comp_idx);
	head = head_json(a);
	tail = tail_json(a);
	len = line_put_json(e, 0, head);
	if (!len)
		goto out;
	/* head "{...}" loses its '}', tail "{...}" its '{': one object */
	len--;
	if (members) {
		if (!line_reserve(e, len + 1 + members + 1)) {
			len = 0;
			goto out;
		}
		e->line_buf[len++] = ',';
		memcpy(e->line_buf + len, e->dump_buf, members);
		len += members;
	}
	tail_at = len;
	len = line_put_json(e, len, tail);
	if (len)
		e->line_buf[tail_at] = ',';
out:
	json_decref(head);
	json_decref(tail);
	return len;
}

size_t sw_eve_format(struct sw_eve *e, const struct sw_alert *a, char **line)
{
	size_t len = format_line(e, a);

	/* line_buf moves when a line outgrows it */
	*line = e->line_buf;
	return len;
}
