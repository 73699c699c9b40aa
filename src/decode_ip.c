/* IPv4 and IPv6: find the SCTP packet, note the addresses. */
#include <string.h>
#include <osmocom/core/bit16gen.h>
#include <ss7watch/decode.h>

#define IPV4_MIN_HDR_LEN	20
#define IPV6_HDR_LEN		40
#define IPPROTO_SCTP_		132
/* a real packet has two or three extension headers; more is a loop or an attack */
#define MAX_IPV6_EXT_HDRS	8

enum {
	IP6_EXT_HOP_BY_HOP = 0,
	IP6_EXT_ROUTING = 43,
	IP6_EXT_FRAGMENT = 44,
	IP6_EXT_AH = 51,
	IP6_EXT_DEST_OPTS = 60,
	IP6_EXT_MOBILITY = 135,
	IP6_EXT_HIP = 139,
	IP6_EXT_SHIM6 = 140,
};

static void decode_l4(struct sw_decoder *dec, uint8_t proto, const uint8_t *p, uint32_t len)
{
	if (proto != IPPROTO_SCTP_) {
		dec->st.ctr[SW_CTR_IP_NOT_SCTP]++;
		return;
	}
	sw_decode_sctp(dec, p, len);
}

static void decode_ipv4(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	struct sw_meta *meta = &dec->msg.meta;
	uint32_t hdr_len, total_len;
	uint16_t frag;

	if (len < IPV4_MIN_HDR_LEN) {
		sw_decode_fail(dec, SW_E_IP_TRUNCATED);
		return;
	}
	hdr_len = (p[0] & 0x0f) * 4;
	total_len = osmo_load16be(p + 2);
	if (hdr_len < IPV4_MIN_HDR_LEN || hdr_len > len) {
		sw_decode_fail(dec, SW_E_IP_BAD_HDR_LEN);
		return;
	}
	if (total_len < hdr_len) {
		sw_decode_fail(dec, SW_E_IP_BAD_TOTAL_LEN);
		return;
	}
	if (total_len > len) {
		sw_decode_fail(dec, SW_E_IP_TRUNCATED);
		return;
	}
	meta->ip_version = 4;
	memcpy(meta->src_ip, p + 12, 4);
	memcpy(meta->dst_ip, p + 16, 4);

	/* more-fragments bit or an offset: a piece of a packet we do not reassemble */
	frag = osmo_load16be(p + 6);
	if (frag & 0x3fff) {
		dec->st.ctr[SW_CTR_IP_FRAGMENTS]++;
		return;
	}
	/* total_len, not len: Ethernet pads short frames */
	decode_l4(dec, p[9], p + hdr_len, total_len - hdr_len);
}

static void decode_ipv6(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	struct sw_meta *meta = &dec->msg.meta;
	uint32_t payload_len, off = IPV6_HDR_LEN, end;
	uint8_t next;

	if (len < IPV6_HDR_LEN) {
		sw_decode_fail(dec, SW_E_IP_TRUNCATED);
		return;
	}
	payload_len = osmo_load16be(p + 4);
	next = p[6];
	/* 0 is a jumbogram (hop-by-hop option) or a capture tool that left it out: use what we have */
	if (payload_len == 0)
		end = len;
	else if (IPV6_HDR_LEN + payload_len > len) {
		sw_decode_fail(dec, SW_E_IP_TRUNCATED);
		return;
	} else
		end = IPV6_HDR_LEN + payload_len;
	meta->ip_version = 6;
	memcpy(meta->src_ip, p + 8, 16);
	memcpy(meta->dst_ip, p + 24, 16);

	for (unsigned i = 0; ; i++) {
		uint32_t ext_len;

		switch (next) {
		case IP6_EXT_HOP_BY_HOP:
		case IP6_EXT_ROUTING:
		case IP6_EXT_DEST_OPTS:
		case IP6_EXT_MOBILITY:
		case IP6_EXT_HIP:
		case IP6_EXT_SHIM6:
		case IP6_EXT_FRAGMENT:
		case IP6_EXT_AH:
			break;
		default:
			decode_l4(dec, next, p + off, end - off);
			return;
		}
		if (i >= MAX_IPV6_EXT_HDRS || end - off < 8) {
			sw_decode_fail(dec, SW_E_IP_BAD_EXT_HDR);
			return;
		}
		if (next == IP6_EXT_FRAGMENT) {
			/* an atomic fragment (offset 0, no more fragments) is a whole packet */
			if (osmo_load16be(p + off + 2) & 0xfff9) {
				dec->st.ctr[SW_CTR_IP_FRAGMENTS]++;
				return;
			}
			ext_len = 8;
		} else if (next == IP6_EXT_AH) {
			ext_len = (p[off + 1] + 2) * 4;
		} else {
			ext_len = (p[off + 1] + 1) * 8;
		}
		if (ext_len > end - off) {
			sw_decode_fail(dec, SW_E_IP_BAD_EXT_HDR);
			return;
		}
		next = p[off];
		off += ext_len;
	}
}

void sw_decode_ip(struct sw_decoder *dec, const uint8_t *p, uint32_t len)
{
	if (!len) {
		sw_decode_fail(dec, SW_E_IP_TRUNCATED);
		return;
	}
	switch (p[0] >> 4) {
	case 4:
		dec->st.ctr[SW_CTR_IP_PACKETS]++;
		decode_ipv4(dec, p, len);
		break;
	case 6:
		dec->st.ctr[SW_CTR_IP_PACKETS]++;
		decode_ipv6(dec, p, len);
		break;
	default:
		sw_decode_fail(dec, SW_E_IP_BAD_VERSION);
		break;
	}
}
