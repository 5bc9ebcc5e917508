/* The Route 53 REST API's ListResourceRecordSetsResponse (XML), read with
 * libxml2's streaming reader.
 *
 * Untrusted XML: no network (NONET), no entity substitution (no NOENT), no
 * DTD loading or validation, no XInclude, the built-in size limits kept
 * (no HUGE), and an external entity loader that refuses everything. A
 * document type declaration or an entity reference is an error: a real
 * export has neither. Elements are matched by local name, so any version
 * of the namespace (https://route53.amazonaws.com/doc/<date>/) is read. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "model/buf.h"
#include "route53.h"

#define XML_MAX_DEPTH 16
#define R53_NS_PREFIX "https://route53.amazonaws.com/doc/"

enum field {
	F_NAME, F_TYPE, F_SETID, F_WEIGHT, F_REGION, F_FAILOVER, F_TTL, F_HEALTH,
	F_ALIAS_DNS, F_ALIAS_ZONE, F_ALIAS_EVAL, F_MULTIVALUE, F__COUNT
};

typedef struct xstate {
	sf_r53 *r;
	sf_import_ctx *ctx;
	xmlTextReaderPtr rd;
	char stack[XML_MAX_DEPTH + 1][40];      /* local names, truncated */
	int depth;
	int in_set;
	long set_line;
	char *field[F__COUNT];
	const char *routing;
	char **values;
	size_t nvalues, vcap;
	sf_buf text;
	int errors;
} xstate;

static xmlParserInputPtr deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static void on_xml_error(void *arg, xmlErrorPtr e)
{
	xstate *x = arg;
	char msg[256];
	size_t n;
	if (!e || e->level < XML_ERR_ERROR)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "XML error");
	/* libxml2 quotes input in some messages ("Bytes: 0xC3 0x28 0x65",
	 * "Entity 'x' not defined"), and a record's value may be a secret:
	 * keep the first line, and no quoted part of it. */
	msg[strcspn(msg, "\n")] = '\0';
	if (strstr(msg, "0x"))
		snprintf(msg, sizeof(msg), "invalid character or encoding");
	{
		char *q = strchr(msg, '\''), *r = q ? strrchr(q + 1, '\'') : NULL;
		if (q && r) {
			char tail[sizeof(msg)];
			snprintf(tail, sizeof(tail), "%s", r);
			snprintf(q + 1, sizeof(msg) - (size_t)(q + 1 - msg), "...%s", tail);
		}
	}
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	sf_diag_error(x->ctx->diags, x->ctx->path, e->line > 0 ? e->line : 1, "invalid XML: %s", msg);
	x->errors++;
}

/* The line of the node the reader is on; the parser's own position may be
 * lines ahead of it. */
/* libxml2 reports some errors (character encoding conversion) through
 * its generic handler, which prints to stderr: catch them as one
 * diagnostic instead, while this importer runs. */
static void on_generic_error(void *arg, const char *msg, ...)
{
	xstate *x = arg;
	(void)msg;
	if (x->errors)
		return;
	sf_diag_error(x->ctx->diags, x->ctx->path,
	              x->rd && xmlTextReaderGetParserLineNumber(x->rd) > 0
	                      ? xmlTextReaderGetParserLineNumber(x->rd) : 1,
	              "invalid XML: character encoding error");
	x->errors++;
}

static long cur_line(xstate *x)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(x->rd);
	long l = n ? xmlGetLineNo(n) : -1;
	if (l <= 0)
		l = xmlTextReaderGetParserLineNumber(x->rd);
	return l > 0 ? l : 1;
}

/* The line where `what` first occurs in the text, or 1. */
static long line_of(const char *data, size_t len, const char *what)
{
	size_t n = strlen(what);
	long line = 1;
	for (size_t i = 0; i + n <= len; i++) {
		if (memcmp(data + i, what, n) == 0)
			return line;
		line += data[i] == '\n';
	}
	return 1;
}

