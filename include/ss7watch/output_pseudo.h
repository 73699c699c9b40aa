/*! \file output_pseudo.h
 *  Pseudonymisation of the subscriber identities in an alert: each IMSI, MSISDN or IMEI
 *  becomes "hmac:" + the first 16 bytes of HMAC-SHA256(key, digits) in hex, with a key only
 *  the operator knows (Nettle's HMAC-SHA256). doc/alert-schema.md says which values. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <nettle/hmac.h>

#define SW_PSEUDO_MAC_LEN	SHA256_DIGEST_SIZE
/*! "hmac:" + 32 hex digits + NUL. */
#define SW_PSEUDO_LEN		(5 + 32 + 1)

/*! An HMAC-SHA256 key, set once: the key's inner and outer blocks are hashed by
 *  sw_pseudo_key_set(), and every MAC starts from a copy of the keyed context. */
struct sw_pseudo_key {
	struct hmac_sha256_ctx keyed;
};

/*! Set the key (any length: keys longer than a block are hashed first, RFC 2104). */
void sw_pseudo_key_set(struct sw_pseudo_key *k, const void *key, size_t key_len);

/*! Forget the key (wipe the keyed context). */
void sw_pseudo_key_wipe(struct sw_pseudo_key *k);

/*! HMAC-SHA256 of data under k; k is not changed. */
void sw_pseudo_mac(const struct sw_pseudo_key *k, const void *data, size_t len,
		   uint8_t mac[SW_PSEUDO_MAC_LEN]);

/*! The pseudonym of a digit string under k: "hmac:" + 32 hex digits (the first 16 bytes of
 *  HMAC-SHA256(key, digits)). buf needs SW_PSEUDO_LEN bytes. */
void sw_pseudonym(char *buf, const struct sw_pseudo_key *k, const char *digits);

/*! Replace, everywhere in the alert object eve, the values that identify a subscriber or a
 *  handset by their pseudonyms: the values of identity keys (imsi, msisdn, imei, tmsi, lmsi,
 *  roaming_number, hlr_id_imsi, the MAP dialogue references), SCCP GTs built from an IMSI
 *  (E.212/E.214), and any other string equal to one of those identities or to imsi / msisdn
 *  (the subscriber the rule looked at; "" when unknown). Unless keep_location, say where the
 *  handset is no finer than its network: cell_global_id and location_area_id keep mcc and mnc
 *  only, a location_estimate becomes "withheld". */
void sw_pseudo_json(const struct sw_pseudo_key *k, json_t *eve, const char *imsi, const char *msisdn,
		    bool keep_location);
