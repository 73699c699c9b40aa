/*! \file config.h
 *  The ss7watch configuration: the home network, the other networks it talks to, per-rule
 *  settings, where alerts go and how big the tracker is. Read from an Osmocom VTY config
 *  file (config_vty.c); the same VTY nodes serve `show running-config` and `write` in the
 *  daemon. A loaded configuration is a talloc tree that is never changed while a detector
 *  uses it: a reload builds a new one. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <osmocom/core/linuxlist.h>
#include <osmocom/core/utils.h>
#include <osmocom/gsm/gsm23003.h>
#include <osmocom/vty/command.h>

/*! VTY nodes of ss7watch, after libosmocore's own (libosmo-sigtran's cs7 nodes are among
 *  those). The daemon's own nodes start at SW_CONFIG__NEXT_NODE. */
enum sw_config_vty_node {
	SW_HOME_NETWORK_NODE = _LAST_OSMOVTY_NODE + 1,
	SW_NETWORK_NODE,
	SW_RULE_NODE,
	SW_ALERTS_NODE,
	SW_TRACKER_NODE,
	SW_CLUSTER_NODE,
	SW_CONFIG__NEXT_NODE
};

/*! Role of a node (a GT or GT prefix) of a network. */
enum sw_role {
	SW_ROLE_NONE = 0,
	SW_ROLE_HLR,
	SW_ROLE_MSC,		/*!< MSC/VLR (one GT for both, as most networks have) */
	SW_ROLE_VLR,		/*!< a VLR with a GT of its own */
	SW_ROLE_SMSC,
	SW_ROLE_GSMSCF,
	SW_ROLE_SGSN,
	SW_ROLE_GMLC,
	SW_ROLE_STP,
	SW_ROLE_EIR,
	SW_ROLE_GGSN,
	SW_ROLE__COUNT
};

/*! Config keyword of a role ("hlr", "msc", ...; "none" for SW_ROLE_NONE). */
const char *sw_role_name(enum sw_role role);

/*! Kinds of network (a bit mask: an operator may also run an SMS hub). */
enum sw_net_kind {
	SW_NET_KIND_OPERATOR	= 0x01,	/*!< mobile network operator */
	SW_NET_KIND_MVNO	= 0x02,
	SW_NET_KIND_SMS_HUB	= 0x04,	/*!< SMS interworking hub: carries other networks' SMS GTs */
	SW_NET_KIND_IPX		= 0x08,	/*!< IPX / signalling carrier: relays others' traffic */
	SW_NET_KIND_ROAMING_HUB	= 0x10,
};
/*! Kinds that relay other networks' messages (their point codes carry foreign GTs). */
#define SW_NET_KIND_CARRIER	(SW_NET_KIND_SMS_HUB | SW_NET_KIND_IPX | SW_NET_KIND_ROAMING_HUB)

/*! Longest GT prefix (digits) a config may name. */
#define SW_CONFIG_DIGITS_MAX	15

/*! A GT or GT prefix as a NUL-terminated digit string. */
typedef char sw_config_digits_t[SW_CONFIG_DIGITS_MAX + 1];

/*! A node of a network: a role and the GT or GT prefix its messages come from. */
struct sw_config_node {
	enum sw_role role;
	sw_config_digits_t digits;
};

/*! A network: the home network or another one (partner, hub, carrier, or just known). */
struct sw_config_network {
	struct llist_head list;		/*!< in sw_config.networks (not for the home network) */
	unsigned idx;			/*!< 0 home, 1.. in config order */
	char *name;
	char *description;		/*!< NULL when none */
	unsigned line;			/*!< config line that defined it (0 when not from a file) */
	unsigned kinds;			/*!< SW_NET_KIND_* (0: a plain operator) */
	bool roaming_agreement;

	struct osmo_plmn_id *plmns;
	unsigned n_plmns;
	sw_config_digits_t *gt_prefixes;
	unsigned n_gt_prefixes;
	struct sw_config_node *nodes;
	unsigned n_nodes;
	uint32_t *point_codes;		/*!< MTP3 point codes of its signalling links */
	unsigned n_point_codes;

