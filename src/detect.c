/* The detection engine: per message, classify who talks to whom, attribute results to the
 * requests they answer, run the rules against what is known so far, then learn the roaming
 * state the message establishes. The data path is:
 *   on_msg -> sw_detector_on_msg() -> per component: rules, then learn -> emit hook (alert.h)
 *
 * The detector's files call downwards only, never back up:
 *   detect.c (engine) -> detect_rules.c (which rules run for a component)
 *                        -> detect_rules_{anomaly,cat,subscr,locate,sms}.c (the rule families)
 *                           -> detect_suppress.c (allowances) -> detect_alert.c (alert building)
 *   detect.c, detect_rules.c -> detect_corr.c (windows, correlation) -> detect_alert.c
 *   every file above -> detect_classify.c (who talks to whom, numbers of a component)
 *   detect_classify.c -> the tracker (track_*), the network map and the config only. */
#include <string.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <ss7watch/detect.h>
#include <ss7watch/hash.h>
#include <ss7watch/track_mem.h>
#include <ss7watch/detect_priv.h>
#include <ss7watch/alert.h>
#include <ss7watch/config.h>
#include <ss7watch/config_netmap.h>
#include <ss7watch/map.h>
#include <ss7watch/map_errors.h>
#include <ss7watch/track_dialogue.h>
#include <ss7watch/track_subscr.h>

#define DEFAULT_MAX_SUBSCRIBERS		(1u << 20)
#define DEFAULT_MAX_DIALOGUES		(1u << 18)
#define DEFAULT_DIALOGUE_TIMEOUT_S	60
/* 5 MiB: half an hour of identify steps at 70 a second */
#define DEFAULT_MAX_IDENTIFY		(1u << 17)
#define MAX_GTS				(1u << 20)
#define SRI_SM_WATCHES			(1u << 16)
#define SRI_SM_WATCHES_INITIAL		(1u << 10)
#define ORIGIN_SLOTS			(1u << 14)
#define TARGET_SLOTS			(1u << 16)

struct sw_detector *sw_detector_alloc(void *ctx, const struct sw_config *cfg, sw_alert_emit_fn emit,
				      void *emit_priv, char *err, size_t errlen)
{
	struct sw_detector *d = talloc_zero(ctx, struct sw_detector);
	uint32_t max_subs, max_dlg, dlg_timeout, max_ident;

	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d->cfg = cfg;
	d->emit = emit;
	d->emit_priv = emit_priv;
	d->nm = sw_netmap_alloc(d, cfg);
	if (!d->nm) {
		snprintf(err, errlen, "cannot build the network map from the configuration");
		goto fail;
	}
	d->home_country = sw_netmap_home_country(d->nm);
	max_subs = cfg->tracker.max_subscribers ? cfg->tracker.max_subscribers : DEFAULT_MAX_SUBSCRIBERS;
	max_dlg = cfg->tracker.max_transactions ? cfg->tracker.max_transactions : DEFAULT_MAX_DIALOGUES;
	dlg_timeout = cfg->tracker.transaction_timeout_s ? cfg->tracker.transaction_timeout_s
							 : DEFAULT_DIALOGUE_TIMEOUT_S;
	max_ident = cfg->tracker.max_identify ? cfg->tracker.max_identify : DEFAULT_MAX_IDENTIFY;
	d->subs = sw_subscr_table_alloc(d, max_subs, cfg->tracker.preallocate);
	d->gts = sw_gt_table_alloc(d, MAX_GTS);
	d->txns = sw_txn_table_alloc(d, max_dlg, dlg_timeout, cfg->tracker.preallocate);
	/* the watch FIFO starts small and doubles up to SRI_SM_WATCHES (detect_watch_sri_sm()):
	 * it holds what is pending, a few seconds of SRI-for-SM, and a ring that large would
	 * fault in page after fresh page as it goes round */
	d->watches = talloc_array(d, struct sri_sm_watch, SRI_SM_WATCHES_INITIAL);
	/* mapped, not talloc_zero()ed: a memset would fault in every page at start */
	d->origins = sw_mem_array(d, ORIGIN_SLOTS, sizeof(struct origin_window), SW_MEM_DENSE);
	d->targets = sw_mem_array(d, TARGET_SLOTS, sizeof(struct target_window), SW_MEM_DENSE);
	d->gt_class = sw_mem_array(d, MAX_GTS + 1, sizeof(struct gt_class), SW_MEM_SPARSE);
	d->n_gt_class = MAX_GTS + 1;
	if (!d->gt_class || !d->subs || !d->gts || !d->txns || !d->watches || !d->origins || !d->targets) {
		snprintf(err, errlen, "out of memory allocating the tracker tables (%u subscribers, %u dialogues)",
			 max_subs, max_dlg);
		goto fail;
	}
	d->n_watches = SRI_SM_WATCHES_INITIAL;
	d->max_watches = SRI_SM_WATCHES;
	d->n_origins = ORIGIN_SLOTS;
	d->n_targets = TARGET_SLOTS;
	d->hash_seed = sw_hash_seed();
	detect_rules_configure(d);
	/* the identify steps are read for as long as the longest window that reads them */
	d->idents = sw_ident_table_alloc(d, max_ident, OSMO_MAX(d->rules[SW_RULE_CIRCLES_CHAIN].window_s,
							      OSMO_MAX(d->rules[SW_RULE_MTFSM_WITHOUT_SRI_SM].window_s,
								       d->rules[SW_RULE_SRI_SM_NO_DELIVERY].window_s)));
	if (!d->idents) {
		snprintf(err, errlen, "out of memory allocating the identify table (%u entries)", max_ident);
		goto fail;
	}
	return d;
fail:
	talloc_free(d);
	return NULL;
}

