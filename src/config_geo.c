/* Built-in geography (config_geo.h): the ISO 3166 countries with a representative position (the
 * capital, to 0.01 degree), every assigned ITU-T E.164 country code and every assigned
 * ITU-T E.212 mobile country code. Written from the ITU-T lists (E.164 "List of ITU-T
 * Recommendation E.164 assigned country codes", E.212 "Mobile Network Codes" annex),
 * cross-checked against public MCC and E.164 tables.
 *
 * Shared codes: +1 (NANP) is split by area code for Canada and the Caribbean and US
 * territories; every other NANP area code counts as the United States. +7 is Russia except
 * 76x/77x (Kazakhstan). +39 06 698 is the Vatican, +262 269/639 Mayotte, +599 3/4/7 the
 * Caribbean Netherlands, +672 1 Antarctica. +44 includes the Crown Dependencies, +47
 * Svalbard, +61 the Australian Indian Ocean territories, +590 Saint Barthelemy and Saint
 * Martin. The non-geographic codes (+800, +808, +870, +881, +882, +883, +888, +979, +991,
 * MCC 901/902) map to ISO user-assigned X* entries without a position. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <osmocom/core/utils.h>
#include <ss7watch/config_geo.h>

#define NOPOS	false
#define POS	true

/* X(ISO, name, latitude, longitude, has_position), sorted by ISO code */
#define GEO_COUNTRIES(X) \
	X(AD, "Andorra", 42.51, 1.52, POS) \
	X(AE, "United Arab Emirates", 24.45, 54.38, POS) \
	X(AF, "Afghanistan", 34.53, 69.17, POS) \
	X(AG, "Antigua and Barbuda", 17.12, -61.85, POS) \
	X(AI, "Anguilla", 18.22, -63.05, POS) \
	X(AL, "Albania", 41.33, 19.82, POS) \
	X(AM, "Armenia", 40.18, 44.51, POS) \
	X(AO, "Angola", -8.84, 13.23, POS) \
	X(AQ, "Antarctica", -77.85, 166.67, POS) \
	X(AR, "Argentina", -34.60, -58.38, POS) \
	X(AS, "American Samoa", -14.28, -170.70, POS) \
	X(AT, "Austria", 48.21, 16.37, POS) \
	X(AU, "Australia", -35.28, 149.13, POS) \
	X(AW, "Aruba", 12.52, -70.03, POS) \
	X(AZ, "Azerbaijan", 40.41, 49.87, POS) \
	X(BA, "Bosnia and Herzegovina", 43.86, 18.41, POS) \
	X(BB, "Barbados", 13.10, -59.62, POS) \
	X(BD, "Bangladesh", 23.81, 90.41, POS) \
	X(BE, "Belgium", 50.85, 4.35, POS) \
	X(BF, "Burkina Faso", 12.37, -1.52, POS) \
	X(BG, "Bulgaria", 42.70, 23.32, POS) \
	X(BH, "Bahrain", 26.23, 50.59, POS) \
	X(BI, "Burundi", -3.43, 29.92, POS) \
	X(BJ, "Benin", 6.50, 2.60, POS) \
	X(BM, "Bermuda", 32.29, -64.78, POS) \
	X(BN, "Brunei Darussalam", 4.90, 114.94, POS) \
	X(BO, "Bolivia", -16.50, -68.15, POS) \
	X(BQ, "Bonaire, Sint Eustatius and Saba", 12.15, -68.27, POS) \
	X(BR, "Brazil", -15.79, -47.88, POS) \
	X(BS, "Bahamas", 25.05, -77.35, POS) \
	X(BT, "Bhutan", 27.47, 89.64, POS) \
	X(BW, "Botswana", -24.65, 25.91, POS) \
	X(BY, "Belarus", 53.90, 27.56, POS) \
	X(BZ, "Belize", 17.25, -88.77, POS) \
	X(CA, "Canada", 45.42, -75.70, POS) \
	X(CD, "Democratic Republic of the Congo", -4.32, 15.31, POS) \
	X(CF, "Central African Republic", 4.39, 18.56, POS) \
	X(CG, "Congo", -4.26, 15.24, POS) \
	X(CH, "Switzerland", 46.95, 7.45, POS) \
	X(CI, "Cote d'Ivoire", 6.82, -5.28, POS) \
	X(CK, "Cook Islands", -21.21, -159.78, POS) \
	X(CL, "Chile", -33.45, -70.67, POS) \
	X(CM, "Cameroon", 3.87, 11.52, POS) \
	X(CN, "China", 39.90, 116.41, POS) \
	X(CO, "Colombia", 4.71, -74.07, POS) \
	X(CR, "Costa Rica", 9.93, -84.08, POS) \
	X(CU, "Cuba", 23.11, -82.37, POS) \
	X(CV, "Cabo Verde", 14.93, -23.51, POS) \
	X(CW, "Curacao", 12.12, -68.93, POS) \
	X(CY, "Cyprus", 35.17, 33.37, POS) \
	X(CZ, "Czechia", 50.08, 14.44, POS) \
	X(DE, "Germany", 52.52, 13.40, POS) \
	X(DJ, "Djibouti", 11.59, 43.15, POS) \
	X(DK, "Denmark", 55.68, 12.57, POS) \
	X(DM, "Dominica", 15.30, -61.39, POS) \
	X(DO, "Dominican Republic", 18.49, -69.93, POS) \
	X(DZ, "Algeria", 36.75, 3.06, POS) \
	X(EC, "Ecuador", -0.18, -78.47, POS) \
	X(EE, "Estonia", 59.44, 24.75, POS) \
	X(EG, "Egypt", 30.04, 31.24, POS) \
	X(ER, "Eritrea", 15.32, 38.93, POS) \
	X(ES, "Spain", 40.42, -3.70, POS) \
	X(ET, "Ethiopia", 9.03, 38.74, POS) \
	X(FI, "Finland", 60.17, 24.94, POS) \
	X(FJ, "Fiji", -18.14, 178.44, POS) \
	X(FK, "Falkland Islands", -51.70, -57.85, POS) \
	X(FM, "Micronesia", 6.92, 158.16, POS) \
	X(FO, "Faroe Islands", 62.01, -6.77, POS) \
	X(FR, "France", 48.86, 2.35, POS) \
	X(GA, "Gabon", 0.42, 9.47, POS) \
	X(GB, "United Kingdom", 51.51, -0.13, POS) \
	X(GD, "Grenada", 12.05, -61.75, POS) \
	X(GE, "Georgia", 41.72, 44.79, POS) \
	X(GF, "French Guiana", 4.94, -52.33, POS) \
	X(GH, "Ghana", 5.60, -0.19, POS) \
	X(GI, "Gibraltar", 36.14, -5.35, POS) \
	X(GL, "Greenland", 64.18, -51.72, POS) \
	X(GM, "Gambia", 13.45, -16.58, POS) \
	X(GN, "Guinea", 9.64, -13.58, POS) \
	X(GP, "Guadeloupe", 16.00, -61.73, POS) \
	X(GQ, "Equatorial Guinea", 3.75, 8.78, POS) \
	X(GR, "Greece", 37.98, 23.73, POS) \
	X(GT, "Guatemala", 14.63, -90.51, POS) \
	X(GU, "Guam", 13.47, 144.75, POS) \
	X(GW, "Guinea-Bissau", 11.86, -15.60, POS) \
	X(GY, "Guyana", 6.80, -58.16, POS) \
	X(HK, "Hong Kong", 22.32, 114.17, POS) \
	X(HN, "Honduras", 14.07, -87.19, POS) \
	X(HR, "Croatia", 45.81, 15.98, POS) \
	X(HT, "Haiti", 18.54, -72.34, POS) \
	X(HU, "Hungary", 47.50, 19.04, POS) \
	X(ID, "Indonesia", -6.21, 106.85, POS) \
	X(IE, "Ireland", 53.35, -6.26, POS) \
	X(IL, "Israel", 31.77, 35.21, POS) \
	X(IN, "India", 28.61, 77.21, POS) \
	X(IO, "British Indian Ocean Territory", -7.31, 72.41, POS) \
	X(IQ, "Iraq", 33.31, 44.36, POS) \
	X(IR, "Iran", 35.69, 51.39, POS) \
	X(IS, "Iceland", 64.15, -21.94, POS) \
	X(IT, "Italy", 41.90, 12.50, POS) \
	X(JM, "Jamaica", 18.02, -76.80, POS) \
	X(JO, "Jordan", 31.95, 35.93, POS) \
	X(JP, "Japan", 35.68, 139.69, POS) \
	X(KE, "Kenya", -1.29, 36.82, POS) \
	X(KG, "Kyrgyzstan", 42.87, 74.59, POS) \
	X(KH, "Cambodia", 11.56, 104.92, POS) \
	X(KI, "Kiribati", 1.45, 173.03, POS) \
	X(KM, "Comoros", -11.70, 43.26, POS) \
	X(KN, "Saint Kitts and Nevis", 17.30, -62.72, POS) \
	X(KP, "North Korea", 39.04, 125.76, POS) \
	X(KR, "South Korea", 37.57, 126.98, POS) \
	X(KW, "Kuwait", 29.38, 47.99, POS) \
	X(KY, "Cayman Islands", 19.29, -81.37, POS) \
	X(KZ, "Kazakhstan", 51.17, 71.45, POS) \
	X(LA, "Laos", 17.97, 102.63, POS) \
	X(LB, "Lebanon", 33.89, 35.50, POS) \
	X(LC, "Saint Lucia", 14.01, -60.99, POS) \
	X(LI, "Liechtenstein", 47.14, 9.52, POS) \
	X(LK, "Sri Lanka", 6.89, 79.92, POS) \
	X(LR, "Liberia", 6.30, -10.80, POS) \
	X(LS, "Lesotho", -29.31, 27.48, POS) \
	X(LT, "Lithuania", 54.69, 25.28, POS) \
	X(LU, "Luxembourg", 49.61, 6.13, POS) \
	X(LV, "Latvia", 56.95, 24.11, POS) \
	X(LY, "Libya", 32.89, 13.19, POS) \
	X(MA, "Morocco", 34.02, -6.83, POS) \
	X(MC, "Monaco", 43.74, 7.42, POS) \
	X(MD, "Moldova", 47.01, 28.86, POS) \
	X(ME, "Montenegro", 42.43, 19.26, POS) \
	X(MG, "Madagascar", -18.88, 47.51, POS) \
	X(MH, "Marshall Islands", 7.09, 171.38, POS) \
	X(MK, "North Macedonia", 42.00, 21.43, POS) \
	X(ML, "Mali", 12.64, -8.00, POS) \
	X(MM, "Myanmar", 19.76, 96.08, POS) \
	X(MN, "Mongolia", 47.89, 106.91, POS) \
	X(MO, "Macao", 22.20, 113.54, POS) \
	X(MP, "Northern Mariana Islands", 15.21, 145.75, POS) \
	X(MQ, "Martinique", 14.60, -61.07, POS) \
	X(MR, "Mauritania", 18.08, -15.98, POS) \
	X(MS, "Montserrat", 16.79, -62.21, POS) \
	X(MT, "Malta", 35.90, 14.51, POS) \
	X(MU, "Mauritius", -20.16, 57.50, POS) \
	X(MV, "Maldives", 4.18, 73.51, POS) \
	X(MW, "Malawi", -13.96, 33.79, POS) \
	X(MX, "Mexico", 19.43, -99.13, POS) \
	X(MY, "Malaysia", 3.14, 101.69, POS) \
	X(MZ, "Mozambique", -25.97, 32.57, POS) \
	X(NA, "Namibia", -22.56, 17.08, POS) \
	X(NC, "New Caledonia", -22.28, 166.46, POS) \
	X(NE, "Niger", 13.51, 2.11, POS) \
	X(NF, "Norfolk Island", -29.06, 167.96, POS) \
	X(NG, "Nigeria", 9.08, 7.40, POS) \
	X(NI, "Nicaragua", 12.11, -86.24, POS) \
	X(NL, "Netherlands", 52.37, 4.90, POS) \
	X(NO, "Norway", 59.91, 10.75, POS) \
	X(NP, "Nepal", 27.72, 85.32, POS) \
	X(NR, "Nauru", -0.55, 166.92, POS) \
	X(NU, "Niue", -19.06, -169.92, POS) \
	X(NZ, "New Zealand", -41.29, 174.78, POS) \
	X(OM, "Oman", 23.59, 58.41, POS) \
	X(PA, "Panama", 8.98, -79.52, POS) \
	X(PE, "Peru", -12.05, -77.04, POS) \
	X(PF, "French Polynesia", -17.54, -149.57, POS) \
	X(PG, "Papua New Guinea", -9.44, 147.18, POS) \
	X(PH, "Philippines", 14.60, 120.98, POS) \
	X(PK, "Pakistan", 33.68, 73.05, POS) \
	X(PL, "Poland", 52.23, 21.01, POS) \
	X(PM, "Saint Pierre and Miquelon", 46.78, -56.18, POS) \
	X(PR, "Puerto Rico", 18.47, -66.11, POS) \
	X(PS, "Palestine", 31.90, 35.20, POS) \
	X(PT, "Portugal", 38.72, -9.14, POS) \
	X(PW, "Palau", 7.50, 134.62, POS) \
	X(PY, "Paraguay", -25.26, -57.58, POS) \
	X(QA, "Qatar", 25.29, 51.53, POS) \
	X(RE, "Reunion", -20.88, 55.45, POS) \
	X(RO, "Romania", 44.43, 26.10, POS) \
	X(RS, "Serbia", 44.79, 20.45, POS) \
	X(RU, "Russian Federation", 55.76, 37.62, POS) \
	X(RW, "Rwanda", -1.95, 30.06, POS) \
	X(SA, "Saudi Arabia", 24.71, 46.68, POS) \
	X(SB, "Solomon Islands", -9.43, 159.95, POS) \
	X(SC, "Seychelles", -4.62, 55.45, POS) \
	X(SD, "Sudan", 15.50, 32.56, POS) \
	X(SE, "Sweden", 59.33, 18.07, POS) \
	X(SG, "Singapore", 1.35, 103.82, POS) \
	X(SH, "Saint Helena, Ascension and Tristan da Cunha", -15.92, -5.72, POS) \
	X(SI, "Slovenia", 46.06, 14.51, POS) \
	X(SK, "Slovakia", 48.15, 17.11, POS) \
	X(SL, "Sierra Leone", 8.48, -13.23, POS) \
	X(SM, "San Marino", 43.94, 12.45, POS) \
	X(SN, "Senegal", 14.72, -17.47, POS) \
	X(SO, "Somalia", 2.05, 45.32, POS) \
	X(SR, "Suriname", 5.85, -55.20, POS) \
	X(SS, "South Sudan", 4.85, 31.58, POS) \
	X(ST, "Sao Tome and Principe", 0.34, 6.73, POS) \
	X(SV, "El Salvador", 13.69, -89.22, POS) \
	X(SX, "Sint Maarten", 18.03, -63.05, POS) \
	X(SY, "Syria", 33.51, 36.29, POS) \
	X(SZ, "Eswatini", -26.32, 31.14, POS) \
	X(TC, "Turks and Caicos Islands", 21.46, -71.14, POS) \
	X(TD, "Chad", 12.13, 15.06, POS) \
	X(TG, "Togo", 6.13, 1.22, POS) \
	X(TH, "Thailand", 13.76, 100.50, POS) \
	X(TJ, "Tajikistan", 38.56, 68.79, POS) \
	X(TK, "Tokelau", -9.20, -171.85, POS) \
	X(TL, "Timor-Leste", -8.56, 125.56, POS) \
	X(TM, "Turkmenistan", 37.96, 58.33, POS) \
	X(TN, "Tunisia", 36.81, 10.18, POS) \
	X(TO, "Tonga", -21.14, -175.20, POS) \
	X(TR, "Turkey", 39.93, 32.86, POS) \
	X(TT, "Trinidad and Tobago", 10.65, -61.51, POS) \
	X(TV, "Tuvalu", -8.52, 179.20, POS) \
	X(TW, "Taiwan", 25.03, 121.57, POS) \
	X(TZ, "Tanzania", -6.16, 35.75, POS) \
	X(UA, "Ukraine", 50.45, 30.52, POS) \
	X(UG, "Uganda", 0.35, 32.58, POS) \
	X(US, "United States", 38.90, -77.04, POS) \
	X(UY, "Uruguay", -34.90, -56.16, POS) \
	X(UZ, "Uzbekistan", 41.30, 69.24, POS) \
	X(VA, "Holy See (Vatican City)", 41.90, 12.45, POS) \
	X(VC, "Saint Vincent and the Grenadines", 13.16, -61.23, POS) \
	X(VE, "Venezuela", 10.49, -66.88, POS) \
	X(VG, "British Virgin Islands", 18.43, -64.62, POS) \
	X(VI, "U.S. Virgin Islands", 18.34, -64.93, POS) \
	X(VN, "Viet Nam", 21.03, 105.85, POS) \
	X(VU, "Vanuatu", -17.73, 168.32, POS) \
	X(WF, "Wallis and Futuna", -13.28, -176.17, POS) \
	X(WS, "Samoa", -13.83, -171.76, POS) \
	X(XC, "International Shared Cost Service (+808)", 0, 0, NOPOS) \
	X(XD, "Telecommunications for Disaster Relief (+888)", 0, 0, NOPOS) \
	X(XF, "International Freephone Service (+800)", 0, 0, NOPOS) \
	X(XG, "Global Mobile Satellite System (+881)", 0, 0, NOPOS) \
	X(XI, "International Networks (+882, +883, MCC 901)", 0, 0, NOPOS) \
	X(XK, "Kosovo", 42.66, 21.17, POS) \
	X(XM, "Inmarsat (+870)", 0, 0, NOPOS) \
	X(XP, "International Premium Rate Service (+979)", 0, 0, NOPOS) \
	X(XR, "Trial service (+991)", 0, 0, NOPOS) \
	X(YE, "Yemen", 15.37, 44.19, POS) \
	X(YT, "Mayotte", -12.78, 45.23, POS) \
	X(ZA, "South Africa", -25.75, 28.19, POS) \
	X(ZM, "Zambia", -15.39, 28.32, POS) \
	X(ZW, "Zimbabwe", -17.83, 31.05, POS) \
	/* end */

