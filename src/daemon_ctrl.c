/* The CTRL interface of the daemon (read-only variables). Besides libosmoctrl's own
 * rate_ctr.* and counter.* (every rate counter of daemon_counters.c):
 *
 *   alerts.total | alerts.written | alerts.write_errors | alerts.suppressed
 *   alerts.dropped                 lines dropped because the writer queue was full
 *   alerts.dropped.<high|medium|low>  of them, per severity
 *   alerts.filtered                alerts the filters did not write (suppress, threshold,
 *                                  rate-filter, folded into a scan)
 *   alerts.filtered.<rule-id>      of them, per rule
 *   incidents.open | incidents.opened  incidents open now, opened since the start
 *   alerts.queued                  bytes waiting in the writer queue now
 *   alerts.rule.<rule-id>          alerts raised by one rule
 *   stats.<counter>                a pipeline counter summed over the inputs (stats.sctp.chunks)
 *   inputs                         one line per input: name,kind,state,messages,drops,ifdrops,
 *                                  reconnects,decode_errors,peer
 *   input.<name>.<field>           state|messages|drops|ifdrops|reconnects|peer of one input
 *   latency.p50 | latency.p99      arrival -> alert line, microseconds
 *   subscribers                    subscribers in the tracker
 *   evidence.<counter>             evidence pcaps (with evidence-directory): files|frames|
 *                                  bytes|cut_frames|cut_bytes|cut_linktype|lost|skipped|
 *                                  write_errors; skipped: alerts on SIGTRAN-listener messages
 * A cluster sensor (--site, no detector) has stats.*, inputs and input.* only. */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <osmocom/ctrl/control_cmd.h>
#include <osmocom/ctrl/control_if.h>
#include <osmocom/ctrl/control_vty.h>
#include <ss7watch/output_sink.h>
#include <ss7watch/output_queue.h>
#include <ss7watch/output_incident.h>
#include <ss7watch/output_evidence.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/daemon.h>
#include <ss7watch/detect.h>
#include <ss7watch/rules.h>
#include <ss7watch/track_subscr.h>

/* the part of the variable after "prefix." (NULL when it is not there) */
static const char *after(const struct ctrl_cmd *cmd, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(cmd->variable, prefix, n) || cmd->variable[n] != '.')
		return NULL;
	return cmd->variable + n + 1;
}

static int reply_u64(struct ctrl_cmd *cmd, uint64_t v)
{
	cmd->reply = talloc_asprintf(cmd, "%" PRIu64, v);
	return CTRL_CMD_REPLY;
}

static int reply_error(struct ctrl_cmd *cmd, const char *what)
{
	cmd->reply = talloc_asprintf(cmd, "Unknown variable %s: %s", cmd->variable, what);
	return CTRL_CMD_ERROR;
}

CTRL_CMD_DEFINE_RO(alerts, "alerts *");
static int get_alerts(struct ctrl_cmd *cmd, void *data)
{
	const struct sw_detector_stats *ds = sw_detector_stats(g_sw->det);
	const struct sw_alert_sink_stats *ss = sw_alert_sink_stats(g_sw->sink);
	const char *what = after(cmd, "alerts");
	struct sw_alert_queue_stats qs = { 0 };
	const char *rule;
	int r;

	if (!what)
		return reply_error(cmd, "expected alerts.<what>");
	if (!strcmp(what, "total"))
		return reply_u64(cmd, ds->alerts);
	if (!strcmp(what, "written")) {
		/* the sink counts one line per output; the VTY's ring is one of them */
		uint64_t ring = sw_alert_ring_total();

		return reply_u64(cmd, ss->written >= ring ? ss->written - ring : 0);
	}
	if (!strcmp(what, "write_errors"))
		return reply_u64(cmd, ss->write_errors);
	if (!strcmp(what, "suppressed"))
		return reply_u64(cmd, ds->suppressed);
	sw_alert_sink_queue_stats(g_sw->sink, &qs);
	/* without a queue nothing is dropped: the sink's count is then 0 as well */
	if (!strcmp(what, "dropped"))
		return reply_u64(cmd, qs.dropped ? qs.dropped : ss->dropped);
	for (unsigned sev = 1; sev <= 3; sev++) {
		static const char *const names[] = { NULL, "dropped.high", "dropped.medium", "dropped.low" };

		if (!strcmp(what, names[sev]))
			return reply_u64(cmd, qs.dropped_by_severity[sev]);
	}
	if (!strcmp(what, "queued"))
		return reply_u64(cmd, qs.used);
	if (!strcmp(what, "filtered"))
		return reply_u64(cmd, sw_threshold_filtered(g_sw->filters));
	rule = strncmp(what, "filtered.", 9) ? NULL : what + 9;
	if (rule && (r = sw_rule_by_id(rule)) >= 0)
		return reply_u64(cmd, sw_threshold_stats(g_sw->filters)->filtered_by_rule[r]);
	rule = strncmp(what, "rule.", 5) ? NULL : what + 5;
	if (rule && (r = sw_rule_by_id(rule)) >= 0)
		return reply_u64(cmd, ds->alerts_by_rule[r]);
	return reply_error(cmd, "total, written, write_errors, suppressed, dropped[.high|.medium|.low], queued, "
			   "filtered[.<rule-id>] or rule.<rule-id>");
}

