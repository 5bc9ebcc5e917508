/* DOT: the diagram description the analyzer hands to sharedfate-render.
 *
 * The analyzer never links Graphviz, so it writes DOT text itself. Every
 * string from the input goes through dot_str: control characters become
 * visible escapes (sf_sanitize), then quotes and backslashes are escaped,
 * so a name can neither close the string nor use Graphviz's \N, \G, \L
 * escapes. Only plain (never HTML-like) labels are used. */
#include "report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/buf.h"
#include "model/diag.h"
#include "view.h"

static void dot_raw(FILE *out, const char *s)
{
	char clean[1024];
	sf_sanitize(clean, sizeof(clean), s ? s : "", s ? strlen(s) : 0);
	for (const char *p = clean; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', out);
		fputc(*p, out);
	}
}

static void dot_str(FILE *out, const char *s)
{
	fputc('"', out);
	dot_raw(out, s);
	fputc('"', out);
}

/* Shapes by category, so that a reader tells a secret from a load
 * balancer without reading the label. */
static const struct {
	const char *shape, *fill;
} cat_style[SF_CAT__COUNT] = {
	[SF_CAT_DNS] = { "ellipse", "#e8f0fe" },
	[SF_CAT_TRAFFIC] = { "hexagon", "#e6f4ea" },
	[SF_CAT_COMPUTE] = { "box3d", "#fef7e0" },
	[SF_CAT_IDENTITY] = { "house", "#f3e8fd" },
	[SF_CAT_SECRETS] = { "cylinder", "#fce8e6" },
	[SF_CAT_CERTIFICATES] = { "note", "#e0f7fa" },
	[SF_CAT_ADMINISTRATION] = { "tab", "#ede7f6" },
	[SF_CAT_LOCATION] = { "folder", "#f1f3f4" },
	[SF_CAT_GOVERNANCE] = { "component", "#fff8e1" },
	[SF_CAT_OTHER] = { "box", "#ffffff" },
};

#define SHARED_COLOR "#c5221f"
#define SHARED_FILL "#f8d7da"

/* One colour per SF110 set of a pair, told apart from the red of single
 * shared nodes; the set's number is in each member's label too, so that
 * the colours are never the only cue. */
static const char *const set_colors[] = { "#8e24aa", "#e8710a", "#1e8e3e", "#1a73e8",
                                          "#b06000", "#d01884", "#007b83", "#5f6368" };
#define SET_COLOR(k) set_colors[(k) % (sizeof(set_colors) / sizeof(set_colors[0]))]

/* "SF110 set 1" or "SF110 sets 1, 3": which shared-redundancy sets a node
 * belongs to. */
static void set_label(FILE *out, const sf_view *v, unsigned sets)
{
	int n = 0;
	unsigned first = SF_VIEW_MAX_SETS;
	for (unsigned k = 0; k < SF_VIEW_MAX_SETS; k++)
		if ((sets >> k) & 1u) {
			n++;
			if (first == SF_VIEW_MAX_SETS)
				first = k;
		}
	dot_raw(out, v->set_rule[first]);
	fprintf(out, " set%s", n > 1 ? "s" : "");
	n = 0;
	for (unsigned k = 0; k < SF_VIEW_MAX_SETS; k++)
		if ((sets >> k) & 1u)
			fprintf(out, "%s%u", n++ ? ", " : " ", k + 1);
}

