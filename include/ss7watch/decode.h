/*! \file decode.h
 *  The decode chain: link -> IP -> SCTP -> M3UA/M2PA/M2UA/SUA -> MTP3 -> SCCP -> TCAP -> MAP.
 *  One decoder per input; it keeps only bounded reassembly state and calls on_msg once per
 *  decoded SCCP message (or once per malformed message with msg->err set). */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <sys/time.h>
#include <ss7watch/msg.h>
#include <ss7watch/counters.h>

struct sw_decoder;
struct sctp_reasm;
struct sccp_reasm;

/*! Called for every decoded message; msg and what it points to are valid only during the call. */
typedef void (*sw_on_msg_t)(struct sw_decoder *dec, struct sw_msg *msg, void *priv);

/*! Optional tap on the raw SCCP bytes, called by sw_decode_sccp() before it parses them (ss7replay
 *  relays them; dec->msg.meta and dec->msg.mtp3 describe the message). Return true to consume the
 *  message: it is then neither parsed nor counted as SCCP. */
typedef bool (*sw_on_sccp_t)(struct sw_decoder *dec, const uint8_t *p, uint32_t len, void *priv);

/*! Optional stage between TCAP and MAP decoding: called by sw_deliver_sccp() with the message's
 *  TCAP decoded (components, invoke ids, opcodes as sent) but not yet the MAP parameters, so
 *  that it can name what a component lacks before MAP decodes it: the pipeline's
 *  result -> invoke pairing (track_pairing.h) gives a result the opcode of its invoke. */
typedef void (*sw_on_tcap_t)(struct sw_decoder *dec, struct sw_msg *msg, void *priv);

/*! Optional tap on every captured frame, called by sw_decode_frame() before it decodes it
 *  (the evidence ring keeps the raw frames: output_evidence.h). */
typedef void (*sw_on_frame_t)(void *priv, int dlt, const uint8_t *buf, uint32_t len, const struct timeval *ts,
			      uint64_t frame);

/*! MTP3 point code format. */
enum sw_pc_format {
	SW_PC_ITU14 = 0,	/*!< ITU 14-bit point codes (default) */
	SW_PC_24BIT,		/*!< ANSI / China / Japan 24-bit point codes */
};

/*! Bounds of the decoder state; 0 means the default. */
struct sw_decoder_cfg {
	uint8_t pc_format;		/*!< enum sw_pc_format */
	uint32_t sctp_reasm_bytes;	/*!< bytes buffered for fragmented SCTP user messages */
	uint32_t sccp_reasm_bytes;	/*!< bytes buffered for XUDT segments */
};

struct sw_decoder {
	struct sw_decoder_cfg cfg;
	struct sw_stats st;
	sw_on_msg_t on_msg;
	void *priv;
	sw_on_sccp_t on_sccp;		/*!< NULL unless a program taps raw SCCP (see sw_on_sccp_t) */
	sw_on_tcap_t on_tcap;		/*!< NULL unless the pipeline has a TCAP stage (sw_on_tcap_t) */
	void *on_tcap_priv;		/*!< passed to on_tcap */
	sw_on_frame_t on_frame;		/*!< NULL unless something keeps the raw frames */
	void *on_frame_priv;		/*!< passed to on_frame */
	struct sctp_reasm *sctp;
	struct sccp_reasm *sccp;
	struct sw_msg msg;		/*!< scratch: the message being decoded */
	uint64_t frame;			/*!< frame number of the current frame */
	struct timeval ts;		/*!< time of the current frame */
};

/*! Allocate a decoder (talloc child of ctx). cfg may be NULL for defaults. */
struct sw_decoder *sw_decoder_alloc(void *ctx, const struct sw_decoder_cfg *cfg,
				    sw_on_msg_t on_msg, void *priv);
void sw_decoder_free(struct sw_decoder *dec);

