/* libFuzzer harness: the whole replay pipeline, decode -> track -> detect -> alert JSON, with
 * a fixed configuration: doc/examples/ss7watch.cfg (FUZZ_CONFIG, or $SS7WATCH_FUZZ_CONFIG)
 * with the thresholds lowered so that the correlation rules fire within one input, every
 * rule enabled as the example has them.
 * Input: fuzz_decode_frames() (fuzz_common.h); the selector's bit 5 pseudonymises the alerts,
 * bits 6-7 set the time between frames (1 ms, 1 s, 30 s, 10 min).
 * Checks: every alert the detector raises is written as one line that parses as a JSON
 * object whose event_type is "alert"; abort() otherwise.
 * The decoder, detector and sinks are allocated once; before every input the decoder and
 * the detector are reset (everything learned from the wire is forgotten), so an input
 * replays as in a new process. Only the sinks' totals carry over. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <talloc.h>
#include <ss7watch/config.h>
#include <ss7watch/detect.h>
#include <ss7watch/output_sink.h>
#include <ss7watch/rules.h>
#include "fuzz_common.h"

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
static struct sw_alert_sink *sinks[2];
static FILE *streams[2];
static struct sw_alert_sink *cur_sink;	/* this input's */

/* The detector's emit hook: to the sink the input's selector picked. */
static int fuzz_emit(void *priv, const struct sw_alert *a)
{
	return sw_alert_sink_emit(cur_sink, a);
}

/* What the sinks wrote that is not yet a whole line, and the lines checked. */
static char *pending;
static size_t pending_len, pending_cap;
static uint64_t lines;

static void check_line(const char *s, size_t len)
{
	json_error_t jerr;
	json_t *o = json_loadb(s, len, 0, &jerr);
	const char *type;

	if (!o || !json_is_object(o)) {
		fprintf(stderr, "fuzz_pipeline: alert line is not a JSON object (%s): %.*s\n",
			o ? "not an object" : jerr.text, (int)len, s);
		abort();
	}
	type = json_string_value(json_object_get(o, "event_type"));
	if (!type || strcmp(type, "alert")) {
		fprintf(stderr, "fuzz_pipeline: alert line without event_type alert: %.*s\n", (int)len, s);
		abort();
	}
	json_decref(o);
	lines++;
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
	fprintf(stderr, "fuzz_pipeline: %llu alert lines checked\n", (unsigned long long)lines);
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
	return cfg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const cookie_io_functions_t io = { .write = stream_write };
	void *ctx = talloc_named_const(NULL, 0, "fuzz_pipeline");
	struct sw_config *cfg;
	char err[512];

	fuzz_fix_seed();
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
	uint64_t emitted, alerts, lines_before = lines;

	if (size < 1)
		return 0;
	sink = sinks[(data[0] >> 5) & 1];
	sw_detector_reset(det);
	sw_decoder_reset(dec);
	cur_sink = sink;
	emitted = sw_alert_sink_stats(sink)->emitted;
	fuzz_decode_frames(dec, data, size, steps_usec[data[0] >> 6]);
	sw_detector_flush(det);

	/* every alert raised became one whole line */
	alerts = sw_detector_stats(det)->alerts;
	if (sw_alert_sink_stats(sink)->emitted - emitted != alerts || lines - lines_before != alerts ||
	    pending_len) {
		fprintf(stderr, "fuzz_pipeline: %llu alerts raised, %llu formatted, %llu lines written%s\n",
			(unsigned long long)alerts,
			(unsigned long long)(sw_alert_sink_stats(sink)->emitted - emitted),
			(unsigned long long)(lines - lines_before), pending_len ? " and part of one" : "");
		abort();
	}
	return 0;
}
