/* BCD digit strings to text: TBCD (3GPP TS 29.002 TBCD-STRING) and ITU Q.713 GT digits.
 * libosmocore's osmo_bcd2str() prints hex digits in upper case and refuses '*' and '#',
 * so neither alphabet is its. */
#include <string.h>
#include <ss7watch/msg.h>

/* 0xA-0xE are '*', '#', 'a', 'b', 'c'; 0xF is the filler: '\0' ends the digits */
const char sw_bcd_tbcd[16] = "0123456789*#abc";
/* every nibble is a digit: the length is given (odd/even indicator, digit count) */
const char sw_bcd_gt[16] = "0123456789abcdef";

/* an octet of two decimal digits as their value, low nibble first; 0xff otherwise */
#define BCD_PAIR(b)	((((b) & 15) < 10 && ((b) >> 4) < 10) ? ((b) & 15) * 10 + ((b) >> 4) : 0xff)
#define BCD_PAIR4(b)	BCD_PAIR(b), BCD_PAIR((b) + 1), BCD_PAIR((b) + 2), BCD_PAIR((b) + 3)
#define BCD_PAIR16(b)	BCD_PAIR4(b), BCD_PAIR4((b) + 4), BCD_PAIR4((b) + 8), BCD_PAIR4((b) + 12)
#define BCD_PAIR64(b)	BCD_PAIR16(b), BCD_PAIR16((b) + 16), BCD_PAIR16((b) + 32), BCD_PAIR16((b) + 48)
const uint8_t sw_bcd_pair[256] = { BCD_PAIR64(0), BCD_PAIR64(64), BCD_PAIR64(128), BCD_PAIR64(192) };

/* "00" .. "99" */
static const char decimal_pairs[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

unsigned sw_bcd_to_str(char *buf, const uint8_t *bcd, unsigned n, const char alphabet[16])
{
	const uint8_t *o = bcd, *whole = bcd + n / 2;
	char *d = buf;

	/* two digits per octet: decimal octets (most of them) by table, the rest by nibble */
	for (; o < whole && sw_bcd_pair[*o] != 0xff; o++, d += 2)
		memcpy(d, &decimal_pairs[2 * sw_bcd_pair[*o]], 2);
	for (; o < whole; o++, d += 2) {
		char lo = alphabet[*o & 0x0f], hi = alphabet[*o >> 4];

		if (!lo || !hi)
			break;
		d[0] = lo;
		d[1] = hi;
	}
	/* the last digit of an odd count, or the digit before a filler */
	if (d < buf + n && (*d = alphabet[*o & 0x0f]))
		d++;
	*d = '\0';
	return d - buf;
}

/* every octet as its two GT digits, low nibble first: "00", "10", ... "ef", "ff" */
#define GT_DIGIT(x)	((x) < 10 ? '0' + (x) : 'a' + (x) - 10)
#define GT_PAIR(b)	{ GT_DIGIT((b) & 15), GT_DIGIT((b) >> 4) }
#define GT_PAIR4(b)	GT_PAIR(b), GT_PAIR((b) + 1), GT_PAIR((b) + 2), GT_PAIR((b) + 3)
#define GT_PAIR16(b)	GT_PAIR4(b), GT_PAIR4((b) + 4), GT_PAIR4((b) + 8), GT_PAIR4((b) + 12)
#define GT_PAIR64(b)	GT_PAIR16(b), GT_PAIR16((b) + 16), GT_PAIR16((b) + 32), GT_PAIR16((b) + 48)
static const char gt_pairs[256][2] = { GT_PAIR64(0), GT_PAIR64(64), GT_PAIR64(128), GT_PAIR64(192) };

unsigned sw_gt_digits(char *buf, const uint8_t *bcd, unsigned n)
{
	const uint8_t *o = bcd, *whole = bcd + n / 2;
	char *d = buf;

	/* every nibble is a digit of this alphabet: an octet is a copy of two characters, with
	 * no test, for both GTs of every message */
	for (; o < whole; o++, d += 2)
		memcpy(d, gt_pairs[*o], 2);
	if (n & 1)
		*d++ = gt_pairs[*o][0];
	*d = '\0';
	return n;
}

unsigned sw_tbcd_to_str(char *buf, unsigned buflen, const uint8_t *tbcd, unsigned len)
{
	if (!buflen)
		return 0;
	return sw_bcd_to_str(buf, tbcd, len <= (buflen - 1) / 2 ? len * 2 : buflen - 1, sw_bcd_tbcd);
}
