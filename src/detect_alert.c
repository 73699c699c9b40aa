/* Building an alert from a rule decision: the rule's catalogue entry and settings, the
 * triggering message, and the subscriber state the rule compared against; the evidence and
 * related-message builders of alert.h; raising hands it to the detector's emit hook. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <ss7watch/detect_priv.h>
#include <ss7watch/alert.h>
#include <ss7watch/config_geo.h>

/* one alert at a time: rules fill it, raise writes it (no allocation) */
static struct sw_alert cur;

static void fill_subscriber(struct sw_detector *d, struct sw_alert *a, const struct detect_event *ev)
{
	const struct sw_subscr *s = ev->sub;
	sw_gt_id node = 0;
	const char *kind = NULL;
	uint32_t since = 0;
	sw_opcode_t op = 0;

	a->subscr.home = ev->imsi ? (ev->home_imsi ? 1 : 0) : -1;
	if (ev->imsi)
		sw_num_unpack(ev->imsi, a->subscr.imsi);
	if (ev->msisdn)
		sw_num_unpack(ev->msisdn, a->subscr.msisdn);
	if (!s)
		return;
	/* the serving node the rule compared against: SGSN for GPRS operations, else the VLR */
	if (ev->c && s->sgsn &&
	    (ev->opcode == MAP_OP_UPDATE_GPRS_LOCATION || ev->opcode == MAP_OP_SEND_ROUTING_INFO_FOR_GPRS)) {
		node = s->sgsn, kind = "sgsn", since = s->sgsn_since, op = s->sgsn_op;
	} else if (s->vlr) {
		node = s->vlr, kind = "vlr", since = s->vlr_since, op = s->vlr_op;
	} else if (s->sgsn) {
		node = s->sgsn, kind = "sgsn", since = s->sgsn_since, op = s->sgsn_op;
	}
	if (!node)
		return;
	struct sw_netinfo ni;
	const char *gt = sw_gt_str(d->gts, node);

	detect_gt_netinfo(d, node, &ni);
	snprintf(a->subscr.state.node_gt, sizeof(a->subscr.state.node_gt), "%s", gt);
	a->subscr.state.node_kind = kind;
	a->subscr.state.network = ni.net_name;
	if (ni.country)
		snprintf(a->subscr.state.country, sizeof(a->subscr.state.country), "%s", geo_country_iso(ni.country));
	a->subscr.state.since.tv_sec = since;
	a->subscr.state.learned_from = op ? map_op_name(op) : NULL;
}

struct sw_alert *detect_alert_begin(struct sw_detector *d, enum sw_rule rule, const struct detect_event *ev)
{
	const struct sw_rule_def *def = &sw_rule_defs[rule];
	struct sw_alert *a = &cur;

	if (!d->rules[rule].enabled) {
		d->st.suppressed++;
		return NULL;
	}
	memset(a, 0, offsetof(struct sw_alert, ev));
	a->n_ev = 0;
	a->n_related = 0;
	d->alert_rule = rule;
	a->rule = def->id;
	a->name = def->name;
	a->signature_id = def->sid;
	a->rev = def->rev;
	a->category = def->category;
	a->threat = def->threat;
	a->severity = d->rules[rule].severity;
	a->msg = ev->msg;
	a->comp_idx = ev->msg ? ev->comp_idx : -1;
	if (ev->msg && !ev->msg->tcap.n_comp)
		a->comp_idx = -1;
	a->request_frame = ev->msg && ev->req ? ev->req->frame : 0;
	if (ev->msg && ev->req)
		a->request_ts = (struct timeval){ ev->req->time, ev->req->usec };
	if (d->live)
		a->in_iface = d->input_name;
	else
		a->pcap_filename = d->input_name;
	a->verdict = SW_ALERT_WRITE;
	a->count = a->suppressed = 0;
	a->incident_id = 0;
	/* a spoofed home GT is counted under the network whose link it came in on */
	if (ev->spoofed)
		a->calling_network = sw_netmap_net_name(d->nm, ev->via_net);
	else
		a->calling_network = ev->calling.net == SW_NET_UNKNOWN ? NULL : ev->calling.net_name;
	if (ev->calling_gt)
		a->origin_gt = sw_gt_str(d->gts, ev->calling_gt);
	else if (ev->msg)
		a->origin_gt = ev->msg->sccp.calling.digits;
	a->origin_spoofed = ev->spoofed;
	if (ev->calling.country)
		snprintf(a->origin_country, sizeof(a->origin_country), "%s", geo_country_iso(ev->calling.country));
	fill_subscriber(d, a, ev);
	if (ev->spoofed) {
		/* what made a home GT count as outside */
		sw_alert_ev_bool(a, "calling_gt_spoofed", true);
		sw_alert_ev_str(a, "arrived_via_network", sw_netmap_net_name(d->nm, ev->via_net));
	}
	return a;
}

void detect_alert_raise(struct sw_detector *d, struct sw_alert *a)
{
	d->st.alerts++;
	d->st.alerts_by_rule[d->alert_rule]++;
	if (d->emit)
		d->emit(d->emit_priv, a);
}

/* --- the builders of alert.h ---------------------------------------------------------- */

static struct sw_alert_ev *ev_add(struct sw_alert *a, const char *key, enum sw_alert_ev_type type)
{
	struct sw_alert_ev *ev;

	if (!key || a->n_ev >= SW_ALERT_MAX_EVIDENCE)
		return NULL;
	ev = &a->ev[a->n_ev++];
	ev->key = key;
	ev->type = type;
	return ev;
}

int sw_alert_ev_int(struct sw_alert *a, const char *key, int64_t v)
{
	struct sw_alert_ev *ev = ev_add(a, key, SW_ALERT_EV_INT);

	if (!ev)
		return -1;
	ev->i = v;
	return 0;
}

int sw_alert_ev_double(struct sw_alert *a, const char *key, double v)
{
	struct sw_alert_ev *ev = ev_add(a, key, SW_ALERT_EV_DOUBLE);

	if (!ev)
		return -1;
	ev->d = v;
	return 0;
}

int sw_alert_ev_str(struct sw_alert *a, const char *key, const char *v)
{
	struct sw_alert_ev *ev = ev_add(a, key, SW_ALERT_EV_STR);

	if (!ev)
		return -1;
	snprintf(ev->s, sizeof(ev->s), "%s", v ? v : "");
	return 0;
}

int sw_alert_ev_bool(struct sw_alert *a, const char *key, bool v)
{
	struct sw_alert_ev *ev = ev_add(a, key, SW_ALERT_EV_BOOL);

	if (!ev)
		return -1;
	ev->b = v;
	return 0;
}

int sw_alert_add_related(struct sw_alert *a, uint64_t frame, const struct timeval *ts, int opcode,
			 const char *calling_gt)
{
	struct sw_alert_related *r;

	if (a->n_related >= SW_ALERT_MAX_RELATED)
		return -1;
	r = &a->related[a->n_related++];
	r->frame = frame;
	if (ts)
		r->ts = *ts;
	else
		r->ts = (struct timeval){ 0 };
	r->opcode = opcode;
	r->input = 0;
	snprintf(r->calling_gt, sizeof(r->calling_gt), "%s", calling_gt ? calling_gt : "");
	return 0;
}

