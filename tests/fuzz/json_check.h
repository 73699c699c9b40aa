/* A strict JSON checker for the fuzz harnesses (RFC 8259: one value, no trailing bytes,
 * strings with valid escapes and no control characters, numbers in JSON's grammar, nesting
 * bounded; printable ASCII only, as ss7watch's writers escape the rest), which allocates nothing: the pipeline harness checks every line it writes, and
 * building a jansson tree per line cost more than the pipeline itself under ASan.
 * It also hands back two members of the top-level object, which the harness checks. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JSON_CHECK_MAX_DEPTH	64

struct json_check {
	const char *p, *end;
	int depth;
	/* of the top-level object: event_type (a string without escapes) and incident_id */
	const char *event_type;
	size_t event_type_len;
	bool has_incident_id;
	int64_t incident_id;
};

static bool jc_value(struct json_check *j);

static void jc_ws(struct json_check *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool jc_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string at j->p ('"'); its content (escapes left as they are) in *s, *n. */
static bool jc_string(struct json_check *j, const char **s, size_t *n)
{
	const char *start;

	if (j->p >= j->end || *j->p != '"')
		return false;
	start = ++j->p;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;

		/* the writers escape everything outside printable ASCII */
		if (c < 0x20 || c >= 0x7f)
			return false;
		if (c == '\\') {
			if (++j->p >= j->end)
				return false;
			switch (*j->p) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				break;
			case 'u':
				if (j->end - j->p < 5 || !jc_hex(j->p[1]) || !jc_hex(j->p[2]) || !jc_hex(j->p[3]) ||
				    !jc_hex(j->p[4]))
					return false;
				j->p += 4;
				break;
			default:
				return false;
			}
		}
		j->p++;
	}
	if (j->p >= j->end)
		return false;
	*s = start;
	*n = (size_t)(j->p - start);
	j->p++;
	return true;
}

static bool jc_digits(struct json_check *j)
{
	const char *start = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > start;
}

/* A number; its value in *v when it is an integer that fits. */
static bool jc_number(struct json_check *j, int64_t *v, bool *is_int)
{
	const char *start = j->p;
	bool neg = false;
	uint64_t u = 0;

	*is_int = true;
	if (j->p < j->end && *j->p == '-') {
		neg = true;
		j->p++;
	}
	if (j->p < j->end && *j->p == '0') {
		j->p++;
	} else {
		const char *d = j->p;

		if (!jc_digits(j))
			return false;
		for (; d < j->p; d++) {
			if (u > (UINT64_MAX - 9) / 10)
				*is_int = false;
			u = u * 10 + (uint64_t)(*d - '0');
		}
	}
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		*is_int = false;
		if (!jc_digits(j))
			return false;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		*is_int = false;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!jc_digits(j))
			return false;
	}
	if (*is_int && u > (uint64_t)INT64_MAX)
		*is_int = false;
	*v = neg ? -(int64_t)u : (int64_t)u;
	return j->p > start;
}

static bool jc_literal(struct json_check *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return false;
	j->p += n;
	return true;
}

static bool jc_object(struct json_check *j)
{
	bool top = j->depth == 1;

	j->p++;
	jc_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return true;
	}
	for (;;) {
		const char *k, *vs = NULL;
		size_t kn, vn = 0;

		jc_ws(j);
		if (!jc_string(j, &k, &kn))
			return false;
		jc_ws(j);
		if (j->p >= j->end || *j->p != ':')
			return false;
		j->p++;
		jc_ws(j);
		if (top && kn == 10 && !memcmp(k, "event_type", 10) && j->p < j->end && *j->p == '"') {
			if (!jc_string(j, &vs, &vn))
				return false;
			j->event_type = vs;
			j->event_type_len = vn;
		} else if (top && kn == 11 && !memcmp(k, "incident_id", 11) && j->p < j->end &&
			   (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))) {
			bool is_int;

			if (!jc_number(j, &j->incident_id, &is_int))
				return false;
			j->has_incident_id = is_int;
		} else if (!jc_value(j)) {
			return false;
		}
		jc_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return true;
		}
		return false;
	}
}

static bool jc_array(struct json_check *j)
{
	j->p++;
	jc_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return true;
	}
	for (;;) {
		jc_ws(j);
		if (!jc_value(j))
			return false;
		jc_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return true;
		}
		return false;
	}
}

static bool jc_value(struct json_check *j)
{
	const char *s;
	size_t n;
	int64_t v;
	bool is_int, ok;

	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{':
	case '[':
		if (++j->depth > JSON_CHECK_MAX_DEPTH)
			return false;
		ok = *j->p == '{' ? jc_object(j) : jc_array(j);
		j->depth--;
		return ok;
	case '"':
		return jc_string(j, &s, &n);
	case 't':
		return jc_literal(j, "true");
	case 'f':
		return jc_literal(j, "false");
	case 'n':
		return jc_literal(j, "null");
	default:
		return jc_number(j, &v, &is_int);
	}
}

/*! Is s[0..len) exactly one JSON object (whitespace around it allowed)? Fills j with its
 *  event_type and incident_id members when present. */
static inline bool json_check_object(struct json_check *j, const char *s, size_t len)
{
	memset(j, 0, sizeof(*j));
	j->p = s;
	j->end = s + len;
	jc_ws(j);
	if (j->p >= j->end || *j->p != '{' || !jc_value(j))
		return false;
	jc_ws(j);
	return j->p == j->end;
}
