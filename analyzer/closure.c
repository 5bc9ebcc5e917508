#include "model/buf.h"
#include "closure.h"

#include <stdlib.h>
#include <string.h>

/* Marks are stamps: a node is marked when its entry equals the current
 * stamp, so clearing a mark set is one increment, not a pass over every
 * node. That keeps a pair's cost proportional to its own closure. */
typedef struct mark {
	uint32_t *v;
	uint32_t stamp;
} mark;

struct sf_closure {
	sf_graph *g;
	size_t n;
	mark excl;                  /* excluded for the current pair */
	mark in_p, in_s;            /* in the primary's / standby's closure */
	mark failed;
	mark seen;
	uint32_t *remaining;        /* ANY gates: dependencies not yet failed */
	sf_node_id *queue;
	sf_node_id *parent;
	sf_node_id *plist;          /* the primary's closure */
	size_t nplist;
	sf_node_id *uni;            /* the union of both closures */
	size_t nuni;
	/* The union's reverse adjacency, built once per pair and plane, so that
	 * simulating a failure never walks the in-edges of a busy node (a
	 * region, an account) from outside the pair's closure. Indexes are
	 * positions in uni. */
	uint32_t *pos;              /* node -> position in uni */
	uint32_t *lin_off, *lin_src, *ndeps;   /* lin_src: REQUIRED_BIT | position */
	size_t lin_cap;
	mark lfailed;               /* by position in uni: failed in this simulation */
	mark ltouched;              /* by position: remaining[] set in this simulation */
	unsigned char *lshared;     /* by position in uni: known to be shared */
	unsigned long long work;    /* edge visits of the simulations, for the budget */
	unsigned long long steps;   /* every step of the current pair, for tests */
	mark in_shared;             /* already reported for the current pair */
};

static int mark_init(mark *m, size_t n)
{
	m->v = calloc(n, sizeof(*m->v));
	m->stamp = 1;
	return m->v ? 0 : -1;
}

static void mark_clear(mark *m, size_t n)
{
	if (m->stamp == UINT32_MAX) {
		memset(m->v, 0, n * sizeof(*m->v));
		m->stamp = 0;
	}
	m->stamp++;
}

#define MARKED(m, i) ((m).v[i] == (m).stamp)
#define MARK(m, i) ((m).v[i] = (m).stamp)

int sf_closure_new(sf_closure **out, sf_graph *g)
{
	sf_closure *c = calloc(1, sizeof(*c));
	size_t n = sf_graph_node_count(g) + 1;

	*out = NULL;
	if (!c)
		return -1;
	c->g = g;
	c->n = n - 1;
	if (mark_init(&c->excl, n) < 0 || mark_init(&c->in_p, n) < 0 || mark_init(&c->in_s, n) < 0 ||
	    mark_init(&c->failed, n) < 0 || mark_init(&c->seen, n) < 0 ||
	    !(c->remaining = calloc(n, sizeof(*c->remaining))) ||
	    !(c->queue = calloc(n, sizeof(*c->queue))) || !(c->parent = calloc(n, sizeof(*c->parent))) ||
	    !(c->plist = calloc(n, sizeof(*c->plist))) || !(c->uni = calloc(n, sizeof(*c->uni))) ||
	    !(c->pos = calloc(n, sizeof(*c->pos))) || !(c->lin_off = calloc(n + 1, sizeof(*c->lin_off))) ||
	    !(c->ndeps = calloc(n, sizeof(*c->ndeps))) || mark_init(&c->lfailed, n) < 0 || mark_init(&c->ltouched, n) < 0 ||
	    !(c->lshared = calloc(n, 1)) || mark_init(&c->in_shared, n) < 0) {
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
	free(c->excl.v);
	free(c->in_p.v);
	free(c->in_s.v);
	free(c->failed.v);
	free(c->seen.v);
	free(c->remaining);
	free(c->queue);
	free(c->parent);
	free(c->plist);
	free(c->uni);
	free(c->pos);
	free(c->lin_off);
	free(c->lin_src);
	free(c->ndeps);
	free(c->lfailed.v);
	free(c->ltouched.v);
	free(c->lshared);
	free(c->in_shared.v);
	free(c);
}

void sf_pair_fate_free(sf_pair_fate *f)
{
	free(f->shared);
	memset(f, 0, sizeof(*f));
}

/* Mark in `m` every node reachable from `roots` along propagating edges,
 * never entering excluded nodes. The reached nodes are left in
 * c->queue[0..return value). */
static size_t reach(sf_closure *c, const sf_node_id *roots, size_t nroots, sf_plane plane,
                    mark *m)
{
	size_t head = 0, tail = 0;
	mark_clear(m, c->n + 1);
	for (size_t i = 0; i < nroots; i++)
		if (roots[i] != SF_NODE_NONE && !MARKED(*m, roots[i]) && !MARKED(c->excl, roots[i])) {
			MARK(*m, roots[i]);
			c->queue[tail++] = roots[i];
		}
	while (head < tail) {
		sf_node_id u = c->queue[head++];
		size_t cnt;
		const sf_edge *out = sf_graph_out(c->g, u, &cnt);
		c->steps += cnt + 1;
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &out[k];
			if (!sf_edge_propagates(e->kind, plane) || MARKED(*m, e->to) ||
			    MARKED(c->excl, e->to))
				continue;
			MARK(*m, e->to);
			c->queue[tail++] = e->to;
		}
	}
	return tail;
}

