/* The daemon (daemon.h): set-up from the config file, the osmo_select run loop, signals,
 * privilege drop and a clean stop.
 *
 * Every input gets its own decoder (frame numbers per input) whose on_msg tells the one
 * detector which input the message came from before handing it over: the decode -> track ->
 * detect -> alert path is the replay mode's, so the same trace gives the same alerts.
 * Alert lines go to a writer thread through a bounded queue (output_queue.c), so a slow output
 * never holds up the inputs; a line that finds the queue full is dropped and counted. The stop
 * flushes the detector's open windows, writes every queued line and closes the outputs. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <talloc.h>
#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/msgb.h>
#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/select.h>
#include <osmocom/core/stat_item.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>
#include <osmocom/ctrl/control_vty.h>
#include <osmocom/vty/logging.h>
#include <osmocom/vty/misc.h>
#include <osmocom/vty/stats.h>
#include <osmocom/vty/telnet_interface.h>
#include <osmocom/vty/vty.h>
#include <ss7watch/output_sink.h>
#include <ss7watch/output_incident.h>
#include <ss7watch/output_evidence.h>
#include <ss7watch/output_traffic.h>
#include <ss7watch/output_queue.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/cluster.h>
#include <ss7watch/config.h>
#include <ss7watch/daemon.h>
#include <inttypes.h>
#include <ss7watch/hash.h>
#include <ss7watch/decode.h>
#include <ss7watch/detect.h>
#include <ss7watch/input_live.h>
#include <ss7watch/input_sigtran.h>
#include <ss7watch/rules.h>
#include <ss7watch/output_stats.h>

#define ALERT_RING_LINES	1000

struct sw_daemon *g_sw;

static volatile bool quit;
static struct osmo_timer_list sync_timer;
static FILE *ring_stream;
static uint8_t pc_format;

static const struct log_info_cat log_cats[] = {
	[DSW] = {
		.name = "DSW",
		.description = "ss7watch daemon: start, stop, signals, configuration",
		.enabled = 1, .loglevel = LOGL_NOTICE,
	},
	[DINPUT] = {
		.name = "DINPUT",
		.description = "Inputs: connections, captures, files",
		.enabled = 1, .loglevel = LOGL_NOTICE,
	},
	[DALERT] = {
		.name = "DALERT",
		.description = "Alert outputs: rotation, write errors",
		.enabled = 1, .loglevel = LOGL_NOTICE,
	},
};

static const struct log_info log_info = {
	.cat = log_cats,
	.num_cat = ARRAY_SIZE(log_cats),
};

/* --- VTY --- */

static int go_parent(struct vty *vty)
{
	if (sw_live_vty_go_parent(vty) || sw_daemon_vty_go_parent(vty))
		return vty->node;
	if (vty->node >= SW_HOME_NETWORK_NODE && vty->node < SW_CONFIG__NEXT_NODE) {
		vty->node = CONFIG_NODE;
		vty->index = NULL;
		return vty->node;
	}
	/* cs7 nodes: leaving "asp" starts the ASP, leaving "listen" binds the server */
	sw_sigtran_vty_go_parent(vty);
	return vty->node;
}

static struct vty_app_info vty_info = {
	.name = "ss7watch",
	.version = PACKAGE_VERSION,
	.copyright = "ss7watch: SS7/MAP signalling anomaly detector\r\n",
	.go_parent_cb = go_parent,
};

/* --- inputs --- */

static void on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	struct sw_input *in = priv;

	/* a cluster sensor's tap took every SCCP message: this is SUA or malformed below */
	if (g_sw->site) {
		sw_cluster_sensor_untapped(dec, msg);
		return;
	}
	if (g_sw->current != in) {
		sw_detector_set_input(g_sw->det, in->alert_name, in->live);
		if (g_sw->traffic)
			sw_traffic_set_input(g_sw->traffic, in->alert_name, in->live);
		g_sw->current = in;
	}
	/* the stats interval follows the capture time of what arrives */
	if (g_sw->traffic)
		sw_traffic_advance(g_sw->traffic, &msg->meta.ts);
	if (g_sw->evidence)
		sw_evidence_message(g_sw->evidence, msg);
	/* the alert sink measures arrival (kernel or socket time) -> line written */
	sw_detector_on_msg(dec, msg, g_sw->det);
}

static struct sw_input *input_add(const char *name, enum sw_input_kind kind)
{
	struct sw_decoder_cfg dcfg = { .pc_format = pc_format };
	struct sw_input *in;

