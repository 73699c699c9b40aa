/* Shared by the fuzz harnesses (doc/fuzzing.md). Each harness allocates its decoder (and
 * tracker, detector) once and resets it before every input, so that an input decodes as it
 * would in a new process: a crash reproduces from its file alone. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <ss7watch/decode.h>
#include <ss7watch/hash.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/track_pairing.h>

/* The hash seed of every table: fixed (0, or SS7WATCH_HASH_SEED as given), as a random one
 * would change which keys share a bucket, and so what is evicted, from one run to the next.
 * Call before anything is allocated. */
static void fuzz_fix_seed(void)
{
	char err[256];

	setenv(SW_HASH_SEED_ENV, "0", 0);
	if (sw_hash_seed_init(err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
}

/* Every decoded message goes through the --dump writer too, which must cope with whatever
 * the decoders let through. */
static void fuzz_on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	char buf[16384];
	unsigned lines = msg->tcap.n_comp ? msg->tcap.n_comp : 1;

	for (unsigned i = 0; i < lines; i++)
		sw_dump_json(buf, sizeof(buf), msg, msg->tcap.n_comp ? (int)i : -1);
}

/* Link types a frames input may select (its first byte modulo their number). */
static const int fuzz_dlts[] = { 1, 113, 276, 12, 101, 228, 229, 139, 140, 141 };
#define FUZZ_N_DLTS	(sizeof(fuzz_dlts) / sizeof(fuzz_dlts[0]))

/* The next length-prefixed piece of an input, [length: 2 bytes big endian][bytes], the last
 * one cut at the end: *piece and *len set, *data and *size moved past it. \returns false
 * when fewer than 2 bytes are left. */
static bool fuzz_next_piece(const uint8_t **data, size_t *size, const uint8_t **piece, size_t *len)
{
	if (*size < 2)
		return false;
	*len = ((*data)[0] << 8) | (*data)[1];
	*data += 2;
	*size -= 2;
	if (*len > *size)
		*len = *size;
	*piece = *data;
	*data += *len;
	*size -= *len;
	return true;
}

/* Decode a frames input: [selector: 1 byte] then frames as [length: 2 bytes big endian]
 * [bytes], the last one cut at the end of the input. The selector picks the link type (its
 * value modulo FUZZ_N_DLTS) and with bit 4 the 24-bit point code format; the frames are
 * step_usec apart. */
static void fuzz_decode_frames(struct sw_decoder *dec, const uint8_t *data, size_t size, uint64_t step_usec)
{
	uint64_t t = 1700000000ull * 1000000;
	const uint8_t *frame_data;
	struct timeval ts;
	uint64_t frame = 0;
	size_t len;
	int dlt;

	if (size < 1)
		return;
	dlt = fuzz_dlts[data[0] % FUZZ_N_DLTS];
	dec->cfg.pc_format = (data[0] >> 4) & 1;
	data++;
	size--;
	while (fuzz_next_piece(&data, &size, &frame_data, &len)) {
		t += step_usec;
		ts.tv_sec = t / 1000000;
		ts.tv_usec = t % 1000000;
		sw_decode_frame(dec, dlt, frame_data, len, &ts, ++frame);
	}
}
