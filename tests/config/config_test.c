/* Config file test: load doc/examples/ss7watch.cfg and print what was parsed, write it back
 * and read that again (same result), then load broken configs and print each error: every
 * error must name the file, the line and the problem.
 * Usage: config_test [EXAMPLE.cfg] (default: $srcdir/../doc/examples/ss7watch.cfg) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <ss7watch/config.h>

/* A few rules of the catalogue (rules.h) with their defaults: the test does not depend on
 * the rule engine, it registers its own validator as the engine does. */
static const struct {
	const char *id;
	uint8_t severity;
	uint32_t threshold, window_s;
} rules[] = {
	{ "cat1-external", 2, 0, 0 },
	{ "rogue-location-update", 1, 900, 3600 },
	{ "sri-sm-not-from-smsc", 2, 0, 0 },
	{ "auth-vector-harvesting", 1, 5, 0 },
	{ "scan", 2, 50, 60 },
	{ "identity-rotation", 2, 4, 600 },
	{ "gt-transport-mismatch", 2, 0, 0 },
	{ "silent-sms-or-sim-ota", 2, 0, 0 },
	{ "sri-sm-without-delivery", 2, 0, 300 },
	{ "anomaly-malformed", 3, 0, 0 },
	{ "anomaly-begin-without-ac", 3, 0, 0 },
	{ "anomaly-global-opcode", 3, 0, 0 },
	{ "ati-external", 2, 0, 0 },
};

static bool rule_known(const char *id)
{
	for (unsigned i = 0; i < ARRAY_SIZE(rules); i++) {
		if (!strcmp(rules[i].id, id))
			return true;
	}
	return false;
}

static void print_network(const struct sw_config_network *net)
{
	printf("network %u '%s' kinds=0x%02x roaming=%d", net->idx, net->name, net->kinds, net->roaming_agreement);
	if (net->description)
		printf(" (%s)", net->description);
	printf("\n");
	for (unsigned i = 0; i < net->n_plmns; i++)
		printf("  plmn %s\n", osmo_plmn_name(&net->plmns[i]));
	for (unsigned i = 0; i < net->n_gt_prefixes; i++)
		printf("  gt-prefix %s\n", net->gt_prefixes[i]);
	for (unsigned i = 0; i < net->n_nodes; i++)
		printf("  node %s %s\n", sw_role_name(net->nodes[i].role), net->nodes[i].digits);
	for (unsigned i = 0; i < net->n_point_codes; i++)
		printf("  point-code %u\n", net->point_codes[i]);
	for (int op = 0; op < 256; op++) {
		if (net->allowed_ops[op / 8] & (1 << (op % 8)))
			printf("  allowed opcode %d\n", op);
	}
	for (unsigned i = 0; i < net->n_allowed_rules; i++)
		printf("  allowed rule %s\n", net->allowed_rules[i]);
}

/* The alert filters of a rule or of the alerts section, on one line. */
static void print_filters(const struct sw_config_filters *f)
{
	const struct sw_config_threshold *t = &f->threshold;
	const struct sw_config_rate_filter *r = &f->rate;

	if (t->type)
		printf(" threshold=%s/%s/%u/%us", get_value_string(sw_threshold_type_names, t->type),
		       get_value_string(sw_filter_track_names, t->track), t->count, t->seconds);
	if (r->track)
		printf(" rate=%s/%u/%us/%s/%us", get_value_string(sw_filter_track_names, r->track), r->count, r->seconds,
		       get_value_string(sw_rate_action_names, r->new_action), r->timeout);
	for (unsigned i = 0; i < f->n_suppress; i++)
		printf(" suppress=%s:%s", get_value_string(sw_suppress_kind_names, f->suppress[i].kind),
		       f->suppress[i].value);
}

