/* GraphML, written with libxml2's xmlTextWriter (which escapes every
 * string), for Gephi, yEd and Neo4j (apoc.import.graphml). Nodes carry
 * their kind (also as Neo4j's `labels` attribute), category, gate, key, label,
 * location and attributes; edges their kind and plane. */
#include "report.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

#define X(s) ((const xmlChar *)(s))

/* Every attribute name a node may carry gets a <key>, in one fixed order. */
static const char *const node_keys[] = { "kind", "category", "gate", "key", "label", "path",
                                         "line", "account", "region", "type", "ttl" };
/* node_keys[ATTR_FIRST..] are read from the node's attributes */
#define ATTR_FIRST 7

static void key_decl(xmlTextWriterPtr w, const char *id, const char *target)
{
	xmlTextWriterStartElement(w, X("key"));
	xmlTextWriterWriteAttribute(w, X("id"), X(id));
	xmlTextWriterWriteAttribute(w, X("for"), X(target));
	xmlTextWriterWriteAttribute(w, X("attr.name"), X(id));
	xmlTextWriterWriteAttribute(w, X("attr.type"), X("string"));
	xmlTextWriterEndElement(w);
}

static void data(xmlTextWriterPtr w, const char *key, const char *value)
{
	if (!value)
		return;
	xmlTextWriterStartElement(w, X("data"));
	xmlTextWriterWriteAttribute(w, X("key"), X(key));
	xmlTextWriterWriteString(w, X(value));
	xmlTextWriterFullEndElement(w);
}

static int in_view(const sf_view *v, sf_node_id id)
{
	return !v || sf_view_find(v, id) >= 0;
}

int sf_report_graphml(FILE *out, sf_scan *s, const sf_view *v)
{
	sf_graph *g = s->graph;
	const sf_node_id *order = sf_graph_sorted(g);
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	size_t n = sf_graph_node_count(g), ne = 0;
	int rc = -1;

	if (!order || !w)
		goto cleanup;
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, X("  "));
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	xmlTextWriterStartElement(w, X("graphml"));
	xmlTextWriterWriteAttribute(w, X("xmlns"), X("http://graphml.graphdrawing.org/xmlns"));
	for (size_t i = 0; i < sizeof(node_keys) / sizeof(node_keys[0]); i++)
		key_decl(w, node_keys[i], "node");
	key_decl(w, "edge_kind", "edge");
	key_decl(w, "plane", "edge");
	xmlTextWriterStartElement(w, X("graph"));
	xmlTextWriterWriteAttribute(w, X("id"), X("sharedfate"));
	xmlTextWriterWriteAttribute(w, X("edgedefault"), X("directed"));
	for (size_t i = 0; i < n; i++) {
		const sf_node *node = sf_graph_node_at(g, order[i]);
		const sf_kind_info *k = sf_kind_get(node->kind);
		sf_prov where = sf_graph_node_prov(g, node);
		char line[32], labels[64];
		if (node->merged || !in_view(v, order[i]))
			continue;
		xmlTextWriterStartElement(w, X("node"));
		xmlTextWriterWriteAttribute(w, X("id"), X(sf_graph_node_key(g, node)));
		/* Neo4j's apoc.import.graphml {readLabels: true} reads these */
		snprintf(labels, sizeof(labels), ":%s", k->name);
		xmlTextWriterWriteAttribute(w, X("labels"), X(labels));
		data(w, "kind", k->name);
		data(w, "category", sf_category_name(k->category));
		data(w, "gate", node->gate == SF_GATE_ANY ? "any" : "all");
		data(w, "key", sf_graph_node_key(g, node));
		data(w, "label", sf_graph_node_label(g, node));
		if (where.path) {
			data(w, "path", where.path);
			snprintf(line, sizeof(line), "%ld", where.line);
			data(w, "line", line);
		}
		for (size_t a = ATTR_FIRST; a < sizeof(node_keys) / sizeof(node_keys[0]); a++)
			data(w, node_keys[a], sf_graph_attr(g, order[i], node_keys[a]));
		xmlTextWriterFullEndElement(w);
	}
	for (size_t i = 0; i < n; i++) {
		const sf_node *node = sf_graph_node_at(g, order[i]);
		size_t cnt;
		const sf_edge *outs;
		if (node->merged || !in_view(v, order[i]))
			continue;
		outs = sf_graph_out(g, order[i], &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &outs[k];
			sf_node_id to = sf_graph_live(g, e->to);
			const sf_edge_kind_info *ek = sf_edge_kind_get(e->kind);
			char id[32], type[32];
			size_t t;
			if (!in_view(v, to))
				continue;
			snprintf(id, sizeof(id), "e%zu", ne++);
			xmlTextWriterStartElement(w, X("edge"));
			xmlTextWriterWriteAttribute(w, X("id"), X(id));
			xmlTextWriterWriteAttribute(w, X("source"), X(sf_graph_node_key(g, node)));
			xmlTextWriterWriteAttribute(w, X("target"), X(sf_graph_key(g, to)));
			/* the relationship type Neo4j gives the edge: ROUTES_TO */
			for (t = 0; ek->name[t] && t + 1 < sizeof(type); t++)
				type[t] = (char)(ek->name[t] >= 'a' && ek->name[t] <= 'z' ? ek->name[t] - 32
				                                                          : ek->name[t]);
			type[t] = '\0';
			xmlTextWriterWriteAttribute(w, X("label"), X(type));
			data(w, "edge_kind", ek->name);
			data(w, "plane", ek->plane == SF_PLANE_DATA      ? "data"
			                 : ek->plane == SF_PLANE_CONTROL ? "control"
			                                                 : "none");
			xmlTextWriterFullEndElement(w);
		}
	}
	if (xmlTextWriterEndDocument(w) < 0)
		goto cleanup;
	xmlFreeTextWriter(w);
	w = NULL;
	rc = fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), out) ==
	             (size_t)xmlBufferLength(buf)
	         ? 0
	         : -1;
cleanup:
	if (w)
		xmlFreeTextWriter(w);
	if (buf)
		xmlBufferFree(buf);
	return rc;
}
