/* libFuzzer harness: the configuration loader (VTY config text -> struct sw_config). Input:
 * the text of a config file. Checks: a text the loader refuses gets a reason
 * ("fuzz.cfg:LINE: ..."); one it accepts builds a network map, is written out
 * (sw_config_write()) and that text loads again and writes out the same. abort() otherwise.
 * libosmovty's state is global: the loader's vty is made and closed per input, and what the
 * library's own config commands (hostname, banner, line vty ...) change is replaced by the
 * next input that sets it, never accumulated. Every configuration is freed with its input.
 * The loader refuses lines libosmovty would run as "write" or "copy" (they write files, and
 * the fuzzer must not write "write file /bin/sh"). */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/config.h>
#include <ss7watch/config_netmap.h>
#include <ss7watch/rules.h>

#define NAME	"fuzz.cfg"

static bool rule_id_valid(const char *id)
{
	return sw_rule_by_id(id) >= 0;
}

/* cfg written out, as a talloc string of ctx. */
static char *written(void *ctx, const struct sw_config *cfg, size_t *len)
{
	char *buf = NULL, *out;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f || sw_config_write(cfg, f) < 0 || fclose(f)) {
		fprintf(stderr, "fuzz_config: cannot write an accepted configuration\n");
		abort();
	}
	out = talloc_memdup(ctx, buf, n + 1);
	free(buf);
	*len = n;
	return out;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sw_config_set_rule_validator(rule_id_valid);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *ctx = talloc_named_const(NULL, 0, "fuzz_config");
	struct sw_config *cfg, *again;
	char err[512] = "", err2[512] = "", *text, *text2;
	size_t len, len2;

	if (sw_config_load_text(ctx, NAME, (const char *)data, size, &cfg, err, sizeof(err)) < 0) {
		if (strncmp(err, NAME ":", strlen(NAME ":"))) {
			fprintf(stderr, "fuzz_config: refused without a reason: '%s'\n", err);
			abort();
		}
		talloc_free(ctx);
		return 0;
	}
	if (!sw_netmap_alloc(ctx, cfg)) {
		fprintf(stderr, "fuzz_config: no network map for an accepted configuration\n");
		abort();
	}
	text = written(ctx, cfg, &len);
	if (sw_config_load_text(ctx, NAME, text, len, &again, err2, sizeof(err2)) < 0) {
		fprintf(stderr, "fuzz_config: the written configuration does not load: %s\n%s", err2, text);
		abort();
	}
	text2 = written(ctx, again, &len2);
	if (len != len2 || memcmp(text, text2, len)) {
		fprintf(stderr, "fuzz_config: written twice, two texts:\n%s\n---\n%s", text, text2);
		abort();
	}
	talloc_free(ctx);
	return 0;
}
