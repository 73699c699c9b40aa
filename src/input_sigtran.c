/* Live input and output through libosmo-sigtran (M3UA or IPA): the only file that calls it.
 *
 * Receiving: a raw MTP user for SI 3 on each cs7 instance hands every MTP-TRANSFER.ind to the
 * decoder at the SCCP layer, with the MTP3 label of the primitive. A timer watches the ASPs:
 * it counts state changes and restarts a client ASP the library left down.
 *
 * Sending (ss7replay): a client ASP in an AS with a default route, and MTP-TRANSFER.req.
 *
 * What libosmo-sigtran 1.6 does on its own: a client ASP (sctp-role client) runs an
 * osmo_stream_cli with a 5 s reconnect timer; when the peer closes or sends something it cannot
 * parse, the ASP FSM goes down and the stream reconnects, and the connect callback starts the
 * ASP FSM again (ASP-UP/ASP-ACTIVE or the IPA ID exchange). It also retries every 5 s when the
 * socket cannot even be created (no kernel SCTP) or the STP is not there yet. The restart below
 * is only for a client ASP the library never started. Server-side (dynamic) ASPs come and go
 * with their connections.
 *
 * libosmo-sigtran 2.x (Debian trixie) makes its structs opaque: instances, ASPs and MTP users
 * are reached through getters, and an instance's ASPs can no longer be listed. There the
 * supervision watches the ASPs the config file named (recorded as the VTY leaves each "asp"
 * node) and the dynamic ones of a server by their names (asp-dyn-N); the peer is the ASP's
 * name, the library's own reconnects are trusted (no forced restart), and the ss7replay client
 * is set up through the library's VTY, as a config file would. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <talloc.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/msgb.h>
#include <osmocom/core/prim.h>
#include <osmocom/core/select.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>
#include <osmocom/netif/stream.h>
#include <osmocom/sigtran/mtp_sap.h>
#include <osmocom/sigtran/osmo_ss7.h>
#include <osmocom/sigtran/protocol/mtp.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>
#include <ss7watch/input_sigtran.h>

/* 1.x declares the structs (and LOGPASP, which reads them); 2.x makes them opaque and drops
 * LOGPASP. A header test rather than a configure one: contrib/fuzz.sh builds this file too. */
#ifdef LOGPASP
#define SIGTRAN_OPAQUE		0
static uint32_t inst_id(const struct osmo_ss7_instance *inst) { return inst->cfg.id; }
static const char *inst_name(const struct osmo_ss7_instance *inst) { return inst->cfg.name; }
static uint32_t inst_pc(const struct osmo_ss7_instance *inst) { return inst->cfg.primary_pc; }
static const char *asp_name(const struct osmo_ss7_asp *asp) { return asp->cfg.name; }
static enum osmo_ss7_asp_protocol asp_proto(const struct osmo_ss7_asp *asp) { return asp->cfg.proto; }
#else
#define SIGTRAN_OPAQUE		1
static uint32_t inst_id(const struct osmo_ss7_instance *inst) { return osmo_ss7_instance_get_id(inst); }
static const char *inst_name(const struct osmo_ss7_instance *inst) { return osmo_ss7_instance_get_name(inst); }
static uint32_t inst_pc(const struct osmo_ss7_instance *inst) { return osmo_ss7_instance_get_primary_pc(inst); }
static const char *asp_name(const struct osmo_ss7_asp *asp) { return osmo_ss7_asp_get_name(asp); }
static enum osmo_ss7_asp_protocol asp_proto(const struct osmo_ss7_asp *asp) { return osmo_ss7_asp_get_proto(asp); }
#endif

#define SUPERVISE_INTERVAL_MS	500
/* the library's own reconnect timer is 5 s: give it the chance first */
#define RESTART_FIRST_S		12
#define RESTART_MAX_S		120
#define MAX_TRACKED_ASPS	64
#define MAX_INPUTS		32
/* 2.x: the ASPs named in the config, and how far past the highest asp-dyn-N seen to look */
#define MAX_NAMED_ASPS		64
#define DYN_ASP_WINDOW		32

/* what the supervision remembers of one ASP between two ticks */
struct asp_track {
	const struct osmo_ss7_asp *asp;	/* identity only; compared, never dereferenced once gone */
	char name[64];
	bool active;
	bool was_up;			/* has been active at least once */
	struct timeval down_since;
	unsigned backoff_s;		/* wait before the next forced restart */
};

