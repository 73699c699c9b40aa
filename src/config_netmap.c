/* The network map (config_netmap.h): a decimal digit trie over every configured GT prefix and node
 * GT, and over the E.164 country prefixes, so one walk finds both the network and the
 * country (longest match each); a sorted PLMN table for IMSIs and a hash table of point codes.
 * Built once per configuration; lookups walk arrays only. */
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <ss7watch/config_geo.h>
#include <ss7watch/config_netmap.h>

/* A trie node: one child per decimal digit (0: none; the root is node 0 and never a child). */
struct trie_node {
	uint32_t child[10];
	int16_t net;		/* network of the prefix ending here, SW_NET_UNKNOWN when none */
	uint8_t role;
	uint16_t country;	/* country of the E.164 prefix ending here, 0 when none */
	/* the longest matches of the digits leading here, the root excluded (trie_resolve()) */
	int16_t match_net;
	uint8_t match_role;
	uint16_t match_country;
};

struct plmn_entry {
	uint32_t key;		/* plmn_key() */
	int net;
};

struct pc_entry {
	uint32_t pc;
	int net;
};

struct sw_netmap {
	const struct sw_config *cfg;
	const struct sw_config_network **nets;	/* [0] home, [1..n_nets-1] others */
	uint16_t *net_country;	/* of each network, worked out once (the packet path asks) */
	unsigned n_nets;

	struct trie_node *trie;
	uint32_t n_trie, trie_cap;

	struct plmn_entry *plmns;
	unsigned n_plmns;
	/* open addressing, at most half full (net SW_NET_UNKNOWN: free): the packet path asks
	 * for every message's originating point code */
	struct pc_entry *pcs;
	unsigned pc_shift;	/* 32 - log2 of its size */

	uint32_t home_roles;	/* bit per enum sw_role */
};

/* MCC, MNC and whether the MNC has 3 digits (010 and 10 are different networks). */
static uint32_t plmn_key(uint16_t mcc, uint16_t mnc, bool mnc3)
{
	return (uint32_t)mcc << 12 | (uint32_t)mnc3 << 11 | mnc;
}

static int trie_new_node(struct sw_netmap *nm)
{
	if (nm->n_trie == nm->trie_cap) {
		uint32_t cap = nm->trie_cap ? nm->trie_cap * 2 : 256;
		struct trie_node *t = talloc_realloc(nm, nm->trie, struct trie_node, cap);

		if (!t)
			return -1;
		nm->trie = t;
		nm->trie_cap = cap;
	}
	memset(&nm->trie[nm->n_trie], 0, sizeof(nm->trie[0]));
	nm->trie[nm->n_trie].net = SW_NET_UNKNOWN;
	return nm->n_trie++;
}

/* The node of digits, created with its path. \returns -1 when out of memory. */
static int64_t trie_path(struct sw_netmap *nm, const char *digits)
{
	uint32_t n = 0;

	for (const char *d = digits; *d; d++) {
		unsigned c = *d - '0';

		if (!nm->trie[n].child[c]) {
			int child = trie_new_node(nm);

			if (child < 0)
				return -1;
			nm->trie[n].child[c] = child;
		}
		n = nm->trie[n].child[c];
	}
	return n;
}

/* Insert digits; a node GT (role != NONE) overrides a plain prefix of the same digits. */
static int trie_insert(struct sw_netmap *nm, const char *digits, int net, uint8_t role)
{
	int64_t n = trie_path(nm, digits);

	if (n < 0)
		return -1;
	if (nm->trie[n].net == SW_NET_UNKNOWN || role != SW_ROLE_NONE) {
		nm->trie[n].net = net;
		nm->trie[n].role = role;
	}
	return 0;
}

/* Work out each node's longest matches once, so that a lookup only follows the digits. A
 * child is always created after its parent: one pass in index order sees each parent done. */
static void trie_resolve(struct sw_netmap *nm)
{
	struct trie_node *t = nm->trie;

	/* the root matches nothing: the lookup looks at the nodes of digits it read */
	t[0].match_net = SW_NET_UNKNOWN;
	t[0].match_role = SW_ROLE_NONE;
	t[0].match_country = 0;
	for (uint32_t i = 0; i < nm->n_trie; i++) {
		for (unsigned c = 0; c < 10; c++) {
			struct trie_node *ch;

			if (!t[i].child[c])
				continue;
			ch = &t[t[i].child[c]];
			if (ch->net != SW_NET_UNKNOWN) {
				ch->match_net = ch->net;
				ch->match_role = ch->role;
			} else {
				ch->match_net = t[i].match_net;
				ch->match_role = t[i].match_role;
			}
			ch->match_country = ch->country ? ch->country : t[i].match_country;
		}
	}
}

