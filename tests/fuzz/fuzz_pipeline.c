/* libFuzzer harness: the whole replay pipeline, decode -> track -> detect -> alert filters
 * (suppress, fold into scan, threshold, rate-filter) -> incidents -> alert JSON, with a fixed
 * configuration: doc/examples/ss7watch.cfg (FUZZ_CONFIG, or $SS7WATCH_FUZZ_CONFIG)
 * with the thresholds lowered so that the correlation rules fire within one input, every
 * rule enabled as the example has them.
 * Input: fuzz_decode_frames() (fuzz_common.h); the selector's bit 5 pseudonymises the alerts,
 * bits 6-7 set the time between frames (1 ms, 1 s, 30 s, 10 min).
 * Checks: every alert the detector raises is either held back by the filters (counted) or
 * written as one line; every line parses as a JSON object whose event_type is "alert" or
 * "incident"; every alert line names (incident_id) an incident line of the same input, which
 * ends by closing every incident; abort() otherwise.
 * The decoder, detector, filters, incidents and sinks are allocated once; before every input
 * each stage is reset (everything learned from the wire is forgotten), so an input replays
 * as in a new process. Only the sinks' totals carry over. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/config.h>
#include <ss7watch/detect.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/output_incident.h>
#include <ss7watch/output_sink.h>
#include <ss7watch/rules.h>
#include "fuzz_common.h"
#include "json_check.h"

#ifndef FUZZ_CONFIG
#define FUZZ_CONFIG	"doc/examples/ss7watch.cfg"
#endif

/* Thresholds a few messages reach (the example's rules keep their other settings). */
static const struct {
	const char *rule, *param;
	uint32_t value;
} fuzz_params[] = {
	{ "scan", "threshold", 3 },
	{ "identity-rotation", "threshold", 2 },
	{ "auth-vector-harvesting", "max-vectors", 1 },
};

static const uint8_t pseudo_key[32] = "ss7watch fuzz pseudonymise key!";
static const uint64_t steps_usec[4] = { 1000, 1000000, 30000000, 600000000 };

static struct sw_decoder *dec;
static struct sw_detector *det;
/* two alert paths, plain and pseudonymised: filters -> incidents -> sink */
static struct sw_alert_sink *sinks[2];
static struct sw_incidents *incidents[2];
static struct sw_threshold *filters[2];
static FILE *streams[2];
static unsigned cur;	/* this input's path */

/* The detector's emit hook: to the path the input's selector picked. */
static int fuzz_emit(void *priv, const struct sw_alert *a)
{
	return sw_threshold_emit(filters[cur], a);
}

/* The incident ids of this input: named by alert lines, and written as incident lines. */
#define MAX_IDS		4096
static uint64_t named_ids[MAX_IDS], incident_ids[MAX_IDS];
static unsigned n_named, n_incident;
static uint64_t alert_lines, incident_lines;

static void remember(uint64_t *ids, unsigned *n, uint64_t id)
{
	for (unsigned i = 0; i < *n; i++)
		if (ids[i] == id)
			return;
	if (*n == MAX_IDS)
		abort();	/* more incidents than alerts a 2 KiB input can raise */
	ids[(*n)++] = id;
}

/* What the sinks wrote that is not yet a whole line. */
static char *pending;
static size_t pending_len, pending_cap;

static void check_line(const char *s, size_t len)
{
	struct json_check j;
	bool alert;

	if (!json_check_object(&j, s, len)) {
		fprintf(stderr, "fuzz_pipeline: line is not one JSON object (error at byte %zu): %.*s\n",
			(size_t)(j.p - s), (int)len, s);
		abort();
	}
	alert = j.event_type_len == 5 && !memcmp(j.event_type, "alert", 5);
	if ((!alert && !(j.event_type_len == 8 && !memcmp(j.event_type, "incident", 8))) || !j.has_incident_id) {
		fprintf(stderr, "fuzz_pipeline: line without event_type alert or incident, or without "
			"incident_id: %.*s\n", (int)len, s);
		abort();
	}
	if (alert) {
		remember(named_ids, &n_named, (uint64_t)j.incident_id);
		alert_lines++;
	} else {
		remember(incident_ids, &n_incident, (uint64_t)j.incident_id);
		incident_lines++;
	}
}

