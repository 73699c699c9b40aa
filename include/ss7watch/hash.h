/*! \file hash.h
 *  The hashing of every table keyed by values from the wire (subscribers, dialogues, GTs,
 *  answer pairing, SCTP associations, retransmissions and fragments, XUDT segments, the
 *  correlation windows), seeded: a 64-bit mixer over one word (sw_hash64(), and sw_hash_seq()
 *  for keys handed out in sequence) and over bytes (sw_hash_bytes()). Each table takes its
 *  seed from sw_hash_seed() when it is allocated and passes it with every key.
 *
 *  The seed is drawn at random once per run (getrandom()), so a sender cannot work out
 *  offline which keys share a bucket. The mixers are fast, not cryptographic: what bounds the
 *  cost of keys that do collide is that every table has buckets or probe runs of bounded
 *  length and evicts (and counts) when one is full. SS7WATCH_HASH_SEED in the environment
 *  fixes the seed, to repeat a run exactly (the scan estimate counts hash bits and shows in
 *  alerts); --summary and the daemon's log say which seed a run used. Inline: several run
 *  per message. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*! The environment variable that fixes the seed (decimal, or hex with 0x). */
#define SW_HASH_SEED_ENV	"SS7WATCH_HASH_SEED"

/*! Draw this run's seed, or take it from SW_HASH_SEED_ENV. Call once at start, before any
 *  table is allocated, to report a bad value; sw_hash_seed() draws it on first use otherwise.
 *  \returns 0, or -1 with the reason in err when the variable is not a number. */
int sw_hash_seed_init(char *err, size_t errlen);

/*! The seed for a new table: this run's. */
uint64_t sw_hash_seed(void);

/*! Take \a seed as this run's seed, shared with other processes that must hash alike (the
 *  cluster's workers: the scan estimate counts hash bits, so replicas with different seeds
 *  would raise different alerts). SW_HASH_SEED_ENV still wins. Call before any table is
 *  allocated. \returns 1 when taken, 0 when the environment fixed the seed */
int sw_hash_seed_share(uint64_t seed);

/*! Whether this run's seed came from SW_HASH_SEED_ENV rather than at random. */
bool sw_hash_seed_fixed(void);

/* MurmurHash3's 64-bit finalizer: a bijection in which every input bit flips every output
 * bit with probability close to 1/2, so any bit range of the result can pick a slot. */
static inline uint64_t sw_hash_fmix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

/*! Hash of one 64-bit key under seed; any bits of it can pick a slot. */
static inline uint64_t sw_hash64(uint64_t seed, uint64_t x)
{
	return sw_hash_fmix(x ^ seed);
}

/*! Hash of a key that peers hand out in sequence (TCAP transaction ids), for a table whose
 *  slot is picked by the top bits: Fibonacci multiply-shift (the golden ratio) of the key
 *  XORed with the seed. Consecutive keys land evenly spread, where sw_hash64() would load the
 *  slots at random (8-way dialogue buckets then overflow from about a third full); the XOR
 *  keeps a block of consecutive keys a block, so the spread survives any seed, while which
 *  keys share a slot depends on it. Only the top bits are good. */
static inline uint64_t sw_hash_seq(uint64_t seed, uint64_t x)
{
	return (x ^ seed) * 0x9e3779b97f4a7c15ull;
}

static inline uint64_t sw_hash_rotl(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

/* One word into a lane: multiplied before it is added and the lane multiplied after, so
 * that no bit of a word changes only one bit of the lane, which a bit of the next word could
 * then cancel. */
static inline uint64_t sw_hash_round(uint64_t lane, uint64_t w)
{
	return sw_hash_rotl(lane + w * 0xc2b2ae3d27d4eb4full, 31) * 0x9e3779b97f4a7c15ull;
}

/* The last len (< 8) bytes at p as one word; total bytes are hashed in all. */
static inline uint64_t sw_hash_tail(const uint8_t *p, size_t len, size_t total)
{
	uint64_t t = 0;

	if (!len)
		return 0;
	if (total >= 8) {
		/* the whole word that ends with them, shifted: no byte loop */
		memcpy(&t, p + len - 8, 8);
		return t >> (64 - 8 * len);
	}
	for (size_t i = 0; i < len; i++)
		t |= (uint64_t)p[i] << (8 * i);
	return t;
}

/*! Hash of len bytes under seed. Keys (GT digits, addresses) go word by word into one lane;
 *  a payload of 32 bytes or more into four independent lanes, so that it is not one serial
 *  chain of multiplies. Words are read unaligned (memcpy). */
static inline uint64_t sw_hash_bytes(uint64_t seed, const void *data, size_t len)
{
	const uint64_t k1 = 0x9e3779b97f4a7c15ull;
	const uint8_t *p = data;
	const size_t total = len;
	uint64_t h = seed ^ (len * k1), w[4];

	if (len >= 32) {
		uint64_t l[4] = { h, h + k1, h ^ ~k1, h - k1 };

		/* the four lanes written out: as a loop, its counter cost as much as the rounds */
		for (; len >= 32; p += 32, len -= 32) {
			memcpy(w, p, 32);
			l[0] = sw_hash_round(l[0], w[0]);
			l[1] = sw_hash_round(l[1], w[1]);
			l[2] = sw_hash_round(l[2], w[2]);
			l[3] = sw_hash_round(l[3], w[3]);
		}
		h = sw_hash_rotl(l[0], 1) + sw_hash_rotl(l[1], 7) + sw_hash_rotl(l[2], 12) +
		    sw_hash_rotl(l[3], 18);
	}
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(w, p, 8);
		h = sw_hash_round(h, w[0]);
	}
	h = sw_hash_round(h, sw_hash_tail(p, len, total));
	return sw_hash_fmix(h);
}

/*! A keyed hash of message payloads (the SCTP retransmission check): sw_hash_bytes()'s job
 *  on every DATA chunk, at a third of its instructions where the CPU has AES-NI (one AES
 *  round per 16 bytes in four lanes, keys drawn from the seed). Elsewhere sw_hash_bytes().
 *  The two give different values: a table uses one for its whole life. */
struct sw_payload_hash {
	uint64_t k[4];
	bool aes;
};

/*! Keys from seed; allow_aes false takes sw_hash_bytes() even on an AES-NI CPU (tests). */
void sw_payload_hash_init(struct sw_payload_hash *h, uint64_t seed, bool allow_aes);

/*! Hash of len bytes at p. */
uint64_t sw_payload_hash(const struct sw_payload_hash *h, const void *p, size_t len);
