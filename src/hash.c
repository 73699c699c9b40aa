/* This run's hash seed (see hash.h): random unless SS7WATCH_HASH_SEED fixes it. */
#include <errno.h>
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

bool sw_hash_seed_fixed(void)
{
	sw_hash_seed();
	return seed_from_env;
}
