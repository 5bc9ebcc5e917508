/* Zone files: RFC 1035 master format, BIND dialect, on libzscanner.
 *
 * The file is parsed record by record (zs_parse_record, never
 * zs_parse_all, which follows $INCLUDE on its own to any path and without
 * a depth limit). Records are collected first and turned into graph facts
 * once the whole zone, includes and all, is known: the apex (first SOA),
 * the delegations and the name servers decide which zone serves a name.
 *
 * The text is cut into entries first (a line, or the lines a parenthesis
 * holds together) and libzscanner gets one entry at a time. That keeps
 * every line number exact and lets one record fail alone: a record the
 * analysis does not use and libzscanner cannot read (a type it does not
 * know, rdata BIND accepts and it does not) is kept as its owner name with
 * a warning, and the rest of the zone is imported. Shapes BIND reads and
 * libzscanner 3.2 does not (CRLF, a relative $ORIGIN, CLASS1, base64 in
 * pieces) are rewritten into ones it does.
 *
 * Graph: `zone:<apex>` (dns_zone) served by one `dnsprovider:` node per
 * operator of its NS records (ANY gate: the zone is up while one provider
 * is); `dns:<owner>` (dns_name) per owner, served by its zone, with
 * resolves_to edges to CNAME/DNAME/SVCB-alias targets (`dns:` nodes, which
 * other inputs may define) and to A/AAAA addresses (`ip:` endpoints). */
#include "zone.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libzscanner/scanner.h>

#include "dns_common.h"
#include "importer.h"
#include "manifest.h"
#include "model/files.h"

#define ZONE_MAX_ERRORS 50          /* per zone: then the rest is not read */
#define ZONE_MAX_SKIP_WARNINGS 20   /* per zone: then one count at the end */
#define ZONE_DEFAULT_TTL 3600       /* when neither $TTL nor the record says */
#define ZONE_CLASS_IN 1
#define ZONE_ENTRY_TOKENS 512       /* longest record (in tokens) ever rewritten */
#define ZONE_HEAD_TOKENS 8          /* enough to classify an entry */

enum {
	T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_SIG = 24, T_KEY = 25, T_AAAA = 28,
	T_NXT = 30, T_DNAME = 39, T_RRSIG = 46, T_NSEC = 47, T_SVCB = 64, T_HTTPS = 65,
	T_PLACEHOLDER = 65534       /* stands for a record that was not read */
};

/* One record, as the analysis needs it: 28 bytes, as a large zone holds
 * millions. The owner, the target and the file are numbers (zctx.owners,
 * the graph's strings, zctx.paths); a line fits 32 bits, as the text read
 * is at most SF_ZONE_MAX_BYTES. */
typedef struct zrec {
	/* what the record points at, as the key of its node (`dns:name`,
	 * `ip:address`), interned; SF_STR_NONE when nothing */
	sf_str_id target;
	uint32_t oid;               /* owner: zctx.owners[oid] */
	uint32_t file;              /* shown path, interned: zctx.paths[file] */
	uint32_t line;
	uint32_t ttl;
	uint32_t rdata_hash;        /* tells a repeated record from a second one */
	uint16_t type;              /* 0 when a skipped record's type is unknown */
	unsigned char skipped;      /* not read: only its owner is known */
} zrec;

#define ROWNER(z, r) ((z)->owners[(r)->oid])
#define RPATH(z, r) ((z)->paths[(r)->file])
/* A name's key is `dns:` and the name: one string for both. */
#define DNS_PREFIX "dns:"
#define DNS_SKIP 4
#define IP_PREFIX "ip:"
#define IP_SKIP 3

typedef struct zctx {
	sf_import_ctx *ctx;
	sf_graph *g;
	zrec *recs;
	size_t nrecs, cap;
	/* Owners in the order they first appear, so that records group by
	 * owner without comparing names: the name (the tail of its interned
	 * key, so one name is one pointer) and the key's string number; and
	 * the last owner read, in wire form, as the next record usually has
	 * the same one. */
	const char **owners;
	sf_str_id *osid;
	size_t nowners, ownerscap;
	const char **paths;         /* shown paths of the files read, interned */
	size_t npaths;
	/* string number -> owner number (UINT32_MAX: owns nothing here);
	 * string numbers are dense, so an array does what a hash table
	 * would, with no hashing */
	uint32_t *sid_owner;
	size_t sid_cap;
	uint8_t last_wire[256];
	size_t last_wire_len;
	const char *last_owner;
	uint32_t last_oid;
	const char *stack[SF_ZONE_MAX_INCLUDE_DEPTH + 1];  /* real paths being read */
	size_t depth;
	size_t files;
	size_t bytes;               /* text read, includes and all */
	size_t errors;
	size_t skipped;             /* records kept as their owner only */
	int stopped;                /* a limit was hit: read nothing more */
	long line_override;         /* records of a $GENERATE: its line */
	const char *soa_owner;
	const char *soa_path;
	long soa_line;
	int oom;
	int strict;                 /* --strict-zones: a record not read refuses the zone */
	size_t max_records, max_generated, generated;
	/* Only looking for the files the zone includes (the scan's
	 * `includes` hook): no diagnostic, no record, no $GENERATE. */
	int quiet;
	void (*found)(const char *realpath, void *payload);
	void *payload;
	/* A $GENERATE being read: its first problem is said once, at its end;
	 * `capture` keeps the first problem of the whole text the same way. */
	int in_generate;
	int capture;
	size_t gen_problems;
	sf_diag_level gen_level;
	char gen_msg[1024];
} zctx;

/* Every diagnostic of the reading goes through here: none at all when only
 * includes are looked for, one per $GENERATE rather than one per record. */
