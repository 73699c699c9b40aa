/* Correlation over time: SRI-for-SM answers that no delivery follows, scanning (one origin,
 * many subscribers) and identity rotation (one subscriber, many origins). All windows are in
 * capture time, so a replay gives the same alerts as the live run. Tables are fixed size and
 * never refuse: a full set of windows evicts its oldest (counted). */
#include <string.h>
#include <talloc.h>
#include <ss7watch/detect_priv.h>
#include <ss7watch/alert.h>
#include <ss7watch/hash.h>
#include <ss7watch/map_errors.h>

/* One key per subscriber for the windows: the MSISDN when it is known (queries by MSISDN come
 * first, before the IMSI is learned from their answers), else the IMSI. */
static sw_num_t subscriber_key(const struct detect_event *ev)
{
	return ev->msisdn ? ev->msisdn : ev->imsi;
}

/* --- SRI-for-SM without MT-forwardSM --- */

/* Double the full watch ring, its watches moved to the front in order. false: at its
 * maximum, or no memory. */
static bool watch_ring_grow(struct sw_detector *d)
{
	uint32_t n = d->n_watches, used = 0;
	struct sri_sm_watch *ring;

	if (2 * n > d->max_watches || !(ring = talloc_array(d, struct sri_sm_watch, 2 * n)))
		return false;
	for (uint32_t i = d->watch_head; i != d->watch_tail; i = (i + 1) % n)
		ring[used++] = d->watches[i];
	talloc_free(d->watches);
	d->watches = ring;
	d->n_watches = 2 * n;
	d->watch_head = 0;
	d->watch_tail = used;
	return true;
}

void detect_watch_sri_sm(struct sw_detector *d, struct detect_event *ev, uint64_t origin)
{
	uint32_t next = (d->watch_tail + 1) % d->n_watches;
	struct sri_sm_watch *w;

	if (!d->rules[SW_RULE_SRI_SM_NO_DELIVERY].enabled)
		return;
	if (next == d->watch_head && watch_ring_grow(d))
		next = d->watch_tail + 1;
	if (next == d->watch_head) {
		d->st.sri_sm_watch_full++;
		return;
	}
	w = &d->watches[d->watch_tail];
	w->imsi = ev->sub->imsi;
	w->origin = origin;
	w->time = ev->req->time;
	w->usec = ev->req->usec;
	w->frame = ev->req->frame;
	w->gt = ev->req->caller;
	w->input = ev->req->input;
	d->watch_tail = next;
}

static void watch_expired(struct sw_detector *d, const struct sri_sm_watch *w)
{
	const struct sw_ident *id = sw_ident_find(d->idents, w->imsi, w->origin, MAP_OP_SEND_ROUTING_INFO_FOR_SM);
	struct detect_event ev = { .now = d->now };
	struct sw_subscr *s;
	struct sw_alert *a;

	if (!id) {
		/* evicted from a full bucket before its window ended: we cannot tell */
		d->st.sri_sm_watch_lost++;
		return;
	}
	/* the same origin asked again (that answer has its own watch), or it delivered */
	if (id->time != w->time || (id->delivered && (int32_t)(id->delivered - w->time) >= 0))
		return;
	s = sw_subscr_find(d->subs, w->imsi);
	ev.sub = s;
	ev.imsi = w->imsi;
	ev.msisdn = s ? s->msisdn : 0;
	ev.home_imsi = s && (s->flags & SW_SUBSCR_HOME);
	detect_gt_netinfo(d, w->gt, &ev.calling);
	ev.calling_gt = w->gt;
	a = detect_alert_begin(d, SW_RULE_SRI_SM_NO_DELIVERY, &ev);
	if (!a)
		return;
	sw_alert_ev_int(a, "window_s", d->rules[SW_RULE_SRI_SM_NO_DELIVERY].window_s);
	sw_alert_ev_str(a, "origin", sw_gt_str(d->gts, w->gt));
	sw_alert_ev_bool(a, "mt_forward_sm_seen", false);
	sw_alert_add_related(a, w->frame, &(struct timeval){ w->time, w->usec },
			     MAP_OP_SEND_ROUTING_INFO_FOR_SM, sw_gt_str(d->gts, w->gt));
	/* the alert has no message of its own: where its frame was captured */
	a->related[a->n_related - 1].input = w->input;
	detect_alert_raise(d, a);
}

