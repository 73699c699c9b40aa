/* The last alert lines, for `show alerts`: a stdio stream (fopencookie) handed to the alert
 * sink as one more output, so the sink's code stays as it is and the ring holds exactly
 * the lines written to the file. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/output_ring.h>

static struct {
	char **lines;
	unsigned cap;
	uint64_t total;		/* lines stored since start; the newest is total - 1 */
	char *partial;		/* a line not yet ended by '\n' */
	void *ctx;
} ring;

static void store_line(const char *p, size_t n)
{
	char **slot = &ring.lines[ring.total % ring.cap];

	talloc_free(*slot);
	*slot = talloc_strndup(ring.ctx, p, n);
	ring.total++;
}

static ssize_t ring_write(void *cookie, const char *buf, size_t size)
{
	size_t start = 0;

	for (size_t i = 0; i < size; i++) {
		if (buf[i] != '\n')
			continue;
		if (ring.partial) {
			ring.partial = talloc_strndup_append(ring.partial, buf + start, i - start);
			store_line(ring.partial, strlen(ring.partial));
			TALLOC_FREE(ring.partial);
		} else {
			store_line(buf + start, i - start);
		}
		start = i + 1;
	}
	if (start < size)
		ring.partial = ring.partial ? talloc_strndup_append(ring.partial, buf + start, size - start)
					    : talloc_strndup(ring.ctx, buf + start, size - start);
	return size;
}

FILE *sw_alert_ring_open(void *ctx, unsigned n)
{
	cookie_io_functions_t io = { .write = ring_write };
	FILE *f;

	ring.ctx = ctx;
	ring.cap = n ? n : 1;
	ring.lines = talloc_zero_array(ctx, char *, ring.cap);
	if (!ring.lines)
		return NULL;
	f = fopencookie(NULL, "w", io);
	if (f)
		setvbuf(f, NULL, _IOFBF, 1 << 16);
	return f;
}

uint64_t sw_alert_ring_total(void)
{
	return ring.total;
}

void sw_alert_ring_foreach(unsigned n, void (*fn)(const char *line, void *priv), void *priv)
{
	uint64_t kept = ring.total < ring.cap ? ring.total : ring.cap;
	uint64_t first;

	if (n && n < kept)
		kept = n;
	first = ring.total - kept;
	for (uint64_t i = first; i < ring.total; i++)
		fn(ring.lines[i % ring.cap], priv);
}
