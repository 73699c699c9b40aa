/* --stats: the decoder counters as "name value" lines, stable names for scripts. The stats
 * event (output_traffic.c) takes the same names from the same walk. */
#include <inttypes.h>
#include <string.h>
#include <ss7watch/output_stats.h>
#include <ss7watch/map.h>

void sw_stats_foreach(const struct sw_stats *st, sw_stats_cb cb, void *priv)
{
	char key[96];

	for (unsigned i = 0; i < SW_CTR__COUNT; i++)
		cb(priv, sw_ctr_name(i), st->ctr[i], -1);

	/* per opcode and per error: only what occurred, there are hundreds */
	for (unsigned op = 0; op < 256; op++) {
		const char *name = map_op_name(op);

		if (st->map_invoke_by_opcode[op]) {
			snprintf(key, sizeof(key), "map.invoke.%s", name ? name : "unknown");
			cb(priv, key, st->map_invoke_by_opcode[op], op);
		}
		if (st->map_result_by_opcode[op]) {
			snprintf(key, sizeof(key), "map.result.%s", name ? name : "unknown");
			cb(priv, key, st->map_result_by_opcode[op], op);
		}
	}
	for (unsigned e = 1; e < SW_E__COUNT; e++) {
		if (!st->err[e])
			continue;
		snprintf(key, sizeof(key), SW_STATS_ERROR_PREFIX "%s.%s", sw_err_layer(e), sw_err_reason(e));
		cb(priv, key, st->err[e], -1);
	}
}

static void print_one(void *priv, const char *name, uint64_t v, int opcode)
{
	FILE *f = priv;

	if (opcode >= 0)
		fprintf(f, "%-40s %" PRIu64 "\t(opcode %d)\n", name, v, opcode);
	else
		fprintf(f, "%-40s %" PRIu64 "\n", name, v);
}

void sw_stats_print(FILE *f, const struct sw_stats *st)
{
	sw_stats_foreach(st, print_one, f);
}

void sw_stats_add(struct sw_stats *sum, const struct sw_stats *st)
{
	for (unsigned i = 0; i < SW_CTR__COUNT; i++)
		sum->ctr[i] += st->ctr[i];
	for (unsigned i = 0; i < SW_E__COUNT; i++)
		sum->err[i] += st->err[i];
	for (unsigned i = 0; i < 256; i++) {
		sum->map_invoke_by_opcode[i] += st->map_invoke_by_opcode[i];
		sum->map_result_by_opcode[i] += st->map_result_by_opcode[i];
	}
}
