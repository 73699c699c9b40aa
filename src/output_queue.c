/* The alert queue (see output_queue.h): one byte ring of [header][line] records per
 * severity, padded to 8 bytes so a header always fits before the end of a ring; a record that
 * does not fit there starts again at the front after a wrap marker. The rings share one
 * budget (used). The producer copies under the lock (a few hundred nanoseconds for an alert
 * line) and may push out older lines of a lower severity; the writer copies a batch out under
 * the lock, so the room is free at once and nothing it is writing can be pushed out, and
 * writes without it. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/output_queue.h>

#define REC_WRAP	UINT32_MAX
#define SEVERITIES	3
/* bytes the writer copies out per batch: the producer waits on the lock at most that long */
#define BATCH_BYTES	(256u << 10)

struct rec_hdr {
	uint32_t len;		/* line bytes, or REC_WRAP: the rest of the ring is unused */
	uint8_t severity;
	uint8_t event;
	uint8_t pad[2];
	uint64_t seq;		/* push order: the writer merges the rings by it */
	struct timeval arrival;	/* tv_sec 0: none */
};

/* The lines of one severity. */
struct ring {
	char *buf;
	uint32_t head, tail;	/* next write, next read (multiples of 8) */
	uint32_t used;		/* bytes between tail and head, wrap gap included */
};

struct sw_alert_queue {
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* writer: a line, a kick or stop */
	pthread_cond_t drained;	/* drain(): the rings emptied and the writer wrote it all */
	pthread_t thread;
	bool started;

	struct ring rings[SEVERITIES];	/* [0] severity 1 .. [2] severity 3 */
	uint32_t size;		/* the budget shared by the rings, and each ring's size (multiple of 8) */
	uint32_t used;		/* sum of the rings' used */
	uint64_t seq;
	bool stop, kicked, writing;

	/* the writer copies a batch out and frees its room before it writes */
	char *wbuf;
	struct timeval warrival[SW_ALERT_QUEUE_BATCH];

	sw_alert_queue_write_cb write;
	sw_alert_queue_idle_cb before_write;
	void *priv;

	struct sw_alert_queue_stats st;
};

static uint32_t rec_size(size_t len)
{
	return (sizeof(struct rec_hdr) + len + 7) & ~7u;
}

static unsigned ring_of(uint8_t severity)
{
	return (severity >= 1 && severity <= SEVERITIES ? severity : SEVERITIES) - 1;
}

/* The oldest line of a ring (past a wrap marker), NULL when empty. Lock held. */
static const struct rec_hdr *ring_front(struct sw_alert_queue *q, struct ring *r)
{
	const struct rec_hdr *h;

	if (!r->used)
		return NULL;
	h = (const struct rec_hdr *)(r->buf + r->tail);
	if (h->len == REC_WRAP) {
		r->used -= q->size - r->tail;
		q->used -= q->size - r->tail;
		r->tail = 0;
		if (!r->used)
			return NULL;
		h = (const struct rec_hdr *)r->buf;
	}
	return h;
}

/* Free the oldest line of a ring (ring_front() returned it). Lock held. */
static void ring_pop(struct sw_alert_queue *q, struct ring *r, const struct rec_hdr *h)
{
	uint32_t sz = rec_size(h->len);

	r->tail = r->tail + sz == q->size ? 0 : r->tail + sz;
	r->used -= sz;
	q->used -= sz;
}

/* Up to SW_ALERT_QUEUE_BATCH lines in push order, copied to wbuf and freed. Lock held.
 * \returns the count. */
static unsigned take_batch(struct sw_alert_queue *q, struct sw_alert_queue_line *lines)
{
	uint32_t off = 0;
	unsigned n = 0;

	while (n < SW_ALERT_QUEUE_BATCH) {
		const struct rec_hdr *best = NULL, *h;
		struct ring *from = NULL;

		for (unsigned i = 0; i < SEVERITIES; i++) {
			h = ring_front(q, &q->rings[i]);
			if (h && (!best || h->seq < best->seq))
				best = h, from = &q->rings[i];
		}
		if (!best || (n && off + best->len > BATCH_BYTES))
			break;
		memcpy(q->wbuf + off, best + 1, best->len);
		q->warrival[n] = best->arrival;
		lines[n] = (struct sw_alert_queue_line){
			.line = q->wbuf + off, .len = best->len, .severity = best->severity, .event = best->event,
			.arrival = best->arrival.tv_sec ? &q->warrival[n] : NULL,
		};
		off += best->len;
		n++;
		ring_pop(q, from, best);
	}
	return n;
}

