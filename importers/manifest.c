#include "manifest.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dns_common.h"
#include "importer.h"
#include "inventory.h"
#include "inventory.h"
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

/* YAML 1.1 read these as booleans, YAML 1.2 (and we) as strings: say so,
 * since another tool reading the same file may disagree. */
static void warn_yaml11_bool(mparse *p, const sf_ynode *n, const char *what)
{
	static const char *const words[] = { "yes", "no", "on", "off", "y", "n", "Yes", "No",
		                                  "On", "Off", "YES", "NO", "ON", "OFF", "Y", "N" };
	if (!n->plain || !n->value)
		return;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(n->value, words[i]) == 0) {
			sf_diag_warn(p->d, p->path, n->line,
			             "%s: '%s' is a boolean in YAML 1.1; kept as the string \"%s\" (quote "
			             "it to say so)", what, n->value, n->value);
			return;
		}
}

static const char *scalar(mparse *p, const sf_ynode *n, const char *what)
{
	const char *s = sf_yaml_str(n);
	if (!s || !s[0]) {
		bad(p, n->line, "%s must be a non-empty string", what);
		return NULL;
	}
	warn_yaml11_bool(p, n, what);
	return s;
}

/* One of `allowed` (NULL-terminated), else an error naming them. */
static char *enum_value(mparse *p, const sf_ynode *n, const char *what,
                        const char *const *allowed)
{
	char known[256];
	size_t o = 0;
	const char *s = scalar(p, n, what);
	if (!s)
		return NULL;
	for (const char *const *a = allowed; *a; a++)
		if (strcmp(s, *a) == 0)
			return strdup(s);
	known[0] = '\0';
	for (const char *const *a = allowed; *a && o < sizeof(known); a++)
		o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s", o ? ", " : "", *a);
	bad(p, n->line, "%s: unknown value '%s' (known: %s)", what, s, known);
	return NULL;
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

/* paths: [dir/, ...]: relative, inside the manifest's folder, no `..`. */
static int read_target_paths(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_target *t = into;
	if (n->type != SF_Y_SEQ || n->count == 0 || n->count > SF_MANIFEST_MAX_PATHS) {
		bad(p, n->line, "paths must be a list of 1 to %d folders", SF_MANIFEST_MAX_PATHS);
		return -1;
	}
	for (size_t i = 0; i < n->count; i++) {
		const char *v = scalar(p, n->items[i], "paths");
		size_t l;
		if (!v)
			continue;
		l = strlen(v);
		if (v[0] == '/' || strcmp(v, "..") == 0 || strncmp(v, "../", 3) == 0 ||
		    strstr(v, "/../") || (l >= 3 && strcmp(v + l - 3, "/..") == 0) || l > 900) {
			bad(p, n->items[i]->line,
			    "paths: '%s': give a folder inside this file's folder, without '..'", v);
			continue;
		}
		/* a folder: match `clusters/use1/x` but never `clusters/use10/x` */
		if (!(t->paths[t->npaths] = malloc(l + 2)))
			return -1;
		snprintf(t->paths[t->npaths], l + 2, "%s%s", v, v[l - 1] == '/' ? "" : "/");
		t->npaths++;
	}
	return 0;
}

/* A side of a pair: a DNS name, or {dns: name, paths: [...]}. */
static const field target_fields[] = {
	{ "dns", 0, read_target_dns },
	{ "paths", 0, read_target_paths },
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
		return 0;
	}
	bad(p, n->line, "%s must be a DNS name or a mapping {dns: name, paths: [...]}", what);
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

static const char *const tiers[] = { "critical", "high", "medium", "low", NULL };
static const char *const functions[] = { "authentication", "customer-access",
	                                     "workload-communication", "other", NULL };
static const char *const sides[] = { "primary", "standby", "both", NULL };

static int read_svc_tier(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_service *s = into;
	return (s->tier = enum_value(p, n, "tier", tiers)) ? 0 : -1;
}

static int read_svc_function(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_service *s = into;
	return (s->function = enum_value(p, n, "function", functions)) ? 0 : -1;
}

static int read_svc_owner(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_service *s = into;
	const char *v = scalar(p, n, "owner");
	if (!v)
		return -1;
	if (strlen(v) > 128 || strpbrk(v, "\t\r\n")) {
		bad(p, n->line, "owner: at most 128 characters on one line");
		return -1;
	}
	return (s->owner = strdup(v)) ? 0 : -1;
}

static int read_svc_runbook(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_service *s = into;
	const char *v = scalar(p, n, "runbook");
	if (!v)
		return -1;
	if (!sf_inv_web_url(v)) {
		bad(p, n->line, "runbook: give an https:// or http:// URL (no spaces or control "
		    "characters, at most 2048 bytes)");
		return -1;
	}
	return (s->runbook = strdup(v)) ? 0 : -1;
}

static int read_dep_kind(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_dep *dp = into;
	const char *v = scalar(p, n, "depends_on kind");
	int k = v ? sf_kind_from_name(v) : -1;
	if (!v)
		return -1;
	if (k < 0 || sf_kind_get((sf_kind)k)->category == SF_CAT_GOVERNANCE) {
		bad(p, n->line, "depends_on: unknown kind '%s' (a node kind such as "
		    "identity_provider, secret_store, kms_key, account)", v);
		return -1;
	}
	dp->kind = k;
	return 0;
}

static int read_dep_key(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_dep *dp = into;
	const char *v = scalar(p, n, "depends_on key");
	if (!v)
		return -1;
	if (strlen(v) > 1000) {
		bad(p, n->line, "depends_on key: at most 1000 characters");
		return -1;
	}
	return (dp->key = strdup(v)) ? 0 : -1;
}

static int read_dep_side(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_dep *dp = into;
	char *v = enum_value(p, n, "depends_on side", sides);
	if (!v)
		return -1;
	dp->side = strcmp(v, "primary") == 0 ? SF_SIDE_PRIMARY :
	           strcmp(v, "standby") == 0 ? SF_SIDE_STANDBY : SF_SIDE_BOTH;
	free(v);
	return 0;
}

static const char *const planes[] = { "data", "control", NULL };

/* plane: control is a dependency of recovery only (operators' login,
 * re-keying), not of serving. */
static int read_dep_plane(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_dep *dp = into;
	char *v = enum_value(p, n, "depends_on plane", planes);
	if (!v)
		return -1;
	dp->control = strcmp(v, "control") == 0;
	free(v);
	return 0;
}

static const field dep_fields[] = {
	{ "kind", 1, read_dep_kind },
	{ "key", 1, read_dep_key },
	{ "side", 0, read_dep_side },
	{ "plane", 0, read_dep_plane },
	{ NULL, 0, NULL },
};

static int read_svc_depends(mparse *p, const sf_ynode *n, void *into)
{
	sf_manifest_service *s = into;
	if (n->type != SF_Y_SEQ || n->count > SF_MANIFEST_MAX_DEPENDS) {
		bad(p, n->line, "depends_on must be a list of at most %d {kind, key, side}",
		    SF_MANIFEST_MAX_DEPENDS);
		return -1;
	}
	for (size_t i = 0; i < n->count; i++) {
		sf_manifest_dep *dp = &s->depends[s->ndepends++];
		dp->kind = -1;
		dp->side = SF_SIDE_BOTH;
		dp->line = n->items[i]->line;
		read_fields(p, n->items[i], dep_fields, "depends_on", dp);
	}
	return 0;
}

static const field service_fields[] = {
	{ "name", 1, read_svc_name },
	{ "tier", 0, read_svc_tier },
	{ "function", 0, read_svc_function },
	{ "owner", 0, read_svc_owner },
	{ "runbook", 0, read_svc_runbook },
	{ "dns", 1, read_svc_dns },
	{ "primary", 0, read_svc_primary },
	{ "standby", 0, read_svc_standby },
	{ "depends_on", 0, read_svc_depends },
	{ NULL, 0, NULL },
};

/* A pair is declared by both sides' DNS names, or discovered (neither). */
static void check_sides(mparse *p, const sf_manifest_service *s, long line)
{
	int have = s->primary.dns != NULL, standby = 0;
	for (size_t k = 0; k < s->nstandby; k++)
		standby += s->standby[k].dns != NULL;
	if (have != (standby > 0) || (standby && standby != (int)s->nstandby))
		bad(p, line, "service '%s': give every side (primary, standby) a DNS name, or none "
		    "when the pair is discovered from the other inputs", s->name ? s->name : "?");
}

/* The head of every list section: a sequence of at most `max` entries,
 * read into a zeroed array of `size`-byte items (one at least). NULL when
 * it is not, with the message said, or out of memory. */
static void *list_array(mparse *p, const sf_ynode *n, const char *section, size_t max,
                        size_t size)
{
	if (n->type != SF_Y_SEQ) {
		bad(p, n->line, "%s must be a list", section);
		return NULL;
	}
	if (n->count > max) {
		bad(p, n->line, "%s: more than %zu entries", section, max);
		return NULL;
	}
	return calloc(n->count ? n->count : 1, size);
}

static int read_services(mparse *p, const sf_ynode *n, void *into)
{
	(void)into;
	if (!(p->m->services = list_array(p, n, "services", MANIFEST_MAX_SERVICES, sizeof(*p->m->services))))
		return -1;
	for (size_t i = 0; i < n->count; i++) {
		sf_manifest_service *s = &p->m->services[p->m->nservices++];
		read_fields(p, n->items[i], service_fields, "service", s);
		if (!s->line)
			s->line = n->items[i]->line;
		check_sides(p, s, s->line);
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
	if (!(p->m->zones = list_array(p, n, "zones", MANIFEST_MAX_ZONES, sizeof(*p->m->zones))))
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
	if (!(p->m->waivers = list_array(p, n, "waivers", MANIFEST_MAX_WAIVERS, sizeof(*p->m->waivers))))
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
		for (size_t k = 0; k < s->primary.npaths; k++)
			free(s->primary.paths[k]);
		for (size_t k = 0; k < s->nstandby; k++) {
			free(s->standby[k].dns);
			for (size_t j = 0; j < s->standby[k].npaths; j++)
				free(s->standby[k].paths[j]);
		}
		free(s->tier);
		free(s->function);
		free(s->owner);
		free(s->runbook);
		for (size_t k = 0; k < s->ndepends; k++)
			free(s->depends[k].key);
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

/* ---- which service side an inventory file belongs to ---- */

#define WORDS_MAX 16

/* Split `s` (n bytes) at '-', '_' and '.' into at most WORDS_MAX words of 2
 * to 63 characters; returns how many. */
static size_t split_words(const char *s, size_t n, char words[][64])
{
	size_t k = 0, i = 0;
	while (i < n && k < WORDS_MAX) {
		size_t b = i;
		while (i < n && s[i] != '-' && s[i] != '_' && s[i] != '.')
			i++;
		if (i - b >= 2 && i - b < 64) {
			memcpy(words[k], s + b, i - b);
			words[k][i - b] = '\0';
			for (char *c = words[k]; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c = (char)(*c - 'A' + 'a');
			k++;
		}
		i++;
	}
	return k;
}

static const char *side_name(size_t k, char *buf, size_t bufsz)
{
	if (k == 0)
		return "primary";
	if (k == 1)
		return "standby";
	if ((size_t)snprintf(buf, bufsz, "standby%zu", k) >= bufsz)
		return "standby";
	return buf;
}

static const sf_manifest_target *side_at(const sf_manifest_service *s, size_t k)
{
	return k == 0 ? &s->primary : &s->standby[k - 1];
}

static int put(sf_manifest_attribution *out, size_t max, size_t *n, const sf_manifest_service *s,
               size_t k, const char *how, const char *scope_dir, const char *scope, size_t scopelen)
{
	sf_manifest_attribution *a;
	char buf[16];
	if (*n >= max)
		return 0;
	a = &out[(*n)++];
	memset(a, 0, sizeof(*a));
	snprintf(a->service, sizeof(a->service), "%s", s->name);
	snprintf(a->side, sizeof(a->side), "%s", side_name(k, buf, sizeof(buf)));
	snprintf(a->dns, sizeof(a->dns), "%s", side_at(s, k)->dns ? side_at(s, k)->dns : "");
	snprintf(a->how, sizeof(a->how), "%s", how);
	snprintf(a->scope, sizeof(a->scope), "%s%.*s", scope_dir, (int)scopelen, scope);
	return 1;
}

/* Does a word of the service's name appear among the file's folders or
 * its name? Inference needs it: a cluster folder alone (`prod-use1/`)
 * serves many services. */
static int names_service(const sf_manifest_service *s, const char *rel)
{
	char sw[WORDS_MAX][64], fw[WORDS_MAX][64];
	size_t ns = split_words(s->name, strlen(s->name), sw);
	for (const char *comp = rel; *comp;) {
		size_t l = strcspn(comp, "/"), nf = split_words(comp, l, fw);
		for (size_t i = 0; i < ns; i++)
			for (size_t f = 0; f < nf; f++)
				if (strcmp(sw[i], fw[f]) == 0)
					return 1;
		comp += l;
		if (*comp == '/')
			comp++;
	}
	return 0;
}

/* Infer: the one side whose distinctive word is a word of a folder of the
 * file, in a path that names the service. `rel` is the file's path from
 * the manifest's folder. */
static void infer_side(const sf_manifest_service *s, const char *rel, const char *scope_dir,
                       sf_manifest_attribution *out, size_t max, size_t *n)
{
	char sw[SF_MANIFEST_MAX_STANDBY + 1][WORDS_MAX][64], fw[WORDS_MAX][64], how[400];
	size_t nsw[SF_MANIFEST_MAX_STANDBY + 1], nsides = 1 + s->nstandby, found = SIZE_MAX;
	const char *comp = rel, *hit_end = NULL;
	unsigned char common[SF_MANIFEST_MAX_STANDBY + 1][WORDS_MAX];

	memset(common, 0, sizeof(common));
	if (!names_service(s, rel))
		return;
	for (size_t k = 0; k < nsides; k++) {
		const char *d = side_at(s, k)->dns;
		nsw[k] = d ? split_words(d, strcspn(d, "."), sw[k]) : 0;
	}
	/* distinctive: in no other side's first label (marked first, erased
	 * after, so that each comparison sees the words as written) */
	for (size_t k = 0; k < nsides; k++)
		for (size_t w = 0; w < nsw[k]; w++)
			for (size_t o = 0; o < nsides; o++)
				for (size_t x = 0; o != k && x < nsw[o]; x++)
					if (strcmp(sw[k][w], sw[o][x]) == 0)
						common[k][w] = 1;
	for (size_t k = 0; k < nsides; k++)
		for (size_t w = 0; w < nsw[k]; w++)
			if (common[k][w])
				sw[k][w][0] = '\0';
	for (const char *slash; (slash = strchr(comp, '/')); comp = slash + 1) {
		size_t nf = split_words(comp, (size_t)(slash - comp), fw);
		for (size_t k = 0; k < nsides; k++)
			for (size_t w = 0; w < nsw[k]; w++)
				for (size_t f = 0; sw[k][w][0] && f < nf; f++) {
					if (strcmp(sw[k][w], fw[f]) != 0)
						continue;
					if (found != SIZE_MAX && found != k)
						return;         /* two sides match: say nothing */
					if (found == SIZE_MAX) {
						snprintf(how, sizeof(how), "inferred: the path names %s, and folder '%.*s' "
						         "and %s share '%s'", s->name, (int)(slash - comp), comp,
						         side_at(s, k)->dns, sw[k][w]);
						hit_end = slash + 1;
					}
					found = k;
				}
	}
	if (found != SIZE_MAX)
		put(out, max, n, s, found, how, scope_dir, rel, (size_t)(hit_end - rel));
}

static void attribute_in(const sf_manifest *m, const char *rel, const char *scope_dir,
                         sf_manifest_attribution *out, size_t max, size_t *n)
{
	for (size_t i = 0; i < m->nservices; i++) {
		const sf_manifest_service *s = &m->services[i];
		size_t nsides = 1 + s->nstandby;
		int explicit_paths = 0;
		for (size_t k = 0; k < nsides; k++)
			explicit_paths |= side_at(s, k)->npaths > 0;
		if (!explicit_paths) {
			infer_side(s, rel, scope_dir, out, max, n);
			continue;
		}
		for (size_t k = 0; k < nsides; k++) {
			const sf_manifest_target *t = side_at(s, k);
			for (size_t j = 0; j < t->npaths; j++) {
				size_t l = strlen(t->paths[j]);
				char how[400];
				if (strncmp(rel, t->paths[j], l) != 0)
					continue;
				snprintf(how, sizeof(how), "paths: %s", t->paths[j]);
				put(out, max, n, s, k, how, scope_dir, rel, l);
				break;
			}
		}
	}
}

size_t sf_manifest_attribute(const char *root, const char *file_real,
                             sf_manifest_attribution *out, size_t max)
{
	char dir[PATH_MAX], mpath[PATH_MAX + 32], scope_dir[PATH_MAX + 1];
	size_t n = 0, rootlen = strlen(root);

	if (strlen(file_real) >= sizeof(dir))
		return 0;
	memcpy(dir, file_real, strlen(file_real) + 1);
	for (;;) {
		char *slash = strrchr(dir, '/'), *real;
		const mcache *c;
		if (!slash)
			return 0;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (!sf_path_within(root, dir))
			return 0;
		if (manifest_in(dir, mpath, sizeof(mpath)) == 0) {
			size_t dl = strlen(dir);
			if (!(real = realpath(mpath, NULL)) || !sf_path_within(root, real)) {
				free(real);
				return 0;
			}
			c = mcache_get(root, mpath, real);
			free(real);
			if (!c || !c->ok)
				return 0;
			/* the manifest's folder as seen from the root, with a '/' */
			if (dl > rootlen && strncmp(dir, root, rootlen) == 0)
				snprintf(scope_dir, sizeof(scope_dir), "%s/",
				         dir + rootlen + (root[rootlen - 1] != '/'));
			else
				scope_dir[0] = '\0';
			if (strncmp(file_real, dir, dl) == 0 && file_real[dl] == '/')
				attribute_in(&c->m, file_real + dl + 1, scope_dir, out, max, &n);
			return n;
		}
		if (strcmp(dir, root) == 0 || strcmp(dir, "/") == 0)
			return 0;
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

/* The edge a declared dependency gets: what the kind of its target means
 * for the side that needs it. */
static sf_edge_kind dep_edge(sf_kind k, int control)
{
	if (control)
		return SF_EDGE_ADMINISTERED_BY;
	switch (sf_kind_get(k)->category) {
	case SF_CAT_IDENTITY: return SF_EDGE_AUTHENTICATES_VIA;
	case SF_CAT_SECRETS: return k == SF_KIND_KMS_KEY ? SF_EDGE_ENCRYPTED_BY : SF_EDGE_READS_SECRET;
	case SF_CAT_CERTIFICATES: return SF_EDGE_TERMINATES_TLS_WITH;
	case SF_CAT_ADMINISTRATION: return SF_EDGE_ADMINISTERED_BY;
	case SF_CAT_LOCATION: return SF_EDGE_LOCATED_IN;
	default: return SF_EDGE_SERVED_BY;
	}
}

/* The node a declared dependency names. An identity provider by URL is the
 * node the Terraform importer makes for that issuer, reached by its host. */
static sf_node_id dep_node(sf_import_ctx *ctx, const sf_manifest_dep *dp)
{
	sf_prov prov = { ctx->path, dp->line };
	if (strncmp(dp->key, "idp:", 4) == 0)
		return sf_inv_idp(ctx, dp->key + 4, dp->line);
	if (strncmp(dp->key, "vault:", 6) == 0)
		return sf_inv_vault_cluster(ctx, dp->key + 6, dp->line);
	if (strncmp(dp->key, "arn:", 4) == 0)
		return sf_inv_arn_node(ctx, (sf_kind)dp->kind, dp->key, dp->line);
	/* a key taken as written may be a Terraform address a state keyed a
	 * node of its own by: that node moves aside (importers/tf_scope.c) */
	if (sf_scope_claim(ctx->graph, dp->key) < 0)
		return SF_NODE_NONE;
	return sf_graph_node(ctx->graph, (sf_kind)dp->kind, dp->key, dp->key, &prov);
}

static int add_depends(sf_import_ctx *ctx, const sf_manifest_service *s)
{
	for (size_t i = 0; i < s->ndepends; i++) {
		const sf_manifest_dep *dp = &s->depends[i];
		sf_node_id to;
		int any = 0;
		if (dp->kind < 0 || !dp->key)
			continue;
		if ((to = dep_node(ctx, dp)) == SF_NODE_NONE)
			return -1;
		if (dp->side != SF_SIDE_STANDBY && s->primary.dns) {
			any = 1;
			if (sf_inv_edge(ctx, dns_node(ctx->graph, s->primary.dns), dep_edge((sf_kind)dp->kind, dp->control),
			                to, dp->line) < 0)
				return -1;
		}
		for (size_t k = 0; k < s->nstandby && dp->side != SF_SIDE_PRIMARY; k++) {
			if (!s->standby[k].dns)
				continue;
			any = 1;
			if (sf_inv_edge(ctx, dns_node(ctx->graph, s->standby[k].dns),
			                dep_edge((sf_kind)dp->kind, dp->control), to, dp->line) < 0)
				return -1;
		}
		if (!any)
			sf_diag_warn(ctx->diags, ctx->path, dp->line,
			             "depends_on: service '%s' names no DNS name for that side; the "
			             "dependency is not applied", s->name);
	}
	return 0;
}

/* What a service declares about itself: on its node, for the rules. */
static int add_metadata(sf_import_ctx *ctx, const sf_manifest_service *s, sf_node_id svc)
{
	sf_graph *g = ctx->graph;
	if ((s->tier && sf_graph_set_attr(g, svc, "tier", s->tier) < 0) ||
	    (s->function && sf_graph_set_attr(g, svc, "function", s->function) < 0))
		return -1;
	if (s->owner && sf_inv_service_meta(ctx, svc, SF_KIND_OWNER, s->owner, s->line) < 0)
		return -1;
	if (s->runbook && sf_inv_service_meta(ctx, svc, SF_KIND_RUNBOOK, s->runbook, s->line) < 0)
		return -1;
	return 0;
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
		    add_metadata(ctx, s, svc) < 0 || add_depends(ctx, s) < 0) {
			rc = -1;
			break;
		}
		/* Sides without names: the pair comes from the other inputs. */
		if (!s->primary.dns)
			continue;
		if (add_member(ctx, s, group, 0, name, &s->primary) < 0) {
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

const sf_importer sf_importer_manifest = { "manifest", manifest_sniff, manifest_import, NULL, NULL };
