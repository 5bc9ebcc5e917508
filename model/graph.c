#include "buf.h"
#include "graph.h"

#include <stdlib.h>
#include <string.h>

static const sf_kind_info kinds[SF_KIND__COUNT] = {
	[SF_KIND_DNS_NAME] = { "dns_name", SF_CAT_DNS },
	[SF_KIND_DNS_ZONE] = { "dns_zone", SF_CAT_DNS },
	[SF_KIND_DNS_PROVIDER] = { "dns_provider", SF_CAT_DNS },
	[SF_KIND_LOAD_BALANCER] = { "load_balancer", SF_CAT_TRAFFIC },
	[SF_KIND_LISTENER] = { "listener", SF_CAT_TRAFFIC },
	[SF_KIND_TARGET_GROUP] = { "target_group", SF_CAT_TRAFFIC },
	[SF_KIND_ENDPOINT] = { "endpoint", SF_CAT_TRAFFIC },
	[SF_KIND_HEALTH_CHECK] = { "health_check", SF_CAT_TRAFFIC },
	[SF_KIND_COMPUTE] = { "compute", SF_CAT_COMPUTE },
	[SF_KIND_IDENTITY_PROVIDER] = { "identity_provider", SF_CAT_IDENTITY },
	[SF_KIND_PRINCIPAL] = { "principal", SF_CAT_IDENTITY },
	[SF_KIND_SECRET] = { "secret", SF_CAT_SECRETS },
	[SF_KIND_SECRET_STORE] = { "secret_store", SF_CAT_SECRETS },
	[SF_KIND_KMS_KEY] = { "kms_key", SF_CAT_SECRETS },
	[SF_KIND_CERTIFICATE] = { "certificate", SF_CAT_CERTIFICATES },
	[SF_KIND_CERTIFICATE_AUTHORITY] = { "certificate_authority", SF_CAT_CERTIFICATES },
	[SF_KIND_ACCOUNT] = { "account", SF_CAT_ADMINISTRATION },
	[SF_KIND_ADMIN_PRINCIPAL] = { "admin_principal", SF_CAT_ADMINISTRATION },
	[SF_KIND_REGION] = { "region", SF_CAT_LOCATION },
	[SF_KIND_AVAILABILITY_ZONE] = { "availability_zone", SF_CAT_LOCATION },
	[SF_KIND_NETWORK] = { "network", SF_CAT_LOCATION },
	[SF_KIND_SERVICE] = { "service", SF_CAT_GOVERNANCE },
	[SF_KIND_OWNER] = { "owner", SF_CAT_GOVERNANCE },
	[SF_KIND_RUNBOOK] = { "runbook", SF_CAT_GOVERNANCE },
	[SF_KIND_RESOURCE] = { "resource", SF_CAT_OTHER },
};

static const char *const categories[SF_CAT__COUNT] = {
	"dns", "traffic", "compute", "identity", "secrets", "certificates",
	"administration", "location", "governance", "other",
};

static const sf_edge_kind_info edge_kinds[SF_EDGE__COUNT] = {
	[SF_EDGE_RESOLVES_TO] = { "resolves_to", SF_PLANE_DATA },
	[SF_EDGE_ROUTES_TO] = { "routes_to", SF_PLANE_DATA },
	[SF_EDGE_TERMINATES_TLS_WITH] = { "terminates_tls_with", SF_PLANE_DATA },
	[SF_EDGE_AUTHENTICATES_VIA] = { "authenticates_via", SF_PLANE_DATA },
	[SF_EDGE_ASSUMES] = { "assumes", SF_PLANE_DATA },
	[SF_EDGE_READS_SECRET] = { "reads_secret", SF_PLANE_DATA },
	[SF_EDGE_STORED_IN] = { "stored_in", SF_PLANE_DATA },
	[SF_EDGE_ENCRYPTED_BY] = { "encrypted_by", SF_PLANE_DATA },
	[SF_EDGE_LOCATED_IN] = { "located_in", SF_PLANE_DATA, 1 },
	[SF_EDGE_MEMBER_OF] = { "member_of", SF_PLANE_CONTROL, 1 },
	[SF_EDGE_ADMINISTERED_BY] = { "administered_by", SF_PLANE_CONTROL, 1 },
	[SF_EDGE_SERVED_BY] = { "served_by", SF_PLANE_DATA, 1 },
	[SF_EDGE_CHECKED_BY] = { "checked_by", SF_PLANE_NONE },
	[SF_EDGE_OWNED_BY] = { "owned_by", SF_PLANE_NONE },
	/* Terraform's creation order, not a runtime dependency. */
	[SF_EDGE_DEPENDS_ON] = { "depends_on", SF_PLANE_NONE },
};

