/* Traffic accounting (output_traffic.h): a fixed table of cells with an open-addressing
 * index, both reset when an interval's line is written; the line is built only then. */
#include <string.h>
#include <jansson.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <ss7watch/output_traffic.h>
#include <ss7watch/config.h>
#include <ss7watch/config_geo.h>
#include <ss7watch/config_netmap.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/hash.h>
#include <ss7watch/map.h>
#include <ss7watch/output_queue.h>
#include <ss7watch/output_sink.h>
#include <ss7watch/output_stats.h>

/* index slots a lookup walks at most: a cell they do not place is counted as other */
#define PROBES		16
#define NET_NAME_LEN	40

static const char *const direction_names[SW_DIR__COUNT] = {
	[SW_DIR_INBOUND] = "inbound",
	[SW_DIR_OUTBOUND] = "outbound",
	[SW_DIR_TRANSIT] = "transit",
};

static const char *const category_names[] = {
	[MAP_CAT_NONE] = "none",
	[MAP_CAT_1] = "cat1",
	[MAP_CAT_2] = "cat2",
	[MAP_CAT_3] = "cat3",
};

struct counts {
	uint64_t seen, alerted;
};

struct cell {
	uint64_t key;
	uint32_t slot;		/* its index slot, cleared at the reset */
	char network[NET_NAME_LEN];	/* copied: a reloaded config frees the old names */
	uint16_t country;
	uint8_t direction, category;
	int16_t opcode;
	struct counts n;
};

struct sw_traffic {
	struct sw_traffic_cfg cfg;
	struct sw_traffic_sources src;
	sw_event_line_fn write_line;
	void *line_priv;
	uint64_t seed;
	struct cell *cells;
	uint32_t n_cells;
	uint32_t *index;	/* cell number + 1, 0 free */
	uint32_t index_mask;
	struct counts other;
	const char *input;
	bool live;
	bool started;		/* a capture time was seen */
	struct timeval first, start, latest;
	int64_t end_s;		/* end of the interval (seconds); with interval_s only */
	char *line;
	size_t line_cap;
	uint64_t lines, write_errors;
};

struct sw_traffic_cfg sw_traffic_cfg_from(const struct sw_config *cfg)
{
	return (struct sw_traffic_cfg){
		.interval_s = cfg->alerts.stats_interval_s,
		.max_cells = cfg->alerts.stats_cells ? cfg->alerts.stats_cells : SW_CONFIG_STATS_CELLS,
	};
}

struct sw_traffic *sw_traffic_alloc(void *ctx, const struct sw_traffic_cfg *cfg, const struct sw_traffic_sources *src,
				    sw_event_line_fn write_line, void *line_priv)
{
	struct sw_traffic *t = talloc_zero(ctx, struct sw_traffic);
	uint32_t slots = 1;

	if (!t)
		return NULL;
	t->cfg = *cfg;
	if (!t->cfg.max_cells)
		t->cfg.max_cells = 1;
	t->src = *src;
	t->write_line = write_line;
	t->line_priv = line_priv;
	t->seed = sw_hash_seed();
	/* at most half full */
	while (slots < 2 * t->cfg.max_cells)
		slots <<= 1;
	t->index_mask = slots - 1;
	t->cells = talloc_zero_array(t, struct cell, t->cfg.max_cells);
	t->index = talloc_zero_array(t, uint32_t, slots);
	t->line_cap = 16384;
	t->line = talloc_size(t, t->line_cap);
	if (!t->cells || !t->index || !t->line) {
		talloc_free(t);
		return NULL;
	}
	return t;
}

void sw_traffic_set_input(struct sw_traffic *t, const char *name, bool live)
{
	t->input = name;
	t->live = live;
}

uint64_t sw_traffic_lines(const struct sw_traffic *t, uint64_t *write_errors)
{
	if (write_errors)
		*write_errors = t->write_errors;
	return t->lines;
}

/* --- counting --- */

/* One cell per (network, or country without one; direction; category; operation). */
static uint64_t cell_key(const struct sw_component_origin *o)
{
	uint64_t origin = o->net != SW_NET_UNKNOWN ? (uint64_t)(o->net + 1) << 16 : o->country;

	return origin << 24 | (uint64_t)o->direction << 20 | (uint64_t)o->category << 16 |
	       (uint16_t)(o->opcode + 1);
}

