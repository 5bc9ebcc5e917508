#include "checks_tf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "closure.h"

/* Walks visit a pair's dependencies only, which are few next to the
 * graph: visited nodes live in a small hash map, not in arrays as large
 * as the graph, so that ten thousand pairs cost ten thousand small walks. */
#define WALK_MAX 200000

typedef struct walk {
	sf_node_id *keys, *parent;  /* open addressing; SF_NODE_NONE empty */
	size_t cap, n;
	sf_node_id *order;          /* visit order (BFS) */
} walk;

static void walk_free(walk *w)
{
	free(w->keys);
	free(w->parent);
	free(w->order);
	memset(w, 0, sizeof(*w));
}

static size_t slot(const walk *w, sf_node_id k)
{
	size_t j = ((size_t)k * 2654435761u) & (w->cap - 1);
	while (w->keys[j] != SF_NODE_NONE && w->keys[j] != k)
		j = (j + 1) & (w->cap - 1);
	return j;
}

static int walk_grow(walk *w)
{
	size_t cap = w->cap ? w->cap * 2 : 64;
	walk nw = { NULL, NULL, cap, w->n, NULL };
	nw.keys = malloc(cap * sizeof(*nw.keys));
	nw.parent = malloc(cap * sizeof(*nw.parent));
	nw.order = realloc(w->order, (cap / 2) * sizeof(*nw.order));
	if (!nw.keys || !nw.parent || !nw.order) {
		free(nw.keys);
		free(nw.parent);
		if (nw.order)
			w->order = nw.order;
		return -1;
	}
	for (size_t i = 0; i < cap; i++)
		nw.keys[i] = SF_NODE_NONE;
	for (size_t i = 0; i < w->cap; i++)
		if (w->keys[i] != SF_NODE_NONE) {
			size_t j = slot(&nw, w->keys[i]);
			nw.keys[j] = w->keys[i];
			nw.parent[j] = w->parent[i];
		}
	free(w->keys);
	free(w->parent);
	*w = nw;
	return 0;
}

static int walk_has(const walk *w, sf_node_id k)
{
	return w->cap && w->keys[slot(w, k)] == k;
}

/* 1 when added, 0 when seen already (or past WALK_MAX), -1 out of memory. */
static int walk_add(walk *w, sf_node_id k, sf_node_id parent)
{
	size_t j;
	if (walk_has(w, k))
		return 0;
	if (w->n >= WALK_MAX)
		return 0;       /* bounded: the rest of a huge closure is not walked */
	if ((w->n + 1) * 2 > w->cap && walk_grow(w) < 0)
		return -1;
	j = slot(w, k);
	if (w->keys[j] == k)
		return 0;
	w->keys[j] = k;
	w->parent[j] = parent;
	w->order[w->n++] = k;
	return 1;
}


static sf_node_id walk_parent(const walk *w, sf_node_id k)
{
	size_t j;
	if (!w->cap)
		return SF_NODE_NONE;
	j = slot(w, k);
	return w->keys[j] == k ? w->parent[j] : SF_NODE_NONE;
}

/* root .. k along parents; malloc'd, *n its length (0 on failure). */
static sf_node_id *walk_path(const walk *w, sf_node_id k, size_t *n)
{
	size_t len = 0, i;
	sf_node_id *out;
	*n = 0;
	if (!walk_has(w, k))
		return NULL;
	for (sf_node_id v = k; v != SF_NODE_NONE && len <= w->n; v = walk_parent(w, v))
		len++;
	out = malloc(len * sizeof(*out));
	if (!out)
		return NULL;
	i = len;
	for (sf_node_id v = k; v != SF_NODE_NONE && i > 0; v = walk_parent(w, v))
		out[--i] = v;
	*n = len;
	return out;
}

static int excluded(const sf_pair *p, sf_node_id v)
{
	for (size_t i = 0; i < p->nexcluded; i++)
		if (p->excluded[i] == v)
			return 1;
	return 0;
}

/* Breadth-first from `roots` along data-plane dependencies. */
static int walk_data(sf_graph *g, const sf_pair *p, const sf_node_id *roots, size_t nroots, walk *w)
{
	size_t head = 0;
	for (size_t i = 0; i < nroots; i++)
		if (roots[i] != SF_NODE_NONE && !excluded(p, roots[i]) &&
		    walk_add(w, roots[i], SF_NODE_NONE) < 0)
			return -1;
	while (head < w->n) {
		sf_node_id u = w->order[head++];
		size_t cnt;
		const size_t *out = sf_graph_out(g, u, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = sf_graph_edge_at(g, out[k]);
			if (!sf_edge_propagates(e->kind, SF_PLANE_DATA) || excluded(p, e->to))
				continue;
			if (walk_add(w, e->to, u) < 0)
				return -1;
		}
	}
	return 0;
}

