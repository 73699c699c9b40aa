/* The per-message rules of the catalogue (rules.h, doc/rules.md). Each rule is a small
 * function over a detect_event; which rules run for an invoke is a table by opcode. */
#include <string.h>
#include <ss7watch/detect_priv.h>
#include <ss7watch/alert.h>
#include <ss7watch/config.h>
#include <ss7watch/config_geo.h>

/* --- classification helpers --- */

/* From another network: the calling GT is not ours (an unknown GT counts as outside), or it
 * is ours but came in on another network's link (spoofed). */
static bool from_outside(const struct detect_event *ev)
{
	return ev->calling.net != SW_NET_HOME || ev->spoofed;
}

/* The calling network has an agreement that lets it send this operation or skip this rule. */
static bool network_allows(const struct sw_detector *d, const struct detect_event *ev, enum sw_rule rule)
{
	if (ev->calling.net == SW_NET_HOME || ev->calling.net == SW_NET_UNKNOWN || ev->spoofed)
		return false;
	if (ev->c && ev->c->opcode >= 0 && sw_netmap_net_allows_op(d->nm, ev->calling.net, ev->c->opcode))
		return true;
	return sw_netmap_net_exempts_rule(d->nm, ev->calling.net, sw_rule_defs[rule].id);
}

/* The calling GT is listed in the rule's allowlist (config `rule X` / `allow gt-prefix P`). */
static bool rule_allowlisted(const struct sw_detector *d, const struct detect_event *ev, enum sw_rule rule)
{
	const struct sw_sccp_addr *a = &ev->msg->sccp.calling;

	if (!d->rules[rule].cfg || !(a->present & SW_SCCP_AI_GT))
		return false;
	return sw_config_rule_allows_gt(d->rules[rule].cfg, a->digits);
}

static bool suppressed(struct sw_detector *d, const struct detect_event *ev, enum sw_rule rule)
{
	if (!d->rules[rule].enabled)
		return true;
	if (network_allows(d, ev, rule) || rule_allowlisted(d, ev, rule)) {
		d->st.suppressed++;
		return true;
	}
	return false;
}

/* Is the calling GT a node of the IMSI's home network? For a home IMSI: one of our nodes of
 * that role (any of our GTs when no node of the role is configured); for a visiting IMSI: a GT
 * of the network that owns its MCC/MNC, or of its country when that network is unknown. */
static bool from_imsi_home(const struct sw_detector *d, const struct detect_event *ev, uint8_t role)
{
	if (ev->home_imsi) {
		if (ev->calling.net != SW_NET_HOME || ev->spoofed)
			return false;
		if (!sw_netmap_home_has_role(d->nm, role))
			return true;
		return ev->calling.role == role;
	}
	if (ev->imsi_net.net != SW_NET_UNKNOWN)
		return ev->calling.net == ev->imsi_net.net;
	/* unknown operator: the country of the calling GT must be the IMSI's */
	return ev->calling.country && ev->calling.country == ev->imsi_net.country;
}

static struct sw_alert *begin(struct sw_detector *d, enum sw_rule rule, const struct detect_event *ev)
{
	if (suppressed(d, ev, rule))
		return NULL;
	return detect_alert_begin(d, rule, ev);
}

static void ev_str(struct sw_alert *a, const char *k, const char *v)
{
	if (v && *v)
		sw_alert_ev_str(a, k, v);
}

/* --- message-level rules --- */

void detect_rules_malformed(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;
	enum sw_err e = ev->msg->err;

	/* a frame that is not SS7 at all is not an attack; malformed TCAP/MAP is */
	if (strcmp(sw_err_layer(e), "tcap") && strcmp(sw_err_layer(e), "map"))
		return;
	a = begin(d, SW_RULE_ANOMALY_MALFORMED, ev);
	if (!a)
		return;
	ev_str(a, "layer", sw_err_layer(e));
	ev_str(a, "reason", sw_err_reason(e));
	detect_alert_raise(d, a);
}

