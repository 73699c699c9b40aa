/* Transport decoders (link .. SCCP): each case builds frames from commented layer byte
 * arrays, decodes them and prints what reached on_msg and the lower-layer counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <talloc.h>
#include <osmocom/core/utils.h>
#include <ss7watch/decode.h>
#include <ss7watch/hash.h>
#include <ss7watch/track_pairing.h>

/* pcap link types */
enum {
	DLT_NULL_ = 0, DLT_EN10MB_ = 1, DLT_RAW_ = 12, LINKTYPE_RAW_ = 101, DLT_LINUX_SLL_ = 113,
	DLT_MTP2_WITH_PHDR_ = 139, DLT_MTP2_ = 140, DLT_MTP3_ = 141, DLT_IPV4_ = 228, DLT_IPV6_ = 229,
	DLT_LINUX_SLL2_ = 276,
};

struct buf {
	uint8_t b[8192];
	uint32_t len;
};

static void put(struct buf *o, const void *p, uint32_t n)
{
	if (!n)
		return;
	if (o->len + n > sizeof(o->b))
		abort();
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static void put8(struct buf *o, uint8_t v) { put(o, &v, 1); }
static void put16(struct buf *o, uint16_t v) { uint8_t b[2] = { v >> 8, v }; put(o, b, 2); }
static void put32(struct buf *o, uint32_t v) { uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v }; put(o, b, 4); }
static void pad4(struct buf *o) { while (o->len % 4) put8(o, 0); }
#define PUT(o, arr) put(o, arr, sizeof(arr))

/* ---------------------------------------------------------------- SCCP --- */

/* TCAP Begin with only an OTID: the smallest message the TCAP layer accepts */
static const uint8_t tcap_begin[] = { 0x62, 0x06, 0x48, 0x04, 0xde, 0xad, 0xbe, 0xef };

/* called: RI=GT, GTI 4, SSN; SSN 6 (HLR); TT 0, NP 1 E.164 / ES 1 odd, NAI 4 intl; 491720001 */
static const uint8_t addr_gt4_odd[] = { 0x12, 0x06, 0x00, 0x11, 0x04, 0x94, 0x71, 0x02, 0x00, 0x01 };
/* calling: RI=PC/SSN, PC + SSN + GTI 4; PC 0x0123; SSN 8 (MSC); TT 0, ES 2 even; 44123456 */
static const uint8_t addr_pc_gt4_even[] = { 0x53, 0x23, 0x01, 0x08, 0x00, 0x12, 0x04, 0x44, 0x21, 0x43, 0x65 };
/* GTI 1: NAI 4 with the odd bit; 123 */
static const uint8_t addr_gt1_odd[] = { 0x04, 0x84, 0x21, 0x03 };
/* GTI 2: TT 9 only; 9876 */
static const uint8_t addr_gt2[] = { 0x08, 0x09, 0x89, 0x67 };
/* GTI 3: TT 0, NP 7 / ES 2; 8912 */
static const uint8_t addr_gt3[] = { 0x0c, 0x00, 0x72, 0x98, 0x21 };
/* PC 300 + SSN 7 (VLR), route on PC */
static const uint8_t addr_pc_ssn[] = { 0x43, 0x2c, 0x01, 0x07 };
/* SSN 1: SCCP management */
static const uint8_t addr_scmg[] = { 0x42, 0x01 };
/* GTI 4, ES 2, 42 digits: longer than SW_GT_MAX_DIGITS */
static const uint8_t addr_gt_too_long[] = {
	0x12, 0x06, 0x00, 0x12, 0x04,
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
};
/* AI promises PC + SSN + GTI 4, but the address ends after the PC */
static const uint8_t addr_short[] = { 0x13, 0x23, 0x01 };
/* ANSI (24-bit): RI=PC/SSN, SSN+PC, no GT: SSN 6, PC 1-2-3 (network 3, cluster 2, member 1) */
static const uint8_t addr_ansi_pc_ssn[] = { 0xc3, 0x06, 0x01, 0x02, 0x03 };
/* ANSI GTI 2 (TT only): TT 14; SSN 7; 5551234 (no odd/even indicator: the 0xF is a filler) */
static const uint8_t addr_ansi_gt2[] = { 0x09, 0x07, 0x0e, 0x55, 0x15, 0x32, 0xf4 };

/* Segmentation parameter: 0x80 first | remaining, local reference 0x0a0b0c (LSB first) */
#define SEG_PARAM(first, rem) 0x10, 0x04, (uint8_t)((first) ? 0x80 | (rem) : (rem)), 0x0c, 0x0b, 0x0a

/* A connectionless SCCP message: the pointers are computed from the parts. */
static void sccp_msg(struct buf *o, uint8_t type, uint8_t class_or_cause, const uint8_t *called, uint8_t called_len,
		     const uint8_t *calling, uint8_t calling_len, const uint8_t *data, uint16_t data_len,
		     const uint8_t *opt, uint8_t opt_len)
{
	bool ext = type == 0x11 || type == 0x12, lng = type == 0x13 || type == 0x14;
	uint32_t nptr = (ext || lng) ? 4 : 3, psz = lng ? 2 : 1, dlen = lng ? 2 : 1;
	uint32_t first = 1 + 1 + ((ext || lng) ? 1 : 0), vstart = first + nptr * psz;
	uint32_t pos[4], at = vstart;

	pos[0] = at; at += 1 + called_len;
	pos[1] = at; at += 1 + calling_len;
	pos[2] = at; at += dlen + data_len;
	pos[3] = opt_len ? at : 0;
	put8(o, type);
	put8(o, class_or_cause);
	if (ext || lng)
		put8(o, 15);	/* hop counter */
	for (uint32_t i = 0; i < nptr; i++) {
		uint32_t ptr = pos[i] ? pos[i] - (first + i * psz) : 0;

		put8(o, ptr);
		if (psz == 2)
			put8(o, ptr >> 8);
	}
	put8(o, called_len);
	put(o, called, called_len);
	put8(o, calling_len);
	put(o, calling, calling_len);
	put8(o, data_len);
	if (dlen == 2)
		put8(o, data_len >> 8);
	put(o, data, data_len);
	put(o, opt, opt_len);
}

#define SCCP(o, type, cls, cd, cg, data) \
	sccp_msg(o, type, cls, cd, sizeof(cd), cg, sizeof(cg), data, sizeof(data), NULL, 0)

/* ------------------------------------------------------ MTP3 and below --- */

