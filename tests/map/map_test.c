/* MAP decoding test: decode every message of map_test_data.c (public trace frames and
 * messages built for each operation, all cross-checked with tshark -V) and print what was
 * decoded; then cut and corrupt every message at every byte, which must give errors, not
 * crashes (run it under ASan/UBSan). */
#include <stdlib.h>
#include <ss7watch/counters.h>
#include "map_test.h"
#include "map_print.h"

static struct sw_tcap tcap;

static void test_decode_all(void)
{
	printf("=== decode\n");
	for (unsigned i = 0; i < map_test_n_msgs; i++) {
		const struct test_msg *m = &map_test_msgs[i];

		printf("-- %u: %s\n", i, m->name);
		decode_and_print(&tcap, m->data, m->len);
	}
}

/* Decode one (possibly broken) buffer the way the pipeline does; 1 when anything failed. */
static int decode_quiet(const uint8_t *data, unsigned len)
{
	int rc = tcap_decode(&tcap, data, len);
	int bad = rc < 0;

	for (unsigned k = 0; k < tcap.n_comp; k++) {
		map_decode_component(&tcap, &tcap.comp[k]);
		bad |= tcap.comp[k].err != 0;
	}
	return bad;
}

/* Every prefix of every message: the outer length then promises more than there is. A copy
 * of exactly the prefix on the heap lets ASan see any read past it. */
static void test_truncations(void)
{
	unsigned total = 0, rejected = 0;

	printf("=== truncations\n");
	for (unsigned i = 0; i < map_test_n_msgs; i++) {
		const struct test_msg *m = &map_test_msgs[i];

		for (unsigned len = 0; len < m->len; len++) {
			uint8_t *copy = malloc(len ? len : 1);

			memcpy(copy, m->data, len);
			total++;
			rejected += tcap_decode(&tcap, copy, len) < 0;
			free(copy);
		}
	}
	printf("%u of %u truncated messages rejected\n", rejected, total);
}

/* MAP parameters cut short inside a well-formed component. */
static void test_param_truncations(void)
{
	unsigned total = 0, rejected = 0;

	printf("=== parameter truncations\n");
	for (unsigned i = 0; i < map_test_n_msgs; i++) {
		const struct test_msg *m = &map_test_msgs[i];

		if (tcap_decode(&tcap, m->data, m->len) < 0)
			continue;
		for (unsigned k = 0; k < tcap.n_comp; k++) {
			struct sw_component *c = &tcap.comp[k];
			uint32_t full = c->param_len;

			if (!c->param)
				continue;
			for (uint32_t len = 1; len < full; len++) {
				uint8_t *copy = malloc(len);
				const uint8_t *orig = c->param;

				memcpy(copy, orig, len);
				c->param = copy;
				c->param_len = len;
				map_decode_component(&tcap, c);
				total++;
				rejected += c->err != 0;
				c->param = orig;
				c->param_len = full;
				free(copy);
			}
		}
	}
	printf("%u of %u truncated parameters rejected\n", rejected, total);
}

/* Each byte replaced by values that break lengths and tags: decode must stay in bounds. */
static void test_corruptions(void)
{
	static const uint8_t values[] = { 0x00, 0x1f, 0x7f, 0x80, 0x81, 0x84, 0x85, 0xff };
	unsigned total = 0, bad = 0;

	printf("=== corruptions\n");
	for (unsigned i = 0; i < map_test_n_msgs; i++) {
		const struct test_msg *m = &map_test_msgs[i];
		uint8_t *copy = malloc(m->len);

		for (unsigned pos = 0; pos < m->len; pos++) {
			for (unsigned v = 0; v < sizeof(values); v++) {
				memcpy(copy, m->data, m->len);
				copy[pos] = values[v];
				total++;
				bad += decode_quiet(copy, m->len);
			}
		}
		free(copy);
	}
	printf("%u corrupted messages decoded, %u with an error\n", total, bad);
}

int main(int argc, char **argv)
{
	test_decode_all();
	test_truncations();
	test_param_truncations();
	test_corruptions();
	return 0;
}
