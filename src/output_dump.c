/* --dump: one JSON object per TCAP component, written by hand into a buffer.
 * This runs for every message, so: no allocation (but for a line longer than the stack
 * buffer), no printf, one pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <osmocom/gsm/gsm_utils.h>
#include <ss7watch/output_dump.h>
#include <ss7watch/output_json.h>
#include <ss7watch/map.h>
#include <ss7watch/map_errors.h>
#include <ss7watch/tcap.h>
#include <ss7watch/ber.h>

/* Most lines fit on the stack. None is longer than the fixed part (keys, addresses, numbers,
 * names) plus every byte of the SCCP user data at its widest rendering: a GSM 7-bit character
 * escaped as \u00XX, 6 characters for each of 8 characters packed in 7 bytes. */
#define DUMP_STACK_LEN		16384
#define DUMP_FIXED_LEN		8192
#define DUMP_BYTE_WIDTH		7

static void jw_hexval(struct jw *w, const uint8_t *p, unsigned len)
{
	static const char hex[] = "0123456789abcdef";

	jw_ch(w, '"');
	for (unsigned i = 0; i < len; i++) {
		jw_ch(w, hex[p[i] >> 4]);
		jw_ch(w, hex[p[i] & 15]);
	}
	jw_ch(w, '"');
}

static void jw_tbcdval(struct jw *w, const uint8_t *p, unsigned len)
{
	char digits[2 * 255 + 1];
	unsigned n = sw_tbcd_to_str(digits, sizeof(digits), p, len);

	jw_strval(w, digits, n);
}

size_t sw_format_ts(char *buf, size_t buflen, const struct timeval *tv)
{
	/* one gmtime per second of capture time, not per message */
	static __thread time_t cached_sec = -1;
	static __thread char cached[24];
	struct tm tm;

	if (buflen < 28)
		return 0;
	if (tv->tv_sec != cached_sec) {
		time_t t = tv->tv_sec;

		gmtime_r(&t, &tm);
		strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = tv->tv_sec;
	}
	memcpy(buf, cached, 19);
	buf[19] = '.';
	uint32_t us = (uint32_t)tv->tv_usec % 1000000;
	for (int i = 25; i >= 20; i--) {
		buf[i] = '0' + us % 10;
		us /= 10;
	}
	buf[26] = 'Z';
	buf[27] = '\0';
	return 27;
}

void sw_format_ip(char *buf, size_t buflen, const struct sw_meta *meta, bool dst)
{
	const uint8_t *a = dst ? meta->dst_ip : meta->src_ip;

	buf[0] = '\0';
	if (meta->ip_version == 4)
		inet_ntop(AF_INET, a, buf, buflen);
	else if (meta->ip_version == 6)
		inet_ntop(AF_INET6, a, buf, buflen);
}

static const char *const sccp_type_names[256] = {
	[SW_SCCP_UDT] = "udt",
	[SW_SCCP_UDTS] = "udts",
	[SW_SCCP_XUDT] = "xudt",
	[SW_SCCP_XUDTS] = "xudts",
	[SW_SCCP_LUDT] = "ludt",
	[SW_SCCP_LUDTS] = "ludts",
	[SW_SCCP_SUA_CLDT] = "sua_cldt",
	[SW_SCCP_SUA_CLDR] = "sua_cldr",
};

static const char *const transport_names[] = {
	[SW_VIA_NONE] = "none",
	[SW_VIA_M3UA] = "m3ua",
	[SW_VIA_M2PA] = "m2pa",
	[SW_VIA_M2UA] = "m2ua",
	[SW_VIA_MTP2] = "mtp2",
	[SW_VIA_MTP3] = "mtp3",
	[SW_VIA_SUA] = "sua",
	[SW_VIA_IPA] = "ipa",
	[SW_VIA_M3UA_LIVE] = "m3ua",
};

static const char *const dialogue_names[] = {
	[SW_DLG_NONE] = NULL,
	[SW_DLG_AARQ] = "aarq",
	[SW_DLG_AARE] = "aare",
	[SW_DLG_ABRT] = "abrt",
	[SW_DLG_AUDT] = "audt",
};

static void write_mtp3(struct jw *w, const struct sw_mtp3 *m)
{
	jw_key(w, "m3ua");
	jw_open(w, '{');
	jw_kv_uint(w, "opc", m->opc);
	jw_kv_uint(w, "dpc", m->dpc);
	jw_kv_uint(w, "si", m->si);
	jw_kv_uint(w, "ni", m->ni);
	jw_kv_uint(w, "sls", m->sls);
	if (m->has_rctx)
		jw_kv_uint(w, "rctx", m->rctx);
	if (m->via != SW_VIA_M3UA && m->via < sizeof(transport_names) / sizeof(transport_names[0]))
		jw_kv_str(w, "via", transport_names[m->via]);
	jw_close(w, '}');
}

