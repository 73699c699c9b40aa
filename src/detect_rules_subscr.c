/* Rules that guard a subscriber's registration and subscription: who may move it (location
 * updates, cancelLocation, purgeMS), who may ask for its authentication vectors, who may
 * write its profile (insertSubscriberData, CAMEL gsmSCFs) and where its calls may be
 * forwarded. */
#include <ss7watch/detect_priv.h>
#include <ss7watch/alert.h>
#include <ss7watch/config.h>
#include <ss7watch/config_geo.h>

void detect_rule_location_update(struct sw_detector *d, struct detect_event *ev)
{
	const struct rule_setting *rs = &d->rules[SW_RULE_ROGUE_LOCATION_UPDATE];
	bool gprs = ev->opcode == MAP_OP_UPDATE_GPRS_LOCATION;
	struct sw_subscr *s = ev->sub;
	char node[48];
	struct sw_netinfo node_ni;
	struct sw_alert *a;

	if (!ev->home_imsi)
		return;
	detect_param_digits(ev->c, gprs ? MF_SGSN_NUMBER : MF_VLR_NUMBER, node, sizeof(node));
	if (!*node)
		detect_param_digits(ev->c, MF_MSC_NUMBER, node, sizeof(node));

	/* 1. a network we have no roaming agreement with */
	if (detect_from_outside(ev) && !sw_netmap_net_roaming(d->nm, ev->calling.net)) {
		if ((a = detect_rule_begin(d, SW_RULE_ROGUE_LOCATION_UPDATE, ev))) {
			sw_alert_ev_str(a, "reason", "no roaming agreement with the calling network");
			detect_ev_net(a, "calling_network", &ev->calling);
			sw_alert_ev_bool(a, "roaming_agreement", false);
			detect_alert_raise(d, a);
		}
		return;
	}
	/* 2. the MAP node number is not in the network that sent the message */
	if (*node) {
		sw_netmap_gt(d->nm, node, &node_ni);
		if (node_ni.net != ev->calling.net || (node_ni.net == SW_NET_UNKNOWN &&
						       node_ni.country != ev->calling.country)) {
			if ((a = detect_rule_begin(d, SW_RULE_ROGUE_LOCATION_UPDATE, ev))) {
				sw_alert_ev_str(a, "reason", "MAP node number is not in the calling GT's network");
				sw_alert_ev_str(a, gprs ? "sgsn_number" : "vlr_number", node);
				detect_ev_net(a, "node_network", &node_ni);
				detect_ev_net(a, "calling_network", &ev->calling);
				detect_alert_raise(d, a);
			}
			return;
		}
	}
	/* 3. impossible travel from where the phone was last seen: only the phone's own activity
	 * proves it was there (an HLR keeps naming the old VLR while it is off on a plane);
	 * no proof, no verdict */
	if (s && s->pres_time && s->pres_gt) {
		uint16_t from = detect_gt_country(d, s->pres_gt);
		uint16_t to = *node ? node_ni.country : ev->calling.country;
		uint32_t elapsed = (int32_t)(ev->now - s->pres_time) > 0 ? ev->now - s->pres_time : 0;
		uint32_t max_kmh = rs->threshold ? rs->threshold : 900;
		double km;

		/* across a land border a drive takes minutes, whatever the capitals' distance */
		if (!from || !to || from == to || geo_neighbours(from, to))
			return;
		km = geo_distance_km(from, to);
		/* reachable if the distance can be covered at max speed in the time plus grace */
		if (km < 0 || km * 3600.0 / max_kmh <= (double)elapsed + rs->window_s)
			return;
		if ((a = detect_rule_begin(d, SW_RULE_ROGUE_LOCATION_UPDATE, ev))) {
			const char *proof_node = sw_gt_str(d->gts, s->pres_gt);

			sw_alert_ev_str(a, "reason", "impossible travel from where the phone was last seen");
			sw_alert_ev_str(a, "from_country", geo_country_iso(from));
			sw_alert_ev_str(a, "to_country", geo_country_iso(to));
			sw_alert_ev_int(a, "distance_km", (int64_t)(km + 0.5));
			sw_alert_ev_int(a, "elapsed_s", elapsed);
			sw_alert_ev_int(a, "speed_kmh", elapsed ? (int64_t)(km * 3600.0 / elapsed + 0.5) : -1);
			sw_alert_ev_int(a, "max_speed_kmh", max_kmh);
			sw_alert_ev_int(a, "grace_s", rs->window_s);
			/* the proof's time is in its related entry */
			detect_ev_str(a, "proof_op", map_op_name(s->pres_op));
			sw_alert_ev_int(a, "proof_frame", s->pres_frame);
			detect_ev_str(a, "proof_node", proof_node);
			sw_alert_add_related(a, s->pres_frame, &(struct timeval){ s->pres_time, 0 }, s->pres_op, proof_node);
			detect_alert_raise(d, a);
		}
	}
}

