/* Names of counters and decode errors, from the tables in counters.h. */
#include <ss7watch/counters.h>

static const char *const err_layer[SW_E__COUNT] = {
	[SW_E_NONE] = "none",
#define X(e, layer, reason) [SW_E_##e] = layer,
	SW_ERRORS_LOWER(X)
	SW_ERRORS_UPPER(X)
#undef X
};

static const char *const err_reason[SW_E__COUNT] = {
	[SW_E_NONE] = "none",
#define X(e, layer, reason) [SW_E_##e] = reason,
	SW_ERRORS_LOWER(X)
	SW_ERRORS_UPPER(X)
#undef X
};

static const struct {
	const char *name;
	const char *desc;
} ctr_desc[SW_CTR__COUNT] = {
#define X(e, name, desc) [SW_CTR_##e] = { name, desc },
	SW_COUNTERS(X)
#undef X
};

const char *sw_err_layer(enum sw_err e)
{
	return (unsigned)e < SW_E__COUNT ? err_layer[e] : "unknown";
}

const char *sw_err_reason(enum sw_err e)
{
	return (unsigned)e < SW_E__COUNT ? err_reason[e] : "unknown";
}

const char *sw_ctr_name(enum sw_ctr c)
{
	return (unsigned)c < SW_CTR__COUNT ? ctr_desc[c].name : "unknown";
}

const char *sw_ctr_desc(enum sw_ctr c)
{
	return (unsigned)c < SW_CTR__COUNT ? ctr_desc[c].desc : "unknown";
}