static void set_reset(xstate *x)
{
	for (int i = 0; i < F__COUNT; i++) {
		free(x->field[i]);
		x->field[i] = NULL;
	}
	for (size_t i = 0; i < x->nvalues; i++)
		free(x->values[i]);
	x->nvalues = 0;
	x->routing = NULL;
	x->in_set = 0;
}

static int at(const xstate *x, int depth, const char *name)
{
	return x->depth >= depth && strcmp(x->stack[depth], name) == 0;
}

/* The collected text of the element now ending, blanks trimmed. */
static char *take_text(xstate *x)
{
	const char *s = sf_buf_cstr(&x->text);
	size_t n;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return strndup(s, n);
}

static int parse_num(const char *s, long max, long *out)
{
	long v = 0;
	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > max / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

static void finish_set(xstate *x)
{
	sf_r53_rrset s;
	long v = -1;
	int bad = 0;

	memset(&s, 0, sizeof(s));
	s.line = x->set_line;
	s.ttl = -1;
	s.eval_health = -1;
	s.name = x->field[F_NAME];
	s.type = x->field[F_TYPE];
	s.set_id = x->field[F_SETID];
	s.region = x->field[F_REGION];
	s.failover = x->field[F_FAILOVER];
	s.health_check = x->field[F_HEALTH];
	s.alias_dns = x->field[F_ALIAS_DNS];
	s.alias_zone = x->field[F_ALIAS_ZONE];
	s.routing = x->routing;
	if (!s.routing && x->field[F_MULTIVALUE] && strcmp(x->field[F_MULTIVALUE], "true") == 0)
		s.routing = "multivalue";
	if (x->field[F_TTL]) {
		if (parse_num(x->field[F_TTL], 2147483647L, &v) < 0)
			bad = 1;
		s.ttl = v;
	}
	if (x->field[F_WEIGHT] && parse_num(x->field[F_WEIGHT], 255, &v) < 0)
		bad = 1;
	s.weight = x->field[F_WEIGHT];
	if (x->field[F_ALIAS_EVAL]) {
		if (strcmp(x->field[F_ALIAS_EVAL], "true") == 0)
			s.eval_health = 1;
		else if (strcmp(x->field[F_ALIAS_EVAL], "false") == 0)
			s.eval_health = 0;
		else
			bad = 1;
	}
	s.values = (const char *const *)x->values;
	s.nvalues = x->nvalues;
	if (!s.name || !s.type) {
		sf_diag_error(x->ctx->diags, x->ctx->path, x->set_line, "record set without Name or Type");
		x->errors++;
	} else if (bad) {
		sf_diag_error(x->ctx->diags, x->ctx->path, x->set_line,
		              "record set %s: TTL, Weight or EvaluateTargetHealth is malformed", s.name);
		x->errors++;
	} else if (sf_r53_add(x->r, &s) < 0) {
		x->errors++;
	}
	set_reset(x);
}

static int put_field(xstate *x, enum field f)
{
	if (x->field[f]) {
		sf_diag_error(x->ctx->diags, x->ctx->path, cur_line(x), "record set: element %s repeated",
		              x->stack[x->depth]);
		x->errors++;
		return -1;
	}
	if (!(x->field[f] = take_text(x)))
		return -1;
	return 0;
}

/* An element ends: file its text where it belongs. */
static int on_end(xstate *x)
{
	static const struct {
		const char *name;
		enum field f;
	} set_fields[] = {
		{ "Name", F_NAME }, { "Type", F_TYPE }, { "SetIdentifier", F_SETID },
		{ "Weight", F_WEIGHT }, { "Region", F_REGION }, { "Failover", F_FAILOVER },
		{ "TTL", F_TTL }, { "HealthCheckId", F_HEALTH }, { "MultiValueAnswer", F_MULTIVALUE },
	}, alias_fields[] = {
		{ "DNSName", F_ALIAS_DNS }, { "HostedZoneId", F_ALIAS_ZONE },
		{ "EvaluateTargetHealth", F_ALIAS_EVAL },
	};
	int rc = 0;

	if (x->depth == 2 && strcmp(x->stack[2], "IsTruncated") == 0) {
		char *t = take_text(x);
		if (t && strcmp(t, "true") == 0)
			sf_diag_warn(x->ctx->diags, x->ctx->path, cur_line(x),
			             "IsTruncated is true: record sets after this page are missing");
		free(t);
	} else if (x->in_set && x->depth == 3) {
		finish_set(x);
	} else if (x->in_set && x->depth == 4) {
		for (size_t i = 0; i < sizeof(set_fields) / sizeof(set_fields[0]); i++)
			if (strcmp(x->stack[4], set_fields[i].name) == 0)
				rc = put_field(x, set_fields[i].f);
	} else if (x->in_set && x->depth == 5 && at(x, 4, "AliasTarget")) {
		for (size_t i = 0; i < sizeof(alias_fields) / sizeof(alias_fields[0]); i++)
			if (strcmp(x->stack[5], alias_fields[i].name) == 0)
				rc = put_field(x, alias_fields[i].f);
	} else if (x->in_set && x->depth == 6 && at(x, 4, "ResourceRecords") &&
	           at(x, 5, "ResourceRecord") && strcmp(x->stack[6], "Value") == 0) {
		char *v;
		if (x->nvalues >= SF_R53_MAX_VALUES) {
			sf_diag_error(x->ctx->diags, x->ctx->path, cur_line(x),
			              "record set: more than %d values", SF_R53_MAX_VALUES);
			x->errors++;
			return -1;
		}
		if (x->nvalues == x->vcap) {
			size_t cap = x->vcap ? x->vcap * 2 : 8;
			char **p = realloc(x->values, cap * sizeof(*p));
			if (!p)
				return -1;
			x->values = p;
			x->vcap = cap;
		}
		if (!(v = take_text(x)))
			return -1;
		x->values[x->nvalues++] = v;
	}
	sf_buf_clear(&x->text);
	x->depth--;
	return rc;
}

static int on_start(xstate *x)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(x->rd);
	if (!name)
		return -1;
	if (x->depth + 1 > XML_MAX_DEPTH) {
		sf_diag_error(x->ctx->diags, x->ctx->path, cur_line(x), "elements nested deeper than %d",
		              XML_MAX_DEPTH);
		x->errors++;
		return -1;
	}
	x->depth++;
	snprintf(x->stack[x->depth], sizeof(x->stack[0]), "%s", name);
	sf_buf_clear(&x->text);
	if (x->depth == 1) {
		const char *ns = (const char *)xmlTextReaderConstNamespaceUri(x->rd);
		if (strcmp(name, "ListResourceRecordSetsResponse") != 0 ||
		    (ns && strncmp(ns, R53_NS_PREFIX, strlen(R53_NS_PREFIX)) != 0)) {
			sf_diag_error(x->ctx->diags, x->ctx->path, cur_line(x),
			              "not a Route 53 ListResourceRecordSetsResponse");
			x->errors++;
			return -1;
		}
	} else if (x->depth == 3 && at(x, 2, "ResourceRecordSets") &&
	           strcmp(name, "ResourceRecordSet") == 0) {
		set_reset(x);
		x->in_set = 1;
		x->set_line = cur_line(x);
	} else if (x->in_set && x->depth == 4) {
		if (strcmp(name, "GeoLocation") == 0)
			x->routing = "geolocation";
		else if (strcmp(name, "GeoProximityLocation") == 0)
			x->routing = "geoproximity";
		else if (strcmp(name, "CidrRoutingConfig") == 0)
			x->routing = "cidr";
	}
	if (xmlTextReaderIsEmptyElement(x->rd))
		return on_end(x);
	return 0;
}

