/* Zone files: RFC 1035 master format, BIND dialect, on libzscanner.
 *
 * The file is parsed record by record (zs_parse_record, never
 * zs_parse_all, which follows $INCLUDE on its own to any path and without
 * a depth limit). Records are collected first and turned into graph facts
 * once the whole zone, includes and all, is known: the apex (first SOA),
 * the delegations and the name servers decide which zone serves a name.
 *
 * Graph: `zone:<apex>` (dns_zone) served by one `dnsprovider:` node per
 * operator of its NS records (ANY gate: the zone is up while one provider
 * is); `dns:<owner>` (dns_name) per owner, served by its zone, with
 * resolves_to edges to CNAME/DNAME/SVCB-alias targets (`dns:` nodes, which
 * other inputs may define) and to A/AAAA addresses (`ip:` endpoints). */
#include "zone.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libzscanner/scanner.h>

#include "dns_common.h"
#include "importer.h"
#include "manifest.h"
#include "model/files.h"

#define ZONE_MAX_ERRORS 50          /* per zone: then the rest is not read */
#define ZONE_DEFAULT_TTL 3600       /* when neither $TTL nor the record says */
#define ZONE_CLASS_IN 1

enum {
	T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_AAAA = 28, T_DNAME = 39,
	T_RRSIG = 46, T_NSEC = 47, T_SVCB = 64, T_HTTPS = 65
};

typedef struct zrec {
	const char *owner;          /* canonical, interned */
	const char *target;         /* name or address the record points at, or NULL */
	const char *path;           /* shown path, interned */
	long line;
	uint32_t ttl;
	uint16_t type;
} zrec;

typedef struct zctx {
	sf_import_ctx *ctx;
	sf_graph *g;
	zrec *recs;
	size_t nrecs, cap;
	const char *stack[SF_ZONE_MAX_INCLUDE_DEPTH + 1];  /* real paths being read */
	size_t depth;
	size_t files;
	size_t bytes;               /* text read, includes and all */
	size_t errors;
	int stopped;                /* a limit was hit: read nothing more */
	long line_override;         /* records of a $GENERATE: its line */
	const char *soa_owner;
	const char *soa_path;
	long soa_line;
	int oom;
} zctx;

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

/* Find the next `$GENERATE` directive at the start of a line outside
 * parentheses, from p->i on. On success *start and *end bound the directive
 * (without its newline) and *line is its line; p is left after it. */
static int next_generate(const char *d, size_t len, lexpos *p, size_t *start, size_t *end,
                         long *line)
{
	int quote = 0, comment = 0;
	while (p->i < len) {
		int at_bol = p->i == 0 || d[p->i - 1] == '\n';
		if (at_bol && p->depth == 0 && len - p->i > 9 &&
		    strncasecmp(d + p->i, "$GENERATE", 9) == 0 && is_blank(d[p->i + 9])) {
			const char *nl = memchr(d + p->i, '\n', len - p->i);
			*start = p->i;
			*end = nl ? (size_t)(nl - d) : len;
			*line = p->line;
			p->i = nl ? *end + 1 : len;
			if (nl)
				p->line++;
			return 1;
		}
		lex_step(d, len, p, &quote, &comment);
	}
	return 0;
}

