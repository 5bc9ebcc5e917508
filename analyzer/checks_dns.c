#include "checks_dns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/buf.h"

#include "importers/dns_common.h"

/* Nodes one unresolved walk may visit: a fan-out bomb costs no more. */
#define WALK_BUDGET 100000
/* Frames: names plus the record nodes between them (Route 53, Terraform). */
#define WALK_MAX_FRAMES (4 * (SF_DNS_MAX_CHAIN + 2))

void sf_dns_hits_free(sf_dns_hits *h)
{
	for (size_t i = 0; i < h->count; i++)
		free(h->items[i].path);
	free(h->items);
	memset(h, 0, sizeof(*h));
}

char *sf_dns_hit_reason(sf_graph *g, const sf_dns_hit *h)
{
	sf_buf b = SF_BUF_INIT;
	const char *end = sf_graph_node_at(g, h->subject)->key;

	switch (h->why) {
	case SF_DNS_ONE_PROVIDER:
		sf_buf_puts(&b, sf_graph_node_at(g, h->shared)->label);
		break;
	case SF_DNS_UNDEFINED:
		if (h->npath <= 1)
			sf_buf_puts(&b, "no input defines it");
		else
			sf_buf_printf(&b, "its chain ends at %s, which no input defines", end);
		break;
	case SF_DNS_LOOP:
		sf_buf_printf(&b, "its chain loops back to %s", end);
		break;
	case SF_DNS_TOO_LONG:
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

static int has_subject(const sf_dns_hits *h, sf_node_id subject)
{
	for (size_t i = 0; i < h->count; i++)
		if (h->items[i].subject == subject)
			return 1;
	return 0;
}

static int push_hit(sf_dns_hits *h, const sf_dns_hit *hit)
{
	if (h->count == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 8;
		sf_dns_hit *p = realloc(h->items, cap * sizeof(*p));
		if (!p)
			return -1;
		h->items = p;
		h->cap = cap;
	}
	h->items[h->count++] = *hit;
	return 0;
}

int sf_check_single_provider(sf_graph *g, const sf_pair *p, sf_dns_hits *out)
{
	for (size_t i = 0; i < p->nexcluded; i++) {
		sf_node_id z = p->excluded[i], provider = SF_NODE_NONE;
		const sf_node *zn = sf_graph_node_at(g, z);
		size_t cnt, providers = 0;
		const size_t *edges;
		sf_dns_hit hit;

		/* Only zones whose NS set an input showed us are judged. A zone
		 * known from Terraform alone (aws_route53_zone) says where it is
		 * hosted, not how its parent delegates it: the registrar may list
		 * another provider's servers too, and Route 53's own four servers
		 * already sit in four TLDs. Reporting every such zone would flag
		 * every Terraform-only repository; a zone file or an export with
		 * the apex NS records is evidence, so it is judged. */
		if (!zn || zn->kind != SF_KIND_DNS_ZONE || !sf_graph_attr(g, z, "nameservers") ||
		    has_subject(out, z))
			continue;
		edges = sf_graph_out(g, z, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = sf_graph_edge_at(g, edges[k]);
			const sf_node *to = sf_graph_node_at(g, e->to);
			if (e->kind != SF_EDGE_SERVED_BY || to->kind != SF_KIND_DNS_PROVIDER ||
			    e->to == provider)
				continue;
			provider = e->to;
			providers++;
		}
		if (providers != 1)
			continue;
		memset(&hit, 0, sizeof(hit));
		hit.subject = z;
		hit.shared = provider;
		hit.why = SF_DNS_ONE_PROVIDER;
		if (push_hit(out, &hit) < 0)
			return -1;
	}
	return 0;
}

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
	const size_t *edges = sf_graph_out(g, v, &cnt);
	for (size_t k = 0; k < cnt; k++)
		if (leads(sf_graph_edge_at(g, edges[k])))
			return 0;
	return 1;
}

static int hit_at(sf_dns_hits *out, const sf_failover_member *m, const frame *st, size_t depth,
                  sf_node_id subject, sf_dns_why why)
{
	sf_dns_hit hit;
	size_t n = depth + (depth == 0 || st[depth - 1].v != subject);
	if (has_subject(out, subject))
		return 0;
	memset(&hit, 0, sizeof(hit));
	hit.subject = subject;
	hit.shared = subject;
	hit.why = why;
	hit.member = m;
	hit.path = malloc(n * sizeof(*hit.path));
	if (!hit.path)
		return -1;
	for (size_t i = 0; i < depth; i++)
		hit.path[i] = st[i].v;
	hit.path[n - 1] = subject;
	hit.npath = n;
	if (push_hit(out, &hit) < 0) {
		free(hit.path);
		return -1;
	}
	return 0;
}

/* Depth-first, iterative: state 1 on the path, 2 done. */
static int walk(sf_graph *g, const sf_failover_member *m, unsigned long long kinds,
                unsigned char *state, sf_node_id *touched, size_t *ntouched, sf_dns_hits *out)
{
	frame st[WALK_MAX_FRAMES];
	size_t depth = 0, budget = WALK_BUDGET;
	sf_node_id root = m->root;
	const sf_node *rn = sf_graph_node_at(g, root);

	if (!rn || !is_chain_node(rn))
		return 0;
	st[0].v = root;
	st[0].next = 0;
	st[0].names = strncmp(rn->key, "dns:", 4) == 0;
	state[root] = 1;
	touched[(*ntouched)++] = root;
	depth = 1;
	while (depth > 0) {
		frame *f = &st[depth - 1];
		size_t cnt;
		const size_t *edges = sf_graph_out(g, f->v, &cnt);
		const sf_edge *e = NULL;
		const sf_node *to;
		unsigned names;

		if (f->next == 0 && is_terminal(g, f->v)) {
			const sf_node *n = sf_graph_node_at(g, f->v);
			const char *u = sf_graph_attr(g, f->v, "unresolved");
			if (u && strcmp(u, "true") == 0 && (!kinds || ((kinds >> n->kind) & 1)) &&
			    hit_at(out, m, st, depth, f->v, SF_DNS_UNDEFINED) < 0)
				return -1;
		}
		while (f->next < cnt && !e) {
			const sf_edge *c = sf_graph_edge_at(g, edges[f->next++]);
			if (leads(c))
				e = c;
		}
		if (!e) {
			state[f->v] = 2;
			depth--;
			continue;
		}
		to = sf_graph_node_at(g, e->to);
		if (!is_chain_node(to) || state[e->to] == 2)
			continue;           /* reaches a resource: resolved */
		if (state[e->to] == 1) {
			if (hit_at(out, m, st, depth, e->to, SF_DNS_LOOP) < 0)
				return -1;
			continue;
		}
		names = f->names + (strncmp(to->key, "dns:", 4) == 0);
		if (names > SF_DNS_MAX_CHAIN + 1 || depth == WALK_MAX_FRAMES) {
			if (hit_at(out, m, st, depth, e->to, SF_DNS_TOO_LONG) < 0)
				return -1;
			continue;
		}
		if (budget-- == 0)
			return 0;
		state[e->to] = 1;
		touched[(*ntouched)++] = e->to;
		st[depth].v = e->to;
		st[depth].next = 0;
		st[depth].names = names;
		depth++;
	}
	return 0;
}

int sf_check_unresolved(sf_graph *g, const sf_pair *p, int primary, int standby,
                        unsigned long long kinds, sf_dns_hits *out)
{
	size_t n = sf_graph_node_count(g);
	unsigned char *state = calloc(n + 1, 1);
	sf_node_id *touched = malloc((WALK_BUDGET + 2) * sizeof(*touched));
	int rc = 0;

	if (!state || !touched) {
		free(state);
		free(touched);
		return -1;
	}
	for (size_t i = 0; rc == 0 && i <= p->nstandby; i++) {
		const sf_failover_member *m = i == 0 ? p->primary : p->standby[i - 1];
		size_t nt = 0;
		if (!m || m->root == SF_NODE_NONE || (i == 0 && !primary) || (i > 0 && !standby))
			continue;
		rc = walk(g, m, kinds, state, touched, &nt, out);
		for (size_t k = 0; k < nt; k++)
			state[touched[k]] = 0;
	}
	free(state);
	free(touched);
	return rc;
}