static struct cell *cell_get(struct sw_traffic *t, const struct sw_component_origin *o)
{
	uint64_t key = cell_key(o);
	uint32_t slot = (uint32_t)sw_hash64(t->seed, key) & t->index_mask;
	struct cell *c;

	for (unsigned p = 0; p < PROBES; p++, slot = (slot + 1) & t->index_mask) {
		uint32_t i = t->index[slot];

		if (!i)
			break;
		if (t->cells[i - 1].key == key)
			return &t->cells[i - 1];
	}
	if (t->index[slot] || t->n_cells >= t->cfg.max_cells)
		return NULL;
	c = &t->cells[t->n_cells++];
	memset(c, 0, sizeof(*c));
	c->key = key;
	c->slot = slot;
	if (o->network)
		OSMO_STRLCPY_ARRAY(c->network, o->network);
	c->country = o->country;
	c->direction = o->direction < SW_DIR__COUNT ? o->direction : SW_DIR_INBOUND;
	c->category = o->category < ARRAY_SIZE(category_names) ? o->category : MAP_CAT_NONE;
	c->opcode = o->opcode;
	t->index[slot] = t->n_cells;
	return c;
}

void sw_traffic_count(void *priv, const struct sw_component_origin *o, uint32_t alerts)
{
	struct sw_traffic *t = priv;
	struct cell *c = cell_get(t, o);
	struct counts *n = c ? &c->n : &t->other;

	n->seen++;
	n->alerted += alerts > 0;
}

static void cells_reset(struct sw_traffic *t)
{
	for (uint32_t i = 0; i < t->n_cells; i++)
		t->index[t->cells[i].slot] = 0;
	t->n_cells = 0;
	memset(&t->other, 0, sizeof(t->other));
}

/* --- the line --- */

static json_t *counts_json(const struct counts *n)
{
	return json_pack("{s:I,s:I,s:I}", "seen", (json_int_t)n->seen, "alerted", (json_int_t)n->alerted, "allowed",
			 (json_int_t)(n->seen - n->alerted));
}

static json_t *str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *traffic_json(const struct sw_traffic *t, struct counts *total)
{
	json_t *a = json_array();

	*total = t->other;
	for (uint32_t i = 0; i < t->n_cells; i++) {
		const struct cell *c = &t->cells[i];
		const char *op = c->opcode >= 0 ? map_op_name(c->opcode) : NULL;
		json_t *o = json_object();

		json_object_set_new(o, "network", str_or_null(c->network));
		json_object_set_new(o, "country", str_or_null(c->country ? geo_country_iso(c->country) : NULL));
		json_object_set_new(o, "direction", json_string(direction_names[c->direction]));
		json_object_set_new(o, "category", json_string(category_names[c->category]));
		json_object_set_new(o, "operation", json_string(op ? op : "unknown"));
		json_object_set_new(o, "seen", json_integer(c->n.seen));
		json_object_set_new(o, "alerted", json_integer(c->n.alerted));
		json_object_set_new(o, "allowed", json_integer(c->n.seen - c->n.alerted));
		json_array_append_new(a, o);
		total->seen += c->n.seen;
		total->alerted += c->n.alerted;
	}
	return a;
}

struct counters_json {
	json_t *decoder, *errors;
};

static void counter_json(void *priv, const char *name, uint64_t v, int opcode)
{
	struct counters_json *cj = priv;
	size_t plen = strlen(SW_STATS_ERROR_PREFIX);

	json_object_set_new(cj->decoder, name, json_integer(v));
	if (!strncmp(name, SW_STATS_ERROR_PREFIX, plen))
		json_object_set_new(cj->errors, name + plen, json_integer(v));
}

