/* Zone files: RFC 1035 master format, BIND dialect, on libzscanner.
 *
 * Records are collected first and turned into graph facts once the whole
 * zone, includes and all, is known: the apex (first SOA), the delegations
 * and the name servers decide which zone serves a name.
 *
 * libzscanner reads the text in one piece (zs_parse_all, by callback) up
 * to the first thing it refuses or that needs our entry layer ($INCLUDE,
 * $GENERATE, a relative $ORIGIN): that piece holds no $INCLUDE, which
 * libzscanner would follow on its own to any path and without a depth
 * limit. From there the text is cut into entries (a line, or the lines a
 * parenthesis holds together) and libzscanner gets one entry at a time
 * (zs_parse_record); only the entry layer reads includes.
 * That keeps every line number exact and lets one record fail alone: a
 * record the analysis does not use and libzscanner cannot read (a type it
 * does not know, rdata BIND accepts and it does not) is kept as its owner
 * name with a warning, and the rest of the zone is imported. Shapes BIND
 * reads and libzscanner 3.2 does not (CRLF, a relative $ORIGIN, CLASS1,
 * base64 in pieces) are rewritten into ones it does.
 *
 * A record is 16 bytes; names stay in wire form in the importer's own
 * table (zone_names.h) and addresses as bytes, and become text only for a
 * node or a diagnostic. Every check of the zone is made at import.
 *
 * Graph: `zone:<apex>` (dns_zone) served by one `dnsprovider:` node per
 * operator of its NS records (ANY gate: the zone is up while one provider
 * is), and a zone node per delegation, made at import; `dns:<owner>`
 * (dns_name) per owner, served by its zone, with resolves_to edges to
 * CNAME/DNAME/SVCB-alias targets (`dns:` nodes, which other inputs may
 * define) and to A/AAAA addresses (`ip:` endpoints). Name nodes are made
 * at import when the caller wants the whole graph; else the zone is a
 * deferred source (importer.h), which makes them for the names something
 * reaches once every input is read. */
#include "zone.h"
#include "model/stats.h"

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
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "dns_common.h"
#include "zone_names.h"
#include "importer.h"
#include "manifest.h"
#include "model/files.h"

#define ZONE_MAX_ERRORS 50          /* per zone: then the rest is not read */
#define ZONE_MAX_SKIP_WARNINGS 20   /* per zone: then one count at the end */
#define ZONE_DEFAULT_TTL 3600       /* when neither $TTL nor the record says */
#define ZONE_CLASS_IN 1
#define ZONE_ENTRY_TOKENS 512       /* longest record (in tokens) ever rewritten */
#define ZONE_HEAD_TOKENS 8          /* enough to classify an entry */
#define ZONE_RECENT_BITS 5          /* 32 names remembered by their wire bytes */
#define ZONE_BATCH 32               /* names looked up together */
#define ZONE_PENDING 0x80000000u    /* a recent name still in the batch: its index */
#define ZONE_PARENT_BITS 6          /* 64 names above owners remembered (dset) */

enum {
	T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_SIG = 24, T_KEY = 25, T_AAAA = 28,
	T_NXT = 30, T_DNAME = 39, T_RRSIG = 46, T_NSEC = 47, T_SVCB = 64, T_HTTPS = 65,
	T_PLACEHOLDER = 65534       /* stands for a record that was not read */
};

/* One record, as the analysis needs it: 16 bytes, as a large zone holds
 * millions. The owner, the target and the file are numbers (zctx.oname,
 * zctx.names or zctx.addr4/addr6, zctx.paths); a line fits 32 bits, as the text
 * read is at most SF_ZONE_MAX_BYTES, and a file 8, as a zone reads at most
 * SF_ZONE_MAX_FILES. The TTL counts only per owner (zctx.ottl), and the
 * record data only to tell a repeated CNAME, DNAME or SOA from a second
 * one: its hash is kept aside (zctx.rdh) for those alone, and for a CNAME
 * or DNAME only when the data is not the target's bytes as the table
 * keeps them, which the target says already. */
typedef struct zrec {
	/* what the record points at: for A and AAAA an address in
	 * zctx.addr4 or addr6, else a name in zctx.names; SF_ZNAME_NONE
	 * when nothing */
	sf_zname_id target;
	uint32_t oid;               /* owner: zctx.oname[oid] */
	uint32_t line;
	uint16_t type;              /* 0 when a skipped record's type is unknown */
	uint8_t flags;              /* ZREC_* */
	uint8_t file;               /* shown path, interned: zctx.paths[file] */
} zrec;
_Static_assert(SF_ZONE_MAX_FILES < 255, "a record's file is a byte");
_Static_assert(sizeof(zrec) == 16, "a record is 16 bytes");

enum {
	ZREC_SKIPPED = 1,           /* not read: only its owner is known */
	ZREC_RDATA = 2              /* its data's hash is in zctx.rdh */
};

/* What is known of an owner (zctx.oflags). The reading says which of
 * BIND's rules for one owner (check_owner) its records might break, so
 * that only those owners are checked. */
enum {
	OWNER_TTL_BEST = 1,         /* its TTL came from an address or alias record */
	OWNER_IN = 2,               /* in the zone, */
	OWNER_OUT = 4,              /* or outside it (neither: not known yet) */
	OWNER_DELEG = 8,            /* a delegation point */
	OWNER_CNAME = 16,           /* its first CNAME is in the chains' walk */
	OWNER_QUEUED = 32,          /* its nodes are queued in zctx.todo, */
	OWNER_MADE = 64,            /* or made */
	OWNER_HAS_CNAME = 128,      /* it has a CNAME read, */
	OWNER_HAS_DNAME = 256,      /* a DNAME, */
	OWNER_HAS_SOA = 512,        /* an SOA, */
	OWNER_HAS_OTHER = 1024,     /* a record a CNAME may not have beside it, */
	OWNER_SUSPECT = 2048        /* a second of one of the first three, or a CNAME and other */
};

#define ROWNER(z, r) owner_text((z), (r)->oid)
#define RPATH(z, r) ((z)->paths[(r)->file])
/* A name's key is `dns:` and the name: one string for both. */
#define DNS_PREFIX "dns:"
#define DNS_SKIP 4
#define IP_PREFIX "ip:"
#define IP_SKIP 3

struct dset;
static void dset_free(struct dset *ds);

typedef struct zctx {
	sf_import_ctx *ctx;
	sf_graph *g;
	zrec *recs;
	size_t nrecs, cap;
	/* The NS records, in file order: the delegations and name servers
	 * come from them alone, not from a walk of every record. */
	uint32_t *nsrec;
	size_t nns, nscap;
	/* Names and addresses in wire form; name number -> owner number
	 * (UINT32_MAX: owns nothing here). Names are dense numbers, so an
	 * array does what a second hash table would. */
	sf_znames names;
	uint32_t *name_owner;
	size_t name_owner_n, name_owner_cap;    /* set, and room */
	/* Owners in the order they first appear, so that records group by
	 * owner without comparing names: the name's number, and its graph key
	 * (`dns:` and its text) once something needs it, which most owners of
	 * a large zone never do: that array is left zero (untouched) until
	 * then; and
	 * the last few names read (owners and targets), as libzscanner handed
	 * them out, as the next record usually names one of them again (a
	 * host's records come together, an alias's target follows it). */
	uint32_t *oname;
	uint32_t *osid;             /* its key's string number + 1; 0 before */
	/* the TTL its name gets: the longest of its address and alias
	 * records, which is what a cutover waits for, else its first
	 * record's; kept as the records are read */
	uint32_t *ottl;
	uint16_t *oflags;
	/* Records per owner o at [o + 2] as they are read, which by_owner()
	 * turns into where each owner's group starts. */
	uint32_t *ostart;
	size_t nowners, ownerscap;
	/* the record data hashes a CNAME, DNAME or SOA keeps aside
	 * (ZREC_RDATA), in record order */
	struct zrdh {
		uint32_t rec;
		uint32_t hash;
	} *rdh;
	size_t nrdh, rdhcap;
	const char **paths;         /* shown paths of the files read, interned */
	size_t npaths;
	/* Deferred: the graph's node count when the zone was handed over. A
	 * name node at or past it that exists before the zone makes it came
	 * from an input read after the zone (0: not deferred). */
	size_t late_from;
	/* Names read lately, as libzscanner handed them out, each in the
	 * place its first bytes and length pick: a look-up compares one. */
	struct zrecent {
		uint64_t head;          /* its first 8 bytes (zero past its end): a quick no */
		uint32_t len;           /* 0: an empty place */
		uint32_t ref;           /* its number, or ZONE_PENDING | its batch index */
		int canon;              /* the bytes are as the table keeps them */
		uint8_t wire[256];
	} recent[1u << ZONE_RECENT_BITS];
	/* Owners and targets waiting for their numbers: looked up a batch at
	 * a time, so that the batch's cache misses in the large table
	 * overlap. Each item is a record's owner or target, and is a number
	 * already (a recent name), the same as an earlier item, or bytes. */
	struct zstage {
		uint32_t rec;           /* z->recs index */
		int owner;              /* 1: the record's owner, 0: its target */
		uint32_t ttl;           /* an owner's: the record's TTL, */
		int best;               /* whether it is an address or alias, */
		unsigned has;           /* and its OWNER_HAS_* */
		sf_zname_id nid;
		uint32_t same;          /* UINT32_MAX: none */
		uint32_t hash;
		size_t len;
		uint8_t w[256];         /* folded */
	} stage[ZONE_BATCH];
	size_t nstage;
	/* A and AAAA addresses, each in an array of its size: a record's
	 * target for those types is an index there. */
	uint8_t *addr4;             /* 4 bytes each */
	uint8_t *addr6;             /* 16 bytes each */
	size_t n4, cap4, n6, cap6;
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
	/* The graph, made at once or on demand (a deferred source): the
	 * records grouped by owner (where each owner's group starts is in
	 * ostart); the delegations, which tell an owner's (an index of
	 * dnode); whether it is in the zone, and whether its nodes are made or
	 * queued in `todo` (queued once at most), are in oflags. */
	uint32_t *idx;
	struct dset *ds;
	sf_node_id zone;            /* the apex's zone node */
	const char *apex;           /* its name, interned */
	sf_node_id *dnode;          /* per delegation: its zone node */
	uint32_t *todo;             /* owners whose nodes are to be made: nowners at most */
	size_t ntodo;
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
	if (z->nrecs >= UINT32_MAX - 1) {
		z->oom = 1;             /* records are numbered in 32 bits */
		return -1;
	}
	if (z->nrecs == z->cap) {
		size_t cap = z->cap ? z->cap * 2 : 256;
		zrec *p = realloc(z->recs, cap * sizeof(*p));
		if (!p) {
			z->oom = 1;
			return -1;
		}
		sf_znames_huge(p, z->cap * sizeof(*p), cap * sizeof(*p));
		z->recs = p;
		z->cap = cap;
	}
	if (r->type == T_NS && z->nns == z->nscap) {
		size_t cap = z->nscap ? z->nscap * 2 : 64;
		uint32_t *p = realloc(z->nsrec, cap * sizeof(*p));
		if (!p) {
			z->oom = 1;
			return -1;
		}
		z->nsrec = p;
		z->nscap = cap;
	}
	if (r->type == T_NS)
		z->nsrec[z->nns++] = (uint32_t)z->nrecs;
	z->recs[z->nrecs++] = *r;
	return 0;
}

