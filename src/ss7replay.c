/* ss7replay: send the SCCP messages of a capture to an STP as an ASP (M3UA or IPA), with their
 * original timing scaled by --speed. The capture goes through ss7watch's own decode chain
 * (link, IP, SCTP reassembly, M3UA/M2PA/M2UA/MTP2/MTP3), whose SCCP tap hands over the raw
 * SCCP bytes and the MTP3 label; the sigtran adapter sends them as MTP-TRANSFER.req. */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <pcap/pcap.h>
#include <talloc.h>
#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/select.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>
#include <ss7watch/decode.h>
#include <ss7watch/input_sigtran.h>

#define DEFAULT_PORT_IPA	5000
#define DEFAULT_PORT_M3UA	2905

/* one SCCP message of the current frame, waiting to be sent */
struct pending {
	uint32_t opc, dpc;
	uint8_t sls, ni;
	uint32_t len;
	uint8_t *data;
};

static struct {
	const char *file;
	struct sw_sigtran_client_cfg cl;
	double speed;
	unsigned wait_s;
	uint64_t count;
	bool has_opc, has_dpc;
	uint32_t opc, dpc;
	uint8_t pc_format;
	bool verbose;
} opt = {
	.cl = { .remote_host = "127.0.0.1", .asp_name = "ss7replay" },
	.speed = 1,
	.wait_s = 10,
};

static struct {
	void *ctx;
	pcap_t *pcap;
	int dlt;
	uint64_t frame;
	bool eof;
	struct sw_decoder *dec;
	struct sw_sigtran_client *client;
	struct osmo_timer_list tick;

	struct pending *q;	/* messages of the frames read so far, not yet sent */
	unsigned q_len, q_head, q_alloc;
	struct timeval q_ts;	/* capture time of the frame they came from */

	bool started;
	struct timeval t0;	/* capture time of the first message */
	struct timespec w0;	/* wall (monotonic) time it was sent */
	struct timespec down_since;
	bool down;

	uint64_t sent, failed;
	unsigned busy;		/* rounds in a row the socket still had bytes queued */
	bool done;
	int exit_code;
} rp;

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	quit = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ss7replay [options] -r FILE\n"
		"Send the SCCP messages of a capture to an STP as an ASP (libosmo-sigtran), keeping their timing.\n\n"
		"  -r, --read FILE        pcap or pcapng file (M3UA, M2PA, M2UA, MTP2 or MTP3 carrying SCCP)\n"
		"  -P, --protocol PROTO   ipa (SCCPlite over TCP, default) or m3ua (over SCTP)\n"
		"  -H, --host HOST        STP address (default 127.0.0.1)\n"
		"  -p, --port PORT        STP port (default %u for ipa, %u for m3ua)\n"
		"      --local-host HOST  local address to connect from\n"
		"      --local-port PORT  local port to connect from\n"
		"  -n, --asp-name NAME    ASP name; over IPA also the unit name, which must name an AS on\n"
		"                         the STP (default ss7replay)\n"
		"  -a, --as-name NAME     AS name (default: the ASP name)\n"
		"      --rctx N           M3UA routing context of the AS\n"
		"      --pc PC            own point code (routing key of the AS), e.g. 187 or 0.23.3\n"
		"      --opc PC           send every message with this OPC instead of the captured one\n"
		"      --dpc PC           send every message with this DPC instead of the captured one\n"
		"  -s, --speed X          timing: 1 as captured (default), 10 ten times faster, 0 as fast as\n"
		"                         possible\n"
		"  -w, --wait SEC         how long to wait for the ASP to become active, at the start and\n"
		"                         after losing the connection (default 10)\n"
		"  -c, --count N          stop after N messages\n"
		"      --pc-format FMT    point codes in the capture: itu (14 bit, default) or 24bit\n"
		"  -v, --verbose          log the libosmo-sigtran notices on stderr\n"
		"  -h, --help             this help\n\n"
		"Over IPA the routing label is not transmitted: the STP derives it from its AS config.\n",
		DEFAULT_PORT_IPA, DEFAULT_PORT_M3UA);
}

static void die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "ss7replay: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'ss7replay --help'.\n");
	exit(2);
}

/* a decimal point code, or ITU 3.8.3 notation */
static uint32_t parse_pc(const char *s, const char *what)
{
	unsigned a, b, c;
	char end;

	if (sscanf(s, "%u.%u.%u%c", &a, &b, &c, &end) == 3 && a < 8 && b < 256 && c < 8)
		return (a << 11) | (b << 3) | c;
	if (sscanf(s, "%u%c", &a, &end) == 1 && a <= 0xffffff)
		return a;
	die_usage(what, s);
	return 0;
}

