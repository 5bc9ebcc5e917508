/* cycle: a recovery dependency cycle that a pair's sides reach (SF402).
 *
 * On the control plane (every edge along which failure or recovery
 * flows), a strongly connected component is a set of things each of which
 * needs the others to come back: Vault's operators log in through an IdP
 * whose client secret is in Vault. Once such a loop is down, no order of
 * recovery brings it up. Only loops through an identity or secrets node
 * are reported: a loop of DNS names alone is a CNAME loop, SF203's.
 *
 * The components are computed once per analysis (igraph), each with its
 * first identity or secrets node by key and the loop from it back to it, read off a
 * breadth-first walk inside the component; a pair reports each loop its
 * sides reach, once, with the path that leads there. */
#include "checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/buf.h"
#include "model/graph_igraph.h"

/* Longest loop written out in full. */
#define CYCLE_MAX_SHOWN 32

struct sf_check_cycles {
	long *membership;           /* per node: its loop, or -1 */
	long count;
	sf_node_id *start;          /* per loop: its first node by key */
	unsigned char *relevant;    /* per loop: 2 identity node, 1 secrets node, 0 neither */
};

void sf_check_ctx_release(sf_check_ctx *ctx)
{
	struct sf_check_cycles *c = ctx->cycles;
	sf_check_roles_release(ctx);
	if (!c)
		return;
	free(c->membership);
	free(c->start);
	free(c->relevant);
	free(c);
	ctx->cycles = NULL;
}

/* The graph's loops, once per analysis: the graph does not change while
 * its pairs are checked. */
static struct sf_check_cycles *cycles_of(sf_check_ctx *ctx)
{
	static int igraph_ready;
	struct sf_check_cycles *cc;
	sf_graph *g = ctx->g;
	const sf_node_id *sorted;
	size_t n = sf_graph_node_count(g);

	if (ctx->cycles)
		return ctx->cycles;
	if (!igraph_ready) {
		sf_igraph_init();
		igraph_ready = 1;
	}
	if (!(cc = calloc(1, sizeof(*cc))))
		return NULL;
	ctx->cycles = cc;       /* freed with ctx, also on failure below */
	cc->count = sf_igraph_cycles(g, SF_PLANE_CONTROL, &cc->membership);
	if (cc->count < 0) {
		cc->count = 0;
		return NULL;
	}
	cc->start = malloc(((size_t)cc->count + 1) * sizeof(*cc->start));
	cc->relevant = calloc((size_t)cc->count + 1, 1);
	if (!cc->start || !cc->relevant)
		return NULL;
	for (long c = 0; c < cc->count; c++)
		cc->start[c] = SF_NODE_NONE;
	sorted = sf_graph_sorted(g);
	for (size_t i = 0; i < n; i++) {
		sf_node_id v = sorted[i];
		long c = cc->membership[v];
		const sf_node *node = sf_graph_node_at(g, v);
		sf_category cat;
		if (c < 0 || node->merged)
			continue;
		/* read from the first identity node (else secrets node): the
		 * loop is about who can log in to what */
		cat = sf_kind_get(node->kind)->category;
		if (cat == SF_CAT_IDENTITY && cc->relevant[c] < 2) {
			cc->relevant[c] = 2;
			cc->start[c] = v;
		} else if (cat == SF_CAT_SECRETS && !cc->relevant[c]) {
			cc->relevant[c] = 1;
			cc->start[c] = v;
		}
	}
	return cc;
}

/* The loop of component `c` from its start back to it, "a -> b -> a",
 * malloc'd; NULL out of memory. */
