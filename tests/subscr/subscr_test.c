/* Subscriber table, MSISDN index, number packing, GT interning and keys, the identify table. */
#include <stdio.h>
#include <string.h>
#include <inttypes.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <ss7watch/msg.h>
#include <ss7watch/track_subscr.h>
#include <ss7watch/track_ident.h>
#include <ss7watch/track_dialogue.h>

static void *ctx;

/* IMSIs and MSISDNs of test subscriber i */
static sw_num_t imsi_n(unsigned i)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "26201%010u", i);
	return sw_num_pack(buf);
}

static sw_num_t msisdn_n(unsigned i)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "49151%08u", i);
	return sw_num_pack(buf);
}

static const char *num_str(sw_num_t n)
{
	static char buf[4][16];
	static unsigned i;

	i = (i + 1) % 4;
	sw_num_unpack(n, buf[i]);
	return buf[i];
}

static void print_stats(struct sw_subscr_table *t)
{
	struct sw_subscr_stats st;

	sw_subscr_table_stats(t, &st);
	printf("  count=%u capacity=%u inserts=%" PRIu64 " evictions=%" PRIu64
	       " msisdn_index_full=%" PRIu64 "\n",
	       st.count, st.capacity, st.inserts, st.evictions, st.msisdn_index_full);
}

static void test_num_pack(void)
{
	static const char *const in[] = {
		"0", "00", "49", "0049", "262019876543210", "999999999999999", "000000000000000",
		"1234567890123456", "", "12a4", "-1", " 1", "+49",
	};
	char buf[16];

	printf("%s\n", __func__);
	for (unsigned i = 0; i < ARRAY_SIZE(in); i++) {
		sw_num_t n = sw_num_pack(in[i]);
		unsigned len = sw_num_unpack(n, buf);

		printf("  '%s' -> 0x%016" PRIx64 " -> '%s' (%u digits)\n", in[i], n, buf, len);
		OSMO_ASSERT(!n || !strcmp(buf, in[i]));
	}
	printf("  NULL -> 0x%016" PRIx64 "\n", sw_num_pack(NULL));

	/* the PLMN of a packed IMSI is what the digits say, at every length */
	{
		static const char *const imsis[] = {
			"262019876543210", "310150123456789", "00101", "0010", "001", "00", "2620",
			"262011", "505", "999999999999999", "000000000000000",
		};

		for (unsigned i = 0; i < ARRAY_SIZE(imsis); i++) {
			const char *s = imsis[i];
			size_t l = strlen(s);
			int mcc, mnc2, mnc3;

			sw_num_plmn(sw_num_pack(s), &mcc, &mnc2, &mnc3);
			printf("  plmn '%s' -> mcc %d mnc2 %d mnc3 %d\n", s, mcc, mnc2, mnc3);
			OSMO_ASSERT(mcc == (l >= 3 ? (s[0] - '0') * 100 + (s[1] - '0') * 10 + s[2] - '0' : -1));
			OSMO_ASSERT(mnc2 == (l >= 5 ? (s[3] - '0') * 10 + s[4] - '0' : -1));
			OSMO_ASSERT(mnc3 == (l >= 6 ? (s[3] - '0') * 100 + (s[4] - '0') * 10 + s[5] - '0' : -1));
		}
		{
			int mcc, mnc2, mnc3;

			sw_num_plmn(0, &mcc, &mnc2, &mnc3);
			OSMO_ASSERT(mcc == -1 && mnc2 == -1 && mnc3 == -1);
		}
	}

	/* packing TBCD directly gives what packing its text gives */
	{
		static const uint8_t tbcd[][9] = {
			{ 0x62, 0x02, 0x10, 0x32, 0x54, 0x76, 0x98, 0xf0 },	/* 15 digits + filler */
			{ 0x94, 0x71, 0x00, 0x00 },				/* 8 digits */
			{ 0x94, 0xf1, 0x00 },					/* filler mid-way */
			{ 0x94, 0xa1 },						/* "491*": not decimal */
			{ 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11 },	/* 16 digits */
			{ 0xff },						/* none */
			{ 0xf0 },						/* "0" */
		};
		static const unsigned len[] = { 8, 4, 3, 2, 8, 1, 1 };
		char digits[48];

		for (unsigned i = 0; i < ARRAY_SIZE(len); i++) {
			sw_num_t n = sw_num_from_tbcd(tbcd[i], len[i]);

			sw_tbcd_to_str(digits, sizeof(digits), tbcd[i], len[i]);
			printf("  tbcd '%s' -> 0x%016" PRIx64 "\n", digits, n);
			OSMO_ASSERT(n == sw_num_pack(digits));
		}
	}
	OSMO_ASSERT(sw_num_pack("49") != sw_num_pack("049"));
}

