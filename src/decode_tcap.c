/* TCAP (ITU-T Q.773) message decoding: message type, transaction ids, the dialogue portion
 * (application context, MAP-OpenInfo), and the components up to their parameter, which
 * map_decode_component() decodes later. Zero copy: components point into the frame. */
#include <string.h>
#include <stddef.h>
#include <ss7watch/ber.h>
#include <ss7watch/tcap.h>
#include <ss7watch/map.h>

#define TCAP_ERR(e)	(-(int)SW_E_##e)

/* Q.773 tags, all [APPLICATION n] */
enum tcap_tag {
	TCAP_TAG_UNI = 1,
	TCAP_TAG_BEGIN = 2,
	TCAP_TAG_END = 4,
	TCAP_TAG_CONTINUE = 5,
	TCAP_TAG_ABORT = 7,
	TCAP_TAG_OTID = 8,
	TCAP_TAG_DTID = 9,
	TCAP_TAG_P_ABORT = 10,
	TCAP_TAG_DIALOGUE = 11,
	TCAP_TAG_COMPONENTS = 12,
};

/* [APPLICATION n] message tag -> type, and which transaction ids it must carry */
static const struct {
	uint8_t type;
	bool otid, dtid;
} tcap_msg_types[] = {
	[TCAP_TAG_UNI] = { SW_TCAP_UNIDIRECTIONAL, false, false },
	[TCAP_TAG_BEGIN] = { SW_TCAP_BEGIN, true, false },
	[TCAP_TAG_END] = { SW_TCAP_END, false, true },
	[TCAP_TAG_CONTINUE] = { SW_TCAP_CONTINUE, true, true },
	[TCAP_TAG_ABORT] = { SW_TCAP_ABORT, false, true },
};

static const char *const tcap_type_names[] = {
	[SW_TCAP_NONE] = "none",
	[SW_TCAP_UNIDIRECTIONAL] = "unidirectional",
	[SW_TCAP_BEGIN] = "begin",
	[SW_TCAP_END] = "end",
	[SW_TCAP_CONTINUE] = "continue",
	[SW_TCAP_ABORT] = "abort",
};

static const char *const comp_type_names[] = {
	[SW_COMP_NONE] = "none",
	[SW_COMP_INVOKE] = "invoke",
	[SW_COMP_RESULT_LAST] = "returnResultLast",
	[SW_COMP_ERROR] = "returnError",
	[SW_COMP_REJECT] = "reject",
	[SW_COMP_RESULT] = "returnResult",
};

/* identifier octets of the elements read by ber_expect() */
#define ID_INTEGER	BER_ID(BER_UNIVERSAL, false, 2)
#define ID_OID		BER_ID(BER_UNIVERSAL, false, 6)
#define ID_EXTERNAL	BER_ID(BER_UNIVERSAL, true, 8)
#define ID_SEQUENCE	BER_ID(BER_UNIVERSAL, true, 16)
#define ID_APP(tag)	BER_ID(BER_APPLICATION, false, tag)
#define ID_CTX(tag)	BER_ID(BER_CONTEXT, false, tag)
#define ID_CTXC(tag)	BER_ID(BER_CONTEXT, true, tag)

/* Q.773 dialogue-as-id { 0 0 17 773 1 1 1 } and uniDialogue-as-id { 0 0 17 773 1 2 1 } */
static const uint8_t oid_dialogue_as_id[] = { 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01 };
static const uint8_t oid_unidialogue_as_id[] = { 0x00, 0x11, 0x86, 0x05, 0x01, 0x02, 0x01 };
/* TS 29.002 map-DialogueAS { 0 4 0 0 1 1 1 1 } */
static const uint8_t oid_map_dialogue_as[] = { 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01 };

const char *tcap_type_name(enum sw_tcap_type t)
{
	if ((unsigned)t < sizeof(tcap_type_names) / sizeof(tcap_type_names[0]))
		return tcap_type_names[t];
	return "unknown";
}

const char *tcap_comp_type_name(enum sw_comp_type t)
{
	if ((unsigned)t < sizeof(comp_type_names) / sizeof(comp_type_names[0]) && comp_type_names[t])
		return comp_type_names[t];
	return "unknown";
}

static inline bool is(const struct ber_tlv *x, uint8_t cls, bool constructed, uint32_t tag)
{
	return x->cls == cls && x->constructed == constructed && x->tag == tag;
}