/* ITU SIO (NI 2 national, SI 3) + label DPC 0x0456, OPC 0x0123, SLS 5 */
static const uint8_t mtp3_itu_label[] = { 0x83, 0x56, 0xc4, 0x48, 0x50 };
/* 24-bit: SIO (NI 2, SI 3), DPC 7-8-9, OPC 1-2-3, SLS 0x1f */
static const uint8_t mtp3_ansi_label[] = { 0x83, 0x09, 0x08, 0x07, 0x03, 0x02, 0x01, 0x1f };
/* SIO SI 5 (ISUP), ITU label */
static const uint8_t mtp3_isup_label[] = { 0x85, 0x56, 0xc4, 0x48, 0x50 };

static void m3ua_data(struct buf *o, uint32_t opc, uint32_t dpc, uint8_t si, bool rctx, const struct buf *in)
{
	uint32_t len = 8 + (rctx ? 8 : 0) + 16 + ((in->len + 3) & ~3u);

	put8(o, 1); put8(o, 0); put8(o, 1); put8(o, 1);	/* version 1, transfer, DATA */
	put32(o, len);
	if (rctx) {
		put16(o, 0x0006); put16(o, 8); put32(o, 42);	/* routing context 42 */
	}
	put16(o, 0x0210); put16(o, 16 + in->len);		/* protocol data */
	put32(o, opc); put32(o, dpc);
	put8(o, si); put8(o, 2); put8(o, 0); put8(o, 9);	/* SI, NI 2, MP 0, SLS 9 */
	put(o, in->b, in->len);
	pad4(o);
}

static void m2pa_user_data(struct buf *o, const struct buf *msu)
{
	put8(o, 1); put8(o, 0); put8(o, 11); put8(o, 1);	/* version 1, M2PA, user data */
	put32(o, 16 + 1 + msu->len);
	put32(o, 0x00000007); put32(o, 0x00000008);	/* BSN 7, FSN 8 */
	put8(o, 0);					/* priority */
	put(o, msu->b, msu->len);
}

static void m2ua_data(struct buf *o, uint16_t tag, const struct buf *msu)
{
	uint32_t extra = tag == 0x0301 ? 1 : 0;

	put8(o, 1); put8(o, 0); put8(o, 6); put8(o, 1);	/* version 1, MAUP, DATA */
	put32(o, 8 + 8 + 4 + ((extra + msu->len + 3) & ~3u));
	put16(o, 0x0001); put16(o, 8); put32(o, 0);	/* interface identifier 0 */
	put16(o, tag); put16(o, 4 + extra + msu->len);
	if (extra)
		put8(o, 0x3f);	/* TTC: LI with priority */
	put(o, msu->b, msu->len);
	pad4(o);
}

/* SUA address: RI, AI, then GT (GTI 4, TT 0, NP 1, NAI 4) and SSN, or PC and SSN */
static void sua_addr(struct buf *o, uint16_t tag, const char *digits, uint32_t pc, uint8_t ssn)
{
	struct buf a = { .len = 0 };
	uint32_t n = strlen(digits);

	if (digits[0]) {
		put16(&a, 1); put16(&a, 0x0005);	/* route on GT; GT + SSN */
		put16(&a, 0x8001); put16(&a, 4 + 8 + (n + 1) / 2);
		put32(&a, 4); put8(&a, n); put8(&a, 0); put8(&a, 1); put8(&a, 4);
		for (uint32_t i = 0; i < n; i += 2)
			put8(&a, (digits[i] - '0') | (i + 1 < n ? (digits[i + 1] - '0') << 4 : 0));
		pad4(&a);
	} else {
		put16(&a, 2); put16(&a, 0x0003);	/* route on SSN + PC */
		put16(&a, 0x8002); put16(&a, 8); put32(&a, pc);
	}
	put16(&a, 0x8003); put16(&a, 8); put32(&a, ssn);
	put16(o, tag); put16(o, 4 + a.len);
	put(o, a.b, a.len);
}

static void sua_cl(struct buf *o, uint8_t type, const uint8_t *data, uint32_t data_len)
{
	struct buf p = { .len = 0 };

	put16(&p, 0x0006); put16(&p, 8); put32(&p, 7);		/* routing context 7 */
	put16(&p, 0x0115); put16(&p, 8); put32(&p, 0x81);	/* protocol class 1, return */
	if (type == 2) {
		put16(&p, 0x0106); put16(&p, 8); put32(&p, 0x0101);	/* cause: return, 1 */
	}
	sua_addr(&p, 0x0102, "491720002", 0, 8);		/* source = calling */
	sua_addr(&p, 0x0103, "", 0x1234, 6);			/* destination = called */
	put16(&p, 0x0116); put16(&p, 8); put32(&p, 0);		/* sequence control */
	if (data) {
		put16(&p, 0x010b); put16(&p, 4 + data_len);
		put(&p, data, data_len);
		pad4(&p);
	}
	put8(o, 1); put8(o, 0); put8(o, 7); put8(o, type);	/* version 1, CL, CLDT/CLDR */
	put32(o, 8 + p.len);
	put(o, p.b, p.len);
}

/* ---------------------------------------------------------------- SCTP --- */

/* A DATA chunk (padded); flags: 0x02 B, 0x01 E, 0x04 U */
static void data_chunk(struct buf *o, uint8_t flags, uint32_t tsn, uint16_t sid, uint32_t ppid,
		       const uint8_t *p, uint32_t len)
{
	put8(o, 0); put8(o, flags); put16(o, 16 + len);
	put32(o, tsn); put16(o, sid); put16(o, 0); put32(o, ppid);
	put(o, p, len);
	pad4(o);
}

static void sctp_hdr(struct buf *o, uint16_t sport, uint16_t dport, uint32_t vtag)
{
	put16(o, sport); put16(o, dport); put32(o, vtag); put32(o, 0);	/* checksum unchecked */
}

/* SACK: cumulative TSN ack, a_rwnd, no gap blocks */
static const uint8_t sctp_sack[] = { 0x03, 0x00, 0x00, 0x10, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0 };
/* HEARTBEAT with an 8-byte info parameter */
static const uint8_t sctp_heartbeat[] = { 0x04, 0x00, 0x00, 0x0c, 0x00, 0x01, 0x00, 0x08, 1, 2, 3, 4 };

static void ipv4(struct buf *o, uint8_t proto, uint16_t frag, const struct buf *in)
{
	put8(o, 0x45); put8(o, 0); put16(o, 20 + in->len);
	put16(o, 1); put16(o, frag); put8(o, 64); put8(o, proto); put16(o, 0);
	put32(o, 0x0a000001); put32(o, 0x0a000002);	/* 10.0.0.1 > 10.0.0.2 */
	put(o, in->b, in->len);
}

