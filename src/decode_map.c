/* MAP parameter decoding (3GPP TS 29.002): a walker over BER guided by tables that say, for
 * each element of a SEQUENCE or CHOICE, which field it is. The per-operation tables are in
 * map_decode_*.c; each alternative shape of an argument across MAP versions is one entry of
 * its top table (e.g. sendAuthenticationInfo v2 plain IMSI, v3 SEQUENCE). */
#include <stddef.h>
#include <ss7watch/map.h>
#include <ss7watch/counters.h>
#include "decode_map.h"

/* MAP types nest far less deeply; this only guards the recursion */
#define MAP_MAX_DEPTH	12
/* elements whose position is remembered to tell repeated untagged OCTET STRINGs apart */
#define MAP_MAX_SEEN	16

static void map_fail(struct map_walk *w, enum sw_err e)
{
	if (!w->c->err)
		w->c->err = e;
}

struct map_param *map_add_param(struct map_walk *w, enum map_field f)
{
	struct sw_component *c = w->c;
	struct map_param *mp;

	if (c->n_params >= SW_MAX_PARAMS) {
		map_fail(w, SW_E_MAP_TOO_MANY_PARAMS);
		return NULL;
	}
	mp = &c->params[c->n_params++];
	mp->field = f;
	mp->len = 0;
	mp->u = 0;
	return mp;
}

static uint16_t elem_key(const struct ber_tlv *x)
{
	if (x->tag >= (1u << 13))
		return 0xffff;	/* no table names such a tag */
	return MK(x->cls, x->constructed, x->tag);
}

/* H_VAL: the value octets, checked for what the field's kind needs */
static int put_val(struct map_walk *w, const struct map_elem *e, const uint8_t *val, uint32_t len)
{
	enum map_value_kind kind = map_field_kind(e->field);
	struct map_param *mp;

	if (len > 0xffff) {
		map_fail(w, SW_E_MAP_BAD_PARAMETER);
		return -1;
	}
	switch (kind) {
	case MV_ADDR:
		/* TON/NPI octet plus at least one digit octet; TS 29.002 allows 20 octets */
		if (len < 2 || len > 20) {
			map_fail(w, SW_E_MAP_BAD_ADDRESS);
			return -1;
		}
		break;
	case MV_CGI:
		/* CellGlobalIdOrServiceAreaIdFixedLength (7) or LAIFixedLength (5) */
		if (len != 7 && len != 5) {
			map_fail(w, SW_E_MAP_BAD_PARAMETER);
			return -1;
		}
		break;
	case MV_TBCD:
	case MV_HEX:
		/* LMSI ::= OCTET STRING (SIZE (4)) */
		if (len < 1 || (e->field == MF_LMSI && len != 4)) {
			map_fail(w, SW_E_MAP_BAD_PARAMETER);
			return -1;
		}
		break;
	default:
		break;
	}
	mp = map_add_param(w, e->field);
	if (!mp)
		return -1;
	mp->p = val;
	mp->len = len;
	return 0;
}

static int put_uint(struct map_walk *w, const struct map_elem *e, uint64_t u)
{
	struct map_param *mp = map_add_param(w, e->field);

	if (!mp)
		return -1;
	mp->u = u;
	return 0;
}

static int put_str(struct map_walk *w, const struct map_elem *e, const char *s)
{
	struct map_param *mp = map_add_param(w, e->field);

	if (!mp)
		return -1;
	mp->s = s;
	return 0;
}

static int walk(struct map_walk *w, const uint8_t *p, const uint8_t *end, const struct map_elem *tab,
		bool strict, unsigned depth);