static unsigned long parse_ulong(const char *s, unsigned long max, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end || v > max)
		die_usage(what, s);
	return v;
}

static void parse_args(int argc, char **argv)
{
	enum { OPT_LOCAL_HOST = 256, OPT_LOCAL_PORT, OPT_RCTX, OPT_PC, OPT_OPC, OPT_DPC, OPT_PC_FORMAT };
	static const struct option long_opts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "local-host", required_argument, NULL, OPT_LOCAL_HOST },
		{ "local-port", required_argument, NULL, OPT_LOCAL_PORT },
		{ "asp-name", required_argument, NULL, 'n' },
		{ "as-name", required_argument, NULL, 'a' },
		{ "rctx", required_argument, NULL, OPT_RCTX },
		{ "pc", required_argument, NULL, OPT_PC },
		{ "opc", required_argument, NULL, OPT_OPC },
		{ "dpc", required_argument, NULL, OPT_DPC },
		{ "speed", required_argument, NULL, 's' },
		{ "wait", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		{ "pc-format", required_argument, NULL, OPT_PC_FORMAT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *proto = "ipa";
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "r:P:H:p:n:a:s:w:c:vh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt.file = optarg;
			break;
		case 'P':
			proto = optarg;
			break;
		case 'H':
			opt.cl.remote_host = optarg;
			break;
		case 'p':
			opt.cl.remote_port = parse_ulong(optarg, 65535, "port: '%s' is not a port number");
			break;
		case OPT_LOCAL_HOST:
			opt.cl.local_host = optarg;
			break;
		case OPT_LOCAL_PORT:
			opt.cl.local_port = parse_ulong(optarg, 65535, "local-port: '%s' is not a port number");
			break;
		case 'n':
			opt.cl.asp_name = optarg;
			break;
		case 'a':
			opt.cl.as_name = optarg;
			break;
		case OPT_RCTX:
			opt.cl.rctx = parse_ulong(optarg, UINT32_MAX, "rctx: '%s' is not a routing context");
			break;
		case OPT_PC:
			opt.cl.pc = parse_pc(optarg, "pc: '%s' is not a point code");
			opt.cl.has_pc = true;
			break;
		case OPT_OPC:
			opt.opc = parse_pc(optarg, "opc: '%s' is not a point code");
			opt.has_opc = true;
			break;
		case OPT_DPC:
			opt.dpc = parse_pc(optarg, "dpc: '%s' is not a point code");
			opt.has_dpc = true;
			break;
		case 's':
			errno = 0;
			opt.speed = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(opt.speed >= 0))
				die_usage("speed: '%s' is not a factor >= 0", optarg);
			break;
		case 'w':
			opt.wait_s = parse_ulong(optarg, 3600, "wait: '%s' is not a number of seconds");
			break;
		case 'c':
			opt.count = parse_ulong(optarg, ULONG_MAX, "count: '%s' is not a number");
			break;
		case OPT_PC_FORMAT:
			if (!strcmp(optarg, "itu"))
				opt.pc_format = SW_PC_ITU14;
			else if (!strcmp(optarg, "24bit"))
				opt.pc_format = SW_PC_24BIT;
			else
				die_usage("pc-format: '%s' is neither 'itu' nor '24bit'", optarg);
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			fprintf(stderr, "Try 'ss7replay --help'.\n");
			exit(2);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (!opt.file)
		die_usage("%sno input: give a capture file with -r FILE", "");
	if (!strcmp(proto, "m3ua"))
		opt.cl.m3ua = true;
	else if (strcmp(proto, "ipa"))
		die_usage("protocol: '%s' is neither 'ipa' nor 'm3ua'", proto);
	if (!opt.cl.remote_port)
		opt.cl.remote_port = opt.cl.m3ua ? DEFAULT_PORT_M3UA : DEFAULT_PORT_IPA;
	if (!opt.cl.as_name)
		opt.cl.as_name = opt.cl.asp_name;
}

/* SCCP tap of the decoder: keep the message and its label, decode nothing further */
static bool tap_sccp(struct sw_decoder *dec, const uint8_t *p, uint32_t len, void *priv)
{
	const struct sw_mtp3 *l = &dec->msg.mtp3;
	struct pending *m;

	if (rp.q_len == rp.q_alloc) {
		unsigned n = rp.q_alloc ? rp.q_alloc * 2 : 16;
		struct pending *q = talloc_realloc(rp.ctx, rp.q, struct pending, n);

		if (!q)
			return true;
		rp.q = q;
		rp.q_alloc = n;
	}
	m = &rp.q[rp.q_len];
	m->data = talloc_memdup(rp.ctx, p, len);
	if (!m->data)
		return true;
	m->len = len;
	m->opc = opt.has_opc ? opt.opc : l->present ? l->opc : 0;
	m->dpc = opt.has_dpc ? opt.dpc : l->present ? l->dpc : 0;
	m->sls = l->sls;
	m->ni = l->ni;
	rp.q_len++;
	return true;
}