void detect_rule_cancel_purge(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;

	if (!ev->imsi)
		return;
	if (ev->opcode == MAP_OP_CANCEL_LOCATION) {
		if (detect_from_imsi_home(d, ev, SW_ROLE_HLR))
			return;
	} else {
		/* purgeMS: from the serving VLR/SGSN, or from inside when nothing is known */
		if (!ev->home_imsi || detect_from_serving_node(d, ev) || !detect_from_outside(ev))
			return;
	}
	a = detect_rule_begin(d, SW_RULE_DOS_CANCEL_PURGE, ev);
	if (!a)
		return;
	detect_ev_net(a, "calling_network", &ev->calling);
	detect_ev_str(a, "expected", ev->opcode == MAP_OP_CANCEL_LOCATION ? "the subscriber's home HLR"
									  : "the serving VLR or SGSN");
	detect_alert_raise(d, a);
}

void detect_rule_sai(struct sw_detector *d, struct detect_event *ev)
{
	const struct rule_setting *rs = &d->rules[SW_RULE_SAI_HARVEST];
	const struct map_param *nv = map_param_find(ev->c, MF_NUMBER_OF_VECTORS);
	struct sw_alert *a;

	if (nv && rs->threshold && nv->u > rs->threshold) {
		if ((a = detect_rule_begin(d, SW_RULE_SAI_HARVEST, ev))) {
			sw_alert_ev_str(a, "reason", "more authentication vectors than any node asks for");
			sw_alert_ev_int(a, "number_of_vectors", nv->u);
			sw_alert_ev_int(a, "threshold", rs->threshold);
			detect_alert_raise(d, a);
		}
		return;
	}
	if (!ev->home_imsi || !detect_from_outside(ev))
		return;
	/* a visited VLR asks for vectors before its updateLocation: only a network we have no
	 * roaming agreement with has no business asking */
	if (sw_netmap_net_roaming(d->nm, ev->calling.net))
		return;
	if ((a = detect_rule_begin(d, SW_RULE_SAI_HARVEST, ev))) {
		sw_alert_ev_str(a, "reason", "vectors requested by a network without roaming agreement");
		sw_alert_ev_bool(a, "roaming_agreement", false);
		detect_ev_net(a, "calling_network", &ev->calling);
		detect_alert_raise(d, a);
	}
}

/* The first gsmSCF address among the component's CAMEL data that is not a home gsmSCF
 * (any home GT when no gsmSCF node is configured) nor allowlisted in rule: into scf and ni.
 * \returns whether there is one. */
static bool foreign_gsmscf(struct sw_detector *d, const struct detect_event *ev, enum sw_rule rule,
			   char *scf, size_t len, struct sw_netinfo *ni)
{
	for (unsigned i = 0; i < ev->c->n_params; i++) {
		const struct map_param *mp = &ev->c->params[i];

		if (mp->field != MF_GSMSCF_ADDRESS || mp->len < 2)
			continue;
		sw_tbcd_to_str(scf, len, mp->p + 1, mp->len - 1);
		sw_netmap_gt(d->nm, scf, ni);
		if (ni->net == SW_NET_HOME && (!sw_netmap_home_has_role(d->nm, SW_ROLE_GSMSCF) ||
					       ni->role == SW_ROLE_GSMSCF))
			continue;
		if (d->rules[rule].cfg && sw_config_rule_allows_gt(d->rules[rule].cfg, scf))
			continue;
		return true;
	}
	return false;
}