CTRL_CMD_DEFINE_RO(stats, "stats *");
static int get_stats(struct ctrl_cmd *cmd, void *data)
{
	const char *name = after(cmd, "stats");

	for (unsigned i = 0; name && i < SW_CTR__COUNT; i++)
		if (!strcmp(name, sw_ctr_name(i)))
			return reply_u64(cmd, sw_daemon_counter_total(i));
	return reply_error(cmd, "no such pipeline counter (see ss7watch --stats)");
}

static char *input_line(void *ctx, const struct sw_input *in)
{
	struct sw_input_status st;

	sw_input_get_status(in, &st);
	return talloc_asprintf(ctx, "%s,%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u,%" PRIu64 ",%s", in->name, st.kind,
			       st.state, st.msgs, st.drops, st.if_drops, st.reconnects, st.decode_errors, st.peer);
}

CTRL_CMD_DEFINE_RO(inputs, "inputs");
static int get_inputs(struct ctrl_cmd *cmd, void *data)
{
	struct sw_input *in;

	cmd->reply = talloc_strdup(cmd, "");
	llist_for_each_entry(in, &g_sw->inputs, list) {
		char *line = input_line(cmd, in);

		cmd->reply = talloc_asprintf_append(cmd->reply, "%s%s", *cmd->reply ? "\n" : "", line);
		talloc_free(line);
	}
	return CTRL_CMD_REPLY;
}

CTRL_CMD_DEFINE_RO(input, "input *");
static int get_input(struct ctrl_cmd *cmd, void *data)
{
	const char *rest = after(cmd, "input");
	const char *field = rest ? strrchr(rest, '.') : NULL;
	struct sw_input_status st;
	struct sw_input *in;
	char name[64];

	if (!field || field == rest || (size_t)(field - rest) >= sizeof(name))
		return reply_error(cmd, "expected input.<name>.<field>");
	snprintf(name, sizeof(name), "%.*s", (int)(field - rest), rest);
	field++;
	in = sw_input_find(name);
	if (!in)
		return reply_error(cmd, "no such input");
	sw_input_get_status(in, &st);
	if (!strcmp(field, "state"))
		cmd->reply = talloc_strdup(cmd, st.state);
	else if (!strcmp(field, "peer"))
		cmd->reply = talloc_strdup(cmd, st.peer);
	else if (!strcmp(field, "messages"))
		return reply_u64(cmd, st.msgs);
	else if (!strcmp(field, "drops"))
		return reply_u64(cmd, st.drops);
	else if (!strcmp(field, "ifdrops"))
		return reply_u64(cmd, st.if_drops);
	else if (!strcmp(field, "reconnects"))
		return reply_u64(cmd, st.reconnects);
	else
		return reply_error(cmd, "state, peer, messages, drops, ifdrops or reconnects");
	return CTRL_CMD_REPLY;
}

CTRL_CMD_DEFINE_RO(latency, "latency *");
static int get_latency(struct ctrl_cmd *cmd, void *data)
{
	const char *q = after(cmd, "latency");

	if (q && !strcmp(q, "p50"))
		return reply_u64(cmd, sw_latency_quantile(&g_sw->latency, 0.5));
	if (q && !strcmp(q, "p99"))
		return reply_u64(cmd, sw_latency_quantile(&g_sw->latency, 0.99));
	if (q && !strcmp(q, "count"))
		return reply_u64(cmd, g_sw->latency.count);
	return reply_error(cmd, "p50, p99 or count");
}