/*! Forget everything dec learned from what it decoded: SCTP associations and fragments,
 *  XUDT segments, the counters and the scratch message; keep its memory, its configuration
 *  and its hooks (a TCAP stage such as track_pairing keeps its own state: reset it too).
 *  Afterwards dec decodes as a new one would. Costs a pass over the reassembly pools'
 *  free lists and the association tags, not an allocation (fuzzers reuse one decoder). */
void sw_decoder_reset(struct sw_decoder *dec);

/*! Is this pcap link type one we decode? */
bool sw_linktype_supported(int dlt);

/*! Decode one captured frame of pcap link type dlt. Counts and skips what is not SS7. */
void sw_decode_frame(struct sw_decoder *dec, int dlt, const uint8_t *buf, uint32_t len,
		     const struct timeval *ts, uint64_t frame);

/* --- entry points of the inner layers (used by the layers below them and by live inputs) --- */

/*! Decode an IPv4/IPv6 packet (dec->msg.meta is being filled). */
void sw_decode_ip(struct sw_decoder *dec, const uint8_t *p, uint32_t len);
/*! Decode an SCTP packet. */
void sw_decode_sctp(struct sw_decoder *dec, const uint8_t *p, uint32_t len);
/*! Decode one SCTP user message of payload protocol ppid. */
void sw_decode_sctp_user(struct sw_decoder *dec, uint32_t ppid, const uint8_t *p, uint32_t len);
/*! Decode an M3UA message. */
void sw_decode_m3ua(struct sw_decoder *dec, const uint8_t *p, uint32_t len);
/*! Decode an M2PA message. */
void sw_decode_m2pa(struct sw_decoder *dec, const uint8_t *p, uint32_t len);
/*! Decode an M2UA message. */
void sw_decode_m2ua(struct sw_decoder *dec, const uint8_t *p, uint32_t len);
/*! Decode an MTP2 signal unit (without FCS); with_phdr for DLT_MTP2_WITH_PHDR. */
void sw_decode_mtp2(struct sw_decoder *dec, const uint8_t *p, uint32_t len, bool with_phdr);
/*! Decode an MTP3 MSU (SIO + routing label + user part); via = enum sw_transport. */
void sw_decode_mtp3(struct sw_decoder *dec, const uint8_t *p, uint32_t len, uint8_t via);
/*! Decode the user part of an MSU whose routing label is in dec->msg.mtp3 (from MTP3 or M3UA):
 *  SCCP; other service indicators are only counted. */
void sw_decode_mtp3_user(struct sw_decoder *dec, const uint8_t *p, uint32_t len);
/*! Decode an SUA message. */
void sw_decode_sua(struct sw_decoder *dec, const uint8_t *p, uint32_t len);
/*! Decode an SCCP message; dec->msg.mtp3 must already hold the label (or present=false).
 *  First offers the raw bytes to dec->on_sccp when set, and stops there when it returns true. */
void sw_decode_sccp(struct sw_decoder *dec, const uint8_t *p, uint32_t len);

/*! Called by the SCCP/SUA layer once msg->sccp is complete (data = TCAP): decodes TCAP, runs
 *  the TCAP stage (on_tcap), decodes MAP, counts, and calls on_msg. */
void sw_deliver_sccp(struct sw_decoder *dec);

/*! Report a malformed message: counts err and calls on_msg with msg->err set. */
void sw_decode_fail(struct sw_decoder *dec, enum sw_err err);

/*! Count a message lost to err that is not the current one (a reassembly given up):
 *  counted like sw_decode_fail(), not reported through on_msg. */
void sw_decode_lost(struct sw_decoder *dec, enum sw_err err);

/*! Reset dec->msg for a new message of the current frame, keeping meta (IP, ports). */
void sw_msg_reset_upper(struct sw_msg *msg);

/* reassembly state (decode_sctp.c, decode_sccp.c); internal to the decoder */
struct sctp_reasm *sctp_reasm_alloc(void *ctx, uint32_t max_bytes);
struct sccp_reasm *sccp_reasm_alloc(void *ctx, uint32_t max_bytes);
void sctp_reasm_reset(struct sctp_reasm *r);
void sccp_reasm_reset(struct sccp_reasm *r);
