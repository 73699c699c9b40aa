/*! \file input_pcap_classic.h
 *  A reader of classic pcap files (the common case of a replay): one read() per mebibyte and
 *  frames handed out in place, where libpcap costs two stdio fread() calls and a copy per
 *  frame. It takes only what it reads exactly as libpcap would (version 2.4 headers in either
 *  byte order, micro- or nanosecond time stamps, link types whose pcap LINKTYPE value needs
 *  no translation to a DLT) and gives the same frames, time stamps, snapshot truncation and
 *  error messages; sw_pcap_replay() leaves everything else (pcapng, old versions, BPF
 *  filters) to libpcap. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/time.h>

/*! Bytes of a classic pcap file header. */
#define SW_PCAP_FILE_HDR_LEN	24
/*! Bytes of a classic pcap record header. */
#define SW_PCAP_REC_HDR_LEN	16
/*! libpcap's bound on a record of the link types this reader takes (MAXIMUM_SNAPLEN). */
#define SW_PCAP_MAX_SNAPLEN	262144u
/*! Read buffer: a whole record at the largest snapshot, with room for many small ones. */
#define SW_PCAP_CLASSIC_BUF	(1u << 20)

/*! The state of one file being read. */
struct sw_pcap_classic {
	int fd;			/*!< read with read(); not closed by the reader */
	bool swapped;		/*!< headers in the other byte order */
	bool nsec;		/*!< time stamps in nanoseconds (scaled down to microseconds) */
	int dlt;		/*!< link type of every frame */
	uint32_t snapshot;	/*!< the file's snapshot length, as libpcap adjusts it (may exceed
				     SW_PCAP_MAX_SNAPLEN: records may not) */
	uint8_t *buf;		/*!< SW_PCAP_CLASSIC_BUF bytes, owned by the caller */
	uint32_t start, end;	/*!< unread bytes: buf[start, end) */
	bool eof;		/*!< read() returned 0 */
	char err[256];		/*!< why sw_pcap_classic_next() returned -1 */
};

/*! One frame. */
struct sw_pcap_classic_frame {
	struct timeval ts;
	uint32_t caplen;	/*!< bytes at data (after snapshot truncation) */
	uint32_t len;		/*!< length on the wire */
	const uint8_t *data;	/*!< valid until the next sw_pcap_classic_next() */
};

/*! Does this reader take a file with header hdr? Fills r's format (swapped, nsec, dlt,
 *  snapshot) when it does; r->fd and r->buf are the caller's. A file it does not take may
 *  still be a capture libpcap reads. */
bool sw_pcap_classic_header(struct sw_pcap_classic *r, const uint8_t hdr[SW_PCAP_FILE_HDR_LEN]);

/*! Read until at least n bytes are unread in r->buf (n <= SW_PCAP_CLASSIC_BUF) or the file
 *  ends; the file header is read with this before sw_pcap_classic_header().
 *  \returns 0, or -1 on a read error with the reason in r->err. */
int sw_pcap_classic_fill(struct sw_pcap_classic *r, uint32_t n);

/*! Read the next frame into *f. \returns 1, 0 at the end of the file, or -1 with the reason
 *  in r->err, worded as libpcap words it. */
int sw_pcap_classic_next(struct sw_pcap_classic *r, struct sw_pcap_classic_frame *f);