static int cmp_plmn(const void *a, const void *b)
{
	const struct plmn_entry *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* The first slot to look at for pc: Fibonacci hashing, the top bits of the product */
static uint32_t pc_slot(const struct sw_netmap *nm, uint32_t pc)
{
	return (pc * 2654435761u) >> nm->pc_shift;
}

/* config_vty.c refuses a point code listed twice, or by two networks */
static void pc_insert(struct sw_netmap *nm, uint32_t pc, int net)
{
	uint32_t mask = (1u << (32 - nm->pc_shift)) - 1, i = pc_slot(nm, pc);

	while (nm->pcs[i].net != SW_NET_UNKNOWN)
		i = (i + 1) & mask;
	nm->pcs[i] = (struct pc_entry){ pc, net };
}

static int add_network(struct sw_netmap *nm, const struct sw_config_network *net, int idx)
{
	for (unsigned i = 0; i < net->n_gt_prefixes; i++) {
		if (trie_insert(nm, net->gt_prefixes[i], idx, SW_ROLE_NONE))
			return -1;
	}
	for (unsigned i = 0; i < net->n_nodes; i++) {
		if (trie_insert(nm, net->nodes[i].digits, idx, net->nodes[i].role))
			return -1;
		if (idx == SW_NET_HOME)
			nm->home_roles |= 1u << net->nodes[i].role;
	}
	for (unsigned i = 0; i < net->n_plmns; i++) {
		const struct osmo_plmn_id *p = &net->plmns[i];

		nm->plmns[nm->n_plmns++] = (struct plmn_entry){ plmn_key(p->mcc, p->mnc, p->mnc_3_digits), idx };
	}
	for (unsigned i = 0; i < net->n_point_codes; i++)
		pc_insert(nm, net->point_codes[i], idx);
	return 0;
}

/* The country of a network: of its first GT prefix, else of its first MCC. */
static uint16_t config_net_country(const struct sw_config_network *n)
{
	if (!n)
		return 0;
	if (n->n_gt_prefixes)
		return geo_e164_country(n->gt_prefixes[0], NULL);
	if (n->n_plmns)
		return geo_mcc_country(n->plmns[0].mcc);
	return 0;
}

struct sw_netmap *sw_netmap_alloc(void *ctx, const struct sw_config *cfg)
{
	struct sw_netmap *nm = talloc_zero(ctx, struct sw_netmap);
	const struct sw_config_network *net;
	unsigned n_plmns = cfg->home.n_plmns, n_pcs = cfg->home.n_point_codes, i = 1, pc_bits = 1;

	if (!nm)
		return NULL;
	nm->cfg = cfg;
	llist_for_each_entry(net, &cfg->networks, list) {
		n_plmns += net->n_plmns;
		n_pcs += net->n_point_codes;
	}
	nm->n_nets = 1 + cfg->n_networks;
	nm->nets = talloc_zero_array(nm, const struct sw_config_network *, nm->n_nets);
	nm->net_country = talloc_zero_array(nm, uint16_t, nm->n_nets);
	nm->plmns = talloc_zero_array(nm, struct plmn_entry, n_plmns + 1);
	while ((1u << pc_bits) < 2 * n_pcs)
		pc_bits++;
	nm->pc_shift = 32 - pc_bits;
	nm->pcs = talloc_array(nm, struct pc_entry, 1u << pc_bits);
	if (!nm->nets || !nm->net_country || !nm->plmns || !nm->pcs || trie_new_node(nm) < 0)
		goto fail;
	for (unsigned k = 0; k < 1u << pc_bits; k++)
		nm->pcs[k] = (struct pc_entry){ 0, SW_NET_UNKNOWN };

	for (unsigned e = 0; e < geo_e164_count(); e++) {
		uint16_t country;
		int64_t n = trie_path(nm, geo_e164_prefix(e, &country));

		if (n < 0)
			goto fail;
		nm->trie[n].country = country;
	}
	nm->nets[SW_NET_HOME] = &cfg->home;
	if (add_network(nm, &cfg->home, SW_NET_HOME))
		goto fail;
	llist_for_each_entry(net, &cfg->networks, list) {
		if (i >= nm->n_nets)
			break;
		nm->nets[i] = net;
		if (add_network(nm, net, i++))
			goto fail;
	}
	trie_resolve(nm);
	qsort(nm->plmns, nm->n_plmns, sizeof(nm->plmns[0]), cmp_plmn);
	for (unsigned k = 0; k < nm->n_nets; k++)
		nm->net_country[k] = config_net_country(nm->nets[k]);
	return nm;
fail:
	talloc_free(nm);
	return NULL;
}

static const char *name_of(const struct sw_netmap *nm, int net)
{
	return net >= 0 && (unsigned)net < nm->n_nets ? nm->nets[net]->name : NULL;
}

void sw_netmap_gt(const struct sw_netmap *nm, const char *digits, struct sw_netinfo *out)
{
	const struct trie_node *node = &nm->trie[0];

	/* the deepest node of the digits holds the longest matches (trie_resolve()) */
	for (const char *d = digits; *d >= '0' && *d <= '9'; d++) {
		uint32_t n = node->child[*d - '0'];

		if (!n)
			break;
		node = &nm->trie[n];
	}
	out->net = node->match_net;
	out->role = node->match_role;
	out->net_name = name_of(nm, out->net);
	out->country = node->match_country;
}

static int plmn_find(const struct sw_netmap *nm, uint32_t key)
{
	unsigned lo = 0, hi = nm->n_plmns;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (nm->plmns[mid].key == key)
			return nm->plmns[mid].net;
		if (key < nm->plmns[mid].key)
			hi = mid;
		else
			lo = mid + 1;
	}
	return SW_NET_UNKNOWN;
}

