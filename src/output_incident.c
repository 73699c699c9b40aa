/* Incidents (output_incident.h): one record per origin in a bounded, bucketed table, on a
 * list by last activity so that the idle ones close from its head. Per alert: one lookup,
 * a few counters, the list move; the JSON line is built only when an incident closes. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <talloc.h>
#include <osmocom/core/linuxlist.h>
#include <osmocom/core/utils.h>
#include <ss7watch/output_incident.h>
#include <ss7watch/config.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/output_evidence.h>
#include <ss7watch/output_pseudo.h>
#include <ss7watch/hash.h>
#include <ss7watch/track_mem.h>

#define BUCKET_WAYS	8
#define MAX_RULES	32	/* distinct rules of one incident (the catalogue has fewer) */
#define MAX_LISTED	64
#define MAX_FRAMES	8
#define DISTINCT_BITS	1024	/* linear counting of distinct subscribers and messages */
#define KEY_LEN		48

struct rule_count {
	const char *rule;	/* the catalogue's string: compared by pointer */
	const char *threat;
	uint32_t n;
};

struct incident {
	struct llist_head lru;	/* by last activity, oldest first */
	uint64_t hash;		/* 0: free slot */
	char key[KEY_LEN];	/* origin: calling GT, or "net:NAME" */
	uint64_t id;
	char gt[SW_GT_MAX_DIGITS + 1];
	char network[40];
	char country[4];
	bool spoofed;
	const char *input;	/* pcap_filename or in_iface of its first alert */
	bool live;
	struct timeval first, last;
	uint32_t last_sec;	/* latest alert time (seconds): the list is sorted by it */
	uint64_t alerts, written;
	uint8_t max_severity;
	uint8_t n_rules, n_listed, n_frames;
	struct rule_count rules[MAX_RULES];
	uint64_t frames[MAX_FRAMES];
	uint64_t sub_bits[DISTINCT_BITS / 64];
	uint64_t msg_bits[DISTINCT_BITS / 64];
};

struct sw_incidents {
	struct sw_incident_cfg cfg;
	sw_alert_emit_fn next;
	void *next_priv;
	sw_event_line_fn write_line;
	void *line_priv;
	bool pseudo;
	struct sw_pseudo_key key;
	uint64_t seed;
	uint64_t next_id;
	uint32_t now;
	bool have_now;
	struct incident *table;
	/* the listed subscribers, max_subscribers per incident slot: found from the slot's
	 * index, so setting up the stage touches no page of either sparse table */
	char (*listed)[SW_ALERT_NUM_LEN];
	uint32_t n_buckets;
	struct llist_head lru;
	char *line;		/* the incident line being written */
	size_t line_cap;
	struct sw_alert cur;	/* the alert handed on, with its incident_id */
	struct sw_evidence *evidence;	/* NULL: no evidence pcaps */
	struct sw_incident_stats st;
};

struct sw_incident_cfg sw_incident_cfg_from(const struct sw_config *cfg, uint64_t id_base)
{
	const struct sw_config_alerts *a = &cfg->alerts;

	return (struct sw_incident_cfg){
		.idle_s = a->incident_idle_s,
		.max_open = a->incident_max_open,
		.max_subscribers = a->incident_subscribers,
		.pseudo_key = a->pseudo_key,
		.pseudo_key_len = a->pseudo_key_len,
		.id_base = id_base,
	};
}

static int incidents_destructor(struct sw_incidents *inc)
{
	sw_pseudo_key_wipe(&inc->key);
	return 0;
}

