/* The cluster's event record and reorder heap (cluster.h): a record decodes to what was
 * encoded; every truncation, a wrong version, lengths that do not add up and random bytes
 * are refused without reading past the record (ASan watches); the heap releases in
 * (time, site, frame, seq) order; the alert id does not depend on who computes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/alert.h>
#include <ss7watch/cluster.h>

static int failures;

#define CHECK(c) do { if (!(c)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static uint64_t rng = 88172645463325252ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Decode a copy of exactly len bytes in its own allocation: ASan sees any read past it. */
static enum sw_event_err decode_exact(struct sw_event *ev, const uint8_t *p, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum sw_event_err e;

	memcpy(copy, p, len);
	e = sw_event_decode(ev, copy, len);
	if (e == SW_EVENT_OK) {
		/* touch what it points to: it must be inside the copy */
		volatile uint8_t sum = 0;

		for (uint32_t i = 0; i < ev->sccp_len; i++)
			sum += ev->sccp[i];
		for (uint32_t i = 0; i < ev->site_len; i++)
			sum += ev->site[i];
		(void)sum;
	}
	free(copy);
	return e;
}

static void test_roundtrip(void)
{
	static uint8_t buf[SW_EVENT_MAX_LEN], big[SW_EVENT_SCCP_MAX + 1];
	struct sw_meta meta = { .ts = { 1710237611, 889422 }, .ip_version = 4, .sport = 2905, .dport = 2906,
				.vtag = 0xdeadbeef, .sctp_stream = 3 };
	struct sw_mtp3 mtp3 = { .present = true, .via = SW_VIA_M3UA, .si = 3, .ni = 2, .mp = 1, .sls = 13,
				.opc = 2384, .dpc = 2336, .has_rctx = true, .rctx = 100 };
	const uint8_t sccp[] = { 0x09, 0x80, 0x03, 0x0e, 0x19, 0x0b, 0x12 };
	struct sw_event ev;
	size_t n;

	memcpy(meta.src_ip, "\x0a\x31\x01\x01", 4);
	memcpy(meta.dst_ip, "\x0a\x31\x00\x01", 4);
	n = sw_event_encode(buf, sizeof(buf), "site-a", 0x12345678, 0, 42, 68, 2, &meta, &mtp3, sccp, sizeof(sccp));
	CHECK(n == SW_EVENT_HDR_LEN + 6 + sizeof(sccp));
	CHECK(buf[0] == SW_EVENT_VERSION);
	CHECK(decode_exact(&ev, buf, n) == SW_EVENT_OK);
	/* again in place: ev points into buf */
	CHECK(sw_event_decode(&ev, buf, n) == SW_EVENT_OK);
	CHECK(ev.site_len == 6 && !memcmp(ev.site, "site-a", 6));
	CHECK(ev.run == 0x12345678 && ev.counter == 42 && ev.frame == 68 && ev.seq == 2);
	CHECK(ev.meta.frame == 68 && ev.meta.ts.tv_sec == 1710237611 && ev.meta.ts.tv_usec == 889422);
	CHECK(ev.meta.ip_version == 4 && !memcmp(ev.meta.src_ip, meta.src_ip, 16) &&
	      !memcmp(ev.meta.dst_ip, meta.dst_ip, 16));
	CHECK(ev.meta.sport == 2905 && ev.meta.dport == 2906 && ev.meta.vtag == 0xdeadbeef && ev.meta.sctp_stream == 3);
	CHECK(ev.mtp3.present && ev.mtp3.via == SW_VIA_M3UA && ev.mtp3.si == 3 && ev.mtp3.ni == 2 &&
	      ev.mtp3.mp == 1 && ev.mtp3.sls == 13 && ev.mtp3.opc == 2384 && ev.mtp3.dpc == 2336 &&
	      ev.mtp3.has_rctx && ev.mtp3.rctx == 100);
	CHECK(ev.sccp_len == sizeof(sccp) && !memcmp(ev.sccp, sccp, sizeof(sccp)));
	/* a replay's record is that of the sensors before live runs: byte 9 is 0 */
	CHECK(!ev.live && buf[9] == 0);
	{
		static uint8_t live[SW_EVENT_MAX_LEN];

		/* a live run's record differs in its flag alone, and decodes as live */
		CHECK(sw_event_encode(live, sizeof(live), "site-a", 0x12345678, SW_EVENT_F_LIVE, 42, 68, 2, &meta, &mtp3,
				      sccp, sizeof(sccp)) == n);
		CHECK(live[9] == SW_EVENT_F_LIVE && !memcmp(live, buf, 9) && !memcmp(live + 10, buf + 10, n - 10));
		CHECK(decode_exact(&ev, live, n) == SW_EVENT_OK && ev.live && ev.run == 0x12345678);
		/* flags this build does not know are refused */
		for (int f = 2; f < 256; f++) {
			live[9] = f;
			CHECK(decode_exact(&ev, live, n) == SW_EVENT_FIELD);
		}
	}

	/* every truncation and every extension is refused */
	for (size_t len = 0; len < n; len++)
		CHECK(decode_exact(&ev, buf, len) != SW_EVENT_OK);
	buf[n] = 0;
	CHECK(decode_exact(&ev, buf, n + 1) == SW_EVENT_LENGTH);
	/* versions this build does not know */
	for (int v = 0; v < 256; v++) {
		if (v == SW_EVENT_VERSION)
			continue;
		buf[0] = v;
		CHECK(decode_exact(&ev, buf, n) == SW_EVENT_VERSION_BAD);
	}
	buf[0] = SW_EVENT_VERSION;
	/* fields out of range */
	buf[2] = 5;
	CHECK(decode_exact(&ev, buf, n) == SW_EVENT_FIELD);
	buf[2] = 4;
	buf[52] = 0xff;		/* usec >= 1000000 */
	CHECK(decode_exact(&ev, buf, n) == SW_EVENT_FIELD);
	buf[52] = 0;
	/* what cannot be encoded is not */
	CHECK(!sw_event_encode(buf, sizeof(buf), "", 1, 0, 1, 1, 0, &meta, &mtp3, sccp, sizeof(sccp)));
	CHECK(!sw_event_encode(buf, sizeof(buf), "a", 1, 0, 1, 1, 0, &meta, &mtp3, big, sizeof(big)));
	CHECK(!sw_event_encode(buf, 50, "a", 1, 0, 1, 1, 0, &meta, &mtp3, sccp, sizeof(sccp)));
	printf("roundtrip, truncations, versions, fields: done\n");
}