static void test_insert_find(void)
{
	struct sw_subscr_table *t = sw_subscr_table_alloc(ctx, 100, false);
	struct sw_subscr *a, *b;

	printf("%s\n", __func__);
	OSMO_ASSERT(t);
	/* 61.2 bytes each, plus page rounding of the two arrays */
	OSMO_ASSERT(sw_subscr_table_bytes(t) >= 100 * 61);
	OSMO_ASSERT(!sw_subscr_find(t, imsi_n(1)));
	OSMO_ASSERT(!sw_subscr_get(t, 0));
	OSMO_ASSERT(!sw_subscr_find(t, 0));
	OSMO_ASSERT(!sw_subscr_find_msisdn(t, 0));

	a = sw_subscr_get(t, imsi_n(1));
	OSMO_ASSERT(a && a->imsi == imsi_n(1) && !a->msisdn && !a->vlr && !a->vlr_since);
	a->vlr = 7;
	a->vlr_op = 2;
	OSMO_ASSERT(sw_subscr_get(t, imsi_n(1)) == a);
	OSMO_ASSERT(sw_subscr_find(t, imsi_n(1)) == a);
	OSMO_ASSERT(!sw_subscr_find(t, imsi_n(2)));
	printf("  %s: vlr=%u vlr_op=%u\n", num_str(a->imsi), a->vlr, a->vlr_op);

	sw_subscr_set_msisdn(t, a, msisdn_n(1));
	printf("  msisdn %s -> %s\n", num_str(msisdn_n(1)),
	       num_str(sw_subscr_find_msisdn(t, msisdn_n(1))->imsi));
	OSMO_ASSERT(sw_subscr_find_msisdn(t, msisdn_n(1)) == a);
	OSMO_ASSERT(!sw_subscr_find_msisdn(t, msisdn_n(2)));

	/* MSISDN change: the old number no longer resolves */
	sw_subscr_set_msisdn(t, a, msisdn_n(2));
	OSMO_ASSERT(!sw_subscr_find_msisdn(t, msisdn_n(1)));
	OSMO_ASSERT(sw_subscr_find_msisdn(t, msisdn_n(2)) == a);
	printf("  changed: %s now %s, %s unknown\n", num_str(a->imsi), num_str(a->msisdn),
	       num_str(msisdn_n(1)));

	/* the number moves to another IMSI */
	b = sw_subscr_get(t, imsi_n(2));
	sw_subscr_set_msisdn(t, b, msisdn_n(2));
	OSMO_ASSERT(sw_subscr_find_msisdn(t, msisdn_n(2)) == b);
	OSMO_ASSERT(!a->msisdn);
	printf("  moved: %s now with %s, %s has msisdn '%s'\n", num_str(msisdn_n(2)),
	       num_str(b->imsi), num_str(a->imsi), num_str(a->msisdn));

	/* clearing */
	sw_subscr_set_msisdn(t, b, 0);
	OSMO_ASSERT(!sw_subscr_find_msisdn(t, msisdn_n(2)));
	print_stats(t);
	talloc_free(t);
}

/* MSISDNs whose two index buckets are one and the same: the first eight fill it, the next
 * ones are refused (counted) and found by IMSI only, as no entry of that bucket has another
 * to move to; a removal makes room again. A lookup reads two buckets whatever numbers come. */
