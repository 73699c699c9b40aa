/*! \file alert.h
 *  The detect -> output interface: an alert (what decided it, the triggering message, the
 *  subscriber state, evidence, related messages), its builders, and the hook the detector
 *  hands each alert to. The detector knows nothing else of the output side; the sink that
 *  formats and writes alerts (output_sink.h) provides one such hook.
 *
 *  The rule engine fills a struct sw_alert on its stack (no allocation) and hands it to the
 *  hook; whoever receives it copies what it keeps. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <ss7watch/msg.h>

/*! EVE alert.gid of every alert: 1, the generator of Suricata's rule alerts. */
#define SW_ALERT_GID		1
#define SW_ALERT_MAX_EVIDENCE	12
#define SW_ALERT_MAX_RELATED	16
#define SW_ALERT_EV_STR_LEN	64	/*!< string evidence values are truncated to 63 chars */
#define SW_ALERT_NUM_LEN	(SW_GT_MAX_DIGITS + 1)

/*! Type of one evidence value. */
enum sw_alert_ev_type {
	SW_ALERT_EV_INT,
	SW_ALERT_EV_DOUBLE,
	SW_ALERT_EV_STR,
	SW_ALERT_EV_BOOL,
};

/*! One piece of evidence: what decided the alert ("speed_kmh": 10412.5). */
struct sw_alert_ev {
	const char *key;	/*!< a string literal (only the pointer is kept) */
	uint8_t type;		/*!< enum sw_alert_ev_type */
	union {
		int64_t i;
		double d;
		bool b;
		char s[SW_ALERT_EV_STR_LEN];
	};
};

/*! An earlier message that is part of the decision (correlation and burst rules). */
struct sw_alert_related {
	uint64_t frame;		/*!< frame number (pcap_cnt) */
	struct timeval ts;
	int opcode;		/*!< MAP opcode, -1 unknown; named with map_op_name() */
	uint8_t input;		/*!< sw_meta.input of its frame (a cluster worker's site); 0 unknown */
	char calling_gt[SW_GT_MAX_DIGITS + 1];
};

/*! What the tracker knew about the subscriber and what the rule compared against. */
struct sw_alert_subscr {
	char imsi[SW_ALERT_NUM_LEN];	/*!< digits, "" when unknown */
	char msisdn[SW_ALERT_NUM_LEN];	/*!< digits, "" when unknown */
	int8_t home;			/*!< 1 home subscriber, 0 foreign, -1 unknown */
	/*! The state compared against; left out of the alert when node_gt is empty. */
	struct {
		char node_gt[SW_GT_MAX_DIGITS + 1];	/*!< last serving node (or home HLR) GT */
		const char *node_kind;		/*!< "vlr", "sgsn", "msc", "hlr"; NULL unknown */
		const char *network;		/*!< network name from the config; NULL unknown */
		char country[4];		/*!< ISO 3166 alpha-2 code, "" unknown */
		struct timeval since;		/*!< when it was learned; 0 unknown */
		const char *learned_from;	/*!< operation name ("updateLocation"); NULL unknown */
	} state;
};

/*! One alert, filled by the rule engine. Strings are borrowed until the emit hook
 *  returns, except where copied into the arrays. Zero-initialise, then set what is known
 *  (and set subscr.home = -1 and opcode = -1 where unknown). */
struct sw_alert {
	const char *rule;		/*!< rule id string ("psi-not-from-home-hlr") */
	const char *name;		/*!< rule name: EVE alert.signature */
	uint32_t signature_id;
	uint32_t rev;			/*!< the rule's revision: EVE alert.rev */
	const char *category;		/*!< cat1|cat2|cat3|correlation|anomaly */
	const char *threat;		/*!< location-tracking|interception|... */
	uint8_t severity;		/*!< 1 high .. 3 low */

	/*! The triggering message and component (-1: the message itself). NULL for alerts
	 *  raised when a window expires: pcap_cnt and timestamp then come from related[0]. */
	const struct sw_msg *msg;
	int comp_idx;
	/*! An alert on an answer (result, error): the frame (pcap_cnt) of the request it
	 *  answers; 0 otherwise. The evidence pcaps take it with the alert's own frame. */
	uint64_t request_frame;
	/*! The request's capture time (with request_frame): the evidence pcaps tell by it which
	 *  input's frame of that number it is. */
	struct timeval request_ts;

