/* libFuzzer harness: the whole decode chain, link layer to MAP, over several frames so the
 * SCTP and XUDT reassembly state is fuzzed too.
 * Input: [link type selector: 1 byte] then frames as [length: 2 bytes big endian][bytes]. */
#include <stdint.h>
#include <stddef.h>
#include <talloc.h>
#include "fuzz_common.h"

static const int fuzz_dlts[] = { 1, 113, 276, 12, 101, 228, 229, 139, 140, 141 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sw_decoder *dec;
	struct sw_decoder_cfg cfg = { .sctp_reasm_bytes = 65536, .sccp_reasm_bytes = 65536 };
	struct timeval ts = { 1700000000, 0 };
	uint64_t frame = 0;
	int dlt;

	if (size < 1)
		return 0;
	/* a fresh decoder per input keeps runs reproducible */
	dec = sw_decoder_alloc(NULL, &cfg, fuzz_on_msg, NULL);
	track_pairing_attach(dec, 64, 0);
	dlt = fuzz_dlts[data[0] % (sizeof(fuzz_dlts) / sizeof(fuzz_dlts[0]))];
	dec->cfg.pc_format = (data[0] / 16) & 1;
	data++;
	size--;
	while (size >= 2) {
		size_t len = (data[0] << 8) | data[1];

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		ts.tv_usec += 1000;
		sw_decode_frame(dec, dlt, data, len, &ts, ++frame);
		data += len;
		size -= len;
	}
	sw_decoder_free(dec);
	return 0;
}
