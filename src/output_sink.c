/* The alert sink: formats each alert (output_eve.c) and writes the line to a file or
 * standard output, a stdio stream and/or syslog; on the caller's thread (replay, nothing
 * dropped) or through the writer queue's thread (live, output_queue.c). Reopens the file
 * after a rotation, and counts what it wrote and what it could not. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/uio.h>
#include <talloc.h>
#include <ss7watch/output_sink.h>
#include <ss7watch/output_eve.h>
#include <ss7watch/output_summary.h>
#include <ss7watch/output_queue.h>
#include <ss7watch/output_latency.h>

struct sw_alert_sink {
	char *path;		/* NULL: no file; "-": stdout */
	int fd;			/* -1 when no file/stdout */
	FILE *stream;
	bool syslog;
	sig_atomic_t reopen_gen; /* value of reopen_requests last acted upon */
	/* live: the file and syslog are written by the queue's thread, which alone then
	 * touches fd, and reopens it when reopen_wanted is set */
	struct sw_alert_queue *q;
	int reopen_wanted;
	struct sw_latency *latency;	/* arrival -> line written, live alerts; NULL: not kept */

	struct sw_eve *eve;		/* the line formatter */
	struct sw_summary *sum;		/* --summary tables; NULL: not counted */
	struct sw_alert_sink_stats st;
};

/* incremented by the SIGHUP handler: every sink notices it differs from what it saw */
static volatile sig_atomic_t reopen_requests;

static int open_file(const char *path)
{
	/* O_APPEND: each line lands whole at the end even if another writer shares the file */
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

static int syslog_prio(uint8_t severity)
{
	switch (severity) {
	case 1:
		return LOG_WARNING;
	case 2:
		return LOG_NOTICE;
	default:
		return LOG_INFO;
	}
}

static int reopen_file(struct sw_alert_sink *s);

/* Write iov[0..n) whole to fd, resuming after partial writes. \returns how many of the n
 * buffers were written completely (n unless an error stopped it). */
static unsigned writev_all(int fd, struct iovec *iov, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		ssize_t w = writev(fd, iov + done, n - done);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		while (done < n && (size_t)w >= iov[done].iov_len) {
			w -= iov[done].iov_len;
			done++;
		}
		if (done < n) {
			iov[done].iov_base = (char *)iov[done].iov_base + w;
			iov[done].iov_len -= w;
		}
	}
	return done;
}

/* The file (or stdout) and syslog outputs of lines ending in '\n': on the packet path
 * without a queue (one line), on the writer thread with one (a batch, one writev).
 * \returns how many lines the file did not take. */
static unsigned write_outputs(struct sw_alert_sink *s, const struct sw_alert_queue_line *lines, unsigned n)
{
	struct iovec iov[SW_ALERT_QUEUE_BATCH];
	unsigned done = n;

	if (s->syslog)
		for (unsigned i = 0; i < n; i++)
			syslog(syslog_prio(lines[i].severity), "%.*s", (int)(lines[i].len - 1), lines[i].line);
	if (s->fd >= 0) {
		for (unsigned i = 0; i < n; i++)
			iov[i] = (struct iovec){ .iov_base = (void *)lines[i].line, .iov_len = lines[i].len };
		done = writev_all(s->fd, iov, n);
		__atomic_add_fetch(&s->st.written, done, __ATOMIC_RELAXED);
		for (unsigned i = 0; i < done; i++)
			if (lines[i].event)
				__atomic_add_fetch(&s->st.events_written, 1, __ATOMIC_RELAXED);
		if (done < n)
			__atomic_add_fetch(&s->st.write_errors, n - done, __ATOMIC_RELAXED);
	}
	/* only this thread adds samples; readers may see one being added (a sample off) */
	for (unsigned i = 0; s->latency && i < n; i++)
		if (lines[i].arrival)
			sw_latency_add_since(s->latency, lines[i].arrival);
	return n - done;
}