struct sw_sigtran_input {
	struct osmo_ss7_instance *inst;
	struct osmo_ss7_user *user;
	struct sw_decoder *dec;
	char name[32];
	uint8_t index;
	uint8_t via;
	struct osmo_timer_list timer;
	struct asp_track track[MAX_TRACKED_ASPS];
	unsigned n_track;

	uint64_t msgs, bytes, other_prims;
	uint32_t ups, downs, reconnects, restarts;
	struct timeval last_change;
	unsigned dyn_next;		/* 2.x: one past the highest asp-dyn-N seen */
};

static struct sw_sigtran_input *inputs[MAX_INPUTS];
static unsigned n_inputs;

/* the ASPs the config file defined, by instance and name (2.x cannot list them) */
static struct {
	uint32_t inst_id;
	char name[64];
} named_asps[MAX_NAMED_ASPS];
static unsigned n_named_asps;

static void remember_asp(const struct osmo_ss7_instance *inst, const char *name)
{
	for (unsigned i = 0; i < n_named_asps; i++)
		if (named_asps[i].inst_id == inst_id(inst) && !strcmp(named_asps[i].name, name))
			return;
	if (n_named_asps >= MAX_NAMED_ASPS || !name)
		return;
	named_asps[n_named_asps].inst_id = inst_id(inst);
	osmo_strlcpy(named_asps[n_named_asps].name, name, sizeof(named_asps[0].name));
	n_named_asps++;
}

typedef void (*asp_fn_t)(struct sw_sigtran_input *in, struct osmo_ss7_asp *asp, void *arg);

/* fn for every ASP of the instance: configured ones, and those a server accepted */
static void foreach_asp(struct sw_sigtran_input *in, asp_fn_t fn, void *arg)
{
#if SIGTRAN_OPAQUE
	unsigned from = in->dyn_next > DYN_ASP_WINDOW ? in->dyn_next - DYN_ASP_WINDOW : 0;
	unsigned to = in->dyn_next + DYN_ASP_WINDOW;
	struct osmo_ss7_asp *asp;
	char name[32];

	for (unsigned i = 0; i < n_named_asps; i++) {
		if (named_asps[i].inst_id != inst_id(in->inst))
			continue;
		asp = osmo_ss7_asp_find_by_name(in->inst, named_asps[i].name);
		if (asp)
			fn(in, asp, arg);
	}
	/* the library numbers dynamic ASPs with one counter for every server */
	for (unsigned i = from; i < to; i++) {
		snprintf(name, sizeof(name), "asp-dyn-%u", i);
		asp = osmo_ss7_asp_find_by_name(in->inst, name);
		if (!asp)
			continue;
		if (i >= in->dyn_next)
			in->dyn_next = i + 1;
		fn(in, asp, arg);
	}
#else
	struct osmo_ss7_asp *asp, *tmp;

	llist_for_each_entry_safe(asp, tmp, &in->inst->asp_list, list)
		fn(in, asp, arg);
#endif
}

int sw_sigtran_init(void *ctx)
{
	int rc = osmo_ss7_init();

	if (rc < 0)
		return rc;
	rc = sw_sigtran_compat_init();
	if (rc < 0) {
		LOGP(DLINP, LOGL_ERROR, "libosmo-sigtran 2.0/2.1 compat: osmo_stream_srv_set_read_cb not found\n");
		return rc;
	}
	if (rc > 0)
		LOGP(DLINP, LOGL_INFO, "libosmo-sigtran 2.0/2.1: received messages are kept across a "
		     "connection's teardown (OS#6728 fix applied by ss7watch)\n");
	/* the SG set is a superset of the ASP one: we may listen (SG) or connect (ASP) */
	osmo_ss7_vty_init_sg(ctx);
	return 0;
}

int sw_sigtran_vty_go_parent(struct vty *vty)
{
	if (vty->node == L_CS7_ASP_NODE) {
		char name[64];

		osmo_strlcpy(name, asp_name(vty->index) ? : "", sizeof(name));
		/* starts the ASP; the instance becomes the index */
		osmo_ss7_vty_go_parent(vty);
		if (vty->node == L_CS7_NODE && vty->index)
			remember_asp(vty->index, name);
		return 0;
	}
	return osmo_ss7_vty_go_parent(vty);
}