enum geo_id {
	GEO_NONE,
#define X(iso, name, lat, lon, pos) GEO_##iso,
	GEO_COUNTRIES(X)
#undef X
	GEO__COUNT
};

static const struct geo_country countries[GEO__COUNT] = {
	[GEO_NONE] = { "", "unknown", 0, 0, false },
#define X(code, n, la, lo, pos) [GEO_##code] = { .iso = #code, .name = n, .lat = la, .lon = lo, .has_position = pos },
	GEO_COUNTRIES(X)
#undef X
};

/* E.164 country codes and the few longer prefixes that split a shared code, sorted by
 * prefix (strcmp order): lookups try the longest prefix first. */
struct e164_entry {
	const char *prefix;
	uint16_t country;
};

#define E164_PREFIX_MAX	7

static const struct e164_entry e164_codes[] = {
	/* zone 1: NANP */
	{ "1", GEO_US }, { "1204", GEO_CA }, { "1226", GEO_CA }, { "1236", GEO_CA },
	{ "1242", GEO_BS }, { "1246", GEO_BB }, { "1249", GEO_CA }, { "1250", GEO_CA },
	{ "1263", GEO_CA }, { "1264", GEO_AI }, { "1268", GEO_AG }, { "1284", GEO_VG },
	{ "1289", GEO_CA }, { "1306", GEO_CA }, { "1340", GEO_VI }, { "1343", GEO_CA },
	{ "1345", GEO_KY }, { "1354", GEO_CA }, { "1365", GEO_CA }, { "1367", GEO_CA },
	{ "1368", GEO_CA }, { "1382", GEO_CA }, { "1403", GEO_CA }, { "1416", GEO_CA },
	{ "1418", GEO_CA }, { "1431", GEO_CA }, { "1437", GEO_CA }, { "1438", GEO_CA },
	{ "1441", GEO_BM }, { "1450", GEO_CA }, { "1468", GEO_CA }, { "1473", GEO_GD },
	{ "1474", GEO_CA }, { "1506", GEO_CA }, { "1514", GEO_CA }, { "1519", GEO_CA },
	{ "1548", GEO_CA }, { "1579", GEO_CA }, { "1581", GEO_CA }, { "1584", GEO_CA },
	{ "1587", GEO_CA }, { "1604", GEO_CA }, { "1613", GEO_CA }, { "1639", GEO_CA },
	{ "1647", GEO_CA }, { "1649", GEO_TC }, { "1658", GEO_JM }, { "1664", GEO_MS },
	{ "1670", GEO_MP }, { "1671", GEO_GU }, { "1672", GEO_CA }, { "1683", GEO_CA },
	{ "1684", GEO_AS }, { "1705", GEO_CA }, { "1709", GEO_CA }, { "1721", GEO_SX },
	{ "1742", GEO_CA }, { "1753", GEO_CA }, { "1758", GEO_LC }, { "1767", GEO_DM },
	{ "1778", GEO_CA }, { "1780", GEO_CA }, { "1782", GEO_CA }, { "1784", GEO_VC },
	{ "1787", GEO_PR }, { "1807", GEO_CA }, { "1809", GEO_DO }, { "1819", GEO_CA },
	{ "1825", GEO_CA }, { "1829", GEO_DO }, { "1849", GEO_DO }, { "1867", GEO_CA },
	{ "1868", GEO_TT }, { "1869", GEO_KN }, { "1873", GEO_CA }, { "1876", GEO_JM },
	{ "1879", GEO_CA }, { "1902", GEO_CA }, { "1905", GEO_CA }, { "1939", GEO_PR },
	/* zone 2 */
	{ "20", GEO_EG }, { "211", GEO_SS }, { "212", GEO_MA }, { "213", GEO_DZ },
	{ "216", GEO_TN }, { "218", GEO_LY }, { "220", GEO_GM }, { "221", GEO_SN },
	{ "222", GEO_MR }, { "223", GEO_ML }, { "224", GEO_GN }, { "225", GEO_CI },
	{ "226", GEO_BF }, { "227", GEO_NE }, { "228", GEO_TG }, { "229", GEO_BJ },
	{ "230", GEO_MU }, { "231", GEO_LR }, { "232", GEO_SL }, { "233", GEO_GH },
	{ "234", GEO_NG }, { "235", GEO_TD }, { "236", GEO_CF }, { "237", GEO_CM },
	{ "238", GEO_CV }, { "239", GEO_ST }, { "240", GEO_GQ }, { "241", GEO_GA },
	{ "242", GEO_CG }, { "243", GEO_CD }, { "244", GEO_AO }, { "245", GEO_GW },
	{ "246", GEO_IO }, { "247", GEO_SH }, { "248", GEO_SC }, { "249", GEO_SD },
	{ "250", GEO_RW }, { "251", GEO_ET }, { "252", GEO_SO }, { "253", GEO_DJ },
	{ "254", GEO_KE }, { "255", GEO_TZ }, { "256", GEO_UG }, { "257", GEO_BI },
	{ "258", GEO_MZ }, { "260", GEO_ZM }, { "261", GEO_MG }, { "262", GEO_RE },
	{ "262269", GEO_YT }, { "262639", GEO_YT }, { "263", GEO_ZW }, { "264", GEO_NA },
	{ "265", GEO_MW }, { "266", GEO_LS }, { "267", GEO_BW }, { "268", GEO_SZ },
	{ "269", GEO_KM }, { "27", GEO_ZA }, { "290", GEO_SH }, { "291", GEO_ER },
	{ "297", GEO_AW }, { "298", GEO_FO }, { "299", GEO_GL },
	/* zone 3 */
	{ "30", GEO_GR }, { "31", GEO_NL }, { "32", GEO_BE }, { "33", GEO_FR }, { "34", GEO_ES },
	{ "350", GEO_GI }, { "351", GEO_PT }, { "352", GEO_LU }, { "353", GEO_IE },
	{ "354", GEO_IS }, { "355", GEO_AL }, { "356", GEO_MT }, { "357", GEO_CY },
	{ "358", GEO_FI }, { "359", GEO_BG }, { "36", GEO_HU }, { "370", GEO_LT },
	{ "371", GEO_LV }, { "372", GEO_EE }, { "373", GEO_MD }, { "374", GEO_AM },
	{ "375", GEO_BY }, { "376", GEO_AD }, { "377", GEO_MC }, { "378", GEO_SM },
	{ "379", GEO_VA }, { "380", GEO_UA }, { "381", GEO_RS }, { "382", GEO_ME },
	{ "383", GEO_XK }, { "385", GEO_HR }, { "386", GEO_SI }, { "387", GEO_BA },
	{ "389", GEO_MK }, { "39", GEO_IT }, { "3906698", GEO_VA },
	/* zone 4 */
	{ "40", GEO_RO }, { "41", GEO_CH }, { "420", GEO_CZ }, { "421", GEO_SK },
	{ "423", GEO_LI }, { "43", GEO_AT }, { "44", GEO_GB }, { "45", GEO_DK }, { "46", GEO_SE },
	{ "47", GEO_NO }, { "48", GEO_PL }, { "49", GEO_DE },
	/* zone 5 */
	{ "500", GEO_FK }, { "501", GEO_BZ }, { "502", GEO_GT }, { "503", GEO_SV },
	{ "504", GEO_HN }, { "505", GEO_NI }, { "506", GEO_CR }, { "507", GEO_PA },
	{ "508", GEO_PM }, { "509", GEO_HT }, { "51", GEO_PE }, { "52", GEO_MX }, { "53", GEO_CU },
	{ "54", GEO_AR }, { "55", GEO_BR }, { "56", GEO_CL }, { "57", GEO_CO }, { "58", GEO_VE },
	{ "590", GEO_GP }, { "591", GEO_BO }, { "592", GEO_GY }, { "593", GEO_EC },
	{ "594", GEO_GF }, { "595", GEO_PY }, { "596", GEO_MQ }, { "597", GEO_SR },
	{ "598", GEO_UY }, { "599", GEO_CW }, { "5993", GEO_BQ }, { "5994", GEO_BQ },
	{ "5997", GEO_BQ },
	/* zone 6 */
	{ "60", GEO_MY }, { "61", GEO_AU }, { "62", GEO_ID }, { "63", GEO_PH }, { "64", GEO_NZ },
	{ "65", GEO_SG }, { "66", GEO_TH }, { "670", GEO_TL }, { "672", GEO_NF },
	{ "6721", GEO_AQ }, { "673", GEO_BN }, { "674", GEO_NR }, { "675", GEO_PG },
	{ "676", GEO_TO }, { "677", GEO_SB }, { "678", GEO_VU }, { "679", GEO_FJ },
	{ "680", GEO_PW }, { "681", GEO_WF }, { "682", GEO_CK }, { "683", GEO_NU },
	{ "685", GEO_WS }, { "686", GEO_KI }, { "687", GEO_NC }, { "688", GEO_TV },
	{ "689", GEO_PF }, { "690", GEO_TK }, { "691", GEO_FM }, { "692", GEO_MH },
	/* zone 7 */
	{ "7", GEO_RU }, { "76", GEO_KZ }, { "77", GEO_KZ },
	/* zone 8 */
	{ "800", GEO_XF }, { "808", GEO_XC }, { "81", GEO_JP }, { "82", GEO_KR }, { "84", GEO_VN },
	{ "850", GEO_KP }, { "852", GEO_HK }, { "853", GEO_MO }, { "855", GEO_KH },
	{ "856", GEO_LA }, { "86", GEO_CN }, { "870", GEO_XM }, { "880", GEO_BD },
	{ "881", GEO_XG }, { "882", GEO_XI }, { "883", GEO_XI }, { "886", GEO_TW },
	{ "888", GEO_XD },
	/* zone 9 */
	{ "90", GEO_TR }, { "91", GEO_IN }, { "92", GEO_PK }, { "93", GEO_AF }, { "94", GEO_LK },
	{ "95", GEO_MM }, { "960", GEO_MV }, { "961", GEO_LB }, { "962", GEO_JO },
	{ "963", GEO_SY }, { "964", GEO_IQ }, { "965", GEO_KW }, { "966", GEO_SA },
	{ "967", GEO_YE }, { "968", GEO_OM }, { "970", GEO_PS }, { "971", GEO_AE },
	{ "972", GEO_IL }, { "973", GEO_BH }, { "974", GEO_QA }, { "975", GEO_BT },
	{ "976", GEO_MN }, { "977", GEO_NP }, { "979", GEO_XP }, { "98", GEO_IR },
	{ "991", GEO_XR }, { "992", GEO_TJ }, { "993", GEO_TM }, { "994", GEO_AZ },
	{ "995", GEO_GE }, { "996", GEO_KG }, { "998", GEO_UZ },
};

