/* ss7watch: SS7/MAP signalling anomaly detector. Command line and the replay data path:
 * input (pcap) -> decode -> [dump | stats | track -> detect -> alerts]. */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <signal.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/utils.h>
#include <ss7watch/output_sink.h>
#include <ss7watch/output_incident.h>
#include <ss7watch/output_traffic.h>
#include <ss7watch/output_evidence.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/hash.h>
#include <ss7watch/config.h>
#include <ss7watch/daemon.h>
#include <ss7watch/decode.h>
#include <ss7watch/detect.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/input_pcap.h>
#include <ss7watch/rules.h>
#include <ss7watch/track_ident.h>
#include <ss7watch/track_subscr.h>
#include <ss7watch/track_pairing.h>
#include <ss7watch/output_stats.h>
#include <ss7watch/cluster.h>

enum run_mode {
	MODE_DETECT,
	MODE_DUMP,
	MODE_STATS,
};

static struct {
	enum run_mode mode;
	bool verbose;
	bool summary;
	bool daemonize;
	bool check_config;
	bool list_rules;
	const char *config_file;
	const char *output;
	const char *log_dir;
	const char *filter;
	const char *stats_interval;	/* --stats-interval: SECONDS or "off" */
	const char *evidence_dir;	/* --evidence-dir */
	uint8_t pc_format;
	const char *files[256];
	unsigned n_files;
	const char *site;		/* --site NAME: cluster sensor */
	int worker;			/* --worker N: cluster worker */
	bool collect;			/* --collect: cluster collector */
} opts;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ss7watch [options] -r FILE|DIR [-r FILE|DIR ...]\n"
		"       ss7watch -c FILE [-D] [-o FILE] [-l DIR] [-v]   (daemon: the inputs of the config file)\n"
		"       ss7watch -T -c FILE [-r ...]     check the configuration and exit\n"
		"       ss7watch --list-rules [-c FILE]  print the rule catalogue and exit\n"
		"SS7/MAP signalling anomaly detector.\n\n"
		"Modes:\n"
		"  (default)            detect: track subscribers and write alerts (needs -c)\n"
		"      --dump           print one JSON line per TCAP component (a MAP log of the trace)\n"
		"      --stats          decode everything and print only the counters\n\n"
		"Options:\n"
		"  -r, --read FILE|DIR  read a pcap or pcapng file ('-' for standard input), or every capture\n"
		"                       of a directory in name order; repeatable\n"
		"  -F, --filter EXPR    replay only the frames this BPF expression accepts (tcpdump syntax,\n"
		"                       pcap-filter(7)); the others keep their frame numbers\n"
		"  -c, --config FILE    configuration file (Osmocom VTY syntax)\n"
		"  -T, --check-config   check the configuration for the mode the other options select\n"
		"                       (the daemon without -r) and exit: 0, or 1 with FILE:LINE: reason\n"
		"      --list-rules     print the rules: id, sid, rev, category, threat, severity, enabled\n"
		"                       (with -c as the configuration sets them), and exit\n"
		"  -D, --daemonize      daemon: fork into the background\n"
		"  -o, --output FILE    alert output file ('-' for standard output)\n"
		"  -l, --log-dir DIR    alert directory instead of the config's log-directory\n"
		"      --summary        print alerts by rule, threat and calling network at the end\n"
		"      --stats-interval SECONDS|off\n"
		"                       write a \"stats\" event every SECONDS of capture time and at the end\n"
		"                       (0: only at the end; off: none), instead of the config's\n"
		"      --evidence-dir DIR\n"
		"                       write each incident's alerted frames to DIR/<incident_id>.pcap\n"
		"                       (instead of the config's evidence-directory)\n"
		"      --pc-format FMT  MTP3 point codes: itu (14 bit, default) or 24bit (ANSI/China/Japan)\n"
		"\nCluster (NATS JetStream, the config's cluster section; doc/cluster.md):\n"
		"      --site NAME      sensor: publish every SCCP message of the -r captures as site NAME;\n"
		"                       without -r, of the config's inputs, live (the daemon's cs7, pcap, file)\n"
		"      --worker N       worker N: detect on the events of every site, publish the alerts\n"
		"      --collect        collector: append every alert once to -o FILE\n"
		"                       (none of the three: the cluster section's 'role', if any)\n\n"
		"  -v, --verbose        print the decoder counters on stderr at exit\n"
		"  -V, --version        print the version\n"
		"  -h, --help           this help\n");
}