/* Attribute names that may hold values in the graph. Everything here is a
 * non-secret fact; adding a name is a review decision, not a convenience. */
static const char *const attr_allow[] = {
	"account", "address", "algorithm", "alias_zone_id", "arn", "disabled",
	"dns_name", "domain_name", "evaluate_target_health", "failover",
	"failure_threshold", "fqdn", "health_check_type", "hosted_zone", "id",
	"internal", "inverted", "ip", "issuer", "key_spec", "load_balancer_type",
	"module", "multi_region", "name", "nameservers", "port", "priority", "protocol",
	"provider", "region", "replica_regions", "resource_path", "resource_type", "rotation_days",
	"rotation_enabled", "routing_policy", "scheme", "set_identifier",
	"subject_alternative_names", "ttl", "type", "unresolved", "weight", "zone",
};

const sf_kind_info *sf_kind_get(sf_kind k)
{
	return (unsigned)k < SF_KIND__COUNT ? &kinds[k] : NULL;
}

const char *sf_category_name(sf_category c)
{
	return (unsigned)c < SF_CAT__COUNT ? categories[c] : "?";
}

const sf_edge_kind_info *sf_edge_kind_get(sf_edge_kind k)
{
	return (unsigned)k < SF_EDGE__COUNT ? &edge_kinds[k] : NULL;
}