static void write_sccp_addr(struct jw *w, const char *key, const struct sw_sccp_addr *a)
{
	jw_key(w, key);
	jw_open(w, '{');
	jw_kv_str(w, "ri", a->ri ? "ssn" : "gt");
	if (a->present & SW_SCCP_AI_PC)
		jw_kv_uint(w, "pc", a->pc);
	if (a->present & SW_SCCP_AI_SSN)
		jw_kv_uint(w, "ssn", a->ssn);
	if (a->present & SW_SCCP_AI_GT) {
		jw_key(w, "gt");
		jw_strval(w, a->digits, a->n_digits);
		jw_kv_uint(w, "gti", a->gti);
		if (a->gti >= 2)
			jw_kv_uint(w, "tt", a->tt);
		if (a->gti >= 3)
			jw_kv_uint(w, "np", a->np);
		if (a->gti == 1 || a->gti == 4)
			jw_kv_uint(w, "nai", a->nai);
	}
	jw_close(w, '}');
}

static void write_sccp(struct jw *w, const struct sw_msg *msg)
{
	const struct sw_sccp *s = &msg->sccp;
	const char *tn = sccp_type_names[s->type];

	jw_key(w, "sccp");
	jw_open(w, '{');
	if (tn)
		jw_kv_str(w, "type", tn);
	else
		jw_kv_uint(w, "type", s->type);
	write_sccp_addr(w, "called", &s->called);
	write_sccp_addr(w, "calling", &s->calling);
	if (s->type == SW_SCCP_UDTS || s->type == SW_SCCP_XUDTS || s->type == SW_SCCP_LUDTS ||
	    s->type == SW_SCCP_SUA_CLDR)
		jw_kv_uint(w, "return_cause", s->return_cause);
	if (msg->meta.segments > 1)
		jw_kv_uint(w, "segments", msg->meta.segments);
	jw_close(w, '}');
}

static void write_number(struct jw *w, const char *key, const struct sw_number *n)
{
	if (!n->tbcd)
		return;
	jw_key(w, key);
	jw_tbcdval(w, n->tbcd, n->len);
}

static void write_tcap(struct jw *w, const struct sw_tcap *t)
{
	jw_key(w, "tcap");
	jw_open(w, '{');
	jw_kv_str(w, "type", tcap_type_name(t->type));
	if (t->otid.len) {
		jw_key(w, "otid");
		jw_hexval(w, t->otid.b, t->otid.len);
	}
	if (t->dtid.len) {
		jw_key(w, "dtid");
		jw_hexval(w, t->dtid.b, t->dtid.len);
	}
	if (t->dialogue && t->dialogue < sizeof(dialogue_names) / sizeof(dialogue_names[0]))
		jw_kv_str(w, "dialogue", dialogue_names[t->dialogue]);
	if (t->acn_len) {
		char oid[64];
		unsigned n = ber_oid_to_str(oid, sizeof(oid), t->acn, t->acn_len);

		jw_key(w, "acn");
		jw_strval(w, oid, n);
		if (t->acn_info) {
			jw_kv_str(w, "acn_name", t->acn_info->name);
			if (t->acn_version >= 0)
				jw_kv_int(w, "acn_version", t->acn_version);
		}
	}
	if (t->aare_result >= 0)
		jw_kv_int(w, "dialogue_result", t->aare_result);
	write_number(w, "destination_reference", &t->dest_ref);
	write_number(w, "origination_reference", &t->orig_ref);
	if (t->p_abort_cause >= 0)
		jw_kv_int(w, "p_abort_cause", t->p_abort_cause);
	if (t->u_abort)
		jw_kv_bool(w, "u_abort", true);
	jw_close(w, '}');
}