/* Zero the slots of table (n of size bytes) that log names, or all of it when it overflowed. */
static void dirty_clear(struct dirty_log *log, void *table, uint32_t n, size_t size)
{
	if (log->n > DIRTY_SLOTS)
		memset(table, 0, (size_t)n * size);
	else
		for (uint32_t i = 0; i < log->n; i++)
			memset((char *)table + (size_t)log->slot[i] * size, 0, size);
	log->n = 0;
}

void sw_detector_reset(struct sw_detector *d)
{
	struct sw_gt_stats gs;

	/* the classifications of the GTs interned so far, before their ids are forgotten */
	sw_gt_table_stats(d->gts, &gs);
	memset(d->gt_class, 0, ((size_t)gs.count + 1) * sizeof(*d->gt_class));
	sw_gt_table_reset(d->gts);
	sw_subscr_table_reset(d->subs);
	sw_txn_table_reset(d->txns);
	sw_ident_table_reset(d->idents);
	/* the watches are read only from head to tail */
	d->watch_head = d->watch_tail = 0;
	dirty_clear(&d->origins_dirty, d->origins, d->n_origins, sizeof(*d->origins));
	dirty_clear(&d->targets_dirty, d->targets, d->n_targets, sizeof(*d->targets));
	d->now = 0;
	memset(&d->st, 0, sizeof(d->st));
}

void sw_detector_set_input(struct sw_detector *d, const char *name, bool live)
{
	d->input_name = name;
	d->live = live;
}

void sw_detector_set_component_hook(struct sw_detector *d, sw_component_fn fn, void *priv)
{
	d->on_component = fn;
	d->on_component_priv = priv;
}

const struct sw_detector_stats *sw_detector_stats(const struct sw_detector *d)
{
	return &d->st;
}

struct sw_subscr_table *sw_detector_subscribers(struct sw_detector *d)
{
	return d->subs;
}

struct sw_gt_table *sw_detector_gts(struct sw_detector *d)
{
	return d->gts;
}

struct sw_txn_table *sw_detector_txns(struct sw_detector *d)
{
	return d->txns;
}

struct sw_ident_table *sw_detector_idents(struct sw_detector *d)
{
	return d->idents;
}

/* --- subscriber identity of a component --- */

static sw_num_t number_of(const struct sw_number *n)
{
	return n->tbcd ? sw_num_from_tbcd(n->tbcd, n->len) : 0;
}

/* The IMSI a component is about: from its parameters, else from the MAP-OpenInfo
 * destinationReference (registerSS, USSD and others carry the IMSI only there). The
 * references are AddressStrings whose numbering plan says what they hold: land mobile
 * (E.212) an IMSI, ISDN (E.164) an MSISDN. */