static void die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "ss7watch: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'ss7watch --help'.\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	enum { OPT_DUMP = 256, OPT_STATS, OPT_SUMMARY, OPT_PC_FORMAT, OPT_LIST_RULES, OPT_STATS_INTERVAL,
	       OPT_EVIDENCE_DIR, OPT_SITE, OPT_WORKER, OPT_COLLECT };
	static const struct option long_opts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "filter", required_argument, NULL, 'F' },
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'T' },
		{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
		{ "output", required_argument, NULL, 'o' },
		{ "log-dir", required_argument, NULL, 'l' },
		{ "daemonize", no_argument, NULL, 'D' },
		{ "dump", no_argument, NULL, OPT_DUMP },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "pc-format", required_argument, NULL, OPT_PC_FORMAT },
		{ "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
		{ "evidence-dir", required_argument, NULL, OPT_EVIDENCE_DIR },
		{ "site", required_argument, NULL, OPT_SITE },
		{ "worker", required_argument, NULL, OPT_WORKER },
		{ "collect", no_argument, NULL, OPT_COLLECT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "r:F:c:To:l:DvVh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (opts.n_files >= sizeof(opts.files) / sizeof(opts.files[0]))
				die_usage("too many input files (at most 256): %s", optarg);
			opts.files[opts.n_files++] = optarg;
			break;
		case 'F':
			opts.filter = optarg;
			break;
		case 'c':
			opts.config_file = optarg;
			break;
		case 'T':
			opts.check_config = true;
			break;
		case OPT_LIST_RULES:
			opts.list_rules = true;
			break;
		case 'o':
			opts.output = optarg;
			break;
		case 'l':
			opts.log_dir = optarg;
			break;
		case 'D':
			opts.daemonize = true;
			break;
		case OPT_DUMP:
			opts.mode = MODE_DUMP;
			break;
		case OPT_STATS:
			opts.mode = MODE_STATS;
			break;
		case OPT_SUMMARY:
			opts.summary = true;
			break;
		case OPT_STATS_INTERVAL:
			opts.stats_interval = optarg;
			break;
		case OPT_EVIDENCE_DIR:
			opts.evidence_dir = optarg;
			break;
		case OPT_SITE:
			if (!sw_cluster_site_valid(optarg))
				die_usage("--site: '%s' is not a site name (1-63 letters, digits, '_' or '-')", optarg);
			opts.site = optarg;
			break;
		case OPT_WORKER: {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (!*optarg || *end || n < 1 || n > 999 || strspn(optarg, "0123456789") != strlen(optarg))
				die_usage("--worker: '%s' is not a worker number (1-999)", optarg);
			opts.worker = (int)n;
			break;
		}
		case OPT_COLLECT:
			opts.collect = true;
			break;
		case OPT_PC_FORMAT:
			if (!strcmp(optarg, "itu"))
				opts.pc_format = SW_PC_ITU14;
			else if (!strcmp(optarg, "24bit") || !strcmp(optarg, "ansi"))
				opts.pc_format = SW_PC_24BIT;
			else
				die_usage("--pc-format: '%s' is neither 'itu' nor '24bit'", optarg);
			break;
		case 'v':
			opts.verbose = true;
			break;
		case 'V':
			printf("ss7watch %s\n", PACKAGE_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			fprintf(stderr, "Try 'ss7watch --help'.\n");
			exit(2);
		}
	}
	if ((opts.site != NULL) + (opts.worker != 0) + opts.collect > 1)
		die_usage("%s", "--site, --worker and --collect are different processes: give one");
	if (opts.site && opts.mode == MODE_DUMP)
		die_usage("%s", "--site publishes events, --dump prints them: give one");
	if ((opts.worker || opts.collect) && (opts.mode != MODE_DETECT || opts.n_files))
		die_usage("%s", "--worker and --collect read the cluster's streams: no -r, --dump or --stats");
	if (optind < argc)
		die_usage("unexpected argument '%s' (input files go after -r, a BPF filter after -F)", argv[optind]);
	if (opts.check_config && !opts.config_file)
		die_usage("%s", "-T checks a configuration: give -c FILE");
	if (opts.check_config && opts.mode != MODE_DETECT)
		die_usage("%s", "-T checks a configuration, and --dump and --stats use none");
	if (opts.filter && !opts.n_files)
		die_usage("%s", "-F filters the captures read with -r (a live capture's filter is the 'filter' "
			  "line of its 'input pcap' in the config)");
	if (opts.log_dir && opts.mode != MODE_DETECT)
		die_usage("%s", "-l says where alerts go; --dump and --stats write none");
	if (opts.evidence_dir && opts.mode != MODE_DETECT)
		die_usage("%s", "--evidence-dir writes the frames of incidents; --dump and --stats raise none");
	if (opts.stats_interval && opts.mode != MODE_DETECT)
		die_usage("%s", "--stats-interval says when stats events go with the alerts; --dump and --stats write none");
}