CTRL_CMD_DEFINE_RO(subscribers, "subscribers");
static int get_subscribers(struct ctrl_cmd *cmd, void *data)
{
	struct sw_subscr_stats st;

	sw_subscr_table_stats(sw_detector_subscribers(g_sw->det), &st);
	return reply_u64(cmd, st.count);
}

CTRL_CMD_DEFINE_RO(incidents, "incidents *");
static int get_incidents(struct ctrl_cmd *cmd, void *data)
{
	const struct sw_incident_stats *st = sw_incidents_stats(g_sw->incidents);
	const char *what = after(cmd, "incidents");

	if (what && !strcmp(what, "open"))
		return reply_u64(cmd, st->open);
	if (what && !strcmp(what, "opened"))
		return reply_u64(cmd, st->opened);
	return reply_error(cmd, "open or opened");
}

static const struct {
	const char *name;
	size_t offset;
} evidence_vars[] = {
	{ "files", offsetof(struct sw_evidence_stats, files) },
	{ "frames", offsetof(struct sw_evidence_stats, frames) },
	{ "bytes", offsetof(struct sw_evidence_stats, bytes) },
	{ "cut_frames", offsetof(struct sw_evidence_stats, cut_frames) },
	{ "cut_bytes", offsetof(struct sw_evidence_stats, cut_bytes) },
	{ "cut_linktype", offsetof(struct sw_evidence_stats, cut_linktype) },
	{ "lost", offsetof(struct sw_evidence_stats, lost) },
	{ "skipped", offsetof(struct sw_evidence_stats, skipped) },
	{ "write_errors", offsetof(struct sw_evidence_stats, write_errors) },
};

CTRL_CMD_DEFINE_RO(evidence, "evidence *");
static int get_evidence(struct ctrl_cmd *cmd, void *data)
{
	const char *what = after(cmd, "evidence");

	if (!g_sw->evidence)
		return reply_error(cmd, "no evidence-directory configured");
	for (unsigned i = 0; what && i < ARRAY_SIZE(evidence_vars); i++)
		if (!strcmp(what, evidence_vars[i].name))
			return reply_u64(cmd, *(const uint64_t *)((const char *)sw_evidence_stats(g_sw->evidence) +
								 evidence_vars[i].offset));
	return reply_error(cmd, "files, frames, bytes, cut_frames, cut_bytes, cut_linktype, lost, skipped or "
			   "write_errors");
}

struct ctrl_handle *sw_ctrl_listen(void *ctx, uint16_t port)
{
#if HAVE_DECL_CTRL_INTERFACE_SETUP2
	/* libosmocore >= 1.10 deprecates the dynip variant: the VTY's 'ctrl' / 'bind' address (and a
	 * port given there) with ours as the default */
	return ctrl_interface_setup2(ctx, port, NULL, 0);
#else
	return ctrl_interface_setup_dynip2(ctx, ctrl_vty_get_bind_addr(), port, NULL, 0);
#endif
}

struct ctrl_handle *sw_ctrl_init(void *ctx)
{
	struct ctrl_handle *h = sw_ctrl_listen(ctx, sw_daemon_cfg()->ctrl_port);

	if (!h)
		return NULL;
	ctrl_cmd_install(CTRL_NODE_ROOT, &cmd_stats);
	ctrl_cmd_install(CTRL_NODE_ROOT, &cmd_inputs);
	ctrl_cmd_install(CTRL_NODE_ROOT, &cmd_input);
	/* a cluster sensor detects nothing: its own counters are rate_ctr.*.cluster_sensor.0.* */
	if (!g_sw->det)
		return h;
	ctrl_cmd_install(CTRL_NODE_ROOT, &cmd_alerts);
	ctrl_cmd_install(CTRL_NODE_ROOT, &cmd_latency);
	ctrl_cmd_install(CTRL_NODE_ROOT, &cmd_subscribers);
	ctrl_cmd_install(CTRL_NODE_ROOT, &cmd_incidents);
	ctrl_cmd_install(CTRL_NODE_ROOT, &cmd_evidence);
	return h;
}
