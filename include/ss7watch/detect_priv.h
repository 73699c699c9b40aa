/*! \file detect_priv.h
 *  Internals shared by the detector's files (detect.c: state and attribution,
 *  detect_classify.c: who talks to whom, detect_rules.c: which rules run, detect_rules_*.c:
 *  the rule families, detect_suppress.c: allowances, detect_corr.c: windows and correlation,
 *  detect_alert.c: alert building). Not a public API. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <ss7watch/detect.h>
#include <ss7watch/config_netmap.h>
#include <ss7watch/track_subscr.h>
#include <ss7watch/track_ident.h>
#include <ss7watch/track_dialogue.h>
#include <ss7watch/map.h>
#include <ss7watch/rules.h>
#include <ss7watch/alert.h>

/*! Runtime settings of one rule (catalogue defaults, overridden by the config). */
struct rule_setting {
	bool enabled;
	uint8_t severity;
	uint32_t threshold;
	uint32_t window_s;
	const void *cfg;	/*!< the config's rule entry (allowlists), NULL when none */
};

/*! An SRI-for-SM answered to an outside origin: raise an alert if no MT-forwardSM from the
 *  same origin follows within the window. A FIFO in time order; the identify step itself,
 *  and the delivery that followed it, are in the identify table (track_ident.h). */
struct sri_sm_watch {
	sw_num_t imsi;
	uint64_t origin;	/*!< origin key (detect_origin_key()) */
	uint32_t time;		/*!< of the request */
	uint32_t frame;
	uint32_t usec;
	sw_gt_id gt;		/*!< the asking GT, for the alert */
	uint8_t input;		/*!< sw_meta.input of the request */
};

/* The correlation windows key origins by their GT digits (sw_gt_key()), not by interned
 * id: a flood of spoofed GTs that fills the intern table must not blind them. Their tables
 * are sets of WINDOW_WAYS windows; a full set evicts its oldest window (counted). */
#define WINDOW_WAYS	4

/*! Scanning: distinct subscribers asked about by one origin within a window, estimated by
 *  linear counting over a 256-bit map (exact for small counts, +-10% at a few hundred). */
struct origin_window {
	sw_num_t origin;	/*!< GT key, 0: free */
	uint32_t start;
	uint32_t messages;
	uint32_t first_frame;
	uint32_t unknown_subscriber;	/*!< answers unknownSubscriber / absentSubscriber */
	bool alerted;
	uint64_t seen[4];
};

/*! Identity rotation: distinct outside origins targeting one subscriber within a window. */
#define TARGET_ORIGINS	8
struct target_window {
	sw_num_t subscriber;	/*!< MSISDN, or IMSI when the MSISDN is not known; 0: free */
	uint32_t start;
	uint8_t n;
	bool alerted;
	uint8_t opcodes[TARGET_ORIGINS];
	sw_num_t origins[TARGET_ORIGINS];	/*!< GT keys */
	uint32_t frames[TARGET_ORIGINS];
	uint32_t times[TARGET_ORIGINS];
};

/*! Slots of a fixed-size table written since the last sw_detector_reset(), so that a reset
 *  clears those, not the whole table; beyond DIRTY_SLOTS it clears the whole table. */
#define DIRTY_SLOTS	1024
struct dirty_log {
	uint32_t n;		/*!< DIRTY_SLOTS + 1: overflowed */
	uint32_t slot[DIRTY_SLOTS];
};

/*! Note that slot i of a table is written (a window starts in it). */
static inline void dirty_note(struct dirty_log *l, uint32_t i)
{
	if (l->n < DIRTY_SLOTS)
		l->slot[l->n++] = i;
	else
		l->n = DIRTY_SLOTS + 1;
}

/*! The classification of an interned GT, computed once (GT ids are dense). */
struct gt_class {
	int16_t net;
	uint8_t role;
	uint8_t valid;
	uint16_t country;
};

/*! The detector. Whatever it learns from messages, sw_detector_reset() must forget: a table
 *  added here is added there too (detect_test checks that a reset detector alerts as a new
 *  one does). */
struct sw_detector {
	const struct sw_config *cfg;
	struct sw_netmap *nm;
	sw_alert_emit_fn emit;		/*!< where raised alerts go (alert.h), with emit_priv */
	void *emit_priv;
	struct sw_subscr_table *subs;
	struct sw_gt_table *gts;
	struct sw_txn_table *txns;
	struct sw_ident_table *idents;	/*!< identify steps from outside, per origin */
	struct gt_class *gt_class;	/*!< indexed by sw_gt_id */
	uint32_t n_gt_class;
	struct rule_setting rules[SW_RULE__COUNT];
	uint16_t home_country;	/*!< config_geo.h country of the home network */
	const char *input_name;
	enum sw_rule alert_rule;	/*!< rule of the alert being built */
	bool live;		/*!< input_name names a live input, not a file */
	uint32_t now;		/*!< latest capture time seen (seconds) */