static void zdiag(zctx *z, sf_diag_level level, const char *path, long line, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));
static void zdiag(zctx *z, sf_diag_level level, const char *path, long line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (z->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (z->in_generate || z->capture) {
		if (z->gen_problems++ == 0 || (level == SF_DIAG_ERROR && z->gen_level != SF_DIAG_ERROR)) {
			z->gen_level = level;
			snprintf(z->gen_msg, sizeof(z->gen_msg), "%s", msg);
		}
		return;
	}
	sf_diag_add(z->ctx->diags, level, path, line, "%s", msg);
}

/* ---- small lexer: parentheses, quotes, comments ---- */

typedef struct lexpos {
	size_t i;
	long line;
	int depth;
	long open_line;             /* line of the outermost open '(' */
} lexpos;

/* Advance over one byte of master-file text, keeping track of nesting. */
static void lex_step(const char *d, size_t len, lexpos *p, int *quote, int *comment)
{
	char c = d[p->i++];
	if (c == '\n') {
		p->line++;
		*comment = 0;
		*quote = 0;         /* a newline ends an unterminated string */
		return;
	}
	if (*comment)
		return;
	if (c == '\\') {
		if (p->i < len && d[p->i] != '\n')
			p->i++;
		return;
	}
	if (*quote) {
		if (c == '"')
			*quote = 0;
		return;
	}
	if (c == '"')
		*quote = 1;
	else if (c == ';')
		*comment = 1;
	else if (c == '(') {
		if (p->depth++ == 0)
			p->open_line = p->line;
	} else if (c == ')' && p->depth > 0)
		p->depth--;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* ---- tokens, for $GENERATE and the origin guess ---- */

#define MAX_TOKENS 16

typedef struct tok {
	const char *s;
	size_t n;
} tok;

/* Split one line into blank-separated tokens; a quoted string is one
 * token, `;` starts a comment. Returns the count, or -1 past MAX_TOKENS. */
static int tokenize(const char *s, size_t n, tok *out)
{
	size_t i = 0;
	int nt = 0;
	while (i < n) {
		size_t b;
		while (i < n && is_blank(s[i]))
			i++;
		if (i >= n || s[i] == ';' || s[i] == '\n')
			break;
		if (nt == MAX_TOKENS)
			return -1;
		b = i;
		if (s[i] == '"') {
			i++;
			while (i < n && s[i] != '"' && s[i] != '\n') {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
			if (i < n && s[i] == '"')
				i++;
		} else {
			while (i < n && !is_blank(s[i]) && s[i] != ';' && s[i] != '\n') {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
		}
		out[nt].s = s + b;
		out[nt].n = i - b;
		nt++;
	}
	return nt;
}

static int tok_is(const tok *t, const char *word)
{
	return t->n == strlen(word) && strncasecmp(t->s, word, t->n) == 0;
}

/* Absolute: ends with a dot that is not escaped. */
static int tok_absolute(const tok *t)
{
	size_t bs = 0;
	if (t->n == 0 || t->s[t->n - 1] != '.')
		return 0;
	for (size_t k = t->n - 1; k > 0 && t->s[k - 1] == '\\'; k--)
		bs++;
	return bs % 2 == 0;
}

/* ---- $GENERATE ---- */

static int parse_u31(const char *s, size_t n, long long *out)
{
	long long v = 0;
	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > 2147483647LL)
		return -1;
	*out = v;
	return 0;
}

static int parse_range(const tok *t, long long *start, long long *stop, long long *step)
{
	const char *dash = memchr(t->s, '-', t->n), *slash;
	size_t rest;
	if (!dash)
		return -1;
	if (parse_u31(t->s, (size_t)(dash - t->s), start) < 0)
		return -1;
	rest = t->n - (size_t)(dash - t->s) - 1;
	slash = memchr(dash + 1, '/', rest);
	if (slash) {
		if (parse_u31(dash + 1, (size_t)(slash - dash - 1), stop) < 0 ||
		    parse_u31(slash + 1, rest - (size_t)(slash - dash), step) < 0)
			return -1;
	} else {
		if (parse_u31(dash + 1, rest, stop) < 0)
			return -1;
		*step = 1;
	}
	return *start <= *stop && *step >= 1 ? 0 : -1;
}

/* Write `value` in `base` with at least `width` digits. */
static int put_number(sf_buf *b, long long value, unsigned width, char base)
{
	char tmp[160];
	uint32_t u = (uint32_t)value;
	switch (base) {
	case 'd':
		snprintf(tmp, sizeof(tmp), "%0*lld", (int)width, value);
		break;
	case 'o':
		snprintf(tmp, sizeof(tmp), "%0*o", (int)width, (unsigned)u);
		break;
	case 'x':
		snprintf(tmp, sizeof(tmp), "%0*x", (int)width, (unsigned)u);
		break;
	case 'X':
		snprintf(tmp, sizeof(tmp), "%0*X", (int)width, (unsigned)u);
		break;
	default: {
		/* Nibbles, least significant first, dot separated, as BIND writes
		 * them for reverse zones: the width counts digits and dots, and
		 * a dot follows a digit while width or value remain. */
		const char *digits = base == 'N' ? "0123456789ABCDEF" : "0123456789abcdef";
		unsigned w = width;
		size_t o = 0;
		do {
			tmp[o++] = digits[u & 0xf];
			u >>= 4;
			if (w)
				w--;
			if (w || u) {
				tmp[o++] = '.';
				if (w)
					w--;
			}
		} while ((u || w) && o + 3 < sizeof(tmp));
		tmp[o] = '\0';
		break;
	}
	}
	return sf_buf_puts(b, tmp);
}

/* Substitute the iterator into one lhs/rhs template. */
static int substitute(const tok *t, long long i, sf_buf *b, char *err, size_t errsz)
{
	for (size_t k = 0; k < t->n; k++) {
		char c = t->s[k];
		long long offset = 0, value;
		unsigned long width = 0;
		char base = 'd';
		if (c == '\\' && k + 1 < t->n && t->s[k + 1] == '$') {
			sf_buf_putc(b, '$');
			k++;
			continue;
		}
		if (c == '\\' && k + 1 < t->n) {
			sf_buf_add(b, t->s + k, 2);
			k++;
			continue;
		}
		if (c != '$') {
			sf_buf_putc(b, c);
			continue;
		}
		if (k + 1 < t->n && t->s[k + 1] == '$') {
			sf_buf_putc(b, '$');
			k++;
			continue;
		}
		if (k + 1 < t->n && t->s[k + 1] == '{') {
			const char *p = t->s + k + 2, *end = memchr(p, '}', t->n - k - 2);
			char spec[64], *q, *next;
			if (!end || (size_t)(end - p) >= sizeof(spec)) {
				snprintf(err, errsz, "$GENERATE: syntax error: '${' without '}'");
				return -1;
			}
			memcpy(spec, p, (size_t)(end - p));
			spec[end - p] = '\0';
			q = spec;
			offset = strtoll(q, &next, 10);
			if (next == q || (*next && *next != ',')) {
				snprintf(err, errsz, "$GENERATE: syntax error in '${%s}'", spec);
				return -1;
			}
			if (offset < -2147483647LL - 1 || offset > 2147483647LL) {
				snprintf(err, errsz, "$GENERATE: offset out of range");
				return -1;
			}
			if (*next == ',') {
				q = next + 1;
				if (*q < '0' || *q > '9') {
					snprintf(err, errsz, "$GENERATE: syntax error in '${%s}'", spec);
					return -1;
				}
				width = strtoul(q, &next, 10);
				if (width > 128) {
					snprintf(err, errsz, "$GENERATE: field width out of range");
					return -1;
				}
				if (*next == ',') {
					q = next + 1;
					if (!strchr("doxXnN", *q) || !*q || q[1]) {
						snprintf(err, errsz, "$GENERATE: syntax error in '${%s}'", spec);
						return -1;
					}
					base = *q;
				} else if (*next) {
					snprintf(err, errsz, "$GENERATE: syntax error in '${%s}'", spec);
					return -1;
				}
			}
			k = (size_t)(end - t->s);
		}
		value = i + offset;
		if (value < -2147483647LL - 1 || value > 2147483647LL) {
			snprintf(err, errsz, "$GENERATE: value out of range");
			return -1;
		}
		put_number(b, value, (unsigned)width, base);
	}
	return 0;
}

/* Meta types that can never appear in a zone (RFC 6895): a $GENERATE of
 * one is refused the way BIND refuses it. */
static int meta_type(const tok *t)
{
	static const char *const meta[] = { "TKEY", "TSIG", "IXFR", "AXFR", "MAILB", "MAILA",
	                                    "ANY", "OPT" };
	for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		if (tok_is(t, meta[i]))
			return 1;
	return 0;
}

long sf_zone_generate(const char *line, size_t len, long max, sf_buf *out, char *err,
                      size_t errsz)
{
	tok t[MAX_TOKENS];
	int nt = tokenize(line, len, t);
	long long start, stop, step, count = 0;

	if (nt < 0 || nt < 5 || nt > 7) {
		snprintf(err, errsz, "$GENERATE: syntax error: expected range lhs [ttl] [class] type rhs");
		return -1;
	}
	if (parse_range(&t[1], &start, &stop, &step) < 0) {
		snprintf(err, errsz, "$GENERATE: invalid range '%.*s'", (int)t[1].n, t[1].s);
		return -1;
	}
	if (meta_type(&t[nt - 2])) {
		snprintf(err, errsz, "$GENERATE: meta RR type '%.*s' not allowed", (int)t[nt - 2].n,
		         t[nt - 2].s);
		return -1;
	}
	if ((stop - start) / step + 1 > SF_ZONE_MAX_GENERATE) {
		snprintf(err, errsz, "$GENERATE: range makes more than %d names", SF_ZONE_MAX_GENERATE);
		return -1;
	}
	/* Counted before anything is made: the budget bounds the work. */
	if ((stop - start) / step + 1 > max) {
		snprintf(err, errsz, "$GENERATE: more records than the zone may still generate");
		return -2;
	}
	for (long long i = start; i <= stop; i += step) {
		if (substitute(&t[2], i, out, err, errsz) < 0)
			return -1;
		for (int k = 3; k < nt - 1; k++) {
			sf_buf_putc(out, ' ');
			sf_buf_add(out, t[k].s, t[k].n);
		}
		sf_buf_putc(out, ' ');
		if (substitute(&t[nt - 1], i, out, err, errsz) < 0)
			return -1;
		if (sf_buf_putc(out, '\n') < 0) {
			snprintf(err, errsz, "$GENERATE: output too large");
			return -1;
		}
		count++;
	}
	return (long)count;
}

/* ---- origin ---- */

int sf_zone_origin_from_filename(const char *path, char *out, size_t outsz)
{
	const char *base = strrchr(path, '/');
	size_t n;
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".zone") == 0)
		return sf_dns_canon(base, n - 5, 0, out, outsz) < 0 ? -1 : 0;
	if (n > 3 && strncmp(base, "db.", 3) == 0)
		return sf_dns_canon(base + 3, n - 3, 0, out, outsz) < 0 ? -1 : 0;
	if (n > 3 && strcmp(base + n - 3, ".db") == 0 && memchr(base, '.', n - 3))
		return sf_dns_canon(base, n - 3, 0, out, outsz) < 0 ? -1 : 0;
	return -1;
}

int sf_zone_origin_from_text(const char *data, size_t len, char *out, size_t outsz)
{
	size_t i = 0;
	/* Only the lines before the first record count; give up after a few
	 * hundred lines of comments. */
	for (int lines = 0; i < len && lines < 512; lines++) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
		tok t[MAX_TOKENS];
		int nt = tokenize(data + i, n, t);
		int owner_first = n > 0 && !is_blank(data[i]);
		i += n + 1;
		if (nt < 0)
			return -1;
		if (nt == 0)
			continue;
		if (tok_is(&t[0], "$ORIGIN"))
			return nt >= 2 && tok_absolute(&t[1]) &&
			       sf_dns_canon(t[1].s, t[1].n, 0, out, outsz) >= 0 ? 0 : -1;
		if (t[0].n && t[0].s[0] == '$')
			continue;           /* $TTL, $INCLUDE, $GENERATE */
		if (!owner_first || !tok_absolute(&t[0]))
			return -1;
		for (int k = 1; k < nt && k < 4; k++)
			if (tok_is(&t[k], "SOA"))
				return sf_dns_canon(t[0].s, t[0].n, 0, out, outsz) < 0 ? -1 : 0;
		return -1;
	}
	return -1;
}

/* ---- entries: a line, or the lines a parenthesis holds together ---- */

typedef struct zentry {
	size_t start, end;          /* [start, end): the text, its newline included */
	long line;                  /* its first line */
	long open_line;             /* a '(' still open at the end of the text, or 0 */
} zentry;

static int lex_special(char c)
{
	return c == '\n' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')';
}

/* The entry that starts at p->i; p is left after it. */
static void next_entry(const char *d, size_t len, lexpos *p, zentry *e)
{
	int quote = 0, comment = 0;

	e->start = p->i;
	e->line = p->line;
	e->open_line = 0;
	p->depth = 0;
	while (p->i < len) {
		char c;
		/* bytes that change no state, in or out of a string or comment:
		 * most of the text */
		while (p->i < len && !lex_special(d[p->i]))
			p->i++;
		if (p->i >= len)
			break;
		c = d[p->i];
		lex_step(d, len, p, &quote, &comment);
		if (c == '\n' && p->depth == 0)
			break;
	}
	e->end = p->i;
	if (p->depth > 0)
		e->open_line = p->open_line;
}

/* Split an entry into tokens as the scanner sees them: blanks, newlines
 * and parentheses separate, `;` starts a comment, a quoted string is one
 * token. Returns the count; past `max` tokens *more is set. *stray is set
 * by a ')' that closes nothing. */