	uint8_t allowed_ops[32];	/*!< bit map of MAP opcodes it may send (`allow operation`) */
	char **allowed_rules;		/*!< rule ids that do not apply to it (`allow rule`) */
	unsigned n_allowed_rules;
};

/*! Maximum number of numeric parameters of one rule. */
#define SW_CONFIG_RULE_PARAMS	8

/*! A numeric parameter of a rule (threshold, window, max-speed-kmh ...). */
struct sw_config_param {
	const char *name;		/*!< one of sw_config_param_names() */
	uint32_t value;
};

/*! What a threshold or rate-filter counts hits by (Suricata's track by_src / by_dst / by_rule). */
enum sw_filter_track {
	SW_TRACK_NONE = 0,
	SW_TRACK_ORIGIN,	/*!< by-origin: the calling GT */
	SW_TRACK_SUBSCRIBER,	/*!< by-subscriber: IMSI, else MSISDN (else the origin) */
	SW_TRACK_RULE,		/*!< by-rule: every alert of the rule */
	SW_TRACK__COUNT
};

/*! Threshold types, as Suricata's threshold.config `type`. */
enum sw_threshold_type {
	SW_THRESHOLD_NONE = 0,
	SW_THRESHOLD_LIMIT,	/*!< the first count hits of each window are written */
	SW_THRESHOLD_THRESHOLD,	/*!< one line for every count hits within a window */
	SW_THRESHOLD_BOTH,	/*!< one line when count hits are reached in a window, then quiet */
	SW_THRESHOLD__COUNT
};

/*! `alert-threshold type T track K count N seconds S`. */
struct sw_config_threshold {
	uint8_t type;		/*!< enum sw_threshold_type; SW_THRESHOLD_NONE: not set */
	uint8_t track;		/*!< enum sw_filter_track */
	uint32_t count;
	uint32_t seconds;
};

/*! What a rate-filter does once it fires (Suricata's new_action). */
enum sw_rate_action {
	SW_RATE_PASS = 1,	/*!< stop writing the alerts of the key for timeout seconds */
	SW_RATE_ESCALATE,	/*!< write them with severity 1 for timeout seconds */
	SW_RATE__COUNT
};

/*! `rate-filter track K count N seconds S new-action A timeout T`. */
struct sw_config_rate_filter {
	uint8_t track;		/*!< enum sw_filter_track; SW_TRACK_NONE: not set */
	uint8_t new_action;	/*!< enum sw_rate_action */
	uint32_t count;
	uint32_t seconds;
	uint32_t timeout;
};

/*! What a `suppress` line matches. */
enum sw_suppress_kind {
	SW_SUPPRESS_GT_PREFIX,	/*!< calling GT starts with the digits */
	SW_SUPPRESS_SUBSCRIBER,	/*!< the subscriber's IMSI or MSISDN is the digits */
	SW_SUPPRESS_NETWORK,	/*!< the calling network (configured name) */
	SW_SUPPRESS__COUNT
};

/*! One `suppress` line. */
struct sw_config_suppress {
	uint8_t kind;		/*!< enum sw_suppress_kind */
	char value[32];		/*!< digits or a network name */
};

/*! The alert filters of a rule, or the defaults of every rule (`alerts` node). */
struct sw_config_filters {
	struct sw_config_threshold threshold;
	struct sw_config_rate_filter rate;
	struct sw_config_suppress *suppress;	/*!< talloc array */
	unsigned n_suppress;
};

/*! Config keywords of the filter values ("by-origin", "limit", "pass", "gt-prefix"), as
 *  osmocom value_string tables indexed by the enums above. */
extern const struct value_string sw_filter_track_names[];
extern const struct value_string sw_threshold_type_names[];
extern const struct value_string sw_rate_action_names[];
extern const struct value_string sw_suppress_kind_names[];

/*! Settings of one rule, keyed by the rule id of the catalogue. Anything not set keeps the
 *  catalogue's default. */
