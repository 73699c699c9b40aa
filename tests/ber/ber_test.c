/* BER reader test: definite short and long lengths, the indefinite length, multi-byte tags,
 * and every way a length or tag can lie, printed with what ber_read() made of it. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <ss7watch/ber.h>
#include <ss7watch/counters.h>

struct ber_case {
	const char *name;
	const uint8_t *data;
	unsigned len;
};

#define CASE(name, ...) { name, (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }) }

static const struct ber_case cases[] = {
	CASE("OCTET STRING, short length", 0x04, 0x03, 0xaa, 0xbb, 0xcc),
	CASE("empty OCTET STRING", 0x04, 0x00),
	CASE("long form 0x81", 0x04, 0x81, 0x02, 0x01, 0x02),
	CASE("long form 0x82", 0x04, 0x82, 0x00, 0x02, 0x01, 0x02),
	CASE("long form 0x84", 0x04, 0x84, 0x00, 0x00, 0x00, 0x01, 0x01),
	CASE("long form 0x85: more than 4 length octets", 0x04, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01),
	CASE("reserved length octet 0xff", 0x04, 0xff, 0x01),
	CASE("length beyond the container", 0x04, 0x05, 0x01, 0x02),
	CASE("long-form length beyond the container", 0x30, 0x82, 0x01, 0x00, 0x01),
	CASE("long-form length octets cut short", 0x04, 0x82, 0x01),
	CASE("no length octet", 0x04),
	CASE("nothing at all"),
	CASE("multi-byte tag [APPLICATION 200]", 0x5f, 0x81, 0x48, 0x01, 0x07),
	CASE("multi-byte tag [30] in the one-octet form", 0xbe, 0x02, 0x05, 0x00),
	CASE("multi-byte tag cut short", 0x9f, 0x81),
	CASE("tag of 5 octets", 0x9f, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00),
	CASE("indefinite SEQUENCE", 0x30, 0x80, 0x02, 0x01, 0x05, 0x04, 0x01, 0xff, 0x00, 0x00, 0x04, 0x00),
	CASE("nested indefinite", 0x30, 0x80, 0xa1, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00),
	CASE("indefinite with a definite child holding zeros", 0x30, 0x80, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00),
	CASE("indefinite without its EOC", 0x30, 0x80, 0x02, 0x01, 0x05),
	CASE("indefinite with a half EOC", 0x30, 0x80, 0x02, 0x01, 0x05, 0x00),
	CASE("indefinite length on a primitive", 0x04, 0x80, 0x01, 0x00, 0x00),
	CASE("indefinite with a bad child", 0x30, 0x80, 0x04, 0x09, 0x00, 0x00, 0x00),
};

static void print_tlv(const struct ber_case *c)
{
	struct ber_tlv t;
	int rc = ber_read(c->data, c->data + c->len, &t);

	printf("%s: ", c->name);
	if (rc < 0) {
		printf("error %s\n", sw_err_reason(-rc));
		return;
	}
	printf("class %u %s tag %u len %u%s, next at +%ld\n", t.cls, t.constructed ? "constructed" : "primitive",
	       t.tag, t.len, t.indefinite ? " (indefinite)" : "", (long)(t.next - c->data));
}

/* n nested indefinite SEQUENCEs around an INTEGER */
static void test_depth(unsigned n)
{
	unsigned len = 4 * n + 3;
	uint8_t *buf = malloc(len);
	struct ber_tlv t;
	unsigned k = 0;
	int rc;

	for (unsigned i = 0; i < n; i++) {
		buf[k++] = 0x30;
		buf[k++] = 0x80;
	}
	buf[k++] = 0x02;
	buf[k++] = 0x01;
	buf[k++] = 0x07;
	for (unsigned i = 0; i < n; i++) {
		buf[k++] = 0x00;
		buf[k++] = 0x00;
	}
	rc = ber_read(buf, buf + len, &t);
	printf("%u nested indefinite SEQUENCEs: %s\n", n, rc < 0 ? sw_err_reason(-rc) : "ok");
	free(buf);
}

static void test_ints(void)
{
	static const struct {
		uint8_t len;
		uint8_t v[9];
	} ints[] = {
		{ 1, { 0x00 } }, { 1, { 0x7f } }, { 1, { 0x80 } }, { 1, { 0xff } }, { 2, { 0x00, 0x80 } },
		{ 2, { 0xff, 0x7f } }, { 4, { 0x7f, 0xff, 0xff, 0xff } }, { 5, { 0x00, 0xff, 0xff, 0xff, 0xff } },
		{ 8, { 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
		{ 9, { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
		{ 9, { 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 } }, { 0, { 0 } },
	};

	for (unsigned i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		struct ber_tlv t = { .val = ints[i].v, .len = ints[i].len };
		uint64_t u;
		int32_t s;

		printf("INTEGER");
		for (unsigned k = 0; k < ints[i].len; k++)
			printf(" %02x", ints[i].v[k]);
		if (ber_uint(&t, &u) == 0)
			printf(": uint %llu", (unsigned long long)u);
		else
			printf(": uint -");
		if (ber_int(&t, &s) == 0)
			printf(", int %d\n", s);
		else
			printf(", int -\n");
	}
}

static void test_oids(void)
{
	static const struct {
		uint8_t len;
		uint8_t v[12];
	} oids[] = {
		{ 7, { 0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x03 } },	/* shortMsgGatewayContext-v3 */
		{ 7, { 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01 } },	/* dialogue-as-id */
		{ 11, { 0x2a, 0x86, 0x3a, 0x00, 0x89, 0x61, 0x33, 0x01, 0x01, 0x01, 0x00 } },
		{ 3, { 0x88, 0x37, 0x03 } },				/* 2.999.3 */
		{ 2, { 0x04, 0x86 } },					/* last arc cut short */
		{ 11, { 0x04, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f } },
		{ 0, { 0 } },
	};
	char buf[64], small[8];

	for (unsigned i = 0; i < sizeof(oids) / sizeof(oids[0]); i++) {
		unsigned n = ber_oid_to_str(buf, sizeof(buf), oids[i].v, oids[i].len);

		printf("OID %u octets: '%s' (%u)\n", oids[i].len, buf, n);
	}
	ber_oid_to_str(small, sizeof(small), oids[0].v, oids[0].len);
	printf("OID into 8 bytes: '%s'\n", small);
}

/* ber_next() walks a SEQUENCE's children */
static void test_walk(void)
{
	static const uint8_t seq[] = { 0x30, 0x0b, 0x80, 0x01, 0x01, 0xa1, 0x80, 0x05, 0x00, 0x00, 0x00, 0x04, 0x00 };
	struct ber_tlv t, x;
	const uint8_t *p;

	if (ber_read(seq, seq + sizeof(seq), &t) < 0)
		return;
	for (p = t.val; p < t.val + t.len;) {
		if (ber_next(&p, t.val + t.len, &x) < 0) {
			printf("walk: error\n");
			return;
		}
		printf("walk: class %u tag %u len %u\n", x.cls, x.tag, x.len);
	}
}

int main(int argc, char **argv)
{
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		print_tlv(&cases[i]);
	test_depth(BER_MAX_DEPTH - 1);
	test_depth(BER_MAX_DEPTH);
	test_depth(BER_MAX_DEPTH + 1);
	test_depth(1000);
	test_ints();
	test_oids();
	test_walk();
	return 0;
}
