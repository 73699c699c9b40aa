/* A bounded BER reader (ITU-T X.690) for TCAP and MAP.
 *
 * Every length is checked against the container it sits in, and the indefinite form is
 * resolved by walking the nested TLVs to their end-of-contents octets, at most BER_MAX_DEPTH
 * levels deep. Nothing here allocates or reads outside [p, end). */
#include <stdio.h>
#include <ss7watch/ber.h>
#include <ss7watch/counters.h>

#define BER_ERR(e)	(-(int)SW_E_##e)

/* Identifier octets: class, constructed bit, tag number (up to 4 octets of 7 bits). */
static int ber_read_ident(const uint8_t **pp, const uint8_t *end, struct ber_tlv *t)
{
	const uint8_t *p = *pp;
	uint32_t tag;

	if (p >= end)
		return BER_ERR(BER_TRUNCATED);
	t->cls = *p >> 6;
	t->constructed = !!(*p & 0x20);
	tag = *p++ & 0x1f;
	if (tag == 0x1f) {
		unsigned n = 0;

		tag = 0;
		do {
			if (p >= end)
				return BER_ERR(BER_TRUNCATED);
			/* 4 x 7 bits is far beyond any tag TCAP or MAP defines */
			if (++n > 4)
				return BER_ERR(BER_TAG_TOO_LONG);
			tag = (tag << 7) | (*p & 0x7f);
		} while (*p++ & 0x80);
	}
	t->tag = tag;
	*pp = p;
	return 0;
}

static int ber_read_depth(const uint8_t *p, const uint8_t *end, struct ber_tlv *t, unsigned depth);

/* The content of an indefinite-length TLV runs up to the EOC that closes it: find it by
 * reading each nested TLV (which may itself be indefinite). */
static int ber_find_eoc(const uint8_t *val, const uint8_t *end, struct ber_tlv *t, unsigned depth)
{
	const uint8_t *q = val;
	struct ber_tlv sub;
	int rc;

	if (depth >= BER_MAX_DEPTH)
		return BER_ERR(BER_TOO_DEEP);
	for (;;) {
		if (end - q < 2)
			return BER_ERR(BER_TRUNCATED);
		if (q[0] == 0 && q[1] == 0)
			break;
		rc = ber_read_depth(q, end, &sub, depth + 1);
		if (rc < 0)
			return rc;
		q = sub.next;
	}
	t->len = q - val;
	t->next = q + 2;
	return 0;
}

static int ber_read_depth(const uint8_t *p, const uint8_t *end, struct ber_tlv *t, unsigned depth)
{
	uint32_t len;
	int rc;

	rc = ber_read_ident(&p, end, t);
	if (rc < 0)
		return rc;
	if (p >= end)
		return BER_ERR(BER_TRUNCATED);
	t->indefinite = false;
	if (*p < 0x80) {
		len = *p++;
	} else if (*p == 0x80) {
		/* X.690 8.1.3.2: only constructed encodings may use the indefinite form */
		if (!t->constructed)
			return BER_ERR(BER_BAD_LENGTH);
		t->indefinite = true;
		t->val = p + 1;
		return ber_find_eoc(t->val, end, t, depth);
	} else {
		unsigned n = *p++ & 0x7f;

		/* 0xff is reserved; more than 4 octets cannot fit any frame we handle */
		if (n > 4)
			return BER_ERR(BER_BAD_LENGTH);
		if ((unsigned)(end - p) < n)
			return BER_ERR(BER_TRUNCATED);
		len = 0;
		while (n--)
			len = (len << 8) | *p++;
	}
	if (len > (uint32_t)(end - p))
		return BER_ERR(BER_BAD_LENGTH);
	t->val = p;
	t->len = len;
	t->next = p + len;
	return 0;
}

int ber_read_any(const uint8_t *p, const uint8_t *end, struct ber_tlv *t)
{
	if (!p || p > end)
		return BER_ERR(BER_TRUNCATED);
	return ber_read_depth(p, end, t, 0);
}

int ber_uint(const struct ber_tlv *t, uint64_t *out)
{
	const uint8_t *v = t->val;
	uint32_t len = t->len;
	uint64_t u = 0;

	if (len == 0 || (v[0] & 0x80))
		return -1;
	/* a leading zero octet keeps a value with the top bit set positive */
	if (len == 9 && v[0] == 0) {
		v++;
		len--;
	}
	if (len > 8)
		return -1;
	for (uint32_t i = 0; i < len; i++)
		u = (u << 8) | v[i];
	*out = u;
	return 0;
}

int ber_int_any(const struct ber_tlv *t, int32_t *out)
{
	uint32_t u;

	if (t->len == 0 || t->len > 4)
		return -1;
	/* sign-extend from the first octet */
	u = (t->val[0] & 0x80) ? 0xffffffffu : 0;
	for (uint32_t i = 0; i < t->len; i++)
		u = (u << 8) | t->val[i];
	*out = (int32_t)u;
	return 0;
}

/* Append s to buf if it fits whole; false when it does not. */
static bool oid_append(char *buf, unsigned buflen, unsigned *n, const char *s, int w)
{
	if (w < 0 || *n + (unsigned)w >= buflen)
		return false;
	for (int j = 0; j < w; j++)
		buf[(*n)++] = s[j];
	buf[*n] = '\0';
	return true;
}

unsigned ber_oid_to_str(char *buf, unsigned buflen, const uint8_t *oid, unsigned len)
{
	unsigned n = 0, i = 0;
	char tmp[32];
	int w;

	if (!buflen)
		return 0;
	buf[0] = '\0';
	while (i < len) {
		uint64_t v = 0;
		unsigned k = 0;
		bool ok = true;

		/* subidentifiers are base 128, the high bit set on all but their last octet */
		do {
			if (++k > 9)
				ok = false;	/* over 63 bits: no OID anyone uses */
			v = (v << 7) | (oid[i] & 0x7f);
		} while ((oid[i++] & 0x80) && i < len);
		if (oid[i - 1] & 0x80)
			ok = false;		/* the last subidentifier is cut short */
		if (!ok) {
			w = snprintf(tmp, sizeof(tmp), "%s?", n ? "." : "");
			oid_append(buf, buflen, &n, tmp, w);
			break;
		}
		if (n == 0) {
			/* the first subidentifier packs the first two arcs: X * 40 + Y */
			unsigned a = v < 40 ? 0 : v < 80 ? 1 : 2;

			w = snprintf(tmp, sizeof(tmp), "%u.%llu", a, (unsigned long long)(v - 40 * a));
		} else {
			w = snprintf(tmp, sizeof(tmp), ".%llu", (unsigned long long)v);
		}
		if (!oid_append(buf, buflen, &n, tmp, w))
			break;
	}
	return n;
}
