/* --summary: alerts counted by rule, threat and calling network. The tables hold a bounded
 * number of names (a flood of distinct calling networks cannot grow them without end);
 * alerts beyond that are counted as others. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/output_summary.h>

#define SUM_MAX_RULES		256
#define SUM_MAX_THREATS		64
#define SUM_MAX_NETWORKS	1024

/* How many alerts were counted under one name (rule, threat, calling network). */
struct sum_entry {
	char *name;
	char *desc;		/* rule name for the rule table, else NULL */
	uint64_t count;
};

struct sum_table {
	struct sum_entry *e;
	unsigned n, max;
	uint64_t other;		/* alerts beyond max distinct names */
};

struct sw_summary {
	struct sum_table by_rule, by_threat, by_network;
};

struct sw_summary *sw_summary_alloc(void *ctx)
{
	struct sw_summary *sum = talloc_zero(ctx, struct sw_summary);

	if (!sum)
		return NULL;
	sum->by_rule.max = SUM_MAX_RULES;
	sum->by_threat.max = SUM_MAX_THREATS;
	sum->by_network.max = SUM_MAX_NETWORKS;
	return sum;
}

static void sum_count(struct sw_summary *sum, struct sum_table *t, const char *name, const char *desc)
{
	struct sum_entry *e;

	if (!name || !name[0])
		name = "unknown";
	for (unsigned i = 0; i < t->n; i++) {
		if (!strcmp(t->e[i].name, name)) {
			t->e[i].count++;
			return;
		}
	}
	if (t->n >= t->max) {
		t->other++;
		return;
	}
	e = talloc_realloc(sum, t->e, struct sum_entry, t->n + 1);
	if (!e) {
		t->other++;
		return;
	}
	t->e = e;
	e = &t->e[t->n];
	e->name = talloc_strdup(t->e, name);
	e->desc = desc ? talloc_strdup(t->e, desc) : NULL;
	e->count = 1;
	if (!e->name) {
		t->other++;
		return;
	}
	t->n++;
}

static int sum_cmp(const void *pa, const void *pb)
{
	const struct sum_entry *a = *(const struct sum_entry *const *)pa;
	const struct sum_entry *b = *(const struct sum_entry *const *)pb;

	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return strcmp(a->name, b->name);
}

static void sum_print(FILE *f, const char *title, const struct sum_table *t)
{
	const struct sum_entry **sorted;

	fprintf(f, "%s:\n", title);
	if (!t->n && !t->other) {
		fprintf(f, "  (none)\n");
		return;
	}
	sorted = calloc(t->n ? t->n : 1, sizeof(*sorted));
	if (!sorted)
		return;
	for (unsigned i = 0; i < t->n; i++)
		sorted[i] = &t->e[i];
	qsort(sorted, t->n, sizeof(*sorted), sum_cmp);
	for (unsigned i = 0; i < t->n; i++) {
		if (sorted[i]->desc)
			fprintf(f, "  %8" PRIu64 "  %s  (%s)\n", sorted[i]->count, sorted[i]->name, sorted[i]->desc);
		else
			fprintf(f, "  %8" PRIu64 "  %s\n", sorted[i]->count, sorted[i]->name);
	}
	if (t->other)
		fprintf(f, "  %8" PRIu64 "  (others)\n", t->other);
	free(sorted);
}

void sw_summary_count(struct sw_summary *sum, const struct sw_alert *a)
{
	sum_count(sum, &sum->by_rule, a->rule, a->name);
	sum_count(sum, &sum->by_threat, a->threat, NULL);
	sum_count(sum, &sum->by_network, a->calling_network, NULL);
}

void sw_summary_print(FILE *f, const struct sw_alert_sink_stats *st, const struct sw_summary *sum)
{
	fprintf(f, "Alerts: %" PRIu64 " (severity 1: %" PRIu64 ", 2: %" PRIu64 ", 3: %" PRIu64 ")\n",
		st->emitted, st->by_severity[1], st->by_severity[2], st->by_severity[3]);
	if (st->write_errors || st->encode_errors || st->dropped)
		fprintf(f, "NOT WRITTEN: %" PRIu64 " write errors, %" PRIu64 " format errors, %" PRIu64 " dropped\n",
			st->write_errors, st->encode_errors, st->dropped);
	if (!sum)
		return;
	sum_print(f, "By rule", &sum->by_rule);
	sum_print(f, "By threat", &sum->by_threat);
	sum_print(f, "By calling network", &sum->by_network);
}
