/* Receiver for the live tests: reads a config file with cs7 instances (the library's VTY
 * syntax), attaches ss7watch's sigtran inputs and prints one --dump line per decoded message
 * on stdout. State changes are logged on stderr; the counters are printed there at exit. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <talloc.h>
#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/msgb.h>
#include <osmocom/core/select.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/logging.h>
#include <osmocom/vty/vty.h>
#include <osmocom/vty/command.h>
#include <ss7watch/decode.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/input_sigtran.h>
#include <ss7watch/track_pairing.h>

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	quit = 1;
}

static void on_msg(struct sw_decoder *dec, struct sw_msg *msg, void *priv)
{
	sw_dump_msg(stdout, msg);
	fflush(stdout);
}

static struct sw_decoder *dec_for(void *ctx, uint8_t index, const char *name)
{
	struct sw_decoder *dec = sw_decoder_alloc(ctx, NULL, on_msg, NULL);

	/* results named by their invokes, as ss7watch --dump names them */
	if (dec && !track_pairing_attach(dec, 0, 0)) {
		sw_decoder_free(dec);
		return NULL;
	}
	return dec;
}

static int go_parent(struct vty *vty)
{
	return sw_sigtran_vty_go_parent(vty);
}

static struct vty_app_info vty_info = {
	.name = "sigtran_rx_test",
	.version = "0",
	.go_parent_cb = go_parent,
};

static const struct log_info_cat log_cats[] = {};

static const struct log_info log_info = {
	.cat = log_cats,
	.num_cat = ARRAY_SIZE(log_cats),
};

int main(int argc, char **argv)
{
	void *ctx = talloc_named_const(NULL, 0, "sigtran_rx_test");
	const char *cfg = NULL;
	int c, n;

	while ((c = getopt(argc, argv, "c:h")) != -1) {
		switch (c) {
		case 'c':
			cfg = optarg;
			break;
		default:
			fprintf(stderr, "usage: sigtran_rx_test -c CONFIG\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (!cfg) {
		fprintf(stderr, "usage: sigtran_rx_test -c CONFIG\n");
		return 2;
	}

	osmo_init_logging2(ctx, &log_info);
	msgb_talloc_ctx_init(ctx, 0);
	log_set_print_category(osmo_stderr_target, 1);
	log_set_print_category_hex(osmo_stderr_target, 0);
	log_set_print_timestamp(osmo_stderr_target, 1);
	log_set_log_level(osmo_stderr_target, LOGL_NOTICE);
	vty_info.tall_ctx = ctx;
	vty_init(&vty_info);
	logging_vty_add_cmds();
	if (sw_sigtran_init(ctx) < 0) {
		fprintf(stderr, "sigtran_rx_test: cannot initialise libosmo-sigtran\n");
		return 1;
	}
	if (vty_read_config_file(cfg, NULL) < 0) {
		fprintf(stderr, "sigtran_rx_test: %s: cannot read config\n", cfg);
		return 1;
	}
	n = sw_sigtran_inputs_start(ctx, 0, dec_for, ctx);
	if (n <= 0) {
		fprintf(stderr, "sigtran_rx_test: %s: no usable cs7 instance\n", cfg);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);

	while (!quit)
		osmo_select_main_ctx(0);

	for (unsigned i = 0; i < sw_sigtran_inputs_count(); i++) {
		struct sw_sigtran_input_info info;

		sw_sigtran_input_get_info(sw_sigtran_inputs_get(i), &info);
		fprintf(stderr, "input %s: %s msgs=%llu bytes=%llu ups=%u downs=%u reconnects=%u restarts=%u "
			"peer=%s\n", info.name, info.up ? "up" : "down", (unsigned long long)info.msgs,
			(unsigned long long)info.bytes, info.ups, info.downs, info.reconnects, info.restarts,
			info.peer);
	}
	sw_sigtran_inputs_stop();
	return 0;
}