/* Room for the records and owners `text_bytes` of text usually hold,
 * taken before reading: growing by doubling copies the records made so far
 * (a large realloc that cannot be remapped is a copy) and touches fresh
 * pages for every copy. A record line is rarely under 12 bytes, so the
 * guess is high: room never written is only address space. A zone that
 * holds more ($GENERATE, includes) grows past it. -1 out of memory.
 * The records and addresses go on 2 MB pages (sf_znames_huge); the
 * per-owner arrays, a few MB each, stay on small ones. */
static int zctx_reserve(zctx *z, size_t text_bytes)
{
	size_t cap = text_bytes / 12 + 256;
	if (cap > z->max_records + 1)
		cap = z->max_records + 1;
	if (!(z->recs = malloc(cap * sizeof(*z->recs))) ||
	    !(z->oname = malloc(cap * sizeof(*z->oname))) ||
	    !(z->osid = calloc(cap, sizeof(*z->osid))) ||
	    !(z->ottl = malloc(cap * sizeof(*z->ottl))) ||
	    !(z->oflags = malloc(cap * sizeof(*z->oflags))) ||
	    !(z->ostart = malloc((cap + 2) * sizeof(*z->ostart))) ||
	    !(z->name_owner = malloc(cap * sizeof(*z->name_owner))) ||
	    !(z->addr4 = malloc(cap * 4)) || !(z->addr6 = malloc(cap * 16)))
		return -1;
	z->cap4 = z->cap6 = cap;
	z->ostart[0] = z->ostart[1] = 0;
	sf_znames_huge(z->recs, 0, cap * sizeof(*z->recs));
	sf_znames_huge(z->addr4, 0, cap * 4);
	sf_znames_huge(z->addr6, 0, cap * 16);
	z->name_owner_cap = cap;
	z->cap = z->ownerscap = cap;
	return 0;
}

/* The owner number of name `nid`, or UINT32_MAX when it owns nothing. */
static uint32_t owner_find(const zctx *z, sf_zname_id nid)
{
	return nid < z->name_owner_n ? z->name_owner[nid] : UINT32_MAX;
}

/* Intern a name (of table hash `h`), with room in name_owner for its
 * number. */
static sf_zname_id zname(zctx *z, const uint8_t *s, size_t len, uint32_t h)
{
	sf_zname_id id = sf_znames_intern_hashed(&z->names, SF_ZNAME_NAME, s, len, h);
	if (id == SF_ZNAME_NONE) {
		z->oom = 1;
		return id;
	}
	if (id >= z->name_owner_cap) {
		size_t cap = z->names.cap > id ? z->names.cap : (size_t)id + 1;
		uint32_t *p = realloc(z->name_owner, cap * sizeof(*p));
		if (!p) {
			z->oom = 1;
			return SF_ZNAME_NONE;
		}
		z->name_owner = p;
		z->name_owner_cap = cap;
	}
	/* ids come in order: only a new one is set, and the room past it
	 * is not touched */
	if (id == z->name_owner_n)
		z->name_owner[z->name_owner_n++] = UINT32_MAX;     /* the usual: one new */
	while (z->name_owner_n <= id)
		z->name_owner[z->name_owner_n++] = UINT32_MAX;
	return id;
}

/* The owner number of name `nid`, given one when it is new, for a record
 * as its batch item `st` says (TTL, type). */
static int owner_id(zctx *z, sf_zname_id nid, const struct zstage *st, uint32_t *out)
{
	uint32_t o;
	if ((o = owner_find(z, nid)) != UINT32_MAX) {
		unsigned f = z->oflags[o];
		*out = o;
		if (st->best && (!(f & OWNER_TTL_BEST) || st->ttl > z->ottl[o])) {
			z->ottl[o] = st->ttl;
			f |= OWNER_TTL_BEST;
		}
		if (f & st->has & (OWNER_HAS_CNAME | OWNER_HAS_DNAME | OWNER_HAS_SOA))
			f |= OWNER_SUSPECT;
		f |= st->has;
		if ((f & (OWNER_HAS_CNAME | OWNER_HAS_OTHER)) == (OWNER_HAS_CNAME | OWNER_HAS_OTHER))
			f |= OWNER_SUSPECT;
		z->oflags[o] = (uint16_t)f;
		z->ostart[o + 2]++;
		return 0;
	}
	if (z->nowners == z->ownerscap) {
		size_t cap = z->ownerscap ? z->ownerscap * 2 : 256;
		uint32_t *p = realloc(z->oname, cap * sizeof(*p));
		uint16_t *fl;
		if (!p)
			return -1;
		z->oname = p;
		if (!(p = realloc(z->osid, cap * sizeof(*p))))
			return -1;
		memset(p + z->ownerscap, 0, (cap - z->ownerscap) * sizeof(*p));
		z->osid = p;
		if (!(p = realloc(z->ottl, cap * sizeof(*p))))
			return -1;
		z->ottl = p;
		if (!(fl = realloc(z->oflags, cap * sizeof(*fl))))
			return -1;
		z->oflags = fl;
		if (!(p = realloc(z->ostart, (cap + 2) * sizeof(*p))))
			return -1;
		if (!z->ostart)
			p[0] = p[1] = 0;
		z->ostart = p;
		z->ownerscap = cap;
	}
	o = (uint32_t)z->nowners++;
	z->oname[o] = nid;
	z->ottl[o] = st->ttl;
	z->oflags[o] = (uint16_t)(st->has | (st->best ? OWNER_TTL_BEST : 0));
	z->ostart[o + 2] = 1;
	z->name_owner[nid] = o;
	*out = o;
	return 0;
}

/* The graph key (`dns:` and the text) of name `nid`, interned; its text
 * is the key without the prefix. SF_STR_NONE out of memory. */
static sf_str_id name_key(zctx *z, sf_zname_id nid)
{
	char key[DNS_SKIP + SF_DNS_TEXT_MAX];
	size_t len;
	const uint8_t *w = sf_znames_bytes(&z->names, nid, &len);
	uint32_t o = owner_find(z, nid);
	int n;
	sf_str_id sid;

	if (o != UINT32_MAX && z->osid[o])
		return z->osid[o] - 1;
	memcpy(key, DNS_PREFIX, DNS_SKIP);
	/* the table holds only names that convert */
	if ((n = sf_dns_wire_to_text(w, len, key + DNS_SKIP, sizeof(key) - DNS_SKIP)) < 0 ||
	    (sid = sf_graph_intern_id(z->g, key, DNS_SKIP + (size_t)n)) == SF_STR_NONE) {
		z->oom = 1;
		return SF_STR_NONE;
	}
	if (o != UINT32_MAX)
		z->osid[o] = sid + 1;
	return sid;
}

/* The text of an owner whose key is made. */
static const char *owner_made(const zctx *z, uint32_t oid)
{
	return sf_graph_str(z->g, z->osid[oid] - 1) + DNS_SKIP;
}

/* An owner's name as text, made when first needed ("" out of memory). */
static const char *owner_text(zctx *z, uint32_t oid)
{
	if (!z->osid[oid] && name_key(z, z->oname[oid]) == SF_STR_NONE)
		return "";
	return owner_made(z, oid);
}

static void zctx_free(zctx *z)
{
	free(z->recs);
	free(z->nsrec);
	z->nsrec = NULL;
	free(z->oname);
	free(z->osid);
	free(z->ottl);
	free(z->oflags);
	free(z->rdh);
	z->rdh = NULL;
	free(z->paths);
	free(z->name_owner);
	free(z->addr4);
	free(z->addr6);
	z->addr4 = NULL;
	z->addr6 = NULL;
	free(z->idx);
	free(z->ostart);
	dset_free(z->ds);
	z->ds = NULL;
	free(z->dnode);
	free(z->todo);
	z->idx = NULL;
	z->ostart = z->ottl = z->todo = NULL;
	z->oflags = NULL;
	z->dnode = NULL;
	sf_znames_free(&z->names);
	z->recs = NULL;
	z->oname = NULL;
	z->osid = NULL;
	z->paths = NULL;
	z->name_owner = NULL;
}

static int is_alias_type(uint16_t t)
{
	return t == T_CNAME || t == T_DNAME || t == T_SVCB || t == T_HTTPS;
}

/* What a record tells of its owner's rules (check_owner): which
 * singleton it is, or whether it is data a CNAME may not have beside it. */
static unsigned record_has(const zrec *r)
{
	if (!(r->flags & ZREC_SKIPPED) && r->type == T_CNAME)
		return OWNER_HAS_CNAME;
	if (!(r->flags & ZREC_SKIPPED) && r->type == T_DNAME)
		return OWNER_HAS_DNAME | OWNER_HAS_OTHER;
	if (!(r->flags & ZREC_SKIPPED) && r->type == T_SOA)
		return OWNER_HAS_SOA | OWNER_HAS_OTHER;
	switch (r->type) {
	case T_CNAME: case T_RRSIG: case T_NSEC: case T_SIG: case T_NXT: case T_KEY: case 0:
		return 0;
	default:
		return OWNER_HAS_OTHER;
	}
}

