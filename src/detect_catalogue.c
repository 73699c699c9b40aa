/* The rule catalogue as data: see rules.h and doc/rules.md. */
#include <string.h>
#include <ss7watch/config.h>
#include <ss7watch/rules.h>

const struct sw_rule_def sw_rule_defs[SW_RULE__COUNT] = {
#define X(e, _id, _sid, _rev, _name, _cat, _threat, _sev, _thr, _win) \
	[SW_RULE_##e] = { .id = _id, .sid = _sid, .rev = _rev, .name = _name, .category = _cat, .threat = _threat, \
			  .severity = _sev, .threshold = _thr, .window_s = _win },
	SW_RULES(X)
#undef X
};

int sw_rule_by_id(const char *id)
{
	for (int i = 0; i < SW_RULE__COUNT; i++)
		if (!strcmp(sw_rule_defs[i].id, id))
			return i;
	return -1;
}

unsigned sw_rules_enabled(const struct sw_config *cfg)
{
	unsigned n = 0;

	for (int i = 0; i < SW_RULE__COUNT; i++)
		n += sw_config_rule(cfg, sw_rule_defs[i].id, sw_rule_defs[i].severity).enabled;
	return n;
}