static json_t *alerts_json(const struct sw_traffic *t)
{
	const struct sw_alert_sink_stats *ss = t->src.sink ? sw_alert_sink_stats(t->src.sink) : NULL;
	struct sw_alert_queue_stats qs = { 0 };
	json_t *dropped = json_object(), *o;

	if (t->src.sink)
		sw_alert_sink_queue_stats(t->src.sink, &qs);
	for (unsigned sev = 1; sev <= 3; sev++) {
		char k[2] = { (char)('0' + sev), 0 };

		json_object_set_new(dropped, k, json_integer(qs.dropped_by_severity[sev]));
	}
	o = json_object();
	json_object_set_new(o, "written", json_integer(ss ? ss->emitted : 0));
	json_object_set_new(o, "suppressed", json_integer(t->src.filters ? sw_threshold_filtered(t->src.filters) : 0));
	json_object_set_new(o, "dropped", dropped);
	json_object_set_new(o, "incidents",
			    json_integer(t->src.incidents ? sw_incidents_stats(t->src.incidents)->opened : 0));
	return o;
}

static json_t *stats_json(const struct sw_traffic *t, const struct timeval *start, const struct timeval *end,
			  bool final)
{
	struct sw_stats st = { 0 };
	struct counters_json cj = { json_object(), json_object() };
	struct counts total;
	json_t *o = json_object(), *s = json_object(), *iv = json_object(), *up = json_object();

	json_object_set_new(o, "timestamp", sw_event_ts_json(end));
	json_object_set_new(o, "event_type", json_string("stats"));
	if (t->input && t->input[0])
		json_object_set_new(o, t->live ? "in_iface" : "pcap_filename", json_string(t->input));

	json_object_set_new(iv, "start", sw_event_ts_json(start));
	json_object_set_new(iv, "end", sw_event_ts_json(end));
	json_object_set_new(iv, "seconds", json_integer(end->tv_sec - start->tv_sec));
	json_object_set_new(iv, "final", json_boolean(final));
	json_object_set_new(s, "interval", iv);

	if (t->src.decoder_stats)
		t->src.decoder_stats(t->src.decoder_priv, &st);
	json_object_set_new(up, "first", t->started ? sw_event_ts_json(&t->first) : json_null());
	json_object_set_new(up, "frames_total", json_integer(st.ctr[SW_CTR_FRAMES]));
	json_object_set_new(s, "uptime", up);
	sw_stats_foreach(&st, counter_json, &cj);
	json_object_set_new(s, "decoder", cj.decoder);
	json_object_set_new(s, "errors", cj.errors);
	json_object_set_new(s, "alerts", alerts_json(t));
	json_object_set_new(s, "traffic", traffic_json(t, &total));
	json_object_set_new(s, "traffic_other", counts_json(&t->other));
	json_object_set_new(s, "traffic_total", counts_json(&total));
	json_object_set_new(o, "stats", s);
	return o;
}

static void write_stats(struct sw_traffic *t, const struct timeval *start, const struct timeval *end, bool final)
{
	json_t *o = stats_json(t, start, end, final);
	size_t n = o ? sw_event_line_put(t, &t->line, &t->line_cap, o) : 0;

	/* severity 3: a full queue sheds these before any alert */
	if (!n || !t->write_line || t->write_line(t->line_priv, t->line, n, 3) < 0)
		t->write_errors++;
	else
		t->lines++;
	json_decref(o);
	cells_reset(t);
}

void sw_traffic_advance(struct sw_traffic *t, const struct timeval *now)
{
	int64_t iv = t->cfg.interval_s, base;

	if (!t->started) {
		t->started = true;
		t->first = t->start = t->latest = *now;
		/* intervals end on multiples of the interval: 11:05:00, 11:10:00, ... */
		if (iv)
			t->end_s = ((int64_t)now->tv_sec / iv + 1) * iv;
		return;
	}
	if (timercmp(now, &t->latest, >))
		t->latest = *now;
	if (!iv || now->tv_sec < t->end_s)
		return;
	{
		struct timeval end = { .tv_sec = t->end_s };

		write_stats(t, &t->start, &end, false);
	}
	/* a gap without messages writes no lines: the next interval starts where now falls */
	base = (int64_t)now->tv_sec / iv * iv;
	t->start.tv_sec = base > t->end_s ? base : t->end_s;
	t->start.tv_usec = 0;
	t->end_s = base + iv;
}

void sw_traffic_final(struct sw_traffic *t)
{
	if (!t->started) {
		struct timeval now;

		/* nothing was captured: the line says when the run ended */
		gettimeofday(&now, NULL);
		write_stats(t, &now, &now, true);
		return;
	}
	write_stats(t, &t->start, &t->latest, true);
}
