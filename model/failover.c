#include "buf.h"
#include "failover.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void sf_failover_init(sf_failover *fo)
{
	memset(fo, 0, sizeof(*fo));
}

void sf_failover_free(sf_failover *fo)
{
	for (size_t i = 0; i < fo->npairs; i++) {
		free(fo->pairs[i].standby);
		free(fo->pairs[i].excluded);
	}
	free(fo->pairs);
	free(fo->members);
	free(fo->index);
	memset(fo, 0, sizeof(*fo));
}

/* The group is interned, so its address names it: the hash mixes that
 * address (which no input can choose) with the role and the root. */
static size_t member_hash(const char *group, int role, sf_node_id root)
{
	uint64_t x = (uint64_t)(uintptr_t)group ^ ((uint64_t)(unsigned)role << 40) ^
	             ((uint64_t)root << 8);
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return (size_t)x;
}

static int index_grow(sf_failover *fo)
{
	size_t cap = fo->indexcap ? fo->indexcap * 2 : 64;
	size_t *t = calloc(cap, sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < fo->nmembers; i++) {
		const sf_failover_member *o = &fo->members[i];
		size_t j = member_hash(o->group, o->role, o->root) & (cap - 1);
		while (t[j])
			j = (j + 1) & (cap - 1);
		t[j] = i + 1;
	}
	free(fo->index);
	fo->index = t;
	fo->indexcap = cap;
	return 0;
}

int sf_failover_add(sf_failover *fo, sf_graph *g, const sf_failover_member *m)
{
	sf_failover_member *n;
	const char *group;
	size_t j;

	if (!m->group || !m->name || !(group = sf_graph_intern(g, m->group)))
		return -1;
	if ((fo->nmembers + 1) * 2 > fo->indexcap && index_grow(fo) < 0)
		return -1;
	j = member_hash(group, m->role, m->root) & (fo->indexcap - 1);
	for (; fo->index[j]; j = (j + 1) & (fo->indexcap - 1)) {
		const sf_failover_member *o = &fo->members[fo->index[j] - 1];
		fo->probes++;
		if (o->group == group && o->role == m->role && o->root == m->root)
			return 0;
	}
	if (fo->nmembers == fo->cap) {
		size_t cap = fo->cap ? fo->cap * 2 : 16;
		sf_failover_member *p = realloc(fo->members, cap * sizeof(*p));
		if (!p)
			return -1;
		fo->members = p;
		fo->cap = cap;
	}
	n = &fo->members[fo->nmembers];
	*n = *m;
	n->group = group;
	n->pair_key = NULL;
	n->source = sf_graph_intern(g, m->source ? m->source : "unknown");
	n->name = sf_graph_intern(g, m->name);
	n->service = m->service ? sf_graph_intern(g, m->service) : NULL;
	n->prov.path = m->prov.path ? sf_graph_intern(g, m->prov.path) : NULL;
	if (!n->group || !n->source || !n->name)
		return -1;
	fo->index[j] = ++fo->nmembers;
	return 0;
}

const char *sf_failover_default_service(sf_graph *g, const char *name)
{
	size_t n = strlen(name);
	if (n > 1 && name[n - 1] == '.')
		n--;
	return sf_graph_internn(g, name, n);
}

static sf_graph *sort_graph;

static const char *node_key(sf_node_id id)
{
	const sf_node *n = id == SF_NODE_NONE ? NULL : sf_graph_node_at(sort_graph, id);
	return n ? sf_graph_node_key(sort_graph, n) : "";
}

static int cmp_member(const void *a, const void *b)
{
	const sf_failover_member *x = *(const sf_failover_member *const *)a;
	const sf_failover_member *y = *(const sf_failover_member *const *)b;
	int c = strcmp(x->pair_key, y->pair_key);
	if (c)
		return c;
	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	c = strcmp(node_key(x->root), node_key(y->root));
	if (c)
		return c;
	c = strcmp(node_key(x->record), node_key(y->record));
	return c ? c : strcmp(x->group, y->group);
}

/* `route53:NAME/TYPE` -> `route53:NAME`: the A and AAAA records of one
 * name fail over together, so they are one pair, not two that print every
 * finding twice. Other groups are pairs of their own. */
static const char *pair_key_of(sf_graph *g, const sf_failover_member *m)
{
	const char *colon = strchr(m->group, ':');
	size_t nl = strlen(m->name);
	if (colon && strncmp(colon + 1, m->name, nl) == 0 && colon[1 + nl] == '/')
		return sf_graph_internn(g, m->group, (size_t)(colon + 1 - m->group) + nl);
	return m->group;
}

