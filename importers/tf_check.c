/* The checker of undecoded bytes (tf_check.h): JSON's grammar, RFC 8259,
 * as jansson 2.14 applies it, held on the safe side of every limit. */
#include "tf_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct tf_check_key {
	const char *p;              /* the key's bytes, quotes excluded */
	size_t len;
};

/* Where a value stands in a resource: what the strip needs to know. */
enum role { R_NONE, R_RES, R_INSTANCES, R_INST, R_ATTRS };

typedef struct chk {
	tf_checker *ck;
	const char *text, *p, *end;
	int depth;
	int oom;
} chk;

static int value(chk *c, enum role role);

/* JSON's whitespace, what jansson skips: nothing else. */
static void ws(chk *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
}

static int is_digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

static int hex4(const unsigned char *p, const unsigned char *end, unsigned *v)
{
	if (end - p < 4)
		return -1;
	*v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned ch = p[i], d;
		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
			d = (ch | 0x20) - 'a' + 10;
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

/* The length of the UTF-8 sequence at p, 0 when it is not one jansson
 * takes: no overlong forms, no surrogates, nothing past U+10FFFF. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* Past the string at the cursor (its opening quote); *escaped says
 * whether it holds a backslash. jansson refuses control bytes, escapes
 * other than JSON's, \u0000 (without JSON_ALLOW_NUL) and surrogates that
 * are not a high one followed by a low one. */
static int string(chk *c, int *escaped)
{
	const unsigned char *p = (const unsigned char *)c->p + 1;
	const unsigned char *end = (const unsigned char *)c->end;
	size_t n;

	*escaped = 0;
	for (;;) {
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p >= end)
			return -1;
		if (*p == '"') {
			c->p = (const char *)p + 1;
			return 0;
		}
		if (*p != '\\') {
			if (*p < 0x20 || !(n = utf8_len(p, end)))
				return -1;
			p += n;
			continue;
		}
		*escaped = 1;
		if (end - p < 2)
			return -1;
		switch (p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			p += 2;
			break;
		case 'u': {
			unsigned v, w;
			if (hex4(p + 2, end, &v) < 0 || v == 0 || (v >= 0xdc00 && v <= 0xdfff))
				return -1;
			p += 6;
			if (v >= 0xd800 && v <= 0xdbff) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, end, &w) < 0 ||
				    w < 0xdc00 || w > 0xdfff)
					return -1;
				p += 6;
			}
			break;
		}
		default:
			return -1;
		}
	}
}

/* Past the number at the cursor. jansson refuses an integer that does
 * not fit a long long (Google's 19-digit ids do) and a real that
 * overflows a double: here a real whose magnitude may pass 1e300 is not
 * vouched for. */
static int number(chk *c)
{
	const char *p = c->p, *end = c->end, *digits;
	size_t intd = 0, expd = 0;
	long exp = 0;
	int real = 0, neg = 0, minus = 0;

	if (p < end && *p == '-') {
		minus = 1;
		p++;
	}
	digits = p;
	if (!is_digit(p, end))
		return -1;
	if (*p == '0') {
		p++;
		intd = 1;
		if (is_digit(p, end))
			return -1;  /* a leading zero */
	} else {
		for (; is_digit(p, end); p++)
			intd++;
	}
	if (p < end && *p == '.') {
		real = 1;
		if (!is_digit(++p, end))
			return -1;
		while (is_digit(p, end))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		real = 1;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			neg = *p++ == '-';
		if (!is_digit(p, end))
			return -1;
		for (; is_digit(p, end); p++, expd++)
			if (expd < 6)
				exp = exp * 10 + (*p - '0');
		if (expd > 4)
			return -1;
		if (neg)
			exp = -exp;
	}
	if (!real && (intd > 19 ||
	              (intd == 19 &&
	               memcmp(digits, minus ? "9223372036854775808" : "9223372036854775807", 19) > 0)))
		return -1;
	if (real && (intd > 300 || exp > 250 || exp < -250 || (long)intd + exp > 300))
		return -1;
	c->p = p;
	return 0;
}

static int literal(chk *c, const char *word, size_t n)
{
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
		return -1;
	c->p += n;
	return 0;
}

static int push_key(chk *c, const char *p, size_t len)
{
	tf_checker *ck = c->ck;
	if (ck->nkeys == ck->keycap) {
		size_t cap = ck->keycap ? ck->keycap * 2 : 64;
		struct tf_check_key *k = realloc(ck->keys, cap * sizeof(*k));
		if (!k) {
			c->oom = 1;
			return -1;
		}
		ck->keys = k;
		ck->keycap = cap;
	}
	ck->keys[ck->nkeys].p = p;
	ck->keys[ck->nkeys].len = len;
	ck->nkeys++;
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	const struct tf_check_key *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->p, y->p, x->len);
}

/* Whether the keys of one object, keys[base..nkeys), are all different
 * (JSON_REJECT_DUPLICATES): pairwise when few, else sorted, so that no
 * choice of keys makes it slower than n log n. */
