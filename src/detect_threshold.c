/* The alert filter stage (detect_threshold.h): suppress, then the fold of recon alerts into
 * a scan, then threshold, then rate-filter, as Suricata orders suppress, threshold and
 * rate_filter. Per alert, never per message: the detector calls it only when a rule fires. */
#include <stdio.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/config.h>
#include <ss7watch/hash.h>
#include <ss7watch/track_mem.h>

#define BUCKET_WAYS	8
#define KEY_LEN		32	/* longer keys are cut: they only share a count */

/* What a table entry counts. */
enum key_kind {
	KEY_THRESHOLD,
	KEY_RATE,
	KEY_SCAN,		/* an origin whose burst raised scan: its recon alerts fold into it */
};

struct filter_entry {
	uint64_t hash;		/* 0: empty */
	uint16_t rule;
	uint8_t kind;		/* enum key_kind */
	uint32_t start;		/* window start (KEY_SCAN: first time folded into it) */
	uint32_t last;		/* latest hit: the least recent of a bucket is evicted */
	uint32_t hits;		/* in the window */
	uint32_t held;		/* not written since the last line of the key */
	uint32_t until;		/* rate-filter: the new action applies before this time */
	char key[KEY_LEN];
};

/* The filters that apply to one rule, resolved at start. */
struct rule_filters {
	const struct sw_config_threshold *threshold;	/* NULL: none */
	const struct sw_config_rate_filter *rate;	/* NULL: none */
	const struct sw_config_filters *own, *all;	/* suppress lines (either may be NULL) */
	bool folds;		/* a recon rule whose alerts fold into a scan of their origin */
};

struct sw_threshold {
	sw_alert_emit_fn next;
	void *next_priv;
	struct rule_filters rules[SW_RULE__COUNT];
	bool fold;
	uint32_t scan_window;
	uint32_t now;		/* latest alert time seen (capture seconds) */
	bool have_now;
	uint64_t seed;
	struct filter_entry *table;
	uint32_t n_buckets;	/* power of two */
	struct sw_alert cur;	/* the alert handed on: a copy with the stage's fields set */
	struct sw_threshold_stats st;
};

static uint32_t rule_window(const struct sw_config *cfg, enum sw_rule r)
{
	bool enabled = true;
	uint8_t sev = sw_rule_defs[r].severity;
	uint32_t thr = sw_rule_defs[r].threshold, win = sw_rule_defs[r].window_s;

	sw_config_rule_apply(sw_config_rule_find(cfg, sw_rule_defs[r].id), &enabled, &sev, &thr, &win);
	return win;
}

struct sw_threshold *sw_threshold_alloc(void *ctx, const struct sw_config *cfg, sw_alert_emit_fn next,
					void *next_priv, char *err, size_t errlen)
{
	struct sw_threshold *t = talloc_zero(ctx, struct sw_threshold);
	const struct sw_config_filters *all = &cfg->alerts.filters;
	uint32_t entries = cfg->alerts.filter_entries ? cfg->alerts.filter_entries : SW_CONFIG_FILTER_ENTRIES;

	if (!t)
		goto oom;
	t->next = next;
	t->next_priv = next_priv;
	t->fold = !cfg->alerts.no_fold_into_scan;
	t->scan_window = rule_window(cfg, SW_RULE_SCAN);
	t->seed = sw_hash_seed();
	t->n_buckets = 1;
	while (t->n_buckets * BUCKET_WAYS < entries)
		t->n_buckets <<= 1;
	/* sized for a hostile flood, mostly untouched: only the pages used are zeroed */
	t->table = sw_mem_array(t, (uint64_t)t->n_buckets * BUCKET_WAYS, sizeof(struct filter_entry), SW_MEM_SPARSE);
	if (!t->table)
		goto oom;
	for (unsigned r = 0; r < SW_RULE__COUNT; r++) {
		const struct sw_config_rule *cr = sw_config_rule_find(cfg, sw_rule_defs[r].id);
		const struct sw_config_filters *own = cr ? &cr->filters : NULL;
		struct rule_filters *rf = &t->rules[r];

		/* a rule's own threshold or rate-filter replaces the one of every rule */
		if (own && own->threshold.type)
			rf->threshold = &own->threshold;
		else if (all->threshold.type)
			rf->threshold = &all->threshold;
		if (own && own->rate.track)
			rf->rate = &own->rate;
		else if (all->rate.track)
			rf->rate = &all->rate;
		rf->own = own && own->n_suppress ? own : NULL;
		rf->all = all->n_suppress ? all : NULL;
		rf->folds = r != SW_RULE_SCAN && !strcmp(sw_rule_defs[r].threat, "recon");
	}
	return t;
oom:
	snprintf(err, errlen, "out of memory allocating the alert filters");
	talloc_free(t);
	return NULL;
}

