/*! \file daemon.h
 *  The daemon (`ss7watch -c FILE` without -r): every configured input (cs7 instances over
 *  M3UA/IPA, live captures, capture files) has its own decoder, so frame numbers are per
 *  input, and all feed one detector and one alert sink: the same pipeline as the replay mode,
 *  so a trace replayed live gives the alerts of the offline run. Around it: telnet VTY, CTRL,
 *  rate counters and stat items, signals, privilege drop. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/time.h>
#include <osmocom/core/linuxlist.h>
#include <ss7watch/config.h>
#include <ss7watch/counters.h>
#include <ss7watch/logging.h>
#include <ss7watch/output_latency.h>
#include <ss7watch/output_ring.h>

/*! Telnet VTY port: no Osmocom program uses it (osmocom/vty/ports.h, ctrl/ports.h). */
#define SW_VTY_PORT	4290
/*! CTRL port: the next one. */
#define SW_CTRL_PORT	4291

/*! VTY nodes of the daemon, after those of config.h. */
enum sw_daemon_vty_node {
	SW_INPUT_PCAP_NODE = SW_CONFIG__NEXT_NODE,
	SW_INPUT_FILE_NODE,
	SW_DAEMON_NODE,
};

enum sw_input_kind {
	SW_INPUT_SIGTRAN,	/*!< a cs7 instance (M3UA or IPA, ASP or SG) */
	SW_INPUT_PCAP,		/*!< live capture on an interface */
	SW_INPUT_FILE,		/*!< a capture file */
};

struct sw_decoder;
struct sw_sigtran_input;
struct sw_live_input;
struct rate_ctr_group;

/*! One input of the daemon. */
struct sw_input {
	struct llist_head list;
	char *name;
	enum sw_input_kind kind;
	uint8_t index;			/*!< sw_meta.input of its messages, rate counter group index */
	bool live;			/*!< alerts carry alert_name as in_iface (else as pcap_filename) */
	const char *alert_name;		/*!< the input name, or the path of a file input */
	struct sw_decoder *dec;
	struct sw_sigtran_input *sigtran;
	struct sw_live_input *pcap;
	struct rate_ctr_group *ctrg;	/*!< daemon_counters.c */
	uint64_t synced[SW_CTR__COUNT + 4];	/*!< values already added to ctrg */
};

/*! Everything one line of `show inputs` or the CTRL `inputs` variable tells. */
struct sw_input_status {
	const char *kind;		/*!< "ipa", "m3ua", "pcap", "file" */
	const char *state;		/*!< "up", "down", "running", "retrying", "finished", ... */
	char peer[160];			/*!< socket peer, interface or file */
	uint64_t msgs;			/*!< messages (sigtran) or frames (pcap, file) received */
	uint64_t bytes;
	uint64_t drops;			/*!< kernel capture drops (ps_drop) */
	uint64_t if_drops;		/*!< interface drops (ps_ifdrop) */
	uint32_t reconnects;		/*!< ASPs back after a loss, or capture reopens */
	uint64_t decode_errors;
};

/*! User, group and other settings of the `daemon` config node. */
struct sw_daemon_cfg {
	char *user;			/*!< drop to this user after opening sockets and captures */
	char *group;			/*!< and this group (default: the user's) */
	uint16_t ctrl_port;		/*!< CTRL port (default SW_CTRL_PORT) */
	bool ctrl_port_given;		/*!< ctrl-port is in the file (the cluster roles listen only then) */
	uint32_t counter_sync_ms;	/*!< how often decoder counters go to rate counters */
};

/*! The running daemon (one per process). */
struct sw_daemon {
	void *ctx;
	struct sw_config *cfg;
	struct sw_alert_sink *sink;
	struct sw_threshold *filters;	/*!< detector -> filters -> incidents -> sink */
	struct sw_incidents *incidents;
	struct sw_evidence *evidence;	/*!< incidents -> evidence pcaps -> sink; NULL: off */
	struct sw_traffic *traffic;	/*!< stats events; NULL: `no stats-interval` */
	struct sw_detector *det;
	struct llist_head inputs;	/*!< struct sw_input, by index */
	unsigned n_inputs;
	const struct sw_input *current;	/*!< the input the detector was last told about */
	struct sw_latency latency;	/*!< arrival of a live message -> its alert lines written */
	struct timeval started;
	bool stopping;
	const char *site;		/*!< a cluster sensor of this site: no detector, sink or alert path */
};

