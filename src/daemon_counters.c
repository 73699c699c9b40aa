/* Export of the pipeline counters as libosmocore rate counters and stat items, for `show
 * stats`, CTRL (rate_ctr.*) and the statsd reporter. The decoders and the detector keep plain
 * integers on the hot path; a timer adds what they counted since the last sync.
 *
 * Groups: "input" (one per input, index = input index, named after it) with every counter of
 * SW_COUNTERS plus the input's drops and reconnections; "ss7watch" (index 0) with the
 * detector's and the alert sink's counters, and stat items for the tracker and the latency.
 * Counter names are the SW_COUNTERS names with '.' written ':' ('.' separates the levels of
 * CTRL and statsd names). */
#include <string.h>
#include <talloc.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/stat_item.h>
#include <osmocom/core/stats.h>
#include <osmocom/core/utils.h>
#include <ss7watch/output_sink.h>
#include <ss7watch/output_queue.h>
#include <ss7watch/output_incident.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/daemon.h>
#include <ss7watch/decode.h>
#include <ss7watch/detect.h>
#include <ss7watch/rules.h>
#include <ss7watch/track_ident.h>
#include <ss7watch/track_subscr.h>
#include <ss7watch/track_dialogue.h>

/* counters of an input after those of SW_COUNTERS */
enum {
	IN_CAPTURE_DROPS = SW_CTR__COUNT,
	IN_CAPTURE_IFDROPS,
	IN_RECONNECTS,
	IN_MESSAGES,
	IN__COUNT
};

enum {
	D_ALERTS,
	D_ALERTS_HIGH,
	D_ALERTS_MEDIUM,
	D_ALERTS_LOW,
	D_SUPPRESSED,
	D_WRITE_ERRORS,
	D_REOPENS,
	D_REOPEN_ERRORS,
	D_DROPPED,
	D_DROPPED_HIGH,
	D_DROPPED_MEDIUM,
	D_DROPPED_LOW,
	D_FILTERED,
	D_INCIDENTS,
	D_SUBSCR_EVICTED,
	D_DLG_MATCHED,
	D_DLG_UNMATCHED,
	D_DLG_EXPIRED,
	D_DLG_EVICTED,
	D_TABLE_GROWS,
	D_GT_FULL,
	D_IDENT_EVICTED,
	D_WINDOW_EVICTED,
	D_WATCH_LOST,
	D_MESSAGES,
	D_COMPONENTS,
	D_RULE0,
	D__COUNT = D_RULE0 + SW_RULE__COUNT
};

enum {
	SI_SUBSCRIBERS,
	SI_GTS,
	SI_INPUTS_UP,
	SI_LATENCY_P50,
	SI_LATENCY_P99,
	SI_QUEUE_USED,
	SI_SUBSCR_TABLE,
	SI_DLG_TABLE,
	SI_IDENTIFY,
	SI__COUNT
};

static const struct osmo_stat_item_desc stat_items[SI__COUNT] = {
	[SI_SUBSCRIBERS] = { "tracker:subscribers", "Subscribers in the tracker table", "", 16, 0 },
	[SI_GTS] = { "tracker:global_titles", "Distinct global titles seen", "", 16, 0 },
	[SI_INPUTS_UP] = { "inputs:up", "Inputs connected, capturing or reading", "", 16, 0 },
	[SI_SUBSCR_TABLE] = { "tracker:subscriber_table", "Subscribers the table holds now (it grows up to subscribers-max)", "", 16, 0 },
	[SI_DLG_TABLE] = { "tracker:dialogue_table", "Dialogues the table holds now (it grows up to transactions-max)", "", 16, 0 },
	[SI_IDENTIFY] = { "tracker:identify_steps", "Identify steps from outside in their table (up to identify-max)", "", 16, 0 },
	[SI_QUEUE_USED] = { "alerts:queue_used", "Bytes of alert lines waiting for the writer thread", "B", 16, 0 },
	[SI_LATENCY_P50] = { "latency:p50", "Median time from a live message's arrival to its alert", "us", 16, 0 },
	[SI_LATENCY_P99] = { "latency:p99", "99th percentile of that time", "us", 16, 0 },
};

