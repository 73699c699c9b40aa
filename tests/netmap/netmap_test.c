/* Network map and geography test: classify GTs, IMSIs and point codes against
 * doc/examples/ss7watch.cfg, look up countries by E.164 code and MCC, compute distances.
 * Usage: netmap_test [EXAMPLE.cfg] (default: $srcdir/../doc/examples/ss7watch.cfg) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <ss7watch/config.h>
#include <ss7watch/config_geo.h>
#include <ss7watch/config_netmap.h>
#include <ss7watch/track_subscr.h>

static void print_info(const char *what, const char *addr, const struct sw_netinfo *ni)
{
	printf("%-4s %-16s -> net=%d (%s) role=%s country=%s\n", what, addr, ni->net,
	       ni->net_name ? ni->net_name : "unknown", sw_role_name(ni->role),
	       *geo_country_iso(ni->country) ? geo_country_iso(ni->country) : "-");
}

static void test_gts(const struct sw_netmap *nm)
{
	static const char *const gts[] = {
		"491700000101",		/* home HLR */
		"491700000401",		/* home SMSC */
		"491710000123",		/* home MSISDN range */
		"4917000004019",	/* longer than the SMSC GT: still matches it (prefix) */
		"49151999",		/* second home prefix */
		"4917200001",		/* more specific prefix of another German network */
		"4930123456",		/* Germany, not a mobile network we know */
		"33609000401",		/* partner SMSC */
		"33612345678",		/* partner MSISDN range */
		"336999",		/* France, unknown network */
		"447785000201",		/* partner GT, node not configured: the network's prefix */
		"12063130101",		/* partner-us HLR */
		"14165551234",		/* Canada (NANP area code 416) */
		"18765551234",		/* Jamaica (NANP area code 876) */
		"882340000501",		/* the +882 international range */
		"3165899123",		/* SMS hub */
		"77012345678",		/* Kazakhstan under +7 */
		"74951234567",		/* Russia */
		"4917a",		/* stops at the first non-digit */
		"",
		"999",			/* unassigned code */
	};
	struct sw_netinfo ni;

	printf("--- global titles ---\n");
	for (unsigned i = 0; i < ARRAY_SIZE(gts); i++) {
		sw_netmap_gt(nm, gts[i], &ni);
		print_info("gt", gts[i], &ni);
	}
}

/* The trie's country (merged with the network prefixes) agrees with config_geo.h for every number
 * starting with any 7 digits. */
static void test_gt_countries(const struct sw_netmap *nm)
{
	unsigned mismatches = 0;
	struct sw_netinfo ni;
	char digits[16];

	for (unsigned i = 0; i < 10000000; i += 7) {
		snprintf(digits, sizeof(digits), "%07u12345", i);
		sw_netmap_gt(nm, digits, &ni);
		if (ni.country != geo_e164_country(digits, NULL) && mismatches++ < 5)
			printf("country mismatch for %s: %s vs %s\n", digits, geo_country_iso(ni.country),
			       geo_country_iso(geo_e164_country(digits, NULL)));
	}
	printf("GT countries agree with geo_e164_country(): %s\n", mismatches ? "NO" : "yes");
}

static void test_imsis(const struct sw_netmap *nm)
{
	static const char *const imsis[] = {
		"262011234567890",	/* home */
		"262021234567890",	/* national-de02 */
		"262031234567890",	/* Germany, unknown network */
		"310260123456789",	/* partner-us, 3-digit MNC */
		"310026012345678",	/* US, not 310-260 */
		"208011234567890",	/* partner-fr */
		"234151234567890",	/* partner-gb */
		"901881234567890",	/* international MCC */
		"001011234567890",	/* test network */
		"26201",		/* MCC + MNC only */
		"12",			/* too short */
	};
	struct sw_netinfo ni;

	printf("--- IMSIs ---\n");
	for (unsigned i = 0; i < ARRAY_SIZE(imsis); i++) {
		int mcc, mnc2, mnc3;

		/* as the detector classifies them: packed, then MCC and MNC from the number */
		sw_num_plmn(sw_num_pack(imsis[i]), &mcc, &mnc2, &mnc3);
		sw_netmap_plmn(nm, mcc, mnc2, mnc3, &ni);
		print_info("imsi", imsis[i], &ni);
	}
}

static void test_networks(const struct sw_netmap *nm)
{
	static const uint32_t pcs[] = { 4129, 7985, 2064, 2336, 5777, 1234 };
	static const uint8_t roles[] = { SW_ROLE_HLR, SW_ROLE_SMSC, SW_ROLE_GSMSCF, SW_ROLE_STP, SW_ROLE_GGSN };

	printf("--- point codes ---\n");
	for (unsigned i = 0; i < ARRAY_SIZE(pcs); i++) {
		int net = sw_netmap_pc(nm, pcs[i]);
		const char *name = sw_netmap_net_name(nm, net);

		printf("pc %u -> %d (%s)\n", pcs[i], net, name ? name : "unknown");
	}
	printf("--- networks ---\n");
	for (int net = SW_NET_UNKNOWN; net <= 11; net++) {
		const char *name = sw_netmap_net_name(nm, net);

		printf("net %2d %-14s roaming=%d carrier=%d sendRoutingInfo=%d updateLocation=%d "
		       "exempt(gt-transport-mismatch)=%d country=%s\n", net, name ? name : "unknown",
		       sw_netmap_net_roaming(nm, net), sw_netmap_net_is_carrier(nm, net),
		       sw_netmap_net_allows_op(nm, net, 22), sw_netmap_net_allows_op(nm, net, 2),
		       sw_netmap_net_exempts_rule(nm, net, "gt-transport-mismatch"),
		       geo_country_iso(sw_netmap_net_country(nm, net)));
	}
	for (unsigned i = 0; i < ARRAY_SIZE(roles); i++)
		printf("home has %s: %d\n", sw_role_name(roles[i]), sw_netmap_home_has_role(nm, roles[i]));
	printf("home country: %s\n", geo_country_iso(sw_netmap_home_country(nm)));
}