void detect_rule_insert_subscriber_data(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;
	struct sw_netinfo ni;
	char scf[48];

	if (!ev->home_imsi) {
		/* a visitor's profile comes from its own home network's HLR */
		if (ev->imsi && detect_from_outside(ev) && !detect_from_imsi_home(d, ev, SW_ROLE_HLR) &&
		    (a = detect_rule_begin(d, SW_RULE_CAT2_FOREIGN_WRONG_ORIGIN, ev))) {
			detect_ev_net(a, "imsi_network", &ev->imsi_net);
			detect_ev_net(a, "calling_network", &ev->calling);
			detect_alert_raise(d, a);
		}
		return;
	}
	if (!detect_from_imsi_home(d, ev, SW_ROLE_HLR)) {
		if ((a = detect_rule_begin(d, SW_RULE_ISD_NOT_FROM_HLR, ev))) {
			sw_alert_ev_str(a, "reason", "insertSubscriberData not sent by a home HLR");
			detect_ev_net(a, "calling_network", &ev->calling);
			detect_alert_raise(d, a);
		}
		return;
	}
	/* CAMEL: every gsmSCF address must be one of ours (or allowlisted) */
	if (foreign_gsmscf(d, ev, SW_RULE_ISD_NOT_FROM_HLR, scf, sizeof(scf), &ni) &&
	    (a = detect_rule_begin(d, SW_RULE_ISD_NOT_FROM_HLR, ev))) {
		sw_alert_ev_str(a, "reason", "gsmSCF address is not a home gsmSCF");
		sw_alert_ev_str(a, "gsmscf_address", scf);
		detect_ev_net(a, "gsmscf_network", &ni);
		detect_alert_raise(d, a);
	}
}

void detect_rule_camel_gsmscf(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;
	struct sw_netinfo ni;
	char scf[48];

	/* the HLR's answer to a call's routing question names the gsmSCFs the call goes to:
	 * for our own subscriber they are ours, unless the subscription was tampered with */
	if (ev->req->opcode != MAP_OP_SEND_ROUTING_INFO || !ev->home_imsi ||
	    !foreign_gsmscf(d, ev, SW_RULE_CAMEL_FOREIGN_GSMSCF, scf, sizeof(scf), &ni))
		return;
	a = detect_rule_begin(d, SW_RULE_CAMEL_FOREIGN_GSMSCF, ev);
	if (!a)
		return;
	sw_alert_ev_str(a, "gsmscf_address", scf);
	detect_ev_net(a, "gsmscf_network", &ni);
	detect_ev_str(a, "gsmscf_country", geo_country_iso(ni.country));
	/* the question it answers: who asked where to route the call */
	sw_alert_add_related(a, ev->req->frame, &(struct timeval){ ev->req->time, ev->req->usec },
			     MAP_OP_SEND_ROUTING_INFO,
			     sw_gt_str(d->gts, ev->req->caller));
	detect_alert_raise(d, a);
}

static bool is_forwarding_ss_code(uint64_t code)
{
	/* allForwardingSS 0x20, CFU 0x21, allCondForwardingSS 0x28, CFB 0x29, CFNRy 0x2a, CFNRc 0x2b */
	return code == 0x20 || code == 0x21 || (code >= 0x28 && code <= 0x2b);
}

void detect_rule_call_forwarding(struct sw_detector *d, struct detect_event *ev)
{
	const struct map_param *code = map_param_find(ev->c, MF_SS_CODE);
	char ftn[48];
	struct sw_netinfo ftn_ni;
	struct sw_alert *a;
	uint16_t serving_country = 0;

	if (!code || !is_forwarding_ss_code(code->u))
		return;
	if (!*detect_param_digits(ev->c, MF_FORWARDED_TO_NUMBER, ftn, sizeof(ftn)))
		return;
	if (ev->imsi && !ev->home_imsi)
		return;
	sw_netmap_gt(d->nm, ftn, &ftn_ni);
	if (ftn_ni.net == SW_NET_HOME || ftn_ni.country == d->home_country)
		return;
	if (ev->sub && ev->sub->vlr)
		serving_country = detect_gt_country(d, ev->sub->vlr);
	/* forwarding to a number of the country the subscriber is in, requested by the node
	 * that serves it, is what a roaming customer does */
	if (detect_from_serving_node(d, ev) && serving_country && ftn_ni.country == serving_country)
		return;
	a = detect_rule_begin(d, SW_RULE_CF_HIJACK, ev);
	if (!a)
		return;
	sw_alert_ev_int(a, "ss_code", code->u);
	sw_alert_ev_str(a, "forwarded_to_number", ftn);
	detect_ev_str(a, "forwarded_to_country", geo_country_iso(ftn_ni.country));
	sw_alert_ev_bool(a, "from_serving_node", detect_from_serving_node(d, ev));
	detect_alert_raise(d, a);
}