struct sw_config_rule {
	struct llist_head list;
	char *id;
	unsigned line;
	bool has_enabled;
	bool enabled;
	uint8_t severity;		/*!< 1 high .. 3 low, 0: catalogue default */
	struct sw_config_param params[SW_CONFIG_RULE_PARAMS];
	unsigned n_params;
	sw_config_digits_t *allow_prefixes;	/*!< calling GT prefixes exempt */
	unsigned n_allow_prefixes;
	struct sw_config_filters filters;	/*!< what of its alerts is written */
};

/*! Where alerts go. */
struct sw_config_alerts {
	char *log_directory;		/*!< default "." */
	char *eve_file;			/*!< relative to log_directory unless absolute; NULL: no file */
	bool to_stdout;
	bool to_syslog;
	int syslog_facility;		/*!< LOG_LOCAL0 etc.; 0 is LOG_USER */
	uint8_t pseudo_key[64];		/*!< HMAC-SHA256 key for IMSI/MSISDN pseudonyms */
	size_t pseudo_key_len;		/*!< 0: identities in clear */
	bool pseudo_keep_location;	/*!< pseudonymised alerts keep cell and area ids */
	uint32_t queue_kib;		/*!< daemon's writer queue in KiB; 0: the default (4096) */
	/*! Filters of every rule: a rule's own threshold or rate-filter replaces these, its
	 *  suppress lines add to these. */
	struct sw_config_filters filters;
	bool no_fold_into_scan;		/*!< `no fold-into-scan`: write recon alerts of a scan too */
	uint32_t filter_entries;	/*!< threshold/rate-filter keys kept (the oldest evicted) */
	uint32_t incident_idle_s;	/*!< an incident closes this long after its last alert */
	uint32_t incident_max_open;	/*!< open incidents kept at most (the oldest closes early) */
	uint32_t incident_subscribers;	/*!< subscribers an incident line lists at most */
	bool no_stats;			/*!< `no stats-interval`: no "stats" event lines at all */
	uint32_t stats_interval_s;	/*!< capture seconds between "stats" lines; 0: the final one only */
	uint32_t stats_cells;		/*!< traffic cells of one interval at most (the rest: other) */
	char *evidence_directory;	/*!< incident pcaps go here; NULL: none written */
	uint32_t evidence_frames;	/*!< frames one incident's pcap takes at most */
	uint32_t evidence_bytes;	/*!< frame bytes all incident pcaps of the run take at most */
	uint32_t evidence_ring_frames;	/*!< recent frames kept to find a request's frame */
	uint32_t evidence_ring_bytes;	/*!< bytes of those frames at most */
};

/*! Defaults of the alert filter and incident settings (sw_config_alloc()). */
#define SW_CONFIG_FILTER_ENTRIES	65536
#define SW_CONFIG_INCIDENT_IDLE_S	600
#define SW_CONFIG_INCIDENT_MAX_OPEN	4096
#define SW_CONFIG_INCIDENT_SUBSCRIBERS	10
#define SW_CONFIG_STATS_INTERVAL_S	300
#define SW_CONFIG_STATS_CELLS		1024
#define SW_STATS_INTERVAL_MAX		604800	/*!< a week, as the filters' windows */
#define SW_CONFIG_EVIDENCE_FRAMES	1000
#define SW_CONFIG_EVIDENCE_BYTES	(1u << 30)
#define SW_CONFIG_EVIDENCE_RING_FRAMES	65536
#define SW_CONFIG_EVIDENCE_RING_BYTES	(64u << 20)

/*! Sizes of the tracker (0: the detector's default). */
struct sw_config_tracker {
	uint32_t max_subscribers;
	uint32_t max_transactions;
	uint32_t transaction_timeout_s;
	uint32_t max_identify;	/*!< entries of the table of identify steps from outside */
	/*! allocate both tables at their maximum at startup instead of growing them (no rehash
	 *  pause on a live packet path, memory fixed from the start) */
	bool preallocate;
};

