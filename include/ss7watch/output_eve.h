/*! \file output_eve.h
 *  An alert as one Suricata EVE JSON line (doc/alert-schema.md): the formatter the alert
 *  sink (output_sink.h) writes with. It starts from the --dump object of the triggering
 *  message and adds the rule, the subscriber state and the evidence. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <ss7watch/alert.h>

struct sw_eve;

/*! A formatter (talloc child of ctx) with its line buffers; with a pseudonymisation key
 *  (copied into a keyed context; key_len 0: identities in clear), under which locations are
 *  reduced to their network unless keep_location.
 *  \returns NULL when out of memory. */
struct sw_eve *sw_eve_alloc(void *ctx, const uint8_t *pseudo_key, size_t pseudo_key_len, bool keep_location);

/*! Format a as one compact JSON object. \returns its length (no '\n'; the buffer holds at
 *  least one more byte, for it) with the text in *line, valid until the next call; or 0
 *  when a could not be formatted. */
size_t sw_eve_format(struct sw_eve *e, const struct sw_alert *a, char **line);
