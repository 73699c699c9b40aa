/* The GSMA FS.11 category rules: a Category 1 operation from another network, a Category 2
 * operation for a subscriber not from its home network, a Category 3 operation not from the
 * node serving the subscriber. Operations with rules of their own are left to them. */
#include <ss7watch/detect_priv.h>
#include <ss7watch/alert.h>

/* The threat of an operation in the wrong hands, for the category rules (cat1-external,
 * cat2-*, cat3-not-serving-node); operations not listed keep the rule's own threat
 * (cat1: subscriber-info, cat2: interception, cat3: fraud). */
static const char *const op_threat[256] = {
	/* Category 1 */
	[MAP_OP_PROVIDE_SUBSCRIBER_LOCATION] = "location-tracking",
	[MAP_OP_SEND_ROUTING_INFO_FOR_LCS] = "location-tracking",
	[MAP_OP_SUBSCRIBER_LOCATION_REPORT] = "location-tracking",
	[MAP_OP_ANY_TIME_SUBSCRIPTION_INTERROGATION] = "interception",
	[MAP_OP_ANY_TIME_MODIFICATION] = "interception",
	[MAP_OP_NOTE_SUBSCRIBER_DATA_MODIFIED] = "interception",
	[MAP_OP_RESUME_CALL_HANDLING] = "interception",
	[MAP_OP_SS_INVOCATION_NOTIFICATION] = "interception",
	[MAP_OP_REGISTER_CC_ENTRY] = "interception",
	[MAP_OP_ERASE_CC_ENTRY] = "interception",
	[MAP_OP_CHECK_IMEI] = "fraud",
	/* Category 2: removing a subscription or resetting an HLR's subscribers takes them off
	 * the network; passwords and network-initiated USSD are for fraud */
	[MAP_OP_DELETE_SUBSCRIBER_DATA] = "dos",
	[MAP_OP_RESET] = "dos",
	[MAP_OP_GET_PASSWORD] = "fraud",
	[MAP_OP_UNSTRUCTURED_SS_REQUEST] = "fraud",
	[MAP_OP_UNSTRUCTURED_SS_NOTIFY] = "fraud",
	/* Category 3: supplementary services redirect or cut off calls; interrogations and
	 * restoreData read the subscription; MM events say where the phone is */
	[MAP_OP_REGISTER_SS] = "interception",
	[MAP_OP_ACTIVATE_SS] = "interception",
	[MAP_OP_ERASE_SS] = "dos",
	[MAP_OP_DEACTIVATE_SS] = "dos",
	[MAP_OP_INTERROGATE_SS] = "subscriber-info",
	[MAP_OP_RESTORE_DATA] = "subscriber-info",
	[MAP_OP_NOTE_MM_EVENT] = "location-tracking",
};

/* Operations with rules of their own, with more evidence: the category rules leave them be. */
static const bool own_rule[256] = {
	/* Category 1 */
	[MAP_OP_ANY_TIME_INTERROGATION] = true,
	[MAP_OP_SEND_ROUTING_INFO_FOR_SM] = true,
	/* Category 2: SMS has rules of its own; PSI, ISD, cancelLocation */
	[MAP_OP_MT_FORWARD_SM] = true,
	[MAP_OP_PROVIDE_SUBSCRIBER_INFO] = true,
	[MAP_OP_INSERT_SUBSCRIBER_DATA] = true,
	[MAP_OP_CANCEL_LOCATION] = true,
	/* Category 3: location updates, SAI, purgeMS */
	[MAP_OP_UPDATE_LOCATION] = true,
	[MAP_OP_UPDATE_GPRS_LOCATION] = true,
	[MAP_OP_SEND_AUTHENTICATION_INFO] = true,
	[MAP_OP_PURGE_MS] = true,
};

/* Start an alert of a category rule with the operation's threat. */
static struct sw_alert *begin_category(struct sw_detector *d, enum sw_rule rule, struct detect_event *ev)
{
	struct sw_alert *a = detect_rule_begin(d, rule, ev);

	if (a && ev->opcode >= 0 && ev->opcode < 256 && op_threat[ev->opcode])
		a->threat = op_threat[ev->opcode];
	return a;
}

static void rule_cat1(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;

	if (ev->op->category != MAP_CAT_1 || own_rule[ev->opcode] || !detect_from_outside(ev))
		return;
	a = begin_category(d, SW_RULE_CAT1_EXTERNAL, ev);
	if (!a)
		return;
	detect_ev_net(a, "calling_network", &ev->calling);
	sw_alert_ev_str(a, "missing_allowance", "no agreement lets this network send this operation");
	detect_alert_raise(d, a);
}

static void rule_cat2(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;

	if (ev->op->category != MAP_CAT_2 || own_rule[ev->opcode] || !detect_from_outside(ev))
		return;
	if (ev->home_imsi) {
		a = begin_category(d, SW_RULE_CAT2_HOME_IMSI_EXTERNAL, ev);
	} else if (ev->imsi && !detect_from_imsi_home(d, ev, SW_ROLE_HLR)) {
		a = begin_category(d, SW_RULE_CAT2_FOREIGN_WRONG_ORIGIN, ev);
		if (a)
			detect_ev_net(a, "imsi_network", &ev->imsi_net);
	} else {
		return;
	}
	if (!a)
		return;
	detect_ev_net(a, "calling_network", &ev->calling);
	detect_alert_raise(d, a);
}

static void rule_cat3(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;

	bool agreement;

	if (ev->op->category != MAP_CAT_3 || own_rule[ev->opcode] || !ev->home_imsi ||
	    !detect_from_outside(ev))
		return;
	/* a network without roaming agreement never serves our subscribers, whether or not a
	 * serving node is known yet (a spoofed home GT counts as home here: it is reported
	 * by the serving-node comparison and gt-transport-mismatch) */
	agreement = sw_netmap_net_roaming(d->nm, ev->calling.net);
	if (agreement) {
		if (!ev->sub || (!ev->sub->vlr && !ev->sub->sgsn))
			return;	/* nothing known to compare with */
		if (detect_from_serving_node(d, ev))
			return;
	}
	a = begin_category(d, SW_RULE_CAT3_NOT_SERVING, ev);
	if (!a)
		return;
	if (!agreement) {
		sw_alert_ev_str(a, "reason", "no roaming agreement");
		sw_alert_ev_bool(a, "roaming_agreement", false);
		detect_ev_net(a, "calling_network", &ev->calling);
	}
	detect_alert_raise(d, a);
}

void detect_rules_category(struct sw_detector *d, struct detect_event *ev)
{
	rule_cat1(d, ev);
	rule_cat2(d, ev);
	rule_cat3(d, ev);
}
