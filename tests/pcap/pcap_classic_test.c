/* The classic pcap reader reads what libpcap reads (tests/fuzz/pcap_diff.h): each file given,
 * byte-swapped and with nanosecond time stamps, a short snapshot, and the file cut at every
 * offset of its first records and at offsets spread over the rest. Prints one line per file. */
#define _GNU_SOURCE
#include <stdint.h>
#include "../fuzz/pcap_diff.h"

static uint8_t rbuf[SW_PCAP_CLASSIC_BUF];

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *d;
	long n;

	if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0)
		abort();
	d = malloc(n ? n : 1);
	if (!d || fread(d, 1, n, f) != (size_t)n)
		abort();
	fclose(f);
	*size = n;
	return d;
}

static void put32(uint8_t *p, uint32_t v, int big)
{
	for (int i = 0; i < 4; i++)
		p[big ? i : 3 - i] = v >> (24 - 8 * i);
}

static uint32_t get32le(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* the little-endian microsecond file d rewritten big-endian (swap) and/or in nanoseconds,
 * with snaplen (0: as it was) */
static uint8_t *variant(const uint8_t *d, size_t size, int swap, int nsec, uint32_t snaplen)
{
	uint8_t *v = malloc(size);
	size_t off = 24;

	memcpy(v, d, size);
	put32(v, nsec ? 0xa1b23c4d : 0xa1b2c3d4, swap);
	for (int i = 0; i < 2; i++) {
		uint16_t x = d[4 + 2 * i] | d[5 + 2 * i] << 8;

		v[4 + 2 * i] = swap ? x >> 8 : x;
		v[5 + 2 * i] = swap ? x : x >> 8;
	}
	for (int i = 8; i < 24; i += 4)
		put32(v + i, i == 16 && snaplen ? snaplen : get32le(d + i), swap);
	while (off + 16 <= size) {
		uint32_t caplen = get32le(d + off + 8);

		put32(v + off, get32le(d + off), swap);
		put32(v + off + 4, get32le(d + off + 4) * (nsec ? 1000 : 1), swap);
		put32(v + off + 8, caplen, swap);
		put32(v + off + 12, get32le(d + off + 12), swap);
		off += 16 + caplen;
	}
	return v;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t size, cuts = 0;
		uint8_t *d = slurp(argv[i], &size), *v[4];
		long frames = pcap_diff(d, size, rbuf);

		if (frames < 0 || get32le(d) != 0xa1b2c3d4) {
			fprintf(stderr, "%s: not a little-endian microsecond pcap the classic reader takes\n", argv[i]);
			return 1;
		}
		v[0] = variant(d, size, 1, 0, 0);
		v[1] = variant(d, size, 0, 1, 0);
		v[2] = variant(d, size, 1, 1, 0);
		v[3] = variant(d, size, 0, 0, 100);
		for (int k = 0; k < 4; k++)
			if (pcap_diff(v[k], size, rbuf) != frames)
				abort();
		/* every cut in the first 2 KiB (header, first records), then about 200 spread out */
		for (size_t cut = 0; cut < size; cut += cut < 2048 ? 1 : size / 200 + 1, cuts++) {
			pcap_diff(d, cut, rbuf);
			pcap_diff(v[3], cut, rbuf);
		}
		/* the records three times over: past the reader's buffer, so it moves a record cut
		 * at the buffer's end to the front and reads on */
		{
			size_t body = size > 24 ? size - 24 : 0, big = 24 + 3 * body;
			uint8_t *l = malloc(big);

			if (!l)
				abort();
			memcpy(l, d, 24 + body);
			memcpy(l + 24 + body, d + 24, body);
			memcpy(l + 24 + 2 * body, d + 24, body);
			if (pcap_diff(l, big, rbuf) != 3 * frames)
				abort();
			for (size_t cut = big - 4096; cut < big; cut += 97)
				pcap_diff(l, cut, rbuf);
			free(l);
		}
		printf("%s: %ld frames, 4 variants, %zu cuts, 3 times over: same as libpcap\n", strrchr(argv[i], '/') + 1,
		       frames, cuts);
		for (int k = 0; k < 4; k++)
			free(v[k]);
		free(d);
	}
	return 0;
}