static ssize_t stream_write(void *cookie, const char *buf, size_t size)
{
	size_t start = 0;

	if (pending_len + size > pending_cap) {
		pending_cap = (pending_len + size) * 2;
		pending = realloc(pending, pending_cap);
		if (!pending)
			abort();
	}
	memcpy(pending + pending_len, buf, size);
	pending_len += size;
	for (size_t i = 0; i < pending_len; i++) {
		if (pending[i] != '\n')
			continue;
		check_line(pending + start, i - start);
		start = i + 1;
	}
	memmove(pending, pending + start, pending_len - start);
	pending_len -= start;
	return size;
}

/* At the end of a run: the oracle had something to check. */
static void report(void)
{
	fprintf(stderr, "fuzz_pipeline: %llu alert lines and %llu incident lines checked\n",
		(unsigned long long)alert_lines, (unsigned long long)incident_lines);
}

static bool rule_id_valid(const char *id)
{
	return sw_rule_by_id(id) >= 0;
}

/* The example config, thresholds lowered and the smallest tracker tables the config accepts
 * (a reset clears them whole). */
static struct sw_config *fuzz_config(void *ctx)
{
	const char *path = getenv("SS7WATCH_FUZZ_CONFIG") ? getenv("SS7WATCH_FUZZ_CONFIG") : FUZZ_CONFIG;
	struct sw_config *cfg;
	char err[512];