	const char *pcap_filename;	/*!< capture file being replayed, NULL live */
	const char *in_iface;		/*!< live input name, NULL when replaying */
	/*! The cluster's site whose frame pcap_cnt is (cluster.h); NULL outside a cluster worker,
	 *  and then no "site" key is written. Set by the worker's stage before the sink. */
	const char *site;
	const char *calling_network;	/*!< network of the calling GT, for the summary; NULL unknown */
	/*! Who sent it: the calling GT of the message (of the request behind an expiry alert);
	 *  "" or NULL when the calling party had no GT. Thresholds and incidents key on it. */
	const char *origin_gt;
	char origin_country[4];		/*!< ISO 3166 alpha-2 code of origin_gt, "" unknown */
	bool origin_spoofed;		/*!< a home GT that came in on another network's link */

	struct sw_alert_subscr subscr;

	uint8_t n_ev;
	struct sw_alert_ev ev[SW_ALERT_MAX_EVIDENCE];
	uint8_t n_related;
	struct sw_alert_related related[SW_ALERT_MAX_RELATED];

	/* Set by the stages between the detector and the sink (detect_threshold.c,
	 * output_incident.c); the detector leaves them zero. */
	uint8_t verdict;		/*!< enum sw_alert_verdict */
	uint32_t count;			/*!< hits this line stands for; 0: no threshold applied */
	uint32_t suppressed;		/*!< hits of its threshold key not written since the last line */
	uint64_t incident_id;		/*!< 0: not grouped */
};

/*! What the filter stage decided about an alert. Stages after it see every verdict (an
 *  incident counts what was not written too); only SW_ALERT_WRITE reaches an output. */
enum sw_alert_verdict {
	SW_ALERT_WRITE = 0,
	SW_ALERT_THRESHOLDED,	/*!< held back by its threshold (limit, threshold, both) */
	SW_ALERT_RATE_FILTERED,	/*!< held back by a rate-filter with new-action pass */
	SW_ALERT_FOLDED,	/*!< a recon alert counted into its origin's scan */
	SW_ALERT__VERDICTS
};

/*! When the alert happened (capture time): its message's time, else that of its first
 *  related message (alerts raised when a window expires). NULL when neither is known. */
static inline const struct timeval *sw_alert_time(const struct sw_alert *a)
{
	if (a->msg)
		return &a->msg->meta.ts;
	return a->n_related ? &a->related[0].ts : NULL;
}

/*! The frame the alert names first (pcap_cnt): its message's, else its first related one. */
static inline uint64_t sw_alert_frame(const struct sw_alert *a)
{
	if (a->msg)
		return a->msg->meta.frame;
	return a->n_related ? a->related[0].frame : 0;
}

/*! Add integer evidence (key: a string literal). \returns 0, or -1 when the array is full or key is NULL. */
int sw_alert_ev_int(struct sw_alert *a, const char *key, int64_t v);
/*! Add floating point evidence (distances, speeds). \returns 0 or -1 when full. */
int sw_alert_ev_double(struct sw_alert *a, const char *key, double v);
/*! Add string evidence (copied, truncated to SW_ALERT_EV_STR_LEN - 1). \returns 0 or -1. */
int sw_alert_ev_str(struct sw_alert *a, const char *key, const char *v);
/*! Add boolean evidence. \returns 0 or -1 when full. */
int sw_alert_ev_bool(struct sw_alert *a, const char *key, bool v);
/*! Add a related message (calling_gt copied; NULL allowed). \returns 0 or -1 when full. */
int sw_alert_add_related(struct sw_alert *a, uint64_t frame, const struct timeval *ts, int opcode,
			 const char *calling_gt);

/*! Where a producer of alerts (the detector) hands each one, e.g. sw_alert_sink_emit() with
 *  the sink as priv. a and the strings it borrows are valid only during the call.
 *  \returns 0, or -1 when the alert was not written (the receiver counts why). */
typedef int (*sw_alert_emit_fn)(void *priv, const struct sw_alert *a);