struct sw_incidents *sw_incidents_alloc(void *ctx, const struct sw_incident_cfg *cfg, sw_alert_emit_fn next,
					void *next_priv, sw_event_line_fn write_line, void *line_priv)
{
	struct sw_incidents *inc = talloc_zero(ctx, struct sw_incidents);
	uint32_t n;

	if (!inc)
		return NULL;
	talloc_set_destructor(inc, incidents_destructor);
	inc->cfg = *cfg;
	if (inc->cfg.max_subscribers > MAX_LISTED)
		inc->cfg.max_subscribers = MAX_LISTED;
	inc->cfg.pseudo_key = NULL;
	inc->next = next;
	inc->next_priv = next_priv;
	inc->write_line = write_line;
	inc->line_priv = line_priv;
	inc->seed = sw_hash_seed();
	inc->next_id = cfg->id_base + 1;
	if (cfg->pseudo_key_len) {
		sw_pseudo_key_set(&inc->key, cfg->pseudo_key, cfg->pseudo_key_len);
		inc->pseudo = true;
	}
	INIT_LLIST_HEAD(&inc->lru);
	inc->n_buckets = 1;
	while (inc->n_buckets * BUCKET_WAYS < (cfg->max_open ? cfg->max_open : 1))
		inc->n_buckets <<= 1;
	n = inc->n_buckets * BUCKET_WAYS;
	/* sized for the worst case, mostly untouched: only the pages used are zeroed */
	inc->table = sw_mem_array(inc, n, sizeof(struct incident), SW_MEM_SPARSE);
	inc->listed = inc->cfg.max_subscribers ? sw_mem_array(inc, (uint64_t)n * inc->cfg.max_subscribers,
							      sizeof(*inc->listed), SW_MEM_SPARSE)
					      : NULL;
	inc->line_cap = 4096;
	inc->line = talloc_size(inc, inc->line_cap);
	if (!inc->table || !inc->line || (inc->cfg.max_subscribers && !inc->listed)) {
		talloc_free(inc);
		return NULL;
	}
	return inc;
}

void sw_incidents_reset(struct sw_incidents *inc)
{
	uint32_t n = inc->n_buckets * BUCKET_WAYS;

	memset(inc->table, 0, (size_t)n * sizeof(*inc->table));
	if (inc->listed)
		memset(inc->listed, 0, (size_t)n * inc->cfg.max_subscribers * sizeof(*inc->listed));
	INIT_LLIST_HEAD(&inc->lru);
	inc->next_id = inc->cfg.id_base + 1;
	inc->now = 0;
	inc->have_now = false;
	memset(&inc->st, 0, sizeof(inc->st));
}

/* The subscribers listed by incident slot i. */
static char (*listed_of(const struct sw_incidents *inc, const struct incident *i))[SW_ALERT_NUM_LEN]
{
	return inc->listed + (size_t)(i - inc->table) * inc->cfg.max_subscribers;
}

void sw_incidents_set_evidence(struct sw_incidents *inc, struct sw_evidence *e)
{
	inc->evidence = e;
}

const struct sw_incident_stats *sw_incidents_stats(const struct sw_incidents *inc)
{
	return &inc->st;
}

/* --- the incident line --- */

json_t *sw_event_ts_json(const struct timeval *tv)
{
	char buf[32];
	size_t n = sw_format_ts(buf, sizeof(buf), tv);

	return json_stringn(buf, n);
}

static void set_str(json_t *o, const char *key, const char *s)
{
	if (s && s[0])
		json_object_set_new(o, key, json_string(s));
}

/* Linear counting: n = -m ln(zero fraction) over m bits, exact enough while few are set. */
static unsigned distinct_estimate(const uint64_t *bits)
{
	unsigned set = 0;

	for (unsigned w = 0; w < DISTINCT_BITS / 64; w++)
		set += __builtin_popcountll(bits[w]);
	if (set >= DISTINCT_BITS)
		return DISTINCT_BITS * 6;
	return (unsigned)(-(double)DISTINCT_BITS * log((double)(DISTINCT_BITS - set) / DISTINCT_BITS) + 0.5);
}

static void distinct_add(uint64_t *bits, uint64_t h)
{
	bits[(h >> 6) % (DISTINCT_BITS / 64)] |= 1ull << (h & 63);
}

static unsigned subscribers_count(const struct sw_incidents *inc, const struct incident *i)
{
	unsigned n;

	/* the listed ones are exact; beyond them, the estimate */
	if (i->n_listed < inc->cfg.max_subscribers)
		return i->n_listed;
	n = distinct_estimate(i->sub_bits);
	return n > i->n_listed ? n : i->n_listed;
}

