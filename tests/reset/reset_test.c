/* A reset decoder, pairing table, detector, alert filter stage and incident stage behave as
 * new ones (sw_decoder_reset(), track_pairing_reset(), sw_detector_reset(),
 * sw_threshold_reset(), sw_incidents_reset()): the fuzz harnesses rely on it so that a crash
 * reproduces from its input alone. Each trace is replayed by new objects, and by objects that
 * replayed another trace first and were then reset; the alert and incident lines, the --dump
 * lines with paired results and every counter must be the same.
 * usage: reset_test CONFIG TRACE... ; exit 1 on a difference (printed). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/config.h>
#include <ss7watch/decode.h>
#include <ss7watch/detect.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/input_pcap.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/output_eve.h>
#include <ss7watch/output_incident.h>
#include <ss7watch/output_stats.h>
#include <ss7watch/rules.h>
#include <ss7watch/track_dialogue.h>
#include <ss7watch/track_pairing.h>
#include <ss7watch/track_subscr.h>

/* One pipeline: a detecting decoder and a dumping decoder with its pairing table. */
struct pipe {
	struct sw_decoder *dec, *dump_dec;
	struct sw_detector *det;
	struct track_pairing *tp;
	struct sw_threshold *filters;
	struct sw_incidents *incidents;
	struct sw_eve *eve;
	FILE *out;		/* what this replay wrote */
};

static int emit(void *priv, const struct sw_alert *a)
{
	struct pipe *p = priv;
	char *line;
	size_t n = sw_eve_format(p->eve, a, &line);

	fprintf(p->out, "%.*s\n", (int)n, line);
	return 0;
}

static int write_line(void *priv, const char *line, size_t len, uint8_t severity)
{
	struct pipe *p = priv;

	fprintf(p->out, "%.*s\n", (int)len, line);
	return 0;
}

static void on_dump(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	struct pipe *p = priv;

	sw_dump_msg(p->out, msg);
}

static struct pipe *pipe_alloc(void *ctx, const struct sw_config *cfg)
{
	struct pipe *p = talloc_zero(ctx, struct pipe);
	struct sw_incident_cfg icfg = sw_incident_cfg_from(cfg, 0);
	char err[256];

	p->eve = sw_eve_alloc(p, NULL, 0, false);
	p->incidents = sw_incidents_alloc(p, &icfg, emit, p, write_line, p);
	p->filters = p->incidents ? sw_threshold_alloc(p, cfg, sw_incidents_emit, p->incidents, err, sizeof(err)) : NULL;
	p->det = p->filters ? sw_detector_alloc(p, cfg, sw_threshold_emit, p->filters, err, sizeof(err)) : NULL;
	if (!p->det) {
		fprintf(stderr, "reset_test: %s\n", err);
		exit(2);
	}
	p->dec = sw_decoder_alloc(p, NULL, sw_detector_on_msg, p->det);
	p->dump_dec = sw_decoder_alloc(p, NULL, on_dump, p);
	/* a small table, so that a trace also evicts */
	p->tp = track_pairing_attach(p->dump_dec, 16, 0);
	if (!p->eve || !p->dec || !p->dump_dec || !p->tp)
		exit(2);
	return p;
}