/* IPv6 2001:db8::1 > 2001:db8::2 with a hop-by-hop and a destination options header */
static void ipv6(struct buf *o, const struct buf *in)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	put32(o, 0x60000000); put16(o, 16 + in->len); put8(o, 0); put8(o, 64);
	put(o, src, 16); put(o, dst, 16);
	put8(o, 60); put8(o, 0); put8(o, 1); put8(o, 4); put32(o, 0);	/* hop-by-hop: PadN */
	put8(o, 132); put8(o, 0); put8(o, 1); put8(o, 4); put32(o, 0);	/* dest opts -> SCTP */
	put(o, in->b, in->len);
}

static void eth(struct buf *o, unsigned vlans, uint16_t type, const struct buf *in)
{
	static const uint8_t macs[12] = { 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6 };

	PUT(o, macs);
	for (unsigned i = 0; i < vlans; i++) {
		put16(o, i ? 0x8100 : 0x88a8);	/* QinQ outer tag, then 802.1Q */
		put16(o, 100 + i);
	}
	put16(o, type);
	put(o, in->b, in->len);
}

/* --------------------------------------------------------------- output --- */

static const char *via_name[] = { "none", "m3ua", "m2pa", "m2ua", "mtp2", "mtp3", "sua", "ipa", "m3ua_live" };

static void print_addr(const char *name, const struct sw_sccp_addr *a)
{
	printf(" %s{", name);
	if (a->present & SW_SCCP_AI_PC)
		printf("pc=%u ", a->pc);
	if (a->present & SW_SCCP_AI_SSN)
		printf("ssn=%u ", a->ssn);
	if (a->present & SW_SCCP_AI_GT)
		printf("gti=%u tt=%u np=%u es=%u nai=%u gt=%s ", a->gti, a->tt, a->np, a->es, a->nai, a->digits);
	printf("ri=%u}", a->ri);
}

static void on_msg(struct sw_decoder *dec, struct sw_msg *m, void *priv)
{
	const struct sw_meta *me = &m->meta;

	printf("  frame %llu:", (unsigned long long)me->frame);
	if (me->ip_version == 4)
		printf(" ip4 %u.%u.%u.%u:%u>%u.%u.%u.%u:%u vtag=%x stream=%u", me->src_ip[0], me->src_ip[1],
		       me->src_ip[2], me->src_ip[3], me->sport, me->dst_ip[0], me->dst_ip[1], me->dst_ip[2],
		       me->dst_ip[3], me->dport, me->vtag, me->sctp_stream);
	else if (me->ip_version == 6)
		printf(" ip6 ..%02x:%u>..%02x:%u vtag=%x stream=%u", me->src_ip[15], me->sport, me->dst_ip[15],
		       me->dport, me->vtag, me->sctp_stream);
	if (m->err) {
		printf(" ERROR %s.%s\n", sw_err_layer(m->err), sw_err_reason(m->err));
		return;
	}
	if (m->mtp3.present)
		printf("\n    mtp3 via=%s opc=%u dpc=%u si=%u ni=%u mp=%u sls=%u", via_name[m->mtp3.via], m->mtp3.opc,
		       m->mtp3.dpc, m->mtp3.si, m->mtp3.ni, m->mtp3.mp, m->mtp3.sls);
	else
		printf("\n    no label via=%s", via_name[m->mtp3.via]);
	if (m->mtp3.has_rctx)
		printf(" rctx=%u", m->mtp3.rctx);
	printf("\n    sccp type=0x%02x class=0x%02x cause=%u hop=%u data_len=%u segments=%u\n     ", m->sccp.type,
	       m->sccp.protocol_class, m->sccp.return_cause, m->sccp.hop_counter, m->sccp.data_len, me->segments);
	print_addr("called", &m->sccp.called);
	print_addr("calling", &m->sccp.calling);
	printf("\n    data:");
	for (uint32_t i = 0; i < m->sccp.data_len && i < 16; i++)
		printf(" %02x", m->sccp.data[i]);
	printf("\n");
}

/* lower-layer errors come first in enum sw_err */
#define X(e, layer, reason) + 1
enum { N_LOWER_ERRORS = 0 SW_ERRORS_LOWER(X) };
#undef X

static void print_counters(const struct sw_decoder *dec)
{
	printf("  counters:");
	for (int i = 0; i < SW_CTR__COUNT; i++) {
		/* the TCAP/MAP counters belong to the upper layers' own test */
		if (i >= SW_CTR_TCAP_MESSAGES && i <= SW_CTR_TXN_EVICTED && i != SW_CTR_DECODE_ERRORS)
			continue;
		if (dec->st.ctr[i])
			printf(" %s=%llu", sw_ctr_name(i), (unsigned long long)dec->st.ctr[i]);
	}
	for (int i = 1; i <= N_LOWER_ERRORS; i++)
		if (dec->st.err[i])
			printf(" E:%s.%s=%llu", sw_err_layer(i), sw_err_reason(i), (unsigned long long)dec->st.err[i]);
	printf("\n");
}

static void *ctx;
static struct sw_decoder *dec;
static uint64_t frame_no;
static struct timeval now = { .tv_sec = 1700000000 };

static void begin(const char *name, uint8_t pc_format, uint32_t sctp_bytes, uint32_t sccp_bytes)
{
	struct sw_decoder_cfg cfg = {
		.pc_format = pc_format, .sctp_reasm_bytes = sctp_bytes, .sccp_reasm_bytes = sccp_bytes,
	};

	printf("== %s\n", name);
	dec = sw_decoder_alloc(ctx, &cfg, on_msg, NULL);
	if (!dec || !track_pairing_attach(dec, 16, 0))
		abort();
	frame_no = 0;
}

static void end(void)
{
	print_counters(dec);
	sw_decoder_free(dec);
	dec = NULL;
}

static void frame(int dlt, const struct buf *f)
{
	/* a copy of exactly the frame's size, so ASan sees any read past its end */
	uint8_t *copy = malloc(f->len ? f->len : 1);

	memcpy(copy, f->b, f->len);
	sw_decode_frame(dec, dlt, copy, f->len, &now, ++frame_no);
	free(copy);
}

