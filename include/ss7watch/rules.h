/*! \file rules.h
 *  The rule catalogue: one table, stable ids, FS.11 category, threat class, default severity
 *  and default parameters. doc/rules.md describes each rule; the detector implements them. */
#pragma once
#include <stdint.h>
#include <stdbool.h>

/* X(ENUM, "id", sid, rev, "name", "category", "threat", severity, threshold, window_s)
 * rev counts changes of what the rule decides (alert.rev; raise it when the logic changes,
 * as a Suricata rule's rev); threshold and window_s are defaults a config may override
 * (0: unused). */
#define SW_RULES(X) \
	X(CAT1_EXTERNAL, "cat1-external", 2000001, 1, "Category 1 operation from another network", \
	  "cat1", "subscriber-info", 2, 0, 0) \
	X(ANOMALY_NO_AC, "anomaly-begin-without-ac", 2000002, 1, "MAP Begin without dialogue portion or application context", \
	  "anomaly", "anomaly", 3, 0, 0) \
	X(ANOMALY_GLOBAL_OPCODE, "anomaly-global-opcode", 2000003, 1, "Global (OID) operation code in a MAP dialogue", \
	  "anomaly", "anomaly", 3, 0, 0) \
	X(ANOMALY_MALFORMED, "anomaly-malformed", 2000004, 1, "TCAP/MAP message that does not decode", \
	  "anomaly", "anomaly", 3, 0, 0) \
	X(AC_OPCODE_MISMATCH, "ac-opcode-mismatch", 2000005, 1, "Operation not allowed in its application context", \
	  "anomaly", "anomaly", 2, 0, 0) \
	X(CAT2_HOME_IMSI_EXTERNAL, "cat2-home-imsi-external", 2000006, 1, "Category 2 operation for a home subscriber from another network", \
	  "cat2", "interception", 1, 0, 0) \
	X(CAT2_FOREIGN_WRONG_ORIGIN, "cat2-foreign-imsi-wrong-origin", 2000007, 1, "Category 2 operation for a visiting subscriber not from its home network", \
	  "cat2", "interception", 2, 0, 0) \
	X(ROGUE_LOCATION_UPDATE, "rogue-location-update", 2000008, 1, "Implausible location update of a home subscriber", \
	  "cat3", "interception", 1, 900, 3600) \
	X(CAT3_NOT_SERVING, "cat3-not-serving-node", 2000009, 1, "Category 3 operation from a node that does not serve the subscriber", \
	  "cat3", "fraud", 2, 0, 0) \
	X(CF_HIJACK, "call-forwarding-hijack", 2000010, 1, "Call forwarding registered to a foreign number", \
	  "cat3", "interception", 1, 0, 0) \
	X(ISD_NOT_FROM_HLR, "isd-not-from-home-hlr", 2000011, 1, "insertSubscriberData not from the home HLR or with a foreign gsmSCF", \
	  "cat2", "interception", 1, 0, 0) \
	X(SRI_SM_NO_DELIVERY, "sri-sm-without-delivery", 2000012, 1, "SRI-for-SM answered but no MT-forwardSM followed", \
	  "correlation", "recon", 2, 0, 300) \
	X(SRI_SM_NOT_SMSC, "sri-sm-not-from-smsc", 2000013, 1, "SRI-for-SM from an origin that is not a known SMSC or SMS hub", \
	  "cat1", "recon", 2, 0, 0) \
	X(CIRCLES_CHAIN, "locate-after-identify", 2000014, 1, "Subscriber identified then located from outside (Circles-style chain)", \
	  "correlation", "location-tracking", 1, 0, 3600) \
	X(PSI_NOT_FROM_HLR, "psi-not-from-home-hlr", 2000015, 1, "provideSubscriberInfo not from the subscriber's home HLR", \
	  "cat2", "location-tracking", 1, 0, 0) \
	X(ATI_EXTERNAL, "ati-external", 2000016, 1, "anyTimeInterrogation from another network", \
	  "cat1", "location-tracking", 2, 0, 0) \
	X(SAI_HARVEST, "auth-vector-harvesting", 2000017, 1, "Authentication vectors requested by a node that does not serve the subscriber", \
	  "cat3", "fraud", 1, 5, 0) \
	X(SCAN, "scan", 2000018, 1, "One origin querying many distinct subscribers", \
	  "correlation", "recon", 2, 50, 60) \
	X(IDENTITY_ROTATION, "identity-rotation", 2000019, 1, "One subscriber targeted from many origins", \
	  "correlation", "location-tracking", 2, 4, 600) \
	X(GT_TRANSPORT_MISMATCH, "gt-transport-mismatch", 2000020, 1, "Calling GT does not belong to the network of the originating point code", \
	  "anomaly", "anomaly", 2, 0, 0) \
	X(DOS_CANCEL_PURGE, "cancel-purge-dos", 2000021, 1, "cancelLocation or purgeMS not from the home HLR or the serving node", \
	  "cat2", "dos", 1, 0, 0) \
	X(SILENT_SMS, "silent-sms-or-sim-ota", 2000022, 1, "Silent SMS (type 0) or SIM OTA message from another network", \
	  "cat2", "location-tracking", 2, 0, 0) \
	X(MTFSM_WITHOUT_SRI_SM, "mt-forward-sm-without-sri-sm", 2000023, 1, "MT-forwardSM from an origin that got no SRI-for-SM answer", \
	  "correlation", "fraud", 3, 0, 600) \
	X(TOOL_FINGERPRINT, "attack-tool-fingerprint", 2000024, 1, "Message carries the fingerprint of a public SS7 attack tool", \
	  "anomaly", "recon", 1, 0, 0) \
	X(CAMEL_FOREIGN_GSMSCF, "camel-foreign-gsmscf", 2000025, 1, "Call routing answer hands a home subscriber's calls to a foreign gsmSCF", \
	  "anomaly", "interception", 1, 0, 0) \
	/* end */

enum sw_rule {
#define X(e, id, sid, rev, name, cat, threat, sev, thr, win) SW_RULE_##e,
	SW_RULES(X)
#undef X
	SW_RULE__COUNT
};

/*! One rule of the catalogue (defaults). */
struct sw_rule_def {
	const char *id;
	uint32_t sid;
	uint32_t rev;
	const char *name;
	const char *category;
	const char *threat;
	uint8_t severity;
	uint32_t threshold;
	uint32_t window_s;
};

/*! The catalogue, indexed by enum sw_rule. */
extern const struct sw_rule_def sw_rule_defs[SW_RULE__COUNT];

/*! Rule by id string, or -1. */
int sw_rule_by_id(const char *id);

struct sw_config;
/*! How many rules of the catalogue cfg leaves enabled. */
unsigned sw_rules_enabled(const struct sw_config *cfg);