	if (g_sw->n_inputs >= 255) {
		LOGP(DINPUT, LOGL_ERROR, "input %s: too many inputs (at most 255)\n", name);
		return NULL;
	}
	in = talloc_zero(g_sw, struct sw_input);
	in->name = talloc_strdup(in, name);
	in->kind = kind;
	in->index = g_sw->n_inputs++;
	in->live = kind != SW_INPUT_FILE;
	in->alert_name = in->name;
	/* no result->invoke pairing stage: the detector's transaction table pairs the answers
	 * of every input, as replay's detection mode does, so both pair them the same way */
	in->dec = sw_decoder_alloc(in, &dcfg, on_msg, in);
	if (!in->dec) {
		talloc_free(in);
		g_sw->n_inputs--;
		return NULL;
	}
	/* frame numbers are per input: the evidence pcaps key frames by input too */
	in->dec->msg.meta.input = in->index;
	/* a cluster sensor publishes the SCCP messages instead of detecting */
	if (g_sw->site)
		in->dec->on_sccp = sw_cluster_sensor_tap;
	llist_add_tail(&in->list, &g_sw->inputs);
	return in;
}

struct sw_input *sw_input_find(const char *name)
{
	struct sw_input *in;

	llist_for_each_entry(in, &g_sw->inputs, list)
		if (!strcmp(in->name, name))
			return in;
	return NULL;
}

uint64_t sw_daemon_counter_total(enum sw_ctr c)
{
	struct sw_input *in;
	uint64_t sum = 0;

	llist_for_each_entry(in, &g_sw->inputs, list)
		sum += in->dec->st.ctr[c];
	return sum;
}

void sw_input_get_status(const struct sw_input *in, struct sw_input_status *st)
{
	memset(st, 0, sizeof(*st));
	st->decode_errors = in->dec->st.ctr[SW_CTR_DECODE_ERRORS];
	if (in->sigtran) {
		struct sw_sigtran_input_info info;

		sw_sigtran_input_get_info(in->sigtran, &info);
		st->kind = info.via == SW_VIA_IPA ? "ipa" : "m3ua";
		st->state = info.up ? "up" : "down";
		snprintf(st->peer, sizeof(st->peer), "%s (%u/%u ASPs active)", info.peer, info.asps_active, info.asps);
		st->msgs = info.msgs;
		st->bytes = info.bytes;
		st->reconnects = info.reconnects;
		return;
	}
	if (in->pcap) {
		struct sw_live_info info;

		sw_live_input_get_info(in->pcap, &info);
		st->kind = info.file ? "file" : "pcap";
		st->state = sw_live_state_name(info.state);
		OSMO_STRLCPY_ARRAY(st->peer, info.source ? info.source : "");
		st->msgs = info.frames;
		st->bytes = info.bytes;
		st->drops = info.kernel_drops;
		st->if_drops = info.if_drops;
		st->reconnects = info.reopens;
		return;
	}
	st->kind = in->kind == SW_INPUT_FILE ? "file" : in->kind == SW_INPUT_PCAP ? "pcap" : "sigtran";
	st->state = "closed";
}

static struct sw_decoder *sigtran_dec_for(void *priv, uint8_t index, const char *name)
{
	struct sw_input *in = input_add(name, SW_INPUT_SIGTRAN);

	return in ? in->dec : NULL;
}

/* The line of the config file that reads want (blanks around it aside), for error messages
 * (0: not found). */
