#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/buf.h"

static int view_init(sf_view *v, sf_scan *s)
{
	memset(v, 0, sizeof(*v));
	v->scan = s;
	v->npos = sf_graph_node_count(s->graph);
	v->pos = calloc(v->npos ? v->npos : 1, sizeof(*v->pos));
	return v->pos ? 0 : -1;
}

void sf_view_free(sf_view *v)
{
	free(v->nodes);
	free(v->pos);
	memset(v, 0, sizeof(*v));
}

long sf_view_find(const sf_view *v, sf_node_id id)
{
	if (id == SF_NODE_NONE || id >= v->npos || !v->pos[id])
		return -1;
	return (long)v->pos[id] - 1;
}

/* Add a node (its live form) or return the one there; NULL out of memory. */
static sf_view_node *view_add(sf_view *v, sf_node_id id)
{
	long at;
	if (id == SF_NODE_NONE)
		return NULL;
	id = sf_graph_live(v->scan->graph, id);
	if ((at = sf_view_find(v, id)) >= 0)
		return &v->nodes[at];
	if (v->count == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		sf_view_node *n = realloc(v->nodes, cap * sizeof(*n));
		if (!n)
			return NULL;
		v->nodes = n;
		v->cap = cap;
	}
	memset(&v->nodes[v->count], 0, sizeof(v->nodes[0]));
	v->nodes[v->count].id = id;
	v->pos[id] = (uint32_t)++v->count;
	return &v->nodes[v->count - 1];
}

static sf_view_node *view_add_key(sf_view *v, const char *key)
{
	sf_node_id id = key ? sf_graph_find(v->scan->graph, key) : SF_NODE_NONE;
	return id == SF_NODE_NONE ? NULL : view_add(v, id);
}

/* Breadth-first along edges a failure travels, from `root`, to a depth and
 * a node budget: enough to show a side's path without drawing the estate. */
static int follow(sf_view *v, sf_node_id root, unsigned side)
{
	sf_node_id queue[SF_VIEW_SIDE_MAX];
	int depth[SF_VIEW_SIDE_MAX];
	size_t head = 0, tail = 0;
	sf_view_node *n;

	if (root == SF_NODE_NONE)
		return 0;
	if (!(n = view_add(v, root)))
		return -1;
	n->sides |= side;
	queue[tail] = n->id;
	depth[tail++] = 0;
	while (head < tail) {
		sf_node_id at = queue[head];
		int d = depth[head++];
		size_t cnt;
		const sf_edge *outs;
		if (d >= SF_VIEW_DEPTH)
			continue;
		outs = sf_graph_out(v->scan->graph, at, &cnt);
		for (size_t i = 0; i < cnt && tail < SF_VIEW_SIDE_MAX; i++) {
			const sf_edge *e = &outs[i];
			sf_node_id to = sf_graph_live(v->scan->graph, e->to);
			long seen = sf_view_find(v, to);
			if (sf_edge_kind_get(e->kind)->plane == SF_PLANE_NONE)
				continue;
			if (seen >= 0 && (v->nodes[seen].sides & side))
				continue;
			if (!(n = view_add(v, to)))
				return -1;
			n->sides |= side;
			queue[tail] = to;
			depth[tail++] = d + 1;
		}
	}
	return 0;
}

static void add_rule(sf_view_node *n, const sf_finding *f)
{
	size_t len = strlen(n->rules), idl = strlen(f->rule->id);
	if (strstr(n->rules, f->rule->id))
		return;
	if (len + idl + 2 > sizeof(n->rules))
		return;
	if (len)
		n->rules[len++] = ' ';
	memcpy(n->rules + len, f->rule->id, idl + 1);
	if (!n->anchor)
		n->anchor = f->fingerprint;
}