void detect_expire(struct sw_detector *d, uint32_t now)
{
	uint32_t window = d->rules[SW_RULE_SRI_SM_NO_DELIVERY].window_s;

	while (d->watch_head != d->watch_tail) {
		struct sri_sm_watch *w = &d->watches[d->watch_head];

		if ((int32_t)(now - w->time) <= (int32_t)window)
			break;
		d->watch_head = (d->watch_head + 1) % d->n_watches;
		watch_expired(d, w);
	}
}

/* --- the window tables --- */

/* The set of WINDOW_WAYS windows key hashes to (n_sets a power of two). */
static uint32_t window_set(const struct sw_detector *d, uint64_t key, uint32_t n_sets)
{
	return (sw_hash64(d->hash_seed, key) & (n_sets - 1)) * WINDOW_WAYS;
}

/* Which way of a full set a new window takes: a free one, one whose window is over, else the
 * oldest (*evicted set). starts[i] is way i's start, 0 for a free way. */
static unsigned window_victim(const uint32_t *starts, uint32_t now, uint32_t window, bool *evicted)
{
	unsigned v = 0;

	for (unsigned i = 0; i < WINDOW_WAYS; i++) {
		if (!starts[i] || (int32_t)(now - starts[i]) > (int32_t)window) {
			*evicted = false;
			return i;
		}
		if ((int32_t)(starts[i] - starts[v]) < 0)
			v = i;
	}
	*evicted = true;
	return v;
}

/* --- scanning --- */

static struct origin_window *origin_slot(struct sw_detector *d, sw_num_t origin, uint32_t now, bool create)
{
	uint32_t window = d->rules[SW_RULE_SCAN].window_s;
	struct origin_window *set = &d->origins[window_set(d, origin, d->n_origins / WINDOW_WAYS)], *o;
	uint32_t starts[WINDOW_WAYS];
	bool evicted;

	for (unsigned i = 0; i < WINDOW_WAYS; i++) {
		o = &set[i];
		if (o->origin != origin)
			continue;
		if ((int32_t)(now - o->start) > (int32_t)window) {
			if (!create)
				return NULL;
			goto restart;
		}
		return o;
	}
	if (!create)
		return NULL;
	for (unsigned i = 0; i < WINDOW_WAYS; i++)
		starts[i] = set[i].origin ? set[i].start : 0;
	o = &set[window_victim(starts, now, window, &evicted)];
	d->st.origin_evictions += evicted;
restart:
	dirty_note(&d->origins_dirty, o - d->origins);
	memset(o, 0, sizeof(*o));
	o->origin = origin;
	o->start = now;
	return o;
}

static unsigned bits_set(const uint64_t *m)
{
	return __builtin_popcountll(m[0]) + __builtin_popcountll(m[1]) + __builtin_popcountll(m[2]) +
	       __builtin_popcountll(m[3]);
}

/* linear counting: n = -m ln(zero fraction), m = 256 */
static unsigned distinct_estimate(const uint64_t *m)
{
	unsigned set = bits_set(m);
	double zero;

	if (set >= 256)
		return 256 * 6;
	zero = (256.0 - set) / 256.0;
	return (unsigned)(-256.0 * __builtin_log(zero) + 0.5);
}

void detect_scan(struct sw_detector *d, struct detect_event *ev)
{
	const struct rule_setting *rs = &d->rules[SW_RULE_SCAN];
	sw_num_t who = subscriber_key(ev), origin;
	struct origin_window *o;
	unsigned distinct;
	struct sw_alert *a;

	if (!rs->enabled || !who || !(origin = sw_gt_key(ev->msg->sccp.calling.digits)))
		return;
	o = origin_slot(d, origin, ev->now, true);
	if (!o->messages)
		o->first_frame = ev->msg->meta.frame;
	o->messages++;
	uint64_t h = sw_hash64(d->hash_seed, who);
	o->seen[(h >> 6) & 3] |= 1ull << (h & 63);
	if (o->alerted)
		return;
	distinct = distinct_estimate(o->seen);
	if (distinct < rs->threshold)
		return;
	/* once per burst: the window's counts are in the alert */
	o->alerted = true;
	a = detect_alert_begin(d, SW_RULE_SCAN, ev);
	if (!a)
		return;
	sw_alert_ev_int(a, "count", distinct);
	sw_alert_ev_int(a, "messages", o->messages);
	sw_alert_ev_int(a, "window_s", rs->window_s);
	sw_alert_ev_int(a, "threshold", rs->threshold);
	sw_alert_ev_int(a, "unknown_subscriber_errors", o->unknown_subscriber);
	sw_alert_ev_int(a, "first_frame", o->first_frame);
	detect_alert_raise(d, a);
}