void sw_netmap_plmn(const struct sw_netmap *nm, int mcc, int mnc2, int mnc3, struct sw_netinfo *out)
{
	int net = SW_NET_UNKNOWN;

	out->role = SW_ROLE_NONE;
	if (mcc < 0)
		mnc2 = mnc3 = -1;
	if (mnc3 >= 0)
		net = plmn_find(nm, plmn_key(mcc, mnc3, true));
	if (net == SW_NET_UNKNOWN && mnc2 >= 0)
		net = plmn_find(nm, plmn_key(mcc, mnc2, false));
	out->net = net;
	out->net_name = name_of(nm, net);
	out->country = mcc >= 0 ? geo_mcc_country(mcc) : 0;
}

int sw_netmap_pc(const struct sw_netmap *nm, uint32_t pc)
{
	uint32_t mask = (1u << (32 - nm->pc_shift)) - 1, i = pc_slot(nm, pc);

	/* ends at a free slot: there is always one, the table is at most half full */
	for (; nm->pcs[i].net != SW_NET_UNKNOWN; i = (i + 1) & mask)
		if (nm->pcs[i].pc == pc)
			return nm->pcs[i].net;
	return SW_NET_UNKNOWN;
}

const struct sw_config_network *sw_netmap_net(const struct sw_netmap *nm, int net)
{
	return net >= 0 && (unsigned)net < nm->n_nets ? nm->nets[net] : NULL;
}

const char *sw_netmap_net_name(const struct sw_netmap *nm, int net)
{
	return name_of(nm, net);
}

bool sw_netmap_net_roaming(const struct sw_netmap *nm, int net)
{
	const struct sw_config_network *n = sw_netmap_net(nm, net);

	if (net == SW_NET_HOME)
		return true;
	return n && n->roaming_agreement;
}

bool sw_netmap_net_is_carrier(const struct sw_netmap *nm, int net)
{
	const struct sw_config_network *n = sw_netmap_net(nm, net);

	return n && (n->kinds & SW_NET_KIND_CARRIER);
}

bool sw_netmap_net_is_sms_hub(const struct sw_netmap *nm, int net)
{
	const struct sw_config_network *n = sw_netmap_net(nm, net);

	return n && (n->kinds & SW_NET_KIND_SMS_HUB);
}

bool sw_netmap_net_has_role(const struct sw_netmap *nm, int net, uint8_t role)
{
	const struct sw_config_network *n = sw_netmap_net(nm, net);

	for (unsigned i = 0; n && i < n->n_nodes; i++)
		if (n->nodes[i].role == role)
			return true;
	return false;
}

bool sw_netmap_net_allows_op(const struct sw_netmap *nm, int net, int opcode)
{
	const struct sw_config_network *n = sw_netmap_net(nm, net);

	if (!n || opcode < 0 || opcode > 255)
		return false;
	return n->allowed_ops[opcode / 8] & (1 << (opcode % 8));
}

bool sw_netmap_net_exempts_rule(const struct sw_netmap *nm, int net, const char *rule_id)
{
	const struct sw_config_network *n = sw_netmap_net(nm, net);

	if (!n || !rule_id)
		return false;
	for (unsigned i = 0; i < n->n_allowed_rules; i++) {
		if (!strcmp(n->allowed_rules[i], rule_id))
			return true;
	}
	return false;
}

bool sw_netmap_home_has_role(const struct sw_netmap *nm, uint8_t role)
{
	return role < 32 && (nm->home_roles & (1u << role));
}

uint16_t sw_netmap_net_country(const struct sw_netmap *nm, int net)
{
	return net >= 0 && (unsigned)net < nm->n_nets && nm->nets[net] ? nm->net_country[net] : 0;
}

uint16_t sw_netmap_home_country(const struct sw_netmap *nm)
{
	return sw_netmap_net_country(nm, SW_NET_HOME);
}
