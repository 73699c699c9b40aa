/* This run's hash seed (see hash.h): random unless SS7WATCH_HASH_SEED fixes it. */
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <ss7watch/hash.h>

static uint64_t run_seed;
static bool seed_drawn, seed_from_env;

static uint64_t random_seed(void)
{
	uint64_t s;
	struct timespec ts;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) == sizeof(s))
		return s;
	/* no entropy yet (early boot): still different per run and per process */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return sw_hash_fmix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 48));
}

int sw_hash_seed_init(char *err, size_t errlen)
{
	const char *env = getenv(SW_HASH_SEED_ENV);
	char *end;

	if (seed_drawn)
		return 0;
	if (env && *env) {
		errno = 0;
		run_seed = strtoull(env, &end, 0);
		if (errno || *end || *env == '-') {
			snprintf(err, errlen, "%s: '%s' is not a number (decimal, or hex with 0x)",
				 SW_HASH_SEED_ENV, env);
			return -1;
		}
		seed_from_env = true;
	} else {
		run_seed = random_seed();
	}
	seed_drawn = true;
	return 0;
}

uint64_t sw_hash_seed(void)
{
	char err[128];

	/* a bad variable here (a program that did not call sw_hash_seed_init()): random */
	if (!seed_drawn && sw_hash_seed_init(err, sizeof(err)) < 0) {
		run_seed = random_seed();
		seed_drawn = true;
	}
	return run_seed;
}

int sw_hash_seed_share(uint64_t seed)
{
	sw_hash_seed();
	if (seed_from_env)
		return 0;
	run_seed = seed;
	return 1;
}

bool sw_hash_seed_fixed(void)
{
	sw_hash_seed();
	return seed_from_env;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AES_HASH 1

/* Four lanes of one AES round per 16-byte block (independent, so they overlap in the
 * pipeline), the length in the first state so that the overlapping last block is
 * unambiguous, then the lanes folded by five more rounds. */
__attribute__((target("aes,sse2")))
static uint64_t payload_aes(const uint64_t *k, const uint8_t *p, size_t len)
{
	const __m128i k0 = _mm_set_epi64x((long long)k[1], (long long)k[0]);
	const __m128i k1 = _mm_set_epi64x((long long)k[3], (long long)k[2]);
	__m128i l0 = _mm_xor_si128(k0, _mm_set_epi64x(0, (long long)len));
	__m128i l1 = _mm_xor_si128(k1, _mm_set_epi64x((long long)len, 0));
	__m128i l2 = _mm_aesenc_si128(k0, k1), l3 = _mm_aesenc_si128(k1, k0), x, y;
	size_t n = len;

#define AES_BLOCK(lane, key, at) \
	lane = _mm_aesenc_si128(_mm_xor_si128(lane, _mm_loadu_si128((const __m128i *)(at))), key)
	for (; n >= 64; p += 64, n -= 64) {
		AES_BLOCK(l0, k0, p);
		AES_BLOCK(l1, k0, p + 16);
		AES_BLOCK(l2, k0, p + 32);
		AES_BLOCK(l3, k0, p + 48);
	}
	if (n >= 16) {
		AES_BLOCK(l0, k0, p);
		p += 16, n -= 16;
	}
	if (n >= 16) {
		AES_BLOCK(l1, k0, p);
		p += 16, n -= 16;
	}
	if (n >= 16) {
		AES_BLOCK(l2, k0, p);
		p += 16, n -= 16;
	}
	if (n && len >= 16) {
		/* the 16 bytes that end the payload, some hashed already */
		AES_BLOCK(l3, k1, p + n - 16);
	} else if (n) {
		uint8_t last[16] = { 0 };

		memcpy(last, p, n);
		AES_BLOCK(l3, k1, last);
	}
#undef AES_BLOCK
	x = _mm_aesenc_si128(l0, l1);
	y = _mm_aesenc_si128(l2, l3);
	x = _mm_aesenc_si128(x, y);
	x = _mm_aesenc_si128(x, k1);
	x = _mm_aesenc_si128(x, k0);
	return (uint64_t)_mm_cvtsi128_si64(x) ^ (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(x, x));
}
#endif

void sw_payload_hash_init(struct sw_payload_hash *h, uint64_t seed, bool allow_aes)
{
	for (unsigned i = 0; i < 4; i++)
		h->k[i] = sw_hash_fmix(seed + (i + 1) * 0x9e3779b97f4a7c15ull);
	h->aes = false;
#ifdef HAVE_AES_HASH
	h->aes = allow_aes && __builtin_cpu_supports("aes");
#else
	(void)allow_aes;
#endif
}

uint64_t sw_payload_hash(const struct sw_payload_hash *h, const void *p, size_t len)
{
#ifdef HAVE_AES_HASH
	if (h->aes)
		return payload_aes(h->k, p, len);
#endif
	return sw_hash_bytes(h->k[0], p, len);
}

