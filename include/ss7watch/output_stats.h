/*! \file output_stats.h
 *  Printing the decoder counters (--stats, and -v at exit). */
#pragma once
#include <stdio.h>
#include <ss7watch/counters.h>

/*! Print every pipeline counter, the MAP components by opcode and the decode errors by
 *  layer and reason, one "name value" pair per line. */
void sw_stats_print(FILE *f, const struct sw_stats *st);