static const struct osmo_stat_item_group_desc stat_group_desc = {
	.group_name_prefix = "ss7watch",
	.group_description = "ss7watch tracker and latency",
	.class_id = OSMO_STATS_CLASS_GLOBAL,
	.num_items = SI__COUNT,
	.item_desc = stat_items,
};

static struct rate_ctr_group_desc input_group_desc;
static struct rate_ctr_group_desc daemon_group_desc;
static struct rate_ctr_group *daemon_ctrg;
static struct osmo_stat_item_group *statg;
static uint64_t daemon_synced[D__COUNT];

/* "sctp.chunks" -> "sctp:chunks" */
static char *ctr_name(void *ctx, const char *name)
{
	char *s = talloc_strdup(ctx, name);

	for (char *p = s; *p; p++)
		if (*p == '.')
			*p = ':';
	return s;
}

static void build_input_desc(void *ctx)
{
	struct rate_ctr_desc *d = talloc_zero_array(ctx, struct rate_ctr_desc, IN__COUNT);

	for (unsigned i = 0; i < SW_CTR__COUNT; i++) {
		d[i].name = ctr_name(ctx, sw_ctr_name(i));
		d[i].description = sw_ctr_desc(i);
	}
	d[IN_CAPTURE_DROPS] = (struct rate_ctr_desc){ "capture:drops", "Frames the kernel dropped (capture buffer full)" };
	d[IN_CAPTURE_IFDROPS] = (struct rate_ctr_desc){ "capture:ifdrops", "Frames the interface or driver dropped" };
	d[IN_RECONNECTS] = (struct rate_ctr_desc){ "input:reconnects", "ASPs back after a loss, captures reopened" };
	d[IN_MESSAGES] = (struct rate_ctr_desc){ "input:messages", "Messages (sigtran) or frames (capture, file) received" };
	input_group_desc = (struct rate_ctr_group_desc){
		.group_name_prefix = "input",
		.group_description = "ss7watch input: decode pipeline counters",
		.class_id = OSMO_STATS_CLASS_GLOBAL,
		.num_ctr = IN__COUNT,
		.ctr_desc = d,
	};
}

