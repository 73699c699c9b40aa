/*! \file output_ring.h
 *  The last alert lines kept in memory for the daemon's `show alerts` and CTRL: a stdio
 *  stream handed to the alert sink as one more output. */
#pragma once
#include <stdint.h>
#include <stdio.h>

/*! A stream to hand to the alert sink: it keeps the last n alert lines for `show alerts`.
 *  \returns NULL when the stream cannot be made. */
FILE *sw_alert_ring_open(void *ctx, unsigned n);
/*! Lines the ring was handed since start. */
uint64_t sw_alert_ring_total(void);
/*! Call fn for the last n lines, oldest first (n = 0: all kept). */
void sw_alert_ring_foreach(unsigned n, void (*fn)(const char *line, void *priv), void *priv);
