/*! \file output_traffic.h
 *  Traffic accounting: the `"event_type":"stats"` line of the EVE stream. Every MAP
 *  component the detector evaluates (detect.h, sw_component_fn) is counted into a cell
 *  (origin network, or its country when no network is configured; direction; FS.11
 *  category; operation) as seen, alerted or allowed; every stats-interval seconds of capture
 *  time, and once at the end, one line gives those cells with the decoder, error and alert
 *  counters. doc/alert-schema.md describes the line.
 *
 *  The cell table is fixed (cfg.max_cells, with a seeded open-addressing index probed a
 *  bounded number of slots): cells beyond it, or that the probes do not place, are summed as
 *  "other". Counting a component costs one hash and a few probes, no allocation. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/time.h>
#include <ss7watch/counters.h>
#include <ss7watch/detect.h>
#include <ss7watch/output_incident.h>

struct sw_traffic;
struct sw_alert_sink;
struct sw_threshold;

/*! Settings of the accounting. */
struct sw_traffic_cfg {
	uint32_t interval_s;	/*!< capture seconds between lines; 0: the final line only */
	uint32_t max_cells;	/*!< cells of one interval at most (1..) */
};

/*! Where the counters of a line come from; any may be NULL (left out as zero). */
struct sw_traffic_sources {
	/*! the decoder counters, summed over every input (zeroed by the caller) */
	void (*decoder_stats)(void *priv, struct sw_stats *out);
	void *decoder_priv;
	const struct sw_alert_sink *sink;
	const struct sw_threshold *filters;
	const struct sw_incidents *incidents;
};

struct sw_config;

/*! The settings of cfg's `alerts` node (stats-interval, stats-cells). */
struct sw_traffic_cfg sw_traffic_cfg_from(const struct sw_config *cfg);

/*! The accounting (talloc child of ctx); lines go to write_line(line_priv, ...) with
 *  severity 3. \returns NULL when out of memory. */
struct sw_traffic *sw_traffic_alloc(void *ctx, const struct sw_traffic_cfg *cfg, const struct sw_traffic_sources *src,
				    sw_event_line_fn write_line, void *line_priv);

/*! Name the input the next messages come from (the line's pcap_filename or in_iface). */
void sw_traffic_set_input(struct sw_traffic *t, const char *name, bool live);

/*! Capture time moves on to now (a message's time): when it passes the end of the
 *  interval, write that interval's line and start the interval now falls in. Call before the
 *  message's components are counted. */
void sw_traffic_advance(struct sw_traffic *t, const struct timeval *now);

/*! The component hook of detect.h (priv: the accounting): count one component. */
void sw_traffic_count(void *priv, const struct sw_component_origin *o, uint32_t alerts);

/*! End of input or shutdown: write the final line (interval up to the latest capture time). */
void sw_traffic_final(struct sw_traffic *t);

/*! Stats lines written, and lines the outputs did not take. */
uint64_t sw_traffic_lines(const struct sw_traffic *t, uint64_t *write_errors);