/* apply e to the value octets [val, val + len) of the element it matched */
static int apply(struct map_walk *w, const struct map_elem *e, const uint8_t *val, uint32_t len,
		 unsigned depth)
{
	uint64_t u;
	int rc;

	switch (e->how) {
	case H_VAL:
		return put_val(w, e, val, len);
	case H_OCTET:
		if (len < 1)
			break;
		return put_uint(w, e, val[0]);
	case H_UINT:
		if (ber_uint(&(struct ber_tlv){ .val = val, .len = len }, &u) < 0)
			break;
		return put_uint(w, e, u);
	case H_BOOL:
		if (len != 1)
			break;
		return put_uint(w, e, val[0] != 0);
	case H_ENUM:
		if (ber_uint(&(struct ber_tlv){ .val = val, .len = len }, &u) < 0)
			break;
		return put_str(w, e, u < e->names->n ? e->names->names[u] : "unknown");
	case H_STR:
		return put_str(w, e, e->str);
	case H_SUB:
		return walk(w, val, val + len, e->sub, false, depth + 1);
	case H_FLAGS:
		w->flags = 0;
		rc = walk(w, val, val + len, e->sub, false, depth + 1);
		if (rc < 0)
			return rc;
		return put_uint(w, e, w->flags);
	case H_BIT:
		w->flags |= e->bit;
		return 0;
	case H_COUNT: {
		const uint8_t *q = val, *qend = val + len;
		struct ber_tlv y;
		unsigned n = 0;

		while (q < qend) {
			if (ber_next(&q, qend, &y) < 0)
				goto bad;
			n++;
		}
		return put_uint(w, e, n);
	}
	case H_FN:
		return e->fn(w, e, val, len);
	}
bad:
	map_fail(w, SW_E_MAP_BAD_PARAMETER);
	return -1;
}

/* Walk the elements in [p, end): each one is matched against tab, first match wins.
 * Unknown elements (extensions, fields we do not keep) are skipped; with strict, an element
 * that matches nothing is an error (the outer type of a parameter). */
static int walk(struct map_walk *w, const uint8_t *p, const uint8_t *end, const struct map_elem *tab,
		bool strict, unsigned depth)
{
	uint16_t seen[MAP_MAX_SEEN];
	unsigned n_seen = 0;
	int rc = 0;

	if (depth > MAP_MAX_DEPTH) {
		map_fail(w, SW_E_MAP_BAD_PARAMETER);
		return -1;
	}
	while (p < end) {
		const struct map_elem *e;
		const uint8_t *val;
		uint32_t len;
		uint16_t key;
		unsigned occ = 0;

		if (ber_is_short(p, end)) {
			/* the key straight from the identifier octet: no struct ber_tlv */
			key = MK_ID(p[0]);
			val = p + 2;
			len = p[1];
			p = val + len;
		} else {
			struct ber_tlv x;

			if (ber_next(&p, end, &x) < 0) {
				map_fail(w, SW_E_MAP_BAD_PARAMETER);
				rc = -1;
				break;
			}
			key = elem_key(&x);
			val = x.val;
			len = x.len;
		}
		for (e = tab; e->how != H_END; e++) {
			if (e->key != key)
				continue;
			if (e->nth) {
				/* position among the earlier elements with the same key */
				if (!occ) {
					occ = 1;
					for (unsigned i = 0; i < n_seen; i++)
						occ += seen[i] == key;
				}
				if (e->nth != occ)
					continue;
			}
			break;
		}
		if (n_seen < MAP_MAX_SEEN)
			seen[n_seen++] = key;
		if (e->how == H_END) {
			if (strict) {
				map_fail(w, SW_E_MAP_BAD_PARAMETER);
				rc = -1;
				break;
			}
			continue;
		}
		rc = apply(w, e, val, len, depth);
		if (rc < 0)
			break;
	}
	return rc;
}

void map_decode_shapes(const struct sw_tcap *t, struct sw_component *c, const uint8_t *p, uint32_t len,
		       const struct map_elem *shapes)
{
	struct map_walk w = { .t = t, .c = c };

	walk(&w, p, p + len, shapes, true, 1);
}

void map_decode_component(const struct sw_tcap *t, struct sw_component *c)
{
	const struct map_op *op;
	map_param_decoder_t dec = NULL;

	c->n_params = 0;
	c->err = 0;
	c->sm_dir = MAP_SM_NONE;
	/* a ReturnError keeps its error code; its parameter is not decoded */
	if (c->type == SW_COMP_ERROR || c->opcode < 0 || !c->param || !c->param_len)
		return;
	op = map_op_by_code(c->opcode);
	if (!op)
		return;
	if (c->type == SW_COMP_INVOKE)
		dec = op->decode_arg;
	else if (c->type == SW_COMP_RESULT_LAST || c->type == SW_COMP_RESULT)
		dec = op->decode_res;
	if (dec)
		dec(t, c, c->param, c->param_len);
	if (c->opcode == MAP_OP_MO_FORWARD_SM && c->type == SW_COMP_INVOKE && t->acn_version < 3)
		map_sm_direction_set(t, c);
}
