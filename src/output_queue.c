/* The alert queue (see output_queue.h): a byte ring of [header][line] records, padded to 8
 * bytes so a header always fits before the end of the ring; a record that does not fit
 * there starts again at the front after a wrap marker. The producer copies under the lock
 * (a few hundred nanoseconds for an alert line); the writer holds the lock only to take
 * and to release a record, never while it writes. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/output_queue.h>

#define REC_WRAP	UINT32_MAX

struct rec_hdr {
	uint32_t len;		/* line bytes, or REC_WRAP: the rest of the ring is unused */
	uint8_t severity;
	uint8_t pad[3];
	struct timeval arrival;	/* tv_sec 0: none */
};

struct sw_alert_queue {
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* writer: a line, a kick or stop */
	pthread_cond_t drained;	/* drain(): the ring emptied */
	pthread_t thread;
	bool started;

	char *buf;
	uint32_t size;		/* multiple of 8 */
	uint32_t head, tail;	/* next write, next read (multiples of 8) */
	uint32_t used;		/* bytes between tail and head, wrap gaps included */
	bool stop, kicked;

	sw_alert_queue_write_cb write;
	sw_alert_queue_idle_cb before_write;
	void *priv;

	struct sw_alert_queue_stats st;
};

static uint32_t rec_size(size_t len)
{
	return (sizeof(struct rec_hdr) + len + 7) & ~7u;
}

/* Up to SW_ALERT_QUEUE_BATCH records from tail, not across the end of the ring. Called
 * with the lock held; \returns the count and the bytes they span in *span. */
static unsigned take_batch(struct sw_alert_queue *q, struct sw_alert_queue_line *lines, uint32_t *span)
{
	uint32_t pos = q->tail, left = q->used;
	unsigned n = 0;

	while (n < SW_ALERT_QUEUE_BATCH && left) {
		const struct rec_hdr *h = (const struct rec_hdr *)(q->buf + pos);
		uint32_t sz;

		if (h->len == REC_WRAP)
			break;
		sz = rec_size(h->len);
		lines[n].line = (const char *)(h + 1);
		lines[n].len = h->len;
		lines[n].severity = h->severity;
		lines[n].arrival = h->arrival.tv_sec ? &h->arrival : NULL;
		n++;
		pos += sz;
		left -= sz;
		if (pos == q->size)
			break;
	}
	*span = pos - q->tail;
	return n;
}

static void *writer_main(void *arg)
{
	struct sw_alert_queue *q = arg;
	struct sw_alert_queue_line lines[SW_ALERT_QUEUE_BATCH];

	pthread_mutex_lock(&q->lock);
	for (;;) {
		const struct rec_hdr *h;
		uint32_t span;
		unsigned n;

		while (!q->used && !q->stop && !q->kicked)
			pthread_cond_wait(&q->wake, &q->lock);
		q->kicked = false;
		if (!q->used) {
			bool stop = q->stop;

			pthread_mutex_unlock(&q->lock);
			if (q->before_write)
				q->before_write(q->priv);
			pthread_mutex_lock(&q->lock);
			if (stop)
				break;
			continue;
		}
		h = (const struct rec_hdr *)(q->buf + q->tail);
		if (h->len == REC_WRAP) {
			q->used -= q->size - q->tail;
			q->tail = 0;
			continue;
		}
		n = take_batch(q, lines, &span);
		/* the producer never writes into [tail, tail + span) while used covers it */
		pthread_mutex_unlock(&q->lock);
		if (q->before_write)
			q->before_write(q->priv);
		q->write(q->priv, lines, n);
		pthread_mutex_lock(&q->lock);
		q->tail = q->tail + span == q->size ? 0 : q->tail + span;
		q->used -= span;
		q->st.written += n;
		if (!q->used)
			pthread_cond_broadcast(&q->drained);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static int queue_destructor(struct sw_alert_queue *q)
{
	if (q->started) {
		pthread_mutex_lock(&q->lock);
		q->stop = true;
		pthread_cond_signal(&q->wake);
		pthread_mutex_unlock(&q->lock);
		pthread_join(q->thread, NULL);
	}
	pthread_cond_destroy(&q->drained);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	return 0;
}

struct sw_alert_queue *sw_alert_queue_start(void *ctx, size_t bytes, sw_alert_queue_write_cb write,
					    sw_alert_queue_idle_cb before_write, void *priv)
{
	struct sw_alert_queue *q;
	int rc;

	if (bytes < 4096)
		bytes = 4096;
	if (bytes > (1u << 30))
		bytes = 1u << 30;
	q = talloc_zero(ctx, struct sw_alert_queue);
	if (!q) {
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	pthread_cond_init(&q->drained, NULL);
	talloc_set_destructor(q, queue_destructor);
	q->size = bytes & ~7u;
	q->buf = talloc_size(q, q->size);
	if (!q->buf) {
		talloc_free(q);
		errno = ENOMEM;
		return NULL;
	}
	q->write = write;
	q->before_write = before_write;
	q->priv = priv;
	q->st.bytes = q->size;
	rc = pthread_create(&q->thread, NULL, writer_main, q);
	if (rc) {
		talloc_free(q);
		errno = rc;
		return NULL;
	}
	q->started = true;
	return q;
}

bool sw_alert_queue_push(struct sw_alert_queue *q, const char *line, size_t len, uint8_t severity,
			 const struct timeval *arrival)
{
	uint32_t n = rec_size(len), gap = 0;
	struct rec_hdr *h;

	pthread_mutex_lock(&q->lock);
	if (!q->used)
		q->head = q->tail = 0;
	if (q->size - q->head < n)
		gap = q->size - q->head;
	if (len >= REC_WRAP || n > q->size || (uint64_t)q->used + gap + n > q->size) {
		q->st.dropped++;
		pthread_mutex_unlock(&q->lock);
		return false;
	}
	if (gap) {
		((struct rec_hdr *)(q->buf + q->head))->len = REC_WRAP;
		q->used += gap;
		q->head = 0;
	}
	h = (struct rec_hdr *)(q->buf + q->head);
	h->len = len;
	h->severity = severity;
	h->arrival = arrival ? *arrival : (struct timeval){ 0 };
	memcpy(h + 1, line, len);
	q->head = q->head + n == q->size ? 0 : q->head + n;
	q->used += n;
	/* a writer that found lines queued takes them all before it waits again: only the
	 * first line after it emptied the ring needs to wake it */
	if (q->used == n)
		pthread_cond_signal(&q->wake);
	if (q->used > q->st.high_water)
		q->st.high_water = q->used;
	q->st.queued++;
	pthread_mutex_unlock(&q->lock);
	return true;
}

void sw_alert_queue_kick(struct sw_alert_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->kicked = true;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
}

void sw_alert_queue_drain(struct sw_alert_queue *q)
{
	pthread_mutex_lock(&q->lock);
	while (q->used)
		pthread_cond_wait(&q->drained, &q->lock);
	pthread_mutex_unlock(&q->lock);
}

void sw_alert_queue_stop(struct sw_alert_queue *q)
{
	/* the destructor stops the writer, which writes everything queued before it exits */
	talloc_free(q);
}

void sw_alert_queue_stats(struct sw_alert_queue *q, struct sw_alert_queue_stats *out)
{
	pthread_mutex_lock(&q->lock);
	*out = q->st;
	out->used = q->used;
	pthread_mutex_unlock(&q->lock);
}