static void node_line(FILE *out, const sf_view *v, size_t i, const char *link_base,
                      const char *indent)
{
	const sf_view_node *vn = &v->nodes[i];
	const sf_node *n = sf_graph_node_at(v->scan->graph, vn->id);
	const sf_kind_info *k = sf_kind_get(n->kind);
	sf_prov where = sf_graph_node_prov(v->scan->graph, n);

	fprintf(out, "%sn%zu [label=\"", indent, i);
	dot_raw(out, sf_graph_node_label(v->scan->graph, n));
	fputs("\\n", out);
	dot_raw(out, k->name);
	if (vn->rules[0]) {
		fputs("\\n", out);
		dot_raw(out, vn->rules);
	}
	if (vn->sets) {
		fputs("\\n", out);
		set_label(out, v, vn->sets);
	}
	fprintf(out, "\", shape=%s, fillcolor=\"%s\"", cat_style[k->category].shape,
	        vn->shared ? SHARED_FILL : cat_style[k->category].fill);
	if (vn->sets) {
		/* the outline in the colour of its (first) set; a node of two
		 * sets gets a double outline */
		unsigned first = 0;
		while (!((vn->sets >> first) & 1u))
			first++;
		fprintf(out, ", color=\"%s\", penwidth=2.5, style=\"filled,dashed\", "
		             "fontcolor=\"" SHARED_COLOR "\"%s",
		        SET_COLOR(first), vn->sets & (vn->sets - 1) ? ", peripheries=2" : "");
	} else if (vn->shared) {
		fputs(", color=\"" SHARED_COLOR "\", penwidth=2.5, fontcolor=\"" SHARED_COLOR "\"",
		      out);
	}
	fputs(", tooltip=\"", out);
	dot_raw(out, k->name);
	fputs(" ", out);
	dot_raw(out, sf_graph_node_key(v->scan->graph, n));
	if (where.path) {
		fputs(" (", out);
		dot_raw(out, where.path);
		if (where.line > 0)
			fprintf(out, ":%ld", where.line);
		fputs(")", out);
	}
	fputc('"', out);
	/* the anchor is a hex fingerprint: nothing to escape */
	if (vn->anchor)
		fprintf(out, ", URL=\"%s#f-%s\", target=\"_top\"", link_base, vn->anchor);
	fputs("];\n", out);
}

/* The nodes of one side (or of no side), clustered by failure domain:
 * indexes sorted by domain, then by key (the view's order). */
static void cluster_nodes(FILE *out, const sf_view *v, const size_t *idx, size_t n,
                          const char *prefix, const char *link_base, const char *indent)
{
	char (*dom)[160] = n ? malloc(n * sizeof(*dom)) : NULL;
	size_t *order = n ? malloc(n * sizeof(*order)) : NULL;
	size_t cl = 0;
	if (n && (!dom || !order)) {
		/* out of memory: draw without clusters rather than nothing */
		for (size_t i = 0; i < n; i++)
			node_line(out, v, idx[i], link_base, indent);
		free(dom);
		free(order);
		return;
	}
	for (size_t i = 0; i < n; i++)
		sf_view_domain(v, v->nodes[idx[i]].id, dom[i], sizeof(dom[i]));
	/* a stable selection by domain: n is a diagram's size, small */
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = 1; i < n; i++) {
		size_t x = order[i], j = i;
		while (j > 0 && strcmp(dom[order[j - 1]], dom[x]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(dom[order[j]], dom[order[i]]) == 0)
			j++;
		if (dom[order[i]][0]) {
			fprintf(out, "%ssubgraph cluster_%s%zu {\n%s  label=", indent, prefix, cl++, indent);
			dot_str(out, dom[order[i]]);
			fprintf(out, "; style=\"rounded,dashed\"; color=\"#9aa0a6\";\n");
			for (size_t k = i; k < j; k++) {
				char in2[16];
				snprintf(in2, sizeof(in2), "%s  ", indent);
				node_line(out, v, idx[order[k]], link_base, in2);
			}
			fprintf(out, "%s}\n", indent);
		} else {
			for (size_t k = i; k < j; k++)
				node_line(out, v, idx[order[k]], link_base, indent);
		}
		i = j;
	}
	free(dom);
	free(order);
}

/* Each SF110 set as a ring of dashed lines in its colour between its
 * members, labelled once: a group drawn over the clusters (the members
 * sit in their account and region clusters, and a node of two sets sits
 * on two rings), which DOT clusters, being nested boxes, cannot show.
 * constraint=false: the rings do not move the layout. */
