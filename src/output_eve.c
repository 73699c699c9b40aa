/* The alert sink: Suricata EVE JSON lines built with jansson.
 * An alert line starts from the --dump object of the triggering message, so an analyst sees
 * the message exactly as --dump shows it, and adds the rule, the subscriber state and the
 * evidence the decision was based on. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/uio.h>
#include <jansson.h>
#include <talloc.h>
#include <ss7watch/output_sink.h>
#include <ss7watch/output_queue.h>
#include <ss7watch/output_latency.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/hmac_sha256.h>
#include <ss7watch/map.h>

#define DUMP_BUF_LEN		16384
#define LINE_BUF_LEN		32768
#define SUM_MAX_RULES		256
#define SUM_MAX_THREATS		64
#define SUM_MAX_NETWORKS	1024
#define MAX_IDENTITIES		16

/* How many alerts were counted under one name (rule, threat, calling network). */
struct sum_entry {
	char *name;
	char *desc;		/* rule name for the rule table, else NULL */
	uint64_t count;
};

struct sum_table {
	struct sum_entry *e;
	unsigned n, max;
	uint64_t other;		/* alerts beyond max distinct names */
};

struct sw_alert_sink {
	char *path;		/* NULL: no file; "-": stdout */
	int fd;			/* -1 when no file/stdout */
	FILE *stream;
	bool syslog;
	uint8_t *key;
	size_t key_len;
	bool summary;
	sig_atomic_t reopen_gen; /* value of reopen_requests last acted upon */
	/* live: the file and syslog are written by the queue's thread, which alone then
	 * touches fd, and reopens it when reopen_wanted is set */
	struct sw_alert_queue *q;
	int reopen_wanted;
	struct sw_latency *latency;	/* arrival -> line written, live alerts; NULL: not kept */

	char *dump_buf;
	char *line_buf;
	size_t line_cap;

	struct sw_alert_sink_stats st;
	struct sum_table by_rule, by_threat, by_network;
};

/* incremented by the SIGHUP handler: every sink notices it differs from what it saw */
static volatile sig_atomic_t reopen_requests;

/* --- pseudonymisation ------------------------------------------------------------------ */

static void pseudonym_from_ctx(char *buf, const struct sw_hmac_sha256_ctx *keyed, const char *digits)
{
	static const char hex[] = "0123456789abcdef";
	struct sw_hmac_sha256_ctx ctx = *keyed;
	uint8_t mac[SW_SHA256_DIGEST_LEN];

	sw_hmac_sha256_update(&ctx, digits, strlen(digits));
	sw_hmac_sha256_final(&ctx, mac);
	memcpy(buf, "hmac:", 5);
	/* 128 bits: collisions are out of reach for any number of subscribers */
	for (unsigned i = 0; i < 16; i++) {
		buf[5 + 2 * i] = hex[mac[i] >> 4];
		buf[6 + 2 * i] = hex[mac[i] & 15];
	}
	buf[5 + 32] = '\0';
}

void sw_alert_pseudonym(char *buf, const uint8_t *key, size_t key_len, const char *digits)
{
	struct sw_hmac_sha256_ctx keyed;

	sw_hmac_sha256_init(&keyed, key, key_len);
	pseudonym_from_ctx(buf, &keyed, digits);
}

/* Keys whose string values identify a subscriber or a handset wherever they occur: the
 * MAP parameters, the MAP-OpenInfo references (an IMSI or MSISDN) and our own subscriber
 * object. */