static int in_union(const sf_closure *c, sf_node_id v)
{
	return MARKED(c->in_p, v) || MARKED(c->in_s, v);
}

#define REQUIRED_BIT 0x80000000u

/* Build the union's reverse adjacency over propagating edges. An edge of a
 * required kind carries REQUIRED_BIT; ndeps counts an ANY node's
 * alternatives only. */
static int build_local(sf_closure *c, sf_plane plane)
{
	size_t m = 0;
	for (size_t i = 0; i < c->nuni; i++)
		c->pos[c->uni[i]] = (uint32_t)i;
	memset(c->lin_off, 0, (c->nuni + 1) * sizeof(*c->lin_off));
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->nuni; i++) {
			size_t cnt;
			const sf_edge *out = sf_graph_out(c->g, c->uni[i], &cnt);
			c->steps += cnt + 1;
			if (pass == 0)
				c->ndeps[i] = 0;
			for (size_t k = 0; k < cnt; k++) {
				const sf_edge *e = &out[k];
				uint32_t w;
				if (!sf_edge_propagates(e->kind, plane) || MARKED(c->excl, e->to) ||
				    !in_union(c, e->to))
					continue;
				w = c->pos[e->to];
				if (pass == 0) {
					c->ndeps[i]++;
					c->lin_off[w + 1]++;
					m++;
				} else {
					c->lin_src[c->lin_off[w] + c->ndeps[w]++] =
						(uint32_t)i | (sf_edge_kind_get(e->kind)->required ? REQUIRED_BIT : 0);
				}
			}
		}
		if (pass == 0) {
			if (m > c->lin_cap) {
				uint32_t *t = realloc(c->lin_src, m * sizeof(*t));
				if (!t)
					return -1;
				c->lin_src = t;
				c->lin_cap = m;
			}
			for (size_t i = 0; i < c->nuni; i++)
				c->lin_off[i + 1] += c->lin_off[i];
			/* ndeps is reused as a fill cursor in pass 1, then recounted */
			memset(c->ndeps, 0, c->nuni * sizeof(*c->ndeps));
		}
	}
	for (size_t i = 0; i < c->nuni; i++)
		c->ndeps[i] = 0;
	for (size_t w = 0; w < c->nuni; w++)
		for (uint32_t k = c->lin_off[w]; k < c->lin_off[w + 1]; k++)
			if (!(c->lin_src[k] & REQUIRED_BIT))
				c->ndeps[c->lin_src[k]]++;
	return 0;
}

/* One more of v's dependencies has failed (through a required edge or
 * not): does v fall now? An ALL node falls at once, an ANY node when the
 * last of its dependencies has; its count starts the first time it is
 * touched in a simulation. */
static inline int falls(sf_closure *c, uint32_t v, int required)
{
	if (required || sf_graph_node_at(c->g, c->uni[v])->gate != SF_GATE_ANY)
		return 1;
	if (!MARKED(c->ltouched, v)) {
		MARK(c->ltouched, v);
		c->remaining[v] = c->ndeps[v];
	}
	return --c->remaining[v] == 0;
}