static int r53_xml_sniff(const char *path, const char *head, size_t len)
{
	(void)path;
	(void)len;
	return strstr(head, "<ListResourceRecordSetsResponse") ? 90 : 0;
}

static int r53_xml_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	xstate x;
	sf_r53 r;
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;
	size_t before = ctx->diags->errors;
	int ret = 0, rc = -1, saw_root = 0;

	if (len > (size_t)INT_MAX) {
		sf_diag_error(ctx->diags, ctx->path, 0, "too large");
		return -1;
	}
	/* Defence in depth: even if an option let an entity through, nothing
	 * would be fetched. The loader is process-wide and never restored. */
	xmlSetExternalEntityLoader(deny_loader);
	old_generic = xmlGenericError;
	old_generic_ctx = xmlGenericErrorContext;
	memset(&x, 0, sizeof(x));
	sf_buf_init(&x.text, SF_R53_MAX_FIELD);
	sf_r53_init(&r, ctx, "route53-xml");
	x.r = &r;
	x.ctx = ctx;
	xmlSetGenericErrorFunc(&x, on_generic_error);
	x.rd = xmlReaderForMemory(data, (int)len, NULL, NULL,
	                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!x.rd) {
		sf_diag_error(ctx->diags, ctx->path, 0, "cannot start the XML reader");
		goto cleanup;
	}
	xmlTextReaderSetStructuredErrorHandler(x.rd, on_xml_error, &x);
	while (!x.errors && (ret = xmlTextReaderRead(x.rd)) == 1) {
		int type = xmlTextReaderNodeType(x.rd);
		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			saw_root = 1;
			if (on_start(&x) < 0 && !x.errors) {
				r.oom = 1;
				x.errors++;
			}
			break;
		case XML_READER_TYPE_END_ELEMENT:
			if (x.depth > 0 && on_end(&x) < 0 && !x.errors) {
				r.oom = 1;
				x.errors++;
			}
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA: {
			const char *v = (const char *)xmlTextReaderConstValue(x.rd);
			if (v && sf_buf_puts(&x.text, v) < 0) {
				sf_diag_error(ctx->diags, ctx->path, cur_line(&x),
				              "element %s: text longer than %d bytes", x.stack[x.depth],
				              SF_R53_MAX_FIELD);
				x.errors++;
			}
			break;
		}
		case XML_READER_TYPE_DOCUMENT_TYPE:
			sf_diag_error(ctx->diags, ctx->path, line_of(data, len, "<!DOCTYPE"),
			              "document type declarations are not allowed");
			x.errors++;
			break;
		case XML_READER_TYPE_ENTITY_REFERENCE:
		case XML_READER_TYPE_ENTITY:
			sf_diag_error(ctx->diags, ctx->path, cur_line(&x), "entity references are not allowed");
			x.errors++;
			break;
		default:
			break;      /* whitespace, comments, processing instructions */
		}
	}
	if (!x.errors && ret < 0) {
		sf_diag_error(ctx->diags, ctx->path, cur_line(&x), "invalid XML");
		x.errors++;
	}
	if (!x.errors && !saw_root) {
		sf_diag_error(ctx->diags, ctx->path, 1, "not a Route 53 ListResourceRecordSetsResponse");
		x.errors++;
	}
	if (r.oom)
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
	if (ctx->diags->errors > before && !ctx->keep_going)
		goto cleanup;
	if (sf_r53_finish(&r) < 0) {
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory or past the graph's size limit");
		goto cleanup;
	}
	rc = ctx->diags->errors > before ? -1 : 0;
cleanup:
	set_reset(&x);
	free(x.values);
	sf_buf_free(&x.text);
	if (x.rd)
		xmlFreeTextReader(x.rd);
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	sf_r53_free(&r);
	return rc;
}

const sf_importer sf_importer_route53_xml = { "route53-xml", r53_xml_sniff, r53_xml_import, NULL, NULL };
