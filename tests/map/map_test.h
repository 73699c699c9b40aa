/* The messages of map_test (generated into map_test_data.c by map_test_gen.py). */
#pragma once
#include <stdint.h>

struct test_msg {
	const char *name;
	const uint8_t *data;
	unsigned len;
};

extern const struct test_msg map_test_msgs[];
extern const unsigned map_test_n_msgs;
