/* libFuzzer harness: what a cluster worker does with an event from the stream (cluster.h,
 * doc/cluster.md), without NATS: every input is events as [length: 2 bytes big endian]
 * [record], the last one cut at the end of the input. Each record is parsed (any bytes:
 * wrong version, short, lengths that do not add up, fields out of range) and, when it
 * parses, goes through the reorder heap and into a decoder at the SCCP layer with the
 * message's meta and MTP3 label from the record, as the worker feeds them. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
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

static void feed(const uint8_t *rec, size_t len)
{
	struct sw_event ev;

	if (sw_event_decode(&ev, rec, len) != SW_EVENT_OK)
		abort();	/* it parsed when it was pushed */
	dec->frame = ev.frame;
	dec->ts = ev.meta.ts;
	dec->msg.meta = ev.meta;
	sw_msg_reset_upper(&dec->msg);
	dec->msg.mtp3 = ev.mtp3;
	sw_decode_sccp(dec, ev.sccp, ev.sccp_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_reorder_item it;
	const uint8_t *rec;
	size_t len;

	sw_decoder_reset(dec);
	track_pairing_reset(tp);
	heap.n = 0;
	while (fuzz_next_piece(&data, &size, &rec, &len)) {
		struct sw_event ev;

		if (sw_event_decode(&ev, rec, len) != SW_EVENT_OK)
			continue;
		if (heap.n == heap.cap && sw_reorder_pop(&heap, &it))
			feed(it.data, it.frame);
		it = (struct sw_reorder_item){
			.t_us = (uint64_t)ev.meta.ts.tv_sec * 1000000 + ev.meta.ts.tv_usec,
			.frame = len, .seq = ev.seq, .site_rank = ev.site[0], .data = (void *)rec,
		};
		sw_reorder_push(&heap, &it);
	}
	/* the records live as long as the input: released before it returns */
	while (sw_reorder_pop(&heap, &it))
		feed(it.data, it.frame);
	return 0;
}