static inline bool oid_eq(const struct ber_tlv *x, const uint8_t *oid, unsigned len)
{
	return is(x, BER_UNIVERSAL, false, 6) && x->len == len && !memcmp(x->val, oid, len);
}

/* a transaction id of 1..4 octets */
static void set_tid(struct sw_tid *tid, const uint8_t *val, uint32_t len)
{
	tid->len = len;
	/* a constant-size copy for the 4 octets every stack we have seen sends */
	if (len == sizeof(tid->b))
		memcpy(tid->b, val, sizeof(tid->b));
	else
		memcpy(tid->b, val, len);
}

static int decode_tid(struct sw_tid *tid, uint8_t id, const uint8_t *val, uint32_t len)
{
	if (BER_ID_CONSTRUCTED(id) || len < 1 || len > 4)
		return TCAP_ERR(TCAP_BAD_TID);
	set_tid(tid, val, len);
	return 0;
}

/* The transaction id [APPLICATION 8 or 9] at *p, read without the general reader when it is
 * in its usual form and valid; false (nothing consumed) otherwise. */
static inline bool tid_short(const uint8_t **p, const uint8_t *end, uint8_t id, struct sw_tid *tid)
{
	const uint8_t *q = *p, *val;
	uint32_t len;

	if (!ber_expect(&q, end, id, &val, &len) || len < 1 || len > sizeof(tid->b))
		return false;
	set_tid(tid, val, len);
	*p = q;
	return true;
}

/* AddressString of MAP-OpenInfo: the TON/NPI octet, then TBCD digits */
static void decode_open_ref(struct sw_number *n, const struct ber_tlv *x)
{
	if (x->constructed || x->len < 1 || x->len > 255)
		return;
	n->has_ton_npi = true;
	n->ton_npi = x->val[0];
	n->tbcd = x->val + 1;
	n->len = x->len - 1;
}

/* user-information [30]: EXTERNAL { map-DialogueAS, [0] MAP-DialoguePDU }. Only map-open
 * carries what we keep (destination and origination reference). */
static int decode_user_info(struct sw_tcap *t, const uint8_t *p, const uint8_t *end)
{
	struct ber_tlv ext, x, pdu, ref;
	const uint8_t *q, *r;
	bool map_as = false;

	while (p < end) {
		if (ber_next(&p, end, &ext) < 0)
			return TCAP_ERR(TCAP_BAD_DIALOGUE);
		if (!is(&ext, BER_UNIVERSAL, true, 8))
			continue;
		for (q = ext.val; q < ext.val + ext.len;) {
			if (ber_next(&q, ext.val + ext.len, &x) < 0)
				return TCAP_ERR(TCAP_BAD_DIALOGUE);
			if (x.cls == BER_UNIVERSAL && x.tag == 6) {
				map_as = oid_eq(&x, oid_map_dialogue_as, sizeof(oid_map_dialogue_as));
				continue;
			}
			/* single-ASN1-type [0] holding MAP-DialoguePDU; map-open is [0] */
			if (!map_as || !is(&x, BER_CONTEXT, true, 0))
				continue;
			if (ber_read(x.val, x.val + x.len, &pdu) < 0)
				return TCAP_ERR(TCAP_BAD_DIALOGUE);
			if (!is(&pdu, BER_CONTEXT, true, 0))
				continue;
			for (r = pdu.val; r < pdu.val + pdu.len;) {
				if (ber_next(&r, pdu.val + pdu.len, &ref) < 0)
					return TCAP_ERR(TCAP_BAD_DIALOGUE);
				if (is(&ref, BER_CONTEXT, false, 0))
					decode_open_ref(&t->dest_ref, &ref);
				else if (is(&ref, BER_CONTEXT, false, 1))
					decode_open_ref(&t->orig_ref, &ref);
			}
		}
	}
	return 0;
}

/* application-context-name: the OID content octets */
static void set_acn(struct sw_tcap *t, const uint8_t *oid, uint32_t len)
{
	/* longer OIDs are not MAP ACs: keep what fits, map_acn_lookup() says no */
	t->acn_len = len < sizeof(t->acn) ? len : sizeof(t->acn);
	/* a constant-size copy for the 7 octets of every MAP AC */
	if (len == MAP_ACN_LEN)
		memcpy(t->acn, oid, MAP_ACN_LEN);
	else
		memcpy(t->acn, oid, t->acn_len);
}

