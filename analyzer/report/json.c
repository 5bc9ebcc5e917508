#include "report.h"

#include <jansson.h>
#include <string.h>

#include "analyzer/gate.h"
#include "importers/importer.h"
#include "model/jsonw.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *key_array(const char *const *keys, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(keys[i]));
	return a;
}

static const char *node_key(sf_graph *g, sf_node_id id)
{
	const sf_node *n = id == SF_NODE_NONE ? NULL : sf_graph_node_at(g, id);
	return n ? sf_graph_node_key(g, n) : NULL;
}

static json_t *pairs_json(sf_scan *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->failover.npairs; i++) {
		const sf_pair *p = &s->failover.pairs[i];
		json_t *o = json_object(), *sb = json_array();
		for (size_t k = 0; k < p->nstandby; k++)
			json_array_append_new(sb, json_string(node_key(s->graph, p->standby[k]->root)));
		json_object_set_new(o, "id", json_string(p->id));
		json_object_set_new(o, "service", json_string(p->service));
		json_object_set_new(o, "name", json_string(p->name));
		json_object_set_new(o, "source", json_string(p->source));
		json_object_set_new(o, "primary",
		                    str_or_null(p->primary ? node_key(s->graph, p->primary->root) : NULL));
		json_object_set_new(o, "standby", sb);
		json_array_append_new(a, o);
	}
	return a;
}

static const char *plane_name(sf_plane p)
{
	return p == SF_PLANE_CONTROL ? "control" : p == SF_PLANE_DATA ? "data" : NULL;
}

static json_t *waiver_json(const sf_manifest_waiver *w, const sf_gate_result *g)
{
	json_t *o = json_object();
	json_object_set_new(o, "reason", json_string(w->reason));
	json_object_set_new(o, "expires", json_string(w->expires));
	json_object_set_new(o, "approved_by", json_string(w->approved_by));
	json_object_set_new(o, "file", str_or_null(g->manifest_path));
	json_object_set_new(o, "line", json_integer(w->line));
	return o;
}

static json_t *findings_json(sf_scan *s, const sf_gate_result *g)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->findings.count; i++) {
		const sf_finding *f = &s->findings.items[i];
		json_t *o = json_object(), *loc = json_object();
		json_object_set_new(o, "rule", json_string(f->rule->id));
		json_object_set_new(o, "name", json_string(f->rule->name));
		json_object_set_new(o, "severity", json_string(sf_severity_name(f->severity)));
		json_object_set_new(o, "service", str_or_null(f->service));
		json_object_set_new(o, "pair", str_or_null(f->pair ? f->pair->id : NULL));
		json_object_set_new(o, "subject", str_or_null(f->subject));
		json_object_set_new(o, "message", json_string(f->message));
		json_object_set_new(o, "plane", str_or_null(plane_name(f->plane)));
		json_object_set_new(o, "shared", key_array(f->shared, f->nshared));
		json_object_set_new(o, "primary_path", key_array(f->primary_path, f->nprimary_path));
		json_object_set_new(o, "standby_path", key_array(f->standby_path, f->nstandby_path));
		json_object_set_new(loc, "path", str_or_null(f->location.path));
		json_object_set_new(loc, "line", json_integer(f->location.line));
		json_object_set_new(o, "location", loc);
		json_object_set_new(o, "fingerprint", json_string(f->fingerprint));
		/* only findings that share a cause with another carry one */
		if (f->root_cause[0])
			json_object_set_new(o, "root_cause", json_string(f->root_cause));
		if (g && i < g->nmarks && g->marks[i].waiver)
			json_object_set_new(o, "waived", waiver_json(g->marks[i].waiver, g));
		if (g && i < g->nmarks && g->marks[i].expired)
			json_object_set_new(o, "waiver_expired", waiver_json(g->marks[i].expired, g));
		json_array_append_new(a, o);
	}
	return a;
}

/* A secret-store inventory: the service sides it was attributed to, and
 * why (importers/inventory.h). */
static void inventory_side(sf_graph *g, const char *path, json_t *o)
{
	char key[4200];
	sf_node_id id;
	if ((size_t)snprintf(key, sizeof(key), "inventory:%s", path) >= sizeof(key) ||
	    (id = sf_graph_find(g, key)) == SF_NODE_NONE || !sf_graph_attr(g, id, "side"))
		return;
	json_object_set_new(o, "side", json_string(sf_graph_attr(g, id, "side")));
	json_object_set_new(o, "attributed_by", json_string(sf_graph_attr(g, id, "attributed_by")));
}

int sf_report_json(FILE *out, sf_scan *s)
{
	return sf_report_json_ex(out, s, NULL);
}

/* With a baseline: how many findings it hid and which entries are gone. */
static json_t *baseline_json(const sf_gate_result *g)
{
	json_t *o = json_object(), *stale = json_array();
	json_object_set_new(o, "file", json_string(g->baseline_path));
	json_object_set_new(o, "known", json_integer((json_int_t)g->baselined));
	for (size_t i = 0; i < g->nstale; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "fingerprint", json_string(g->stale[i]->fingerprint));
		json_object_set_new(e, "rule", str_or_null(g->stale[i]->rule));
		json_object_set_new(e, "service", str_or_null(g->stale[i]->service));
		json_object_set_new(e, "message", str_or_null(g->stale[i]->message));
		json_array_append_new(stale, e);
	}
	json_object_set_new(o, "stale", stale);
	return o;
}

int sf_report_json_ex(FILE *out, sf_scan *s, const sf_report_opts *ro)
{
	const sf_gate_result *g = ro ? ro->gate : NULL;
	json_t *root = json_object(), *tool = json_object(), *inputs = json_array();
	json_t *graph = json_object(), *summary = json_object();
	size_t counts[5];

	json_object_set_new(root, "schema", json_string("sharedfate/findings/v1"));
	json_object_set_new(tool, "name", json_string("sharedfate"));
	json_object_set_new(tool, "version", json_string(SF_VERSION));
	json_object_set_new(root, "tool", tool);
	for (size_t i = 0; i < s->inputs.count; i++) {
		const sf_input *in = &s->inputs.items[i];
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(in->path));
		json_object_set_new(o, "format", json_string(in->importer->format));
		json_object_set_new(o, "nodes", json_integer((json_int_t)in->nodes));
		inventory_side(s->graph, in->path, o);
		json_array_append_new(inputs, o);
	}
	json_object_set_new(root, "inputs", inputs);
	json_object_set_new(graph, "nodes", json_integer((json_int_t)sf_graph_live_count(s->graph)));
	json_object_set_new(graph, "edges", json_integer((json_int_t)sf_graph_edge_count(s->graph)));
	json_object_set_new(root, "graph", graph);
	json_object_set_new(root, "pairs", pairs_json(s));
	json_object_set_new(root, "findings", findings_json(s, g));
	if (g && g->baseline_path)
		json_object_set_new(root, "baseline", baseline_json(g));
	sf_findings_summary(&s->findings, counts);
	json_object_set_new(summary, "critical", json_integer((json_int_t)counts[SF_SEV_CRITICAL]));
	json_object_set_new(summary, "high", json_integer((json_int_t)counts[SF_SEV_HIGH]));
	json_object_set_new(summary, "medium", json_integer((json_int_t)counts[SF_SEV_MEDIUM]));
	json_object_set_new(summary, "low", json_integer((json_int_t)counts[SF_SEV_LOW]));
	json_object_set_new(summary, "info", json_integer((json_int_t)counts[SF_SEV_INFO]));
	json_object_set_new(root, "summary", summary);
	return sf_json_write(out, root);
}