/* Does the failure of `x` alone take down the primary root and every
 * standby root? Simulates the failure forward along the union's reverse
 * edges (nothing outside the union can fail a root). Failure is monotone:
 * once a node already known to be shared fails, so do both sides, and the
 * simulation stops there. Candidates come nearest the roots first, so a
 * long shared chain costs one step per link, not the chain's length.
 * Returns -1 when the work budget is spent. */
static int takes_down(sf_closure *c, sf_node_id x, sf_node_id proot,
                      const sf_node_id *sroots, size_t nsroots)
{
	size_t head = 0, tail = 0;
	uint32_t *queue = (uint32_t *)c->queue;

	/* Stamps: no pass over the whole union per candidate. */
	mark_clear(&c->lfailed, c->n + 1);
	mark_clear(&c->ltouched, c->n + 1);
	MARK(c->lfailed, c->pos[x]);
	queue[tail++] = c->pos[x];
	while (head < tail) {
		uint32_t u = queue[head++];
		if (c->work > SF_CLOSURE_MAX_WORK)
			return -1;
		for (uint32_t k = c->lin_off[u]; k < c->lin_off[u + 1]; k++) {
			uint32_t v = c->lin_src[k] & ~REQUIRED_BIT;
			int required = (c->lin_src[k] & REQUIRED_BIT) != 0;
			c->work++;
			c->steps++;
			if (MARKED(c->lfailed, v))
				continue;
			if (!falls(c, v, required))
				continue;
			if (c->lshared[v])
				return 1;
			MARK(c->lfailed, v);
			queue[tail++] = v;
		}
	}
	if (!MARKED(c->lfailed, c->pos[proot]))
		return 0;
	for (size_t i = 0; i < nsroots; i++)
		if (!MARKED(c->lfailed, c->pos[sroots[i]]))
			return 0;
	return 1;
}

/* A name or address that only points at one other node: when that node is
 * shared, reporting the pointer too would say the same thing twice. The
 * shared nodes are marked in c->in_shared. */
static int pass_through(sf_closure *c, sf_plane plane, sf_node_id v)
{
	const sf_node *n = sf_graph_node_at(c->g, v);
	size_t cnt, deps = 0;
	const sf_edge *out;
	sf_node_id dep = SF_NODE_NONE;

	if (n->kind != SF_KIND_DNS_NAME && n->kind != SF_KIND_ENDPOINT)
		return 0;
	out = sf_graph_out(c->g, v, &cnt);
	c->steps += cnt + 1;
	for (size_t k = 0; k < cnt; k++) {
		const sf_edge *e = &out[k];
		if (sf_edge_propagates(e->kind, plane) && !MARKED(c->excl, e->to)) {
			deps++;
			dep = e->to;
		}
	}
	return deps == 1 && MARKED(c->in_shared, dep);
}

static const sf_graph *cmp_g;

static int cmp_shared(const void *a, const void *b)
{
	const sf_shared *x = a, *y = b;
	return strcmp(sf_graph_key(cmp_g, x->node), sf_graph_key(cmp_g, y->node));
}

static void set_excluded(sf_closure *c, const sf_pair *p, sf_node_id proot,
                         const sf_node_id *sroots, size_t ns)
{
	mark_clear(&c->excl, c->n + 1);
	for (size_t i = 0; i < p->nexcluded; i++)
		MARK(c->excl, p->excluded[i]);
	/* A root is never excluded: a record that is its own root (several
	 * values) is where the side starts. */
	if (proot != SF_NODE_NONE)
		c->excl.v[proot] = 0;
	for (size_t i = 0; i < ns; i++)
		c->excl.v[sroots[i]] = 0;
}