/* Random records and records with random bytes changed: refused or decoded, never a read
 * outside the record. */
static void test_random(void)
{
	static uint8_t buf[SW_EVENT_MAX_LEN + 64];
	struct sw_meta meta = { .ts = { 1, 2 }, .ip_version = 6 };
	struct sw_mtp3 mtp3 = { 0 };
	uint8_t sccp[300];
	struct sw_event ev;
	unsigned ok = 0, refused = 0;

	for (unsigned i = 0; i < sizeof(sccp); i++)
		sccp[i] = i;
	for (unsigned round = 0; round < 200000; round++) {
		size_t n = sw_event_encode(buf, sizeof(buf), "b", 7, round % 2 ? SW_EVENT_F_LIVE : 0, round + 1, round, 0, &meta, &mtp3, sccp,
					   next_rand() % sizeof(sccp));
		unsigned flips = 1 + next_rand() % 4;

		for (unsigned f = 0; f < flips; f++)
			buf[next_rand() % (n + 8)] = next_rand();
		if (next_rand() % 4 == 0)
			n = next_rand() % (n + 8);
		if (decode_exact(&ev, buf, n) == SW_EVENT_OK)
			ok++;
		else
			refused++;
	}
	CHECK(ok > 0 && refused > 0);
	printf("random changes: some decoded, some refused: %s\n", ok && refused ? "yes" : "no");
}

/* Decode a batch from a copy of exactly len bytes, and parse each of its records. \returns
 * the batch's error; *good counts the records that parse. */
static enum sw_batch_err batch_exact(const uint8_t *p, size_t len, unsigned *good)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct sw_batch b;
	enum sw_batch_err e;

	*good = 0;
	memcpy(copy, p, len);
	e = sw_batch_decode(&b, copy, len);
	if (e == SW_BATCH_OK) {
		const uint8_t *rec;
		size_t off = 0, rlen;
		unsigned i = 0;
		struct sw_event ev;

		for (; sw_batch_next(&b, &off, &rec, &rlen); i++)
			if (sw_batch_event_decode(&b, i, &ev, rec, rlen) == SW_EVENT_OK)
				(*good)++;
		CHECK(i == b.count);
	}
	free(copy);
	return e;
}

/* A batch: built as the sensor builds it, checked whole, then each record. */
static size_t make_batch(uint8_t *buf, const char *site, uint32_t run, uint64_t first, unsigned count)
{
	struct sw_meta meta = { .ts = { 1710237611, 0 }, .ip_version = 4 };
	struct sw_mtp3 mtp3 = { .present = true, .via = SW_VIA_M3UA, .si = 3 };
	const uint8_t sccp[] = { 0x09, 0x80, 0x03, 0x0e, 0x19, 0x0b, 0x12 };
	size_t len = SW_BATCH_HDR_LEN + strlen(site);

	for (unsigned i = 0; i < count; i++) {
		size_t n;

		meta.ts.tv_usec = i;
		n = sw_event_encode(buf + len + 2, SW_EVENT_MAX_LEN, site, run, 0, first + i, 100 + i, 0, &meta, &mtp3,
				    sccp, sizeof(sccp));
		buf[len] = n >> 8;
		buf[len + 1] = n;
		len += 2 + n;
	}
	CHECK(sw_batch_encode_hdr(buf, site, run, first, count) == SW_BATCH_HDR_LEN + strlen(site));
	return len;
}