static void note_proto(struct sw_sigtran_input *in, struct osmo_ss7_asp *asp, void *arg)
{
	unsigned *protos = arg;

	*protos |= 1u << asp_proto(asp);
}

/* IPA carries no routing label: the library makes one up from the AS config, so it means
 * nothing. An instance with any M3UA ASP is taken as M3UA; without ASPs yet (a server), the
 * protocol of its AS tells. */
static uint8_t instance_via(struct sw_sigtran_input *in)
{
	unsigned protos = 0;

	foreach_asp(in, note_proto, &protos);
	if (protos & (1u << OSMO_SS7_ASP_PROT_M3UA))
		return SW_VIA_M3UA_LIVE;
	if (protos & (1u << OSMO_SS7_ASP_PROT_IPA))
		return SW_VIA_IPA;
	if (osmo_ss7_as_find_by_proto(in->inst, OSMO_SS7_ASP_PROT_M3UA))
		return SW_VIA_M3UA_LIVE;
	return osmo_ss7_as_find_by_proto(in->inst, OSMO_SS7_ASP_PROT_IPA) ? SW_VIA_IPA : SW_VIA_M3UA_LIVE;
}

static void rx_transfer(struct sw_sigtran_input *in, const struct osmo_mtp_transfer_param *tp,
			const uint8_t *p, uint32_t len)
{
	struct sw_decoder *dec = in->dec;
	struct sw_msg *m = &dec->msg;

	in->msgs++;
	in->bytes += len;

	memset(&m->meta, 0, sizeof(m->meta));
	m->meta.frame = in->msgs;
	gettimeofday(&m->meta.ts, NULL);
	m->meta.input = in->index;
	dec->frame = m->meta.frame;
	dec->ts = m->meta.ts;
	sw_msg_reset_upper(m);

	m->mtp3.via = in->via;
	m->mtp3.si = tp->sio & 0x0f;
	m->mtp3.ni = tp->sio >> 6;
	if (in->via != SW_VIA_IPA) {
		m->mtp3.present = true;
		m->mtp3.opc = tp->opc;
		m->mtp3.dpc = tp->dpc;
		m->mtp3.sls = tp->sls;
	}

	dec->st.ctr[SW_CTR_FRAMES]++;
	dec->st.ctr[SW_CTR_BYTES] += len;
	dec->st.ctr[SW_CTR_MTP3_MSUS]++;
	dec->st.ctr[SW_CTR_MTP3_SI_SCCP]++;
	sw_decode_sccp(dec, p, len);
}

/* MTP user primitive callback; owns oph->msg */
static int tap_prim_cb(struct osmo_prim_hdr *oph, void *priv)
{
	struct sw_sigtran_input *in = priv;
	struct osmo_mtp_prim *omp = (struct osmo_mtp_prim *)oph;
	struct msgb *msg = oph->msg;

	if (oph->sap == MTP_SAP_USER && oph->primitive == OSMO_MTP_PRIM_TRANSFER
	    && oph->operation == PRIM_OP_INDICATION && msg->l2h)
		rx_transfer(in, &omp->u.transfer, msgb_l2(msg), msgb_l2len(msg));
	else
		in->other_prims++;
	msgb_free(msg);
	return 0;
}

static struct asp_track *track_find(struct sw_sigtran_input *in, const struct osmo_ss7_asp *asp)
{
	for (unsigned i = 0; i < in->n_track; i++)
		if (in->track[i].asp == asp && !strncmp(in->track[i].name, asp_name(asp) ? : "",
							 sizeof(in->track[i].name) - 1))
			return &in->track[i];
	return NULL;
}

struct presence {
	const struct osmo_ss7_asp *asp;
	bool found;
};

static void is_it(struct sw_sigtran_input *in, struct osmo_ss7_asp *asp, void *arg)
{
	struct presence *p = arg;

	p->found |= asp == p->asp;
}

static bool asp_present(struct sw_sigtran_input *in, const struct osmo_ss7_asp *asp)
{
	struct presence p = { .asp = asp };

	foreach_asp(in, is_it, &p);
	return p.found;
}