static void identify_subscriber(struct detect_event *ev)
{
	const struct sw_component *c = ev->c;
	const struct sw_tcap *t = &ev->msg->tcap;
	const struct sw_number *dref = &t->dest_ref, *oref = &t->orig_ref;

	if (ev->comp_idx == 0) {
		ev->imsi = ev->first_imsi;
		ev->msisdn = ev->first_msisdn_read ? ev->first_msisdn : detect_param_num(c, MF_MSISDN);
	} else {
		ev->imsi = detect_param_num(c, MF_IMSI);
		ev->msisdn = detect_param_num(c, MF_MSISDN);
	}
	if (c->type != SW_COMP_INVOKE)
		return;
	if (!ev->imsi && dref->tbcd &&
	    (!dref->has_ton_npi || (dref->ton_npi & MAP_NPI_MASK) == MAP_NPI_LAND_MOBILE))
		ev->imsi = number_of(dref);
	/* a USSD dialogue names the subscriber's MSISDN as its originationReference */
	if (!ev->msisdn && oref->tbcd && oref->has_ton_npi && (oref->ton_npi & MAP_NPI_MASK) == MAP_NPI_ISDN &&
	    (c->opcode == MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST || c->opcode == MAP_OP_UNSTRUCTURED_SS_REQUEST ||
	     c->opcode == MAP_OP_UNSTRUCTURED_SS_NOTIFY))
		ev->msisdn = number_of(oref);
}

/* --- the state the rules compare against --- */

static void subscriber_of(struct sw_detector *d, struct detect_event *ev, bool create)
{
	ev->sub = NULL;
	if (ev->imsi)
		ev->sub = create ? sw_subscr_get(d->subs, ev->imsi) : sw_subscr_find(d->subs, ev->imsi);
	if (!ev->sub && ev->msisdn)
		ev->sub = sw_subscr_find_msisdn(d->subs, ev->msisdn);
	if (ev->sub && !ev->imsi)
		ev->imsi = ev->sub->imsi;
	if (ev->sub && ev->msisdn && ev->sub->msisdn != ev->msisdn)
		sw_subscr_set_msisdn(d->subs, ev->sub, ev->msisdn);
	if (ev->sub && !ev->msisdn)
		ev->msisdn = ev->sub->msisdn;
	if (ev->sub && (ev->sub->flags & SW_SUBSCR_HOME)) {
		/* classified when first seen: a home IMSI stays one */
		ev->imsi_net.net = SW_NET_HOME;
		ev->imsi_net.role = SW_ROLE_NONE;
		ev->imsi_net.net_name = sw_netmap_net_name(d->nm, SW_NET_HOME);
		ev->imsi_net.country = d->home_country;
		ev->home_imsi = true;
	} else if (ev->imsi) {
		/* MCC and MNC straight from the packed IMSI: this runs for every message about a
		 * visitor */
		int mcc, mnc2, mnc3;

		sw_num_plmn(ev->imsi, &mcc, &mnc2, &mnc3);
		sw_netmap_plmn(d->nm, mcc, mnc2, mnc3, &ev->imsi_net);
		ev->home_imsi = ev->imsi_net.net == SW_NET_HOME;
		if (ev->sub && ev->home_imsi)
			ev->sub->flags |= SW_SUBSCR_HOME;
	}
}

/* --- presence: where the phone itself was last seen --- */

/* A proof that the phone was at node at time: kept when it is the latest. */
static void presence(struct sw_subscr *s, sw_gt_id node, uint32_t time, uint32_t frame, int opcode)
{
	if (!s || !node || (s->pres_time && (int32_t)(time - s->pres_time) < 0))
		return;
	s->pres_gt = node;
	s->pres_time = time;
	s->pres_frame = frame;
	s->pres_op = opcode;
}

/* Procedures the phone starts, through its serving VLR, that prove where it is (TS 29.002:
 * authentication on access, readyForSM when it attaches or frees memory, its USSD and
 * supplementary service requests, a CAMEL mobility event). */
static const bool presence_op[256] = {
	[MAP_OP_SEND_AUTHENTICATION_INFO] = true,
	[MAP_OP_READY_FOR_SM] = true,
	[MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST] = true,
	[MAP_OP_REGISTER_SS] = true,
	[MAP_OP_ERASE_SS] = true,
	[MAP_OP_ACTIVATE_SS] = true,
	[MAP_OP_DEACTIVATE_SS] = true,
	[MAP_OP_INTERROGATE_SS] = true,
	[MAP_OP_NOTE_MM_EVENT] = true,
};

