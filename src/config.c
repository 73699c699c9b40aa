/* The configuration as data (config.h): its defaults, the lookups the detector makes, and
 * the checks of a whole file after its last line. The VTY commands that fill it, the
 * loader and the writer are in config_vty.c. */
#include <stdio.h>
#include <string.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <ss7watch/config.h>

static const char *const role_names[SW_ROLE__COUNT] = {
	[SW_ROLE_NONE] = "none",
	[SW_ROLE_HLR] = "hlr",
	[SW_ROLE_MSC] = "msc",
	[SW_ROLE_VLR] = "vlr",
	[SW_ROLE_SMSC] = "smsc",
	[SW_ROLE_GSMSCF] = "gsmscf",
	[SW_ROLE_SGSN] = "sgsn",
	[SW_ROLE_GMLC] = "gmlc",
	[SW_ROLE_STP] = "stp",
	[SW_ROLE_EIR] = "eir",
	[SW_ROLE_GGSN] = "ggsn",
};

/* Numeric rule parameters; what they mean is up to the rule (doc/rules.md). */
static const char *const param_names[] = {
	"threshold", "window", "max-speed-kmh", "grace-period", "max-vectors", NULL
};

const struct value_string sw_filter_track_names[] = {
	{ SW_TRACK_ORIGIN, "by-origin" },
	{ SW_TRACK_SUBSCRIBER, "by-subscriber" },
	{ SW_TRACK_RULE, "by-rule" },
	{ 0, NULL }
};

const struct value_string sw_threshold_type_names[] = {
	{ SW_THRESHOLD_LIMIT, "limit" },
	{ SW_THRESHOLD_THRESHOLD, "threshold" },
	{ SW_THRESHOLD_BOTH, "both" },
	{ 0, NULL }
};

const struct value_string sw_rate_action_names[] = {
	{ SW_RATE_PASS, "pass" },
	{ SW_RATE_ESCALATE, "escalate" },
	{ 0, NULL }
};

const struct value_string sw_suppress_kind_names[] = {
	{ SW_SUPPRESS_GT_PREFIX, "gt-prefix" },
	{ SW_SUPPRESS_SUBSCRIBER, "subscriber" },
	{ SW_SUPPRESS_NETWORK, "network" },
	{ 0, NULL }
};

const char *sw_role_name(enum sw_role role)
{
	return role < SW_ROLE__COUNT ? role_names[role] : "none";
}

const char *const *sw_config_param_names(void)
{
	return param_names;
}

/* --- defaults and lookups --- */

struct sw_config *sw_config_alloc(void *ctx)
{
	struct sw_config *cfg = talloc_zero(ctx, struct sw_config);