static void note_change(struct sw_sigtran_input *in, struct asp_track *t, bool active,
			const struct timeval *now, const char *peer)
{
	in->last_change = *now;
	t->active = active;
	if (!active) {
		in->downs++;
		t->down_since = *now;
		LOGP(DLSS7, LOGL_NOTICE, "input %s: ASP %s down\n", in->name, t->name);
		return;
	}
	in->ups++;
	if (t->was_up)
		in->reconnects++;
	LOGP(DLSS7, LOGL_NOTICE, "input %s: ASP %s up%s %s\n", in->name, t->name,
	     t->was_up ? " again" : "", peer);
	t->was_up = true;
	t->backoff_s = RESTART_FIRST_S;
}

/* The socket of the ASP, else its configured remote (2.x: its name; the rest is private) */
static const char *asp_peer(const struct osmo_ss7_asp *asp, char *buf, size_t len)
{
#if SIGTRAN_OPAQUE
	snprintf(buf, len, "asp %s", asp_name(asp));
#else
	if (asp->sock_name)
		return asp->sock_name;
	snprintf(buf, len, "%s:%u", asp->cfg.remote.host_cnt ? asp->cfg.remote.host[0] : "?",
		 asp->cfg.remote.port);
#endif
	return buf;
}

/* A client ASP that was never started, or lost its stream client, stays down for good: start
 * it. One with a stream client is left alone, as the library reconnects it every 5 s (even
 * when the socket cannot be created), and a restart in the middle would open a second socket. */
static bool client_left_down(const struct osmo_ss7_asp *asp)
{
#if SIGTRAN_OPAQUE
	/* 2.x keeps whether it has a stream client private: restarting one that is connecting
	 * would open a second socket, so the library's own reconnects are left to do the job */
	return false;
#else
	return !asp->cfg.is_server && !(asp->fi && asp->client);
#endif
}

static void maybe_restart(struct sw_sigtran_input *in, struct osmo_ss7_asp *asp, struct asp_track *t,
			  const struct timeval *now)
{
	if (!client_left_down(asp))
		return;
	if (now->tv_sec - t->down_since.tv_sec < (time_t)t->backoff_s)
		return;
	LOGP(DLSS7, LOGL_NOTICE, "input %s: ASP %s down for %lds, restarting it\n", in->name, t->name,
	     (long)(now->tv_sec - t->down_since.tv_sec));
	in->restarts++;
	osmo_ss7_asp_restart(asp);
	t->down_since = *now;
	t->backoff_s = OSMO_MIN(t->backoff_s * 2, RESTART_MAX_S);
}

/* libosmo-sigtran 1.6 keeps the half-read IPA message of a closed connection and glues the
 * next connection's bytes onto it: drop it while the client is disconnected */
static void drop_stale_partial(struct osmo_ss7_asp *asp)
{
#if !SIGTRAN_OPAQUE
	if (!asp->pending_msg || asp->cfg.is_server || !asp->client)
		return;
	if (osmo_stream_cli_is_connected(asp->client))
		return;
	msgb_free(asp->pending_msg);
	asp->pending_msg = NULL;
#endif
}

static void supervise_asp(struct sw_sigtran_input *in, struct osmo_ss7_asp *asp, void *arg)
{
	const struct timeval *now = arg;
	struct asp_track *t = track_find(in, asp);
	bool active = osmo_ss7_asp_active(asp);
	char buf[128];

	if (!t) {
		if (in->n_track >= MAX_TRACKED_ASPS)
			return;
		t = &in->track[in->n_track++];
		memset(t, 0, sizeof(*t));
		t->asp = asp;
		osmo_strlcpy(t->name, asp_name(asp) ? : "", sizeof(t->name));
		t->down_since = *now;
		t->backoff_s = RESTART_FIRST_S;
	}
	if (active != t->active)
		note_change(in, t, active, now, asp_peer(asp, buf, sizeof(buf)));
	else if (!active)
		maybe_restart(in, asp, t, now);
	drop_stale_partial(asp);
}

