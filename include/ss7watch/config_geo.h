/*! \file config_geo.h
 *  Built-in geography: ITU-T E.164 country codes and E.212 mobile country codes mapped to
 *  ISO 3166 countries, each with a representative position (the capital) for travel-time
 *  checks. A country is a small integer (uint16_t): 0 is "unknown". */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/*! One country (or non-geographic ITU service, ISO user-assigned codes X*). */
struct geo_country {
	char iso[3];		/*!< ISO 3166-1 alpha-2, "" for index 0 */
	const char *name;
	float lat, lon;		/*!< degrees; meaningless when !has_position */
	bool has_position;	/*!< false for the non-geographic codes (800, 870, 881, 882 ...) */
};

/*! Number of entries of the country table, including index 0 (unknown). */
uint16_t geo_country_count(void);

/*! Country by index; index 0 and out-of-range indexes give the "unknown" entry. */
const struct geo_country *geo_country(uint16_t idx);

/*! ISO alpha-2 code of a country, "" when unknown. Never NULL. */
const char *geo_country_iso(uint16_t idx);

/*! Name of a country, "unknown" when unknown. Never NULL. */
const char *geo_country_name(uint16_t idx);

/*! Country by ISO alpha-2 code (case-insensitive). \returns 0 when unknown. */
uint16_t geo_country_by_iso(const char *iso);

/*! Country of an international E.164 number (digits only, no '+' or "00") by its country
 *  code, longest match; +1 is split by NANP area code for Canada and the Caribbean (the rest
 *  is US), +7 by 76/77 for Kazakhstan.
 *  \param[out] cc_len  if not NULL, the length of the E.164 country code matched (1..3),
 *                      0 when none.
 *  \returns the country, 0 when no assigned code matches. */
uint16_t geo_e164_country(const char *digits, unsigned *cc_len);

/*! Number of entries of the E.164 prefix table (country codes and the longer prefixes that
 *  split shared codes), for callers that build their own search structure (config_netmap.c). */
unsigned geo_e164_count(void);

/*! Entry i of the E.164 prefix table: its digits, and its country in *country. */
const char *geo_e164_prefix(unsigned i, uint16_t *country);

/*! Country of a mobile country code (E.212, 0..999). \returns 0 when not assigned. */
uint16_t geo_mcc_country(uint16_t mcc);

/*! Great-circle distance between the representative positions of two countries, in km.
 *  \returns 0 for the same country, -1 when either has no position. */
double geo_distance_km(uint16_t a, uint16_t b);

/*! Do two countries share a land border (a drive across it takes minutes)?
 *  \returns false for the same country or an unknown one. */
bool geo_neighbours(uint16_t a, uint16_t b);

/*! Great-circle distance between two positions in degrees, in km. */
double geo_distance_km_pos(double lat1, double lon1, double lat2, double lon2);

/*! Consistency check of the built-in tables (sorted, no duplicates).
 *  \returns 0, or -1 with a reason in err. */
int geo_check_tables(char *err, unsigned errlen);