static void set_rings(FILE *out, const sf_view *v, const char *link_base)
{
	for (size_t k = 0; k < v->nsets; k++) {
		size_t first = SIZE_MAX, prev = SIZE_MAX, n = 0;
		for (size_t i = 0; i <= v->count; i++) {
			size_t to;
			if (i < v->count && !((v->nodes[i].sets >> k) & 1u))
				continue;
			if (i == v->count) {
				/* close the ring of three or more */
				if (n < 3)
					break;
				to = first;
			} else {
				to = i;
				if (prev == SIZE_MAX) {
					first = prev = i;
					n++;
					continue;
				}
			}
			fprintf(out, "  n%zu -> n%zu [dir=none, constraint=false, style=dashed, "
			             "penwidth=2, color=\"%s\"", prev, to, SET_COLOR(k));
			if (n == 1) {
				fputs(", label=\"", out);
				dot_raw(out, v->set_rule[k]);
				fprintf(out, " set %zu\", fontcolor=\"%s\"", k + 1, SET_COLOR(k));
			}
			fputs(", tooltip=\"", out);
			dot_raw(out, v->set_rule[k]);
			/* the anchor is a hex fingerprint: nothing to escape */
			fprintf(out, " set %zu: fail only together\", URL=\"%s#f-%s\", target=\"_top\"];\n",
			        k + 1, link_base, v->set_anchor[k]);
			prev = to;
			n++;
		}
	}
}

#define LEGEND_ROW 4

static void legend(FILE *out, size_t nsets)
{
	fputs("  subgraph cluster_legend {\n    label=\"legend\"; style=rounded; color=\"#dadce0\";\n", out);
	for (int c = 0; c < SF_CAT__COUNT; c++)
		fprintf(out, "    legend_%d [label=\"%s\", shape=%s, fillcolor=\"%s\"];\n", c,
		        sf_category_name((sf_category)c), cat_style[c].shape, cat_style[c].fill);
	fputs("    legend_shared [label=\"shared by both sides\\n(rule ids)\", shape=box, "
	      "fillcolor=\"" SHARED_FILL "\", color=\"" SHARED_COLOR "\", penwidth=2.5, "
	      "fontcolor=\"" SHARED_COLOR "\"];\n", out);
	if (nsets)
		fputs("    legend_sf110 [label=\"SF110 set N: shared redundancy,\\nfails only "
		      "together (dashed ring)\", shape=box, fillcolor=\"" SHARED_FILL "\", "
		      "color=\"#8e24aa\", penwidth=2.5, style=\"filled,dashed\", "
		      "fontcolor=\"" SHARED_COLOR "\"];\n", out);
	/* rows of LEGEND_ROW entries (columns, in a left-to-right overview),
	 * one rank each: a chain of every entry stood as tall as the diagram */
	for (int c = 0; c < SF_CAT__COUNT; c += LEGEND_ROW) {
		fputs("    { rank=same;", out);
		for (int k = c; k < c + LEGEND_ROW && k < SF_CAT__COUNT; k++)
			fprintf(out, " legend_%d;", k);
		fputs(" }\n", out);
		if (c)
			fprintf(out, "    legend_%d -> legend_%d [style=invis];\n", c - LEGEND_ROW, c);
	}
	fputs("    { rank=same; legend_shared;", out);
	if (nsets)
		fputs(" legend_sf110;", out);
	fputs(" }\n", out);
	fprintf(out, "    legend_shared -> legend_0 [style=invis];\n");
	fputs("  }\n", out);
}

/* A pair flows top to bottom, so that its primary and standby columns
 * stand side by side and meet in what both need; an overview flows left
 * to right. */
static void header(FILE *out, const sf_view *v, const char *what)
{
	fprintf(out, "digraph sharedfate {\n  graph [rankdir=%s, fontname=\"Helvetica\", fontsize=12, "
	             "labelloc=t, newrank=true, label=", v->pair ? "TB" : "LR");
	fputc('"', out);
	fputs(what, out);
	if (v->title) {
		fputs(": ", out);
		dot_raw(out, v->title);
	}
	fputs("\"];\n  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n"
	      "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#5f6368\"];\n", out);
}