/* --stats-interval over the config's stats-interval. Exits with status 2 on a bad value. */
static void apply_stats_interval(struct sw_config *cfg)
{
	const char *s = opts.stats_interval;
	char *end;
	unsigned long v;

	if (!s)
		return;
	if (!strcmp(s, "off")) {
		cfg->alerts.no_stats = true;
		return;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || strspn(s, "0123456789") != strlen(s) || v > SW_STATS_INTERVAL_MAX)
		die_usage("--stats-interval: '%s' is not a number of seconds (0-604800) or 'off'", s);
	cfg->alerts.no_stats = false;
	cfg->alerts.stats_interval_s = (uint32_t)v;
}

/* -l DIR must exist, as the alert file is opened in it. Exits with status 1 when not. */
static void check_log_dir(void)
{
	struct stat st;

	if (!opts.log_dir)
		return;
	if (stat(opts.log_dir, &st) < 0) {
		fprintf(stderr, "ss7watch: -l %s: %s\n", opts.log_dir, strerror(errno));
		exit(1);
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "ss7watch: -l %s: not a directory\n", opts.log_dir);
		exit(1);
	}
}

/* --dump lines that could not be written (no memory for a very long one): said at the end */
static uint64_t dump_lines_lost;

static void on_msg_dump(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	dump_lines_lost += sw_dump_msg(stdout, msg);
}

static void handle_stop_signal(int sig)
{
	sw_pcap_replay_stop();
}

static void handle_hup_signal(int sig)
{
	/* logrotate moved the file: the next alert goes to a new one */
	sw_alert_sink_request_reopen();
}

static bool rule_id_valid(const char *id)
{
	return sw_rule_by_id(id) >= 0;
}

/* The replay's configuration (-l applied). Exits with one clear line on any error. */
static struct sw_config *load_replay_config(void *ctx)
{
	struct sw_config *cfg;
	char err[512];

	if (!opts.config_file)
		die_usage("%s", "detection needs a configuration: -c FILE (see doc/examples/ss7watch.cfg), "
			  "or use --dump / --stats");
	sw_config_set_rule_validator(rule_id_valid);
	if (sw_config_load(ctx, opts.config_file, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "ss7watch: %s\n", err);
		exit(1);
	}
	if (opts.log_dir)
		sw_config_set_log_directory(cfg, opts.log_dir);
	apply_stats_interval(cfg);
	return cfg;
}

/* -T with -r: what the replay reads and builds before it opens its alert output. */
static int check_replay_config(void *ctx)
{
	struct sw_config *cfg = load_replay_config(ctx);
	struct sw_detector *det;
	char err[512];

	det = sw_detector_alloc(ctx, cfg, NULL, NULL, err, sizeof(err));
	if (!det) {
		fprintf(stderr, "ss7watch: %s: %s\n", opts.config_file, err);
		return 1;
	}
	printf("ss7watch: %s: configuration OK (replay: %u of %u rules enabled)\n", opts.config_file,
	       sw_rules_enabled(cfg), SW_RULE__COUNT);
	return 0;
}

