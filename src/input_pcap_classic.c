/* Classic pcap files read in place: a mebibyte per read(), frames handed out from the buffer.
 * Every check and message follows libpcap's savefile reader, so a replay reads the same
 * frames and stops with the same words whichever reader took the file. */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <osmocom/core/bit16gen.h>
#include <osmocom/core/bit32gen.h>
#include <ss7watch/input_pcap_classic.h>

/* magic numbers as read little-endian from the first four bytes */
#define PCAP_MAGIC_USEC		0xa1b2c3d4u
#define PCAP_MAGIC_NSEC		0xa1b23c4du
#define PCAP_VERSION_MAJOR	2
#define PCAP_VERSION_MINOR	4
/* upper bits of the link type field carry FCS information libpcap keeps apart */
#define PCAP_LINKTYPE_EXT_MASK	0xfc000000u

/* pcap LINKTYPE values this reader takes, and the DLT libpcap reports for each: the decoder's
 * link types (sw_linktype_supported()) whose translation is known here */
static const struct {
	uint32_t linktype;
	int dlt;
} linktypes[] = {
	{ 0, 0 },		/* NULL */
	{ 1, 1 },		/* EN10MB */
	{ 101, 12 },		/* RAW: libpcap reports DLT_RAW */
	{ 108, 108 },		/* LOOP */
	{ 113, 113 },		/* LINUX_SLL */
	{ 139, 139 },		/* MTP2_WITH_PHDR */
	{ 140, 140 },		/* MTP2 */
	{ 141, 141 },		/* MTP3 */
	{ 228, 228 },		/* IPV4 */
	{ 229, 229 },		/* IPV6 */
	{ 276, 276 },		/* LINUX_SLL2 */
};

/* a field of the file in its byte order (every record header has four: one load each) */
static inline uint32_t load32(const struct sw_pcap_classic *r, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	v = le32toh(v);
	return r->swapped ? __builtin_bswap32(v) : v;
}

bool sw_pcap_classic_header(struct sw_pcap_classic *r, const uint8_t hdr[SW_PCAP_FILE_HDR_LEN])
{
	uint32_t magic = osmo_load32le(hdr), linktype, snaplen;
	uint16_t major, minor;
	unsigned i;

	if (magic == PCAP_MAGIC_USEC || magic == PCAP_MAGIC_NSEC) {
		r->swapped = false;
	} else if (osmo_load32be(hdr) == PCAP_MAGIC_USEC || osmo_load32be(hdr) == PCAP_MAGIC_NSEC) {
		r->swapped = true;
		magic = osmo_load32be(hdr);
	} else {
		return false;
	}
	r->nsec = magic == PCAP_MAGIC_NSEC;
	major = r->swapped ? osmo_load16be(hdr + 4) : osmo_load16le(hdr + 4);
	minor = r->swapped ? osmo_load16be(hdr + 6) : osmo_load16le(hdr + 6);
	/* older versions swap caplen and len, sometimes: libpcap's guesswork, not ours */
	if (major != PCAP_VERSION_MAJOR || minor != PCAP_VERSION_MINOR)
		return false;
	snaplen = load32(r, hdr + 16);
	linktype = load32(r, hdr + 20);
	if (linktype & PCAP_LINKTYPE_EXT_MASK)
		return false;
	for (i = 0; i < sizeof(linktypes) / sizeof(linktypes[0]); i++)
		if (linktypes[i].linktype == linktype)
			break;
	if (i == sizeof(linktypes) / sizeof(linktypes[0]))
		return false;
	r->dlt = linktypes[i].dlt;
	/* libpcap: a snapshot of 0 or beyond INT_MAX is the bound; others stand, even above it */
	r->snapshot = snaplen && snaplen <= INT32_MAX ? snaplen : SW_PCAP_MAX_SNAPLEN;
	return true;
}

int sw_pcap_classic_fill(struct sw_pcap_classic *r, uint32_t n)
{
	while (r->end - r->start < n && !r->eof) {
		ssize_t got;

		if (SW_PCAP_CLASSIC_BUF - r->start < n) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		got = read(r->fd, r->buf + r->end, SW_PCAP_CLASSIC_BUF - r->end);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			snprintf(r->err, sizeof(r->err), "error reading dump file: %s", strerror(errno));
			return -1;
		}
		if (!got)
			r->eof = true;
		r->end += got;
	}
	return 0;
}

/* sw_pcap_classic_fill() only when the buffer runs short: most records are in it already */
static inline int need(struct sw_pcap_classic *r, uint32_t n)
{
	return r->end - r->start >= n ? 0 : sw_pcap_classic_fill(r, n);
}

int sw_pcap_classic_next(struct sw_pcap_classic *r, struct sw_pcap_classic_frame *f)
{
	const uint8_t *h;
	uint32_t caplen, avail;

	if (need(r, SW_PCAP_REC_HDR_LEN) < 0)
		return -1;
	avail = r->end - r->start;
	if (avail < SW_PCAP_REC_HDR_LEN) {
		if (!avail)
			return 0;
		snprintf(r->err, sizeof(r->err), "truncated dump file; tried to read %u header bytes, only got %u",
			 SW_PCAP_REC_HDR_LEN, avail);
		return -1;
	}
	h = r->buf + r->start;
	/* as libpcap widens them: the file's signed fields as they are, byte-swapped ones unsigned */
	f->ts.tv_sec = r->swapped ? (long)load32(r, h) : (long)(int32_t)load32(r, h);
	f->ts.tv_usec = r->swapped ? (long)load32(r, h + 4) : (long)(int32_t)load32(r, h + 4);
	if (r->nsec)
		f->ts.tv_usec /= 1000;
	caplen = load32(r, h + 8);
	f->len = load32(r, h + 12);
	if (caplen > SW_PCAP_MAX_SNAPLEN) {
		if (caplen > r->snapshot)
			snprintf(r->err, sizeof(r->err), "invalid packet capture length %u, bigger than snaplen of %d",
				 caplen, (int)r->snapshot);
		else
			snprintf(r->err, sizeof(r->err), "invalid packet capture length %u, bigger than maximum of %u",
				 caplen, SW_PCAP_MAX_SNAPLEN);
		return -1;
	}
	if (need(r, SW_PCAP_REC_HDR_LEN + caplen) < 0)
		return -1;
	avail = r->end - r->start - SW_PCAP_REC_HDR_LEN;
	if (avail < caplen) {
		/* libpcap reads the snapshot first, then discards the rest: the first short read
		 * names the snapshot, a short discard the whole record */
		if (caplen > r->snapshot && avail < r->snapshot)
			snprintf(r->err, sizeof(r->err), "truncated dump file; tried to read %d captured bytes, only got %u",
				 (int)r->snapshot, avail);
		else
			snprintf(r->err, sizeof(r->err), "truncated dump file; tried to read %u captured bytes, only got %u",
				 caplen, avail);
		return -1;
	}
	/* not h: reading the rest may have moved the record to the front of the buffer */
	f->data = r->buf + r->start + SW_PCAP_REC_HDR_LEN;
	f->caplen = caplen > r->snapshot ? r->snapshot : caplen;
	r->start += SW_PCAP_REC_HDR_LEN + caplen;
	return 1;
}