static int entry_tokens(const char *s, size_t n, tok *out, int max, int *more, int *stray)
{
	size_t i = 0;
	int nt = 0, depth = 0;

	*more = *stray = 0;
	while (i < n) {
		char c = s[i];
		size_t b = i;
		if (is_blank(c) || c == '\n' || c == '(' || c == ')') {
			if (c == '(')
				depth++;
			else if (c == ')' && depth-- == 0)
				*stray = 1;
			i++;
			continue;
		}
		if (c == ';') {
			while (i < n && s[i] != '\n')
				i++;
			continue;
		}
		if (nt == max) {
			*more = 1;
			break;
		}
		if (c == '"') {
			i++;
			while (i < n && s[i] != '"' && s[i] != '\n') {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
			if (i < n && s[i] == '"')
				i++;
		} else {
			while (i < n && !is_blank(s[i]) && s[i] != '\n' && s[i] != ';' && s[i] != '(' &&
			       s[i] != ')' && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
		}
		out[nt].s = s + b;
		out[nt].n = i - b;
		nt++;
	}
	return nt;
}

/* The start of a record: [owner] [ttl] [class] type (TTL and class in
 * either order). */
typedef struct zhead {
	int owner;                  /* 1 when t[0] is the owner */
	int type_at;                /* the type token, or -1 */
	int type;                   /* its number, or -1 when unknown */
} zhead;

/* IN, CH, HS, CS, NONE, ANY or RFC 3597's CLASSn: the number, else -1. */
static int class_number(const tok *t)
{
	static const struct {
		const char *name;
		int n;
	} classes[] = { { "IN", 1 }, { "CS", 2 }, { "CH", 3 }, { "HS", 4 }, { "NONE", 254 },
	                { "ANY", 255 } };
	long long v;
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (tok_is(t, classes[i].name))
			return classes[i].n;
	if (t->n > 5 && strncasecmp(t->s, "CLASS", 5) == 0 && parse_u31(t->s + 5, t->n - 5, &v) == 0 &&
	    v <= 65535)
		return (int)v;
	return -1;
}

static void entry_head(const char *text, const tok *t, int nt, zhead *h)
{
	int k, seen = 0;
	char name[24];

	h->owner = !is_blank(text[0]) && text[0] != '\n' && text[0] != '(';
	h->type_at = -1;
	h->type = -1;
	for (k = h->owner; k < nt && seen < 2; k++, seen++)
		if (!(t[k].s[0] >= '0' && t[k].s[0] <= '9') && class_number(&t[k]) < 0)
			break;
	if (k >= nt)
		return;
	h->type_at = k;
	if (t[k].n < sizeof(name)) {
		memcpy(name, t[k].s, t[k].n);
		name[t[k].n] = '\0';
		h->type = sf_dns_type_from_name(name);
	}
}

/* The type token as it may be quoted in a message: a type name, else "?".
 * Never more of the input than a short run of letters and digits. */
static const char *type_label(const tok *t, const zhead *h, char *buf, size_t bufsz)
{
	const tok *ty = h->type_at >= 0 ? &t[h->type_at] : NULL;
	if (h->type >= 0)
		return sf_dns_type_name((uint16_t)h->type, buf, bufsz);
	if (!ty || ty->n == 0 || ty->n >= bufsz || ty->n > 16)
		return "?";
	for (size_t i = 0; i < ty->n; i++) {
		char c = ty->s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return "?";
		buf[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	buf[ty->n] = '\0';
	return buf;
}

/* ---- rewriting what BIND reads and libzscanner 3.2 does not ---- */

/* Types whose rdata ends in base64 (or hex) that BIND takes in pieces of
 * any length (RFC 4034 allows whitespace anywhere in it), and how many
 * fields come before it. libzscanner wants each piece a multiple of 4. */
static int base64_fields(int type)
{
	switch (type) {
	case 25: case 48: case 60: case 37: /* KEY DNSKEY CDNSKEY CERT */
		return 3;
	case 24: case 46:                   /* SIG RRSIG */
		return 8;
	case 49: case 61:                   /* DHCID OPENPGPKEY */
		return 0;
	default:
		return -1;
	}
}

/* A byte BIND takes in a name and libzscanner wants escaped. */
static int name_byte_needs_escape(char c)
{
	return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	         c == '-' || c == '_' || c == '*' || c == '.' || c == '/' || c == '\\');
}

static int owner_needs_escape(const tok *t)
{
	if (tok_is(t, "@"))
		return 0;
	for (size_t i = 0; i < t->n; i++) {
		if (t->s[i] == '\\') {
			i++;
			continue;
		}
		if (name_byte_needs_escape(t->s[i]))
			return 1;
	}
	return 0;
}

static void put_owner(sf_buf *b, const tok *t)
{
	if (tok_is(t, "@")) {
		sf_buf_putc(b, '@');
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		char c = t->s[i];
		if (c == '\\' && i + 1 < t->n) {
			sf_buf_add(b, t->s + i, 2);
			i++;
		} else if (name_byte_needs_escape(c)) {
			sf_buf_printf(b, "\\%03u", (unsigned)(unsigned char)c);
		} else {
			sf_buf_putc(b, c);
		}
	}
}

/* The class as libzscanner 3.2 reads it: CLASS1 is IN (RFC 3597). */
static void put_class_or_token(sf_buf *b, const tok *t)
{
	static const char *const names[] = { NULL, "IN", NULL, "CH", "HS" };
	int c = t->n > 5 && strncasecmp(t->s, "CLASS", 5) == 0 ? class_number(t) : -1;
	if (c >= 1 && c <= 4 && names[c])
		sf_buf_puts(b, names[c]);
	else
		sf_buf_add(b, t->s, t->n);
}

/* The record again on one line, as BIND reads it: the owner escaped where
 * needed, CLASSn by name, base64 pieces joined. Returns 1 when that
 * changes what libzscanner sees, else 0 (nothing worth a retry). */
static int rewrite_record(sf_buf *b, const tok *t, int nt, const zhead *h)
{
	int changed = 0, join = -1;

	if (h->type_at < 0)
		return 0;
	if (h->owner) {
		changed |= owner_needs_escape(&t[0]);
		put_owner(b, &t[0]);
	}
	for (int k = h->owner; k < h->type_at; k++) {
		changed |= t[k].n > 5 && strncasecmp(t[k].s, "CLASS", 5) == 0;
		sf_buf_putc(b, ' ');
		put_class_or_token(b, &t[k]);
	}
	if (base64_fields(h->type) >= 0) {
		join = h->type_at + 1 + base64_fields(h->type);
		changed |= nt - join > 1;
	}
	for (int k = h->type_at; k < nt; k++) {
		if (join < 0 || k <= join)
			sf_buf_putc(b, ' ');
		sf_buf_add(b, t[k].s, t[k].n);
	}
	sf_buf_putc(b, '\n');
	return changed;
}

/* The record reduced to its owner: owner, TTL, class and a private type
 * with empty rdata, which libzscanner reads whatever the record was. */
static void placeholder_record(sf_buf *b, const tok *t, const zhead *h)
{
	if (h->owner)
		put_owner(b, &t[0]);
	for (int k = h->owner; k < h->type_at; k++) {
		sf_buf_putc(b, ' ');
		put_class_or_token(b, &t[k]);
	}
	sf_buf_printf(b, " TYPE%d \\# 0\n", T_PLACEHOLDER);
}

/* `$ORIGIN name` or `$INCLUDE file name` with a relative name, which BIND
 * reads below the current origin: the same directive with the name made
 * absolute. libzscanner refuses it, and overwrites the origin on the way. */
static int rewrite_origin(sf_buf *b, const tok *t, int nt, int at, const char *origin)
{
	for (int k = 0; k < nt; k++) {
		if (k)
			sf_buf_putc(b, ' ');
		if (k != at) {
			sf_buf_add(b, t[k].s, t[k].n);
		} else if (tok_is(&t[k], "@")) {
			sf_buf_puts(b, origin);
		} else {
			sf_buf_add(b, t[k].s, t[k].n);
			if (strcmp(origin, ".") != 0)
				sf_buf_putc(b, '.');
			sf_buf_puts(b, origin);
		}
	}
	return sf_buf_putc(b, '\n');
}

/* ---- sniff ---- */

/* A record type by name, as BIND knows them, or TYPEn. */
static int tok_type(const tok *t)
{
	char name[24];
	if (t->n == 0 || t->n >= sizeof(name))
		return 0;
	memcpy(name, t->s, t->n);
	name[t->n] = '\0';
	return sf_dns_type_from_name(name) >= 0;
}

/* Does the first meaningful line of `head` look like a master file: a
 * directive, or a record of any type ([owner] [ttl] [class] type)? */
static int looks_like_zone(const char *head, size_t len)
{
	size_t i = 0;
	for (int lines = 0; i < len && lines < 64; lines++) {
		const char *nl = memchr(head + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (head + i)) : len - i;
		tok t[MAX_TOKENS];
		int nt = tokenize(head + i, n, t), k;
		int owner = n > 0 && !is_blank(head[i]);
		i += n + 1;
		if (nt == 0)
			continue;
		if (nt < 0)
			return 0;
		if (tok_is(&t[0], "$ORIGIN") || tok_is(&t[0], "$TTL") || tok_is(&t[0], "$INCLUDE") ||
		    tok_is(&t[0], "$GENERATE"))
			return 1;
		for (k = owner; k < nt && k < owner + 2; k++)
			if (!(t[k].n && t[k].s[0] >= '0' && t[k].s[0] <= '9') && class_number(&t[k]) < 0)
				break;
		return k < nt && tok_type(&t[k]);
	}
	return 0;
}

/* `db.py`, `db.json`: a name that says it is something else. */
static int other_format_name(const char *base, size_t n)
{
	static const char *const ext[] = { ".py", ".js", ".ts", ".go", ".rb", ".rs", ".c", ".h",
	                                   ".sh", ".java", ".php", ".pl", ".json", ".yaml", ".yml",
	                                   ".toml", ".ini", ".conf", ".cfg", ".txt", ".md", ".sql",
	                                   ".xml", ".html", ".lock", ".sqlite", ".sqlite3", ".tf" };
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t m = strlen(ext[i]);
		if (n > m && strcmp(base + n - m, ext[i]) == 0)
			return 1;
	}
	return 0;
}

static int zone_sniff(const char *path, const char *head, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".zone") == 0)
		return 80;
	if (len >= 16 && memcmp(head, "SQLite format 3", 15) == 0)
		return 0;
	if ((n > 3 && strncmp(base, "db.", 3) == 0) || (n > 3 && strcmp(base + n - 3, ".db") == 0)) {
		if (looks_like_zone(head, len))
			return 70;
		/* Text named like a zone: the importer looks at all of it and
		 * says why it is not one, rather than the scan dropping it. */
		return memchr(head, '\0', len) || other_format_name(base, n) ? 0 : 10;
	}
	{
		/* Other names only when the text starts like a zone: $ORIGIN or
		 * $TTL first, or an SOA record. */
		size_t i = 0;
		while (i < len) {
			const char *nl = memchr(head + i, '\n', len - i);
			size_t ln = nl ? (size_t)(nl - (head + i)) : len - i;
			tok t[MAX_TOKENS];
			int nt = tokenize(head + i, ln, t);
			i += ln + 1;
			if (nt == 0)
				continue;
			if (nt < 0)
				return 0;
			if (tok_is(&t[0], "$ORIGIN") || tok_is(&t[0], "$TTL"))
				return nt >= 2 ? 50 : 0;
			for (int k = 1; k < nt && k < 4; k++)
				if (tok_is(&t[k], "SOA"))
					return 50;
			return 0;
		}
	}
	return 0;
}

/* ---- reading ---- */

/* One file being read: its scanner and where its text came from. */
typedef struct zfile {
	zs_scanner_t *s;
	const char *shown;          /* path shown to users */
	const char *real;           /* real path, for includes */
	int idle_cs;                /* the scanner's state between two records */
	int placeholder;            /* the record fed is a placeholder of this type (0: none) */
	uint32_t file;              /* `shown` in zctx.paths, once a record needs it */
	int has_file;
} zfile;

enum { FEED_OK, FEED_ERROR, FEED_STOP };

/* An error code of ours beside libzscanner's: the entry ends too early. */
#define ZONE_INCOMPLETE 1

static const char *zerror_text(int code)
{
	return code == ZONE_INCOMPLETE ? "incomplete: the line ends before the value" :
	       zs_strerror(code);
}

static long cur_line(const zctx *z, const zs_scanner_t *s)
{
	return z->line_override ? z->line_override : (long)s->line_counter;
}

/* One more error: past ZONE_MAX_ERRORS the rest is not read. Records of a
 * $GENERATE count once, when it is said. */
static int count_error(zctx *z, const char *shown, long line)
{
	if (z->in_generate || ++z->errors < ZONE_MAX_ERRORS)
		return 0;
	zdiag(z, SF_DIAG_ERROR, shown, line, "too many errors; the rest of the zone is not read");
	z->stopped = 1;
	return 1;
}

static int push_rec(zctx *z, const zrec *r)
{
	if (z->nrecs == z->cap) {
		size_t cap = z->cap ? z->cap * 2 : 256;
		zrec *p = realloc(z->recs, cap * sizeof(*p));
		if (!p) {
			z->oom = 1;
			return -1;
		}
		z->recs = p;
		z->cap = cap;
	}
	z->recs[z->nrecs++] = *r;
	return 0;
}

/* The owner number of the name whose key is string `sid`, or UINT32_MAX
 * when it owns nothing. */
static uint32_t owner_find(const zctx *z, sf_str_id sid)
{
	return sid < z->sid_cap ? z->sid_owner[sid] : UINT32_MAX;
}