static void test_batch(void)
{
	static uint8_t buf[16 * (SW_EVENT_MAX_LEN + 2)], other[SW_EVENT_MAX_LEN + 64];
	struct sw_batch b;
	unsigned good, ok = 0, refused = 0;
	size_t n = make_batch(buf, "site-a", 7, 41, 3), m;

	CHECK(batch_exact(buf, n, &good) == SW_BATCH_OK && good == 3);
	CHECK(sw_batch_decode(&b, buf, n) == SW_BATCH_OK && b.count == 3 && b.run == 7 && b.first == 41 &&
	      b.site_len == 6 && !memcmp(b.site, "site-a", 6));
	/* every truncation, and a byte more, are refused whole */
	for (size_t len = 0; len < n; len++)
		CHECK(batch_exact(buf, len, &good) != SW_BATCH_OK);
	buf[n] = 0;
	CHECK(batch_exact(buf, n + 1, &good) == SW_BATCH_LENGTH);
	/* a single event is not a batch */
	m = make_batch(other, "a", 1, 1, 1);
	CHECK(sw_batch_decode(&b, other + SW_BATCH_HDR_LEN + 1 + 2, m - SW_BATCH_HDR_LEN - 1 - 2) ==
	      SW_BATCH_VERSION_BAD);
	/* counts: none, more than allowed, more than there are */
	buf[2] = 0, buf[3] = 0;
	CHECK(batch_exact(buf, n, &good) == SW_BATCH_COUNT);
	buf[2] = 0x10, buf[3] = 0x01;
	CHECK(batch_exact(buf, n, &good) == SW_BATCH_COUNT);
	buf[2] = 0, buf[3] = 4;
	CHECK(batch_exact(buf, n, &good) == SW_BATCH_LENGTH);
	buf[3] = 2;
	CHECK(batch_exact(buf, n, &good) == SW_BATCH_LENGTH);
	buf[3] = 3;
	/* a first counter of 0, a site that is not one */
	memset(buf + SW_BATCH_FIRST_OFF, 0, 8);
	CHECK(batch_exact(buf, n, &good) == SW_BATCH_FIELD);
	buf[SW_BATCH_FIRST_OFF + 7] = 41;
	buf[SW_BATCH_HDR_LEN] = '.';
	CHECK(batch_exact(buf, n, &good) == SW_BATCH_FIELD);
	buf[SW_BATCH_HDR_LEN] = 's';
	/* a record of another run, or out of its place: refused alone */
	buf[4] = 8;
	CHECK(batch_exact(buf, n, &good) == SW_BATCH_OK && good == 0);
	buf[4] = 0;
	buf[SW_BATCH_FIRST_OFF + 7] = 40;
	CHECK(batch_exact(buf, n, &good) == SW_BATCH_OK && good == 0);
	buf[SW_BATCH_FIRST_OFF + 7] = 41;
	CHECK(batch_exact(buf, n, &good) == SW_BATCH_OK && good == 3);
	/* random changes: refused or parsed, never a read outside */
	for (unsigned round = 0; round < 100000; round++) {
		size_t len = make_batch(buf, "b", 9, round + 1, 1 + next_rand() % 16);
		unsigned flips = 1 + next_rand() % 4;

		for (unsigned f = 0; f < flips; f++)
			buf[next_rand() % (len + 8)] = next_rand();
		if (next_rand() % 4 == 0)
			len = next_rand() % (len + 8);
		if (batch_exact(buf, len, &good) == SW_BATCH_OK)
			ok++;
		else
			refused++;
	}
	CHECK(ok > 0 && refused > 0);
	printf("batch: roundtrip, truncations, counts, fields, records of another batch, random changes: done\n");
}

static void test_heap(void)
{
	void *ctx = talloc_new(NULL);
	struct sw_reorder h;
	struct sw_reorder_item it, prev = { 0 };
	unsigned n = 0;

	CHECK(sw_reorder_init(ctx, &h, 5000));
	for (unsigned i = 0; i < 5000; i++) {
		it = (struct sw_reorder_item){ .t_us = next_rand() % 1000, .site_rank = next_rand() % 3,
					       .frame = next_rand() % 50, .seq = next_rand() % 3 };
		sw_reorder_push(&h, &it);
	}
	CHECK(h.n == 5000);
	while (sw_reorder_pop(&h, &it)) {
		if (n++) {
			bool order = prev.t_us < it.t_us ||
				     (prev.t_us == it.t_us && (prev.site_rank < it.site_rank ||
				      (prev.site_rank == it.site_rank && (prev.frame < it.frame ||
				       (prev.frame == it.frame && prev.seq <= it.seq)))));

			CHECK(order);
		}
		prev = it;
	}
	CHECK(n == 5000 && !sw_reorder_top(&h));
	talloc_free(ctx);
	printf("heap: 5000 items released in order\n");
}