static unsigned config_line_of(const char *path, const char *want)
{
	char line[512];
	unsigned n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *s = line + strspn(line, " \t");

		n++;
		s[strcspn(s, "\r\n")] = '\0';
		while (*s && (s[strlen(s) - 1] == ' ' || s[strlen(s) - 1] == '\t'))
			s[strlen(s) - 1] = '\0';
		if (!strcmp(s, want)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	return 0;
}

/* Print "ss7watch: FILE:LINE: msg" (the line that reads want; FILE alone when none does). */
static int config_error_at(const char *path, const char *want, const char *msg)
{
	unsigned line = config_line_of(path, want);

	if (line)
		fprintf(stderr, "ss7watch: %s:%u: %s\n", path, line, msg);
	else
		fprintf(stderr, "ss7watch: %s: %s\n", path, msg);
	return -1;
}

static int config_error(const char *path, const struct sw_live_cfg *c, const char *fmt, const char *arg)
{
	char want[96], msg[512];

	snprintf(want, sizeof(want), "input %s %s", c->file ? "file" : "pcap", c->name);
	snprintf(msg, sizeof(msg), fmt, arg);
	return config_error_at(path, want, msg);
}

/* What an input pcap or file needs before it can be opened. \returns 0, or -1 after
 * printing the problem. */
static int check_live_input(const char *path, const struct sw_live_cfg *c)
{
	if (c->file && !c->path)
		return config_error(path, c, "input file %s has no 'path FILE'", c->name);
	if (!c->file && !c->iface)
		return config_error(path, c, "input pcap %s has no 'interface IFACE'", c->name);
	return 0;
}

/* Open the captures and files of the config (nothing is read yet). */
static int open_live_inputs(const char *path)
{
	struct sw_live_cfg *c;

	llist_for_each_entry(c, sw_live_configs(), list) {
		struct sw_input *in;
		char err[512];

		if (sw_input_find(c->name))
			return config_error(path, c, "input %s: the name is already used by another input", c->name);
		if (check_live_input(path, c) < 0)
			return -1;
		in = input_add(c->name, c->file ? SW_INPUT_FILE : SW_INPUT_PCAP);
		if (!in)
			return config_error(path, c, "input %s: out of memory", c->name);
		if (c->file)
			/* as in replay mode: alerts name the file */
			in->alert_name = c->path;
		in->pcap = sw_live_input_open(in, c, in->dec, err, sizeof(err));
		if (!in->pcap)
			return config_error(path, c, "%s", err);
		/* only capture inputs have frames for the evidence pcaps: no tap, no ring without them */
		if (g_sw->evidence) {
			in->dec->on_frame_priv = sw_evidence_tap(g_sw->evidence, in->index);
			if (!in->dec->on_frame_priv)
				return config_error(path, c, "%s", "out of memory allocating the evidence ring");
			in->dec->on_frame = sw_evidence_frame;
		}
		LOGP(DINPUT, LOGL_NOTICE, "input %s: %s %s%s%s\n", c->name, c->file ? "reading" : "capturing on",
		     c->file ? c->path : c->iface, c->filter ? " filter " : "", c->filter ? c->filter : "");
	}
	return 0;
}

static void link_sigtran_inputs(void)
{
	for (unsigned i = 0; i < sw_sigtran_inputs_count(); i++) {
		struct sw_sigtran_input *si = sw_sigtran_inputs_get(i);
		struct sw_sigtran_input_info info;
		struct sw_input *in;

		sw_sigtran_input_get_info(si, &info);
		llist_for_each_entry(in, &g_sw->inputs, list)
			if (in->kind == SW_INPUT_SIGTRAN && in->index == info.index)
				in->sigtran = si;
	}
}

/* --- alerts --- */

static bool rule_id_valid(const char *id)
{
	return sw_rule_by_id(id) >= 0;
}

/* An absolute path: -D changes to / and SIGHUP reopens the file by name. */
static const char *absolute(void *ctx, const char *path)
{
	char cwd[PATH_MAX];

	if (!path || path[0] == '/' || !strcmp(path, "-") || !getcwd(cwd, sizeof(cwd)))
		return path;
	return talloc_asprintf(ctx, "%s/%s", cwd, path);
}

static struct sw_alert_sink *open_sink(void *ctx, const struct sw_config *cfg, const char *output)
{
	struct sw_alert_sink_cfg scfg = { 0 };
	struct sw_alert_sink *sink;
	char err[512], eve[512];

	if (output) {
		scfg.path = output;
	} else {
		scfg.path = *sw_config_eve_path(cfg, eve, sizeof(eve)) ? eve : NULL;
		if (cfg->alerts.to_stdout && !scfg.path)
			scfg.path = "-";
		scfg.syslog = cfg->alerts.to_syslog;
		scfg.syslog_facility = cfg->alerts.syslog_facility;
	}
	scfg.path = absolute(ctx, scfg.path);
	scfg.pseudo_key = cfg->alerts.pseudo_key;
	scfg.pseudo_key_len = cfg->alerts.pseudo_key_len;
	scfg.pseudo_keep_location = cfg->alerts.pseudo_keep_location;
	scfg.summary = true;
	ring_stream = sw_alert_ring_open(ctx, ALERT_RING_LINES);
	scfg.stream = ring_stream;
	sink = sw_alert_sink_open(ctx, &scfg, err, sizeof(err));
	if (!sink)
		fprintf(stderr, "ss7watch: %s\n", err);
	else
		LOGP(DALERT, LOGL_NOTICE, "alerts to %s%s\n", scfg.path ? scfg.path : "(no file)",
		     scfg.syslog ? " and syslog" : "");
	return sink;
}

/* --- privileges --- */

/* Keep CAP_NET_RAW after the drop so a capture that failed can be reopened. */
static int keep_net_raw(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	data[0].effective = data[0].permitted = (1u << CAP_NET_RAW) | (1u << CAP_NET_ADMIN);
	return syscall(SYS_capset, &hdr, data);
}

/* The `daemon` node's user and group: *pw NULL when no user is set, *gid the group to run
 * as. \returns 0, or -1 after printing which one does not exist. */
static int daemon_ids(struct passwd **pw, gid_t *gid)
{
	const struct sw_daemon_cfg *dc = sw_daemon_cfg();

	*pw = dc->user ? getpwnam(dc->user) : NULL;
	if (dc->user && !*pw) {
		fprintf(stderr, "ss7watch: daemon user '%s': no such user\n", dc->user);
		return -1;
	}
	*gid = *pw ? (*pw)->pw_gid : getgid();
	if (dc->group) {
		struct group *gr = getgrnam(dc->group);

		if (!gr) {
			fprintf(stderr, "ss7watch: daemon group '%s': no such group\n", dc->group);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

static int drop_privileges(void)
{
	const struct sw_daemon_cfg *dc = sw_daemon_cfg();
	bool captures = false;
	struct sw_input *in;
	struct passwd *pw;
	gid_t gid;

	if (!dc->user && !dc->group)
		return 0;
	if (daemon_ids(&pw, &gid) < 0)
		return -1;
	if (geteuid() != 0) {
		if ((pw && pw->pw_uid != geteuid()) || gid != getegid()) {
			fprintf(stderr, "ss7watch: cannot switch to user %s group %u: not started as root\n",
				dc->user ? dc->user : "(same)", (unsigned)gid);
			return -1;
		}
		return 0;
	}
	llist_for_each_entry(in, &g_sw->inputs, list)
		captures |= in->kind == SW_INPUT_PCAP;
	if (setgroups(1, &gid) < 0 || setgid(gid) < 0) {
		fprintf(stderr, "ss7watch: cannot switch to group %u: %s\n", (unsigned)gid, strerror(errno));
		return -1;
	}
	if (pw) {
		if (captures)
			prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
		if (setuid(pw->pw_uid) < 0) {
			fprintf(stderr, "ss7watch: cannot switch to user %s: %s\n", dc->user, strerror(errno));
			return -1;
		}
		if (captures && keep_net_raw() < 0)
			LOGP(DSW, LOGL_NOTICE, "cannot keep CAP_NET_RAW (%s): a failed capture cannot be reopened\n",
			     strerror(errno));
	}
	LOGP(DSW, LOGL_NOTICE, "running as user %s group %u\n", dc->user ? dc->user : "(same)", (unsigned)gid);
	return 0;
}

/* --- signals and timers --- */

static void on_signal(struct osmo_signalfd *osfd, const struct signalfd_siginfo *si)
{
	switch (si->ssi_signo) {
	case SIGTERM:
	case SIGINT:
		LOGP(DSW, LOGL_NOTICE, "signal %u: stopping\n", si->ssi_signo);
		quit = true;
		break;
	case SIGHUP:
		/* a cluster sensor writes no alert */
		if (!g_sw->sink)
			break;
		/* logrotate renamed the file: lines written so far stay there, the next go to a new one */
		/* the writer thread reopens before its next line; the outcome shows in the
		 * alerts:reopens and alerts:reopen_errors counters */
		sw_alert_sink_reopen(g_sw->sink);
		LOGP(DALERT, LOGL_NOTICE, "SIGHUP: reopening the alert file\n");
		break;
	case SIGUSR1:
		talloc_report_full(g_sw->ctx, stderr);
		break;
	}
}

static int setup_signals(void *ctx)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	/* handled in the loop through a signalfd: no work in signal context, no EINTR races */
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return osmo_signalfd_setup(ctx, set, on_signal, NULL) ? 0 : -1;
}

static void sync_cb(void *data)
{
	uint32_t ms = sw_daemon_cfg()->counter_sync_ms;
	struct sw_input *in;
	bool all_live = g_sw->n_inputs > 0;

	sw_counters_osmo_sync();
	/* with live inputs only, capture time is wall time: windows close on a quiet link too
	 * (a file input keeps its own capture clock, so then only messages move it) */
	llist_for_each_entry(in, &g_sw->inputs, list)
		all_live &= in->live;
	if (all_live && g_sw->det) {
		struct timeval now;

		gettimeofday(&now, NULL);
		sw_detector_advance(g_sw->det, (uint32_t)now.tv_sec);
		sw_incidents_advance(g_sw->incidents, (uint32_t)now.tv_sec);
		/* a quiet link still gets its stats lines, once something was received */
		if (g_sw->traffic && g_sw->current)
			sw_traffic_advance(g_sw->traffic, &now);
	}
	osmo_timer_schedule(&sync_timer, ms / 1000, (ms % 1000) * 1000);
}

/* --- start and stop --- */

/* The config nodes every ss7watch process with a VTY shares (the cluster roles too): ours,
 * line vty, logging, stats, ctrl, daemon. */
static void setup_common_vty(void *ctx)
{
	vty_info.tall_ctx = ctx;
	vty_init(&vty_info);
	logging_vty_add_cmds();
	osmo_stats_vty_add_cmds();
	osmo_talloc_vty_add_cmds();
	ctrl_vty_init(ctx);
	sw_config_vty_init();
	sw_daemon_vty_init();
}

/* and what only the daemon reads: cs7 instances, inputs, the show commands */
static int setup_daemon_vty(void *ctx)
{
	if (sw_sigtran_init(ctx) < 0) {
		fprintf(stderr, "ss7watch: cannot initialise libosmo-sigtran\n");
		return -1;
	}
	sw_live_vty_init(SW_INPUT_PCAP_NODE, SW_INPUT_FILE_NODE);
	sw_vty_show_init();
	return 0;
}

static void setup_logging(void *ctx)
{
	osmo_init_logging2(ctx, &log_info);
	log_set_print_category(osmo_stderr_target, 1);
	log_set_print_category_hex(osmo_stderr_target, 0);
	log_set_print_level(osmo_stderr_target, 1);
	log_set_print_filename2(osmo_stderr_target, LOG_FILENAME_NONE);
	log_set_print_timestamp(osmo_stderr_target, 1);
	log_set_use_color(osmo_stderr_target, 0);
	log_set_log_level(osmo_stderr_target, LOGL_NOTICE);
}

/* -v: the decoder counters summed over every input. */
static void print_decoder_totals(void)
{
	struct sw_stats total = { 0 };
	struct sw_input *in;

	llist_for_each_entry(in, &g_sw->inputs, list)
		sw_stats_add(&total, &in->dec->st);
	sw_stats_print(stderr, &total);
}

/* A cluster sensor's: its inputs and what their decoders counted (the sensor's own line,
 * `cluster sensor ...`, says what was published). */
static void print_sensor_summary(const struct sw_daemon_opts *o)
{
	LOGP(DSW, LOGL_NOTICE, "stopped: cluster sensor %s, %u inputs, %llu frames, %llu decode errors\n", o->site,
	     g_sw->n_inputs, (unsigned long long)sw_daemon_counter_total(SW_CTR_FRAMES),
	     (unsigned long long)sw_daemon_counter_total(SW_CTR_DECODE_ERRORS));
	if (o->verbose)
		print_decoder_totals();
}

static void print_exit_summary(const struct sw_daemon_opts *o)
{
	const struct sw_detector_stats *st = sw_detector_stats(g_sw->det);
	const struct sw_alert_sink_stats *ss = sw_alert_sink_stats(g_sw->sink);
	uint64_t ring = sw_alert_ring_total();
	/* the sink counts a line once per output: the ring is one of them; event lines
	 * (incidents, stats) the file took are counted apart */
	uint64_t written = ss->written >= ring ? ss->written - ring : 0;
	uint64_t alert_lines = written >= ss->events_written ? written - ss->events_written : 0;
	struct sw_alert_queue_stats qs = { 0 };

	sw_alert_sink_queue_stats(g_sw->sink, &qs);
	LOGP(DSW, LOGL_NOTICE, "stopped: %llu messages, %llu alerts raised, %llu alert lines written, "
	     "%llu write errors, %llu dropped, %llu not written by the filters, %llu event lines\n",
	     (unsigned long long)st->messages, (unsigned long long)st->alerts, (unsigned long long)alert_lines,
	     (unsigned long long)ss->write_errors, (unsigned long long)(qs.dropped ? qs.dropped : ss->dropped),
	     (unsigned long long)sw_threshold_filtered(g_sw->filters), (unsigned long long)ss->events_written);
	if (o->verbose)
		print_decoder_totals();
	if (g_sw->evidence) {
		char line[512];

		sw_evidence_summary(g_sw->evidence, line, sizeof(line));
		LOGP(DSW, LOGL_NOTICE, "%s\n", line);
	}
}

static void stop_inputs(void)
{
	struct sw_input *in;

	sw_sigtran_inputs_stop();
	llist_for_each_entry(in, &g_sw->inputs, list) {
		in->sigtran = NULL;
		if (in->pcap)
			sw_live_input_stop(in->pcap);
	}
}

void sw_osmo_app_init(void *ctx)
{
	setup_logging(ctx);
	msgb_talloc_ctx_init(ctx, 0);
	rate_ctr_init(ctx);
	osmo_stat_item_init(ctx);
	osmo_stats_init(ctx);
	setup_common_vty(ctx);
}

struct sw_config *sw_daemon_config_load(void *ctx, const char *path)
{
	struct sw_config *cfg;
	char err[512];

	sw_osmo_app_init(ctx);
	if (setup_daemon_vty(ctx) < 0)
		return NULL;
	/* one file for everything: our sections, cs7, inputs, logging, stats, line vty, ctrl */
	sw_config_set_rule_validator(rule_id_valid);
	if (sw_config_load(ctx, path, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "ss7watch: %s\n", err);
		return NULL;
	}
	return cfg;
}

/* The stats event's decoder counters: every input's decoder, summed. */
static void daemon_decoder_stats(void *priv, struct sw_stats *out)
{
	struct sw_input *in;

	llist_for_each_entry(in, &g_sw->inputs, list)
		sw_stats_add(out, &in->dec->st);
}

/* Traffic accounting (stats events) unless the config says `no stats-interval`.
 * \returns 0 or -1 (out of memory). */
static int setup_traffic(void *ctx)
{
	struct sw_traffic_cfg tcfg = sw_traffic_cfg_from(g_sw->cfg);
	struct sw_traffic_sources src = {
		.decoder_stats = daemon_decoder_stats, .sink = g_sw->sink, .filters = g_sw->filters,
		.incidents = g_sw->incidents,
	};

	if (g_sw->cfg->alerts.no_stats)
		return 0;
	g_sw->traffic = sw_traffic_alloc(ctx, &tcfg, &src, sw_alert_sink_write_event, g_sw->sink);
	if (!g_sw->traffic)
		return -1;
	sw_detector_set_component_hook(g_sw->det, sw_traffic_count, g_sw->traffic);
	return 0;
}

/* `evidence-directory` is off, or names a writable directory. \returns 0, or -1 after
 * printing FILE:LINE: reason. */
static int check_evidence_dir(const char *config_file)
{
	const char *dir = g_sw->cfg->alerts.evidence_directory;
	char err[512], want[PATH_MAX + 32];

	if (!dir || !sw_evidence_check_dir(dir, err, sizeof(err)))
		return 0;
	snprintf(want, sizeof(want), "evidence-directory %s", dir);
	return config_error_at(config_file, want, err);
}

/* The evidence stage of `evidence-directory`, writing to an absolute path (-D changes to /).
 * \returns 0 (also when it is off), or -1 after printing the reason. */
static int setup_evidence(void *ctx, const char *config_file)
{
	struct sw_evidence_cfg ecfg = sw_evidence_cfg_from(g_sw->cfg, NULL);
	char err[512];

	if (!ecfg.dir)
		return 0;
	if (check_evidence_dir(config_file) < 0)
		return -1;
	ecfg.dir = absolute(ctx, ecfg.dir);
	g_sw->evidence = sw_evidence_alloc(ctx, &ecfg, sw_alert_sink_emit, g_sw->sink, err, sizeof(err));
	if (!g_sw->evidence) {
		fprintf(stderr, "ss7watch: %s\n", err);
		return -1;
	}
	LOGP(DALERT, LOGL_NOTICE, "evidence pcaps of incidents to %s\n", ecfg.dir);
	return 0;
}

/* The stages between the detector and the sink: filters, incidents, then the evidence pcaps
 * when on. Incident ids start from the start time, so a restarted daemon does not reuse them.
 * \returns 0 or -1. */
static int setup_alert_path(void *ctx, char *err, size_t errlen)
{
	struct sw_incident_cfg icfg = sw_incident_cfg_from(g_sw->cfg, (uint64_t)g_sw->started.tv_sec * 1000000);
	struct sw_evidence *ev = g_sw->evidence;

	g_sw->incidents = sw_incidents_alloc(ctx, &icfg, ev ? sw_evidence_emit : sw_alert_sink_emit,
					     ev ? (void *)ev : g_sw->sink, sw_alert_sink_write_event, g_sw->sink);
	if (!g_sw->incidents) {
		snprintf(err, errlen, "out of memory allocating the incident table");
		return -1;
	}
	sw_incidents_set_evidence(g_sw->incidents, ev);
	g_sw->filters = sw_threshold_alloc(ctx, g_sw->cfg, sw_incidents_emit, g_sw->incidents, err, errlen);
	return g_sw->filters ? 0 : -1;
}

/* -T: everything the start checks before it opens an input, a port or the alert output. */
static int check_only(void *ctx, const struct sw_daemon_opts *o)
{
	const struct sw_live_cfg *c;
	unsigned n_inputs;
	struct sw_detector *det;
	struct passwd *pw;
	char err[512];
	gid_t gid;

	det = sw_detector_alloc(ctx, g_sw->cfg, NULL, NULL, err, sizeof(err));
	if (!det) {
		fprintf(stderr, "ss7watch: %s: %s\n", o->config_file, err);
		return 1;
	}
	talloc_free(det);
	n_inputs = sw_sigtran_instances_count();
	llist_for_each_entry(c, sw_live_configs(), list) {
		if (check_live_input(o->config_file, c) < 0)
			return 1;
		n_inputs++;
	}
	if (!n_inputs) {
		fprintf(stderr, "ss7watch: %s: no input: configure a cs7 instance, an 'input pcap' or an "
			"'input file' (or replay files with -r)\n", o->config_file);
		return 1;
	}
	if (daemon_ids(&pw, &gid) < 0)
		return 1;
	if (o->site) {
		const struct sw_config_cluster *cc = &g_sw->cfg->cluster;

		printf("ss7watch: %s: configuration OK (cluster sensor %s: %u input%s, %u servers, stream %s)\n",
		       o->config_file, o->site, n_inputs, n_inputs == 1 ? "" : "s", cc->n_servers, cc->stream_events);
		return 0;
	}
	if (check_evidence_dir(o->config_file) < 0)
		return 1;
	printf("ss7watch: %s: configuration OK (daemon: %u input%s, %u of %u rules enabled)\n", o->config_file,
	       n_inputs, n_inputs == 1 ? "" : "s", sw_rules_enabled(g_sw->cfg), SW_RULE__COUNT);
	return 0;
}

/* The detecting daemon's alert path: sink, evidence, filters and incidents, detector, stats
 * events (a cluster sensor has none). \returns 0, or -1 after printing why. */
static int setup_detection(void *ctx, const struct sw_daemon_opts *o)
{
	char err[512];

	g_sw->sink = open_sink(ctx, g_sw->cfg, o->output);
	if (!g_sw->sink)
		return -1;
	if (setup_evidence(ctx, o->config_file) < 0)
		return -1;
	if (setup_alert_path(ctx, err, sizeof(err)) < 0) {
		fprintf(stderr, "ss7watch: %s\n", err);
		return -1;
	}
	g_sw->det = sw_detector_alloc(ctx, g_sw->cfg, sw_threshold_emit, g_sw->filters, err, sizeof(err));
	if (!g_sw->det) {
		fprintf(stderr, "ss7watch: %s: %s\n", o->config_file, err);
		return -1;
	}
	if (setup_traffic(ctx) < 0) {
		fprintf(stderr, "ss7watch: out of memory allocating the traffic table\n");
		return -1;
	}
	return 0;
}

int sw_daemon_main(void *ctx, const struct sw_daemon_opts *o)
{
	struct sw_input *in;
	char err[512];
	int n;

	g_sw = talloc_zero(ctx, struct sw_daemon);
	g_sw->ctx = ctx;
	INIT_LLIST_HEAD(&g_sw->inputs);
	gettimeofday(&g_sw->started, NULL);
	pc_format = o->pc_format;

	g_sw->site = o->site;
	g_sw->cfg = sw_daemon_config_load(ctx, o->config_file);
	if (!g_sw->cfg)
		return 1;
	if (o->site && !sw_cluster_config_ok(g_sw->cfg, o->config_file, "--site"))
		return 1;
	if (o->log_dir)
		sw_config_set_log_directory(g_sw->cfg, o->log_dir);
	if (o->check_only)
		return check_only(ctx, o);
	sw_config_vty_set(g_sw->cfg);
	host_config_set(absolute(ctx, o->config_file));

	/* a cluster sensor publishes what its inputs decode up to SCCP: its workers detect */
	if (!o->site && setup_detection(ctx, o) < 0)
		return 1;

	n = sw_sigtran_inputs_start(ctx, 0, sigtran_dec_for, NULL);
	if (n < 0) {
		fprintf(stderr, "ss7watch: %s: cannot attach to the cs7 instances (see the log)\n", o->config_file);
		return 1;
	}
	link_sigtran_inputs();
	if (open_live_inputs(o->config_file) < 0)
		return 1;
	if (!g_sw->n_inputs) {
		fprintf(stderr, "ss7watch: %s: no input: configure a cs7 instance, an 'input pcap' or an "
			"'input file' (or replay files with -r)\n", o->config_file);
		return 1;
	}
	sw_counters_osmo_init(ctx);

	if (telnet_init_default(ctx, NULL, SW_VTY_PORT) < 0) {
		fprintf(stderr, "ss7watch: cannot open the telnet VTY on %s port %d\n", vty_get_bind_addr(),
			vty_get_bind_port(SW_VTY_PORT));
		return 1;
	}
	if (!sw_ctrl_init(ctx)) {
		fprintf(stderr, "ss7watch: cannot open the CTRL interface on %s port %u\n", ctrl_vty_get_bind_addr(),
			sw_daemon_cfg()->ctrl_port);
		return 1;
	}
	if (drop_privileges() < 0)
		return 1;
	/* the user it runs as now writes the evidence pcaps */
	if (g_sw->evidence && check_evidence_dir(o->config_file) < 0)
		return 1;
	if (o->daemonize && osmo_daemonize() < 0) {
		fprintf(stderr, "ss7watch: cannot daemonize: %s\n", strerror(errno));
		return 1;
	}
	if (setup_signals(ctx) < 0) {
		fprintf(stderr, "ss7watch: cannot set up the signal handling: %s\n", strerror(errno));
		return 1;
	}
	if (o->site) {
		/* libnats' threads: after the fork, with the signals blocked, which they inherit */
		if (sw_cluster_sensor_start(ctx, g_sw->cfg, o->site) < 0)
			return 1;
	} else {
		sw_alert_sink_set_latency(g_sw->sink, &g_sw->latency);
		/* live traffic must not wait for a slow disk or syslog: a writer thread drains a
		 * queue. Started after the fork and with the signals blocked, which the thread
		 * inherits. */
		if (sw_alert_sink_start_writer(g_sw->sink, (size_t)(g_sw->cfg->alerts.queue_kib ? : 4096) * 1024,
					       err, sizeof(err)) < 0) {
			fprintf(stderr, "ss7watch: %s\n", err);
			return 1;
		}
	}

	llist_for_each_entry(in, &g_sw->inputs, list)
		if (in->pcap)
			sw_live_input_start(in->pcap);
	osmo_timer_setup(&sync_timer, sync_cb, NULL);
	sync_cb(NULL);
	LOGP(DSW, LOGL_NOTICE, "running: %u inputs, VTY on port %d, CTRL on port %u\n", g_sw->n_inputs,
	     vty_get_bind_port(SW_VTY_PORT), sw_daemon_cfg()->ctrl_port);
	LOGP(DSW, LOGL_NOTICE, "hash seed 0x%016" PRIx64 " (%s)\n", sw_hash_seed(),
	     sw_hash_seed_fixed() ? "from " SW_HASH_SEED_ENV : "random");

	while (!quit)
		osmo_select_main_ctx(0);

	g_sw->stopping = true;
	stop_inputs();
	if (o->site) {
		/* the partial batch goes out, every acknowledgement is waited for (bounded) */
		int rc = sw_cluster_sensor_stop();

		osmo_timer_del(&sync_timer);
		sw_counters_osmo_sync();
		print_sensor_summary(o);
		return rc;
	}
	/* windows that ended by the last message's time raise their alerts, as at the end of a replay */
	sw_detector_flush(g_sw->det);
	/* a stop closes every incident still open: its line goes out with the last alerts */
	sw_incidents_close_all(g_sw->incidents);
	/* the last stats event counts the whole run */
	if (g_sw->traffic)
		sw_traffic_final(g_sw->traffic);
	/* every queued alert reaches its output before the counters are read and reported */
	sw_alert_sink_drain(g_sw->sink);
	osmo_timer_del(&sync_timer);
	sw_counters_osmo_sync();
	if (ring_stream)
		fflush(ring_stream);
	print_exit_summary(o);
	sw_alert_sink_close(g_sw->sink);
	if (ring_stream)
		fclose(ring_stream);
	return 0;
}