/* SM-EnumeratedDeliveryFailureCause (TS 29.002 17.7.6) values the handset itself reports */
#define SM_CAUSE_MEMORY_CAPACITY_EXCEEDED	0
#define SM_CAUSE_EQUIPMENT_PROTOCOL_ERROR	1
#define SM_CAUSE_EQUIPMENT_NOT_SM_EQUIPPED	2

/* Does an sm-DeliveryFailure error say the handset answered? Its parameter is the
 * ENUMERATED cause (MAP v1) or SM-DeliveryFailureCause, a SEQUENCE that starts with it. */
static bool sm_failure_from_handset(const struct sw_component *c)
{
	const uint8_t *p = c->param;
	uint32_t len = c->param_len;

	if (c->error != MAP_ERR_SM_DELIVERY_FAILURE || !p || len < 3)
		return false;
	if (p[0] == 0x30 && p[1] < 0x80 && p[1] + 2u <= len) {
		p += 2;
		len -= 2;
	}
	if (len < 3 || p[0] != 0x0a || p[1] != 1)
		return false;
	return p[2] == SM_CAUSE_MEMORY_CAPACITY_EXCEEDED || p[2] == SM_CAUSE_EQUIPMENT_PROTOCOL_ERROR ||
	       p[2] == SM_CAUSE_EQUIPMENT_NOT_SM_EQUIPPED;
}

/* The node that answers a delivery is the MSC the phone is at: the answer's calling GT. */
static sw_gt_id answering_node(struct sw_detector *d, const struct detect_event *ev)
{
	const struct sw_sccp_addr *a = &ev->msg->sccp.calling;

	return (a->present & SW_SCCP_AI_GT) && a->n_digits ? sw_gt_intern_len(d->gts, a->digits, a->n_digits) : 0;
}

/* An error answers a request: a delivery the handset refused still proves where it is. */
static void learn_from_error(struct sw_detector *d, struct detect_event *ev)
{
	struct sw_subscr *s;

	if (ev->opcode != MAP_OP_MT_FORWARD_SM || !sm_failure_from_handset(ev->c) || !ev->req->imsi)
		return;
	s = sw_subscr_find(d->subs, ev->req->imsi);
	presence(s, answering_node(d, ev), ev->now, ev->msg->meta.frame, MAP_OP_MT_FORWARD_SM);
}