void detect_rules_message(struct sw_detector *d, struct detect_event *ev, bool has_invoke)
{
	const struct sw_tcap *t = &ev->msg->tcap;
	/* FS.11: a MAP Begin that opens no dialogue (no AC) from another network */
	if (t->type == SW_TCAP_BEGIN && !t->acn_len && has_invoke && from_outside(ev)) {
		ev->c = &t->comp[0];
		ev->comp_idx = 0;
		struct sw_alert *a = begin(d, SW_RULE_ANOMALY_NO_AC, ev);

		if (a) {
			sw_alert_ev_bool(a, "dialogue_portion", t->dialogue != SW_DLG_NONE);
			detect_alert_raise(d, a);
		}
	}
	ev->c = NULL;
}

/* --- invoke rules --- */

static void rule_anomalies(struct sw_detector *d, struct detect_event *ev)
{
	const struct sw_tcap *t = &ev->msg->tcap;
	struct sw_alert *a;

	if (ev->c->opcode_global && (a = begin(d, SW_RULE_ANOMALY_GLOBAL_OPCODE, ev))) {
		detect_alert_raise(d, a);
		return;
	}
	if (ev->c->err && (a = begin(d, SW_RULE_ANOMALY_MALFORMED, ev))) {
		ev_str(a, "layer", sw_err_layer(ev->c->err));
		ev_str(a, "reason", sw_err_reason(ev->c->err));
		detect_alert_raise(d, a);
	}
	if (t->acn_info && ev->c->opcode >= 0 && !map_acn_allows(t->acn_info, ev->c->opcode) &&
	    (a = begin(d, SW_RULE_AC_OPCODE_MISMATCH, ev))) {
		ev_str(a, "acn_name", t->acn_info->name);
		sw_alert_ev_int(a, "acn_version", t->acn_version);
		sw_alert_ev_int(a, "opcode", ev->c->opcode);
		detect_alert_raise(d, a);
	}
}

/* The threat of an operation in the wrong hands, for the category rules (cat1-external,
 * cat2-*, cat3-not-serving-node); operations not listed keep the rule's own threat
 * (cat1: subscriber-info, cat2: interception, cat3: fraud). */
static const char *const op_threat[256] = {
	/* Category 1 */
	[83] = "location-tracking", [85] = "location-tracking", [86] = "location-tracking",
	[62] = "interception", [65] = "interception", [5] = "interception", [6] = "interception",
	[72] = "interception", [76] = "interception", [77] = "interception",
	[43] = "fraud",
	/* Category 2: removing a subscription or resetting an HLR's subscribers takes them off
	 * the network; passwords and network-initiated USSD are for fraud */
	[8] = "dos", [37] = "dos",
	[18] = "fraud", [60] = "fraud", [61] = "fraud",
	/* Category 3: supplementary services redirect or cut off calls; interrogations and
	 * restoreData read the subscription; MM events say where the phone is */
	[10] = "interception", [12] = "interception",
	[11] = "dos", [13] = "dos",
	[14] = "subscriber-info", [57] = "subscriber-info",
	[89] = "location-tracking",
};

/* Start an alert of a category rule with the operation's threat. */
static struct sw_alert *begin_category(struct sw_detector *d, enum sw_rule rule, struct detect_event *ev)
{
	struct sw_alert *a = begin(d, rule, ev);

	if (a && ev->c->opcode >= 0 && ev->c->opcode < 256 && op_threat[ev->c->opcode])
		a->threat = op_threat[ev->c->opcode];
	return a;
}

static void rule_cat1(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;

	if (!from_outside(ev) || ev->op->category != MAP_CAT_1)
		return;
	/* these have rules of their own, with more evidence */
	if (ev->c->opcode == 71 || ev->c->opcode == 45)
		return;
	a = begin_category(d, SW_RULE_CAT1_EXTERNAL, ev);
	if (!a)
		return;
	ev_str(a, "calling_network", ev->calling.net_name ? ev->calling.net_name : "unknown");
	sw_alert_ev_str(a, "missing_allowance", "no agreement lets this network send this operation");
	detect_alert_raise(d, a);
}