static void print_config(const struct sw_config *cfg)
{
	const struct sw_config_network *net;
	const struct sw_config_rule *r;
	char path[256];

	print_network(&cfg->home);
	llist_for_each_entry(net, &cfg->networks, list)
		print_network(net);
	llist_for_each_entry(r, &cfg->rules, list) {
		printf("rule %s line=%u", r->id, r->line);
		if (r->has_enabled)
			printf(" enabled=%d", r->enabled);
		if (r->severity)
			printf(" severity=%u", r->severity);
		for (unsigned i = 0; i < r->n_params; i++)
			printf(" %s=%u", r->params[i].name, r->params[i].value);
		for (unsigned i = 0; i < r->n_allow_prefixes; i++)
			printf(" allow=%s", r->allow_prefixes[i]);
		print_filters(&r->filters);
		printf("\n");
	}
	printf("alerts eve=%s stdout=%d syslog=%d key_len=%zu queue_kib=%u\n",
	       sw_config_eve_path(cfg, path, sizeof(path)), cfg->alerts.to_stdout, cfg->alerts.to_syslog,
	       cfg->alerts.pseudo_key_len, cfg->alerts.queue_kib);
	printf("alert filters of every rule:");
	print_filters(&cfg->alerts.filters);
	printf("; fold-into-scan=%d filter-entries=%u incident idle=%us max-open=%u subscribers=%u\n",
	       !cfg->alerts.no_fold_into_scan, cfg->alerts.filter_entries, cfg->alerts.incident_idle_s,
	       cfg->alerts.incident_max_open, cfg->alerts.incident_subscribers);
	printf("tracker subscribers=%u transactions=%u timeout=%u identify=%u preallocate=%d\n",
	       cfg->tracker.max_subscribers, cfg->tracker.max_transactions, cfg->tracker.transaction_timeout_s,
	       cfg->tracker.max_identify, cfg->tracker.preallocate);
}

/* What the detector does with a rule's settings. */
static void print_effective(const struct sw_config *cfg)
{
	for (unsigned i = 0; i < ARRAY_SIZE(rules); i++) {
		bool enabled = true;
		uint8_t sev = rules[i].severity;
		uint32_t thr = rules[i].threshold, win = rules[i].window_s;
		struct sw_config_rule_eff eff = sw_config_rule(cfg, rules[i].id, rules[i].severity);

		sw_config_rule_apply(sw_config_rule_find(cfg, rules[i].id), &enabled, &sev, &thr, &win);
		printf("effective %s: enabled=%d severity=%u threshold=%u window=%u (eff: %d %u, %s)\n", rules[i].id,
		       enabled, sev, thr, win, eff.enabled, eff.severity, eff.cr ? "configured" : "defaults");
	}
	printf("allowlist sri-sm-not-from-smsc 491700004912: %d, 491700000401: %d\n",
	       sw_config_rule_allows_gt(sw_config_rule_find(cfg, "sri-sm-not-from-smsc"), "491700004912"),
	       sw_config_rule_allows_gt(sw_config_rule_find(cfg, "sri-sm-not-from-smsc"), "491700000401"));
	printf("rule_param scan window: %u, unknown param: %u\n",
	       sw_config_rule_param(sw_config_rule_find(cfg, "scan"), "window", 1),
	       sw_config_rule_param(sw_config_rule_find(cfg, "scan"), "max-vectors", 7));
}