/* A result answers a request: learn what the request and the answer say together. */
static void learn_from_result(struct sw_detector *d, struct detect_event *ev)
{
	const struct sw_txn_req *req = ev->req;
	const struct sw_component *c = ev->c;
	struct sw_netinfo msc_ni = { .net = SW_NET_UNKNOWN };
	sw_gt_id msc;
	enum map_field node;
	char digits[48];

	/* a delivered short message (a v1/v2 MT forwardSM too): the phone took it where the
	 * answering MSC is */
	if (ev->opcode == MAP_OP_MT_FORWARD_SM) {
		presence(ev->sub, answering_node(d, ev), ev->now, ev->msg->meta.frame, MAP_OP_MT_FORWARD_SM);
		return;
	}
	switch (req->opcode) {
	case MAP_OP_UPDATE_LOCATION:	/* accepted: the requester serves the subscriber now */
	case MAP_OP_UPDATE_GPRS_LOCATION:
		if (!ev->sub)
			break;
		if (req->opcode == MAP_OP_UPDATE_LOCATION) {
			ev->sub->vlr = req->aux_gt ? req->aux_gt : req->caller;
			ev->sub->vlr_since = req->time;
			ev->sub->vlr_op = MAP_OP_UPDATE_LOCATION;
		} else {
			ev->sub->sgsn = req->aux_gt ? req->aux_gt : req->caller;
			ev->sub->sgsn_since = req->time;
			ev->sub->sgsn_op = MAP_OP_UPDATE_GPRS_LOCATION;
		}
		/* the phone registered there */
		presence(ev->sub, req->aux_gt ? req->aux_gt : req->caller, req->time, req->frame, req->opcode);
		break;
	case MAP_OP_SEND_ROUTING_INFO:	/* these three map MSISDN -> IMSI */
	case MAP_OP_SEND_ROUTING_INFO_FOR_SM:
	case MAP_OP_SEND_IMSI:
		if (!ev->imsi || !ev->sub)
			break;
		if (req->msisdn && ev->sub->msisdn != req->msisdn)
			sw_subscr_set_msisdn(d->subs, ev->sub, req->msisdn);
		/* the HLR names the MSC serving the subscriber now */
		msc = 0;
		node = req->opcode == MAP_OP_SEND_ROUTING_INFO_FOR_SM ? MF_NETWORK_NODE_NUMBER : MF_VMSC_ADDRESS;
		if (*detect_param_digits(c, node, digits, sizeof(digits)))
			msc = sw_gt_intern(d->gts, digits);
		if (msc)
			detect_gt_netinfo(d, msc, &msc_ni);
		if (msc && msc != ev->sub->vlr && !detect_same_network(d, ev->sub->vlr, &msc_ni)) {
			/* only a move we did not see: the MSC of the serving VLR's own network
			 * must not restart the clock the travel check measures from */
			ev->sub->vlr = msc;
			ev->sub->vlr_since = ev->now;
			ev->sub->vlr_op = req->opcode;
		}
		if (!(req->flags & SW_TXN_CALLER_HOME)) {
			/* an identify step from outside, per origin (the node that asked is the
			 * called party of the answer): for the delivery and chain rules */
			uint64_t origin = detect_origin_key(&ev->called, ev->msg->sccp.called.digits);
			struct sw_ident *id = sw_ident_get(d->idents, ev->sub->imsi, origin, req->opcode, ev->now);

			id->gt = req->caller;
			id->time = req->time;
			id->usec = req->usec;
			id->frame = req->frame;
			id->delivered = 0;
			id->flags = 0;
			/* delivery crosses our network only when the subscriber is served here */
			if (req->opcode == MAP_OP_SEND_ROUTING_INFO_FOR_SM && msc && msc_ni.net == SW_NET_HOME)
				detect_watch_sri_sm(d, ev, origin);
		}
		break;
	case MAP_OP_PROVIDE_SUBSCRIBER_INFO:	/* and ATI: the VLR in the answer */
	case MAP_OP_ANY_TIME_INTERROGATION: {
		const struct map_param *age = map_param_find(c, MF_AGE_OF_LOCATION);
		sw_gt_id vlr;

		if (!ev->sub || !*detect_param_digits(c, MF_VLR_NUMBER, digits, sizeof(digits)))
			break;
		vlr = sw_gt_intern(d->gts, digits);
		if (!ev->sub->vlr) {
			ev->sub->vlr = vlr;
			ev->sub->vlr_since = ev->now;
			ev->sub->vlr_op = req->opcode;
		}
		/* the VLR saw the phone ageOfLocationInformation minutes ago */
		if (age && age->u <= ev->now / 60)
			presence(ev->sub, vlr, ev->now - (uint32_t)age->u * 60, ev->msg->meta.frame, req->opcode);
		break;
	}
	}
}

/* Requests that end a registration change state when they are sent by the right node. */
static void learn_from_invoke(struct sw_detector *d, struct detect_event *ev)
{
	if (!ev->sub)
		return;
	switch (ev->opcode) {
	case MAP_OP_CANCEL_LOCATION:	/* from the home HLR: the old VLR no longer serves */
		if (ev->calling.role == SW_ROLE_HLR && ev->sub->vlr &&
		    !strcmp(sw_gt_str(d->gts, ev->sub->vlr), ev->msg->sccp.called.digits))
			ev->sub->vlr = 0;
		break;
	case MAP_OP_PURGE_MS:		/* from the serving node */
		if (ev->sub->vlr == ev->calling_gt)
			ev->sub->vlr = 0;
		if (ev->sub->sgsn == ev->calling_gt)
			ev->sub->sgsn = 0;
		break;
	case MAP_OP_MT_FORWARD_SM: {	/* delivery after an SRI-for-SM from the same origin */
		uint64_t origin = detect_origin_key(&ev->calling, ev->msg->sccp.calling.digits);
		struct sw_ident *id;

		if (detect_from_outside(ev) &&
		    (id = sw_ident_find(d->idents, ev->sub->imsi, origin, MAP_OP_SEND_ROUTING_INFO_FOR_SM)))
			id->delivered = ev->now;
		break;
	}
	case MAP_OP_MO_FORWARD_SM:	/* the phone sent a short message through its MSC */
		if (detect_from_serving_node(d, ev))
			presence(ev->sub, ev->calling_gt, ev->now, ev->msg->meta.frame, ev->opcode);
		break;
	default:
		if (ev->opcode >= 0 && ev->opcode < (int)ARRAY_SIZE(presence_op) && presence_op[ev->opcode] &&
		    detect_from_serving_node(d, ev))
			presence(ev->sub, ev->calling_gt, ev->now, ev->msg->meta.frame, ev->opcode);
		break;
	}
}