/* Ethernet/IPv4/SCTP(2905)/one DATA chunk around an M3UA message */
static void m3ua_frame(struct buf *o, uint32_t tsn, uint32_t ppid, const struct buf *m3ua)
{
	struct buf s = { .len = 0 }, ip = { .len = 0 };

	sctp_hdr(&s, 2905, 2905, 0x11223344);
	data_chunk(&s, 0x03, tsn, 1, ppid, m3ua->b, m3ua->len);
	ipv4(&ip, 132, 0, &s);
	o->len = 0;
	eth(o, 0, 0x0800, &ip);
}

/* The same, truncated by cut bytes */
static void frame_cut(int dlt, const struct buf *f, uint32_t cut)
{
	struct buf t = *f;

	t.len = cut < t.len ? t.len - cut : 0;
	frame(dlt, &t);
}

/* ----------------------------------------------------------------- cases --- */

static void udt_m3ua(struct buf *sccp)
{
	sccp->len = 0;
	SCCP(sccp, 0x09, 0x81, addr_gt4_odd, addr_pc_gt4_even, tcap_begin);
}

/* Ethernet payloads: IPv4 and IPv6 around SCTP/M3UA/UDT; every call a new TSN, so that the
 * same message on several link types is not taken for a retransmission */
static void links_payload(struct buf *ip, struct buf *ip6)
{
	static uint32_t tsn = 100;
	struct buf sccp, m3ua = { .len = 0 }, s = { .len = 0 };

	udt_m3ua(&sccp);
	m3ua_data(&m3ua, 0x0123, 0x0456, 3, true, &sccp);
	sctp_hdr(&s, 2905, 2906, 0xcafe);
	data_chunk(&s, 0x03, tsn++, 3, 3, m3ua.b, m3ua.len);
	ip->len = 0;
	ipv4(ip, 132, 0, &s);
	ip6->len = 0;
	ipv6(ip6, &s);
}

static void test_links(void)
{
	struct buf s = { .len = 0 }, ip, ip6, f;

	links_payload(&ip, &ip6);
	s.len = ip.len - 20;
	memcpy(s.b, ip.b + 20, s.len);
	begin("Ethernet / IPv4 / SCTP / M3UA / SCCP UDT (ITU)", SW_PC_ITU14, 0, 0);
	f.len = 0; eth(&f, 0, 0x0800, &ip); frame(DLT_EN10MB_, &f);
	end();

	begin("802.1ad + 802.1Q (QinQ); IPv6 with extension headers; five tags are too many", SW_PC_ITU14, 0, 0);
	f.len = 0; eth(&f, 2, 0x0800, &ip); frame(DLT_EN10MB_, &f);
	links_payload(&ip, &ip6);
	f.len = 0; eth(&f, 1, 0x86dd, &ip6); frame(DLT_EN10MB_, &f);
	f.len = 0; eth(&f, 5, 0x0800, &ip); frame(DLT_EN10MB_, &f);
	end();

	begin("Linux SLL, SLL2, raw IP (12, 101, 228, 229), BSD NULL", SW_PC_ITU14, 0, 0);
	{
		/* SLL: packet type 0, ARPHRD_ETHER, address length 6, address, protocol IPv4 */
		static const uint8_t sll[16] = { 0, 0, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0, 0x08, 0x00 };
		/* SLL2: protocol IPv6, reserved, interface index 2, ARPHRD_ETHER, type, address */
		static const uint8_t sll2[20] = { 0x86, 0xdd, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0 };
		/* DLT_NULL: AF_INET in host byte order (little endian here) */
		static const uint8_t null_hdr[4] = { 2, 0, 0, 0 };

		links_payload(&ip, &ip6);
		f.len = 0; PUT(&f, sll); put(&f, ip.b, ip.len); frame(DLT_LINUX_SLL_, &f);
		links_payload(&ip, &ip6);
		f.len = 0; PUT(&f, sll2); put(&f, ip6.b, ip6.len); frame(DLT_LINUX_SLL2_, &f);
		links_payload(&ip, &ip6);
		frame(DLT_RAW_, &ip);
		links_payload(&ip, &ip6);
		frame(LINKTYPE_RAW_, &ip);
		links_payload(&ip, &ip6);
		frame(DLT_IPV4_, &ip);
		links_payload(&ip, &ip6);
		frame(DLT_IPV6_, &ip6);
		links_payload(&ip, &ip6);
		f.len = 0; PUT(&f, null_hdr); put(&f, ip.b, ip.len); frame(DLT_NULL_, &f);
	}
	end();

	begin("not ours: ARP, IPv4 fragment, UDP", SW_PC_ITU14, 0, 0);
	{
		struct buf frag = { .len = 0 }, udp = { .len = 0 };

		f.len = 0; eth(&f, 0, 0x0806, &s); frame(DLT_EN10MB_, &f);
		ipv4(&frag, 132, 0x2000, &s);	/* more fragments */
		f.len = 0; eth(&f, 0, 0x0800, &frag); frame(DLT_EN10MB_, &f);
		ipv4(&udp, 17, 0, &s);
		f.len = 0; eth(&f, 0, 0x0800, &udp); frame(DLT_EN10MB_, &f);
	}
	end();

	begin("truncated and corrupt link / IP / SCTP", SW_PC_ITU14, 0, 0);
	f.len = 0; eth(&f, 0, 0x0800, &ip);
	frame_cut(DLT_EN10MB_, &f, f.len - 10);		/* Ethernet header cut */
	frame_cut(DLT_EN10MB_, &f, f.len - 14 - 12);	/* IPv4 header cut */
	frame_cut(DLT_EN10MB_, &f, 8);			/* IPv4 total length beyond the frame */
	f.b[14] = 0x44;					/* IHL 4: shorter than a header */
	frame(DLT_EN10MB_, &f);
	f.b[14] = 0x55;					/* version 5 */
	frame(DLT_EN10MB_, &f);
	f.b[14] = 0x45;
	f.b[14 + 20 + 12 + 3] = 3;			/* DATA chunk length 3 */
	frame(DLT_EN10MB_, &f);
	{
		struct buf t = ip6;

		t.b[40 + 1] = 200;			/* hop-by-hop header longer than the packet */
		frame(DLT_IPV6_, &t);
		t = ip;
		t.len = 20 + 8;				/* SCTP common header cut */
		t.b[2] = 0; t.b[3] = 28;
		frame(DLT_RAW_, &t);
	}
	end();
}