/* The incident's evidence pcap, closed now: {"file", "frames", "cut"}; NULL when it has none. */
static json_t *evidence_json(const struct sw_incidents *inc, const struct incident *i)
{
	struct sw_evidence_info info;
	json_t *o;

	if (!inc->evidence || !sw_evidence_close(inc->evidence, i->id, &info))
		return NULL;
	o = json_object();
	json_object_set_new(o, "file", info.file[0] ? json_string(info.file) : json_null());
	json_object_set_new(o, "frames", json_integer(info.frames));
	json_object_set_new(o, "cut", json_integer(info.cut));
	return o;
}

static json_t *incident_json(const struct sw_incidents *inc, const struct incident *i, const char *closed_by)
{
	json_t *evidence = evidence_json(inc, i);

	json_t *o = json_object(), *in = json_object(), *origin = json_object(), *rules = json_object(),
	       *threats = json_object(), *subs = json_object(), *list = json_array(), *frames = json_array();

	json_object_set_new(o, "timestamp", sw_event_ts_json(&i->last));
	json_object_set_new(o, "event_type", json_string("incident"));
	json_object_set_new(o, "incident_id", json_integer(i->id));
	set_str(o, i->live ? "in_iface" : "pcap_filename", i->input);

	set_str(origin, "gt", i->gt);
	set_str(origin, "network", i->network);
	set_str(origin, "country", i->country);
	if (i->spoofed)
		json_object_set_new(origin, "spoofed", json_true());
	json_object_set_new(in, "origin", origin);
	json_object_set_new(in, "first_timestamp", sw_event_ts_json(&i->first));
	json_object_set_new(in, "last_timestamp", sw_event_ts_json(&i->last));
	json_object_set_new(in, "closed_by", json_string(closed_by));
	json_object_set_new(in, "max_severity", json_integer(i->max_severity));
	json_object_set_new(in, "alerts", json_integer(i->alerts));
	json_object_set_new(in, "written", json_integer(i->written));
	json_object_set_new(in, "suppressed", json_integer(i->alerts - i->written));
	json_object_set_new(in, "messages", json_integer(distinct_estimate(i->msg_bits)));
	for (unsigned r = 0; r < i->n_rules; r++) {
		json_t *t = json_object_get(threats, i->rules[r].threat);

		json_object_set_new(rules, i->rules[r].rule, json_integer(i->rules[r].n));
		json_object_set_new(threats, i->rules[r].threat,
				    json_integer(i->rules[r].n + (t ? json_integer_value(t) : 0)));
	}
	json_object_set_new(in, "rules", rules);
	json_object_set_new(in, "threats", threats);
	json_object_set_new(subs, "count", json_integer(subscribers_count(inc, i)));
	for (unsigned s = 0; s < i->n_listed; s++) {
		char pseudonym[SW_PSEUDO_LEN];

		if (inc->pseudo) {
			sw_pseudonym(pseudonym, &inc->key, listed_of(inc, i)[s]);
			json_array_append_new(list, json_string(pseudonym));
		} else {
			json_array_append_new(list, json_string(listed_of(inc, i)[s]));
		}
	}
	json_object_set_new(subs, "list", list);
	json_object_set_new(in, "subscribers", subs);
	for (unsigned f = 0; f < i->n_frames; f++)
		json_array_append_new(frames, json_integer(i->frames[f]));
	json_object_set_new(in, "pcap_cnt", frames);
	if (evidence)
		json_object_set_new(in, "evidence", evidence);
	json_object_set_new(o, "incident", in);
	return o;
}

size_t sw_event_line_put(void *ctx, char **line, size_t *cap, json_t *o)
{
	const size_t flags = JSON_COMPACT | JSON_ENSURE_ASCII;
	size_t n = json_dumpb(o, *line, *cap, flags);

	if (!n)
		return 0;
	if (n + 1 > *cap) {
		char *bigger = talloc_realloc_size(ctx, *line, n + 1);

		if (!bigger)
			return 0;
		*line = bigger;
		*cap = n + 1;
		n = json_dumpb(o, *line, *cap, flags);
	}
	(*line)[n] = '\n';
	return n + 1;
}

