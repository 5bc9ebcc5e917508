#include "simulate.h"

#include <stdlib.h>
#include <string.h>

#include "model/buf.h"

const char *sf_outcome_name(sf_outcome o)
{
	switch (o) {
	case SF_OUTCOME_SERVES: return "serves";
	case SF_OUTCOME_DEGRADED: return "degraded";
	default: return "down";
	}
}

static int push(sf_node_id **v, size_t *n, sf_node_id x)
{
	sf_node_id *t;
	if (*n == 0 || (*n >= 4 && (*n & (*n - 1)) == 0)) {     /* full at 4, 8, 16, ... */
		t = realloc(*v, (*n ? *n * 2 : 4) * sizeof(*t));
		if (!t)
			return -1;
		*v = t;
	}
	(*v)[(*n)++] = x;
	return 0;
}

/* Does `key` name `value` as its last segment ("region:aws/us-east-1"
 * names us-east-1)? */
static int names(const char *key, const char *value)
{
	const char *slash = strrchr(key, '/'), *colon = strchr(key, ':');
	const char *last = slash ? slash + 1 : colon ? colon + 1 : key;
	return strcmp(last, value) == 0;
}

long sf_simulate_select(sf_graph *g, const char *spec, sf_node_id **sel, size_t *nsel)
{
	const char *eq = strchr(spec, '=');
	size_t n = sf_graph_node_count(g), nlen;
	char name[64];
	long found = 0;
	int kind = -1, cat = -1;
	sf_node_id id = sf_graph_find(g, spec);

	if (id != SF_NODE_NONE)
		return push(sel, nsel, sf_graph_live(g, id)) < 0 ? -1 : 1;
	if (!eq || (nlen = (size_t)(eq - spec)) == 0 || nlen >= sizeof(name) || !eq[1])
		return -2;
	memcpy(name, spec, nlen);
	name[nlen] = '\0';
	for (size_t i = 0; i < nlen; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '_'))
			return -2;
	if (strcmp(name, "region") == 0)
		kind = SF_KIND_REGION;
	else if (strcmp(name, "account") == 0)
		kind = SF_KIND_ACCOUNT;
	else if (strcmp(name, "az") == 0 || strcmp(name, "availability_zone") == 0)
		kind = SF_KIND_AVAILABILITY_ZONE;
	else if (strcmp(name, "category") == 0 && (cat = sf_category_from_name(eq + 1)) < 0)
		return -2;
	else if (strcmp(name, "kind") == 0 && (kind = sf_kind_from_name(eq + 1)) < 0)
		return -2;
	else if (cat < 0 && kind < 0 && !sf_graph_attr_allowed(name))
		return -2;
	for (sf_node_id v = 0; v < n; v++) {
		const sf_node *node = sf_graph_node_at(g, v);
		int take;
		const char *a;
		if (node->merged)
			continue;
		if (cat >= 0)
			take = (int)sf_kind_get(node->kind)->category == cat;
		else if (strcmp(name, "kind") == 0)
			take = (int)node->kind == kind;
		else if (kind >= 0)
			take = (int)node->kind == kind && names(sf_graph_node_key(g, node), eq + 1);
		else
			take = (a = sf_graph_attr(g, v, name)) && strcmp(a, eq + 1) == 0;
		if (!take)
			continue;
		if (push(sel, nsel, v) < 0)
			return -1;
		found++;
	}
	return found;
}

/* Spread the failure of `seeds` over the graph on `plane`; failed[v] set
 * for every node that fails. */
