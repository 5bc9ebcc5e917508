#include "manifest.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dns_common.h"
#include "importer.h"
#include "model/buf.h"
#include "model/files.h"
#include "model/stats.h"
#include "model/yaml.h"
#include "rules/rules.h"

#define MANIFEST_MAX_SERVICES 10000
#define MANIFEST_MAX_ZONES 10000

typedef struct mparse {
	const char *path;
	sf_diags *d;
	sf_manifest *m;
	int bad;
} mparse;

static void bad(mparse *p, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void bad(mparse *p, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sf_diag_error(p->d, p->path, line, "%s", msg);
	p->bad = 1;
}

/* A field table: for each key of a mapping, the function that reads it. */
typedef struct field {
	const char *key;
	int required;
	int (*read)(mparse *p, const sf_ynode *value, void *into);
} field;

static void known_list(const field *fields, char *out, size_t outsz)
{
	size_t o = 0;
	out[0] = '\0';
	for (const field *f = fields; f->key && o < outsz; f++)
		o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? ", " : "", f->key);
}

/* Check a mapping's keys against `fields` and run each reader. */
static void read_fields(mparse *p, const sf_ynode *map, const field *fields, const char *what,
                        void *into)
{
	char known[256];
	if (!map || map->type != SF_Y_MAP) {
		bad(p, map ? map->line : 1, "%s must be a mapping", what);
		return;
	}
	known_list(fields, known, sizeof(known));
	for (size_t i = 0; i < map->count; i++) {
		const field *f = fields;
		while (f->key && strcmp(f->key, map->keys[i]) != 0)
			f++;
		if (!f->key) {
			sf_diag_error(p->d, p->path, map->key_lines[i], "%s: unknown field '%s' (known: %s)",
			              what, map->keys[i], known);
			p->bad = 1;
			continue;
		}
		f->read(p, map->items[i], into);
	}
	for (const field *f = fields; f->key; f++)
		if (f->required && !sf_yaml_get(map, f->key)) {
			sf_diag_error(p->d, p->path, map->line, "%s: '%s' is required", what, f->key);
			p->bad = 1;
		}
}

static const char *scalar(mparse *p, const sf_ynode *n, const char *what)
{
	const char *s = sf_yaml_str(n);
	if (!s || !s[0]) {
		bad(p, n->line, "%s must be a non-empty string", what);
		return NULL;
	}
	return s;
}

static char *dns_name(mparse *p, const sf_ynode *n, const char *what)
{
	char canon[SF_DNS_TEXT_MAX];
	const char *s = scalar(p, n, what);
	if (!s)
		return NULL;
	if (sf_dns_canon(s, strlen(s), 0, canon, sizeof(canon)) < 0 || strcmp(canon, ".") == 0) {
		bad(p, n->line, "%s: '%s' is not a DNS name", what, s);
		return NULL;
	}
	return strdup(canon);
}

/* ---- version ---- */

static int read_version(mparse *p, const sf_ynode *n, void *into)
{
	long v;
	(void)into;
	if (sf_yaml_long(n, &v) < 0 || v != 1) {
		bad(p, n->line, "version: only version 1 is known");
		return -1;
	}
	p->m->version = v;
	return 0;
}

/* ---- services ---- */

static int valid_service_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

static int read_svc_name(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_service *s = into;
	const char *v = scalar(p, n, "service name");
	if (!v)
		return -1;
	if (!valid_service_name(v)) {
		bad(p, n->line, "service name '%s': use letters, digits, '.', '-' and '_' (at most 64)",
		    v);
		return -1;
	}
	s->name = strdup(v);
	s->line = n->line;
	return 0;
}

static int read_svc_dns(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_service *s = into;
	s->dns = dns_name(p, n, "dns");
	return s->dns ? 0 : -1;
}

static int read_target_dns(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_target *t = into;
	t->dns = dns_name(p, n, "dns");
	t->line = n->line;
	return t->dns ? 0 : -1;
}

/* A side of a pair: a DNS name, or {dns: name}. The mapping form is where
 * other kinds of target (a Terraform address, an endpoint) will go. */
