/* The cluster collector (--collect -o FILE): a durable consumer of the alerts stream that
 * appends each alert once, the stream sequence in the line, and skips what it already wrote.
 * SIGHUP opens the file again by name (logrotate). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <ss7watch/cluster_priv.h>

#define FETCH_BATCH	256		/* alert messages fetched at once */

#define COLLECTOR_DURABLE	"ss7watch-collector"

/* The stream sequence of the last line of the file (0: empty, or no such line). */
static int last_written_seq(int fd, uint64_t *seq, char *err, size_t errlen)
{
	char buf[65536], *p;
	off_t size = lseek(fd, 0, SEEK_END);
	ssize_t n;
	off_t from;

	*seq = 0;
	if (size <= 0)
		return 0;
	from = size > (off_t)sizeof(buf) - 1 ? size - (off_t)sizeof(buf) + 1 : 0;
	n = pread(fd, buf, sizeof(buf) - 1, from);
	if (n < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	/* a last line cut by a crash ends without '\n': cut it off, its alert comes again */
	while (n > 0 && buf[n - 1] != '\n')
		buf[--n] = '\0';
	if (from + n < size) {
		if (n == 0 && from > 0) {
			snprintf(err, errlen, "the last 64 KiB hold no line end: not an alert file");
			return -1;
		}
		fprintf(stderr, "ss7watch: collector: cut %lld bytes of a last line without its end\n",
			(long long)(size - from - n));
		if (ftruncate(fd, from + n) < 0) {
			snprintf(err, errlen, "cannot cut the unfinished last line: %s", strerror(errno));
			return -1;
		}
		size = from + n;
	}
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	p = strrchr(buf, '\n');
	p = p ? p + 1 : buf;
	p = strstr(p, "\"cluster\":{\"seq\":");
	if (p)
		*seq = strtoull(p + 17, NULL, 10);
	if (size > 0 && (n == 0 || !p))
		fprintf(stderr, "ss7watch: collector: the last line of the file names no stream sequence: "
			"starting from what the durable consumer delivers\n");
	return 0;
}

/* what the collector counts: its summary line's numbers */
static struct {
	uint64_t written, skipped, malformed;
	uint64_t last_seq;	/* stream sequence of the last line written */
} col;

/* The last stream sequence the durable consumer of an earlier run had acknowledged (0: none):
 * every alert up to it was written, to this file or to one rotated away. */
static uint64_t durable_ack_floor(jsCtx *js)
{
	jsConsumerInfo *ci = NULL;
	uint64_t floor = 0;

	if (js_GetConsumerInfo(&ci, js, cl_cfg->stream_alerts, COLLECTOR_DURABLE, NULL, NULL) == NATS_OK) {
		floor = ci->AckFloor.Stream;
		jsConsumerInfo_Destroy(ci);
	}
	return floor;
}

/* Does the alerts stream hold alerts after the file's last line? (false when it cannot say) */
static bool stream_ahead(jsCtx *js)
{
	jsStreamInfo *si = NULL;
	bool ahead;

	if (js_GetStreamInfo(&si, js, cl_cfg->stream_alerts, NULL, NULL) != NATS_OK)
		return false;
	ahead = si->State.LastSeq > col.last_seq;
	jsStreamInfo_Destroy(si);
	return ahead;
}

/* SIGHUP (logrotate): the file is opened again by name between two fetches */
static volatile sig_atomic_t reopen_requested;

static void on_hup(int sig)
{
	reopen_requested = 1;
}

/* Open the alert file again by name, after the lines of the last fetch were written and
 * acked: the old file keeps every line up to here, the new one gets the rest. */
static int reopen_output(const char *path, int *fd)
{
	int nfd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

	if (nfd < 0) {
		fprintf(stderr, "ss7watch: collector: SIGHUP: cannot open %s again (%s): still writing to the "
			"file that was open\n", path, strerror(errno));
		return -1;
	}
	fsync(*fd);
	close(*fd);
	*fd = nfd;
	fprintf(stderr, "ss7watch: collector: SIGHUP: %s opened again, after stream sequence %" PRIu64 "\n", path,
		col.last_seq);
	return 0;
}

/* The durable consumer, made again to start right after the file's last line: messages a
 * killed collector had fetched but not acked would otherwise come back after newer ones, and
 * the file's order is what tells a line written from one that is not. Retried while
 * JetStream elects leaders (a node lost). \returns 0, or -1 (stopped, or no stream). */
static int collector_subscribe(jsCtx *js, natsSubscription **sub, uint64_t last_seq)
{
	int64_t warned = cl_now_ms();
	jsSubOptions so;
	jsErrCode jerr;
	natsStatus s;
	char subj[256];

	if (*sub) {
		natsSubscription_Destroy(*sub);
		*sub = NULL;
	}
	cl_alerts_subject(subj, sizeof(subj));
	while (!cl_stop_requested) {
		js_DeleteConsumer(js, cl_cfg->stream_alerts, COLLECTOR_DURABLE, NULL, NULL);
		jsSubOptions_Init(&so);
		so.Stream = cl_cfg->stream_alerts;
		so.Config.AckPolicy = js_AckExplicit;
		so.Config.AckWait = 30000 * MS;
		so.Config.MaxAckPending = 4 * FETCH_BATCH;
		if (last_seq) {
			so.Config.DeliverPolicy = js_DeliverByStartSequence;
			so.Config.OptStartSeq = last_seq + 1;
		} else {
			so.Config.DeliverPolicy = js_DeliverAll;
		}
		jerr = 0;
		s = js_PullSubscribe(sub, js, subj, COLLECTOR_DURABLE, NULL, &so, &jerr);
		if (s == NATS_OK)
			return 0;
		*sub = NULL;
		if (cl_now_ms() - warned > 5000) {
			fprintf(stderr, "ss7watch: collector: cannot consume stream %s yet: %s (JetStream error %d)\n",
				cl_cfg->stream_alerts, nats_GetLastError(NULL) ? nats_GetLastError(NULL) : natsStatus_GetText(s),
				(int)jerr);
			warned = cl_now_ms();
		}
		cl_sleep_ms(250);
	}
	return -1;
}

static uint64_t collector_last_seq(void)
{
	return col.last_seq;
}

static const struct cl_counter collector_counters[] = {
	{ "alerts:written", "Alerts appended to the file", &col.written },
	{ "alerts:duplicate", "Alerts skipped: delivered again after they were written", &col.skipped },
	{ "alerts:malformed", "Messages of the alerts stream that are not one JSON line", &col.malformed },
};

static const struct cl_gauge collector_gauges[] = {
	{ "stream:last_seq", "Stream sequence of the last alert written", "", collector_last_seq },
};

int cl_run_collector(void *ctx, const struct sw_cluster_opts *o)
{
	natsConnection *nc;
	natsSubscription *sub = NULL;
	jsCtx *js = NULL;
	jsErrCode jerr = 0;
	natsStatus s;
	uint64_t errors = 0;
	unsigned stuck = 0;	/* fetches that timed out while the stream had more */
	char err[256], *out = NULL;
	size_t out_cap = 1 << 20;
	int fd, rc = 0;

	cl_role = "collector";
	if (!o->output || !strcmp(o->output, "-")) {
		fprintf(stderr, "ss7watch: --collect appends alerts to a file: give -o FILE\n");
		return 2;
	}
	if (cl_osmo_start(ctx, "cluster_collector", "ss7watch cluster collector: alerts written", 0, collector_counters,
			  ARRAY_SIZE(collector_counters), collector_gauges, ARRAY_SIZE(collector_gauges), 0) < 0)
		return 1;
	fd = open(o->output, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		fprintf(stderr, "ss7watch: %s: cannot open alert output: %s\n", o->output, strerror(errno));
		return 1;
	}
	if (last_written_seq(fd, &col.last_seq, err, sizeof(err)) < 0) {
		fprintf(stderr, "ss7watch: %s: %s\n", o->output, err);
		close(fd);
		return 1;
	}
	out = talloc_size(ctx, out_cap);
	nc = cl_connect();
	if (!nc || !out) {
		close(fd);
		return 1;
	}
	if (natsConnection_JetStream(&js, nc, NULL) != NATS_OK || cl_ensure_streams(js) < 0)
		goto fail;
	cl_install_signals();
	{
		struct sigaction sa = { .sa_handler = on_hup };
		uint64_t acked = durable_ack_floor(js);

		sigemptyset(&sa.sa_mask);
		sigaction(SIGHUP, &sa, NULL);
		/* an empty file: the last one was rotated away (logrotate with the collector
		 * stopped), and it holds what was acked. A file with lines is the truth, even one
		 * that ends before what was acked (lines lost with the machine): those come again */
		if (!col.last_seq && acked && lseek(fd, 0, SEEK_END) == 0) {
			fprintf(stderr, "ss7watch: collector: %s is empty but stream sequence %" PRIu64
				" was written and acknowledged (the file was rotated or replaced): going on after it\n",
				o->output, acked);
			col.last_seq = acked;
		}
	}
	if (collector_subscribe(js, &sub, col.last_seq) < 0)
		goto fail;
	fprintf(stderr, "ss7watch: collector: appending the alerts of stream %s to %s after sequence %" PRIu64 "\n",
		cl_cfg->stream_alerts, o->output, col.last_seq);
	while (!cl_stop_requested) {
		natsMsgList list = { 0 };
		size_t n = 0;

		cl_osmo_poll();
		if (reopen_requested) {
			reopen_requested = 0;
			reopen_output(o->output, &fd);
		}
		s = natsSubscription_Fetch(&list, sub, FETCH_BATCH, 500, &jerr);
		if (s != NATS_OK) {
			natsMsgList_Destroy(&list);
			/* alerts fetched while the connection was lost come again only after the ack
			 * wait: when the stream has more than the file and nothing comes for 3 s, the
			 * consumer is made again after the file's last line */
			if (s == NATS_TIMEOUT && stream_ahead(js) && ++stuck >= 6) {
				fprintf(stderr, "ss7watch: collector: consumer delivers nothing while the stream has alerts "
					"after sequence %" PRIu64 ": consuming again from there\n", col.last_seq);
				stuck = 0;
				if (collector_subscribe(js, &sub, col.last_seq) < 0)
					break;
			}
			if (s == NATS_TIMEOUT)
				continue;
			/* the consumer lost (its node, a leader election): again after the last line */
			if (++errors % 20 == 0 && collector_subscribe(js, &sub, col.last_seq) < 0)
				break;
			cl_sleep_ms(100);
			continue;
		}
		errors = 0;
		stuck = 0;
		for (int i = 0; i < list.Count; i++) {
			natsMsg *m = list.Msgs[i];
			const char *d = natsMsg_GetData(m), *worker = NULL;
			int len = natsMsg_GetDataLength(m);
			uint64_t sseq = 0, delivered, pending;

			cl_js_reply_info(m, &sseq, &delivered, &pending);
			if (sseq && sseq <= col.last_seq) {
				col.skipped++;
				continue;
			}
			while (len > 0 && (d[len - 1] == '\n' || d[len - 1] == ' '))
				len--;
			if (len < 2 || d[0] != '{' || d[len - 1] != '}' || memchr(d, '\n', len) ||
			    (size_t)len + 256 > out_cap) {
				col.malformed++;
				/* handled: not what the consumer is to deliver again */
				if (sseq)
					col.last_seq = sseq;
				continue;
			}
			if (n + len + 256 > out_cap) {
				if (write(fd, out, n) != (ssize_t)n) {
					fprintf(stderr, "ss7watch: %s: %s\n", o->output, strerror(errno));
					rc = 1;
					cl_stop_requested = 1;
				}
				n = 0;
			}
			if (natsMsgHeader_Get(m, "Ss7watch-Worker", &worker) != NATS_OK || !worker)
				worker = "";
			memcpy(out + n, d, len - 1);
			n += len - 1;
			n += snprintf(out + n, out_cap - n, ",\"cluster\":{\"seq\":%" PRIu64 ",\"worker\":\"%.32s\"}}\n",
				      sseq, strspn(worker, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(worker) ?
				      worker : "?");
			col.last_seq = sseq;
			col.written++;
		}
		/* the lines are in the file, on disk, before their messages are acked */
		if (n && (write(fd, out, n) != (ssize_t)n || fdatasync(fd) < 0)) {
			fprintf(stderr, "ss7watch: %s: %s\n", o->output, strerror(errno));
			rc = 1;
			natsMsgList_Destroy(&list);
			break;
		}
		for (int i = 0; i < list.Count; i++)
			natsMsg_Ack(list.Msgs[i], NULL);
		natsMsgList_Destroy(&list);
	}
	fsync(fd);
	cl_osmo_stop();
	fprintf(stderr, "cluster collector: alerts written %" PRIu64 ", skipped as duplicate %" PRIu64
		", malformed %" PRIu64 ", last stream sequence %" PRIu64 "\n", col.written, col.skipped, col.malformed,
		col.last_seq);
	natsSubscription_Destroy(sub);
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
	close(fd);
	return rc;
fail:
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
	close(fd);
	return 1;
}