/* Category 2 operations with rules of their own: mt-forwardSM (SMS has its own rules),
 * PSI, ISD, cancelLocation. */
static bool cat2_has_own_rule(int opcode)
{
	return opcode == 44 || opcode == 70 || opcode == 7 || opcode == 3;
}

static void rule_cat2(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;

	if (ev->op->category != MAP_CAT_2 || cat2_has_own_rule(ev->c->opcode) || !from_outside(ev))
		return;
	if (ev->home_imsi) {
		a = begin_category(d, SW_RULE_CAT2_HOME_IMSI_EXTERNAL, ev);
	} else if (ev->imsi && !from_imsi_home(d, ev, SW_ROLE_HLR)) {
		a = begin_category(d, SW_RULE_CAT2_FOREIGN_WRONG_ORIGIN, ev);
		if (a)
			ev_str(a, "imsi_network", ev->imsi_net.net_name ? ev->imsi_net.net_name : "unknown");
	} else {
		return;
	}
	if (!a)
		return;
	ev_str(a, "calling_network", ev->calling.net_name ? ev->calling.net_name : "unknown");
	detect_alert_raise(d, a);
}

/* Where a subscriber can be: the country of a GT (E.164 country code). */
static uint16_t gt_country(struct sw_detector *d, sw_gt_id gt)
{
	struct sw_netinfo ni;

	if (!gt)
		return 0;
	detect_gt_netinfo(d, gt, &ni);
	return ni.country;
}

static void rule_location_update(struct sw_detector *d, struct detect_event *ev)
{
	const struct rule_setting *rs = &d->rules[SW_RULE_ROGUE_LOCATION_UPDATE];
	bool gprs = ev->c->opcode == 23;
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
	if (from_outside(ev) && !sw_netmap_net_roaming(d->nm, ev->calling.net)) {
		if ((a = begin(d, SW_RULE_ROGUE_LOCATION_UPDATE, ev))) {
			sw_alert_ev_str(a, "reason", "no roaming agreement with the calling network");
			ev_str(a, "calling_network", ev->calling.net_name ? ev->calling.net_name : "unknown");
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
			if ((a = begin(d, SW_RULE_ROGUE_LOCATION_UPDATE, ev))) {
				sw_alert_ev_str(a, "reason", "MAP node number is not in the calling GT's network");
				sw_alert_ev_str(a, gprs ? "sgsn_number" : "vlr_number", node);
				ev_str(a, "node_network", node_ni.net_name ? node_ni.net_name : "unknown");
				ev_str(a, "calling_network", ev->calling.net_name ? ev->calling.net_name : "unknown");
				detect_alert_raise(d, a);
			}
			return;
		}
	}
	/* 3. impossible travel from the last known location */
	if (s && (gprs ? s->sgsn : s->vlr)) {
		uint16_t from = gt_country(d, gprs ? s->sgsn : s->vlr);
		uint16_t to = *node ? node_ni.country : ev->calling.country;
		uint32_t since = gprs ? s->sgsn_since : s->vlr_since;
		uint32_t elapsed = ev->now > since ? ev->now - since : 0;
		uint32_t max_kmh = rs->threshold ? rs->threshold : 900;
		double km;

		if (!from || !to || from == to)
			return;
		km = geo_distance_km(from, to);
		/* reachable if the distance can be covered at max speed in the time plus grace */
		if (km * 3600.0 / max_kmh <= (double)elapsed + rs->window_s)
			return;
		if ((a = begin(d, SW_RULE_ROGUE_LOCATION_UPDATE, ev))) {
			sw_alert_ev_str(a, "reason", "impossible travel from the last known location");
			sw_alert_ev_str(a, "from_country", geo_country_iso(from));
			sw_alert_ev_str(a, "to_country", geo_country_iso(to));
			sw_alert_ev_int(a, "distance_km", (int64_t)(km + 0.5));
			sw_alert_ev_int(a, "elapsed_s", elapsed);
			sw_alert_ev_int(a, "speed_kmh", elapsed ? (int64_t)(km * 3600.0 / elapsed + 0.5) : -1);
			sw_alert_ev_int(a, "max_speed_kmh", max_kmh);
			sw_alert_ev_int(a, "grace_s", rs->window_s);
			detect_alert_raise(d, a);
		}
	}
}

