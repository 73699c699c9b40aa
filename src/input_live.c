/* Daemon inputs through libpcap (input_live.h): live capture on an interface and capture
 * files, both driven by the osmo_select loop, and their config nodes.
 *
 * A capture runs non-blocking in immediate mode (each frame is handed over as it arrives, for
 * the alert latency) and is read in bounded batches so one busy input cannot starve the
 * others. When the interface fails (it went down, was removed), the capture is closed and
 * reopened every RETRY_S seconds; frame numbers and kernel counters go on across reopens. */
#include <errno.h>
#include <string.h>
#include <talloc.h>
#include <pcap/pcap.h>
#include <ss7watch/input_pcap.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/select.h>
#include <osmocom/core/timer.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>
#include <ss7watch/input_live.h>
#include <ss7watch/logging.h>

#define CAPTURE_BATCH	1024	/* frames per read of a capture */
#define FILE_BATCH	512	/* frames per timer tick of a file */
#define RETRY_S		5
#define TIMEOUT_MS	10	/* only used if immediate mode is unavailable */

struct sw_live_input {
	const struct sw_live_cfg *cfg;
	struct sw_decoder *dec;
	pcap_t *p;
	char *file_buf;		/* read buffer of a file input (sw_pcap_open_file) */
	int dlt;
	enum sw_live_state state;
	struct osmo_fd ofd;
	struct osmo_timer_list timer;	/* file batches; capture reopen */

	uint64_t frames, bytes;
	/* kernel counters of the captures closed before the current one */
	uint64_t recv_closed, drop_closed, ifdrop_closed;
	uint32_t reopens;
	char last_error[160];
};

static LLIST_HEAD(live_cfgs);
static int node_pcap, node_file;

const char *sw_live_state_name(enum sw_live_state st)
{
	switch (st) {
	case SW_LIVE_CLOSED:	return "closed";
	case SW_LIVE_RUNNING:	return "running";
	case SW_LIVE_RETRYING:	return "retrying";
	case SW_LIVE_FINISHED:	return "finished";
	case SW_LIVE_FAILED:	return "failed";
	}
	return "unknown";
}

/* --- reading --- */

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct sw_live_input *in = (struct sw_live_input *)user;
	struct timeval ts = { .tv_sec = h->ts.tv_sec, .tv_usec = h->ts.tv_usec };

	in->bytes += h->caplen;
	/* caplen: a snap length shorter than the frame gives a truncated frame, counted as such */
	sw_decode_frame(in->dec, in->dlt, bytes, h->caplen, &ts, ++in->frames);
}

static void add_closed_stats(struct sw_live_input *in)
{
	struct pcap_stat ps;

	if (in->cfg->file || !in->p || pcap_stats(in->p, &ps) < 0)
		return;
	in->recv_closed += ps.ps_recv;
	in->drop_closed += ps.ps_drop;
	in->ifdrop_closed += ps.ps_ifdrop;
}

static void close_pcap(struct sw_live_input *in)
{
	if (in->ofd.fd >= 0) {
		osmo_fd_unregister(&in->ofd);
		in->ofd.fd = -1;
	}
	if (in->p) {
		add_closed_stats(in);
		sw_pcap_close_file(in->p, in->file_buf);
		in->p = NULL;
		in->file_buf = NULL;
	}
}

static int open_capture(struct sw_live_input *in, char *err, size_t errlen);

static void capture_failed(struct sw_live_input *in, const char *why)
{
	OSMO_STRLCPY_ARRAY(in->last_error, why);
	LOGP(DINPUT, LOGL_ERROR, "input %s: capture on %s failed: %s; reopening every %us\n", in->cfg->name,
	     in->cfg->iface, why, RETRY_S);
	close_pcap(in);
	in->state = SW_LIVE_RETRYING;
	osmo_timer_schedule(&in->timer, RETRY_S, 0);
}

static int capture_read_cb(struct osmo_fd *ofd, unsigned int what)
{
	struct sw_live_input *in = ofd->data;
	int rc = pcap_dispatch(in->p, CAPTURE_BATCH, on_frame, (u_char *)in);

	if (rc == PCAP_ERROR)
		capture_failed(in, pcap_geterr(in->p));
	return 0;
}