static void remember_invoke(struct sw_detector *d, struct detect_event *ev)
{
	const struct sw_tcap *t = &ev->msg->tcap;
	struct sw_txn_req *r;
	char digits[48];

	if (!t->otid.len || !ev->c->has_invoke_id || ev->c->opcode < 0)
		return;
	r = sw_txn_add(d->txns, &t->otid, ev->calling_gt, ev->c->invoke_id, ev->now);
	ev->added = r;
	r->imsi = ev->imsi;
	r->msisdn = ev->msisdn;
	r->caller = ev->calling_gt;
	r->frame = ev->msg->meta.frame;
	r->time = ev->now;
	r->usec = ev->msg->meta.ts.tv_usec;
	r->input = ev->msg->meta.input;
	r->opcode = ev->c->opcode;	/* the wire's: it names the answer as --dump does */
	if (ev->calling.net == SW_NET_HOME && !ev->spoofed)
		r->flags |= SW_TXN_CALLER_HOME;
	if (ev->c->sm_dir == MAP_SM_MT)
		r->flags |= SW_TXN_SM_MT;
	/* the node that will serve the subscriber if an updateLocation is accepted */
	if (ev->c->opcode == MAP_OP_UPDATE_LOCATION && *detect_param_digits(ev->c, MF_VLR_NUMBER, digits, sizeof(digits)))
		r->aux_gt = sw_gt_intern(d->gts, digits);
	else if (ev->c->opcode == MAP_OP_UPDATE_GPRS_LOCATION && *detect_param_digits(ev->c, MF_SGSN_NUMBER, digits, sizeof(digits)))
		r->aux_gt = sw_gt_intern(d->gts, digits);
}

/* Is the called party of a message ours? Without a GT it is routed on point code inside our
 * network; an answer's called party was classified with the message. */
static bool called_is_home(struct sw_detector *d, const struct detect_event *ev)
{
	const struct sw_sccp_addr *a = &ev->msg->sccp.called;
	struct sw_netinfo ni;

	if (ev->called_gt || !(a->present & SW_SCCP_AI_GT) || !a->n_digits)
		return ev->called_gt ? ev->called.net == SW_NET_HOME : true;
	sw_netmap_gt(d->nm, a->digits, &ni);
	return ni.net == SW_NET_HOME;
}

/* Is the node that answers (the calling party of an answer) ours? Without a GT, as above. */
static bool answerer_is_home(struct sw_detector *d, const struct detect_event *ev)
{
	struct sw_netinfo ni;

	if (!(ev->msg->sccp.calling.present & SW_SCCP_AI_GT))
		return true;
	sw_netmap_gt(d->nm, ev->msg->sccp.calling.digits, &ni);
	return ni.net == SW_NET_HOME;
}

/* The traffic cell of a component (see sw_component_origin): an invoke is its calling
 * party's, an answer its requester's (the answer's called party), in the request's direction,
 * kept with the request so that the answer needs no lookup of its own. */
static void component_origin(struct sw_detector *d, const struct detect_event *ev, struct sw_component_origin *o)
{
	const struct sw_netinfo *from = &ev->calling;
	bool invoke = ev->c->type == SW_COMP_INVOKE;

	if (!invoke)
		from = &ev->called;
	if (!invoke && ev->req && (ev->req->flags & SW_TXN_DIR_KNOWN)) {
		o->direction = (ev->req->flags & SW_TXN_DIR_MASK) >> SW_TXN_DIR_SHIFT;
	} else {
		bool outside;

		/* where it goes matters only for what comes from outside: looked up only then */
		if (invoke)
			outside = detect_from_outside(ev);
		else
			outside = from->net != SW_NET_HOME;
		if (!outside)
			o->direction = SW_DIR_OUTBOUND;
		else if (invoke ? called_is_home(d, ev) : answerer_is_home(d, ev))
			o->direction = SW_DIR_INBOUND;
		else
			o->direction = SW_DIR_TRANSIT;
	}
	if (ev->added)
		ev->added->flags |= SW_TXN_DIR_KNOWN | o->direction << SW_TXN_DIR_SHIFT;
	o->net = from->net;
	o->country = from->country;
	if (ev->spoofed && invoke && ev->via_net != SW_NET_UNKNOWN) {
		/* a home GT on another network's link: that network sent it */
		o->net = ev->via_net;
		o->country = sw_netmap_net_country(d->nm, ev->via_net);
	} else if (o->net != SW_NET_UNKNOWN) {
		o->country = o->net == SW_NET_HOME ? d->home_country : sw_netmap_net_country(d->nm, o->net);
	}
	o->network = sw_netmap_net_name(d->nm, o->net);
	o->opcode = ev->opcode;
	o->category = ev->op ? ev->op->category : MAP_CAT_NONE;
}

