/* libFuzzer harness: SCCP and above, as the live M3UA/IPA listener feeds them (the MTP3
 * label comes from libosmo-sigtran, the SCCP bytes from the peer). Input: SCCP messages as
 * [length: 2 bytes big endian][bytes], the last one cut at the end of the input, a second
 * apart, so that XUDT segments are reassembled. One decoder and pairing table for the
 * process, reset before every input. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_common.h"

static struct sw_decoder *dec;
static struct track_pairing *tp;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* no SCTP here: the smallest pool; small XUDT pool, so eviction is fuzzed too */
	struct sw_decoder_cfg cfg = { .sctp_reasm_bytes = 1024, .sccp_reasm_bytes = 65536 };

	fuzz_fix_seed();
	dec = sw_decoder_alloc(NULL, &cfg, fuzz_on_msg, NULL);
	tp = dec ? track_pairing_attach(dec, 256, 0) : NULL;
	if (!tp)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_msg *m = &dec->msg;
	const uint8_t *sccp;
	uint64_t frame = 0;
	size_t len;

	sw_decoder_reset(dec);
	track_pairing_reset(tp);
	while (fuzz_next_piece(&data, &size, &sccp, &len)) {
		/* what input_sigtran.c sets before it hands over an MSU's user part */
		memset(&m->meta, 0, sizeof(m->meta));
		m->meta.frame = dec->frame = ++frame;
		m->meta.ts.tv_sec = 1700000000 + frame;
		dec->ts = m->meta.ts;
		sw_msg_reset_upper(m);
		m->mtp3.via = SW_VIA_M3UA_LIVE;
		m->mtp3.si = 3;
		m->mtp3.present = true;
		m->mtp3.opc = 1000;
		m->mtp3.dpc = 2000;
		sw_decode_sccp(dec, sccp, len);
	}
	return 0;
}