	struct sri_sm_watch *watches;	/*!< a FIFO ring of n_watches, grown up to max_watches */
	uint32_t n_watches, max_watches, watch_head, watch_tail;

	struct origin_window *origins;
	uint32_t n_origins;
	struct target_window *targets;
	uint32_t n_targets;
	struct dirty_log origins_dirty, targets_dirty;
	uint64_t hash_seed;	/*!< of the origin and target windows and the scan estimate */

	sw_component_fn on_component;	/*!< traffic accounting, NULL: off */
	void *on_component_priv;
	uint32_t msg_alerts;	/*!< alerts of the message-level rules, not yet handed on */

	struct sw_detector_stats st;
};

/*! What the rules look at for one component. */
struct detect_event {
	const struct sw_msg *msg;
	const struct sw_component *c;
	int comp_idx;
	/*! the operation as the rules see it: a MAP v1/v2 forwardSM is mt-forwardSM or
	 *  mo-forwardSM by its direction; answers take the request's; -1 when none */
	int opcode;
	const struct map_op *op;
	uint32_t now;
	struct sw_netinfo calling, called;	/*!< called: only for answers (see called_gt) */
	sw_gt_id calling_gt;
	sw_gt_id called_gt;	/*!< answers: the node that asked; 0 for a Begin */
	int via_net;		/*!< network of the MTP3 originating point code, SW_NET_UNKNOWN */
	bool spoofed;		/*!< a home calling GT that arrived from another network's link */
	sw_num_t imsi, msisdn;
	/*! the first component's IMSI and MSISDN parameters, read once when the message
	 *  arrives (to prefetch its subscriber) and not again for that component */
	sw_num_t first_imsi, first_msisdn;
	bool first_msisdn_read;
	struct sw_netinfo imsi_net;
	bool home_imsi;
	struct sw_subscr *sub;
	const struct sw_txn_req *req;	/*!< results and errors: the request answered */
	struct sw_txn_req *added;	/*!< invokes: the request remembered for its answer, NULL none */
	struct sw_stats *dec_st;	/*!< counters of the message's decoder, NULL none */
};

/* The files call each other downwards only, in the order detect.c describes. */

/* detect_classify.c: who talks to whom, and the numbers of a component */
/*! Classify an SCCP address: its GT interned into *id (0 without GT) and its network, role
 *  and country; an address without GT is routed inside our network. */
void detect_classify(struct sw_detector *d, const struct sw_sccp_addr *a, struct sw_netinfo *out, sw_gt_id *id);
/*! Classification of an interned GT (network, role, country), cached per id. */
void detect_gt_netinfo(struct sw_detector *d, sw_gt_id id, struct sw_netinfo *out);
/*! Where a subscriber can be: the country of a GT (E.164 country code), 0 when unknown. */
uint16_t detect_gt_country(struct sw_detector *d, sw_gt_id gt);
/*! Is the node gt in the network (or, unknown networks, the country) of ni? */
bool detect_same_network(struct sw_detector *d, sw_gt_id gt, const struct sw_netinfo *ni);
/*! Is the calling GT a node of the IMSI's home network? For a home IMSI: one of our nodes of
 *  that role (any of our GTs when no node of the role is configured); for a visiting IMSI: a
 *  GT of the network that owns its MCC/MNC, or of its country when that network is unknown. */
bool detect_from_imsi_home(const struct sw_detector *d, const struct detect_event *ev, uint8_t role);
/*! Is the message from the network serving the subscriber (FS.11 Category 3)? The calling
 *  GT is its serving VLR or SGSN, or another GT of that node's configured network (the MSC of
 *  a VLR sends mo-forwardSM under its own GT), or, for networks we do not know, of its
 *  country. */
bool detect_from_serving_node(struct sw_detector *d, const struct detect_event *ev);
/*! Who an identify step or a delivery comes from, as one key: a configured network other
 *  than ours (an SMS hub's GT pool, a partner's several SMSCs: one origin), else the GT
 *  itself (sw_gt_key() of digits; our own GTs always by GT). 0 when there is no GT. */
uint64_t detect_origin_key(const struct sw_netinfo *ni, const char *digits);
/*! Digits of a TBCD or AddressString param into buf ("" when absent). \returns buf. */
const char *detect_param_digits(const struct sw_component *c, enum map_field f, char *buf, size_t len);
/*! A TBCD or AddressString param as a packed number; 0 when absent or not decimal. */
sw_num_t detect_param_num(const struct sw_component *c, enum map_field f);