static const field target_fields[] = {
	{ "dns", 1, read_target_dns },
	{ NULL, 0, NULL },
};

static int read_target(mparse *p, const sf_ynode *n, sf_manifest_target *t, const char *what)
{
	if (n->type == SF_Y_SCALAR) {
		t->dns = dns_name(p, n, what);
		t->line = n->line;
		return t->dns ? 0 : -1;
	}
	if (n->type == SF_Y_MAP) {
		read_fields(p, n, target_fields, what, t);
		if (!t->line)
			t->line = n->line;
		return t->dns ? 0 : -1;
	}
	bad(p, n->line, "%s must be a DNS name or a mapping {dns: name}", what);
	return -1;
}

static int read_svc_primary(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_service *s = into;
	return read_target(p, n, &s->primary, "primary");
}

static int read_svc_standby(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_service *s = into;
	if (n->type != SF_Y_SEQ)
		return read_target(p, n, &s->standby[s->nstandby++], "standby");
	if (n->count == 0 || n->count > SF_MANIFEST_MAX_STANDBY) {
		bad(p, n->line, "standby: a list of 1 to 8 targets");
		return -1;
	}
	for (size_t i = 0; i < n->count; i++)
		read_target(p, n->items[i], &s->standby[s->nstandby++], "standby");
	return 0;
}

static const field service_fields[] = {
	{ "name", 1, read_svc_name },
	{ "dns", 1, read_svc_dns },
	{ "primary", 1, read_svc_primary },
	{ "standby", 1, read_svc_standby },
	{ NULL, 0, NULL },
};

static int read_services(mparse *p, const sf_ynode *n, void *into)
{
	(void)into;
	if (n->type != SF_Y_SEQ) {
		bad(p, n->line, "services must be a list");
		return -1;
	}
	if (n->count > MANIFEST_MAX_SERVICES) {
		bad(p, n->line, "services: more than 10000 entries");
		return -1;
	}
	p->m->services = calloc(n->count ? n->count : 1, sizeof(*p->m->services));
	if (!p->m->services)
		return -1;
	for (size_t i = 0; i < n->count; i++) {
		sf_manifest_service *s = &p->m->services[p->m->nservices++];
		read_fields(p, n->items[i], service_fields, "service", s);
		if (!s->line)
			s->line = n->items[i]->line;
		for (size_t k = 0; s->name && k + 1 < p->m->nservices; k++)
			if (p->m->services[k].name && strcmp(p->m->services[k].name, s->name) == 0) {
				char first[32];
				snprintf(first, sizeof(first), "%ld", p->m->services[k].line);
				bad(p, s->line, "service '%s' is declared twice (first on line %s)", s->name,
				    first);
				break;
			}
	}
	return 0;
}

/* ---- zones ---- */

static int read_zone_file(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_zone *z = into;
	const char *v = scalar(p, n, "file");
	if (!v)
		return -1;
	if (v[0] == '/') {
		bad(p, n->line, "file '%s': give a path relative to this file", v);
		return -1;
	}
	z->file = strdup(v);
	return 0;
}

static int read_zone_origin(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_zone *z = into;
	z->origin = dns_name(p, n, "origin");
	return z->origin ? 0 : -1;
}

static const field zone_fields[] = {
	{ "file", 1, read_zone_file },
	{ "origin", 1, read_zone_origin },
	{ NULL, 0, NULL },
};

static int read_zones(mparse *p, const sf_ynode *n, void *into)
{
	(void)into;
	if (n->type != SF_Y_SEQ) {
		bad(p, n->line, "zones must be a list");
		return -1;
	}
	if (n->count > MANIFEST_MAX_ZONES) {
		bad(p, n->line, "zones: more than 10000 entries");
		return -1;
	}
	p->m->zones = calloc(n->count ? n->count : 1, sizeof(*p->m->zones));
	if (!p->m->zones)
		return -1;
	for (size_t i = 0; i < n->count; i++) {
		sf_manifest_zone *z = &p->m->zones[p->m->nzones++];
		z->line = n->items[i]->line;
		read_fields(p, n->items[i], zone_fields, "zone", z);
	}
	return 0;
}

/* ---- waivers ---- */