/* Is the message from the network serving the subscriber (FS.11 Category 3)? The calling GT
 * is its serving VLR or SGSN, or another GT of that node's configured network (the MSC of a
 * VLR sends mo-forwardSM under its own GT), or, for networks we do not know, of its country. */
static bool from_serving_node(struct sw_detector *d, const struct detect_event *ev)
{
	const struct sw_subscr *s = ev->sub;
	const sw_gt_id nodes[2] = { s ? s->vlr : 0, s ? s->sgsn : 0 };

	if (ev->spoofed)
		return false;
	for (unsigned i = 0; i < 2; i++) {
		struct sw_netinfo ni;

		if (!nodes[i])
			continue;
		if (nodes[i] == ev->calling_gt)
			return true;
		detect_gt_netinfo(d, nodes[i], &ni);
		if (ni.net != SW_NET_UNKNOWN && ni.net == ev->calling.net)
			return true;
		if (ni.net == SW_NET_UNKNOWN && ev->calling.net == SW_NET_UNKNOWN && ni.country &&
		    ni.country == ev->calling.country)
			return true;
	}
	return false;
}

static void rule_cat3(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;
	int op = ev->c->opcode;

	/* rules of their own: location updates, SAI, purgeMS, forwarding registrations */
	if (op == 2 || op == 23 || op == 56 || op == 67)
		return;
	if (ev->op->category != MAP_CAT_3 || !ev->home_imsi || !from_outside(ev) || !ev->sub)
		return;
	if (!ev->sub->vlr && !ev->sub->sgsn)
		return;	/* nothing known to compare with */
	if (from_serving_node(d, ev))
		return;
	a = begin_category(d, SW_RULE_CAT3_NOT_SERVING, ev);
	if (a)
		detect_alert_raise(d, a);
}

static bool is_forwarding_ss_code(uint64_t code)
{
	/* allForwardingSS 0x20, CFU 0x21, allCondForwardingSS 0x28, CFB 0x29, CFNRy 0x2a, CFNRc 0x2b */
	return code == 0x20 || code == 0x21 || (code >= 0x28 && code <= 0x2b);
}

static void rule_call_forwarding(struct sw_detector *d, struct detect_event *ev)
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
		serving_country = gt_country(d, ev->sub->vlr);
	/* forwarding to a number of the country the subscriber is in, requested by the node
	 * that serves it, is what a roaming customer does */
	if (from_serving_node(d, ev) && serving_country && ftn_ni.country == serving_country)
		return;
	a = begin(d, SW_RULE_CF_HIJACK, ev);
	if (!a)
		return;
	sw_alert_ev_int(a, "ss_code", code->u);
	sw_alert_ev_str(a, "forwarded_to_number", ftn);
	ev_str(a, "forwarded_to_country", geo_country_iso(ftn_ni.country));
	sw_alert_ev_bool(a, "from_serving_node", from_serving_node(d, ev));
	detect_alert_raise(d, a);
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