static void test_sctp(void)
{
	struct buf sccp, m1 = { .len = 0 }, m2 = { .len = 0 }, s, ip, f;

	udt_m3ua(&sccp);
	m3ua_data(&m1, 0x0123, 0x0456, 3, false, &sccp);
	sccp.len = 0;
	SCCP(&sccp, 0x09, 0x00, addr_gt1_odd, addr_gt2, tcap_begin);
	m3ua_data(&m2, 0x0456, 0x0123, 3, false, &sccp);

	begin("SCTP bundling: SACK, two DATA (M3UA), HEARTBEAT in one packet", SW_PC_ITU14, 0, 0);
	s.len = 0;
	sctp_hdr(&s, 2905, 2905, 0xabcd);
	PUT(&s, sctp_sack);
	data_chunk(&s, 0x03, 10, 1, 3, m1.b, m1.len);
	data_chunk(&s, 0x03, 11, 2, 3, m2.b, m2.len);
	PUT(&s, sctp_heartbeat);
	ip.len = 0; ipv4(&ip, 132, 0, &s);
	f.len = 0; eth(&f, 0, 0x0800, &ip); frame(DLT_EN10MB_, &f);
	end();

	begin("PPID 0 on port 2905 is M3UA; PPID 46 (Diameter) is not ours", SW_PC_ITU14, 0, 0);
	m3ua_frame(&f, 1, 0, &m1); frame(DLT_EN10MB_, &f);
	m3ua_frame(&f, 2, 46, &m1); frame(DLT_EN10MB_, &f);
	end();

	begin("retransmission: same TSN and payload dropped; same TSN, other payload kept", SW_PC_ITU14, 0, 0);
	m3ua_frame(&f, 77, 3, &m1); frame(DLT_EN10MB_, &f);
	frame(DLT_EN10MB_, &f);
	m3ua_frame(&f, 78, 3, &m2); frame(DLT_EN10MB_, &f);
	m3ua_frame(&f, 77, 3, &m1); frame(DLT_EN10MB_, &f);	/* late retransmission */
	m3ua_frame(&f, 78, 3, &m1); frame(DLT_EN10MB_, &f);	/* TSN reused for another message */
	end();

	/* one M3UA message in three DATA chunks: B, middle, E */
	begin("SCTP fragmentation: B / middle / E, middle retransmitted; then a lost middle", SW_PC_ITU14, 0, 0);
	{
		uint32_t a = m1.len / 3, b = 2 * m1.len / 3;
		struct buf frames[3];
		uint8_t flags[3] = { 0x02, 0x00, 0x01 };
		uint32_t from[3] = { 0, a, b }, to[3] = { a, b, m1.len };

		for (int i = 0; i < 3; i++) {
			s.len = 0;
			sctp_hdr(&s, 2905, 2905, 0x5555);
			data_chunk(&s, flags[i], 500 + i, 4, 3, m1.b + from[i], to[i] - from[i]);
			ip.len = 0; ipv4(&ip, 132, 0, &s);
			frames[i].len = 0; eth(&frames[i], 0, 0x0800, &ip);
		}
		frame(DLT_EN10MB_, &frames[0]);
		frame(DLT_EN10MB_, &frames[1]);
		frame(DLT_EN10MB_, &frames[1]);
		frame(DLT_EN10MB_, &frames[2]);
		/* the same message again with new TSNs, its middle piece never seen */
		for (int i = 0; i < 3; i += 2) {
			s.len = 0;
			sctp_hdr(&s, 2905, 2905, 0x5555);
			data_chunk(&s, flags[i], 600 + i, 4, 3, m1.b + from[i], to[i] - from[i]);
			ip.len = 0; ipv4(&ip, 132, 0, &s);
			f.len = 0; eth(&f, 0, 0x0800, &ip);
			frame(DLT_EN10MB_, &f);
		}
	}
	end();

	begin("SCTP reassembly bound (2 KiB): a 3000-byte message overflows", SW_PC_ITU14, 2048, 0);
	{
		static uint8_t big[1500];

		for (int i = 0; i < 2; i++) {
			s.len = 0;
			sctp_hdr(&s, 2905, 2905, 0x6666);
			data_chunk(&s, i ? 0x01 : 0x02, 700 + i, 1, 3, big, sizeof(big));
			ip.len = 0; ipv4(&ip, 132, 0, &s);
			f.len = 0; eth(&f, 0, 0x0800, &ip);
			frame(DLT_EN10MB_, &f);
		}
	}
	end();

	begin("I-DATA: one message in two fragments (MID 9, FSN 0/1)", SW_PC_ITU14, 0, 0);
	{
		uint32_t half = m1.len / 2;

		for (int i = 0; i < 2; i++) {
			uint32_t n = i ? m1.len - half : half;

			s.len = 0;
			sctp_hdr(&s, 2905, 2905, 0x7777);
			put8(&s, 64); put8(&s, i ? 0x01 : 0x02); put16(&s, 20 + n);
			put32(&s, 900 + i); put16(&s, 2); put16(&s, 0); put32(&s, 9);	/* TSN, SID, MID */
			put32(&s, i ? 1 : 3);			/* PPID 3 in the first, FSN 1 in the second */
			put(&s, m1.b + (i ? half : 0), n);
			pad4(&s);
			ip.len = 0; ipv4(&ip, 132, 0, &s);
			f.len = 0; eth(&f, 0, 0x0800, &ip);
			frame(DLT_EN10MB_, &f);
		}
	}
	end();
}

static void test_m3ua(void)
{
	struct buf sccp, m = { .len = 0 }, f;

	udt_m3ua(&sccp);
	begin("M3UA: ASPUP, ISUP (SI 5), bad version, bad parameter length, no protocol data, cut", SW_PC_ITU14, 0, 0);
	{
		/* ASPSM ASP Up, no parameters */
		static const uint8_t aspup[] = { 1, 0, 3, 1, 0, 0, 0, 8 };
		/* DATA with only a routing context */
		static const uint8_t no_pd[] = { 1, 0, 1, 1, 0, 0, 0, 16, 0x00, 0x06, 0x00, 0x08, 0, 0, 0, 1 };
		struct buf t = { .len = 0 };

		PUT(&t, aspup); m3ua_frame(&f, 1, 3, &t); frame(DLT_EN10MB_, &f);
		m.len = 0; m3ua_data(&m, 1, 2, 5, false, &sccp); m3ua_frame(&f, 2, 3, &m); frame(DLT_EN10MB_, &f);
		t = m; t.b[0] = 2; m3ua_frame(&f, 3, 3, &t); frame(DLT_EN10MB_, &f);
		t = m; t.b[8 + 3] = 0xff; m3ua_frame(&f, 4, 3, &t); frame(DLT_EN10MB_, &f);
		t.len = 0; PUT(&t, no_pd); m3ua_frame(&f, 5, 3, &t); frame(DLT_EN10MB_, &f);
		t = m; t.len = 6; m3ua_frame(&f, 6, 3, &t); frame(DLT_EN10MB_, &f);
		t = m; t.len -= 8; m3ua_frame(&f, 7, 3, &t); frame(DLT_EN10MB_, &f);	/* length > data */
	}
	end();
}

