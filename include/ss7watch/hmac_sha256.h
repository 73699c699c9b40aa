/*! \file hmac_sha256.h
 *  SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), self-contained: used to pseudonymise
 *  subscriber identities in alerts with a key only the operator knows. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define SW_SHA256_DIGEST_LEN	32
#define SW_SHA256_BLOCK_LEN	64

/*! Running state of one SHA-256 computation. */
struct sw_sha256_ctx {
	uint32_t h[8];
	uint64_t total_len;		/*!< bytes hashed so far */
	uint8_t block[SW_SHA256_BLOCK_LEN];
	size_t block_len;		/*!< bytes waiting in block */
};

/*! Start a SHA-256 computation. */
void sw_sha256_init(struct sw_sha256_ctx *ctx);
/*! Hash len more bytes. */
void sw_sha256_update(struct sw_sha256_ctx *ctx, const void *data, size_t len);
/*! Finish: write the digest and wipe ctx. */
void sw_sha256_final(struct sw_sha256_ctx *ctx, uint8_t digest[SW_SHA256_DIGEST_LEN]);
/*! SHA-256 of one buffer. */
void sw_sha256(const void *data, size_t len, uint8_t digest[SW_SHA256_DIGEST_LEN]);

/*! Running state of one HMAC-SHA256 computation. A context initialised with a key can be
 *  copied by value to MAC many messages without hashing the key again. */
struct sw_hmac_sha256_ctx {
	struct sw_sha256_ctx inner;	/*!< H(K ^ ipad || ...) */
	struct sw_sha256_ctx outer;	/*!< H(K ^ opad || ...), fed the inner digest at the end */
};

/*! Start an HMAC with key (any length: keys longer than a block are hashed first). */
void sw_hmac_sha256_init(struct sw_hmac_sha256_ctx *ctx, const void *key, size_t key_len);
/*! MAC len more bytes. */
void sw_hmac_sha256_update(struct sw_hmac_sha256_ctx *ctx, const void *data, size_t len);
/*! Finish: write the MAC and wipe ctx. */
void sw_hmac_sha256_final(struct sw_hmac_sha256_ctx *ctx, uint8_t mac[SW_SHA256_DIGEST_LEN]);
/*! HMAC-SHA256 of one buffer. */
void sw_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		    uint8_t mac[SW_SHA256_DIGEST_LEN]);
