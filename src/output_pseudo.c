/* Pseudonymisation of an alert object: every value that identifies a subscriber or a
 * handset becomes an HMAC-SHA256 token, so alerts can be shared (with a CERT, a vendor)
 * without the IMSIs and MSISDNs, yet one subscriber keeps one token across alerts. */
#include <stdbool.h>
#include <string.h>
#include <ss7watch/output_pseudo.h>
#include <ss7watch/alert.h>

#define MAX_IDENTITIES		16

void sw_pseudo_key_set(struct sw_pseudo_key *k, const void *key, size_t key_len)
{
	hmac_sha256_set_key(&k->keyed, key_len, key);
}

void sw_pseudo_key_wipe(struct sw_pseudo_key *k)
{
	explicit_bzero(k, sizeof(*k));
}

void sw_pseudo_mac(const struct sw_pseudo_key *k, const void *data, size_t len,
		   uint8_t mac[SW_PSEUDO_MAC_LEN])
{
	/* the key's blocks were hashed once: a copy of the keyed context is all a MAC costs */
	struct hmac_sha256_ctx ctx = k->keyed;

	hmac_sha256_update(&ctx, len, data);
	hmac_sha256_digest(&ctx, SW_PSEUDO_MAC_LEN, mac);
	explicit_bzero(&ctx, sizeof(ctx));
}

void sw_pseudonym(char *buf, const struct sw_pseudo_key *k, const char *digits)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t mac[SW_PSEUDO_MAC_LEN];

	sw_pseudo_mac(k, digits, strlen(digits), mac);
	memcpy(buf, "hmac:", 5);
	/* 128 bits: collisions are out of reach for any number of subscribers */
	for (unsigned i = 0; i < 16; i++) {
		buf[5 + 2 * i] = hex[mac[i] >> 4];
		buf[6 + 2 * i] = hex[mac[i] & 15];
	}
	buf[5 + 32] = '\0';
}

/* Keys whose string values identify a subscriber or a handset wherever they occur: the
 * MAP parameters (the temporary identities and the roaming number too: each names one
 * subscriber while it lasts), the MAP-OpenInfo references (an IMSI or MSISDN) and our own
 * subscriber object. */
static bool is_identity_key(const char *key)
{
	static const char *const keys[] = {
		"imsi", "msisdn", "imei", "tmsi", "lmsi", "roaming_number", "hlr_id_imsi",
		"destination_reference", "origination_reference",
	};

	if (!key)
		return false;
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

/* An SCCP GT of numbering plan E.212 (6) or E.214 (7) is built from an IMSI. */
static bool is_mobile_gt(const char *key, json_t *parent)
{
	json_int_t np;

	if (!key || strcmp(key, "gt") || !json_is_object(parent))
		return false;
	np = json_integer_value(json_object_get(parent, "np"));
	return np == 6 || np == 7;
}

struct identities {
	unsigned n;
	char v[MAX_IDENTITIES][SW_ALERT_NUM_LEN];
};

static void identity_add(struct identities *ids, const char *s)
{
	if (!s[0] || !strncmp(s, "hmac:", 5) || strlen(s) >= SW_ALERT_NUM_LEN)
		return;
	for (unsigned i = 0; i < ids->n; i++)
		if (!strcmp(ids->v[i], s))
			return;
	if (ids->n < MAX_IDENTITIES)
		strcpy(ids->v[ids->n++], s);
}

static bool identity_known(const struct identities *ids, const char *s)
{
	for (unsigned i = 0; i < ids->n; i++)
		if (!strcmp(ids->v[i], s))
			return true;
	return false;
}

/* First pass: every identity string of the object, to also catch it under other keys
 * (an SCCP called GT that is the target MSISDN, an evidence value). */
static void collect_identities(json_t *j, const char *key, struct identities *ids)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach(j, k, v)
			collect_identities(v, k, ids);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			collect_identities(v, key, ids);
	} else if (json_is_string(j) && is_identity_key(key)) {
		identity_add(ids, json_string_value(j));
	}
}

static void pseudonymise_value(json_t *parent_obj, const char *key, json_t *parent_arr, size_t idx,
			       json_t *j, const struct identities *ids, const struct sw_pseudo_key *k)
{
	char tok[SW_PSEUDO_LEN];
	const char *s = json_string_value(j);

	if (!s[0] || !strncmp(s, "hmac:", 5))
		return;
	if (!is_identity_key(key) && !is_mobile_gt(key, parent_obj) && !identity_known(ids, s))
		return;
	sw_pseudonym(tok, k, s);
	if (parent_arr)
		json_array_set_new(parent_arr, idx, json_string(tok));
	else
		json_object_set_new(parent_obj, key, json_string(tok));
}

/* Second pass: replace; key is the object key the value (or the array holding it) is under. */
static void pseudonymise(json_t *j, const char *key, json_t *parent_obj, const struct identities *ids,
			 const struct sw_pseudo_key *k)
{
	const char *ok;
	json_t *v;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach(j, ok, v) {
			if (json_is_string(v))
				pseudonymise_value(j, ok, NULL, 0, v, ids, k);
			else
				pseudonymise(v, ok, j, ids, k);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) {
			if (json_is_string(v))
				pseudonymise_value(parent_obj, key, j, i, v, ids, k);
			else
				pseudonymise(v, key, parent_obj, ids, k);
		}
	}
}

/* Where the handset is, no finer than its network: a cell or area id keeps its MCC and MNC,
 * the location estimate (a shape with coordinates) is withheld. */
static void reduce_location(json_t *j)
{
	static const char *const areas[] = { "cell_global_id", "location_area_id" };
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_object(j)) {
		for (i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
			json_t *a = json_object_get(j, areas[i]);

			if (json_is_object(a)) {
				json_object_del(a, "lac");
				json_object_del(a, "ci");
			} else if (a) {
				json_object_set_new(j, areas[i], json_string("withheld"));
			}
		}
		if (json_object_get(j, "location_estimate"))
			json_object_set_new(j, "location_estimate", json_string("withheld"));
		json_object_foreach(j, k, v)
			reduce_location(v);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			reduce_location(v);
	}
}

void sw_pseudo_json(const struct sw_pseudo_key *k, json_t *eve, const char *imsi, const char *msisdn,
		    bool keep_location)
{
	struct identities ids = { 0 };

	identity_add(&ids, imsi);
	identity_add(&ids, msisdn);
	collect_identities(eve, NULL, &ids);
	pseudonymise(eve, NULL, NULL, &ids, k);
	if (!keep_location)
		reduce_location(eve);
}