/*! Most `server URL` lines of the cluster section. */
#define SW_CLUSTER_SERVERS_MAX		16
/*! Most `site NAME` lines of the cluster section. */
#define SW_CLUSTER_SITES_MAX		64
/*! Defaults of the cluster section (doc/cluster.md). */
#define SW_CLUSTER_REPLICAS		3
#define SW_CLUSTER_MAX_AGE_S		86400
#define SW_CLUSTER_DUP_WINDOW_S		86400
#define SW_CLUSTER_SKEW_MS		500
#define SW_CLUSTER_IDLE_MS		1000
#define SW_CLUSTER_MAX_PENDING		4096
#define SW_CLUSTER_FETCH_BATCH		256
#define SW_CLUSTER_BATCH_EVENTS		256
#define SW_CLUSTER_BATCH_BYTES		65536
#define SW_CLUSTER_BATCH_MS		50
/*! Range of batch-bytes: room for the largest event (cluster.h), and below the NATS server's
 *  default max_payload (1 MiB) with room for the message's headers. */
#define SW_CLUSTER_BATCH_BYTES_MIN	16384
#define SW_CLUSTER_BATCH_BYTES_MAX	(1024 * 1024 - 8192)
/*! Most events in one batch. */
#define SW_CLUSTER_BATCH_EVENTS_MAX	4096

/*! The `cluster` section: the NATS JetStream cluster sensors publish events to and workers
 *  read them from (doc/cluster.md). Only the cluster modes (--site, --worker, --collect) use it. */
struct sw_config_cluster {
	bool present;			/*!< the config has a cluster section */
	unsigned line;			/*!< its line */
	char *role;			/*!< `role KIND ARG` as given (main.c reads it first), NULL: none */
	char *servers[SW_CLUSTER_SERVERS_MAX];	/*!< nats://host:port, config order */
	unsigned n_servers;
	char *sites[SW_CLUSTER_SITES_MAX];	/*!< sites a worker waits for before it releases events */
	unsigned n_sites;
	char *subject_prefix;		/*!< subjects are PREFIX.events.SITE and PREFIX.alerts */
	char *stream_events;
	char *stream_alerts;
	uint32_t replicas;		/*!< of both streams (1..5) */
	uint32_t max_age_s;		/*!< retention of the events stream; 0: unlimited */
	uint32_t duplicate_window_s;	/*!< de-duplication window of both streams */
	uint32_t skew_ms;		/*!< the worker's reorder window in capture time */
	uint32_t idle_ms;		/*!< the worker releases everything after this long idle */
	uint32_t max_pending;		/*!< unacknowledged asynchronous publishes at most */
	uint32_t fetch_batch;		/*!< messages a worker fetches at once (and acks together) */
	uint32_t batch_events;		/*!< events a sensor puts in one message at most */
	uint32_t batch_bytes;		/*!< bytes of one message at most */
	uint32_t batch_ms;		/*!< a live sensor publishes a batch this long after its first event */
	uint32_t max_hold_ms;		/*!< a worker holds an event at most this long (0: until the sites allow) */
	char *tls_ca;			/*!< CA certificates the servers' must chain to: TLS, verified; NULL none */
	char *tls_cert, *tls_key;	/*!< this process's certificate and key (mutual TLS); NULL none */
	char *user, *password;		/*!< NATS user and password; NULL none */
};

/*! A complete configuration. */
struct sw_config {
	char *path;			/*!< file it was read from, NULL when built in code */
	bool has_home;
	struct sw_config_network home;
	struct llist_head networks;	/*!< struct sw_config_network, config order */
	unsigned n_networks;
	struct llist_head rules;	/*!< struct sw_config_rule, config order */
	struct sw_config_alerts alerts;
	struct sw_config_tracker tracker;
	struct sw_config_cluster cluster;
};

/*! Allocate an empty configuration (no home network, defaults everywhere). */
struct sw_config *sw_config_alloc(void *ctx);

/*! Install the ss7watch VTY nodes and commands. Call once after vty_init() (the daemon,
 *  which also installs logging, cs7 and its own nodes). sw_config_load() calls vty_init()
 *  and this itself when nobody did. \returns 0. */
int sw_config_vty_init(void);

/*! Validator of rule ids: returns true when id names a rule of the catalogue. */
typedef bool (*sw_config_rule_validator_t)(const char *rule_id);

/*! Let the rule engine check `rule ID` lines (NULL: accept any id). */
void sw_config_set_rule_validator(sw_config_rule_validator_t valid);