/* The zones and DNS providers behind the failover records: every node
 * reachable from a record through served_by edges only. */
static int collect_excluded(sf_graph *g, sf_pair *p, const sf_failover_member **ms, size_t n)
{
	size_t cap = 8, len = 0;
	sf_node_id *q = malloc(cap * sizeof(*q));

	if (!q)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (ms[i]->record != SF_NODE_NONE) {
			int seen = 0;
			for (size_t k = 0; k < len; k++)
				seen |= q[k] == ms[i]->record;
			if (seen)
				continue;
			if (len == cap) {
				sf_node_id *t = realloc(q, (cap *= 2) * sizeof(*q));
				if (!t) {
					free(q);
					return -1;
				}
				q = t;
			}
			q[len++] = ms[i]->record;
		}
	for (size_t head = 0; head < len; head++) {
		size_t cnt;
		const sf_edge *out = sf_graph_out(g, q[head], &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &out[k];
			int seen = 0;
			if (e->kind != SF_EDGE_SERVED_BY)
				continue;
			for (size_t j = 0; j < len; j++)
				seen |= q[j] == e->to;
			if (seen)
				continue;
			if (len == cap) {
				sf_node_id *t = realloc(q, (cap *= 2) * sizeof(*q));
				if (!t) {
					free(q);
					return -1;
				}
				q = t;
			}
			q[len++] = e->to;
		}
	}
	/* The records themselves are not dependencies either. */
	p->excluded = q;
	p->nexcluded = len;
	return 0;
}

int sf_failover_settle(sf_failover *fo, sf_graph *g)
{
	for (size_t k = 0; k < fo->nmembers; k++) {
		sf_failover_member *m = &fo->members[k];
		/* Placeholders merged by the link phase: point at the live node. */
		if (m->root != SF_NODE_NONE)
			m->root = sf_graph_live(g, m->root);
		if (m->record != SF_NODE_NONE)
			m->record = sf_graph_live(g, m->record);
		if (!m->pair_key && !(m->pair_key = pair_key_of(g, m)))
			return -1;
		/* the service a pair without one is given (the build looks
		 * it up again) */
		if (!m->service && !sf_failover_default_service(g, m->name))
			return -1;
	}
	return 0;
}

int sf_failover_build(sf_failover *fo, sf_graph *g)
{
	const sf_failover_member **ms;
	size_t i = 0;

	if (fo->nmembers == 0)
		return 0;
	if (sf_failover_settle(fo, g) < 0)
		return -1;
	ms = malloc(fo->nmembers * sizeof(*ms));
	fo->pairs = calloc(fo->nmembers, sizeof(*fo->pairs));
	if (!ms || !fo->pairs) {
		free(ms);
		return -1;
	}
	for (size_t k = 0; k < fo->nmembers; k++)
		ms[k] = &fo->members[k];
	sort_graph = g;
	sf_sort(ms, fo->nmembers, sizeof(*ms), cmp_member);
	sort_graph = NULL;

	while (i < fo->nmembers) {
		size_t j = i;
		sf_pair *p = &fo->pairs[fo->npairs];
		while (j < fo->nmembers && ms[j]->pair_key == ms[i]->pair_key)
			j++;
		p->id = ms[i]->group;
		for (size_t k = i + 1; k < j; k++)
			if (strcmp(ms[k]->group, p->id) < 0)
				p->id = ms[k]->group;
		p->name = ms[i]->name;
		p->source = ms[i]->source;
		p->service = NULL;
		for (size_t k = i; k < j && !p->service; k++)
			p->service = ms[k]->service;
		if (!p->service)
			p->service = sf_failover_default_service(g, p->name);
		p->standby = malloc((j - i) * sizeof(*p->standby));
		if (!p->standby) {
			free(ms);
			return -1;
		}
		for (size_t k = i; k < j; k++) {
			if (ms[k]->role == 0 && !p->primary)
				p->primary = ms[k];
			else if (ms[k]->role > 0 &&
			         !(p->nstandby && p->standby[p->nstandby - 1]->role == ms[k]->role &&
			           p->standby[p->nstandby - 1]->root == ms[k]->root))
				p->standby[p->nstandby++] = ms[k];
		}
		if (collect_excluded(g, p, ms + i, j - i) < 0) {
			free(ms);
			return -1;
		}
		fo->npairs++;
		i = j;
	}
	free(ms);
	return 0;
}