/* The line of the '(' left open at the end of `d`, or 0. */
static long unclosed_paren_line(const char *d, size_t len, long first_line)
{
	lexpos p = { 0, first_line, 0, 0 };
	int quote = 0, comment = 0;
	while (p.i < len)
		lex_step(d, len, &p, &quote, &comment);
	return p.depth > 0 ? p.open_line : 0;
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

long sf_zone_generate(const char *line, size_t len, sf_buf *out, char *err, size_t errsz)
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

/* ---- sniff ---- */

/* Does the first meaningful line of `head` look like a master file? */
static int looks_like_zone(const char *head, size_t len)
{
	size_t i = 0;
	for (int lines = 0; i < len && lines < 64; lines++) {
		const char *nl = memchr(head + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (head + i)) : len - i;
		tok t[MAX_TOKENS];
		int nt = tokenize(head + i, n, t);
		i += n + 1;
		if (nt == 0)
			continue;
		if (nt < 0)
			return 0;
		if (tok_is(&t[0], "$ORIGIN") || tok_is(&t[0], "$TTL") || tok_is(&t[0], "$INCLUDE") ||
		    tok_is(&t[0], "$GENERATE"))
			return 1;
		for (int k = 1; k < nt && k < 4; k++)
			if (tok_is(&t[k], "SOA") || tok_is(&t[k], "NS") || tok_is(&t[k], "A") ||
			    tok_is(&t[k], "AAAA") || tok_is(&t[k], "CNAME") || tok_is(&t[k], "MX") ||
			    tok_is(&t[k], "TXT"))
				return 1;
		return 0;
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
	if ((n > 3 && strncmp(base, "db.", 3) == 0) || (n > 3 && strcmp(base + n - 3, ".db") == 0))
		return looks_like_zone(head, len) ? 70 : 0;
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

static long cur_line(const zctx *z, const zs_scanner_t *s)
{
	return z->line_override ? z->line_override : (long)s->line_counter;
}

static int too_many_errors(zctx *z, const char *shown, long line)
{
	if (++z->errors < ZONE_MAX_ERRORS)
		return 0;
	sf_diag_error(z->ctx->diags, shown, line, "too many errors; the rest of the zone is not read");
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

static void on_record(zctx *z, zs_scanner_t *s, const char *shown)
{
	char owner[SF_DNS_TEXT_MAX], target[SF_DNS_TEXT_MAX];
	const char *tgt = NULL;
	long line = cur_line(z, s);
	zrec r;

	if (s->r_class != ZONE_CLASS_IN)
		return;
	if (z->nrecs >= SF_ZONE_MAX_RECORDS) {
		sf_diag_error(z->ctx->diags, shown, line,
		              "more than %d records; the rest of the zone is not read",
		              SF_ZONE_MAX_RECORDS);
		z->stopped = 1;
		return;
	}
	if (sf_dns_wire_to_text(s->r_owner, s->r_owner_length, owner, sizeof(owner)) < 0) {
		sf_diag_error(z->ctx->diags, shown, line, "malformed owner name");
		too_many_errors(z, shown, line);
		return;
	}
	switch (s->r_type) {
	case T_A:
		if (s->r_data_length == 4 && inet_ntop(AF_INET, s->r_data, target, sizeof(target)))
			tgt = target;
		break;
	case T_AAAA:
		if (s->r_data_length == 16 && inet_ntop(AF_INET6, s->r_data, target, sizeof(target)))
			tgt = target;
		break;
	case T_NS:
	case T_CNAME:
	case T_DNAME:
		if (sf_dns_wire_to_text(s->r_data, s->r_data_length, target, sizeof(target)) >= 0)
			tgt = target;
		break;
	case T_SVCB:
	case T_HTTPS:
		/* AliasMode (priority 0) works like a CNAME for the owner. */
		if (s->r_data_length >= 3 && s->r_data[0] == 0 && s->r_data[1] == 0 &&
		    sf_dns_wire_to_text(s->r_data + 2, s->r_data_length - 2, target, sizeof(target)) >= 0 &&
		    strcmp(target, ".") != 0)
			tgt = target;
		break;
	default:
		break;
	}
	r.owner = sf_graph_intern(z->g, owner);
	r.target = tgt ? sf_graph_intern(z->g, tgt) : NULL;
	r.path = sf_graph_intern(z->g, shown);
	r.line = line;
	r.ttl = s->r_ttl;
	r.type = s->r_type;
	if (!r.owner || !r.path || (tgt && !r.target)) {
		z->oom = 1;
		return;
	}
	if (r.type == T_SOA && !z->soa_owner) {
		z->soa_owner = r.owner;
		z->soa_path = r.path;
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

static void on_include(zctx *z, zs_scanner_t *s, const char *shown, const char *real)
{
	const char *name = s->include_filename;
	long line = cur_line(z, s);
	char err[256], *inc_real = NULL, *inc_shown = NULL, *data = NULL;
	size_t len;

	/* libzscanner prefixes a relative name with the input's directory,
	 * "." for text input; an absolute name is left as written. */
	if (name[0] != '/' && strncmp(name, "./", 2) == 0)
		name += 2;
	if (name[0] != '/' && lexically_outside(z->ctx->root, real, name)) {
		sf_diag_error(z->ctx->diags, shown, line,
		              "$INCLUDE '%s' refused: path leads outside the scanned tree", name);
		goto cleanup;
	}
	if (sf_resolve_confined(z->ctx->root, real, name, &inc_real, err, sizeof(err)) < 0) {
		sf_diag_error(z->ctx->diags, shown, line, "$INCLUDE '%s' refused: %s", name, err);
		goto cleanup;
	}
	for (size_t i = 0; i <= z->depth; i++)
		if (strcmp(z->stack[i], inc_real) == 0) {
			sf_diag_error(z->ctx->diags, shown, line,
			              "$INCLUDE '%s' refused: include cycle (the file is being read already)",
			              name);
			goto cleanup;
		}
	if (z->depth + 1 > SF_ZONE_MAX_INCLUDE_DEPTH) {
		sf_diag_error(z->ctx->diags, shown, line,
		              "$INCLUDE '%s' refused: includes nested deeper than %d", name,
		              SF_ZONE_MAX_INCLUDE_DEPTH);
		goto cleanup;
	}
	if (++z->files > SF_ZONE_MAX_FILES) {
		sf_diag_error(z->ctx->diags, shown, line,
		              "$INCLUDE '%s' refused: the zone includes more than %d files", name,
		              SF_ZONE_MAX_FILES);
		goto cleanup;
	}
	if (sf_read_file(inc_real, SF_INPUT_MAX, &data, &len, err, sizeof(err)) < 0) {
		sf_diag_error(z->ctx->diags, shown, line, "$INCLUDE '%s': %s", name, err);
		goto cleanup;
	}
	/* The same big file included again and again must not cost more. */
	if ((z->bytes += len) > SF_ZONE_MAX_BYTES) {
		sf_diag_error(z->ctx->diags, shown, line,
		              "$INCLUDE '%s' refused: the zone's files hold more than %zu MB", name,
		              SF_ZONE_MAX_BYTES >> 20);
		goto cleanup;
	}
	if (!(inc_shown = include_shown(z->ctx, inc_real))) {
		z->oom = 1;
		goto cleanup;
	}
	z->stack[++z->depth] = inc_real;
	/* The included file starts at the origin the directive names (the
	 * scanner put it into `buffer`), with the current default TTL. */
	parse_text(z, inc_shown, inc_real, data, len, (const char *)s->buffer, s->default_ttl);
	z->depth--;
cleanup:
	free(inc_real);
	free(inc_shown);
	free(data);
	return;
}

/* Run the scanner over one piece of text until its end; 1 when parsing
 * of this file must stop (a fatal error or a limit). */
static int scan_piece(zctx *z, zs_scanner_t *s, const char *shown, const char *real,
                      const char *piece, size_t len, long first_line)
{
	if (zs_set_input_string(s, piece, len) < 0)
		return 1;
	s->line_counter = (uint64_t)first_line;
	while (!z->stopped && !z->oom) {
		long line;
		int top = s->top;
		if (zs_parse_record(s) < 0 && s->state != ZS_STATE_ERROR)
			return 1;
		line = cur_line(z, s);
		switch (s->state) {
		case ZS_STATE_DATA:
			on_record(z, s, shown);
			break;
		case ZS_STATE_INCLUDE:
			if (z->line_override) {
				sf_diag_error(z->ctx->diags, shown, line, "$INCLUDE inside $GENERATE");
				return 1;
			}
			on_include(z, s, shown, real);
			/* libzscanner 3.2.6 pushes a Ragel call frame for each $INCLUDE
			 * it hands back in manual mode and never pops it: the 17th
			 * include overflows its 16-entry stack (found by fuzz_zone;
			 * "stack smashing detected"). The frame is never returned to,
			 * so dropping it is all the pop would have done. */
			s->top = top;
			break;
		case ZS_STATE_ERROR:
			if (s->error.code == ZS_UNCLOSED_MULTILINE) {
				long open = unclosed_paren_line(piece, len, first_line);
				sf_diag_error(z->ctx->diags, shown, open ? open : line,
				              "unterminated parenthesis: no ')' before the end of the file");
			} else {
				sf_diag_error(z->ctx->diags, shown, line, "%s", zs_strerror(s->error.code));
			}
			if (too_many_errors(z, shown, line) || s->error.fatal)
				return 1;
			break;
		case ZS_STATE_EOF:
			return 0;
		default:
			return 1;
		}
	}
	return 1;
}

/* Parse one file's text: libzscanner for the pieces between $GENERATE
 * lines, our expansion for those. Problems are diagnostics in z. */
static void parse_text(zctx *z, const char *shown, const char *real, const char *data,
                       size_t len, const char *origin, uint32_t ttl)
{
	zs_scanner_t *s = malloc(sizeof(*s));
	lexpos p = { 0, 1, 0, 0 };
	sf_buf gen;

	if (!s) {
		z->oom = 1;
		return;
	}
	if (zs_init(s, origin, ZONE_CLASS_IN, ttl) < 0) {
		sf_diag_error(z->ctx->diags, shown, 0, "cannot start the zone parser at origin '%s'",
		              origin);
		free(s);
		return;
	}
	sf_buf_init(&gen, 0);
	while (!z->stopped && !z->oom) {
		size_t from = p.i, gstart, gend;
		long from_line = p.line, gline;
		int found = next_generate(data, len, &p, &gstart, &gend, &gline);
		size_t piece_end = found ? gstart : len;
		char err[256];
		long n;

		if (piece_end > from &&
		    scan_piece(z, s, shown, real, data + from, piece_end - from, from_line))
			break;
		if (!found)
			break;
		sf_buf_clear(&gen);
		n = sf_zone_generate(data + gstart, gend - gstart, &gen, err, sizeof(err));
		if (n < 0) {
			sf_diag_error(z->ctx->diags, shown, gline, "%s", err);
			if (too_many_errors(z, shown, gline))
				break;
			continue;
		}
		if (gen.len) {
			int stop;
			z->line_override = gline;
			stop = scan_piece(z, s, shown, real, gen.ptr, gen.len, gline);
			z->line_override = 0;
			if (stop)
				break;
		}
	}
	sf_buf_free(&gen);
	zs_deinit(s);
	free(s);
}

/* ---- graph ---- */

static sf_node_id name_node(sf_graph *g, const char *name, const sf_prov *prov)
{
	char key[SF_DNS_TEXT_MAX + 8];
	snprintf(key, sizeof(key), "dns:%s", name);
	return sf_graph_node(g, SF_KIND_DNS_NAME, key, name, prov);
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

/* The closest delegation point above or at `name`, or NULL. */
static const char *delegation_of(const char *name, const char *apex, const char **dele, size_t nd)
{
	const char *p = name;
	while (nd && strcmp(p, apex) != 0 && strcmp(p, ".") != 0) {
		if (bsearch(&p, dele, nd, sizeof(*dele), cmp_str))
			return p;
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
	return NULL;
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
 * zone's CNAME records, one per owner, sorted by owner; the walk follows
 * targets through it by binary search and is iterative, so a chain of any
 * length costs no stack and memory grows with the zone, not the graph. */
static int check_chains(zctx *z, const size_t *cn, size_t n)
{
	size_t *next = malloc((n + 1) * sizeof(*next)), *path = malloc((n + 1) * sizeof(*path));
	uint32_t *depth = calloc(n + 1, sizeof(*depth));
	unsigned char *color = calloc(n + 1, 1), *has_in = calloc(n + 1, 1);
	int rc = -1;

	if (!next || !path || !depth || !color || !has_in)
		goto cleanup;
	for (size_t k = 0; k < n; k++) {
		const char *t = z->recs[cn[k]].target;
		size_t lo = 0, hi = n;
		next[k] = SIZE_MAX;
		while (t && lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(z->recs[cn[mid]].owner, t);
			if (c == 0) {
				next[k] = mid;
				has_in[mid] = 1;
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
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
			sf_buf msg = SF_BUF_INIT;
			size_t at = 0, shown = 0;
			while (path[at] != v)
				at++;
			for (size_t k = at; k < len && shown < 8; k++, shown++)
				sf_buf_printf(&msg, "%s -> ", z->recs[cn[path[k]]].owner);
			if (len - at > 8)
				sf_buf_puts(&msg, "... -> ");
			sf_buf_puts(&msg, r->owner);
			sf_diag_warn(z->ctx->diags, r->path, r->line, "CNAME loop: %s", sf_buf_cstr(&msg));
			sf_buf_free(&msg);
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
		sf_diag_warn(z->ctx->diags, r->path, r->line,
		             "CNAME chain of %u names from %s: resolvers stop following after %d",
		             (unsigned)depth[k] + 1, r->owner, SF_DNS_MAX_CHAIN);
	}
	rc = 0;
cleanup:
	free(next);
	free(path);
	free(depth);
	free(color);
	free(has_in);
	return rc;
}

static const zrec *cmp_recs;

static int cmp_rec_owner(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(cmp_recs[x].owner, cmp_recs[y].owner);
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/* A CNAME owns its name: no other data beside it but DNSSEC's own (RFC
 * 1034 3.6.2, RFC 2181 10.1; BIND and Knot refuse such a zone). For us a
 * name with both would resolve two ways at once. */
static int check_cname_exclusive(zctx *z, const size_t *idx)
{
	int bad = 0;

	for (size_t i = 0; i < z->nrecs;) {
		size_t j = i;
		const zrec *cname = NULL, *other = NULL;
		while (j < z->nrecs && z->recs[idx[j]].owner == z->recs[idx[i]].owner) {
			const zrec *r = &z->recs[idx[j]];
			if (r->type == T_CNAME && cname) {
				sf_diag_error(z->ctx->diags, r->path, r->line,
				              "%s has more than one CNAME (the first on line %ld)", r->owner,
				              cname->line);
				bad++;
			} else if (r->type == T_CNAME) {
				cname = r;
			} else if (r->type != T_RRSIG && r->type != T_NSEC && !other) {
				other = r;
			}
			j++;
		}
		if (cname && other) {
			/* at the one that comes second in the file (or the include) */
			const zrec *later = cname < other ? other : cname;
			char tb[16];
			sf_diag_error(z->ctx->diags, later->path, later->line,
			              "CNAME and other data: %s has a CNAME (line %ld) and a %s record (line %ld)",
			              cname->owner, cname->line, sf_dns_type_name(other->type, tb, sizeof(tb)),
			              other->line);
			bad++;
		}
		i = j;
	}
	return bad;
}

/* Record indexes sorted by owner, file order within an owner. */
static size_t *by_owner(const zctx *z)
{
	size_t *idx = malloc((z->nrecs + 1) * sizeof(*idx));
	if (!idx)
		return NULL;
	for (size_t i = 0; i < z->nrecs; i++)
		idx[i] = i;
	cmp_recs = z->recs;
	qsort(idx, z->nrecs, sizeof(*idx), cmp_rec_owner);
	cmp_recs = NULL;
	return idx;
}

static int build(zctx *z, const char *apex, const size_t *idx)
{
	sf_graph *g = z->g;
	sf_prov zprov = { z->soa_path ? z->soa_path : z->ctx->path, z->soa_path ? z->soa_line : 0 };
	sf_node_id zone = zone_node(g, apex, &zprov), *owner_of = NULL;
	const char **dele = NULL;
	nsset *sets = NULL;         /* [0] the apex, then one per delegation */
	size_t nd = 0, outside = 0, *cn = NULL, ncn = 0;
	int rc = -1;

	if (zone == SF_NODE_NONE)
		goto cleanup;
	if (sf_graph_set_attr(g, zone, "name", apex) < 0)
		goto cleanup;
	dele = malloc((z->nrecs + 1) * sizeof(*dele));
	owner_of = malloc((z->nrecs + 1) * sizeof(*owner_of));
	if (!dele || !owner_of)
		goto cleanup;
	for (size_t i = 0; i < z->nrecs; i++) {
		const zrec *r = &z->recs[i];
		if (r->type == T_NS && r->owner != apex && strcmp(r->owner, apex) != 0 &&
		    sf_dns_in_zone(r->owner, apex))
			dele[nd++] = r->owner;
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
	if (!sets)
		goto cleanup;
	sets[0].zone = apex;
	for (size_t i = 0; i < nd; i++)
		sets[i + 1].zone = dele[i];

	for (size_t i = 0; i < z->nrecs; i++) {
		const zrec *r = &z->recs[i];
		sf_prov prov = { r->path, r->line };
		const char *child;
		sf_node_id o, t = SF_NODE_NONE;

		owner_of[i] = SF_NODE_NONE;
		if (!sf_dns_in_zone(r->owner, apex)) {
			if (outside++ == 0)
				sf_diag_warn(z->ctx->diags, r->path, r->line,
				             "%s is outside the zone %s; ignored", r->owner, apex);
			continue;
		}
		if ((o = name_node(g, r->owner, &prov)) == SF_NODE_NONE)
			goto cleanup;
		/* A name answers while any of its addresses or aliases works; its
		 * zones are required edges, which an ANY gate does not relax. */
		sf_graph_set_gate(g, o, SF_GATE_ANY);
		owner_of[i] = o;
		child = delegation_of(r->owner, apex, dele, nd);
		if (child) {
			sf_prov cp = { r->path, r->line };
			sf_node_id cz = zone_node(g, child, &cp);
			if (cz == SF_NODE_NONE || sf_graph_edge(g, o, SF_EDGE_SERVED_BY, cz, &prov) < 0)
				goto cleanup;
			/* Resolving below a delegation also needs the parent. */
		}
		if (sf_graph_edge(g, o, SF_EDGE_SERVED_BY, zone, &prov) < 0)
			goto cleanup;
		if (!r->target)
			continue;
		switch (r->type) {
		case T_A:
		case T_AAAA: {
			char key[80];
			snprintf(key, sizeof(key), "ip:%s", r->target);
			t = sf_graph_node(g, SF_KIND_ENDPOINT, key, r->target, NULL);
			break;
		}
		case T_NS: {
			nsset *set = &sets[0];
			if (strcmp(r->owner, apex) != 0) {
				const char **hit = bsearch(&r->owner, dele, nd, sizeof(*dele), cmp_str);
				set = hit ? &sets[1 + (size_t)(hit - dele)] : NULL;
			}
			if (set && nsset_add(set, r->target) < 0)
				goto cleanup;
			continue;
		}
		default:
			if (is_alias_type(r->type))
				t = name_node(g, r->target, NULL);
			else
				continue;
			break;
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
	if (!(cn = malloc((z->nrecs + 1) * sizeof(*cn))))
		goto cleanup;
	for (size_t i = 0; i < z->nrecs;) {
		size_t j = i;
		long best = -1, first = -1;
		sf_node_id o = SF_NODE_NONE;
		int has_cname = 0;
		while (j < z->nrecs && z->recs[idx[j]].owner == z->recs[idx[i]].owner) {
			const zrec *r = &z->recs[idx[j]];
			if (owner_of[idx[j]] != SF_NODE_NONE) {
				o = owner_of[idx[j]];
				if (first < 0)
					first = (long)r->ttl;
				if ((r->type == T_A || r->type == T_AAAA || is_alias_type(r->type)) &&
				    (long)r->ttl > best)
					best = (long)r->ttl;
				if (r->type == T_CNAME && !has_cname && r->target) {
					cn[ncn++] = idx[j];
					has_cname = 1;
				}
			}
			j++;
		}
		if (o != SF_NODE_NONE) {
			char buf[24];
			snprintf(buf, sizeof(buf), "%ld", best >= 0 ? best : first);
			if (sf_graph_set_attr(g, o, "ttl", buf) < 0)
				goto cleanup;
		}
		i = j;
	}
	rc = check_chains(z, cn, ncn);
cleanup:
	if (sets)
		for (size_t i = 0; i <= nd; i++)
			free(sets[i].ns);
	free(sets);
	free(dele);
	free(owner_of);
	free(cn);
	return rc;
}

static int zone_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	char origin[SF_DNS_TEXT_MAX];
	size_t *idx = NULL;
	zctx z;
	int rc = -1;
	size_t errors_before = ctx->diags->errors;

	memset(&z, 0, sizeof(z));
	z.ctx = ctx;
	z.g = ctx->graph;
	if (sf_zone_origin_from_text(data, len, origin, sizeof(origin)) < 0 &&
	    sf_zone_origin_from_filename(ctx->path, origin, sizeof(origin)) < 0 &&
	    sf_manifest_zone_origin(ctx->root, ctx->realpath, origin, sizeof(origin)) < 0) {
		sf_diag_error(ctx->diags, ctx->path, 1,
		              "cannot tell the zone's origin: start the file with $ORIGIN, name it "
		              "<zone>.zone, or list it under zones: in sharedfate.yaml");
		return -1;
	}
	z.stack[0] = ctx->realpath;
	z.files = 1;
	z.bytes = len;
	parse_text(&z, ctx->path, ctx->realpath, data, len, origin, ZONE_DEFAULT_TTL);
	if (z.oom)
		goto cleanup;
	if (!(idx = by_owner(&z))) {
		z.oom = 1;
		goto cleanup;
	}
	check_cname_exclusive(&z, idx);
	/* A zone with errors adds nothing: half a zone would invent
	 * unresolved names and missing name servers. */
	if (ctx->diags->errors > errors_before && !ctx->keep_going) {
		rc = -1;
		goto cleanup;
	}
	rc = build(&z, z.soa_owner ? z.soa_owner : sf_graph_intern(z.g, origin), idx);
cleanup:
	free(idx);
	free(z.recs);
	if (z.oom)
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
	return rc;
}

/* The files this zone $INCLUDEs directly, found lexically: a directive
 * starts a line. Anything that would be refused on import is left out. */
static void zone_includes(sf_import_ctx *ctx, const char *data, size_t len,
                          void (*found)(const char *realpath, void *payload), void *payload)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		tok t[MAX_TOKENS];
		int nt = (n > 8 && (p[0] == '$')) ? tokenize(p, n, t) : 0;
		if (nt >= 2 && tok_is(&t[0], "$INCLUDE") && t[1].n < 1024) {
			char name[1024], err[256], *real = NULL;
			const char *s = t[1].s;
			size_t l = t[1].n;
			if (l >= 2 && s[0] == '"' && s[l - 1] == '"') {
				s++;
				l -= 2;
			}
			memcpy(name, s, l);
			name[l] = '\0';
			if (name[0] != '/' && !lexically_outside(ctx->root, ctx->realpath, name) &&
			    sf_resolve_confined(ctx->root, ctx->realpath, name, &real, err, sizeof(err)) == 0) {
				found(real, payload);
				free(real);
			}
		}
		p = eol ? eol + 1 : end;
	}
}

const sf_importer sf_importer_zone = { "zone", zone_sniff, zone_import, zone_includes };