/* Tells two record datas apart (only ever compared with another): eight
 * bytes at a time, as a byte at a time was a chain of multiplies as long
 * as the data. */
static uint32_t rdata_hash(const uint8_t *d, size_t n)
{
	const uint64_t m = 0xbf58476d1ce4e5b9ull;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, d + i, 8);
		h = (h ^ w) * m;
		h ^= h >> 29;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, d + i, n - i);
		h = (h ^ w) * m;
		h ^= h >> 29;
	}
	h *= m;
	return (uint32_t)(h ^ h >> 32);
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

/* Keep an address as its bytes, an IPv4 one (`n` 4) or an IPv6 one (16),
 * in the array of its size: the index there, or SF_ZNAME_NONE out of
 * memory. No look-up: a repeated address is only a repeated index. */
static uint32_t push_addr(zctx *z, const uint8_t *a, size_t n)
{
	uint8_t **arr = n == 4 ? &z->addr4 : &z->addr6;
	size_t *count = n == 4 ? &z->n4 : &z->n6, *cap = n == 4 ? &z->cap4 : &z->cap6;
	if (*count == *cap) {
		size_t c = *cap ? *cap * 2 : 1024;
		uint8_t *p = c < SF_ZNAME_NONE ? realloc(*arr, c * n) : NULL;
		if (!p) {
			z->oom = 1;
			return SF_ZNAME_NONE;
		}
		sf_znames_huge(p, *cap * n, c * n);
		*arr = p;
		*cap = c;
	}
	memcpy(*arr + *count * n, a, n);
	return (uint32_t)(*count)++;
}

static uint64_t recent_head(const uint8_t *w, size_t len)
{
	return sf_znames_word(w, len);
}

/* The place of the name that starts with `head` and is `len` bytes. */
static struct zrecent *recent_at(zctx *z, uint64_t head, size_t len)
{
	uint64_t h = (head + len) * 0x9e3779b97f4a7c15ull;
	return &z->recent[h >> (64 - ZONE_RECENT_BITS)];
}

/* Whether `len` bytes at `a` and `b`, whose first eight (or all, when
 * fewer: sf_znames_word) are known equal, are equal: the rest eight bytes
 * at a time, as names are short; the last word ends at the last byte,
 * overlapping the one before. */
static inline int same_rest(const uint8_t *a, const uint8_t *b, size_t len)
{
	for (size_t i = 8; i < len; i += 8) {
		uint64_t x, y;
		if (i + 8 > len)
			i = len - 8;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return 0;
	}
	return 1;
}

/* The name whose wire bytes (as libzscanner handed them out) are `w`,
 * when it is one of those read lately; else NULL. */
static inline const struct zrecent *recent_find(zctx *z, const uint8_t *w, size_t len)
{
	uint64_t head = recent_head(w, len);
	const struct zrecent *e = recent_at(z, head, len);
	if (e->len != len || e->head != head || e->ref == SF_ZNAME_NONE)
		return NULL;
	return same_rest(w, e->wire, len) ? e : NULL;
}

static void recent_add(zctx *z, const uint8_t *w, size_t len, uint32_t ref, int canon)
{
	uint64_t head = recent_head(w, len);
	struct zrecent *e = recent_at(z, head, len);
	if (len > sizeof(e->wire))
		return;
	memcpy(e->wire, w, len);
	e->head = head;
	e->len = (uint32_t)len;
	e->ref = ref;
	e->canon = canon;
}

/* Give the batch's names their numbers, in order, and their records
 * their owners (numbered in the order they first appear) and targets. */
static void stage_flush(zctx *z)
{
	sf_zname_id out[ZONE_BATCH];

	for (size_t k = 0; k < z->nstage; k++)
		if (z->stage[k].nid == SF_ZNAME_NONE && z->stage[k].same == UINT32_MAX)
			sf_znames_prefetch(&z->names, z->stage[k].hash, 1);
	for (size_t k = 0; k < z->nstage; k++) {
		const struct zstage *st = &z->stage[k];
		sf_zname_id id = st->nid != SF_ZNAME_NONE ? st->nid
		                 : st->same != UINT32_MAX ? out[st->same]
		                 : zname(z, st->w, st->len, st->hash);
		out[k] = id;
		if (id == SF_ZNAME_NONE) {
			z->oom = 1;
			continue;
		}
		if (st->rec >= z->nrecs)
			continue;           /* its record was not kept */
		if (!st->owner)
			z->recs[st->rec].target = id;
		else if (owner_id(z, id, st, &z->recs[st->rec].oid) < 0)
			z->oom = 1;
	}
	for (size_t k = 0; k < sizeof(z->recent) / sizeof(z->recent[0]); k++) {
		struct zrecent *e = &z->recent[k];
		if (e->len && e->ref != SF_ZNAME_NONE && (e->ref & ZONE_PENDING))
			e->ref = out[e->ref & ~ZONE_PENDING];
	}
	z->nstage = 0;
}

/* Queue a name of record `rec` (its owner, or its target), and return
 * its place in the batch. The caller made room. */
static struct zstage *stage_next(zctx *z, uint32_t rec, int owner)
{
	struct zstage *st = &z->stage[z->nstage++];
	st->rec = rec;
	st->owner = owner;
	st->nid = SF_ZNAME_NONE;
	st->same = UINT32_MAX;
	return st;
}

/* ...a name read lately, known by its reference `ref`. */
static struct zstage *stage_ref(zctx *z, uint32_t rec, int owner, uint32_t ref)
{
	struct zstage *st = stage_next(z, rec, owner);
	if (ref & ZONE_PENDING)
		st->same = ref & ~ZONE_PENDING;
	else
		st->nid = ref;
	return st;
}

/* ...a name not read lately, by its raw bytes (`n` of them, its shape
 * checked), folded into the batch. *canon tells whether folding changed
 * nothing. */
static struct zstage *stage_new(zctx *z, uint32_t rec, int owner, const uint8_t *raw, size_t n,
                                int *canon)
{
	uint32_t at = (uint32_t)z->nstage;
	struct zstage *st = stage_next(z, rec, owner);
	*canon = !sf_znames_lower_hash(&z->names, SF_ZNAME_NAME, raw, n, st->w, &st->hash);
	st->len = n;
	sf_znames_prefetch(&z->names, st->hash, 0);
	recent_add(z, raw, n, ZONE_PENDING | at, *canon);
	return st;
}

/* A target name in record data, queued for record `rec`: 1 when the
 * `len` bytes are that name as the table keeps it, 0 when they hold more
 * or other bytes (upper case), or -1 when it is malformed (the record has
 * no target). `len` bounds the read; the name may end before it. */
static int stage_target(zctx *z, uint32_t rec, const uint8_t *wire, size_t len, int no_root)
{
	const struct zrecent *e;
	int n = sf_znames_length(wire, len), canon;
	if (n < 0 || (no_root && n == 1))
		return -1;
	if ((e = recent_find(z, wire, (size_t)n))) {
		stage_ref(z, rec, 0, e->ref);
		canon = e->canon;
	} else {
		stage_new(z, rec, 0, wire, (size_t)n, &canon);
	}
	return canon && (size_t)n == len;
}

/* Keep the hash of record `rec`'s data aside. 0, or -1 out of memory. */
static int push_rdata(zctx *z, uint32_t rec, const uint8_t *d, size_t n)
{
	if (z->nrdh == z->rdhcap) {
		size_t cap = z->rdhcap ? z->rdhcap * 2 : 16;
		struct zrdh *p = realloc(z->rdh, cap * sizeof(*p));
		if (!p) {
			z->oom = 1;
			return -1;
		}
		z->rdh = p;
		z->rdhcap = cap;
	}
	z->rdh[z->nrdh].rec = rec;
	z->rdh[z->nrdh++].hash = rdata_hash(d, n);
	return 0;
}

