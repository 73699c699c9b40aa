/* Link layer: from a pcap frame to the IP packet or MTP signal unit inside it. */
#include <stddef.h>
#include <string.h>
#include <osmocom/core/bit16gen.h>
#include <osmocom/core/bit32gen.h>
#include <ss7watch/decode.h>

/* pcap DLT values as libpcap reports them on Linux (pcap_datalink()) */
enum {
	DLT_NULL_ = 0,
	DLT_EN10MB_ = 1,
	DLT_RAW_ = 12,
	DLT_RAW_BSD_ = 14,		/* DLT_RAW on OpenBSD */
	LINKTYPE_RAW_ = 101,		/* the file value; libpcap maps it to 12 */
	DLT_LOOP_ = 108,
	DLT_LINUX_SLL_ = 113,
	DLT_MTP2_WITH_PHDR_ = 139,
	DLT_MTP2_ = 140,
	DLT_MTP3_ = 141,
	DLT_IPV4_ = 228,
	DLT_IPV6_ = 229,
	DLT_LINUX_SLL2_ = 276,
};

#define ETH_HDR_LEN		14
#define SLL_HDR_LEN		16
#define SLL2_HDR_LEN		20
#define NULL_HDR_LEN		4
#define VLAN_TAG_LEN		4
/* QinQ is two tags; a few more are tolerated, an endless chain is not */
#define MAX_VLAN_TAGS		4
#define MAX_MPLS_LABELS		8

enum {
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_VLAN = 0x8100,
	ETHERTYPE_IPV6 = 0x86dd,
	ETHERTYPE_MPLS = 0x8847,
	ETHERTYPE_MPLS_MC = 0x8848,
	ETHERTYPE_QINQ = 0x88a8,
	ETHERTYPE_QINQ_OLD = 0x9100,
};

bool sw_linktype_supported(int dlt)
{
	switch (dlt) {
	case DLT_NULL_:
	case DLT_EN10MB_:
	case DLT_RAW_:
	case DLT_RAW_BSD_:
	case LINKTYPE_RAW_:
	case DLT_LOOP_:
	case DLT_LINUX_SLL_:
	case DLT_MTP2_WITH_PHDR_:
	case DLT_MTP2_:
	case DLT_MTP3_:
	case DLT_IPV4_:
	case DLT_IPV6_:
	case DLT_LINUX_SLL2_:
		return true;
	default:
		return false;
	}
}

static bool is_vlan_tag(uint16_t type)
{
	return type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD;
}

/* MPLS: pop the label stack; the payload has no type field, its first nibble says IPv4/IPv6 */
static void decode_mpls(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	for (unsigned i = 0; i < MAX_MPLS_LABELS; i++) {
		bool bottom;

		if (len < 4) {
			sw_decode_fail(dec, SW_E_LINK_TRUNCATED);
			return;
		}
		bottom = p[2] & 0x01;
		p += 4;
		len -= 4;
		if (!bottom)
			continue;
		if (len && ((p[0] >> 4) == 4 || (p[0] >> 4) == 6))
			sw_decode_ip(dec, p, len);
		else
			dec->st.ctr[SW_CTR_LINK_UNKNOWN_ETHERTYPE]++;
		return;
	}
	sw_decode_fail(dec, SW_E_LINK_VLAN_DEPTH);
}

/* Everything after an ethertype: VLAN tags, then IP (or MPLS), anything else is skipped. */
static void decode_ethertype(struct sw_decoder *dec, uint16_t type, const uint8_t *p, uint32_t len)
{
	unsigned tags = 0;

	while (is_vlan_tag(type)) {
		if (++tags > MAX_VLAN_TAGS) {
			sw_decode_fail(dec, SW_E_LINK_VLAN_DEPTH);
			return;
		}
		if (len < VLAN_TAG_LEN) {
			sw_decode_fail(dec, SW_E_LINK_TRUNCATED);
			return;
		}
		type = osmo_load16be(p + 2);
		p += VLAN_TAG_LEN;
		len -= VLAN_TAG_LEN;
	}
	switch (type) {
	case ETHERTYPE_IPV4:
	case ETHERTYPE_IPV6:
		sw_decode_ip(dec, p, len);
		break;
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MC:
		decode_mpls(dec, p, len);
		break;
	default:
		/* ARP, LLDP, 802.3 length fields, ...: not ours, not an error */
		dec->st.ctr[SW_CTR_LINK_UNKNOWN_ETHERTYPE]++;
		break;
	}
}