/* E.212 mobile country codes, sorted */
struct mcc_entry {
	uint16_t mcc;
	uint16_t country;
};

static const struct mcc_entry mcc_codes[] = {
	{ 202, GEO_GR }, { 204, GEO_NL }, { 206, GEO_BE }, { 208, GEO_FR }, { 212, GEO_MC },
	{ 213, GEO_AD }, { 214, GEO_ES }, { 216, GEO_HU }, { 218, GEO_BA }, { 219, GEO_HR },
	{ 220, GEO_RS }, { 221, GEO_XK }, { 222, GEO_IT }, { 225, GEO_VA }, { 226, GEO_RO },
	{ 228, GEO_CH }, { 230, GEO_CZ }, { 231, GEO_SK }, { 232, GEO_AT }, { 234, GEO_GB },
	{ 235, GEO_GB }, { 238, GEO_DK }, { 240, GEO_SE }, { 242, GEO_NO }, { 244, GEO_FI },
	{ 246, GEO_LT }, { 247, GEO_LV }, { 248, GEO_EE }, { 250, GEO_RU }, { 255, GEO_UA },
	{ 257, GEO_BY }, { 259, GEO_MD }, { 260, GEO_PL }, { 262, GEO_DE }, { 266, GEO_GI },
	{ 268, GEO_PT }, { 270, GEO_LU }, { 272, GEO_IE }, { 274, GEO_IS }, { 276, GEO_AL },
	{ 278, GEO_MT }, { 280, GEO_CY }, { 282, GEO_GE }, { 283, GEO_AM }, { 284, GEO_BG },
	{ 286, GEO_TR }, { 288, GEO_FO }, { 289, GEO_GE }, { 290, GEO_GL }, { 292, GEO_SM },
	{ 293, GEO_SI }, { 294, GEO_MK }, { 295, GEO_LI }, { 297, GEO_ME }, { 302, GEO_CA },
	{ 308, GEO_PM }, { 310, GEO_US }, { 311, GEO_US }, { 312, GEO_US }, { 313, GEO_US },
	{ 314, GEO_US }, { 315, GEO_US }, { 316, GEO_US }, { 330, GEO_PR }, { 332, GEO_VI },
	{ 334, GEO_MX }, { 338, GEO_JM }, { 340, GEO_GP }, { 342, GEO_BB }, { 344, GEO_AG },
	{ 346, GEO_KY }, { 348, GEO_VG }, { 350, GEO_BM }, { 352, GEO_GD }, { 354, GEO_MS },
	{ 356, GEO_KN }, { 358, GEO_LC }, { 360, GEO_VC }, { 362, GEO_CW }, { 363, GEO_AW },
	{ 364, GEO_BS }, { 365, GEO_AI }, { 366, GEO_DM }, { 368, GEO_CU }, { 370, GEO_DO },
	{ 372, GEO_HT }, { 374, GEO_TT }, { 376, GEO_TC }, { 400, GEO_AZ }, { 401, GEO_KZ },
	{ 402, GEO_BT }, { 404, GEO_IN }, { 405, GEO_IN }, { 406, GEO_IN }, { 410, GEO_PK },
	{ 412, GEO_AF }, { 413, GEO_LK }, { 414, GEO_MM }, { 415, GEO_LB }, { 416, GEO_JO },
	{ 417, GEO_SY }, { 418, GEO_IQ }, { 419, GEO_KW }, { 420, GEO_SA }, { 421, GEO_YE },
	{ 422, GEO_OM }, { 424, GEO_AE }, { 425, GEO_IL }, { 426, GEO_BH }, { 427, GEO_QA },
	{ 428, GEO_MN }, { 429, GEO_NP }, { 430, GEO_AE }, { 431, GEO_AE }, { 432, GEO_IR },
	{ 434, GEO_UZ }, { 436, GEO_TJ }, { 437, GEO_KG }, { 438, GEO_TM }, { 440, GEO_JP },
	{ 441, GEO_JP }, { 450, GEO_KR }, { 452, GEO_VN }, { 454, GEO_HK }, { 455, GEO_MO },
	{ 456, GEO_KH }, { 457, GEO_LA }, { 460, GEO_CN }, { 461, GEO_CN }, { 466, GEO_TW },
	{ 467, GEO_KP }, { 470, GEO_BD }, { 472, GEO_MV }, { 502, GEO_MY }, { 505, GEO_AU },
	{ 510, GEO_ID }, { 514, GEO_TL }, { 515, GEO_PH }, { 520, GEO_TH }, { 525, GEO_SG },
	{ 528, GEO_BN }, { 530, GEO_NZ }, { 534, GEO_MP }, { 535, GEO_GU }, { 536, GEO_NR },
	{ 537, GEO_PG }, { 539, GEO_TO }, { 540, GEO_SB }, { 541, GEO_VU }, { 542, GEO_FJ },
	{ 543, GEO_WF }, { 544, GEO_AS }, { 545, GEO_KI }, { 546, GEO_NC }, { 547, GEO_PF },
	{ 548, GEO_CK }, { 549, GEO_WS }, { 550, GEO_FM }, { 551, GEO_MH }, { 552, GEO_PW },
	{ 553, GEO_TV }, { 554, GEO_TK }, { 555, GEO_NU }, { 602, GEO_EG }, { 603, GEO_DZ },
	{ 604, GEO_MA }, { 605, GEO_TN }, { 606, GEO_LY }, { 607, GEO_GM }, { 608, GEO_SN },
	{ 609, GEO_MR }, { 610, GEO_ML }, { 611, GEO_GN }, { 612, GEO_CI }, { 613, GEO_BF },
	{ 614, GEO_NE }, { 615, GEO_TG }, { 616, GEO_BJ }, { 617, GEO_MU }, { 618, GEO_LR },
	{ 619, GEO_SL }, { 620, GEO_GH }, { 621, GEO_NG }, { 622, GEO_TD }, { 623, GEO_CF },
	{ 624, GEO_CM }, { 625, GEO_CV }, { 626, GEO_ST }, { 627, GEO_GQ }, { 628, GEO_GA },
	{ 629, GEO_CG }, { 630, GEO_CD }, { 631, GEO_AO }, { 632, GEO_GW }, { 633, GEO_SC },
	{ 634, GEO_SD }, { 635, GEO_RW }, { 636, GEO_ET }, { 637, GEO_SO }, { 638, GEO_DJ },
	{ 639, GEO_KE }, { 640, GEO_TZ }, { 641, GEO_UG }, { 642, GEO_BI }, { 643, GEO_MZ },
	{ 645, GEO_ZM }, { 646, GEO_MG }, { 647, GEO_RE }, { 648, GEO_ZW }, { 649, GEO_NA },
	{ 650, GEO_MW }, { 651, GEO_LS }, { 652, GEO_BW }, { 653, GEO_SZ }, { 654, GEO_KM },
	{ 655, GEO_ZA }, { 657, GEO_ER }, { 658, GEO_SH }, { 659, GEO_SS }, { 702, GEO_BZ },
	{ 704, GEO_GT }, { 706, GEO_SV }, { 708, GEO_HN }, { 710, GEO_NI }, { 712, GEO_CR },
	{ 714, GEO_PA }, { 716, GEO_PE }, { 722, GEO_AR }, { 724, GEO_BR }, { 730, GEO_CL },
	{ 732, GEO_CO }, { 734, GEO_VE }, { 736, GEO_BO }, { 738, GEO_GY }, { 740, GEO_EC },
	{ 742, GEO_GF }, { 744, GEO_PY }, { 746, GEO_SR }, { 748, GEO_UY }, { 750, GEO_FK },
	{ 901, GEO_XI }, { 902, GEO_XI }, { 995, GEO_IO },
};