static void build_daemon_desc(void *ctx)
{
	struct rate_ctr_desc *d = talloc_zero_array(ctx, struct rate_ctr_desc, D__COUNT);

	d[D_ALERTS] = (struct rate_ctr_desc){ "alerts:raised", "Alerts raised (all rules)" };
	d[D_ALERTS_HIGH] = (struct rate_ctr_desc){ "alerts:high", "Alerts of severity 1 (high)" };
	d[D_ALERTS_MEDIUM] = (struct rate_ctr_desc){ "alerts:medium", "Alerts of severity 2 (medium)" };
	d[D_ALERTS_LOW] = (struct rate_ctr_desc){ "alerts:low", "Alerts of severity 3 (low)" };
	d[D_SUPPRESSED] = (struct rate_ctr_desc){ "alerts:suppressed", "Alerts not raised: rule disabled or allowed" };
	d[D_WRITE_ERRORS] = (struct rate_ctr_desc){ "alerts:write_errors", "Alert lines an output failed to write" };
	d[D_REOPENS] = (struct rate_ctr_desc){ "alerts:reopens", "Alert file reopened (SIGHUP)" };
	d[D_REOPEN_ERRORS] = (struct rate_ctr_desc){ "alerts:reopen_errors", "Alert file reopen failed" };
	d[D_DROPPED] = (struct rate_ctr_desc){ "alerts:dropped", "Alerts dropped: the writer queue was full (slow output)" };
	d[D_DROPPED_HIGH] = (struct rate_ctr_desc){ "alerts:dropped_high", "Severity-1 lines the full writer queue dropped" };
	d[D_DROPPED_MEDIUM] = (struct rate_ctr_desc){ "alerts:dropped_medium", "Severity-2 lines the full writer queue dropped or pushed out" };
	d[D_DROPPED_LOW] = (struct rate_ctr_desc){ "alerts:dropped_low", "Severity-3 lines the full writer queue dropped or pushed out" };
	d[D_FILTERED] = (struct rate_ctr_desc){ "alerts:filtered", "Alerts not written: suppress, threshold, rate-filter or folded into a scan" };
	d[D_INCIDENTS] = (struct rate_ctr_desc){ "incidents:opened", "Incidents opened (alerts of a new origin)" };
	d[D_SUBSCR_EVICTED] = (struct rate_ctr_desc){ "tracker:subscribers_evicted", "Subscribers evicted from a full table (least recently seen)" };
	d[D_DLG_MATCHED] = (struct rate_ctr_desc){ "tracker:answers_matched", "Results and errors paired with the invoke they answer" };
	d[D_DLG_UNMATCHED] = (struct rate_ctr_desc){ "tracker:answers_unmatched", "Results and errors whose invoke was not seen" };
	d[D_DLG_EXPIRED] = (struct rate_ctr_desc){ "tracker:dialogues_expired", "Open dialogues forgotten after transaction-timeout" };
	d[D_DLG_EVICTED] = (struct rate_ctr_desc){ "tracker:dialogues_evicted", "Open dialogues evicted from a full table" };
	d[D_TABLE_GROWS] = (struct rate_ctr_desc){ "tracker:table_grows", "Times the subscriber or dialogue table doubled" };
	d[D_GT_FULL] = (struct rate_ctr_desc){ "tracker:global_titles_refused", "GTs not interned: the GT table was full (the windows key GTs by their digits)" };
	d[D_IDENT_EVICTED] = (struct rate_ctr_desc){ "tracker:identify_evicted", "Identify steps from outside evicted from a full bucket (oldest first)" };
	d[D_WINDOW_EVICTED] = (struct rate_ctr_desc){ "detector:windows_evicted", "Open scan or identity-rotation windows evicted from a full set (oldest first)" };
	d[D_WATCH_LOST] = (struct rate_ctr_desc){ "detector:sri_sm_not_judged", "SRI-for-SM watches and deliveries not judged: an identify step of their bucket was evicted" };
	d[D_MESSAGES] = (struct rate_ctr_desc){ "detector:messages", "Messages the detector saw" };
	d[D_COMPONENTS] = (struct rate_ctr_desc){ "detector:components", "MAP components evaluated" };
	for (unsigned r = 0; r < SW_RULE__COUNT; r++) {
		d[D_RULE0 + r].name = talloc_asprintf(ctx, "rule:%s", sw_rule_defs[r].id);
		d[D_RULE0 + r].description = sw_rule_defs[r].name;
	}
	daemon_group_desc = (struct rate_ctr_group_desc){
		.group_name_prefix = "ss7watch",
		.group_description = "ss7watch detector and alerts",
		.class_id = OSMO_STATS_CLASS_GLOBAL,
		.num_ctr = D__COUNT,
		.ctr_desc = d,
	};
}

int sw_counters_osmo_init(void *ctx)
{
	struct sw_input *in;

	build_input_desc(ctx);
	build_daemon_desc(ctx);
	daemon_ctrg = rate_ctr_group_alloc(ctx, &daemon_group_desc, 0);
	statg = osmo_stat_item_group_alloc(ctx, &stat_group_desc, 0);
	llist_for_each_entry(in, &g_sw->inputs, list) {
		in->ctrg = rate_ctr_group_alloc(in, &input_group_desc, in->index);
		if (in->ctrg)
			rate_ctr_group_set_name(in->ctrg, in->name);
	}
	return daemon_ctrg && statg ? 0 : -1;
}

