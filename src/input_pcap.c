/* Replay of pcap/pcapng files through libpcap. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <pcap/pcap.h>
#include <talloc.h>
#include <ss7watch/input_pcap.h>

struct replay {
	struct sw_decoder *dec;
	int dlt;
	uint64_t frame;
	struct bpf_program *filter;	/* NULL: every frame */
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

	/* filtered here rather than with pcap_setfilter(), which would hide the frames it drops
	 * and so renumber the rest: pcap_cnt must stay the frame number Wireshark shows */
	if (r->filter && !pcap_offline_filter(r->filter, h, bytes)) {
		++r->frame;
		return;
	}
	/* caplen, not len: a snap length shorter than the frame leaves a truncated frame,
	 * which the decoders count as such */
	sw_decode_frame(r->dec, r->dlt, bytes, h->caplen, &ts, ++r->frame);
}

/* big enough that reading a file takes a few hundred system calls per second of replay */
#define FILE_READ_BUFFER	(1u << 20)

pcap_t *sw_pcap_open_file(const char *path, char **buf, char *perr)
{
	FILE *f;
	pcap_t *p;

	*buf = NULL;
	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		snprintf(perr, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		return NULL;
	}
	/* glibc ignores the size unless it is given the buffer too */
	*buf = malloc(FILE_READ_BUFFER);
	if (*buf)
		setvbuf(f, *buf, _IOFBF, FILE_READ_BUFFER);
	p = pcap_fopen_offline(f, perr);
	if (!p) {
		if (f != stdin)
			fclose(f);
		free(*buf);
		*buf = NULL;
	}
	return p;
}

void sw_pcap_close_file(pcap_t *p, char *buf)
{
	/* pcap_close() closes the stream, which must not outlive its buffer */
	if (p)
		pcap_close(p);
	free(buf);
}

/* Compile filter for the link type of p. \returns 0, or -1 with the reason in err. */
static int compile_filter(pcap_t *p, const char *path, const char *filter, struct bpf_program *prog,
			  char *err, size_t errlen)
{
	struct stat st;

	if (pcap_compile(p, prog, filter, 1, PCAP_NETMASK_UNKNOWN) == 0)
		return 0;
	/* tcpdump's and Suricata's -F name a file */
	snprintf(err, errlen, "%s: filter '%s': %s%s", path, filter, pcap_geterr(p),
		 stat(filter, &st) == 0 ? " (-F takes the expression itself; from a file: -F \"$(cat FILE)\")" : "");
	return -1;
}

int sw_pcap_replay(struct sw_decoder *dec, const char *path, const char *filter, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct replay r = { .dec = dec };
	struct bpf_program prog;
	char *buf;
	pcap_t *p;
	int rc;

	p = sw_pcap_open_file(path, &buf, perr);
	if (!p) {
		snprintf(err, errlen, "%s: cannot read capture: %s", path, perr);
		return -1;
	}
	r.dlt = pcap_datalink(p);
	if (!sw_linktype_supported(r.dlt)) {
		const char *name = pcap_datalink_val_to_name(r.dlt);

		snprintf(err, errlen, "%s: unsupported link type %d (%s); supported: Ethernet, Linux SLL/SLL2, "
			 "raw IPv4/IPv6, MTP2, MTP2 with pseudo-header, MTP3", path, r.dlt, name ? name : "unknown");
		sw_pcap_close_file(p, buf);
		return -1;
	}
	if (filter) {
		if (compile_filter(p, path, filter, &prog, err, errlen) < 0) {
			sw_pcap_close_file(p, buf);
			return -1;
		}
		r.filter = &prog;
	}
	replay_handle = p;
	do {
		/* in batches, so a stop request is seen between them */
		rc = pcap_dispatch(p, 4096, replay_frame, (u_char *)&r);
	} while (rc > 0 && !replay_stop);
	replay_handle = NULL;
	if (r.filter)
		pcap_freecode(r.filter);
	if (rc == -1) {
		snprintf(err, errlen, "%s: read error after frame %llu: %s", path,
			 (unsigned long long)r.frame, pcap_geterr(p));
		sw_pcap_close_file(p, buf);
		return -1;
	}
	sw_pcap_close_file(p, buf);
	return 0;
}

/* A pcap (either byte order, micro- or nanosecond) or pcapng file, by its first 4 bytes. */
static bool is_capture(const char *path)
{
	static const uint32_t magics[] = { 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a };
	uint32_t m;
	FILE *f = fopen(path, "rb");
	bool ok = false;

	if (!f)
		return false;
	if (fread(&m, sizeof(m), 1, f) == 1)
		for (unsigned i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
			ok |= m == magics[i];
	fclose(f);
	return ok;
}

int sw_pcap_dir_list(void *ctx, const char *dir, char ***paths, char *err, size_t errlen)
{
	/* "dir/" and "dir" name the files alike */
	int dlen = (int)strlen(dir);
	struct dirent **ents;
	int n, count = 0;

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	*paths = NULL;
	n = scandir(dir, &ents, NULL, versionsort);
	if (n < 0) {
		snprintf(err, errlen, "%s: cannot read the directory: %s", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *path = NULL, **grown;
		struct stat st;

		if (ents[i]->d_name[0] != '.' && count >= 0)
			path = talloc_asprintf(ctx, "%.*s/%s", dlen, dir, ents[i]->d_name);
		free(ents[i]);
		if (!path || stat(path, &st) < 0 || !S_ISREG(st.st_mode) || !is_capture(path)) {
			talloc_free(path);
			continue;
		}
		grown = talloc_realloc(ctx, *paths, char *, count + 1);
		if (!grown) {
			talloc_free(path);
			count = -1;
			continue;
		}
		*paths = grown;
		(*paths)[count++] = talloc_steal(grown, path);
	}
	free(ents);
	if (count < 0) {
		TALLOC_FREE(*paths);
		snprintf(err, errlen, "%s: out of memory listing the directory", dir);
	}
	return count;
}