/*! From another network: the calling GT is not ours (an unknown GT counts as outside), or it
 *  is ours but came in on another network's link (spoofed). */
static inline bool detect_from_outside(const struct detect_event *ev)
{
	return ev->calling.net != SW_NET_HOME || ev->spoofed;
}

/* detect.c -> rule dispatch (detect_rules.c) */
void detect_rules_configure(struct sw_detector *d);
void detect_rules_invoke(struct sw_detector *d, struct detect_event *ev);
void detect_rules_error(struct sw_detector *d, struct detect_event *ev);
/*! A result (ev->req is the invoke it answers, ev->sub its subscriber). */
void detect_rules_result(struct sw_detector *d, struct detect_event *ev);

/* detect_rules_anomaly.c */
/*! A message that did not decode (ev->msg->err). */
void detect_rules_malformed(struct sw_detector *d, struct detect_event *ev);
/*! Message-level rules, before its components. */
void detect_rules_message(struct sw_detector *d, struct detect_event *ev, bool has_invoke);
void detect_rule_anomalies(struct sw_detector *d, struct detect_event *ev);
void detect_rule_transport(struct sw_detector *d, struct detect_event *ev);
void detect_rule_tool_fingerprint(struct sw_detector *d, struct detect_event *ev);

/* detect_rules_cat.c */
/*! The FS.11 Category 1, 2 and 3 rules of an invoke (ev->op is known). */
void detect_rules_category(struct sw_detector *d, struct detect_event *ev);

/* detect_rules_subscr.c */
void detect_rule_location_update(struct sw_detector *d, struct detect_event *ev);
void detect_rule_cancel_purge(struct sw_detector *d, struct detect_event *ev);
void detect_rule_sai(struct sw_detector *d, struct detect_event *ev);
void detect_rule_insert_subscriber_data(struct sw_detector *d, struct detect_event *ev);
void detect_rule_call_forwarding(struct sw_detector *d, struct detect_event *ev);
/*! A result: the gsmSCFs of a sendRoutingInfo answer for a home subscriber. */
void detect_rule_camel_gsmscf(struct sw_detector *d, struct detect_event *ev);

/* detect_rules_locate.c */
void detect_rule_psi(struct sw_detector *d, struct detect_event *ev);
void detect_rule_ati(struct sw_detector *d, struct detect_event *ev);
void detect_rule_locate_after_identify(struct sw_detector *d, struct detect_event *ev);

/* detect_rules_sms.c */
void detect_rule_sri_sm_origin(struct sw_detector *d, struct detect_event *ev);
void detect_rule_sms_delivery(struct sw_detector *d, struct detect_event *ev);

/* detect_corr.c */
/*! Watch the SRI-for-SM that ev answers (ev->req) for a delivery from origin. */
void detect_watch_sri_sm(struct sw_detector *d, struct detect_event *ev, uint64_t origin);
void detect_expire(struct sw_detector *d, uint32_t now);
void detect_scan(struct sw_detector *d, struct detect_event *ev);
void detect_scan_error(struct sw_detector *d, sw_num_t origin, int error_code);
void detect_rotation(struct sw_detector *d, struct detect_event *ev);

/* detect_suppress.c */
/*! Start an alert of rule for ev, or NULL when the rule is off, or the calling network's
 *  agreement or the rule's allowlist suppresses it (counted). Fill evidence, then raise. */
struct sw_alert *detect_rule_begin(struct sw_detector *d, enum sw_rule rule, const struct detect_event *ev);
/*! Would rule speak for ev (on, not allowed by an agreement or its allowlist)? Counts nothing. */
bool detect_rule_speaks(const struct sw_detector *d, enum sw_rule rule, const struct detect_event *ev);

/* detect_alert.c */
/*! Start an alert of rule for ev (NULL when the rule is off). Fill evidence, then raise. */
struct sw_alert *detect_alert_begin(struct sw_detector *d, enum sw_rule rule, const struct detect_event *ev);
void detect_alert_raise(struct sw_detector *d, struct sw_alert *a);

/*! Evidence k = v, unless v is NULL or empty. */
static inline void detect_ev_str(struct sw_alert *a, const char *k, const char *v)
{
	if (v && *v)
		sw_alert_ev_str(a, k, v);
}

/*! Evidence k = the name of ni's network, "unknown" when it has none. */
static inline void detect_ev_net(struct sw_alert *a, const char *k, const struct sw_netinfo *ni)
{
	detect_ev_str(a, k, ni->net_name ? ni->net_name : "unknown");
}
