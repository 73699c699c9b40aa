/* Bad input never crashes: every frame of the given traces is fed whole, truncated at every
 * length, and with deterministic bit flips and byte overwrites. Every message the decoder
 * reports must serialise to valid JSON. Run under ASan/UBSan, this is the crash test; it
 * fails (exit 1) if a dump line is not valid JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>
#include <jansson.h>
#include <talloc.h>
#include <ss7watch/decode.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/track_pairing.h>

static uint64_t n_lines, n_bad_json, n_errors;

static void on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	char buf[16384];
	unsigned lines = msg->tcap.n_comp ? msg->tcap.n_comp : 1;

	if (msg->err)
		n_errors++;
	for (unsigned i = 0; i < lines; i++) {
		size_t n = sw_dump_json(buf, sizeof(buf), msg, msg->tcap.n_comp ? (int)i : -1);
		json_error_t jerr;
		json_t *j;

		n_lines++;
		if (!n) {
			n_bad_json++;
			fprintf(stderr, "frame %llu: dump line does not fit the buffer\n",
				(unsigned long long)msg->meta.frame);
			continue;
		}
		j = json_loadb(buf, n, 0, &jerr);
		if (!j) {
			n_bad_json++;
			fprintf(stderr, "frame %llu: invalid JSON (%s): %.*s\n",
				(unsigned long long)msg->meta.frame, jerr.text, (int)n, buf);
			continue;
		}
		json_decref(j);
	}
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic, so a failure reproduces */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static void mutate_frame(struct sw_decoder *dec, int dlt, const uint8_t *data, uint32_t len,
			 const struct timeval *ts, uint64_t frame, uint64_t *n_inputs)
{
	uint8_t *buf = malloc(len ? len : 1);

	sw_decode_frame(dec, dlt, data, len, ts, frame);
	(*n_inputs)++;
	for (uint32_t cut = 0; cut < len; cut++) {
		memcpy(buf, data, cut);
		sw_decode_frame(dec, dlt, buf, cut, ts, frame);
		(*n_inputs)++;
	}
	for (int i = 0; i < 64 && len; i++) {
		memcpy(buf, data, len);
		buf[rng() % len] ^= 1u << (rng() % 8);
		if (i & 1)
			buf[rng() % len] ^= 1u << (rng() % 8);
		sw_decode_frame(dec, dlt, buf, len, ts, frame);
		(*n_inputs)++;
	}
	/* length fields are where parsers go wrong: overwrite each byte with extremes */
	static const uint8_t extremes[] = { 0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff };
	for (uint32_t pos = 0; pos < len; pos++) {
		memcpy(buf, data, len);
		buf[pos] = extremes[rng() % sizeof(extremes)];
		sw_decode_frame(dec, dlt, buf, len, ts, frame);
		(*n_inputs)++;
	}
	free(buf);
}

int main(int argc, char **argv)
{
	void *ctx = talloc_named_const(NULL, 0, "robust_test");
	int rc = 0;

	for (int a = 1; a < argc; a++) {
		char errbuf[PCAP_ERRBUF_SIZE];
		struct pcap_pkthdr *h;
		const u_char *data;
		uint64_t frame = 0, inputs = 0;
		struct sw_decoder *dec;
		pcap_t *p = pcap_open_offline(argv[a], errbuf);
		const char *base = strrchr(argv[a], '/');

		if (!p) {
			fprintf(stderr, "%s: %s\n", argv[a], errbuf);
			rc = 1;
			continue;
		}
		dec = sw_decoder_alloc(ctx, NULL, on_msg, NULL);
		/* results named by their invokes, as --dump names them */
		track_pairing_attach(dec, 0, 0);
		n_lines = n_bad_json = n_errors = 0;
		while (pcap_next_ex(p, &h, &data) == 1) {
			struct timeval ts = { h->ts.tv_sec, h->ts.tv_usec };

			mutate_frame(dec, pcap_datalink(p), data, h->caplen, &ts, ++frame, &inputs);
		}
		pcap_close(p);
		printf("%s: %llu frames, %llu inputs, %llu lines, %s\n", base ? base + 1 : argv[a],
		       (unsigned long long)frame, (unsigned long long)inputs, (unsigned long long)n_lines,
		       n_bad_json ? "INVALID JSON" : "all valid JSON");
		if (n_bad_json)
			rc = 1;
		sw_decoder_free(dec);
	}
	talloc_free(ctx);
	return rc;
}