static int matches_rule(const sf_rule *r, const sf_node *n)
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

void sf_tf_hits_free(sf_tf_hits *h)
{
	for (size_t i = 0; i < h->count; i++) {
		free(h->items[i].ppath);
		free(h->items[i].spath);
	}
	free(h->items);
	memset(h, 0, sizeof(*h));
}

/* Append a hit; takes the paths (and frees them on failure). */
static int add_hit(sf_tf_hits *h, sf_tf_hit *hit)
{
	if (h->count == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 8;
		sf_tf_hit *p = realloc(h->items, cap * sizeof(*p));
		if (!p) {
			free(hit->ppath);
			free(hit->spath);
			return -1;
		}
		h->items = p;
		h->cap = cap;
	}
	h->items[h->count++] = *hit;
	return 0;
}

static int subject_primary(const sf_rule *r)
{
	return r->subject != SF_SUBJECT_STANDBY;
}

static int subject_standby(const sf_rule *r)
{
	return r->subject != SF_SUBJECT_PRIMARY;
}

/* The members a rule looks at, primary first. */
static size_t members_of(const sf_pair *p, const sf_rule *r, const sf_failover_member **ms,
                         size_t max)
{
	size_t n = 0;
	if (p->primary && subject_primary(r) && n < max)
		ms[n++] = p->primary;
	for (size_t i = 0; i < p->nstandby && subject_standby(r) && n < max; i++)
		ms[n++] = p->standby[i];
	return n;
}

static int attr_is(sf_graph *g, sf_node_id id, const char *name, const char *value)
{
	const char *v = sf_graph_attr(g, id, name);
	return v && strcmp(v, value) == 0;
}

/* ---- health_check ---- */

static int check_health(sf_graph *g, const sf_pair *p, const sf_rule *r, sf_tf_hits *out)
{
	const sf_failover_member *ms[64];
	size_t n = members_of(p, r, ms, 64);
	sf_node_id seen[64];
	size_t nseen = 0;

	for (size_t i = 0; i < n; i++) {
		sf_node_id from[2] = { ms[i]->record, ms[i]->root };
		for (int f = 0; f < 2; f++) {
			size_t cnt;
			const size_t *o;
			if (from[f] == SF_NODE_NONE || (f == 1 && from[1] == from[0]))
				continue;
			o = sf_graph_out(g, from[f], &cnt);
			for (size_t k = 0; k < cnt; k++) {
				const sf_edge *e = sf_graph_edge_at(g, o[k]);
				sf_tf_hit hit;
				int dup = 0;
				if (e->kind != SF_EDGE_CHECKED_BY)
					continue;
				for (size_t s = 0; s < nseen; s++)
					dup |= seen[s] == e->to;
				if (dup || nseen == 64)
					continue;
				seen[nseen++] = e->to;
				memset(&hit, 0, sizeof(hit));
				hit.subject = e->to;
				hit.record = from[0] != SF_NODE_NONE ? from[0] : from[1];
				hit.through = SF_NODE_NONE;
				hit.member = ms[i];
				hit.plane = SF_PLANE_NONE;
				/* A disabled check never fails; an inverted one fails
				 * when the target is up. Neither tells readiness. */
				if (attr_is(g, e->to, "disabled", "true")) {
					hit.value = "disabled";
					hit.always = 1;
				} else if (attr_is(g, e->to, "inverted", "true")) {
					hit.value = "inverted";
					hit.always = 1;
				}
				if (add_hit(out, &hit) < 0)
					return -1;
			}
		}
	}
	return 0;
}

/* ---- certificate_coverage ---- */

int sf_cert_name_matches(const char *pattern, const char *name)
{
	size_t pl, nl;
	if (!pattern || !name)
		return 0;
	pl = strlen(pattern);
	nl = strlen(name);
	while (pl && pattern[pl - 1] == '.')
		pl--;
	while (nl && name[nl - 1] == '.')
		nl--;
	if (!pl || !nl)
		return 0;
	if (pattern[0] == '*') {
		const char *rest = pattern + 1, *dot;
		size_t rl = pl - 1;
		/* "*." then at least two labels: *.example.com, not *.com */
		if (rl < 2 || rest[0] != '.' || !memchr(rest + 1, '.', rl - 1))
			return 0;
		dot = memchr(name, '.', nl);
		if (!dot || dot == name)
			return 0;       /* the wildcard must stand for one non-empty label */
		return (size_t)(name + nl - dot) == rl && strncasecmp(dot, rest, rl) == 0;
	}
	if (memchr(pattern, '*', pl))
		return 0;           /* partial wildcards (f*.example.com): not honoured */
	return pl == nl && strncasecmp(pattern, name, pl) == 0;
}