static void on_record(zctx *z, zfile *f)
{
	zs_scanner_t *s = f->s;
	long line = cur_line(z, s);
	uint32_t rec;
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
	if (z->nstage + 2 > ZONE_BATCH)
		stage_flush(z);
	if (z->oom)
		return;
	rec = (uint32_t)z->nrecs;
	r.type = f->placeholder ? (uint16_t)(f->placeholder > 0 ? f->placeholder : 0) : s->r_type;
	r.flags = f->placeholder ? ZREC_SKIPPED : 0;
	{
		/* an owner's length is exact: the recent names first, before
		 * any folding */
		const struct zrecent *e = recent_find(z, s->r_owner, s->r_owner_length);
		struct zstage *st;
		int n, canon;
		if (e) {
			st = stage_ref(z, rec, 1, e->ref);
		} else if ((n = sf_znames_length(s->r_owner, s->r_owner_length)) < 0) {
			zdiag(z, SF_DIAG_ERROR, f->shown, line, "malformed owner name");
			count_error(z, f->shown, line);
			return;
		} else {
			st = stage_new(z, rec, 1, s->r_owner, (size_t)n, &canon);
		}
		st->ttl = s->r_ttl;
		st->best = r.type == T_A || r.type == T_AAAA || is_alias_type(r.type);
		st->has = record_has(&r);
		r.oid = UINT32_MAX;     /* the batch says */
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
	/* Addresses stay bytes and names wire form: text is made only for
	 * what becomes a node. */
	r.target = SF_ZNAME_NONE;
	switch (f->placeholder ? 0 : s->r_type) {
	case T_A:
	case T_AAAA:
		if (s->r_data_length == (s->r_type == T_A ? 4u : 16u))
			r.target = push_addr(z, s->r_data, s->r_data_length);
		break;
	case T_NS:
		stage_target(z, rec, s->r_data, s->r_data_length, 0);
		break;
	case T_CNAME:
	case T_DNAME:
		/* only the singletons' checks compare record data */
		if (stage_target(z, rec, s->r_data, s->r_data_length, 0) <= 0)
			r.flags |= ZREC_RDATA;
		break;
	case T_SOA:
		r.flags |= ZREC_RDATA;
		break;
	case T_SVCB:
	case T_HTTPS:
		/* AliasMode (priority 0) works like a CNAME for the owner. */
		if (s->r_data_length >= 3 && s->r_data[0] == 0 && s->r_data[1] == 0)
			stage_target(z, rec, s->r_data + 2, s->r_data_length - 2, 1);
		break;
	default:
		break;
	}
	if (z->oom)
		return;
	r.file = (uint8_t)f->file;
	r.line = (uint32_t)line;
	if (push_rec(z, &r) < 0 ||
	    ((r.flags & ZREC_RDATA) && push_rdata(z, rec, s->r_data, s->r_data_length) < 0))
		return;
	if (r.type == T_SOA && !(r.flags & ZREC_SKIPPED) && !z->soa_owner) {
		stage_flush(z);         /* the owner's number, now */
		if (z->oom || !*(z->soa_owner = owner_text(z, z->recs[rec].oid)))
			return;
		z->soa_path = z->paths[r.file];
		z->soa_line = line;
	}
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

/* The scanner back between records, whatever it was in the middle of. */
static void scanner_idle(zfile *f)
{
	zs_scanner_t *s = f->s;
	s->cs = f->idle_cs;
	s->top = 0;
	s->multiline = false;
	s->long_string = false;
	s->comma_list = false;
	s->error.fatal = false;
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
			scanner_idle(f);
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

static void process_text(zctx *z, zfile *f, const char *d, size_t len, size_t start,
                         long first_line);

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
	process_text(z, f, gen.ptr ? gen.ptr : "", gen.len, 0, line);
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

static void process_text(zctx *z, zfile *f, const char *d, size_t len, size_t start,
                         long first_line)
{
	lexpos p = { start, first_line, 0, 0 };
	while (p.i < len && !z->stopped && !z->oom) {
		zentry e;
		next_entry(d, len, &p, &e);
		if (do_entry(z, f, d, &e))
			break;
	}
}

/* A directive libzscanner reads as BIND does, with nothing for the entry
 * layer to do: $TTL, or $ORIGIN with an absolute name. `s` is the first
 * token of a line, `n` bytes to the end of the text. */
static int plain_directive(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);
	tok t[MAX_TOKENS];
	int nt = tokenize(s, nl ? (size_t)(nl - s) : n, t);
	if (nt < 1)
		return 0;
	return tok_is(&t[0], "$TTL") || (tok_is(&t[0], "$ORIGIN") && nt >= 2 && tok_absolute(&t[1]));
}

/* The first '$' or CR in [p, end), or NULL: 32 bytes a step with SSE2. */
static const char *dollar_or_cr(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i dollar = _mm_set1_epi8('$'), cr = _mm_set1_epi8('\r');
	for (; end - p >= 32; p += 32) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
		__m128i ma = _mm_or_si128(_mm_cmpeq_epi8(a, dollar), _mm_cmpeq_epi8(a, cr));
		__m128i mb = _mm_or_si128(_mm_cmpeq_epi8(b, dollar), _mm_cmpeq_epi8(b, cr));
		unsigned m = (unsigned)_mm_movemask_epi8(ma) | (unsigned)_mm_movemask_epi8(mb) << 16;
		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	for (; p < end; p++)
		if (*p == '$' || *p == '\r')
			return p;
	return NULL;
}

/* Where the text stops being one libzscanner reads in one go: the start
 * of the first line whose first token is a directive the entry layer
 * handles ($INCLUDE, $GENERATE, a relative $ORIGIN, anything unknown).
 * With `cr`, a CR before that stops the look and sets *cr (the text is to
 * be rewritten first); without, CRs are passed over. One pass for both,
 * as each pass over a large zone's text reads it from memory again. */
static size_t whole_end(const char *d, size_t len, int *cr)
{
	const char *p = d, *end = d + len;
	while ((p = dollar_or_cr(p, end))) {
		const char *b = p;
		if (*p == '\r') {
			if (cr) {
				*cr = 1;
				return 0;
			}
			p++;
			continue;
		}
		while (b > d && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if ((b == d || b[-1] == '\n') && !plain_directive(p, (size_t)(end - p)))
			return (size_t)(b - d);
		p++;
	}
	return len;
}

/* What whole_text's callbacks share: the zone and file, and the line of
 * the last record handed over (0: none yet). */
typedef struct zwhole {
	zctx *z;
	zfile *f;
	long last;
	int failed;                 /* libzscanner refused something */
} zwhole;

/* A record of the whole text. Only its line is kept: where the record
 * ends in the text is needed once, when the whole text stops (line_end). */
static void whole_record(zs_scanner_t *s)
{
	zwhole *w = s->process.data;

	on_record(w->z, w->f);
	w->last = (long)s->line_counter;
	if (w->z->stopped || w->z->oom)
		s->state = ZS_STATE_STOP;
}

/* Where line `l` (from 1) of the `n` bytes at `d` starts: just past its
 * (l - 1)th newline, or n when the text holds fewer. The newlines are
 * counted 4080 bytes at a time where the machine has SSE2 (each byte lane
 * counts at most 255 of them), and the last stretch a newline at a time. */
static size_t line_start(const char *d, size_t n, long l)
{
	size_t at = 0;
	long need = l - 1;

#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');
	while (need > 0 && n - at >= 4080) {
		__m128i acc = _mm_setzero_si128(), sum;
		long c;
		for (size_t k = 0; k < 4080; k += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(d + at + k));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));   /* a match is -1 */
		}
		sum = _mm_sad_epu8(acc, _mm_setzero_si128());
		c = _mm_cvtsi128_si32(sum) + _mm_extract_epi16(sum, 4);
		if (c >= need)
			break;              /* the line starts in this stretch */
		need -= c;
		at += 4080;
	}
#endif
	while (need > 0) {
		const char *p = memchr(d + at, '\n', n - at);
		if (!p)
			return n;
		at = (size_t)(p - d) + 1;
		need--;
	}
	return at;
}

/* Where record text that ends on line `l` ends in the `n` bytes at `d`:
 * at the newline that ends line l, where manual mode's input.current
 * would stand (libzscanner hands a record over at its newline, before
 * counting it, and counts a line at every newline it reads: a newline
 * inside quotes is an error); or n when line l is the last and has no
 * newline. */
static size_t line_end(const char *d, size_t n, long l)
{
	size_t at = line_start(d, n, l);
	const char *nl = at < n ? memchr(d + at, '\n', n - at) : NULL;
	return nl ? (size_t)(nl - d) : n;
}

/* The first error ends the whole text: the entry layer reads on from the
 * last record, and says it. */
static void whole_error(zs_scanner_t *s)
{
	((zwhole *)s->process.data)->failed = 1;
	s->state = ZS_STATE_STOP;
}

/* Most of a zone is records libzscanner reads as they are: it gets the
 * text up to whole_end() in one piece, which costs none of the entry
 * layer's lexing, and hands the records over by callback (zs_parse_all),
 * which costs less per record than returning each (zs_parse_record).
 * The piece holds no $INCLUDE (whole_end stops before any directive but
 * $TTL and an absolute $ORIGIN), so libzscanner, which follows includes
 * by itself in this mode, has none to follow. At the first thing it
 * refuses, or that the entry layer must see, reading goes on entry by
 * entry from the end of the last record it returned (*start, at line
 * *line), so that every diagnostic is the entry layer's, as if the whole
 * text had been read that way. */
static void whole_text(zctx *z, zfile *f, const char *d, size_t len, size_t end, size_t *start,
                       long *line)
{
	zs_scanner_t *s = f->s;
	zwhole w = { z, f, 0, 0 };

	if (end == 0 || z->stopped || z->oom || zs_set_input_string(s, d, end) < 0)
		return;
	s->line_counter = 1;
	if (zs_set_processing(s, whole_record, whole_error, &w) == 0)
		(void)zs_parse_all(s);
	if (!w.failed && end == len && s->cs == f->idle_cs && !z->stopped && !z->oom) {
		/* All of it read, ending between records: what follows the last
		 * record is blank lines, comments, $TTL and absolute $ORIGIN,
		 * which the entry layer would only read again. */
		*start = len;
	} else if (w.last > 0) {
		*start = line_end(d, end, w.last);
		*line = w.last;
	}
	/* back to manual mode for the entry layer */
	s->process.automatic = false;
	zs_set_processing(s, NULL, NULL, NULL);
	/* whatever the scanner was in the middle of, the entry layer reads
	 * again from *start */
	scanner_idle(f);
}

/* Parse one file's text. Problems are diagnostics in z. */
static void parse_text(zctx *z, const char *shown, const char *real, const char *data,
                       size_t len, const char *origin, uint32_t ttl)
{
	zs_scanner_t *s = malloc(sizeof(*s));
	zfile f = { s, shown, real, 0, 0, 0, 0 };
	char *copy = NULL;
	size_t start = 0, end;
	long line = 1;
	int cr = 0;

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
	end = whole_end(data, len, &cr);
	if (cr || (end < len && memchr(data + end, '\r', len - end))) {
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
		end = whole_end(data, len, NULL);
	}
	whole_text(z, &f, data, len, end, &start, &line);
	process_text(z, &f, data, len, start, line);
	stage_flush(z);
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
	size_t n = strlen(apex);
	if (n >= sizeof(key) - 5)
		n = sizeof(key) - 6;    /* as snprintf would cut it */
	memcpy(key, "zone:", 5);
	memcpy(key + 5, apex, n);
	key[5 + n] = '\0';
	return sf_graph_node(g, SF_KIND_DNS_ZONE, key, apex, prov);
}

/* One zone's name servers, as the NS records list them: by name number
 * (equal numbers are equal names), as text only when its zone is made. */
typedef struct nsset {
	const char *zone;           /* apex */
	sf_zname_id *ns;
	size_t n, cap;
} nsset;

static int nsset_add(nsset *s, sf_zname_id ns)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ns[i] == ns)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		sf_zname_id *p = realloc(s->ns, cap * sizeof(*p));
		if (!p)
			return -1;
		s->ns = p;
		s->cap = cap;
	}
	s->ns[s->n++] = ns;
	return 0;
}

/* The text of name `nid`, NUL-terminated, appended to `buf`: its offset
 * there, or SIZE_MAX out of memory. For names whose text is needed only
 * for a moment (a delegation's apex, a name server's name): the graph
 * keeps its own copy of what it is handed, and a name interned as a key
 * would only take room, as most such names never become a node. */