static int spread(sf_graph *g, const sf_node_id *seeds, size_t nseeds, sf_plane plane,
                  unsigned char *failed)
{
	size_t n = sf_graph_node_count(g), head = 0, tail = 0;
	sf_node_id *queue = malloc((n ? n : 1) * sizeof(*queue));
	uint32_t *remaining = calloc(n ? n : 1, sizeof(*remaining));
	unsigned char *touched = calloc(n ? n : 1, 1);
	int rc = -1;

	if (!queue || !remaining || !touched)
		goto cleanup;
	memset(failed, 0, n);
	for (size_t i = 0; i < nseeds; i++)
		if (!failed[seeds[i]]) {
			failed[seeds[i]] = 1;
			queue[tail++] = seeds[i];
		}
	while (head < tail) {
		sf_node_id u = queue[head++];
		size_t cnt;
		const sf_edge_id *in = sf_graph_in(g, u, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = sf_graph_edge_at(g, in[k]);
			sf_node_id v = e->from;
			if (!sf_edge_propagates(e->kind, plane) || failed[v])
				continue;
			if (sf_graph_node_at(g, v)->gate == SF_GATE_ANY && !sf_edge_kind_get(e->kind)->required) {
				if (!touched[v]) {
					/* its alternatives: propagating, not required */
					size_t oc;
					const sf_edge *out = sf_graph_out(g, v, &oc);
					touched[v] = 1;
					for (size_t j = 0; j < oc; j++) {
						const sf_edge *o = &out[j];
						remaining[v] += sf_edge_propagates(o->kind, plane) &&
						                !sf_edge_kind_get(o->kind)->required;
					}
				}
				if (--remaining[v] > 0)
					continue;
			}
			failed[v] = 1;
			queue[tail++] = v;
		}
	}
	rc = 0;
cleanup:
	free(queue);
	free(remaining);
	free(touched);
	return rc;
}

/* Work arrays of the path searches, allocated once per simulation: a
 * region's failure asks for a path from thousands of services. `seen`
 * holds stamps, so a search clears it with one increment. */
typedef struct walker {
	sf_node_id *queue, *parent;
	uint32_t *seen, stamp;
} walker;

/* Shortest path from `from` to a seed through failed nodes only: why
 * `from` failed. */
static int why(sf_graph *g, walker *w, sf_node_id from, sf_plane plane,
               const unsigned char *failed, const unsigned char *seed, sf_because *b)
{
	size_t head = 0, tail = 0, len = 0;
	sf_node_id end = SF_NODE_NONE;

	b->plane = plane;
	b->path = NULL;
	b->n = 0;
	if (++w->stamp == 0) {
		memset(w->seen, 0, sf_graph_node_count(g) * sizeof(*w->seen));
		w->stamp = 1;
	}
	w->seen[from] = w->stamp;
	w->parent[from] = SF_NODE_NONE;
	w->queue[tail++] = from;
	while (head < tail) {
		sf_node_id u = w->queue[head++];
		size_t cnt;
		const sf_edge *out;
		if (seed[u]) {
			end = u;
			break;
		}
		out = sf_graph_out(g, u, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &out[k];
			if (!sf_edge_propagates(e->kind, plane) || w->seen[e->to] == w->stamp || !failed[e->to])
				continue;
			w->seen[e->to] = w->stamp;
			w->parent[e->to] = u;
			w->queue[tail++] = e->to;
		}
	}
	if (end == SF_NODE_NONE)
		return 0;
	for (sf_node_id v = end; v != SF_NODE_NONE; v = w->parent[v])
		len++;
	if (!(b->path = malloc(len * sizeof(*b->path))))
		return -1;
	b->n = len;
	for (sf_node_id v = end; v != SF_NODE_NONE; v = w->parent[v])
		b->path[--len] = v;
	return 0;
}

static int add_because(sf_graph *g, walker *w, sf_service_fate *s, const char *side,
                       sf_node_id from, sf_plane plane, const unsigned char *failed,
                       const unsigned char *seed)
{
	sf_because b, *t;
	if (why(g, w, from, plane, failed, seed, &b) < 0)
		return -1;
	b.side = side;
	if (!(t = realloc(s->because, (s->nbecause + 1) * sizeof(*t)))) {
		free(b.path);
		return -1;
	}
	s->because = t;
	s->because[s->nbecause++] = b;
	return 0;
}

static const sf_graph *cmp_g;

static int cmp_key(const void *a, const void *b)
{
	return strcmp(sf_graph_key(cmp_g, *(const sf_node_id *)a),
	              sf_graph_key(cmp_g, *(const sf_node_id *)b));
}

