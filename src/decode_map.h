/* Internal to the MAP decoder: the table-driven walker and the per-operation decoders that
 * decode_map_ops.c puts in its operation table. Not installed. */
#pragma once
#include <stdint.h>
#include <ss7watch/ber.h>
#include <ss7watch/map.h>

/* Key of one BER element: class, constructed bit and tag number, as one integer. */
#define MK(cls, cons, tag)	((uint16_t)(((cls) << 14) | ((cons) << 13) | (tag)))
/* The key of an element whose tag fits its identifier octet id: MK() of its fields. */
#define MK_ID(id)	((uint16_t)(((id) & 0xe0) << 8 | ((id) & 0x1f)))
#define UNI(t)		MK(BER_UNIVERSAL, 0, t)
#define UNIC(t)		MK(BER_UNIVERSAL, 1, t)
#define CTX(t)		MK(BER_CONTEXT, 0, t)
#define CTXC(t)		MK(BER_CONTEXT, 1, t)
#define K_INTEGER	UNI(2)
#define K_BITS		UNI(3)
#define K_OCTETS	UNI(4)
#define K_NULL		UNI(5)
#define K_ENUM		UNI(10)
#define K_SEQ		UNIC(16)

/* What to do with an element whose key matches. */
enum map_how {
	H_END = 0,	/* ends a table */
	H_VAL,		/* a field pointing at the value octets (TBCD, address, hex, CGI, USSD) */
	H_OCTET,	/* u = the first value octet (SS-Code, USSD DCS, SS-Status) */
	H_UINT,		/* u = INTEGER or ENUMERATED */
	H_BOOL,		/* u = BOOLEAN */
	H_ENUM,		/* s = name of an ENUMERATED value */
	H_STR,		/* s = a fixed name (alternatives of a CHOICE of NULLs) */
	H_SUB,		/* constructed: walk the sub table over its content */
	H_FLAGS,	/* constructed: walk a table of H_BIT, add one MV_FLAGS field */
	H_BIT,		/* inside H_FLAGS: set bit */
	H_COUNT,	/* constructed: u = number of elements inside (e.g. vectors) */
	H_FN,		/* a decoder of its own */
};

struct map_walk;
struct map_elem;

typedef int (*map_elem_fn_t)(struct map_walk *w, const struct map_elem *e, const uint8_t *val, uint32_t len);

struct map_names {
	uint8_t n;
	const char *const *names;
};

/*! One possible element of a SEQUENCE / SET / CHOICE. */
struct map_elem {
	uint16_t key;
	uint8_t nth;		/* 0 any, else only the nth (1-based) element with this key */
	uint8_t how;		/* enum map_how */
	uint8_t field;		/* enum map_field */
	union {
		const struct map_elem *sub;
		const struct map_names *names;
		const char *str;
		uint32_t bit;
		map_elem_fn_t fn;
	};
};

#define E_VAL(k, f)		{ .key = (k), .how = H_VAL, .field = MF_##f }
#define E_VALN(k, n, f)		{ .key = (k), .nth = (n), .how = H_VAL, .field = MF_##f }
#define E_OCTET(k, f)		{ .key = (k), .how = H_OCTET, .field = MF_##f }
#define E_OCTETN(k, n, f)	{ .key = (k), .nth = (n), .how = H_OCTET, .field = MF_##f }
#define E_UINTN(k, n, f)	{ .key = (k), .nth = (n), .how = H_UINT, .field = MF_##f }
#define E_UINT(k, f)		{ .key = (k), .how = H_UINT, .field = MF_##f }
#define E_BOOL(k, f)		{ .key = (k), .how = H_BOOL, .field = MF_##f }
#define E_ENUM(k, f, tab)	{ .key = (k), .how = H_ENUM, .field = MF_##f, .names = &(tab) }
#define E_STR(k, f, s)		{ .key = (k), .how = H_STR, .field = MF_##f, .str = (s) }
#define E_SUB(k, tab)		{ .key = (k), .how = H_SUB, .sub = (tab) }
#define E_SUBN(k, n, tab)	{ .key = (k), .nth = (n), .how = H_SUB, .sub = (tab) }
#define E_FLAGS(k, f, tab)	{ .key = (k), .how = H_FLAGS, .field = MF_##f, .sub = (tab) }
#define E_BIT(k, b)		{ .key = (k), .how = H_BIT, .bit = (b) }
#define E_COUNT(k, f)		{ .key = (k), .how = H_COUNT, .field = MF_##f }
#define E_FN(k, f)		{ .key = (k), .how = H_FN, .fn = (f) }
#define E_FNN(k, n, f)		{ .key = (k), .nth = (n), .how = H_FN, .fn = (f) }
#define E_END			{ .how = H_END }

