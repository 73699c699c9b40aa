/* TBCD (3GPP TS 29.002 TBCD-STRING, ITU Q.713 BCD GT digits) to text. */
#include <ss7watch/msg.h>

static const char tbcd_digit[16] = "0123456789*#abc";

unsigned sw_tbcd_to_str(char *buf, unsigned buflen, const uint8_t *tbcd, unsigned len)
{
	unsigned n = 0;

	if (!buflen)
		return 0;
	for (unsigned i = 0; i < len; i++) {
		uint8_t lo = tbcd[i] & 0x0f, hi = tbcd[i] >> 4;

		/* 0xF is the filler of an odd number of digits: it ends the number */
		if (lo == 0x0f || n + 1 >= buflen)
			break;
		buf[n++] = tbcd_digit[lo];
		if (hi == 0x0f || n + 1 >= buflen)
			break;
		buf[n++] = tbcd_digit[hi];
	}
	buf[n] = '\0';
	return n;
}