/* read frames until one yields SCCP messages; false at the end of the capture */
static bool fill_queue(void)
{
	struct pcap_pkthdr *h;
	const u_char *bytes;
	int rc;

	for (unsigned i = rp.q_head; i < rp.q_len; i++)
		talloc_free(rp.q[i].data);
	rp.q_len = rp.q_head = 0;
	while (!rp.eof && !rp.q_len) {
		rc = pcap_next_ex(rp.pcap, &h, &bytes);
		if (rc == 0)
			continue;
		if (rc < 0) {
			if (rc == PCAP_ERROR) {
				fprintf(stderr, "ss7replay: %s: read error after frame %llu: %s\n", opt.file,
					(unsigned long long)rp.frame, pcap_geterr(rp.pcap));
				rp.exit_code = 1;
			}
			rp.eof = true;
			break;
		}
		rp.q_ts.tv_sec = h->ts.tv_sec;
		rp.q_ts.tv_usec = h->ts.tv_usec;
		sw_decode_frame(rp.dec, rp.dlt, bytes, h->caplen, &rp.q_ts, ++rp.frame);
	}
	return rp.q_len > 0;
}

static double ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec - b->tv_sec) + (a->tv_nsec - b->tv_nsec) / 1e9;
}

static void finish(int code)
{
	if (code > rp.exit_code)
		rp.exit_code = code;
	rp.done = true;
}

/* send what is due, then sleep until the next message is */
static void tick(void *data)
{
	struct timespec now;
	double late;

	clock_gettime(CLOCK_MONOTONIC, &now);

	if (!sw_sigtran_client_active(rp.client)) {
		if (!rp.down) {
			rp.down = true;
			rp.down_since = now;
			fprintf(stderr, "ss7replay: connection lost after %llu messages, waiting up to %us\n",
				(unsigned long long)rp.sent, opt.wait_s);
		} else if (ts_diff(&now, &rp.down_since) > opt.wait_s) {
			fprintf(stderr, "ss7replay: %s:%u: connection lost and not back after %us\n",
				opt.cl.remote_host, opt.cl.remote_port, opt.wait_s);
			finish(1);
			return;
		}
		osmo_timer_schedule(&rp.tick, 0, 20000);
		return;
	}
	if (rp.down) {
		/* resume the timing where it stopped */
		double gap = ts_diff(&now, &rp.down_since);

		rp.w0.tv_sec += (time_t)gap;
		rp.w0.tv_nsec += (long)((gap - (time_t)gap) * 1e9);
		if (rp.w0.tv_nsec >= 1000000000) {
			rp.w0.tv_sec++;
			rp.w0.tv_nsec -= 1000000000;
		}
		rp.down = false;
		fprintf(stderr, "ss7replay: connection back, resuming\n");
	}
	/* one message per main loop round, and only when the last one left: the socket sets
	 * the pace, and nothing piles up in memory. The write usually happens in the same round,
	 * after the timers: look again at once, and only back off when the socket is full. */
	if (sw_sigtran_client_tx_pending(rp.client)) {
		rp.busy++;
		osmo_timer_schedule(&rp.tick, 0, rp.busy < 64 ? 0 : 1000);
		return;
	}
	rp.busy = 0;
	if (rp.q_head == rp.q_len && !fill_queue()) {
		finish(0);
		return;
	}
	if (!rp.started) {
		rp.started = true;
		rp.t0 = rp.q_ts;
		rp.w0 = now;
	}
	if (opt.speed > 0) {
		double at = ((rp.q_ts.tv_sec - rp.t0.tv_sec) + (rp.q_ts.tv_usec - rp.t0.tv_usec) / 1e6) / opt.speed;

		late = ts_diff(&now, &rp.w0) - at;
		if (late < 0) {
			double wait = -late;

			osmo_timer_schedule(&rp.tick, (time_t)wait, (long)((wait - (time_t)wait) * 1e6));
			return;
		}
	}
	{
		struct pending *m = &rp.q[rp.q_head++];

		if (sw_sigtran_client_send(rp.client, m->opc, m->dpc, m->sls, m->ni, m->data, m->len) == 0)
			rp.sent++;
		else
			rp.failed++;
		talloc_free(m->data);
		m->data = NULL;
	}
	if (opt.count && rp.sent + rp.failed >= opt.count) {
		finish(0);
		return;
	}
	osmo_timer_schedule(&rp.tick, 0, 0);
}

