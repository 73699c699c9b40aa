/* libFuzzer harness: what a cluster worker does with an event from the stream (cluster.h,
 * doc/cluster.md), without NATS: every input is messages as [length: 2 bytes big endian]
 * [message], the last one cut at the end of the input. A message is one event record, a
 * batch of them or a sensor run's end (its first byte says which, as for the worker). A batch's framing is checked
 * whole, then each record in it; a record is parsed (any bytes: wrong version, short,
 * lengths that do not add up, fields out of range, not the batch's) and, when it parses,
 * goes through the reorder heap and into a decoder at the SCCP layer with the message's meta
 * and MTP3 label from the record, as the worker feeds them, and gets an alert id as the
 * worker would give it (with the run of a live sensor's event). */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <ss7watch/alert.h>
#include <ss7watch/cluster.h>
#include "fuzz_common.h"

static struct sw_decoder *dec;
static struct track_pairing *tp;
static struct sw_reorder heap;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sw_decoder_cfg cfg = { .sctp_reasm_bytes = 1024, .sccp_reasm_bytes = 65536 };

	fuzz_fix_seed();
	dec = sw_decoder_alloc(NULL, &cfg, fuzz_on_msg, NULL);
	tp = dec ? track_pairing_attach(dec, 256, 0) : NULL;
	/* small: the full heap releases early, as the worker's does */
	if (!tp || !sw_reorder_init(NULL, &heap, 8))
		abort();
	return 0;
}

static void feed(const struct sw_reorder_item *it)
{
	struct sw_alert a = { .rule = "fuzz", .signature_id = 1 };
	struct sw_event ev;
	char site[SW_EVENT_SITE_MAX + 1], id[256];

	if (sw_event_decode(&ev, it->data, it->len) != SW_EVENT_OK)
		abort();	/* it parsed when it was pushed */
	sw_event_feed(dec, &ev);
	/* the id of an alert on it, as the worker makes it: a live run's names the run */
	memcpy(site, ev.site, ev.site_len);
	site[ev.site_len] = '\0';
	sw_cluster_alert_id(id, sizeof(id), &a, site, ev.live ? &ev.run : NULL, ev.frame, ev.seq);
}

static void push(const struct sw_event *ev, const uint8_t *rec, size_t len)
{
	struct sw_reorder_item it;

	if (heap.n == heap.cap && sw_reorder_pop(&heap, &it))
		feed(&it);
	it = (struct sw_reorder_item){
		.t_us = (uint64_t)ev->meta.ts.tv_sec * 1000000 + ev->meta.ts.tv_usec,
		.frame = ev->frame, .seq = ev->seq, .site_rank = ev->site[0], .data = (void *)rec, .len = len,
	};
	sw_reorder_push(&heap, &it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_reorder_item it;
	const uint8_t *msg;
	size_t len;

	sw_decoder_reset(dec);
	track_pairing_reset(tp);
	heap.n = 0;
	while (fuzz_next_piece(&data, &size, &msg, &len)) {
		struct sw_event ev;
		struct sw_batch b;
		const uint8_t *rec;
		size_t off = 0, rlen, seen = 0;

		if (len && msg[0] == SW_RUN_END_VERSION) {
			struct sw_run_end e;

			/* the site name lies inside the message */
			if (sw_run_end_decode(&e, msg, len) == SW_BATCH_OK &&
			    ((const uint8_t *)e.site < msg || (const uint8_t *)e.site + e.site_len > msg + len))
				abort();
			continue;
		}
		if (len && msg[0] == SW_BATCH_VERSION) {
			if (sw_batch_decode(&b, msg, len) != SW_BATCH_OK)
				continue;
			for (unsigned i = 0; sw_batch_next(&b, &off, &rec, &rlen); i++) {
				/* the framing was checked: every record lies inside the message */
				if (rec < b.recs || rec + rlen > b.recs + b.recs_len || i >= b.count)
					abort();
				seen++;
				if (sw_batch_event_decode(&b, i, &ev, rec, rlen) == SW_EVENT_OK)
					push(&ev, rec, rlen);
			}
			if (seen != b.count)
				abort();
			continue;
		}
		if (sw_event_decode(&ev, msg, len) == SW_EVENT_OK)
			push(&ev, msg, len);
	}
	/* the records live as long as the input: released before it returns */
	while (sw_reorder_pop(&heap, &it))
		feed(&it);
	return 0;
}