	if (!cfg)
		return NULL;
	INIT_LLIST_HEAD(&cfg->networks);
	INIT_LLIST_HEAD(&cfg->rules);
	cfg->home.name = talloc_strdup(cfg, SW_CONFIG_HOME_NAME);
	cfg->home.roaming_agreement = true;
	cfg->alerts.log_directory = talloc_strdup(cfg, ".");
	cfg->alerts.eve_file = talloc_strdup(cfg, "eve.json");
	cfg->alerts.filter_entries = SW_CONFIG_FILTER_ENTRIES;
	cfg->alerts.incident_idle_s = SW_CONFIG_INCIDENT_IDLE_S;
	cfg->alerts.incident_max_open = SW_CONFIG_INCIDENT_MAX_OPEN;
	cfg->alerts.incident_subscribers = SW_CONFIG_INCIDENT_SUBSCRIBERS;
	cfg->alerts.stats_interval_s = SW_CONFIG_STATS_INTERVAL_S;
	cfg->alerts.stats_cells = SW_CONFIG_STATS_CELLS;
	cfg->alerts.evidence_frames = SW_CONFIG_EVIDENCE_FRAMES;
	cfg->alerts.evidence_bytes = SW_CONFIG_EVIDENCE_BYTES;
	cfg->alerts.evidence_ring_frames = SW_CONFIG_EVIDENCE_RING_FRAMES;
	cfg->alerts.evidence_ring_bytes = SW_CONFIG_EVIDENCE_RING_BYTES;
	cfg->cluster.subject_prefix = talloc_strdup(cfg, "ss7");
	cfg->cluster.stream_events = talloc_strdup(cfg, "SS7_EVENTS");
	cfg->cluster.stream_alerts = talloc_strdup(cfg, "SS7_ALERTS");
	cfg->cluster.replicas = SW_CLUSTER_REPLICAS;
	cfg->cluster.max_age_s = SW_CLUSTER_MAX_AGE_S;
	cfg->cluster.duplicate_window_s = SW_CLUSTER_DUP_WINDOW_S;
	cfg->cluster.skew_ms = SW_CLUSTER_SKEW_MS;
	cfg->cluster.idle_ms = SW_CLUSTER_IDLE_MS;
	cfg->cluster.max_pending = SW_CLUSTER_MAX_PENDING;
	cfg->cluster.fetch_batch = SW_CLUSTER_FETCH_BATCH;
	cfg->cluster.batch_events = SW_CLUSTER_BATCH_EVENTS;
	cfg->cluster.batch_bytes = SW_CLUSTER_BATCH_BYTES;
	cfg->cluster.batch_ms = SW_CLUSTER_BATCH_MS;
	return cfg;
}

struct sw_config_network *sw_config_network_find(const struct sw_config *cfg, const char *name)
{
	struct sw_config_network *net;

	llist_for_each_entry(net, &cfg->networks, list) {
		if (!strcmp(net->name, name))
			return net;
	}
	return NULL;
}

static struct sw_config_rule *rule_find(const struct sw_config *cfg, const char *id)
{
	struct sw_config_rule *r;

	if (!cfg)
		return NULL;
	llist_for_each_entry(r, &cfg->rules, list) {
		if (!strcmp(r->id, id))
			return r;
	}
	return NULL;
}

const struct sw_config_rule *sw_config_rule_find(const struct sw_config *cfg, const char *rule_id)
{
	return rule_find(cfg, rule_id);
}

uint32_t sw_config_rule_param(const struct sw_config_rule *cr, const char *name, uint32_t def)
{
	if (!cr)
		return def;
	for (unsigned i = 0; i < cr->n_params; i++) {
		if (!strcmp(cr->params[i].name, name))
			return cr->params[i].value;
	}
	return def;
}

struct sw_config_rule_eff sw_config_rule(const struct sw_config *cfg, const char *rule_id, uint8_t default_severity)
{
	const struct sw_config_rule *cr = rule_find(cfg, rule_id);
	struct sw_config_rule_eff eff = { .enabled = true, .severity = default_severity, .cr = cr };

	if (cr && cr->has_enabled)
		eff.enabled = cr->enabled;
	if (cr && cr->severity)
		eff.severity = cr->severity;
	return eff;
}

void sw_config_rule_apply(const struct sw_config_rule *cr, bool *enabled, uint8_t *severity,
			  uint32_t *threshold, uint32_t *window_s)
{
	/* parameter names that feed the generic threshold / window of a rule */
	static const char *const threshold_names[] = { "threshold", "max-speed-kmh", "max-vectors" };
	static const char *const window_names[] = { "window", "grace-period" };

	if (!cr)
		return;
	if (cr->has_enabled)
		*enabled = cr->enabled;
	if (cr->severity)
		*severity = cr->severity;
	for (unsigned i = 0; i < ARRAY_SIZE(threshold_names); i++)
		*threshold = sw_config_rule_param(cr, threshold_names[i], *threshold);
	for (unsigned i = 0; i < ARRAY_SIZE(window_names); i++)
		*window_s = sw_config_rule_param(cr, window_names[i], *window_s);
}

