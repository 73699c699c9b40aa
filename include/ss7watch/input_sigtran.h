/*! \file input_sigtran.h
 *  Live input through libosmo-sigtran: M3UA (over SCTP) or IPA/SCCPlite (over TCP), as an ASP
 *  connected to an STP or as an SG accepting ASPs. The cs7 instances are configured with the
 *  library's own VTY nodes ("cs7 instance N", "asp ...", "as ...", "listen ...").
 *
 *  Every MSU with SI 3 delivered to an instance goes through a raw MTP user (the library's
 *  SCCP user SAP drops GT-routed messages) into one decoder, with the MTP3 label of the
 *  primitive. Only this adapter calls libosmo-sigtran: its structs become opaque in 2.x.
 *
 *  The library delivers to the MTP user only MSUs whose DPC is the instance's point code:
 *  over IPA that is always the case (the label is made up from the AS's routing key), over
 *  M3UA the instance's "point-code" must be the DPC of the traffic to watch. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/time.h>
#include <ss7watch/decode.h>

struct vty;
struct sw_sigtran_input;

/*! State and counters of one live input (one cs7 instance), for "show inputs". */
struct sw_sigtran_input_info {
	const char *name;		/*!< "cs7-<id>", or the instance's name when it has one */
	uint32_t inst_id;		/*!< cs7 instance number */
	uint8_t index;			/*!< input index written to sw_meta.input */
	uint8_t via;			/*!< SW_VIA_IPA or SW_VIA_M3UA_LIVE */
	bool up;			/*!< at least one ASP of the instance is active */
	unsigned asps;			/*!< ASPs of the instance (configured and dynamic) */
	unsigned asps_active;
	char peer[128];			/*!< socket of the first active ASP, else configured remote */
	uint64_t msgs;			/*!< MTP-TRANSFER indications decoded */
	uint64_t bytes;			/*!< their SCCP bytes */
	uint64_t other_prims;		/*!< other MTP primitives (PAUSE, RESUME, STATUS), ignored */
	uint32_t ups, downs;		/*!< ASP state changes seen by the supervision timer */
	uint32_t reconnects;		/*!< ASPs that came back up after having been down */
	uint32_t restarts;		/*!< ASP restarts forced by the supervision (library did not) */
	struct timeval last_change;	/*!< time of the last state change (0 when never) */
};

/*! Gives the decoder of a new input; NULL skips that instance. */
typedef struct sw_decoder *(*sw_sigtran_dec_cb_t)(void *priv, uint8_t index, const char *name);

/*! Initialise libosmo-sigtran and install its VTY nodes (SG set: asp, as, listen, route-table).
 *  Call once after vty_init() and before reading the config file.
 *  \returns 0, or negative on error. */
int sw_sigtran_init(void *ctx);

/*! Check the fix for libosmo-sigtran 2.0/2.1's double free of a received message
 *  (input_sigtran_compat.c); sw_sigtran_init() calls it.
 *  \returns 1 when the fix is built in and active, 0 when this build needs none, negative
 *  when it is built in but cannot find libosmo-netif's function. */
int sw_sigtran_compat_init(void);

/*! Go to the parent of a cs7 VTY node (vty_app_info.go_parent_cb, or called from the daemon's
 *  own go_parent_cb for nodes that are not its own): leaving an "asp" node starts that ASP,
 *  leaving a "listen" node binds the server. \returns 0. */
int sw_sigtran_vty_go_parent(struct vty *vty);

/*! Attach to cs7 instance inst_id: register a raw MTP user for SI 3 (replacing the library's
 *  SCCP user) and start the supervision of its ASPs. Messages go to dec, stamped with index.
 *  \returns the input (talloc child of ctx), or NULL when there is no such instance. */
struct sw_sigtran_input *sw_sigtran_input_create(void *ctx, uint32_t inst_id, uint8_t index,
						 struct sw_decoder *dec);

/*! Detach from the instance (unregister the MTP user, stop the timer) and free the input. */
void sw_sigtran_input_destroy(struct sw_sigtran_input *in);

/*! Fill info with the current state and counters of in. */
void sw_sigtran_input_get_info(const struct sw_sigtran_input *in, struct sw_sigtran_input_info *info);

/*! Attach to every configured cs7 instance, numbering the inputs from first_index.
 *  Call after the config file was read.
 *  \returns number of inputs attached, or negative on error (details logged). */
int sw_sigtran_inputs_start(void *ctx, uint8_t first_index, sw_sigtran_dec_cb_t dec_for, void *priv);

/*! Number of cs7 instances the config file set up (the inputs sw_sigtran_inputs_start()
 *  would attach to). */
unsigned sw_sigtran_instances_count(void);

/*! Number of inputs attached by sw_sigtran_inputs_start(). */
unsigned sw_sigtran_inputs_count(void);

/*! Input i (0-based) attached by sw_sigtran_inputs_start(), or NULL. */
struct sw_sigtran_input *sw_sigtran_inputs_get(unsigned i);

/*! Destroy every input attached by sw_sigtran_inputs_start(). */
void sw_sigtran_inputs_stop(void);

/* --- sending: a client ASP that injects MSUs into an STP (ss7replay) --- */

struct sw_sigtran_client;

/*! How the client ASP connects. */
struct sw_sigtran_client_cfg {
	bool m3ua;			/*!< M3UA over SCTP; false: IPA over TCP */
	const char *remote_host;
	uint16_t remote_port;
	const char *local_host;		/*!< NULL: any */
	uint16_t local_port;		/*!< 0: any */
	const char *asp_name;		/*!< also the IPA unit name, which must name an AS on the STP */
	const char *as_name;
	uint32_t rctx;			/*!< M3UA routing context of the AS (0: none) */
	bool has_pc;
	uint32_t pc;			/*!< own point code (routing key of the AS) */
	uint32_t inst_id;		/*!< cs7 instance to create */
};

/*! Create the cs7 instance, AS (default route to it) and client ASP of cfg, and start
 *  connecting. \returns the client, or NULL with a one-line reason in err. */
struct sw_sigtran_client *sw_sigtran_client_create(void *ctx, const struct sw_sigtran_client_cfg *cfg,
						   char *err, size_t errlen);

/*! Is the client's ASP active (ASP-ACTIVE done, or IPA identity exchanged)? */
bool sw_sigtran_client_active(const struct sw_sigtran_client *c);

/*! Send one SCCP message as MTP-TRANSFER.req with this routing label (IPA drops the label).
 *  \returns 0, or negative when the stack could not route or queue it. */
int sw_sigtran_client_send(struct sw_sigtran_client *c, uint32_t opc, uint32_t dpc, uint8_t sls, uint8_t ni,
			   const uint8_t *p, uint32_t len);

/*! Are bytes still queued for the socket? */
bool sw_sigtran_client_tx_pending(const struct sw_sigtran_client *c);

/*! "local<->remote" of the connected socket, or "". */
const char *sw_sigtran_client_peer(const struct sw_sigtran_client *c);
