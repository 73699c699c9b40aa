/* libFuzzer harness: SCCP and above, as the live M3UA/IPA listener feeds them (the MTP3
 * label comes from libosmo-sigtran, the SCCP bytes from the peer). */
#include <stdint.h>
#include <stddef.h>
#include <talloc.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sw_decoder *dec;

	if (!dec) {
		struct sw_decoder_cfg cfg = { .sccp_reasm_bytes = 65536 };

		dec = sw_decoder_alloc(NULL, &cfg, fuzz_on_msg, NULL);
		track_pairing_attach(dec, 256, 0);
	}
	sw_msg_reset_upper(&dec->msg);
	dec->msg.meta.frame++;
	dec->msg.meta.ts.tv_sec++;
	dec->msg.mtp3.present = true;
	dec->msg.mtp3.via = SW_VIA_M3UA_LIVE;
	dec->msg.mtp3.si = 3;
	sw_decode_sccp(dec, data, size);
	return 0;
}