/* The owner number of the name keyed by `sid`, given one when it is new. */
static int owner_id(zctx *z, sf_str_id sid, uint32_t *out)
{
	if ((*out = owner_find(z, sid)) != UINT32_MAX)
		return 0;
	if (sid >= z->sid_cap) {
		/* strings are made one at a time: grow to what the graph holds */
		size_t cap = sf_graph_str_count(z->g) + 1, old = z->sid_cap;
		uint32_t *p;
		if (cap < 2 * old)
			cap = 2 * old;
		if (cap <= sid || !(p = realloc(z->sid_owner, cap * sizeof(*p))))
			return -1;
		for (size_t i = old; i < cap; i++)
			p[i] = UINT32_MAX;
		z->sid_owner = p;
		z->sid_cap = cap;
	}
	if (z->nowners == z->ownerscap) {
		size_t cap = z->ownerscap ? z->ownerscap * 2 : 256;
		const char **p = realloc(z->owners, cap * sizeof(*p));
		sf_str_id *q;
		if (!p)
			return -1;
		z->owners = p;
		if (!(q = realloc(z->osid, cap * sizeof(*q))))
			return -1;
		z->osid = q;
		z->ownerscap = cap;
	}
	z->owners[z->nowners] = sf_graph_str(z->g, sid) + DNS_SKIP;
	z->osid[z->nowners] = sid;
	z->sid_owner[sid] = (uint32_t)z->nowners;
	*out = (uint32_t)z->nowners++;
	return 0;
}

static void zctx_free(zctx *z)
{
	free(z->recs);
	free(z->owners);
	free(z->osid);
	free(z->paths);
	free(z->sid_owner);
}

static uint32_t rdata_hash(const uint8_t *d, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	return h;
}

/* An IPv4 address in dotted decimal, as inet_ntop writes it (which goes
 * through printf: a tenth of the parse in an address-heavy zone). `out`
 * holds at least 16 bytes. Returns the length. */
static size_t ipv4_text(const uint8_t *a, char *out)
{
	char *p = out;
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (i)
			*p++ = '.';
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* An IPv6 address as inet_ntop writes it (RFC 5952: lower-case hex, the
 * first longest run of two or more zero groups as `::`), without its
 * printf per group. Addresses that start with five zero groups may embed
 * IPv4 (`::ffff:192.0.2.1`) and go to inet_ntop. `out` holds at least 46
 * bytes. Returns the length, or 0. */
static size_t ipv6_text(const uint8_t *a, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned w[8];
	int best = -1, bestlen = 0, cur = -1, curlen = 0;
	char *p = out;

	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	if (!(w[0] | w[1] | w[2] | w[3] | w[4]))
		return inet_ntop(AF_INET6, a, out, 46) ? strlen(out) : 0;
	for (int i = 0; i < 8; i++) {
		if (w[i] == 0) {
			if (cur < 0)
				cur = i, curlen = 0;
			if (++curlen > bestlen)
				best = cur, bestlen = curlen;
		} else {
			cur = -1;
		}
	}
	if (bestlen < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		int shift = 12;
		if (best >= 0 && i >= best && i < best + bestlen) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		while (shift > 0 && (w[i] >> shift & 0xf) == 0)
			shift -= 4;
		for (; shift >= 0; shift -= 4)
			*p++ = hex[w[i] >> shift & 0xf];
	}
	if (best >= 0 && best + bestlen == 8)
		*p++ = ':';
	*p = '\0';
	return (size_t)(p - out);
}

static void on_record(zctx *z, zfile *f)
{
	zs_scanner_t *s = f->s;
	/* keys: the prefix, then the name or address */
	char owner[DNS_SKIP + SF_DNS_TEXT_MAX], target[DNS_SKIP + SF_DNS_TEXT_MAX];
	size_t tlen = 0;
	long line = cur_line(z, s);
	const char *own;
	int n;
	zrec r;

	if (z->quiet || s->r_class != ZONE_CLASS_IN)
		return;
	if (z->nrecs >= z->max_records) {
		zdiag(z, SF_DIAG_ERROR, f->shown, line,
		      "more than %zu records; the rest of the zone is not read "
		      "(the limit is --zone-max-records)", z->max_records);
		z->stopped = 1;
		return;
	}
	if (z->last_owner && s->r_owner_length == z->last_wire_len &&
	    memcmp(s->r_owner, z->last_wire, z->last_wire_len) == 0) {
		own = z->last_owner;
		r.oid = z->last_oid;
	} else {
		sf_str_id sid;
		memcpy(owner, DNS_PREFIX, DNS_SKIP);
		if ((n = sf_dns_wire_to_text(s->r_owner, s->r_owner_length, owner + DNS_SKIP,
		                             sizeof(owner) - DNS_SKIP)) < 0) {
			zdiag(z, SF_DIAG_ERROR, f->shown, line, "malformed owner name");
			count_error(z, f->shown, line);
			return;
		}
		if ((sid = sf_graph_intern_id(z->g, owner, DNS_SKIP + (size_t)n)) == SF_STR_NONE ||
		    owner_id(z, sid, &r.oid) < 0) {
			z->oom = 1;
			return;
		}
		own = z->owners[r.oid];
		z->last_owner = NULL;
		if (s->r_owner_length <= sizeof(z->last_wire)) {
			memcpy(z->last_wire, s->r_owner, s->r_owner_length);
			z->last_wire_len = s->r_owner_length;
			z->last_owner = own;
			z->last_oid = r.oid;
		}
	}
	if (!f->has_file) {
		/* one path per file read (includes are bounded), interned once */
		const char **p = realloc(z->paths, (z->npaths + 1) * sizeof(*p));
		if (!p || !(p[z->npaths] = sf_graph_intern(z->g, f->shown))) {
			if (p)
				z->paths = p;
			z->oom = 1;
			return;
		}
		z->paths = p;
		f->file = (uint32_t)z->npaths++;
		f->has_file = 1;
	}
	switch (f->placeholder ? 0 : s->r_type) {
	case T_A:
		memcpy(target, IP_PREFIX, IP_SKIP);
		if (s->r_data_length == 4)
			tlen = IP_SKIP + ipv4_text(s->r_data, target + IP_SKIP);
		break;
	case T_AAAA:
		memcpy(target, IP_PREFIX, IP_SKIP);
		if (s->r_data_length == 16 && (n = (int)ipv6_text(s->r_data, target + IP_SKIP)) > 0)
			tlen = IP_SKIP + (size_t)n;
		break;
	case T_NS:
	case T_CNAME:
	case T_DNAME:
		memcpy(target, DNS_PREFIX, DNS_SKIP);
		if ((n = sf_dns_wire_to_text(s->r_data, s->r_data_length, target + DNS_SKIP,
		                             sizeof(target) - DNS_SKIP)) >= 0)
			tlen = DNS_SKIP + (size_t)n;
		break;
	case T_SVCB:
	case T_HTTPS:
		/* AliasMode (priority 0) works like a CNAME for the owner. */
		memcpy(target, DNS_PREFIX, DNS_SKIP);
		if (s->r_data_length >= 3 && s->r_data[0] == 0 && s->r_data[1] == 0 &&
		    (n = sf_dns_wire_to_text(s->r_data + 2, s->r_data_length - 2, target + DNS_SKIP,
		                             sizeof(target) - DNS_SKIP)) >= 0 &&
		    strcmp(target + DNS_SKIP, ".") != 0)
			tlen = DNS_SKIP + (size_t)n;
		break;
	default:
		break;
	}
	r.target = tlen ? sf_graph_intern_id(z->g, target, tlen) : SF_STR_NONE;
	r.file = f->file;
	r.line = (uint32_t)line;
	r.ttl = s->r_ttl;
	r.rdata_hash = rdata_hash(s->r_data, s->r_data_length);
	r.skipped = f->placeholder != 0;
	r.type = f->placeholder ? (uint16_t)(f->placeholder > 0 ? f->placeholder : 0) : s->r_type;
	if (tlen && r.target == SF_STR_NONE) {
		z->oom = 1;
		return;
	}
	if (r.type == T_SOA && !r.skipped && !z->soa_owner) {
		z->soa_owner = own;
		z->soa_path = z->paths[r.file];
		z->soa_line = line;
	}
	push_rec(z, &r);
}

static void parse_text(zctx *z, const char *shown, const char *real, const char *data,
                       size_t len, const char *origin, uint32_t ttl);

/* The path to show for a file included from the tree: the scan root as
 * the user named it, then the path below the root. */
static char *include_shown(const sf_import_ctx *ctx, const char *inc_real)
{
	size_t rl = strlen(ctx->root);
	const char *rel_top, *rel_inc;
	size_t pl, tl;
	char *out;

	if (rl == 1)
		rl = 0;                 /* root "/" */
	rel_inc = inc_real + rl + (inc_real[rl] == '/');
	rel_top = ctx->realpath + rl + (ctx->realpath[rl] == '/');
	pl = strlen(ctx->path);
	tl = strlen(rel_top);
	if (pl >= tl && strcmp(ctx->path + pl - tl, rel_top) == 0)
		pl -= tl;
	else
		pl = 0;
	out = malloc(pl + strlen(rel_inc) + 1);
	if (!out)
		return NULL;
	memcpy(out, ctx->path, pl);
	memcpy(out + pl, rel_inc, strlen(rel_inc) + 1);
	return out;
}

/* Does `name`, relative to the directory of `from` (a real path), leave
 * `root` by its `..` components alone? Checked before any file system
 * call, so that nothing outside the tree is even looked at. */
static int lexically_outside(const char *root, const char *from, const char *name)
{
	char buf[PATH_MAX];
	const char *slash = strrchr(from, '/');
	size_t dl = slash ? (size_t)(slash - from) : 0, o = dl;
	const char *p = name;

	if (dl >= sizeof(buf))
		return 1;
	memcpy(buf, from, dl);
	buf[o] = '\0';
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *up = strrchr(buf, '/');
			o = up ? (size_t)(up - buf) : 0;
			buf[o] = '\0';
		} else if (n && !(n == 1 && p[0] == '.')) {
			if (o + 1 + n >= sizeof(buf))
				return 1;
			buf[o++] = '/';
			memcpy(buf + o, p, n);
			o += n;
			buf[o] = '\0';
		}
		p += n + (e != NULL);
	}
	return !sf_path_within(root, o ? buf : "/");
}

/* `name` relative to the folder of `from`, confined to the tree. */
static int resolve_from(const zctx *z, const char *from, const char *name, char **out, char *err,
                        size_t errsz)
{
	if (name[0] != '/' && lexically_outside(z->ctx->root, from, name)) {
		snprintf(err, errsz, "path leads outside the scanned tree");
		return -1;
	}
	return sf_resolve_confined(z->ctx->root, from, name, out, err, errsz);
}

static int same_folder(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;
	return la == lb && strncmp(a, b, la) == 0;
}

/* Knot reads a relative $INCLUDE beside the including file, BIND in its
 * working folder, which for a repository is usually the top zone file's:
 * the first that exists wins, both inside the tree, and a difference
 * between the two is said. Returns 0 with *out, or -1 with `err`. */
static int resolve_include(zctx *z, const zfile *f, long line, const char *name, char **out,
                           char *err, size_t errsz)
{
	const char *top = z->stack[0];
	char err2[256], *alt = NULL, *shown = NULL;
	int rc = resolve_from(z, f->real, name, out, err, errsz);

	if (name[0] == '/' || same_folder(f->real, top))
		return rc;
	if (resolve_from(z, top, name, &alt, err2, sizeof(err2)) < 0)
		return rc;
	if (rc == 0 && strcmp(*out, alt) == 0) {
		free(alt);
		return 0;
	}
	shown = include_shown(z->ctx, alt);
	if (rc < 0) {
		zdiag(z, SF_DIAG_WARNING, f->shown, line,
		      "$INCLUDE '%s' is not beside the including file; read %s from the top zone "
		      "file's folder, as BIND does", name, shown ? shown : "it");
		*out = alt;
		alt = NULL;
		rc = 0;
	} else {
		zdiag(z, SF_DIAG_WARNING, f->shown, line,
		      "$INCLUDE '%s' read beside the including file, as Knot does; BIND would read %s "
		      "(from the top zone file's folder)", name, shown ? shown : "another file");
	}
	free(shown);
	free(alt);
	return rc;
}