/* --list-rules: the catalogue, with -c as the configuration sets it (severity, enabled). */
static int list_rules(void *ctx)
{
	struct sw_config *cfg = NULL;

	if (opts.config_file) {
		/* the daemon's loader: it reads every section, cs7 and inputs included */
		cfg = sw_daemon_config_load(ctx, opts.config_file);
		if (!cfg)
			return 1;
	}
	printf("%-30s %-8s %-3s %-12s %-18s %-8s %-7s %s\n", "ID", "SID", "REV", "CATEGORY", "THREAT",
	       "SEVERITY", "ENABLED", "NAME");
	for (unsigned i = 0; i < SW_RULE__COUNT; i++) {
		const struct sw_rule_def *r = &sw_rule_defs[i];
		struct sw_config_rule_eff eff = { .enabled = true, .severity = r->severity };

		if (cfg)
			eff = sw_config_rule(cfg, r->id, r->severity);
		printf("%-30s %-8u %-3u %-12s %-18s %-8u %-7s %s\n", r->id, r->sid, r->rev, r->category,
		       r->threat, eff.severity, eff.enabled ? "yes" : "no", r->name);
	}
	return 0;
}

/* The alert path of detection mode: detector -> filters -> incidents -> sink. */
static struct {
	struct sw_alert_sink *sink;
	struct sw_incidents *incidents;
	struct sw_threshold *filters;
	struct sw_traffic *traffic;	/* NULL: no stats events */
	struct sw_evidence *evidence;	/* NULL: no evidence pcaps */
	struct sw_decoder *dec;
} path;

/* The decoder counters of a stats event: replay has one decoder. */
static void replay_decoder_stats(void *priv, struct sw_stats *out)
{
	if (path.dec)
		sw_stats_add(out, &path.dec->st);
}

/* Detection mode's on_msg: capture time moves the stats interval before the detector counts
 * the message's components into it. */
static void on_msg_detect(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	if (path.traffic)
		sw_traffic_advance(path.traffic, &msg->meta.ts);
	if (path.evidence)
		sw_evidence_message(path.evidence, msg);
	sw_detector_on_msg(dec, msg, priv);
}

/* Detection mode: the config, the alert sink (-o overrides the config's outputs), the
 * filter and incident stages and the detector. Exits with one clear line on any error. */
static struct sw_detector *setup_detection(void *ctx)
{
	struct sw_incident_cfg icfg;
	struct sw_alert_sink_cfg scfg = { 0 };
	struct sw_config *cfg = load_replay_config(ctx);
	struct sw_detector *det;
	char err[512], eve[512];