static bool is_identity_key(const char *key)
{
	static const char *const keys[] = {
		"imsi", "msisdn", "imei", "destination_reference", "origination_reference",
	};

	if (!key)
		return false;
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

/* An SCCP GT of numbering plan E.212 (6) or E.214 (7) is built from an IMSI. */
static bool is_mobile_gt(const char *key, json_t *parent)
{
	json_int_t np;

	if (!key || strcmp(key, "gt") || !json_is_object(parent))
		return false;
	np = json_integer_value(json_object_get(parent, "np"));
	return np == 6 || np == 7;
}

struct identities {
	unsigned n;
	char v[MAX_IDENTITIES][SW_ALERT_NUM_LEN];
};

static void identity_add(struct identities *ids, const char *s)
{
	if (!s[0] || !strncmp(s, "hmac:", 5) || strlen(s) >= SW_ALERT_NUM_LEN)
		return;
	for (unsigned i = 0; i < ids->n; i++)
		if (!strcmp(ids->v[i], s))
			return;
	if (ids->n < MAX_IDENTITIES)
		strcpy(ids->v[ids->n++], s);
}

static bool identity_known(const struct identities *ids, const char *s)
{
	for (unsigned i = 0; i < ids->n; i++)
		if (!strcmp(ids->v[i], s))
			return true;
	return false;
}

/* First pass: every identity string of the object, to also catch it under other keys
 * (an SCCP called GT that is the target MSISDN, an evidence value). */
static void collect_identities(json_t *j, const char *key, struct identities *ids)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach(j, k, v)
			collect_identities(v, k, ids);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			collect_identities(v, key, ids);
	} else if (json_is_string(j) && is_identity_key(key)) {
		identity_add(ids, json_string_value(j));
	}
}

static void pseudonymise_value(json_t *parent_obj, const char *key, json_t *parent_arr, size_t idx,
			       json_t *j, const struct identities *ids, const struct sw_hmac_sha256_ctx *keyed)
{
	char tok[SW_ALERT_PSEUDO_LEN];
	const char *s = json_string_value(j);

	if (!s[0] || !strncmp(s, "hmac:", 5))
		return;
	if (!is_identity_key(key) && !is_mobile_gt(key, parent_obj) && !identity_known(ids, s))
		return;
	pseudonym_from_ctx(tok, keyed, s);
	if (parent_arr)
		json_array_set_new(parent_arr, idx, json_string(tok));
	else
		json_object_set_new(parent_obj, key, json_string(tok));
}

/* Second pass: replace; key is the object key the value (or the array holding it) is under. */
static void pseudonymise(json_t *j, const char *key, json_t *parent_obj, const struct identities *ids,
			 const struct sw_hmac_sha256_ctx *keyed)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach(j, k, v) {
			if (json_is_string(v))
				pseudonymise_value(j, k, NULL, 0, v, ids, keyed);
			else
				pseudonymise(v, k, j, ids, keyed);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) {
			if (json_is_string(v))
				pseudonymise_value(parent_obj, key, j, i, v, ids, keyed);
			else
				pseudonymise(v, key, parent_obj, ids, keyed);
		}
	}
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
	json_object_set_new(o, "signature_id", json_integer(a->signature_id));
	set_str(o, "rule", a->rule);
	set_str(o, "signature", a->name);
	set_str(o, "category", a->category);
	set_str(o, "threat", a->threat);
	json_object_set_new(o, "severity", json_integer(a->severity));
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

/* The --dump object of the triggering message, or NULL (no message, or it did not fit). */
static json_t *message_json(struct sw_alert_sink *s, const struct sw_alert *a)
{
	size_t n;

	if (!a->msg)
		return NULL;
	n = sw_dump_json(s->dump_buf, DUMP_BUF_LEN, a->msg, a->comp_idx);
	if (!n)
		return NULL;
	/* the dump escapes a NUL in decoded text as \u0000: accept it */
	return json_loadb(s->dump_buf, n, JSON_ALLOW_NUL, NULL);
}