#define MANIFEST_MAX_WAIVERS 10000

static int valid_rule_id(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_'))
			return 0;
	return 1;
}

static char *rule_id(mparse *p, const sf_ynode *n, const char *what)
{
	const char *v = scalar(p, n, what);
	if (!v)
		return NULL;
	if (!valid_rule_id(v)) {
		bad(p, n->line, "%s: '%s' is not a rule id (like SF105)", what, v);
		return NULL;
	}
	return strdup(v);
}

/* A calendar date, YYYY-MM-DD, as YAML writes it plain. */
static int valid_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return 1;
}

static int read_wv_rule(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_waiver *w = into;
	return (w->rule = rule_id(p, n, "rule")) ? 0 : -1;
}

static int read_wv_service(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_waiver *w = into;
	const char *v = scalar(p, n, "service");
	if (!v)
		return -1;
	if (!valid_service_name(v)) {
		bad(p, n->line, "service name '%s': use letters, digits, '.', '-' and '_' (at most 64)",
		    v);
		return -1;
	}
	return (w->service = strdup(v)) ? 0 : -1;
}

static int read_wv_fingerprint(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_waiver *w = into;
	const char *v = scalar(p, n, "fingerprint");
	size_t k;
	if (!v)
		return -1;
	for (k = 0; v[k] && ((v[k] >= '0' && v[k] <= '9') || (v[k] >= 'a' && v[k] <= 'f')); k++)
		;
	if (k != 16 || v[k]) {
		bad(p, n->line, "fingerprint: expected 16 lowercase hex digits, as in the JSON output");
		return -1;
	}
	return (w->fingerprint = strdup(v)) ? 0 : -1;
}

static int read_wv_reason(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_waiver *w = into;
	const char *v = scalar(p, n, "reason");
	return v && (w->reason = strdup(v)) ? 0 : -1;
}

static int read_wv_approved_by(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_waiver *w = into;
	const char *v = scalar(p, n, "approved_by");
	return v && (w->approved_by = strdup(v)) ? 0 : -1;
}

static int read_wv_expires(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_waiver *w = into;
	const char *v = scalar(p, n, "expires");
	if (!v)
		return -1;
	if (!valid_date(v)) {
		bad(p, n->line, "expires: '%s' is not a date YYYY-MM-DD", v);
		return -1;
	}
	memcpy(w->expires, v, 11);
	return 0;
}

/* A waiver without an end, a reason or someone who approved it is how a
 * finding is forgotten: all three are required. */
static const field waiver_fields[] = {
	{ "rule", 1, read_wv_rule },
	{ "service", 0, read_wv_service },
	{ "fingerprint", 0, read_wv_fingerprint },
	{ "reason", 1, read_wv_reason },
	{ "expires", 1, read_wv_expires },
	{ "approved_by", 1, read_wv_approved_by },
	{ NULL, 0, NULL },
};

static int read_waivers(mparse *p, const sf_ynode *n, void *into)
{
	(void)into;
	if (n->type != SF_Y_SEQ) {
		bad(p, n->line, "waivers must be a list");
		return -1;
	}
	if (n->count > MANIFEST_MAX_WAIVERS) {
		bad(p, n->line, "waivers: more than 10000 entries");
		return -1;
	}
	p->m->waivers = calloc(n->count ? n->count : 1, sizeof(*p->m->waivers));
	if (!p->m->waivers)
		return -1;
	for (size_t i = 0; i < n->count; i++) {
		sf_manifest_waiver *w = &p->m->waivers[p->m->nwaivers++];
		w->line = n->items[i]->line;
		read_fields(p, n->items[i], waiver_fields, "waiver", w);
	}
	return 0;
}

/* ---- settings ---- */

static int severity_of(mparse *p, const sf_ynode *n, const char *what, int allow_none)
{
	const char *v = scalar(p, n, what);
	int s;
	if (!v)
		return -1;
	if ((s = sf_severity_from_name(v)) < 0 || (s == SF_SEV_NONE && !allow_none)) {
		bad(p, n->line, "%s: unknown severity '%s' (critical, high, medium, low, info%s)", what,
		    v, allow_none ? ", none" : "");
		return -1;
	}
	return s;
}