static void supervise(void *data)
{
	struct sw_sigtran_input *in = data;
	struct timeval now;

	gettimeofday(&now, NULL);

	/* forget ASPs that are gone (dynamic ones of a server, "no asp") */
	for (unsigned i = 0; i < in->n_track;) {
		struct asp_track *t = &in->track[i];

		if (asp_present(in, t->asp)) {
			i++;
			continue;
		}
		if (t->active) {
			in->downs++;
			in->last_change = now;
			LOGP(DLSS7, LOGL_NOTICE, "input %s: ASP %s gone\n", in->name, t->name);
		}
		in->track[i] = in->track[--in->n_track];
	}

	foreach_asp(in, supervise_asp, &now);
	osmo_timer_schedule(&in->timer, 0, SUPERVISE_INTERVAL_MS * 1000);
}

/* An MTP user for SI 3 that hands MTP-TRANSFER.ind to in (a talloc child of in for 1.x,
 * the library's object for 2.x). */
static struct osmo_ss7_user *user_new(struct sw_sigtran_input *in)
{
#if SIGTRAN_OPAQUE
	struct osmo_ss7_user *u = osmo_ss7_user_create(in->inst, "ss7watch");

	if (u) {
		osmo_ss7_user_set_prim_cb(u, tap_prim_cb);
		osmo_ss7_user_set_priv(u, in);
	}
#else
	struct osmo_ss7_user *u = talloc_zero(in, struct osmo_ss7_user);

	if (u) {
		u->name = "ss7watch";
		u->prim_cb = tap_prim_cb;
		u->priv = in;
	}
#endif
	return u;
}

static int input_destructor(struct sw_sigtran_input *in)
{
	osmo_timer_del(&in->timer);
	if (in->inst && in->user)
		/* -EINVAL (and nothing done) when someone else holds SI 3 */
		osmo_ss7_user_unregister(in->inst, MTP_SI_SCCP, in->user);
#if SIGTRAN_OPAQUE
	if (in->user)
		osmo_ss7_user_destroy(in->user);
#endif
	return 0;
}

static void start_if_never_started(struct sw_sigtran_input *in, struct osmo_ss7_asp *asp, void *arg)
{
	if (asp_proto(asp) == OSMO_SS7_ASP_PROT_SUA)
		LOGP(DLSS7, LOGL_ERROR, "input %s: ASP %s speaks SUA, which does not reach an MTP user: "
		     "use M3UA or IPA\n", in->name, asp_name(asp));
#if !SIGTRAN_OPAQUE
	/* a config loaded without leaving its last "asp" block did not start that ASP */
	if (!asp->fi && !asp->cfg.is_server)
		osmo_ss7_asp_restart(asp);
#endif
}

struct sw_sigtran_input *sw_sigtran_input_create(void *ctx, uint32_t inst_id, uint8_t index,
						 struct sw_decoder *dec)
{
	struct osmo_ss7_instance *inst = osmo_ss7_instance_find(inst_id);
	struct sw_sigtran_input *in;

	if (!inst || !dec)
		return NULL;
	in = talloc_zero(ctx, struct sw_sigtran_input);
	if (!in)
		return NULL;
	in->inst = inst;
	in->dec = dec;
	in->index = index;
	in->via = instance_via(in);
	if (inst_name(inst))
		osmo_strlcpy(in->name, inst_name(inst), sizeof(in->name));
	else
		snprintf(in->name, sizeof(in->name), "cs7-%u", inst_id);

	/* take SI 3 from the library's SCCP (if it made one): it must not see the traffic */
	osmo_ss7_user_unregister(inst, MTP_SI_SCCP, NULL);
	in->user = user_new(in);
	talloc_set_destructor(in, input_destructor);
	if (!in->user || osmo_ss7_user_register(inst, MTP_SI_SCCP, in->user) < 0) {
		talloc_free(in);
		return NULL;
	}

	foreach_asp(in, start_if_never_started, NULL);
	if (in->via == SW_VIA_M3UA_LIVE && !osmo_ss7_pc_is_valid(inst_pc(inst)))
		LOGP(DLSS7, LOGL_ERROR, "input %s: no point-code: M3UA messages are only delivered for the "
		     "instance's point code\n", in->name);

	osmo_timer_setup(&in->timer, supervise, in);
	osmo_timer_schedule(&in->timer, 0, SUPERVISE_INTERVAL_MS * 1000);
	return in;
}

void sw_sigtran_input_destroy(struct sw_sigtran_input *in)
{
	talloc_free(in);
}

