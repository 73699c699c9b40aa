/*! \file output_incident.h
 *  Incidents: the alerts of one origin (its calling GT, or for a spoofed home GT the network
 *  whose link it came in on) until it has been quiet for an idle window of capture time. A
 *  stage on the emit hook of alert.h, after the filters (detect_threshold.h): it gives every
 *  alert its incident_id, counts every alert into its incident whatever the filters decided,
 *  hands the ones to be written (verdict SW_ALERT_WRITE) to the next hook, and writes one
 *  `"event_type": "incident"` line per incident when it closes: idle in capture time, pushed
 *  out of a full table, or at the end (shutdown, end of a replay). doc/alert-schema.md
 *  describes the line. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <jansson.h>
#include <ss7watch/alert.h>

struct sw_incidents;

/*! Writes one event line (with its '\n') to the outputs of the alerts, e.g.
 *  sw_alert_sink_write_event(). \returns 0, or -1 when it was not written. */
typedef int (*sw_event_line_fn)(void *priv, const char *line, size_t len, uint8_t severity);

/*! The compact JSON text of o, with its '\n', in *line (of *cap bytes, a talloc child of ctx,
 *  grown when too small): the event lines (incident, stats) share it.
 *  \returns the length, 0 when it cannot be made. */
size_t sw_event_line_put(void *ctx, char **line, size_t *cap, json_t *o);

/*! A capture time as an event line writes it (sw_format_ts()), as a JSON string. */
json_t *sw_event_ts_json(const struct timeval *tv);

/*! Settings of the incident stage. */
struct sw_incident_cfg {
	uint32_t idle_s;		/*!< quiet time that closes an incident (capture seconds) */
	uint32_t max_open;		/*!< open incidents kept at most */
	uint32_t max_subscribers;	/*!< subscribers an incident line lists (at most 64) */
	const uint8_t *pseudo_key;	/*!< HMAC key: list pseudonyms, not identities (copied) */
	size_t pseudo_key_len;		/*!< 0: identities in clear */
	/*! incident_id of the first incident minus one: 0 in a replay (ids 1, 2, ... in the
	 *  order incidents open, the same for every run of the same input); the daemon's start
	 *  time times 10^6, so that ids stay unique across its restarts */
	uint64_t id_base;
};

struct sw_config;

/*! The settings of cfg's `alerts` node (idle-timeout, max-open, subscribers, pseudonymisation
 *  key: cfg must outlive the stage's allocation) with id_base. */
struct sw_incident_cfg sw_incident_cfg_from(const struct sw_config *cfg, uint64_t id_base);

struct sw_evidence;

/*! Name each incident's evidence pcap (output_evidence.h) in its line, closing the file when
 *  the incident closes. NULL: none. */
void sw_incidents_set_evidence(struct sw_incidents *inc, struct sw_evidence *e);

/*! Counters of the incident stage. */
struct sw_incident_stats {
	uint64_t opened;
	uint64_t closed_idle;
	uint64_t closed_end;		/*!< by sw_incidents_close_all() */
	uint64_t closed_evicted;	/*!< pushed out of the full table (the least recently active) */
	uint64_t write_errors;		/*!< incident lines the outputs did not take */
	uint32_t open;
};

/*! One open incident, as `show incidents` lists it. */
struct sw_incident_view {
	uint64_t id;
	const char *origin;		/*!< calling GT, or the network of a spoofed range */
	const char *network;		/*!< "" unknown */
	const char *country;		/*!< "" unknown */
	struct timeval first, last;
	uint64_t alerts;		/*!< alerts counted, written or not */
	uint64_t written;		/*!< alert lines written */
	uint8_t max_severity;
	unsigned subscribers;		/*!< distinct subscribers (an estimate beyond the listed ones) */
	const char *top_rule;		/*!< the rule with most alerts */
};

/*! The stage: alerts go on to next(next_priv, a), incident lines to write_line(line_priv, ...).
 *  \returns NULL when out of memory. */
struct sw_incidents *sw_incidents_alloc(void *ctx, const struct sw_incident_cfg *cfg, sw_alert_emit_fn next,
					void *next_priv, sw_event_line_fn write_line, void *line_priv);

/*! The emit hook of alert.h (priv: the stage). Closes the incidents idle by the alert's time
 *  first. \returns what next returned, 0 for an alert that is not written. */
int sw_incidents_emit(void *priv, const struct sw_alert *a);

/*! Capture time passes without alerts (the daemon's clock on live inputs): close the
 *  incidents idle by now. */
void sw_incidents_advance(struct sw_incidents *inc, uint32_t now);

/*! Close every open incident, oldest first (shutdown, end of a replay). */
void sw_incidents_close_all(struct sw_incidents *inc);

/*! Forget every open incident (no line written: close them first to keep them) and the
 *  counters; ids count again from the configured base. Clears the whole table (a fuzzer
 *  configures a small one). */
void sw_incidents_reset(struct sw_incidents *inc);

/*! Call cb for every open incident, least recently active first. */
void sw_incidents_foreach(const struct sw_incidents *inc, void (*cb)(void *priv, const struct sw_incident_view *v),
			  void *priv);

/*! Counters. */
const struct sw_incident_stats *sw_incidents_stats(const struct sw_incidents *inc);
