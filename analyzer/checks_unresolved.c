/* unresolved: a side's resolution chain ends at a name (or, if the rule
 * lists the kind, an address) that no input defines, loops, or is longer
 * than resolvers follow (SF203). The walk is depth-first, iterative and
 * bounded. */
#include "checks.h"

#include <stdlib.h>
#include <string.h>

#include "importers/dns_common.h"
#include "model/buf.h"

/* Nodes one walk may visit: a fan-out bomb costs no more. */
#define WALK_BUDGET 100000
/* Frames: names plus the record nodes between them (Route 53, Terraform). */
#define WALK_MAX_FRAMES (4 * (SF_DNS_MAX_CHAIN + 2))

/* Node states in the walk's set. */
#define ON_PATH 1
#define DONE 2

typedef enum { WHY_UNDEFINED, WHY_LOOP, WHY_TOO_LONG } why;

typedef struct frame {
	sf_node_id v;
	size_t next;                /* next out-edge to look at */
	unsigned names;             /* `dns:` names on the path so far */
} frame;

static int is_chain_node(const sf_node *n)
{
	return n->kind == SF_KIND_DNS_NAME || n->kind == SF_KIND_ENDPOINT;
}

static int leads(const sf_edge *e)
{
	return e->kind == SF_EDGE_RESOLVES_TO || e->kind == SF_EDGE_ROUTES_TO;
}

static int is_terminal(sf_graph *g, sf_node_id v)
{
	size_t cnt;
	const sf_edge *edges = sf_graph_out(g, v, &cnt);
	for (size_t k = 0; k < cnt; k++)
		if (leads(&edges[k]))
			return 0;
	return 1;
}

/* Why the hit fires, for the message's {value}; malloc'd. */
static char *reason(sf_graph *g, sf_node_id subject, why w, size_t npath)
{
	sf_buf b = SF_BUF_INIT;
	const char *end = sf_graph_key(g, subject);

	switch (w) {
	case WHY_UNDEFINED:
		if (npath <= 1)
			sf_buf_puts(&b, "no input defines it");
		else
			sf_buf_printf(&b, "its chain ends at %s, which no input defines", end);
		break;
	case WHY_LOOP:
		sf_buf_printf(&b, "its chain loops back to %s", end);
		break;
	case WHY_TOO_LONG:
		sf_buf_printf(&b, "its chain is longer than the %d aliases resolvers follow (at %s)",
		              SF_DNS_MAX_CHAIN, end);
		break;
	}
	if (b.failed) {
		sf_buf_free(&b);
		return NULL;
	}
	return b.ptr ? b.ptr : strdup("");
}

static int hit_at(sf_graph *g, const sf_pair *p, sf_hits *out, const sf_failover_member *m,
                  const frame *st, size_t depth, sf_node_id subject, why w)
{
	sf_hit hit;
	size_t n = depth + (depth == 0 || st[depth - 1].v != subject);
	sf_node_id *path;
	if (sf_hits_has(out, subject))
		return 0;
	path = malloc(n * sizeof(*path));
	if (!path)
		return -1;
	for (size_t i = 0; i < depth; i++)
		path[i] = st[i].v;
	path[n - 1] = subject;
	sf_hit_init(&hit);
	hit.subject = hit.shared = subject;
	hit.record = m->root;
	if (m == p->primary) {
		hit.ppath = path;
		hit.npp = n;
	} else {
		hit.spath = path;
		hit.nsp = n;
	}
	hit.value = hit.owned = reason(g, subject, w, n);
	hit.plane = SF_PLANE_DATA;
	hit.loc = sf_check_member_location(g, p, m);
	if (!hit.owned) {
		free(path);
		return -1;
	}
	return sf_hits_add(out, &hit);
}

static int walk(sf_graph *g, const sf_pair *p, const sf_failover_member *m,
                unsigned long long kinds, sf_nodeset *state, sf_hits *out)
{
	frame st[WALK_MAX_FRAMES];
	size_t depth = 0, budget = WALK_BUDGET;
	sf_node_id root = m->root;
	const sf_node *rn = sf_graph_node_at(g, root);

	if (!rn || (!is_chain_node(rn) && !sf_graph_attr(g, root, "unresolved")))
		return 0;       /* a pool or target that no input defines is a chain of one */
	st[0].v = root;
	st[0].next = 0;
	st[0].names = strncmp(sf_graph_node_key(g, rn), "dns:", 4) == 0;
	if (sf_nodeset_add(state, root, ON_PATH) < 0)
		return -1;
	depth = 1;
	while (depth > 0) {
		frame *f = &st[depth - 1];
		size_t cnt;
		const sf_edge *edges = sf_graph_out(g, f->v, &cnt);
		const sf_edge *e = NULL;
		const sf_node *to;
		sf_node_id s;
		unsigned names;

		if (f->next == 0 && is_terminal(g, f->v)) {
			const sf_node *n = sf_graph_node_at(g, f->v);
			const char *u = sf_graph_attr(g, f->v, "unresolved");
			if (u && strcmp(u, "true") == 0 && (!kinds || ((kinds >> n->kind) & 1)) &&
			    hit_at(g, p, out, m, st, depth, f->v, WHY_UNDEFINED) < 0)
				return -1;
		}
		while (f->next < cnt && !e) {
			const sf_edge *c = &edges[f->next++];
			if (leads(c))
				e = c;
		}
		if (!e) {
			sf_nodeset_set(state, f->v, DONE);
			depth--;
			continue;
		}
		to = sf_graph_node_at(g, e->to);
		s = sf_nodeset_get(state, e->to);
		if (!is_chain_node(to) || s == DONE)
			continue;           /* reaches a resource: resolved */
		if (s == ON_PATH) {
			if (hit_at(g, p, out, m, st, depth, e->to, WHY_LOOP) < 0)
				return -1;
			continue;
		}
		names = f->names + (strncmp(sf_graph_node_key(g, to), "dns:", 4) == 0);
		if (names > SF_DNS_MAX_CHAIN + 1 || depth == WALK_MAX_FRAMES) {
			if (hit_at(g, p, out, m, st, depth, e->to, WHY_TOO_LONG) < 0)
				return -1;
			continue;
		}
		if (budget-- == 0)
			return 0;
		if (sf_nodeset_add(state, e->to, ON_PATH) < 0)
			return -1;
		st[depth].v = e->to;
		st[depth].next = 0;
		st[depth].names = names;
		depth++;
	}
	return 0;
}

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_nodeset state = SF_NODESET_INIT;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i <= p->nstandby; i++) {
		const sf_failover_member *m = i == 0 ? p->primary : p->standby[i - 1];
		if (!m || m->root == SF_NODE_NONE || (i == 0 && r->subject == SF_SUBJECT_STANDBY) ||
		    (i > 0 && r->subject == SF_SUBJECT_PRIMARY))
			continue;
		sf_nodeset_clear(&state);
		rc = walk(ctx->g, p, m, r->kinds, &state, out);
	}
	sf_nodeset_free(&state);
	return rc;
}

const sf_checker sf_checker_unresolved = { "unresolved", run };