static void write_component(struct jw *w, const struct sw_tcap *t, const struct sw_component *c)
{
	bool map_ac = !(t->acn_len && !t->acn_info);

	jw_key(w, "component");
	jw_open(w, '{');
	jw_kv_str(w, "type", tcap_comp_type_name(c->type));
	if (c->has_invoke_id)
		jw_kv_int(w, "invoke_id", c->invoke_id);
	if (c->has_linked_id)
		jw_kv_int(w, "linked_id", c->linked_id);
	if (c->opcode >= 0) {
		const char *name = map_ac ? map_comp_op_name(c) : NULL;

		jw_kv_int(w, "opcode", c->opcode);
		if (name)
			jw_kv_str(w, "op", name);
		if (map_ac && c->sm_dir)
			jw_kv_str(w, "sm_direction", map_sm_direction_name(c->sm_dir));
		if (c->opcode_inferred)
			jw_kv_bool(w, "opcode_inferred", true);
	}
	if (c->opcode_global)
		jw_kv_bool(w, "global", true);
	if (c->type == SW_COMP_ERROR && c->error >= 0) {
		const char *name = map_ac ? map_error_name(c->error) : NULL;

		jw_kv_int(w, "error", c->error);
		if (name)
			jw_kv_str(w, "error_name", name);
	}
	if (c->type == SW_COMP_REJECT && c->reject_type >= 0) {
		static const char *const kinds[] = { "general", "invoke", "returnResult", "returnError" };

		jw_kv_str(w, "problem_type", kinds[c->reject_type & 3]);
		jw_kv_int(w, "problem", c->reject_problem);
	}
	jw_close(w, '}');
}

static void write_mcc_mnc(struct jw *w, const uint8_t *p)
{
	char mcc[4], mnc[4];
	static const char d[] = "0123456789abcdef";

	mcc[0] = d[p[0] & 15];
	mcc[1] = d[p[0] >> 4];
	mcc[2] = d[p[1] & 15];
	mcc[3] = 0;
	mnc[0] = d[p[2] & 15];
	mnc[1] = d[p[2] >> 4];
	mnc[2] = (p[1] >> 4) == 15 ? 0 : d[p[1] >> 4];
	mnc[3] = 0;
	jw_kv_str(w, "mcc", mcc);
	jw_kv_str(w, "mnc", mnc);
}

static void write_ussd(struct jw *w, const struct sw_component *c, const struct map_param *mp)
{
	const struct map_param *dcs = map_param_find(c, MF_USSD_DCS);
	char text[256];

	/* 0x0f (language unspecified, GSM 7-bit) is what networks send; other groups: hex */
	if (dcs && (dcs->u & 0xf0) == 0x00 && mp->len <= 160) {
		int n = gsm_7bit_decode_n_ussd(text, sizeof(text), mp->p, mp->len * 8 / 7);

		if (n > 0) {
			jw_strval(w, text, strlen(text));
			return;
		}
	}
	jw_hexval(w, mp->p, mp->len);
}

static void write_value(struct jw *w, const struct sw_component *c, const struct map_param *mp)
{
	switch (map_field_kind(mp->field)) {
	case MV_TBCD:
		jw_tbcdval(w, mp->p, mp->len);
		break;
	case MV_ADDR:
		/* the TON/NPI octet is not part of the number */
		jw_tbcdval(w, mp->p + (mp->len ? 1 : 0), mp->len ? mp->len - 1 : 0);
		break;
	case MV_UINT:
		jw_uint(w, mp->u);
		break;
	case MV_BOOL:
		if (mp->u)
			jw_raw(w, "true", 4);
		else
			jw_raw(w, "false", 5);
		break;
	case MV_STR:
		jw_strval(w, mp->s, strlen(mp->s));
		break;
	case MV_HEX:
		jw_hexval(w, mp->p, mp->len);
		break;
	case MV_CGI:
		jw_open(w, '{');
		if (mp->len >= 5) {
			write_mcc_mnc(w, mp->p);
			jw_kv_uint(w, "lac", (mp->p[3] << 8) | mp->p[4]);
		}
		if (mp->len >= 7)
			jw_kv_uint(w, "ci", (mp->p[5] << 8) | mp->p[6]);
		jw_close(w, '}');
		break;
	case MV_FLAGS: {
		const char *const *names = map_field_flag_names(mp->field);

		jw_open(w, '[');
		for (unsigned b = 0; names && names[b] && b < 64; b++) {
			if (mp->u & (1ull << b)) {
				jw_sep(w);
				jw_strval(w, names[b], strlen(names[b]));
			}
		}
		jw_close(w, ']');
		break;
	}
	case MV_USSD:
		write_ussd(w, c, mp);
		break;
	}
}