	if (opts.output) {
		scfg.path = opts.output;
	} else {
		scfg.path = *sw_config_eve_path(cfg, eve, sizeof(eve)) ? eve : NULL;
		if (cfg->alerts.to_stdout)
			scfg.path = scfg.path ? scfg.path : "-";
		scfg.syslog = cfg->alerts.to_syslog;
		scfg.syslog_facility = cfg->alerts.syslog_facility;
	}
	scfg.pseudo_key = cfg->alerts.pseudo_key;
	scfg.pseudo_key_len = cfg->alerts.pseudo_key_len;
	scfg.pseudo_keep_location = cfg->alerts.pseudo_keep_location;
	scfg.summary = true;
	path.sink = sw_alert_sink_open(ctx, &scfg, err, sizeof(err));
	if (!path.sink) {
		fprintf(stderr, "ss7watch: %s\n", err);
		exit(1);
	}
	/* incident ids count from 1 in every replay: the same input gives the same ids */
	icfg = sw_incident_cfg_from(cfg, 0);
	if (opts.evidence_dir || cfg->alerts.evidence_directory) {
		struct sw_evidence_cfg ecfg = sw_evidence_cfg_from(cfg, opts.evidence_dir);

		path.evidence = sw_evidence_alloc(ctx, &ecfg, sw_alert_sink_emit, path.sink, err, sizeof(err));
		if (!path.evidence) {
			fprintf(stderr, "ss7watch: %s\n", err);
			exit(1);
		}
	}
	path.incidents = sw_incidents_alloc(ctx, &icfg, path.evidence ? sw_evidence_emit : sw_alert_sink_emit,
					    path.evidence ? (void *)path.evidence : path.sink, sw_alert_sink_write_event,
					    path.sink);
	if (!path.incidents) {
		fprintf(stderr, "ss7watch: out of memory allocating the incident table\n");
		exit(1);
	}
	sw_incidents_set_evidence(path.incidents, path.evidence);
	path.filters = sw_threshold_alloc(ctx, cfg, sw_incidents_emit, path.incidents, err, sizeof(err));
	if (!path.filters) {
		fprintf(stderr, "ss7watch: %s\n", err);
		exit(1);
	}
	det = sw_detector_alloc(ctx, cfg, sw_threshold_emit, path.filters, err, sizeof(err));
	if (!det) {
		fprintf(stderr, "ss7watch: %s: %s\n", opts.config_file, err);
		exit(1);
	}
	if (!cfg->alerts.no_stats) {
		struct sw_traffic_cfg tcfg = sw_traffic_cfg_from(cfg);
		struct sw_traffic_sources src = {
			.decoder_stats = replay_decoder_stats, .sink = path.sink, .filters = path.filters,
			.incidents = path.incidents,
		};

		path.traffic = sw_traffic_alloc(ctx, &tcfg, &src, sw_alert_sink_write_event, path.sink);
		if (!path.traffic) {
			fprintf(stderr, "ss7watch: out of memory allocating the traffic table\n");
			exit(1);
		}
		sw_detector_set_component_hook(det, sw_traffic_count, path.traffic);
	}
	return det;
}

