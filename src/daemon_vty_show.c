/* Show commands of the daemon's telnet VTY: inputs, recent alerts, a subscriber's roaming
 * state, the rules in effect and a summary of the pipeline. Every counter is also a rate
 * counter or stat item (daemon_counters.c), which libosmocore's `show stats` prints. */
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>
#include <ss7watch/output_sink.h>
#include <ss7watch/output_queue.h>
#include <ss7watch/output_incident.h>
#include <ss7watch/output_evidence.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/daemon.h>
#include <ss7watch/decode.h>
#include <ss7watch/detect.h>
#include <ss7watch/map.h>
#include <ss7watch/rules.h>
#include <ss7watch/track_ident.h>
#include <ss7watch/track_subscr.h>
#include <ss7watch/track_dialogue.h>

#define SHOW_STR_INPUTS		"Inputs: state, peer, messages, drops\n"
#define DEFAULT_LAST		20

static const char *time_str(uint32_t t, char *buf, size_t len)
{
	time_t tt = t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm)) {
		snprintf(buf, len, "-");
		return buf;
	}
	strftime(buf, len, "%Y-%m-%d %H:%M:%SZ", &tm);
	return buf;
}

static const char *op_str(int op, char *buf, size_t len)
{
	const char *n = map_op_name(op);

	if (n)
		return n;
	snprintf(buf, len, "opcode %d", op);
	return buf;
}

/* --- show inputs --- */