static int distinct(chk *c, size_t base)
{
	tf_checker *ck = c->ck;
	const struct tf_check_key *k = ck->keys + base;
	size_t n = ck->nkeys - base;

	if (n <= 12) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (k[i].len == k[j].len && memcmp(k[i].p, k[j].p, k[i].len) == 0)
					return -1;
		return 0;
	}
	if (n > ck->sortcap) {
		struct tf_check_key *s = realloc(ck->sorted, n * sizeof(*s));
		if (!s) {
			c->oom = 1;
			return -1;
		}
		ck->sorted = s;
		ck->sortcap = n;
	}
	memcpy(ck->sorted, k, n * sizeof(*k));
	qsort(ck->sorted, n, sizeof(*k), key_cmp);
	for (size_t i = 1; i < n; i++)
		if (key_cmp(&ck->sorted[i - 1], &ck->sorted[i]) == 0)
			return -1;
	return 0;
}

static int add_attrs(chk *c, const char *from, const char *to)
{
	tf_checker *ck = c->ck;
	if (ck->nattrs == ck->attrcap) {
		size_t cap = ck->attrcap ? ck->attrcap * 2 : 16;
		tf_scan_span *a = realloc(ck->attrs, cap * sizeof(*a));
		if (!a) {
			c->oom = 1;
			return -1;
		}
		ck->attrs = a;
		ck->attrcap = cap;
	}
	ck->attrs[ck->nattrs].off = (size_t)(from - c->text);
	ck->attrs[ck->nattrs].len = (size_t)(to - from);
	ck->attrs[ck->nattrs].line = 0;
	ck->nattrs++;
	return 0;
}

static int is_key(const char *k, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(k, word, len) == 0;
}

/* Into the container at the cursor: 1 when it is empty (and passed), 0
 * to read its items, -1 when it is nested too deep. */
static int enter(chk *c, char close)
{
	if (++c->depth > TF_CHECK_MAX_DEPTH)
		return -1;
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		c->depth--;
		return 1;
	}
	return 0;
}

/* After an item: 1 when another follows, 0 past the container's end
 * (which is then left), -1 when neither. */
static int after_item(chk *c, char close)
{
	ws(c);
	if (c->p < c->end && *c->p == ',') {
		c->p++;
		ws(c);
		return 1;
	}
	if (c->p < c->end && *c->p == close) {
		c->p++;
		c->depth--;
		return 0;
	}
	return -1;
}

static int object(chk *c, enum role role)
{
	size_t base = c->ck->nkeys;
	int rc = enter(c, '}');

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	do {
		const char *k = c->p, *v;
		enum role sub = R_NONE;
		size_t klen;
		int escaped;

		/* an escaped key would need decoding to compare: jansson's */
		if (c->p >= c->end || *c->p != '"' || string(c, &escaped) < 0 || escaped)
			return -1;
		klen = (size_t)(c->p - k) - 2;
		if (c->ck->nkeys - base >= TF_CHECK_MAX_KEYS || push_key(c, k + 1, klen) < 0)
			return -1;
		ws(c);
		if (c->p >= c->end || *c->p != ':')
			return -1;
		c->p++;
		ws(c);
		if (role == R_RES && is_key(k + 1, klen, "instances"))
			sub = R_INSTANCES;
		else if (role == R_INST && is_key(k + 1, klen, "attributes"))
			sub = R_ATTRS;
		v = c->p;
		if (value(c, sub) < 0)
			return -1;
		if (sub == R_ATTRS && *v == '{' && add_attrs(c, v, c->p) < 0)
			return -1;
	} while ((rc = after_item(c, '}')) == 1);
	if (rc < 0 || distinct(c, base) < 0)
		return -1;
	c->ck->nkeys = base;
	return 0;
}

static int array(chk *c, enum role role)
{
	enum role sub = role == R_INSTANCES ? R_INST : R_NONE;
	int rc = enter(c, ']');

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	do {
		if (value(c, sub) < 0)
			return -1;
	} while ((rc = after_item(c, ']')) == 1);
	return rc < 0 ? -1 : 0;
}

static int value(chk *c, enum role role)
{
	int escaped;

	if (c->p >= c->end)
		return -1;
	switch (*c->p) {
	case '{':
		return object(c, role);
	case '[':
		return array(c, role);
	case '"':
		return string(c, &escaped);
	case 't':
		return literal(c, "true", 4);
	case 'f':
		return literal(c, "false", 5);
	case 'n':
		return literal(c, "null", 4);
	default:
		return number(c);
	}
}

int tf_check(tf_checker *ck, const char *text, size_t len)
{
	chk c = { ck, text, text, text + len, 0, 0 };

	ck->nattrs = 0;
	ck->nkeys = 0;
	ws(&c);
	if (c.p >= c.end || *c.p != '{')
		return 0;
	if (object(&c, R_RES) < 0)
		return c.oom ? -1 : 0;
	ws(&c);
	return c.p == c.end;
}

int tf_check_strip(const tf_checker *ck, const char *text, size_t len, sf_buf *out)
{
	size_t at = 0;

	sf_buf_clear(out);
	for (size_t i = 0; i < ck->nattrs; i++) {
		const tf_scan_span *a = &ck->attrs[i];
		sf_buf_add(out, text + at, a->off - at);
		sf_buf_add(out, "{}", 2);
		at = a->off + a->len;
	}
	sf_buf_add(out, text + at, len - at);
	return out->failed || !out->ptr ? -1 : 0;
}

void tf_checker_free(tf_checker *ck)
{
	free(ck->attrs);
	free(ck->keys);
	free(ck->sorted);
	memset(ck, 0, sizeof(*ck));
}