static void test_msisdn_buckets(void)
{
	struct sw_subscr_table *t = sw_subscr_table_alloc(ctx, 1000, false);
	enum { N = 12, WAYS = 8 };
	sw_num_t num[N];
	struct sw_subscr *s[N];
	struct sw_subscr_stats st;
	uint32_t target = UINT32_MAX;
	unsigned n = 0;

	printf("%s\n", __func__);
	OSMO_ASSERT(t);
	for (unsigned i = 0; n < N && i < 50000000; i++) {
		uint32_t b2, b1 = sw_subscr_msisdn_buckets(t, msisdn_n(i), &b2);

		if (b1 != b2 || (target != UINT32_MAX && b1 != target))
			continue;
		target = b1;
		num[n++] = msisdn_n(i);
	}
	OSMO_ASSERT(n == N);
	for (unsigned k = 0; k < N; k++) {
		s[k] = sw_subscr_get(t, imsi_n(1000 + k));
		OSMO_ASSERT(s[k]);
		sw_subscr_set_msisdn(t, s[k], num[k]);
	}
	for (unsigned k = 0; k < N; k++) {
		/* records do not move: the table does not grow below its initial size */
		OSMO_ASSERT(sw_subscr_find(t, imsi_n(1000 + k)) == s[k]);
		if (k < WAYS) {
			OSMO_ASSERT(sw_subscr_find_msisdn(t, num[k]) == s[k] && s[k]->msisdn == num[k]);
		} else {
			OSMO_ASSERT(!sw_subscr_find_msisdn(t, num[k]) && !s[k]->msisdn);
		}
	}
	sw_subscr_table_stats(t, &st);
	printf("  %u numbers with both buckets alike: %u indexed, %" PRIu64 " refused\n", N, WAYS,
	       st.msisdn_index_full);
	OSMO_ASSERT(st.msisdn_index_full == N - WAYS);

	/* one leaves: the next one fits, and every indexed one is still found */
	sw_subscr_set_msisdn(t, s[0], 0);
	sw_subscr_set_msisdn(t, s[WAYS], num[WAYS]);
	OSMO_ASSERT(sw_subscr_find_msisdn(t, num[WAYS]) == s[WAYS]);
	for (unsigned k = 1; k <= WAYS; k++)
		OSMO_ASSERT(sw_subscr_find_msisdn(t, num[k]) == s[k]);
	OSMO_ASSERT(!sw_subscr_find_msisdn(t, num[0]));
	printf("  after one left: the next one is indexed\n");
	talloc_free(t);
}

/* Capacity 10 is two buckets: every IMSI may use either, so LRU is exact. */
static void test_evict_lru(void)
{
	struct sw_subscr_table *t = sw_subscr_table_alloc(ctx, 10, false);
	struct sw_subscr *s;

	printf("%s\n", __func__);
	for (unsigned i = 0; i < 10; i++)
		sw_subscr_set_msisdn(t, sw_subscr_get(t, imsi_n(i)), msisdn_n(i));
	print_stats(t);

	/* use 0 by IMSI and 1 and 2 by MSISDN: 3 is now the least recently used */
	OSMO_ASSERT(sw_subscr_find(t, imsi_n(0)));
	OSMO_ASSERT(sw_subscr_find_msisdn(t, msisdn_n(1)));
	OSMO_ASSERT(sw_subscr_find_msisdn(t, msisdn_n(2)));

	s = sw_subscr_get(t, imsi_n(10));
	sw_subscr_set_msisdn(t, s, msisdn_n(10));
	for (unsigned i = 0; i <= 10; i++) {
		struct sw_subscr *by_imsi = sw_subscr_find(t, imsi_n(i));
		struct sw_subscr *by_msisdn = sw_subscr_find_msisdn(t, msisdn_n(i));

		printf("  %s: %s, msisdn %s\n", num_str(imsi_n(i)), by_imsi ? "present" : "evicted",
		       by_msisdn ? "resolves" : "unknown");
		OSMO_ASSERT(by_imsi == by_msisdn);
	}
	print_stats(t);
	talloc_free(t);
}

/* Stream subscribers through a small table while a hot set keeps being used; check that
 * both indexes agree and that the hot set survives. */