/* A finding's paths and shared nodes, marked. */
static int add_finding(sf_view *v, const sf_finding *f, int sided)
{
	sf_view_node *n;
	for (size_t i = 0; i < f->nprimary_path; i++)
		if ((n = view_add_key(v, f->primary_path[i])))
			n->sides |= sided ? SF_VIEW_PRIMARY : 0;
	for (size_t i = 0; i < f->nstandby_path; i++)
		if ((n = view_add_key(v, f->standby_path[i])))
			n->sides |= sided ? SF_VIEW_STANDBY : 0;
	for (size_t i = 0; i < f->nshared; i++)
		if ((n = view_add_key(v, f->shared[i]))) {
			n->shared = 1;
			add_rule(n, f);
		}
	if (!f->nshared && f->subject && (n = view_add_key(v, f->subject)))
		add_rule(n, f);
	return 0;
}

/* qsort has no context argument in C11: the scan whose keys order the
 * view, set just before sorting (one thread). */
static sf_scan *sort_scan;

static int cmp_key(const void *a, const void *b)
{
	const sf_view_node *x = a, *y = b;
	return strcmp(sf_graph_key(sort_scan->graph, x->id),
	              sf_graph_key(sort_scan->graph, y->id));
}

/* Sort by key and rebuild the index: the output order is the input's. */
static void view_finish(sf_view *v)
{
	sort_scan = v->scan;
	sf_sort(v->nodes, v->count, sizeof(v->nodes[0]), cmp_key);
	for (size_t i = 0; i < v->count; i++)
		v->pos[v->nodes[i].id] = (uint32_t)(i + 1);
}

static int pair_into(sf_view *v, const sf_pair *p)
{
	if (p->primary) {
		if (follow(v, p->primary->record, SF_VIEW_PRIMARY) < 0 ||
		    follow(v, p->primary->root, SF_VIEW_PRIMARY) < 0)
			return -1;
	}
	for (size_t i = 0; i < p->nstandby; i++)
		if (follow(v, p->standby[i]->record, SF_VIEW_STANDBY) < 0 ||
		    follow(v, p->standby[i]->root, SF_VIEW_STANDBY) < 0)
			return -1;
	for (size_t i = 0; i < v->scan->findings.count; i++) {
		const sf_finding *f = &v->scan->findings.items[i];
		if (f->pair == p)
			add_finding(v, f, 1);
	}
	return 0;
}

/* Drop rule id `id` from a node's list: its set label says it. */
static void drop_rule(sf_view_node *n, const char *id)
{
	size_t idl = strlen(id);
	char *at = n->rules;
	while ((at = strstr(at, id)) != NULL) {
		if ((at == n->rules || at[-1] == ' ') && (at[idl] == ' ' || at[idl] == '\0')) {
			size_t skip = idl + (at[idl] == ' ');
			memmove(at, at + skip, strlen(at + skip) + 1);
			if (!at[0] && at > n->rules && at[-1] == ' ')
				at[-1] = '\0';
			continue;
		}
		at += idl;
	}
}

static int is_set(const sf_finding *f)
{
	return f->rule->check == SF_CHECK_SHARED_REDUNDANCY && f->nshared >= 2;
}

size_t sf_view_set_number(sf_scan *s, const sf_finding *f)
{
	size_t n = 0;
	if (!f->pair || !is_set(f))
		return 0;
	for (size_t i = 0; i < s->findings.count && n < SF_VIEW_MAX_SETS; i++) {
		const sf_finding *g = &s->findings.items[i];
		if (g->pair != f->pair || !is_set(g))
			continue;
		n++;
		if (g == f)
			return n;
	}
	return 0;
}

/* Each SF110 finding of the pair is one set: its shared nodes fail only
 * together. A node may be in several sets, so a set is a bit per node
 * rather than a cluster (DOT clusters cannot overlap). */
static void mark_sets(sf_view *v, const sf_pair *p)
{
	for (size_t i = 0; i < v->scan->findings.count && v->nsets < SF_VIEW_MAX_SETS; i++) {
		const sf_finding *f = &v->scan->findings.items[i];
		if (f->pair != p || !is_set(f))
			continue;
		for (size_t k = 0; k < f->nshared; k++) {
			sf_node_id id = sf_graph_find(v->scan->graph, f->shared[k]);
			long at = id == SF_NODE_NONE ? -1 : sf_view_find(v, sf_graph_live(v->scan->graph, id));
			if (at >= 0) {
				v->nodes[at].sets |= 1u << v->nsets;
				drop_rule(&v->nodes[at], f->rule->id);
			}
		}
		v->set_rule[v->nsets] = f->rule->id;
		v->set_anchor[v->nsets++] = f->fingerprint;
	}
}

