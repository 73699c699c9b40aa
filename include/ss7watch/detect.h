/*! \file detect.h
 *  The detection engine: consumes decoded messages (the decoder's on_msg), keeps roaming
 *  state and dialogue context, runs the rule catalogue, and hands alerts to an emit hook
 *  (alert.h). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <ss7watch/alert.h>
#include <ss7watch/decode.h>
#include <ss7watch/rules.h>

struct sw_config;
struct sw_detector;

/*! Counters of the detector (for --summary, -v, VTY and CTRL). */
struct sw_detector_stats {
	uint64_t messages;		/*!< messages seen (with or without decode error) */
	uint64_t components;		/*!< MAP components evaluated */
	uint64_t alerts;		/*!< alerts raised (all rules) */
	uint64_t alerts_by_rule[SW_RULE__COUNT];
	uint64_t suppressed;		/*!< alerts not raised because their rule is disabled or allowed */
	uint64_t explained;		/*!< alerts not raised because a more specific rule's alert on the
					     same message says the same (its evidence "explains") */
	uint64_t sri_sm_watch_full;	/*!< SRI-SM answers not watched because the watch list was full */
	uint64_t sri_sm_watch_lost;	/*!< watches whose identify step was evicted before they expired */
	uint64_t mtfsm_unknown;		/*!< deliveries not judged: an SRI-for-SM of their bucket was evicted */
	uint64_t origin_evictions;	/*!< scan windows evicted while open (their set was full) */
	uint64_t target_evictions;	/*!< identity-rotation windows evicted while open */
};

/*! Which way a MAP component crosses our network's border (traffic accounting). */
enum sw_direction {
	SW_DIR_INBOUND,		/*!< sent from outside to our network */
	SW_DIR_OUTBOUND,	/*!< sent by our network (to anywhere) */
	SW_DIR_TRANSIT,		/*!< from outside to outside, through us */
	SW_DIR__COUNT
};

/*! Who sent a MAP component and what it is, as the detector classified it: an invoke by its
 *  calling party, an answer (result, error) by the request it answers (its requester, the
 *  request's direction and operation). */
struct sw_component_origin {
	int net;		/*!< SW_NET_UNKNOWN (config_netmap.h), SW_NET_HOME or 1.. */
	const char *network;	/*!< name of net, NULL when unknown */
	uint16_t country;	/*!< config_geo.h country of the origin, 0 unknown */
	uint8_t direction;	/*!< enum sw_direction */
	uint8_t category;	/*!< enum map_category of the operation */
	int16_t opcode;		/*!< the operation, -1 unknown */
};

/*! Called once per MAP invoke, result and error the detector evaluates, after its rules ran,
 *  with the number of alerts they raised for it (and, for the first such component of a
 *  message, those its message-level rules raised). */
typedef void (*sw_component_fn)(void *priv, const struct sw_component_origin *o, uint32_t alerts);

/*! Create a detector for cfg, handing every alert it raises to emit(emit_priv, alert)
 *  (NULL: alerts are only counted). \returns NULL with err set. */
struct sw_detector *sw_detector_alloc(void *ctx, const struct sw_config *cfg, sw_alert_emit_fn emit,
				      void *emit_priv, char *err, size_t errlen);

/*! Forget everything d learned from messages: subscribers, dialogues, GTs, the correlation
 *  windows, its clock and its counters; keep its memory, its configuration, its emit hook and
 *  its input name. Afterwards d alerts as a new detector would. Costs what was used (GTs
 *  interned, windows started), plus a pass over the subscriber and dialogue tables: cheap
 *  with the small tables a fuzzer configures (tracker subscribers-max, transactions-max). */
void sw_detector_reset(struct sw_detector *d);
/*! The decoder callback (pass the detector as priv). */
void sw_detector_on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv);

/*! Name the input the next messages come from: a pcap file (live=false) or a live input
 *  (live=true). Alerts carry it as pcap_filename or in_iface. */
void sw_detector_set_input(struct sw_detector *d, const char *name, bool live);

/*! Hand every evaluated component to fn(priv, ...) (traffic accounting); NULL: none, and
 *  the detector then spends nothing on it. */
void sw_detector_set_component_hook(struct sw_detector *d, sw_component_fn fn, void *priv);

/*! End of input: raise the alerts whose window has elapsed by the last message time. */
void sw_detector_flush(struct sw_detector *d);

/*! Live inputs: time passes without messages too. Move the detector's clock to now (never
 *  back) and raise the alerts whose window has elapsed, e.g. an SRI-for-SM that no
 *  delivery followed on an otherwise quiet link. */
void sw_detector_advance(struct sw_detector *d, uint32_t now);

/*! Counters. */
const struct sw_detector_stats *sw_detector_stats(const struct sw_detector *d);

/*! Tables of the tracker, for VTY show commands and the memory figure. */
struct sw_subscr_table *sw_detector_subscribers(struct sw_detector *d);
struct sw_gt_table *sw_detector_gts(struct sw_detector *d);
struct sw_txn_table *sw_detector_txns(struct sw_detector *d);
struct sw_ident_table *sw_detector_idents(struct sw_detector *d);
