/* Rules on locating a subscriber: provideSubscriberInfo not from its home HLR,
 * anyTimeInterrogation from outside, and a locate step right after an identify step from
 * outside (the Circles chain). */
#include <ss7watch/detect_priv.h>
#include <ss7watch/alert.h>

void detect_rule_psi(struct sw_detector *d, struct detect_event *ev)
{
	const struct map_param *ri = map_param_find(ev->c, MF_REQUESTED_INFO);
	struct sw_alert *a;

	if (!ev->imsi || detect_from_imsi_home(d, ev, SW_ROLE_HLR))
		return;
	a = detect_rule_begin(d, SW_RULE_PSI_NOT_FROM_HLR, ev);
	if (!a)
		return;
	if (ri && !(ri->u & MAP_RI_CURRENT_LOCATION))
		a->severity = 2;
	sw_alert_ev_bool(a, "current_location_requested", ri && (ri->u & MAP_RI_CURRENT_LOCATION));
	detect_ev_net(a, "calling_network", &ev->calling);
	detect_ev_str(a, "expected", ev->home_imsi ? "a home HLR" : "the IMSI's home network");
	detect_alert_raise(d, a);
}

void detect_rule_ati(struct sw_detector *d, struct detect_event *ev)
{
	const struct map_param *ri = map_param_find(ev->c, MF_REQUESTED_INFO);
	bool intrusive = ri && (ri->u & (MAP_RI_CURRENT_LOCATION | MAP_RI_IMEI));
	struct sw_alert *a;

	if (!detect_from_outside(ev))
		return;
	a = detect_rule_begin(d, SW_RULE_ATI_EXTERNAL, ev);
	if (!a)
		return;
	if (intrusive)
		a->severity = 1;
	sw_alert_ev_bool(a, "current_location_requested", ri && (ri->u & MAP_RI_CURRENT_LOCATION));
	sw_alert_ev_bool(a, "imei_requested", ri && (ri->u & MAP_RI_IMEI));
	detect_ev_net(a, "calling_network", &ev->calling);
	detect_alert_raise(d, a);
}

/* Locating a subscriber (PSI, ATI, PSL, SRI-for-LCS: the op_rules table runs this rule for
 * those) right after an outside identify step for the same subscriber: the Circles chain. */
void detect_rule_locate_after_identify(struct sw_detector *d, struct detect_event *ev)
{
	const struct rule_setting *rs = &d->rules[SW_RULE_CIRCLES_CHAIN];
	struct sw_ident *ways, *id = NULL;
	struct sw_alert *a;

	if (!ev->imsi)
		return;
	/* our own nodes locate subscribers for call handling (HLR PSI), CAMEL (gsmSCF ATI) and
	 * emergency location (GMLC): the chain ends in a locate step from outside (or spoofed) */
	if (!detect_from_outside(ev))
		return;
	/* the latest identify step of any origin within the window, not yet in an alert */
	ways = sw_ident_bucket(d->idents, ev->imsi);
	for (unsigned i = 0; i < SW_IDENT_WAYS; i++) {
		struct sw_ident *w = &ways[i];

		if (w->imsi != ev->imsi || (int32_t)(ev->now - w->time) > (int32_t)rs->window_s)
			continue;
		if (!id || (int32_t)(w->time - id->time) > 0)
			id = w;
	}
	if (!id || (id->flags & SW_IDENT_ALERTED))
		return;
	a = detect_rule_begin(d, SW_RULE_CIRCLES_CHAIN, ev);
	if (!a)
		return;
	/* one alert per identify step: this one and those before it */
	for (unsigned i = 0; i < SW_IDENT_WAYS; i++)
		if (ways[i].imsi == ev->imsi && (int32_t)(ways[i].time - id->time) <= 0)
			ways[i].flags |= SW_IDENT_ALERTED;
	sw_alert_ev_int(a, "elapsed_s", ev->now - id->time);
	sw_alert_ev_int(a, "window_s", rs->window_s);
	detect_ev_str(a, "identify_op", map_op_name(id->opcode));
	detect_ev_str(a, "identify_calling_gt", sw_gt_str(d->gts, id->gt));
	sw_alert_add_related(a, id->frame, &(struct timeval){ id->time, 0 }, id->opcode, sw_gt_str(d->gts, id->gt));
	sw_alert_add_related(a, ev->msg->meta.frame, &ev->msg->meta.ts, ev->c->opcode,
			     ev->msg->sccp.calling.digits);
	detect_alert_raise(d, a);
}