static char *loop_text(const struct sf_check_cycles *cc, sf_graph *g, long c)
{
	sf_nodeset w = SF_NODESET_INIT;
	sf_node_id start = cc->start[c], last = SF_NODE_NONE;
	sf_node_id *path = NULL;
	size_t head = 0, np = 0;
	sf_buf b = SF_BUF_INIT;

	if (sf_nodeset_add(&w, start, SF_NODE_NONE) < 0)
		goto cleanup;
	while (head < w.count && last == SF_NODE_NONE) {
		sf_node_id u = w.order[head++];
		size_t cnt;
		const sf_edge *out = sf_graph_out(g, u, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &out[k];
			if (!sf_edge_propagates(e->kind, SF_PLANE_CONTROL) || cc->membership[e->to] != c)
				continue;
			if (e->to == start) {
				last = u;
				break;
			}
			if (sf_nodeset_add(&w, e->to, u) < 0)
				goto cleanup;
		}
	}
	if (last == SF_NODE_NONE || !(path = sf_nodeset_path(&w, last, &np)))
		goto cleanup;
	for (size_t i = 0; i < np && i < CYCLE_MAX_SHOWN; i++) {
		sf_buf_puts(&b, sf_graph_key(g, path[i]));
		sf_buf_puts(&b, " -> ");
	}
	if (np > CYCLE_MAX_SHOWN)
		sf_buf_puts(&b, "... -> ");
	sf_buf_puts(&b, sf_graph_key(g, start));
cleanup:
	free(path);
	sf_nodeset_free(&w);
	if (b.failed || !b.ptr) {
		sf_buf_free(&b);
		return NULL;
	}
	return b.ptr;
}

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_nodeset w = SF_NODESET_INIT, seen = SF_NODESET_INIT;
	sf_node_id roots[65];
	size_t nroots = 0, head = 0;
	int rc = -1;
	const struct sf_check_cycles *cc = ctx->cycles ? ctx->cycles : cycles_of(ctx);
	(void)r;

	if (!cc || !cc->start)
		return -1;
	if (cc->count == 0)
		return 0;
	if (p->primary)
		roots[nroots++] = p->primary->root;
	for (size_t k = 0; k < p->nstandby && nroots < 65; k++)
		roots[nroots++] = p->standby[k]->root;
	for (size_t i = 0; i < nroots; i++)
		if (!sf_check_excluded(p, roots[i]) && sf_nodeset_add(&w, roots[i], SF_NODE_NONE) < 0)
			goto cleanup;
	while (head < w.count) {
		sf_node_id u = w.order[head++];
		long c = cc->membership[u];
		size_t cnt;
		const sf_edge *outs;
		if (c >= 0 && cc->relevant[c] && !sf_nodeset_has(&seen, cc->start[c])) {
			sf_hit hit;
			sf_node_id *path;
			size_t np;
			if (sf_nodeset_add(&seen, cc->start[c], SF_NODE_NONE) < 0)
				goto cleanup;
			sf_hit_init(&hit);
			hit.subject = hit.shared = cc->start[c];
			hit.through = u;
			hit.plane = SF_PLANE_CONTROL;
			hit.plane_word = "control";
			hit.loc = sf_check_pair_location(ctx->g, p, 0);
			if (!(hit.owned = loop_text(cc, ctx->g, c)))
				goto cleanup;
			hit.value = hit.owned;
			path = sf_nodeset_path(&w, u, &np);
			if (path && p->primary && path[0] == p->primary->root) {
				hit.ppath = path;
				hit.npp = np;
			} else {
				hit.spath = path;
				hit.nsp = path ? np : 0;
			}
			if (sf_hits_add(out, &hit) < 0)
				goto cleanup;
		}
		outs = sf_graph_out(ctx->g, u, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &outs[k];
			if (!sf_edge_propagates(e->kind, SF_PLANE_CONTROL) || sf_check_excluded(p, e->to))
				continue;
			if (sf_nodeset_add(&w, e->to, u) < 0)
				goto cleanup;
		}
	}
	rc = 0;
cleanup:
	sf_nodeset_free(&w);
	sf_nodeset_free(&seen);
	return rc;
}

const sf_checker sf_checker_recovery_cycle = { "cycle", run };