static void *writer_main(void *arg)
{
	struct sw_alert_queue *q = arg;
	struct sw_alert_queue_line lines[SW_ALERT_QUEUE_BATCH];

	pthread_mutex_lock(&q->lock);
	for (;;) {
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
		n = take_batch(q, lines);
		if (!n)
			continue;
		q->writing = true;
		pthread_mutex_unlock(&q->lock);
		if (q->before_write)
			q->before_write(q->priv);
		q->write(q->priv, lines, n);
		pthread_mutex_lock(&q->lock);
		q->writing = false;
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
	/* each ring may hold the whole budget: pages of a ring never used are never touched */
	for (unsigned i = 0; i < SEVERITIES; i++) {
		q->rings[i].buf = talloc_size(q, q->size);
		if (!q->rings[i].buf)
			goto oom;
	}
	q->wbuf = talloc_size(q, q->size);
	if (!q->wbuf)
		goto oom;
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
oom:
	talloc_free(q);
	errno = ENOMEM;
	return NULL;
}

/* Room for n bytes (plus a wrap gap) at the head of ring r: push out the oldest lines of the
 * lowest severity below r's. Lock held. \returns the gap, or -1 when there is no room. */
static int64_t make_room(struct sw_alert_queue *q, unsigned r, uint32_t n)
{
	struct ring *ring = &q->rings[r];

	for (;;) {
		uint32_t gap = q->size - ring->head < n ? q->size - ring->head : 0;
		const struct rec_hdr *h = NULL;
		uint32_t before = q->used;
		unsigned v;

		if ((uint64_t)q->used + gap + n <= q->size)
			return gap;
		for (v = SEVERITIES - 1; v > r; v--) {
			h = ring_front(q, &q->rings[v]);
			if (h)
				break;
		}
		if (!h) {
			/* a ring that only held a wrap marker freed it: look again */
			if (q->used != before)
				continue;
			return -1;
		}
		ring_pop(q, &q->rings[v], h);
		q->st.dropped++;
		q->st.dropped_by_severity[v + 1]++;
	}
}

bool sw_alert_queue_push(struct sw_alert_queue *q, const char *line, size_t len, uint8_t severity, bool event,
			 const struct timeval *arrival)
{
	unsigned r = ring_of(severity);
	struct ring *ring = &q->rings[r];
	uint32_t n = rec_size(len);
	int64_t gap = -1;
	struct rec_hdr *h;

	pthread_mutex_lock(&q->lock);
	if (!ring->used)
		ring->head = ring->tail = 0;
	if (len < REC_WRAP && n <= q->size)
		gap = make_room(q, r, n);
	if (gap < 0) {
		q->st.dropped++;
		q->st.dropped_by_severity[r + 1]++;
		pthread_mutex_unlock(&q->lock);
		return false;
	}
	if (gap) {
		((struct rec_hdr *)(ring->buf + ring->head))->len = REC_WRAP;
		ring->used += gap;
		q->used += gap;
		ring->head = 0;
	}
	h = (struct rec_hdr *)(ring->buf + ring->head);
	h->len = len;
	h->severity = severity;
	h->event = event;
	h->seq = q->seq++;
	h->arrival = arrival ? *arrival : (struct timeval){ 0 };
	memcpy(h + 1, line, len);
	ring->head = ring->head + n == q->size ? 0 : ring->head + n;
	ring->used += n;
	q->used += n;
	/* a writer that found lines queued takes them all before it waits again: only the
	 * first line after it emptied the rings needs to wake it */
	if (q->used == n + gap)
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
	while (q->used || q->writing)
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