DEFUN(show_inputs, show_inputs_cmd, "show inputs", SHOW_STR SHOW_STR_INPUTS)
{
	struct sw_input *in;

	vty_out(vty, "%-16s %-5s %-9s %12s %14s %10s %9s %6s %9s  %s%s", "Name", "Kind", "State", "Messages", "Bytes",
		"Drops", "IfDrops", "Reconn", "DecodeErr", "Peer", VTY_NEWLINE);
	llist_for_each_entry(in, &g_sw->inputs, list) {
		struct sw_input_status st;

		sw_input_get_status(in, &st);
		vty_out(vty, "%-16s %-5s %-9s %12" PRIu64 " %14" PRIu64 " %10" PRIu64 " %9" PRIu64 " %6u %9" PRIu64 "  %s%s",
			in->name, st.kind, st.state, st.msgs, st.bytes, st.drops, st.if_drops, st.reconnects,
			st.decode_errors, st.peer, VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

/* --- show alerts --- */

struct alert_print {
	struct vty *vty;
	const char *imsi;	/* only alerts about this subscriber, NULL all */
	unsigned printed;
};

static const char *jstr(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	if (b)
		v = json_object_get(v, b);
	return json_is_string(v) ? json_string_value(v) : "";
}

static void print_alert_line(const char *line, void *priv)
{
	struct alert_print *ap = priv;
	struct vty *vty = ap->vty;	/* VTY_NEWLINE needs it */
	json_t *o = json_loads(line, 0, NULL);
	json_t *sev;
	const char *imsi, *input;

	if (!o) {
		vty_out(vty, "%s%s", line, VTY_NEWLINE);
		return;
	}
	imsi = jstr(o, "subscriber", "imsi");
	/* the ring holds incident lines too: show incidents lists those */
	if (strcmp(jstr(o, "event_type", NULL), "alert") || (ap->imsi && strcmp(imsi, ap->imsi))) {
		json_decref(o);
		return;
	}
	input = jstr(o, "in_iface", NULL);
	if (!*input)
		input = jstr(o, "pcap_filename", NULL);
	sev = json_object_get(json_object_get(o, "alert"), "severity");
	vty_out(vty, "%s %-16s #%-8" JSON_INTEGER_FORMAT " sev %" JSON_INTEGER_FORMAT " %-32s %-18s imsi %s msisdn %s%s",
		jstr(o, "timestamp", NULL), input, json_integer_value(json_object_get(o, "pcap_cnt")),
		json_integer_value(sev), jstr(o, "alert", "rule"), jstr(o, "alert", "threat"),
		*imsi ? imsi : "-", *jstr(o, "subscriber", "msisdn") ? jstr(o, "subscriber", "msisdn") : "-",
		VTY_NEWLINE);
	ap->printed++;
	json_decref(o);
}

/* A cluster sensor has no detector: its workers do the detecting. \returns true when so (said). */
static bool no_detector(struct vty *vty)
{
	if (g_sw->det)
		return false;
	vty_out(vty, "%% cluster sensor %s: no detector here, its workers detect (doc/cluster.md)%s", g_sw->site,
		VTY_NEWLINE);
	return true;
}

static void show_alert_totals(struct vty *vty)
{
	const struct sw_detector_stats *ds = sw_detector_stats(g_sw->det);
	const struct sw_alert_sink_stats *ss = sw_alert_sink_stats(g_sw->sink);

	const struct sw_threshold_stats *ft = sw_threshold_stats(g_sw->filters);

	vty_out(vty, "Alerts: %" PRIu64 " raised (high %" PRIu64 ", medium %" PRIu64 ", low %" PRIu64 "), "
		"%" PRIu64 " suppressed, %" PRIu64 " write errors%s", ds->alerts, ss->by_severity[1], ss->by_severity[2],
		ss->by_severity[3], ds->suppressed, ss->write_errors, VTY_NEWLINE);
	vty_out(vty, "Alert filters: %" PRIu64 " not written (suppress %" PRIu64 ", threshold %" PRIu64
		", rate-filter %" PRIu64 ", folded into scan %" PRIu64 "), %" PRIu64 " escalated, %" PRIu64
		" keys evicted%s", sw_threshold_filtered(g_sw->filters), ft->suppressed, ft->thresholded,
		ft->rate_filtered, ft->folded, ft->escalated, ft->evictions, VTY_NEWLINE);
}

static int show_alerts(struct vty *vty, unsigned n)
{
	struct alert_print ap = { .vty = vty };

	if (no_detector(vty))
		return CMD_WARNING;
	show_alert_totals(vty);
	sw_alert_ring_foreach(n, print_alert_line, &ap);
	return CMD_SUCCESS;
}

DEFUN(show_alerts_all, show_alerts_cmd, "show alerts",
      SHOW_STR "Alert totals and the last 20 alerts (time, input, frame, severity, rule, threat, subscriber)\n")
{
	return show_alerts(vty, DEFAULT_LAST);
}

DEFUN(show_alerts_last, show_alerts_last_cmd, "show alerts last <1-1000>",
      SHOW_STR "Alerts\n" "The last N alerts, oldest first\n" "Number of alerts\n")
{
	return show_alerts(vty, atoi(argv[0]));
}

/* --- show subscriber --- */

static void show_subscr(struct vty *vty, struct sw_subscr *s)
{
	struct sw_gt_table *gts = sw_detector_gts(g_sw->det);
	struct alert_print ap = { .vty = vty };
	const struct sw_ident *ways;
	char imsi[24], msisdn[24], t[32], op[32];

	sw_num_unpack(s->imsi, imsi);
	if (s->msisdn)
		sw_num_unpack(s->msisdn, msisdn);
	else
		snprintf(msisdn, sizeof(msisdn), "unknown");
	vty_out(vty, "Subscriber IMSI %s (%s)%s", imsi, s->flags & SW_SUBSCR_HOME ? "home" : "visiting",
		VTY_NEWLINE);
	vty_out(vty, " MSISDN: %s%s", msisdn, VTY_NEWLINE);
	if (s->vlr)
		vty_out(vty, " MSC/VLR: %s since %s (learned from %s)%s", sw_gt_str(gts, s->vlr),
			time_str(s->vlr_since, t, sizeof(t)), op_str(s->vlr_op, op, sizeof(op)), VTY_NEWLINE);
	else
		vty_out(vty, " MSC/VLR: unknown%s", VTY_NEWLINE);
	if (s->sgsn)
		vty_out(vty, " SGSN: %s since %s (learned from %s)%s", sw_gt_str(gts, s->sgsn),
			time_str(s->sgsn_since, t, sizeof(t)), op_str(s->sgsn_op, op, sizeof(op)), VTY_NEWLINE);
	else
		vty_out(vty, " SGSN: unknown%s", VTY_NEWLINE);
	if (s->pres_time)
		vty_out(vty, " Last seen at: %s at %s (%s, frame %u)%s", sw_gt_str(gts, s->pres_gt),
			time_str(s->pres_time, t, sizeof(t)), op_str(s->pres_op, op, sizeof(op)), s->pres_frame,
			VTY_NEWLINE);
	else
		vty_out(vty, " Last seen at: unknown (no activity of the phone seen)%s", VTY_NEWLINE);
	ways = sw_ident_bucket(sw_detector_idents(g_sw->det), s->imsi);
	for (unsigned i = 0; i < SW_IDENT_WAYS; i++) {
		const struct sw_ident *w = &ways[i];

		if (w->imsi != s->imsi)
			continue;
		vty_out(vty, " Identified from outside: %s by %s (%s, frame %u)%s%s", time_str(w->time, t, sizeof(t)),
			w->gt ? sw_gt_str(gts, w->gt) : "(GT table full)", op_str(w->opcode, op, sizeof(op)), w->frame,
			w->delivered ? ", an SMS delivery followed" : "", VTY_NEWLINE);
	}
	vty_out(vty, " Recent alerts:%s", VTY_NEWLINE);
	ap.imsi = imsi;
	sw_alert_ring_foreach(0, print_alert_line, &ap);
	if (!ap.printed)
		vty_out(vty, "  none%s", VTY_NEWLINE);
}

DEFUN(show_subscr_imsi, show_subscr_imsi_cmd, "show subscriber imsi IMSI",
      SHOW_STR "A subscriber's roaming state, recent operations and alerts\n" "By IMSI\n" "IMSI digits\n")
{
	sw_num_t n = sw_num_pack(argv[0]);
	struct sw_subscr *s = n && g_sw->det ? sw_subscr_find(sw_detector_subscribers(g_sw->det), n) : NULL;

	if (no_detector(vty))
		return CMD_WARNING;
	if (!s) {
		vty_out(vty, "%% no subscriber with IMSI %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	show_subscr(vty, s);
	return CMD_SUCCESS;
}

DEFUN(show_subscr_msisdn, show_subscr_msisdn_cmd, "show subscriber msisdn MSISDN",
      SHOW_STR "A subscriber's roaming state, recent operations and alerts\n" "By MSISDN\n"
      "MSISDN digits (international, no '+')\n")
{
	sw_num_t n = sw_num_pack(argv[0]);
	struct sw_subscr *s = n && g_sw->det ? sw_subscr_find_msisdn(sw_detector_subscribers(g_sw->det), n) : NULL;

	if (no_detector(vty))
		return CMD_WARNING;
	if (!s) {
		vty_out(vty, "%% no subscriber with MSISDN %s%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	show_subscr(vty, s);
	return CMD_SUCCESS;
}

/* --- show rules --- */

DEFUN(show_rules, show_rules_cmd, "show rules",
      SHOW_STR "The rule catalogue with the settings in effect and alerts raised per rule\n")
{
	const struct sw_detector_stats *ds;

	if (no_detector(vty))
		return CMD_WARNING;
	ds = sw_detector_stats(g_sw->det);
	vty_out(vty, "%-30s %-8s %-3s %-11s %-18s %9s %8s %10s%s", "Rule", "State", "Sev", "Category", "Threat",
		"Threshold", "Window", "Alerts", VTY_NEWLINE);
	for (unsigned r = 0; r < SW_RULE__COUNT; r++) {
		const struct sw_rule_def *def = &sw_rule_defs[r];
		struct sw_config_rule_eff eff = sw_config_rule(g_sw->cfg, def->id, def->severity);
		uint32_t threshold = def->threshold, window = def->window_s;
		bool enabled = eff.enabled;
		uint8_t sev = eff.severity;

		sw_config_rule_apply(eff.cr, &enabled, &sev, &threshold, &window);
		vty_out(vty, "%-30s %-8s %-3u %-11s %-18s %9u %7us %10" PRIu64 "%s", def->id,
			enabled ? "enabled" : "disabled", sev, def->category, def->threat, threshold, window,
			ds->alerts_by_rule[r], VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

/* --- show incidents --- */

static void print_incident(void *priv, const struct sw_incident_view *v)
{
	struct vty *vty = priv;
	char first[32], last[32];

	sw_format_ts(first, sizeof(first), &v->first);
	sw_format_ts(last, sizeof(last), &v->last);
	vty_out(vty, "%-16" PRIu64 " %-24s %-16s %-3s %s %s %3u %8" PRIu64 " %8" PRIu64 " %5u  %s%s", v->id, v->origin,
		v->network[0] ? v->network : "-", v->country[0] ? v->country : "-", first, last, v->max_severity,
		v->alerts, v->written, v->subscribers, v->top_rule ? v->top_rule : "-", VTY_NEWLINE);
}

DEFUN(show_incidents, show_incidents_cmd, "show incidents",
      SHOW_STR "Open incidents (alerts of one origin not yet idle), least recently active first\n")
{
	const struct sw_incident_stats *is;

	if (no_detector(vty))
		return CMD_WARNING;
	is = sw_incidents_stats(g_sw->incidents);
	vty_out(vty, "Incidents: %u open, %" PRIu64 " opened, %" PRIu64 " closed idle, %" PRIu64 " evicted%s", is->open,
		is->opened, is->closed_idle, is->closed_evicted, VTY_NEWLINE);
	vty_out(vty, "%-16s %-24s %-16s %-3s %-27s %-27s %3s %8s %8s %5s  %s%s", "Id", "Origin", "Network", "Cc",
		"First", "Last", "Sev", "Alerts", "Written", "Subs", "Top rule", VTY_NEWLINE);
	sw_incidents_foreach(g_sw->incidents, print_incident, vty);
	return CMD_SUCCESS;
}

/* --- show summary --- */

DEFUN(show_summary, show_summary_cmd, "show summary",
      SHOW_STR "Pipeline summary: uptime, messages, alerts, tracker tables, alert latency\n")
{
	const struct sw_detector_stats *ds;
	const struct sw_alert_sink_stats *ss;
	const struct sw_latency *l = &g_sw->latency;
	struct sw_subscr_stats sst;
	struct sw_txn_stats tst;
	struct sw_gt_stats gst;
	struct sw_ident_stats ist;
	struct sw_alert_queue_stats qst;
	struct timeval now;

	gettimeofday(&now, NULL);
	vty_out(vty, "Uptime: %lds, %u inputs%s", (long)(now.tv_sec - g_sw->started.tv_sec), g_sw->n_inputs,
		VTY_NEWLINE);
	vty_out(vty, "Frames: %" PRIu64 ", SCCP messages: %" PRIu64 ", MAP components: %" PRIu64
		", decode errors: %" PRIu64 "%s", sw_daemon_counter_total(SW_CTR_FRAMES),
		sw_daemon_counter_total(SW_CTR_SCCP_MESSAGES), sw_daemon_counter_total(SW_CTR_MAP_COMPONENTS),
		sw_daemon_counter_total(SW_CTR_DECODE_ERRORS), VTY_NEWLINE);
	if (no_detector(vty))
		return CMD_SUCCESS;
	ds = sw_detector_stats(g_sw->det);
	ss = sw_alert_sink_stats(g_sw->sink);
	sw_subscr_table_stats(sw_detector_subscribers(g_sw->det), &sst);
	sw_txn_table_stats(sw_detector_txns(g_sw->det), &tst);
	sw_gt_table_stats(sw_detector_gts(g_sw->det), &gst);
	sw_ident_table_stats(sw_detector_idents(g_sw->det), &ist);
	vty_out(vty, "Detector: %" PRIu64 " messages, %" PRIu64 " components evaluated%s", ds->messages,
		ds->components, VTY_NEWLINE);
	show_alert_totals(vty);
	vty_out(vty, "Alert outputs: %" PRIu64 " reopens, %" PRIu64 " failed reopens, %" PRIu64 " encode errors, "
		"%" PRIu64 " dropped (queue full)%s", ss->reopens, ss->reopen_errors, ss->encode_errors, ss->dropped,
		VTY_NEWLINE);
	if (sw_alert_sink_queue_stats(g_sw->sink, &qst)) {
		vty_out(vty, "Alert queue: %u of %u bytes in use, at most %u so far%s", qst.used, qst.bytes,
			qst.high_water, VTY_NEWLINE);
		vty_out(vty, "Alert queue drops by severity: high %" PRIu64 ", medium %" PRIu64 ", low %" PRIu64
			"%s", qst.dropped_by_severity[1], qst.dropped_by_severity[2], qst.dropped_by_severity[3],
			VTY_NEWLINE);
	}
	vty_out(vty, "Subscribers: %u in a table of %u (maximum %u, grown %" PRIu64 " times), %" PRIu64
		" evicted%s", sst.count, sst.capacity, sst.max_capacity, sst.grows, sst.evictions, VTY_NEWLINE);
	vty_out(vty, "Dialogues: table of %u (maximum %u, grown %" PRIu64 " times), %" PRIu64 " matched, %" PRIu64
		" unmatched, %" PRIu64 " expired, %" PRIu64 " evicted%s", tst.capacity, tst.max_capacity, tst.grows,
		tst.matched, tst.unmatched, tst.expired, tst.evicted, VTY_NEWLINE);
	vty_out(vty, "Global titles: %u of %u, %" PRIu64 " refused (table full)%s", gst.count, gst.capacity, gst.full,
		VTY_NEWLINE);
	vty_out(vty, "Identify steps from outside: %u in a table of %u, %" PRIu64 " evicted%s", ist.count,
		ist.capacity, ist.evictions, VTY_NEWLINE);
	vty_out(vty, "Correlation windows evicted while open: %" PRIu64 " scan, %" PRIu64 " identity-rotation%s",
		ds->origin_evictions, ds->target_evictions, VTY_NEWLINE);
	if (g_sw->evidence) {
		char line[512];

		sw_evidence_summary(g_sw->evidence, line, sizeof(line));
		vty_out(vty, "%s%s", line, VTY_NEWLINE);
	}
	vty_out(vty, "Alert latency (arrival to line written, live inputs): %" PRIu64 " samples, p50 %" PRIu64
		" us, p99 %" PRIu64 " us, max %" PRIu64 " us%s", l->count, sw_latency_quantile(l, 0.5),
		sw_latency_quantile(l, 0.99), l->max_us, VTY_NEWLINE);
	return CMD_SUCCESS;
}

void sw_vty_show_init(void)
{
	install_element_ve(&show_inputs_cmd);
	install_element_ve(&show_alerts_cmd);
	install_element_ve(&show_alerts_last_cmd);
	install_element_ve(&show_subscr_imsi_cmd);
	install_element_ve(&show_subscr_msisdn_cmd);
	install_element_ve(&show_rules_cmd);
	install_element_ve(&show_summary_cmd);
	install_element_ve(&show_incidents_cmd);
}