void sw_threshold_reset(struct sw_threshold *t)
{
	memset(t->table, 0, (size_t)t->n_buckets * BUCKET_WAYS * sizeof(*t->table));
	t->now = 0;
	t->have_now = false;
	memset(&t->cur, 0, sizeof(t->cur));
	memset(&t->st, 0, sizeof(t->st));
}

const struct sw_threshold_stats *sw_threshold_stats(const struct sw_threshold *t)
{
	return &t->st;
}

uint64_t sw_threshold_filtered(const struct sw_threshold *t)
{
	return t->st.suppressed + t->st.thresholded + t->st.rate_filtered + t->st.folded;
}

/* --- keys --- */

static const char *origin_key(const struct sw_alert *a, char *buf, size_t len)
{
	if (a->origin_gt && a->origin_gt[0])
		return a->origin_gt;
	/* a calling party without GT (routed on point code): its network, else one key */
	snprintf(buf, len, "net:%s", a->calling_network ? a->calling_network : "?");
	return buf;
}

static const char *track_key(const struct sw_alert *a, uint8_t track, char *buf, size_t len)
{
	switch (track) {
	case SW_TRACK_SUBSCRIBER:
		if (a->subscr.imsi[0])
			return a->subscr.imsi;
		if (a->subscr.msisdn[0])
			return a->subscr.msisdn;
		/* no subscriber (a malformed message, an IMEI check): its origin keeps it apart */
		return origin_key(a, buf, len);
	case SW_TRACK_RULE:
		return "";
	default:
		return origin_key(a, buf, len);
	}
}

/* The entry of (kind, rule, key), made when create is set (evicting the least recently hit
 * entry of a full bucket). NULL when it does not exist and create is not set. */
static struct filter_entry *entry_get(struct sw_threshold *t, enum key_kind kind, unsigned rule, const char *key,
				      bool create)
{
	size_t len = strnlen(key, KEY_LEN - 1);
	uint64_t h = sw_hash64(t->seed, sw_hash_bytes(t->seed, key, len) + ((uint64_t)rule << 8 | kind)) | 1;
	struct filter_entry *b = &t->table[(h >> 32 & (t->n_buckets - 1)) * BUCKET_WAYS], *victim = NULL;

	for (unsigned i = 0; i < BUCKET_WAYS; i++) {
		struct filter_entry *e = &b[i];

		if (e->hash == h && e->rule == rule && e->kind == kind && !strncmp(e->key, key, len) && !e->key[len])
			return e;
		if (!victim || !e->hash || (victim->hash && (int32_t)(e->last - victim->last) < 0))
			victim = e;
	}
	if (!create)
		return NULL;
	if (victim->hash)
		t->st.evictions++;
	memset(victim, 0, sizeof(*victim));
	victim->hash = h;
	victim->rule = rule;
	victim->kind = kind;
	memcpy(victim->key, key, len);
	victim->start = victim->last = t->now;
	return victim;
}

/* --- the filters --- */

static bool prefix_of(const char *prefix, const char *s)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

/* Does one suppress line match the alert? Matches are exact for subscribers and networks. */
static bool suppress_matches(const struct sw_config_suppress *s, const struct sw_alert *a)
{
	switch (s->kind) {
	case SW_SUPPRESS_GT_PREFIX:
		return prefix_of(s->value, a->origin_gt);
	case SW_SUPPRESS_SUBSCRIBER:
		return !strcmp(s->value, a->subscr.imsi) || !strcmp(s->value, a->subscr.msisdn);
	case SW_SUPPRESS_NETWORK:
		return a->calling_network && !strcmp(s->value, a->calling_network);
	default:
		return false;
	}
}

static bool suppressed(const struct sw_config_filters *f, const struct sw_alert *a)
{
	for (unsigned i = 0; f && i < f->n_suppress; i++)
		if (suppress_matches(&f->suppress[i], a))
			return true;
	return false;
}

/* An alert of a rule that folds, from an origin whose burst raised scan: held back. The
 * fold lasts while the burst goes on (each folded alert extends it by the scan window) and
 * covers an alert raised later about a message of the burst (sri-sm-without-delivery). */
static bool fold_into_scan(struct sw_threshold *t, const struct sw_alert *a, uint32_t when)
{
	char buf[64];
	struct filter_entry *e = entry_get(t, KEY_SCAN, SW_RULE_SCAN, origin_key(a, buf, sizeof(buf)), false);

	if (!e || (int32_t)(when - e->start) < 0 || (int32_t)(when - e->last) > (int32_t)t->scan_window)
		return false;
	if ((int32_t)(when - e->last) > 0)
		e->last = when;
	e->held++;
	return true;
}