void detect_scan_error(struct sw_detector *d, sw_num_t origin, int error_code)
{
	struct origin_window *o;

	if (error_code != MAP_ERR_UNKNOWN_SUBSCRIBER && error_code != MAP_ERR_UNIDENTIFIED_SUBSCRIBER &&
	    error_code != MAP_ERR_ABSENT_SUBSCRIBER_SM && error_code != MAP_ERR_ABSENT_SUBSCRIBER)
		return;
	if (origin && (o = origin_slot(d, origin, d->now, false)))
		o->unknown_subscriber++;
}

/* --- identity rotation --- */

static struct target_window *target_slot(struct sw_detector *d, sw_num_t who, uint32_t now)
{
	uint32_t window = d->rules[SW_RULE_IDENTITY_ROTATION].window_s;
	struct target_window *set = &d->targets[window_set(d, who, d->n_targets / WINDOW_WAYS)], *t;
	uint32_t starts[WINDOW_WAYS];
	bool evicted;

	for (unsigned i = 0; i < WINDOW_WAYS; i++) {
		t = &set[i];
		if (t->subscriber != who)
			continue;
		if ((int32_t)(now - t->start) > (int32_t)window)
			goto restart;
		return t;
	}
	for (unsigned i = 0; i < WINDOW_WAYS; i++)
		starts[i] = set[i].subscriber ? set[i].start : 0;
	t = &set[window_victim(starts, now, window, &evicted)];
	d->st.target_evictions += evicted;
restart:
	dirty_note(&d->targets_dirty, t - d->targets);
	memset(t, 0, sizeof(*t));
	t->subscriber = who;
	t->start = now;
	return t;
}

void detect_rotation(struct sw_detector *d, struct detect_event *ev)
{
	const struct rule_setting *rs = &d->rules[SW_RULE_IDENTITY_ROTATION];
	sw_num_t who = subscriber_key(ev), origin;
	struct target_window *t;
	struct sw_alert *a;
	unsigned countries = 0;
	uint16_t seen_country[TARGET_ORIGINS];

	if (!rs->enabled || !who || !(origin = sw_gt_key(ev->msg->sccp.calling.digits)))
		return;
	t = target_slot(d, who, ev->now);
	for (unsigned i = 0; i < t->n; i++)
		if (t->origins[i] == origin)
			return;
	if (t->n < TARGET_ORIGINS) {
		t->origins[t->n] = origin;
		t->frames[t->n] = ev->msg->meta.frame;
		t->times[t->n] = ev->now;
		t->opcodes[t->n] = ev->opcode;
		t->n++;
	}
	if (t->alerted || t->n < rs->threshold)
		return;
	t->alerted = true;
	a = detect_alert_begin(d, SW_RULE_IDENTITY_ROTATION, ev);
	if (!a)
		return;
	for (unsigned i = 0; i < t->n; i++) {
		struct sw_netinfo ni;
		char gt[16] = "";
		bool dup = false;

		/* a hashed key (a GT longer than E.164) has no digits to show */
		if (t->origins[i] >> 60)
			sw_num_unpack(t->origins[i], gt);
		sw_netmap_gt(d->nm, gt, &ni);
		for (unsigned j = 0; j < countries; j++)
			dup |= seen_country[j] == ni.country;
		if (!dup)
			seen_country[countries++] = ni.country;
		sw_alert_add_related(a, t->frames[i], &(struct timeval){ t->times[i], 0 }, t->opcodes[i], gt);
	}
	sw_alert_ev_int(a, "count", t->n);
	sw_alert_ev_int(a, "countries", countries);
	sw_alert_ev_int(a, "window_s", rs->window_s);
	sw_alert_ev_int(a, "threshold", rs->threshold);
	detect_alert_raise(d, a);
}
