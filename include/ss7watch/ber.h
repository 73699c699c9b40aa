/*! \file ber.h
 *  A bounded BER reader (X.690): short/long definite lengths, the indefinite length,
 *  multi-byte tags, the constructed bit. Never reads outside [p, end). */
#pragma once
#include <stdint.h>
#include <stdbool.h>

#define BER_MAX_DEPTH	16

enum ber_class {
	BER_UNIVERSAL = 0,
	BER_APPLICATION = 1,
	BER_CONTEXT = 2,
	BER_PRIVATE = 3,
};

/*! The identifier octet of a tag below 31, and its parts. */
#define BER_ID(cls, constructed, tag)	((uint8_t)((cls) << 6 | (constructed) << 5 | (tag)))
#define BER_ID_CLS(id)		((id) >> 6)
#define BER_ID_CONSTRUCTED(id)	(!!((id) & 0x20))
#define BER_ID_TAG(id)		((id) & 0x1f)

/*! One TLV. */
struct ber_tlv {
	uint8_t cls;		/*!< enum ber_class */
	bool constructed;
	bool indefinite;	/*!< encoded with the indefinite length (len excludes the EOC) */
	uint32_t tag;
	const uint8_t *val;
	uint32_t len;
	const uint8_t *next;	/*!< first byte after this TLV (after its EOC when indefinite) */
};

/*! The general reader behind ber_read(): multi-octet tags, long and indefinite lengths,
 *  every error. */
int ber_read_any(const uint8_t *p, const uint8_t *end, struct ber_tlv *t);

/*! Is the TLV at p of the shape of nearly every TCAP/MAP TLV: one identifier octet (p[0])
 *  and a short definite length (p[1]) whose value fits before end? */
static inline bool ber_is_short(const uint8_t *p, const uint8_t *end)
{
	return p && end - p >= 2 && (p[0] & 0x1f) != 0x1f && p[1] < 0x80 && p[1] <= end - p - 2;
}

/*! Read the TLV at p, which must end at or before end.
 *  \returns 0, or a negative enum sw_err (SW_E_BER_*). */
static inline int ber_read(const uint8_t *p, const uint8_t *end, struct ber_tlv *t)
{
	/* inline, the short shape; everything else (and every error) in ber_read_any() */
	if (ber_is_short(p, end)) {
		t->cls = p[0] >> 6;
		t->constructed = !!(p[0] & 0x20);
		t->indefinite = false;
		t->tag = p[0] & 0x1f;
		t->val = p + 2;
		t->len = p[1];
		t->next = p + 2 + p[1];
		return 0;
	}
	return ber_read_any(p, end, t);
}

/*! The identifier octet of t as if its tag fitted one: BER's multi-octet mark 0x1f in the
 *  tag bits for a tag above 30, which no tag compared against it has. */
static inline uint8_t ber_id(const struct ber_tlv *t)
{
	return BER_ID(t->cls, t->constructed, t->tag < 0x1f ? t->tag : 0x1f);
}

/*! Iterate as ber_next(), for a reader that needs no more than the identifier octet (ber_id()),
 *  the value and its length: the short form inline with no struct ber_tlv, every other form
 *  through ber_read_any(). Returns as ber_read(). */
static inline int ber_next_id(const uint8_t **p, const uint8_t *end, uint8_t *id, const uint8_t **val,
			      uint32_t *len)
{
	const uint8_t *q = *p;
	struct ber_tlv t;	/* only the general reader's: the caller's variables stay in registers */
	int rc;

	if (ber_is_short(q, end)) {
		*id = q[0];
		*val = q + 2;
		*len = q[1];
		*p = q + 2 + q[1];
		return 0;
	}
	rc = ber_read_any(q, end, &t);
	if (rc < 0)
		return rc;
	*id = ber_id(&t);
	*val = t.val;
	*len = t.len;
	*p = t.next;
	return 0;
}

/*! Read the TLV at *p only when its identifier is the one octet id (a tag below 31) and its
 *  length the short form that fits before end: the fixed shape of most TCAP elements, read
 *  with no struct ber_tlv. Then sets *val, *len, advances *p past it and returns true;
 *  otherwise changes nothing, and the caller reads the TLV the general way (ber_read()). */
static inline bool ber_expect(const uint8_t **p, const uint8_t *end, uint8_t id, const uint8_t **val,
			      uint32_t *len)
{
	const uint8_t *q = *p;

	/* ber_is_short() with the identifier compared first: a probe that does not match (as
	 * often as not) stops there; id itself is never the multi-octet mark */
	if (end - q < 2 || q[0] != id || q[1] >= 0x80 || q[1] > end - q - 2)
		return false;
	*val = q + 2;
	*len = q[1];
	*p = q + 2 + q[1];
	return true;
}

/*! Iterate: read the TLV at *p and advance *p past it. Returns as ber_read(). */
static inline int ber_next(const uint8_t **p, const uint8_t *end, struct ber_tlv *t)
{
	int rc = ber_read(*p, end, t);

	if (rc == 0)
		*p = t->next;
	return rc;
}

/*! Decode a non-negative INTEGER of up to 8 octets. \returns 0 or -1. */
int ber_uint(const struct ber_tlv *t, uint64_t *out);

/*! The general decoder behind ber_int(). */
int ber_int_any(const struct ber_tlv *t, int32_t *out);

/*! Decode a (possibly negative) INTEGER of up to 4 octets. \returns 0 or -1. */
static inline int ber_int(const struct ber_tlv *t, int32_t *out)
{
	/* inline, the one-octet INTEGER of nearly every invoke id and operation code */
	if (t->len == 1) {
		*out = (int8_t)t->val[0];
		return 0;
	}
	return ber_int_any(t, out);
}

/*! Print an OID's content octets as dotted text. \returns chars written. */
unsigned ber_oid_to_str(char *buf, unsigned buflen, const uint8_t *oid, unsigned len);