static void test_mtp(void)
{
	struct buf sccp, msu, m, s, ip, f;

	sccp.len = 0;
	SCCP(&sccp, 0x09, 0x01, addr_gt3, addr_pc_ssn, tcap_begin);
	msu.len = 0; PUT(&msu, mtp3_itu_label); put(&msu, sccp.b, sccp.len);

	begin("M2PA user data (ITU label), link status, empty user data, cut", SW_PC_ITU14, 0, 0);
	{
		/* link status "ready" */
		static const uint8_t m2pa_status[] = { 1, 0, 11, 2, 0, 0, 0, 20, 0, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0xff,
						      0, 0, 0, 4 };
		/* user data without data: an acknowledgement */
		static const uint8_t m2pa_ack[] = { 1, 0, 11, 1, 0, 0, 0, 16, 0, 0, 0, 7, 0, 0, 0, 8 };
		struct buf t;

		m.len = 0; m2pa_user_data(&m, &msu);
		s.len = 0; sctp_hdr(&s, 3565, 3565, 0x1);
		data_chunk(&s, 0x03, 1, 0, 5, m.b, m.len);
		t.len = 0; PUT(&t, m2pa_status); data_chunk(&s, 0x03, 2, 0, 5, t.b, t.len);
		t.len = 0; PUT(&t, m2pa_ack); data_chunk(&s, 0x03, 3, 0, 5, t.b, t.len);
		t = m; t.len = 16 + 1 + 3;	/* MTP3 label cut */
		t.b[7] = t.len;
		data_chunk(&s, 0x03, 4, 0, 5, t.b, t.len);
		t = m; t.len = 10;
		data_chunk(&s, 0x03, 5, 0, 5, t.b, t.len);
		ip.len = 0; ipv4(&ip, 132, 0, &s);
		f.len = 0; eth(&f, 0, 0x0800, &ip); frame(DLT_EN10MB_, &f);
	}
	end();

	begin("M2UA protocol data 1 and TTC protocol data 2", SW_PC_ITU14, 0, 0);
	m.len = 0; m2ua_data(&m, 0x0300, &msu);
	s.len = 0; sctp_hdr(&s, 2904, 2904, 0x2);
	data_chunk(&s, 0x03, 1, 0, 2, m.b, m.len);
	m.len = 0; m2ua_data(&m, 0x0301, &msu);
	data_chunk(&s, 0x03, 2, 0, 2, m.b, m.len);
	ip.len = 0; ipv4(&ip, 132, 0, &s);
	f.len = 0; eth(&f, 0, 0x0800, &ip); frame(DLT_EN10MB_, &f);
	end();

	begin("MTP2 (140): FISU, LSSU, MSU, cut; MTP2 with pseudo-header (139), Annex A", SW_PC_ITU14, 0, 0);
	{
		/* BSN 1 / BIB, FSN 2 / FIB, LI */
		static const uint8_t fisu[] = { 0x81, 0x82, 0x00 };
		static const uint8_t lssu[] = { 0x81, 0x82, 0x01, 0x02 };	/* SIN */
		/* pseudo header: received, Annex A not used, link 3 */
		static const uint8_t phdr[] = { 0x00, 0x00, 0x00, 0x03 };
		/* pseudo header: Annex A used; 12-bit BSN/FSN, LI 9 bits */
		static const uint8_t phdr_annex_a[] = { 0x00, 0x01, 0x00, 0x03 };

		f.len = 0; PUT(&f, fisu); frame(DLT_MTP2_, &f);
		f.len = 0; PUT(&f, lssu); frame(DLT_MTP2_, &f);
		f.len = 0; put8(&f, 0x81); put8(&f, 0x83); put8(&f, 0x3f); put(&f, msu.b, msu.len);
		frame(DLT_MTP2_, &f);
		frame_cut(DLT_MTP2_, &f, f.len - 2);
		f.len = 0; PUT(&f, phdr); put8(&f, 0x81); put8(&f, 0x84); put8(&f, 0x3f); put(&f, msu.b, msu.len);
		frame(DLT_MTP2_WITH_PHDR_, &f);
		f.len = 0; PUT(&f, phdr_annex_a); put16(&f, 0x0100); put16(&f, 0x0200); put8(&f, msu.len);
		put8(&f, 0); put(&f, msu.b, msu.len);
		frame(DLT_MTP2_WITH_PHDR_, &f);
	}
	end();

	begin("MTP3 (141): ITU label, ISUP, cut label", SW_PC_ITU14, 0, 0);
	frame(DLT_MTP3_, &msu);
	f.len = 0; PUT(&f, mtp3_isup_label); put8(&f, 0x01); frame(DLT_MTP3_, &f);
	frame_cut(DLT_MTP3_, &msu, msu.len - 3);
	end();

	begin("MTP3 (141) 24-bit: ANSI label and ANSI SCCP addresses", SW_PC_24BIT, 0, 0);
	sccp.len = 0;
	SCCP(&sccp, 0x09, 0x80, addr_ansi_pc_ssn, addr_ansi_gt2, tcap_begin);
	f.len = 0; PUT(&f, mtp3_ansi_label); put(&f, sccp.b, sccp.len);
	frame(DLT_MTP3_, &f);
	frame_cut(DLT_MTP3_, &f, f.len - 6);
	end();
}

static void test_sua(void)
{
	struct buf m, s, ip, f, t;

	begin("SUA CLDT (GT + SSN, PC + SSN), CLDR, no data, cut, bad address", SW_PC_ITU14, 0, 0);
	s.len = 0; sctp_hdr(&s, 14001, 14001, 0x3);
	m.len = 0; sua_cl(&m, 1, tcap_begin, sizeof(tcap_begin));
	data_chunk(&s, 0x03, 1, 0, 4, m.b, m.len);
	m.len = 0; sua_cl(&m, 2, tcap_begin, sizeof(tcap_begin));
	data_chunk(&s, 0x03, 2, 0, 4, m.b, m.len);
	m.len = 0; sua_cl(&m, 1, NULL, 0);
	data_chunk(&s, 0x03, 3, 0, 4, m.b, m.len);
	m.len = 0; sua_cl(&m, 1, tcap_begin, sizeof(tcap_begin));
	t = m; t.len = 5;
	data_chunk(&s, 0x03, 4, 0, 4, t.b, t.len);
	t = m; t.b[8 + 16 + 8 + 2] = 0; t.b[8 + 16 + 8 + 3] = 6;	/* source address param length 6 */
	data_chunk(&s, 0x03, 5, 0, 4, t.b, t.len);
	ip.len = 0; ipv4(&ip, 132, 0, &s);
	f.len = 0; eth(&f, 0, 0x0800, &ip); frame(DLT_EN10MB_, &f);
	end();
}

