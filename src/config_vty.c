/* The configuration file (config.h): VTY nodes and commands of ss7watch, the loader that
 * names the failing line, and the writer behind `show running-config`. The configuration
 * as data (defaults, lookups, checks) is in config.c.
 *
 * The file is Osmocom VTY syntax, read by libosmovty's config_from_file(). libosmovty does
 * not report line numbers (vty_read_config_filep() prints the failing line's text to
 * stderr), so the loader feeds config_from_file() a memory stream of the file and derives
 * the line from the stream position: config_from_file() reads one line per fgets() and
 * stops right after the line whose command failed. Commands record their own reason. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <osmocom/vty/buffer.h>
#include <osmocom/vty/command.h>
#include <osmocom/vty/vty.h>
#include <ss7watch/cluster.h>
#include <ss7watch/config.h>
#include <ss7watch/map.h>

#define NAME_MAX_LEN	32

/* --- tables --- */

#define ROLE_CHOICES "hlr, msc, vlr, smsc, gsmscf, sgsn, gmlc, stp, eir, ggsn"

static const struct value_string kind_names[] = {
	{ SW_NET_KIND_OPERATOR, "operator" },
	{ SW_NET_KIND_MVNO, "mvno" },
	{ SW_NET_KIND_SMS_HUB, "sms-hub" },
	{ SW_NET_KIND_IPX, "ipx" },
	{ SW_NET_KIND_ROAMING_HUB, "roaming-hub" },
	{ 0, NULL }
};
#define KIND_CHOICES "operator, mvno, sms-hub, ipx, roaming-hub"

static const struct value_string facility_names[] = {
	{ LOG_USER, "user" },
	{ LOG_DAEMON, "daemon" },
	{ LOG_AUTH, "auth" },
	{ LOG_LOCAL0, "local0" },
	{ LOG_LOCAL1, "local1" },
	{ LOG_LOCAL2, "local2" },
	{ LOG_LOCAL3, "local3" },
	{ LOG_LOCAL4, "local4" },
	{ LOG_LOCAL5, "local5" },
	{ LOG_LOCAL6, "local6" },
	{ LOG_LOCAL7, "local7" },
	{ 0, NULL }
};

static const struct value_string severity_names[] = {
	{ 1, "high" },
	{ 2, "medium" },
	{ 3, "low" },
	{ 0, NULL }
};

#define PARAM_CHOICES "(threshold|window|max-speed-kmh|grace-period|max-vectors)"
#define PARAM_HELP \
	"Count that triggers the rule (distinct subscribers, origins ...)\n" \
	"Time window in seconds\n" \
	"Highest plausible travel speed in km/h (rogue-location-update)\n" \
	"Seconds added to the travel time before a move counts as impossible\n" \
	"Most authentication vectors a node may ask for at once\n"

/* --- state --- */

static struct sw_config *vty_cfg;		/* what the VTY commands change */
static sw_config_rule_validator_t rule_valid;
static bool nodes_installed;

/* The file being loaded: its text for line numbers, and the reason a command gave. */
static struct {
	bool active;
	const char *text;
	size_t len;
	FILE *fp;
	size_t scanned;		/* text[0..scanned) counted */
	unsigned newlines;	/* in text[0..scanned) */
	char reason[256];
} load;

/* Line of the command being executed (1-based), 0 when not loading a file. */
static unsigned current_line(void)
{
	long pos;

	if (!load.active)
		return 0;
	pos = ftell(load.fp);
	/* pos is just past the last character fgets() read: the current line's end */
	while (pos > 0 && load.scanned < (size_t)pos - 1 && load.scanned < load.len) {
		if (load.text[load.scanned] == '\n')
			load.newlines++;
		load.scanned++;
	}
	return load.newlines + 1;
}

/* Report a bad command: the reason for the loader, "% reason" for a VTY user. */
static int cfg_err(struct vty *vty, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cfg_err(struct vty *vty, const char *fmt, ...)
{
	va_list ap;
	char buf[sizeof(load.reason)];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (load.active && !load.reason[0])
		OSMO_STRLCPY_ARRAY(load.reason, buf);
	vty_out(vty, "%% %s%s", buf, VTY_NEWLINE);
	return CMD_WARNING;
}

/* --- value parsing --- */

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && strspn(s, "0123456789") == n;
}

static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!all_digits(s, 1, 10))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= NAME_MAX_LEN &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static int role_by_name(const char *s)
{
	for (int r = SW_ROLE_NONE + 1; r < SW_ROLE__COUNT; r++) {
		if (!strcmp(s, sw_role_name(r)))
			return r;
	}
	return -1;
}

/* A MAP operation by name (case-insensitive) or number. */
static int opcode_by_name(const char *s)
{
	uint32_t v;

	if (!parse_u32(s, 0, 255, &v))
		return v;
	for (int op = 0; op < 256; op++) {
		const char *n = map_op_name(op);

		if (n && !strcasecmp(n, s))
			return op;
	}
	return -1;
}

/* Point code: decimal, or ITU 3-8-3 "z.a.s". */
static int parse_point_code(const char *s, uint32_t *pc)
{
	unsigned z, a, sp;
	char tail;

	if (!parse_u32(s, 0, 0xffffff, pc))
		return 0;
	if (sscanf(s, "%u.%u.%u%c", &z, &a, &sp, &tail) == 3 && z < 8 && a < 256 && sp < 8) {
		*pc = z << 11 | a << 3 | sp;
		return 0;
	}
	return -1;
}

/* --- the configuration the commands change --- */

void sw_config_set_rule_validator(sw_config_rule_validator_t valid)
{
	rule_valid = valid;
}

void sw_config_vty_set(struct sw_config *cfg)
{
	vty_cfg = cfg;
}

struct sw_config *sw_config_vty_get(void)
{
	return vty_cfg;
}

/* --- who owns what: one network per PLMN, GT prefix, node GT and point code --- */

/* The home network, then the others in config order; NULL after the last. */
static const struct sw_config_network *next_network(const struct sw_config *cfg, const struct sw_config_network *net)
{
	const struct llist_head *next;

	if (!net)
		return &cfg->home;
	next = net == &cfg->home ? cfg->networks.next : net->list.next;
	return next == &cfg->networks ? NULL : llist_entry(next, struct sw_config_network, list);
}

#define for_each_network(cfg, net) \
	for (net = next_network(cfg, NULL); net; net = next_network(cfg, net))

static const char *net_label(const struct sw_config *cfg, const struct sw_config_network *net, char *buf, size_t len)
{
	if (net == &cfg->home)
		snprintf(buf, len, "the home network");
	else if (net->line)
		snprintf(buf, len, "network '%s' (line %u)", net->name, net->line);
	else
		snprintf(buf, len, "network '%s'", net->name);
	return buf;
}

static const struct sw_config_network *plmn_owner(const struct sw_config *cfg, const struct osmo_plmn_id *p)
{
	const struct sw_config_network *net;

	for_each_network(cfg, net) {
		for (unsigned i = 0; i < net->n_plmns; i++) {
			if (!osmo_plmn_cmp(&net->plmns[i], p))
				return net;
		}
	}
	return NULL;
}

static const struct sw_config_network *prefix_owner(const struct sw_config *cfg, const char *digits)
{
	const struct sw_config_network *net;

	for_each_network(cfg, net) {
		for (unsigned i = 0; i < net->n_gt_prefixes; i++) {
			if (!strcmp(net->gt_prefixes[i], digits))
				return net;
		}
	}
	return NULL;
}

static const struct sw_config_network *node_owner(const struct sw_config *cfg, const char *digits)
{
	const struct sw_config_network *net;

	for_each_network(cfg, net) {
		for (unsigned i = 0; i < net->n_nodes; i++) {
			if (!strcmp(net->nodes[i].digits, digits))
				return net;
		}
	}
	return NULL;
}

static const struct sw_config_network *pc_owner(const struct sw_config *cfg, uint32_t pc)
{
	const struct sw_config_network *net;

	for_each_network(cfg, net) {
		for (unsigned i = 0; i < net->n_point_codes; i++) {
			if (net->point_codes[i] == pc)
				return net;
		}
	}
	return NULL;
}

/* --- nodes --- */

static struct cmd_node home_node = { SW_HOME_NETWORK_NODE, "%s(config-home-network)# ", 1, };
static struct cmd_node network_node = { SW_NETWORK_NODE, "%s(config-network)# ", 1, };
static struct cmd_node rule_node = { SW_RULE_NODE, "%s(config-rule)# ", 1, };
static struct cmd_node alerts_node = { SW_ALERTS_NODE, "%s(config-alerts)# ", 1, };
static struct cmd_node tracker_node = { SW_TRACKER_NODE, "%s(config-tracker)# ", 1, };
static struct cmd_node cluster_node = { SW_CLUSTER_NODE, "%s(config-cluster)# ", 1, };

/* Every command needs a configuration to change. */
#define NEED_CFG(vty) \
	do { \
		if (!vty_cfg) \
			return cfg_err(vty, "no configuration is being edited"); \
	} while (0)

DEFUN(cfg_home_network, cfg_home_network_cmd, "home-network",
      "Configure the home network (the network ss7watch protects)\n")
{
	NEED_CFG(vty);
	if (load.active && vty_cfg->has_home)
		return cfg_err(vty, "home-network defined twice (first at line %u)", vty_cfg->home.line);
	if (!vty_cfg->has_home)
		vty_cfg->home.line = current_line();
	vty_cfg->has_home = true;
	vty->index = &vty_cfg->home;
	vty->node = SW_HOME_NETWORK_NODE;
	return CMD_SUCCESS;
}

DEFUN(cfg_network, cfg_network_cmd, "network NAME",
      "Configure another network (roaming partner, hub, carrier or other known network)\n"
      "Short name of the network, used in alerts (letters, digits, '.', '_', '-')\n")
{
	struct sw_config_network *net;

	NEED_CFG(vty);
	if (!valid_name(argv[0]))
		return cfg_err(vty, "invalid network name '%s' (1 to %u letters, digits, '.', '_' or '-')",
			       argv[0], NAME_MAX_LEN);
	net = sw_config_network_find(vty_cfg, argv[0]);
	if (net && load.active)
		return cfg_err(vty, "duplicate network name '%s' (first defined at line %u)", argv[0], net->line);
	if (!strcmp(argv[0], vty_cfg->home.name))
		return cfg_err(vty, "network name '%s' is the home network's name", argv[0]);
	if (!net) {
		net = talloc_zero(vty_cfg, struct sw_config_network);
		net->name = talloc_strdup(net, argv[0]);
		net->line = current_line();
		net->idx = ++vty_cfg->n_networks;
		llist_add_tail(&net->list, &vty_cfg->networks);
	}
	vty->index = net;
	vty->node = SW_NETWORK_NODE;
	return CMD_SUCCESS;
}