static size_t text_into(zctx *z, sf_zname_id nid, sf_buf *buf)
{
	size_t len, at = buf->len;
	const uint8_t *w = sf_znames_bytes(&z->names, nid, &len);
	int tl;

	/* the table holds only names that convert */
	if (sf_buf_reserve(buf, SF_DNS_TEXT_MAX) < 0 ||
	    (tl = sf_dns_wire_to_text(w, len, buf->ptr + at, SF_DNS_TEXT_MAX)) < 0) {
		z->oom = 1;
		return SIZE_MAX;
	}
	buf->ptr[at + (size_t)tl] = '\0';
	buf->len = at + (size_t)tl + 1;
	return at;
}

/* The name servers of one zone, made as text in `buf` (cleared first)
 * and handed to the graph. -1 out of memory. */
static int zone_servers(zctx *z, sf_node_id zn, const nsset *set, sf_buf *buf,
                        const sf_prov *prov)
{
	const char **ns;
	size_t *at;
	int rc = -1;

	if (!set->n)
		return sf_dns_zone_servers(z->g, zn, NULL, 0, prov);
	ns = malloc(set->n * sizeof(*ns));
	at = malloc(set->n * sizeof(*at));
	sf_buf_clear(buf);
	if (!ns || !at) {
		z->oom = 1;
		goto cleanup;
	}
	for (size_t i = 0; i < set->n; i++)
		if ((at[i] = text_into(z, set->ns[i], buf)) == SIZE_MAX)
			goto cleanup;
	for (size_t i = 0; i < set->n; i++)
		ns[i] = buf->ptr + at[i];
	rc = sf_dns_zone_servers(z->g, zn, ns, set->n, prov);
cleanup:
	free(ns);
	free(at);
	return rc;
}

/* A delegation point's owner and its text (at `at` in a buffer that may
 * still move, then `text`), to sort them by name. */
typedef struct dname {
	const char *text;
	size_t at;
	uint32_t owner;
} dname;

static int cmp_dname(const void *a, const void *b)
{
	return strcmp(((const dname *)a)->text, ((const dname *)b)->text);
}

/* A CNAME loop or a chain longer than resolvers follow, within this zone:
 * a warning at the record that starts it. `cn` holds the indexes of the
 * zone's CNAME records, one per owner (OWNER_CNAME); the walk follows
 * targets to the CNAME their owner holds, its index in `cn` found in `pos`
 * (per owner, set here for those owners alone), and is iterative, so a
 * chain of any length costs no stack. Which name of a loop is named first
 * depends on the order the walks start in: with `emit` 0 nothing is said,
 * and the result tells whether anything would be (1) or not (0), so the
 * caller orders the starts by owner name (`order`, a permutation of the
 * CNAMEs) only for a zone that has something to say. -1 out of memory. */
