/* A structural scanner for format-4 states (tf_scan.h): byte spans only,
 * nothing decoded. jansson decodes each span afterwards. */
#include "tf_scan.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
static const unsigned char stops_value[256] = {
	['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['"'] = 1, ['\n'] = 1, [0] = 1,
};

/* From an opening quote to past its closing one: the first quote after
 * it that an even number of backslashes precedes (`\"` is escaped, `\\"`
 * is not). memchr() with a bound is fast and reads nothing past the
 * text. A raw newline is not allowed in a string: jansson refuses the
 * span, so the line count inside strings does not matter. */
static int skip_string(cursor *c)
{
	const char *open = c->p, *p = c->p + 1;
	for (;;) {
		const char *q;
		size_t backslashes = 0;
		if (p >= c->end || !(q = memchr(p, '"', (size_t)(c->end - p))))
			return -1;
		while (q - backslashes - 1 > open && q[-(ptrdiff_t)backslashes - 1] == '\\')
			backslashes++;
		if (backslashes % 2 == 0) {
			c->p = q + 1;
			return 0;
		}
		p = q + 1;
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

/* ---- the stream: a window over the file that holds the current value ---- */

#define CHUNK ((size_t)1 << 20)
#define MODE_LINE "      \"mode\": \""        /* Terraform's indentation of a resource */
#define MODE_LEN 15
#define RES_KEY "\"resources\""
#define RES_LEN 11

typedef struct stream {
	int fd;                     /* -1: the whole text is in buf already */
	size_t size, got;           /* bytes to read at most, and read */
	char *buf;                  /* the window: buf[0..have), then a NUL */
	size_t cap, have;
	size_t base;                /* file offset of buf[0] */
	size_t pin;                 /* file offset of the first byte still needed */
	int eof, bad;
	tf_scan_lines *lines;
	long line;                  /* of the next byte fed */
	char head[MODE_LEN];        /* the current line's first bytes */
	size_t nhead;               /* how many; MODE_LEN + 1 once past them */
	char tail[RES_LEN];         /* the last bytes fed, for RES_KEY across reads */
	size_t ntail;
} stream;

static int push_line(tf_scan_lines *l, long line)
{
	if (l->nmode == l->modecap) {
		size_t cap = l->modecap ? l->modecap * 2 : 256;
		long *p = realloc(l->mode_lines, cap * sizeof(*p));
		if (!p)
			return -1;
		l->mode_lines = p;
		l->modecap = cap;
	}
	l->mode_lines[l->nmode++] = line;
	return 0;
}

/* The first RES_KEY in p[0..n), or NULL. */
static const char *find_res_key(const char *p, size_t n)
{
	const char *end = p + n;
	while (n >= RES_LEN && (p = memchr(p, '"', (size_t)(end - p) - RES_LEN + 1))) {
		if (memcmp(p, RES_KEY, RES_LEN) == 0)
			return p;
		p++;
		n = (size_t)(end - p);
	}
	return NULL;
}

/* The lines the importer reports resources at, from every byte of the
 * file in order: each line that starts with MODE_LINE, and the first
 * RES_KEY anywhere. */
static int feed(stream *s, const char *p, size_t n)
{
	tf_scan_lines *l = s->lines;
	const char *end = p + n;

	if (!l)
		return 0;
	if (!l->resources_line) {
		/* the key may straddle two reads: look at the seam first */
		char seam[2 * RES_LEN];
		size_t m = n < RES_LEN ? n : RES_LEN;
		const char *hit;
		memcpy(seam, s->tail, s->ntail);
		memcpy(seam + s->ntail, p, m);
		hit = find_res_key(seam, s->ntail + m);
		if (hit && hit < seam + s->ntail) {
			l->resources_line = s->line;        /* no newline in the key */
		} else if ((hit = find_res_key(p, n))) {
			long line = s->line;
			for (const char *q = p; (q = memchr(q, '\n', (size_t)(hit - q))); q++)
				line++;
			l->resources_line = line;
		}
		if (n >= RES_LEN) {
			memcpy(s->tail, end - RES_LEN, RES_LEN);
			s->ntail = RES_LEN;
		} else {
			size_t keep = s->ntail + n > RES_LEN ? RES_LEN - n : s->ntail;
			memmove(s->tail, s->tail + s->ntail - keep, keep);
			memcpy(s->tail + keep, p, n);
			s->ntail = keep + n;
		}
	}
	while (p < end) {
		const char *nl;
		if (s->nhead < MODE_LEN) {
			/* the start of a line, perhaps over two reads */
			size_t take = MODE_LEN - s->nhead;
			const char *stop = memchr(p, '\n', (size_t)(end - p) < take ? (size_t)(end - p) : take);
			if (stop)
				take = (size_t)(stop - p);
			else if ((size_t)(end - p) < take)
				take = (size_t)(end - p);
			memcpy(s->head + s->nhead, p, take);
			s->nhead += take;
			p += take;
			if (s->nhead == MODE_LEN) {
				if (memcmp(s->head, MODE_LINE, MODE_LEN) == 0 && push_line(l, s->line) < 0)
					return -1;
				s->nhead = MODE_LEN + 1;
			}
			if (!stop)
				continue;
		}
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			break;
		p = nl + 1;
		s->line++;
		s->nhead = 0;
	}
	return 0;
}

/* Drop the window's bytes before the pin and read at least as many
 * bytes again as it then holds (so a value that spans many reads is
 * scanned a bounded number of times). 1 when bytes came, 0 at the end,
 * -1 on error. */
static int refill(stream *s)
{
	size_t want, keep = s->pin - s->base;
	int added = 0;

	if (s->eof)
		return 0;
	memmove(s->buf, s->buf + keep, s->have - keep);
	s->have -= keep;
	s->base = s->pin;
	want = s->have > CHUNK ? s->have : CHUNK;
	if (want > s->size - s->got)
		want = s->size - s->got;
	if (s->cap - 1 - s->have < want) {
		size_t cap = s->have + want + 1;
		char *b = realloc(s->buf, cap);
		if (!b)
			return s->bad = -1;
		s->buf = b;
		s->cap = cap;
	}
	while (want > 0) {
		ssize_t r = read(s->fd, s->buf + s->have, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return s->bad = -1;
		if (r == 0)
			break;
		/* jansson refuses a NUL, and the tables stop at one */
		if (memchr(s->buf + s->have, '\0', (size_t)r) || feed(s, s->buf + s->have, (size_t)r) < 0)
			return s->bad = -1;
		s->have += (size_t)r;
		s->got += (size_t)r;
		want -= (size_t)r;
		added = 1;
	}
	s->buf[s->have] = '\0';
	if (!added || s->got == s->size)
		s->eof = 1;
	return added;
}

/* More of the file after the cursor; the cursor follows its bytes. */
static int more(stream *s, cursor *c)
{
	size_t at = s->base + (size_t)(c->p - s->buf);
	int rc = refill(s);
	c->p = s->buf + (at - s->base);
	c->end = s->buf + s->have;
	return rc;
}

static size_t offset(const stream *s, const cursor *c)
{
	return s->base + (size_t)(c->p - s->buf);
}

/* Whitespace, across reads: what it passes is no longer needed. */
static int stream_ws(stream *s, cursor *c)
{
	for (;;) {
		skip_ws(c);
		if (c->p < c->end || s->eof)
			return 0;
		if (more(s, c) < 0)
			return -1;
	}
}

/* The byte at the cursor, across reads; 0 at the end of the file. */
static int stream_peek(stream *s, cursor *c)
{
	if (c->p >= c->end && !s->eof && more(s, c) < 0)
		return -1;
	return c->p < c->end ? (unsigned char)*c->p : 0;
}

/* Past one value (a key when `key`) that starts at the cursor: skip_value,
 * run again over a longer window while the value runs past the window's
 * end. The pin must not be after the cursor. */
static int stream_value(stream *s, cursor *c, int depth, int key)
{
	size_t at = offset(s, c);
	long line = c->line;

	for (;;) {
		cursor t = *c;
		int rc = key ? skip_string(&t) : skip_value(&t, depth);
		/* a number or a word that ends at the window's end may go on */
		if (rc == 0 && (t.p < t.end || s->eof)) {
			*c = t;
			return 0;
		}
		if (s->eof || more(s, c) <= 0)
			return -1;
		c->p = s->buf + (at - s->base);
		c->line = line;
	}
}

/* A span from file offset `from` to the cursor, as offsets into the
 * window (valid until the next read). */
static tf_scan_span span_to(const stream *s, const cursor *c, size_t from, long line)
{
	tf_scan_span sp = { from - s->base, offset(s, c) - from, line };
	return sp;
}

/* The elements of `resources`, from its '['. */
static int stream_resources(stream *s, cursor *c, const tf_scan_sink *sink)
{
	size_t index = 0;
	int ch;

	c->p++;
	if (stream_ws(s, c) < 0 || (ch = stream_peek(s, c)) < 0)
		return -1;
	if (ch == ']') {
		c->p++;
		return 0;
	}
	for (;;) {
		size_t from = offset(s, c);
		long line = c->line;
		tf_scan_span r;
		int rc;
		s->pin = from;
		if (stream_value(s, c, 2, 0) < 0)
			return -1;
		r = span_to(s, c, from, line);
		if ((rc = sink->resource(s->buf, &r, index++, sink->payload)) != 0)
			return rc;
		s->pin = offset(s, c);
		if (stream_ws(s, c) < 0 || (ch = stream_peek(s, c)) < 0)
			return -1;
		if (ch == ',') {
			c->p++;
			if (stream_ws(s, c) < 0)
				return -1;
			continue;
		}
		if (ch == ']') {
			c->p++;
			return 0;
		}
		return -1;
	}
}

/* The skeleton (tf_scan.h), read through the window. */
static int scan_stream(stream *s, const tf_scan_sink *sink, int *has_resources)
{
	cursor c;
	int ch, rc;

	c.p = s->buf;
	c.end = s->buf + s->have;
	c.line = 1;
	*has_resources = 0;
	if (stream_ws(s, &c) < 0 || stream_peek(s, &c) != '{')
		return -1;
	c.p++;
	s->pin = offset(s, &c);
	if (stream_ws(s, &c) < 0 || (ch = stream_peek(s, &c)) < 0)
		return -1;
	if (ch == '}') {
		c.p++;
	} else {
		for (;;) {
			tf_scan_member m;
			size_t kfrom = offset(s, &c), klen;
			long kline = c.line;
			if (stream_peek(s, &c) != '"')
				return -1;
			s->pin = kfrom;     /* the key, until its value is passed on */
			if (stream_value(s, &c, 0, 1) < 0)
				return -1;
			klen = offset(s, &c) - kfrom;
			if (stream_ws(s, &c) < 0 || stream_peek(s, &c) != ':')
				return -1;
			c.p++;
			if (stream_ws(s, &c) < 0 || (ch = stream_peek(s, &c)) < 0)
				return -1;
			if (klen == RES_LEN && ch == '[' &&
			    memcmp(s->buf + (kfrom - s->base), RES_KEY, RES_LEN) == 0) {
				if (*has_resources)
					return -1;      /* a duplicate key: jansson says so */
				*has_resources = 1;
				if ((rc = stream_resources(s, &c, sink)) != 0)
					return rc;
			} else {
				size_t vfrom = offset(s, &c);
				long vline = c.line;
				if (stream_value(s, &c, 1, 0) < 0)
					return -1;
				m.key.off = kfrom - s->base;
				m.key.len = klen;
				m.key.line = kline;
				m.value = span_to(s, &c, vfrom, vline);
				if ((rc = sink->member(s->buf, &m, sink->payload)) != 0)
					return rc;
			}
			s->pin = offset(s, &c);
			if (stream_ws(s, &c) < 0 || (ch = stream_peek(s, &c)) < 0)
				return -1;
			if (ch == ',') {
				c.p++;
				if (stream_ws(s, &c) < 0)
					return -1;
				continue;
			}
			if (ch == '}') {
				c.p++;
				break;
			}
			return -1;
		}
	}
	s->pin = offset(s, &c);
	if (stream_ws(s, &c) < 0)
		return -1;
	return c.p == c.end && s->eof ? 0 : -1;
}

int tf_scan_text(const char *text, size_t len, const tf_scan_sink *sink, tf_scan_lines *lines,
                 int *has_resources)
{
	stream s;
	memset(&s, 0, sizeof(s));
	s.fd = -1;
	s.line = 1;
	s.buf = (char *)(uintptr_t)text;    /* never written: the whole text is read */
	s.have = s.size = s.got = len;
	s.eof = 1;
	s.lines = lines;
	if (lines) {
		memset(lines, 0, sizeof(*lines));
		if (feed(&s, text, len) < 0)
			return -1;
	}
	return scan_stream(&s, sink, has_resources);
}

int tf_scan_fd(int fd, size_t size, const tf_scan_sink *sink, tf_scan_lines *lines,
               int *has_resources)
{
	stream s;
	int rc = -1;
	memset(&s, 0, sizeof(s));
	s.fd = fd;
	s.size = size;
	s.lines = lines;
	s.line = 1;
	if (lines)
		memset(lines, 0, sizeof(*lines));
	*has_resources = 0;
	if ((s.buf = malloc(CHUNK + 1))) {
		s.cap = CHUNK + 1;
		s.buf[0] = '\0';
		if (refill(&s) >= 0 && !s.bad)
			rc = scan_stream(&s, sink, has_resources);
	}
	free(s.buf);
	return s.bad ? -1 : rc;
}

void tf_scan_lines_free(tf_scan_lines *l)
{
	free(l->mode_lines);
	memset(l, 0, sizeof(*l));
}

typedef int (*walk_fn)(size_t, int, const tf_scan_span *, const tf_scan_span *, void *);

static int elements_at(cursor *c, const char *text, int depth, walk_fn found, void *payload);

/* Past the comma after an item, if there is one. */
static void next_item(cursor *c)
{
	skip_ws(c);
	if (c->p < c->end && *c->p == ',') {
		c->p++;
		skip_ws(c);
	}
}

/* Past the closing bracket at the cursor; -1 at the end of the text. */
static int close_at(cursor *c)
{
	if (c->p >= c->end)
		return -1;
	c->p++;
	return 0;
}

/* The members of the object at the cursor (its '{'), to past its '}'. */
static int members_at(cursor *c, const char *text, size_t elem, int depth, walk_fn found,
                      void *payload)
{
	c->p++;
	skip_ws(c);
	while (c->p < c->end && *c->p != '}') {
		tf_scan_span k, v;
		int rc;
		k.off = (size_t)(c->p - text);
		k.line = c->line;
		if (skip_string(c) < 0)
			return -1;
		k.len = (size_t)(c->p - text) - k.off;
		skip_ws(c);
		if (c->p >= c->end || *c->p != ':')
			return -1;
		c->p++;
		skip_ws(c);
		v.off = (size_t)(c->p - text);
		v.line = c->line;
		v.len = 0;
		rc = found(elem, depth, &k, &v, payload);
		if (rc == TF_SCAN_DESCEND && c->p < c->end && (*c->p == '{' || *c->p == '[')) {
			rc = *c->p == '{' ? members_at(c, text, elem, depth + 1, found, payload)
			                  : elements_at(c, text, depth + 1, found, payload);
			if (rc != 0)
				return rc;
		} else if (rc != 0 && rc != TF_SCAN_DESCEND && rc != TF_SCAN_SPAN) {
			return rc;
		} else {
			if (skip_value(c, 0) < 0)
				return -1;
			v.len = (size_t)(c->p - text) - v.off;
			if (rc == TF_SCAN_SPAN && (rc = found(elem, depth, &k, &v, payload)) != 0)
				return rc;
		}
		next_item(c);
	}
	return close_at(c);
}

/* The elements of the array at the cursor (its '['): the members of each
 * object among them, with its index. */
static int elements_at(cursor *c, const char *text, int depth, walk_fn found, void *payload)
{
	size_t elem = 0;
	c->p++;
	skip_ws(c);
	while (c->p < c->end && *c->p != ']') {
		int rc = *c->p == '{' ? members_at(c, text, elem, depth, found, payload) : skip_value(c, 0);
		if (rc != 0)
			return rc;
		elem++;
		next_item(c);
	}
	return close_at(c);
}

int tf_scan_walk(const char *text, size_t len, walk_fn found, void *payload)
{
	cursor c = { text, text + len, 1 };
	skip_ws(&c);
	if (c.p >= c.end || *c.p != '{')
		return -1;
	return members_at(&c, text, 0, 0, found, payload);
}

size_t tf_scan_minify(const char *text, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			continue;
		out[o++] = ch;
		if (ch != '"')
			continue;
		/* a string, copied whole: a backslash takes the next byte along */
		for (i++; i < len && text[i] != '"'; i++) {
			out[o++] = text[i];
			if (text[i] == '\\' && i + 1 < len)
				out[o++] = text[++i];
		}
		if (i < len)
			out[o++] = '"';
	}
	return o;
}