/* Dialogue PDU tags, [APPLICATION n] */
enum tcap_dlg_tag {
	TCAP_DLG_AARQ = 0,	/* and AUDT, in a unidirectional dialogue */
	TCAP_DLG_AARE = 1,
	TCAP_DLG_ABRT = 4,
};

/* AARQ, AARE, ABRT, AUDT (Q.773 dialogue PDUs): what each may carry is read by tag. */
static int decode_dialogue_pdu(struct sw_tcap *t, uint8_t id, const uint8_t *pdu, uint32_t pdu_len, bool uni)
{
	const uint8_t *p = pdu, *end = pdu + pdu_len;
	const uint8_t *q, *r, *val, *oid;
	uint8_t tag = BER_ID_TAG(id);
	uint32_t n, oid_len;
	struct ber_tlv x, y;
	int32_t v;

	if (BER_ID_CLS(id) != BER_APPLICATION || !BER_ID_CONSTRUCTED(id))
		return TCAP_ERR(TCAP_BAD_DIALOGUE);
	switch (tag) {
	case TCAP_DLG_AARQ:
		t->dialogue = uni ? SW_DLG_AUDT : SW_DLG_AARQ;
		break;
	case TCAP_DLG_AARE:
		t->dialogue = SW_DLG_AARE;
		break;
	case TCAP_DLG_ABRT:
		t->dialogue = SW_DLG_ABRT;
		t->u_abort = true;
		break;
	default:
		return TCAP_ERR(TCAP_BAD_DIALOGUE);
	}

	/* The leading elements as every AARQ and AARE has them (protocol-version, the
	 * application-context-name [1] { OID }, the AARE result [2] { INTEGER 0..127 }) are read
	 * here without the general reader; each is consumed only when whole and valid, with
	 * what the loop below would do with it, and the loop reads whatever is left. */
	ber_expect(&p, end, ID_CTX(0), &val, &n);	/* skipped, as the loop does */
	q = p;
	if (tag != TCAP_DLG_ABRT && ber_expect(&q, end, ID_CTXC(1), &val, &n) &&
	    (r = val, ber_expect(&r, val + n, ID_OID, &oid, &oid_len))) {
		set_acn(t, oid, oid_len);
		p = q;
	}
	q = p;
	if (tag == TCAP_DLG_AARE && ber_expect(&q, end, ID_CTXC(2), &val, &n) &&
	    (r = val, ber_expect(&r, val + n, ID_INTEGER, &val, &n)) && n == 1 && val[0] < 0x80) {
		t->aare_result = val[0];
		p = q;
	}

	while (p < end) {
		if (ber_next(&p, end, &x) < 0)
			return TCAP_ERR(TCAP_BAD_DIALOGUE);
		if (x.cls != BER_CONTEXT || !x.constructed)
			continue;	/* protocol-version [0], abort-source [0] */
		switch (x.tag) {
		case 1:	/* application-context-name [1] { OID } */
			if (tag == TCAP_DLG_ABRT)
				break;
			if (ber_read(x.val, x.val + x.len, &y) < 0 || !is(&y, BER_UNIVERSAL, false, 6))
				return TCAP_ERR(TCAP_BAD_DIALOGUE);
			set_acn(t, y.val, y.len);
			break;
		case 2:	/* AARE result [2] { INTEGER } */
			if (tag != TCAP_DLG_AARE)
				break;
			if (ber_read(x.val, x.val + x.len, &y) < 0 || !is(&y, BER_UNIVERSAL, false, 2) ||
			    ber_int(&y, &v) < 0 || v < 0 || v > 127)
				return TCAP_ERR(TCAP_BAD_DIALOGUE);
			t->aare_result = v;
			break;
		case 30: /* user-information */
			{
				int rc = decode_user_info(t, x.val, x.val + x.len);

				if (rc < 0)
					return rc;
			}
			break;
		}
	}
	return 0;
}