static void rule_insert_subscriber_data(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;
	struct sw_netinfo ni;
	char scf[48];

	if (!ev->home_imsi) {
		/* a visitor's profile comes from its own home network's HLR */
		if (ev->imsi && from_outside(ev) && !from_imsi_home(d, ev, SW_ROLE_HLR) &&
		    (a = begin(d, SW_RULE_CAT2_FOREIGN_WRONG_ORIGIN, ev))) {
			ev_str(a, "imsi_network", ev->imsi_net.net_name ? ev->imsi_net.net_name : "unknown");
			ev_str(a, "calling_network", ev->calling.net_name ? ev->calling.net_name : "unknown");
			detect_alert_raise(d, a);
		}
		return;
	}
	if (!from_imsi_home(d, ev, SW_ROLE_HLR)) {
		if ((a = begin(d, SW_RULE_ISD_NOT_FROM_HLR, ev))) {
			sw_alert_ev_str(a, "reason", "insertSubscriberData not sent by a home HLR");
			ev_str(a, "calling_network", ev->calling.net_name ? ev->calling.net_name : "unknown");
			detect_alert_raise(d, a);
		}
		return;
	}
	/* CAMEL: every gsmSCF address must be one of ours (or allowlisted) */
	if (foreign_gsmscf(d, ev, SW_RULE_ISD_NOT_FROM_HLR, scf, sizeof(scf), &ni) &&
	    (a = begin(d, SW_RULE_ISD_NOT_FROM_HLR, ev))) {
		sw_alert_ev_str(a, "reason", "gsmSCF address is not a home gsmSCF");
		sw_alert_ev_str(a, "gsmscf_address", scf);
		ev_str(a, "gsmscf_network", ni.net_name ? ni.net_name : "unknown");
		detect_alert_raise(d, a);
	}
}

static void rule_sri_sm_origin(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;

	if (ev->spoofed) {
		/* one of our GTs on another network's link: not our SMSC */
	} else if (ev->calling.net == SW_NET_HOME) {
		if (!sw_netmap_home_has_role(d->nm, SW_ROLE_SMSC) || ev->calling.role == SW_ROLE_SMSC)
			return;
	} else if (ev->calling.net != SW_NET_UNKNOWN) {
		return;	/* a known network's SMSC or SMS hub */
	}
	a = begin(d, SW_RULE_SRI_SM_NOT_SMSC, ev);
	if (!a)
		return;
	sw_alert_ev_str(a, "reason", ev->spoofed ? "home GT on another network's link"
				     : ev->calling.net == SW_NET_HOME ? "home GT that is not an SMSC"
				     : "network not known as an SMS origin");
	detect_alert_raise(d, a);
}

/* Locating a subscriber (PSI, ATI, PSL, SRI-for-LCS: the op_rules table runs this rule for
 * those) right after an outside identify step for the same subscriber: the Circles chain. */
static void rule_locate_after_identify(struct sw_detector *d, struct detect_event *ev)
{
	const struct rule_setting *rs = &d->rules[SW_RULE_CIRCLES_CHAIN];
	struct sw_subscr *s = ev->sub;
	struct sw_alert *a;

	if (!s || !s->ident_time || (s->flags & SW_SUBSCR_IDENT_ALERTED))
		return;
	if (ev->now - s->ident_time > rs->window_s)
		return;
	/* our own nodes locate subscribers for call handling (HLR PSI), CAMEL (gsmSCF ATI) and
	 * emergency location (GMLC): the chain ends in a locate step from outside (or spoofed) */
	if (!from_outside(ev))
		return;
	a = begin(d, SW_RULE_CIRCLES_CHAIN, ev);
	if (!a)
		return;
	s->flags |= SW_SUBSCR_IDENT_ALERTED;
	sw_alert_ev_int(a, "elapsed_s", ev->now - s->ident_time);
	sw_alert_ev_int(a, "window_s", rs->window_s);
	ev_str(a, "identify_op", map_op_name(s->ident_op));
	ev_str(a, "identify_calling_gt", sw_gt_str(d->gts, s->ident_gt));
	sw_alert_add_related(a, s->ident_frame, &(struct timeval){ s->ident_time, 0 }, s->ident_op,
			     sw_gt_str(d->gts, s->ident_gt));
	sw_alert_add_related(a, ev->msg->meta.frame, &ev->msg->meta.ts, ev->c->opcode,
			     ev->msg->sccp.calling.digits);
	detect_alert_raise(d, a);
}