static void incident_close(struct sw_incidents *inc, struct incident *i, const char *closed_by, uint64_t *counter)
{
	json_t *o = incident_json(inc, i, closed_by);
	size_t n = o ? sw_event_line_put(inc, &inc->line, &inc->line_cap, o) : 0;

	if (!n || !inc->write_line || inc->write_line(inc->line_priv, inc->line, n, i->max_severity) < 0)
		inc->st.write_errors++;
	json_decref(o);
	(*counter)++;
	inc->st.open--;
	llist_del(&i->lru);
	i->hash = 0;
}

/* --- grouping --- */

static const char *origin_key(const struct sw_alert *a, char *buf, size_t len)
{
	/* a spoofed home GT says nothing of the sender: the link it came in on does */
	if (a->origin_spoofed && a->calling_network)
		snprintf(buf, len, "net:%s", a->calling_network);
	else if (a->origin_gt && a->origin_gt[0])
		snprintf(buf, len, "%s", a->origin_gt);
	else
		snprintf(buf, len, "net:%s", a->calling_network ? a->calling_network : "?");
	return buf;
}

static struct incident *incident_get(struct sw_incidents *inc, const struct sw_alert *a)
{
	char key[KEY_LEN];
	uint64_t h;
	struct incident *b, *victim = NULL;

	origin_key(a, key, sizeof(key));
	h = sw_hash_bytes(inc->seed, key, strlen(key)) | 1;
	b = &inc->table[(h >> 32 & (inc->n_buckets - 1)) * BUCKET_WAYS];
	for (unsigned w = 0; w < BUCKET_WAYS; w++) {
		struct incident *i = &b[w];

		if (i->hash == h && !strcmp(i->key, key))
			return i;
		if (!victim || !i->hash || (victim->hash && (int32_t)(i->last_sec - victim->last_sec) < 0))
			victim = i;
	}
	if (victim->hash)
		incident_close(inc, victim, "evicted", &inc->st.closed_evicted);
	memset(victim, 0, sizeof(*victim));
	victim->hash = h;
	OSMO_STRLCPY_ARRAY(victim->key, key);
	victim->id = inc->next_id++;
	if (a->origin_gt)
		OSMO_STRLCPY_ARRAY(victim->gt, a->origin_gt);
	if (a->calling_network)
		OSMO_STRLCPY_ARRAY(victim->network, a->calling_network);
	OSMO_STRLCPY_ARRAY(victim->country, a->origin_country);
	victim->spoofed = a->origin_spoofed;
	victim->live = a->in_iface != NULL;
	victim->input = a->in_iface ? a->in_iface : a->pcap_filename;
	victim->max_severity = 255;
	INIT_LLIST_HEAD(&victim->lru);
	inc->st.opened++;
	inc->st.open++;
	return victim;
}

static void count_subscriber(struct sw_incidents *inc, struct incident *i, const char *id)
{
	uint64_t h;

	if (!id[0])
		return;
	h = sw_hash_bytes(inc->seed, id, strlen(id));
	distinct_add(i->sub_bits, h);
	char (*listed)[SW_ALERT_NUM_LEN] = listed_of(inc, i);

	for (unsigned s = 0; s < i->n_listed; s++)
		if (!strcmp(listed[s], id))
			return;
	if (i->n_listed < inc->cfg.max_subscribers)
		OSMO_STRLCPY_ARRAY(listed[i->n_listed++], id);
}

/* The first distinct frames. */
static void count_frame(struct incident *i, uint64_t frame)
{
	for (unsigned f = 0; f < i->n_frames; f++)
		if (i->frames[f] == frame)
			return;
	if (i->n_frames < MAX_FRAMES)
		i->frames[i->n_frames++] = frame;
}

static void count_rule(struct incident *i, const struct sw_alert *a)
{
	unsigned r;

	for (r = 0; r < i->n_rules; r++)
		if (i->rules[r].rule == a->rule)
			break;
	if (r == i->n_rules) {
		if (r == MAX_RULES)
			return;
		i->rules[r] = (struct rule_count){ .rule = a->rule, .threat = a->threat };
		i->n_rules++;
	}
	i->rules[r].n++;
}