/* Judge one pair from the two spreads. */
static int judge(sf_graph *g, walker *w, const sf_pair *p, const unsigned char *data,
                 const unsigned char *ctrl, const unsigned char *seed, sf_service_fate *s)
{
	sf_node_id zone = SF_NODE_NONE;
	memset(s, 0, sizeof(*s));
	s->pair = p;
	for (size_t i = 0; i < p->nexcluded && zone == SF_NODE_NONE; i++)
		if (sf_graph_node_at(g, p->excluded[i])->kind == SF_KIND_DNS_ZONE && data[p->excluded[i]])
			zone = p->excluded[i];
	if (zone != SF_NODE_NONE) {
		s->outcome = SF_OUTCOME_DOWN;
		return add_because(g, w, s, "name", zone, SF_PLANE_DATA, data, seed);
	}
	if (p->primary && !data[p->primary->root])
		s->serving = p->primary;
	for (size_t i = 0; i < p->nstandby && !s->serving; i++)
		if (!data[p->standby[i]->root])
			s->serving = p->standby[i];
	if (!s->serving) {
		s->outcome = SF_OUTCOME_DOWN;
		if (p->primary && add_because(g, w, s, "primary", p->primary->root, SF_PLANE_DATA, data, seed) < 0)
			return -1;
		for (size_t i = 0; i < p->nstandby; i++)
			if (add_because(g, w, s, "standby", p->standby[i]->root, SF_PLANE_DATA, data, seed) < 0)
				return -1;
		return 0;
	}
	s->outcome = SF_OUTCOME_SERVES;
	if (s->serving != p->primary) {
		s->outcome = SF_OUTCOME_DEGRADED;
		if (p->primary && add_because(g, w, s, "primary", p->primary->root, SF_PLANE_DATA, data, seed) < 0)
			return -1;
	}
	if (ctrl[s->serving->root]) {
		/* serving, but what serves cannot be recovered or changed */
		s->outcome = SF_OUTCOME_DEGRADED;
		if (add_because(g, w, s, s->serving == p->primary ? "primary" : "standby", s->serving->root,
		                SF_PLANE_CONTROL, ctrl, seed) < 0)
			return -1;
	}
	return 0;
}

int sf_simulate_run(sf_graph *g, const sf_failover *fo, const sf_node_id *failed, size_t nfailed,
                    sf_simulation *out)
{
	size_t n = sf_graph_node_count(g);
	unsigned char *data = malloc(n ? n : 1), *ctrl = malloc(n ? n : 1);
	unsigned char *seed = calloc(n ? n : 1, 1);
	walker w = { malloc((n ? n : 1) * sizeof(sf_node_id)), malloc((n ? n : 1) * sizeof(sf_node_id)),
	             calloc(n ? n : 1, sizeof(uint32_t)), 0 };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!data || !ctrl || !seed || !w.queue || !w.parent || !w.seen)
		goto cleanup;
	for (size_t i = 0; i < nfailed; i++)
		if (!seed[failed[i]]) {
			seed[failed[i]] = 1;
			if (push(&out->failed, &out->nfailed, failed[i]) < 0)
				goto cleanup;
		}
	cmp_g = g;
	sf_sort(out->failed, out->nfailed, sizeof(*out->failed), cmp_key);
	cmp_g = NULL;
	if (spread(g, out->failed, out->nfailed, SF_PLANE_DATA, data) < 0 ||
	    spread(g, out->failed, out->nfailed, SF_PLANE_CONTROL, ctrl) < 0)
		goto cleanup;
	out->services = calloc(fo->npairs ? fo->npairs : 1, sizeof(*out->services));
	if (!out->services)
		goto cleanup;
	for (size_t i = 0; i < fo->npairs; i++) {
		out->nservices++;
		if (judge(g, &w, &fo->pairs[i], data, ctrl, seed, &out->services[i]) < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	free(data);
	free(ctrl);
	free(seed);
	free(w.queue);
	free(w.parent);
	free(w.seen);
	if (rc < 0)
		sf_simulation_free(out);
	return rc;
}

void sf_simulation_free(sf_simulation *s)
{
	for (size_t i = 0; i < s->nservices; i++) {
		for (size_t k = 0; k < s->services[i].nbecause; k++)
			free(s->services[i].because[k].path);
		free(s->services[i].because);
	}
	free(s->services);
	free(s->failed);
	memset(s, 0, sizeof(*s));
}
