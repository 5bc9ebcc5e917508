/* A structural scanner for format-4 states (tf_scan.h): byte spans only,
 * nothing decoded. jansson decodes each span afterwards. */
#include "tf_scan.h"

#include <stdlib.h>
#include <string.h>

typedef struct cursor {
	const char *p, *end;
	long line;
} cursor;

/* JSON's whitespace: what jansson skips between tokens, nothing else. */
static void skip_ws(cursor *c)
{
	for (; c->p < c->end; c->p++) {
		if (*c->p == '\n')
			c->line++;
		else if (*c->p != ' ' && *c->p != '\t' && *c->p != '\r')
			return;
	}
}

/* Bytes that stop a run: in a string, and between values. Each table
 * stops at the NUL after the text (tf_scan.h). strcspn() would be faster,
 * but a sanitizer with strict_string_checks reads the whole rest of the
 * text on every call. */
static const unsigned char stops_string[256] = { ['"'] = 1, ['\\'] = 1, [0] = 1 };
static const unsigned char stops_value[256] = {
	['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['"'] = 1, ['\n'] = 1, [0] = 1,
};

/* From an opening quote to past its closing one. A backslash takes the
 * next byte with it, so `\"` and `\\` are skipped whole. A raw newline is
 * not allowed in a string: jansson refuses the span, so the line count
 * inside strings does not matter. */
static int skip_string(cursor *c)
{
	const char *p = c->p + 1;
	for (;;) {
		while (!stops_string[(unsigned char)*p])
			p++;
		if (p >= c->end || !*p)
			return -1;
		if (*p == '"') {
			c->p = p + 1;
			return 0;
		}
		if (p + 1 >= c->end)
			return -1;
		p += 2;
	}
}

static int is_delim(char ch)
{
	return ch == ',' || ch == '}' || ch == ']' || ch == ' ' || ch == '\t' || ch == '\r' ||
	       ch == '\n';
}

/* Past one value. Brackets are counted, not matched (`{]` ends there):
 * jansson refuses such a span. `depth` is how many containers hold the
 * value in the whole file; jansson counts each value one deeper than its
 * container, and refuses a file past TF_SCAN_MAX_DEPTH. */
static int skip_value(cursor *c, int depth)
{
	const char *p = c->p;
	int open = 0;

	if (p >= c->end)
		return -1;
	if (*p == '"')
		return skip_string(c);
	if (*p != '{' && *p != '[') {
		while (p < c->end && !is_delim(*p))
			p++;
		if (p == c->p)
			return -1;
		c->p = p;
		return 0;
	}
	while (p < c->end) {
		while (!stops_value[(unsigned char)*p])
			p++;
		if (p >= c->end)
			break;
		switch (*p) {
		case '{':
		case '[':
			/* the deepest value is a scalar inside the innermost container */
			if (depth + ++open + 1 > TF_SCAN_MAX_DEPTH)
				return -1;
			p++;
			break;
		case '}':
		case ']':
			p++;
			if (--open == 0) {
				c->p = p;
				return 0;
			}
			break;
		case '"':
			c->p = p;
			if (skip_string(c) < 0)
				return -1;
			p = c->p;
			break;
		case '\n':
			c->line++;
			p++;
			break;
		default:        /* a NUL the caller should have refused */
			return -1;
		}
	}
	return -1;
}

static int push_span(tf_scan_span **arr, size_t *n, size_t *cap, tf_scan_span s)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		tf_scan_span *p = realloc(*arr, nc * sizeof(*p));
		if (!p)
			return -1;
		*arr = p;
		*cap = nc;
	}
	(*arr)[(*n)++] = s;
	return 0;
}

/* The elements of `resources`, from its '['. */
static int scan_resources(cursor *c, const char *text, tf_scan_result *out)
{
	size_t cap = 0;

	c->p++;
	skip_ws(c);
	if (c->p < c->end && *c->p == ']') {
		c->p++;
		return 0;
	}
	for (;;) {
		tf_scan_span s = { (size_t)(c->p - text), 0, c->line };
		if (skip_value(c, 2) < 0)
			return -1;
		s.len = (size_t)(c->p - text) - s.off;
		if (push_span(&out->res, &out->nres, &cap, s) < 0)
			return -1;
		skip_ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			skip_ws(c);
			continue;
		}
		if (c->p < c->end && *c->p == ']') {
			c->p++;
			return 0;
		}
		return -1;
	}
}

int tf_scan_state(const char *text, size_t len, tf_scan_result *out)
{
	cursor c = { text, text + len, 1 };
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	skip_ws(&c);
	if (c.p >= c.end || *c.p != '{')
		return -1;
	c.p++;
	skip_ws(&c);
	if (c.p < c.end && *c.p == '}') {
		c.p++;
	} else {
		for (;;) {
			tf_scan_member m;
			if (c.p >= c.end || *c.p != '"')
				return -1;
			m.key.off = (size_t)(c.p - text);
			m.key.line = c.line;
			if (skip_string(&c) < 0)
				return -1;
			m.key.len = (size_t)(c.p - text) - m.key.off;
			skip_ws(&c);
			if (c.p >= c.end || *c.p != ':')
				return -1;
			c.p++;
			skip_ws(&c);
			m.value.off = (size_t)(c.p - text);
			m.value.line = c.line;
			if (m.key.len == 11 && memcmp(text + m.key.off, "\"resources\"", 11) == 0 &&
			    c.p < c.end && *c.p == '[') {
				if (out->has_resources)
					return -1;      /* a duplicate key: jansson says so */
				out->has_resources = 1;
				if (scan_resources(&c, text, out) < 0)
					return -1;
				m.value.len = (size_t)(c.p - text) - m.value.off;
				out->resources = m.value;
			} else {
				tf_scan_member *p;
				if (skip_value(&c, 1) < 0)
					return -1;
				m.value.len = (size_t)(c.p - text) - m.value.off;
				if (out->nmembers == cap) {
					cap = cap ? cap * 2 : 16;
					if (!(p = realloc(out->members, cap * sizeof(*p))))
						return -1;
					out->members = p;
				}
				out->members[out->nmembers++] = m;
			}
			skip_ws(&c);
			if (c.p < c.end && *c.p == ',') {
				c.p++;
				skip_ws(&c);
				continue;
			}
			if (c.p < c.end && *c.p == '}') {
				c.p++;
				break;
			}
			return -1;
		}
	}
	skip_ws(&c);
	return c.p == c.end ? 0 : -1;
}

void tf_scan_free(tf_scan_result *r)
{
	free(r->members);
	free(r->res);
	memset(r, 0, sizeof(*r));
}
