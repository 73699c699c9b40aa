/*! \file output_evidence.h
 *  Evidence pcaps: for each incident (output_incident.h), the original frames of its written
 *  alerts in DIR/<incident_id>.pcap: the alert's own frame, the frames its `related` list
 *  names, the request frame of an alert on an answer, and the answer frames of an alerted
 *  invoke that arrive later. pcap format with the input's link type, original timestamps
 *  and bytes, in frame order, each frame once.
 *
 *  A stage on the emit hook of alert.h, after the incident stage (it needs incident_id).
 *  While it is on, the decoder's frame tap (decode.h, sw_on_frame_t) copies every frame into
 *  a bounded ring (ring_frames frames, ring_bytes bytes), so an alert raised on an answer can
 *  still fetch its request's frame; a frame no longer in the ring is counted as lost. Files
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
	uint64_t lost;		/*!< no longer in the ring (or bigger than it) */
	uint64_t skipped;	/*!< alerts on messages without a captured frame (SIGTRAN listener) */
	uint64_t write_errors;	/*!< files that could not be opened or written */
};

/*! The settings of cfg's `alerts` node with dir (NULL: the config's evidence-directory). */
struct sw_evidence_cfg sw_evidence_cfg_from(const struct sw_config *cfg, const char *dir);

/*! The stage (talloc child of ctx), handing alerts on to next(next_priv, alert). Checks that
 *  cfg->dir is a writable directory. \returns NULL with a one-line reason in err. */
struct sw_evidence *sw_evidence_alloc(void *ctx, const struct sw_evidence_cfg *cfg, sw_alert_emit_fn next,
				      void *next_priv, char *err, size_t errlen);

/*! The decoder's frame tap (decode.h, sw_on_frame_t; priv: the stage): keep the frame. */
void sw_evidence_frame(void *priv, int dlt, const uint8_t *buf, uint32_t len, const struct timeval *ts,
		       uint64_t frame);

/*! A new input begins (frame numbers start again): forget the ring. */
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
