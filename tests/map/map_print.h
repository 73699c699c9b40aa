/* Printing of decoded TCAP messages and MAP parameters for the unit tests: one stable,
 * line-oriented text form that the .ok files hold. */
#pragma once
#include <stdio.h>
#include <string.h>
#include <osmocom/gsm/gsm_utils.h>
#include <ss7watch/ber.h>
#include <ss7watch/tcap.h>
#include <ss7watch/map.h>

static void print_hex(const uint8_t *p, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		printf("%02x", p[i]);
}

static void print_digits(const uint8_t *p, unsigned len)
{
	char buf[2 * 255 + 1];

	sw_tbcd_to_str(buf, sizeof(buf), p, len);
	printf("%s", buf);
}

static void print_value(const struct sw_component *c, const struct map_param *mp)
{
	const char *const *names;

	switch (map_field_kind(mp->field)) {
	case MV_TBCD:
		print_digits(mp->p, mp->len);
		break;
	case MV_ADDR:
		/* TON/NPI octet, then the digits */
		printf("%02x/", mp->p[0]);
		print_digits(mp->p + 1, mp->len - 1);
		break;
	case MV_UINT:
		printf("%llu", (unsigned long long)mp->u);
		break;
	case MV_BOOL:
		printf("%s", mp->u ? "true" : "false");
		break;
	case MV_STR:
		printf("%s", mp->s);
		break;
	case MV_HEX:
		print_hex(mp->p, mp->len);
		break;
	case MV_CGI:
		printf("mcc-mnc %x%x%x-%x%x", mp->p[0] & 15, mp->p[0] >> 4, mp->p[1] & 15, mp->p[2] & 15,
		       mp->p[2] >> 4);
		if ((mp->p[1] >> 4) != 15)
			printf("%x", mp->p[1] >> 4);
		printf(" lac %u", (mp->p[3] << 8) | mp->p[4]);
		if (mp->len == 7)
			printf(" ci %u", (mp->p[5] << 8) | mp->p[6]);
		break;
	case MV_FLAGS:
		names = map_field_flag_names(mp->field);
		for (unsigned b = 0; names && names[b]; b++)
			if (mp->u & (1ull << b))
				printf("%s ", names[b]);
		printf("(0x%llx)", (unsigned long long)mp->u);
		break;
	case MV_USSD: {
		const struct map_param *dcs = map_param_find(c, MF_USSD_DCS);
		char text[256];

		print_hex(mp->p, mp->len);
		if (dcs && dcs->u == 0x0f && mp->len <= 160 &&
		    gsm_7bit_decode_n_ussd(text, sizeof(text), mp->p, mp->len * 8 / 7) > 0)
			printf(" \"%s\"", text);
		break;
	}
	}
}

static void print_number(const char *name, const struct sw_number *n)
{
	if (!n->tbcd)
		return;
	printf(" %s=%02x/", name, n->ton_npi);
	print_digits(n->tbcd, n->len);
}

static void print_tcap(const struct sw_tcap *t)
{
	static const char *const dlg[] = { "none", "aarq", "aare", "abrt", "audt" };

	printf("tcap %s", tcap_type_name(t->type));
	if (t->otid.len) {
		printf(" otid=");
		print_hex(t->otid.b, t->otid.len);
	}
	if (t->dtid.len) {
		printf(" dtid=");
		print_hex(t->dtid.b, t->dtid.len);
	}
	if (t->dialogue)
		printf(" dialogue=%s", dlg[t->dialogue]);
	if (t->acn_len) {
		char oid[64];

		ber_oid_to_str(oid, sizeof(oid), t->acn, t->acn_len);
		printf(" acn=%s", oid);
		if (t->acn_info)
			printf(" (%s v%d)", t->acn_info->name, t->acn_version);
		else
			printf(" (not MAP)");
	}
	if (t->aare_result >= 0)
		printf(" result=%d", t->aare_result);
	if (t->p_abort_cause >= 0)
		printf(" p-abort=%d", t->p_abort_cause);
	if (t->u_abort)
		printf(" u-abort");
	print_number("dest_ref", &t->dest_ref);
	print_number("orig_ref", &t->orig_ref);
	printf(" components=%u\n", t->n_comp);
}

static void print_component(const struct sw_tcap *t, unsigned i)
{
	const struct sw_component *c = &t->comp[i];

	printf("  [%u] %s", i, tcap_comp_type_name(c->type));
	if (c->has_invoke_id)
		printf(" id=%d", c->invoke_id);
	if (c->has_linked_id)
		printf(" linked=%d", c->linked_id);
	if (c->opcode_global)
		printf(" global");
	if (c->opcode >= 0) {
		const char *name = map_comp_op_name(c);

		printf(" op=%d (%s)", c->opcode, name ? name : "?");
		if (c->sm_dir)
			printf(" %s", map_sm_direction_name(c->sm_dir));
		if (t->acn_info && c->type == SW_COMP_INVOKE && !map_acn_allows(t->acn_info, c->opcode))
			printf(" NOT-IN-AC");
	}
	if (c->opcode_inferred)
		printf(" inferred");
	if (c->error >= 0)
		printf(" error=%d", c->error);
	if (c->reject_type >= 0)
		printf(" problem=%d/%d", c->reject_type, c->reject_problem);
	if (c->param)
		printf(" param=%u", c->param_len);
	if (c->err)
		printf(" ERR=%s", sw_err_reason(c->err));
	printf("\n");
	for (unsigned k = 0; k < c->n_params; k++) {
		printf("    %s: ", map_field_name(c->params[k].field));
		print_value(c, &c->params[k]);
		printf("\n");
	}
}

/* Decode TCAP + MAP as the pipeline does (no MAP for a non-MAP AC) and print it all. */
static int decode_and_print(struct sw_tcap *t, const uint8_t *data, unsigned len)
{
	int rc = tcap_decode(t, data, len);
	bool is_map = !(t->acn_len && !t->acn_info);

	print_tcap(t);
	for (unsigned i = 0; i < t->n_comp; i++) {
		if (is_map)
			map_decode_component(t, &t->comp[i]);
		print_component(t, i);
	}
	if (rc < 0)
		printf("  tcap error: %s\n", sw_err_reason(-rc));
	return rc;
}
