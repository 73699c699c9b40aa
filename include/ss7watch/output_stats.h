/*! \file output_stats.h
 *  Printing the decoder counters (--stats, and -v at exit). */
#pragma once
#include <stdio.h>
#include <ss7watch/counters.h>

/*! What the names of the decode error counters start with ("decode_error.sctp.truncated"). */
#define SW_STATS_ERROR_PREFIX	"decode_error."

/*! One counter: its --stats name, its value and, for a per-operation counter, the opcode
 *  (-1 otherwise). name is valid during the call only. */
typedef void (*sw_stats_cb)(void *priv, const char *name, uint64_t value, int opcode);

/*! Call cb for every counter --stats prints, in its order: every pipeline counter, the MAP
 *  components by opcode and the decode errors by layer and reason (the last two only when
 *  not zero). */
void sw_stats_foreach(const struct sw_stats *st, sw_stats_cb cb, void *priv);

/*! Print every pipeline counter, the MAP components by opcode and the decode errors by
 *  layer and reason, one "name value" pair per line. */
void sw_stats_print(FILE *f, const struct sw_stats *st);

/*! Add every counter of st to sum (the daemon's inputs each have a decoder). */
void sw_stats_add(struct sw_stats *sum, const struct sw_stats *st);
