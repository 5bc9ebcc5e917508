/* `aws route53 list-resource-record-sets` output (JSON), read with jansson.
 *
 * jansson keeps no positions, so a small pass over the text finds the line
 * where each element of ResourceRecordSets starts: every diagnostic about
 * a record set names its own line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "route53.h"

/* Route 53 holds at most 10,000 records per zone by default; an export of
 * a big zone is a few MB. jansson takes about ten times the file size. */
#define R53_JSON_MAX ((size_t)32 * 1024 * 1024)

/* Lines of the elements of the top-level array under `key`, in order.
 * The text is valid JSON (jansson parsed it), so tracking strings and
 * nesting is enough. Returns a malloc'd array of `*n` lines, or NULL. */
static long *element_lines(const char *d, size_t len, const char *key, size_t *n)
{
	size_t klen = strlen(key), cap = 0, cnt = 0;
	long line = 1, *lines = NULL;
	int depth = 0, target = -1, expect = 0;
	const char *last_str = NULL;
	size_t last_len = 0;

	for (size_t i = 0; i < len; i++) {
		char c = d[i];
		if (c == '\n') {
			line++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r')
			continue;
		if (expect && depth == target && c != ']') {
			if (cnt == cap) {
				long *p = realloc(lines, (cap = cap ? cap * 2 : 64) * sizeof(*p));
				if (!p) {
					free(lines);
					return NULL;
				}
				lines = p;
			}
			lines[cnt++] = line;
			expect = 0;
		}
		if (c == '"') {
			size_t b = ++i;
			while (i < len && d[i] != '"') {
				if (d[i] == '\\')
					i++;
				i++;
			}
			last_str = d + b;
			last_len = i - b;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
			if (c == '[' && depth == 2 && target < 0 && last_str && last_len == klen &&
			    memcmp(last_str, key, klen) == 0) {
				target = depth;
				expect = 1;
			}
		} else if (c == '}' || c == ']') {
			if (depth == target)
				target = -2;    /* done: later arrays are not it */
			depth--;
		} else if (c == ',' && depth == target) {
			expect = 1;
		}
	}
	*n = cnt;
	return lines;
}

static int r53_json_sniff(const char *path, const char *head, size_t len)
{
	const char *p = head;
	(void)path;
	(void)len;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return *p == '{' && strstr(head, "\"ResourceRecordSets\"") ? 90 : 0;
}

/* Optional string member; -1 (diagnosed) when present and not a string. */
static int opt_str(sf_import_ctx *ctx, json_t *o, const char *key, long line, const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		sf_diag_error(ctx->diags, ctx->path, line, "record set: %s must be a string", key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* One element of ResourceRecordSets into the neutral form. */
static int read_set(sf_r53 *r, json_t *o, long line)
{
	sf_import_ctx *ctx = r->ctx;
	sf_r53_rrset s;
	json_t *v;
	const char **values = NULL;
	char weight[32];
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.line = line;
	s.ttl = -1;
	s.eval_health = -1;
	if (!json_is_object(o)) {
		sf_diag_error(ctx->diags, ctx->path, line, "record set is not an object");
		return -1;
	}
	if (opt_str(ctx, o, "Name", line, &s.name) < 0 || opt_str(ctx, o, "Type", line, &s.type) < 0 ||
	    opt_str(ctx, o, "SetIdentifier", line, &s.set_id) < 0 ||
	    opt_str(ctx, o, "Failover", line, &s.failover) < 0 ||
	    opt_str(ctx, o, "HealthCheckId", line, &s.health_check) < 0 ||
	    opt_str(ctx, o, "Region", line, &s.region) < 0)
		return -1;
	if (!s.name || !s.type) {
		sf_diag_error(ctx->diags, ctx->path, line, "record set without Name or Type");
		return -1;
	}
	if ((v = json_object_get(o, "TTL")) && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 2147483647) {
			sf_diag_error(ctx->diags, ctx->path, line, "record set %s: TTL must be a number of seconds",
			              s.name);
			return -1;
		}
		s.ttl = (long)json_integer_value(v);
	}
	if ((v = json_object_get(o, "Weight")) && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 255) {
			sf_diag_error(ctx->diags, ctx->path, line, "record set %s: Weight must be 0 to 255",
			              s.name);
			return -1;
		}
		snprintf(weight, sizeof(weight), "%lld", (long long)json_integer_value(v));
		s.weight = weight;
	}
	if ((v = json_object_get(o, "GeoLocation")) && json_is_object(v))
		s.routing = "geolocation";
	else if ((v = json_object_get(o, "GeoProximityLocation")) && json_is_object(v))
		s.routing = "geoproximity";
	else if ((v = json_object_get(o, "CidrRoutingConfig")) && json_is_object(v))
		s.routing = "cidr";
	else if (json_is_true(json_object_get(o, "MultiValueAnswer")))
		s.routing = "multivalue";
	if ((v = json_object_get(o, "AliasTarget")) && !json_is_null(v)) {
		json_t *eth;
		if (!json_is_object(v)) {
			sf_diag_error(ctx->diags, ctx->path, line, "record set %s: AliasTarget must be an object",
			              s.name);
			return -1;
		}
		if (opt_str(ctx, v, "DNSName", line, &s.alias_dns) < 0 ||
		    opt_str(ctx, v, "HostedZoneId", line, &s.alias_zone) < 0)
			return -1;
		if (!s.alias_dns) {
			sf_diag_error(ctx->diags, ctx->path, line, "record set %s: AliasTarget without DNSName",
			              s.name);
			return -1;
		}
		eth = json_object_get(v, "EvaluateTargetHealth");
		if (eth && !json_is_boolean(eth)) {
			sf_diag_error(ctx->diags, ctx->path, line,
			              "record set %s: EvaluateTargetHealth must be true or false", s.name);
			return -1;
		}
		if (eth)
			s.eval_health = json_is_true(eth);
	}
	if ((v = json_object_get(o, "ResourceRecords")) && !json_is_null(v)) {
		size_t i;
		json_t *rr;
		if (!json_is_array(v) || json_array_size(v) > SF_R53_MAX_VALUES) {
			sf_diag_error(ctx->diags, ctx->path, line,
			              "record set %s: ResourceRecords must be a list of at most %d", s.name,
			              SF_R53_MAX_VALUES);
			return -1;
		}
		values = calloc(json_array_size(v) + 1, sizeof(*values));
		if (!values)
			return -1;
		json_array_foreach(v, i, rr) {
			json_t *val = json_object_get(rr, "Value");
			if (!json_is_object(rr) || !json_is_string(val)) {
				sf_diag_error(ctx->diags, ctx->path, line,
				              "record set %s: each resource record needs a Value string", s.name);
				goto cleanup;
			}
			values[s.nvalues++] = json_string_value(val);
		}
		s.values = values;
	}
	rc = sf_r53_add(r, &s);
cleanup:
	free(values);
	return rc;
}

static int r53_json_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	json_t *root = NULL, *sets, *o;
	sf_r53 r;
	long *lines = NULL;
	size_t nlines = 0, i, before = ctx->diags->errors;
	int rc = -1;

	if (len > R53_JSON_MAX) {
		sf_diag_error(ctx->diags, ctx->path, 0, "larger than %zu MB; not read", R53_JSON_MAX >> 20);
		return -1;
	}
	if (!(root = sf_json_load_input(ctx->diags, ctx->path, data, len)))
		return -1;
	sets = json_object_get(root, "ResourceRecordSets");
	if (!json_is_object(root) || !json_is_array(sets)) {
		sf_diag_error(ctx->diags, ctx->path, 1,
		              "not a Route 53 export: no ResourceRecordSets list at the top level");
		goto cleanup;
	}
	if (json_is_true(json_object_get(root, "IsTruncated")))
		sf_diag_warn(ctx->diags, ctx->path, 1,
		             "IsTruncated is true: record sets after this page are missing; export "
		             "with the CLI's automatic pagination");
	lines = element_lines(data, len, "ResourceRecordSets", &nlines);
	if (nlines != json_array_size(sets)) {
		free(lines);
		lines = NULL;
	}
	sf_r53_init(&r, ctx, "route53-json");
	json_array_foreach(sets, i, o)
		read_set(&r, o, lines ? lines[i] : 1);
	if (ctx->diags->errors > before && !ctx->keep_going) {
		sf_r53_free(&r);
		goto cleanup;
	}
	rc = sf_r53_finish(&r);
	if (rc < 0 || r.oom)
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory or past the graph's size limit");
	sf_r53_free(&r);
	if (ctx->diags->errors > before)
		rc = -1;
cleanup:
	free(lines);
	json_decref(root);
	return rc;
}

const sf_importer sf_importer_route53_json = { "route53-json", r53_json_sniff, r53_json_import, NULL, NULL };