static void test_evict_stream(void)
{
	struct sw_subscr_table *t = sw_subscr_table_alloc(ctx, 1000, false);
	struct sw_subscr_stats st;
	unsigned hot_left = 0, hot_lost = 0, present = 0, first_evict = 0;

	printf("%s\n", __func__);
	for (unsigned i = 0; i < 1000; i++) {
		sw_subscr_set_msisdn(t, sw_subscr_get(t, imsi_n(i)), msisdn_n(i));
		sw_subscr_table_stats(t, &st);
		if (st.evictions && !first_evict)
			first_evict = i + 1;
	}
	printf("  first eviction at insert %u of 1000\n", first_evict);
	print_stats(t);

	/* subscribers 0..99 are hot: used once per 100 new ones (after a first round that
	 * brings back those the fill evicted) */
	for (unsigned i = 1000; i < 20000; i++) {
		unsigned h = i % 100;

		if (!sw_subscr_find(t, imsi_n(h))) {
			if (i >= 1100)
				hot_lost++;
			sw_subscr_set_msisdn(t, sw_subscr_get(t, imsi_n(h)), msisdn_n(h));
		}
		sw_subscr_set_msisdn(t, sw_subscr_get(t, imsi_n(i)), msisdn_n(i));
	}
	for (unsigned i = 0; i < 20000; i++) {
		struct sw_subscr *s = sw_subscr_find(t, imsi_n(i));

		OSMO_ASSERT(sw_subscr_find_msisdn(t, msisdn_n(i)) == s);
		if (s) {
			OSMO_ASSERT(s->msisdn == msisdn_n(i));
			present++;
			if (i < 100)
				hot_left++;
		}
	}
	printf("  present %u, hot set present %u of 100, lost %u times\n", present, hot_left,
	       hot_lost);
	print_stats(t);
	talloc_free(t);
}

/* A growing table: 300000 subscribers into a table that starts at 65536 and may hold 1M.
 * Nobody is evicted, every subscriber is found by IMSI and by MSISDN after the rehashes, and
 * state written before a growth survives it. */
static void test_grow(void)
{
	struct sw_subscr_table *t = sw_subscr_table_alloc(ctx, 1000000, false);
	struct sw_subscr_table *p = sw_subscr_table_alloc(ctx, 1000000, true);
	struct sw_subscr_stats st;
	unsigned found = 0;

	printf("%s\n", __func__);
	sw_subscr_table_stats(t, &st);
	printf("  growing: capacity %u of %u\n", st.capacity, st.max_capacity);
	sw_subscr_table_stats(p, &st);
	printf("  preallocated: capacity %u of %u\n", st.capacity, st.max_capacity);
	OSMO_ASSERT(sw_subscr_table_bytes(p) > 10 * sw_subscr_table_bytes(t));
	for (unsigned i = 0; i < 300000; i++) {
		struct sw_subscr *s = sw_subscr_get(t, imsi_n(i));

		sw_subscr_set_msisdn(t, s, msisdn_n(i));
		s->vlr = i + 1;
	}
	for (unsigned i = 0; i < 300000; i++) {
		struct sw_subscr *s = sw_subscr_find(t, imsi_n(i));

		OSMO_ASSERT(s && s->vlr == i + 1 && s->msisdn == msisdn_n(i));
		OSMO_ASSERT(sw_subscr_find_msisdn(t, msisdn_n(i)) == s);
		found++;
	}
	sw_subscr_table_stats(t, &st);
	printf("  found %u; count=%u capacity=%u of %u grows=%" PRIu64 " evictions=%" PRIu64 "\n",
	       found, st.count, st.capacity, st.max_capacity, st.grows, st.evictions);
	/* past the maximum the table stops growing and evicts */
	for (unsigned i = 300000; i < 1100000; i++)
		sw_subscr_get(t, imsi_n(i));
	sw_subscr_table_stats(t, &st);
	printf("  after 1.1M: capacity=%u grows=%" PRIu64 " evicting=%s\n", st.capacity, st.grows,
	       st.evictions ? "yes" : "no");
	OSMO_ASSERT(st.capacity == st.max_capacity && st.count <= st.capacity);
	talloc_free(t);
	talloc_free(p);
}

/* The dialogue table grows when open dialogues would be evicted, keeps them all across the
 * rehash, and expires the ones past their timeout instead of moving them. */