#define MAP_NAMES(var, ...) \
	static const char *const var##_v[] = { __VA_ARGS__ }; \
	static const struct map_names var = { sizeof(var##_v) / sizeof(var##_v[0]), var##_v }

/*! State of the decode of one component. */
struct map_walk {
	const struct sw_tcap *t;
	struct sw_component *c;
	uint32_t flags;		/* bits being collected by H_FLAGS */
};

/*! Add a param of field f to the component; NULL (and c->err set) when it is full. */
struct map_param *map_add_param(struct map_walk *w, enum map_field f);

/*! Decode a parameter whose outer TLV must match one entry of shapes (the alternatives of
 *  the argument or result type across MAP versions). */
void map_decode_shapes(const struct sw_tcap *t, struct sw_component *c, const uint8_t *p, uint32_t len,
		       const struct map_elem *shapes);

#define MAP_DECODER(name, shapes) \
	void name(const struct sw_tcap *t, struct sw_component *c, const uint8_t *p, uint32_t len) \
	{ \
		map_decode_shapes(t, c, p, len, shapes); \
	}

/* CAMEL subscription data (decode_map_camel.c) */
/*! O-CSI, T-CSI, VT-CSI: the TDP data list with the gsmSCF address of each trigger. */
extern const struct map_elem map_camel_bcsm_csi[];
/*! D-CSI. */
extern const struct map_elem map_camel_d_csi[];
/*! VlrCamelSubscriptionInfo of insertSubscriberData. */
extern const struct map_elem map_camel_vlr[];
/*! SGSN-CAMEL-SubscriptionInfo of insertSubscriberData. */
extern const struct map_elem map_camel_sgsn[];

#define MAP_DECODERS(X) \
	X(map_dec_ul_arg) X(map_dec_ul_res) X(map_dec_cl_arg) X(map_dec_prn_arg) X(map_dec_prn_res) \
	X(map_dec_nsdm_arg) X(map_dec_isd_arg) X(map_dec_dsd_arg) X(map_dec_register_ss_arg) \
	X(map_dec_ss_for_bs_arg) X(map_dec_ss_info_res) X(map_dec_interrogate_ss_res) X(map_dec_afr_arg) \
	X(map_dec_sri_arg) X(map_dec_sri_res) X(map_dec_ugl_arg) X(map_dec_ugl_res) \
	X(map_dec_sri_gprs_arg) X(map_dec_sri_gprs_res) X(map_dec_reset_arg) X(map_dec_check_imei_arg) \
	X(map_dec_check_imei_res) X(map_dec_mo_forward_sm_arg) X(map_dec_mt_forward_sm_arg) X(map_dec_sri_sm_arg) X(map_dec_sri_sm_res) \
	X(map_dec_report_sm_ds_arg) X(map_dec_trace_arg) X(map_dec_send_id_arg) X(map_dec_send_id_res) \
	X(map_dec_sai_arg) X(map_dec_sai_res) X(map_dec_restore_arg) X(map_dec_restore_res) \
	X(map_dec_send_imsi_arg) X(map_dec_send_imsi_res) X(map_dec_ussd_arg) X(map_dec_ussd_res) \
	X(map_dec_atsi_arg) X(map_dec_asc_arg) X(map_dec_atm_arg) X(map_dec_rfsm_arg) \
	X(map_dec_purge_arg) X(map_dec_purge_res) X(map_dec_psi_arg) X(map_dec_psi_res) \
	X(map_dec_ati_arg) X(map_dec_ssin_arg) X(map_dec_psl_arg) X(map_dec_psl_res) \
	X(map_dec_sri_lcs_arg) X(map_dec_sri_lcs_res) X(map_dec_slr_arg) X(map_dec_note_mm_arg)

#define X(name) void name(const struct sw_tcap *t, struct sw_component *c, const uint8_t *p, uint32_t len);
MAP_DECODERS(X)
#undef X

/*! A MAP v1/v2 forwardSM invoke (opcode 46 under no AC or an AC below version 3): set
 *  c->sm_dir from its SM-RP-DA / SM-RP-OA (decode_map_sms.c). */
void map_sm_direction_set(const struct sw_tcap *t, struct sw_component *c);