static int read_set_fail_on(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_settings *st = into;
	int s = severity_of(p, n, "fail_on", 1);
	if (s < 0)
		return -1;
	st->fail_on = s;
	return 0;
}

static int read_set_ttl(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_settings *st = into;
	long v;
	if (sf_yaml_long(n, &v) < 0 || v < 0 || v > 2147483647L) {
		bad(p, n->line, "ttl_threshold: expected whole seconds from 0 to 2147483647");
		return -1;
	}
	st->ttl_threshold = v;
	return 0;
}

static int read_set_rules(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_settings *st = into;
	const char *v = scalar(p, n, "rules");
	if (!v)
		return -1;
	if (v[0] == '/') {
		bad(p, n->line, "rules '%s': give a directory relative to this file", v);
		return -1;
	}
	return (st->rules_dir = strdup(v)) ? 0 : -1;
}

static int read_set_disable(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_settings *st = into;
	if (n->type != SF_Y_SEQ) {
		bad(p, n->line, "disable must be a list of rule ids");
		return -1;
	}
	if (n->count > SF_MANIFEST_MAX_OVERRIDES) {
		bad(p, n->line, "disable: more than %d rules", SF_MANIFEST_MAX_OVERRIDES);
		return -1;
	}
	for (size_t i = 0; i < n->count; i++) {
		char *id = rule_id(p, n->items[i], "disable");
		if (id)
			st->disabled[st->ndisabled++] = id;
	}
	return 0;
}

static int read_set_severity(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_settings *st = into;
	if (n->type != SF_Y_MAP) {
		bad(p, n->line, "severity must be a mapping of rule id to severity");
		return -1;
	}
	if (n->count > SF_MANIFEST_MAX_OVERRIDES) {
		bad(p, n->line, "severity: more than %d rules", SF_MANIFEST_MAX_OVERRIDES);
		return -1;
	}
	for (size_t i = 0; i < n->count; i++) {
		int s;
		if (!valid_rule_id(n->keys[i])) {
			bad(p, n->key_lines[i], "severity: '%s' is not a rule id (like SF105)", n->keys[i]);
			continue;
		}
		if ((s = severity_of(p, n->items[i], "severity", 0)) < 0)
			continue;
		st->severity[st->nseverity].rule = strdup(n->keys[i]);
		st->severity[st->nseverity++].severity = s;
	}
	return 0;
}

static int read_out_format(mparse *p, const sf_ynode *n, void *into)
{
	char **f = into;
	const char *v = scalar(p, n, "format");
	return v && (f[0] = strdup(v)) ? 0 : -1;
}

static int read_out_file(mparse *p, const sf_ynode *n, void *into)
{
	char **f = into;
	const char *v = scalar(p, n, "file");
	return v && (f[1] = strdup(v)) ? 0 : -1;
}

static const field output_fields[] = {
	{ "format", 1, read_out_format },
	{ "file", 0, read_out_file },
	{ NULL, 0, NULL },
};

static int read_set_outputs(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_settings *st = into;
	if (n->type != SF_Y_SEQ) {
		bad(p, n->line, "outputs must be a list of {format, file}");
		return -1;
	}
	if (n->count > SF_MANIFEST_MAX_OUTPUTS) {
		bad(p, n->line, "outputs: more than %d entries", SF_MANIFEST_MAX_OUTPUTS);
		return -1;
	}
	for (size_t i = 0; i < n->count; i++) {
		char *pair[2] = { NULL, NULL };
		read_fields(p, n->items[i], output_fields, "output", pair);
		st->outputs[st->noutputs].format = pair[0];
		st->outputs[st->noutputs++].file = pair[1];
	}
	return 0;
}

static int read_set_quiet(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_settings *st = into;
	int b = sf_yaml_bool(n);
	if (b < 0) {
		bad(p, n->line, "quiet: expected true or false");
		return -1;
	}
	st->quiet = b;
	return 0;
}