/* single-ASN1-type [0] of the dialogue EXTERNAL: the dialogue PDU */
static int decode_single_asn1(struct sw_tcap *t, const uint8_t *val, uint32_t len, bool uni)
{
	const uint8_t *q = val, *pdu;
	uint32_t pdu_len;
	uint8_t id;

	if (ber_next_id(&q, val + len, &id, &pdu, &pdu_len) < 0)
		return TCAP_ERR(TCAP_BAD_DIALOGUE);
	return decode_dialogue_pdu(t, id, pdu, pdu_len, uni || t->type == SW_TCAP_UNIDIRECTIONAL);
}

/* dialogue portion [APPLICATION 11]: EXTERNAL { OID, single-ASN1-type [0] dialogue PDU } */
static int decode_dialogue(struct sw_tcap *t, uint8_t id, const uint8_t *dp, uint32_t dp_len)
{
	const uint8_t *p, *end, *q, *val, *oid;
	uint32_t n, oid_len;
	struct ber_tlv ext, x;
	bool known_as = false, uni = false;

	if (!BER_ID_CONSTRUCTED(id))
		return TCAP_ERR(TCAP_BAD_DIALOGUE);
	/* What every stack sends, EXTERNAL { dialogue-as-id, [0] { PDU } }, is read without the
	 * general reader; any other shape is read by the walk below from the start. */
	p = dp;
	if (ber_expect(&p, dp + dp_len, ID_EXTERNAL, &val, &n)) {
		q = val;
		end = val + n;
		if (ber_expect(&q, end, ID_OID, &oid, &oid_len) && oid_len == sizeof(oid_dialogue_as_id) &&
		    !memcmp(oid, oid_dialogue_as_id, sizeof(oid_dialogue_as_id)) &&
		    ber_expect(&q, end, ID_CTXC(0), &val, &n))
			return decode_single_asn1(t, val, n, false);
	}

	if (ber_read(dp, dp + dp_len, &ext) < 0 || !is(&ext, BER_UNIVERSAL, true, 8))
		return TCAP_ERR(TCAP_BAD_DIALOGUE);
	for (p = ext.val, end = ext.val + ext.len; p < end;) {
		if (ber_next(&p, end, &x) < 0)
			return TCAP_ERR(TCAP_BAD_DIALOGUE);
		if (x.cls == BER_UNIVERSAL && x.tag == 6) {
			if (oid_eq(&x, oid_dialogue_as_id, sizeof(oid_dialogue_as_id))) {
				known_as = true;
			} else if (oid_eq(&x, oid_unidialogue_as_id, sizeof(oid_unidialogue_as_id))) {
				known_as = true;
				uni = true;
			}
			continue;
		}
		if (!is(&x, BER_CONTEXT, true, 0))
			continue;	/* indirect-reference, octet-aligned, arbitrary */
		if (!known_as)
			return TCAP_ERR(TCAP_BAD_DIALOGUE);
		return decode_single_asn1(t, x.val, x.len, uni);
	}
	return 0;
}

static void comp_init(struct sw_component *c, uint8_t type)
{
	/* not memset: params[] is large and is read only up to n_params */
	memset(c, 0, offsetof(struct sw_component, params));
	c->type = type;
	c->opcode = -1;
	c->error = -1;
	c->reject_type = -1;
}

/* invokeID: INTEGER (Q.773 -128..127; anything that fits int16 is kept) */
static int read_invoke_id(const struct ber_tlv *x, int16_t *out)
{
	int32_t v;

	if (!is(x, BER_UNIVERSAL, false, 2) || ber_int(x, &v) < 0 || v < INT16_MIN || v > INT16_MAX)
		return -1;
	*out = v;
	return 0;
}

/* The one-octet INTEGER every stack sends as invoke id (sign-extended, with sign) or as
 * local operation or error code (0..127, without), read without the general reader; false
 * (nothing consumed) for any other form, which read_invoke_id() and read_code() take. */
static inline bool short_int(const uint8_t **p, const uint8_t *end, bool sign, int16_t *out)
{
	const uint8_t *q = *p, *val;
	uint32_t len;

	if (!ber_expect(&q, end, ID_INTEGER, &val, &len) || len != 1 || (!sign && val[0] >= 0x80))
		return false;
	*out = (int8_t)val[0];
	*p = q;
	return true;
}

