/*! \file output_latency.h
 *  A histogram of latencies in microseconds (1 us buckets up to 10 ms, then overflow), for
 *  the time from a live message's arrival to its alert lines: p50/p99 in `show stats`, CTRL
 *  and the benchmark. Adding is O(1) and allocation free. */
#pragma once
#include <stdint.h>
#include <sys/time.h>

#define SW_LATENCY_BUCKETS	10000

struct sw_latency {
	uint32_t bucket[SW_LATENCY_BUCKETS];
	uint64_t overflow;		/*!< samples of 10 ms or more */
	uint64_t count;
	uint64_t sum_us;
	uint64_t max_us;
};

/*! Add the time from since to now. Negative times (clock steps) count as 0. */
void sw_latency_add_since(struct sw_latency *l, const struct timeval *since);
/*! Add one sample. */
void sw_latency_add(struct sw_latency *l, uint64_t us);
/*! The q-quantile (0 < q <= 1) in microseconds; 0 without samples; SW_LATENCY_BUCKETS when
 *  it lies in the overflow. */
uint64_t sw_latency_quantile(const struct sw_latency *l, double q);
