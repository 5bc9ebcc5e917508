#include "checks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row per check kind, in the order of sf_check_kind. */
const sf_checker *const sf_checkers[SF_CHECK__COUNT] = {
	[SF_CHECK_SHARED] = &sf_checker_shared,
	[SF_CHECK_REACHES] = &sf_checker_reaches,
	[SF_CHECK_ATTRIBUTE] = &sf_checker_record_attribute,
	[SF_CHECK_MISSING_EDGE] = &sf_checker_missing_edge,
	[SF_CHECK_PAIR_INCOMPLETE] = &sf_checker_pair_incomplete,
	[SF_CHECK_SINGLE_PROVIDER] = &sf_checker_single_provider,
	[SF_CHECK_UNRESOLVED] = &sf_checker_unresolved,
	[SF_CHECK_HEALTH_CHECK] = &sf_checker_health_check,
	[SF_CHECK_CERT_COVERAGE] = &sf_checker_cert_coverage,
	[SF_CHECK_PATH_ATTRIBUTE] = &sf_checker_path_attribute,
	[SF_CHECK_REPLICA_REGION] = &sf_checker_replica_region,
	[SF_CHECK_SHARED_REDUNDANCY] = &sf_checker_shared_redundancy,
	[SF_CHECK_SERVICE_ATTRIBUTE] = &sf_checker_service_attribute,
	[SF_CHECK_CYCLE] = &sf_checker_recovery_cycle,
};

int sf_check_run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	const sf_checker *c = (unsigned)r->check < SF_CHECK__COUNT ? sf_checkers[r->check] : NULL;
	return c ? c->run(ctx, r, p, out) : 0;
}

void sf_hit_init(sf_hit *h)
{
	memset(h, 0, sizeof(*h));
	h->subject = h->shared = h->record = h->through = SF_NODE_NONE;
}

static void hit_free(sf_hit *h)
{
	free(h->ppath);
	free(h->spath);
	free(h->owned);
	free(h->set);
}

int sf_hits_add(sf_hits *hits, sf_hit *h)
{
	if (hits->count == hits->cap) {
		size_t cap = hits->cap ? hits->cap * 2 : 8;
		sf_hit *p = realloc(hits->items, cap * sizeof(*p));
		if (!p) {
			hit_free(h);
			return -1;
		}
		hits->items = p;
		hits->cap = cap;
	}
	hits->items[hits->count++] = *h;
	return 0;
}

void sf_hits_free(sf_hits *hits)
{
	for (size_t i = 0; i < hits->count; i++)
		hit_free(&hits->items[i]);
	free(hits->items);
	memset(hits, 0, sizeof(*hits));
}

int sf_hits_has(const sf_hits *hits, sf_node_id subject)
{
	for (size_t i = 0; i < hits->count; i++)
		if (hits->items[i].subject == subject)
			return 1;
	return 0;
}

static int num(const char *s, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return s[0] && !*end && !errno;
}

static int compare(const sf_rule *r, const char *have, const char *want)
{
	double x, y;
	int c;
	if (num(have, &x) && num(want, &y))
		c = x < y ? -1 : x > y ? 1 : 0;
	else
		c = strcmp(have, want);
	switch (r->op) {
	case SF_OP_GT: return c > 0;
	case SF_OP_GE: return c >= 0;
	case SF_OP_LT: return c < 0;
	case SF_OP_LE: return c <= 0;
	case SF_OP_EQ: return c == 0;
	case SF_OP_NE: return c != 0;
	default: return 0;
	}
}

static const char *rule_value(const sf_check_ctx *ctx, const char *v, char *buf, size_t bufsz)
{
	if (strcmp(v, "{threshold}") == 0) {
		snprintf(buf, bufsz, "%ld", ctx->ttl_threshold);
		return buf;
	}
	return v;
}

int sf_check_attribute(const sf_check_ctx *ctx, const sf_rule *r, sf_node_id id,
                       const char **value)
{
	const char *have = sf_graph_attr(ctx->g, id, r->attribute);
	char buf[32];
	*value = have;
	if (r->op == SF_OP_MISSING)
		return have == NULL;
	if (!have)
		return 0;
	if (r->op == SF_OP_IN) {
		for (size_t i = 0; i < r->nvalues; i++)
			if (strcmp(have, rule_value(ctx, r->values[i], buf, sizeof(buf))) == 0)
				return 1;
		return 0;
	}
	return compare(r, have, rule_value(ctx, r->values[0], buf, sizeof(buf)));
}

int sf_check_rule_takes(const sf_rule *r, const sf_node *n)
{
	const sf_kind_info *ki = sf_kind_get(n->kind);
	if (ki->category == SF_CAT_GOVERNANCE)
		return 0;
	if (r->kinds)
		return (int)((r->kinds >> n->kind) & 1);
	if (r->categories)
		return (int)((r->categories >> ki->category) & 1);
	return 1;
}