DEFUN(cfg_no_network, cfg_no_network_cmd, "no network NAME",
      NO_STR "Remove a network\n" "Name of the network\n")
{
	struct sw_config_network *net, *n;
	unsigned idx = 0;

	NEED_CFG(vty);
	net = sw_config_network_find(vty_cfg, argv[0]);
	if (!net)
		return cfg_err(vty, "no network named '%s'", argv[0]);
	llist_del(&net->list);
	talloc_free(net);
	llist_for_each_entry(n, &vty_cfg->networks, list)
		n->idx = ++idx;
	vty_cfg->n_networks = idx;
	return CMD_SUCCESS;
}

DEFUN(cfg_rule, cfg_rule_cmd, "rule RULE-ID",
      "Configure one rule of the catalogue (doc/rules.md)\n"
      "Rule id, e.g. cat1-external, scan, rogue-location-update\n")
{
	struct sw_config_rule *r;

	NEED_CFG(vty);
	if (rule_valid && !rule_valid(argv[0]))
		return cfg_err(vty, "unknown rule '%s' (see doc/rules.md for the rule ids)", argv[0]);
	r = (struct sw_config_rule *)sw_config_rule_find(vty_cfg, argv[0]);
	if (r && load.active)
		return cfg_err(vty, "rule '%s' configured twice (first at line %u)", argv[0], r->line);
	if (!r) {
		r = talloc_zero(vty_cfg, struct sw_config_rule);
		r->id = talloc_strdup(r, argv[0]);
		r->line = current_line();
		llist_add_tail(&r->list, &vty_cfg->rules);
	}
	vty->index = r;
	vty->node = SW_RULE_NODE;
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts, cfg_alerts_cmd, "alerts", "Configure where alerts go\n")
{
	NEED_CFG(vty);
	vty->index = &vty_cfg->alerts;
	vty->node = SW_ALERTS_NODE;
	return CMD_SUCCESS;
}

DEFUN(cfg_tracker, cfg_tracker_cmd, "tracker", "Configure the sizes of the subscriber and dialogue tables\n")
{
	NEED_CFG(vty);
	vty->index = &vty_cfg->tracker;
	vty->node = SW_TRACKER_NODE;
	return CMD_SUCCESS;
}

/* --- network commands (home network and others) --- */

