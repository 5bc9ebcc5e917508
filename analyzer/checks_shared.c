/* shared: a node whose failure alone takes down the primary and every
 * standby (SF101-SF107, SF109), from the pair's shared fate (closure.c).
 *
 * A node is reported by a rule when the rule matches it and it is
 * *topmost* among the nodes the rule matches: each side reaches it by a
 * path through no other such node. Without that, one shared load balancer
 * would also report every listener and target behind it.
 *
 * A node a side reaches only through the trust policy of a workload role
 * (one that administers nothing) is no shared failure: only a rule with
 * `edge: assumes` reports it (SF111), every other shared rule skips it. */
#include "checks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int plane_matches(const sf_rule *r, sf_plane shared_plane)
{
	return r->plane == SF_PLANE_NONE || r->plane == shared_plane;
}

/* Through what does the standby reach the shared node (path sp)? The
 * first other shared node on its way; else, when it reaches it only
 * through a dependency of its own that lies there (its identity provider,
 * secret, key, certificate), that dependency. */
static sf_node_id through_of(sf_graph *g, const sf_pair_fate *fate, const sf_node_id *sp,
                             size_t nsp)
{
	for (size_t k = 0; k + 1 < nsp; k++)
		for (size_t j = 0; j < fate->nshared; j++)
			if (fate->shared[j].node == sp[k])
				return sp[k];
	if (nsp > 2) {
		sf_category c = sf_kind_get(sf_graph_node_at(g, sp[nsp - 2])->kind)->category;
		if (c == SF_CAT_IDENTITY || c == SF_CAT_SECRETS || c == SF_CAT_CERTIFICATES ||
		    c == SF_CAT_ADMINISTRATION)
			return sp[nsp - 2];
	}
	return SF_NODE_NONE;
}

/* Is `region` one of the comma-separated `list`? */
static int list_has(const char *list, const char *region)
{
	size_t n = strlen(region);
	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, region, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* {value} of a shared secret: what the standby should do, knowing what
 * exists. A replica in the standby's region (the region of the nearest
 * node before the secret on its path) needs only to be read by its ARN;
 * otherwise the secret needs one. NULL for other nodes. */
static char *secret_remedy(sf_graph *g, sf_node_id secret, const sf_node_id *sp, size_t nsp)
{
	const char *regions = sf_graph_attr(g, secret, "replica_regions");
	const char *home = sf_graph_attr(g, secret, "region");
	const char *mine = NULL;
	char buf[200];

	if (sf_graph_node_at(g, secret)->kind != SF_KIND_SECRET)
		return NULL;
	for (size_t k = nsp ? nsp - 1 : 0; k-- > 0 && !mine;)
		mine = sf_graph_attr(g, sp[k], "region");
	if (regions && home && mine && strcmp(mine, home) != 0 && list_has(regions, mine) &&
	    (size_t)snprintf(buf, sizeof(buf), "it has a replica in %s: have the standby read the "
	                     "replica's ARN there", mine) < sizeof(buf))
		return strdup(buf);
	return strdup("replicate it to the standby's region and have the standby read the replica");
}

#define WORKLOAD_ROLES_MAX 64

/* Per node, found the first time a pair shares it: the graph does not
 * change while its pairs are checked, and an account trusted by every
 * service's role has in-edges from all of them, so finding them again
 * for each pair made the analysis quadratic in services. */
struct sf_check_roles {
	uint32_t *at;               /* per node: 0 not yet, else 1 + index of its count in ids */
	sf_node_id *ids;            /* a count, then that many roles */
	size_t n, cap;
};

void sf_check_roles_release(sf_check_ctx *ctx)
{
	struct sf_check_roles *r = ctx->roles;
	if (!r)
		return;
	free(r->at);
	free(r->ids);
	free(r);
	ctx->roles = NULL;
}

/* The roles that administer nothing (no zone, secret or key is
 * administered by them) whose trust policy names `x`: a pointer to their
 * count, followed by them, or NULL out of memory. */
static const sf_node_id *workload_roles(sf_check_ctx *ctx, sf_node_id x)
{
	sf_graph *g = ctx->g;
	struct sf_check_roles *r = ctx->roles;
	size_t cnt, start;
	const sf_edge_id *in;

	if (!r) {
		if (!(r = calloc(1, sizeof(*r))) ||
		    !(r->at = calloc(sf_graph_node_count(g) + 1, sizeof(*r->at)))) {
			free(r);
			return NULL;
		}
		ctx->roles = r;
	}
	if (r->at[x])
		return &r->ids[r->at[x] - 1];
	if (r->cap - r->n < WORKLOAD_ROLES_MAX + 1) {
		size_t ncap = r->cap ? r->cap * 2 : 1024;
		sf_node_id *ids = ncap < UINT32_MAX ? realloc(r->ids, ncap * sizeof(*ids)) : NULL;
		if (!ids)
			return NULL;
		r->ids = ids;
		r->cap = ncap;
	}
	start = r->n++;
	r->ids[start] = 0;
	in = sf_graph_in(g, x, &cnt);
	for (size_t k = 0; k < cnt && r->ids[start] < WORKLOAD_ROLES_MAX; k++) {
		const sf_edge *e = sf_graph_edge_at(g, in[k]);
		const sf_edge_id *rin;
		size_t rcnt, admin = 0;
		if (e->kind != SF_EDGE_ADMINISTERED_BY ||
		    sf_graph_node_at(g, e->from)->kind != SF_KIND_PRINCIPAL)
			continue;
		rin = sf_graph_in(g, e->from, &rcnt);
		for (size_t j = 0; j < rcnt && !admin; j++)
			admin = sf_graph_edge_at(g, rin[j])->kind == SF_EDGE_ADMINISTERED_BY;
		if (!admin) {
			r->ids[r->n++] = e->from;
			r->ids[start]++;
		}
	}
	r->at[x] = (uint32_t)start + 1;
	return &r->ids[start];
}

