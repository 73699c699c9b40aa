/* Who talks to whom, for the engine and every rule family: the network, role and country of
 * a GT (cached per interned GT), whether a caller is of a subscriber's home network or of the
 * network serving it, and the numbers a component carries. Only reads the tracker and the
 * network map: it calls no other detector file. */
#include <string.h>
#include <ss7watch/detect_priv.h>

void detect_gt_netinfo(struct sw_detector *d, sw_gt_id id, struct sw_netinfo *out)
{
	struct gt_class *gc;

	if (!id || id >= d->n_gt_class) {
		sw_netmap_gt(d->nm, sw_gt_str(d->gts, id), out);
		return;
	}
	/* a network sees a few thousand distinct GTs: classify each once, not per message */
	gc = &d->gt_class[id];
	if (!gc->valid) {
		sw_netmap_gt(d->nm, sw_gt_str(d->gts, id), out);
		gc->net = out->net;
		gc->role = out->role;
		gc->country = out->country;
		gc->valid = 1;
		return;
	}
	out->net = gc->net;
	out->role = gc->role;
	out->country = gc->country;
	out->net_name = sw_netmap_net_name(d->nm, gc->net);
}

void detect_classify(struct sw_detector *d, const struct sw_sccp_addr *a, struct sw_netinfo *out, sw_gt_id *id)
{
	if (a->present & SW_SCCP_AI_GT && a->n_digits) {
		*id = sw_gt_intern_len(d->gts, a->digits, a->n_digits);
		if (*id)
			detect_gt_netinfo(d, *id, out);
		else
			sw_netmap_gt(d->nm, a->digits, out);
	} else {
		/* routed on point code and SSN only: that does not cross an international
		 * interconnect, so it is our own network's traffic */
		memset(out, 0, sizeof(*out));
		out->net = SW_NET_HOME;
		out->role = SW_ROLE_NONE;
		*id = 0;
	}
}

uint64_t detect_origin_key(const struct sw_netinfo *ni, const char *digits)
{
	/* a network: its index with the top five bits clear, a range GT keys never use */
	if (ni->net > SW_NET_HOME)
		return (uint64_t)ni->net;
	return sw_gt_key(digits);
}

uint16_t detect_gt_country(struct sw_detector *d, sw_gt_id gt)
{
	struct sw_netinfo ni;

	if (!gt)
		return 0;
	detect_gt_netinfo(d, gt, &ni);
	return ni.country;
}

bool detect_same_network(struct sw_detector *d, sw_gt_id gt, const struct sw_netinfo *ni)
{
	struct sw_netinfo g;

	if (!gt)
		return false;
	detect_gt_netinfo(d, gt, &g);
	if (g.net != SW_NET_UNKNOWN)
		return g.net == ni->net;
	return ni->net == SW_NET_UNKNOWN && g.country && g.country == ni->country;
}

bool detect_from_imsi_home(const struct sw_detector *d, const struct detect_event *ev, uint8_t role)
{
	if (ev->home_imsi) {
		if (ev->calling.net != SW_NET_HOME || ev->spoofed)
			return false;
		if (!sw_netmap_home_has_role(d->nm, role))
			return true;
		return ev->calling.role == role;
	}
	if (ev->imsi_net.net != SW_NET_UNKNOWN)
		return ev->calling.net == ev->imsi_net.net;
	/* unknown operator: the country of the calling GT must be the IMSI's */
	return ev->calling.country && ev->calling.country == ev->imsi_net.country;
}

bool detect_from_serving_node(struct sw_detector *d, const struct detect_event *ev)
{
	const struct sw_subscr *s = ev->sub;
	const sw_gt_id nodes[2] = { s ? s->vlr : 0, s ? s->sgsn : 0 };

	if (ev->spoofed)
		return false;
	for (unsigned i = 0; i < 2; i++) {
		if (!nodes[i])
			continue;
		if (nodes[i] == ev->calling_gt || detect_same_network(d, nodes[i], &ev->calling))
			return true;
	}
	return false;
}

/* --- numbers of a component --- */

const char *detect_param_digits(const struct sw_component *c, enum map_field f, char *buf, size_t len)
{
	const struct map_param *mp = map_param_find(c, f);

	buf[0] = '\0';
	if (!mp)
		return buf;
	if (map_field_kind(f) == MV_ADDR) {
		if (mp->len >= 2)
			sw_tbcd_to_str(buf, len, mp->p + 1, mp->len - 1);
	} else if (map_field_kind(f) == MV_TBCD) {
		sw_tbcd_to_str(buf, len, mp->p, mp->len);
	}
	return buf;
}

sw_num_t detect_param_num(const struct sw_component *c, enum map_field f)
{
	const struct map_param *mp = map_param_find(c, f);

	if (!mp)
		return 0;
	if (map_field_kind(f) == MV_ADDR)
		return mp->len >= 2 ? sw_num_from_tbcd(mp->p + 1, mp->len - 1) : 0;
	if (map_field_kind(f) == MV_TBCD)
		return sw_num_from_tbcd(mp->p, mp->len);
	return 0;
}