DEFUN(cfg_net_name, cfg_net_name_cmd, "name NAME",
      "Name of the home network, used in alerts\n" "Name (letters, digits, '.', '_', '-')\n")
{
	struct sw_config_network *net = vty->index;

	if (!valid_name(argv[0]))
		return cfg_err(vty, "invalid network name '%s' (1 to %u letters, digits, '.', '_' or '-')",
			       argv[0], NAME_MAX_LEN);
	if (sw_config_network_find(vty_cfg, argv[0]))
		return cfg_err(vty, "home network name '%s' is already the name of another network", argv[0]);
	talloc_free(net->name);
	net->name = talloc_strdup(vty_cfg, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_net_description, cfg_net_description_cmd, "description .TEXT",
      "Free text describing the network\n" "Text\n")
{
	struct sw_config_network *net = vty->index;

	talloc_free(net->description);
	net->description = argv_concat(argv, argc, 0);
	talloc_steal(net == &vty_cfg->home ? (void *)vty_cfg : (void *)net, net->description);
	return CMD_SUCCESS;
}

DEFUN(cfg_net_plmn, cfg_net_plmn_cmd, "plmn MCC MNC",
      "A PLMN (MCC + MNC) of the network: its subscribers' IMSIs start with it\n"
      "Mobile country code (3 digits)\n" "Mobile network code (2 or 3 digits, leading zeros count)\n")
{
	struct sw_config_network *net = vty->index;
	const struct sw_config_network *owner;
	struct osmo_plmn_id p = {};
	char buf[64], lbl[96];

	/* the digit counts first: osmo_mcc_from_str() takes "1" as well */
	if (!all_digits(argv[0], 3, 3) || osmo_mcc_from_str(argv[0], &p.mcc))
		return cfg_err(vty, "invalid MCC '%s' (3 digits expected)", argv[0]);
	if (!all_digits(argv[1], 2, 3) || osmo_mnc_from_str(argv[1], &p.mnc, &p.mnc_3_digits))
		return cfg_err(vty, "invalid MNC '%s' (2 or 3 digits expected)", argv[1]);
	owner = plmn_owner(vty_cfg, &p);
	if (owner == net)
		return cfg_err(vty, "PLMN %s listed twice", osmo_plmn_name_buf(buf, sizeof(buf), &p));
	if (owner)
		return cfg_err(vty, "PLMN %s already belongs to %s", osmo_plmn_name_buf(buf, sizeof(buf), &p),
			       net_label(vty_cfg, owner, lbl, sizeof(lbl)));
	net->plmns = talloc_realloc(vty_cfg, net->plmns, struct osmo_plmn_id, net->n_plmns + 1);
	net->plmns[net->n_plmns++] = p;
	return CMD_SUCCESS;
}

static int check_gt_digits(struct vty *vty, const char *what, const char *digits)
{
	if (!all_digits(digits, 1, SW_CONFIG_DIGITS_MAX))
		return cfg_err(vty, "invalid %s '%s' (1 to %u decimal digits expected, no '+')", what, digits,
			       SW_CONFIG_DIGITS_MAX);
	return CMD_SUCCESS;
}

DEFUN(cfg_net_gt_prefix, cfg_net_gt_prefix_cmd, "gt-prefix DIGITS",
      "E.164 prefix of the network's global titles (country code included)\n"
      "Digits, e.g. 4917\n")
{
	struct sw_config_network *net = vty->index;
	const struct sw_config_network *owner;
	char lbl[96];

	if (check_gt_digits(vty, "GT prefix", argv[0]) != CMD_SUCCESS)
		return CMD_WARNING;
	owner = prefix_owner(vty_cfg, argv[0]);
	if (owner == net)
		return cfg_err(vty, "GT prefix %s listed twice", argv[0]);
	if (owner)
		return cfg_err(vty, "GT prefix %s already belongs to %s", argv[0],
			       net_label(vty_cfg, owner, lbl, sizeof(lbl)));
	net->gt_prefixes = talloc_realloc(vty_cfg, net->gt_prefixes, sw_config_digits_t,
					  net->n_gt_prefixes + 1);
	OSMO_STRLCPY_ARRAY(net->gt_prefixes[net->n_gt_prefixes], argv[0]);
	net->n_gt_prefixes++;
	return CMD_SUCCESS;
}

DEFUN(cfg_net_node, cfg_net_node_cmd, "node ROLE DIGITS",
      "A node of the network: its role and its GT (or a GT prefix for a pool)\n"
      "Role: " ROLE_CHOICES "\n" "GT or GT prefix digits\n")
{
	struct sw_config_network *net = vty->index;
	const struct sw_config_network *owner;
	int role = role_by_name(argv[0]);
	char lbl[96];

	if (role < 0)
		return cfg_err(vty, "unknown node role '%s' (%s)", argv[0], ROLE_CHOICES);
	if (check_gt_digits(vty, "node GT", argv[1]) != CMD_SUCCESS)
		return CMD_WARNING;
	owner = node_owner(vty_cfg, argv[1]);
	if (owner == net)
		return cfg_err(vty, "node GT %s listed twice", argv[1]);
	if (owner)
		return cfg_err(vty, "node GT %s already belongs to %s", argv[1],
			       net_label(vty_cfg, owner, lbl, sizeof(lbl)));
	net->nodes = talloc_realloc(vty_cfg, net->nodes, struct sw_config_node, net->n_nodes + 1);
	net->nodes[net->n_nodes].role = role;
	OSMO_STRLCPY_ARRAY(net->nodes[net->n_nodes].digits, argv[1]);
	net->n_nodes++;
	return CMD_SUCCESS;
}

DEFUN(cfg_net_point_code, cfg_net_point_code_cmd, "point-code PC",
      "MTP3 point code the network's messages arrive from (its STP or gateway)\n"
      "Point code: decimal, or ITU 3-8-3 as z.a.s\n")
{
	struct sw_config_network *net = vty->index;
	const struct sw_config_network *owner;
	uint32_t pc;
	char lbl[96];

	if (parse_point_code(argv[0], &pc))
		return cfg_err(vty, "invalid point code '%s' (decimal, or ITU z.a.s as 0-7.0-255.0-7)", argv[0]);
	owner = pc_owner(vty_cfg, pc);
	if (owner == net)
		return cfg_err(vty, "point code %s listed twice", argv[0]);
	if (owner)
		return cfg_err(vty, "point code %s already belongs to %s", argv[0],
			       net_label(vty_cfg, owner, lbl, sizeof(lbl)));
	net->point_codes = talloc_realloc(vty_cfg, net->point_codes, uint32_t, net->n_point_codes + 1);
	net->point_codes[net->n_point_codes++] = pc;
	return CMD_SUCCESS;
}

DEFUN(cfg_net_role, cfg_net_role_cmd, "role KIND",
      "What the network is (more than one allowed)\n" "Kind: " KIND_CHOICES "\n")
{
	struct sw_config_network *net = vty->index;
	int kind = get_string_value(kind_names, argv[0]);

	if (kind < 0)
		return cfg_err(vty, "unknown network role '%s' (%s)", argv[0], KIND_CHOICES);
	net->kinds |= kind;
	return CMD_SUCCESS;
}

DEFUN(cfg_net_no_role, cfg_net_no_role_cmd, "no role KIND",
      NO_STR "Remove a kind from the network\n" "Kind: " KIND_CHOICES "\n")
{
	struct sw_config_network *net = vty->index;
	int kind = get_string_value(kind_names, argv[0]);

	if (kind < 0)
		return cfg_err(vty, "unknown network role '%s' (%s)", argv[0], KIND_CHOICES);
	net->kinds &= ~kind;
	return CMD_SUCCESS;
}

DEFUN(cfg_net_roaming, cfg_net_roaming_cmd, "roaming-agreement",
      "A roaming agreement exists: its VLRs and SGSNs may register our subscribers\n")
{
	struct sw_config_network *net = vty->index;

	net->roaming_agreement = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_net_no_roaming, cfg_net_no_roaming_cmd, "no roaming-agreement",
      NO_STR "No roaming agreement (the default)\n")
{
	struct sw_config_network *net = vty->index;

	net->roaming_agreement = false;
	return CMD_SUCCESS;
}

static void set_op(struct sw_config_network *net, int op, bool on)
{
	if (on)
		net->allowed_ops[op / 8] |= 1 << (op % 8);
	else
		net->allowed_ops[op / 8] &= ~(1 << (op % 8));
}

DEFUN(cfg_net_allow_op, cfg_net_allow_op_cmd, "allow operation OPERATION",
      "Bilateral exception: what this network may do\n"
      "A MAP operation it may send although its category forbids it (e.g. number portability)\n"
      "MAP operation name (e.g. sendRoutingInfo) or code (0-255)\n")
{
	int op = opcode_by_name(argv[0]);

	if (op < 0)
		return cfg_err(vty, "unknown MAP operation '%s' (a name such as sendRoutingInfo, or 0-255)", argv[0]);
	set_op(vty->index, op, true);
	return CMD_SUCCESS;
}

DEFUN(cfg_net_no_allow_op, cfg_net_no_allow_op_cmd, "no allow operation OPERATION",
      NO_STR "Bilateral exception\n" "MAP operation\n" "MAP operation name or code\n")
{
	int op = opcode_by_name(argv[0]);

	if (op < 0)
		return cfg_err(vty, "unknown MAP operation '%s' (a name such as sendRoutingInfo, or 0-255)", argv[0]);
	set_op(vty->index, op, false);
	return CMD_SUCCESS;
}

DEFUN(cfg_net_allow_rule, cfg_net_allow_rule_cmd, "allow rule RULE-ID",
      "Bilateral exception: what this network may do\n"
      "A rule that does not apply to messages from this network\n" "Rule id\n")
{
	struct sw_config_network *net = vty->index;

	if (rule_valid && !rule_valid(argv[0]))
		return cfg_err(vty, "unknown rule '%s' (see doc/rules.md for the rule ids)", argv[0]);
	for (unsigned i = 0; i < net->n_allowed_rules; i++) {
		if (!strcmp(net->allowed_rules[i], argv[0]))
			return CMD_SUCCESS;
	}
	net->allowed_rules = talloc_realloc(net, net->allowed_rules, char *, net->n_allowed_rules + 1);
	net->allowed_rules[net->n_allowed_rules++] = talloc_strdup(net, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_net_no_allow_rule, cfg_net_no_allow_rule_cmd, "no allow rule RULE-ID",
      NO_STR "Bilateral exception\n" "Rule\n" "Rule id\n")
{
	struct sw_config_network *net = vty->index;

	for (unsigned i = 0; i < net->n_allowed_rules; i++) {
		if (strcmp(net->allowed_rules[i], argv[0]))
			continue;
		talloc_free(net->allowed_rules[i]);
		memmove(&net->allowed_rules[i], &net->allowed_rules[i + 1],
			(net->n_allowed_rules - i - 1) * sizeof(char *));
		net->n_allowed_rules--;
		return CMD_SUCCESS;
	}
	return cfg_err(vty, "rule '%s' is not allowed for this network", argv[0]);
}

/* --- rule commands --- */

DEFUN(cfg_rule_enable, cfg_rule_enable_cmd, "enable", "Run the rule (the default)\n")
{
	struct sw_config_rule *r = vty->index;

	r->has_enabled = true;
	r->enabled = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_rule_disable, cfg_rule_disable_cmd, "disable", "Do not run the rule\n")
{
	struct sw_config_rule *r = vty->index;

	r->has_enabled = true;
	r->enabled = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_rule_severity, cfg_rule_severity_cmd, "severity SEVERITY",
      "Severity of the rule's alerts\n" "1 (high), 2 (medium), 3 (low), or high, medium, low\n")
{
	struct sw_config_rule *r = vty->index;
	int sev = get_string_value(severity_names, argv[0]);
	uint32_t v;

	if (sev < 0 && !parse_u32(argv[0], 1, 3, &v))
		sev = v;
	if (sev < 0)
		return cfg_err(vty, "severity '%s' out of range (1 high, 2 medium, 3 low)", argv[0]);
	r->severity = sev;
	return CMD_SUCCESS;
}

DEFUN(cfg_rule_no_severity, cfg_rule_no_severity_cmd, "no severity",
      NO_STR "Use the catalogue's severity\n")
{
	struct sw_config_rule *r = vty->index;

	r->severity = 0;
	return CMD_SUCCESS;
}

static const char *param_name(const char *s)
{
	const char *const *names = sw_config_param_names();

	for (unsigned i = 0; names[i]; i++) {
		if (!strcmp(names[i], s))
			return names[i];
	}
	return NULL;
}

DEFUN(cfg_rule_param, cfg_rule_param_cmd, PARAM_CHOICES " VALUE",
      PARAM_HELP "Value (0-4294967295)\n")
{
	struct sw_config_rule *r = vty->index;
	const char *name = param_name(argv[0]);
	uint32_t v;
	unsigned i;

	if (parse_u32(argv[1], 0, UINT32_MAX, &v))
		return cfg_err(vty, "invalid %s '%s' (a number 0-4294967295 expected)", argv[0], argv[1]);
	for (i = 0; i < r->n_params; i++) {
		if (r->params[i].name == name)
			break;
	}
	if (i == r->n_params) {
		if (r->n_params == SW_CONFIG_RULE_PARAMS)
			return cfg_err(vty, "too many parameters for one rule");
		r->n_params++;
	}
	r->params[i].name = name;
	r->params[i].value = v;
	return CMD_SUCCESS;
}

DEFUN(cfg_rule_no_param, cfg_rule_no_param_cmd, "no " PARAM_CHOICES,
      NO_STR PARAM_HELP)
{
	struct sw_config_rule *r = vty->index;
	const char *name = param_name(argv[0]);

	for (unsigned i = 0; i < r->n_params; i++) {
		if (r->params[i].name != name)
			continue;
		memmove(&r->params[i], &r->params[i + 1], (r->n_params - i - 1) * sizeof(r->params[0]));
		r->n_params--;
		break;
	}
	return CMD_SUCCESS;
}

DEFUN(cfg_rule_allow_gt, cfg_rule_allow_gt_cmd, "allow gt-prefix DIGITS",
      "Exempt origins from the rule\n" "Calling GTs starting with a prefix\n" "Digits\n")
{
	struct sw_config_rule *r = vty->index;

	if (check_gt_digits(vty, "GT prefix", argv[0]) != CMD_SUCCESS)
		return CMD_WARNING;
	for (unsigned i = 0; i < r->n_allow_prefixes; i++) {
		if (!strcmp(r->allow_prefixes[i], argv[0]))
			return cfg_err(vty, "GT prefix %s listed twice", argv[0]);
	}
	r->allow_prefixes = talloc_realloc(r, r->allow_prefixes, sw_config_digits_t,
					   r->n_allow_prefixes + 1);
	OSMO_STRLCPY_ARRAY(r->allow_prefixes[r->n_allow_prefixes], argv[0]);
	r->n_allow_prefixes++;
	return CMD_SUCCESS;
}

DEFUN(cfg_rule_no_allow_gt, cfg_rule_no_allow_gt_cmd, "no allow gt-prefix DIGITS",
      NO_STR "Exempt origins from the rule\n" "Calling GTs starting with a prefix\n" "Digits\n")
{
	struct sw_config_rule *r = vty->index;

	for (unsigned i = 0; i < r->n_allow_prefixes; i++) {
		if (strcmp(r->allow_prefixes[i], argv[0]))
			continue;
		memmove(r->allow_prefixes[i], r->allow_prefixes[i + 1],
			(r->n_allow_prefixes - i - 1) * sizeof(r->allow_prefixes[0]));
		r->n_allow_prefixes--;
		return CMD_SUCCESS;
	}
	return cfg_err(vty, "GT prefix %s is not in the rule's allowlist", argv[0]);
}

/* --- alerts commands --- */

static void set_str(char **field, const char *v)
{
	talloc_free(*field);
	*field = v ? talloc_strdup(vty_cfg, v) : NULL;
}

DEFUN(cfg_alerts_logdir, cfg_alerts_logdir_cmd, "log-directory PATH",
      "Directory of the alert file\n" "Path\n")
{
	set_str(&vty_cfg->alerts.log_directory, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_eve, cfg_alerts_eve_cmd, "eve-file FILE",
      "Alert file, one JSON object per line (relative to log-directory; -o overrides)\n" "File name\n")
{
	set_str(&vty_cfg->alerts.eve_file, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_no_eve, cfg_alerts_no_eve_cmd, "no eve-file", NO_STR "Write no alert file\n")
{
	set_str(&vty_cfg->alerts.eve_file, NULL);
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_stdout, cfg_alerts_stdout_cmd, "stdout", "Also write alerts to standard output\n")
{
	vty_cfg->alerts.to_stdout = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_no_stdout, cfg_alerts_no_stdout_cmd, "no stdout", NO_STR "Standard output\n")
{
	vty_cfg->alerts.to_stdout = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_syslog, cfg_alerts_syslog_cmd, "syslog [FACILITY]",
      "Also send alerts to syslog\n"
      "Facility: user (default), daemon, auth, local0 .. local7\n")
{
	int fac = LOG_USER;

	if (argc > 0 && (fac = get_string_value(facility_names, argv[0])) < 0)
		return cfg_err(vty, "unknown syslog facility '%s' (user, daemon, auth, local0 .. local7)", argv[0]);
	vty_cfg->alerts.to_syslog = true;
	vty_cfg->alerts.syslog_facility = fac;
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_no_syslog, cfg_alerts_no_syslog_cmd, "no syslog", NO_STR "Syslog\n")
{
	vty_cfg->alerts.to_syslog = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_pseudo, cfg_alerts_pseudo_cmd, "pseudonymise key HEX",
      "Replace IMSIs and MSISDNs in alerts by HMAC-SHA256 pseudonyms\n"
      "The secret HMAC key\n" "Key as hex digits (16 to 64 bytes)\n")
{
	struct sw_config_alerts *a = &vty_cfg->alerts;
	size_t n = strlen(argv[0]);
	int len;

	if (n % 2 || strspn(argv[0], "0123456789abcdefABCDEF") != n)
		return cfg_err(vty, "invalid pseudonymisation key (an even number of hex digits expected)");
	if (n < 32 || n > 2 * sizeof(a->pseudo_key))
		return cfg_err(vty, "pseudonymisation key of %zu bytes (16 to %zu bytes expected)", n / 2,
			       sizeof(a->pseudo_key));
	len = osmo_hexparse(argv[0], a->pseudo_key, sizeof(a->pseudo_key));
	if (len < 0)
		return cfg_err(vty, "invalid pseudonymisation key (an even number of hex digits expected)");
	a->pseudo_key_len = len;
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_pseudo_location, cfg_alerts_pseudo_location_cmd, "pseudonymise location (keep|reduce)",
      "Replace IMSIs and MSISDNs in alerts by HMAC-SHA256 pseudonyms\n"
      "What pseudonymised alerts say of where the handset is\n"
      "Keep cell and area ids and location estimates\n"
      "Only the network (MCC, MNC) of a cell or area; estimates withheld (default)\n")
{
	vty_cfg->alerts.pseudo_keep_location = !strcmp(argv[0], "keep");
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_no_pseudo, cfg_alerts_no_pseudo_cmd, "no pseudonymise",
      NO_STR "Write identities in clear\n")
{
	memset(vty_cfg->alerts.pseudo_key, 0, sizeof(vty_cfg->alerts.pseudo_key));
	vty_cfg->alerts.pseudo_key_len = 0;
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_queue, cfg_alerts_queue_cmd, "queue-size KIB",
      "Size of the queue between the packet path and the thread that writes the alert file and "
      "syslog (daemon); alerts that find it full are dropped and counted\n"
      "Kibibytes (64-1048576, default 4096)\n")
{
	uint32_t v;

	if (!all_digits(argv[0], 1, 10))
		return cfg_err(vty, "queue-size '%s' is not a number of KiB", argv[0]);
	if (parse_u32(argv[0], 64, 1048576, &v))
		return cfg_err(vty, "queue-size '%s' out of range (64-1048576 KiB)", argv[0]);
	vty_cfg->alerts.queue_kib = v;
	return CMD_SUCCESS;
}

/* --- alert filters: `rule` node (one rule) and `alerts` node (every rule) --- */

#define TRACK_CHOICES "(by-origin|by-subscriber|by-rule)"
#define TRACK_HELP \
	"Count hits per key\n" \
	"Per calling GT\n" "Per subscriber (IMSI, else MSISDN)\n" "Per rule (every hit of the rule)\n"
#define SUPPRESS_CHOICES "(gt-prefix|subscriber|network)"
#define SUPPRESS_HELP \
	"Calling GTs starting with a prefix\n" "A subscriber by IMSI or MSISDN\n" \
	"A calling network by its configured name\n"
#define FILTER_COUNT_MAX	1000000
#define FILTER_SECONDS_MAX	604800

/* The filters the command changes: the rule's, or those of every rule. */
static struct sw_config_filters *vty_filters(struct vty *vty, void **owner)
{
	if (vty->node == SW_RULE_NODE) {
		struct sw_config_rule *r = vty->index;

		*owner = r;
		return &r->filters;
	}
	*owner = vty_cfg;
	return &vty_cfg->alerts.filters;
}

/* count and seconds of a threshold or rate-filter line. \returns CMD_SUCCESS or the error. */
static int parse_count_seconds(struct vty *vty, const char *count, const char *seconds, uint32_t *c, uint32_t *sec)
{
	if (parse_u32(count, 1, FILTER_COUNT_MAX, c))
		return cfg_err(vty, "count '%s' out of range (1-%u)", count, FILTER_COUNT_MAX);
	if (parse_u32(seconds, 1, FILTER_SECONDS_MAX, sec))
		return cfg_err(vty, "seconds '%s' out of range (1-%u)", seconds, FILTER_SECONDS_MAX);
	return CMD_SUCCESS;
}

DEFUN(cfg_filter_threshold, cfg_filter_threshold_cmd,
      "alert-threshold type (limit|threshold|both) track " TRACK_CHOICES " count COUNT seconds SECONDS",
      "How many of the alerts are written (Suricata's threshold)\n" "Threshold type\n"
      "The first COUNT hits of each window\n" "One line per COUNT hits in a window\n"
      "One line once COUNT hits are reached in a window, then none until it ends\n"
      TRACK_HELP "Hits\n" "1-1000000\n" "Window\n" "Seconds of capture time (1-604800)\n")
{
	void *owner;
	struct sw_config_filters *f = vty_filters(vty, &owner);
	struct sw_config_threshold t = {
		.type = get_string_value(sw_threshold_type_names, argv[0]),
		.track = get_string_value(sw_filter_track_names, argv[1]),
	};

	if (parse_count_seconds(vty, argv[2], argv[3], &t.count, &t.seconds) != CMD_SUCCESS)
		return CMD_WARNING;
	f->threshold = t;
	return CMD_SUCCESS;
}

DEFUN(cfg_filter_no_threshold, cfg_filter_no_threshold_cmd, "no alert-threshold",
      NO_STR "Write every alert (of the rule: the alerts node's threshold applies)\n")
{
	void *owner;

	vty_filters(vty, &owner)->threshold = (struct sw_config_threshold){ 0 };
	return CMD_SUCCESS;
}

DEFUN(cfg_filter_rate, cfg_filter_rate_cmd,
      "rate-filter track " TRACK_CHOICES " count COUNT seconds SECONDS new-action (pass|escalate) timeout SECONDS",
      "Change what happens to alerts after a rate of hits (Suricata's rate_filter)\n" TRACK_HELP
      "Hits\n" "1-1000000\n" "Window\n" "Seconds of capture time (1-604800)\n" "Action once exceeded\n"
      "Do not write them\n" "Write them with severity 1\n" "For how long\n" "Seconds (1-604800)\n")
{
	void *owner;
	struct sw_config_filters *f = vty_filters(vty, &owner);
	struct sw_config_rate_filter r = {
		.track = get_string_value(sw_filter_track_names, argv[0]),
		.new_action = get_string_value(sw_rate_action_names, argv[3]),
	};

	if (parse_count_seconds(vty, argv[1], argv[2], &r.count, &r.seconds) != CMD_SUCCESS)
		return CMD_WARNING;
	if (parse_u32(argv[4], 1, FILTER_SECONDS_MAX, &r.timeout))
		return cfg_err(vty, "timeout '%s' out of range (1-%u)", argv[4], FILTER_SECONDS_MAX);
	f->rate = r;
	return CMD_SUCCESS;
}

DEFUN(cfg_filter_no_rate, cfg_filter_no_rate_cmd, "no rate-filter", NO_STR "No rate-filter\n")
{
	void *owner;

	vty_filters(vty, &owner)->rate = (struct sw_config_rate_filter){ 0 };
	return CMD_SUCCESS;
}

static int suppress_find(const struct sw_config_filters *f, int kind, const char *value)
{
	for (unsigned i = 0; i < f->n_suppress; i++)
		if (f->suppress[i].kind == kind && !strcmp(f->suppress[i].value, value))
			return i;
	return -1;
}

DEFUN(cfg_filter_suppress, cfg_filter_suppress_cmd, "suppress " SUPPRESS_CHOICES " VALUE",
      "Never write these alerts (Suricata's suppress)\n" SUPPRESS_HELP "Digits or network name\n")
{
	void *owner;
	struct sw_config_filters *f = vty_filters(vty, &owner);
	int kind = get_string_value(sw_suppress_kind_names, argv[0]);
	struct sw_config_suppress *grown;

	switch (kind) {
	case SW_SUPPRESS_GT_PREFIX:
		if (check_gt_digits(vty, "GT prefix", argv[1]) != CMD_SUCCESS)
			return CMD_WARNING;
		break;
	case SW_SUPPRESS_SUBSCRIBER:
		if (!all_digits(argv[1], 5, 15))
			return cfg_err(vty, "subscriber '%s' is not an IMSI or MSISDN (5-15 digits)", argv[1]);
		break;
	default:
		if (strcmp(argv[1], vty_cfg->home.name) && !sw_config_network_find(vty_cfg, argv[1]))
			return cfg_err(vty, "no network named '%s' (define it before it is suppressed)", argv[1]);
		break;
	}
	if (suppress_find(f, kind, argv[1]) >= 0)
		return cfg_err(vty, "suppress %s %s listed twice", argv[0], argv[1]);
	grown = talloc_realloc(owner, f->suppress, struct sw_config_suppress, f->n_suppress + 1);
	if (!grown)
		return cfg_err(vty, "out of memory");
	f->suppress = grown;
	f->suppress[f->n_suppress].kind = kind;
	OSMO_STRLCPY_ARRAY(f->suppress[f->n_suppress].value, argv[1]);
	f->n_suppress++;
	return CMD_SUCCESS;
}

DEFUN(cfg_filter_no_suppress, cfg_filter_no_suppress_cmd, "no suppress " SUPPRESS_CHOICES " VALUE",
      NO_STR "Never write these alerts (Suricata's suppress)\n" SUPPRESS_HELP "Digits or network name\n")
{
	void *owner;
	struct sw_config_filters *f = vty_filters(vty, &owner);
	int i = suppress_find(f, get_string_value(sw_suppress_kind_names, argv[0]), argv[1]);

	if (i < 0)
		return cfg_err(vty, "no 'suppress %s %s' to remove", argv[0], argv[1]);
	memmove(&f->suppress[i], &f->suppress[i + 1], (f->n_suppress - i - 1) * sizeof(f->suppress[0]));
	f->n_suppress--;
	return CMD_SUCCESS;
}

static void write_filters(struct vty *vty, const struct sw_config_filters *f)
{
	const struct sw_config_threshold *t = &f->threshold;
	const struct sw_config_rate_filter *r = &f->rate;

	if (t->type)
		vty_out(vty, " alert-threshold type %s track %s count %u seconds %u%s",
			get_value_string(sw_threshold_type_names, t->type),
			get_value_string(sw_filter_track_names, t->track), t->count, t->seconds, VTY_NEWLINE);
	if (r->track)
		vty_out(vty, " rate-filter track %s count %u seconds %u new-action %s timeout %u%s",
			get_value_string(sw_filter_track_names, r->track), r->count, r->seconds,
			get_value_string(sw_rate_action_names, r->new_action), r->timeout, VTY_NEWLINE);
	for (unsigned i = 0; i < f->n_suppress; i++)
		vty_out(vty, " suppress %s %s%s", get_value_string(sw_suppress_kind_names, f->suppress[i].kind),
			f->suppress[i].value, VTY_NEWLINE);
}

static void install_filter_commands(int node)
{
	install_element(node, &cfg_filter_threshold_cmd);
	install_element(node, &cfg_filter_no_threshold_cmd);
	install_element(node, &cfg_filter_rate_cmd);
	install_element(node, &cfg_filter_no_rate_cmd);
	install_element(node, &cfg_filter_suppress_cmd);
	install_element(node, &cfg_filter_no_suppress_cmd);
}

DEFUN(cfg_alerts_fold, cfg_alerts_fold_cmd, "fold-into-scan",
      "Count the recon alerts of an origin whose burst raised scan into that scan (the default)\n")
{
	vty_cfg->alerts.no_fold_into_scan = false;
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_no_fold, cfg_alerts_no_fold_cmd, "no fold-into-scan",
      NO_STR "Write the recon alerts of a scan too\n")
{
	vty_cfg->alerts.no_fold_into_scan = true;
	return CMD_SUCCESS;
}

/* Numeric settings of the alerts node: name, field, minimum, maximum, default. */
static const struct alerts_setting {
	const char *name;
	size_t offset;
	uint32_t min, max, def;
} alerts_settings[] = {
	{ "filter-entries", offsetof(struct sw_config_alerts, filter_entries), 1024, 1u << 24,
	  SW_CONFIG_FILTER_ENTRIES },
	{ "incident idle-timeout", offsetof(struct sw_config_alerts, incident_idle_s), 1, FILTER_SECONDS_MAX,
	  SW_CONFIG_INCIDENT_IDLE_S },
	{ "incident max-open", offsetof(struct sw_config_alerts, incident_max_open), 16, 1u << 20,
	  SW_CONFIG_INCIDENT_MAX_OPEN },
	{ "incident subscribers", offsetof(struct sw_config_alerts, incident_subscribers), 0, 64,
	  SW_CONFIG_INCIDENT_SUBSCRIBERS },
	{ "stats-interval", offsetof(struct sw_config_alerts, stats_interval_s), 0, SW_STATS_INTERVAL_MAX,
	  SW_CONFIG_STATS_INTERVAL_S },
	{ "stats-cells", offsetof(struct sw_config_alerts, stats_cells), 1, 1u << 20, SW_CONFIG_STATS_CELLS },
	{ "evidence-frames", offsetof(struct sw_config_alerts, evidence_frames), 1, 1u << 24,
	  SW_CONFIG_EVIDENCE_FRAMES },
	{ "evidence-bytes", offsetof(struct sw_config_alerts, evidence_bytes), 1024, UINT32_MAX,
	  SW_CONFIG_EVIDENCE_BYTES },
	{ "evidence-ring frames", offsetof(struct sw_config_alerts, evidence_ring_frames), 16, 1u << 24,
	  SW_CONFIG_EVIDENCE_RING_FRAMES },
	{ "evidence-ring bytes", offsetof(struct sw_config_alerts, evidence_ring_bytes), 65536, 1u << 31,
	  SW_CONFIG_EVIDENCE_RING_BYTES },
};

static int set_alerts_setting(struct vty *vty, const char *name, const char *value)
{
	for (unsigned i = 0; i < ARRAY_SIZE(alerts_settings); i++) {
		const struct alerts_setting *st = &alerts_settings[i];
		uint32_t v;

		if (strcmp(st->name, name))
			continue;
		if (parse_u32(value, st->min, st->max, &v))
			return cfg_err(vty, "%s '%s' out of range (%u-%u)", name, value, st->min, st->max);
		*(uint32_t *)((char *)&vty_cfg->alerts + st->offset) = v;
		return CMD_SUCCESS;
	}
	return cfg_err(vty, "unknown setting '%s'", name);
}

DEFUN(cfg_alerts_filter_entries, cfg_alerts_filter_entries_cmd, "filter-entries VALUE",
      "Threshold and rate-filter keys kept at most; the oldest is evicted and counted\n"
      "Entries (1024-16777216, default 65536)\n")
{
	return set_alerts_setting(vty, "filter-entries", argv[0]);
}

DEFUN(cfg_alerts_incident, cfg_alerts_incident_cmd, "incident (idle-timeout|max-open|subscribers) VALUE",
      "Incidents: the alerts of one origin until it has been quiet for idle-timeout\n"
      "Seconds of capture time without an alert that close an incident (1-604800, default 600)\n"
      "Open incidents kept at most; the oldest closes early (16-1048576, default 4096)\n"
      "Subscribers an incident line lists (0-64, default 10)\n" "Value\n")
{
	char name[64];

	snprintf(name, sizeof(name), "incident %s", argv[0]);
	return set_alerts_setting(vty, name, argv[1]);
}

DEFUN(cfg_alerts_stats_interval, cfg_alerts_stats_interval_cmd, "stats-interval SECONDS",
      "Write a \"stats\" event (counters and traffic by network, direction, FS.11 category and "
      "operation) every SECONDS of capture time, and one at the end\n"
      "Seconds (0-604800, default 300; 0: only the one at the end)\n")
{
	vty_cfg->alerts.no_stats = false;
	return set_alerts_setting(vty, "stats-interval", argv[0]);
}

DEFUN(cfg_alerts_no_stats_interval, cfg_alerts_no_stats_interval_cmd, "no stats-interval",
      NO_STR "Write no \"stats\" events\n")
{
	vty_cfg->alerts.no_stats = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_stats_cells, cfg_alerts_stats_cells_cmd, "stats-cells N",
      "Traffic cells a stats event lists at most; the others are summed in traffic_other\n"
      "Cells (1-1048576, default 1024)\n")
{
	return set_alerts_setting(vty, "stats-cells", argv[0]);
}

DEFUN(cfg_alerts_evidence_dir, cfg_alerts_evidence_dir_cmd, "evidence-directory DIR",
      "Write the frames of each incident's alerts to DIR/<incident_id>.pcap (--evidence-dir "
      "overrides)\n" "An existing, writable directory\n")
{
	set_str(&vty_cfg->alerts.evidence_directory, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_no_evidence_dir, cfg_alerts_no_evidence_dir_cmd, "no evidence-directory",
      NO_STR "Write no evidence pcaps\n")
{
	set_str(&vty_cfg->alerts.evidence_directory, NULL);
	return CMD_SUCCESS;
}

DEFUN(cfg_alerts_evidence_limit, cfg_alerts_evidence_limit_cmd, "(evidence-frames|evidence-bytes) VALUE",
      "Frames one incident's pcap takes at most; the others are cut and counted (1-16777216, "
      "default 1000)\n"
      "Frame bytes all the pcaps of a run take at most (1024-4294967295, default 1 GiB)\n" "Value\n")
{
	return set_alerts_setting(vty, argv[0], argv[1]);
}

DEFUN(cfg_alerts_evidence_ring, cfg_alerts_evidence_ring_cmd, "evidence-ring (frames|bytes) VALUE",
      "Recent frames kept while evidence is on, so that an alert on an answer still finds its "
      "request's frame\n"
      "Frames (16-16777216, default 65536)\n" "Bytes (65536-2147483648, default 64 MiB)\n" "Value\n")
{
	char name[64];

	snprintf(name, sizeof(name), "evidence-ring %s", argv[0]);
	return set_alerts_setting(vty, name, argv[1]);
}

static void write_alerts_settings(struct vty *vty, const struct sw_config_alerts *a)
{
	for (unsigned i = 0; i < ARRAY_SIZE(alerts_settings); i++) {
		const struct alerts_setting *st = &alerts_settings[i];
		uint32_t v = *(const uint32_t *)((const char *)a + st->offset);

		if (v != st->def)
			vty_out(vty, " %s %u%s", st->name, v, VTY_NEWLINE);
	}
	if (a->no_fold_into_scan)
		vty_out(vty, " no fold-into-scan%s", VTY_NEWLINE);
	if (a->no_stats)
		vty_out(vty, " no stats-interval%s", VTY_NEWLINE);
	if (a->evidence_directory)
		vty_out(vty, " evidence-directory %s%s", a->evidence_directory, VTY_NEWLINE);
	write_filters(vty, &a->filters);
}

/* --- tracker commands --- */

/* Tracker settings: name, field, minimum, maximum. */
/* A numeric setting of a section: its word, where it goes in the section's struct, its range. */
struct u32_setting {
	const char *name;
	size_t offset;
	uint32_t min, max;
};

/* 'NAME VALUE' of a section whose settings are the table: the value checked against its range
 * and stored into the section's struct at base. */
static int set_u32_setting(struct vty *vty, const struct u32_setting *tab, unsigned n, void *base,
			   const char *name, const char *value)
{
	for (unsigned i = 0; i < n; i++) {
		const struct u32_setting *s = &tab[i];
		uint32_t v;

		if (strcmp(s->name, name))
			continue;
		if (!all_digits(value, 1, 10))
			return cfg_err(vty, "%s '%s' is not a number", s->name, value);
		if (parse_u32(value, s->min, s->max, &v))
			return cfg_err(vty, "%s '%s' out of range (%u-%u)", s->name, value, s->min, s->max);
		*(uint32_t *)((char *)base + s->offset) = v;
		return CMD_SUCCESS;
	}
	return CMD_WARNING;
}

static const struct u32_setting tracker_settings[] = {
	{ "subscribers-max", offsetof(struct sw_config_tracker, max_subscribers), 1024, 1u << 28 },
	{ "transactions-max", offsetof(struct sw_config_tracker, max_transactions), 1024, 1u << 28 },
	{ "transaction-timeout", offsetof(struct sw_config_tracker, transaction_timeout_s), 1, 86400 },
	{ "identify-max", offsetof(struct sw_config_tracker, max_identify), 1024, 1u << 28 },
};

DEFUN(cfg_tracker_set, cfg_tracker_set_cmd,
      "(subscribers-max|transactions-max|transaction-timeout|identify-max) VALUE",
      "Subscribers tracked at most (the least recently seen are evicted)\n"
      "Open dialogues tracked at most\n"
      "Seconds after which an unanswered dialogue is forgotten\n"
      "Identify steps from outside (SRI, SRI-for-SM, sendIMSI answers) kept per origin (the oldest are evicted)\n"
      "Value\n")
{
	return set_u32_setting(vty, tracker_settings, ARRAY_SIZE(tracker_settings), &vty_cfg->tracker, argv[0],
			       argv[1]);
}

DEFUN(cfg_tracker_prealloc, cfg_tracker_prealloc_cmd, "preallocate",
      "Allocate the subscriber and dialogue tables at their maximum now instead of growing them "
      "(no rehash pause on the packet path)\n")
{
	vty_cfg->tracker.preallocate = true;
	return CMD_SUCCESS;
}

DEFUN(cfg_tracker_no_prealloc, cfg_tracker_no_prealloc_cmd, "no preallocate",
      NO_STR "Grow the tables with the subscribers and dialogues seen (default)\n")
{
	vty_cfg->tracker.preallocate = false;
	return CMD_SUCCESS;
}

/* --- cluster commands --- */

DEFUN(cfg_cluster, cfg_cluster_cmd, "cluster",
      "Configure the NATS JetStream cluster of sensors and workers (doc/cluster.md)\n")
{
	if (!vty_cfg->cluster.present)
		vty_cfg->cluster.line = current_line();
	vty_cfg->cluster.present = true;
	vty->node = SW_CLUSTER_NODE;
	return CMD_SUCCESS;
}

DEFUN(cfg_cluster_server, cfg_cluster_server_cmd, "server URL",
      "A NATS server of the cluster (repeatable; libnats reconnects among them)\n"
      "nats://HOST:PORT\n")
{
	struct sw_config_cluster *c = &vty_cfg->cluster;
	const char *u = argv[0];

	if ((strncmp(u, "nats://", 7) && strncmp(u, "tls://", 6)) || strlen(u) > 200 ||
	    !u[strncmp(u, "nats://", 7) ? 6 : 7])
		return cfg_err(vty, "server '%s' is not a URL nats://HOST:PORT (or tls://HOST:PORT)", u);
	for (unsigned i = 0; i < c->n_servers; i++)
		if (!strcmp(c->servers[i], u))
			return cfg_err(vty, "server '%s' given twice", u);
	if (c->n_servers >= SW_CLUSTER_SERVERS_MAX)
		return cfg_err(vty, "more than %u servers", SW_CLUSTER_SERVERS_MAX);
	c->servers[c->n_servers++] = talloc_strdup(vty_cfg, u);
	return CMD_SUCCESS;
}

DEFUN(cfg_cluster_site, cfg_cluster_site_cmd, "site NAME",
      "A site whose events a worker waits for before it releases any (repeatable; sites not named are "
      "learnt from the stream)\n" "Site name, as the sensor's --site\n")
{
	struct sw_config_cluster *c = &vty_cfg->cluster;
	size_t n = strlen(argv[0]);

	if (n < 1 || n > 63 || strspn(argv[0], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != n)
		return cfg_err(vty, "site '%s' is not a site name (1-63 letters, digits, '_' or '-')", argv[0]);
	for (unsigned i = 0; i < c->n_sites; i++)
		if (!strcmp(c->sites[i], argv[0]))
			return cfg_err(vty, "site '%s' given twice", argv[0]);
	if (c->n_sites >= SW_CLUSTER_SITES_MAX)
		return cfg_err(vty, "more than %u sites", SW_CLUSTER_SITES_MAX);
	c->sites[c->n_sites++] = talloc_strdup(vty_cfg, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_cluster_role, cfg_cluster_role_cmd, "role (sensor|worker|collector) ARG",
      "What `ss7watch -c FILE` runs when the command line gives none of --site, --worker and --collect "
      "(they win): one unit file for every role\n"
      "A sensor of the daemon's inputs, publishing as site ARG\n" "Worker number ARG (1-999)\n"
      "The collector, appending every alert once to file ARG\n" "Site name, worker number or file\n")
{
	struct sw_cluster_role r;
	char err[256];

	if (!sw_cluster_role_parse(&r, argv[0], argv[1], err, sizeof(err)))
		return cfg_err(vty, "%s", err);
	if (vty_cfg->cluster.role)
		return cfg_err(vty, "role given twice");
	vty_cfg->cluster.role = talloc_asprintf(vty_cfg, "%s %s", argv[0], argv[1]);
	return CMD_SUCCESS;
}

/* A JetStream stream name or subject token: no wildcards, dots or spaces. */
static bool valid_token(const char *s, bool dots)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 64 && s[0] != '.' && s[n - 1] != '.' && !strstr(s, "..") &&
	       strspn(s, dots ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-."
			      : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

DEFUN(cfg_cluster_prefix, cfg_cluster_prefix_cmd, "subject-prefix PREFIX",
      "Subjects are PREFIX.events.SITE and PREFIX.alerts (default ss7)\n" "Subject prefix\n")
{
	if (!valid_token(argv[0], true))
		return cfg_err(vty, "subject-prefix '%s' is not a subject (letters, digits, '_', '-', '.')", argv[0]);
	set_str(&vty_cfg->cluster.subject_prefix, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_cluster_stream, cfg_cluster_stream_cmd, "(stream-events|stream-alerts) NAME",
      "Stream of the events sensors publish (default SS7_EVENTS)\n"
      "Stream of the alerts workers publish (default SS7_ALERTS)\n" "Stream name\n")
{
	if (!valid_token(argv[1], false))
		return cfg_err(vty, "%s '%s' is not a stream name (letters, digits, '_', '-')", argv[0], argv[1]);
	set_str(argv[0][7] == 'e' ? &vty_cfg->cluster.stream_events : &vty_cfg->cluster.stream_alerts, argv[1]);
	return CMD_SUCCESS;
}

/* A file the cluster modes read when they connect: readable now, or the line says why. */
static int readable_file(struct vty *vty, const char *what, const char *path)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return cfg_err(vty, "%s: cannot read '%s': %s", what, path, strerror(errno));
	fclose(f);
	return CMD_SUCCESS;
}

DEFUN(cfg_cluster_tls_ca, cfg_cluster_tls_ca_cmd, "tls-ca FILE",
      "Connect with TLS and verify the servers' certificates against these CA certificates (PEM)\n"
      "CA certificates file\n")
{
	if (readable_file(vty, "tls-ca", argv[0]) != CMD_SUCCESS)
		return CMD_WARNING;
	set_str(&vty_cfg->cluster.tls_ca, argv[0]);
	return CMD_SUCCESS;
}

DEFUN(cfg_cluster_tls_cert, cfg_cluster_tls_cert_cmd, "tls-cert FILE KEY",
      "Present this certificate to the servers (mutual TLS; needs tls-ca)\n"
      "Certificate chain file (PEM)\n" "Private key file (PEM)\n")
{
	if (readable_file(vty, "tls-cert", argv[0]) != CMD_SUCCESS ||
	    readable_file(vty, "tls-cert key", argv[1]) != CMD_SUCCESS)
		return CMD_WARNING;
	set_str(&vty_cfg->cluster.tls_cert, argv[0]);
	set_str(&vty_cfg->cluster.tls_key, argv[1]);
	return CMD_SUCCESS;
}

DEFUN(cfg_cluster_user, cfg_cluster_user_cmd, "user NAME PASSWORD",
      "Authenticate to the servers as this NATS user (keep the file readable by ss7watch only)\n"
      "User name\n" "Password\n")
{
	set_str(&vty_cfg->cluster.user, argv[0]);
	set_str(&vty_cfg->cluster.password, argv[1]);
	return CMD_SUCCESS;
}

/* Cluster settings: name, field, minimum, maximum. */
static const struct u32_setting cluster_settings[] = {
	{ "replicas", offsetof(struct sw_config_cluster, replicas), 1, 5 },
	{ "max-age", offsetof(struct sw_config_cluster, max_age_s), 0, 10 * 365 * 86400 },
	{ "duplicate-window", offsetof(struct sw_config_cluster, duplicate_window_s), 1, 10 * 365 * 86400 },
	{ "skew-ms", offsetof(struct sw_config_cluster, skew_ms), 0, 600000 },
	{ "idle-ms", offsetof(struct sw_config_cluster, idle_ms), 10, 600000 },
	{ "max-pending", offsetof(struct sw_config_cluster, max_pending), 1, 1u << 20 },
	{ "fetch-batch", offsetof(struct sw_config_cluster, fetch_batch), 1, 4096 },
	{ "batch-events", offsetof(struct sw_config_cluster, batch_events), 1, SW_CLUSTER_BATCH_EVENTS_MAX },
	{ "batch-bytes", offsetof(struct sw_config_cluster, batch_bytes), SW_CLUSTER_BATCH_BYTES_MIN,
	  SW_CLUSTER_BATCH_BYTES_MAX },
	{ "batch-ms", offsetof(struct sw_config_cluster, batch_ms), 1, 60000 },
	{ "max-hold-ms", offsetof(struct sw_config_cluster, max_hold_ms), 0, 3600000 },
};

DEFUN(cfg_cluster_set, cfg_cluster_set_cmd,
      "(replicas|max-age|duplicate-window|skew-ms|idle-ms|max-pending|fetch-batch|batch-events|batch-bytes|batch-ms|max-hold-ms) VALUE",
      "Replicas of both streams (1-5, default 3)\n"
      "Seconds the events stream keeps events (0 unlimited, default 86400): what a restarted worker rebuilds its state from\n"
      "Seconds the streams remember message ids (default 86400, at least max-age)\n"
      "Milliseconds of capture time a worker waits for the other sites (default 500)\n"
      "Milliseconds without events after which a worker releases what it holds (default 1000)\n"
      "Asynchronous publishes waiting for their acknowledgement at most (default 4096)\n"
      "Messages (events or batches) a worker fetches (and acks) at once (default 256)\n"
      "Events a sensor publishes in one message at most (1-4096, default 256)\n"
      "Bytes of one batch at most (16384-1040384, default 65536: below the NATS server's max_payload)\n"
      "Milliseconds after its first event a live sensor publishes a batch that is not full (default 50; "
      "a replayed file's batches end on count and bytes only)\n"
      "Milliseconds a worker holds an event at most, whatever the other sites (default 0: until every "
      "site's events allow, the buffer is full or the stream is idle)\n"
      "Value\n")
{
	return set_u32_setting(vty, cluster_settings, ARRAY_SIZE(cluster_settings), &vty_cfg->cluster, argv[0],
			       argv[1]);
}

/* --- writing --- */

static void write_network_body(struct vty *vty, const struct sw_config *cfg, const struct sw_config_network *net)
{
	char buf[64];

	if (net == &cfg->home && strcmp(net->name, SW_CONFIG_HOME_NAME))
		vty_out(vty, " name %s%s", net->name, VTY_NEWLINE);
	if (net->description)
		vty_out(vty, " description %s%s", net->description, VTY_NEWLINE);
	for (const struct value_string *k = kind_names; k->str; k++) {
		if (net->kinds & k->value)
			vty_out(vty, " role %s%s", k->str, VTY_NEWLINE);
	}
	for (unsigned i = 0; i < net->n_plmns; i++)
		vty_out(vty, " plmn %s %s%s", osmo_mcc_name(net->plmns[i].mcc),
			osmo_mnc_name(net->plmns[i].mnc, net->plmns[i].mnc_3_digits), VTY_NEWLINE);
	for (unsigned i = 0; i < net->n_gt_prefixes; i++)
		vty_out(vty, " gt-prefix %s%s", net->gt_prefixes[i], VTY_NEWLINE);
	for (unsigned i = 0; i < net->n_nodes; i++)
		vty_out(vty, " node %s %s%s", sw_role_name(net->nodes[i].role), net->nodes[i].digits, VTY_NEWLINE);
	for (unsigned i = 0; i < net->n_point_codes; i++) {
		uint32_t pc = net->point_codes[i];

		if (pc < (1 << 14))
			snprintf(buf, sizeof(buf), "%u.%u.%u", pc >> 11, (pc >> 3) & 0xff, pc & 7);
		else
			snprintf(buf, sizeof(buf), "%u", pc);
		vty_out(vty, " point-code %s%s", buf, VTY_NEWLINE);
	}
	if (net == &cfg->home)
		return;
	if (net->roaming_agreement)
		vty_out(vty, " roaming-agreement%s", VTY_NEWLINE);
	for (int op = 0; op < 256; op++) {
		const char *name;

		if (!(net->allowed_ops[op / 8] & (1 << (op % 8))))
			continue;
		name = map_op_name(op);
		if (name)
			vty_out(vty, " allow operation %s%s", name, VTY_NEWLINE);
		else
			vty_out(vty, " allow operation %d%s", op, VTY_NEWLINE);
	}
	for (unsigned i = 0; i < net->n_allowed_rules; i++)
		vty_out(vty, " allow rule %s%s", net->allowed_rules[i], VTY_NEWLINE);
}

static int config_write_home(struct vty *vty)
{
	if (!vty_cfg || !vty_cfg->has_home)
		return 0;
	vty_out(vty, "home-network%s", VTY_NEWLINE);
	write_network_body(vty, vty_cfg, &vty_cfg->home);
	return 1;
}

static int config_write_networks(struct vty *vty)
{
	struct sw_config_network *net;

	if (!vty_cfg)
		return 0;
	llist_for_each_entry(net, &vty_cfg->networks, list) {
		vty_out(vty, "network %s%s", net->name, VTY_NEWLINE);
		write_network_body(vty, vty_cfg, net);
	}
	return !llist_empty(&vty_cfg->networks);
}

static int config_write_rules(struct vty *vty)
{
	struct sw_config_rule *r;

	if (!vty_cfg)
		return 0;
	llist_for_each_entry(r, &vty_cfg->rules, list) {
		vty_out(vty, "rule %s%s", r->id, VTY_NEWLINE);
		if (r->has_enabled)
			vty_out(vty, " %s%s", r->enabled ? "enable" : "disable", VTY_NEWLINE);
		if (r->severity)
			vty_out(vty, " severity %u%s", r->severity, VTY_NEWLINE);
		for (unsigned i = 0; i < r->n_params; i++)
			vty_out(vty, " %s %u%s", r->params[i].name, r->params[i].value, VTY_NEWLINE);
		for (unsigned i = 0; i < r->n_allow_prefixes; i++)
			vty_out(vty, " allow gt-prefix %s%s", r->allow_prefixes[i], VTY_NEWLINE);
		write_filters(vty, &r->filters);
	}
	return !llist_empty(&vty_cfg->rules);
}

static int config_write_alerts(struct vty *vty)
{
	const struct sw_config_alerts *a;

	if (!vty_cfg)
		return 0;
	a = &vty_cfg->alerts;
	vty_out(vty, "alerts%s", VTY_NEWLINE);
	if (a->log_directory)
		vty_out(vty, " log-directory %s%s", a->log_directory, VTY_NEWLINE);
	if (a->eve_file)
		vty_out(vty, " eve-file %s%s", a->eve_file, VTY_NEWLINE);
	else
		vty_out(vty, " no eve-file%s", VTY_NEWLINE);
	if (a->to_stdout)
		vty_out(vty, " stdout%s", VTY_NEWLINE);
	if (a->to_syslog)
		vty_out(vty, " syslog %s%s", get_value_string(facility_names, a->syslog_facility), VTY_NEWLINE);
	if (a->pseudo_key_len)
		vty_out(vty, " pseudonymise key %s%s", osmo_hexdump_nospc(a->pseudo_key, a->pseudo_key_len),
			VTY_NEWLINE);
	if (a->pseudo_keep_location)
		vty_out(vty, " pseudonymise location keep%s", VTY_NEWLINE);
	if (a->queue_kib)
		vty_out(vty, " queue-size %u%s", a->queue_kib, VTY_NEWLINE);
	write_alerts_settings(vty, a);
	return 1;
}

static int config_write_tracker(struct vty *vty)
{
	bool any = false;

	if (!vty_cfg)
		return 0;
	for (unsigned i = 0; i < ARRAY_SIZE(tracker_settings); i++) {
		const struct u32_setting *s = &tracker_settings[i];
		uint32_t v = *(const uint32_t *)((const char *)&vty_cfg->tracker + s->offset);

		if (!v)
			continue;
		if (!any)
			vty_out(vty, "tracker%s", VTY_NEWLINE);
		any = true;
		vty_out(vty, " %s %u%s", s->name, v, VTY_NEWLINE);
	}
	if (vty_cfg->tracker.preallocate) {
		if (!any)
			vty_out(vty, "tracker%s", VTY_NEWLINE);
		any = true;
		vty_out(vty, " preallocate%s", VTY_NEWLINE);
	}
	return any;
}

static int config_write_cluster(struct vty *vty)
{
	const struct sw_config_cluster *c = &vty_cfg->cluster;

	if (!c->present)
		return 0;
	vty_out(vty, "cluster%s", VTY_NEWLINE);
	if (c->role)
		vty_out(vty, " role %s%s", c->role, VTY_NEWLINE);
	for (unsigned i = 0; i < c->n_servers; i++)
		vty_out(vty, " server %s%s", c->servers[i], VTY_NEWLINE);
	for (unsigned i = 0; i < c->n_sites; i++)
		vty_out(vty, " site %s%s", c->sites[i], VTY_NEWLINE);
	vty_out(vty, " subject-prefix %s%s", c->subject_prefix, VTY_NEWLINE);
	vty_out(vty, " stream-events %s%s", c->stream_events, VTY_NEWLINE);
	vty_out(vty, " stream-alerts %s%s", c->stream_alerts, VTY_NEWLINE);
	for (unsigned i = 0; i < ARRAY_SIZE(cluster_settings); i++)
		vty_out(vty, " %s %u%s", cluster_settings[i].name,
			*(const uint32_t *)((const char *)c + cluster_settings[i].offset), VTY_NEWLINE);
	if (c->tls_ca)
		vty_out(vty, " tls-ca %s%s", c->tls_ca, VTY_NEWLINE);
	if (c->tls_cert)
		vty_out(vty, " tls-cert %s %s%s", c->tls_cert, c->tls_key, VTY_NEWLINE);
	if (c->user)
		vty_out(vty, " user %s %s%s", c->user, c->password, VTY_NEWLINE);
	return 1;
}

/* --- installation --- */

static struct vty_app_info default_app_info = {
	.name = "ss7watch",
#ifdef PACKAGE_VERSION
	.version = PACKAGE_VERSION,
#else
	.version = "unknown",
#endif
	.copyright = "ss7watch: SS7/MAP signalling anomaly detector\r\n",
};

static void install_network_commands(int node)
{
	install_element(node, &cfg_net_description_cmd);
	install_element(node, &cfg_net_plmn_cmd);
	install_element(node, &cfg_net_gt_prefix_cmd);
	install_element(node, &cfg_net_node_cmd);
	install_element(node, &cfg_net_point_code_cmd);
	install_element(node, &cfg_net_role_cmd);
	install_element(node, &cfg_net_no_role_cmd);
}

int sw_config_vty_init(void)
{
	if (nodes_installed)
		return 0;
	nodes_installed = true;

	install_element(CONFIG_NODE, &cfg_home_network_cmd);
	install_element(CONFIG_NODE, &cfg_network_cmd);
	install_element(CONFIG_NODE, &cfg_no_network_cmd);
	install_element(CONFIG_NODE, &cfg_rule_cmd);
	install_element(CONFIG_NODE, &cfg_alerts_cmd);
	install_element(CONFIG_NODE, &cfg_tracker_cmd);
	install_element(CONFIG_NODE, &cfg_cluster_cmd);

	install_node(&home_node, config_write_home);
	install_network_commands(SW_HOME_NETWORK_NODE);
	install_element(SW_HOME_NETWORK_NODE, &cfg_net_name_cmd);

	install_node(&network_node, config_write_networks);
	install_network_commands(SW_NETWORK_NODE);
	install_element(SW_NETWORK_NODE, &cfg_net_roaming_cmd);
	install_element(SW_NETWORK_NODE, &cfg_net_no_roaming_cmd);
	install_element(SW_NETWORK_NODE, &cfg_net_allow_op_cmd);
	install_element(SW_NETWORK_NODE, &cfg_net_no_allow_op_cmd);
	install_element(SW_NETWORK_NODE, &cfg_net_allow_rule_cmd);
	install_element(SW_NETWORK_NODE, &cfg_net_no_allow_rule_cmd);

	install_node(&rule_node, config_write_rules);
	install_element(SW_RULE_NODE, &cfg_rule_enable_cmd);
	install_element(SW_RULE_NODE, &cfg_rule_disable_cmd);
	install_element(SW_RULE_NODE, &cfg_rule_severity_cmd);
	install_element(SW_RULE_NODE, &cfg_rule_no_severity_cmd);
	install_element(SW_RULE_NODE, &cfg_rule_param_cmd);
	install_element(SW_RULE_NODE, &cfg_rule_no_param_cmd);
	install_element(SW_RULE_NODE, &cfg_rule_allow_gt_cmd);
	install_element(SW_RULE_NODE, &cfg_rule_no_allow_gt_cmd);
	install_filter_commands(SW_RULE_NODE);

	install_node(&alerts_node, config_write_alerts);
	install_element(SW_ALERTS_NODE, &cfg_alerts_logdir_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_eve_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_no_eve_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_stdout_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_no_stdout_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_syslog_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_queue_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_no_syslog_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_pseudo_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_pseudo_location_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_no_pseudo_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_fold_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_no_fold_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_filter_entries_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_stats_interval_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_no_stats_interval_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_stats_cells_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_evidence_dir_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_no_evidence_dir_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_evidence_limit_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_evidence_ring_cmd);
	install_element(SW_ALERTS_NODE, &cfg_alerts_incident_cmd);
	install_filter_commands(SW_ALERTS_NODE);

	install_node(&tracker_node, config_write_tracker);
	install_element(SW_TRACKER_NODE, &cfg_tracker_set_cmd);
	install_element(SW_TRACKER_NODE, &cfg_tracker_prealloc_cmd);
	install_element(SW_TRACKER_NODE, &cfg_tracker_no_prealloc_cmd);

	install_node(&cluster_node, config_write_cluster);
	install_element(SW_CLUSTER_NODE, &cfg_cluster_server_cmd);
	install_element(SW_CLUSTER_NODE, &cfg_cluster_site_cmd);
	install_element(SW_CLUSTER_NODE, &cfg_cluster_role_cmd);
	install_element(SW_CLUSTER_NODE, &cfg_cluster_prefix_cmd);
	install_element(SW_CLUSTER_NODE, &cfg_cluster_stream_cmd);
	install_element(SW_CLUSTER_NODE, &cfg_cluster_set_cmd);
	install_element(SW_CLUSTER_NODE, &cfg_cluster_tls_ca_cmd);
	install_element(SW_CLUSTER_NODE, &cfg_cluster_tls_cert_cmd);
	install_element(SW_CLUSTER_NODE, &cfg_cluster_user_cmd);
	return 0;
}

/* Without a daemon that set up the VTY (replay mode, tests), set it up for our nodes. */
static void ensure_vty(void)
{
	if (nodes_installed)
		return;
	vty_init(&default_app_info);
	sw_config_vty_init();
}

/* --- loading --- */

static unsigned count_lines(const char *text, size_t len)
{
	unsigned n = 0;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	if (len && text[len - 1] != '\n')
		n++;
	return n ? n : 1;
}

/* The failing line's command, without indentation and line end. */
static const char *failed_command(const struct vty *vty, char *buf, size_t len)
{
	const char *s = vty->buf;
	size_t n;

	s += strspn(s, " \t");
	n = strcspn(s, "\r\n");
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	snprintf(buf, len, "%.*s", (int)n, s);
	return buf;
}

/* What a library command (logging, cs7 ...) printed as its reason: first line, no "% ". */
static void library_reason(struct vty *vty, char *buf, size_t len)
{
	char *out = buffer_getstr(vty->obuf);
	const char *s = out;
	size_t n;

	buf[0] = '\0';
	if (!out)
		return;
	s += strspn(s, "%\r\n \t");
	n = strcspn(s, "\r\n");
	if (n)
		snprintf(buf, len, "%.*s", (int)n, s);
	talloc_free(out);
}

static void describe_failure(struct vty *vty, int rc, char *reason, size_t len)
{
	char cmd[128];

	if (load.reason[0]) {
		snprintf(reason, len, "%s", load.reason);
		return;
	}
	failed_command(vty, cmd, sizeof(cmd));
	switch (rc) {
	case CMD_ERR_NO_MATCH:
		snprintf(reason, len, "unknown command '%s'", cmd);
		break;
	case CMD_ERR_AMBIGUOUS:
		snprintf(reason, len, "ambiguous command '%s'", cmd);
		break;
	case CMD_ERR_INCOMPLETE:
		snprintf(reason, len, "incomplete command '%s'", cmd);
		break;
	case CMD_ERR_INVALID_INDENT:
		snprintf(reason, len, "inconsistent indentation (a section's lines must be indented alike, "
			 "deeper than the line that opens it)");
		break;
	default:
		library_reason(vty, reason, len);
		if (!reason[0])
			snprintf(reason, len, "command '%s' failed", cmd);
		break;
	}
}

static char *read_file(void *ctx, const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		snprintf(err, errlen, "%s: cannot read the configuration: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = talloc_realloc_size(ctx, buf, cap);
		}
		n += fread(buf + n, 1, cap - n - 1, f);
	} while (!ferror(f) && !feof(f));
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read the configuration: %s", path, strerror(errno));
		talloc_free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* What libosmovty must not be given, found before it runs anything: the line (1-based) with
 * the reason in reason, 0 when there is none.
 * - A line whose first word it would take for a command that writes files: "write" (write
 *   file [PATH], write memory) and "copy" (copy running-config startup-config) are in every
 *   node, also while a file is read, and it accepts any prefix of a word.
 * - An indented first command: libosmovty 1.7 then loops forever on the first line indented
 *   less (it climbs parent nodes above the top one to match the indentation). */
static unsigned prescan(const char *text, size_t len, char *reason, size_t rlen)
{
	static const char *const words[] = { "write", "copy" };
	bool first = true;
	unsigned line = 1;

	for (size_t i = 0; i < len; line++) {
		size_t start = i, n = 0;

		while (i < len && (text[i] == ' ' || text[i] == '\t'))
			i++;
		while (i + n < len && !strchr(" \t\r\n", text[i + n]))
			n++;
		if (n && first && text[i] != '!' && text[i] != '#') {
			first = false;
			if (i > start) {
				snprintf(reason, rlen, "the first command is indented (top-level commands start at "
					 "the beginning of the line)");
				return line;
			}
		}
		for (unsigned w = 0; n && w < ARRAY_SIZE(words); w++) {
			if (n <= strlen(words[w]) && !memcmp(text + i, words[w], n)) {
				snprintf(reason, rlen, "'%s' is not a configuration command (it writes files)",
					 words[w]);
				return line;
			}
		}
		while (i < len && text[i] != '\n')
			i++;
		i++;
	}
	return 0;
}

/* Run the commands of text (len bytes; name for messages) into cfg.
 * \returns 0, or -1 with "NAME:LINE: reason" in errbuf. */
static int load_text(struct sw_config *cfg, const char *name, const char *text, size_t len,
		     char *errbuf, size_t errlen)
{
	struct sw_config *prev = vty_cfg;
	struct vty *vty;
	char reason[256];
	unsigned line;
	int rc = CMD_SUCCESS;

	ensure_vty();
	line = prescan(text, len, reason, sizeof(reason));
	if (line) {
		snprintf(errbuf, errlen, "%s:%u: %s", name, line, reason);
		return -1;
	}
	memset(&load, 0, sizeof(load));
	load.text = text;
	load.len = len;
	if (len) {
		load.fp = fmemopen((void *)text, len, "r");
		if (!load.fp) {
			snprintf(errbuf, errlen, "%s: cannot read the configuration: %s", name, strerror(errno));
			goto fail;
		}
		vty = vty_new();
		vty->type = VTY_FILE;
		vty->node = CONFIG_NODE;
		vty_cfg = cfg;
		load.active = true;
		rc = config_from_file(vty, load.fp);
		/* as the 'end' command does: leave the nodes still open, so that what leaving does
		 * (libosmo-sigtran starts an ASP, binds a server) happens for the last block too */
		for (int last = -1; (rc == CMD_SUCCESS || rc == CMD_ERR_NOTHING_TODO) &&
				    vty->node > CONFIG_NODE && vty->node != last;) {
			last = vty->node;
			vty_go_parent(vty);
		}
		if (rc != CMD_SUCCESS && rc != CMD_ERR_NOTHING_TODO) {
			line = current_line();
			describe_failure(vty, rc, reason, sizeof(reason));
			snprintf(errbuf, errlen, "%s:%u: %s", name, line, reason);
		}
		load.active = false;
		vty_cfg = prev;
		/* nothing to flush: reasons are in errbuf */
		buffer_reset(vty->obuf);
		vty_close(vty);
		fclose(load.fp);
		if (rc != CMD_SUCCESS && rc != CMD_ERR_NOTHING_TODO)
			goto fail;
	}
	if (sw_config_first_problem(cfg, &line, reason, sizeof(reason))) {
		snprintf(errbuf, errlen, "%s:%u: %s", name, line ? line : count_lines(text, len), reason);
		goto fail;
	}
	memset(&load, 0, sizeof(load));
	return 0;
fail:
	memset(&load, 0, sizeof(load));
	return -1;
}

int sw_config_load(void *ctx, const char *path, struct sw_config **out, char *errbuf, size_t errlen)
{
	struct sw_config *cfg;
	char *text;
	size_t len;

	cfg = sw_config_alloc(ctx);
	if (!cfg) {
		snprintf(errbuf, errlen, "%s: out of memory", path);
		return -1;
	}
	cfg->path = talloc_strdup(cfg, path);
	text = read_file(cfg, path, &len, errbuf, errlen);
	if (!text || load_text(cfg, path, text, len, errbuf, errlen) < 0) {
		talloc_free(cfg);
		return -1;
	}
	talloc_free(text);
	*out = cfg;
	return 0;
}

int sw_config_load_text(void *ctx, const char *name, const char *text, size_t len, struct sw_config **out,
			char *errbuf, size_t errlen)
{
	struct sw_config *cfg = sw_config_alloc(ctx);

	if (!cfg) {
		snprintf(errbuf, errlen, "%s: out of memory", name);
		return -1;
	}
	if (load_text(cfg, name, text, len, errbuf, errlen) < 0) {
		talloc_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

int sw_config_write(const struct sw_config *cfg, FILE *f)
{
	struct sw_config *prev = vty_cfg;
	static int (*const writers[])(struct vty *) = {
		config_write_home, config_write_networks, config_write_rules, config_write_alerts,
		config_write_tracker, config_write_cluster,
	};
	struct vty *vty;
	char *text;
	int rc = 0;

	ensure_vty();
	vty = vty_new();
	if (!vty)
		return -1;
	vty->type = VTY_FILE;
	vty_cfg = (struct sw_config *)cfg;
	/* as `write file` does: a '!' after each section that wrote something */
	for (unsigned i = 0; i < ARRAY_SIZE(writers); i++) {
		if (writers[i](vty))
			vty_out(vty, "!%s", VTY_NEWLINE);
	}
	vty_cfg = prev;
	text = buffer_getstr(vty->obuf);
	if (!text || fputs(text, f) == EOF)
		rc = -1;
	talloc_free(text);
	buffer_reset(vty->obuf);
	vty_close(vty);
	return rc;
}