int sf_closure_pair(sf_closure *c, const sf_pair *p, sf_pair_fate *out)
{
	static const sf_plane planes[2] = { SF_PLANE_DATA, SF_PLANE_CONTROL };
	sf_node_id proot, *sroots = NULL;
	size_t ns = 0, cap = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	c->work = 0;
	c->steps = 0;
	mark_clear(&c->in_shared, c->n + 1);
	if (!p->primary || p->nstandby == 0)
		return 0;
	proot = p->primary->root;
	sroots = malloc(p->nstandby * sizeof(*sroots));
	if (!sroots)
		return -1;
	for (size_t i = 0; i < p->nstandby; i++)
		sroots[i] = p->standby[i]->root;
	set_excluded(c, p, proot, sroots, p->nstandby);

	for (int pl = 0; pl < 2; pl++) {
		size_t n;
		/* Several standbys are an ANY over their roots. */
		int any_gate = p->nstandby > 1;
		n = reach(c, &proot, 1, planes[pl], &c->in_p);
		memcpy(c->plist, c->queue, n * sizeof(*c->plist));
		c->nplist = n;
		n = reach(c, sroots, p->nstandby, planes[pl], &c->in_s);
		if (pl == 0 && MARKED(c->in_s, proot))
			out->standby_needs_primary = 1;
		/* the union: the primary's closure, then what only the standby has */
		memcpy(c->uni, c->plist, c->nplist * sizeof(*c->uni));
		c->nuni = c->nplist;
		for (size_t i = 0; i < n; i++)
			if (!MARKED(c->in_p, c->queue[i]))
				c->uni[c->nuni++] = c->queue[i];
		for (size_t i = 0; i < c->nuni && !any_gate; i++)
			any_gate = sf_graph_node_at(c->g, c->uni[i])->gate == SF_GATE_ANY;
		if (any_gate && build_local(c, planes[pl]) < 0)
			goto cleanup;
		if (any_gate) {
			memset(c->lshared, 0, c->nuni);
			/* shared on the data plane is shared on the control plane */
			for (size_t k = 0; k < ns; k++)
				if (in_union(c, out->shared[k].node))
					c->lshared[c->pos[out->shared[k].node]] = 1;
		}
		c->steps += c->nplist;
		for (size_t i = 0; i < c->nplist; i++) {
			sf_node_id v = c->plist[i];
			/* shared on the data plane is not reported again */
			if (!MARKED(c->in_s, v) || MARKED(c->in_shared, v))
				continue;
			/* Without ANY gates every common dependency is a single
			 * point of failure; with them, simulate. */
			if (any_gate) {
				int t = out->truncated ? -1 : takes_down(c, v, proot, sroots, p->nstandby);
				if (t < 0) {
					out->truncated = 1;
					continue;
				}
				if (!t)
					continue;
				c->lshared[c->pos[v]] = 1;
			}
			if (ns == cap) {
				sf_shared *t = realloc(out->shared, (cap = cap ? cap * 2 : 8) * sizeof(*t));
				if (!t)
					goto cleanup;
				out->shared = t;
			}
			out->shared[ns].node = v;
			out->shared[ns].plane = planes[pl];
			MARK(c->in_shared, v);
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
			drop[i] = (unsigned char)pass_through(c, out->shared[i].plane, out->shared[i].node);
		for (size_t i = 0; i < ns; i++)
			if (!drop[i])
				out->shared[w++] = out->shared[i];
		free(drop);
		ns = w;
	}
	out->nshared = ns;
	cmp_g = c->g;
	if (ns > 1)
		sf_sort(out->shared, ns, sizeof(*out->shared), cmp_shared);
	cmp_g = NULL;
	rc = 0;
cleanup:
	free(sroots);
	if (rc < 0)
		sf_pair_fate_free(out);
	return rc;
}

unsigned long long sf_closure_steps(const sf_closure *c)
{
	return c->steps;
}

size_t sf_closure_path(sf_closure *c, const sf_pair *p, sf_plane plane, sf_node_id from,
                       sf_node_id to, const unsigned char *blocked, sf_node_id **out)
{
	size_t head = 0, tail = 0, len = 0;

	*out = NULL;
	mark_clear(&c->excl, c->n + 1);
	for (size_t i = 0; i < p->nexcluded; i++)
		MARK(c->excl, p->excluded[i]);
	mark_clear(&c->seen, c->n + 1);
	MARK(c->seen, from);
	c->parent[from] = SF_NODE_NONE;
	c->queue[tail++] = from;
	while (head < tail && !MARKED(c->seen, to)) {
		sf_node_id u = c->queue[head++];
		size_t cnt;
		const sf_edge *o = sf_graph_out(c->g, u, &cnt);
		if (u != from && blocked && blocked[u])
			continue;
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &o[k];
			if (!sf_edge_propagates(e->kind, plane) || MARKED(c->seen, e->to) ||
			    (MARKED(c->excl, e->to) && e->to != to))
				continue;
			MARK(c->seen, e->to);
			c->parent[e->to] = u;
			c->queue[tail++] = e->to;
		}
	}
	if (!MARKED(c->seen, to))
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

/* ---- several failures at once: shared redundancy, blast radius ---- */

/* The union of both sides' closures on `plane`, with its reverse
 * adjacency: what the simulations below run on. Same steps as one plane
 * of sf_closure_pair(), so a pair costs what its own closure holds. */
static int prepare(sf_closure *c, const sf_pair *p, sf_plane plane, const sf_node_id *sroots)
{
	sf_node_id proot = p->primary->root;
	size_t n;

	set_excluded(c, p, proot, sroots, p->nstandby);
	n = reach(c, &proot, 1, plane, &c->in_p);
	memcpy(c->plist, c->queue, n * sizeof(*c->plist));
	c->nplist = n;
	n = reach(c, sroots, p->nstandby, plane, &c->in_s);
	memcpy(c->uni, c->plist, c->nplist * sizeof(*c->uni));
	c->nuni = c->nplist;
	for (size_t i = 0; i < n; i++)
		if (!MARKED(c->in_p, c->queue[i]))
			c->uni[c->nuni++] = c->queue[i];
	return build_local(c, plane);
}

#define DOWN_PRIMARY 1
#define DOWN_STANDBY 2
#define EARLY_ANY 4             /* stop at a node that takes any side down */

/* Fail the union positions seeds[0..n) together and say which sides go
 * down: DOWN_PRIMARY when the primary root fails, DOWN_STANDBY when every
 * standby root does. -1 when c->work passes `budget`.
 *
 * c->lshared holds, by position, 1 + what a single failure there was
 * found to take down (0: not known). Failure is monotone: when a node
 * whose own failure takes sides down fails, those go down too. With
 * `early` set, the simulation stops at the first such node whose sides
 * include `early`'s bits (any side: EARLY_ANY) and returns them (a lower bound, enough to say
 * "not a candidate" or "both"): single failures tried nearest the roots
 * first cost one step per link of a long chain, not its length. */
static int sim_set(sf_closure *c, const uint32_t *seeds, size_t n, const sf_pair *p,
                   const sf_node_id *sroots, unsigned long long budget, int early)
{
	size_t head = 0, tail = 0;
	uint32_t *queue = (uint32_t *)c->queue;
	int down = DOWN_STANDBY;

	mark_clear(&c->lfailed, c->n + 1);
	mark_clear(&c->ltouched, c->n + 1);
	for (size_t i = 0; i < n; i++)
		if (!MARKED(c->lfailed, seeds[i])) {
			MARK(c->lfailed, seeds[i]);
			queue[tail++] = seeds[i];
		}
	while (head < tail) {
		uint32_t u = queue[head++];
		c->work++;
		if (c->work > budget)
			return -1;
		for (uint32_t k = c->lin_off[u]; k < c->lin_off[u + 1]; k++) {
			uint32_t v = c->lin_src[k] & ~REQUIRED_BIT;
			int required = (c->lin_src[k] & REQUIRED_BIT) != 0;
			c->work++;
			if (MARKED(c->lfailed, v))
				continue;
			if (!falls(c, v, required))
				continue;
			if (early && c->lshared[v] > 1 &&
			    (early == EARLY_ANY ? 1 : ((c->lshared[v] - 1) & early) == early))
				return c->lshared[v] - 1;
			MARK(c->lfailed, v);
			queue[tail++] = v;
		}
	}
	for (size_t i = 0; i < p->nstandby; i++)
		if (!MARKED(c->lfailed, c->pos[sroots[i]]))
			down = 0;
	return down | (MARKED(c->lfailed, c->pos[p->primary->root]) ? DOWN_PRIMARY : 0);
}

static sf_node_id *standby_roots(const sf_pair *p)
{
	sf_node_id *s = malloc((p->nstandby ? p->nstandby : 1) * sizeof(*s));
	for (size_t i = 0; s && i < p->nstandby; i++)
		s[i] = p->standby[i]->root;
	return s;
}

/* The node's one dependency in the union, when it has exactly one (by
 * target: two edges to one node count once); else SF_NODE_NONE. */
static sf_node_id only_dependency(sf_closure *c, sf_plane plane, sf_node_id v)
{
	size_t cnt;
	const sf_edge *o = sf_graph_out(c->g, v, &cnt);
	sf_node_id dep = SF_NODE_NONE;
	for (size_t k = 0; k < cnt; k++) {
		const sf_edge *e = &o[k];
		c->work++;
		if (!sf_edge_propagates(e->kind, plane) || MARKED(c->excl, e->to) || !in_union(c, e->to))
			continue;
		if (dep != SF_NODE_NONE && dep != e->to)
			return SF_NODE_NONE;
		dep = e->to;
	}
	return dep;
}

static int cmp_node_key(const void *a, const void *b)
{
	return strcmp(sf_graph_key(cmp_g, *(const sf_node_id *)a),
	              sf_graph_key(cmp_g, *(const sf_node_id *)b));
}

void sf_redundancy_free(sf_redundancy *r)
{
	free(r->sets);
	memset(r, 0, sizeof(*r));
}

/* Is some set found already (smaller than `k`) inside the combination? */
static int has_found_subset(sf_closure *c, const sf_redundancy *r, const sf_node_id *combo,
                            unsigned k)
{
	for (size_t i = 0; i < r->nsets; i++) {
		const sf_cutset *s = &r->sets[i];
		unsigned hit = 0;
		if (s->n >= k)
			continue;
		for (unsigned a = 0; a < s->n; a++)
			for (unsigned b = 0; b < k; b++) {
				c->work++;
				hit += s->member[a] == combo[b];
			}
		if (hit == s->n)
			return 1;
	}
	return 0;
}

int sf_closure_redundancy(sf_closure *c, const sf_pair *p, const sf_redundancy_opts *o,
                          sf_redundancy *out)
{
	sf_plane plane = o->plane == SF_PLANE_CONTROL ? SF_PLANE_CONTROL : SF_PLANE_DATA;
	unsigned order = o->order > SF_REDUNDANCY_MAX_ORDER ? SF_REDUNDANCY_MAX_ORDER : o->order;
	sf_node_id *sroots = NULL, *cand = NULL;
	unsigned char *is_cand = NULL;
	size_t m = 0, cap = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	c->work = 0;
	if (!p->primary || p->nstandby == 0 || order < 2)
		return 0;
	if (!(sroots = standby_roots(p)) || prepare(c, p, plane, sroots) < 0)
		goto cleanup;
	cand = malloc((c->nplist ? c->nplist : 1) * sizeof(*cand));
	is_cand = calloc(c->nuni ? c->nuni : 1, 1);
	if (!cand || !is_cand)
		goto cleanup;
	/* Candidates: the common dependencies whose failure alone takes down
	 * neither side. One that takes both down is today's single point (a
	 * set holding it is not minimal); one that takes one side down is no
	 * redundancy of that side, and the issue bounds the search to nodes
	 * under ANY gates on both. */
	/* Without an ANY gate every common node takes both sides down (or the
	 * primary at least): nothing to combine. */
	{
		int any = 0;
		for (size_t i = 0; i < c->nuni && !any; i++)
			any = sf_graph_node_at(c->g, c->uni[i])->gate == SF_GATE_ANY;
		if (!any) {
			rc = 0;
			goto cleanup;
		}
	}
	memset(c->lshared, 0, c->nuni);
	for (size_t i = 0; i < c->nplist; i++) {
		uint32_t at;
		int d;
		if (!MARKED(c->in_s, c->plist[i]))
			continue;
		at = c->pos[c->plist[i]];
		/* any side down: not a candidate, whichever */
		if ((d = sim_set(c, &at, 1, p, sroots, o->budget, EARLY_ANY)) < 0) {
			out->truncated = 1;
			break;
		}
		c->lshared[at] = (unsigned char)(1 + d);
		if (d == 0) {
			cand[m++] = c->plist[i];
			is_cand[at] = 1;
		}
	}
	/* A candidate with one dependency, itself a candidate (an origin's
	 * address and the instance behind it), fails whenever that one does:
	 * each set through it has a twin through its dependency, and only the
	 * deeper one, the real failure domain, is kept. A chain collapses to
	 * its end. */
	{
		size_t w = 0;
		unsigned char *drop = calloc(m ? m : 1, 1);
		if (!drop)
			goto cleanup;
		for (size_t i = 0; i < m; i++) {
			sf_node_id d = only_dependency(c, plane, cand[i]);
			drop[i] = d != SF_NODE_NONE && is_cand[c->pos[d]];
		}
		for (size_t i = 0; i < m; i++)
			if (!drop[i])
				cand[w++] = cand[i];
		free(drop);
		m = w;
	}
	out->ncandidates = m;
	cmp_g = c->g;
	if (m > 1)
		sf_sort(cand, m, sizeof(*cand), cmp_node_key);
	cmp_g = NULL;

	/* Every combination of 2..order candidates, smallest first, skipping
	 * those that hold a set found already (not minimal). */
	for (unsigned k = 2; k <= order && k <= m && !out->truncated; k++) {
		size_t idx[SF_REDUNDANCY_MAX_ORDER];
		for (unsigned i = 0; i < k; i++)
			idx[i] = i;
		for (;;) {
			sf_node_id combo[SF_REDUNDANCY_MAX_ORDER];
			uint32_t seeds[SF_REDUNDANCY_MAX_ORDER];
			int d;
			unsigned i;
			for (i = 0; i < k; i++) {
				combo[i] = cand[idx[i]];
				seeds[i] = c->pos[combo[i]];
			}
			c->work++;
			if (c->work > o->budget) {
				out->truncated = 1;
				break;
			}
			if (!has_found_subset(c, out, combo, k)) {
				if ((d = sim_set(c, seeds, k, p, sroots, o->budget, 0)) < 0) {
					out->truncated = 1;
					break;
				}
				if (d == (DOWN_PRIMARY | DOWN_STANDBY)) {
					if (out->nsets == cap) {
						sf_cutset *t = realloc(out->sets, (cap = cap ? cap * 2 : 4) * sizeof(*t));
						if (!t)
							goto cleanup;
						out->sets = t;
					}
					memset(&out->sets[out->nsets], 0, sizeof(out->sets[0]));
					memcpy(out->sets[out->nsets].member, combo, k * sizeof(*combo));
					out->sets[out->nsets++].n = k;
				}
			}
			/* next combination in lexicographic order */
			i = k;
			while (i > 0 && idx[i - 1] == m - k + (i - 1))
				i--;
			if (i == 0)
				break;
			idx[i - 1]++;
			for (unsigned j = i; j < k; j++)
				idx[j] = idx[j - 1] + 1;
		}
	}
	out->work = c->work;
	rc = 0;
cleanup:
	free(sroots);
	free(cand);
	free(is_cand);
	if (rc < 0)
		sf_redundancy_free(out);
	return rc;
}

int sf_closure_blast(sf_closure *c, const sf_pair *p, sf_plane plane, sf_blast *out)
{
	sf_node_id *sroots = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	c->work = 0;
	if (!p->primary || p->nstandby == 0)
		return 0;
	if (!(sroots = standby_roots(p)) || prepare(c, p, plane, sroots) < 0)
		goto cleanup;
	out->node = malloc((c->nuni ? c->nuni : 1) * sizeof(*out->node));
	out->down = malloc(c->nuni ? c->nuni : 1);
	if (!out->node || !out->down)
		goto cleanup;
	memset(c->lshared, 0, c->nuni);
	for (size_t i = 0; i < c->nuni; i++) {
		uint32_t at = (uint32_t)i;
		int d = sim_set(c, &at, 1, p, sroots, SF_CLOSURE_MAX_WORK, DOWN_PRIMARY | DOWN_STANDBY);
		if (d >= 0)
			c->lshared[i] = (unsigned char)(1 + d);
		if (d < 0) {
			out->truncated = 1;
			break;
		}
		if (!d)
			continue;
		out->node[out->n] = c->uni[i];
		out->down[out->n++] = (unsigned char)d;
	}
	rc = 0;
cleanup:
	free(sroots);
	if (rc < 0)
		sf_blast_free(out);
	return rc;
}

void sf_blast_free(sf_blast *b)
{
	free(b->node);
	free(b->down);
	memset(b, 0, sizeof(*b));
}