/* rate_ctr_add() takes an int */
void sw_rate_ctr_catch_up(struct rate_ctr_group *g, unsigned idx, uint64_t value, uint64_t *synced)
{
	while (value > *synced) {
		uint64_t d = OSMO_MIN(value - *synced, (uint64_t)INT32_MAX);

		rate_ctr_add(rate_ctr_group_get_ctr(g, idx), (int)d);
		*synced += d;
	}
}

static void sync_input(struct sw_input *in, unsigned *up)
{
	struct sw_input_status st;

	if (!in->ctrg)
		return;
	for (unsigned i = 0; i < SW_CTR__COUNT; i++)
		sw_rate_ctr_catch_up(in->ctrg, i, in->dec->st.ctr[i], &in->synced[i]);
	sw_input_get_status(in, &st);
	sw_rate_ctr_catch_up(in->ctrg, IN_CAPTURE_DROPS, st.drops, &in->synced[IN_CAPTURE_DROPS]);
	sw_rate_ctr_catch_up(in->ctrg, IN_CAPTURE_IFDROPS, st.if_drops, &in->synced[IN_CAPTURE_IFDROPS]);
	sw_rate_ctr_catch_up(in->ctrg, IN_RECONNECTS, st.reconnects, &in->synced[IN_RECONNECTS]);
	sw_rate_ctr_catch_up(in->ctrg, IN_MESSAGES, st.msgs, &in->synced[IN_MESSAGES]);
	if (!strcmp(st.state, "up") || !strcmp(st.state, "running"))
		(*up)++;
}