static void on_include(zctx *z, const zfile *f, long line)
{
	zs_scanner_t *s = f->s;
	const char *name = s->include_filename;
	char err[256], *inc_real = NULL, *inc_shown = NULL, *data = NULL;
	size_t len;

	/* libzscanner prefixes a relative name with the input's directory,
	 * "." for text input; an absolute name is left as written. */
	if (name[0] != '/' && strncmp(name, "./", 2) == 0)
		name += 2;
	if (resolve_include(z, f, line, name, &inc_real, err, sizeof(err)) < 0) {
		zdiag(z, SF_DIAG_ERROR, f->shown, line, "$INCLUDE '%s' refused: %s", name, err);
		goto cleanup;
	}
	for (size_t i = 0; i <= z->depth; i++)
		if (strcmp(z->stack[i], inc_real) == 0) {
			zdiag(z, SF_DIAG_ERROR, f->shown, line,
			      "$INCLUDE '%s' refused: include cycle (the file is being read already)", name);
			goto cleanup;
		}
	if (z->depth + 1 > SF_ZONE_MAX_INCLUDE_DEPTH) {
		zdiag(z, SF_DIAG_ERROR, f->shown, line,
		      "$INCLUDE '%s' refused: includes nested deeper than %d", name,
		      SF_ZONE_MAX_INCLUDE_DEPTH);
		goto cleanup;
	}
	if (++z->files > SF_ZONE_MAX_FILES) {
		zdiag(z, SF_DIAG_ERROR, f->shown, line,
		      "$INCLUDE '%s' refused: the zone includes more than %d files", name,
		      SF_ZONE_MAX_FILES);
		goto cleanup;
	}
	if (sf_read_file(inc_real, SF_INPUT_MAX, &data, &len, err, sizeof(err)) < 0) {
		zdiag(z, SF_DIAG_ERROR, f->shown, line, "$INCLUDE '%s': %s", name, err);
		goto cleanup;
	}
	/* The same big file included again and again must not cost more. */
	if ((z->bytes += len) > SF_ZONE_MAX_BYTES) {
		zdiag(z, SF_DIAG_ERROR, f->shown, line,
		      "$INCLUDE '%s' refused: the zone's files hold more than %zu MB", name,
		      SF_ZONE_MAX_BYTES >> 20);
		goto cleanup;
	}
	if (!(inc_shown = include_shown(z->ctx, inc_real))) {
		z->oom = 1;
		goto cleanup;
	}
	if (z->found)
		z->found(inc_real, z->payload);
	z->stack[++z->depth] = inc_real;
	/* The included file starts at the origin the directive names (the
	 * scanner put it into `buffer`), with the current default TTL. */
	parse_text(z, inc_shown, inc_real, data, len, (const char *)s->buffer, s->default_ttl);
	z->depth--;
cleanup:
	free(inc_real);
	free(inc_shown);
	free(data);
}

/* Hand one entry (or its rewrite) to the scanner and act on what comes
 * back. On an error, its code and line are in *code and *line and the
 * scanner is back between records, ready for the next entry. */
static int feed(zctx *z, zfile *f, const char *text, size_t n, long first_line, int *code,
                long *line)
{
	zs_scanner_t *s = f->s;

	if (zs_set_input_string(s, text, n) < 0)
		return FEED_STOP;
	s->line_counter = (uint64_t)first_line;
	while (!z->stopped && !z->oom) {
		int top = s->top;
		if (zs_parse_record(s) < 0 && s->state != ZS_STATE_ERROR)
			return FEED_STOP;
		switch (s->state) {
		case ZS_STATE_DATA:
			on_record(z, f);
			break;
		case ZS_STATE_INCLUDE:
			/* libzscanner 3.2.6 pushes a Ragel call frame for each $INCLUDE
			 * it hands back in manual mode and never pops it: the 17th
			 * include overflows its 16-entry stack (found by fuzz_zone;
			 * "stack smashing detected"). The frame is never returned to,
			 * so dropping it is all the pop would have done. */
			s->top = top;
			/* ...and it marks the include as a fatal error of its own,
			 * which would make the next bad record stop the file. */
			s->error.fatal = false;
			if (z->line_override) {
				zdiag(z, SF_DIAG_ERROR, f->shown, cur_line(z, s), "$INCLUDE inside $GENERATE");
				return FEED_STOP;
			}
			on_include(z, f, cur_line(z, s));
			break;
		case ZS_STATE_ERROR:
			*code = s->error.code;
			*line = cur_line(z, s);
			/* The rest of the entry is dropped with the scanner's record
			 * state, so that one bad record costs no follow-on errors;
			 * what libzscanner calls fatal is fatal to its own recovery
			 * within the text, which this replaces. */
			s->cs = f->idle_cs;
			s->top = 0;
			s->multiline = false;
			s->long_string = false;
			s->comma_list = false;
			s->error.fatal = false;
			return FEED_ERROR;
		case ZS_STATE_EOF:
			if (s->cs == f->idle_cs)
				return FEED_OK;
			/* The entry ended inside a record or directive ("$TTL" and
			 * nothing after it): the next one must not continue it. */
			*code = ZONE_INCOMPLETE;
			*line = cur_line(z, s) - 1;
			s->cs = f->idle_cs;
			s->top = 0;
			s->multiline = false;
			return FEED_ERROR;
		default:
			return FEED_STOP;
		}
	}
	return FEED_STOP;
}

/* Does the analysis use a record of this type? Those refuse the zone
 * when they cannot be read; any other is kept as its owner name. */
static int record_used(const tok *t, int nt, const zhead *h)
{
	switch (h->type) {
	case T_A: case T_AAAA: case T_NS: case T_CNAME: case T_DNAME: case T_SOA:
		return 1;
	case T_SVCB: case T_HTTPS:
		/* only AliasMode (priority 0) is read */
		return h->type_at + 1 >= nt || tok_is(&t[h->type_at + 1], "0");
	default:
		/* a name BIND does not know either, or no type at all */
		return h->type < 0;
	}
}

/* A record libzscanner refused (error `code` at `line`) and a rewrite did
 * not save: an error when the analysis needs it or under --strict-zones,
 * else a warning and the owner name alone. 1 when reading must stop. */
static int record_error(zctx *z, zfile *f, const zentry *e, const tok *t, int nt,
                        const zhead *h, int code, long line)
{
	char tb[24], why[160];
	const char *type = type_label(t, h, tb, sizeof(tb));
	int code2 = 0;
	long line2 = 0;
	sf_buf b;

	for (int k = h->owner; k < h->type_at; k++) {
		int cls = t[k].s[0] >= '0' && t[k].s[0] <= '9' ? -1 : class_number(&t[k]);
		if (cls < 0 || cls == ZONE_CLASS_IN)
			continue;
		/* the class is the problem, not the type: only IN is read */
		zdiag(z, z->strict ? SF_DIAG_ERROR : SF_DIAG_WARNING, f->shown, line,
		      "record of class %.*s not read: the zone's class is IN", (int)t[k].n, t[k].s);
		return z->strict ? count_error(z, f->shown, line) : 0;
	}
	if (code == ZS_UNSUPPORTED_TYPE)
		snprintf(why, sizeof(why), "libzscanner does not know the type");
	else
		snprintf(why, sizeof(why), "%s", zerror_text(code));
	if (z->strict || record_used(t, nt, h)) {
		if (code == ZS_UNSUPPORTED_TYPE)
			zdiag(z, SF_DIAG_ERROR, f->shown, line, "unsupported record type %s", type);
		else if (h->type_at >= 0)
			zdiag(z, SF_DIAG_ERROR, f->shown, line, "%s record: %s", type, why);
		else
			zdiag(z, SF_DIAG_ERROR, f->shown, line, "%s", why);
		return count_error(z, f->shown, line);
	}
	if (++z->skipped <= ZONE_MAX_SKIP_WARNINGS || z->in_generate)
		zdiag(z, SF_DIAG_WARNING, f->shown, line,
		      "%s record not read (%s); only its owner name is kept", type, why);
	sf_buf_init(&b, 0);
	placeholder_record(&b, t, h);
	f->placeholder = h->type > 0 ? h->type : -1;
	if (feed(z, f, b.ptr, b.len, e->line, &code2, &line2) == FEED_STOP) {
		sf_buf_free(&b);
		f->placeholder = 0;
		return 1;
	}
	f->placeholder = 0;
	sf_buf_free(&b);
	return 0;
}

static void process_text(zctx *z, zfile *f, const char *d, size_t len, long first_line);

/* $GENERATE: expanded here, within the zone's budget of generated
 * records, and read like the file's own records; a problem with them is
 * said once, at the directive's line. */
static int do_generate(zctx *z, zfile *f, const char *text, size_t n, long line)
{
	const char *nl = memchr(text, '\n', n);
	size_t budget = z->max_generated > z->generated ? z->max_generated - z->generated : 0;
	char err[256];
	sf_buf gen;
	long count;

	if (z->quiet)
		return 0;               /* it cannot include anything */
	sf_buf_init(&gen, 0);
	count = sf_zone_generate(text, nl ? (size_t)(nl - text) : n, (long)budget, &gen, err,
	                         sizeof(err));
	if (count == -2) {
		zdiag(z, SF_DIAG_ERROR, f->shown, line,
		      "$GENERATE: the zone's $GENERATE lines make more than %zu records; the rest "
		      "is not read (the limit is --zone-max-generated)", z->max_generated);
		z->stopped = 1;
		sf_buf_free(&gen);
		return 1;
	}
	if (count < 0) {
		zdiag(z, SF_DIAG_ERROR, f->shown, line, "%s", err);
		sf_buf_free(&gen);
		return count_error(z, f->shown, line);
	}
	z->generated += (size_t)count;
	z->line_override = line;
	z->in_generate = 1;
	if (!z->capture)
		z->gen_problems = 0;
	process_text(z, f, gen.ptr ? gen.ptr : "", gen.len, line);
	z->in_generate = 0;
	z->line_override = 0;
	sf_buf_free(&gen);
	if (z->gen_problems && !z->capture) {
		if (z->gen_problems > 1)
			zdiag(z, z->gen_level, f->shown, line, "$GENERATE: %s (and %zu more of the %ld "
			      "records it makes)", z->gen_msg, z->gen_problems - 1, count);
		else
			zdiag(z, z->gen_level, f->shown, line, "$GENERATE: %s", z->gen_msg);
		if (z->gen_level == SF_DIAG_ERROR)
			return count_error(z, f->shown, line);
	}
	return 0;
}