static void scan_raised(struct sw_threshold *t, const struct sw_alert *a, uint32_t when)
{
	char buf[64];
	struct filter_entry *e = entry_get(t, KEY_SCAN, SW_RULE_SCAN, origin_key(a, buf, sizeof(buf)), true);

	/* the burst began at most one window before the scan alert */
	e->start = when - t->scan_window;
	e->last = when;
}

/* Suricata's threshold types on the entry of the alert's key. \returns true to write it. */
static bool threshold_passes(struct sw_threshold *t, const struct sw_config_threshold *th, struct filter_entry *e)
{
	bool write;

	if ((int32_t)(t->now - e->start) >= (int32_t)th->seconds) {
		e->start = t->now;
		e->hits = 0;
	}
	e->hits++;
	e->last = t->now;
	switch (th->type) {
	case SW_THRESHOLD_LIMIT:
		write = e->hits <= th->count;
		break;
	case SW_THRESHOLD_THRESHOLD:
		write = e->hits >= th->count;
		break;
	default:	/* both */
		write = e->hits == th->count;
		break;
	}
	return write;
}

/* \returns true when the rate-filter's new action applies to this hit. */
static bool rate_exceeded(struct sw_threshold *t, const struct sw_config_rate_filter *rf, struct filter_entry *e)
{
	e->last = t->now;
	if (e->until && (int32_t)(t->now - e->until) < 0)
		return true;
	e->until = 0;
	if ((int32_t)(t->now - e->start) >= (int32_t)rf->seconds) {
		e->start = t->now;
		e->hits = 0;
	}
	if (++e->hits <= rf->count)
		return false;
	e->until = t->now + rf->timeout;
	return true;
}

/* Hand an alert that is not written to the next stage (an incident counts it). */
static int hold(struct sw_threshold *t, struct sw_alert *a, enum sw_alert_verdict v, int rule)
{
	a->verdict = v;
	t->st.filtered_by_rule[rule]++;
	if (t->next)
		t->next(t->next_priv, a);
	return 0;
}

int sw_threshold_emit(void *priv, const struct sw_alert *in)
{
	struct sw_threshold *t = priv;
	struct sw_alert *a = &t->cur;
	const struct timeval *tv = sw_alert_time(in);
	uint32_t when = tv ? (uint32_t)tv->tv_sec : t->now;
	int rule = sw_rule_by_id(in->rule);
	const struct rule_filters *rf;
	char buf[64];

	t->st.seen++;
	if (rule < 0)
		return t->next ? t->next(t->next_priv, in) : 0;
	rf = &t->rules[rule];
	/* windows move with the latest time seen: an expiry alert names an older message */
	if (!t->have_now || (int32_t)(when - t->now) > 0) {
		t->now = when;
		t->have_now = true;
	}
	if (suppressed(rf->own, in) || suppressed(rf->all, in)) {
		t->st.suppressed++;
		t->st.filtered_by_rule[rule]++;
		return 0;
	}
	*a = *in;
	a->verdict = SW_ALERT_WRITE;
	a->count = a->suppressed = 0;
	if (t->fold && rf->folds && fold_into_scan(t, a, when)) {
		t->st.folded++;
		return hold(t, a, SW_ALERT_FOLDED, rule);
	}
	if (rf->threshold) {
		struct filter_entry *e = entry_get(t, KEY_THRESHOLD, rule, track_key(a, rf->threshold->track, buf,
										  sizeof(buf)), true);

		if (!threshold_passes(t, rf->threshold, e)) {
			e->held++;
			t->st.thresholded++;
			return hold(t, a, SW_ALERT_THRESHOLDED, rule);
		}
		a->count = e->hits;
		a->suppressed = e->held;
		e->held = 0;
		if (rf->threshold->type == SW_THRESHOLD_THRESHOLD)
			e->hits = 0;
	}
	if (rf->rate && rate_exceeded(t, rf->rate, entry_get(t, KEY_RATE, rule,
							      track_key(a, rf->rate->track, buf, sizeof(buf)), true))) {
		if (rf->rate->new_action == SW_RATE_PASS) {
			t->st.rate_filtered++;
			return hold(t, a, SW_ALERT_RATE_FILTERED, rule);
		}
		a->severity = 1;
		t->st.escalated++;
	}
	if (rule == SW_RULE_SCAN && t->fold)
		scan_raised(t, a, when);
	return t->next ? t->next(t->next_priv, a) : 0;
}
