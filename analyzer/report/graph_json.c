#include "report.h"
#include "model/jsonw.h"

#include <jansson.h>
#include <string.h>

static const char *gate_name(sf_gate g)
{
	return g == SF_GATE_ANY ? "any" : "all";
}

static const char *plane_name(sf_plane p)
{
	return p == SF_PLANE_DATA ? "data" : p == SF_PLANE_CONTROL ? "control" : "none";
}

/* The whole graph, sorted: nodes by key, edges by (from, to, kind). */
int sf_report_graph_json(FILE *out, sf_scan *s)
{
	sf_graph *g = s->graph;
	const sf_node_id *order = sf_graph_sorted(g);
	json_t *root = json_object(), *nodes = json_array(), *edges = json_array();
	size_t n = sf_graph_node_count(g);

	if (!order) {
		json_decref(root);
		json_decref(nodes);
		json_decref(edges);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const sf_node *node = sf_graph_node_at(g, order[i]);
		sf_prov where = sf_graph_node_prov(g, node);
		json_t *o, *attrs;
		size_t cnt;
		const sf_edge *outs;
		if (node->merged)
			continue;
		o = json_object();
		attrs = json_object();
		json_object_set_new(o, "key", json_string(sf_graph_node_key(g, node)));
		json_object_set_new(o, "kind", json_string(sf_kind_get(node->kind)->name));
		json_object_set_new(o, "category",
		                    json_string(sf_category_name(sf_kind_get(node->kind)->category)));
		json_object_set_new(o, "gate", json_string(gate_name(node->gate)));
		json_object_set_new(o, "label", json_string(sf_graph_node_label(g, node)));
		for (size_t k = 0; k < sf_graph_attr_count(g, order[i]); k++) {
			const char *name, *value;
			if (sf_graph_attr_at(g, order[i], k, &name, &value) == 0)
				json_object_set_new(attrs, name, json_string(value));
		}
		json_object_set_new(o, "attributes", attrs);
		if (where.path) {
			json_t *p = json_object();
			json_object_set_new(p, "path", json_string(where.path));
			json_object_set_new(p, "line", json_integer(where.line));
			json_object_set_new(o, "location", p);
		}
		json_array_append_new(nodes, o);
		/* out-edges are sorted by target key and kind already */
		outs = sf_graph_out(g, order[i], &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &outs[k];
			json_t *eo = json_object();
			json_object_set_new(eo, "from", json_string(sf_graph_node_key(g, node)));
			json_object_set_new(eo, "to", json_string(sf_graph_key(g, e->to)));
			json_object_set_new(eo, "kind", json_string(sf_edge_kind_get(e->kind)->name));
			json_object_set_new(eo, "plane",
			                    json_string(plane_name(sf_edge_kind_get(e->kind)->plane)));
			json_array_append_new(edges, eo);
		}
	}
	json_object_set_new(root, "schema", json_string("sharedfate/graph/v1"));
	json_object_set_new(root, "nodes", nodes);
	json_object_set_new(root, "edges", edges);
	return sf_json_write(out, root);
}