static int do_directive(zctx *z, zfile *f, const zentry *e, const char *text, size_t n,
                        const tok *t, int nt)
{
	int at = -1, code = 0, rc;
	long line = 0;
	sf_buf b;

	if (tok_is(&t[0], "$GENERATE"))
		return do_generate(z, f, text, n, e->line);
	if (tok_is(&t[0], "$ORIGIN") && nt >= 2)
		at = 1;
	else if (tok_is(&t[0], "$INCLUDE") && nt >= 3)
		at = 2;
	sf_buf_init(&b, 0);
	if (at > 0 && nt < ZONE_HEAD_TOKENS && !tok_absolute(&t[at])) {
		char origin[SF_DNS_TEXT_MAX];
		if (sf_dns_wire_to_text(f->s->zone_origin, f->s->zone_origin_length, origin,
		                        sizeof(origin)) < 0) {
			zdiag(z, SF_DIAG_ERROR, f->shown, e->line, "relative origin below a malformed one");
			sf_buf_free(&b);
			return count_error(z, f->shown, e->line);
		}
		rewrite_origin(&b, t, nt, at, origin);
		text = b.ptr;
		n = b.len;
	}
	rc = feed(z, f, text, n, e->line, &code, &line);
	sf_buf_free(&b);
	if (rc == FEED_ERROR) {
		char name[12];
		size_t k = t[0].n < sizeof(name) ? t[0].n : sizeof(name) - 1;
		for (size_t i = 0; i < k; i++)
			name[i] = (t[0].s[i] >= 'a' && t[0].s[i] <= 'z') ? (char)(t[0].s[i] - 32) : t[0].s[i];
		name[k] = '\0';
		if (code == ZS_BAD_DIRECTIVE || code == ZS_UNSUPPORTED_TYPE || !(tok_is(&t[0], "$TTL") ||
		    tok_is(&t[0], "$ORIGIN") || tok_is(&t[0], "$INCLUDE")))
			zdiag(z, SF_DIAG_ERROR, f->shown, line, "%s", zerror_text(code));
		else
			zdiag(z, SF_DIAG_ERROR, f->shown, line, "%s: %s", name, zerror_text(code));
		return count_error(z, f->shown, line);
	}
	return rc == FEED_OK ? 0 : 1;
}

/* One entry: a directive, a record, or nothing but blanks and comments.
 * 1 when reading the file must stop. */
static int do_entry(zctx *z, zfile *f, const char *d, const zentry *e)
{
	const char *text = d + e->start;
	size_t n = e->end - e->start;
	tok head[ZONE_HEAD_TOKENS], *t = NULL;
	int more, stray, nt, code = 0, rc = 0;
	long line = 0;
	zhead h;

	/* The first token tells a directive from a record; a directive's
	 * first few are read, a record's all only when libzscanner refuses
	 * it. */
	nt = entry_tokens(text, n, head, 1, &more, &stray);
	if (nt == 0 && !e->open_line)
		return 0;
	if (nt && head[0].s[0] == '$')
		nt = entry_tokens(text, n, head, ZONE_HEAD_TOKENS, &more, &stray);
	if (e->open_line) {
		/* Everything to the end of the file hangs on that '(': say where
		 * it opened, and the first real problem in it, if any. */
		if (nt && head[0].s[0] != '$' &&
		    feed(z, f, text, n, e->line, &code, &line) == FEED_ERROR &&
		    code != ZS_UNCLOSED_MULTILINE)
			zdiag(z, SF_DIAG_ERROR, f->shown, line, "%s", zerror_text(code));
		zdiag(z, SF_DIAG_ERROR, f->shown, z->line_override ? z->line_override : e->open_line,
		      "unterminated parenthesis: no ')' before the end of the file");
		count_error(z, f->shown, e->open_line);
		return 1;
	}
	if (head[0].n && head[0].s[0] == '$')
		return do_directive(z, f, e, text, n, head, nt);
	rc = feed(z, f, text, n, e->line, &code, &line);
	if (rc != FEED_ERROR)
		return rc == FEED_STOP;
	if (!(t = malloc(ZONE_ENTRY_TOKENS * sizeof(*t)))) {
		z->oom = 1;
		return 1;
	}
	nt = entry_tokens(text, n, t, ZONE_ENTRY_TOKENS, &more, &stray);
	entry_head(text, t, nt, &h);
	if (!more && !stray) {
		sf_buf b;
		int changed, code2 = 0;
		long line2 = 0;
		sf_buf_init(&b, 0);
		changed = rewrite_record(&b, t, nt, &h);
		rc = changed ? feed(z, f, b.ptr, b.len, e->line, &code2, &line2) : FEED_ERROR;
		sf_buf_free(&b);
		if (rc != FEED_ERROR) {
			free(t);
			return rc == FEED_STOP;
		}
	}
	rc = record_error(z, f, e, t, nt, &h, code, line);
	free(t);
	return rc;
}

static void process_text(zctx *z, zfile *f, const char *d, size_t len, long first_line)
{
	lexpos p = { 0, first_line, 0, 0 };
	while (p.i < len && !z->stopped && !z->oom) {
		zentry e;
		next_entry(d, len, &p, &e);
		if (do_entry(z, f, d, &e))
			break;
	}
}

/* Parse one file's text. Problems are diagnostics in z. */
static void parse_text(zctx *z, const char *shown, const char *real, const char *data,
                       size_t len, const char *origin, uint32_t ttl)
{
	zs_scanner_t *s = malloc(sizeof(*s));
	zfile f = { s, shown, real, 0, 0, 0, 0 };
	char *copy = NULL;

	if (!s) {
		z->oom = 1;
		return;
	}
	if (zs_init(s, origin, ZONE_CLASS_IN, ttl) < 0) {
		zdiag(z, SF_DIAG_ERROR, shown, 0, "cannot start the zone parser at origin '%s'", origin);
		free(s);
		return;
	}
	f.idle_cs = s->cs;
	if (memchr(data, '\r', len)) {
		/* BIND reads CRLF line ends, libzscanner refuses them: a blank in
		 * place of each CR keeps every offset and line. */
		if (!(copy = malloc(len + 1))) {
			z->oom = 1;
			goto cleanup;
		}
		memcpy(copy, data, len);
		copy[len] = '\0';
		for (size_t i = 0; i + 1 < len; i++)
			if (copy[i] == '\r' && copy[i + 1] == '\n')
				copy[i] = ' ';
		data = copy;
	}
	process_text(z, &f, data, len, 1);
cleanup:
	free(copy);
	zs_deinit(s);
	free(s);
}

/* ---- graph ---- */

/* The dns_name node keyed by string `sid` (`dns:` and the name). */
static sf_node_id name_node(sf_graph *g, sf_str_id sid, const sf_prov *prov)
{
	return sf_graph_node_by_str(g, SF_KIND_DNS_NAME, sid, DNS_SKIP, prov);
}

static sf_node_id zone_node(sf_graph *g, const char *apex, const sf_prov *prov)
{
	char key[SF_DNS_TEXT_MAX + 8];
	snprintf(key, sizeof(key), "zone:%s", apex);
	return sf_graph_node(g, SF_KIND_DNS_ZONE, key, apex, prov);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The delegation points of a zone, sorted, and a bit per hash of each:
 * most names lie under none, and one hash of each of their suffixes tells
 * so without a search. A hostile zone that fills the bits only gets the
 * search back. */
typedef struct dset {
	const char **dele;
	size_t nd;
	uint64_t *bits;
	size_t mask;                /* bit count - 1 */
} dset;

static uint32_t suffix_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int dset_init(dset *d, const char **dele, size_t nd)
{
	size_t bits = 64;
	while (bits < nd * 16)
		bits *= 2;
	d->dele = dele;
	d->nd = nd;
	d->mask = bits - 1;
	if (!(d->bits = calloc(bits / 64, sizeof(*d->bits))))
		return -1;
	for (size_t i = 0; i < nd; i++) {
		size_t b = suffix_hash(dele[i]) & d->mask;
		d->bits[b / 64] |= (uint64_t)1 << (b % 64);
	}
	return 0;
}

/* The delegation point `p` in d->dele, or NULL. */
static const char **dset_find(const dset *d, const char *p)
{
	size_t b = suffix_hash(p) & d->mask;
	if (!(d->bits[b / 64] >> (b % 64) & 1))
		return NULL;
	return bsearch(&p, d->dele, d->nd, sizeof(*d->dele), cmp_str);
}

/* The closest delegation point above or at `name`, as its index in
 * d->dele, or UINT32_MAX. */
static uint32_t delegation_of(const char *name, const char *apex, const dset *d)
{
	const char *p = name;
	while (d->nd && strcmp(p, apex) != 0 && strcmp(p, ".") != 0) {
		const char **hit = dset_find(d, p);
		if (hit)
			return (uint32_t)(hit - d->dele);
		/* drop the first label */
		while (*p && *p != '.') {
			if (*p == '\\' && p[1])
				p++;
			p++;
		}
		if (!*p || !p[1])
			break;
		p++;
	}
	return UINT32_MAX;
}

/* One zone's name servers, as the NS records list them. */
typedef struct nsset {
	const char *zone;           /* apex, interned */
	const char **ns;
	size_t n, cap;
} nsset;

static int nsset_add(nsset *s, const char *ns)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ns[i] == ns)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		const char **p = realloc(s->ns, cap * sizeof(*p));
		if (!p)
			return -1;
		s->ns = p;
		s->cap = cap;
	}
	s->ns[s->n++] = ns;
	return 0;
}

static int is_alias_type(uint16_t t)
{
	return t == T_CNAME || t == T_DNAME || t == T_SVCB || t == T_HTTPS;
}

/* A CNAME loop or a chain longer than resolvers follow, within this zone:
 * a warning at the record that starts it. `cn` holds the indexes of the
 * zone's CNAME records, one per owner; the walk follows targets through
 * the owner index and is iterative, so a chain of any length costs no
 * stack and memory grows with the zone, not the graph. Which name of a
 * loop is named first depends on the order of `cn`: with `emit` 0 nothing
 * is said, and the result tells whether anything would be (1) or not (0),
 * so the caller sorts `cn` by owner only for a zone that has something to
 * say. -1 out of memory. */
