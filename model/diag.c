#include "diag.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void sf_diags_init(sf_diags *d)
{
	memset(d, 0, sizeof(*d));
}

void sf_diags_free(sf_diags *d)
{
	for (size_t i = 0; i < d->count; i++) {
		free(d->items[i].path);
		free(d->items[i].message);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

static int utf8_len(const unsigned char *s, size_t n)
{
	int need;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if ((size_t)need > n)
		return 0;
	for (int i = 1; i < need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return need;
}

/* Code points that change how a terminal shows what follows: the C1
 * controls (U+0080-U+009F, CSI among them) and the bidirectional
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069, and
 * the marks U+200E and U+200F), which can make a name read as another. */
static int hidden_control(const unsigned char *s, int u, unsigned *cp)
{
	if (u == 2) {
		*cp = ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return *cp >= 0x80 && *cp <= 0x9f;
	}
	if (u == 3) {
		*cp = ((unsigned)(s[0] & 0x0f) << 12) | ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		return (*cp >= 0x202a && *cp <= 0x202e) || (*cp >= 0x2066 && *cp <= 0x2069) ||
		       *cp == 0x200e || *cp == 0x200f;
	}
	return 0;
}

void sf_sanitize(char *out, size_t outsz, const char *in, size_t inlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, i = 0;

	if (outsz == 0)
		return;
	while (i < inlen) {
		char tmp[8];
		size_t tl;
		unsigned cp;
		int u = utf8_len(s + i, inlen - i);
		if (u == 1 && s[i] >= 0x20 && s[i] != 0x7f) {
			tmp[0] = (char)s[i];
			tl = 1;
		} else if (u > 1 && hidden_control(s + i, u, &cp)) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", cp);
			tl = 6;
		} else if (u > 1) {
			memcpy(tmp, s + i, (size_t)u);
			tl = (size_t)u;
		} else {
			snprintf(tmp, sizeof(tmp), "\\x%02x", s[i]);
			tl = 4;
			u = 1;
		}
		if (o + tl + 4 > outsz) {
			if (outsz >= 4) {
				o = o < outsz - 4 ? o : outsz - 4;
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(out + o, tmp, tl);
		o += tl;
		i += (size_t)u;
	}
	out[o < outsz ? o : outsz - 1] = '\0';
}

static void add(sf_diags *d, sf_diag_level level, const char *path, long line,
                const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void add(sf_diags *d, sf_diag_level level, const char *path, long line,
                const char *fmt, va_list ap)
{
	char raw[1024], clean[1024];
	sf_diag *it;
	int n;

	if (level == SF_DIAG_ERROR)
		d->errors++;
	if (d->count >= SF_DIAG_MAX) {
		d->dropped++;
		return;
	}
	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		sf_diag *p = realloc(d->items, cap * sizeof(*p));
		if (!p) {
			d->dropped++;
			return;
		}
		d->items = p;
		d->cap = cap;
	}
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	if (n < 0)
		raw[0] = '\0';
	sf_sanitize(clean, sizeof(clean), raw, strlen(raw));
	it = &d->items[d->count];
	it->level = level;
	it->line = line;
	it->path = path ? strdup(path) : NULL;
	it->message = strdup(clean);
	if ((path && !it->path) || !it->message) {
		free(it->path);
		free(it->message);
		d->dropped++;
		return;
	}
	d->count++;
}

void sf_diag_add(sf_diags *d, sf_diag_level level, const char *path, long line,
                 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, level, path, line, fmt, ap);
	va_end(ap);
}

void sf_diag_error(sf_diags *d, const char *path, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, SF_DIAG_ERROR, path, line, fmt, ap);
	va_end(ap);
}

void sf_diag_warn(sf_diags *d, const char *path, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, SF_DIAG_WARNING, path, line, fmt, ap);
	va_end(ap);
}

size_t sf_diags_errors_for(const sf_diags *d, const char *path)
{
	size_t n = 0;
	if (!path)
		return d->errors;
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].level == SF_DIAG_ERROR && d->items[i].path &&
		    strcmp(d->items[i].path, path) == 0)
			n++;
	return n;
}

void sf_diags_print(const sf_diags *d, FILE *out)
{
	for (size_t i = 0; i < d->count; i++) {
		const sf_diag *it = &d->items[i];
		char path[512];
		const char *lvl = it->level == SF_DIAG_ERROR ? "error" : "warning";
		if (it->path) {
			sf_sanitize(path, sizeof(path), it->path, strlen(it->path));
			if (it->line > 0)
				fprintf(out, "%s:%ld: %s: %s\n", path, it->line, lvl, it->message);
			else
				fprintf(out, "%s: %s: %s\n", path, lvl, it->message);
		} else {
			fprintf(out, "sharedfate: %s: %s\n", lvl, it->message);
		}
	}
	if (d->dropped)
		fprintf(out, "sharedfate: warning: %zu more diagnostics not shown (the limit is %d)\n",
		        d->dropped, SF_DIAG_MAX);
}

void sf_json_error_text(const struct json_error_t *err, char *out, size_t outsz)
{
	const char *near = strstr(err->text, " near ");
	size_t n = near ? (size_t)(near - err->text) : strlen(err->text);

	/* Some of jansson's messages quote the input from inside a string
	 * ("unable to decode byte 0xc3", "control character 0x1f", "invalid
	 * Unicode '\uD834'"): a byte of a secret. Those get a fixed text. */
	if (strstr(err->text, "0x") || strchr(err->text, '\\') ||
	    strstr(err->text, "Unicode")) {
		const char *fixed;
		switch (json_error_code(err)) {
		case json_error_invalid_utf8:
			fixed = "invalid UTF-8 in a string";
			break;
		case json_error_invalid_syntax:
			fixed = "invalid escape or control character in a string";
			break;
		default:
			fixed = "malformed value";
			break;
		}
		snprintf(out, outsz, "%s (column %d)", fixed, err->column);
		return;
	}
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, err->text, n);
	out[n] = '\0';
}

struct json_t *sf_json_load_input(sf_diags *d, const char *path, const char *data, size_t len)
{
	json_error_t err;
	json_t *root;
	size_t n = strlen(data);

	if (n != len) {
		long line = 1;
		for (size_t i = 0; i < n; i++)
			line += data[i] == '\n';
		sf_diag_error(d, path, line, "NUL byte in a JSON file");
		return NULL;
	}
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		char why[sizeof(err.text)];
		sf_json_error_text(&err, why, sizeof(why));
		sf_diag_error(d, path, err.line > 0 ? err.line : 1, "invalid JSON: %s", why);
	}
	return root;
}
