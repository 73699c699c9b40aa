/* Subscriber table benchmark (not a test: timings depend on the machine). Fills a table
 * with N subscribers (IMSI, MSISDN, VLR), then times random IMSI lookups with an update,
 * the same with batched prefetching, and random MSISDN lookups. Build and run with
 * contrib/bench_subscr.sh [N [capacity]]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <time.h>
#include <unistd.h>
#include <talloc.h>
#include <ss7watch/track_subscr.h>

#define BATCH	8

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t rss_bytes(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f || fscanf(f, "%lu %lu", &size, &resident) != 2)
		exit(1);
	fclose(f);
	return (uint64_t)resident * sysconf(_SC_PAGESIZE);
}

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static inline uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A random number in [0, n) without a division (which would cost as much as a lookup). */
static inline uint32_t rnd_below(uint32_t n)
{
	return ((rng() >> 32) * n) >> 32;
}

static void print_huge_pages(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "AnonHugePages:", 14))
			printf("%s", line);
	if (f)
		fclose(f);
}

/* Subscriber i: an IMSI of a German network, an MSISDN, one of 2000 VLRs. */
static inline sw_num_t imsi_of(uint32_t i)
{
	return (15ULL << 60) | (262010000000000ULL + i);
}

static inline sw_num_t msisdn_of(uint32_t i)
{
	return (13ULL << 60) | (4915100000000ULL + i);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000000;
	uint32_t cap = argc > 2 ? strtoul(argv[2], NULL, 0) : n;
	void *ctx = talloc_named_const(NULL, 0, "bench");
	struct sw_gt_table *gts = sw_gt_table_alloc(ctx, 4096);
	struct sw_subscr_table *t;
	struct sw_subscr_stats st;
	sw_gt_id vlr[2000];
	uint64_t rss0, rss1, hits = 0, sum = 0;
	double t0, t1;

	for (unsigned i = 0; i < 2000; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "4917%07u", i * 13);
		vlr[i] = sw_gt_intern(gts, buf);
	}

	rss0 = rss_bytes();
	t0 = now_ns();
	t = sw_subscr_table_alloc(ctx, cap, getenv("PREALLOCATE") != NULL);
	t1 = now_ns();
	if (!t)
		return 1;
	printf("alloc %u: %.0f ms\n", cap, (t1 - t0) / 1e6);

	t0 = now_ns();
	for (uint32_t i = 0; i < n; i++) {
		struct sw_subscr *s = sw_subscr_get(t, imsi_of(i));

		sw_subscr_set_msisdn(t, s, msisdn_of(i));
		s->vlr = vlr[i % 2000];
		s->vlr_since = i;
		s->vlr_op = 2;
	}
	t1 = now_ns();
	rss1 = rss_bytes();
	sw_subscr_table_stats(t, &st);
	printf("insert %u: %.1f ns/op; count %u of capacity %u, %" PRIu64 " evicted\n",
	       n, (t1 - t0) / n, st.count, st.capacity, st.evictions);
	printf("bytes per subscriber: table %.1f (%.1f at capacity), RSS growth %.1f\n",
	       (double)sw_subscr_table_bytes(t) / st.count,
	       (double)sw_subscr_table_bytes(t) / st.capacity, (double)(rss1 - rss0) / st.count);

	print_huge_pages();

	/* random lookups of known IMSIs, updating the VLR as a location update would; a miss
	 * (evicted during the fill) re-creates the subscriber */
	t0 = now_ns();
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = rnd_below(n);
		struct sw_subscr *s = sw_subscr_find(t, imsi_of(i));

		if (s)
			hits++;
		else
			s = sw_subscr_get(t, imsi_of(i));
		s->vlr = vlr[(i + k) % 2000];
		s->vlr_since = n + k;
	}
	t1 = now_ns();
	printf("lookup+update: %.1f ns/op (%.2f%% hits)\n", (t1 - t0) / n, 100.0 * hits / n);

	/* the same with the lookups of a batch prefetched first, as a pipeline would */
	hits = 0;
	t0 = now_ns();
	for (uint32_t k = 0; k < n; k += BATCH) {
		uint32_t idx[BATCH];

		for (unsigned j = 0; j < BATCH; j++) {
			idx[j] = rnd_below(n);
			sw_subscr_prefetch(t, imsi_of(idx[j]));
		}
		for (unsigned j = 0; j < BATCH; j++) {
			struct sw_subscr *s = sw_subscr_find(t, imsi_of(idx[j]));

			if (s)
				hits++;
			else
				s = sw_subscr_get(t, imsi_of(idx[j]));
			s->vlr = vlr[(idx[j] + k) % 2000];
			s->vlr_since = 2 * n + k;
		}
	}
	t1 = now_ns();
	printf("lookup+update, prefetched in batches of %u: %.1f ns/op (%.2f%% hits)\n", BATCH,
	       (t1 - t0) / n, 100.0 * hits / n);

	hits = 0;
	t0 = now_ns();
	for (uint32_t k = 0; k < n; k++) {
		struct sw_subscr *s = sw_subscr_find_msisdn(t, msisdn_of(rnd_below(n)));

		if (s) {
			hits++;
			sum += s->vlr;
		}
	}
	t1 = now_ns();
	printf("MSISDN lookup: %.1f ns/op (%.2f%% hits)\n", (t1 - t0) / n, 100.0 * hits / n);

	sw_subscr_table_stats(t, &st);
	printf("final: count %u, inserts %" PRIu64 ", evictions %" PRIu64 " (checksum %" PRIu64
	       ")\n", st.count, st.inserts, st.evictions, sum);
	talloc_free(ctx);
	return 0;
}