static void count_component(struct sw_detector *d, const struct detect_event *ev, uint64_t alerts_before)
{
	struct sw_component_origin o;

	if (ev->c->type != SW_COMP_INVOKE && !ev->req)
		/* an answer to a request we did not see: no requester to count it under */
		return;
	component_origin(d, ev, &o);
	d->on_component(d->on_component_priv, &o, (uint32_t)(d->st.alerts - alerts_before) + d->msg_alerts);
	d->msg_alerts = 0;
}

static void detect_component(struct sw_detector *d, struct detect_event *ev)
{
	uint64_t alerts_before = d->st.alerts;

	const struct sw_component *c = ev->c;
	const struct sw_tcap *t = &ev->msg->tcap;

	d->st.components++;
	ev->opcode = c->sm_dir == MAP_SM_MT ? MAP_OP_MT_FORWARD_SM : c->opcode;
	ev->op = ev->opcode >= 0 ? map_op_by_code(ev->opcode) : NULL;
	ev->imsi = ev->msisdn = 0;
	ev->req = NULL;
	ev->added = NULL;
	ev->home_imsi = false;
	memset(&ev->imsi_net, 0, sizeof(ev->imsi_net));
	ev->imsi_net.net = SW_NET_UNKNOWN;

	switch (c->type) {
	case SW_COMP_INVOKE:
		identify_subscriber(ev);
		subscriber_of(d, ev, ev->imsi != 0);
		detect_rules_invoke(d, ev);
		learn_from_invoke(d, ev);
		remember_invoke(d, ev);
		if (d->on_component)
			count_component(d, ev, alerts_before);
		break;
	case SW_COMP_RESULT_LAST:
	case SW_COMP_RESULT:
	case SW_COMP_ERROR:
		/* the dialogue is named by the TID the requester allocated, our DTID; the
		 * requester is the called party of this answer */
		if (t->dtid.len && c->has_invoke_id)
			ev->req = sw_txn_find(d->txns, &t->dtid, ev->called_gt, c->invoke_id, ev->now);
		if (!ev->req)
			break;
		if (c->opcode < 0) {
			/* the decoder left opcode inference to us: name the result as --dump does,
			 * so an alert shows the message exactly as the dump would */
			struct sw_component *mc = (struct sw_component *)c;

			mc->opcode = ev->req->opcode;
			mc->opcode_inferred = true;
			/* counted as the pairing stage of --stats counts it (track_pairing.h): the
			 * detection mode's decoder has none, this table pairs instead */
			if (ev->dec_st) {
				ev->dec_st->ctr[SW_CTR_MAP_OPCODE_INFERRED]++;
				if (c->type != SW_COMP_ERROR && mc->opcode >= 0 && mc->opcode < 256)
					ev->dec_st->map_result_by_opcode[mc->opcode]++;
			}
		}
		ev->opcode = ev->req->flags & SW_TXN_SM_MT ? MAP_OP_MT_FORWARD_SM : ev->req->opcode;
		ev->op = map_op_by_code(ev->opcode);
		if (c->type == SW_COMP_ERROR) {
			detect_rules_error(d, ev);
			learn_from_error(d, ev);
			if (d->on_component)
				count_component(d, ev, alerts_before);
			break;
		}
		identify_subscriber(ev);
		if (!ev->imsi)
			ev->imsi = ev->req->imsi;
		if (!ev->msisdn)
			ev->msisdn = ev->req->msisdn;
		subscriber_of(d, ev, ev->imsi != 0);
		detect_rules_result(d, ev);
		learn_from_result(d, ev);
		if (d->on_component)
			count_component(d, ev, alerts_before);
		break;
	default:
		break;
	}
}

