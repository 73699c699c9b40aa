/* The classic pcap reader against libpcap on the same bytes: the same verdict on the
 * header, then frame by frame the same time stamp, lengths and bytes, and the same end (the
 * end of the file, or an error in the same words). Shared by tests/pcap/pcap_classic_test
 * (every cut of real traces) and the fuzz_pcap harness. Include it first, after defining
 * _GNU_SOURCE (memfd_create, fmemopen). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <pcap/pcap.h>
#include <ss7watch/input_pcap_classic.h>

/* Compare both readers on data[0, size). \returns -1 when the classic reader does not take
 * the file, else the frames both read; a difference is printed and aborts. */
static long pcap_diff(const uint8_t *data, size_t size, uint8_t *buf)
{
	struct sw_pcap_classic r = { .buf = buf };
	struct sw_pcap_classic_frame f;
	char perr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	long frames = 0;
	FILE *mf;
	pcap_t *p;
	int a, b;

	r.fd = memfd_create("pcap_diff", MFD_CLOEXEC);
	if (r.fd < 0 || (size && write(r.fd, data, size) != (ssize_t)size) || lseek(r.fd, 0, SEEK_SET) < 0)
		abort();
	if (sw_pcap_classic_fill(&r, SW_PCAP_FILE_HDR_LEN) < 0 || r.end < SW_PCAP_FILE_HDR_LEN ||
	    !sw_pcap_classic_header(&r, r.buf)) {
		close(r.fd);
		return -1;
	}
	r.start = SW_PCAP_FILE_HDR_LEN;
	mf = fmemopen((void *)data, size, "rb");
	if (!mf)
		abort();
	p = pcap_fopen_offline(mf, perr);
	if (!p) {
		fprintf(stderr, "pcap_diff: the classic reader took a file libpcap refuses: %s\n", perr);
		abort();
	}
	if (pcap_datalink(p) != r.dlt || pcap_snapshot(p) != (int)r.snapshot) {
		fprintf(stderr, "pcap_diff: link type %d/%d, snapshot %d/%u\n", pcap_datalink(p), r.dlt,
			pcap_snapshot(p), r.snapshot);
		abort();
	}
	for (;;) {
		a = sw_pcap_classic_next(&r, &f);
		b = pcap_next_ex(p, &h, &d);
		if (a == 1 && b == 1) {
			if (f.ts.tv_sec != h->ts.tv_sec || f.ts.tv_usec != h->ts.tv_usec || f.caplen != h->caplen ||
			    f.len != h->len || memcmp(f.data, d, f.caplen)) {
				fprintf(stderr, "pcap_diff: frame %ld differs: %ld.%06ld %u/%u against %ld.%06ld %u/%u\n",
					frames + 1, (long)f.ts.tv_sec, (long)f.ts.tv_usec, f.caplen, f.len,
					(long)h->ts.tv_sec, (long)h->ts.tv_usec, h->caplen, h->len);
				abort();
			}
			frames++;
			continue;
		}
		if (a == 0 && b == PCAP_ERROR_BREAK)
			break;
		if (a == -1 && b == PCAP_ERROR && !strcmp(r.err, pcap_geterr(p)))
			break;
		fprintf(stderr, "pcap_diff: after frame %ld: classic %d '%s', libpcap %d '%s'\n", frames, a,
			a < 0 ? r.err : "", b, b == PCAP_ERROR ? pcap_geterr(p) : "");
		abort();
	}
	pcap_close(p);
	close(r.fd);
	return frames;
}
