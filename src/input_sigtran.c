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
 * with their connections. */
#include <errno.h>
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
#include <ss7watch/input_sigtran.h>

#define SUPERVISE_INTERVAL_MS	500
/* the library's own reconnect timer is 5 s: give it the chance first */
#define RESTART_FIRST_S		12
#define RESTART_MAX_S		120
#define MAX_TRACKED_ASPS	64
#define MAX_INPUTS		32

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
	struct osmo_ss7_user user;
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
};

static struct sw_sigtran_input *inputs[MAX_INPUTS];
static unsigned n_inputs;

int sw_sigtran_init(void *ctx)
{
	int rc = osmo_ss7_init();

	if (rc < 0)
		return rc;
	/* the SG set is a superset of the ASP one: we may listen (SG) or connect (ASP) */
	osmo_ss7_vty_init_sg(ctx);
	return 0;
}

int sw_sigtran_vty_go_parent(struct vty *vty)
{
	return osmo_ss7_vty_go_parent(vty);
}

/* IPA carries no routing label: the library makes one up from the AS config, so it means
 * nothing. An instance with any M3UA ASP is taken as M3UA. */
static uint8_t instance_via(const struct osmo_ss7_instance *inst)
{
	struct osmo_ss7_asp *asp;
	bool ipa = false;

	llist_for_each_entry(asp, &inst->asp_list, list) {
		if (asp->cfg.proto == OSMO_SS7_ASP_PROT_M3UA)
			return SW_VIA_M3UA_LIVE;
		if (asp->cfg.proto == OSMO_SS7_ASP_PROT_IPA)
			ipa = true;
	}
	if (!ipa) {
		struct osmo_xua_server *xs;

		llist_for_each_entry(xs, &inst->xua_servers, list)
			if (xs->cfg.proto == OSMO_SS7_ASP_PROT_IPA)
				ipa = true;
	}
	return ipa ? SW_VIA_IPA : SW_VIA_M3UA_LIVE;
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
		if (in->track[i].asp == asp && !strncmp(in->track[i].name, asp->cfg.name ? : "",
							 sizeof(in->track[i].name) - 1))
			return &in->track[i];
	return NULL;
}

