/*! \file input_live.h
 *  Inputs of the daemon read through libpcap: live capture on an interface (a mirror port)
 *  and capture files replayed inside the daemon. Both run in the osmo_select loop: a
 *  capture is an osmo_fd on pcap_get_selectable_fd(), a file is read in batches from a
 *  timer so the VTY and the other inputs are served in between.
 *
 *  Configured in the VTY config file:
 *    input pcap NAME            input file NAME
 *     interface IFACE            path FILE
 *     filter BPF
 *     snaplen N
 *     buffer-size MB
 *     [no] promiscuous
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <osmocom/core/linuxlist.h>
#include <ss7watch/decode.h>

struct vty;

#define SW_LIVE_DEFAULT_SNAPLEN		65535
#define SW_LIVE_DEFAULT_BUFFER_MB	32

/*! One `input pcap` or `input file` section of the config. */
struct sw_live_cfg {
	struct llist_head list;
	char *name;
	bool file;			/*!< `input file`: replay path; else capture on iface */
	char *iface;
	char *filter;			/*!< BPF expression, NULL: everything */
	uint32_t snaplen;
	uint32_t buffer_mb;		/*!< kernel capture buffer */
	bool promisc;
	char *path;
};

/*! State of an input for `show inputs` and CTRL. */
enum sw_live_state {
	SW_LIVE_CLOSED,			/*!< not opened yet, or stopped */
	SW_LIVE_RUNNING,		/*!< capturing / replaying */
	SW_LIVE_RETRYING,		/*!< the interface failed: reopening periodically */
	SW_LIVE_FINISHED,		/*!< a file was read to its end */
	SW_LIVE_FAILED,			/*!< a file could not be read */
};

/*! Counters of one input. Kernel figures come from pcap_stats() and are summed over reopens. */
struct sw_live_info {
	const char *name;
	bool file;
	enum sw_live_state state;
	const char *source;		/*!< interface or file path */
	uint64_t frames;		/*!< frames handed to the decoder (the input's pcap_cnt) */
	uint64_t bytes;
	uint64_t kernel_received;	/*!< ps_recv: packets that passed the filter */
	uint64_t kernel_drops;		/*!< ps_drop: dropped for lack of buffer space */
	uint64_t if_drops;		/*!< ps_ifdrop: dropped by the interface or its driver */
	uint32_t reopens;		/*!< successful reopens after a failure */
	char last_error[160];
};

struct sw_live_input;

/*! Install the `input pcap` / `input file` nodes. Call once after vty_init().
 *  \param pcap_node, file_node VTY node numbers to use. */
void sw_live_vty_init(int pcap_node, int file_node);

/*! The sections read from the config file, in config order. */
struct llist_head *sw_live_configs(void);

/*! Go to the parent of one of our nodes (CONFIG_NODE). \returns 1 when it was ours, else 0. */
int sw_live_vty_go_parent(struct vty *vty);

/*! Open the input of cfg: activate the capture (snap length, buffer, immediate mode, filter)
 *  or open the file. Frames go to dec. Nothing is read before sw_live_input_start().
 *  \returns the input (talloc child of ctx), or NULL with a one-line reason in err. */
struct sw_live_input *sw_live_input_open(void *ctx, const struct sw_live_cfg *cfg, struct sw_decoder *dec,
					 char *err, size_t errlen);

/*! Start reading (register the fd, or schedule the first batch of a file). */
void sw_live_input_start(struct sw_live_input *in);

/*! Stop reading and close the capture or file (kernel counters are read first). */
void sw_live_input_stop(struct sw_live_input *in);

/*! Current state and counters (reads pcap_stats of a running capture). */
void sw_live_input_get_info(struct sw_live_input *in, struct sw_live_info *info);

/*! Name of a state ("running", ...). */
const char *sw_live_state_name(enum sw_live_state st);
