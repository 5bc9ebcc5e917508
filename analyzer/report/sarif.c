#include "report.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/gate.h"
#include "tflocate.h"
#include "model/jsonw.h"

/* Where the built-in rules are published. A rule from --rules has no page. */
/* Where the built-in rules' pages are published, when a build says so
 * (cmake -DSF_RULE_DOCS_URL=https://.../): helpUri is that and the rule id.
 * Without it no helpUri is written (a guessed address is a dead link);
 * help.markdown carries the whole rule either way. */
#ifndef SF_RULE_DOCS_URL
#define SF_RULE_DOCS_URL ""
#endif
/* The base every artifactLocation.uri is relative to: the directory the
 * scan ran in, which in CI is the repository's checkout. */
#define SF_SARIF_ROOT "%SRCROOT%"

static int is_tf_address(const char *k)
{
	/* node keys of other kinds carry a prefix ("dns:", "region:", ...) */
	return k && !strchr(k, ':') && strchr(k, '.');
}

/* The node's own line: its .tf block, else where an importer saw it. */
static int node_location(const char *key, const sf_report_opts *o, sf_scan *s, const char *near,
                         const char **path, long *line)
{
	const sf_tflocate_block *b;
	sf_node_id id;
	if (is_tf_address(key) && o && o->tf && (b = sf_tflocate_find(o->tf, key, near))) {
		*path = b->path;
		*line = b->line;
		return 0;
	}
	if (s && (id = sf_graph_find(s->graph, key)) != SF_NODE_NONE) {
		const sf_node *n = sf_graph_node_at(s->graph, id);
		sf_prov p = sf_graph_node_prov(s->graph, n);
		if (p.path) {
			*path = p.path;
			*line = p.line;
			return 0;
		}
	}
	return -1;
}

void sf_report_location(const sf_finding *f, const sf_report_opts *o, const char **path,
                        long *line)
{
	const sf_tflocate_block *b;
	*path = f->location.path;
	*line = f->location.line;
	if (!o || !o->tf)
		return;
	for (size_t i = 0; i < f->nshared; i++)
		if (is_tf_address(f->shared[i]) &&
		    (b = sf_tflocate_find(o->tf, f->shared[i], f->location.path))) {
			*path = b->path;
			*line = b->line;
			return;
		}
	if (is_tf_address(f->subject) && (b = sf_tflocate_find(o->tf, f->subject, f->location.path))) {
		*path = b->path;
		*line = b->line;
	}
}

/* A path as shown -> a URI reference relative to SF_SARIF_ROOT, or NULL
 * when the path is not inside the working directory (<stdin>, or a tree
 * named by an absolute path elsewhere): code scanning refuses those. */
static char *rel_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char cwd[PATH_MAX];
	const char *p = path;
	char *out, *o;

	if (!p || p[0] == '<')
		return NULL;
	if (p[0] == '/') {
		size_t n;
		if (!getcwd(cwd, sizeof(cwd)))
			return NULL;
		n = strlen(cwd);
		if (strncmp(p, cwd, n) != 0 || p[n] != '/')
			return NULL;
		p += n + 1;
	}
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (strncmp(p, "../", 3) == 0 || !*p)
		return NULL;
	if (!(out = malloc(strlen(p) * 3 + 1)))
		return NULL;
	for (o = out; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

static json_t *text(const char *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "text", json_string(s ? s : ""));
	return o;
}

static json_t *physical(const char *path, long line)
{
	char *uri = rel_uri(path);
	json_t *pl, *al, *r;
	if (!uri)
		return NULL;
	pl = json_object();
	al = json_object();
	json_object_set_new(al, "uri", json_string(uri));
	json_object_set_new(al, "uriBaseId", json_string(SF_SARIF_ROOT));
	json_object_set_new(pl, "artifactLocation", al);
	if (line > 0) {
		r = json_object();
		json_object_set_new(r, "startLine", json_integer(line));
		json_object_set_new(pl, "region", r);
	}
	free(uri);
	return pl;
}

static const char *level(sf_severity s)
{
	return s >= SF_SEV_HIGH ? "error" : s == SF_SEV_MEDIUM ? "warning" : "note";
}

