/*! \file output_json.h
 *  A JSON writer over a caller's buffer, by hand: no allocation, no printf, one pass. The
 *  --dump lines (output_dump.c) and the alert lines (output_eve.c) are written with it, so a
 *  message reads the same in both. Every string is written as printable ASCII (the rest
 *  escaped as \u00XX, byte by byte). A write past the end sets overflow and stops writing:
 *  check it (jw_finish()) and retry with a bigger buffer. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <ss7watch/output_dump.h>

/*! The writer: from p to end; 'comma' holds one bit per nesting level (32 levels). */
struct jw {
	char *p, *end;
	bool overflow;
	uint32_t comma;
	unsigned depth;
};

static inline void jw_raw(struct jw *w, const char *s, size_t n)
{
	if (w->overflow || (size_t)(w->end - w->p) < n) {
		w->overflow = true;
		return;
	}
	memcpy(w->p, s, n);
	w->p += n;
}

static inline void jw_ch(struct jw *w, char c)
{
	if (w->p >= w->end) {
		w->overflow = true;
		return;
	}
	*w->p++ = c;
}

static inline void jw_sep(struct jw *w)
{
	uint32_t bit = 1u << w->depth;

	if (w->comma & bit)
		jw_ch(w, ',');
	w->comma |= bit;
}

static inline void jw_open(struct jw *w, char c)
{
	jw_ch(w, c);
	w->depth++;
	w->comma &= ~(1u << w->depth);
}

static inline void jw_close(struct jw *w, char c)
{
	w->depth--;
	jw_ch(w, c);
}

/* strings we write are digits, names and decoded text: escape what JSON requires */
static inline void jw_strval(struct jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	jw_ch(w, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			jw_ch(w, '\\');
			jw_ch(w, c);
		} else if (c < 0x20 || c >= 0x7f) {
			/* decoded USSD text may hold anything: keep the output valid ASCII JSON */
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			jw_raw(w, u, 6);
		} else {
			jw_ch(w, c);
		}
	}
	jw_ch(w, '"');
}

static inline void jw_key(struct jw *w, const char *k)
{
	jw_sep(w);
	jw_ch(w, '"');
	jw_raw(w, k, strlen(k));
	jw_ch(w, '"');
	jw_ch(w, ':');
}

static inline void jw_uint(struct jw *w, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	jw_raw(w, tmp + sizeof(tmp) - n, n);
}

static inline void jw_int(struct jw *w, int64_t v)
{
	if (v < 0) {
		jw_ch(w, '-');
		jw_uint(w, (uint64_t)(-(v + 1)) + 1);
	} else {
		jw_uint(w, v);
	}
}

static inline void jw_kv_uint(struct jw *w, const char *k, uint64_t v)
{
	jw_key(w, k);
	jw_uint(w, v);
}

static inline void jw_kv_int(struct jw *w, const char *k, int64_t v)
{
	jw_key(w, k);
	jw_int(w, v);
}

static inline void jw_kv_str(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_strval(w, s, strlen(s));
}

static inline void jw_kv_bool(struct jw *w, const char *k, bool b)
{
	jw_key(w, k);
	if (b)
		jw_raw(w, "true", 4);
	else
		jw_raw(w, "false", 5);
}

/*! A timestamp member, ISO 8601 UTC with microseconds (sw_format_ts()). */
static inline void jw_kv_ts(struct jw *w, const char *k, const struct timeval *tv)
{
	char buf[32];
	size_t n = sw_format_ts(buf, sizeof(buf), tv);

	jw_key(w, k);
	jw_strval(w, buf, n);
}

/*! NUL-terminate what w wrote into buf (which it started at).
 *  \returns its length, or 0 when it did not fit (with the NUL). */
static inline size_t jw_finish(struct jw *w, char *buf)
{
	if (w->overflow || w->p >= w->end)
		return 0;
	*w->p = '\0';
	return w->p - buf;
}
