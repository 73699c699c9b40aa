/* --stats: the decoder counters as "name value" lines, stable names for scripts. */
#include <inttypes.h>
#include <ss7watch/output_stats.h>
#include <ss7watch/map.h>

void sw_stats_print(FILE *f, const struct sw_stats *st)
{
	for (unsigned i = 0; i < SW_CTR__COUNT; i++)
		fprintf(f, "%-40s %" PRIu64 "\n", sw_ctr_name(i), st->ctr[i]);

	/* per opcode and per error: only what occurred, there are hundreds */
	for (unsigned op = 0; op < 256; op++) {
		const char *name = map_op_name(op);
		char key[96];

		if (st->map_invoke_by_opcode[op]) {
			snprintf(key, sizeof(key), "map.invoke.%s", name ? name : "unknown");
			fprintf(f, "%-40s %" PRIu64 "\t(opcode %u)\n", key, st->map_invoke_by_opcode[op], op);
		}
		if (st->map_result_by_opcode[op]) {
			snprintf(key, sizeof(key), "map.result.%s", name ? name : "unknown");
			fprintf(f, "%-40s %" PRIu64 "\t(opcode %u)\n", key, st->map_result_by_opcode[op], op);
		}
	}
	for (unsigned e = 1; e < SW_E__COUNT; e++) {
		char key[96];

		if (!st->err[e])
			continue;
		snprintf(key, sizeof(key), "decode_error.%s.%s", sw_err_layer(e), sw_err_reason(e));
		fprintf(f, "%-40s %" PRIu64 "\n", key, st->err[e]);
	}
}
