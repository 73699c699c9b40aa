/* SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104).
 * Written out here rather than taken from a crypto library: alerts only need a keyed hash
 * of short digit strings, and this keeps the detector free of an OpenSSL dependency. */
#include <string.h>
#include <ss7watch/hmac_sha256.h>

static const uint32_t k256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* FIPS 180-4 6.2.2: one 512-bit block */
static void sha256_compress(uint32_t h[8], const uint8_t *blk)
{
	uint32_t w[64];
	uint32_t a, b, c, d, e, f, g, hh;

	for (unsigned t = 0; t < 16; t++)
		w[t] = load_be32(blk + 4 * t);
	for (unsigned t = 16; t < 64; t++) {
		uint32_t s0 = ror32(w[t - 15], 7) ^ ror32(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = ror32(w[t - 2], 17) ^ ror32(w[t - 2], 19) ^ (w[t - 2] >> 10);

		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}

	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (unsigned t = 0; t < 64; t++) {
		uint32_t S1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = hh + S1 + ch + k256[t] + w[t];
		uint32_t S0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
		uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = S0 + maj;

		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void sw_sha256_init(struct sw_sha256_ctx *ctx)
{
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(ctx->h, h0, sizeof(h0));
	ctx->total_len = 0;
	ctx->block_len = 0;
}

void sw_sha256_update(struct sw_sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;

	ctx->total_len += len;
	if (ctx->block_len) {
		size_t take = SW_SHA256_BLOCK_LEN - ctx->block_len;

		if (take > len)
			take = len;
		memcpy(ctx->block + ctx->block_len, p, take);
		ctx->block_len += take;
		p += take;
		len -= take;
		if (ctx->block_len < SW_SHA256_BLOCK_LEN)
			return;
		sha256_compress(ctx->h, ctx->block);
		ctx->block_len = 0;
	}
	while (len >= SW_SHA256_BLOCK_LEN) {
		sha256_compress(ctx->h, p);
		p += SW_SHA256_BLOCK_LEN;
		len -= SW_SHA256_BLOCK_LEN;
	}
	if (len) {
		memcpy(ctx->block, p, len);
		ctx->block_len = len;
	}
}

void sw_sha256_final(struct sw_sha256_ctx *ctx, uint8_t digest[SW_SHA256_DIGEST_LEN])
{
	uint64_t bits = ctx->total_len * 8;

	/* FIPS 180-4 5.1.1: 0x80, zeros to 56 mod 64, then the length in bits, big endian */
	ctx->block[ctx->block_len++] = 0x80;
	if (ctx->block_len > SW_SHA256_BLOCK_LEN - 8) {
		memset(ctx->block + ctx->block_len, 0, SW_SHA256_BLOCK_LEN - ctx->block_len);
		sha256_compress(ctx->h, ctx->block);
		ctx->block_len = 0;
	}
	memset(ctx->block + ctx->block_len, 0, SW_SHA256_BLOCK_LEN - 8 - ctx->block_len);
	store_be32(ctx->block + 56, bits >> 32);
	store_be32(ctx->block + 60, (uint32_t)bits);
	sha256_compress(ctx->h, ctx->block);

	for (unsigned i = 0; i < 8; i++)
		store_be32(digest + 4 * i, ctx->h[i]);
	memset(ctx, 0, sizeof(*ctx));
}

void sw_sha256(const void *data, size_t len, uint8_t digest[SW_SHA256_DIGEST_LEN])
{
	struct sw_sha256_ctx ctx;

	sw_sha256_init(&ctx);
	sw_sha256_update(&ctx, data, len);
	sw_sha256_final(&ctx, digest);
}

void sw_hmac_sha256_init(struct sw_hmac_sha256_ctx *ctx, const void *key, size_t key_len)
{
	uint8_t k[SW_SHA256_BLOCK_LEN] = { 0 };
	uint8_t pad[SW_SHA256_BLOCK_LEN];

	/* RFC 2104 2: a key longer than the block is replaced by its hash */
	if (key_len > SW_SHA256_BLOCK_LEN)
		sw_sha256(key, key_len, k);
	else if (key_len)
		memcpy(k, key, key_len);

	for (unsigned i = 0; i < SW_SHA256_BLOCK_LEN; i++)
		pad[i] = k[i] ^ 0x36;
	sw_sha256_init(&ctx->inner);
	sw_sha256_update(&ctx->inner, pad, sizeof(pad));

	for (unsigned i = 0; i < SW_SHA256_BLOCK_LEN; i++)
		pad[i] = k[i] ^ 0x5c;
	sw_sha256_init(&ctx->outer);
	sw_sha256_update(&ctx->outer, pad, sizeof(pad));

	/* the key must not linger on the stack */
	memset(k, 0, sizeof(k));
	memset(pad, 0, sizeof(pad));
	__asm__ __volatile__("" : : "r"(k), "r"(pad) : "memory");
}

void sw_hmac_sha256_update(struct sw_hmac_sha256_ctx *ctx, const void *data, size_t len)
{
	sw_sha256_update(&ctx->inner, data, len);
}

void sw_hmac_sha256_final(struct sw_hmac_sha256_ctx *ctx, uint8_t mac[SW_SHA256_DIGEST_LEN])
{
	uint8_t inner[SW_SHA256_DIGEST_LEN];

	sw_sha256_final(&ctx->inner, inner);
	sw_sha256_update(&ctx->outer, inner, sizeof(inner));
	sw_sha256_final(&ctx->outer, mac);
	memset(inner, 0, sizeof(inner));
}

void sw_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		    uint8_t mac[SW_SHA256_DIGEST_LEN])
{
	struct sw_hmac_sha256_ctx ctx;

	sw_hmac_sha256_init(&ctx, key, key_len);
	sw_hmac_sha256_update(&ctx, data, len);
	sw_hmac_sha256_final(&ctx, mac);
}