uint16_t geo_country_count(void)
{
	return GEO__COUNT;
}

const struct geo_country *geo_country(uint16_t idx)
{
	return &countries[idx < GEO__COUNT ? idx : GEO_NONE];
}

const char *geo_country_iso(uint16_t idx)
{
	return geo_country(idx)->iso;
}

const char *geo_country_name(uint16_t idx)
{
	return geo_country(idx)->name;
}

uint16_t geo_country_by_iso(const char *iso)
{
	unsigned lo = 1, hi = GEO__COUNT;

	if (!iso || strlen(iso) != 2)
		return GEO_NONE;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		int cmp = strcasecmp(iso, countries[mid].iso);

		if (!cmp)
			return mid;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return GEO_NONE;
}

/* Exact match of the first len digits of digits in the E.164 table. */
static const struct e164_entry *e164_find(const char *digits, size_t len)
{
	size_t lo = 0, hi = ARRAY_SIZE(e164_codes);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *p = e164_codes[mid].prefix;
		int cmp = strncmp(digits, p, len);

		/* equal on len digits but p is longer: p sorts after the prefix */
		if (!cmp && p[len])
			cmp = -1;
		if (!cmp)
			return &e164_codes[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Length of the ITU country code a matched prefix belongs to: the table holds some longer
 * prefixes (NANP area codes, +7 6/7, +39 06 698 ...) that are inside a shorter code. */
static unsigned e164_cc_len(const char *digits, size_t matched)
{
	for (size_t len = 1; len <= 3 && len <= matched; len++) {
		if (e164_find(digits, len))
			return len;
	}
	return matched;
}

uint16_t geo_e164_country(const char *digits, unsigned *cc_len)
{
	size_t n = 0;

	if (cc_len)
		*cc_len = 0;
	if (!digits)
		return GEO_NONE;
	while (n < E164_PREFIX_MAX && digits[n] >= '0' && digits[n] <= '9')
		n++;
	for (size_t len = n; len > 0; len--) {
		const struct e164_entry *e = e164_find(digits, len);

		if (e) {
			if (cc_len)
				*cc_len = e164_cc_len(digits, len);
			return e->country;
		}
	}
	return GEO_NONE;
}

unsigned geo_e164_count(void)
{
	return ARRAY_SIZE(e164_codes);
}

const char *geo_e164_prefix(unsigned i, uint16_t *country)
{
	if (i >= ARRAY_SIZE(e164_codes))
		return NULL;
	*country = e164_codes[i].country;
	return e164_codes[i].prefix;
}

uint16_t geo_mcc_country(uint16_t mcc)
{
	size_t lo = 0, hi = ARRAY_SIZE(mcc_codes);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (mcc_codes[mid].mcc == mcc)
			return mcc_codes[mid].country;
		if (mcc < mcc_codes[mid].mcc)
			hi = mid;
		else
			lo = mid + 1;
	}
	return GEO_NONE;
}

double geo_distance_km_pos(double lat1, double lon1, double lat2, double lon2)
{
	/* haversine on the mean earth radius (IUGG) */
	const double r = 6371.0088, rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double h = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * r * asin(sqrt(h < 1 ? h : 1));
}

double geo_distance_km(uint16_t a, uint16_t b)
{
	const struct geo_country *ca = geo_country(a), *cb = geo_country(b);

	if (!ca->has_position || !cb->has_position)
		return -1;
	if (a == b)
		return 0;
	return geo_distance_km_pos(ca->lat, ca->lon, cb->lat, cb->lon);
}

/* Countries that share a land border, as sorted pairs of ISO codes (the lower code first):
 * a phone crossing one by car or train registers in the other country within minutes
 * (Irun/Hendaye, Basel, Geneva), whatever the distance between the capitals. Written from
 * the CIA World Factbook "Land boundaries" entries for Europe, the Middle East, the Americas,
 * Asia and the north and south of Africa; a border missing here only makes the travel check
 * measure that pair by its capitals, as before. */
static const char geo_borders[][5] = {
	"ADES", "ADFR", "AEOM", "AESA", "AFCN", "AFIR", "AFPK", "AFTJ", "AFTM", "AFUZ", "ALGR",
	"ALME", "ALMK", "AMAZ", "AMGE", "AMIR", "AMTR", "ARBO", "ARBR", "ARCL", "ARPY", "ARUY",
	"ATCH", "ATCZ", "ATDE", "ATHU", "ATIT", "ATLI", "ATSI", "ATSK", "AZGE", "AZIR", "AZRU",
	"AZTR", "BAHR", "BAME", "BARS", "BDIN", "BDMM", "BEDE", "BEFR", "BELU", "BENL", "BGGR",
	"BGMK", "BGRO", "BGRS", "BGTR", "BNMY", "BOBR", "BOCL", "BOPE", "BOPY", "BRCO", "BRGF",
	"BRGY", "BRPE", "BRPY", "BRSR", "BRUY", "BRVE", "BTCN", "BTIN", "BWZA", "BYLT", "BYLV",
	"BYPL", "BYRU", "BYUA", "BZGT", "BZMX", "CAUS", "CHDE", "CHFR", "CHIT", "CHLI", "CLPE",
	"CNHK", "CNIN", "CNKG", "CNKP", "CNKZ", "CNLA", "CNMM", "CNMN", "CNMO", "CNNP", "CNPK",
	"CNRU", "CNTJ", "CNVN", "COEC", "COPA", "COPE", "COVE", "CRNI", "CRPA", "CZDE", "CZPL",
	"CZSK", "DEDK", "DEFR", "DELU", "DENL", "DEPL", "DZLY", "DZMA", "DZML", "DZMR", "DZNE",
	"DZTN", "ECPE", "EELV", "EERU", "EGIL", "EGLY", "EGSD", "ESFR", "ESGI", "ESMA", "ESPT",
	"FINO", "FIRU", "FISE", "FRIT", "FRLU", "FRMC", "GBIE", "GERU", "GETR", "GFSR", "GRMK",
	"GRTR", "GTHN", "GTMX", "GTSV", "GYSR", "GYVE", "HNNI", "HNSV", "HRHU", "HRME", "HRRS",
	"HRSI", "HURO", "HURS", "HUSI", "HUSK", "HUUA", "IDMY", "IDPG", "IDTL", "ILJO", "ILLB",
	"ILPS", "ILSY", "INMM", "INNP", "INPK", "IQIR", "IQJO", "IQKW", "IQSA", "IQSY", "IQTR",
	"IRPK", "IRTM", "IRTR", "ITSI", "ITSM", "ITVA", "JOPS", "JOSA", "JOSY", "KGKZ", "KGTJ",
	"KGUZ", "KHLA", "KHTH", "KHVN", "KPKR", "KPRU", "KWSA", "KZRU", "KZTM", "KZUZ", "LAMM",
	"LATH", "LAVN", "LBSY", "LSZA", "LTLV", "LTPL", "LTRU", "LVRU", "LYNE", "LYSD", "LYTD",
	"LYTN", "MDRO", "MDUA", "MERS", "MKRS", "MMTH", "MNRU", "MXUS", "MYTH", "MZZA", "NAZA",
	"NORU", "NOSE", "OMSA", "OMYE", "PLRU", "PLSK", "PLUA", "QASA", "RORS", "ROUA", "RUUA",
	"SAYE", "SKUA", "SYTR", "SZZA", "TJUZ", "TMUZ", "ZAZW"
};

static int border_cmp(const void *key, const void *elem)
{
	return memcmp(key, elem, 4);
}

bool geo_neighbours(uint16_t a, uint16_t b)
{
	const char *ia = geo_country_iso(a), *ib = geo_country_iso(b);
	char key[4];

	if (!*ia || !*ib || a == b)
		return false;
	if (strcmp(ia, ib) > 0) {
		const char *t = ia;

		ia = ib;
		ib = t;
	}
	memcpy(key, ia, 2);
	memcpy(key + 2, ib, 2);
	return bsearch(key, geo_borders, ARRAY_SIZE(geo_borders), sizeof(geo_borders[0]), border_cmp) != NULL;
}

int geo_check_tables(char *err, unsigned errlen)
{
	for (unsigned i = 2; i < GEO__COUNT; i++) {
		if (strcmp(countries[i - 1].iso, countries[i].iso) >= 0) {
			snprintf(err, errlen, "country table not sorted at %s", countries[i].iso);
			return -1;
		}
	}
	for (unsigned i = 0; i < ARRAY_SIZE(e164_codes); i++) {
		const char *p = e164_codes[i].prefix;

		if (i && strcmp(e164_codes[i - 1].prefix, p) >= 0) {
			snprintf(err, errlen, "E.164 table not sorted at +%s", p);
			return -1;
		}
		if (strlen(p) > E164_PREFIX_MAX || strspn(p, "0123456789") != strlen(p)) {
			snprintf(err, errlen, "bad E.164 prefix '%s'", p);
			return -1;
		}
	}
	for (unsigned i = 1; i < ARRAY_SIZE(mcc_codes); i++) {
		if (mcc_codes[i - 1].mcc >= mcc_codes[i].mcc) {
			snprintf(err, errlen, "MCC table not sorted at %03u", mcc_codes[i].mcc);
			return -1;
		}
	}
	for (unsigned i = 0; i < ARRAY_SIZE(geo_borders); i++) {
		const char *b = geo_borders[i];
		char x[3] = { b[0], b[1], 0 }, y[3] = { b[2], b[3], 0 };

		if ((i && memcmp(geo_borders[i - 1], b, 4) >= 0) || strcmp(x, y) >= 0 ||
		    !geo_country_by_iso(x) || !geo_country_by_iso(y)) {
			snprintf(err, errlen, "border table: bad or unsorted pair %s", b);
			return -1;
		}
	}
	return 0;
}