bool sw_config_rule_allows_gt(const struct sw_config_rule *cr, const char *gt_digits)
{
	if (!cr || !gt_digits)
		return false;
	for (unsigned i = 0; i < cr->n_allow_prefixes; i++) {
		const char *p = cr->allow_prefixes[i];

		if (!strncmp(gt_digits, p, strlen(p)))
			return true;
	}
	return false;
}

void sw_config_set_log_directory(struct sw_config *cfg, const char *dir)
{
	talloc_free(cfg->alerts.log_directory);
	cfg->alerts.log_directory = talloc_strdup(cfg, dir);
}

const char *sw_config_eve_path(const struct sw_config *cfg, char *buf, size_t len)
{
	const struct sw_config_alerts *a = &cfg->alerts;

	if (!a->eve_file)
		snprintf(buf, len, "%s", "");
	else if (a->eve_file[0] == '/' || !a->log_directory || !a->log_directory[0])
		snprintf(buf, len, "%s", a->eve_file);
	else
		snprintf(buf, len, "%s/%s", a->log_directory, a->eve_file);
	return buf;
}

/* --- checks after the last line --- */

int sw_config_first_problem(const struct sw_config *cfg, unsigned *line, char *reason, size_t len)
{
	const struct sw_config_network *net;

	*line = 0;
	if (!cfg->has_home) {
		snprintf(reason, len, "no home-network section (its PLMN and GT prefixes are required)");
		return -1;
	}
	if (!cfg->home.n_plmns) {
		*line = cfg->home.line;
		snprintf(reason, len, "home-network has no 'plmn MCC MNC' (needed to know which IMSIs are ours)");
		return -1;
	}
	if (!cfg->home.n_gt_prefixes) {
		*line = cfg->home.line;
		snprintf(reason, len, "home-network has no 'gt-prefix' (needed to know which GTs are ours)");
		return -1;
	}
	llist_for_each_entry(net, &cfg->networks, list) {
		if (net->n_plmns || net->n_gt_prefixes || net->n_nodes || net->n_point_codes)
			continue;
		*line = net->line;
		snprintf(reason, len, "network '%s' has no plmn, gt-prefix, node or point-code: nothing would match it",
			 net->name);
		return -1;
	}
	/* a worker restarted replays max-age of events and publishes their alerts again: the
	 * alerts stream must still know their ids */
	if (cfg->cluster.present && (!cfg->cluster.max_age_s ||
				     cfg->cluster.duplicate_window_s < cfg->cluster.max_age_s)) {
		*line = cfg->cluster.line;
		snprintf(reason, len, "cluster: duplicate-window %u s is shorter than max-age %s%u s: a restarted "
			 "worker would publish alerts the stream no longer recognises", cfg->cluster.duplicate_window_s,
			 cfg->cluster.max_age_s ? "" : "(0, unlimited) ", cfg->cluster.max_age_s);
		return -1;
	}
	/* a certificate is presented in the TLS handshake, which only tls-ca asks for */
	if (cfg->cluster.present && cfg->cluster.tls_cert && !cfg->cluster.tls_ca) {
		*line = cfg->cluster.line;
		snprintf(reason, len, "cluster: tls-cert without tls-ca: give the CA the servers' certificates chain to");
		return -1;
	}
	return 0;
}

int sw_config_validate(const struct sw_config *cfg, char *errbuf, size_t errlen)
{
	unsigned line;
	char reason[256];

	if (!sw_config_first_problem(cfg, &line, reason, sizeof(reason)))
		return 0;
	if (cfg->path && line)
		snprintf(errbuf, errlen, "%s:%u: %s", cfg->path, line, reason);
	else if (cfg->path)
		snprintf(errbuf, errlen, "%s: %s", cfg->path, reason);
	else
		snprintf(errbuf, errlen, "%s", reason);
	return -1;
}
