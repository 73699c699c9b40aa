/*! \file detect_priv.h
 *  Internals shared by the detector's files (detect.c: state and attribution,
 *  detect_rules.c: the rules, detect_corr.c: windows and correlation, detect_alert.c: alert
 *  building). Not a public API. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <ss7watch/detect.h>
#include <ss7watch/config_netmap.h>
#include <ss7watch/track_subscr.h>
#include <ss7watch/track_dialogue.h>
#include <ss7watch/map.h>
#include <ss7watch/rules.h>

struct sw_alert;

/*! Runtime settings of one rule (catalogue defaults, overridden by the config). */
struct rule_setting {
	bool enabled;
	uint8_t severity;
	uint32_t threshold;
	uint32_t window_s;
	const void *cfg;	/*!< the config's rule entry (allowlists), NULL when none */
};

/*! An SRI-for-SM answered to an outside origin: raise an alert if no MT-forwardSM from the
 *  same origin follows within the window. A FIFO in time order. */
struct sri_sm_watch {
	sw_num_t imsi;
	uint32_t time;		/*!< of the request */
	uint32_t frame;
	uint32_t usec;
	sw_gt_id origin;
};

/*! Scanning: distinct subscribers asked about by one origin within a window, estimated by
 *  linear counting over a 256-bit map (exact for small counts, +-10% at a few hundred). */
struct origin_window {
	sw_gt_id origin;	/*!< 0: free */
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
	sw_gt_id origins[TARGET_ORIGINS];
	uint32_t frames[TARGET_ORIGINS];
	uint32_t times[TARGET_ORIGINS];
	uint8_t opcodes[TARGET_ORIGINS];
};

/*! The classification of an interned GT, computed once (GT ids are dense). */
struct gt_class {
	int16_t net;
	uint8_t role;
	uint8_t valid;
	uint16_t country;
};

struct sw_detector {
	const struct sw_config *cfg;
	struct sw_netmap *nm;
	struct sw_alert_sink *sink;
	struct sw_subscr_table *subs;
	struct sw_gt_table *gts;
	struct sw_txn_table *txns;
	struct gt_class *gt_class;	/*!< indexed by sw_gt_id */
	uint32_t n_gt_class;
	struct rule_setting rules[SW_RULE__COUNT];
	uint16_t home_country;	/*!< config_geo.h country of the home network */
	const char *input_name;
	enum sw_rule alert_rule;	/*!< rule of the alert being built */
	bool live;		/*!< input_name names a live input, not a file */
	uint32_t now;		/*!< latest capture time seen (seconds) */

	struct sri_sm_watch *watches;
	uint32_t n_watches, watch_head, watch_tail;

	struct origin_window *origins;
	uint32_t n_origins;
	struct target_window *targets;
	uint32_t n_targets;

	struct sw_detector_stats st;
};

/*! What the rules look at for one component. */
struct detect_event {
	const struct sw_msg *msg;
	const struct sw_component *c;
	int comp_idx;
	const struct map_op *op;
	uint32_t now;
	struct sw_netinfo calling, called;	/*!< called: only for answers (see called_gt) */
	sw_gt_id calling_gt;
	sw_gt_id called_gt;	/*!< answers: the node that asked; 0 for a Begin */
	int via_net;		/*!< network of the MTP3 originating point code, SW_NET_UNKNOWN */
	bool spoofed;		/*!< a home calling GT that arrived from another network's link */
	sw_num_t imsi, msisdn;
	struct sw_netinfo imsi_net;
	bool home_imsi;
	struct sw_subscr *sub;
	const struct sw_txn_req *req;	/*!< results and errors: the request answered */
};

/* detect.c */
void detect_classify(struct sw_detector *d, const struct sw_sccp_addr *a, struct sw_netinfo *out, sw_gt_id *id);
/*! Classification of an interned GT (network, role, country), cached per id. */
void detect_gt_netinfo(struct sw_detector *d, sw_gt_id id, struct sw_netinfo *out);
const char *detect_param_digits(const struct sw_component *c, enum map_field f, char *buf, size_t len);

/* detect_rules.c */
void detect_rules_configure(struct sw_detector *d);
void detect_rules_message(struct sw_detector *d, struct detect_event *ev, bool has_invoke);
void detect_rules_invoke(struct sw_detector *d, struct detect_event *ev);
void detect_rules_error(struct sw_detector *d, struct detect_event *ev);
/*! A result (ev->req is the invoke it answers, ev->sub its subscriber). */
void detect_rules_result(struct sw_detector *d, struct detect_event *ev);
void detect_rules_malformed(struct sw_detector *d, struct detect_event *ev);

/* detect_corr.c */
void detect_watch_sri_sm(struct sw_detector *d, struct detect_event *ev);
void detect_expire(struct sw_detector *d, uint32_t now);
void detect_scan(struct sw_detector *d, struct detect_event *ev);
void detect_scan_error(struct sw_detector *d, sw_gt_id origin, int error_code);
void detect_rotation(struct sw_detector *d, struct detect_event *ev);

/* detect_alert.c */
/*! Start an alert of rule for ev (NULL when the rule is off). Fill evidence, then raise. */
struct sw_alert *detect_alert_begin(struct sw_detector *d, enum sw_rule rule, const struct detect_event *ev);
void detect_alert_raise(struct sw_detector *d, struct sw_alert *a);