/* Does a side reach `x` only through the trust policy of a role that
 * administers nothing? Such a role is a workload's identity: the account
 * it trusts may act as the workload, a security blast radius, but its
 * suspension stops nothing. Found by searching the paths again with those
 * roles blocked. */
static int workload_trust_only(sf_check_ctx *ctx, const sf_pair *p, sf_node_id x, sf_plane plane)
{
	sf_node_id roles[WORKLOAD_ROLES_MAX], *path = NULL;
	unsigned char was[WORKLOAD_ROLES_MAX];
	const sf_node_id *found = workload_roles(ctx, x);
	size_t nroles = found ? found[0] : 0, n;
	int only = 0;

	if (!nroles)
		return 0;
	memcpy(roles, found + 1, nroles * sizeof(*roles));
	for (size_t k = 0; k < nroles; k++) {
		was[k] = ctx->blocked[roles[k]];
		ctx->blocked[roles[k]] = 1;
	}
	n = sf_closure_path(ctx->closure, p, plane, p->primary->root, x, ctx->blocked, &path);
	free(path);
	only = n == 0;
	for (size_t i = 0; i < p->nstandby && !only; i++) {
		n = sf_closure_path(ctx->closure, p, plane, p->standby[i]->root, x, ctx->blocked, &path);
		free(path);
		only = n == 0;
	}
	for (size_t k = nroles; k-- > 0;)
		ctx->blocked[roles[k]] = was[k];
	return only;
}

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	const sf_pair_fate *fate = ctx->fate;
	sf_graph *g = ctx->g;
	sf_node_id proot;
	int rc = 0, primary_claimed;

	if (!fate || !fate->nshared)
		return 0;
	/* When the standby needs the primary itself (claimed by reaches), what
	 * it reaches only through the primary is that finding again: the
	 * topmost node is reported, nothing behind it. */
	proot = p->primary->root;
	primary_claimed = ctx->claimed[proot];
	for (size_t i = 0; i < fate->nshared; i++) {
		const sf_shared *s = &fate->shared[i];
		const sf_node *node = sf_graph_node_at(g, s->node);
		const char *u;
		/* `unless` spares nodes every pair has by design (a public CA). */
		if (r->unless_attribute && (u = sf_graph_attr(g, s->node, r->unless_attribute)) &&
		    strcmp(u, r->unless_value) == 0)
			continue;
		if (r->unclaimed ? plane_matches(r, s->plane)
		                 : (sf_check_rule_takes(r, node) && plane_matches(r, s->plane)))
			ctx->blocked[s->node] = 1;
	}
	for (size_t i = 0; rc == 0 && i < fate->nshared; i++) {
		const sf_shared *s = &fate->shared[i];
		const sf_node *node = sf_graph_node_at(g, s->node);
		sf_node_id *pp = NULL, *sp = NULL;
		size_t npp, nsp = 0;
		unsigned char was;
		sf_hit hit;

		if (!ctx->blocked[s->node] || ctx->claimed[s->node])
			continue;
		if (r->unclaimed && !sf_check_rule_takes(r, node))
			continue;
		/* Nodes only workload roles' trust links are left to the rules
		 * that ask for them (`edge: assumes`). */
		if ((r->edge == SF_EDGE_ASSUMES) != workload_trust_only(ctx, p, s->node, s->plane))
			continue;
		npp = sf_closure_path(ctx->closure, p, s->plane, p->primary->root, s->node,
		                      ctx->blocked, &pp);
		was = ctx->blocked[proot];
		if (primary_claimed)
			ctx->blocked[proot] = 1;
		for (size_t k = 0; k < p->nstandby && !nsp; k++)
			if (!primary_claimed || p->standby[k]->root != proot)
				nsp = sf_closure_path(ctx->closure, p, s->plane, p->standby[k]->root, s->node,
				                      ctx->blocked, &sp);
		ctx->blocked[proot] = was;
		if (!npp || !nsp) {
			free(pp);
			free(sp);
			continue;
		}
		sf_hit_init(&hit);
		hit.subject = hit.shared = s->node;
		hit.through = through_of(g, fate, sp, nsp);
		hit.plane = s->plane;
		hit.plane_word = s->plane == SF_PLANE_CONTROL ? "control" : "data";
		hit.ppath = pp;
		hit.npp = npp;
		hit.spath = sp;
		hit.nsp = nsp;
		hit.loc = sf_check_pair_location(g, p, 1);
		hit.claims = 1;
		hit.value = hit.owned = secret_remedy(g, s->node, sp, nsp);
		rc = sf_hits_add(out, &hit);
	}
	/* Only shared nodes were marked: clearing them is enough. */
	for (size_t i = 0; i < fate->nshared; i++)
		ctx->blocked[fate->shared[i].node] = 0;
	return rc;
}

const sf_checker sf_checker_shared = { "shared", run };