/* Replay path through p; what it wrote and every counter, as one string (free()). */
static char *replay(struct pipe *p, const char *path)
{
	struct sw_subscr_stats ss;
	struct sw_gt_stats gs;
	struct sw_txn_stats ts;
	const struct sw_detector_stats *ds;
	char *buf = NULL, err[256];
	size_t len = 0;

	p->out = open_memstream(&buf, &len);
	sw_detector_set_input(p->det, path, false);
	if (sw_pcap_replay(p->dec, path, NULL, err, sizeof(err)) < 0 ||
	    sw_pcap_replay(p->dump_dec, path, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "reset_test: %s\n", err);
		exit(2);
	}
	sw_detector_flush(p->det);
	sw_incidents_close_all(p->incidents);
	sw_stats_print(p->out, &p->dec->st);
	sw_stats_print(p->out, &p->dump_dec->st);
	ds = sw_detector_stats(p->det);
	fprintf(p->out, "messages %llu components %llu alerts %llu suppressed %llu watch_full %llu\n",
		(unsigned long long)ds->messages, (unsigned long long)ds->components,
		(unsigned long long)ds->alerts, (unsigned long long)ds->suppressed,
		(unsigned long long)ds->sri_sm_watch_full);
	sw_subscr_table_stats(sw_detector_subscribers(p->det), &ss);
	sw_gt_table_stats(sw_detector_gts(p->det), &gs);
	sw_txn_table_stats(sw_detector_txns(p->det), &ts);
	fprintf(p->out, "subscribers %u/%u lookups %llu inserts %llu evictions %llu, gts %u full %llu probe_limit %llu, "
		"dialogues %u inserted %llu matched %llu unmatched %llu expired %llu evicted %llu closed %llu\n",
		ss.count, ss.capacity, (unsigned long long)ss.lookups, (unsigned long long)ss.inserts,
		(unsigned long long)ss.evictions, gs.count, (unsigned long long)gs.full,
		(unsigned long long)gs.probe_limit, ts.capacity,
		(unsigned long long)ts.inserted, (unsigned long long)ts.matched, (unsigned long long)ts.unmatched,
		(unsigned long long)ts.expired, (unsigned long long)ts.evicted, (unsigned long long)ts.closed);
	fprintf(p->out, "filtered %llu evictions %llu, incidents opened %llu\n",
		(unsigned long long)sw_threshold_filtered(p->filters),
		(unsigned long long)sw_threshold_stats(p->filters)->evictions,
		(unsigned long long)sw_incidents_stats(p->incidents)->opened);
	fclose(p->out);
	return buf;
}

static void reset(struct pipe *p)
{
	sw_detector_reset(p->det);
	sw_decoder_reset(p->dec);
	sw_decoder_reset(p->dump_dec);
	track_pairing_reset(p->tp);
	sw_threshold_reset(p->filters);
	sw_incidents_reset(p->incidents);
}

static bool rule_id_valid(const char *id)
{
	return sw_rule_by_id(id) >= 0;
}

int main(int argc, char **argv)
{
	void *ctx = talloc_named_const(NULL, 0, "reset_test");
	struct sw_config *cfg;
	struct pipe *reused;
	uint64_t alerts = 0;
	unsigned failed = 0;
	char err[512];

	if (argc < 3) {
		fprintf(stderr, "usage: reset_test CONFIG TRACE...\n");
		return 2;
	}
	sw_config_set_rule_validator(rule_id_valid);
	if (sw_config_load(ctx, argv[1], &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "reset_test: %s\n", err);
		return 2;
	}
	/* the smallest tables the config accepts: the traces fill and evict them */
	cfg->tracker.max_subscribers = 1024;
	cfg->tracker.max_transactions = 1024;
	cfg->tracker.max_identify = 1024;
	/* and small filter and incident tables (a reset clears them whole) */
	cfg->alerts.filter_entries = 64;
	cfg->alerts.incident_max_open = 16;
	reused = pipe_alloc(ctx, cfg);
	for (int i = 2; i < argc; i++) {
		struct pipe *fresh = pipe_alloc(ctx, cfg);
		const char *other = argv[i + 1 < argc ? i + 1 : 2];
		char *want = replay(fresh, argv[i]), *got, *dirty;

		alerts += sw_detector_stats(fresh->det)->alerts;
		/* another trace first, so that there is something to forget */
		reset(reused);
		dirty = replay(reused, other);
		reset(reused);
		got = replay(reused, argv[i]);
		if (strcmp(want, got)) {
			fprintf(stderr, "%s: after a reset (the detector had replayed %s):\n%s\n"
				"--- a new detector:\n%s\n", argv[i], other, got, want);
			failed++;
		}
		free(want);
		free(got);
		free(dirty);
		talloc_free(fresh);
	}
	printf("%d traces, %llu alerts: %u differ after a reset\n", argc - 2, (unsigned long long)alerts, failed);
	talloc_free(ctx);
	return failed ? 1 : 0;
}