static void sccp_over_m3ua(const struct buf *sccp, uint32_t tsn)
{
	struct buf m = { .len = 0 }, f;

	m3ua_data(&m, 0x0123, 0x0456, 3, false, sccp);
	m3ua_frame(&f, tsn, 3, &m);
	frame(DLT_EN10MB_, &f);
}

static void test_sccp(void)
{
	struct buf sccp;
	uint32_t tsn = 1;

	begin("SCCP: XUDT, XUDTS, UDTS, LUDT, LUDTS, GTI 1/2/3, management, CR, returned segment", SW_PC_ITU14, 0, 0);
	{
		static const uint8_t opt_importance[] = { 0x12, 0x01, 0x05, 0x00 };
		/* CR: connection request, class 2 */
		static const uint8_t cr[] = { 0x01, 0x00, 0x00, 0x01, 0x02, 0x02, 0x04, 0x02, 0x42, 0x06 };

		sccp.len = 0;
		sccp_msg(&sccp, 0x11, 0x81, addr_gt1_odd, sizeof(addr_gt1_odd), addr_gt2, sizeof(addr_gt2),
			 tcap_begin, sizeof(tcap_begin), opt_importance, sizeof(opt_importance));
		sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0; SCCP(&sccp, 0x12, 0x01, addr_gt3, addr_pc_ssn, tcap_begin); sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0; SCCP(&sccp, 0x0a, 0x03, addr_gt4_odd, addr_pc_ssn, tcap_begin); sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0; SCCP(&sccp, 0x13, 0x01, addr_gt4_odd, addr_pc_gt4_even, tcap_begin);
		sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0; SCCP(&sccp, 0x14, 0x01, addr_gt4_odd, addr_pc_gt4_even, tcap_begin);
		sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0; SCCP(&sccp, 0x09, 0x00, addr_scmg, addr_scmg, tcap_begin); sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0; PUT(&sccp, cr); sccp_over_m3ua(&sccp, tsn++);
		{
			/* a returned segment: counted, not decoded */
			static const uint8_t seg_last[] = { SEG_PARAM(0, 0), 0x00 };

			sccp.len = 0;
			sccp_msg(&sccp, 0x12, 0x08, addr_gt4_odd, sizeof(addr_gt4_odd), addr_pc_ssn,
				 sizeof(addr_pc_ssn), tcap_begin + 4, 4, seg_last, sizeof(seg_last));
			sccp_over_m3ua(&sccp, tsn++);
		}
	}
	end();

	begin("SCCP errors: GT too long, short address, bad pointer, bad optional part, cut", SW_PC_ITU14, 0, 0);
	{
		static const uint8_t opt_bad[] = { 0x10, 0x09, 0x80 };

		sccp.len = 0; SCCP(&sccp, 0x09, 0x00, addr_gt_too_long, addr_pc_ssn, tcap_begin);
		sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0; SCCP(&sccp, 0x09, 0x00, addr_short, addr_pc_ssn, tcap_begin); sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0; SCCP(&sccp, 0x09, 0x00, addr_gt3, addr_pc_ssn, tcap_begin);
		sccp.b[4] = 0xf0;	/* data pointer beyond the message */
		sccp_over_m3ua(&sccp, tsn++);
		sccp.b[4] = 0;		/* mandatory pointer 0 */
		sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0;
		sccp_msg(&sccp, 0x11, 0x81, addr_gt3, sizeof(addr_gt3), addr_pc_ssn, sizeof(addr_pc_ssn),
			 tcap_begin, sizeof(tcap_begin), opt_bad, sizeof(opt_bad));
		sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0; SCCP(&sccp, 0x11, 0x00, addr_gt3, addr_pc_ssn, tcap_begin);
		sccp.len = 4;		/* the pointers cut */
		sccp_over_m3ua(&sccp, tsn++);
	}
	end();

	begin("XUDT segmentation: 3 segments reassembled; a lost middle; a single first+last segment",
	      SW_PC_ITU14, 0, 0);
	{
		static const uint8_t s1[] = { SEG_PARAM(1, 2), 0x00 };
		static const uint8_t s2[] = { SEG_PARAM(0, 1), 0x00 };
		static const uint8_t s3[] = { SEG_PARAM(0, 0), 0x00 };
		static const uint8_t only[] = { SEG_PARAM(1, 0), 0x00 };
		const uint8_t *opts[3] = { s1, s2, s3 };
		const uint32_t from[3] = { 0, 4, 6 }, to[3] = { 4, 6, 8 };

		for (int i = 0; i < 3; i++) {
			sccp.len = 0;
			sccp_msg(&sccp, 0x11, 0x81, addr_gt4_odd, sizeof(addr_gt4_odd), addr_pc_gt4_even,
				 sizeof(addr_pc_gt4_even), tcap_begin + from[i], to[i] - from[i], opts[i], sizeof(s1));
			sccp_over_m3ua(&sccp, tsn++);
		}
		for (int i = 0; i < 3; i += 2) {
			sccp.len = 0;
			sccp_msg(&sccp, 0x11, 0x81, addr_gt4_odd, sizeof(addr_gt4_odd), addr_pc_gt4_even,
				 sizeof(addr_pc_gt4_even), tcap_begin + from[i], to[i] - from[i], opts[i], sizeof(s1));
			sccp_over_m3ua(&sccp, tsn++);
		}
		sccp.len = 0;
		sccp_msg(&sccp, 0x11, 0x81, addr_gt4_odd, sizeof(addr_gt4_odd), addr_pc_gt4_even,
			 sizeof(addr_pc_gt4_even), tcap_begin, sizeof(tcap_begin), only, sizeof(only));
		sccp_over_m3ua(&sccp, tsn++);
	}
	end();

	begin("XUDT segmentation: a first segment expires after 20 s; the table bound evicts the oldest",
	      SW_PC_ITU14, 0, 4096);
	{
		static const uint8_t s1[] = { SEG_PARAM(1, 1), 0x00 };
		static const uint8_t s2[] = { SEG_PARAM(0, 0), 0x00 };
		static const uint8_t s1_other[] = { 0x10, 0x04, 0x81, 0x01, 0x00, 0x00, 0x00 };

		sccp.len = 0;
		sccp_msg(&sccp, 0x11, 0x81, addr_gt4_odd, sizeof(addr_gt4_odd), addr_pc_gt4_even,
			 sizeof(addr_pc_gt4_even), tcap_begin, 4, s1, sizeof(s1));
		sccp_over_m3ua(&sccp, tsn++);
		now.tv_sec += 30;
		sccp.len = 0;
		sccp_msg(&sccp, 0x11, 0x81, addr_gt4_odd, sizeof(addr_gt4_odd), addr_pc_gt4_even,
			 sizeof(addr_pc_gt4_even), tcap_begin + 4, 4, s2, sizeof(s2));
		sccp_over_m3ua(&sccp, tsn++);
		/* one slot (4 KiB): a second message's first segment pushes out the first one */
		sccp.len = 0;
		sccp_msg(&sccp, 0x11, 0x81, addr_gt4_odd, sizeof(addr_gt4_odd), addr_pc_gt4_even,
			 sizeof(addr_pc_gt4_even), tcap_begin, 4, s1, sizeof(s1));
		sccp_over_m3ua(&sccp, tsn++);
		sccp.len = 0;
		sccp_msg(&sccp, 0x11, 0x81, addr_gt4_odd, sizeof(addr_gt4_odd), addr_pc_gt4_even,
			 sizeof(addr_pc_gt4_even), tcap_begin, 4, s1_other, sizeof(s1_other));
		sccp_over_m3ua(&sccp, tsn++);
	}
	end();
}