/* Operation or error code: local INTEGER, or global OBJECT IDENTIFIER. */
static int read_code(struct sw_component *c, const struct ber_tlv *x, int16_t *out)
{
	int32_t v;

	if (is(x, BER_UNIVERSAL, false, 6)) {
		c->opcode_global = true;
		return 0;
	}
	if (!is(x, BER_UNIVERSAL, false, 2) || ber_int(x, &v) < 0 || v < 0 || v > INT16_MAX)
		return -1;
	*out = v;
	return 0;
}

/* The parameter: whatever single TLV follows; kept whole (tag included) for MAP. */
static int read_param(struct sw_component *c, const uint8_t **p, const uint8_t *end)
{
	struct ber_tlv x;
	const uint8_t *start = *p;

	if (start >= end)
		return 0;
	/* only its extent matters here: the short form straight from its length octet */
	if (ber_is_short(start, end))
		*p = start + 2 + start[1];
	else if (ber_next(p, end, &x) < 0)
		return -1;
	c->param = start;
	c->param_len = *p - start;
	return 0;
}

static int decode_component(struct sw_component *c, uint8_t id, const uint8_t *cv, uint32_t cv_len)
{
	const uint8_t *p = cv, *end = cv + cv_len;
	const uint8_t *q, *val;
	uint32_t len;
	struct ber_tlv x, y;
	int32_t v;

	if (BER_ID_CLS(id) != BER_CONTEXT || !BER_ID_CONSTRUCTED(id))
		return -1;
	switch (BER_ID_TAG(id)) {
	case SW_COMP_INVOKE:
	case SW_COMP_RESULT_LAST:
	case SW_COMP_ERROR:
	case SW_COMP_REJECT:
	case SW_COMP_RESULT:
		comp_init(c, BER_ID_TAG(id));
		break;
	default:
		return -1;
	}

	if (short_int(&p, end, true, &c->invoke_id)) {
		c->has_invoke_id = true;
	} else if (ber_next(&p, end, &x) < 0) {
		return -1;
	} else if (c->type == SW_COMP_REJECT && is(&x, BER_UNIVERSAL, false, 5)) {
		/* invokeID NULL: the rejected component's id was not derivable */
	} else if (read_invoke_id(&x, &c->invoke_id) < 0) {
		return -1;
	} else {
		c->has_invoke_id = true;
	}

	switch (c->type) {
	case SW_COMP_INVOKE:
		if (short_int(&p, end, false, &c->opcode))
			return read_param(c, &p, end);
		if (ber_next(&p, end, &x) < 0)
			return -1;
		if (is(&x, BER_CONTEXT, false, 0)) {
			/* linkedID [0] IMPLICIT InvokeIdType */
			if (ber_int(&x, &v) < 0 || v < INT16_MIN || v > INT16_MAX)
				return -1;
			c->linked_id = v;
			c->has_linked_id = true;
			if (ber_next(&p, end, &x) < 0)
				return -1;
		}
		if (read_code(c, &x, &c->opcode) < 0)
			return -1;
		return read_param(c, &p, end);
	case SW_COMP_RESULT_LAST:
	case SW_COMP_RESULT:
		if (p >= end)
			return 0;
		q = p;
		if (ber_expect(&q, end, ID_SEQUENCE, &val, &len) &&
		    (q = val, short_int(&q, val + len, false, &c->opcode)))
			return read_param(c, &q, val + len);
		if (ber_next(&p, end, &x) < 0 || !is(&x, BER_UNIVERSAL, true, 16))
			return -1;
		p = x.val;
		end = x.val + x.len;
		if (ber_next(&p, end, &y) < 0 || read_code(c, &y, &c->opcode) < 0)
			return -1;
		return read_param(c, &p, end);
	case SW_COMP_ERROR:
		if (short_int(&p, end, false, &c->error))
			return read_param(c, &p, end);
		if (ber_next(&p, end, &x) < 0 || read_code(c, &x, &c->error) < 0)
			return -1;
		return read_param(c, &p, end);
	case SW_COMP_REJECT:
		/* problem: general [0], invoke [1], returnResult [2], returnError [3] */
		if (ber_next(&p, end, &x) < 0 || x.cls != BER_CONTEXT || x.constructed || x.tag > 3 ||
		    x.len < 1 || x.len > 2)
			return -1;
		c->reject_type = x.tag;
		c->reject_problem = x.val[x.len - 1];
		return 0;
	}
	return -1;
}

