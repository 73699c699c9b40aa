/* Which rules run for a component: an invoke goes through the anomaly rules, the FS.11
 * category rules and the rules of its operation (a table by opcode), and a query from outside
 * also into the scanning and rotation windows (detect_corr.c); results and errors have rules
 * of their own. The rules themselves are the families detect_rules_*.c. */
#include <ss7watch/detect_priv.h>
#include <ss7watch/config.h>

typedef void (*invoke_rule_t)(struct sw_detector *d, struct detect_event *ev);

/* What an operation's invoke is checked for, by opcode. */
static const struct op_rules {
	invoke_rule_t rules[3];	/*!< the operation's own rules, in order */
	bool query;		/*!< asks about a subscriber: what scanning and rotation count */
} op_rules[256] = {
	[MAP_OP_UPDATE_LOCATION] = { { detect_rule_location_update } },
	[MAP_OP_CANCEL_LOCATION] = { { detect_rule_cancel_purge } },
	[MAP_OP_INSERT_SUBSCRIBER_DATA] = { { detect_rule_insert_subscriber_data } },
	[MAP_OP_REGISTER_SS] = { { detect_rule_call_forwarding } },
	[MAP_OP_ACTIVATE_SS] = { { detect_rule_call_forwarding } },
	[MAP_OP_SEND_ROUTING_INFO] = { { detect_rule_tool_fingerprint }, true },
	[MAP_OP_UPDATE_GPRS_LOCATION] = { { detect_rule_location_update } },
	[MAP_OP_SEND_ROUTING_INFO_FOR_GPRS] = { .query = true },
	[MAP_OP_MT_FORWARD_SM] = { { detect_rule_sms_delivery } },
	[MAP_OP_SEND_ROUTING_INFO_FOR_SM] = { { detect_rule_sri_sm_origin }, true },
	[MAP_OP_SEND_AUTHENTICATION_INFO] = { { detect_rule_sai }, true },
	[MAP_OP_SEND_IMSI] = { .query = true },
	[MAP_OP_PURGE_MS] = { { detect_rule_cancel_purge } },
	[MAP_OP_PROVIDE_SUBSCRIBER_INFO] = { { detect_rule_psi, detect_rule_locate_after_identify }, true },
	[MAP_OP_ANY_TIME_INTERROGATION] = { { detect_rule_ati, detect_rule_locate_after_identify }, true },
	[MAP_OP_PROVIDE_SUBSCRIBER_LOCATION] = {
		{ detect_rule_locate_after_identify, detect_rule_tool_fingerprint }, true },
	[MAP_OP_SEND_ROUTING_INFO_FOR_LCS] = { { detect_rule_locate_after_identify }, true },
};

/* Known nodes doing their job are neither a scan nor an identity rotation: a configured
 * network's SMSC, an SMS hub, or a configured network that lists no SMSC asking SRI-for-SM
 * before it delivers (an A2P burst asks about every recipient; a popular subscriber gets
 * messages from many SMSCs), and a network allowed sendRoutingInfo (number portability).
 * Recon by a known origin still shows as sri-sm-without-delivery. */
static bool known_asker(struct sw_detector *d, const struct detect_event *ev)
{
	int net = ev->calling.net;

	if (ev->spoofed || net == SW_NET_UNKNOWN || net == SW_NET_HOME)
		return false;
	if (ev->opcode == MAP_OP_SEND_ROUTING_INFO_FOR_SM)
		return ev->calling.role == SW_ROLE_SMSC || sw_netmap_net_is_sms_hub(d->nm, net) ||
		       !sw_netmap_net_has_role(d->nm, net, SW_ROLE_SMSC);
	if (ev->opcode == MAP_OP_SEND_ROUTING_INFO)
		return sw_netmap_net_allows_op(d->nm, net, MAP_OP_SEND_ROUTING_INFO);
	return false;
}

void detect_rules_invoke(struct sw_detector *d, struct detect_event *ev)
{
	const struct op_rules *r;

	detect_rule_anomalies(d, ev);
	detect_rule_transport(d, ev);
	if (!ev->op)
		return;
	r = &op_rules[ev->opcode];
	detect_rules_category(d, ev);
	for (unsigned i = 0; i < 3 && r->rules[i]; i++)
		r->rules[i](d, ev);
	if (r->query && detect_from_outside(ev) && !known_asker(d, ev)) {
		detect_scan(d, ev);
		detect_rotation(d, ev);
	}
}

void detect_rules_result(struct sw_detector *d, struct detect_event *ev)
{
	detect_rule_camel_gsmscf(d, ev);
}

void detect_rules_error(struct sw_detector *d, struct detect_event *ev)
{
	/* a query from outside answered "no such subscriber": the scan rule's error ratio */
	if (ev->req && !(ev->req->flags & SW_TXN_CALLER_HOME) && op_rules[ev->req->opcode].query)
		detect_scan_error(d, sw_gt_key(ev->msg->sccp.called.digits), ev->c->error);
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