static void file_batch_cb(void *data)
{
	struct sw_live_input *in = data;
	int rc = pcap_dispatch(in->p, FILE_BATCH, on_frame, (u_char *)in);

	if (rc > 0) {
		/* yield to the select loop, then go on */
		osmo_timer_schedule(&in->timer, 0, 0);
		return;
	}
	if (rc == PCAP_ERROR) {
		snprintf(in->last_error, sizeof(in->last_error), "read error after frame %llu: %s",
			 (unsigned long long)in->frames, pcap_geterr(in->p));
		LOGP(DINPUT, LOGL_ERROR, "input %s: %s: %s\n", in->cfg->name, in->cfg->path, in->last_error);
		in->state = SW_LIVE_FAILED;
	} else {
		LOGP(DINPUT, LOGL_NOTICE, "input %s: %s read to its end (%llu frames)\n", in->cfg->name,
		     in->cfg->path, (unsigned long long)in->frames);
		in->state = SW_LIVE_FINISHED;
	}
	close_pcap(in);
}

static void retry_cb(void *data)
{
	struct sw_live_input *in = data;
	char err[256];

	if (open_capture(in, err, sizeof(err)) < 0) {
		OSMO_STRLCPY_ARRAY(in->last_error, err);
		osmo_timer_schedule(&in->timer, RETRY_S, 0);
		return;
	}
	in->reopens++;
	LOGP(DINPUT, LOGL_NOTICE, "input %s: capturing on %s again\n", in->cfg->name, in->cfg->iface);
	sw_live_input_start(in);
}

/* --- opening --- */

static int check_linktype(struct sw_live_input *in, const char *what, char *err, size_t errlen)
{
	const char *name;

	in->dlt = pcap_datalink(in->p);
	if (sw_linktype_supported(in->dlt))
		return 0;
	name = pcap_datalink_val_to_name(in->dlt);
	snprintf(err, errlen, "%s: unsupported link type %d (%s); supported: Ethernet, Linux SLL/SLL2, raw IPv4/IPv6, "
		 "MTP2, MTP2 with pseudo-header, MTP3", what, in->dlt, name ? name : "unknown");
	return -1;
}

