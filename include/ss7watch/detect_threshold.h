/*! \file detect_threshold.h
 *  The alert filter stage between the detector and the output: Suricata's suppress,
 *  threshold (limit, threshold, both) and rate_filter, configured per rule and for every
 *  rule (config.h, struct sw_config_filters), and the folding of an origin's recon alerts
 *  into the scan its burst raised. It sits on the emit hook of alert.h: the detector hands
 *  it each alert, it hands each one on with a verdict (alert.h, enum sw_alert_verdict) and,
 *  for a line that is written, how many hits it stands for (count, suppressed). Alerts a
 *  `suppress` line matches are not handed on at all.
 *
 *  Windows run in capture time (the latest alert time seen), so a replay filters exactly as
 *  the live run did. Hit counts live in one bounded table keyed by (rule, key) with a seeded
 *  hash; a full bucket evicts its least recently hit key, counted. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <ss7watch/alert.h>
#include <ss7watch/rules.h>

struct sw_config;
struct sw_threshold;

/*! Counters of the filter stage. */
struct sw_threshold_stats {
	uint64_t seen;			/*!< alerts handed to the stage */
	uint64_t suppressed;		/*!< matched a `suppress` line (not handed on) */
	uint64_t thresholded;		/*!< held back by a threshold */
	uint64_t rate_filtered;		/*!< held back by a rate-filter (new-action pass) */
	uint64_t escalated;		/*!< written with severity 1 by a rate-filter (new-action escalate) */
	uint64_t folded;		/*!< recon alerts counted into their origin's scan */
	uint64_t evictions;		/*!< keys evicted from the full table */
	/*! alerts not written per rule, whatever the reason (suppress, threshold, rate, fold) */
	uint64_t filtered_by_rule[SW_RULE__COUNT];
};

/*! The stage for cfg's filters, handing alerts to next(next_priv, alert).
 *  \returns NULL with a reason in err (out of memory). */
struct sw_threshold *sw_threshold_alloc(void *ctx, const struct sw_config *cfg, sw_alert_emit_fn next,
					void *next_priv, char *err, size_t errlen);

/*! The emit hook of alert.h (priv: the stage). \returns what next returned for a line that is
 *  written, 0 for one held back. */
int sw_threshold_emit(void *priv, const struct sw_alert *a);

/*! Forget every key and counter, keep the memory and the configuration: afterwards t filters
 *  as a new stage would. Clears the whole table (a fuzzer configures a small one). */
void sw_threshold_reset(struct sw_threshold *t);

/*! Counters. */
const struct sw_threshold_stats *sw_threshold_stats(const struct sw_threshold *t);

/*! Alerts not written by the filters, all rules. */
uint64_t sw_threshold_filtered(const struct sw_threshold *t);
