/* SMS rules: SRI-for-SM from an origin that is no SMSC, and what an MT-forwardSM from outside
 * delivers (silent SMS, SIM OTA) or skipped (the SRI-for-SM before it). */
#include <ss7watch/detect_priv.h>
#include <ss7watch/alert.h>

/* TP-Protocol-Identifier values (3GPP TS 23.040 9.2.3.9) */
#define TP_PID_SM_TYPE_0		0x40	/* silent: acknowledged, not shown */
#define TP_PID_SIM_DATA_DOWNLOAD	0x7f

void detect_rule_sri_sm_origin(struct sw_detector *d, struct detect_event *ev)
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
	a = detect_rule_begin(d, SW_RULE_SRI_SM_NOT_SMSC, ev);
	if (!a)
		return;
	sw_alert_ev_str(a, "reason", ev->spoofed ? "home GT on another network's link"
				     : ev->calling.net == SW_NET_HOME ? "home GT that is not an SMSC"
				     : "network not known as an SMS origin");
	detect_alert_raise(d, a);
}

void detect_rule_sms_delivery(struct sw_detector *d, struct detect_event *ev)
{
	const struct map_param *pid = map_param_find(ev->c, MF_TP_PID);
	const struct map_param *dcs = map_param_find(ev->c, MF_TP_DCS);
	const struct sw_ident *id;
	struct sw_alert *a;
	uint32_t e;
	bool silent = pid && pid->u == TP_PID_SM_TYPE_0;
	bool ota = pid && pid->u == TP_PID_SIM_DATA_DOWNLOAD;
	bool class2_binary = false;

	if (!detect_from_outside(ev))
		return;
	if (dcs) {
		uint8_t v = dcs->u;

		/* general data coding with class (00x1 xxxx) or data coding/class (1111 xxxx),
		 * 8-bit data, class 2 (SIM specific) */
		if (((v & 0xd0) == 0x10 && (v & 0x0c) == 0x04 && (v & 3) == 2) ||
		    ((v & 0xf0) == 0xf0 && (v & 0x04) && (v & 3) == 2))
			class2_binary = true;
	}
	if ((silent || ota || class2_binary) && (a = detect_rule_begin(d, SW_RULE_SILENT_SMS, ev))) {
		if (!silent)
			a->threat = "interception";
		if (pid)
			sw_alert_ev_int(a, "tp_pid", pid->u);
		if (dcs)
			sw_alert_ev_int(a, "tp_dcs", dcs->u);
		sw_alert_ev_str(a, "kind", silent ? "silent SMS (type 0)" : "SIM OTA / SIM data download");
		detect_alert_raise(d, a);
	}
	/* an SMSC outside delivers after its own SRI-for-SM was answered: each origin that asked
	 * (a hub's GT pool, a partner's SMSCs as one) is remembered, several deliver at once */
	if (!ev->home_imsi || !ev->sub)
		return;
	id = sw_ident_find(d->idents, ev->sub->imsi, detect_origin_key(&ev->calling, ev->msg->sccp.calling.digits),
			   MAP_OP_SEND_ROUTING_INFO_FOR_SM);
	if (id && (int32_t)(ev->now - id->time) <= (int32_t)d->rules[SW_RULE_MTFSM_WITHOUT_SRI_SM].window_s)
		return;
	if (!id && (e = sw_ident_evicted_time(d->idents, ev->sub->imsi)) &&
	    (int32_t)(ev->now - e) <= (int32_t)d->rules[SW_RULE_MTFSM_WITHOUT_SRI_SM].window_s) {
		/* its SRI-for-SM may have been evicted from a full bucket: we cannot tell */
		d->st.mtfsm_unknown++;
		return;
	}
	if ((a = detect_rule_begin(d, SW_RULE_MTFSM_WITHOUT_SRI_SM, ev))) {
		sw_alert_ev_int(a, "window_s", d->rules[SW_RULE_MTFSM_WITHOUT_SRI_SM].window_s);
		detect_alert_raise(d, a);
	}
}