	sw_config_set_rule_validator(rule_id_valid);
	if (sw_config_load(ctx, path, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_pipeline: %s\n", err);
		abort();
	}
	for (unsigned i = 0; i < sizeof(fuzz_params) / sizeof(fuzz_params[0]); i++) {
		struct sw_config_rule *r = (struct sw_config_rule *)sw_config_rule_find(cfg, fuzz_params[i].rule);
		unsigned k;

		if (!r) {
			fprintf(stderr, "fuzz_pipeline: %s has no rule %s\n", path, fuzz_params[i].rule);
			abort();
		}
		for (k = 0; k < r->n_params && strcmp(r->params[k].name, fuzz_params[i].param); k++)
			;
		if (k == r->n_params) {
			if (k == SW_CONFIG_RULE_PARAMS)
				abort();
			r->n_params++;
			r->params[k].name = fuzz_params[i].param;
		}
		r->params[k].value = fuzz_params[i].value;
	}
	cfg->tracker.max_subscribers = 1024;
	cfg->tracker.max_transactions = 1024;
	cfg->tracker.max_identify = 1024;
	cfg->tracker.transaction_timeout_s = 30;
	cfg->tracker.preallocate = false;
	/* small filter and incident tables: a reset clears them whole, and a full table
	 * (eviction, early close) is within reach of one input */
	cfg->alerts.filter_entries = 64;
	cfg->alerts.incident_max_open = 16;
	return cfg;
}

/* The line oracle itself, before it judges anything: an oracle that passes everything
 * would make this harness pass whatever the writers do. */
static void json_check_selftest(void)
{
	static const char *const good[] = {
		"{\"event_type\":\"alert\",\"incident_id\":7,\"a\":[1,-2.5e3,true,null,{}],\"s\":\"\\u00e9\\n\"}",
		" {\"incident_id\":0,\"event_type\":\"incident\",\"x\":[]} ",
	};
	static const char *const bad[] = {
		"", "{", "{}x", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}",
		"{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":tru}", "[1]", "{\"a\":\"\x01\"}",
		"{\"a\":\"\xc3\xa9\"}", "{\"a\":[1 2]}", "{\"a\":\"open}",
	};
	struct json_check j;

	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!json_check_object(&j, good[i], strlen(good[i])) || !j.has_incident_id || !j.event_type)
			abort();
	if (j.incident_id != 0 || j.event_type_len != 8)
		abort();
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (json_check_object(&j, bad[i], strlen(bad[i]))) {
			fprintf(stderr, "fuzz_pipeline: the line checker accepts %s\n", bad[i]);
			abort();
		}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const cookie_io_functions_t io = { .write = stream_write };
	void *ctx = talloc_named_const(NULL, 0, "fuzz_pipeline");
	struct sw_incident_cfg icfg;
	struct sw_config *cfg;
	char err[512];

	fuzz_fix_seed();
	json_check_selftest();
	atexit(report);
	cfg = fuzz_config(ctx);
	for (unsigned i = 0; i < 2; i++) {
		struct sw_alert_sink_cfg scfg = {
			.pseudo_key = i ? pseudo_key : NULL,
			.pseudo_key_len = i ? sizeof(pseudo_key) : 0,
			.summary = true,
		};

		streams[i] = fopencookie(NULL, "w", io);
		if (!streams[i])
			abort();
		scfg.stream = streams[i];
		sinks[i] = sw_alert_sink_open(ctx, &scfg, err, sizeof(err));
		if (!sinks[i]) {
			fprintf(stderr, "fuzz_pipeline: %s\n", err);
			abort();
		}
		icfg = sw_incident_cfg_from(cfg, 0);
		icfg.pseudo_key = scfg.pseudo_key;
		icfg.pseudo_key_len = scfg.pseudo_key_len;
		incidents[i] = sw_incidents_alloc(ctx, &icfg, sw_alert_sink_emit, sinks[i], sw_alert_sink_write_event,
						  sinks[i]);
		filters[i] = incidents[i] ? sw_threshold_alloc(ctx, cfg, sw_incidents_emit, incidents[i], err,
								  sizeof(err))
					  : NULL;
		if (!filters[i]) {
			fprintf(stderr, "fuzz_pipeline: out of memory (%s)\n", err);
			abort();
		}
	}
	det = sw_detector_alloc(ctx, cfg, fuzz_emit, NULL, err, sizeof(err));
	if (!det) {
		fprintf(stderr, "fuzz_pipeline: %s\n", err);
		abort();
	}
	sw_detector_set_input(det, "fuzz.pcap", false);
	dec = sw_decoder_alloc(ctx, NULL, sw_detector_on_msg, det);
	if (!dec)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_alert_sink *sink;
	uint64_t emitted, alerts, filtered, alert_lines_before = alert_lines;

	if (size < 1)
		return 0;
	cur = (data[0] >> 5) & 1;
	sink = sinks[cur];
	sw_detector_reset(det);
	sw_decoder_reset(dec);
	sw_threshold_reset(filters[cur]);
	sw_incidents_reset(incidents[cur]);
	n_named = n_incident = 0;
	emitted = sw_alert_sink_stats(sink)->emitted;
	fuzz_decode_frames(dec, data, size, steps_usec[data[0] >> 6]);
	sw_detector_flush(det);
	sw_incidents_close_all(incidents[cur]);

	/* every alert raised was held back by a filter or became one whole line */
	alerts = sw_detector_stats(det)->alerts;
	filtered = sw_threshold_filtered(filters[cur]);
	if (sw_alert_sink_stats(sink)->emitted - emitted + filtered != alerts ||
	    alert_lines - alert_lines_before + filtered != alerts || pending_len) {
		fprintf(stderr, "fuzz_pipeline: %llu alerts raised, %llu filtered, %llu formatted, %llu lines "
			"written%s\n", (unsigned long long)alerts, (unsigned long long)filtered,
			(unsigned long long)(sw_alert_sink_stats(sink)->emitted - emitted),
			(unsigned long long)(alert_lines - alert_lines_before), pending_len ? " and part of one" : "");
		abort();
	}
	/* and every alert line names an incident that was written */
	for (unsigned i = 0; i < n_named; i++) {
		unsigned k;

		for (k = 0; k < n_incident && incident_ids[k] != named_ids[i]; k++)
			;
		if (k == n_incident) {
			fprintf(stderr, "fuzz_pipeline: an alert line names incident %llu, which has no line\n",
				(unsigned long long)named_ids[i]);
			abort();
		}
	}
	return 0;
}