static void queue_write_lines(void *priv, const struct sw_alert_queue_line *lines, unsigned n)
{
	write_outputs(priv, lines, n);
}

static void queue_before_write(void *priv)
{
	struct sw_alert_sink *s = priv;

	if (__atomic_exchange_n(&s->reopen_wanted, 0, __ATOMIC_ACQ_REL))
		reopen_file(s);
}

static int sink_destructor(struct sw_alert_sink *s)
{
	/* every queued line is written before the file closes */
	sw_alert_queue_stop(s->q);
	s->q = NULL;
	if (s->fd > STDERR_FILENO)
		close(s->fd);
	if (s->syslog)
		closelog();
	return 0;
}

struct sw_alert_sink *sw_alert_sink_open(void *ctx, const struct sw_alert_sink_cfg *cfg,
					 char *err, size_t errlen)
{
	struct sw_alert_sink *s = talloc_zero(ctx, struct sw_alert_sink);

	if (!s) {
		snprintf(err, errlen, "alert sink: out of memory");
		return NULL;
	}
	s->fd = -1;
	talloc_set_destructor(s, sink_destructor);
	s->eve = sw_eve_alloc(s, cfg->pseudo_key, cfg->pseudo_key_len, cfg->pseudo_keep_location);
	if (!s->eve)
		goto oom;
	if (cfg->summary) {
		s->sum = sw_summary_alloc(s);
		if (!s->sum)
			goto oom;
	}
	s->stream = cfg->stream;
	s->reopen_gen = reopen_requests;

	if (cfg->path && !strcmp(cfg->path, "-")) {
		s->path = talloc_strdup(s, "-");
		s->fd = STDOUT_FILENO;
	} else if (cfg->path) {
		s->path = talloc_strdup(s, cfg->path);
		if (!s->path)
			goto oom;
		s->fd = open_file(s->path);
		if (s->fd < 0) {
			snprintf(err, errlen, "%s: cannot open alert output: %s", cfg->path, strerror(errno));
			talloc_free(s);
			return NULL;
		}
	}

	if (cfg->syslog) {
		openlog(cfg->syslog_ident ? cfg->syslog_ident : "ss7watch", LOG_PID | LOG_NDELAY,
			cfg->syslog_facility ? cfg->syslog_facility : LOG_USER);
		s->syslog = true;
	}
	if (cfg->queue_bytes && sw_alert_sink_start_writer(s, cfg->queue_bytes, err, errlen) < 0) {
		talloc_free(s);
		return NULL;
	}
	return s;

oom:
	snprintf(err, errlen, "alert sink: out of memory");
	talloc_free(s);
	return NULL;
}

