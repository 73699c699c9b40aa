/*! \file config_netmap.h
 *  Who is who, per message: a global title, an IMSI or a point code classified against the
 *  configuration (home network, its nodes, the other networks) and the built-in geography.
 *  Built once from a configuration; lookups allocate nothing and take no locks. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <ss7watch/config.h>

#define SW_NET_UNKNOWN	(-1)	/*!< no configured network */
#define SW_NET_HOME	0	/*!< the home network; 1.. are the other networks in config order */

/*! What an address is. */
struct sw_netinfo {
	int net;		/*!< SW_NET_UNKNOWN, SW_NET_HOME or 1.. (index of the network) */
	uint8_t role;		/*!< enum sw_role of the configured node it matched, SW_ROLE_NONE */
	const char *net_name;	/*!< name of the network, NULL when unknown */
	uint16_t country;	/*!< config_geo.h country of the number (E.164 code / MCC), 0 unknown */
};

struct sw_netmap;

/*! Build the map of cfg (cfg must outlive it). \returns NULL when out of memory. */
struct sw_netmap *sw_netmap_alloc(void *ctx, const struct sw_config *cfg);

/*! Classify a GT (international E.164 or E.214 digits) by longest prefix: configured node
 *  GTs and GT prefixes of every network; the country from the E.164 country code.
 *  Stops at the first non-digit. */
void sw_netmap_gt(const struct sw_netmap *nm, const char *digits, struct sw_netinfo *out);

/*! Classify an IMSI by its MCC (its first three digits) and MNC: mnc3 (the three digits
 *  after the MCC) before mnc2 (the two after it); -1 for each the IMSI is too short for
 *  (sw_num_plmn() gives them from a packed IMSI). The country from the MCC. */
void sw_netmap_plmn(const struct sw_netmap *nm, int mcc, int mnc2, int mnc3, struct sw_netinfo *out);

/*! Network a point code belongs to (config `point-code`), SW_NET_UNKNOWN when none. */
int sw_netmap_pc(const struct sw_netmap *nm, uint32_t pc);

/*! Name of a network, NULL for SW_NET_UNKNOWN or an index out of range. */
const char *sw_netmap_net_name(const struct sw_netmap *nm, int net);

/*! The configuration entry of a network, NULL for SW_NET_UNKNOWN or out of range. */
const struct sw_config_network *sw_netmap_net(const struct sw_netmap *nm, int net);

/*! Does the network have a roaming agreement with us? (home: true, unknown: false) */
bool sw_netmap_net_roaming(const struct sw_netmap *nm, int net);

/*! Is the network a carrier of other networks' traffic (SMS hub, IPX, roaming hub)? */
bool sw_netmap_net_is_carrier(const struct sw_netmap *nm, int net);

/*! May the network send this MAP operation (config `allow operation`)? */
bool sw_netmap_net_allows_op(const struct sw_netmap *nm, int net, int opcode);

/*! Is the rule switched off for the network (config `allow rule`)? */
bool sw_netmap_net_exempts_rule(const struct sw_netmap *nm, int net, const char *rule_id);

/*! Is the network an SMS interworking hub (config `role sms-hub`)? */
bool sw_netmap_net_is_sms_hub(const struct sw_netmap *nm, int net);

/*! Has the configured network (not home, not unknown) at least one node of this role? */
bool sw_netmap_net_has_role(const struct sw_netmap *nm, int net, uint8_t role);

/*! Has the home network configured at least one node of this role? */
bool sw_netmap_home_has_role(const struct sw_netmap *nm, uint8_t role);

/*! Country of the home network (its first GT prefix, else its first MCC), 0 unknown. */
uint16_t sw_netmap_home_country(const struct sw_netmap *nm);

/*! Country of a network (first GT prefix, else first MCC), 0 unknown. */
uint16_t sw_netmap_net_country(const struct sw_netmap *nm, int net);