/* Does any name of the certificate cover `name`? -1 when it has none. */
static int cert_covers(sf_graph *g, sf_node_id c, const char *name)
{
	const char *dn = sf_graph_attr(g, c, "domain_name");
	const char *sans = sf_graph_attr(g, c, "subject_alternative_names");
	if (!dn && !sans)
		return -1;
	if (sf_cert_name_matches(dn, name))
		return 1;
	for (const char *p = sans; p && *p;) {
		size_t l = strcspn(p, ",");
		char one[300];
		if (l < sizeof(one)) {
			memcpy(one, p, l);
			one[l] = '\0';
			if (sf_cert_name_matches(one, name))
				return 1;
		}
		p += l;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* The certificate's names for a message: "a.example.com, *.example.com". */
static const char *cert_names(sf_graph *g, sf_node_id c)
{
	const char *dn = sf_graph_attr(g, c, "domain_name");
	const char *sans = sf_graph_attr(g, c, "subject_alternative_names");
	char buf[1024];
	size_t o = 0;
	if (dn)
		o = (size_t)snprintf(buf, sizeof(buf), "%s", dn);
	for (const char *p = sans; p && *p && o + 4 < sizeof(buf);) {
		size_t l = strcspn(p, ",");
		if (!(dn && l == strlen(dn) && strncmp(p, dn, l) == 0) && o + l + 3 < sizeof(buf)) {
			if (o) {
				buf[o++] = ',';
				buf[o++] = ' ';
			}
			memcpy(buf + o, p, l);
			o += l;
			buf[o] = '\0';
		}
		p += l;
		if (*p == ',')
			p++;
	}
	return o ? sf_graph_internn(g, buf, o) : NULL;
}

/* Walk what clients of `root` reach through names and routing, stopping
 * at each node that terminates TLS: its certificates are what clients
 * see. Collects them into certs (in visit order). */
static int front_certs(sf_graph *g, const sf_pair *p, sf_node_id root, walk *w,
                       sf_node_id *certs, size_t *ncerts, size_t max)
{
	size_t head = 0;
	*ncerts = 0;
	if (walk_add(w, root, SF_NODE_NONE) < 0)
		return -1;
	while (head < w->n) {
		sf_node_id u = w->order[head++];
		size_t cnt, tls = 0;
		const size_t *o = sf_graph_out(g, u, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = sf_graph_edge_at(g, o[k]);
			int added;
			if (e->kind != SF_EDGE_TERMINATES_TLS_WITH)
				continue;
			tls++;
			added = walk_add(w, e->to, u);
			if (added < 0)
				return -1;
			if (added && *ncerts < max)
				certs[(*ncerts)++] = e->to;
		}
		if (tls)
			continue;
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = sf_graph_edge_at(g, o[k]);
			if ((e->kind != SF_EDGE_RESOLVES_TO && e->kind != SF_EDGE_ROUTES_TO) ||
			    excluded(p, e->to))
				continue;
			if (walk_add(w, e->to, u) < 0)
				return -1;
		}
	}
	return 0;
}

static int check_certs(sf_graph *g, const sf_pair *p, const sf_rule *r, sf_tf_hits *out)
{
	const sf_failover_member *ms[64];
	size_t n = members_of(p, r, ms, 64);
	char name[300];
	size_t nl = strlen(p->name);

	if (nl == 0 || nl >= sizeof(name))
		return 0;
	memcpy(name, p->name, nl + 1);
	for (size_t i = 0; i < n; i++) {
		sf_node_id certs[64], bad = SF_NODE_NONE;
		size_t nc;
		int covered = 0, unknown = 0;
		walk w = { 0 };
		sf_tf_hit hit;

		if (front_certs(g, p, ms[i]->root, &w, certs, &nc, 64) < 0) {
			walk_free(&w);
			return -1;
		}
		for (size_t k = 0; k < nc; k++) {
			int c = cert_covers(g, certs[k], name);
			if (c < 0)
				unknown = 1;
			else if (c)
				covered = 1;
			else if (bad == SF_NODE_NONE)
				bad = certs[k];
		}
		if (covered || unknown || bad == SF_NODE_NONE) {
			walk_free(&w);
			continue;
		}
		memset(&hit, 0, sizeof(hit));
		hit.subject = bad;
		hit.record = ms[i]->record != SF_NODE_NONE ? ms[i]->record : ms[i]->root;
		hit.through = walk_parent(&w, bad);
		hit.value = cert_names(g, bad);
		hit.always = 1;
		hit.member = ms[i];
		hit.plane = SF_PLANE_DATA;
		if (ms[i] == p->primary)
			hit.ppath = walk_path(&w, bad, &hit.npp);
		else
			hit.spath = walk_path(&w, bad, &hit.nsp);
		walk_free(&w);
		if (add_hit(out, &hit) < 0)
			return -1;
	}
	return 0;
}

/* ---- path_attribute ---- */

static int check_path_attr(sf_graph *g, const sf_pair *p, const sf_rule *r, sf_tf_hits *out)
{
	walk pw = { 0 }, sw = { 0 };
	sf_node_id *sroots = NULL;
	int rc = -1;

	if (!p->primary || !p->nstandby)
		return 0;
	sroots = malloc(p->nstandby * sizeof(*sroots));
	if (!sroots)
		return -1;
	for (size_t i = 0; i < p->nstandby; i++)
		sroots[i] = p->standby[i]->root;
	if ((subject_primary(r) && walk_data(g, p, &p->primary->root, 1, &pw) < 0) ||
	    (subject_standby(r) && walk_data(g, p, sroots, p->nstandby, &sw) < 0))
		goto cleanup;
	/* Nodes of the primary's walk, then the standby's own. */
	for (int side = 0; side < 2; side++) {
		const walk *w = side ? &sw : &pw;
		for (size_t i = 0; i < w->n; i++) {
			sf_node_id v = w->order[i];
			int in_p = walk_has(&pw, v), in_s = walk_has(&sw, v);
			sf_tf_hit hit;
			if ((side == 1 && in_p) || !matches_rule(r, sf_graph_node_at(g, v)))
				continue;
			memset(&hit, 0, sizeof(hit));
			hit.subject = v;
			hit.record = v;
			hit.through = in_s ? walk_parent(&sw, v) : walk_parent(&pw, v);
			hit.value = in_p && in_s ? "the primary and the standby"
			                         : in_p ? "the primary" : "the standby";
			hit.plane = SF_PLANE_DATA;
			if (in_p)
				hit.ppath = walk_path(&pw, v, &hit.npp);
			if (in_s)
				hit.spath = walk_path(&sw, v, &hit.nsp);
			if (add_hit(out, &hit) < 0)
				goto cleanup;
		}
	}
	rc = 0;
cleanup:
	walk_free(&pw);
	walk_free(&sw);
	free(sroots);
	return rc;
}

/* ---- replica_region ---- */

/* Is `region` among the comma-separated `list`? */
static int in_list(const char *list, const char *region)
{
	size_t rl = strlen(region);
	for (const char *p = list; p && *p;) {
		size_t l = strcspn(p, ",");
		if (l == rl && strncmp(p, region, l) == 0)
			return 1;
		p += l;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int check_replicas(sf_graph *g, const sf_pair *p, const sf_rule *r, sf_tf_hits *out)
{
	sf_node_id seen[256];
	size_t nseen = 0;

	for (size_t i = 0; i < p->nstandby; i++) {
		const sf_failover_member *m = p->standby[i];
		const char *home = NULL;
		walk w = { 0 };
		if (walk_data(g, p, &m->root, 1, &w) < 0) {
			walk_free(&w);
			return -1;
		}
		/* The standby's region: that of the first node on its way that
		 * has one (its load balancer, usually). */
		for (size_t k = 0; k < w.n && !home; k++)
			home = sf_graph_attr(g, w.order[k], "region");
		for (size_t k = 0; home && k < w.n; k++) {
			sf_node_id v = w.order[k];
			const char *reg = sf_graph_attr(g, v, "region");
			const char *copies = sf_graph_attr(g, v, "replica_regions");
			sf_tf_hit hit;
			int dup = 0;
			if (!matches_rule(r, sf_graph_node_at(g, v)) || !reg || strcmp(reg, home) == 0 ||
			    in_list(copies, home))
				continue;
			for (size_t s = 0; s < nseen; s++)
				dup |= seen[s] == v;
			if (dup || nseen == 256)
				continue;
			seen[nseen++] = v;
			memset(&hit, 0, sizeof(hit));
			hit.subject = v;
			hit.record = m->record != SF_NODE_NONE ? m->record : m->root;
			hit.through = walk_parent(&w, v);
			hit.value = sf_graph_intern(g, home);
			hit.always = 1;
			hit.member = m;
			hit.plane = SF_PLANE_DATA;
			hit.spath = walk_path(&w, v, &hit.nsp);
			if (add_hit(out, &hit) < 0) {
				walk_free(&w);
				return -1;
			}
		}
		walk_free(&w);
	}
	return 0;
}

int sf_check_tf(sf_graph *g, const sf_pair *p, const sf_rule *r, sf_tf_hits *out)
{
	switch (r->check) {
	case SF_CHECK_HEALTH_CHECK:
		return check_health(g, p, r, out);
	case SF_CHECK_CERT_COVERAGE:
		return check_certs(g, p, r, out);
	case SF_CHECK_PATH_ATTRIBUTE:
		return check_path_attr(g, p, r, out);
	case SF_CHECK_REPLICA_REGION:
		return check_replicas(g, p, r, out);
	default:
		return 0;
	}
}