/* Keep the list sorted by last alert time: from the tail, as times mostly grow (an alert
 * raised when a window expires names an older message). The walk is bounded, so a flood of
 * such alerts costs no more than LRU_WALK steps each: an incident placed short of its spot
 * closes a little late, never early. */
#define LRU_WALK	64

static void lru_place(struct sw_incidents *inc, struct incident *i)
{
	struct llist_head *pos;
	unsigned steps = 0;

	llist_del_init(&i->lru);
	pos = inc->lru.prev;
	while (pos != &inc->lru && steps++ < LRU_WALK &&
	       (int32_t)(llist_entry(pos, struct incident, lru)->last_sec - i->last_sec) > 0)
		pos = pos->prev;
	llist_add(&i->lru, pos);
}

static void close_idle(struct sw_incidents *inc)
{
	while (!llist_empty(&inc->lru)) {
		struct incident *i = llist_first_entry(&inc->lru, struct incident, lru);

		if ((int32_t)(inc->now - i->last_sec) <= (int32_t)inc->cfg.idle_s)
			break;
		incident_close(inc, i, "idle", &inc->st.closed_idle);
	}
}

void sw_incidents_advance(struct sw_incidents *inc, uint32_t now)
{
	if (!inc->have_now || (int32_t)(now - inc->now) > 0) {
		inc->now = now;
		inc->have_now = true;
	}
	close_idle(inc);
}

void sw_incidents_close_all(struct sw_incidents *inc)
{
	while (!llist_empty(&inc->lru))
		incident_close(inc, llist_first_entry(&inc->lru, struct incident, lru), "end", &inc->st.closed_end);
}

int sw_incidents_emit(void *priv, const struct sw_alert *in)
{
	struct sw_incidents *inc = priv;
	const struct timeval *tv = sw_alert_time(in);
	struct sw_alert *a = &inc->cur;
	uint64_t frame = sw_alert_frame(in);
	struct incident *i;

	if (tv)
		sw_incidents_advance(inc, (uint32_t)tv->tv_sec);
	i = incident_get(inc, in);
	if (tv && (!i->first.tv_sec || timercmp(tv, &i->first, <)))
		i->first = *tv;
	if (tv && timercmp(tv, &i->last, >))
		i->last = *tv;
	if (tv && (llist_empty(&i->lru) || (int32_t)((uint32_t)tv->tv_sec - i->last_sec) > 0))
		i->last_sec = (uint32_t)tv->tv_sec;
	else if (!tv && llist_empty(&i->lru))
		i->last_sec = inc->now;
	lru_place(inc, i);
	i->alerts++;
	distinct_add(i->msg_bits, sw_hash64(inc->seed, frame));
	count_frame(i, frame);
	if (in->severity < i->max_severity)
		i->max_severity = in->severity;
	count_rule(i, in);
	/* the MSISDN when known, as the correlation windows key a subscriber: queries by MSISDN
	 * come before their answers teach the IMSI */
	count_subscriber(inc, i, in->subscr.msisdn[0] ? in->subscr.msisdn : in->subscr.imsi);
	if (in->verdict != SW_ALERT_WRITE)
		return 0;
	i->written++;
	*a = *in;
	a->incident_id = i->id;
	return inc->next ? inc->next(inc->next_priv, a) : 0;
}

void sw_incidents_foreach(const struct sw_incidents *inc, void (*cb)(void *priv, const struct sw_incident_view *v),
			  void *priv)
{
	const struct incident *i;

	llist_for_each_entry(i, &inc->lru, lru) {
		struct sw_incident_view v = {
			.id = i->id, .origin = i->key, .network = i->network, .country = i->country,
			.first = i->first, .last = i->last, .alerts = i->alerts, .written = i->written,
			.max_severity = i->max_severity, .subscribers = subscribers_count(inc, i),
		};
		uint32_t best = 0;

		for (unsigned r = 0; r < i->n_rules; r++)
			if (i->rules[r].n > best) {
				best = i->rules[r].n;
				v.top_rule = i->rules[r].rule;
			}
		cb(priv, &v);
	}
}
