/*! \file output_evidence.h
 *  Evidence pcaps: for each incident (output_incident.h), the original frames of its written
 *  alerts in DIR/<incident_id>.pcap: the alert's own frame, the frames its `related` list
 *  names, the request frame of an alert on an answer, and the answer frames of an alerted
 *  invoke that arrive later. pcap format with the input's link type, original timestamps
 *  and bytes, in frame order, each frame once.
 *
 *  A stage on the emit hook of alert.h, after the incident stage (it needs incident_id).
 *  While it is on, the decoder's frame tap (decode.h, sw_on_frame_t) of each capture input
 *  copies every frame into a bounded ring of that input (ring_frames frames, ring_bytes
 *  bytes), so an alert raised on an answer can still fetch its request's frame; a frame no
 *  longer in the ring is counted as lost. Frame numbers are per input, so frames are keyed
 *  by (input, frame number): an alert's own frame is taken from its message's input, a
 *  request or related frame (the detector keeps no input with it) from the alert's input
 *  or, when more than one input has a ring, from the one whose frame of that number has the
 *  capture time the alert gives it. One file has one link type (that of its first frame):
 *  a frame of an input with another link type is cut and counted (cut_linktype). Files
 *  are opened, appended to and closed per alert (never more than one handle open). Bounded
 *  per incident (max_frames) and for the run (max_bytes): frames beyond are cut and counted.
 *  Only capture inputs have frames: messages from the SIGTRAN listener (no link layer) are
 *  not written, their alerts count as skipped. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <ss7watch/alert.h>
#include <ss7watch/msg.h>

struct sw_evidence;
struct sw_config;

/*! Settings. */
struct sw_evidence_cfg {
	const char *dir;	/*!< an existing, writable directory */
	uint32_t max_frames;	/*!< frames one incident's file takes at most */
	uint64_t max_bytes;	/*!< frame bytes all files of the run take at most */
	uint32_t ring_frames;	/*!< recent frames kept */
	uint64_t ring_bytes;	/*!< bytes of them at most */
};

/*! What one incident's file holds (the incident line's "evidence" object). */
struct sw_evidence_info {
	char file[512];		/*!< path of the pcap */
	uint32_t frames;	/*!< frames written */
	uint32_t cut;		/*!< frames not written: a limit, or no longer in the ring */
};

/*! Counters (--summary, VTY). */
struct sw_evidence_stats {
	uint64_t files;		/*!< incident files written */
	uint64_t frames;	/*!< frames written */
	uint64_t bytes;		/*!< frame bytes written */
	uint64_t cut_frames;	/*!< cut by evidence-frames */
	uint64_t cut_bytes;	/*!< cut by evidence-bytes */
	uint64_t cut_linktype;	/*!< cut: another link type than the file's (another input) */
	uint64_t lost;		/*!< no longer in the ring (or bigger than it) */
	uint64_t skipped;	/*!< alerts on messages without a captured frame (SIGTRAN listener) */
	uint64_t write_errors;	/*!< files that could not be opened or written */
};

/*! The settings of cfg's `alerts` node with dir (NULL: the config's evidence-directory). */
struct sw_evidence_cfg sw_evidence_cfg_from(const struct sw_config *cfg, const char *dir);

/*! Check that dir exists, is a directory and is writable (at start, and again after a
 *  privilege drop). \returns 0, or -1 with a one-line reason in err. */
int sw_evidence_check_dir(const char *dir, char *err, size_t errlen);

/*! The stage (talloc child of ctx), handing alerts on to next(next_priv, alert). Checks that
 *  cfg->dir is a writable directory. \returns NULL with a one-line reason in err. */
struct sw_evidence *sw_evidence_alloc(void *ctx, const struct sw_evidence_cfg *cfg, sw_alert_emit_fn next,
				      void *next_priv, char *err, size_t errlen);

/*! The ring of capture input `input` (the index msg.h's sw_meta.input carries), made on
 *  the first call: the priv of sw_evidence_frame() for that input's decoder. Only inputs
 *  with a ring have frames; alerts on messages of the others are counted as skipped.
 *  \returns NULL when out of memory. */
void *sw_evidence_tap(struct sw_evidence *e, uint8_t input);

/*! The decoder's frame tap (decode.h, sw_on_frame_t; priv: sw_evidence_tap()): keep the
 *  frame in its input's ring. */
void sw_evidence_frame(void *priv, int dlt, const uint8_t *buf, uint32_t len, const struct timeval *ts,
		       uint64_t frame);

/*! A new input begins in the same decoder (replay's next file; frame numbers start again):
 *  forget the rings. */
void sw_evidence_new_input(struct sw_evidence *e);

/*! Every decoded message (before the detector): answers to alerted invokes join their
 *  incident's file. */
void sw_evidence_message(struct sw_evidence *e, const struct sw_msg *msg);

/*! The emit hook of alert.h (priv: the stage): write the frames of a written alert to its
 *  incident's file. \returns what next returned. */
int sw_evidence_emit(void *priv, const struct sw_alert *a);

/*! The incident closes: put its file in frame order and forget it. \returns true with what
 *  the file holds in out, false when the incident has no file (none of its alerts was
 *  written). */
bool sw_evidence_close(struct sw_evidence *e, uint64_t incident_id, struct sw_evidence_info *out);

/*! Counters. */
const struct sw_evidence_stats *sw_evidence_stats(const struct sw_evidence *e);

/*! The counters as one line (no newline): --summary, the daemon's stop log and VTY. */
void sw_evidence_summary(const struct sw_evidence *e, char *buf, size_t len);