static int check_chains(zctx *z, const uint32_t *cn, size_t n, const uint32_t *order,
                        uint32_t *pos, int emit)
{
	/* one block: three numbers and two bytes per CNAME */
	uint32_t *next = malloc((n + 1) * (3 * sizeof(uint32_t) + 2)), *path, *depth;
	unsigned char *color, *has_in;
	size_t found = 0;
	int rc = -1;

	if (!next)
		goto cleanup;
	path = next + n + 1;
	depth = path + n + 1;
	color = (unsigned char *)(depth + n + 1);
	has_in = color + n + 1;
	memset(color, 0, 2 * (n + 1));
	for (size_t k = 0; k < n; k++)
		pos[z->recs[cn[k]].oid] = (uint32_t)k;
	for (size_t k = 0; k < n; k++) {
		uint32_t o = owner_find(z, z->recs[cn[k]].target);
		next[k] = UINT32_MAX;
		if (o != UINT32_MAX && (z->oflags[o] & OWNER_CNAME)) {
			next[k] = pos[o];
			has_in[pos[o]] = 1;
		}
	}
	for (size_t s = 0; s < n; s++) {
		size_t len = 0, start = order ? order[s] : s;
		uint32_t v = (uint32_t)start, d;
		if (color[start])
			continue;
		while (v != UINT32_MAX && color[v] == 0) {
			color[v] = 1;
			path[len++] = v;
			v = next[v];
		}
		if (v != UINT32_MAX && color[v] == 1) {
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
					sf_buf_printf(&msg, "%s -> ", owner_text(z, z->recs[cn[path[k]]].oid));
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
		d = v == UINT32_MAX ? 0 : depth[v];
		while (len) {
			v = path[--len];
			d = d == UINT32_MAX ? UINT32_MAX : d + 1;
			depth[v] = d;
			color[v] = 2;
		}
	}
	for (size_t s = 0; s < n; s++) {
		size_t k = order ? order[s] : s;
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
	free(next);
	return rc;
}

/* What the comparisons of qsort read: the zone, whose owners compared
 * have their text made, and an index. */
static const zctx *cmp_z;
static const uint32_t *cmp_idx;

/* Record indexes by owner name (file order within one). */
static int cmp_rec_owner(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint32_t ox = cmp_z->recs[x].oid, oy = cmp_z->recs[y].oid;
	int c = ox == oy ? 0 : strcmp(owner_made(cmp_z, ox), owner_made(cmp_z, oy));
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

/* The data hash record `r` keeps aside (ZREC_RDATA). */
static uint32_t rdata_of(const zctx *z, const zrec *r)
{
	uint32_t rec = (uint32_t)(r - z->recs);
	size_t lo = 0, hi = z->nrdh;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->rdh[mid].rec < rec)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < z->nrdh && z->rdh[lo].rec == rec ? z->rdh[lo].hash : 0;
}

/* Two records of one singleton type with the same data: the same target,
 * and the same hash kept aside, or none (the data is the target's bytes). */
static int same_data(const zctx *z, const zrec *a, const zrec *b)
{
	if (a->target != b->target || (a->flags & ZREC_RDATA) != (b->flags & ZREC_RDATA))
		return 0;
	return !(a->flags & ZREC_RDATA) || rdata_of(z, a) == rdata_of(z, b);
}

/* BIND's rules for one owner, which decide how a name resolves:
 * - a CNAME owns its name: no other data beside it but DNSSEC's own (RFC
 *   1034 3.6.2, RFC 2181 10.1; SIG, NXT and KEY of RFC 2535 too);
 * - CNAME, DNAME and SOA are singletons: a second one with other data is
 *   refused (a repeated record is the same record, as BIND takes it).
 * For us a name with two would resolve two ways at once. */
/* The problems of one owner, its records idx[i..j); said when `emit`. */
static int check_owner(zctx *z, const uint32_t *idx, size_t i, size_t j, int emit)
{
	static const uint16_t singles[] = { T_CNAME, T_DNAME, T_SOA };
	const zrec *first[3] = { NULL, NULL, NULL }, *other = NULL;
	int bad = 0;

	for (size_t k = i; k < j; k++) {
		const zrec *r = &z->recs[idx[k]];
		int single = -1;
		for (int t = 0; t < 3; t++)
			if (r->type == singles[t] && !(r->flags & ZREC_SKIPPED))
				single = t;
		if (single >= 0 && first[single]) {
			const zrec *f = first[single];
			int differ = !same_data(z, f, r);
			char tb[16];
			if (differ && emit)
				sf_diag_error(z->ctx->diags, RPATH(z, r), r->line,
				              "%s has more than one %s (the first on line %ld)", ROWNER(z, r),
				              sf_dns_type_name(r->type, tb, sizeof(tb)), (long)f->line);
			bad += differ;
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
static int check_singletons(zctx *z, const uint32_t *idx)
{
	size_t *bad = NULL, nbad = 0;

	for (size_t o = 0; o < z->nowners; o++) {
		size_t i = z->ostart[o], j = z->ostart[o + 1];
		/* the reading saw what might break a rule */
		if (!(z->oflags[o] & OWNER_SUSPECT) || !check_owner(z, idx, i, j, 0))
			continue;
		if (nbad == 0 && !(bad = malloc(z->nowners * sizeof(*bad))))
			return -1;
		bad[nbad++] = i;        /* where the owner's group starts */
	}
	if (!nbad)
		return 0;
	/* text for the owners compared, and only for them */
	for (size_t b = 0; b < nbad; b++)
		owner_text(z, z->recs[idx[bad[b]]].oid);
	if (z->oom) {
		free(bad);
		return -1;
	}
	cmp_z = z;
	cmp_idx = idx;
	qsort(bad, nbad, sizeof(*bad), cmp_group_owner);
	cmp_z = NULL;
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
 * number, which reads no name. Where each owner's group starts is what
 * the sort leaves behind (counted two places up, each start moves one
 * place down as its group fills): z->ostart, with ostart[nowners] the
 * end. */
static uint32_t *by_owner(zctx *z)
{
	uint32_t *idx = malloc((z->nrecs + 1) * sizeof(*idx));
	uint32_t *at = z->ostart;   /* counted as the records were read; they fit 32 bits */
	if (!idx || !at) {
		free(idx);
		return NULL;
	}
	sf_znames_huge(idx, 0, (z->nrecs + 1) * sizeof(*idx));
	for (size_t o = 0; o < z->nowners; o++)
		at[o + 2] += at[o + 1];
	for (size_t i = 0; i < z->nrecs; i++)
		idx[at[z->recs[i].oid + 1]++] = (uint32_t)i;
	return idx;
}

/* 1 when name `w` (wire, folded) is `apex` or below it. */
static int wire_in_zone(const uint8_t *w, size_t n, const uint8_t *apex, size_t an)
{
	for (size_t o = 0; o < n && n - o >= an; o += (size_t)w[o] + 1)
		if (n - o == an && memcmp(w + o, apex, an) == 0)
			return 1;
	return 0;
}

/* The zone's delegation points, and a bit per hash of each: most names
 * lie under none, and the hash of a suffix tells so without a look-up in
 * the large table. Before that, a bit per depth below the apex that some
 * delegation point has: a suffix at any other depth needs no hash (a zone
 * delegates at one or two depths). A hostile zone that fills the bits
 * only gets the hashes and look-ups back. */
typedef struct dset {
	/* the delegation points' owners (OWNER_DELEG) and their indexes in
	 * the delegations, by owner */
	uint32_t (*dmap)[2];
	size_t nd;
	uint64_t *bits;
	size_t mask;                /* bit count - 1 */
	uint64_t depths;            /* bit d: a delegation d labels below the apex (63: or more) */
	uint8_t apex[256];
	size_t an;
	size_t alabels;             /* the apex's labels */
	/* Names above owners asked about lately, and what they answer:
	 * owners come in file order, and a file lists a department's names
	 * together (a host, its aliases, its services), so a few parents
	 * take turns, and a new one's own parent is usually known. */
	struct dparent {
		uint8_t w[256];
		uint64_t head;          /* sf_znames_word() of it */
		size_t len;             /* SIZE_MAX: an empty place */
		size_t labels;          /* the root not counted */
		int in;                 /* the apex or below it */
		uint32_t deleg;         /* the closest delegation at or above it, or UINT32_MAX */
	} parents[1u << ZONE_PARENT_BITS];
} dset;

static void dset_free(dset *ds)
{
	if (ds) {
		free(ds->bits);
		free(ds->dmap);
		free(ds);
	}
}

/* The labels of wire name `w` (`n` bytes at most), the root not counted. */
static size_t wire_labels(const uint8_t *w, size_t n)
{
	size_t k = 0;
	for (size_t at = 0; at < n && w[at]; at += (size_t)w[at] + 1)
		k++;
	return k;
}

/* A dset's depth bit for a name `d` labels below the apex. */
static unsigned depth_bit(size_t d)
{
	return d < 63 ? (unsigned)d : 63;
}

/* The index in the delegations of owner `o`, or UINT32_MAX. */
static uint32_t deleg_index(const zctx *z, const dset *ds, uint32_t o)
{
	size_t lo = 0, hi = ds->nd;
	if (!(z->oflags[o] & OWNER_DELEG))
		return UINT32_MAX;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ds->dmap[mid][0] < o)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ds->nd && ds->dmap[lo][0] == o ? ds->dmap[lo][1] : UINT32_MAX;
}

/* Whether name `p` (`pl` bytes, folded, in the zone and `labels` labels
 * deep) is a delegation point: its index in the delegations, or
 * UINT32_MAX. A depth no delegation has, then a bit of its hash, say no
 * before the table is asked. */
static uint32_t deleg_at(const zctx *z, const dset *ds, const uint8_t *p, size_t pl,
                         size_t labels)
{
	sf_zname_id nid;
	uint32_t h, b, o;
	if (labels <= ds->alabels || !(ds->depths >> depth_bit(labels - ds->alabels) & 1))
		return UINT32_MAX;
	h = sf_znames_hash(&z->names, SF_ZNAME_NAME, p, pl);
	b = h & ds->mask;
	if (!(ds->bits[b / 64] >> (b % 64) & 1))
		return UINT32_MAX;
	nid = sf_znames_find_hashed(&z->names, SF_ZNAME_NAME, p, pl, h);
	o = nid == SF_ZNAME_NONE ? UINT32_MAX : owner_find(z, nid);
	return o == UINT32_MAX ? UINT32_MAX : deleg_index(z, ds, o);
}

/* What name `p` (`pl` bytes, folded, checked) answers for the owners
 * below it: whether it is the apex or below it, its labels, and the
 * closest delegation at or above it and below the apex. Remembered by its
 * first bytes and length; a name not remembered asks its own parent (at
 * most one step per label), so a host's service names cost one look-up
 * each, not a walk and a hash. */
static const struct dparent *parent_learn(const zctx *z, dset *ds, const uint8_t *p, size_t pl,
                                          uint64_t head, struct dparent *e);

static inline const struct dparent *parent_place(const zctx *z, dset *ds, const uint8_t *p,
                                                size_t pl)
{
	uint64_t head = sf_znames_word(p, pl), h = (head + pl) * 0x9e3779b97f4a7c15ull;
	struct dparent *e = &ds->parents[h >> (64 - ZONE_PARENT_BITS)];

	if (e->len == pl && e->head == head && same_rest(e->w, p, pl))
		return e;
	return parent_learn(z, ds, p, pl, head, e);
}

/* parent_place() for a name not remembered: it takes place `e`. */
static const struct dparent *parent_learn(const zctx *z, dset *ds, const uint8_t *p, size_t pl,
                                          uint64_t head, struct dparent *e)
{
	size_t labels;
	uint32_t deleg;
	int in;

	if (pl == ds->an && memcmp(p, ds->apex, ds->an) == 0) {
		in = 1;
		labels = ds->alabels;
		deleg = UINT32_MAX;
	} else if (pl <= 1) {
		in = 0;                 /* the root, above any apex but itself */
		labels = 0;
		deleg = UINT32_MAX;
	} else {
		/* the parent may take this place: its answer is copied first */
		const struct dparent *up = parent_place(z, ds, p + p[0] + 1, pl - p[0] - 1);
		in = up->in;
		labels = up->labels + 1;
		deleg = up->deleg;
		if (in && ds->nd) {
			uint32_t d = deleg_at(z, ds, p, pl, labels);
			if (d != UINT32_MAX)
				deleg = d;
		}
	}
	memcpy(e->w, p, pl);
	e->head = head;
	e->len = pl;
	e->labels = labels;
	e->in = in;
	e->deleg = deleg;
	return e;
}

/* Where owner `o` lies: whether in the zone (the apex or below it), and
 * (*deleg) the closest delegation point at or above it and below the
 * apex, as its index in the zone's delegations, or UINT32_MAX. An owner
 * that is a delegation point is its own; else its parent answers. */
static int owner_place(const zctx *z, dset *ds, uint32_t o, uint32_t *deleg)
{
	size_t n;
	const uint8_t *w = sf_znames_bytes(&z->names, z->oname[o], &n);
	const struct dparent *e;

	*deleg = UINT32_MAX;
	if (n == ds->an && memcmp(w, ds->apex, ds->an) == 0)
		return 1;
	if (n <= 1)
		return 0;               /* the root, above any apex but the root */
	e = parent_place(z, ds, w + w[0] + 1, n - w[0] - 1);
	if (e->in && (*deleg = deleg_index(z, ds, o)) == UINT32_MAX)
		*deleg = e->deleg;
	return e->in;
}

/* The delegations `dele` (by name), their map `dmap` (which the set
 * owns from here), below the apex `apex`, `an` bytes. */
static int dset_init(dset *ds, const zctx *z, const uint32_t *dele, size_t nd,
                     uint32_t (*dmap)[2], const uint8_t *apex, size_t an)
{
	size_t bits = 64;
	while (bits < nd * 16)
		bits *= 2;
	ds->dmap = dmap;
	ds->nd = nd;
	memcpy(ds->apex, apex, an);
	ds->an = an;
	for (size_t i = 0; i < sizeof(ds->parents) / sizeof(ds->parents[0]); i++)
		ds->parents[i].len = SIZE_MAX;
	ds->mask = bits - 1;
	ds->alabels = wire_labels(apex, an);
	ds->depths = 0;
	if (!(ds->bits = calloc(bits / 64, sizeof(*ds->bits))))
		return -1;
	for (size_t i = 0; i < nd; i++) {
		size_t n;
		const uint8_t *w = sf_znames_bytes(&z->names, z->oname[dele[i]], &n);
		uint32_t b = sf_znames_hash(&z->names, SF_ZNAME_NAME, w, n) & ds->mask;
		size_t labels = wire_labels(w, n);
		ds->bits[b / 64] |= (uint64_t)1 << (b % 64);
		/* a delegation is below the apex: deeper than it */
		ds->depths |= (uint64_t)1 << depth_bit(labels > ds->alabels ? labels - ds->alabels : 0);
	}
	return 0;
}

/* CNAMEs (positions in cmp_idx, which holds record indexes) by owner
 * name: one per owner. */
static int cmp_cname_owner(const void *a, const void *b)
{
	uint32_t x = cmp_idx[*(const uint32_t *)a], y = cmp_idx[*(const uint32_t *)b];
	return strcmp(owner_made(cmp_z, cmp_z->recs[x].oid), owner_made(cmp_z, cmp_z->recs[y].oid));
}

/* Numbers, or pairs by their first number. */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Delegations by their first record, cmp_idx[delegation]. */
static int cmp_first(const void *a, const void *b)
{
	uint32_t x = cmp_idx[*(const uint32_t *)a], y = cmp_idx[*(const uint32_t *)b];
	return (x > y) - (x < y);
}

/* The `ip:` endpoint of an A or AAAA record; SF_NODE_NONE with *skip set
 * when the address has no text. */
static sf_node_id endpoint_node(zctx *z, const zrec *r, int *skip)
{
	char key[IP_SKIP + 64];
	size_t tl;
	const uint8_t *b = r->type == T_A ? z->addr4 + (size_t)r->target * 4
	                   : z->addr6 + (size_t)r->target * 16;
	sf_str_id sid;

	*skip = 0;
	memcpy(key, IP_PREFIX, IP_SKIP);
	tl = r->type == T_A ? ipv4_text(b, key + IP_SKIP) : ipv6_text(b, key + IP_SKIP);
	if (!tl) {
		*skip = 1;
		return SF_NODE_NONE;
	}
	if ((sid = sf_graph_intern_id(z->g, key, IP_SKIP + tl)) == SF_STR_NONE)
		return SF_NODE_NONE;
	return sf_graph_node_by_str(z->g, SF_KIND_ENDPOINT, sid, IP_SKIP, NULL);
}

/* The nodes of owner `o`: its name, served by its zones, resolving to its
 * addresses and alias targets, with its TTL. With `follow`, an alias
 * target this zone holds is queued to be made too. -1 out of memory. */
static int make_owner(zctx *z, uint32_t o, int follow)
{
	sf_graph *g = z->g;
	const zrec *first;
	sf_prov prov;
	sf_node_id n;
	sf_str_id sid;
	char buf[24], *p = buf + sizeof(buf) - 1;
	unsigned long v = z->ottl[o];
	uint32_t child;
	size_t before;
	int later;

	if ((z->oflags[o] & (OWNER_IN | OWNER_MADE)) != OWNER_IN)
		return 0;
	z->oflags[o] |= OWNER_MADE;
	first = &z->recs[z->idx[z->ostart[o]]];
	prov.path = RPATH(z, first);
	prov.line = first->line;
	before = sf_graph_node_count(g);
	if ((sid = name_key(z, z->oname[o])) == SF_STR_NONE ||
	    (n = name_node(g, sid, &prov)) == SF_NODE_NONE)
		return -1;
	/* Made by an input read after this zone: read in order, the zone made
	 * the node first, so where it comes from is the zone's, and the gate
	 * and TTL are the zone's unless that input set its own over them. The
	 * node ends as it would had the zone made it at import. */
	later = z->late_from && n >= z->late_from && n < before;
	if (later && sf_graph_set_prov(g, n, &prov) < 0)
		return -1;
	/* A name answers while any of its addresses or aliases works; its
	 * zones are required edges, which an ANY gate does not relax.
	 * Resolving below a delegation also needs the parent. */
	if (!later || sf_graph_node_at(g, n)->gate == SF_GATE_ALL)
		sf_graph_set_gate(g, n, SF_GATE_ANY);
	/* its delegation again (prepare() kept none per owner), from the
	 * parents' memory */
	if (z->ds->nd) {
		owner_place(z, z->ds, o, &child);
		if (child != UINT32_MAX && sf_graph_edge(g, n, SF_EDGE_SERVED_BY, z->dnode[child], &prov) < 0)
			return -1;
	}
	if (sf_graph_edge(g, n, SF_EDGE_SERVED_BY, z->zone, &prov) < 0)
		return -1;
	for (size_t k = z->ostart[o]; k < z->ostart[o + 1]; k++) {
		const zrec *r = &z->recs[z->idx[k]];
		sf_prov rp = { RPATH(z, r), r->line };
		sf_node_id t;
		uint32_t to;
		int skip;

		if (r->target == SF_ZNAME_NONE)
			continue;
		if (r->type == T_A || r->type == T_AAAA) {
			if ((t = endpoint_node(z, r, &skip)) == SF_NODE_NONE && skip)
				continue;
		} else if (is_alias_type(r->type)) {
			if ((sid = name_key(z, r->target)) == SF_STR_NONE)
				return -1;
			t = name_node(g, sid, NULL);
			to = owner_find(z, r->target);
			if (follow && to != UINT32_MAX &&
			    (z->oflags[to] & (OWNER_IN | OWNER_QUEUED | OWNER_MADE)) == OWNER_IN) {
				z->oflags[to] |= OWNER_QUEUED;
				z->todo[z->ntodo++] = to;
			}
		} else {
			continue;
		}
		if (t == SF_NODE_NONE || sf_graph_edge(g, n, SF_EDGE_RESOLVES_TO, t, &rp) < 0)
			return -1;
	}
	/* a TTL is 32 bits: ten digits at most, written without printf */
	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) && p > buf);
	if (later && sf_graph_attr(g, n, "ttl"))
		return 0;
	return sf_graph_set_attr(g, n, "ttl", p);
}

/* Owner `o` and every alias target of this zone that it leads to. */
static int make_reached(zctx *z, uint32_t o)
{
	if ((z->oflags[o] & (OWNER_IN | OWNER_QUEUED | OWNER_MADE)) != OWNER_IN)
		return 0;
	z->oflags[o] |= OWNER_QUEUED;
	z->todo[z->ntodo++] = o;
	while (z->ntodo)
		if (make_owner(z, z->todo[--z->ntodo], 1) < 0)
			return -1;
	return 0;
}

static int make_all(zctx *z)
{
	/* in the order owners first appear, as the file reads */
	for (uint32_t o = 0; o < z->nowners; o++)
		if (make_owner(z, o, 0) < 0)
			return -1;
	return 0;
}

/* Everything about the zone but its names' nodes: the checks over all
 * records, the zone, delegation and provider nodes, and per owner what its
 * nodes will need. Every diagnostic of the graph phase is said here. The
 * records are read once, by owner; the delegations and name servers come
 * from the NS records alone. */
static int prepare(zctx *z, const char *apex, const char *fallback_path, int eager)
{
	sf_graph *g = z->g;
	sf_prov zprov = { z->soa_path ? z->soa_path : fallback_path, z->soa_path ? z->soa_line : 0 };
	uint8_t aw[256];
	int an;
	sf_zname_id apex_nid;
	uint32_t *dele = NULL;      /* owners that are delegation points, by name */
	uint32_t (*dmap)[2] = NULL; /* the same by owner number, with their index in dele */
	uint32_t *dfirst = NULL;    /* per delegation: the first record below it */
	uint32_t *dorder = NULL;    /* delegations by dfirst: the order their nodes are made */
	const char **dtext = NULL;  /* per delegation: its text, in dbuf */
	dname *dsort = NULL;
	sf_buf dbuf, nsbuf;
	nsset *sets = NULL;         /* [0] the apex, then one per delegation */
	size_t nd = 0, outside = 0, ncn = 0, nodes = 0, edges = 0, no = z->nowners;
	uint32_t *cn = NULL, *order = NULL;
	uint32_t first_out = UINT32_MAX;    /* the first record outside the zone */
	int ds_ok, rc = -1;

	z->apex = apex;
	/* as large as the zone's names make them (the graph held them before) */
	sf_buf_init(&dbuf, SIZE_MAX);
	sf_buf_init(&nsbuf, SIZE_MAX);
	if ((z->zone = zone_node(g, apex, &zprov)) == SF_NODE_NONE)
		goto cleanup;
	if (sf_graph_set_attr(g, z->zone, "name", apex) < 0)
		goto cleanup;
	{
		uint8_t raw[256];
		int rl = sf_dns_text_to_wire(apex, strlen(apex), 0, raw, sizeof(raw));
		if (rl < 0 || (an = sf_znames_fold(raw, (size_t)rl, aw)) < 0)
			goto cleanup;
	}
	apex_nid = sf_znames_find(&z->names, SF_ZNAME_NAME, aw, (size_t)an);
	dele = malloc((z->nns + 1) * sizeof(*dele));
	/* the chains' walk uses it first (check_chains) */
	z->todo = malloc((no + 1) * sizeof(*z->todo));
	z->ds = calloc(1, sizeof(*z->ds));
	if (!dele || !z->todo || !z->ds)
		goto cleanup;
	for (size_t k = 0; k < z->nns; k++) {
		uint32_t o = z->recs[z->nsrec[k]].oid;
		if (!(z->oflags[o] & (OWNER_IN | OWNER_OUT))) {
			size_t wl;
			const uint8_t *w = sf_znames_bytes(&z->names, z->oname[o], &wl);
			z->oflags[o] |= wire_in_zone(w, wl, aw, (size_t)an) ? OWNER_IN : OWNER_OUT;
		}
		if (z->oname[o] != apex_nid && (z->oflags[o] & (OWNER_IN | OWNER_DELEG)) == OWNER_IN) {
			z->oflags[o] |= OWNER_DELEG;
			dele[nd++] = o;
		}
	}
	/* delegations in name order, as their zones are listed; their text
	 * made here, not interned as keys (few become name nodes) */
	if (!(dsort = malloc((nd + 1) * sizeof(*dsort))))
		goto cleanup;
	for (size_t i = 0; i < nd; i++) {
		if ((dsort[i].at = text_into(z, z->oname[dele[i]], &dbuf)) == SIZE_MAX)
			goto cleanup;
		dsort[i].owner = dele[i];
	}
	for (size_t i = 0; i < nd; i++)
		dsort[i].text = dbuf.ptr + dsort[i].at;
	qsort(dsort, nd, sizeof(*dsort), cmp_dname);
	sets = calloc(nd + 1, sizeof(*sets));
	z->dnode = malloc((nd + 1) * sizeof(*z->dnode));
	dtext = malloc((nd + 1) * sizeof(*dtext));
	dfirst = malloc((nd + 1) * sizeof(*dfirst));
	dorder = malloc((nd + 1) * sizeof(*dorder));
	dmap = malloc((nd + 1) * sizeof(*dmap));
	if (!sets || !z->dnode || !dtext || !dfirst || !dorder || !dmap)
		goto cleanup;
	for (size_t i = 0; i < nd; i++) {
		dele[i] = dsort[i].owner;
		dmap[i][0] = dele[i];
		dmap[i][1] = (uint32_t)i;
		dtext[i] = dsort[i].text;
		z->dnode[i] = SF_NODE_NONE;
		dfirst[i] = UINT32_MAX;
	}
	qsort(dmap, nd, sizeof(*dmap), cmp_u32);
	sets[0].zone = apex;
	for (size_t i = 0; i < nd; i++)
		sets[i + 1].zone = dtext[i];
	ds_ok = dset_init(z->ds, z, dele, nd, dmap, aw, (size_t)an) == 0;
	dmap = NULL;                /* the set's now */
	if (!ds_ok || !(cn = malloc((no + 1) * sizeof(*cn))))
		goto cleanup;

	/* Per owner, in one walk of its records: whether it is in the zone,
	 * its delegation and the first record below that; the room its nodes
	 * and edges will take (a name node, an edge to its zone or two, an
	 * endpoint per address and a node per alias target that owns nothing
	 * here); and its first CNAME, for the chains. */
	for (uint32_t o = 0; o < no; o++) {
		size_t i = z->ostart[o], j = z->ostart[o + 1];
		int has_cname = 0;
		uint32_t child = UINT32_MAX;
		/* an NS record's owner knows already whether it is in the zone */
		int in = owner_place(z, z->ds, o, &child);
		if (!(z->oflags[o] & (OWNER_IN | OWNER_OUT)))
			z->oflags[o] |= in ? OWNER_IN : OWNER_OUT;
		if (z->oflags[o] & OWNER_OUT) {
			if (z->idx[i] < first_out)
				first_out = z->idx[i];
			outside += j - i;
			continue;
		}
		if (child != UINT32_MAX && z->idx[i] < dfirst[child])
			dfirst[child] = z->idx[i];
		nodes++;
		edges += 1 + (child != UINT32_MAX);
		for (size_t k = i; k < j; k++) {
			const zrec *r = &z->recs[z->idx[k]];
			int addr = r->type == T_A || r->type == T_AAAA, alias = is_alias_type(r->type);
			if (r->type == T_CNAME && !has_cname && r->target != SF_ZNAME_NONE) {
				cn[ncn++] = z->idx[k];
				z->oflags[o] |= OWNER_CNAME;
				has_cname = 1;
			}
			if (r->target != SF_ZNAME_NONE && (addr || alias)) {
				nodes += addr || owner_find(z, r->target) == UINT32_MAX;
				edges++;
			}
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
	if (eager && sf_graph_reserve(g, nodes, edges) < 0)
		goto cleanup;

	/* In file order: what lies outside the zone, and each delegation's
	 * zone node, at the first record below it; then the name servers. */
	if (outside) {
		const zrec *r = &z->recs[first_out];
		sf_diag_warn(z->ctx->diags, RPATH(z, r), r->line, "%s is outside the zone %s; ignored",
		             ROWNER(z, r), apex);
	}
	/* per delegation a zone key and its `nameservers` (providers are
	 * few, shared by many zones): the string index sized once */
	if (sf_graph_reserve_strings(g, 2 * nd + 16) < 0)
		goto cleanup;
	for (size_t i = 0; i < nd; i++)
		dorder[i] = (uint32_t)i;
	cmp_idx = dfirst;
	qsort(dorder, nd, sizeof(*dorder), cmp_first);
	cmp_idx = NULL;
	for (size_t k = 0; k < nd && dfirst[dorder[k]] != UINT32_MAX; k++) {
		const zrec *r = &z->recs[dfirst[dorder[k]]];
		sf_prov cp = { RPATH(z, r), r->line };
		if ((z->dnode[dorder[k]] = zone_node(g, dtext[dorder[k]], &cp)) == SF_NODE_NONE)
			goto cleanup;
	}
	for (size_t k = 0; k < z->nns; k++) {
		const zrec *r = &z->recs[z->nsrec[k]];
		uint32_t d = deleg_index(z, z->ds, r->oid);
		nsset *set = z->oname[r->oid] == apex_nid ? &sets[0]
		             : d != UINT32_MAX ? &sets[1 + d] : NULL;
		if (!set || r->target == SF_ZNAME_NONE || !(z->oflags[r->oid] & OWNER_IN))
			continue;
		if (nsset_add(set, r->target) < 0)
			goto cleanup;
	}
	if (outside > 1)
		sf_diag_warn(z->ctx->diags, z->ctx->path, 0,
		             "%zu more records outside the zone %s ignored", outside - 1, apex);
	for (size_t i = 0; i <= nd; i++) {
		sf_node_id zn = i == 0 ? z->zone : z->dnode[i - 1] != SF_NODE_NONE ? z->dnode[i - 1]
		                : zone_node(g, sets[i].zone, NULL);
		if (zn == SF_NODE_NONE || zone_servers(z, zn, &sets[i], &nsbuf, &zprov) < 0)
			goto cleanup;
	}

	/* The CNAME chains, over one CNAME per owner; said in owner name
	 * order. */
	if ((rc = check_chains(z, cn, ncn, NULL, z->todo, 0)) > 0) {
		for (size_t k = 0; k < ncn; k++)
			owner_text(z, z->recs[cn[k]].oid);
		rc = -1;
		if (z->oom || !(order = malloc((ncn + 1) * sizeof(*order))))
			goto cleanup;
		for (size_t k = 0; k < ncn; k++)
			order[k] = (uint32_t)k;
		cmp_z = z;
		cmp_idx = cn;
		qsort(order, ncn, sizeof(*order), cmp_cname_owner);
		cmp_z = NULL;
		cmp_idx = NULL;
		rc = check_chains(z, cn, ncn, order, z->todo, 1);
	}
	rc = rc < 0 ? -1 : 0;
cleanup:
	if (sets)
		for (size_t i = 0; i <= nd; i++)
			free(sets[i].ns);
	free(sets);
	free(dele);
	free(dmap);
	free(dfirst);
	free(dorder);
	free(dtext);
	free(dsort);
	sf_buf_free(&dbuf);
	sf_buf_free(&nsbuf);
	free(cn);
	free(order);
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

/* ---- the deferred source: names' nodes made when asked for ---- */

typedef struct zdefer {
	sf_deferred base;
	zctx z;
} zdefer;

/* The nodes behind `key` when it is `dns:` and a name this zone holds. */
static int zone_make_key(zctx *z, const char *key)
{
	uint8_t raw[256], w[256];
	int rl, wl;
	sf_zname_id nid;
	uint32_t o;

	/* only names in the zone get nodes: every other key, whatever its
	 * source, is turned away by its text */
	if (strncmp(key, DNS_PREFIX, DNS_SKIP) != 0 || !sf_dns_in_zone(key + DNS_SKIP, z->apex))
		return 0;
	if ((rl = sf_dns_text_to_wire(key + DNS_SKIP, strlen(key + DNS_SKIP), 0, raw,
	                              sizeof(raw))) < 0 ||
	    (wl = sf_znames_fold(raw, (size_t)rl, w)) < 0)
		return 0;
	nid = sf_znames_find(&z->names, SF_ZNAME_NAME, w, (size_t)wl);
	if (nid == SF_ZNAME_NONE || (o = owner_find(z, nid)) == UINT32_MAX)
		return 0;
	return make_reached(z, o);
}

static int zdefer_make(sf_deferred *d, const char *key)
{
	return zone_make_key(&((zdefer *)d)->z, key);
}


static void zdefer_free(sf_deferred *d)
{
	zctx_free(&((zdefer *)d)->z);
	free(d);
}

/* SHAREDFATE_ZONE_GRAPH=full makes every node at import, as a whole-graph
 * output does: a debugging aid, and what the test that proves deferral
 * changes no finding compares against. */
static int zone_graph_full(void)
{
	const char *v = getenv("SHAREDFATE_ZONE_GRAPH");
	return v && strcmp(v, "full") == 0;
}

static int cmp_node_id(const void *a, const void *b)
{
	sf_node_id x = *(const sf_node_id *)a, y = *(const sf_node_id *)b;
	return (x > y) - (x < y);
}

/* Make now the names that one of the graph's first `n` nodes (the inputs
 * read before this zone) asks for, in node order. Whichever is fewer is
 * walked, the nodes or the zone's names looked up as keys, so that many
 * small zone files beside a large state, or one large zone beside a small
 * graph, each cost what the smaller side holds. -1 out of memory. */
static int earlier_names(zctx *z, size_t n)
{
	sf_node_id *hit;
	size_t nh = 0;
	int rc = 0;

	sf_stat_add(SF_STAT_DEFERRED_ASKS, n <= z->nowners ? n : z->nowners);
	if (n <= z->nowners) {
		for (size_t id = 0; id < n; id++)
			if (zone_make_key(z, sf_graph_key(z->g, (sf_node_id)id)) < 0)
				return -1;
		return 0;
	}
	if (!(hit = malloc((z->nowners + 1) * sizeof(*hit))))
		return -1;
	for (uint32_t o = 0; o < z->nowners; o++) {
		char key[DNS_SKIP + SF_DNS_TEXT_MAX];
		size_t len;
		const uint8_t *w = sf_znames_bytes(&z->names, z->oname[o], &len);
		int tl;
		sf_node_id id;
		memcpy(key, DNS_PREFIX, DNS_SKIP);
		if ((tl = sf_dns_wire_to_text(w, len, key + DNS_SKIP, sizeof(key) - DNS_SKIP)) < 0 ||
		    (size_t)tl >= sizeof(key) - DNS_SKIP)
			continue;
		key[DNS_SKIP + (size_t)tl] = '\0';
		if ((id = sf_graph_find(z->g, key)) != SF_NODE_NONE && id < n)
			hit[nh++] = id;
	}
	qsort(hit, nh, sizeof(*hit), cmp_node_id);
	for (size_t i = 0; i < nh && rc == 0; i++)
		rc = zone_make_key(z, sf_graph_key(z->g, hit[i]));
	free(hit);
	return rc;
}

/* Make the zone's nodes now, or hand the zone over as a deferred source.
 * A name some earlier input made already is made now, as it was asked
 * for before this zone came. */
static int zone_finish(zctx *z, sf_import_ctx *ctx)
{
	zdefer *d;
	size_t n = sf_graph_node_count(z->g);

	if (!ctx->deferred || zone_graph_full())
		return make_all(z);
	if (earlier_names(z, n) < 0)
		return -1;
	z->late_from = sf_graph_node_count(z->g);
	if (!(d = calloc(1, sizeof(*d))))
		return -1;
	d->base.make = zdefer_make;
	d->base.free = zdefer_free;
	d->base.scope = z->apex;
	d->base.next = *ctx->deferred;
	d->z = *z;
	d->z.ctx = NULL;            /* the import's context ends with it */
	*ctx->deferred = &d->base;
	memset(z, 0, sizeof(*z));   /* the source owns the tables now */
	return 0;
}

static int zone_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	char origin[SF_DNS_TEXT_MAX];
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
		if (sf_znames_init(&p.names, len) < 0) {
			sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
			return -1;
		}
		parse_text(&p, ctx->path, ctx->realpath, data, len, origin, ZONE_DEFAULT_TTL);
		zctx_free(&p);
		if (p.gen_problems && p.gen_level == SF_DIAG_ERROR) {
			sf_diag_warn(ctx->diags, ctx->path, 0, "named like a zone file, but does not read "
			             "as one (%s); not imported", p.gen_msg);
			return 0;
		}
	}
	if (sf_znames_init(&z.names, len) < 0 || zctx_reserve(&z, len) < 0) {
		z.oom = 1;
		goto cleanup;
	}
	parse_text(&z, ctx->path, ctx->realpath, data, len, origin, ZONE_DEFAULT_TTL);
	if (z.oom)
		goto cleanup;
	if (z.skipped > ZONE_MAX_SKIP_WARNINGS)
		sf_diag_warn(ctx->diags, ctx->path, 0, "%zu more records not read; only their owner "
		             "names are kept", z.skipped - ZONE_MAX_SKIP_WARNINGS);
	if (!(z.idx = by_owner(&z))) {
		z.oom = 1;
		goto cleanup;
	}
	if (check_singletons(&z, z.idx) < 0) {
		z.oom = 1;
		goto cleanup;
	}
	/* A zone with errors adds nothing: half a zone would invent
	 * unresolved names and missing name servers. */
	if (ctx->diags->errors > errors_before && !ctx->keep_going) {
		rc = -1;
		goto cleanup;
	}
	{
		const char *apex = z.soa_owner ? z.soa_owner : sf_graph_intern(z.g, origin);
		if (!apex || prepare(&z, apex, ctx->path, !ctx->deferred || zone_graph_full()) < 0 ||
		    zone_finish(&z, ctx) < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
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