static const struct log_info_cat log_cats[] = {};
static const struct log_info log_info = { .cat = log_cats, .num_cat = ARRAY_SIZE(log_cats) };

/* libosmo-sigtran carries M3UA over SCTP only */
static bool kernel_has_sctp(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);

	if (fd < 0)
		return errno != EPROTONOSUPPORT && errno != ESOCKTNOSUPPORT;
	close(fd);
	return true;
}

int main(int argc, char **argv)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	char err[256];
	struct timespec start, now, end;
	struct sw_decoder_cfg dcfg = { 0 };
	int rc = 1;

	parse_args(argc, argv);

	rp.pcap = pcap_open_offline(opt.file, perr);
	if (!rp.pcap) {
		fprintf(stderr, "ss7replay: %s: cannot read capture: %s\n", opt.file, perr);
		return 1;
	}
	rp.dlt = pcap_datalink(rp.pcap);
	if (!sw_linktype_supported(rp.dlt)) {
		const char *name = pcap_datalink_val_to_name(rp.dlt);

		fprintf(stderr, "ss7replay: %s: unsupported link type %d (%s)\n", opt.file, rp.dlt,
			name ? name : "unknown");
		goto out_pcap;
	}
	if (opt.cl.m3ua && !kernel_has_sctp()) {
		fprintf(stderr, "ss7replay: M3UA needs SCTP, and this kernel has no SCTP (use -P ipa)\n");
		goto out_pcap;
	}

	rp.ctx = talloc_named_const(NULL, 0, "ss7replay");
	osmo_init_logging2(rp.ctx, &log_info);
	log_set_print_category(osmo_stderr_target, 1);
	log_set_print_category_hex(osmo_stderr_target, 0);
	log_set_log_level(osmo_stderr_target, opt.verbose ? LOGL_NOTICE : LOGL_FATAL);

	dcfg.pc_format = opt.pc_format;
	rp.dec = sw_decoder_alloc(rp.ctx, &dcfg, NULL, NULL);
	if (!rp.dec) {
		fprintf(stderr, "ss7replay: out of memory\n");
		goto out;
	}
	rp.dec->on_sccp = tap_sccp;

	rp.client = sw_sigtran_client_create(rp.ctx, &opt.cl, err, sizeof(err));
	if (!rp.client) {
		fprintf(stderr, "ss7replay: %s\n", err);
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!quit && !sw_sigtran_client_active(rp.client)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ts_diff(&now, &start) > opt.wait_s) {
			fprintf(stderr, "ss7replay: cannot connect to %s:%u as %s ASP '%s': not active after %us\n",
				opt.cl.remote_host, opt.cl.remote_port, opt.cl.m3ua ? "M3UA" : "IPA",
				opt.cl.asp_name, opt.wait_s);
			goto out;
		}
		osmo_select_main_ctx(1);
		usleep(2000);
	}

	clock_gettime(CLOCK_MONOTONIC, &start);
	osmo_timer_setup(&rp.tick, tick, NULL);
	osmo_timer_schedule(&rp.tick, 0, 0);
	while (!quit && !rp.done)
		osmo_select_main_ctx(0);
	osmo_timer_del(&rp.tick);

	/* let the queued bytes leave before closing */
	clock_gettime(CLOCK_MONOTONIC, &now);
	while (sw_sigtran_client_tx_pending(rp.client)) {
		clock_gettime(CLOCK_MONOTONIC, &end);
		if (ts_diff(&end, &now) > opt.wait_s)
			break;
		osmo_select_main_ctx(1);
		usleep(1000);
	}
	clock_gettime(CLOCK_MONOTONIC, &end);

	printf("sent %llu messages (%llu not sent) from %llu frames of %s to %s:%u in %.3fs\n",
	       (unsigned long long)rp.sent, (unsigned long long)rp.failed, (unsigned long long)rp.frame,
	       opt.file, opt.cl.remote_host, opt.cl.remote_port, ts_diff(&end, &start));
	if (quit)
		rc = 130;
	else if (rp.failed && !rp.exit_code)
		rc = 1;
	else
		rc = rp.exit_code;
out:
	talloc_free(rp.ctx);
out_pcap:
	pcap_close(rp.pcap);
	return rc;
}