static void test_txn_grow(void)
{
	struct sw_txn_table *t = sw_txn_table_alloc(ctx, 100000, 30, false);
	struct sw_txn_stats st;
	unsigned matched = 0;

	printf("%s\n", __func__);
	sw_txn_table_stats(t, &st);
	printf("  capacity %u of %u\n", st.capacity, st.max_capacity);
	/* 1000 dialogues opened at t=0, then 40000 at t=100: the old ones are expired by then.
	 * TIDs as a stack allocates them, one after the other: sw_hash_seq() spreads such a run
	 * evenly whatever the seed (keys spaced by the golden ratio, as here before, stayed
	 * apart only under the testsuite's fixed seed; with a random one they clustered past a
	 * bucket's ways at a third of the table, which is what random TIDs get, see hash.h) */
	for (unsigned i = 0; i < 41000; i++) {
		struct sw_tid tid = { .len = 4 };
		struct sw_txn_req *r;
		uint32_t v = 0x5a000000u + i;

		memcpy(tid.b, &v, 4);
		r = sw_txn_add(t, &tid, 7, 1, i < 1000 ? 0 : 100);
		r->opcode = 45;
		r->frame = i;
	}
	for (unsigned i = 1000; i < 41000; i++) {
		struct sw_tid tid = { .len = 4 };
		const struct sw_txn_req *r;
		uint32_t v = 0x5a000000u + i;

		memcpy(tid.b, &v, 4);
		r = sw_txn_find(t, &tid, 7, 1, 101);
		OSMO_ASSERT(r && r->frame == i && r->opcode == 45);
		matched++;
	}
	sw_txn_table_stats(t, &st);
	printf("  matched %u of 40000 open; capacity %u grows %" PRIu64 " evicted %" PRIu64 " expired %s\n",
	       matched, st.capacity, st.grows, st.evicted, st.expired ? "yes" : "no");
	OSMO_ASSERT(!st.evicted && st.expired);
	talloc_free(t);
}

static void test_gt_intern(void)
{
	struct sw_gt_table *t = sw_gt_table_alloc(ctx, 4);
	char long_gt[64];
	struct sw_gt_stats st;
	sw_gt_id a, b;

	printf("%s\n", __func__);
	a = sw_gt_intern(t, "491710000001");
	b = sw_gt_intern(t, "491710000002");
	printf("  a=%u '%s', b=%u '%s'\n", a, sw_gt_str(t, a), b, sw_gt_str(t, b));
	OSMO_ASSERT(sw_gt_intern(t, "491710000001") == a);
	OSMO_ASSERT(sw_gt_intern(t, "49171000000") != a);
	printf("  '' -> %u, NULL -> %u, id 0 -> '%s', id 99 -> '%s'\n", sw_gt_intern(t, ""),
	       sw_gt_intern(t, NULL), sw_gt_str(t, 0), sw_gt_str(t, 99));

	memset(long_gt, '9', 41);
	long_gt[41] = '\0';
	printf("  41 digits -> %u\n", sw_gt_intern(t, long_gt));
	long_gt[40] = '\0';
	printf("  40 digits -> %u\n", sw_gt_intern(t, long_gt));
	printf("  full: %u, known still found: %u\n", sw_gt_intern(t, "3312345678"),
	       sw_gt_intern(t, "491710000002"));
	sw_gt_table_stats(t, &st);
	printf("  count=%u capacity=%u full=%" PRIu64 "\n", st.count, st.capacity, st.full);
	talloc_free(t);

	/* long GTs exhaust the digit store before the ids run out */
	t = sw_gt_table_alloc(ctx, 4);
	for (unsigned i = 0; i < 4; i++) {
		long_gt[0] = '1' + i;
		printf("  40 digits #%u -> %u\n", i, sw_gt_intern(t, long_gt));
	}
	sw_gt_table_stats(t, &st);
	printf("  count=%u capacity=%u full=%" PRIu64 "\n", st.count, st.capacity, st.full);
	talloc_free(t);

	/* many: ids are dense and every string comes back */
	t = sw_gt_table_alloc(ctx, 10000);
	for (unsigned i = 0; i < 10000; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "44%08u", i);
		OSMO_ASSERT(sw_gt_intern(t, buf) == i + 1);
	}
	for (unsigned i = 0; i < 10000; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "44%08u", i);
		OSMO_ASSERT(!strcmp(sw_gt_str(t, i + 1), buf));
		OSMO_ASSERT(sw_gt_intern(t, buf) == i + 1);
	}
	sw_gt_table_stats(t, &st);
	printf("  count=%u capacity=%u full=%" PRIu64 "\n", st.count, st.capacity, st.full);
	talloc_free(t);
}

