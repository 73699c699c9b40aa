/*! \file output_summary.h
 *  The --summary tables of the alert sink: alerts counted by rule, by threat and by calling
 *  network, printed most frequent first after the totals. */
#pragma once
#include <stdio.h>
#include <ss7watch/alert.h>
#include <ss7watch/output_sink.h>

struct sw_summary;

/*! Empty tables (talloc child of ctx). \returns NULL when out of memory. */
struct sw_summary *sw_summary_alloc(void *ctx);

/*! Count a under its rule, threat and calling network. */
void sw_summary_count(struct sw_summary *sum, const struct sw_alert *a);

/*! Print the sink's totals from st and, when sum is not NULL, its tables. */
void sw_summary_print(FILE *f, const struct sw_alert_sink_stats *st, const struct sw_summary *sum);