static int check_chains(zctx *z, const size_t *cn, size_t n, int emit)
{
	size_t *next = malloc((n + 1) * sizeof(*next)), *path = malloc((n + 1) * sizeof(*path));
	uint32_t *depth = calloc(n + 1, sizeof(*depth));
	uint32_t *pos = malloc((z->nowners + 1) * sizeof(*pos));   /* owner -> k */
	unsigned char *color = calloc(n + 1, 1), *has_in = calloc(n + 1, 1);
	size_t found = 0;
	int rc = -1;

	if (!next || !path || !depth || !pos || !color || !has_in)
		goto cleanup;
	for (size_t o = 0; o < z->nowners; o++)
		pos[o] = UINT32_MAX;
	for (size_t k = 0; k < n; k++)
		pos[z->recs[cn[k]].oid] = (uint32_t)k;
	for (size_t k = 0; k < n; k++) {
		uint32_t o = owner_find(z, z->recs[cn[k]].target);
		next[k] = SIZE_MAX;
		if (o != UINT32_MAX && pos[o] != UINT32_MAX) {
			next[k] = pos[o];
			has_in[pos[o]] = 1;
		}
	}
	for (size_t start = 0; start < n; start++) {
		size_t len = 0, v = start;
		uint32_t d;
		if (color[start])
			continue;
		while (v != SIZE_MAX && color[v] == 0) {
			color[v] = 1;
			path[len++] = v;
			v = next[v];
		}
		if (v != SIZE_MAX && color[v] == 1) {
			/* a loop: from v around to v */
			const zrec *r = &z->recs[cn[v]];
			size_t at = 0;
			while (path[at] != v)
				at++;
			found++;
			if (emit) {
				sf_buf msg = SF_BUF_INIT;
				size_t shown = 0;
				for (size_t k = at; k < len && shown < 8; k++, shown++)
					sf_buf_printf(&msg, "%s -> ", z->owners[z->recs[cn[path[k]]].oid]);
				if (len - at > 8)
					sf_buf_puts(&msg, "... -> ");
				sf_buf_puts(&msg, ROWNER(z, r));
				sf_diag_warn(z->ctx->diags, RPATH(z, r), r->line, "CNAME loop: %s",
				             sf_buf_cstr(&msg));
				sf_buf_free(&msg);
			}
			for (size_t k = at; k < len; k++) {
				depth[path[k]] = UINT32_MAX;
				color[path[k]] = 2;
			}
			len = at;
		}
		/* The rest of the path leads into the loop or to an end: depth
		 * counts the CNAMEs from a name to the end of its chain. */
		d = v == SIZE_MAX ? 0 : depth[v];
		while (len) {
			v = path[--len];
			d = d == UINT32_MAX ? UINT32_MAX : d + 1;
			depth[v] = d;
			color[v] = 2;
		}
	}
	for (size_t k = 0; k < n; k++) {
		const zrec *r = &z->recs[cn[k]];
		if (has_in[k] || depth[k] == UINT32_MAX || depth[k] <= SF_DNS_MAX_CHAIN)
			continue;
		found++;
		if (emit)
			sf_diag_warn(z->ctx->diags, RPATH(z, r), r->line,
			             "CNAME chain of %u names from %s: resolvers stop following after %d",
			             (unsigned)depth[k] + 1, ROWNER(z, r), SF_DNS_MAX_CHAIN);
	}
	rc = found > 0;
cleanup:
	free(pos);
	free(next);
	free(path);
	free(depth);
	free(color);
	free(has_in);
	return rc;
}

static const zrec *cmp_recs;
static const char *const *cmp_owners;
static const size_t *cmp_idx;

