#include "gate.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model/buf.h"
#include "model/files.h"
#include "model/jsonw.h"

/* A baseline is findings metadata, not input data: a generous bound. */
#define GATE_BASELINE_MAX ((size_t)64 * 1024 * 1024)

void sf_gate_init(sf_gate_result *g)
{
	memset(g, 0, sizeof(*g));
	g->fail_on = SF_SEV_HIGH;
}

void sf_gate_free(sf_gate_result *g)
{
	free(g->marks);
	free(g->stale);
	free(g->wmatched);
	memset(g, 0, sizeof(*g));
}

void sf_gate_baseline_free(sf_gate_baseline *b)
{
	for (size_t i = 0; i < b->count; i++) {
		free(b->items[i].rule);
		free(b->items[i].service);
		free(b->items[i].message);
	}
	free(b->items);
	free(b->path);
	memset(b, 0, sizeof(*b));
}

static int is_fingerprint(const char *s)
{
	size_t k;
	if (!s)
		return 0;
	for (k = 0; s[k] && ((s[k] >= '0' && s[k] <= '9') || (s[k] >= 'a' && s[k] <= 'f')); k++)
		;
	return k == 16 && !s[k];
}

static char *dup_or_null(const json_t *v)
{
	return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const sf_gate_entry *)a)->fingerprint, ((const sf_gate_entry *)b)->fingerprint);
}

int sf_gate_baseline_load(sf_gate_baseline *b, const char *path, sf_diags *d)
{
	char err[256], *data;
	size_t len, n;
	json_t *root, *list;
	const char *schema;

	memset(b, 0, sizeof(*b));
	if (sf_read_file(path, GATE_BASELINE_MAX, &data, &len, err, sizeof(err)) < 0) {
		sf_diag_error(d, path, 0, "%s", err);
		return -1;
	}
	root = sf_json_load_input(d, path, data, len);
	free(data);
	if (!root)
		return -1;
	schema = json_string_value(json_object_get(root, "schema"));
	list = json_object_get(root, "findings");
	if (!schema || (strcmp(schema, "sharedfate/baseline/v1") != 0 &&
	                strcmp(schema, "sharedfate/findings/v1") != 0) ||
	    !json_is_array(list)) {
		sf_diag_error(d, path, 1, "not a baseline: expected schema sharedfate/baseline/v1 "
		                          "(sharedfate baseline -o FILE) or sharedfate/findings/v1, "
		                          "with a findings list");
		json_decref(root);
		return -1;
	}
	n = json_array_size(list);
	b->items = calloc(n ? n : 1, sizeof(*b->items));
	b->path = strdup(path);
	if (!b->items || !b->path) {
		json_decref(root);
		sf_gate_baseline_free(b);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(list, i);
		const char *fp = json_string_value(json_object_get(e, "fingerprint"));
		sf_gate_entry *x;
		if (!is_fingerprint(fp)) {
			sf_diag_error(d, path, 0, "findings[%zu]: no fingerprint of 16 hex digits", i);
			json_decref(root);
			sf_gate_baseline_free(b);
			return -1;
		}
		x = &b->items[b->count++];
		memcpy(x->fingerprint, fp, 17);
		x->rule = dup_or_null(json_object_get(e, "rule"));
		x->service = dup_or_null(json_object_get(e, "service"));
		x->message = dup_or_null(json_object_get(e, "message"));
	}
	json_decref(root);
	sf_sort(b->items, b->count, sizeof(*b->items), cmp_entry);
	return 0;
}