/* When, what, where from: the keys that come first in Suricata's order. */
static json_t *head_json(const struct sw_alert *a)
{
	json_t *h = json_object();
	struct timeval when;
	char ip[64];

	if (a->msg)
		when = a->msg->meta.ts;
	else if (a->n_related)
		when = a->related[0].ts;
	else
		gettimeofday(&when, NULL);
	json_object_set_new(h, "timestamp", ts_json(&when));
	json_object_set_new(h, "event_type", json_string("alert"));
	if (a->msg)
		json_object_set_new(h, "pcap_cnt", json_integer(a->msg->meta.frame));
	else if (a->n_related)
		json_object_set_new(h, "pcap_cnt", json_integer(a->related[0].frame));
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

/* The whole alert as one object, to walk for pseudonymisation: head, the message's protocol
 * objects (its --dump object, parsed), tail. */
static json_t *build_eve(struct sw_alert_sink *s, const struct sw_alert *a)
{
	json_t *eve = head_json(a);
	json_t *m = message_json(s, a), *tail = tail_json(a);
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

	if (s->key_len) {
		struct sw_hmac_sha256_ctx keyed;
		struct identities ids = { 0 };

		identity_add(&ids, a->subscr.imsi);
		identity_add(&ids, a->subscr.msisdn);
		collect_identities(eve, NULL, &ids);
		sw_hmac_sha256_init(&keyed, s->key, s->key_len);
		pseudonymise(eve, NULL, NULL, &ids, &keyed);
		memset(&keyed, 0, sizeof(keyed));
		json_object_set_new(eve, "pseudonymised", json_true());
	}
	return eve;
}

/* --- counting for --summary -------------------------------------------------------------- */

static void sum_count(struct sw_alert_sink *s, struct sum_table *t, const char *name, const char *desc)
{
	struct sum_entry *e;

	if (!name || !name[0])
		name = "unknown";
	for (unsigned i = 0; i < t->n; i++) {
		if (!strcmp(t->e[i].name, name)) {
			t->e[i].count++;
			return;
		}
	}
	if (t->n >= t->max) {
		t->other++;
		return;
	}
	e = talloc_realloc(s, t->e, struct sum_entry, t->n + 1);
	if (!e) {
		t->other++;
		return;
	}
	t->e = e;
	e = &t->e[t->n];
	e->name = talloc_strdup(t->e, name);
	e->desc = desc ? talloc_strdup(t->e, desc) : NULL;
	e->count = 1;
	if (!e->name) {
		t->other++;
		return;
	}
	t->n++;
}

static int sum_cmp(const void *pa, const void *pb)
{
	const struct sum_entry *a = *(const struct sum_entry *const *)pa;
	const struct sum_entry *b = *(const struct sum_entry *const *)pb;

	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return strcmp(a->name, b->name);
}

static void sum_print(FILE *f, const char *title, const struct sum_table *t)
{
	const struct sum_entry **sorted;

	fprintf(f, "%s:\n", title);
	if (!t->n && !t->other) {
		fprintf(f, "  (none)\n");
		return;
	}
	sorted = calloc(t->n ? t->n : 1, sizeof(*sorted));
	if (!sorted)
		return;
	for (unsigned i = 0; i < t->n; i++)
		sorted[i] = &t->e[i];
	qsort(sorted, t->n, sizeof(*sorted), sum_cmp);
	for (unsigned i = 0; i < t->n; i++) {
		if (sorted[i]->desc)
			fprintf(f, "  %8" PRIu64 "  %s  (%s)\n", sorted[i]->count, sorted[i]->name, sorted[i]->desc);
		else
			fprintf(f, "  %8" PRIu64 "  %s\n", sorted[i]->count, sorted[i]->name);
	}
	if (t->other)
		fprintf(f, "  %8" PRIu64 "  (others)\n", t->other);
	free(sorted);
}

void sw_alert_sink_summary(const struct sw_alert_sink *s, FILE *f)
{
	const struct sw_alert_sink_stats *st = &s->st;

	fprintf(f, "Alerts: %" PRIu64 " (severity 1: %" PRIu64 ", 2: %" PRIu64 ", 3: %" PRIu64 ")\n",
		st->emitted, st->by_severity[1], st->by_severity[2], st->by_severity[3]);
	if (st->write_errors || st->encode_errors || st->dropped)
		fprintf(f, "NOT WRITTEN: %" PRIu64 " write errors, %" PRIu64 " format errors, %" PRIu64 " dropped\n",
			st->write_errors, st->encode_errors, st->dropped);
	if (!s->summary)
		return;
	sum_print(f, "By rule", &s->by_rule);
	sum_print(f, "By threat", &s->by_threat);
	sum_print(f, "By calling network", &s->by_network);
}

/* --- outputs ------------------------------------------------------------------------------ */

static int open_file(const char *path)
{
	/* O_APPEND: each line lands whole at the end even if another writer shares the file */
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

static int syslog_prio(uint8_t severity)
{
	switch (severity) {
	case 1:
		return LOG_WARNING;
	case 2:
		return LOG_NOTICE;
	default:
		return LOG_INFO;
	}
}

static int reopen_file(struct sw_alert_sink *s);

/* Write iov[0..n) whole to fd, resuming after partial writes. \returns how many of the n
 * buffers were written completely (n unless an error stopped it). */
static unsigned writev_all(int fd, struct iovec *iov, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		ssize_t w = writev(fd, iov + done, n - done);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		while (done < n && (size_t)w >= iov[done].iov_len) {
			w -= iov[done].iov_len;
			done++;
		}
		if (done < n) {
			iov[done].iov_base = (char *)iov[done].iov_base + w;
			iov[done].iov_len -= w;
		}
	}
	return done;
}

/* The file (or stdout) and syslog outputs of lines ending in '\n': on the packet path
 * without a queue (one line), on the writer thread with one (a batch, one writev).
 * \returns how many lines the file did not take. */
static unsigned write_outputs(struct sw_alert_sink *s, const struct sw_alert_queue_line *lines, unsigned n)
{
	struct iovec iov[SW_ALERT_QUEUE_BATCH];
	unsigned done = n;

	if (s->syslog)
		for (unsigned i = 0; i < n; i++)
			syslog(syslog_prio(lines[i].severity), "%.*s", (int)(lines[i].len - 1), lines[i].line);
	if (s->fd >= 0) {
		for (unsigned i = 0; i < n; i++)
			iov[i] = (struct iovec){ .iov_base = (void *)lines[i].line, .iov_len = lines[i].len };
		done = writev_all(s->fd, iov, n);
		__atomic_add_fetch(&s->st.written, done, __ATOMIC_RELAXED);
		if (done < n)
			__atomic_add_fetch(&s->st.write_errors, n - done, __ATOMIC_RELAXED);
	}
	/* only this thread adds samples; readers may see one being added (a sample off) */
	for (unsigned i = 0; s->latency && i < n; i++)
		if (lines[i].arrival)
			sw_latency_add_since(s->latency, lines[i].arrival);
	return n - done;
}

static void queue_write_lines(void *priv, const struct sw_alert_queue_line *lines, unsigned n)
{
	write_outputs(priv, lines, n);
}

static void queue_before_write(void *priv)
{
	struct sw_alert_sink *s = priv;

	if (__atomic_exchange_n(&s->reopen_wanted, 0, __ATOMIC_ACQ_REL))
		reopen_file(s);
}

static int sink_destructor(struct sw_alert_sink *s)
{
	/* every queued line is written before the file closes */
	sw_alert_queue_stop(s->q);
	s->q = NULL;
	if (s->fd > STDERR_FILENO)
		close(s->fd);
	if (s->syslog)
		closelog();
	if (s->key)
		memset(s->key, 0, s->key_len);
	return 0;
}

struct sw_alert_sink *sw_alert_sink_open(void *ctx, const struct sw_alert_sink_cfg *cfg,
					 char *err, size_t errlen)
{
	struct sw_alert_sink *s = talloc_zero(ctx, struct sw_alert_sink);

	if (!s) {
		snprintf(err, errlen, "alert sink: out of memory");
		return NULL;
	}
	s->fd = -1;
	talloc_set_destructor(s, sink_destructor);
	s->dump_buf = talloc_size(s, DUMP_BUF_LEN);
	s->line_buf = talloc_size(s, LINE_BUF_LEN);
	s->line_cap = LINE_BUF_LEN;
	if (!s->dump_buf || !s->line_buf)
		goto oom;
	s->by_rule.max = SUM_MAX_RULES;
	s->by_threat.max = SUM_MAX_THREATS;
	s->by_network.max = SUM_MAX_NETWORKS;
	s->summary = cfg->summary;
	s->stream = cfg->stream;
	s->reopen_gen = reopen_requests;

	if (cfg->pseudo_key_len) {
		s->key = talloc_memdup(s, cfg->pseudo_key, cfg->pseudo_key_len);
		if (!s->key)
			goto oom;
		s->key_len = cfg->pseudo_key_len;
	}

	if (cfg->path && !strcmp(cfg->path, "-")) {
		s->path = talloc_strdup(s, "-");
		s->fd = STDOUT_FILENO;
	} else if (cfg->path) {
		s->path = talloc_strdup(s, cfg->path);
		if (!s->path)
			goto oom;
		s->fd = open_file(s->path);
		if (s->fd < 0) {
			snprintf(err, errlen, "%s: cannot open alert output: %s", cfg->path, strerror(errno));
			talloc_free(s);
			return NULL;
		}
	}

	if (cfg->syslog) {
		openlog(cfg->syslog_ident ? cfg->syslog_ident : "ss7watch", LOG_PID | LOG_NDELAY,
			cfg->syslog_facility ? cfg->syslog_facility : LOG_USER);
		s->syslog = true;
	}
	if (cfg->queue_bytes && sw_alert_sink_start_writer(s, cfg->queue_bytes, err, errlen) < 0) {
		talloc_free(s);
		return NULL;
	}
	return s;

oom:
	snprintf(err, errlen, "alert sink: out of memory");
	talloc_free(s);
	return NULL;
}

int sw_alert_sink_start_writer(struct sw_alert_sink *s, size_t queue_bytes, char *err, size_t errlen)
{
	if (s->q || !queue_bytes || (s->fd < 0 && !s->syslog))
		return 0;
	s->q = sw_alert_queue_start(s, queue_bytes, queue_write_lines, queue_before_write, s);
	if (!s->q) {
		snprintf(err, errlen, "alert sink: cannot start the writer thread: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Open the file again and switch to it; on the writer thread when there is a queue. */
static int reopen_file(struct sw_alert_sink *s)
{
	int fd;

	if (!s->path || !strcmp(s->path, "-"))
		return 0;
	/* open the new file before closing the old: if it fails, go on writing to the old */
	fd = open_file(s->path);
	if (fd < 0) {
		int e = errno;

		__atomic_add_fetch(&s->st.reopen_errors, 1, __ATOMIC_RELAXED);
		errno = e;
		return -1;
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	__atomic_add_fetch(&s->st.reopens, 1, __ATOMIC_RELAXED);
	return 0;
}

int sw_alert_sink_reopen(struct sw_alert_sink *s)
{
	s->reopen_gen = reopen_requests;
	if (s->stream)
		fflush(s->stream);
	if (s->q) {
		/* the writer reopens before its next line, or now if it is idle */
		__atomic_store_n(&s->reopen_wanted, 1, __ATOMIC_RELEASE);
		sw_alert_queue_kick(s->q);
		return 0;
	}
	return reopen_file(s);
}

void sw_alert_sink_request_reopen(void)
{
	reopen_requests++;
}

int sw_alert_sink_reopen_pending(struct sw_alert_sink *s)
{
	if (s->reopen_gen == reopen_requests)
		return 0;
	return sw_alert_sink_reopen(s);
}

void sw_alert_sink_close(struct sw_alert_sink *s)
{
	if (!s)
		return;
	if (s->stream)
		fflush(s->stream);
	sw_alert_queue_stop(s->q);
	s->q = NULL;
	if (s->fd > STDERR_FILENO)
		fsync(s->fd);
	talloc_free(s);
}

const struct sw_alert_sink_stats *sw_alert_sink_stats(const struct sw_alert_sink *s)
{
	return &s->st;
}

bool sw_alert_sink_queue_stats(const struct sw_alert_sink *s, struct sw_alert_queue_stats *out)
{
	if (!s->q)
		return false;
	sw_alert_queue_stats(s->q, out);
	return true;
}

void sw_alert_sink_set_latency(struct sw_alert_sink *s, struct sw_latency *l)
{
	s->latency = l;
}

void sw_alert_sink_drain(struct sw_alert_sink *s)
{
	if (s->q)
		sw_alert_queue_drain(s->q);
}

#define JSON_LINE_FLAGS	(JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(12))

/* Room for need bytes in line_buf. */
static bool line_reserve(struct sw_alert_sink *s, size_t need)
{
	char *bigger;

	if (need <= s->line_cap)
		return true;
	bigger = talloc_realloc_size(s, s->line_buf, need);
	if (!bigger)
		return false;
	s->line_buf = bigger;
	s->line_cap = need;
	return true;
}

/* The compact text of o at line_buf + off, one byte kept free after it (the '\n').
 * \returns the line's new length, or 0. */
static size_t line_put_json(struct sw_alert_sink *s, size_t off, json_t *o)
{
	/* json_dumpb() returns the size it needs: dump again into a buffer that big */
	size_t n = json_dumpb(o, s->line_buf + off, s->line_cap - off - 1, JSON_LINE_FLAGS);

	if (n && n > s->line_cap - off - 1) {
		if (!line_reserve(s, off + n + 1))
			return 0;
		n = json_dumpb(o, s->line_buf + off, s->line_cap - off - 1, JSON_LINE_FLAGS);
	}
	return n && n <= s->line_cap - off - 1 ? off + n : 0;
}

/* The alert line in line_buf; \returns its length without the '\n', 0 on failure.
 * Without pseudonymisation the message's protocol objects go in as the dump writer writes
 * them, between the head and the tail objects: the line is the same as building one object
 * (and the same text as --dump), at a fraction of the cost of parsing and re-serialising
 * the dump (an alert storm is bound by this). */
static size_t format_line(struct sw_alert_sink *s, const struct sw_alert *a)
{
	json_t *head, *tail, *eve;
	size_t len, members = 0, tail_at;

	if (s->key_len) {
		eve = build_eve(s, a);
		len = eve ? line_put_json(s, 0, eve) : 0;
		json_decref(eve);
		return len;
	}
	if (a->msg)
		members = sw_dump_json_members(s->dump_buf, DUMP_BUF_LEN, a->msg, a->comp_idx);
	head = head_json(a);
	tail = tail_json(a);
	len = line_put_json(s, 0, head);
	if (!len)
		goto out;
	/* head "{...}" loses its '}', tail "{...}" its '{': one object */
	len--;
	if (members) {
		if (!line_reserve(s, len + 1 + members + 1)) {
			len = 0;
			goto out;
		}
		s->line_buf[len++] = ',';
		memcpy(s->line_buf + len, s->dump_buf, members);
		len += members;
	}
	tail_at = len;
	len = line_put_json(s, len, tail);
	if (len)
		s->line_buf[tail_at] = ',';
out:
	json_decref(head);
	json_decref(tail);
	return len;
}

int sw_alert_sink_emit(void *sink, const struct sw_alert *a)
{
	struct sw_alert_sink *s = sink;
	size_t n;
	int rc = 0;
	const struct timeval *arrival;

	/* a SIGHUP since the last line: this line already goes to the new file */
	if (s->reopen_gen != reopen_requests)
		sw_alert_sink_reopen(s);

	n = format_line(s, a);
	if (!n) {
		s->st.encode_errors++;
		return -1;
	}

	s->st.emitted++;
	s->st.by_severity[a->severity <= 3 ? a->severity : 0]++;
	if (s->summary) {
		sum_count(s, &s->by_rule, a->rule, a->name);
		sum_count(s, &s->by_threat, a->threat, NULL);
		sum_count(s, &s->by_network, a->calling_network, NULL);
	}

	s->line_buf[n++] = '\n';
	/* live alerts carry their message's arrival, for the arrival -> written latency */
	arrival = a->in_iface && a->msg ? &a->msg->meta.ts : NULL;
	if (s->q) {
		if (!sw_alert_queue_push(s->q, s->line_buf, n, a->severity, arrival)) {
			s->st.dropped++;
			rc = -1;
		}
	} else {
		const struct sw_alert_queue_line one = {
			.line = s->line_buf, .len = n, .severity = a->severity, .arrival = arrival,
		};

		if (write_outputs(s, &one, 1))
			rc = -1;
	}
	if (s->stream) {
		if (fwrite(s->line_buf, 1, n, s->stream) != n || fflush(s->stream)) {
			__atomic_add_fetch(&s->st.write_errors, 1, __ATOMIC_RELAXED);
			rc = -1;
		} else {
			__atomic_add_fetch(&s->st.written, 1, __ATOMIC_RELAXED);
		}
	}
	return rc;
}