static void rule_psi(struct sw_detector *d, struct detect_event *ev)
{
	const struct map_param *ri = map_param_find(ev->c, MF_REQUESTED_INFO);
	struct sw_alert *a;

	if (!ev->imsi || from_imsi_home(d, ev, SW_ROLE_HLR))
		return;
	a = begin(d, SW_RULE_PSI_NOT_FROM_HLR, ev);
	if (!a)
		return;
	if (ri && !(ri->u & MAP_RI_CURRENT_LOCATION))
		a->severity = 2;
	sw_alert_ev_bool(a, "current_location_requested", ri && (ri->u & MAP_RI_CURRENT_LOCATION));
	ev_str(a, "calling_network", ev->calling.net_name ? ev->calling.net_name : "unknown");
	ev_str(a, "expected", ev->home_imsi ? "a home HLR" : "the IMSI's home network");
	detect_alert_raise(d, a);
}

static void rule_ati(struct sw_detector *d, struct detect_event *ev)
{
	const struct map_param *ri = map_param_find(ev->c, MF_REQUESTED_INFO);
	bool intrusive = ri && (ri->u & (MAP_RI_CURRENT_LOCATION | MAP_RI_IMEI));
	struct sw_alert *a;

	if (!from_outside(ev))
		return;
	a = begin(d, SW_RULE_ATI_EXTERNAL, ev);
	if (!a)
		return;
	if (intrusive)
		a->severity = 1;
	sw_alert_ev_bool(a, "current_location_requested", ri && (ri->u & MAP_RI_CURRENT_LOCATION));
	sw_alert_ev_bool(a, "imei_requested", ri && (ri->u & MAP_RI_IMEI));
	ev_str(a, "calling_network", ev->calling.net_name ? ev->calling.net_name : "unknown");
	detect_alert_raise(d, a);
}

static void rule_sai(struct sw_detector *d, struct detect_event *ev)
{
	const struct rule_setting *rs = &d->rules[SW_RULE_SAI_HARVEST];
	const struct map_param *nv = map_param_find(ev->c, MF_NUMBER_OF_VECTORS);
	struct sw_alert *a;

	if (nv && rs->threshold && nv->u > rs->threshold) {
		if ((a = begin(d, SW_RULE_SAI_HARVEST, ev))) {
			sw_alert_ev_str(a, "reason", "more authentication vectors than any node asks for");
			sw_alert_ev_int(a, "number_of_vectors", nv->u);
			sw_alert_ev_int(a, "threshold", rs->threshold);
			detect_alert_raise(d, a);
		}
		return;
	}
	if (!ev->home_imsi || !from_outside(ev))
		return;
	/* a visited VLR asks for vectors before its updateLocation: only a network we have no
	 * roaming agreement with has no business asking */
	if (sw_netmap_net_roaming(d->nm, ev->calling.net))
		return;
	if ((a = begin(d, SW_RULE_SAI_HARVEST, ev))) {
		sw_alert_ev_str(a, "reason", "vectors requested by a network without roaming agreement");
		sw_alert_ev_bool(a, "roaming_agreement", false);
		ev_str(a, "calling_network", ev->calling.net_name ? ev->calling.net_name : "unknown");
		detect_alert_raise(d, a);
	}
}

static void rule_cancel_purge(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;

	if (!ev->imsi)
		return;
	if (ev->c->opcode == 3) {
		if (from_imsi_home(d, ev, SW_ROLE_HLR))
			return;
	} else {
		/* purgeMS: from the serving VLR/SGSN, or from inside when nothing is known */
		if (!ev->home_imsi || from_serving_node(d, ev) || !from_outside(ev))
			return;
	}
	a = begin(d, SW_RULE_DOS_CANCEL_PURGE, ev);
	if (!a)
		return;
	ev_str(a, "calling_network", ev->calling.net_name ? ev->calling.net_name : "unknown");
	ev_str(a, "expected", ev->c->opcode == 3 ? "the subscriber's home HLR" : "the serving VLR or SGSN");
	detect_alert_raise(d, a);
}

