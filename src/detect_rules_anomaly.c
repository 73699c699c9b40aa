/* Anomaly rules: messages that no well-behaved network sends, whoever the subscriber is:
 * TCAP/MAP that does not decode, a Begin without application context, global opcodes, an
 * operation outside its application context, a calling GT on another network's link, and the
 * fingerprints of public attack tools. */
#include <string.h>
#include <ss7watch/detect_priv.h>
#include <ss7watch/alert.h>

/* --- message-level rules --- */

void detect_rules_malformed(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_alert *a;
	enum sw_err e = ev->msg->err;

	/* a frame that is not SS7 at all is not an attack; malformed TCAP/MAP is */
	if (strcmp(sw_err_layer(e), "tcap") && strcmp(sw_err_layer(e), "map"))
		return;
	a = detect_rule_begin(d, SW_RULE_ANOMALY_MALFORMED, ev);
	if (!a)
		return;
	detect_ev_str(a, "layer", sw_err_layer(e));
	detect_ev_str(a, "reason", sw_err_reason(e));
	detect_alert_raise(d, a);
}

void detect_rules_message(struct sw_detector *d, struct detect_event *ev, bool has_invoke)
{
	const struct sw_tcap *t = &ev->msg->tcap;
	/* FS.11: a MAP Begin that opens no dialogue (no AC) from another network */
	if (t->type == SW_TCAP_BEGIN && !t->acn_len && has_invoke && detect_from_outside(ev)) {
		ev->c = &t->comp[0];
		ev->comp_idx = 0;
		ev->opcode = ev->c->sm_dir == MAP_SM_MT ? MAP_OP_MT_FORWARD_SM : ev->c->opcode;
		struct sw_alert *a = detect_rule_begin(d, SW_RULE_ANOMALY_NO_AC, ev);

		if (a) {
			sw_alert_ev_bool(a, "dialogue_portion", t->dialogue != SW_DLG_NONE);
			detect_alert_raise(d, a);
		}
	}
	ev->c = NULL;
}

/* --- invoke rules --- */

/* ss7MAPer sends this callReferenceNumber in every sendRoutingInfo */
static const uint8_t ss7maper_callref[] = { 0x07, 0x00, 0x01, 0x44, 0x28, 0x09, 0x96, 0x1f };

static bool ss7maper_sri_callref(const struct detect_event *ev)
{
	const struct map_param *cr;

	if (ev->c->opcode != MAP_OP_SEND_ROUTING_INFO)
		return false;
	cr = map_param_find(ev->c, MF_CALL_REFERENCE_NUMBER);
	return cr && cr->len == sizeof(ss7maper_callref) && !memcmp(cr->p, ss7maper_callref, cr->len);
}

static bool psl_under_lir(const struct detect_event *ev)
{
	const struct sw_tcap *t = &ev->msg->tcap;

	return ev->c->opcode == MAP_OP_PROVIDE_SUBSCRIBER_LOCATION && t->acn_info &&
	       t->acn_info->ctx == MAP_AC_LOCATION_INFO_RETRIEVAL;
}

/*! A trait of a public attack tool. */
struct tool_trait {
	const char *tool, *trait;
	bool (*match)(const struct detect_event *ev);
	/* the trait is an operation outside its application context: the fingerprint alert
	 * says so, and ac-opcode-mismatch does not write a second line for the same fact */
	bool ac_mismatch;
};

static const struct tool_trait tool_traits[] = {
	{ "ss7MAPer", "fixed callReferenceNumber 0700014428099961f in sendRoutingInfo", ss7maper_sri_callref,
	  false },
	{ "ss7MAPer", "provideSubscriberLocation sent under locationInfoRetrievalContext", psl_under_lir, true },
};

static const struct tool_trait *tool_trait_of(const struct detect_event *ev)
{
	for (unsigned i = 0; i < sizeof(tool_traits) / sizeof(tool_traits[0]); i++)
		if (tool_traits[i].match(ev))
			return &tool_traits[i];
	return NULL;
}


/* The mismatch is a tool's trait and the fingerprint rule will write it, with the mismatch in
 * its evidence: one line for one fact. Counted, so the summary shows what it stands for. */
static bool explained_by_tool(struct sw_detector *d, const struct detect_event *ev)
{
	const struct tool_trait *tt = tool_trait_of(ev);

	if (!tt || !tt->ac_mismatch || !detect_rule_speaks(d, SW_RULE_TOOL_FINGERPRINT, ev))
		return false;
	d->st.explained++;
	return true;
}

void detect_rule_anomalies(struct sw_detector *d, struct detect_event *ev)
{
	const struct sw_tcap *t = &ev->msg->tcap;
	struct sw_alert *a;

	if (ev->c->opcode_global && (a = detect_rule_begin(d, SW_RULE_ANOMALY_GLOBAL_OPCODE, ev))) {
		detect_alert_raise(d, a);
		return;
	}
	if (ev->c->err && (a = detect_rule_begin(d, SW_RULE_ANOMALY_MALFORMED, ev))) {
		detect_ev_str(a, "layer", sw_err_layer(ev->c->err));
		detect_ev_str(a, "reason", sw_err_reason(ev->c->err));
		detect_alert_raise(d, a);
	}
	if (t->acn_info && ev->c->opcode >= 0 && !map_acn_allows(t->acn_info, ev->c->opcode) &&
	    !explained_by_tool(d, ev) && (a = detect_rule_begin(d, SW_RULE_AC_OPCODE_MISMATCH, ev))) {
		detect_ev_str(a, "acn_name", t->acn_info->name);
		sw_alert_ev_int(a, "acn_version", t->acn_version);
		sw_alert_ev_int(a, "opcode", ev->c->opcode);
		detect_alert_raise(d, a);
	}
}

void detect_rule_transport(struct sw_detector *d, struct detect_event *ev)
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
	a = detect_rule_begin(d, SW_RULE_GT_TRANSPORT_MISMATCH, ev);
	if (!a)
		return;
	sw_alert_ev_int(a, "opc", m->opc);
	detect_ev_str(a, "opc_network", sw_netmap_net_name(d->nm, pc_net));
	detect_ev_str(a, "calling_network", ev->calling.net_name);
	detect_alert_raise(d, a);
}

void detect_rule_tool_fingerprint(struct sw_detector *d, struct detect_event *ev)
{
	const struct tool_trait *tt = tool_trait_of(ev);
	const struct sw_tcap *t = &ev->msg->tcap;
	struct sw_alert *a;

	if (!tt || !(a = detect_rule_begin(d, SW_RULE_TOOL_FINGERPRINT, ev)))
		return;
	sw_alert_ev_str(a, "tool", tt->tool);
	sw_alert_ev_str(a, "trait", tt->trait);
	if (tt->ac_mismatch) {
		detect_ev_str(a, "acn_name", t->acn_info->name);
		sw_alert_ev_int(a, "acn_version", t->acn_version);
		sw_alert_ev_int(a, "opcode", ev->c->opcode);
		sw_alert_ev_str(a, "explains", sw_rule_defs[SW_RULE_AC_OPCODE_MISMATCH].id);
	}
	detect_alert_raise(d, a);
}