void sw_detector_on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	struct sw_detector *d = priv;
	struct detect_event ev = { .msg = msg, .dec_st = dec ? &dec->st : NULL };
	bool has_invoke = false;
	uint64_t msg_alerts;

	d->st.messages++;
	ev.now = (uint32_t)msg->meta.ts.tv_sec;
	if ((int32_t)(ev.now - d->now) > 0 || !d->now)
		d->now = ev.now;
	detect_expire(d, d->now);

	if (msg->err) {
		detect_rules_malformed(d, &ev);
		return;
	}
	if (!msg->tcap.type)
		return;
	/* the dialogue and the subscriber this message is about: start loading their buckets
	 * now, the classification work below overlaps the memory latency */
	if (msg->tcap.n_comp) {
		ev.first_imsi = detect_param_num(&msg->tcap.comp[0], MF_IMSI);
		if (ev.first_imsi) {
			sw_subscr_prefetch(d->subs, ev.first_imsi);
		} else {
			ev.first_msisdn = detect_param_num(&msg->tcap.comp[0], MF_MSISDN);
			ev.first_msisdn_read = true;
			if (ev.first_msisdn)
				sw_subscr_prefetch_msisdn(d->subs, ev.first_msisdn);
		}
	}
	if (msg->tcap.dtid.len)
		sw_txn_prefetch(d->txns, &msg->tcap.dtid);
	else if (msg->tcap.otid.len)
		sw_txn_prefetch(d->txns, &msg->tcap.otid);
	/* who sends matters for requests; an answer is judged by the request it answers, and
	 * its calling party is often the subscriber's own number (the called address of the
	 * request), which must not fill the table of node GTs */
	for (unsigned i = 0; i < msg->tcap.n_comp; i++)
		has_invoke |= msg->tcap.comp[i].type == SW_COMP_INVOKE;
	if (has_invoke || msg->tcap.type == SW_TCAP_BEGIN)
		detect_classify(d, &msg->sccp.calling, &ev.calling, &ev.calling_gt);
	else
		ev.calling.net = SW_NET_UNKNOWN;
	/* the called party of an answer is the node that asked (it owns the dialogue); the
	 * called party of a Begin is often the subscriber's own number (E.164 or E.214 routing
	 * to the HLR): not a node, so it is not interned */
	if (msg->tcap.type != SW_TCAP_BEGIN && msg->tcap.type != SW_TCAP_UNIDIRECTIONAL)
		detect_classify(d, &msg->sccp.called, &ev.called, &ev.called_gt);
	else
		ev.called_gt = 0;
	/* the link tells where a message really came from: a home GT arriving on another
	 * network's point code is spoofed, and counts as from outside */
	ev.via_net = msg->mtp3.present ? sw_netmap_pc(d->nm, msg->mtp3.opc) : SW_NET_UNKNOWN;
	ev.spoofed = ev.calling.net == SW_NET_HOME && ev.via_net != SW_NET_UNKNOWN && ev.via_net != SW_NET_HOME;
	msg_alerts = d->st.alerts;
	detect_rules_message(d, &ev, has_invoke);
	/* counted with the first component the traffic accounting takes */
	d->msg_alerts = (uint32_t)(d->st.alerts - msg_alerts);

	/* dialogues under a non-MAP application context are not MAP: nothing to learn */
	if (msg->tcap.acn_len && !msg->tcap.acn_info)
		goto close;
	for (unsigned i = 0; i < msg->tcap.n_comp; i++) {
		ev.comp_idx = i;
		ev.c = &msg->tcap.comp[i];
		detect_component(d, &ev);
	}
close:
	if (msg->tcap.type == SW_TCAP_END || msg->tcap.type == SW_TCAP_ABORT) {
		if (msg->tcap.dtid.len)
			sw_txn_close(d->txns, &msg->tcap.dtid, ev.called_gt, ev.now);
	}
}

void sw_detector_flush(struct sw_detector *d)
{
	detect_expire(d, d->now);
}

void sw_detector_advance(struct sw_detector *d, uint32_t now)
{
	if ((int32_t)(now - d->now) > 0) {
		d->now = now;
		detect_expire(d, now);
	}
}
