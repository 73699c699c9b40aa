/* Whether a rule speaks for an event, shared by every rule family: the rule is on, no roaming
 * agreement of the calling network allows the operation or exempts the rule, and the rule's
 * allowlist does not name the calling GT. Then the alert starts (detect_alert.c). */
#include <ss7watch/detect_priv.h>
#include <ss7watch/config.h>

/* The calling network has an agreement that lets it send this operation or skip this rule. */
static bool network_allows(const struct sw_detector *d, const struct detect_event *ev, enum sw_rule rule)
{
	if (ev->calling.net == SW_NET_HOME || ev->calling.net == SW_NET_UNKNOWN || ev->spoofed)
		return false;
	if (ev->c && ev->opcode >= 0 && sw_netmap_net_allows_op(d->nm, ev->calling.net, ev->opcode))
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

bool detect_rule_speaks(const struct sw_detector *d, enum sw_rule rule, const struct detect_event *ev)
{
	return d->rules[rule].enabled && !network_allows(d, ev, rule) && !rule_allowlisted(d, ev, rule);
}

/* A rule that is on but an agreement or its allowlist silences is counted. */
static bool suppressed(struct sw_detector *d, const struct detect_event *ev, enum sw_rule rule)
{
	if (detect_rule_speaks(d, rule, ev))
		return false;
	if (d->rules[rule].enabled)
		d->st.suppressed++;
	return true;
}

struct sw_alert *detect_rule_begin(struct sw_detector *d, enum sw_rule rule, const struct detect_event *ev)
{
	if (suppressed(d, ev, rule))
		return NULL;
	return detect_alert_begin(d, rule, ev);
}
