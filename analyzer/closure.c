#include "closure.h"

#include <stdlib.h>
#include <string.h>

struct sf_closure {
	sf_graph *g;
	size_t n;
	unsigned char *excl;        /* node excluded for the current pair */
	unsigned char *in_p, *in_s; /* in the primary's / standby's closure */
	unsigned char *failed;
	uint32_t *remaining;        /* ANY gates: dependencies not yet failed */
	sf_node_id *queue;
	sf_node_id *parent;
	sf_node_id *uni;            /* the union of both closures */
	size_t nuni;
};

int sf_edge_propagates(sf_edge_kind k, sf_plane plane)
{
	sf_plane p = sf_edge_kind_get(k)->plane;
	if (p == SF_PLANE_NONE)
		return 0;
	return plane == SF_PLANE_CONTROL || p == SF_PLANE_DATA;
}

int sf_closure_new(sf_closure **out, sf_graph *g)
{
	sf_closure *c = calloc(1, sizeof(*c));
	size_t n = sf_graph_node_count(g) + 1;

	*out = NULL;
	if (!c)
		return -1;
	c->g = g;
	c->n = n - 1;
	c->excl = calloc(n, 1);
	c->in_p = calloc(n, 1);
	c->in_s = calloc(n, 1);
	c->failed = calloc(n, 1);
	c->remaining = calloc(n, sizeof(*c->remaining));
	c->queue = calloc(n, sizeof(*c->queue));
	c->parent = calloc(n, sizeof(*c->parent));
	c->uni = calloc(n, sizeof(*c->uni));
	if (!c->uni || !c->excl || !c->in_p || !c->in_s || !c->failed || !c->remaining || !c->queue ||
	    !c->parent) {
		sf_closure_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void sf_closure_free(sf_closure *c)
{
	if (!c)
		return;
	free(c->excl);
	free(c->in_p);
	free(c->in_s);
	free(c->failed);
	free(c->remaining);
	free(c->queue);
	free(c->parent);
	free(c->uni);
	free(c);
}

void sf_pair_fate_free(sf_pair_fate *f)
{
	free(f->shared);
	memset(f, 0, sizeof(*f));
}

/* Mark in `mark` every node reachable from `roots` along propagating edges,
 * never entering excluded nodes. */
static void reach(sf_closure *c, const sf_node_id *roots, size_t nroots, sf_plane plane,
                  unsigned char *mark)
{
	size_t head = 0, tail = 0;
	memset(mark, 0, c->n);
	for (size_t i = 0; i < nroots; i++)
		if (roots[i] != SF_NODE_NONE && !mark[roots[i]] && !c->excl[roots[i]]) {
			mark[roots[i]] = 1;
			c->queue[tail++] = roots[i];
		}
	while (head < tail) {
		sf_node_id u = c->queue[head++];
		size_t cnt;
		const size_t *out = sf_graph_out(c->g, u, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = sf_graph_edge_at(c->g, out[k]);
			if (!sf_edge_propagates(e->kind, plane) || mark[e->to] || c->excl[e->to])
				continue;
			mark[e->to] = 1;
			c->queue[tail++] = e->to;
		}
	}
}

/* Does the failure of `x` alone take down `root`s (all of them)? Simulates
 * the failure forward along in-edges within the union of both closures. */
static int takes_down(sf_closure *c, sf_plane plane, sf_node_id x, const sf_node_id *proot,
                      const sf_node_id *sroots, size_t nsroots)
{
	size_t head = 0, tail = 0, ok;

	/* Reset state for nodes in the union of the closures: nothing outside
	 * it can fail a root. */
	for (size_t i = 0; i < c->nuni; i++) {
		sf_node_id v = c->uni[i];
		c->failed[v] = 0;
		if (sf_graph_node_at(c->g, (sf_node_id)v)->gate == SF_GATE_ANY) {
			size_t cnt, deps = 0;
			const size_t *out = sf_graph_out(c->g, (sf_node_id)v, &cnt);
			for (size_t k = 0; k < cnt; k++) {
				const sf_edge *e = sf_graph_edge_at(c->g, out[k]);
				if (sf_edge_propagates(e->kind, plane) && !c->excl[e->to])
					deps++;
			}
			c->remaining[v] = (uint32_t)deps;
		}
	}
	c->failed[x] = 1;
	c->queue[tail++] = x;
	while (head < tail) {
		sf_node_id u = c->queue[head++];
		size_t cnt;
		const size_t *in = sf_graph_in(c->g, u, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = sf_graph_edge_at(c->g, in[k]);
			sf_node_id v = e->from;
			if (!sf_edge_propagates(e->kind, plane) || c->failed[v] || c->excl[v] ||
			    !(c->in_p[v] || c->in_s[v]))
				continue;
			if (sf_graph_node_at(c->g, v)->gate == SF_GATE_ANY) {
				if (c->remaining[v] > 0)
					c->remaining[v]--;
				if (c->remaining[v] > 0)
					continue;
			}
			c->failed[v] = 1;
			c->queue[tail++] = v;
		}
	}
	if (!c->failed[*proot])
		return 0;
	ok = 1;
	for (size_t i = 0; i < nsroots; i++)
		if (!c->failed[sroots[i]])
			ok = 0;
	return (int)ok;
}

/* A name or address that only points at one other node: when that node is
 * shared, reporting the pointer too would say the same thing twice. */
static int pass_through(sf_closure *c, sf_plane plane, sf_node_id v, const sf_shared *shared,
                        size_t ns)
{
	const sf_node *n = sf_graph_node_at(c->g, v);
	size_t cnt, deps = 0;
	const size_t *out;
	sf_node_id dep = SF_NODE_NONE;

	if (n->kind != SF_KIND_DNS_NAME && n->kind != SF_KIND_ENDPOINT)
		return 0;
	out = sf_graph_out(c->g, v, &cnt);
	for (size_t k = 0; k < cnt; k++) {
		const sf_edge *e = sf_graph_edge_at(c->g, out[k]);
		if (sf_edge_propagates(e->kind, plane) && !c->excl[e->to]) {
			deps++;
			dep = e->to;
		}
	}
	if (deps != 1)
		return 0;
	for (size_t k = 0; k < ns; k++)
		if (shared[k].node == dep)
			return 1;
	return 0;
}

static const sf_graph *cmp_g;

static int cmp_shared(const void *a, const void *b)
{
	const sf_shared *x = a, *y = b;
	return strcmp(sf_graph_node_at(cmp_g, x->node)->key, sf_graph_node_at(cmp_g, y->node)->key);
}

int sf_closure_pair(sf_closure *c, const sf_pair *p, sf_pair_fate *out)
{
	static const sf_plane planes[2] = { SF_PLANE_DATA, SF_PLANE_CONTROL };
	sf_node_id proot, *sroots = NULL;
	size_t ns = 0, cap = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!p->primary || p->nstandby == 0)
		return 0;
	proot = p->primary->root;
	sroots = malloc(p->nstandby * sizeof(*sroots));
	if (!sroots)
		return -1;
	for (size_t i = 0; i < p->nstandby; i++)
		sroots[i] = p->standby[i]->root;
	memset(c->excl, 0, c->n);
	for (size_t i = 0; i < p->nexcluded; i++)
		if (p->excluded[i] != proot)
			c->excl[p->excluded[i]] = 1;
	for (size_t i = 0; i < p->nstandby; i++)
		c->excl[sroots[i]] = 0;

	for (int pl = 0; pl < 2; pl++) {
		reach(c, &proot, 1, planes[pl], c->in_p);
		reach(c, sroots, p->nstandby, planes[pl], c->in_s);
		if (pl == 0 && c->in_s[proot])
			out->standby_needs_primary = 1;
		c->nuni = 0;
		for (size_t v = 0; v < c->n; v++) {
			c->failed[v] = 0;
			if (c->in_p[v] || c->in_s[v])
				c->uni[c->nuni++] = (sf_node_id)v;
		}
		for (size_t v = 0; v < c->n; v++) {
			int seen = 0;
			if (!c->in_p[v] || !c->in_s[v])
				continue;
			for (size_t k = 0; k < ns; k++)
				if (out->shared[k].node == v)
					seen = 1;
			if (seen)
				continue;
			if (!takes_down(c, planes[pl], (sf_node_id)v, &proot, sroots, p->nstandby))
				continue;
			if (ns == cap) {
				sf_shared *t = realloc(out->shared, (cap = cap ? cap * 2 : 8) * sizeof(*t));
				if (!t)
					goto cleanup;
				out->shared = t;
			}
			out->shared[ns].node = (sf_node_id)v;
			out->shared[ns].plane = planes[pl];
			ns++;
		}
	}
	/* Drop pointers to shared nodes (both planes were collected first, so
	 * the node pointed at is known). */
	if (ns) {
		unsigned char *drop = calloc(ns, 1);
		size_t w = 0;
		if (!drop)
			goto cleanup;
		for (size_t i = 0; i < ns; i++)
			drop[i] = (unsigned char)pass_through(c, out->shared[i].plane, out->shared[i].node,
			                                      out->shared, ns);
		for (size_t i = 0; i < ns; i++)
			if (!drop[i])
				out->shared[w++] = out->shared[i];
		free(drop);
		ns = w;
	}
	out->nshared = ns;
	cmp_g = c->g;
	if (ns > 1)
		qsort(out->shared, ns, sizeof(*out->shared), cmp_shared);
	cmp_g = NULL;
	rc = 0;
cleanup:
	free(sroots);
	if (rc < 0)
		sf_pair_fate_free(out);
	return rc;
}

size_t sf_closure_path(sf_closure *c, const sf_pair *p, sf_plane plane, sf_node_id from,
                       sf_node_id to, const unsigned char *blocked, sf_node_id **out)
{
	size_t head = 0, tail = 0, len = 0;
	unsigned char *seen = c->failed;    /* reused as a visited mark */

	*out = NULL;
	memset(c->excl, 0, c->n);
	for (size_t i = 0; i < p->nexcluded; i++)
		c->excl[p->excluded[i]] = 1;
	memset(seen, 0, c->n);
	seen[from] = 1;
	c->parent[from] = SF_NODE_NONE;
	c->queue[tail++] = from;
	while (head < tail && !seen[to]) {
		sf_node_id u = c->queue[head++];
		size_t cnt;
		const size_t *o = sf_graph_out(c->g, u, &cnt);
		if (u != from && blocked && blocked[u])
			continue;
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = sf_graph_edge_at(c->g, o[k]);
			if (!sf_edge_propagates(e->kind, plane) || seen[e->to] ||
			    (c->excl[e->to] && e->to != to))
				continue;
			seen[e->to] = 1;
			c->parent[e->to] = u;
			c->queue[tail++] = e->to;
		}
	}
	if (!seen[to])
		return 0;
	for (sf_node_id v = to; v != SF_NODE_NONE; v = c->parent[v])
		len++;
	*out = malloc(len * sizeof(**out));
	if (!*out)
		return 0;
	{
		size_t i = len;
		for (sf_node_id v = to; v != SF_NODE_NONE; v = c->parent[v])
			(*out)[--i] = v;
	}
	return len;
}