/* Record indexes by owner name (file order within one). */
static int cmp_rec_owner(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint32_t ox = cmp_recs[x].oid, oy = cmp_recs[y].oid;
	int c = ox == oy ? 0 : strcmp(cmp_owners[ox], cmp_owners[oy]);
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/* Owner groups (their first position in cmp_idx) by owner name. */
static int cmp_group_owner(const void *a, const void *b)
{
	size_t x = cmp_idx[*(const size_t *)a], y = cmp_idx[*(const size_t *)b];
	return cmp_rec_owner(&x, &y);
}

/* BIND's rules for one owner, which decide how a name resolves:
 * - a CNAME owns its name: no other data beside it but DNSSEC's own (RFC
 *   1034 3.6.2, RFC 2181 10.1; SIG, NXT and KEY of RFC 2535 too);
 * - CNAME, DNAME and SOA are singletons: a second one with other data is
 *   refused (a repeated record is the same record, as BIND takes it).
 * For us a name with two would resolve two ways at once. */
/* The problems of one owner, its records idx[i..j); said when `emit`. */
static int check_owner(zctx *z, const size_t *idx, size_t i, size_t j, int emit)
{
	static const uint16_t singles[] = { T_CNAME, T_DNAME, T_SOA };
	const zrec *first[3] = { NULL, NULL, NULL }, *other = NULL;
	int bad = 0;

	for (size_t k = i; k < j; k++) {
		const zrec *r = &z->recs[idx[k]];
		int single = -1;
		for (int t = 0; t < 3; t++)
			if (r->type == singles[t] && !r->skipped)
				single = t;
		if (single >= 0 && first[single]) {
			const zrec *f = first[single];
			char tb[16];
			if ((f->target != r->target || f->rdata_hash != r->rdata_hash) && emit)
				sf_diag_error(z->ctx->diags, RPATH(z, r), r->line,
				              "%s has more than one %s (the first on line %ld)", ROWNER(z, r),
				              sf_dns_type_name(r->type, tb, sizeof(tb)), (long)f->line);
			bad += f->target != r->target || f->rdata_hash != r->rdata_hash;
		} else if (single >= 0) {
			first[single] = r;
		}
		if (r->type != T_CNAME && r->type != T_RRSIG && r->type != T_NSEC &&
		    r->type != T_SIG && r->type != T_NXT && r->type != T_KEY && r->type != 0 &&
		    !other)
			other = r;
	}
	if (first[0] && other) {
		/* at the one that comes second in the file (or the include) */
		const zrec *cname = first[0], *later = cname < other ? other : cname;
		char tb[16];
		if (emit)
			sf_diag_error(z->ctx->diags, RPATH(z, later), later->line,
			              "CNAME and other data: %s has a CNAME (line %ld) and a %s record (line %ld)",
			              ROWNER(z, cname), (long)cname->line, sf_dns_type_name(other->type, tb, sizeof(tb)),
			              (long)other->line);
		bad++;
	}
	return bad;
}

/* `idx` groups the records by owner, in the order owners first appear;
 * the problems are said by owner name, the order they always had. Returns
 * -1 out of memory. */
static int check_singletons(zctx *z, const size_t *idx)
{
	size_t *bad = NULL, nbad = 0;

	for (size_t i = 0, j; i < z->nrecs; i = j) {
		for (j = i + 1; j < z->nrecs && z->recs[idx[j]].oid == z->recs[idx[i]].oid; j++)
			;
		if (!check_owner(z, idx, i, j, 0))
			continue;
		if (nbad == 0 && !(bad = malloc(z->nowners * sizeof(*bad))))
			return -1;
		bad[nbad++] = i;        /* where the owner's group starts */
	}
	if (!nbad)
		return 0;
	cmp_recs = z->recs;
	cmp_owners = z->owners;
	cmp_idx = idx;
	qsort(bad, nbad, sizeof(*bad), cmp_group_owner);
	cmp_recs = NULL;
	cmp_owners = NULL;
	cmp_idx = NULL;
	for (size_t b = 0; b < nbad; b++) {
		size_t i = bad[b], j;
		for (j = i + 1; j < z->nrecs && z->recs[idx[j]].oid == z->recs[idx[i]].oid; j++)
			;
		check_owner(z, idx, i, j, 1);
	}
	free(bad);
	return 0;
}

/* Record indexes grouped by owner, owners in the order they first appear
 * and records in file order within one: a counting sort on the owner's
 * number, which reads no name. */
static size_t *by_owner(const zctx *z)
{
	size_t *idx = malloc((z->nrecs + 1) * sizeof(*idx));
	size_t *at = calloc(z->nowners + 1, sizeof(*at));
	if (!idx || !at) {
		free(idx);
		free(at);
		return NULL;
	}
	for (size_t i = 0; i < z->nrecs; i++)
		at[z->recs[i].oid + 1]++;
	for (size_t o = 0; o < z->nowners; o++)
		at[o + 1] += at[o];
	for (size_t i = 0; i < z->nrecs; i++)
		idx[at[z->recs[i].oid]++] = i;
	free(at);
	return idx;
}

static int build(zctx *z, const char *apex, const size_t *idx)
{
	sf_graph *g = z->g;
	sf_prov zprov = { z->soa_path ? z->soa_path : z->ctx->path, z->soa_path ? z->soa_line : 0 };
	sf_node_id zone = zone_node(g, apex, &zprov);
	/* per owner: its name node, once the first of its records made it;
	 * whether it is in the zone (0 not known yet, 1 in, 2 outside) */
	sf_node_id *onode = NULL, *dnode = NULL;
	unsigned char *oin = NULL;
	const char **dele = NULL;
	uint32_t *ochild = NULL;    /* per owner: its delegation in dele, if any */
	dset ds = { NULL, 0, NULL, 0 };
	nsset *sets = NULL;         /* [0] the apex, then one per delegation */
	size_t nd = 0, outside = 0, *cn = NULL, ncn = 0, nodes = 0, edges = 0;
	int rc = -1;

	if (zone == SF_NODE_NONE)
		goto cleanup;
	if (sf_graph_set_attr(g, zone, "name", apex) < 0)
		goto cleanup;
	for (size_t i = 0; i < z->nrecs; i++)
		nd += z->recs[i].type == T_NS;
	dele = malloc((nd + 1) * sizeof(*dele));
	onode = malloc((z->nowners + 1) * sizeof(*onode));
	oin = calloc(z->nowners + 1, 1);
	ochild = malloc((z->nowners + 1) * sizeof(*ochild));
	if (!dele || !onode || !oin || !ochild)
		goto cleanup;
	nd = 0;
	for (size_t i = 0; i < z->nrecs; i++) {
		const zrec *r = &z->recs[i];
		if (r->type == T_NS && ROWNER(z, r) != apex && strcmp(ROWNER(z, r), apex) != 0 &&
		    sf_dns_in_zone(ROWNER(z, r), apex))
			dele[nd++] = ROWNER(z, r);
	}
	qsort(dele, nd, sizeof(*dele), cmp_str);
	{
		size_t w = 0;
		for (size_t i = 0; i < nd; i++)
			if (!w || strcmp(dele[w - 1], dele[i]) != 0)
				dele[w++] = dele[i];
		nd = w;
	}
	sets = calloc(nd + 1, sizeof(*sets));
	dnode = malloc((nd + 1) * sizeof(*dnode));     /* zone node per delegation, once made */
	if (!sets || !dnode || dset_init(&ds, dele, nd) < 0)
		goto cleanup;
	for (size_t i = 0; i < nd; i++)
		dnode[i] = SF_NODE_NONE;
	sets[0].zone = apex;
	for (size_t i = 0; i < nd; i++)
		sets[i + 1].zone = dele[i];

	/* What holds for every record of an owner, once per owner; then room
	 * for every node and edge up front: a name node per owner in the
	 * zone, an edge to its zone or two, an endpoint per address and a
	 * node per alias target that owns nothing here. */
	for (size_t o = 0; o < z->nowners; o++) {
		onode[o] = SF_NODE_NONE;
		oin[o] = sf_dns_in_zone(z->owners[o], apex) ? 1 : 2;
		ochild[o] = oin[o] == 1 ? delegation_of(z->owners[o], apex, &ds) : UINT32_MAX;
		nodes += oin[o] == 1;
		edges += oin[o] == 1 ? 1 + (ochild[o] != UINT32_MAX) : 0;
	}
	for (size_t i = 0; i < z->nrecs; i++) {
		const zrec *r = &z->recs[i];
		if (r->target == SF_STR_NONE || oin[r->oid] != 1)
			continue;
		if (r->type == T_A || r->type == T_AAAA) {
			nodes++;
			edges++;
		} else if (is_alias_type(r->type)) {
			nodes += owner_find(z, r->target) == UINT32_MAX;
			edges++;
		}
	}
	if (sf_graph_node_count(g) + nodes > SF_GRAPH_MAX_NODES ||
	    sf_graph_edge_count(g) + edges > SF_GRAPH_MAX_EDGES) {
		/* said here, as a node or edge refused later would only fail */
		sf_diag_error(z->ctx->diags, z->ctx->path, 0, "the zone makes %zu graph nodes and %zu "
		              "edges; with the other inputs that is more than the %u nodes and %u edges "
		              "one scan may hold", nodes, edges, SF_GRAPH_MAX_NODES, SF_GRAPH_MAX_EDGES);
		goto cleanup;
	}
	if (sf_graph_reserve(g, nodes, edges) < 0)
		goto cleanup;

	for (size_t i = 0; i < z->nrecs; i++) {
		const zrec *r = &z->recs[i];
		sf_prov prov = { RPATH(z, r), r->line };
		sf_node_id o, t = SF_NODE_NONE;

		if (oin[r->oid] == 2) {
			if (outside++ == 0)
				sf_diag_warn(z->ctx->diags, RPATH(z, r), r->line,
				             "%s is outside the zone %s; ignored", ROWNER(z, r), apex);
			continue;
		}
		if (onode[r->oid] == SF_NODE_NONE) {
			/* the owner's first record: what holds for all of them */
			uint32_t child = ochild[r->oid];
			if ((o = name_node(g, z->osid[r->oid], &prov)) == SF_NODE_NONE)
				goto cleanup;
			/* A name answers while any of its addresses or aliases works;
			 * its zones are required edges, which an ANY gate does not
			 * relax. */
			sf_graph_set_gate(g, o, SF_GATE_ANY);
			if (child != UINT32_MAX) {
				sf_prov cp = { RPATH(z, r), r->line };
				sf_node_id cz = dnode[child];
				if (cz == SF_NODE_NONE)
					cz = dnode[child] = zone_node(g, dele[child], &cp);
				if (cz == SF_NODE_NONE || sf_graph_edge(g, o, SF_EDGE_SERVED_BY, cz, &prov) < 0)
					goto cleanup;
				/* Resolving below a delegation also needs the parent. */
			}
			if (sf_graph_edge(g, o, SF_EDGE_SERVED_BY, zone, &prov) < 0)
				goto cleanup;
			onode[r->oid] = o;
		}
		o = onode[r->oid];
		if (r->target == SF_STR_NONE)
			continue;
		switch (r->type) {
		case T_A:
		case T_AAAA:
			t = sf_graph_node_by_str(g, SF_KIND_ENDPOINT, r->target, IP_SKIP, NULL);
			break;
		case T_NS: {
			nsset *set = &sets[0];
			if (strcmp(ROWNER(z, r), apex) != 0) {
				const char **hit = bsearch(&ROWNER(z, r), dele, nd, sizeof(*dele), cmp_str);
				set = hit ? &sets[1 + (size_t)(hit - dele)] : NULL;
			}
			if (set && nsset_add(set, sf_graph_str(g, r->target) + DNS_SKIP) < 0)
				goto cleanup;
			continue;
		}
		default: {
			uint32_t to;
			if (!is_alias_type(r->type))
				continue;
			/* a target that owns records here mostly has its node */
			to = owner_find(z, r->target);
			t = to != UINT32_MAX ? onode[to] : SF_NODE_NONE;
			if (t == SF_NODE_NONE)
				t = name_node(g, r->target, NULL);
			break;
		}
		}
		if (t == SF_NODE_NONE || sf_graph_edge(g, o, SF_EDGE_RESOLVES_TO, t, &prov) < 0)
			goto cleanup;
	}
	if (outside > 1)
		sf_diag_warn(z->ctx->diags, z->ctx->path, 0,
		             "%zu more records outside the zone %s ignored", outside - 1, apex);
	for (size_t i = 0; i <= nd; i++) {
		sf_node_id zn = i == 0 ? zone : zone_node(g, sets[i].zone, NULL);
		if (zn == SF_NODE_NONE ||
		    sf_dns_zone_servers(g, zn, sets[i].ns, sets[i].n, &zprov) < 0)
			goto cleanup;
	}

	/* TTL of a name: the longest of its address and alias records, which
	 * is what a cutover waits for; else the first record's. Then the
	 * CNAME chains, over one CNAME per owner. */
	if (!(cn = malloc((z->nowners + 1) * sizeof(*cn))))
		goto cleanup;
	for (size_t i = 0; i < z->nrecs;) {
		size_t j = i;
		long best = -1, first = -1;
		sf_node_id o = SF_NODE_NONE;
		int has_cname = 0;
		while (j < z->nrecs && z->recs[idx[j]].oid == z->recs[idx[i]].oid) {
			const zrec *r = &z->recs[idx[j]];
			if (oin[r->oid] == 1) {
				o = onode[r->oid];
				if (first < 0)
					first = (long)r->ttl;
				if ((r->type == T_A || r->type == T_AAAA || is_alias_type(r->type)) &&
				    (long)r->ttl > best)
					best = (long)r->ttl;
				if (r->type == T_CNAME && !has_cname && r->target != SF_STR_NONE) {
					cn[ncn++] = idx[j];
					has_cname = 1;
				}
			}
			j++;
		}
		if (o != SF_NODE_NONE) {
			/* a TTL is 32 bits: ten digits at most, written without
			 * printf (once per name) */
			char buf[24], *p = buf + sizeof(buf) - 1;
			unsigned long v = (unsigned long)(best >= 0 ? best : first);
			*p = '\0';
			do
				*--p = (char)('0' + v % 10);
			while ((v /= 10) && p > buf);
			if (sf_graph_set_attr(g, o, "ttl", p) < 0)
				goto cleanup;
		}
		i = j;
	}
	if ((rc = check_chains(z, cn, ncn, 0)) > 0) {
		cmp_recs = z->recs;
		cmp_owners = z->owners;
		qsort(cn, ncn, sizeof(*cn), cmp_rec_owner);
		cmp_recs = NULL;
		cmp_owners = NULL;
		rc = check_chains(z, cn, ncn, 1);
	}
	rc = rc < 0 ? -1 : 0;
cleanup:
	free(onode);
	free(dnode);
	free(oin);
	free(ochild);
	free(ds.bits);
	if (sets)
		for (size_t i = 0; i <= nd; i++)
			free(sets[i].ns);
	free(sets);
	free(dele);
	free(cn);
	return rc;
}

/* Zone limits from the options, 0 meaning the default. */
static void set_limits(zctx *z, const sf_import_ctx *ctx)
{
	z->strict = ctx->strict_zones;
	z->max_records = ctx->zone_max_records ? ctx->zone_max_records : sf_zone_default_max_records();
	z->max_generated = ctx->zone_max_generated ? ctx->zone_max_generated : SF_ZONE_MAX_GENERATED;
}

size_t sf_zone_default_max_records(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	size_t n;
	if (pages <= 0 || size <= 0)
		return SF_ZONE_MIN_RECORDS;
	/* a quarter of the memory, at what a record costs at most */
	n = (size_t)pages / SF_ZONE_RECORD_COST * (size_t)size / 4;
	return n < SF_ZONE_MIN_RECORDS ? SF_ZONE_MIN_RECORDS : n;
}

static int zone_named_file(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;
	base = base ? base + 1 : path;
	n = strlen(base);
	return (n > 3 && strncmp(base, "db.", 3) == 0) || (n > 3 && strcmp(base + n - 3, ".db") == 0);
}

static int zone_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	char origin[SF_DNS_TEXT_MAX];
	size_t *idx = NULL;
	zctx z;
	int rc = -1;
	size_t errors_before = ctx->diags->errors;
	int probe = !looks_like_zone(data, len < SF_SNIFF_BYTES ? len : SF_SNIFF_BYTES);

	memset(&z, 0, sizeof(z));
	z.ctx = ctx;
	z.g = ctx->graph;
	set_limits(&z, ctx);
	if (sf_zone_origin_from_text(data, len, origin, sizeof(origin)) < 0 &&
	    sf_zone_origin_from_filename(ctx->path, origin, sizeof(origin)) < 0 &&
	    sf_manifest_zone_origin(ctx->root, ctx->realpath, origin, sizeof(origin)) < 0) {
		if (probe) {
			sf_diag_warn(ctx->diags, ctx->path, 0, "named like a zone file, but does not "
			             "start like one; not imported");
			return 0;
		}
		sf_diag_error(ctx->diags, ctx->path, 1,
		              "cannot tell the zone's origin: start the file with $ORIGIN, name it "
		              "<zone>.zone, or list it under zones: in sharedfate.yaml");
		return -1;
	}
	z.stack[0] = ctx->realpath;
	z.files = 1;
	z.bytes = len;
	if (probe && zone_named_file(ctx->path)) {
		/* Named like a zone, but its first lines are not records: read it
		 * as one only when all of it is; else say so, never drop it. */
		zctx p = z;
		p.capture = 1;              /* collect the first problem only */
		parse_text(&p, ctx->path, ctx->realpath, data, len, origin, ZONE_DEFAULT_TTL);
		zctx_free(&p);
		if (p.gen_problems && p.gen_level == SF_DIAG_ERROR) {
			sf_diag_warn(ctx->diags, ctx->path, 0, "named like a zone file, but does not read "
			             "as one (%s); not imported", p.gen_msg);
			return 0;
		}
	}
	parse_text(&z, ctx->path, ctx->realpath, data, len, origin, ZONE_DEFAULT_TTL);
	if (z.oom)
		goto cleanup;
	if (z.skipped > ZONE_MAX_SKIP_WARNINGS)
		sf_diag_warn(ctx->diags, ctx->path, 0, "%zu more records not read; only their owner "
		             "names are kept", z.skipped - ZONE_MAX_SKIP_WARNINGS);
	if (!(idx = by_owner(&z))) {
		z.oom = 1;
		goto cleanup;
	}
	if (check_singletons(&z, idx) < 0) {
		z.oom = 1;
		goto cleanup;
	}
	/* A zone with errors adds nothing: half a zone would invent
	 * unresolved names and missing name servers. */
	if (ctx->diags->errors > errors_before && !ctx->keep_going) {
		rc = -1;
		goto cleanup;
	}
	rc = build(&z, z.soa_owner ? z.soa_owner : sf_graph_intern(z.g, origin), idx);
cleanup:
	free(idx);
	zctx_free(&z);
	if (z.oom)
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
	return rc;
}

/* The files this zone $INCLUDEs, at any depth: the same parse as the
 * import, without diagnostics or records, so that what counts as a
 * directive is what the import reads as one (a `$INCLUDE` line inside a
 * parenthesised record is text, not an include). */
static void zone_includes(sf_import_ctx *ctx, const char *data, size_t len,
                          void (*found)(const char *realpath, void *payload), void *payload)
{
	char origin[SF_DNS_TEXT_MAX];
	const char *p = data, *end = data + len;
	zctx z;

	/* Most zones include nothing: no second parse for them. */
	while ((p = memchr(p, '$', (size_t)(end - p))) && (end - p < 8 || strncasecmp(p, "$INCLUDE", 8)))
		p++;
	if (!p)
		return;
	memset(&z, 0, sizeof(z));
	z.ctx = ctx;
	set_limits(&z, ctx);
	z.quiet = 1;
	z.found = found;
	z.payload = payload;
	/* The origin decides no file name; the root will do when unknown. */
	if (sf_zone_origin_from_text(data, len, origin, sizeof(origin)) < 0 &&
	    sf_zone_origin_from_filename(ctx->path, origin, sizeof(origin)) < 0)
		snprintf(origin, sizeof(origin), ".");
	z.stack[0] = ctx->realpath;
	z.files = 1;
	z.bytes = len;
	parse_text(&z, ctx->path, ctx->realpath, data, len, origin, ZONE_DEFAULT_TTL);
	zctx_free(&z);
}

const sf_importer sf_importer_zone = { "zone", zone_sniff, zone_import, zone_includes, NULL };