/* sw_bcd_to_str() and sw_gt_digits() against the definition: nibble by nibble, low first, up
 * to n digits or the first nibble the alphabet maps to NUL. Decimal octets take a table
 * path, so the cases mix decimal runs with a non-decimal nibble at every place, at every
 * length. */
static unsigned bcd_reference(char *buf, const uint8_t *bcd, unsigned n, const char alphabet[16])
{
	unsigned i;

	for (i = 0; i < n; i++) {
		char c = alphabet[i & 1 ? bcd[i / 2] >> 4 : bcd[i / 2] & 0x0f];

		if (!c)
			break;
		buf[i] = c;
	}
	buf[i] = '\0';
	return i;
}

static void test_bcd_digits(void)
{
	const char *alphabets[] = { sw_bcd_gt, sw_bcd_tbcd };
	uint32_t x = 2463534242u, cases = 0;

	printf("bcd digits\n");
	for (unsigned a = 0; a < 2; a++) {
		for (unsigned n = 0; n <= 2 * 24; n++) {
			for (unsigned k = 0; k < 2000; k++) {
				uint8_t bcd[24];
				char got[2 * 24 + 1], want[2 * 24 + 1];
				unsigned gl, wl;

				for (unsigned i = 0; i < sizeof(bcd); i++) {
					x ^= x << 13, x ^= x >> 17, x ^= x << 5;
					bcd[i] = (x % 10) | ((x >> 8) % 10) << 4;
				}
				/* one nibble in four cases out of five is 0xA..0xF, at a random place */
				if (n && k % 5) {
					unsigned at = (x >> 16) % n;

					x ^= x << 13, x ^= x >> 17, x ^= x << 5;
					if (at & 1)
						bcd[at / 2] = (bcd[at / 2] & 0x0f) | (10 + x % 6) << 4;
					else
						bcd[at / 2] = (bcd[at / 2] & 0xf0) | (10 + x % 6);
				}
				gl = sw_bcd_to_str(got, bcd, n, alphabets[a]);
				wl = bcd_reference(want, bcd, n, alphabets[a]);
				if (gl != wl || strcmp(got, want)) {
					printf("  MISMATCH n=%u: '%s' (%u), expected '%s' (%u)\n", n, got, gl, want, wl);
					exit(1);
				}
				if (alphabets[a] == sw_bcd_gt &&
				    ((gl = sw_gt_digits(got, bcd, n)) != wl || strcmp(got, want))) {
					printf("  GT MISMATCH n=%u: '%s' (%u), expected '%s' (%u)\n", n, got, gl, want, wl);
					exit(1);
				}
				cases++;
			}
		}
	}
	printf("  %u cases as the definition\n", cases);
}

/* sw_payload_hash(), AES-NI lanes and portable alike: the same key gives the same value,
 * and a payload with any one bit flipped, or one byte shorter, gives another, at every length
 * across the lanes' 16- and 64-byte steps. */
static void test_payload_hash(void)
{
	uint8_t buf[300];
	uint32_t x = 88172645u;
	unsigned checked = 0;

	printf("payload hash\n");
	for (unsigned i = 0; i < sizeof(buf); i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = x;
	}
	for (unsigned aes = 0; aes < 2; aes++) {
		struct sw_payload_hash h, h2;

		sw_payload_hash_init(&h, 12345, aes);
		sw_payload_hash_init(&h2, 12346, aes);
		for (unsigned len = 0; len <= 160; len++) {
			uint64_t base = sw_payload_hash(&h, buf, len);

			OSMO_ASSERT(base == sw_payload_hash(&h, buf, len));
			OSMO_ASSERT(base != sw_payload_hash(&h2, buf, len));
			if (len)
				OSMO_ASSERT(base != sw_payload_hash(&h, buf, len - 1));
			for (unsigned bit = 0; bit < 8 * len; bit++) {
				buf[bit / 8] ^= 1 << (bit % 8);
				OSMO_ASSERT(sw_payload_hash(&h, buf, len) != base);
				buf[bit / 8] ^= 1 << (bit % 8);
				checked++;
			}
		}
		/* zeros of each length: the length is hashed, not only the bytes */
		memset(buf, 0, 40);
		for (unsigned len = 1; len <= 40; len++)
			OSMO_ASSERT(sw_payload_hash(&h, buf, len) != sw_payload_hash(&h, buf, len - 1));
	}
	printf("  %u bit flips change the hash\n", checked);
}

int main(int argc, char **argv)
{
	ctx = talloc_named_const(NULL, 0, "lower_test");
	test_links();
	test_sctp();
	test_m3ua();
	test_mtp();
	test_sua();
	test_sccp();
	test_bcd_digits();
	test_payload_hash();
	if (talloc_total_blocks(ctx) != 1)
		fprintf(stderr, "talloc leak: %zu blocks\n", talloc_total_blocks(ctx));
	talloc_free(ctx);
	return 0;
}