/* Skip a fixed link header, then hand over by the ethertype at type_off inside it. */
static void decode_header_ethertype(struct sw_decoder *dec, const uint8_t *p, uint32_t len,
				    uint32_t hdr_len, uint32_t type_off)
{
	if (len < hdr_len) {
		sw_decode_fail(dec, SW_E_LINK_TRUNCATED);
		return;
	}
	decode_ethertype(dec, osmo_load16be(p + type_off), p + hdr_len, len - hdr_len);
}

/* BSD loopback: a 4-byte address family in host (NULL) or network (LOOP) order. The IP
 * version nibble says the same thing without caring about the byte order of the writer. */
static void decode_null(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	if (len < NULL_HDR_LEN) {
		sw_decode_fail(dec, SW_E_LINK_TRUNCATED);
		return;
	}
	p += NULL_HDR_LEN;
	len -= NULL_HDR_LEN;
	if (len && ((p[0] >> 4) == 4 || (p[0] >> 4) == 6))
		sw_decode_ip(dec, p, len);
	else
		dec->st.ctr[SW_CTR_LINK_UNKNOWN_ETHERTYPE]++;
}

/*! Decode one captured frame: resets the message, counts the frame and walks down the
 *  layers. What is not SS7 is counted and skipped; malformed input is reported once. */
void sw_decode_frame(struct sw_decoder *dec, int dlt, const uint8_t *buf, uint32_t len,
		     const struct timeval *ts, uint64_t frame)
{
	struct sw_meta *meta = &dec->msg.meta;
	uint8_t input = meta->input;

	if (dec->on_frame)
		dec->on_frame(dec->on_frame_priv, dlt, buf, len, ts, frame);
	dec->frame = frame;
	if (ts)
		dec->ts = *ts;
	else
		memset(&dec->ts, 0, sizeof(dec->ts));
	/* meta is small: clear it whole so no address of an earlier frame survives */
	memset(meta, 0, sizeof(*meta));
	meta->input = input;
	meta->frame = frame;
	meta->ts = dec->ts;
	sw_msg_reset_upper(&dec->msg);

	dec->st.ctr[SW_CTR_FRAMES]++;
	dec->st.ctr[SW_CTR_BYTES] += len;

	switch (dlt) {
	case DLT_EN10MB_:
		decode_header_ethertype(dec, buf, len, ETH_HDR_LEN, 12);
		break;
	case DLT_LINUX_SLL_:
		decode_header_ethertype(dec, buf, len, SLL_HDR_LEN, 14);
		break;
	case DLT_LINUX_SLL2_:
		decode_header_ethertype(dec, buf, len, SLL2_HDR_LEN, 0);
		break;
	case DLT_RAW_:
	case DLT_RAW_BSD_:
	case LINKTYPE_RAW_:
	case DLT_IPV4_:
	case DLT_IPV6_:
		sw_decode_ip(dec, buf, len);
		break;
	case DLT_NULL_:
	case DLT_LOOP_:
		decode_null(dec, buf, len);
		break;
	case DLT_MTP2_WITH_PHDR_:
		sw_decode_mtp2(dec, buf, len, true);
		break;
	case DLT_MTP2_:
		sw_decode_mtp2(dec, buf, len, false);
		break;
	case DLT_MTP3_:
		sw_decode_mtp3(dec, buf, len, SW_VIA_MTP3);
		break;
	default:
		/* sw_linktype_supported() keeps these out; a live caller may not */
		dec->st.ctr[SW_CTR_LINK_UNKNOWN_ETHERTYPE]++;
		break;
	}
}
