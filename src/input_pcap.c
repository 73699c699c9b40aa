/* Replay of pcap/pcapng files through libpcap. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <pcap/pcap.h>
#include <ss7watch/input_pcap.h>

struct replay {
	struct sw_decoder *dec;
	int dlt;
	uint64_t frame;
};

static volatile sig_atomic_t replay_stop;
static pcap_t *volatile replay_handle;

void sw_pcap_replay_stop(void)
{
	replay_stop = 1;
	if (replay_handle)
		pcap_breakloop(replay_handle);
}

static void replay_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct replay *r = (struct replay *)user;
	struct timeval ts = { .tv_sec = h->ts.tv_sec, .tv_usec = h->ts.tv_usec };

	/* caplen, not len: a snap length shorter than the frame leaves a truncated frame,
	 * which the decoders count as such */
	sw_decode_frame(r->dec, r->dlt, bytes, h->caplen, &ts, ++r->frame);
}

int sw_pcap_replay(struct sw_decoder *dec, const char *path, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct replay r = { .dec = dec };
	pcap_t *p;
	int rc;

	p = pcap_open_offline(path, perr);
	if (!p) {
		snprintf(err, errlen, "%s: cannot read capture: %s", path, perr);
		return -1;
	}
	r.dlt = pcap_datalink(p);
	if (!sw_linktype_supported(r.dlt)) {
		const char *name = pcap_datalink_val_to_name(r.dlt);

		snprintf(err, errlen, "%s: unsupported link type %d (%s); supported: Ethernet, Linux SLL/SLL2, "
			 "raw IPv4/IPv6, MTP2, MTP2 with pseudo-header, MTP3", path, r.dlt, name ? name : "unknown");
		pcap_close(p);
		return -1;
	}
	replay_handle = p;
	do {
		/* in batches, so a stop request is seen between them */
		rc = pcap_dispatch(p, 4096, replay_frame, (u_char *)&r);
	} while (rc > 0 && !replay_stop);
	replay_handle = NULL;
	if (rc == -1) {
		snprintf(err, errlen, "%s: read error after frame %llu: %s", path,
			 (unsigned long long)r.frame, pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	pcap_close(p);
	return 0;
}
