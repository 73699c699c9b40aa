/* CAMEL subscription data (TS 29.002 8.8.1 and 17.7.1, the CSIs): the gsmSCF addresses and
 * service keys of every CSI, shared by insertSubscriberData (VLR and SGSN CAMEL data) and the
 * sendRoutingInfo result (the GMSC's T-CSI and O-CSI). A gsmSCF address that is not the
 * operator's own routes the subscriber's calls or SMS through someone else. */
#include "decode_map.h"

/* O-CSI and T-CSI: { TDP data list { { trigger, serviceKey, gsmSCF-Address [0], ... } } } */
static const struct map_elem bcsm_tdp_data[] = {
	E_UINT(K_INTEGER, CAMEL_SERVICE_KEY),
	E_VAL(CTX(0), GSMSCF_ADDRESS),
	E_END
};
static const struct map_elem bcsm_tdp_list[] = { E_SUB(K_SEQ, bcsm_tdp_data), E_END };
const struct map_elem map_camel_bcsm_csi[] = { E_SUBN(K_SEQ, 1, bcsm_tdp_list), E_END };
/* SS-CSI: { ss-CamelData { ss-EventList, gsmSCF-Address, ... } } */
static const struct map_elem ss_camel_data[] = { E_VAL(K_OCTETS, GSMSCF_ADDRESS), E_END };
static const struct map_elem ss_csi[] = { E_SUBN(K_SEQ, 1, ss_camel_data), E_END };
/* M-CSI and MG-CSI: { mobilityTriggers, serviceKey, gsmSCF-Address [0], ... } */
static const struct map_elem m_csi[] = {
	E_UINT(K_INTEGER, CAMEL_SERVICE_KEY),
	E_VAL(CTX(0), GSMSCF_ADDRESS),
	E_END
};
/* SMS-CSI and GPRS-CSI: { [0] { { trigger [0], serviceKey [1], gsmSCF-Address [2], ... } } } */
static const struct map_elem tagged_tdp_data[] = {
	E_UINT(CTX(1), CAMEL_SERVICE_KEY),
	E_VAL(CTX(2), GSMSCF_ADDRESS),
	E_END
};
static const struct map_elem tagged_tdp_list[] = { E_SUB(K_SEQ, tagged_tdp_data), E_END };
static const struct map_elem tagged_csi[] = { E_SUB(CTXC(0), tagged_tdp_list), E_END };
/* D-CSI: { [0] { { dialledNumber, serviceKey, gsmSCF-Address, defaultCallHandling } } } */
static const struct map_elem d_criterium[] = {
	E_UINT(K_INTEGER, CAMEL_SERVICE_KEY),
	E_VALN(K_OCTETS, 2, GSMSCF_ADDRESS),
	E_END
};
static const struct map_elem d_list[] = { E_SUB(K_SEQ, d_criterium), E_END };
const struct map_elem map_camel_d_csi[] = { E_SUB(CTXC(0), d_list), E_END };

/* VlrCamelSubscriptionInfo */
const struct map_elem map_camel_vlr[] = {
	E_SUB(CTXC(0), map_camel_bcsm_csi),	/* o-CSI */
	E_SUB(CTXC(2), ss_csi),		/* ss-CSI */
	E_SUB(CTXC(5), m_csi),		/* m-CSI */
	E_SUB(CTXC(6), tagged_csi),	/* mo-sms-CSI */
	E_SUB(CTXC(7), map_camel_bcsm_csi),	/* vt-CSI */
	E_SUB(CTXC(9), map_camel_d_csi),		/* d-CSI */
	E_SUB(CTXC(10), tagged_csi),	/* mt-sms-CSI */
	E_END
};
/* SGSN-CAMEL-SubscriptionInfo */
const struct map_elem map_camel_sgsn[] = {
	E_SUB(CTXC(0), tagged_csi),	/* gprs-CSI */
	E_SUB(CTXC(1), tagged_csi),	/* mo-sms-CSI */
	E_SUB(CTXC(3), tagged_csi),	/* mt-sms-CSI */
	E_SUB(CTXC(5), m_csi),		/* mg-csi */
	E_END
};