static bool asp_present(const struct osmo_ss7_instance *inst, const struct osmo_ss7_asp *asp)
{
	struct osmo_ss7_asp *a;

	llist_for_each_entry(a, &inst->asp_list, list)
		if (a == asp)
			return true;
	return false;
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

static const char *asp_peer(const struct osmo_ss7_asp *asp, char *buf, size_t len)
{
	if (asp->sock_name)
		return asp->sock_name;
	snprintf(buf, len, "%s:%u", asp->cfg.remote.host_cnt ? asp->cfg.remote.host[0] : "?",
		 asp->cfg.remote.port);
	return buf;
}

/* A client ASP that was never started, or lost its stream client, stays down for good: start
 * it. One with a stream client is left alone, as the library reconnects it every 5 s (even
 * when the socket cannot be created), and a restart in the middle would open a second socket. */
static void maybe_restart(struct sw_sigtran_input *in, struct osmo_ss7_asp *asp, struct asp_track *t,
			  const struct timeval *now)
{
	if (asp->cfg.is_server || (asp->fi && asp->client))
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
	if (!asp->pending_msg || asp->cfg.is_server || !asp->client)
		return;
	if (osmo_stream_cli_is_connected(asp->client))
		return;
	msgb_free(asp->pending_msg);
	asp->pending_msg = NULL;
}

static void supervise(void *data)
{
	struct sw_sigtran_input *in = data;
	struct osmo_ss7_asp *asp;
	struct timeval now;
	char buf[128];

	gettimeofday(&now, NULL);

	/* forget ASPs that are gone (dynamic ones of a server, "no asp") */
	for (unsigned i = 0; i < in->n_track;) {
		struct asp_track *t = &in->track[i];

		if (asp_present(in->inst, t->asp)) {
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

	llist_for_each_entry(asp, &in->inst->asp_list, list) {
		struct asp_track *t = track_find(in, asp);
		bool active = osmo_ss7_asp_active(asp);

		if (!t) {
			if (in->n_track >= MAX_TRACKED_ASPS)
				continue;
			t = &in->track[in->n_track++];
			memset(t, 0, sizeof(*t));
			t->asp = asp;
			osmo_strlcpy(t->name, asp->cfg.name ? : "", sizeof(t->name));
			t->down_since = now;
			t->backoff_s = RESTART_FIRST_S;
		}
		if (active != t->active)
			note_change(in, t, active, &now, asp_peer(asp, buf, sizeof(buf)));
		else if (!active)
			maybe_restart(in, asp, t, &now);
		drop_stale_partial(asp);
	}
	osmo_timer_schedule(&in->timer, 0, SUPERVISE_INTERVAL_MS * 1000);
}

static int input_destructor(struct sw_sigtran_input *in)
{
	osmo_timer_del(&in->timer);
	if (in->inst && in->inst->user[MTP_SI_SCCP] == &in->user)
		osmo_ss7_user_unregister(in->inst, MTP_SI_SCCP, &in->user);
	return 0;
}

struct sw_sigtran_input *sw_sigtran_input_create(void *ctx, uint32_t inst_id, uint8_t index,
						 struct sw_decoder *dec)
{
	struct osmo_ss7_instance *inst = osmo_ss7_instance_find(inst_id);
	struct sw_sigtran_input *in;
	struct osmo_ss7_asp *asp;

	if (!inst || !dec)
		return NULL;
	in = talloc_zero(ctx, struct sw_sigtran_input);
	if (!in)
		return NULL;
	in->inst = inst;
	in->dec = dec;
	in->index = index;
	in->via = instance_via(inst);
	if (inst->cfg.name)
		osmo_strlcpy(in->name, inst->cfg.name, sizeof(in->name));
	else
		snprintf(in->name, sizeof(in->name), "cs7-%u", inst_id);

	/* take SI 3 from the library's SCCP (if it made one): it must not see the traffic */
	if (inst->user[MTP_SI_SCCP])
		osmo_ss7_user_unregister(inst, MTP_SI_SCCP, NULL);
	in->user.name = "ss7watch";
	in->user.prim_cb = tap_prim_cb;
	in->user.priv = in;
	if (osmo_ss7_user_register(inst, MTP_SI_SCCP, &in->user) < 0) {
		talloc_free(in);
		return NULL;
	}
	talloc_set_destructor(in, input_destructor);

	llist_for_each_entry(asp, &inst->asp_list, list) {
		if (asp->cfg.proto == OSMO_SS7_ASP_PROT_SUA)
			LOGP(DLSS7, LOGL_ERROR, "input %s: ASP %s speaks SUA, which does not reach an MTP user: "
			     "use M3UA or IPA\n", in->name, asp->cfg.name);
		/* an "asp" block at the end of the file may not have been started by the VTY */
		if (!asp->fi && !asp->cfg.is_server)
			osmo_ss7_asp_restart(asp);
	}
	if (in->via == SW_VIA_M3UA_LIVE && !osmo_ss7_pc_is_valid(inst->cfg.primary_pc))
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

void sw_sigtran_input_get_info(const struct sw_sigtran_input *in, struct sw_sigtran_input_info *info)
{
	struct osmo_ss7_asp *asp;
	char buf[128];

	memset(info, 0, sizeof(*info));
	info->name = in->name;
	info->inst_id = in->inst->cfg.id;
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
	llist_for_each_entry(asp, &in->inst->asp_list, list) {
		bool active = osmo_ss7_asp_active(asp);

		info->asps++;
		if (active)
			info->asps_active++;
		if ((active && info->asps_active == 1) || info->asps == 1)
			osmo_strlcpy(info->peer, asp_peer(asp, buf, sizeof(buf)), sizeof(info->peer));
	}
	info->up = info->asps_active > 0;
}

int sw_sigtran_inputs_start(void *ctx, uint8_t first_index, sw_sigtran_dec_cb_t dec_for, void *priv)
{
	struct osmo_ss7_instance *inst;
	unsigned started = 0;

	llist_for_each_entry(inst, &osmo_ss7_instances, list) {
		struct sw_sigtran_input *in;
		struct sw_decoder *dec;
		char name[32];

		if (n_inputs >= MAX_INPUTS) {
			LOGP(DLSS7, LOGL_ERROR, "more than %u cs7 instances: ignoring the others\n", MAX_INPUTS);
			break;
		}
		snprintf(name, sizeof(name), "cs7-%u", inst->cfg.id);
		dec = dec_for(priv, first_index + n_inputs, inst->cfg.name ? : name);
		if (!dec)
			continue;
		in = sw_sigtran_input_create(ctx, inst->cfg.id, first_index + n_inputs, dec);
		if (!in) {
			LOGP(DLSS7, LOGL_ERROR, "cs7 instance %u: cannot register as MTP user for SCCP\n",
			     inst->cfg.id);
			return -EBUSY;
		}
		inputs[n_inputs++] = in;
		started++;
	}
	return started;
}

unsigned sw_sigtran_instances_count(void)
{
	struct osmo_ss7_instance *inst;
	unsigned n = 0;

	llist_for_each_entry(inst, &osmo_ss7_instances, list)
		n++;
	return n;
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
	struct osmo_fd *ofd;

	if (!c->asp->client || !osmo_stream_cli_is_connected(c->asp->client))
		return false;
	ofd = osmo_stream_cli_get_ofd(c->asp->client);
	return ofd && (ofd->when & OSMO_FD_WRITE);
}

const char *sw_sigtran_client_peer(const struct sw_sigtran_client *c)
{
	return c->asp->sock_name ? : "";
}