static void count_asp(struct sw_sigtran_input *in, struct osmo_ss7_asp *asp, void *arg)
{
	struct sw_sigtran_input_info *info = arg;
	bool active = osmo_ss7_asp_active(asp);
	char buf[128];

	info->asps++;
	if (active)
		info->asps_active++;
	if ((active && info->asps_active == 1) || info->asps == 1)
		osmo_strlcpy(info->peer, asp_peer(asp, buf, sizeof(buf)), sizeof(info->peer));
}

void sw_sigtran_input_get_info(const struct sw_sigtran_input *in, struct sw_sigtran_input_info *info)
{
	memset(info, 0, sizeof(*info));
	info->name = in->name;
	info->inst_id = inst_id(in->inst);
	info->index = in->index;
	info->via = in->via;
	info->msgs = in->msgs;
	info->bytes = in->bytes;
	info->other_prims = in->other_prims;
	info->ups = in->ups;
	info->downs = in->downs;
	info->reconnects = in->reconnects;
	info->restarts = in->restarts;
	info->last_change = in->last_change;
	/* not const for 2.x only: the window of dynamic ASP names may move on */
	foreach_asp((struct sw_sigtran_input *)in, count_asp, info);
	info->up = info->asps_active > 0;
}

/* The cs7 instances, in config order, into inst[max]. \returns how many there are. */
static unsigned instances(struct osmo_ss7_instance **inst, unsigned max)
{
	struct llist_head *pos;
	unsigned n = 0;

	llist_for_each(pos, &osmo_ss7_instances) {
#if SIGTRAN_OPAQUE
		struct osmo_ss7_instance *i = osmo_ss7_instances_llist_entry(pos);
#else
		struct osmo_ss7_instance *i = llist_entry(pos, struct osmo_ss7_instance, list);
#endif
		if (n < max)
			inst[n] = i;
		n++;
	}
	return n;
}

int sw_sigtran_inputs_start(void *ctx, uint8_t first_index, sw_sigtran_dec_cb_t dec_for, void *priv)
{
	struct osmo_ss7_instance *all[MAX_INPUTS + 1];
	unsigned n = instances(all, MAX_INPUTS + 1), started = 0;

	for (unsigned i = 0; i < n && i < MAX_INPUTS + 1; i++) {
		struct osmo_ss7_instance *inst = all[i];
		struct sw_sigtran_input *in;
		struct sw_decoder *dec;
		char name[32];

		if (n_inputs >= MAX_INPUTS) {
			LOGP(DLSS7, LOGL_ERROR, "more than %u cs7 instances: ignoring the others\n", MAX_INPUTS);
			break;
		}
		snprintf(name, sizeof(name), "cs7-%u", inst_id(inst));
		dec = dec_for(priv, first_index + n_inputs, inst_name(inst) ? : name);
		if (!dec)
			continue;
		in = sw_sigtran_input_create(ctx, inst_id(inst), first_index + n_inputs, dec);
		if (!in) {
			LOGP(DLSS7, LOGL_ERROR, "cs7 instance %u: cannot register as MTP user for SCCP\n",
			     inst_id(inst));
			return -EBUSY;
		}
		inputs[n_inputs++] = in;
		started++;
	}
	return started;
}

unsigned sw_sigtran_instances_count(void)
{
	return instances(NULL, 0);
}

unsigned sw_sigtran_inputs_count(void)
{
	return n_inputs;
}

struct sw_sigtran_input *sw_sigtran_inputs_get(unsigned i)
{
	return i < n_inputs ? inputs[i] : NULL;
}

void sw_sigtran_inputs_stop(void)
{
	while (n_inputs)
		sw_sigtran_input_destroy(inputs[--n_inputs]);
}

/* --- sending: a client ASP for ss7replay --- */

struct sw_sigtran_client {
	struct osmo_ss7_instance *inst;
	struct osmo_ss7_asp *asp;
	struct osmo_ss7_as *as;
};

#if SIGTRAN_OPAQUE
/* 2.x: instance, AS, route and ASP can only be made through the library's VTY */
static struct vty_app_info client_vty_info = {
	.name = "ss7replay",
	.go_parent_cb = osmo_ss7_vty_go_parent,
};

/* A point code as the instance's "point-code format" reads it: ITU 3.8.3, else 24 bit. */
static const char *pc_str(char *buf, size_t len, uint32_t pc, bool wide)
{
	if (wide)
		snprintf(buf, len, "%u", pc);
	else
		snprintf(buf, len, "%u.%u.%u", (pc >> 11) & 7, (pc >> 3) & 0xff, pc & 7);
	return buf;
}