static void edges(FILE *out, const sf_view *v)
{
	sf_graph *g = v->scan->graph;
	for (size_t i = 0; i < v->count; i++) {
		size_t cnt;
		const sf_edge *outs = sf_graph_out(g, v->nodes[i].id, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &outs[k];
			long to = sf_view_find(v, sf_graph_live(g, e->to));
			const sf_edge_kind_info *ek = sf_edge_kind_get(e->kind);
			if (to < 0 || (size_t)to == i)
				continue;
			fprintf(out, "  n%zu -> n%ld [tooltip=\"%s (%s plane)\"", i, to, ek->name,
			        ek->plane == SF_PLANE_DATA      ? "data"
			        : ek->plane == SF_PLANE_CONTROL ? "control"
			                                        : "no");
			if (v->nodes[to].shared)
				fputs(", color=\"" SHARED_COLOR "\", penwidth=2", out);
			if (ek->plane == SF_PLANE_CONTROL)
				fputs(", style=dashed", out);
			else if (ek->plane == SF_PLANE_NONE)
				fputs(", style=dotted", out);
			fputs("];\n", out);
		}
	}
}

int sf_report_dot_pair(FILE *out, const sf_view *v, const char *link_base)
{
	size_t *idx = malloc((v->count ? v->count : 1) * sizeof(*idx));
	static const struct {
		unsigned sides;
		const char *name, *label, *prefix;
	} parts[] = {
		{ SF_VIEW_PRIMARY, "primary", "primary", "p" },
		{ SF_VIEW_PRIMARY | SF_VIEW_STANDBY, "both", "needed by both sides", "b" },
		{ SF_VIEW_STANDBY, "standby", "standby", "s" },
		{ 0, "other", "", "o" },
	};
	if (!idx)
		return -1;
	header(out, v, "failover pair");
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
		size_t n = 0;
		for (size_t i = 0; i < v->count; i++)
			if (v->nodes[i].sides == parts[p].sides)
				idx[n++] = i;
		if (!n)
			continue;
		if (parts[p].label[0]) {
			fprintf(out, "  subgraph cluster_%s {\n    label=\"%s\"; style=rounded; "
			             "color=\"%s\";\n",
			        parts[p].name, parts[p].label,
			        parts[p].sides == 3 ? SHARED_COLOR : "#1a73e8");
			cluster_nodes(out, v, idx, n, parts[p].prefix, link_base, "    ");
			fputs("  }\n", out);
		} else {
			cluster_nodes(out, v, idx, n, parts[p].prefix, link_base, "  ");
		}
	}
	edges(out, v);
	set_rings(out, v, link_base);
	legend(out, v->nsets);
	fputs("}\n", out);
	free(idx);
	return ferror(out) ? -1 : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	const unsigned long long *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

/* A collapsed overview: one node per (category, failure domain) with its
 * node count, one edge per pair of groups with the edges it stands for. */