int sf_kind_from_name(const char *name)
{
	for (int i = 0; i < SF_KIND__COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

int sf_category_from_name(const char *name)
{
	for (int i = 0; i < SF_CAT__COUNT; i++)
		if (strcmp(categories[i], name) == 0)
			return i;
	return -1;
}

int sf_edge_kind_from_name(const char *name)
{
	for (int i = 0; i < SF_EDGE__COUNT; i++)
		if (strcmp(edge_kinds[i].name, name) == 0)
			return i;
	return -1;
}

int sf_graph_attr_allowed(const char *name)
{
	for (size_t i = 0; i < sizeof(attr_allow) / sizeof(attr_allow[0]); i++)
		if (strcmp(attr_allow[i], name) == 0)
			return 1;
	return 0;
}

/* ---- the graph ---- */

struct sf_graph {
	sf_arena arena;

	/* interned strings: open addressing, power-of-two size */
	const char **strs;
	size_t nstrs, strcap;

	sf_node *nodes;
	size_t nnodes, nodecap;
	/* key (interned) -> node id: open addressing, power-of-two size */
	sf_node_id *keyidx;
	size_t keycap;

	sf_edge *edges;
	size_t nedges, edgecap;
	uint64_t *edgeset;          /* dedup: hash of (from,to,kind)+1, 0 empty */
	size_t edgesetcap;

	/* lazily built CSR adjacency */
	size_t adj_edges, adj_nodes; /* counts when built; (size_t)-1 never */
	size_t *out_off, *out_idx, *in_off, *in_idx;
	sf_node_id *sorted;
	size_t sorted_n;

	/* aliases: parallel arrays, open addressing on the key */
	const char **alias_keys;
	sf_node_id *alias_ids;
	size_t naliases, aliascap;
	size_t merged;
};

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;     /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

int sf_graph_new(sf_graph **out)
{
	sf_graph *g = calloc(1, sizeof(*g));
	*out = NULL;
	if (!g)
		return -1;
	sf_arena_init(&g->arena);
	g->adj_edges = g->adj_nodes = (size_t)-1;
	*out = g;
	return 0;
}

void sf_graph_free(sf_graph *g)
{
	if (!g)
		return;
	sf_arena_free(&g->arena);
	free(g->strs);
	free(g->nodes);
	free(g->keyidx);
	free(g->edges);
	free(g->edgeset);
	free(g->out_off);
	free(g->out_idx);
	free(g->in_off);
	free(g->in_idx);
	free(g->sorted);
	free(g->alias_keys);
	free(g->alias_ids);
	free(g);
}

sf_arena *sf_graph_arena(sf_graph *g)
{
	return &g->arena;
}

static int strs_grow(sf_graph *g)
{
	size_t cap = g->strcap ? g->strcap * 2 : 1024;
	const char **t = calloc(cap, sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < g->strcap; i++) {
		const char *s = g->strs[i];
		size_t j;
		if (!s)
			continue;
		j = hash_str(s, strlen(s)) & (cap - 1);
		while (t[j])
			j = (j + 1) & (cap - 1);
		t[j] = s;
	}
	free(g->strs);
	g->strs = t;
	g->strcap = cap;
	return 0;
}

const char *sf_graph_internn(sf_graph *g, const char *s, size_t len)
{
	size_t j;
	char *copy;

	if (!s)
		return NULL;
	if ((g->nstrs + 1) * 2 > g->strcap && strs_grow(g) < 0)
		return NULL;
	j = hash_str(s, len) & (g->strcap - 1);
	while (g->strs[j]) {
		const char *t = g->strs[j];
		if (strncmp(t, s, len) == 0 && t[len] == '\0')
			return t;
		j = (j + 1) & (g->strcap - 1);
	}
	copy = sf_arena_strndup(&g->arena, s, len);
	if (!copy)
		return NULL;
	g->strs[j] = copy;
	g->nstrs++;
	return copy;
}

const char *sf_graph_intern(sf_graph *g, const char *s)
{
	return s ? sf_graph_internn(g, s, strlen(s)) : NULL;
}

static int keyidx_grow(sf_graph *g)
{
	size_t cap = g->keycap ? g->keycap * 2 : 1024;
	sf_node_id *t = malloc(cap * sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < cap; i++)
		t[i] = SF_NODE_NONE;
	for (size_t i = 0; i < g->nnodes; i++) {
		const char *k = g->nodes[i].key;
		size_t j = hash_str(k, strlen(k)) & (cap - 1);
		while (t[j] != SF_NODE_NONE)
			j = (j + 1) & (cap - 1);
		t[j] = (sf_node_id)i;
	}
	free(g->keyidx);
	g->keyidx = t;
	g->keycap = cap;
	return 0;
}

static sf_node_id find_key(const sf_graph *g, const char *key)
{
	size_t j;
	if (!g->keycap || !key)
		return SF_NODE_NONE;
	j = hash_str(key, strlen(key)) & (g->keycap - 1);
	while (g->keyidx[j] != SF_NODE_NONE) {
		sf_node_id id = g->keyidx[j];
		if (strcmp(g->nodes[id].key, key) == 0)
			return id;
		j = (j + 1) & (g->keycap - 1);
	}
	return SF_NODE_NONE;
}

static sf_node_id find_alias(const sf_graph *g, const char *key)
{
	size_t j;
	if (!g->aliascap || !key)
		return SF_NODE_NONE;
	j = hash_str(key, strlen(key)) & (g->aliascap - 1);
	while (g->alias_keys[j]) {
		if (strcmp(g->alias_keys[j], key) == 0)
			return g->alias_ids[j];
		j = (j + 1) & (g->aliascap - 1);
	}
	return SF_NODE_NONE;
}

sf_node_id sf_graph_find(const sf_graph *g, const char *key)
{
	sf_node_id id = find_key(g, key);
	if (id == SF_NODE_NONE)
		id = find_alias(g, key);
	return id == SF_NODE_NONE ? id : sf_graph_live(g, id);
}

sf_node_id sf_graph_live(const sf_graph *g, sf_node_id id)
{
	/* Merges never form a chain longer than the node count. */
	for (size_t hops = 0; id < g->nnodes && g->nodes[id].merged_into != SF_NODE_NONE &&
	                      hops < g->nnodes; hops++)
		id = g->nodes[id].merged_into;
	return id;
}

size_t sf_graph_live_count(const sf_graph *g)
{
	return g->nnodes - g->merged;
}

static int alias_grow(sf_graph *g)
{
	size_t cap = g->aliascap ? g->aliascap * 2 : 256;
	const char **k = calloc(cap, sizeof(*k));
	sf_node_id *v = calloc(cap, sizeof(*v));
	if (!k || !v) {
		free(k);
		free(v);
		return -1;
	}
	for (size_t i = 0; i < g->aliascap; i++) {
		size_t j;
		if (!g->alias_keys[i])
			continue;
		j = hash_str(g->alias_keys[i], strlen(g->alias_keys[i])) & (cap - 1);
		while (k[j])
			j = (j + 1) & (cap - 1);
		k[j] = g->alias_keys[i];
		v[j] = g->alias_ids[i];
	}
	free(g->alias_keys);
	free(g->alias_ids);
	g->alias_keys = k;
	g->alias_ids = v;
	g->aliascap = cap;
	return 0;
}

int sf_graph_alias(sf_graph *g, const char *key, sf_node_id id)
{
	const char *ik;
	size_t j;
	if (id >= g->nnodes || !key || !key[0])
		return -1;
	if (find_alias(g, key) != SF_NODE_NONE)
		return 1;
	if ((g->naliases + 1) * 2 > g->aliascap && alias_grow(g) < 0)
		return -1;
	if (!(ik = sf_graph_intern(g, key)))
		return -1;
	j = hash_str(ik, strlen(ik)) & (g->aliascap - 1);
	while (g->alias_keys[j])
		j = (j + 1) & (g->aliascap - 1);
	g->alias_keys[j] = ik;
	g->alias_ids[j] = id;
	g->naliases++;
	return 0;
}

static int is_placeholder(sf_kind k)
{
	return k == SF_KIND_ENDPOINT || k == SF_KIND_RESOURCE;
}

sf_node_id sf_graph_node(sf_graph *g, sf_kind kind, const char *key,
                         const char *label, const sf_prov *prov)
{
	sf_node_id id = sf_graph_find(g, key);
	sf_node *n;
	size_t j;

	if (id != SF_NODE_NONE) {
		n = &g->nodes[id];
		if (is_placeholder(n->kind) && !is_placeholder(kind)) {
			n->kind = kind;
			if (label)
				n->label = sf_graph_intern(g, label);
		}
		if (!n->prov.path && prov && prov->path) {
			n->prov.path = sf_graph_intern(g, prov->path);
			n->prov.line = prov->line;
		}
		return id;
	}
	if ((unsigned)kind >= SF_KIND__COUNT || g->nnodes >= SF_GRAPH_MAX_NODES)
		return SF_NODE_NONE;
	if ((g->nnodes + 1) * 2 > g->keycap && keyidx_grow(g) < 0)
		return SF_NODE_NONE;
	if (g->nnodes == g->nodecap) {
		size_t cap = g->nodecap ? g->nodecap * 2 : 256;
		sf_node *p = realloc(g->nodes, cap * sizeof(*p));
		if (!p)
			return SF_NODE_NONE;
		g->nodes = p;
		g->nodecap = cap;
	}
	n = &g->nodes[g->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->gate = SF_GATE_ALL;
	n->merged_into = SF_NODE_NONE;
	n->key = sf_graph_intern(g, key);
	n->label = sf_graph_intern(g, label ? label : key);
	if (!n->key || !n->label)
		return SF_NODE_NONE;
	if (prov && prov->path) {
		n->prov.path = sf_graph_intern(g, prov->path);
		n->prov.line = prov->line;
	}
	id = (sf_node_id)g->nnodes++;
	j = hash_str(n->key, strlen(n->key)) & (g->keycap - 1);
	while (g->keyidx[j] != SF_NODE_NONE)
		j = (j + 1) & (g->keycap - 1);
	g->keyidx[j] = id;
	free(g->sorted);
	g->sorted = NULL;
	return id;
}

int sf_graph_rekey(sf_graph *g, const sf_node_id *ids, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *k = sf_graph_intern(g, keys[i]);
		sf_node *node = ids[i] < g->nnodes ? &g->nodes[ids[i]] : NULL;
		if (!k)
			return -1;
		if (!node)
			continue;
		if (node->label == node->key)
			node->label = k;
		node->key = k;
	}
	/* The index is rebuilt from the nodes' keys, which drops the old
	 * ones; sorted orders and adjacency follow the new keys. */
	if (n && keyidx_grow(g) < 0)
		return -1;
	free(g->sorted);
	g->sorted = NULL;
	g->adj_edges = (size_t)-1;
	return 0;
}

size_t sf_graph_node_count(const sf_graph *g)
{
	return g->nnodes;
}

size_t sf_graph_edge_count(const sf_graph *g)
{
	return g->nedges;
}

sf_node *sf_graph_node_at(const sf_graph *g, sf_node_id id)
{
	return id < g->nnodes ? &g->nodes[id] : NULL;
}

const sf_edge *sf_graph_edge_at(const sf_graph *g, size_t i)
{
	return i < g->nedges ? &g->edges[i] : NULL;
}

void sf_graph_set_gate(sf_graph *g, sf_node_id id, sf_gate gate)
{
	if (id < g->nnodes)
		g->nodes[id].gate = gate;
}

static uint64_t edge_hash(sf_node_id from, sf_node_id to, sf_edge_kind kind)
{
	uint64_t h = mix64(((uint64_t)from << 32 | to) ^ ((uint64_t)kind << 58));
	return h ? h : 1;
}

static int edgeset_insert(uint64_t *set, size_t cap, uint64_t h, const sf_edge *edges,
                          sf_node_id from, sf_node_id to, sf_edge_kind kind, size_t idx)
{
	/* The set stores edge index + 1 in the low bits; collisions are resolved
	 * by comparing the stored edge. */
	size_t j = h & (cap - 1);
	while (set[j]) {
		const sf_edge *e = &edges[set[j] - 1];
		if (e->from == from && e->to == to && e->kind == kind)
			return 1;
		j = (j + 1) & (cap - 1);
	}
	set[j] = (uint64_t)idx + 1;
	return 0;
}

static int edgeset_grow(sf_graph *g)
{
	size_t cap = g->edgesetcap ? g->edgesetcap * 2 : 1024;
	uint64_t *t = calloc(cap, sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < g->nedges; i++) {
		const sf_edge *e = &g->edges[i];
		edgeset_insert(t, cap, edge_hash(e->from, e->to, e->kind), g->edges,
		               e->from, e->to, e->kind, i);
	}
	free(g->edgeset);
	g->edgeset = t;
	g->edgesetcap = cap;
	return 0;
}

int sf_graph_edge(sf_graph *g, sf_node_id from, sf_edge_kind kind,
                  sf_node_id to, const sf_prov *prov)
{
	sf_edge *e;

	if (from >= g->nnodes || to >= g->nnodes || (unsigned)kind >= SF_EDGE__COUNT)
		return -1;
	if (from == to)
		return 0;
	if (g->nedges >= SF_GRAPH_MAX_EDGES)
		return -1;
	if ((g->nedges + 1) * 2 > g->edgesetcap && edgeset_grow(g) < 0)
		return -1;
	if (g->nedges == g->edgecap) {
		size_t cap = g->edgecap ? g->edgecap * 2 : 256;
		sf_edge *p = realloc(g->edges, cap * sizeof(*p));
		if (!p)
			return -1;
		g->edges = p;
		g->edgecap = cap;
	}
	e = &g->edges[g->nedges];
	e->from = from;
	e->to = to;
	e->kind = kind;
	e->prov.path = prov && prov->path ? sf_graph_intern(g, prov->path) : NULL;
	e->prov.line = prov ? prov->line : 0;
	if (edgeset_insert(g->edgeset, g->edgesetcap, edge_hash(from, to, kind), g->edges,
	                   from, to, kind, g->nedges))
		return 0;      /* duplicate */
	g->nedges++;
	return 0;
}

int sf_graph_set_attr(sf_graph *g, sf_node_id id, const char *name, const char *value)
{
	sf_attr **pp, *a;
	const char *iname, *ivalue;

	if (id >= g->nnodes || !name || !value || !sf_graph_attr_allowed(name))
		return -1;
	iname = sf_graph_intern(g, name);
	ivalue = sf_graph_intern(g, value);
	if (!iname || !ivalue)
		return -1;
	for (pp = &g->nodes[id].attrs; *pp; pp = &(*pp)->next) {
		int c = strcmp((*pp)->name, name);
		if (c == 0) {
			(*pp)->value = ivalue;
			return 0;
		}
		if (c > 0)
			break;
	}
	a = sf_arena_alloc(&g->arena, sizeof(*a));
	if (!a)
		return -1;
	a->name = iname;
	a->value = ivalue;
	a->next = *pp;
	*pp = a;
	return 0;
}

const char *sf_graph_attr(const sf_graph *g, sf_node_id id, const char *name)
{
	if (id >= g->nnodes)
		return NULL;
	for (const sf_attr *a = g->nodes[id].attrs; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			return a->value;
	return NULL;
}

/* ---- adjacency ---- */

static const sf_graph *cmp_graph;

static int cmp_edge_idx_out(const void *a, const void *b)
{
	const sf_edge *x = &cmp_graph->edges[*(const size_t *)a];
	const sf_edge *y = &cmp_graph->edges[*(const size_t *)b];
	int c = strcmp(cmp_graph->nodes[x->to].key, cmp_graph->nodes[y->to].key);
	if (c)
		return c;
	return (int)x->kind - (int)y->kind;
}

static int cmp_edge_idx_in(const void *a, const void *b)
{
	const sf_edge *x = &cmp_graph->edges[*(const size_t *)a];
	const sf_edge *y = &cmp_graph->edges[*(const size_t *)b];
	int c = strcmp(cmp_graph->nodes[x->from].key, cmp_graph->nodes[y->from].key);
	if (c)
		return c;
	return (int)x->kind - (int)y->kind;
}

/* Adjacency lists, each sorted by the neighbour's key, so that every walk
 * over the graph visits neighbours in the same order whatever the order of
 * the input files. */
static int build_adj(sf_graph *g)
{
	size_t n = g->nnodes, m = g->nedges;
	size_t *oo, *oi, *io, *ii;

	if (g->adj_edges == m && g->adj_nodes == n)
		return 0;
	oo = calloc(n + 1, sizeof(*oo));
	io = calloc(n + 1, sizeof(*io));
	oi = malloc((m ? m : 1) * sizeof(*oi));
	ii = malloc((m ? m : 1) * sizeof(*ii));
	if (!oo || !io || !oi || !ii) {
		free(oo);
		free(io);
		free(oi);
		free(ii);
		return -1;
	}
	for (size_t i = 0; i < m; i++) {
		oo[g->edges[i].from + 1]++;
		io[g->edges[i].to + 1]++;
	}
	for (size_t i = 0; i < n; i++) {
		oo[i + 1] += oo[i];
		io[i + 1] += io[i];
	}
	{
		size_t *fo = calloc(n + 1, sizeof(*fo)), *fi = calloc(n + 1, sizeof(*fi));
		if (!fo || !fi) {
			free(fo);
			free(fi);
			free(oo);
			free(io);
			free(oi);
			free(ii);
			return -1;
		}
		for (size_t i = 0; i < m; i++) {
			sf_node_id f = g->edges[i].from, t = g->edges[i].to;
			oi[oo[f] + fo[f]++] = i;
			ii[io[t] + fi[t]++] = i;
		}
		free(fo);
		free(fi);
	}
	cmp_graph = g;
	for (size_t i = 0; i < n; i++) {
		sf_sort(oi + oo[i], oo[i + 1] - oo[i], sizeof(*oi), cmp_edge_idx_out);
		sf_sort(ii + io[i], io[i + 1] - io[i], sizeof(*ii), cmp_edge_idx_in);
	}
	cmp_graph = NULL;
	free(g->out_off);
	free(g->out_idx);
	free(g->in_off);
	free(g->in_idx);
	g->out_off = oo;
	g->out_idx = oi;
	g->in_off = io;
	g->in_idx = ii;
	g->adj_edges = m;
	g->adj_nodes = n;
	return 0;
}

const size_t *sf_graph_out(sf_graph *g, sf_node_id id, size_t *count)
{
	*count = 0;
	if (id >= g->nnodes || build_adj(g) < 0)
		return NULL;
	*count = g->out_off[id + 1] - g->out_off[id];
	return g->out_idx + g->out_off[id];
}

const size_t *sf_graph_in(sf_graph *g, sf_node_id id, size_t *count)
{
	*count = 0;
	if (id >= g->nnodes || build_adj(g) < 0)
		return NULL;
	*count = g->in_off[id + 1] - g->in_off[id];
	return g->in_idx + g->in_off[id];
}

static int cmp_node_key(const void *a, const void *b)
{
	sf_node_id x = *(const sf_node_id *)a, y = *(const sf_node_id *)b;
	return strcmp(cmp_graph->nodes[x].key, cmp_graph->nodes[y].key);
}

const sf_node_id *sf_graph_sorted(sf_graph *g)
{
	if (g->sorted && g->sorted_n == g->nnodes)
		return g->sorted;
	free(g->sorted);
	g->sorted = malloc((g->nnodes ? g->nnodes : 1) * sizeof(*g->sorted));
	if (!g->sorted)
		return NULL;
	for (size_t i = 0; i < g->nnodes; i++)
		g->sorted[i] = (sf_node_id)i;
	cmp_graph = g;
	sf_sort(g->sorted, g->nnodes, sizeof(*g->sorted), cmp_node_key);
	cmp_graph = NULL;
	g->sorted_n = g->nnodes;
	return g->sorted;
}

long sf_graph_merge_aliases(sf_graph *g)
{
	long merged = 0;
	size_t w = 0;

	for (size_t i = 0; i < g->aliascap; i++) {
		sf_node_id ph, real;
		if (!g->alias_keys[i])
			continue;
		ph = find_key(g, g->alias_keys[i]);
		real = sf_graph_live(g, g->alias_ids[i]);
		if (ph == SF_NODE_NONE || ph == real || g->nodes[ph].merged_into != SF_NODE_NONE)
			continue;
		g->nodes[ph].merged_into = real;
		if (is_placeholder(g->nodes[real].kind) && !is_placeholder(g->nodes[ph].kind))
			g->nodes[real].kind = g->nodes[ph].kind;
		merged++;
	}
	if (!merged)
		return 0;
	g->merged += (size_t)merged;
	/* Move the edges, dropping the self-loops and duplicates that result. */
	free(g->edgeset);
	g->edgeset = NULL;
	g->edgesetcap = 0;
	for (size_t i = 0; i < g->nedges; i++) {
		sf_edge e = g->edges[i];
		e.from = sf_graph_live(g, e.from);
		e.to = sf_graph_live(g, e.to);
		if (e.from == e.to)
			continue;
		g->edges[w++] = e;
	}
	g->nedges = w;
	w = 0;
	if (edgeset_grow(g) < 0)
		return -1;
	/* edgeset_grow indexed every edge, duplicates included: rebuild with
	 * dedup by inserting one at a time. */
	memset(g->edgeset, 0, g->edgesetcap * sizeof(*g->edgeset));
	for (size_t i = 0; i < g->nedges; i++) {
		sf_edge e = g->edges[i];
		g->edges[w] = e;
		if (!edgeset_insert(g->edgeset, g->edgesetcap, edge_hash(e.from, e.to, e.kind),
		                    g->edges, e.from, e.to, e.kind, w))
			w++;
	}
	g->nedges = w;
	g->adj_edges = (size_t)-1;
	return merged;
}

int sf_edge_propagates(sf_edge_kind k, sf_plane plane)
{
	sf_plane p = sf_edge_kind_get(k)->plane;
	if (p == SF_PLANE_NONE)
		return 0;
	return plane == SF_PLANE_CONTROL || p == SF_PLANE_DATA;
}