/*! Read a configuration file.
 *  \param[in] ctx     talloc parent of the new configuration.
 *  \param[in] path    file to read.
 *  \param[out] out    the configuration, on success.
 *  \param[out] errbuf on failure, one line "PATH:LINE: reason".
 *  \returns 0, or -1 on any error (syntax, value, semantic, I/O). */
int sw_config_load(void *ctx, const char *path, struct sw_config **out, char *errbuf, size_t errlen);

/*! Read a configuration from memory, as sw_config_load() reads a file (cfg->path stays
 *  NULL). text need not be NUL-terminated and may hold any bytes.
 *  \param[in] name   what messages call it ("PATH:LINE: reason").
 *  \returns 0, or -1 with one line "NAME:LINE: reason" in errbuf. */
int sw_config_load_text(void *ctx, const char *name, const char *text, size_t len, struct sw_config **out,
			char *errbuf, size_t errlen);
/*! Name of the home network when the config gives none. */
#define SW_CONFIG_HOME_NAME	"home"

/*! The first problem of a whole configuration (no home network, a network that nothing would
 *  match ...) with the line it concerns in *line (0: none known).
 *  \returns 0 when there is none, or -1 with the reason in reason. */
int sw_config_first_problem(const struct sw_config *cfg, unsigned *line, char *reason, size_t len);

/*! Check a configuration built or changed in code (what sw_config_load() checks after the
 *  last line). \returns 0, or -1 with a reason in errbuf. */
int sw_config_validate(const struct sw_config *cfg, char *errbuf, size_t errlen);

/*! Write cfg in config file syntax (what `show running-config` prints for our nodes).
 *  \returns 0, or -1 when the file cannot be written. */
int sw_config_write(const struct sw_config *cfg, FILE *f);

/*! The configuration the VTY commands of the daemon change (NULL: none). A detector and its
 *  network map point into their configuration: edit a copy (reload it from the file) and
 *  build a new detector from that, never edit the one a running detector uses. */
void sw_config_vty_set(struct sw_config *cfg);
struct sw_config *sw_config_vty_get(void);

/*! Network by name (NULL when unknown). */
struct sw_config_network *sw_config_network_find(const struct sw_config *cfg, const char *name);

/*! Settings of a rule (NULL when the config does not mention it: use the defaults). */
const struct sw_config_rule *sw_config_rule_find(const struct sw_config *cfg, const char *rule_id);

/*! Effective settings of a rule, defaults filled in. */
struct sw_config_rule_eff {
	bool enabled;
	uint8_t severity;
	const struct sw_config_rule *cr;	/*!< NULL when the config does not mention it */
};

/*! Settings of rule_id with the defaults for what the config does not set. */
struct sw_config_rule_eff sw_config_rule(const struct sw_config *cfg, const char *rule_id,
					 uint8_t default_severity);

/*! A numeric parameter of a rule, or def when not set (cr may be NULL). */
uint32_t sw_config_rule_param(const struct sw_config_rule *cr, const char *name, uint32_t def);

/*! Override the catalogue defaults with what cr sets: enabled, severity, threshold (from
 *  `threshold`, `max-speed-kmh` or `max-vectors`) and window (from `window` or
 *  `grace-period`). cr may be NULL (nothing changes). */
void sw_config_rule_apply(const struct sw_config_rule *cr, bool *enabled, uint8_t *severity,
			  uint32_t *threshold, uint32_t *window_s);

/*! Is a calling GT in the rule's allowlist (`allow gt-prefix`)? cr may be NULL. */
bool sw_config_rule_allows_gt(const struct sw_config_rule *cr, const char *gt_digits);

/*! Names of the numeric rule parameters the config accepts (NULL-terminated). */
const char *const *sw_config_param_names(void);

/*! The command line's -l DIR: alerts go to DIR instead of the config's log-directory. */
void sw_config_set_log_directory(struct sw_config *cfg, const char *dir);

/*! Path of the alert file (log directory + eve file) into buf; "" when there is no file. */
const char *sw_config_eve_path(const struct sw_config *cfg, char *buf, size_t len);