static int set_filter(struct sw_live_input *in, char *err, size_t errlen)
{
	struct bpf_program prog;

	if (!in->cfg->filter)
		return 0;
	if (pcap_compile(in->p, &prog, in->cfg->filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "input %s: bad filter '%s': %s", in->cfg->name, in->cfg->filter,
			 pcap_geterr(in->p));
		return -1;
	}
	if (pcap_setfilter(in->p, &prog) < 0) {
		snprintf(err, errlen, "input %s: cannot set filter '%s': %s", in->cfg->name, in->cfg->filter,
			 pcap_geterr(in->p));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

static int open_capture(struct sw_live_input *in, char *err, size_t errlen)
{
	const struct sw_live_cfg *c = in->cfg;
	char perr[PCAP_ERRBUF_SIZE] = "";
	int rc;

	in->p = pcap_create(c->iface, perr);
	if (!in->p) {
		snprintf(err, errlen, "input %s: cannot capture on %s: %s", c->name, c->iface, perr);
		return -1;
	}
	pcap_set_snaplen(in->p, c->snaplen);
	pcap_set_promisc(in->p, c->promisc);
	pcap_set_buffer_size(in->p, (int)(c->buffer_mb << 20));
	pcap_set_timeout(in->p, TIMEOUT_MS);
	/* each frame as it arrives, not when a block of them is full: the alert comes at once */
	pcap_set_immediate_mode(in->p, 1);
	rc = pcap_activate(in->p);
	if (rc < 0) {
		snprintf(err, errlen, "input %s: cannot capture on %s: %s%s%s", c->name, c->iface,
			 pcap_statustostr(rc), rc == PCAP_ERROR ? ": " : "", rc == PCAP_ERROR ? pcap_geterr(in->p) : "");
		goto fail;
	}
	if (rc > 0)
		LOGP(DINPUT, LOGL_NOTICE, "input %s: %s: %s\n", c->name, c->iface, pcap_statustostr(rc));
	if (check_linktype(in, c->iface, err, errlen) < 0 || set_filter(in, err, errlen) < 0)
		goto fail;
	if (pcap_setnonblock(in->p, 1, perr) < 0) {
		snprintf(err, errlen, "input %s: %s: cannot read non-blocking: %s", c->name, c->iface, perr);
		goto fail;
	}
	if (pcap_get_selectable_fd(in->p) < 0) {
		snprintf(err, errlen, "input %s: %s: no selectable file descriptor", c->name, c->iface);
		goto fail;
	}
	return 0;
fail:
	pcap_close(in->p);
	in->p = NULL;
	return -1;
}

static int open_file(struct sw_live_input *in, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";

	in->p = sw_pcap_open_file(in->cfg->path, &in->file_buf, perr);
	if (!in->p) {
		snprintf(err, errlen, "input %s: %s: cannot read capture: %s", in->cfg->name, in->cfg->path, perr);
		return -1;
	}
	if (check_linktype(in, in->cfg->path, err, errlen) < 0) {
		sw_pcap_close_file(in->p, in->file_buf);
		in->p = NULL;
		in->file_buf = NULL;
		return -1;
	}
	return 0;
}

static int live_destructor(struct sw_live_input *in)
{
	osmo_timer_del(&in->timer);
	close_pcap(in);
	return 0;
}

struct sw_live_input *sw_live_input_open(void *ctx, const struct sw_live_cfg *cfg, struct sw_decoder *dec,
					 char *err, size_t errlen)
{
	struct sw_live_input *in = talloc_zero(ctx, struct sw_live_input);
	int rc;

	if (!in) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	in->cfg = cfg;
	in->dec = dec;
	in->ofd.fd = -1;
	rc = cfg->file ? open_file(in, err, errlen) : open_capture(in, err, errlen);
	if (rc < 0) {
		talloc_free(in);
		return NULL;
	}
	talloc_set_destructor(in, live_destructor);
	return in;
}

void sw_live_input_start(struct sw_live_input *in)
{
	if (!in->p)
		return;
	in->state = SW_LIVE_RUNNING;
	if (in->cfg->file) {
		osmo_timer_setup(&in->timer, file_batch_cb, in);
		osmo_timer_schedule(&in->timer, 0, 0);
		return;
	}
	osmo_timer_setup(&in->timer, retry_cb, in);
	osmo_fd_setup(&in->ofd, pcap_get_selectable_fd(in->p), OSMO_FD_READ, capture_read_cb, in, 0);
	if (osmo_fd_register(&in->ofd) < 0) {
		in->ofd.fd = -1;
		capture_failed(in, "cannot register the capture's file descriptor");
	}
}

void sw_live_input_stop(struct sw_live_input *in)
{
	osmo_timer_del(&in->timer);
	close_pcap(in);
	if (in->state == SW_LIVE_RUNNING || in->state == SW_LIVE_RETRYING)
		in->state = SW_LIVE_CLOSED;
}

void sw_live_input_get_info(struct sw_live_input *in, struct sw_live_info *info)
{
	struct pcap_stat ps;

	memset(info, 0, sizeof(*info));
	info->name = in->cfg->name;
	info->file = in->cfg->file;
	info->state = in->state;
	info->source = in->cfg->file ? in->cfg->path : in->cfg->iface;
	info->frames = in->frames;
	info->bytes = in->bytes;
	info->kernel_received = in->recv_closed;
	info->kernel_drops = in->drop_closed;
	info->if_drops = in->ifdrop_closed;
	info->reopens = in->reopens;
	OSMO_STRLCPY_ARRAY(info->last_error, in->last_error);
	if (!in->cfg->file && in->p && pcap_stats(in->p, &ps) == 0) {
		info->kernel_received += ps.ps_recv;
		info->kernel_drops += ps.ps_drop;
		info->if_drops += ps.ps_ifdrop;
	}
}

/* --- config nodes --- */

struct llist_head *sw_live_configs(void)
{
	return &live_cfgs;
}

static struct cmd_node pcap_node = {
	.prompt = "%s(config-input-pcap)# ",
	.vtysh = 1,
};

static struct cmd_node file_node = {
	.prompt = "%s(config-input-file)# ",
	.vtysh = 1,
};

static struct sw_live_cfg *cfg_find(const char *name)
{
	struct sw_live_cfg *c;

	llist_for_each_entry(c, &live_cfgs, list)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static bool valid_input_name(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 32 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static int enter_input(struct vty *vty, const char *name, bool file)
{
	struct sw_live_cfg *c = cfg_find(name);

	if (!valid_input_name(name)) {
		vty_out(vty, "%% input name '%s': 1 to 32 letters, digits, '.', '_' or '-'%s", name, VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (c && c->file != file) {
		vty_out(vty, "%% input '%s' is already an input %s%s", name, c->file ? "file" : "pcap", VTY_NEWLINE);
		return CMD_WARNING;
	}
	if (!c) {
		c = talloc_zero(NULL, struct sw_live_cfg);
		c->name = talloc_strdup(c, name);
		c->file = file;
		c->snaplen = SW_LIVE_DEFAULT_SNAPLEN;
		c->buffer_mb = SW_LIVE_DEFAULT_BUFFER_MB;
		c->promisc = true;
		llist_add_tail(&c->list, &live_cfgs);
	}
	vty->index = c;
	vty->node = file ? node_file : node_pcap;
	return CMD_SUCCESS;
}

DEFUN(cfg_input_pcap, cfg_input_pcap_cmd, "input pcap NAME",
      "Configure an input\n" "Live capture on a network interface (libpcap), e.g. a mirror port\n"
      "Name of the input (named in its alerts, show inputs, counters)\n")
{
	return enter_input(vty, argv[0], false);
}

DEFUN(cfg_input_file, cfg_input_file_cmd, "input file NAME",
      "Configure an input\n" "A pcap or pcapng file, read once at start as in replay mode\n"
      "Name of the input\n")
{
	return enter_input(vty, argv[0], true);
}

DEFUN(cfg_no_input, cfg_no_input_cmd, "no input (pcap|file) NAME",
      NO_STR "Remove an input (takes effect at the next start)\n" "Live capture\n" "File\n" "Name of the input\n")
{
	struct sw_live_cfg *c = cfg_find(argv[1]);

	if (!c) {
		vty_out(vty, "%% no input '%s'%s", argv[1], VTY_NEWLINE);
		return CMD_WARNING;
	}
	llist_del(&c->list);
	talloc_free(c);
	return CMD_SUCCESS;
}

DEFUN(cfg_pcap_interface, cfg_pcap_interface_cmd, "interface IFACE",
      "Network interface to capture on (the mirror port)\n" "Interface name, e.g. eth1\n")
{
	struct sw_live_cfg *c = vty->index;

	if (strlen(argv[0]) >= 64) {
		vty_out(vty, "%% interface name too long: '%s'%s", argv[0], VTY_NEWLINE);
		return CMD_WARNING;
	}
	osmo_talloc_replace_string(c, &c->iface, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_pcap_filter, cfg_pcap_filter_cmd, "filter .BPF",
      "Capture only what this BPF filter accepts (tcpdump syntax)\n" "Filter expression, e.g. sctp or port 2905\n")
{
	struct sw_live_cfg *c = vty->index;
	char *expr = argv_concat(argv, argc, 0);
	struct bpf_program prog;
	char *reason;

	/* check the syntax now, so a config error names its line */
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);

	if (dead && pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		reason = talloc_strdup(c, pcap_geterr(dead));
		pcap_close(dead);
		vty_out(vty, "%% bad filter '%s': %s%s", expr, reason, VTY_NEWLINE);
		talloc_free(reason);
		talloc_free(expr);
		return CMD_WARNING;
	}
	if (dead) {
		pcap_freecode(&prog);
		pcap_close(dead);
	}
	osmo_talloc_replace_string(c, &c->filter, expr);
	talloc_free(expr);
	return CMD_SUCCESS;
}

DEFUN(cfg_pcap_no_filter, cfg_pcap_no_filter_cmd, "no filter", NO_STR "Capture everything\n")
{
	struct sw_live_cfg *c = vty->index;

	TALLOC_FREE(c->filter);
	return CMD_SUCCESS;
}

DEFUN(cfg_pcap_snaplen, cfg_pcap_snaplen_cmd, "snaplen <1-262144>",
      "Bytes kept of each frame (longer frames are truncated and counted as such)\n" "Snap length (64 or more)\n")
{
	struct sw_live_cfg *c = vty->index;
	int n = atoi(argv[0]);

	/* shorter would not even hold the headers down to SCTP */
	if (n < 64) {
		vty_out(vty, "%% snaplen %d is too short: 64 to 262144 bytes%s", n, VTY_NEWLINE);
		return CMD_WARNING;
	}
	c->snaplen = n;
	return CMD_SUCCESS;
}

DEFUN(cfg_pcap_buffer, cfg_pcap_buffer_cmd, "buffer-size <1-4096>",
      "Kernel capture buffer: frames wait there while ss7watch is busy\n" "Size in MiB\n")
{
	struct sw_live_cfg *c = vty->index;

	c->buffer_mb = atoi(argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_pcap_promisc, cfg_pcap_promisc_cmd, "promiscuous",
      "Put the interface in promiscuous mode (the default: a mirror port carries others' frames)\n")
{
	struct sw_live_cfg *c = vty->index;

	c->promisc = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_pcap_no_promisc, cfg_pcap_no_promisc_cmd, "no promiscuous", NO_STR "Promiscuous mode\n")
{
	struct sw_live_cfg *c = vty->index;

	c->promisc = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_file_path, cfg_file_path_cmd, "path FILE",
      "Capture file to read (pcap or pcapng)\n" "Path\n")
{
	struct sw_live_cfg *c = vty->index;

	osmo_talloc_replace_string(c, &c->path, argv[0]);
	return CMD_SUCCESS;
}

static int config_write_pcap(struct vty *vty)
{
	struct sw_live_cfg *c;

	llist_for_each_entry(c, &live_cfgs, list) {
		if (c->file)
			continue;
		vty_out(vty, "input pcap %s%s", c->name, VTY_NEWLINE);
		if (c->iface)
			vty_out(vty, " interface %s%s", c->iface, VTY_NEWLINE);
		if (c->filter)
			vty_out(vty, " filter %s%s", c->filter, VTY_NEWLINE);
		if (c->snaplen != SW_LIVE_DEFAULT_SNAPLEN)
			vty_out(vty, " snaplen %u%s", c->snaplen, VTY_NEWLINE);
		if (c->buffer_mb != SW_LIVE_DEFAULT_BUFFER_MB)
			vty_out(vty, " buffer-size %u%s", c->buffer_mb, VTY_NEWLINE);
		if (!c->promisc)
			vty_out(vty, " no promiscuous%s", VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

static int config_write_file(struct vty *vty)
{
	struct sw_live_cfg *c;

	llist_for_each_entry(c, &live_cfgs, list) {
		if (!c->file)
			continue;
		vty_out(vty, "input file %s%s", c->name, VTY_NEWLINE);
		if (c->path)
			vty_out(vty, " path %s%s", c->path, VTY_NEWLINE);
	}
	return CMD_SUCCESS;
}

int sw_live_vty_go_parent(struct vty *vty)
{
	if (vty->node != node_pcap && vty->node != node_file)
		return 0;
	vty->node = CONFIG_NODE;
	vty->index = NULL;
	return 1;
}

void sw_live_vty_init(int pcap_node_nr, int file_node_nr)
{
	node_pcap = pcap_node_nr;
	node_file = file_node_nr;
	pcap_node.node = pcap_node_nr;
	file_node.node = file_node_nr;

	install_element(CONFIG_NODE, &cfg_input_pcap_cmd);
	install_element(CONFIG_NODE, &cfg_input_file_cmd);
	install_element(CONFIG_NODE, &cfg_no_input_cmd);

	install_node(&pcap_node, config_write_pcap);
	install_element(node_pcap, &cfg_pcap_interface_cmd);
	install_element(node_pcap, &cfg_pcap_filter_cmd);
	install_element(node_pcap, &cfg_pcap_no_filter_cmd);
	install_element(node_pcap, &cfg_pcap_snaplen_cmd);
	install_element(node_pcap, &cfg_pcap_buffer_cmd);
	install_element(node_pcap, &cfg_pcap_promisc_cmd);
	install_element(node_pcap, &cfg_pcap_no_promisc_cmd);

	install_node(&file_node, config_write_file);
	install_element(node_file, &cfg_file_path_cmd);
}