static const field settings_fields[] = {
	{ "fail_on", 0, read_set_fail_on },
	{ "ttl_threshold", 0, read_set_ttl },
	{ "rules", 0, read_set_rules },
	{ "disable", 0, read_set_disable },
	{ "severity", 0, read_set_severity },
	{ "outputs", 0, read_set_outputs },
	{ "quiet", 0, read_set_quiet },
	{ NULL, 0, NULL },
};

static int read_settings(mparse *p, const sf_ynode *n, void *into)
{
	(void)into;
	p->m->settings.line = n->line;
	read_fields(p, n, settings_fields, "settings", &p->m->settings);
	return 0;
}

static void settings_free(sf_manifest_settings *st)
{
	free(st->rules_dir);
	for (size_t i = 0; i < st->ndisabled; i++)
		free(st->disabled[i]);
	for (size_t i = 0; i < st->nseverity; i++)
		free(st->severity[i].rule);
	for (size_t i = 0; i < st->noutputs; i++) {
		free(st->outputs[i].format);
		free(st->outputs[i].file);
	}
}

static void waivers_free(sf_manifest *m)
{
	for (size_t i = 0; i < m->nwaivers; i++) {
		sf_manifest_waiver *w = &m->waivers[i];
		free(w->rule);
		free(w->service);
		free(w->fingerprint);
		free(w->reason);
		free(w->approved_by);
	}
	free(m->waivers);
}

/* The sections of version 1. Owners, tiers and waivers come here. */
static const field sections[] = {
	{ "version", 1, read_version },
	{ "services", 0, read_services },
	{ "zones", 0, read_zones },
	{ "waivers", 0, read_waivers },
	{ "settings", 0, read_settings },
	{ NULL, 0, NULL },
};

void sf_manifest_free(sf_manifest *m)
{
	for (size_t i = 0; i < m->nservices; i++) {
		sf_manifest_service *s = &m->services[i];
		free(s->name);
		free(s->dns);
		free(s->primary.dns);
		for (size_t k = 0; k < s->nstandby; k++)
			free(s->standby[k].dns);
	}
	for (size_t i = 0; i < m->nzones; i++) {
		free(m->zones[i].file);
		free(m->zones[i].origin);
	}
	free(m->services);
	free(m->zones);
	waivers_free(m);
	settings_free(&m->settings);
	memset(m, 0, sizeof(*m));
}

int sf_manifest_parse(const char *path, const char *data, size_t len, sf_manifest *out,
                      sf_diags *d)
{
	sf_ydoc doc;
	mparse p;

	memset(out, 0, sizeof(*out));
	out->settings.fail_on = -1;
	out->settings.ttl_threshold = -1;
	out->settings.quiet = -1;
	sf_stat_add(SF_STAT_MANIFEST_PARSES, 1);
	if (sf_yaml_parse(path, data, len, &doc, d) < 0)
		return -1;
	memset(&p, 0, sizeof(p));
	p.path = path;
	p.d = d;
	p.m = out;
	if (doc.ndocs != 1) {
		bad(&p, 1, "a manifest holds exactly one YAML document");
	} else {
		read_fields(&p, doc.docs[0], sections, "sharedfate.yaml", NULL);
	}
	sf_yaml_free(&doc);
	if (p.bad) {
		sf_manifest_free(out);
		return -1;
	}
	return 0;
}

/* ---- zone origins for the zone importer ---- */

static int manifest_in(const char *dir, char *out, size_t outsz)
{
	static const char *const names[] = { "sharedfate.yaml", "sharedfate.yml" };
	for (size_t i = 0; i < 2; i++) {
		int n = snprintf(out, outsz, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, names[i]);
		struct stat st;
		if (n < 0 || (size_t)n >= outsz)
			return -1;
		/* stat, never open: a FIFO by that name would block an open */
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
	}
	return -1;
}

/* ---- manifests read for zone origins, once per file ----
 *
 * Every zone file without an $ORIGIN asks for its origin; a repository of
 * thousands of them must not parse the manifest thousands of times. A
 * manifest is read once per scan root and remembered with the zone files
 * it names (resolved, sorted); it is read again only when the file changed
 * on disk (its identity, size or modification time), which keeps a
 * long-running process such as a fuzzer honest. */

