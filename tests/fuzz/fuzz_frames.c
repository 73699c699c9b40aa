/* libFuzzer harness: the whole decode chain, link layer to MAP, over several frames so the
 * SCTP and XUDT reassembly state is fuzzed too. Input: fuzz_decode_frames() (fuzz_common.h).
 * One decoder and pairing table for the process, reset before every input. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include "fuzz_common.h"

static struct sw_decoder *dec;
static struct track_pairing *tp;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* small reassembly pools and pairing table: eviction is fuzzed too, and a reset is cheap */
	struct sw_decoder_cfg cfg = { .sctp_reasm_bytes = 65536, .sccp_reasm_bytes = 65536 };

	fuzz_fix_seed();
	dec = sw_decoder_alloc(NULL, &cfg, fuzz_on_msg, NULL);
	tp = dec ? track_pairing_attach(dec, 64, 0) : NULL;
	if (!tp)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sw_decoder_reset(dec);
	track_pairing_reset(tp);
	fuzz_decode_frames(dec, data, size, 1000);
	return 0;
}
