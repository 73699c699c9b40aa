/* Replay of pcap/pcapng files through libpcap. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <pcap/pcap.h>
#include <talloc.h>
#include <ss7watch/input_pcap.h>
#include <ss7watch/input_pcap_classic.h>
#include <ss7watch/track_mem.h>

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

/* What the classic reader had read when it found the file is not for it, then the rest of
 * the file: libpcap reads the whole stream from this, as if nothing had been read. */
struct prefixed {
	int fd;
	bool close_fd;
	const uint8_t *prefix;
	size_t off, len;
};

static ssize_t prefixed_read(void *cookie, char *buf, size_t size)
{
	struct prefixed *pf = cookie;
	ssize_t got;

	if (pf->off < pf->len) {
		size_t n = pf->len - pf->off < size ? pf->len - pf->off : size;

		memcpy(buf, pf->prefix + pf->off, n);
		pf->off += n;
		return n;
	}
	do
		got = read(pf->fd, buf, size);
	while (got < 0 && errno == EINTR);
	return got;
}

static int prefixed_close(void *cookie)
{
	struct prefixed *pf = cookie;
	int rc = pf->close_fd ? close(pf->fd) : 0;

	free(pf);
	return rc;
}

/* libpcap on the stream whose first len bytes the classic reader took from fd. The buffer
 * holding them must outlive the handle. */
static pcap_t *open_libpcap(int fd, bool close_fd, const uint8_t *prefix, size_t len, char **iobuf, char *perr)
{
	static const cookie_io_functions_t io = { .read = prefixed_read, .close = prefixed_close };
	struct prefixed *pf = malloc(sizeof(*pf));
	FILE *f;
	pcap_t *p;

	*iobuf = NULL;
	if (!pf) {
		snprintf(perr, PCAP_ERRBUF_SIZE, "out of memory");
		if (close_fd)
			close(fd);
		return NULL;
	}
	*pf = (struct prefixed){ .fd = fd, .close_fd = close_fd, .prefix = prefix, .len = len };
	f = fopencookie(pf, "rb", io);
	if (!f) {
		snprintf(perr, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		prefixed_close(pf);
		return NULL;
	}
	*iobuf = malloc(FILE_READ_BUFFER);
	if (*iobuf)
		setvbuf(f, *iobuf, _IOFBF, FILE_READ_BUFFER);
	p = pcap_fopen_offline(f, perr);
	if (!p)
		fclose(f);
	return p;
}

/* The classic reader's loop: no filter (those go to libpcap, which compiles them). */
static int replay_classic(struct sw_decoder *dec, struct sw_pcap_classic *r, const char *path, char *err,
			  size_t errlen)
{
	struct sw_pcap_classic_frame f;
	uint64_t frame = 0;
	int rc;

	while ((rc = sw_pcap_classic_next(r, &f)) > 0) {
		sw_decode_frame(dec, r->dlt, f.data, f.caplen, &f.ts, ++frame);
		if (replay_stop)
			return 0;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: read error after frame %llu: %s", path, (unsigned long long)frame, r->err);
		return -1;
	}
	return 0;
}

static int replay_libpcap(struct sw_decoder *dec, pcap_t *p, const char *path, const char *filter, char *err,
			  size_t errlen)
{
	struct replay r = { .dec = dec };
	struct bpf_program prog;
	int rc;

	r.dlt = pcap_datalink(p);
	if (!sw_linktype_supported(r.dlt)) {
		const char *name = pcap_datalink_val_to_name(r.dlt);

		snprintf(err, errlen, "%s: unsupported link type %d (%s); supported: Ethernet, Linux SLL/SLL2, "
			 "raw IPv4/IPv6, MTP2, MTP2 with pseudo-header, MTP3", path, r.dlt, name ? name : "unknown");
		return -1;
	}
	if (filter) {
		if (compile_filter(p, path, filter, &prog, err, errlen) < 0)
			return -1;
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
		return -1;
	}
	return 0;
}

int sw_pcap_replay(struct sw_decoder *dec, const char *path, const char *filter, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct sw_pcap_classic r = { .fd = -1 };
	bool is_stdin = !strcmp(path, "-");
	char *iobuf = NULL;
	uint64_t buf_len;
	pcap_t *p;
	int rc;

	r.fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0) {
		snprintf(err, errlen, "%s: cannot read capture: %s", path, strerror(errno));
		return -1;
	}
	/* faulted in now: the read()s would otherwise fault in its pages one by one */
	r.buf = sw_mem_map(SW_PCAP_CLASSIC_BUF, &buf_len, SW_MEM_DENSE);
	if (!r.buf) {
		snprintf(err, errlen, "%s: cannot read capture: out of memory", path);
		if (!is_stdin)
			close(r.fd);
		return -1;
	}
	/* the file header decides the reader; a filter needs libpcap's compiler and matcher */
	rc = sw_pcap_classic_fill(&r, SW_PCAP_FILE_HDR_LEN);
	if (rc == 0 && !filter && r.end - r.start >= SW_PCAP_FILE_HDR_LEN && sw_pcap_classic_header(&r, r.buf)) {
		r.start = SW_PCAP_FILE_HDR_LEN;
		rc = replay_classic(dec, &r, path, err, errlen);
		if (!is_stdin)
			close(r.fd);
		sw_mem_unmap(r.buf, buf_len);
		return rc;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot read capture: %s", path, r.err);
		if (!is_stdin)
			close(r.fd);
		sw_mem_unmap(r.buf, buf_len);
		return -1;
	}
	p = open_libpcap(r.fd, !is_stdin, r.buf, r.end, &iobuf, perr);
	if (!p) {
		snprintf(err, errlen, "%s: cannot read capture: %s", path, perr);
		free(iobuf);
		sw_mem_unmap(r.buf, buf_len);
		return -1;
	}
	rc = replay_libpcap(dec, p, path, filter, err, errlen);
	pcap_close(p);
	free(iobuf);
	sw_mem_unmap(r.buf, buf_len);
	return rc;
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