/* GT keys: packed digits, or a hash no packed number can equal; no table needed */
static void test_gt_key(void)
{
	char long_gt[41];

	printf("%s\n", __func__);
	OSMO_ASSERT(sw_gt_key("491710000001") == sw_num_pack("491710000001"));
	OSMO_ASSERT(sw_gt_key("") == 0 && sw_gt_key(NULL) == 0);
	memset(long_gt, '9', 40);
	long_gt[40] = '\0';
	/* longer than E.164: hashed, top four bits 0 (no digit count), bit 59 set, stable */
	OSMO_ASSERT(sw_gt_key(long_gt) >> 60 == 0 && (sw_gt_key(long_gt) >> 59) == 1);
	OSMO_ASSERT(sw_gt_key(long_gt) == sw_gt_key(long_gt));
	long_gt[39] = '8';
	OSMO_ASSERT(sw_gt_key(long_gt) != 0);
	printf("  12 digits packed, 40 digits hashed: ok\n");
}

/* The identify table: one entry per (IMSI, origin, operation), a full bucket evicts its
 * oldest entry and counts it, the others stay. */
static void test_ident(void)
{
	struct sw_ident_table *t = sw_ident_table_alloc(ctx, 16, 600);	/* two buckets of 8 */
	struct sw_ident_stats st;
	struct sw_ident *w, *b;
	unsigned n = 0;

	printf("%s\n", __func__);
	sw_ident_table_stats(t, &st);
	printf("  capacity=%u\n", st.capacity);
	OSMO_ASSERT(!sw_ident_get(t, 0, 1, 45, 1000));
	/* nine origins ask about one subscriber: the ninth evicts the first (oldest) */
	for (unsigned i = 0; i < 9; i++) {
		w = sw_ident_get(t, imsi_n(1), 100 + i, 45, 1000 + i);
		OSMO_ASSERT(w && w->imsi == imsi_n(1) && w->origin == 100 + i && !w->time);
		w->time = 1000 + i;
	}
	OSMO_ASSERT(!sw_ident_find(t, imsi_n(1), 100, 45));
	for (unsigned i = 1; i < 9; i++)
		OSMO_ASSERT(sw_ident_find(t, imsi_n(1), 100 + i, 45)->time == 1000 + i);
	/* the same origin and operation is one entry; another operation is another */
	w = sw_ident_get(t, imsi_n(1), 105, 45, 1010);
	OSMO_ASSERT(w->time == 1005);
	OSMO_ASSERT(!sw_ident_find(t, imsi_n(1), 105, 22));
	b = sw_ident_bucket(t, imsi_n(1));
	for (unsigned i = 0; i < SW_IDENT_WAYS; i++)
		n += b[i].imsi == imsi_n(1);
	sw_ident_table_stats(t, &st);
	printf("  entries of the subscriber in its bucket=%u count=%u inserts=%" PRIu64 " evictions=%" PRIu64
	       " expired=%" PRIu64 "\n", n, st.count, st.inserts, st.evictions, st.expired);
	OSMO_ASSERT(n == 8 && st.evictions == 1 && !st.expired);
	/* the bucket remembers when a fresh entry went missing */
	OSMO_ASSERT(sw_ident_evicted_time(t, imsi_n(1)) == 1000);
	/* past the horizon the oldest is reused as expired, not counted as an eviction */
	w = sw_ident_get(t, imsi_n(1), 200, 45, 1002 + 601);
	w->time = 1603;
	OSMO_ASSERT(!sw_ident_find(t, imsi_n(1), 101, 45));
	sw_ident_table_stats(t, &st);
	printf("  after the horizon: evictions=%" PRIu64 " expired=%" PRIu64 "\n", st.evictions, st.expired);
	OSMO_ASSERT(st.evictions == 1 && st.expired == 1);
	talloc_free(t);
}

int main(void)
{
	ctx = talloc_named_const(NULL, 0, "subscr_test");
	test_num_pack();
	test_insert_find();
	test_msisdn_buckets();
	test_evict_lru();
	test_evict_stream();
	test_grow();
	test_txn_grow();
	test_gt_intern();
	test_gt_key();
	test_ident();
	OSMO_ASSERT(talloc_total_blocks(ctx) == 1);
	talloc_free(ctx);
	printf("done\n");
	return 0;
}