/* GitHub ranks security alerts by this CVSS-like score. */
static const char *security_severity(sf_severity s)
{
	switch (s) {
	case SF_SEV_CRITICAL: return "9.5";
	case SF_SEV_HIGH: return "8.0";
	case SF_SEV_MEDIUM: return "5.5";
	case SF_SEV_LOW: return "3.0";
	default: return "0.5";
	}
}

static char *trimmed(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	return strndup(s ? s : "", n);
}

static json_t *rule_json(const sf_rule *r)
{
	json_t *o = json_object(), *props = json_object(), *tags = json_array(),
	       *help = json_object(), *cfg = json_object();
	char *title = trimmed(r->title), *desc = trimmed(r->description),
	     *fix = trimmed(r->remediation), *md;
	size_t mdlen;
	const char *cat = r->id[2] == '1' ? "shared-failure-domain" : r->id[2] == '2' ? "failover"
	                                                                               : "recovery";

	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "shortDescription", text(title));
	json_object_set_new(o, "fullDescription", text(desc));
	mdlen = strlen(title) + strlen(desc) + strlen(fix) + 64;
	for (size_t i = 0; i < r->nrefs; i++)
		mdlen += strlen(r->refs[i]) + 8;
	md = malloc(mdlen);
	if (md) {
		size_t k = (size_t)snprintf(md, mdlen, "**%s**\n\n%s\n\n**How to fix:** %s", title,
		                            desc, fix);
		/* the references a reviewer maps the rule to (NIST CSF, OWASP NHI) */
		for (size_t i = 0; i < r->nrefs && k < mdlen; i++)
			k += (size_t)snprintf(md + k, mdlen - k, "%s- %s", i ? "\n" : "\n\n**References:**\n",
			                      r->refs[i]);
		json_object_set_new(help, "markdown", json_string(md));
		snprintf(md, mdlen, "%s\n\n%s\n\nHow to fix: %s", title, desc, fix);
		json_object_set_new(help, "text", json_string(md));
		free(md);
	}
	json_object_set_new(o, "help", help);
	if (SF_RULE_DOCS_URL[0] && r->file && strncmp(r->file, "rules/builtin/", 14) == 0) {
		char uri[512];
		snprintf(uri, sizeof(uri), "%s%s", SF_RULE_DOCS_URL, r->id);
		json_object_set_new(o, "helpUri", json_string(uri));
	}
	json_object_set_new(cfg, "level", json_string(level(r->severity)));
	json_object_set_new(o, "defaultConfiguration", cfg);
	json_array_append_new(tags, json_string("security"));
	json_array_append_new(tags, json_string("reliability"));
	json_array_append_new(tags, json_string(cat));
	json_object_set_new(props, "tags", tags);
	json_object_set_new(props, "security-severity", json_string(security_severity(r->severity)));
	json_object_set_new(props, "precision", json_string("high"));
	json_object_set_new(props, "problem.severity",
	                    json_string(r->severity >= SF_SEV_HIGH ? "error"
	                                : r->severity == SF_SEV_MEDIUM ? "warning"
	                                                               : "recommendation"));
	json_object_set_new(o, "properties", props);
	free(title);
	free(desc);
	free(fix);
	return o;
}

static void related(json_t *list, int *id, const char *what, const char *key,
                    const sf_report_opts *o, sf_scan *s, const sf_finding *f)
{
	const char *path;
	long line;
	json_t *pl, *loc;
	char msg[1024];
	if (node_location(key, o, s, f->location.path, &path, &line) < 0 ||
	    !(pl = physical(path, line)))
		return;
	loc = json_object();
	snprintf(msg, sizeof(msg), "%s: %s", what, key);
	json_object_set_new(loc, "id", json_integer((*id)++));
	json_object_set_new(loc, "physicalLocation", pl);
	json_object_set_new(loc, "message", text(msg));
	json_array_append_new(list, loc);
}

