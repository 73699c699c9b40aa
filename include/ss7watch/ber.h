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

/*! Read the TLV at p, which must end at or before end.
 *  \returns 0, or a negative enum sw_err (SW_E_BER_*). */
int ber_read(const uint8_t *p, const uint8_t *end, struct ber_tlv *t);

/*! Iterate: read the TLV at *p and advance *p past it. Returns as ber_read(). */
int ber_next(const uint8_t **p, const uint8_t *end, struct ber_tlv *t);

/*! Decode a non-negative INTEGER of up to 8 octets. \returns 0 or -1. */
int ber_uint(const struct ber_tlv *t, uint64_t *out);

/*! Decode a (possibly negative) INTEGER of up to 4 octets. \returns 0 or -1. */
int ber_int(const struct ber_tlv *t, int32_t *out);

/*! Print an OID's content octets as dotted text. \returns chars written. */
unsigned ber_oid_to_str(char *buf, unsigned buflen, const uint8_t *oid, unsigned len);