size_t sf_check_members(const sf_pair *p, const sf_rule *r, const sf_failover_member **ms,
                        size_t max)
{
	size_t n = 0;
	if (p->primary && r->subject != SF_SUBJECT_STANDBY && n < max)
		ms[n++] = p->primary;
	for (size_t i = 0; i < p->nstandby && r->subject != SF_SUBJECT_PRIMARY && n < max; i++)
		ms[n++] = p->standby[i];
	return n;
}

sf_node_id sf_check_member_node(const sf_failover_member *m)
{
	return m->record != SF_NODE_NONE ? m->record : m->root;
}

int sf_check_excluded(const sf_pair *p, sf_node_id v)
{
	for (size_t i = 0; i < p->nexcluded; i++)
		if (p->excluded[i] == v)
			return 1;
	return 0;
}

sf_prov sf_check_pair_location(sf_graph *g, const sf_pair *p, int prefer_standby)
{
	const sf_failover_member *m = NULL;
	sf_prov none = { NULL, 0 };
	if (prefer_standby && p->nstandby)
		m = p->standby[0];
	if (!m)
		m = p->primary ? p->primary : (p->nstandby ? p->standby[0] : NULL);
	if (!m)
		return none;
	if (m->prov.path)
		return m->prov;
	if (m->record != SF_NODE_NONE)
		return sf_graph_node_prov(g, sf_graph_node_at(g, m->record));
	return none;
}

sf_prov sf_check_member_location(sf_graph *g, const sf_pair *p, const sf_failover_member *m)
{
	if (m && m->prov.path)
		return m->prov;
	return sf_check_pair_location(g, p, m != p->primary);
}

int sf_check_walk_data(sf_graph *g, const sf_pair *p, const sf_node_id *roots, size_t nroots,
                       sf_nodeset *w)
{
	size_t head = 0;
	for (size_t i = 0; i < nroots; i++)
		if (roots[i] != SF_NODE_NONE && !sf_check_excluded(p, roots[i]) &&
		    sf_nodeset_add(w, roots[i], SF_NODE_NONE) < 0)
			return -1;
	while (head < w->count) {
		sf_node_id u = w->order[head++];
		size_t cnt;
		const sf_edge *out = sf_graph_out(g, u, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &out[k];
			if (!sf_edge_propagates(e->kind, SF_PLANE_DATA) || sf_check_excluded(p, e->to))
				continue;
			if (sf_nodeset_add(w, e->to, u) < 0)
				return -1;
		}
	}
	return 0;
}

int sf_check_each_record(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p,
                         int (*fires)(sf_check_ctx *ctx, const sf_rule *r, sf_node_id id,
                                      const char **value),
                         sf_hits *out)
{
	const sf_failover_member *ms[64];
	size_t n = sf_check_members(p, r, ms, 64);
	for (size_t i = 0; i < n; i++) {
		sf_node_id id = sf_check_member_node(ms[i]);
		const char *value = NULL;
		int seen = 0;
		sf_hit hit;
		/* Members may share their record (a pair declared in
		 * sharedfate.yaml: both sides hang off the one failover name):
		 * check it once. */
		for (size_t k = 0; k < i; k++)
			seen |= sf_check_member_node(ms[k]) == id;
		if (id == SF_NODE_NONE || seen)
			continue;
		if (r->record_type && r->record_type[0]) {
			const char *t = sf_graph_attr(ctx->g, id, "type");
			if (!t || strcmp(t, r->record_type) != 0)
				continue;
		}
		if (!fires(ctx, r, id, &value))
			continue;
		sf_hit_init(&hit);
		hit.subject = hit.record = id;
		hit.value = value;
		hit.loc = ms[i]->prov.path ? ms[i]->prov : sf_graph_node_prov(ctx->g, sf_graph_node_at(ctx->g, id));
		if (sf_hits_add(out, &hit) < 0)
			return -1;
	}
	return 0;
}

sf_node_id sf_check_service(sf_graph *g, const sf_pair *p)
{
	char key[600];
	sf_node_id id, name;
	const sf_edge_id *in;
	size_t cnt;
	if (!p || !p->service || !p->name)
		return SF_NODE_NONE;
	snprintf(key, sizeof(key), "service:%s", p->service);
	id = sf_graph_find(g, key);
	if (id != SF_NODE_NONE && sf_graph_node_at(g, id)->kind == SF_KIND_SERVICE)
		return id;
	snprintf(key, sizeof(key), "dns:%s", p->name);
	if ((name = sf_graph_find(g, key)) == SF_NODE_NONE)
		return SF_NODE_NONE;
	in = sf_graph_in(g, name, &cnt);
	for (size_t k = 0; k < cnt; k++) {
		const sf_edge *e = sf_graph_edge_at(g, in[k]);
		if (e->kind == SF_EDGE_DEPENDS_ON && sf_graph_node_at(g, e->from)->kind == SF_KIND_SERVICE)
			return e->from;
	}
	return SF_NODE_NONE;
}