static void write_map(struct jw *w, const struct sw_component *c)
{
	if (!c->n_params)
		return;
	jw_key(w, "map");
	jw_open(w, '{');
	for (unsigned i = 0; i < c->n_params; i++) {
		const struct map_param *mp = &c->params[i];
		unsigned same = 0;
		bool seen = false;

		/* a field that occurs several times (e.g. ss_code in a list) becomes an array */
		for (unsigned j = 0; j < c->n_params; j++) {
			if (c->params[j].field != mp->field)
				continue;
			if (j < i)
				seen = true;
			same++;
		}
		if (seen)
			continue;
		jw_key(w, map_field_name(mp->field));
		if (same == 1) {
			write_value(w, c, mp);
			continue;
		}
		jw_open(w, '[');
		for (unsigned j = i; j < c->n_params; j++) {
			if (c->params[j].field != mp->field)
				continue;
			jw_sep(w);
			write_value(w, c, &c->params[j]);
		}
		jw_close(w, ']');
	}
	jw_close(w, '}');
}

/* The protocol objects of msg and its component c: m3ua, sccp, tcap, component, map,
 * decode_error (the members after the addressing keys). */
static void write_members(struct jw *w, const struct sw_msg *msg, const struct sw_component *c)
{
	if (msg->mtp3.present)
		write_mtp3(w, &msg->mtp3);
	if (msg->sccp.type)
		write_sccp(w, msg);
	if (msg->tcap.type)
		write_tcap(w, &msg->tcap);
	if (c) {
		write_component(w, &msg->tcap, c);
		write_map(w, c);
	}
	if (msg->err || (c && c->err)) {
		enum sw_err e = msg->err ? msg->err : c->err;

		jw_key(w, "decode_error");
		jw_open(w, '{');
		jw_kv_str(w, "layer", sw_err_layer(e));
		jw_kv_str(w, "reason", sw_err_reason(e));
		jw_close(w, '}');
	}
}

static const struct sw_component *component_of(const struct sw_msg *msg, int comp_idx)
{
	return comp_idx >= 0 && comp_idx < msg->tcap.n_comp ? &msg->tcap.comp[comp_idx] : NULL;
}

size_t sw_dump_json(char *buf, size_t buflen, const struct sw_msg *msg, int comp_idx)
{
	struct jw w = { .p = buf, .end = buf + buflen };
	char tmp[64];

	/* the head of an alert line (timestamp, event_type, pcap_cnt): dump and alert lines can
	 * share one EVE file, and a reader tells them apart by event_type */
	jw_open(&w, '{');
	jw_kv_ts(&w, "timestamp", &msg->meta.ts);
	jw_kv_str(&w, "event_type", "map");
	jw_kv_uint(&w, "pcap_cnt", msg->meta.frame);
	if (msg->meta.ip_version) {
		sw_format_ip(tmp, sizeof(tmp), &msg->meta, false);
		jw_kv_str(&w, "src_ip", tmp);
		sw_format_ip(tmp, sizeof(tmp), &msg->meta, true);
		jw_kv_str(&w, "dest_ip", tmp);
	}
	write_members(&w, msg, component_of(msg, comp_idx));
	jw_close(&w, '}');
	return jw_finish(&w, buf);
}

size_t sw_dump_json_members(char *buf, size_t buflen, const struct sw_msg *msg, int comp_idx)
{
	struct jw w = { .p = buf, .end = buf + buflen };

	write_members(&w, msg, component_of(msg, comp_idx));
	return jw_finish(&w, buf);
}

size_t sw_dump_line_bound(const struct sw_msg *msg)
{
	return DUMP_FIXED_LEN + DUMP_BYTE_WIDTH * (size_t)msg->sccp.data_len;
}

unsigned sw_dump_msg(FILE *f, const struct sw_msg *msg)
{
	char stack_buf[DUMP_STACK_LEN];
	char *buf = stack_buf, *big = NULL;
	size_t cap = sizeof(stack_buf);
	unsigned n_lines = msg->tcap.n_comp ? msg->tcap.n_comp : 1, lost = 0;

	for (unsigned i = 0; i < n_lines; i++) {
		int comp = msg->tcap.n_comp ? (int)i : -1;
		size_t n = sw_dump_json(buf, cap - 1, msg, comp);

		/* a long message (a LUDT with a long USSD text): a buffer as large as it can need,
		 * rare enough that the allocation does not matter */
		if (!n && !big && sw_dump_line_bound(msg) > cap) {
			cap = sw_dump_line_bound(msg);
			big = malloc(cap);
			if (!big) {
				cap = sizeof(stack_buf);
			} else {
				buf = big;
				n = sw_dump_json(buf, cap - 1, msg, comp);
			}
		}
		if (!n) {
			lost++;
			continue;
		}
		buf[n++] = '\n';
		fwrite(buf, 1, n, f);
	}
	free(big);
	return lost;
}