static void rule_sms_delivery(struct sw_detector *d, struct detect_event *ev)
{
	const struct map_param *pid = map_param_find(ev->c, MF_TP_PID);
	const struct map_param *dcs = map_param_find(ev->c, MF_TP_DCS);
	struct sw_alert *a;
	bool silent = pid && pid->u == 0x40;
	bool ota = pid && pid->u == 0x7f;
	bool class2_binary = false;

	if (!from_outside(ev))
		return;
	if (dcs) {
		uint8_t v = dcs->u;

		/* general data coding with class (00x1 xxxx) or data coding/class (1111 xxxx),
		 * 8-bit data, class 2 (SIM specific) */
		if (((v & 0xd0) == 0x10 && (v & 0x0c) == 0x04 && (v & 3) == 2) ||
		    ((v & 0xf0) == 0xf0 && (v & 0x04) && (v & 3) == 2))
			class2_binary = true;
	}
	if ((silent || ota || class2_binary) && (a = begin(d, SW_RULE_SILENT_SMS, ev))) {
		if (!silent)
			a->threat = "interception";
		if (pid)
			sw_alert_ev_int(a, "tp_pid", pid->u);
		if (dcs)
			sw_alert_ev_int(a, "tp_dcs", dcs->u);
		sw_alert_ev_str(a, "kind", silent ? "silent SMS (type 0)" : "SIM OTA / SIM data download");
		detect_alert_raise(d, a);
	}
	/* an SMSC outside delivers after its SRI-for-SM was answered */
	if (ev->home_imsi && ev->sub &&
	    !(ev->sub->ident_op == 45 && ev->sub->ident_gt == ev->calling_gt &&
	      ev->now - ev->sub->ident_time <= d->rules[SW_RULE_MTFSM_WITHOUT_SRI_SM].window_s) &&
	    (a = begin(d, SW_RULE_MTFSM_WITHOUT_SRI_SM, ev))) {
		sw_alert_ev_int(a, "window_s", d->rules[SW_RULE_MTFSM_WITHOUT_SRI_SM].window_s);
		detect_alert_raise(d, a);
	}
}

/* ss7MAPer sends this callReferenceNumber in every sendRoutingInfo */
static const uint8_t ss7maper_callref[] = { 0x07, 0x00, 0x01, 0x44, 0x28, 0x09, 0x96, 0x1f };

static void rule_tool_fingerprint(struct sw_detector *d, struct detect_event *ev)
{
	const struct map_param *cr = map_param_find(ev->c, MF_CALL_REFERENCE_NUMBER);
	const struct sw_tcap *t = &ev->msg->tcap;
	struct sw_alert *a;
	const char *tool = NULL, *trait = NULL;

	if (ev->c->opcode == 22 && cr && cr->len == sizeof(ss7maper_callref) &&
	    !memcmp(cr->p, ss7maper_callref, cr->len)) {
		tool = "ss7MAPer";
		trait = "fixed callReferenceNumber 0700014428099961f in sendRoutingInfo";
	} else if (ev->c->opcode == 83 && t->acn_info && t->acn_info->ctx == 5) {
		tool = "ss7MAPer";
		trait = "provideSubscriberLocation sent under locationInfoRetrievalContext";
	}
	if (!tool || !(a = begin(d, SW_RULE_TOOL_FINGERPRINT, ev)))
		return;
	sw_alert_ev_str(a, "tool", tool);
	sw_alert_ev_str(a, "trait", trait);
	detect_alert_raise(d, a);
}

static void rule_transport(struct sw_detector *d, struct detect_event *ev)
{
	const struct sw_mtp3 *m = &ev->msg->mtp3;
	int pc_net;
	struct sw_alert *a;

	if (!m->present || ev->calling.net == SW_NET_UNKNOWN)
		return;
	pc_net = ev->via_net;
	if (pc_net == SW_NET_UNKNOWN || pc_net == ev->calling.net)
		return;
	/* a hub or IPX carries other networks' GTs by design */
	if (sw_netmap_net_is_carrier(d->nm, pc_net))
		return;
	a = begin(d, SW_RULE_GT_TRANSPORT_MISMATCH, ev);
	if (!a)
		return;
	sw_alert_ev_int(a, "opc", m->opc);
	ev_str(a, "opc_network", sw_netmap_net_name(d->nm, pc_net));
	ev_str(a, "calling_network", ev->calling.net_name);
	detect_alert_raise(d, a);
}

