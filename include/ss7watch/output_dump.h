/*! \file output_dump.h
 *  The --dump format: one JSON object per TCAP component (or per message without one),
 *  written by hand into a caller's buffer (no allocation: this runs per message; only a line
 *  longer than the stack buffer, rare, gets a heap one sized by sw_dump_line_bound()). The alert
 *  output embeds the same objects, so an alert shows a message exactly as --dump does. */
#pragma once
#include <stddef.h>
#include <stdio.h>
#include <ss7watch/msg.h>

/*! Write one JSON object (no trailing newline) describing msg and its component comp_idx
 *  (-1: the message itself, for a message without components or with a decode error).
 *  Keys: timestamp, event_type ("map"), pcap_cnt, src_ip, dest_ip, m3ua, sccp, tcap,
 *  component, map, decode_error; absent when not present in the message.
 *  \returns the length written, or 0 when buflen was too small. */
size_t sw_dump_json(char *buf, size_t buflen, const struct sw_msg *msg, int comp_idx);

/*! The same object's protocol members only (m3ua, sccp, tcap, component, map,
 *  decode_error), comma-separated without the braces ("" when there is none), for a
 *  writer that puts them into an object of its own (the alert line).
 *  \returns the length written, or 0 when there is nothing or buflen was too small (then
 *  buf holds ""). */
size_t sw_dump_json_members(char *buf, size_t buflen, const struct sw_msg *msg, int comp_idx);

/*! The longest line sw_dump_json() can write for msg (its size is bounded by the SCCP user
 *  data it carries): a buffer of this size never overflows. */
size_t sw_dump_line_bound(const struct sw_msg *msg);

/*! Write every line of msg (one per component) to f, however long.
 *  \returns the lines that could not be written (no memory for a long one), 0 normally. */
unsigned sw_dump_msg(FILE *f, const struct sw_msg *msg);

/*! Format a timeval as ISO 8601 UTC with microseconds ("2026-11-23T10:56:26.123456Z").
 *  \returns chars written (buf needs 28 bytes). */
size_t sw_format_ts(char *buf, size_t buflen, const struct timeval *tv);

/*! Format an IP address of meta (src or dst) as text; empty when there is no IP. */
void sw_format_ip(char *buf, size_t buflen, const struct sw_meta *meta, bool dst);