typedef struct origin_entry {
	char *real;                 /* the zone file, resolved inside root */
	const char *origin;         /* into the manifest */
	size_t order;               /* position in the manifest: the first wins */
} origin_entry;

typedef struct mcache {
	char *root, *real;
	struct stat st;
	int ok;                     /* parsed without a problem */
	sf_manifest m;
	origin_entry *zones;
	size_t nzones;
} mcache;

#define MCACHE_MAX 64

static mcache mcaches[MCACHE_MAX];
static size_t nmcaches;
static int mcache_atexit;

static void mcache_drop(mcache *c)
{
	for (size_t i = 0; i < c->nzones; i++)
		free(c->zones[i].real);
	free(c->zones);
	if (c->ok)
		sf_manifest_free(&c->m);
	free(c->root);
	free(c->real);
	memset(c, 0, sizeof(*c));
}

void sf_manifest_cache_clear(void)
{
	for (size_t i = 0; i < nmcaches; i++)
		mcache_drop(&mcaches[i]);
	nmcaches = 0;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static int cmp_origin(const void *a, const void *b)
{
	const origin_entry *x = a, *y = b;
	int c = strcmp(x->real, y->real);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Parse the manifest at `real` and resolve the zone files it names. */
static void mcache_load(mcache *c, const char *root, const char *mpath, const char *real)
{
	char err[256], *data = NULL;
	size_t len;
	sf_diags quiet;

	sf_diags_init(&quiet);
	if (sf_read_file(real, SF_MANIFEST_MAX_BYTES, &data, &len, err, sizeof(err)) == 0 &&
	    sf_manifest_parse(mpath, data, len, &c->m, &quiet) == 0) {
		c->ok = 1;
		c->zones = calloc(c->m.nzones ? c->m.nzones : 1, sizeof(*c->zones));
		for (size_t i = 0; c->zones && i < c->m.nzones; i++) {
			char *zr = NULL;
			if (sf_resolve_confined(root, real, c->m.zones[i].file, &zr, err, sizeof(err)) < 0)
				continue;
			c->zones[c->nzones].real = zr;
			c->zones[c->nzones].origin = c->m.zones[i].origin;
			c->zones[c->nzones].order = i;
			c->nzones++;
		}
		sf_sort(c->zones, c->nzones, sizeof(*c->zones), cmp_origin);
	}
	sf_diags_free(&quiet);
	free(data);
}

static const mcache *mcache_get(const char *root, const char *mpath, const char *real)
{
	struct stat st;
	mcache *c = NULL;

	if (stat(real, &st) < 0)
		return NULL;
	for (size_t i = 0; i < nmcaches; i++)
		if (strcmp(mcaches[i].real, real) == 0 && strcmp(mcaches[i].root, root) == 0) {
			c = &mcaches[i];
			if (same_file(&c->st, &st))
				return c;
			mcache_drop(c);
			break;
		}
	if (!c) {
		if (nmcaches == MCACHE_MAX)
			sf_manifest_cache_clear();
		c = &mcaches[nmcaches++];
	}
	if (!mcache_atexit) {
		atexit(sf_manifest_cache_clear);
		mcache_atexit = 1;
	}
	c->root = strdup(root);
	c->real = strdup(real);
	c->st = st;
	if (!c->root || !c->real) {
		mcache_drop(c);
		*c = mcaches[--nmcaches];       /* keep the table dense */
		memset(&mcaches[nmcaches], 0, sizeof(mcaches[nmcaches]));
		return NULL;
	}
	mcache_load(c, root, mpath, real);
	return c;
}

const sf_manifest *sf_manifest_cached(const char *root, const char *shown, const char *real)
{
	const mcache *c;
	if (!sf_path_within(root, real) || !(c = mcache_get(root, shown, real)) || !c->ok)
		return NULL;
	return &c->m;
}

static int origin_from(const char *root, const char *mpath, const char *file_real, char *out,
                       size_t outsz)
{
	const mcache *c;
	char *real;
	size_t lo = 0, hi;

	/* The manifest itself must be inside the tree, like every input. */
	if (!(real = realpath(mpath, NULL)) || !sf_path_within(root, real)) {
		free(real);
		return -1;
	}
	c = mcache_get(root, mpath, real);
	free(real);
	if (!c || !c->ok)
		return -1;
	hi = c->nzones;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(c->zones[mid].real, file_real) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nzones && strcmp(c->zones[lo].real, file_real) == 0 &&
	    (size_t)snprintf(out, outsz, "%s", c->zones[lo].origin) < outsz)
		return 0;
	return -1;
}

int sf_manifest_zone_origin(const char *root, const char *file_real, char *out, size_t outsz)
{
	char dir[PATH_MAX], mpath[PATH_MAX + 32];

	if (strlen(file_real) >= sizeof(dir))
		return -1;
	memcpy(dir, file_real, strlen(file_real) + 1);
	for (;;) {
		char *slash = strrchr(dir, '/');
		if (!slash)
			return -1;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (!sf_path_within(root, dir))
			return -1;
		if (manifest_in(dir, mpath, sizeof(mpath)) == 0 &&
		    origin_from(root, mpath, file_real, out, outsz) == 0)
			return 0;
		if (strcmp(dir, root) == 0 || strcmp(dir, "/") == 0)
			return -1;
	}
}

/* ---- the importer ---- */

static int manifest_sniff(const char *path, const char *head, size_t len)
{
	const char *base = strrchr(path, '/');
	(void)head;
	(void)len;
	base = base ? base + 1 : path;
	return strcmp(base, "sharedfate.yaml") == 0 || strcmp(base, "sharedfate.yml") == 0 ? 100 : 0;
}

static sf_node_id dns_node(sf_graph *g, const char *name)
{
	char key[SF_DNS_TEXT_MAX + 8];
	snprintf(key, sizeof(key), "dns:%s", name);
	/* No provenance: the zone or state that defines the name gives it. */
	return sf_graph_node(g, SF_KIND_DNS_NAME, key, name, NULL);
}

static int add_member(sf_import_ctx *ctx, const sf_manifest_service *s, const char *group,
                      int role, sf_node_id record, const sf_manifest_target *t)
{
	sf_failover_member m;
	memset(&m, 0, sizeof(m));
	m.group = group;
	m.source = "sharedfate.yaml";
	m.name = s->dns;
	m.service = s->name;
	m.role = role;
	/* Both sides are declared by the one failover name: its record is
	 * what serves them (its zone and providers are common by design). */
	m.record = record;
	m.root = dns_node(ctx->graph, t->dns);
	m.prov.path = ctx->path;
	m.prov.line = t->line;
	if (m.root == SF_NODE_NONE)
		return -1;
	return sf_failover_add(ctx->failover, ctx->graph, &m);
}

static int manifest_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	sf_manifest m;
	int rc = 0;

	if (sf_manifest_parse(ctx->path, data, len, &m, ctx->diags) < 0)
		return -1;
	for (size_t i = 0; i < m.nservices && rc == 0; i++) {
		const sf_manifest_service *s = &m.services[i];
		char key[128], group[128];
		sf_prov prov = { ctx->path, s->line };
		sf_node_id svc, name;

		snprintf(key, sizeof(key), "service:%s", s->name);
		snprintf(group, sizeof(group), "manifest:%s", s->name);
		svc = sf_graph_node(ctx->graph, SF_KIND_SERVICE, key, s->name, &prov);
		name = dns_node(ctx->graph, s->dns);
		if (svc == SF_NODE_NONE || name == SF_NODE_NONE ||
		    sf_graph_set_attr(ctx->graph, svc, "name", s->name) < 0 ||
		    sf_graph_edge(ctx->graph, svc, SF_EDGE_DEPENDS_ON, name, &prov) < 0 ||
		    add_member(ctx, s, group, 0, name, &s->primary) < 0) {
			rc = -1;
			break;
		}
		for (size_t k = 0; k < s->nstandby && rc == 0; k++)
			rc = add_member(ctx, s, group, (int)k + 1, name, &s->standby[k]);
	}
	sf_manifest_free(&m);
	if (rc < 0)
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
	return rc;
}

const sf_importer sf_importer_manifest = { "manifest", manifest_sniff, manifest_import, NULL };