static json_t *result_json(sf_scan *s, size_t i, size_t rule_index, const sf_report_opts *o)
{
	const sf_finding *f = &s->findings.items[i];
	const sf_gate_result *g = o ? o->gate : NULL;
	json_t *r = json_object(), *locs = json_array(), *fps = json_object(), *rel = json_array(),
	       *props = json_object(), *pl;
	const char *path;
	long line;
	int id = 1;

	json_object_set_new(r, "ruleId", json_string(f->rule->id));
	json_object_set_new(r, "ruleIndex", json_integer((json_int_t)rule_index));
	json_object_set_new(r, "level", json_string(level(f->severity)));
	json_object_set_new(r, "message", text(f->message));
	sf_report_location(f, o, &path, &line);
	if ((pl = physical(path, line))) {
		json_t *loc = json_object();
		json_object_set_new(loc, "physicalLocation", pl);
		json_array_append_new(locs, loc);
	}
	json_object_set_new(r, "locations", locs);
	/* rule, pair and shared node keys: never a line, never a value */
	json_object_set_new(fps, "sharedfate/v1", json_string(f->fingerprint));
	json_object_set_new(r, "partialFingerprints", fps);
	for (size_t k = 0; k < f->nshared; k++)
		related(rel, &id, "shared", f->shared[k], o, s, f);
	if (f->nprimary_path)
		related(rel, &id, "primary", f->primary_path[f->nprimary_path > 1], o, s, f);
	if (f->nstandby_path)
		related(rel, &id, "standby", f->standby_path[f->nstandby_path > 1], o, s, f);
	if (json_array_size(rel))
		json_object_set_new(r, "relatedLocations", rel);
	else
		json_decref(rel);
	if (g && i < g->nmarks && g->marks[i].waiver) {
		json_t *sup = json_array(), *x = json_object();
		json_object_set_new(x, "kind", json_string("external"));
		json_object_set_new(x, "status", json_string("accepted"));
		json_object_set_new(x, "justification", json_string(g->marks[i].waiver->reason));
		json_array_append_new(sup, x);
		json_object_set_new(r, "suppressions", sup);
	}
	json_object_set_new(props, "severity", json_string(sf_severity_name(f->severity)));
	if (f->service)
		json_object_set_new(props, "service", json_string(f->service));
	if (f->pair)
		json_object_set_new(props, "pair", json_string(f->pair->id));
	json_object_set_new(r, "properties", props);
	return r;
}

int sf_report_sarif(FILE *out, sf_scan *s, const sf_report_opts *o)
{
	json_t *root = json_object(), *runs = json_array(), *run = json_object(),
	       *tool = json_object(), *driver = json_object(), *rules = json_array(),
	       *results = json_array(), *bases = json_object(), *base = json_object(),
	       *inv = json_array(), *inv0 = json_object();

	json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(driver, "name", json_string("sharedfate"));
	json_object_set_new(driver, "semanticVersion", json_string(SF_VERSION));
	json_object_set_new(driver, "version", json_string(SF_VERSION));
	json_object_set_new(driver, "informationUri",
	                    json_string("https://github.com/sharedfate/sharedfate"));
	for (size_t i = 0; i < s->rules.count; i++)
		json_array_append_new(rules, rule_json(&s->rules.items[i]));
	json_object_set_new(driver, "rules", rules);
	json_object_set_new(tool, "driver", driver);
	json_object_set_new(run, "tool", tool);
	json_object_set_new(base, "description",
	                    text("the directory sharedfate ran in: the repository's root in CI"));
	json_object_set_new(bases, SF_SARIF_ROOT, base);
	json_object_set_new(run, "originalUriBaseIds", bases);
	for (size_t i = 0; i < s->findings.count; i++) {
		size_t idx = 0;
		while (idx < s->rules.count && &s->rules.items[idx] != s->findings.items[i].rule)
			idx++;
		json_array_append_new(results, result_json(s, i, idx, o));
	}
	json_object_set_new(run, "results", results);
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_object_set_new(inv0, "executionSuccessful", json_true());
	json_array_append_new(inv, inv0);
	json_object_set_new(run, "invocations", inv);
	json_array_append_new(runs, run);
	json_object_set_new(root, "runs", runs);
	return sf_json_write(out, root);
}