static int32_t clamp32(uint64_t v)
{
	return v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

void sw_counters_osmo_sync(void)
{
	const struct sw_detector_stats *ds;
	const struct sw_alert_sink_stats *ss;
	struct sw_subscr_stats sst;
	struct sw_txn_stats tst;
	struct sw_gt_stats gst;
	struct sw_ident_stats ist;
	struct sw_input *in;
	unsigned up = 0;

	if (!g_sw || !daemon_ctrg || !statg)
		return;
	llist_for_each_entry(in, &g_sw->inputs, list)
		sync_input(in, &up);
	osmo_stat_item_set(osmo_stat_item_group_get_item(statg, SI_INPUTS_UP), up);
	/* a cluster sensor has inputs only: its own counter group says what it published */
	if (!g_sw->det)
		return;

	ds = sw_detector_stats(g_sw->det);
	ss = sw_alert_sink_stats(g_sw->sink);
	sw_rate_ctr_catch_up(daemon_ctrg, D_ALERTS, ds->alerts, &daemon_synced[D_ALERTS]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_ALERTS_HIGH, ss->by_severity[1], &daemon_synced[D_ALERTS_HIGH]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_ALERTS_MEDIUM, ss->by_severity[2], &daemon_synced[D_ALERTS_MEDIUM]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_ALERTS_LOW, ss->by_severity[3], &daemon_synced[D_ALERTS_LOW]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_SUPPRESSED, ds->suppressed, &daemon_synced[D_SUPPRESSED]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_WRITE_ERRORS, ss->write_errors, &daemon_synced[D_WRITE_ERRORS]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_REOPENS, ss->reopens, &daemon_synced[D_REOPENS]);
	if (ss->reopen_errors > daemon_synced[D_REOPEN_ERRORS])
		LOGP(DALERT, LOGL_ERROR, "cannot reopen the alert file; still writing to the old one\n");
	sw_rate_ctr_catch_up(daemon_ctrg, D_REOPEN_ERRORS, ss->reopen_errors, &daemon_synced[D_REOPEN_ERRORS]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_FILTERED, sw_threshold_filtered(g_sw->filters), &daemon_synced[D_FILTERED]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_INCIDENTS, sw_incidents_stats(g_sw->incidents)->opened, &daemon_synced[D_INCIDENTS]);
	{
		/* the queue counts the lines refused and those pushed out for a higher severity */
		struct sw_alert_queue_stats qs = { 0 };

		sw_alert_sink_queue_stats(g_sw->sink, &qs);
		if (qs.dropped > daemon_synced[D_DROPPED])
			LOGP(DALERT, LOGL_ERROR, "%llu alerts dropped: the alert output is too slow (queue full)\n",
			     (unsigned long long)(qs.dropped - daemon_synced[D_DROPPED]));
		sw_rate_ctr_catch_up(daemon_ctrg, D_DROPPED, qs.dropped, &daemon_synced[D_DROPPED]);
		for (unsigned sev = 1; sev <= 3; sev++)
			sw_rate_ctr_catch_up(daemon_ctrg, D_DROPPED_HIGH + sev - 1, qs.dropped_by_severity[sev],
					     &daemon_synced[D_DROPPED_HIGH + sev - 1]);
	}
	sw_rate_ctr_catch_up(daemon_ctrg, D_MESSAGES, ds->messages, &daemon_synced[D_MESSAGES]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_COMPONENTS, ds->components, &daemon_synced[D_COMPONENTS]);
	for (unsigned r = 0; r < SW_RULE__COUNT; r++)
		sw_rate_ctr_catch_up(daemon_ctrg, D_RULE0 + r, ds->alerts_by_rule[r], &daemon_synced[D_RULE0 + r]);

	sw_subscr_table_stats(sw_detector_subscribers(g_sw->det), &sst);
	sw_txn_table_stats(sw_detector_txns(g_sw->det), &tst);
	sw_gt_table_stats(sw_detector_gts(g_sw->det), &gst);
	sw_ident_table_stats(sw_detector_idents(g_sw->det), &ist);
	sw_rate_ctr_catch_up(daemon_ctrg, D_GT_FULL, gst.full, &daemon_synced[D_GT_FULL]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_IDENT_EVICTED, ist.evictions, &daemon_synced[D_IDENT_EVICTED]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_WINDOW_EVICTED, ds->origin_evictions + ds->target_evictions,
			     &daemon_synced[D_WINDOW_EVICTED]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_WATCH_LOST, ds->sri_sm_watch_lost + ds->mtfsm_unknown, &daemon_synced[D_WATCH_LOST]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_SUBSCR_EVICTED, sst.evictions, &daemon_synced[D_SUBSCR_EVICTED]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_DLG_MATCHED, tst.matched, &daemon_synced[D_DLG_MATCHED]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_DLG_UNMATCHED, tst.unmatched, &daemon_synced[D_DLG_UNMATCHED]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_DLG_EXPIRED, tst.expired, &daemon_synced[D_DLG_EXPIRED]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_DLG_EVICTED, tst.evicted, &daemon_synced[D_DLG_EVICTED]);
	sw_rate_ctr_catch_up(daemon_ctrg, D_TABLE_GROWS, sst.grows + tst.grows, &daemon_synced[D_TABLE_GROWS]);
	osmo_stat_item_set(osmo_stat_item_group_get_item(statg, SI_SUBSCR_TABLE), clamp32(sst.capacity));
	osmo_stat_item_set(osmo_stat_item_group_get_item(statg, SI_DLG_TABLE), clamp32(tst.capacity));
	osmo_stat_item_set(osmo_stat_item_group_get_item(statg, SI_SUBSCRIBERS), clamp32(sst.count));
	osmo_stat_item_set(osmo_stat_item_group_get_item(statg, SI_GTS), clamp32(gst.count));
	osmo_stat_item_set(osmo_stat_item_group_get_item(statg, SI_IDENTIFY), clamp32(ist.count));
	{
		struct sw_alert_queue_stats qs = { 0 };

		sw_alert_sink_queue_stats(g_sw->sink, &qs);
		osmo_stat_item_set(osmo_stat_item_group_get_item(statg, SI_QUEUE_USED), clamp32(qs.used));
	}
	osmo_stat_item_set(osmo_stat_item_group_get_item(statg, SI_LATENCY_P50),
			   clamp32(sw_latency_quantile(&g_sw->latency, 0.5)));
	osmo_stat_item_set(osmo_stat_item_group_get_item(statg, SI_LATENCY_P99),
			   clamp32(sw_latency_quantile(&g_sw->latency, 0.99)));
}
