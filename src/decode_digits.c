/* BCD digit strings to text: TBCD (3GPP TS 29.002 TBCD-STRING) and ITU Q.713 GT digits.
 * libosmocore's osmo_bcd2str() prints hex digits in upper case and refuses '*' and '#',
 * so neither alphabet is its. */
#include <ss7watch/msg.h>

/* 0xA-0xE are '*', '#', 'a', 'b', 'c'; 0xF is the filler: '\0' ends the digits */
const char sw_bcd_tbcd[16] = "0123456789*#abc";
/* every nibble is a digit: the length is given (odd/even indicator, digit count) */
const char sw_bcd_gt[16] = "0123456789abcdef";

unsigned sw_bcd_to_str(char *buf, const uint8_t *bcd, unsigned n, const char alphabet[16])
{
	const uint8_t *o = bcd, *whole = bcd + n / 2;
	char *d = buf;

	/* two digits per octet: this runs for every GT of every message */
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

unsigned sw_tbcd_to_str(char *buf, unsigned buflen, const uint8_t *tbcd, unsigned len)
{
	if (!buflen)
		return 0;
	return sw_bcd_to_str(buf, tbcd, len <= (buflen - 1) / 2 ? len * 2 : buflen - 1, sw_bcd_tbcd);
}
