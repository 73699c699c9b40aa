/* Latency histogram (output_latency.h). */
#include <string.h>
#include <ss7watch/output_latency.h>

void sw_latency_add(struct sw_latency *l, uint64_t us)
{
	if (us < SW_LATENCY_BUCKETS)
		l->bucket[us]++;
	else
		l->overflow++;
	l->count++;
	l->sum_us += us;
	if (us > l->max_us)
		l->max_us = us;
}

void sw_latency_add_since(struct sw_latency *l, const struct timeval *since)
{
	struct timeval now;
	int64_t us;

	gettimeofday(&now, NULL);
	us = (int64_t)(now.tv_sec - since->tv_sec) * 1000000 + (now.tv_usec - since->tv_usec);
	sw_latency_add(l, us > 0 ? (uint64_t)us : 0);
}

uint64_t sw_latency_quantile(const struct sw_latency *l, double q)
{
	uint64_t want, seen = 0;

	if (!l->count)
		return 0;
	/* the smallest value with at least q of the samples at or below it */
	want = (uint64_t)(q * l->count + 0.999999);
	if (want < 1)
		want = 1;
	for (unsigned i = 0; i < SW_LATENCY_BUCKETS; i++) {
		seen += l->bucket[i];
		if (seen >= want)
			return i;
	}
	return SW_LATENCY_BUCKETS;
}