/*! The daemon, for the VTY, CTRL and counter code (NULL outside the daemon). */
extern struct sw_daemon *g_sw;

/*! Settings of the `daemon` config node. */
struct sw_daemon_cfg *sw_daemon_cfg(void);

/*! Command line settings of the daemon. */
struct sw_daemon_opts {
	const char *config_file;
	bool check_only;		/*!< -T: check the configuration and exit */
	const char *output;		/*!< -o: overrides the config's alert outputs */
	const char *log_dir;		/*!< -l: overrides the config's log-directory */
	bool daemonize;			/*!< -D */
	bool verbose;			/*!< -v: counters on stderr at exit */
	uint8_t pc_format;
	const char *site;		/*!< --site NAME: a live cluster sensor (publishes, detects nothing) */
};

/*! Run the daemon until SIGTERM or SIGINT; with check_only, check what the start would
 *  check before it opens anything (the configuration, the rules' settings, the inputs, the
 *  daemon user and group), print one line and return.
 *  \returns the exit code: 0 after a clean stop (or a good configuration), 1 when it could
 *  not start (or the configuration has a problem, printed as FILE:LINE: reason). */
int sw_daemon_main(void *ctx, const struct sw_daemon_opts *opts);

/*! Read a configuration as the daemon does, every section (cs7 instances, inputs, logging,
 *  daemon) included; libosmo-sigtran sets the cs7 instances up as it reads them. Sets up the
 *  logging and the VTY first: call once per process, instead of sw_daemon_main().
 *  \returns the configuration, or NULL after printing FILE:LINE: reason on stderr. */
struct sw_config *sw_daemon_config_load(void *ctx, const char *path);
/*! What every ss7watch process with a VTY, CTRL or statsd sets up before it reads its config
 *  file (the daemon and the cluster roles): the logging, the rate counters, stat items and
 *  stats reporters, and the VTY with our nodes, `line vty`, `log`, `stats`, `ctrl` and
 *  `daemon` (not cs7 nor inputs: sw_daemon_config_load() adds those). Call once per process. */
void sw_osmo_app_init(void *ctx);

/*! State and counters of an input. */
void sw_input_get_status(const struct sw_input *in, struct sw_input_status *st);

/*! Input by name, NULL when none. */
struct sw_input *sw_input_find(const char *name);

/*! A decoder counter summed over every input. */
uint64_t sw_daemon_counter_total(enum sw_ctr c);

/*! Install the `daemon` config node (user, group). */
void sw_daemon_vty_init(void);
/*! Go to the parent of the `daemon` node. \returns 1 when it was ours. */
int sw_daemon_vty_go_parent(struct vty *vty);

/* daemon_vty_show.c */
/*! Install the show commands (inputs, alerts, subscriber, rules, stats). */
void sw_vty_show_init(void);

/* daemon_ctrl.c */
struct ctrl_handle;
/*! Open the CTRL interface (bind address from `ctrl` / `bind`) and install our variables.
 *  \returns the handle, or NULL when the port cannot be opened. */
struct ctrl_handle *sw_ctrl_init(void *ctx);
/*! Open a CTRL interface on \a port (bind address from `ctrl` / `bind`) with libosmoctrl's
 *  own variables only (rate_ctr.*, stat_item.*). \returns the handle, or NULL */
struct ctrl_handle *sw_ctrl_listen(void *ctx, uint16_t port);

/* daemon_counters.c */
/*! Allocate the daemon's rate counter and stat item groups, and one counter group per input
 *  (names and descriptions from SW_COUNTERS). Call once every input exists. */
int sw_counters_osmo_init(void *ctx);
struct rate_ctr_group;
/*! Add to counter \a idx of \a g what \a value gained since \a *synced (updated): plain
 *  integers counted on a hot path reach the rate counters in steps. */
void sw_rate_ctr_catch_up(struct rate_ctr_group *g, unsigned idx, uint64_t value, uint64_t *synced);
/*! Copy what the decoders, the detector and the sink counted since the last call into the
 *  rate counters and stat items (the hot path keeps plain integers). */
void sw_counters_osmo_sync(void);