static int in_list(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* Entries are sorted by fingerprint: a baseline may be large. */
static const sf_gate_entry *baseline_find(const sf_gate_baseline *b, const char *fp, size_t *at)
{
	size_t lo = 0, hi = b ? b->count : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->items[mid].fingerprint, fp);
		if (c == 0) {
			*at = mid;
			return &b->items[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Equal but for one trailing dot on either side: DNS names as written. */
static int same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static int by_service_name(const void *a, const void *b)
{
	return strcmp((*(const sf_manifest_service *const *)a)->name,
	              (*(const sf_manifest_service *const *)b)->name);
}

/* A waiver's service is the finding's service as reports print it, or
 * the name sharedfate.yaml declares for that service: a team writes the
 * name it declared (`api`) as often as the pair's (`api.example.com`).
 * Per waiver, the declared service's DNS name (or NULL), looked up once
 * in the services sorted by name: a manifest of 10,000 of each must not
 * compare every waiver with every service for every finding. NULL out of
 * memory. */
static const char **waiver_aliases(const sf_manifest *m)
{
	size_t nw = m ? m->nwaivers : 0, ns = 0;
	const char **alias = calloc(nw ? nw : 1, sizeof(*alias));
	const sf_manifest_service **by = calloc(m && m->nservices ? m->nservices : 1, sizeof(*by));

	if (!alias || !by) {
		free(alias);
		free(by);
		return NULL;
	}
	for (size_t i = 0; m && i < m->nservices; i++)
		if (m->services[i].name && m->services[i].dns)
			by[ns++] = &m->services[i];
	qsort(by, ns, sizeof(*by), by_service_name);
	for (size_t k = 0; k < nw; k++) {
		sf_manifest_service key = { 0 };
		const sf_manifest_service *kp = &key, *const *hit;
		if (!m->waivers[k].service)
			continue;
		key.name = m->waivers[k].service;
		hit = bsearch(&kp, by, ns, sizeof(*by), by_service_name);
		if (hit)
			alias[k] = (*hit)->dns;
	}
	free(by);
	return alias;
}

static int waiver_matches(const sf_manifest_waiver *w, const char *alias, const sf_finding *f)
{
	if (!w->rule || strcmp(w->rule, f->rule->id) != 0)
		return 0;
	if (w->service && (!f->service || (!same_name(w->service, f->service) &&
	                                   !(alias && same_name(alias, f->service)))))
		return 0;
	return !w->fingerprint || strcmp(w->fingerprint, f->fingerprint) == 0;
}

/* Settings and the baseline: keep some findings, drop others (kept in a
 * list of their own until freed, so that this module need not know what
 * a finding owns). */
static int filter(sf_scan *s, const sf_manifest_settings *st, const sf_gate_baseline *b,
                  sf_gate_result *g, unsigned char *used)
{
	sf_findings keep, drop;
	int resort = 0;

	sf_findings_init(&keep);
	sf_findings_init(&drop);
	for (size_t i = 0; i < s->findings.count; i++) {
		sf_finding *f = &s->findings.items[i];
		size_t at;
		int rc;
		if (st) {
			for (size_t k = 0; k < st->nseverity; k++)
				if (strcmp(st->severity[k].rule, f->rule->id) == 0 &&
				    f->severity != (sf_severity)st->severity[k].severity) {
					f->severity = (sf_severity)st->severity[k].severity;
					resort = 1;
				}
		}
		if (st && in_list(st->disabled, st->ndisabled, f->rule->id)) {
			rc = sf_findings_add(&drop, f);
		} else if (baseline_find(b, f->fingerprint, &at)) {
			used[at] = 1;
			g->baselined++;
			rc = sf_findings_add(&drop, f);
		} else {
			rc = sf_findings_add(&keep, f);
		}
		if (rc < 0) {
			/* the item was freed by add; the rest are still ours */
			for (size_t k = i + 1; k < s->findings.count; k++)
				sf_findings_add(&drop, &s->findings.items[k]);
			free(s->findings.items);
			s->findings = keep;
			sf_findings_free(&drop);
			return -1;
		}
	}
	free(s->findings.items);
	s->findings = keep;
	sf_findings_free(&drop);
	if (resort)
		sf_findings_finish(&s->findings, s->graph);     /* same fingerprints, new order */
	return 0;
}

int sf_gate_apply(sf_gate_result *g, sf_scan *s, const sf_manifest *m,
                  const sf_gate_baseline *b, const char *today, sf_diags *d)
{
	unsigned char *used = calloc(b && b->count ? b->count : 1, 1);
	const char **alias = NULL;
	size_t nw = m ? m->nwaivers : 0;

	if (!used)
		return -1;
	if (b)
		g->baseline_path = b->path;
	if (filter(s, m ? &m->settings : NULL, b, g, used) < 0) {
		free(used);
		return -1;
	}
	if (b && b->count) {
		if (!(g->stale = calloc(b->count, sizeof(*g->stale)))) {
			free(used);
			return -1;
		}
		for (size_t i = 0; i < b->count; i++)
			if (!used[i])
				g->stale[g->nstale++] = &b->items[i];
	}
	free(used);

	g->nmarks = s->findings.count;
	g->marks = calloc(g->nmarks ? g->nmarks : 1, sizeof(*g->marks));
	g->wmatched = calloc(nw ? nw : 1, sizeof(*g->wmatched));
	g->waivers = m ? m->waivers : NULL;
	g->nwaivers = nw;
	if (!g->marks || !g->wmatched || !(alias = waiver_aliases(m)))
		return -1;
	for (size_t i = 0; i < s->findings.count; i++) {
		const sf_finding *f = &s->findings.items[i];
		for (size_t k = 0; k < nw; k++) {
			const sf_manifest_waiver *w = &m->waivers[k];
			if (!waiver_matches(w, alias[k], f))
				continue;
			/* every waiver that matches is in use, though the first live
			 * one is the one that waives */
			g->wmatched[k]++;
			/* a waiver holds through the day it names */
			if (strcmp(w->expires, today) >= 0) {
				if (!g->marks[i].waiver)
					g->marks[i].waiver = w;
			}
			else if (!g->marks[i].expired)
				g->marks[i].expired = w;
		}
		if (g->marks[i].waiver)
			g->marks[i].expired = NULL;
	}
	for (size_t k = 0; m && k < m->settings.ndisabled; k++)
		if (!sf_rules_find(&s->rules, m->settings.disabled[k]))
			sf_diag_warn(d, g->manifest_path, m->settings.line, "settings: disable: no rule '%s'",
			             m->settings.disabled[k]);
	for (size_t k = 0; m && k < m->settings.nseverity; k++)
		if (!sf_rules_find(&s->rules, m->settings.severity[k].rule))
			sf_diag_warn(d, g->manifest_path, m->settings.line, "settings: severity: no rule '%s'",
			             m->settings.severity[k].rule);
	for (size_t k = 0; k < nw; k++) {
		const sf_manifest_waiver *w = &m->waivers[k];
		if (w->rule && !sf_rules_find(&s->rules, w->rule))
			sf_diag_warn(d, g->manifest_path, w->line, "waiver: no rule '%s'", w->rule);
		else if (strcmp(w->expires, today) < 0)
			sf_diag_warn(d, g->manifest_path, w->line,
			             "waiver for %s%s%s expired on %s: it no longer waives%s", w->rule,
			             w->service ? " in " : "", w->service ? w->service : "", w->expires,
			             g->wmatched[k] ? " (its findings count again)" : "");
		else if (!g->wmatched[k])
			sf_diag_warn(d, g->manifest_path, w->line, "waiver for %s%s%s waives no finding",
			             w->rule, w->service ? " in " : "", w->service ? w->service : "");
	}
	free(alias);
	return 0;
}

int sf_gate_exit(const sf_gate_result *g, const sf_scan *s)
{
	if (g->fail_on == SF_SEV_NONE)
		return SF_EXIT_OK;
	for (size_t i = 0; i < s->findings.count; i++) {
		if (i < g->nmarks && g->marks[i].waiver)
			continue;
		if ((int)s->findings.items[i].severity >= g->fail_on)
			return SF_EXIT_FINDINGS;
	}
	return SF_EXIT_OK;
}

void sf_gate_today(char out[11])
{
	const char *env = getenv("SHAREDFATE_TODAY");
	time_t now;
	struct tm tm;
	if (env && strlen(env) == 10) {
		memcpy(out, env, 11);
		return;
	}
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int cmp_fp(const void *a, const void *b)
{
	const sf_finding *const *x = a, *const *y = b;
	return strcmp((*x)->fingerprint, (*y)->fingerprint);
}

int sf_gate_baseline_write(FILE *out, const sf_scan *s)
{
	json_t *root = json_object(), *list = json_array(), *tool = json_object();
	const sf_finding **order = calloc(s->findings.count ? s->findings.count : 1,
	                                  sizeof(*order));

	if (!root || !list || !tool || !order) {
		json_decref(root);
		json_decref(list);
		json_decref(tool);
		free(order);
		return -1;
	}
	for (size_t i = 0; i < s->findings.count; i++)
		order[i] = &s->findings.items[i];
	sf_sort(order, s->findings.count, sizeof(*order), cmp_fp);
	for (size_t i = 0; i < s->findings.count; i++) {
		const sf_finding *f = order[i];
		json_t *o = json_object();
		/* the same fingerprint twice is one entry */
		if (i && strcmp(order[i - 1]->fingerprint, f->fingerprint) == 0) {
			json_decref(o);
			continue;
		}
		json_object_set_new(o, "fingerprint", json_string(f->fingerprint));
		json_object_set_new(o, "rule", json_string(f->rule->id));
		json_object_set_new(o, "service", f->service ? json_string(f->service) : json_null());
		json_object_set_new(o, "message", json_string(f->message));
		json_array_append_new(list, o);
	}
	free(order);
	json_object_set_new(root, "schema", json_string("sharedfate/baseline/v1"));
	json_object_set_new(tool, "name", json_string("sharedfate"));
	json_object_set_new(tool, "version", json_string(SF_VERSION));
	json_object_set_new(root, "tool", tool);
	json_object_set_new(root, "findings", list);
	return sf_json_write(out, root);
}
