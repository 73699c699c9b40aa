/* Traffic accounting (output_traffic.h): a fixed table of cells with an open-addressing
 * index, both reset when an interval's line is written; the line is built only then. */
#include <string.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <ss7watch/output_traffic.h>
#include <ss7watch/config.h>
#include <ss7watch/config_geo.h>
#include <ss7watch/config_netmap.h>
#include <ss7watch/detect_threshold.h>
#include <ss7watch/hash.h>
#include <ss7watch/map.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/output_json.h>
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

/* the line is written by hand (output_json.h): on a sparse capture (a message a second) a
 * line per interval of ~300 counters cost as much as the detector when built as a tree */
#define LINE_MAX_LEN	(1u << 24)

static void put_str_or_null(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s && s[0])
		jw_strval(w, s, strlen(s));
	else
		jw_raw(w, "null", 4);
}

static void put_counts(struct jw *w, const char *key, const struct counts *n)
{
	jw_key(w, key);
	jw_open(w, '{');
	jw_kv_uint(w, "seen", n->seen);
	jw_kv_uint(w, "alerted", n->alerted);
	jw_kv_uint(w, "allowed", n->seen - n->alerted);
	jw_close(w, '}');
}

static void put_traffic(struct jw *w, const struct sw_traffic *t, struct counts *total)
{
	*total = t->other;
	jw_key(w, "traffic");
	jw_open(w, '[');
	for (uint32_t i = 0; i < t->n_cells; i++) {
		const struct cell *c = &t->cells[i];
		const char *op = c->opcode >= 0 ? map_op_name(c->opcode) : NULL;

		jw_sep(w);
		jw_open(w, '{');
		put_str_or_null(w, "network", c->network);
		put_str_or_null(w, "country", c->country ? geo_country_iso(c->country) : NULL);
		jw_kv_str(w, "direction", direction_names[c->direction]);
		jw_kv_str(w, "category", category_names[c->category]);
		jw_kv_str(w, "operation", op ? op : "unknown");
		jw_kv_uint(w, "seen", c->n.seen);
		jw_kv_uint(w, "alerted", c->n.alerted);
		jw_kv_uint(w, "allowed", c->n.seen - c->n.alerted);
		jw_close(w, '}');
		total->seen += c->n.seen;
		total->alerted += c->n.alerted;
	}
	jw_close(w, ']');
}

static void put_counter(void *priv, const char *name, uint64_t v, int opcode)
{
	jw_kv_uint(priv, name, v);
}

static void put_error(void *priv, const char *name, uint64_t v, int opcode)
{
	size_t plen = strlen(SW_STATS_ERROR_PREFIX);

	if (!strncmp(name, SW_STATS_ERROR_PREFIX, plen))
		jw_kv_uint(priv, name + plen, v);
}

static void put_alerts(struct jw *w, const struct sw_traffic *t)
{
	const struct sw_alert_sink_stats *ss = t->src.sink ? sw_alert_sink_stats(t->src.sink) : NULL;
	struct sw_alert_queue_stats qs = { 0 };
	static const char *const sev_keys[] = { NULL, "1", "2", "3" };

	if (t->src.sink)
		sw_alert_sink_queue_stats(t->src.sink, &qs);
	jw_key(w, "alerts");
	jw_open(w, '{');
	jw_kv_uint(w, "written", ss ? ss->emitted : 0);
	jw_kv_uint(w, "suppressed", t->src.filters ? sw_threshold_filtered(t->src.filters) : 0);
	jw_key(w, "dropped");
	jw_open(w, '{');
	for (unsigned sev = 1; sev <= 3; sev++)
		jw_kv_uint(w, sev_keys[sev], qs.dropped_by_severity[sev]);
	jw_close(w, '}');
	jw_kv_uint(w, "incidents", t->src.incidents ? sw_incidents_stats(t->src.incidents)->opened : 0);
	jw_close(w, '}');
}

/* The stats line in t->line. \returns its length (no newline), 0 when it cannot be had. */
static size_t format_stats(struct sw_traffic *t, const struct timeval *start, const struct timeval *end,
			   bool final)
{
	struct sw_stats st = { 0 };

	if (t->src.decoder_stats)
		t->src.decoder_stats(t->src.decoder_priv, &st);
	for (;;) {
		struct jw w = { .p = t->line, .end = t->line + t->line_cap - 1 };
		struct counts total;
		size_t len;
		char *bigger;

		jw_open(&w, '{');
		jw_kv_ts(&w, "timestamp", end);
		jw_kv_str(&w, "event_type", "stats");
		if (t->input && t->input[0])
			jw_kv_str(&w, t->live ? "in_iface" : "pcap_filename", t->input);
		jw_key(&w, "stats");
		jw_open(&w, '{');
		jw_key(&w, "interval");
		jw_open(&w, '{');
		jw_kv_ts(&w, "start", start);
		jw_kv_ts(&w, "end", end);
		jw_kv_int(&w, "seconds", end->tv_sec - start->tv_sec);
		jw_kv_bool(&w, "final", final);
		jw_close(&w, '}');
		jw_key(&w, "uptime");
		jw_open(&w, '{');
		if (t->started) {
			jw_kv_ts(&w, "first", &t->first);
		} else {
			jw_key(&w, "first");
			jw_raw(&w, "null", 4);
		}
		jw_kv_uint(&w, "frames_total", st.ctr[SW_CTR_FRAMES]);
		jw_close(&w, '}');
		jw_key(&w, "decoder");
		jw_open(&w, '{');
		sw_stats_foreach(&st, put_counter, &w);
		jw_close(&w, '}');
		jw_key(&w, "errors");
		jw_open(&w, '{');
		sw_stats_foreach(&st, put_error, &w);
		jw_close(&w, '}');
		put_alerts(&w, t);
		put_traffic(&w, t, &total);
		put_counts(&w, "traffic_other", &t->other);
		put_counts(&w, "traffic_total", &total);
		jw_close(&w, '}');
		jw_close(&w, '}');
		len = jw_finish(&w, t->line);
		if (len)
			return len;
		if (t->line_cap >= LINE_MAX_LEN || !(bigger = talloc_realloc_size(t, t->line, t->line_cap * 2)))
			return 0;
		t->line = bigger;
		t->line_cap *= 2;
	}
}

static void write_stats(struct sw_traffic *t, const struct timeval *start, const struct timeval *end, bool final)
{
	size_t n = format_stats(t, start, end, final);

	/* severity 3: a full queue sheds these before any alert */
	if (!n || !t->write_line) {
		t->write_errors++;
	} else {
		t->line[n++] = '\n';
		if (t->write_line(t->line_priv, t->line, n, 3) < 0)
			t->write_errors++;
		else
			t->lines++;
	}
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