static void test_alert_id(void)
{
	struct sw_alert a = { .rule = "psi-not-from-home-hlr", .signature_id = 2000004, .comp_idx = 0 };
	struct sw_msg msg = { 0 };
	char x[256], y[256];

	a.msg = &msg;
	strcpy(a.subscr.imsi, "262011746736089");
	uint32_t run1 = 0x0badcafe, run2 = 0x0badcaff;
	char l1[256], l2[256];

	a.msg = &msg;
	strcpy(a.subscr.imsi, "262011746736089");
	sw_cluster_alert_id(x, sizeof(x), &a, "a", NULL, 68, 1);
	sw_cluster_alert_id(y, sizeof(y), &a, "a", NULL, 68, 1);
	CHECK(!strcmp(x, y));
	/* a replay's ids are those of the sensors before live runs */
	CHECK(!strncmp(x, "2000004:a:68:1:0:", 17));
	printf("alert id: %s\n", x);
	/* a live run's name their run: a restarted sensor's frame 68 is another message */
	sw_cluster_alert_id(l1, sizeof(l1), &a, "a", &run1, 68, 1);
	sw_cluster_alert_id(l2, sizeof(l2), &a, "a", &run2, 68, 1);
	CHECK(!strncmp(l1, "2000004:a:r0badcafe:68:1:0:", 27) && strcmp(l1, l2) && strcmp(l1, x));
	printf("live alert id: %s\n", l1);
	sw_cluster_alert_id(y, sizeof(y), &a, "b", NULL, 68, 1);
	CHECK(strcmp(x, y));
	strcpy(a.subscr.imsi, "262011746736088");
	sw_cluster_alert_id(y, sizeof(y), &a, "a", NULL, 68, 1);
	CHECK(strcmp(x, y));
}

/* Parse an end of run from a copy of exactly len bytes (so that a read past len shows). */
static enum sw_batch_err run_end_exact(const uint8_t *p, size_t len, struct sw_run_end *e)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum sw_batch_err r;

	memcpy(copy, p, len);
	r = sw_run_end_decode(e, copy, len);
	free(copy);
	return r;
}

static void test_run_end(void)
{
	uint8_t buf[SW_RUN_END_HDR_LEN + SW_EVENT_SITE_MAX + 2];
	struct sw_run_end e;
	size_t n = sw_run_end_encode(buf, "site-b", 0xdeadbeef, 123456789012ull);

	CHECK(n == SW_RUN_END_HDR_LEN + 6);
	CHECK(run_end_exact(buf, n, &e) == SW_BATCH_OK && e.run == 0xdeadbeef && e.last == 123456789012ull);
	CHECK(sw_run_end_decode(&e, buf, n) == SW_BATCH_OK && e.site_len == 6 && !memcmp(e.site, "site-b", 6));
	/* every truncation, a byte more, another version */
	for (size_t len = 0; len < n; len++)
		CHECK(run_end_exact(buf, len, &e) == SW_BATCH_SHORT);
	buf[n] = 0;
	CHECK(run_end_exact(buf, n + 1, &e) == SW_BATCH_LENGTH);
	buf[0] = SW_BATCH_VERSION;
	CHECK(run_end_exact(buf, n, &e) == SW_BATCH_VERSION_BAD);
	buf[0] = SW_RUN_END_VERSION;
	/* the bytes that must be 0, a site name that is not one */
	buf[3] = 1;
	CHECK(run_end_exact(buf, n, &e) == SW_BATCH_FIELD);
	buf[3] = 0;
	buf[SW_RUN_END_HDR_LEN] = '/';
	CHECK(run_end_exact(buf, n, &e) == SW_BATCH_FIELD);
	buf[1] = 0;
	CHECK(run_end_exact(buf, SW_RUN_END_HDR_LEN, &e) == SW_BATCH_FIELD);
	CHECK(sw_run_end_encode(buf, "", 1, 1) == 0);
}

int main(void)
{
	test_roundtrip();
	test_random();
	test_batch();
	test_run_end();
	test_heap();
	test_alert_id();
	if (failures) {
		printf("event_test: %d failures\n", failures);
		return 1;
	}
	printf("event_test: OK\n");
	return 0;
}