static char *file_text(void *ctx, const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = talloc_zero_size(ctx, 1 << 16);
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Write cfg, read the result back, and check that writing that gives the same text. */
static void round_trip(void *ctx, const struct sw_config *cfg)
{
	struct sw_config *again;
	char err[512], *a, *b;
	FILE *f = fopen("written.cfg", "w");

	sw_config_write(cfg, f);
	fclose(f);
	a = file_text(ctx, "written.cfg");
	printf("--- written ---\n%s--- end ---\n", a);
	if (sw_config_load(ctx, "written.cfg", &again, err, sizeof(err))) {
		printf("reload failed: %s\n", err);
		return;
	}
	f = fopen("written2.cfg", "w");
	sw_config_write(again, f);
	fclose(f);
	b = file_text(ctx, "written2.cfg");
	printf("round trip: %s\n", strcmp(a, b) ? "DIFFERENT" : "identical");
	unlink("written.cfg");
	unlink("written2.cfg");
}

static const struct {
	const char *what;
	const char *text;
} broken[] = {
	{ "typo in a command",
	  "home-network\n plmn 262 01\n gt-prefx 4917\n" },
	{ "MCC with a letter",
	  "! comment\n\nhome-network\n plmn 26A 01\n" },
	{ "MCC too short",
	  "home-network\n plmn 26 01\n" },
	{ "MNC of one digit",
	  "home-network\n plmn 262 1\n" },
	{ "GT prefix with a letter",
	  "home-network\n plmn 262 01\n gt-prefix 49a7\n" },
	{ "GT prefix with a plus",
	  "home-network\n plmn 262 01\n gt-prefix +4917\n" },
	{ "GT prefix too long",
	  "home-network\n plmn 262 01\n gt-prefix 4917123456789012\n" },
	{ "duplicate network name",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nnetwork fr\n plmn 208 01\nnetwork gb\n plmn 234 15\n"
	  "network fr\n plmn 208 10\n" },
	{ "prefix claimed by two networks",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nnetwork fr\n gt-prefix 3360\nnetwork other\n"
	  " gt-prefix 3360\n" },
	{ "prefix of the home network claimed by a partner",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nnetwork fr\n gt-prefix 4917\n" },
	{ "PLMN claimed by two networks",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nnetwork fr\n plmn 262 01\n" },
	{ "node GT listed twice",
	  "home-network\n plmn 262 01\n gt-prefix 4917\n node hlr 491700000101\n node vlr 491700000101\n" },
	{ "unknown node role",
	  "home-network\n plmn 262 01\n gt-prefix 4917\n node hrl 491700000101\n" },
	{ "unknown network role",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nnetwork x\n role hub\n" },
	{ "severity out of range",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nrule scan\n threshold 10\n severity 5\n" },
	{ "unknown rule",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nrule no-such-rule\n severity 1\n" },
	{ "unknown rule in an exception",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nnetwork x\n gt-prefix 33\n allow rule scna\n" },
	{ "rule configured twice",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nrule scan\n window 60\nrule scan\n window 30\n" },
	{ "threshold not a number",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nrule scan\n threshold many\n" },
	{ "unknown MAP operation",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nnetwork x\n gt-prefix 33\n allow operation sendRoutingInfos\n" },
	{ "bad point code",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nnetwork x\n point-code 9.300.1\n" },
	{ "short pseudonymisation key",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nalerts\n pseudonymise key 0011223344\n" },
	{ "pseudonymisation key not hex",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nalerts\n pseudonymise key 00112233445566778899aabbccddeeXX\n" },
	{ "unknown syslog facility",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nalerts\n syslog local9\n" },
	{ "tracker size out of range",
	  "home-network\n plmn 262 01\n gt-prefix 4917\ntracker\n subscribers-max 10\n" },
	{ "tracker size not a number",
	  "home-network\n plmn 262 01\n gt-prefix 4917\ntracker\n transactions-max 1e6\n" },
	{ "alert queue too small",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nalerts\n queue-size 8\n" },
	{ "alert queue not a number",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nalerts\n queue-size 4M\n" },
	{ "threshold type unknown",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nrule scan\n alert-threshold type once track by-origin count 1 "
	  "seconds 60\n" },
	{ "threshold count zero",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nalerts\n alert-threshold type limit track by-rule count 0 "
	  "seconds 60\n" },
	{ "threshold window not a number",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nrule scan\n alert-threshold type both track by-subscriber "
	  "count 3 seconds 1m\n" },
	{ "rate-filter timeout out of range",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nrule scan\n rate-filter track by-origin count 3 seconds 60 "
	  "new-action pass timeout 0\n" },
	{ "rate-filter unknown action",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nrule scan\n rate-filter track by-origin count 3 seconds 60 "
	  "new-action drop timeout 60\n" },
	{ "suppress an unknown network",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nalerts\n suppress network nowhere\n" },
	{ "suppress a subscriber that is not a number",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nrule scan\n suppress subscriber 26201abc\n" },
	{ "suppress listed twice",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nrule scan\n suppress gt-prefix 882\n suppress gt-prefix 882\n" },
	{ "incident idle-timeout zero",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nalerts\n incident idle-timeout 0\n" },
	{ "preallocate with an argument",
	  "home-network\n plmn 262 01\n gt-prefix 4917\ntracker\n preallocate yes\n" },
	{ "incomplete command",
	  "home-network\n plmn 262\n" },
	{ "command of another section",
	  "home-network\n plmn 262 01\n gt-prefix 4917\n roaming-agreement\n" },
	{ "bad indentation",
	  "home-network\n  plmn 262 01\n gt-prefix 4917\n" },
	{ "home-network twice",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nhome-network\n plmn 262 02\n" },
	{ "missing home-network",
	  "network fr\n plmn 208 01\n\n! end\n" },
	{ "home-network without PLMN",
	  "! our network\nhome-network\n gt-prefix 4917\n" },
	{ "home-network without GT prefix",
	  "\nhome-network\n plmn 262 01\n" },
	{ "network that matches nothing",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nnetwork empty\n roaming-agreement\n" },
	{ "invalid network name",
	  "home-network\n plmn 262 01\n gt-prefix 4917\nnetwork bad/name\n" },
	{ "empty file",
	  "" },
	{ "write file in a config",
	  "home-network\n plmn 262 01\n gt-prefix 4917\n write file broken.cfg.written\n" },
	{ "indented first command, a less indented one after it (libosmovty 1.7 looped forever)",
	  "! comment\n  hostname x\nhome-network\n plmn 262 01\n gt-prefix 4917\n" },
	{ "copy running-config in a config, abbreviated",
	  "home-network\n plmn 262 01\n gt-prefix 4917\ncop running-config startup-config\n" },
};

static void broken_configs(void *ctx)
{
	struct sw_config *cfg;
	char err[512];

	for (unsigned i = 0; i < ARRAY_SIZE(broken); i++) {
		FILE *f = fopen("broken.cfg", "w");

		fputs(broken[i].text, f);
		fclose(f);
		if (!sw_config_load(ctx, "broken.cfg", &cfg, err, sizeof(err))) {
			printf("%s: LOADED (expected an error)\n", broken[i].what);
			talloc_free(cfg);
			continue;
		}
		printf("%s: %s\n", broken[i].what, err);
	}
	unlink("broken.cfg");
	if (sw_config_load(ctx, "does-not-exist.cfg", &cfg, err, sizeof(err)))
		printf("missing file: %s\n", err);
}

int main(int argc, char **argv)
{
	void *ctx = talloc_named_const(NULL, 0, "config_test");
	const char *srcdir = getenv("srcdir");
	char example[1024], tmpdir[] = "/tmp/config_test.XXXXXX", *abs_example;
	struct sw_config *cfg;
	char err[512];

	if (argc > 1)
		snprintf(example, sizeof(example), "%s", argv[1]);
	else
		snprintf(example, sizeof(example), "%s/../doc/examples/ss7watch.cfg", srcdir ? srcdir : ".");
	/* absolute, as the test changes directory before writing back */
	abs_example = realpath(example, NULL);
	if (!abs_example) {
		perror(example);
		return 1;
	}
	sw_config_set_rule_validator(rule_known);

	if (sw_config_load(ctx, abs_example, &cfg, err, sizeof(err))) {
		printf("example config does not load: %s\n", err);
		return 1;
	}
	printf("=== doc/examples/ss7watch.cfg ===\n");
	print_config(cfg);
	print_effective(cfg);

	/* the rest works on relative file names, so the messages do not depend on the tree */
	if (!mkdtemp(tmpdir) || chdir(tmpdir)) {
		perror(tmpdir);
		return 1;
	}
	printf("=== write and read back ===\n");
	round_trip(ctx, cfg);
	/* settings the example leaves commented out */
	{
		FILE *f = fopen("small.cfg", "w");
		struct sw_config *small;

		fputs("home-network\n plmn 262 01\n gt-prefix 4917\nalerts\n queue-size 1024\n"
		      "tracker\n subscribers-max 2000000\n preallocate\n", f);
		fclose(f);
		printf("=== queue-size and preallocate ===\n");
		if (sw_config_load(ctx, "small.cfg", &small, err, sizeof(err))) {
			printf("small.cfg does not load: %s\n", err);
		} else {
			printf("queue_kib=%u preallocate=%d subscribers=%u\n", small->alerts.queue_kib,
			       small->tracker.preallocate, small->tracker.max_subscribers);
			round_trip(ctx, small);
		}
		unlink("small.cfg");
	}
	printf("=== broken configs ===\n");
	broken_configs(ctx);
	if (chdir("/") || rmdir(tmpdir))
		perror(tmpdir);
	free(abs_example);
	talloc_free(ctx);
	return 0;
}