static int overview_collapsed(FILE *out, const sf_view *v, const char *link_base)
{
	sf_graph *g = v->scan->graph;
	size_t n = v->count;
	char (*dom)[160] = malloc((n ? n : 1) * sizeof(*dom));
	size_t *grp = malloc((n ? n : 1) * sizeof(*grp));
	size_t *order = malloc((n ? n : 1) * sizeof(*order));
	unsigned long long *links = NULL;
	size_t ngroups = 0, nlinks = 0, caplinks = 0;
	int rc = -1;

	if (!dom || !grp || !order)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		const sf_node *nd = sf_graph_node_at(g, v->nodes[i].id);
		char d[150];
		sf_view_domain(v, v->nodes[i].id, d, sizeof(d));
		snprintf(dom[i], sizeof(dom[i]), "%02d|%s", (int)sf_kind_get(nd->kind)->category, d);
		order[i] = i;
	}
	/* group names in order; ties keep the view's (key) order */
	for (size_t gap = n / 2; gap > 0; gap /= 2)
		for (size_t i = gap; i < n; i++)
			for (size_t j = i; j >= gap; j -= gap) {
				size_t t;
				int c = strcmp(dom[order[j - gap]], dom[order[j]]);
				if (c < 0 || (c == 0 && order[j - gap] < order[j]))
					break;
				t = order[j];
				order[j] = order[j - gap];
				order[j - gap] = t;
			}
	for (size_t i = 0; i < n;) {
		size_t j = i, shared = 0;
		const char *anchor = NULL;
		int cat;
		while (j < n && strcmp(dom[order[j]], dom[order[i]]) == 0) {
			const sf_view_node *vn = &v->nodes[order[j]];
			grp[order[j]] = ngroups;
			if (vn->shared) {
				shared++;
				if (!anchor)
					anchor = vn->anchor;
			}
			j++;
		}
		cat = (dom[order[i]][0] - '0') * 10 + (dom[order[i]][1] - '0');
		fprintf(out, "  g%zu [label=\"%s", ngroups, sf_category_name((sf_category)cat));
		if (dom[order[i]][3]) {
			fputs("\\n", out);
			dot_raw(out, dom[order[i]] + 3);
		}
		fprintf(out, "\\n%zu node%s", j - i, j - i == 1 ? "" : "s");
		if (shared)
			fprintf(out, ", %zu shared", shared);
		fprintf(out, "\", shape=%s, fillcolor=\"%s\"", cat_style[cat].shape,
		        shared ? SHARED_FILL : cat_style[cat].fill);
		if (shared)
			fputs(", color=\"" SHARED_COLOR "\", penwidth=2.5", out);
		fputs(", tooltip=\"", out);
		dot_raw(out, sf_graph_key(g, v->nodes[order[i]].id));
		if (j - i > 1)
			fprintf(out, " and %zu more", j - i - 1);
		fputc('"', out);
		if (anchor)
			fprintf(out, ", URL=\"%s#f-%s\", target=\"_top\"", link_base, anchor);
		fputs("];\n", out);
		ngroups++;
		i = j;
	}
	for (size_t i = 0; i < n; i++) {
		size_t cnt;
		const sf_edge *outs = sf_graph_out(g, v->nodes[i].id, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			long to = sf_view_find(v, sf_graph_live(g, outs[k].to));
			if (to < 0 || grp[to] == grp[i])
				continue;
			if (nlinks == caplinks) {
				size_t cap = caplinks ? caplinks * 2 : 256;
				unsigned long long *l = realloc(links, cap * sizeof(*l));
				if (!l)
					goto cleanup;
				links = l;
				caplinks = cap;
			}
			links[nlinks++] = ((unsigned long long)grp[i] << 32) | grp[to];
		}
	}
	sf_sort(links, nlinks, sizeof(*links), cmp_u64);
	for (size_t i = 0; i < nlinks;) {
		size_t j = i;
		while (j < nlinks && links[j] == links[i])
			j++;
		fprintf(out, "  g%llu -> g%llu [label=\"%zu\", tooltip=\"%zu dependencies\"];\n",
		        links[i] >> 32, links[i] & 0xffffffffULL, j - i, j - i);
		i = j;
	}
	rc = 0;
cleanup:
	free(dom);
	free(grp);
	free(order);
	free(links);
	return rc;
}

int sf_report_dot_overview(FILE *out, const sf_view *v, const char *link_base)
{
	int rc = 0;
	if (v->count > SF_VIEW_COLLAPSE) {
		header(out, v, "overview, collapsed by failure domain");
		rc = overview_collapsed(out, v, link_base);
	} else {
		size_t *idx = malloc((v->count ? v->count : 1) * sizeof(*idx));
		if (!idx)
			return -1;
		header(out, v, "overview");
		for (size_t i = 0; i < v->count; i++)
			idx[i] = i;
		cluster_nodes(out, v, idx, v->count, "d", link_base, "  ");
		edges(out, v);
		free(idx);
	}
	legend(out, 0);
	fputs("}\n", out);
	return rc < 0 || ferror(out) ? -1 : 0;
}