static void print_detector_summary(FILE *f, struct sw_detector *det)
{
	const struct sw_detector_stats *st = sw_detector_stats(det);
	const struct sw_threshold_stats *ft = sw_threshold_stats(path.filters);
	const struct sw_incident_stats *is = sw_incidents_stats(path.incidents);
	struct sw_gt_stats gst;
	struct sw_ident_stats ist;

	sw_gt_table_stats(sw_detector_gts(det), &gst);
	sw_ident_table_stats(sw_detector_idents(det), &ist);
	fprintf(f, "messages %llu, components %llu, alerts %llu\n", (unsigned long long)st->messages,
		(unsigned long long)st->components, (unsigned long long)st->alerts);
	/* what the bounded tables dropped: rules keep working, with less history */
	fprintf(f, "tables: global titles %u (%llu refused, table full), identify steps %u (%llu evicted), "
		"windows evicted %llu scan, %llu rotation, SRI-for-SM watches lost %llu, deliveries not judged %llu\n",
		gst.count, (unsigned long long)gst.full, ist.count, (unsigned long long)ist.evictions,
		(unsigned long long)st->origin_evictions, (unsigned long long)st->target_evictions,
		(unsigned long long)st->sri_sm_watch_lost, (unsigned long long)st->mtfsm_unknown);
	fprintf(f, "hash seed 0x%016" PRIx64 " (%s; %s=0x%016" PRIx64 " repeats this run)\n",
		sw_hash_seed(), sw_hash_seed_fixed() ? "from the environment" : "random",
		SW_HASH_SEED_ENV, sw_hash_seed());
	sw_alert_sink_summary(path.sink, f);
	fprintf(f, "Not written by the alert filters: %llu (suppress %llu, threshold %llu, rate-filter %llu, "
		"folded into scan %llu)\n", (unsigned long long)sw_threshold_filtered(path.filters),
		(unsigned long long)ft->suppressed, (unsigned long long)ft->thresholded,
		(unsigned long long)ft->rate_filtered, (unsigned long long)ft->folded);
	for (unsigned r = 0; r < SW_RULE__COUNT; r++)
		if (ft->filtered_by_rule[r])
			fprintf(f, "  %8llu  %s\n", (unsigned long long)ft->filtered_by_rule[r], sw_rule_defs[r].id);
	fprintf(f, "Explained by a more specific rule on the same message: %llu\n",
		(unsigned long long)st->explained);
	fprintf(f, "Incidents: %llu\n", (unsigned long long)is->opened);
	if (path.evidence) {
		char line[512];

		sw_evidence_summary(path.evidence, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
}

/* Alerts and stats events name the file being replayed. */
static void name_input(struct sw_detector *det, const char *file)
{
	if (det)
		sw_detector_set_input(det, file, false);
	if (path.traffic)
		sw_traffic_set_input(path.traffic, file, false);
	/* frame numbers start again with every file */
	if (path.evidence)
		sw_evidence_new_input(path.evidence);
}

/* Replay one -r argument: a capture file, or every capture of a directory in name order (the
 * alerts name each file). \returns 0, or 1 after printing the reason. */
static int replay_path(void *ctx, struct sw_decoder *dec, struct sw_detector *det, const char *path)
{
	char err[512], **files = NULL;
	struct stat st;
	int n = 1, rc = 0;

	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		n = sw_pcap_dir_list(ctx, path, &files, err, sizeof(err));
		if (n <= 0) {
			if (!n)
				snprintf(err, sizeof(err), "%s: no pcap or pcapng file in the directory", path);
			fprintf(stderr, "ss7watch: %s\n", err);
			return 1;
		}
	}
	for (int i = 0; i < n && rc == 0; i++) {
		const char *file = files ? files[i] : path;

		name_input(det, file);
		if (sw_pcap_replay(dec, file, opts.filter, err, sizeof(err)) < 0) {
			fprintf(stderr, "ss7watch: %s\n", err);
			rc = 1;
		}
	}
	/* files stays: the detector names the last one in alerts of the final flush */
	return rc;
}

static const struct log_info_cat log_cats[] = {};
static const struct log_info log_info = {
	.cat = log_cats,
	.num_cat = 0,
};

/* a global root, so an exit() on a bad argument leaves nothing unreachable behind */
static void *root_ctx;

/* No -r: the daemon reads its inputs from the config file (daemon.c); with --site it
 * publishes them as a cluster sensor instead of detecting. */
static int run_daemon(void *ctx)
{
	struct sw_daemon_opts d = {
		.config_file = opts.config_file,
		.check_only = opts.check_config,
		.output = opts.output,
		.log_dir = opts.log_dir,
		.daemonize = opts.daemonize,
		.verbose = opts.verbose,
		.pc_format = opts.pc_format,
		.site = opts.site,
	};

	return sw_daemon_main(ctx, &d);
}

/* `ss7watch -c FILE` alone: the cluster section's `role`, if any, says which process this is
 * (the command line wins). A bad role is left to the loader, which names FILE:LINE. */
static void apply_config_role(void *ctx)
{
	struct sw_cluster_role r;

	if (opts.site || opts.worker || opts.collect || !opts.config_file || opts.n_files || opts.mode != MODE_DETECT ||
	    !sw_cluster_role_peek(ctx, opts.config_file, &r))
		return;
	opts.site = r.site;
	opts.worker = r.worker;
	if (r.collect) {
		opts.collect = true;
		if (!opts.output)
			opts.output = r.collect;
	}
}

int main(int argc, char **argv)
{
	void *ctx;
	struct sw_decoder_cfg dcfg = { 0 };
	struct sw_decoder *dec;
	sw_on_msg_t on_msg = NULL;
	struct sw_detector *det = NULL;
	int rc = 0;

	char seed_err[128];

	parse_args(argc, argv);
	if (sw_hash_seed_init(seed_err, sizeof(seed_err)) < 0) {
		fprintf(stderr, "ss7watch: %s\n", seed_err);
		return 2;
	}
	ctx = root_ctx = talloc_named_const(NULL, 0, "ss7watch");
	if (opts.list_rules) {
		rc = list_rules(ctx);
		talloc_free(ctx);
		return rc;
	}
	apply_config_role(ctx);
	/* --site without -r: the daemon's inputs, live, published instead of detected (without
	 * libnats sw_cluster_main() says the mode needs it) */
#ifdef HAVE_NATS
	if (opts.site && !opts.n_files) {
		if (opts.mode != MODE_DETECT)
			die_usage("%s", "--site without -r publishes the config's inputs: --stats replays files (-r)");
		if (!opts.config_file)
			die_usage("%s", "--site needs the cluster's configuration: -c FILE");
		sw_config_set_rule_validator(rule_id_valid);
		check_log_dir();
		rc = run_daemon(ctx);
		talloc_free(ctx);
		return rc;
	}
#endif
	if (opts.site || opts.worker || opts.collect) {
		struct sw_cluster_opts co = {
			.config_file = opts.config_file, .site = opts.site, .worker = opts.worker,
			.collect = opts.collect, .check_only = opts.check_config, .summary = opts.summary,
			.stats_only = opts.mode == MODE_STATS, .verbose = opts.verbose, .output = opts.output,
			.files = opts.files, .n_files = opts.n_files, .filter = opts.filter,
			.pc_format = opts.pc_format,
		};

		sw_config_set_rule_validator(rule_id_valid);
		rc = sw_cluster_main(ctx, &co);
		talloc_free(ctx);
		return rc;
	}
	check_log_dir();
	if (!opts.n_files && opts.mode == MODE_DETECT && opts.config_file)
		return run_daemon(ctx);
	if (opts.daemonize)
		die_usage("%s", "-D runs the daemon: give -c FILE and no -r");
	/* library LOGP output would otherwise go to stderr unasked */
	osmo_init_logging2(ctx, &log_info);
	log_set_print_category_hex(osmo_stderr_target, 0);
	log_set_log_level(osmo_stderr_target, LOGL_ERROR);

	if (!opts.n_files)
		die_usage("%s", "no input: give a capture file with -r FILE");
	if (opts.check_config) {
		rc = check_replay_config(ctx);
		talloc_free(ctx);
		return rc;
	}

	switch (opts.mode) {
	case MODE_DUMP:
		on_msg = on_msg_dump;
		/* a big buffer: --dump writes millions of short lines */
		setvbuf(stdout, NULL, _IOFBF, 1 << 20);
		break;
	case MODE_STATS:
		break;
	case MODE_DETECT:
		det = setup_detection(ctx);
		on_msg = on_msg_detect;
		break;
	}

	dcfg.pc_format = opts.pc_format;
	dec = path.dec = sw_decoder_alloc(ctx, &dcfg, on_msg, det);
	/* --dump and --stats name a result by the invoke it answers; the detector's transaction
	 * table pairs them itself: one table, not two */
	if (!dec || (!det && !track_pairing_attach(dec, 0, 0))) {
		fprintf(stderr, "ss7watch: out of memory allocating the decoder\n");
		return 1;
	}
	if (path.evidence) {
		/* replay has one decoder: input 0, its ring forgotten with every new file */
		dec->on_frame = sw_evidence_frame;
		dec->on_frame_priv = sw_evidence_tap(path.evidence, 0);
		if (!dec->on_frame_priv) {
			fprintf(stderr, "ss7watch: out of memory allocating the evidence ring\n");
			return 1;
		}
	}

	signal(SIGINT, handle_stop_signal);
	signal(SIGTERM, handle_stop_signal);
	signal(SIGHUP, handle_hup_signal);

	for (unsigned i = 0; i < opts.n_files && rc == 0; i++)
		rc = replay_path(ctx, dec, det, opts.files[i]);
	if (det) {
		/* windows that ended within the capture time still raise their alerts */
		sw_detector_flush(det);
		/* the end of the replay closes every incident still open */
		sw_incidents_close_all(path.incidents);
		/* the last stats event counts every alert and incident of the run */
		if (path.traffic)
			sw_traffic_final(path.traffic);
		if (opts.summary)
			print_detector_summary(stderr, det);
		sw_alert_sink_close(path.sink);
	}
	fflush(stdout);
	if (dump_lines_lost) {
		fprintf(stderr, "ss7watch: %" PRIu64 " --dump lines not written: out of memory\n",
			dump_lines_lost);
		rc = rc ? rc : 1;
	}

	if (opts.mode == MODE_STATS && rc == 0)
		sw_stats_print(stdout, &dec->st);
	else if (opts.verbose)
		sw_stats_print(stderr, &dec->st);

	sw_decoder_free(dec);
	talloc_free(ctx);
	return rc;
}
