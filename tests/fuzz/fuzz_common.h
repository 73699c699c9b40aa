/* Shared by the fuzz harnesses: every decoded message goes through the --dump writer too,
 * which must cope with whatever the decoders let through; the decoders pair results with
 * invokes (track_pairing.h) as --dump's do. */
#pragma once
#include <ss7watch/decode.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/track_pairing.h>

static void fuzz_on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	char buf[16384];
	unsigned lines = msg->tcap.n_comp ? msg->tcap.n_comp : 1;

	for (unsigned i = 0; i < lines; i++)
		sw_dump_json(buf, sizeof(buf), msg, msg->tcap.n_comp ? (int)i : -1);
}