int sf_view_pair(sf_view *out, sf_scan *s, const sf_pair *pair)
{
	if (view_init(out, s) < 0)
		return -1;
	out->pair = pair;
	out->title = pair->name;
	if (pair_into(out, pair) < 0) {
		sf_view_free(out);
		return -1;
	}
	view_finish(out);
	mark_sets(out, pair);
	return 0;
}

int sf_view_overview(sf_view *out, sf_scan *s, const char *service)
{
	if (view_init(out, s) < 0)
		return -1;
	out->title = service;
	if (!service) {
		size_t n = sf_graph_node_count(s->graph);
		for (sf_node_id id = 0; id < n; id++)
			if (!sf_graph_node_at(s->graph, id)->merged &&
			    !view_add(out, id))
				goto oom;
	}
	for (size_t i = 0; i < s->failover.npairs; i++) {
		const sf_pair *p = &s->failover.pairs[i];
		if (service && (!p->service || strcmp(p->service, service) != 0))
			continue;
		if (pair_into(out, p) < 0)
			goto oom;
	}
	for (size_t i = 0; i < s->findings.count; i++) {
		const sf_finding *f = &s->findings.items[i];
		if (f->pair && (!service || (f->pair->service && strcmp(f->pair->service, service) == 0)))
			continue;  /* drawn with its pair */
		if (service && (!f->service || strcmp(f->service, service) != 0))
			continue;
		add_finding(out, f, 0);
	}
	/* an overview has no sides: one picture of what the service needs */
	for (size_t i = 0; i < out->count; i++)
		out->nodes[i].sides = 0;
	view_finish(out);
	return 0;
oom:
	sf_view_free(out);
	return -1;
}

void sf_view_domain(const sf_view *v, sf_node_id id, char *out, size_t outsz)
{
	const char *acct = sf_graph_attr(v->scan->graph, id, "account");
	const char *region = sf_graph_attr(v->scan->graph, id, "region");
	if (acct && region)
		snprintf(out, outsz, "account %s, %s", acct, region);
	else if (acct)
		snprintf(out, outsz, "account %s", acct);
	else if (region)
		snprintf(out, outsz, "%s", region);
	else if (outsz)
		out[0] = '\0';
}

sf_category sf_view_finding_category(sf_scan *s, const sf_finding *f)
{
	const char *key = f->nshared ? f->shared[0] : f->subject;
	sf_node_id id = key ? sf_graph_find(s->graph, key) : SF_NODE_NONE;
	if (id == SF_NODE_NONE)
		return SF_CAT_OTHER;
	return sf_kind_get(sf_graph_node_at(s->graph, sf_graph_live(s->graph, id))->kind)->category;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int sf_view_services(sf_scan *s, const char ***out, size_t *n)
{
	size_t cap = s->failover.npairs + s->findings.count + 1, k = 0, u = 0;
	const char **list = malloc(cap * sizeof(*list));
	if (!list)
		return -1;
	for (size_t i = 0; i < s->failover.npairs; i++)
		list[k++] = s->failover.pairs[i].service ? s->failover.pairs[i].service
		                                         : SF_VIEW_NO_SERVICE;
	for (size_t i = 0; i < s->findings.count; i++)
		list[k++] = s->findings.items[i].service ? s->findings.items[i].service
		                                         : SF_VIEW_NO_SERVICE;
	sf_sort(list, k, sizeof(*list), cmp_str);
	for (size_t i = 0; i < k; i++)
		if (!u || strcmp(list[u - 1], list[i]) != 0)
			list[u++] = list[i];
	*out = list;
	*n = u;
	return 0;
}

int sf_view_finding_in(const sf_finding *f, const char *service)
{
	return strcmp(f->service ? f->service : SF_VIEW_NO_SERVICE, service) == 0;
}