static void test_geo(void)
{
	static const char *const numbers[] = {
		"4930", "33", "44", "7", "76", "77", "1", "1242", "1684", "1787", "1939", "1403", "1212",
		"20", "211", "212", "262", "262269", "262639", "290", "247", "3906698", "390612", "379",
		"383", "599", "5997", "5999", "672", "6721", "800", "808", "870", "881", "882", "883",
		"888", "979", "991", "970", "886", "850", "0", "28", "999", "42", "421",
	};
	static const uint16_t mccs[] = { 1, 202, 234, 235, 262, 289, 302, 310, 316, 330, 362, 405, 425, 430,
					 454, 466, 505, 534, 535, 554, 647, 659, 750, 901, 902, 995, 999 };
	static const char *const pairs[][2] = {
		{ "DE", "FR" }, { "DE", "GB" }, { "DE", "US" }, { "DE", "AU" }, { "GB", "ZA" }, { "DE", "DE" },
		{ "US", "NZ" }, { "DE", "XI" },
	};
	/* land borders either way round; not: the same country, the sea, unknown */
	static const char *const borders[][2] = {
		{ "ES", "FR" }, { "FR", "ES" }, { "DE", "CH" }, { "CH", "FR" }, { "US", "CA" }, { "IE", "GB" },
		{ "GB", "FR" }, { "DE", "DE" }, { "DE", "US" }, { "FR", "XI" }, { "", "FR" },
	};
	char err[128];
	unsigned n_mcc = 0;

	printf("--- geography ---\n");
	printf("tables: %s\n", geo_check_tables(err, sizeof(err)) ? err : "ok");
	printf("countries: %u\n", geo_country_count() - 1);
	for (uint16_t i = 1; i < geo_country_count(); i++) {
		const struct geo_country *c = geo_country(i);

		if (geo_country_by_iso(c->iso) != i)
			printf("country %s not found by its ISO code\n", c->iso);
		if (c->has_position && (c->lat < -90 || c->lat > 90 || c->lon < -180 || c->lon > 180))
			printf("country %s: position out of range\n", c->iso);
	}
	for (uint16_t mcc = 0; mcc < 1000; mcc++)
		n_mcc += geo_mcc_country(mcc) != 0;
	printf("assigned MCCs: %u\n", n_mcc);
	for (unsigned i = 0; i < ARRAY_SIZE(numbers); i++) {
		unsigned cc_len;
		uint16_t c = geo_e164_country(numbers[i], &cc_len);

		printf("+%-8s -> %-2s cc_len=%u %s\n", numbers[i], geo_country_iso(c), cc_len, geo_country_name(c));
	}
	for (unsigned i = 0; i < ARRAY_SIZE(mccs); i++) {
		uint16_t c = geo_mcc_country(mccs[i]);

		printf("mcc %03u -> %-2s %s\n", mccs[i], geo_country_iso(c), geo_country_name(c));
	}
	printf("by iso: de=%s xx=%u ''=%u\n", geo_country_name(geo_country_by_iso("de")), geo_country_by_iso("xx"),
	       geo_country_by_iso(""));
	for (unsigned i = 0; i < ARRAY_SIZE(pairs); i++)
		printf("distance %s-%s: %.0f km\n", pairs[i][0], pairs[i][1],
		       geo_distance_km(geo_country_by_iso(pairs[i][0]), geo_country_by_iso(pairs[i][1])));
	printf("distance unknown: %.0f\n", geo_distance_km(0, geo_country_by_iso("DE")));
	printf("distance Berlin-Paris (positions): %.0f km\n", geo_distance_km_pos(52.52, 13.405, 48.857, 2.352));
	for (unsigned i = 0; i < ARRAY_SIZE(borders); i++)
		printf("neighbours %s-%s: %s\n", borders[i][0], borders[i][1],
		       geo_neighbours(geo_country_by_iso(borders[i][0]), geo_country_by_iso(borders[i][1])) ? "yes" : "no");
}

int main(int argc, char **argv)
{
	void *ctx = talloc_named_const(NULL, 0, "netmap_test");
	const char *srcdir = getenv("srcdir");
	char example[1024], err[512];
	struct sw_config *cfg;
	struct sw_netmap *nm;

	if (argc > 1)
		snprintf(example, sizeof(example), "%s", argv[1]);
	else
		snprintf(example, sizeof(example), "%s/../doc/examples/ss7watch.cfg", srcdir ? srcdir : ".");
	if (sw_config_load(ctx, example, &cfg, err, sizeof(err))) {
		printf("example config does not load: %s\n", err);
		return 1;
	}
	nm = sw_netmap_alloc(ctx, cfg);
	if (!nm) {
		printf("no netmap\n");
		return 1;
	}
	test_gts(nm);
	test_gt_countries(nm);
	test_imsis(nm);
	test_networks(nm);
	test_geo();
	talloc_free(ctx);
	return 0;
}
