/*! \file input_sigtran_compat.c
 *  A fix for libosmo-sigtran 2.0 and 2.1, applied from outside the library.
 *
 *  Those releases free a received message twice when the connection it came on is torn down
 *  while the message is handled (Osmocom OS#6728, fixed upstream in 2.2.0 by commit dfccd98
 *  "asp: Avoid double-free of received msg if conn is teared down"). Any IPA peer that sends an
 *  ID response naming a unit nobody configured triggers it: talloc aborts the process on the
 *  second free. Debian trixie ships 2.1.0, so an unauthenticated TCP peer could stop the
 *  daemon at will.
 *
 *  The library installs its receive handlers with osmo_stream_srv_set_read_cb() from
 *  libosmo-netif. This file defines that function in the program, which the dynamic linker
 *  prefers over libosmo-netif's: each handler the library installs is wrapped in a trampoline
 *  that moves the message under the connection's server link before the handler runs, as the
 *  upstream fix does, then calls the real osmo_stream_srv_set_read_cb(). Built only against
 *  the affected releases (configure defines SIGTRAN_RX_DOUBLE_FREE); elsewhere this file is
 *  empty apart from sw_sigtran_compat_init().
 */
#include <stddef.h>
#include <stdint.h>
#include <ss7watch/input_sigtran.h>

#if SIGTRAN_RX_DOUBLE_FREE
#include <dlfcn.h>
#include <talloc.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/msgb.h>
#include <osmocom/core/utils.h>
#include <osmocom/netif/stream.h>

typedef void (*set_read_cb_fn)(struct osmo_stream_srv *conn, osmo_stream_srv_read_cb2_t read_cb);

/* the library's handlers (IPA, xUA over SCTP, M3UA over TCP), one trampoline each */
#define COMPAT_HANDLERS		4
static osmo_stream_srv_read_cb2_t lib_handler[COMPAT_HANDLERS];

static int rx_reparented(unsigned int i, struct osmo_stream_srv *conn, int res, struct msgb *msg)
{
	/* the connection's teardown inside the handler no longer frees msg with it */
	if (msg)
		talloc_steal(osmo_stream_srv_get_master(conn), msg);
	return lib_handler[i](conn, res, msg);
}

#define TRAMPOLINE(i) \
	static int rx_##i(struct osmo_stream_srv *conn, int res, struct msgb *msg) \
	{ \
		return rx_reparented(i, conn, res, msg); \
	}
TRAMPOLINE(0)
TRAMPOLINE(1)
TRAMPOLINE(2)
TRAMPOLINE(3)

static const osmo_stream_srv_read_cb2_t trampoline[COMPAT_HANDLERS] = { rx_0, rx_1, rx_2, rx_3 };

static osmo_stream_srv_read_cb2_t wrap(osmo_stream_srv_read_cb2_t handler)
{
	unsigned int i;

	if (!handler)
		return NULL;
	for (i = 0; i < COMPAT_HANDLERS; i++) {
		if (lib_handler[i] == handler || trampoline[i] == handler)
			return trampoline[i];
		if (!lib_handler[i]) {
			lib_handler[i] = handler;
			return trampoline[i];
		}
	}
	/* a handler more than the library has today: installed as it is */
	LOGP(DLINP, LOGL_ERROR, "sigtran compat: no trampoline left for a receive handler; "
	     "it runs without the double-free fix\n");
	return handler;
}

/*! The program's osmo_stream_srv_set_read_cb(): libosmo-netif's, with the handler wrapped. */
void osmo_stream_srv_set_read_cb(struct osmo_stream_srv *conn, osmo_stream_srv_read_cb2_t read_cb)
{
	static set_read_cb_fn real;

	if (!real) {
		real = (set_read_cb_fn)dlsym(RTLD_NEXT, "osmo_stream_srv_set_read_cb");
		OSMO_ASSERT(real);
	}
	real(conn, wrap(read_cb));
}

int sw_sigtran_compat_init(void)
{
	/* resolve now, so a missing symbol shows at start and not at the first peer */
	if (!dlsym(RTLD_NEXT, "osmo_stream_srv_set_read_cb"))
		return -1;
	return 1;
}
#else
int sw_sigtran_compat_init(void)
{
	return 0;
}
#endif
