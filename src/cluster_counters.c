/* The counters of a cluster role as libosmocore rate counters and stat items, for `show
 * stats` on the VTY, CTRL (rate_ctr.abs.cluster_worker.N.events:consumed) and the statsd
 * reporter, from the same config file sections as the daemon's: `line vty` / `bind ADDR PORT`,
 * `daemon` / `ctrl-port PORT`, `stats reporter statsd`. Without a VTY port or a ctrl-port in the
 * file, no listener. The roles keep plain integers (some counted on libnats' threads); the
 * main thread copies them to the rate counters when it services the sockets, at most every
 * POLL_MS. */
#include <inttypes.h>
#include <stdio.h>
#include <talloc.h>
#include <osmocom/core/rate_ctr.h>
#include <osmocom/core/select.h>
#include <osmocom/core/stat_item.h>
#include <osmocom/core/stats.h>
#include <osmocom/vty/telnet_interface.h>
#include <osmocom/vty/vty.h>
#include <ss7watch/cluster_priv.h>
#include <ss7watch/daemon.h>

#define POLL_MS		50

static struct {
	const struct cl_counter *ctrs;
	unsigned n_ctrs;
	const struct cl_gauge *gauges;
	unsigned n_gauges;
	struct rate_ctr_group *ctrg;
	struct osmo_stat_item_group *statg;
	uint64_t *synced;
	int64_t polled;
	bool own_loop;		/* the role's own listeners: served here (not a live sensor's daemon) */
} osmo;

static int32_t clamp32(uint64_t v)
{
	return v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

static uint64_t counter_value(const struct cl_counter *c)
{
	return c->get ? c->get() : __atomic_load_n(c->value, __ATOMIC_RELAXED);
}

static void sync_counters(void)
{
	if (!osmo.ctrg)
		return;
	for (unsigned i = 0; i < osmo.n_ctrs; i++)
		sw_rate_ctr_catch_up(osmo.ctrg, i, counter_value(&osmo.ctrs[i]), &osmo.synced[i]);
	for (unsigned i = 0; osmo.statg && i < osmo.n_gauges; i++)
		osmo_stat_item_set(osmo_stat_item_group_get_item(osmo.statg, i), clamp32(osmo.gauges[i].get()));
}

int cl_osmo_counters(void *ctx, const char *group, const char *description, unsigned index,
		     const struct cl_counter *ctrs, unsigned n_ctrs, const struct cl_gauge *gauges, unsigned n_gauges)
{
	struct rate_ctr_group_desc *gd = talloc_zero(ctx, struct rate_ctr_group_desc);
	struct osmo_stat_item_group_desc *sd;
	struct rate_ctr_desc *cd = talloc_zero_array(ctx, struct rate_ctr_desc, n_ctrs);
	struct osmo_stat_item_desc *id = talloc_zero_array(ctx, struct osmo_stat_item_desc, n_gauges);

	osmo.synced = talloc_zero_array(ctx, uint64_t, n_ctrs);
	if (!gd || !cd || !id || !osmo.synced) {
		fprintf(stderr, "ss7watch: %s: out of memory allocating the counters\n", cl_role);
		return -1;
	}
	for (unsigned i = 0; i < n_ctrs; i++)
		cd[i] = (struct rate_ctr_desc){ ctrs[i].name, ctrs[i].description };
	*gd = (struct rate_ctr_group_desc){
		.group_name_prefix = group,
		.group_description = description,
		.class_id = OSMO_STATS_CLASS_GLOBAL,
		.num_ctr = n_ctrs,
		.ctr_desc = cd,
	};
	for (unsigned i = 0; i < n_gauges; i++)
		id[i] = (struct osmo_stat_item_desc){ gauges[i].name, gauges[i].description, gauges[i].unit, 16, 0 };
	{
		/* its fields are const: built on the stack, then copied */
		const struct osmo_stat_item_group_desc d = {
			.group_name_prefix = group,
			.group_description = description,
			.class_id = OSMO_STATS_CLASS_GLOBAL,
			.num_items = n_gauges,
			.item_desc = id,
		};

		sd = talloc_memdup(ctx, &d, sizeof(d));
		if (!sd)
			return -1;
	}
	osmo.ctrs = ctrs;
	osmo.n_ctrs = n_ctrs;
	osmo.gauges = gauges;
	osmo.n_gauges = n_gauges;
	osmo.ctrg = rate_ctr_group_alloc(ctx, gd, index);
	osmo.statg = osmo_stat_item_group_alloc(ctx, sd, index);
	if (!osmo.ctrg || !osmo.statg) {
		fprintf(stderr, "ss7watch: %s: cannot allocate the counter group %s.%u\n", cl_role, group, index);
		return -1;
	}
	return 0;
}

int cl_osmo_start(void *ctx, const char *group, const char *description, unsigned index,
		  const struct cl_counter *ctrs, unsigned n_ctrs, const struct cl_gauge *gauges, unsigned n_gauges,
		  unsigned port_offset)
{
	int vty_port = vty_get_bind_port(-1);

	if (cl_osmo_counters(ctx, group, description, index, ctrs, n_ctrs, gauges, n_gauges) < 0)
		return -1;
	osmo.own_loop = true;
	/* the workers and the collector share one config file: worker N listens N ports above
	 * the configured ones, the collector on them */
	if (vty_port >= 0 && telnet_init_dynif(ctx, NULL, vty_get_bind_addr(), vty_port + port_offset) < 0) {
		fprintf(stderr, "ss7watch: %s: cannot open the telnet VTY on %s port %u\n", cl_role,
			vty_get_bind_addr(), vty_port + port_offset);
		return -1;
	}
	if (sw_daemon_cfg()->ctrl_port_given && !sw_ctrl_listen(ctx, sw_daemon_cfg()->ctrl_port + port_offset)) {
		fprintf(stderr, "ss7watch: %s: cannot open the CTRL interface on port %u\n", cl_role,
			sw_daemon_cfg()->ctrl_port + port_offset);
		return -1;
	}
	if (vty_port >= 0 || sw_daemon_cfg()->ctrl_port_given)
		fprintf(stderr, "ss7watch: %s: VTY on port %d, CTRL on port %d (counters %s.%u)\n", cl_role,
			vty_port >= 0 ? vty_port + (int)port_offset : -1,
			sw_daemon_cfg()->ctrl_port_given ? sw_daemon_cfg()->ctrl_port + (int)port_offset : -1, group, index);
	return 0;
}

void cl_osmo_poll(void)
{
	int64_t now;

	/* the sensor calls this per event: no clock read when there is nothing to serve */
	if (!osmo.ctrg)
		return;
	now = cl_now_ms();
	if (now - osmo.polled < POLL_MS)
		return;
	osmo.polled = now;
	sync_counters();
	/* what is ready (VTY and CTRL connections, the stats reporter's timer), without waiting;
	 * a live sensor is called from the daemon's loop, which serves them itself */
	if (osmo.own_loop)
		osmo_select_main_ctx(1);
}

void cl_osmo_stop(void)
{
	if (!osmo.ctrg)
		return;
	sync_counters();
	/* a run shorter than the stats interval is reported too */
	osmo_stats_report();
}