struct sw_sigtran_client *sw_sigtran_client_create(void *ctx, const struct sw_sigtran_client_cfg *cfg,
						   char *err, size_t errlen)
{
	const char *proto = cfg->m3ua ? "m3ua" : "ipa";
	bool wide = cfg->has_pc && cfg->pc >= (1u << 14);
	struct sw_sigtran_client *c;
	char *text, pc[16], zero[16];
	FILE *f;
	int rc;

	rc = osmo_ss7_init();
	if (rc < 0) {
		snprintf(err, errlen, "cannot initialise libosmo-sigtran (%d)", rc);
		return NULL;
	}
	client_vty_info.tall_ctx = ctx;
	vty_init(&client_vty_info);
	/* the SG set: the ASP one has no route-table node */
	osmo_ss7_vty_init_sg(ctx);
	c = talloc_zero(ctx, struct sw_sigtran_client);
	if (!c)
		goto oom;
	/* no own point code unless asked: any DPC equal to it would be delivered locally; every
	 * message goes to the STP through the default route, whatever its DPC */
	text = talloc_asprintf(c, "cs7 instance %u\n%s%s%s%s"
			       " asp %s %u %u %s\n  remote-ip %s\n%s%s%s  role asp\n  sctp-role client\n"
			       " as %s %s\n  asp %s\n  routing-key %u %s\n"
			       " route-table system\n  update route %s %s linkset %s\n",
			       cfg->inst_id, wide ? " point-code format 24\n" : "",
			       cfg->has_pc ? " point-code " : "", cfg->has_pc ? pc_str(pc, sizeof(pc), cfg->pc, wide) : "",
			       cfg->has_pc ? "\n" : "",
			       cfg->asp_name, cfg->remote_port, cfg->local_port, proto, cfg->remote_host,
			       cfg->local_host ? "  local-ip " : "", cfg->local_host ? : "", cfg->local_host ? "\n" : "",
			       cfg->as_name, proto, cfg->asp_name, cfg->rctx,
			       pc_str(pc, sizeof(pc), cfg->has_pc ? cfg->pc : 0, wide),
			       pc_str(zero, sizeof(zero), 0, wide), zero, cfg->as_name);
	f = text ? fmemopen(text, strlen(text), "r") : NULL;
	if (!f)
		goto oom;
	rc = vty_read_config_filep(f, NULL);
	fclose(f);
	c->inst = osmo_ss7_instance_find(cfg->inst_id);
	c->as = c->inst ? osmo_ss7_as_find_by_name(c->inst, cfg->as_name) : NULL;
	c->asp = c->inst ? osmo_ss7_asp_find_by_name(c->inst, cfg->asp_name) : NULL;
	if (rc < 0 || !c->as || !c->asp) {
		snprintf(err, errlen, "cannot set up %s ASP %s to %s:%u in AS %s (libosmo-sigtran's VTY refused "
			 "its configuration)", proto, cfg->asp_name, cfg->remote_host, cfg->remote_port, cfg->as_name);
		goto fail;
	}
	if (cfg->m3ua) {
		/* ASP-UP and ASP-ACTIVE are the layer manager's job: attach it, then start again */
		osmo_ss7_asp_use_default_lm(c->asp, LOGL_DEBUG);
		osmo_ss7_asp_restart(c->asp);
	}
	return c;

oom:
	snprintf(err, errlen, "out of memory");
fail:
	talloc_free(c);
	return NULL;
}
#else
struct sw_sigtran_client *sw_sigtran_client_create(void *ctx, const struct sw_sigtran_client_cfg *cfg,
						   char *err, size_t errlen)
{
	enum osmo_ss7_asp_protocol proto = cfg->m3ua ? OSMO_SS7_ASP_PROT_M3UA : OSMO_SS7_ASP_PROT_IPA;
	const char *remote = cfg->remote_host;
	struct sw_sigtran_client *c;
	int rc;

	rc = osmo_ss7_init();
	if (rc < 0) {
		snprintf(err, errlen, "cannot initialise libosmo-sigtran (%d)", rc);
		return NULL;
	}
	c = talloc_zero(ctx, struct sw_sigtran_client);
	if (!c)
		goto oom;
	c->inst = osmo_ss7_instance_find_or_create(c, cfg->inst_id);
	if (!c->inst)
		goto oom;
	/* no own point code unless asked: any DPC equal to it would be delivered locally */
	if (cfg->has_pc)
		c->inst->cfg.primary_pc = cfg->pc;

	c->as = osmo_ss7_as_find_or_create(c->inst, cfg->as_name, proto);
	if (!c->as)
		goto oom;
	c->as->cfg.routing_key.context = cfg->rctx;
	if (cfg->has_pc)
		c->as->cfg.routing_key.pc = cfg->pc;
	/* everything we send goes to the STP, whatever its DPC */
	if (!osmo_ss7_route_create(c->inst->rtable_system, 0, 0, cfg->as_name)) {
		snprintf(err, errlen, "cannot create the default route to AS %s", cfg->as_name);
		goto fail;
	}

	c->asp = osmo_ss7_asp_find_or_create(c->inst, cfg->asp_name, cfg->remote_port, cfg->local_port, proto);
	if (!c->asp)
		goto oom;
	if (osmo_ss7_asp_peer_set_hosts(&c->asp->cfg.remote, c->asp, &remote, 1) < 0) {
		snprintf(err, errlen, "bad remote host '%s'", remote);
		goto fail;
	}
	if (cfg->local_host)
		osmo_ss7_asp_peer_set_hosts(&c->asp->cfg.local, c->asp, &cfg->local_host, 1);
	c->asp->cfg.is_server = false;
	c->asp->cfg.role = OSMO_SS7_ASP_ROLE_ASP;
	if (osmo_ss7_as_add_asp(c->as, cfg->asp_name) < 0) {
		snprintf(err, errlen, "cannot add ASP %s to AS %s", cfg->asp_name, cfg->as_name);
		goto fail;
	}
	if (proto != OSMO_SS7_ASP_PROT_IPA)
		osmo_ss7_asp_use_default_lm(c->asp, LOGL_DEBUG);
	osmo_ss7_asp_restart(c->asp);
	return c;

oom:
	snprintf(err, errlen, "out of memory");
fail:
	talloc_free(c);
	return NULL;
}
#endif