static int decode_components(struct sw_tcap *t, uint8_t id, const uint8_t *cp, uint32_t cp_len)
{
	const uint8_t *p = cp, *end = cp + cp_len, *val;
	uint32_t len;
	int rc;

	if (!BER_ID_CONSTRUCTED(id))
		return TCAP_ERR(TCAP_BAD_COMPONENT);
	while (p < end) {
		rc = ber_next_id(&p, end, &id, &val, &len);
		if (rc < 0)
			return rc;
		if (t->n_comp >= SW_MAX_COMPONENTS)
			return TCAP_ERR(TCAP_TOO_MANY_COMPONENTS);
		if (decode_component(&t->comp[t->n_comp], id, val, len) < 0)
			return TCAP_ERR(TCAP_BAD_COMPONENT);
		t->n_comp++;
	}
	return 0;
}

int tcap_decode(struct sw_tcap *t, const uint8_t *data, uint32_t len)
{
	const uint8_t *p, *end, *val;
	struct ber_tlv msg;
	int rc, first_err = 0;
	uint32_t n;
	int32_t cause;
	uint8_t id;

	memset(t, 0, offsetof(struct sw_tcap, comp));
	t->acn_version = -1;
	t->aare_result = -1;
	t->p_abort_cause = -1;

	if (!data)
		return TCAP_ERR(BER_TRUNCATED);
	rc = ber_read(data, data + len, &msg);
	if (rc < 0)
		return rc;
	if (msg.cls != BER_APPLICATION || !msg.constructed ||
	    msg.tag >= sizeof(tcap_msg_types) / sizeof(tcap_msg_types[0]) || !tcap_msg_types[msg.tag].type)
		return TCAP_ERR(TCAP_UNKNOWN_TYPE);
	t->type = tcap_msg_types[msg.tag].type;

	/* the transaction ids where and as every stack puts them, first; the loop reads the
	 * rest, and the ids in any other form or place */
	p = msg.val;
	end = msg.val + msg.len;
	tid_short(&p, end, ID_APP(TCAP_TAG_OTID), &t->otid);
	tid_short(&p, end, ID_APP(TCAP_TAG_DTID), &t->dtid);
	while (p < end) {
		rc = ber_next_id(&p, end, &id, &val, &n);
		if (rc < 0)
			return rc;
		if (BER_ID_CLS(id) != BER_APPLICATION)
			continue;	/* not Q.773: skip it, as a tolerant receiver does */
		switch (BER_ID_TAG(id)) {
		case TCAP_TAG_OTID:
			rc = decode_tid(&t->otid, id, val, n);
			break;
		case TCAP_TAG_DTID:
			rc = decode_tid(&t->dtid, id, val, n);
			break;
		case TCAP_TAG_P_ABORT:
			if (BER_ID_CONSTRUCTED(id) || ber_int(&(struct ber_tlv){ .val = val, .len = n }, &cause) < 0 ||
			    cause < 0 || cause > INT16_MAX)
				rc = TCAP_ERR(TCAP_BAD_DIALOGUE);
			else
				t->p_abort_cause = cause;
			break;
		case TCAP_TAG_DIALOGUE:
			if (t->type == SW_TCAP_ABORT)
				t->u_abort = true;
			rc = decode_dialogue(t, id, val, n);
			break;
		case TCAP_TAG_COMPONENTS:
			rc = decode_components(t, id, val, n);
			break;
		default:
			rc = 0;
			break;
		}
		/* BER structure errors end the walk; a bad field is remembered and the rest read */
		if (rc < 0 && !first_err)
			first_err = rc;
		if (rc == TCAP_ERR(BER_TRUNCATED) || rc == TCAP_ERR(BER_BAD_LENGTH) ||
		    rc == TCAP_ERR(BER_TOO_DEEP) || rc == TCAP_ERR(BER_TAG_TOO_LONG))
			return rc;
	}

	if (t->acn_len) {
		int ver = -1;

		t->acn_info = map_acn_lookup(t->acn, t->acn_len, &ver);
		if (t->acn_info)
			t->acn_version = ver;
	}
	if (first_err)
		return first_err;
	if ((tcap_msg_types[msg.tag].otid && !t->otid.len) || (tcap_msg_types[msg.tag].dtid && !t->dtid.len))
		return TCAP_ERR(TCAP_MISSING_TID);
	return 0;
}