int sw_alert_sink_start_writer(struct sw_alert_sink *s, size_t queue_bytes, char *err, size_t errlen)
{
	if (s->q || !queue_bytes || (s->fd < 0 && !s->syslog))
		return 0;
	s->q = sw_alert_queue_start(s, queue_bytes, queue_write_lines, queue_before_write, s);
	if (!s->q) {
		snprintf(err, errlen, "alert sink: cannot start the writer thread: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Open the file again and switch to it; on the writer thread when there is a queue. */
static int reopen_file(struct sw_alert_sink *s)
{
	int fd;

	if (!s->path || !strcmp(s->path, "-"))
		return 0;
	/* open the new file before closing the old: if it fails, go on writing to the old */
	fd = open_file(s->path);
	if (fd < 0) {
		int e = errno;

		__atomic_add_fetch(&s->st.reopen_errors, 1, __ATOMIC_RELAXED);
		errno = e;
		return -1;
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	__atomic_add_fetch(&s->st.reopens, 1, __ATOMIC_RELAXED);
	return 0;
}

int sw_alert_sink_reopen(struct sw_alert_sink *s)
{
	s->reopen_gen = reopen_requests;
	if (s->stream)
		fflush(s->stream);
	if (s->q) {
		/* the writer reopens before its next line, or now if it is idle */
		__atomic_store_n(&s->reopen_wanted, 1, __ATOMIC_RELEASE);
		sw_alert_queue_kick(s->q);
		return 0;
	}
	return reopen_file(s);
}

void sw_alert_sink_request_reopen(void)
{
	reopen_requests++;
}

int sw_alert_sink_reopen_pending(struct sw_alert_sink *s)
{
	if (s->reopen_gen == reopen_requests)
		return 0;
	return sw_alert_sink_reopen(s);
}

void sw_alert_sink_close(struct sw_alert_sink *s)
{
	if (!s)
		return;
	if (s->stream)
		fflush(s->stream);
	sw_alert_queue_stop(s->q);
	s->q = NULL;
	if (s->fd > STDERR_FILENO)
		fsync(s->fd);
	talloc_free(s);
}

const struct sw_alert_sink_stats *sw_alert_sink_stats(const struct sw_alert_sink *s)
{
	return &s->st;
}

bool sw_alert_sink_queue_stats(const struct sw_alert_sink *s, struct sw_alert_queue_stats *out)
{
	if (!s->q)
		return false;
	sw_alert_queue_stats(s->q, out);
	return true;
}

void sw_alert_sink_set_latency(struct sw_alert_sink *s, struct sw_latency *l)
{
	s->latency = l;
}

void sw_alert_sink_drain(struct sw_alert_sink *s)
{
	if (s->q)
		sw_alert_queue_drain(s->q);
}

void sw_alert_sink_summary(const struct sw_alert_sink *s, FILE *f)
{
	sw_summary_print(f, &s->st, s->sum);
}

/* One line (with its '\n') to every output: queued, or written now without a queue. */
static int write_line(struct sw_alert_sink *s, const char *line, size_t n, uint8_t severity, bool event,
		      const struct timeval *arrival)
{
	int rc = 0;

	/* a SIGHUP since the last line: this line already goes to the new file */
	if (s->reopen_gen != reopen_requests)
		sw_alert_sink_reopen(s);
	if (s->q) {
		if (!sw_alert_queue_push(s->q, line, n, severity, event, arrival)) {
			s->st.dropped++;
			rc = -1;
		}
	} else {
		const struct sw_alert_queue_line one = {
			.line = line, .len = n, .severity = severity, .event = event, .arrival = arrival,
		};

		if (write_outputs(s, &one, 1))
			rc = -1;
	}
	if (s->stream) {
		if (fwrite(line, 1, n, s->stream) != n || fflush(s->stream)) {
			__atomic_add_fetch(&s->st.write_errors, 1, __ATOMIC_RELAXED);
			rc = -1;
		} else {
			__atomic_add_fetch(&s->st.written, 1, __ATOMIC_RELAXED);
		}
	}
	return rc;
}

int sw_alert_sink_emit(void *sink, const struct sw_alert *a)
{
	struct sw_alert_sink *s = sink;
	size_t n;
	char *line;
	const struct timeval *arrival;

	/* the filters held it back: an earlier stage counted it */
	if (a->verdict != SW_ALERT_WRITE)
		return 0;
	n = sw_eve_format(s->eve, a, &line);
	if (!n) {
		s->st.encode_errors++;
		return -1;
	}

	s->st.emitted++;
	s->st.by_severity[a->severity <= 3 ? a->severity : 0]++;
	if (s->sum)
		sw_summary_count(s->sum, a);

	line[n++] = '\n';
	/* live alerts carry their message's arrival, for the arrival -> written latency */
	arrival = a->in_iface && a->msg ? &a->msg->meta.ts : NULL;
	return write_line(s, line, n, a->severity, false, arrival);
}

int sw_alert_sink_write_event(void *sink, const char *line, size_t len, uint8_t severity)
{
	struct sw_alert_sink *s = sink;

	s->st.events++;
	return write_line(s, line, len, severity, true, NULL);
}