bool sw_sigtran_client_active(const struct sw_sigtran_client *c)
{
	return osmo_ss7_asp_active(c->asp);
}

int sw_sigtran_client_send(struct sw_sigtran_client *c, uint32_t opc, uint32_t dpc, uint8_t sls, uint8_t ni,
			   const uint8_t *p, uint32_t len)
{
	struct osmo_mtp_prim *omp;
	struct msgb *msg;

	msg = msgb_alloc_headroom(len + sizeof(*omp) + 256, 128, "ss7replay MTP-TRANSFER.req");
	if (!msg)
		return -ENOMEM;
	omp = (struct osmo_mtp_prim *)msgb_put(msg, sizeof(*omp));
	osmo_prim_init(&omp->oph, MTP_SAP_USER, OSMO_MTP_PRIM_TRANSFER, PRIM_OP_REQUEST, msg);
	omp->u.transfer.opc = opc;
	omp->u.transfer.dpc = dpc;
	omp->u.transfer.sls = sls;
	omp->u.transfer.sio = MTP_SIO(MTP_SI_SCCP, ni);
	msg->l2h = msgb_put(msg, len);
	memcpy(msg->l2h, p, len);
	/* frees msg */
	return osmo_ss7_user_mtp_xfer_req(c->inst, omp);
}

bool sw_sigtran_client_tx_pending(const struct sw_sigtran_client *c)
{
#if SIGTRAN_OPAQUE
	/* the ASP's socket is private: ss7replay sends one message per main loop round */
	return false;
#else
	struct osmo_fd *ofd;

	if (!c->asp->client || !osmo_stream_cli_is_connected(c->asp->client))
		return false;
	ofd = osmo_stream_cli_get_ofd(c->asp->client);
	return ofd && (ofd->when & OSMO_FD_WRITE);
#endif
}

const char *sw_sigtran_client_peer(const struct sw_sigtran_client *c)
{
#if SIGTRAN_OPAQUE
	return "";
#else
	return c->asp->sock_name ? : "";
#endif
}