typedef void (*invoke_rule_t)(struct sw_detector *d, struct detect_event *ev);

/* Operation-specific rules, by opcode. */
static const invoke_rule_t op_rules[256][3] = {
	[2] = { rule_location_update },
	[3] = { rule_cancel_purge },
	[7] = { rule_insert_subscriber_data },
	[10] = { rule_call_forwarding },
	[12] = { rule_call_forwarding },
	[22] = { rule_tool_fingerprint },
	[23] = { rule_location_update },
	[44] = { rule_sms_delivery },
	[45] = { rule_sri_sm_origin },
	[56] = { rule_sai },
	[67] = { rule_cancel_purge },
	[70] = { rule_psi, rule_locate_after_identify },
	[71] = { rule_ati, rule_locate_after_identify },
	[83] = { rule_locate_after_identify, rule_tool_fingerprint },
	[85] = { rule_locate_after_identify },
};

/* Operations that ask about a subscriber: what scanning and rotation count. */
static bool is_query_op(int opcode)
{
	return opcode == 22 || opcode == 45 || opcode == 58 || opcode == 70 || opcode == 71 ||
	       opcode == 83 || opcode == 85 || opcode == 56 || opcode == 24;
}

void detect_rules_invoke(struct sw_detector *d, struct detect_event *ev)
{
	int op = ev->c->opcode;

	rule_anomalies(d, ev);
	rule_transport(d, ev);
	if (!ev->op)
		return;
	rule_cat1(d, ev);
	rule_cat2(d, ev);
	rule_cat3(d, ev);
	for (unsigned i = 0; i < 3 && op_rules[op][i]; i++)
		op_rules[op][i](d, ev);
	if (is_query_op(op) && from_outside(ev)) {
		detect_scan(d, ev);
		detect_rotation(d, ev);
	}
}

void detect_rules_result(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;
	struct sw_netinfo ni;
	char scf[48];

	/* the HLR's answer to a call's routing question names the gsmSCFs the call goes to:
	 * for our own subscriber they are ours, unless the subscription was tampered with */
	if (ev->req->opcode != 22 || !ev->home_imsi ||
	    !foreign_gsmscf(d, ev, SW_RULE_CAMEL_FOREIGN_GSMSCF, scf, sizeof(scf), &ni))
		return;
	a = begin(d, SW_RULE_CAMEL_FOREIGN_GSMSCF, ev);
	if (!a)
		return;
	sw_alert_ev_str(a, "gsmscf_address", scf);
	ev_str(a, "gsmscf_network", ni.net_name ? ni.net_name : "unknown");
	ev_str(a, "gsmscf_country", geo_country_iso(ni.country));
	/* the question it answers: who asked where to route the call */
	sw_alert_add_related(a, ev->req->frame, &(struct timeval){ ev->req->time, ev->req->usec }, 22,
			     sw_gt_str(d->gts, ev->req->caller));
	detect_alert_raise(d, a);
}

void detect_rules_error(struct sw_detector *d, struct detect_event *ev)
{
	/* a query from outside answered "no such subscriber": the scan rule's error ratio */
	if (ev->req && !(ev->req->flags & SW_TXN_CALLER_HOME) && is_query_op(ev->req->opcode))
		detect_scan_error(d, ev->req->caller, ev->c->error);
}

void detect_rules_configure(struct sw_detector *d)
{
	for (int r = 0; r < SW_RULE__COUNT; r++) {
		const struct sw_rule_def *def = &sw_rule_defs[r];
		struct rule_setting *rs = &d->rules[r];
		const struct sw_config_rule *cr = sw_config_rule_find(d->cfg, def->id);

		rs->enabled = true;
		rs->severity = def->severity;
		rs->threshold = def->threshold;
		rs->window_s = def->window_s;
		rs->cfg = cr;
		if (!cr)
			continue;
		sw_config_rule_apply(cr, &rs->enabled, &rs->severity, &rs->threshold, &rs->window_s);
	}
}
