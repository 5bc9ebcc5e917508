/* health_check: the health checks that decide a member's failover, judged
 * as Route 53 (and its Cloudflare, Azure and Google equivalents) evaluates
 * them (SF202, SF208, SF209).
 *
 * The checks are those linked (checked_by) to a member's record or root.
 * A check's own state comes first: a disabled check counts as healthy and
 * an inverted one as healthy when its target is down, whatever it tests;
 * so a disabled or inverted check is judged only by rules whose attribute
 * is `disabled` or `inverted`, and its type only by the others.
 *
 * An alias record that evaluates its target's health is healthy only when
 * both its own check and the target are: when the target's own checks
 * (the load balancer's target groups) test readiness, failover
 * happens on readiness anyway, so a port-only or disabled check beside it
 * changes nothing. An inverted one still does: it turns the record
 * unhealthy while the target is up. */
#include "checks.h"

#include <string.h>

static int attr_is(sf_graph *g, sf_node_id id, const char *name, const char *value)
{
	const char *v = sf_graph_attr(g, id, name);
	return v && strcmp(v, value) == 0;
}

/* Does the check (or target group) `id` test readiness: an enabled,
 * upright request to the application, not a port? */
static int sees_readiness(sf_graph *g, sf_node_id id)
{
	static const char *const app[] = { "HTTP", "HTTPS", "HTTP2", "GRPC", "HTTP_STR_MATCH",
	                                   "HTTPS_STR_MATCH" };
	const char *t = sf_graph_attr(g, id, "health_check_type");
	if (!t || attr_is(g, id, "disabled", "true") || attr_is(g, id, "inverted", "true"))
		return 0;
	for (size_t i = 0; i < sizeof(app) / sizeof(app[0]); i++)
		if (strcmp(t, app[i]) == 0)
			return 1;
	return 0;
}

/* Does member `m` evaluate its target's health, and do all the checks
 * behind its target (at least one) test readiness? The walk follows names
 * and routing from the root and stops at each target group. */
static int target_health_covers(sf_check_ctx *ctx, const sf_pair *p,
                                const sf_failover_member *m, int *oom)
{
	sf_graph *g = ctx->g;
	sf_node_id rec = sf_check_member_node(m);
	sf_nodeset w = SF_NODESET_INIT;
	size_t head = 0, judged = 0;
	int ok = 1;

	if (!attr_is(g, rec, "evaluate_target_health", "true") || m->root == SF_NODE_NONE)
		return 0;
	if (sf_nodeset_add(&w, m->root, SF_NODE_NONE) < 0) {
		ok = 0;
		*oom = 1;
	}
	while (ok && head < w.count) {
		sf_node_id u = w.order[head++];
		size_t cnt;
		const sf_edge *o = sf_graph_out(g, u, &cnt);
		if (sf_graph_node_at(g, u)->kind == SF_KIND_TARGET_GROUP) {
			judged++;
			ok = sees_readiness(g, u);
			continue;
		}
		for (size_t k = 0; ok && k < cnt; k++) {
			const sf_edge *e = &o[k];
			if (e->kind == SF_EDGE_CHECKED_BY && u != m->root) {
				judged++;
				ok = sees_readiness(g, e->to);
			} else if ((e->kind == SF_EDGE_RESOLVES_TO || e->kind == SF_EDGE_ROUTES_TO) &&
			           !sf_check_excluded(p, e->to) && sf_nodeset_add(&w, e->to, u) < 0) {
				ok = 0;
				*oom = 1;
			}
		}
	}
	sf_nodeset_free(&w);
	return ok && judged > 0;
}

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_graph *g = ctx->g;
	const sf_failover_member *ms[64];
	size_t n = sf_check_members(p, r, ms, 64);
	sf_node_id seen[64];
	size_t nseen = 0;
	int wants_off = r->attribute && strcmp(r->attribute, "disabled") == 0;
	int wants_inverted = r->attribute && strcmp(r->attribute, "inverted") == 0;

	for (size_t i = 0; i < n; i++) {
		sf_node_id from[2] = { ms[i]->record, ms[i]->root };
		int covered = -1, oom = 0;
		for (int f = 0; f < 2; f++) {
			size_t cnt;
			const sf_edge *o;
			if (from[f] == SF_NODE_NONE || (f == 1 && from[1] == from[0]))
				continue;
			o = sf_graph_out(g, from[f], &cnt);
			for (size_t k = 0; k < cnt; k++) {
				const sf_edge *e = &o[k];
				const char *av = NULL;
				int off, inverted, dup = 0;
				sf_hit hit;
				if (e->kind != SF_EDGE_CHECKED_BY)
					continue;
				for (size_t s = 0; s < nseen; s++)
					dup |= seen[s] == e->to;
				if (dup || nseen == 64)
					continue;
				seen[nseen++] = e->to;
				inverted = attr_is(g, e->to, "inverted", "true");
				off = !inverted && attr_is(g, e->to, "disabled", "true");
				if ((off || inverted) != (wants_off || wants_inverted))
					continue;   /* another rule judges it */
				if (r->attribute && !sf_check_attribute(ctx, r, e->to, &av))
					continue;
				if (!inverted) {
					if (covered < 0)
						covered = target_health_covers(ctx, p, ms[i], &oom);
					if (oom)
						return -1;
					if (covered)
						continue;
				}
				sf_hit_init(&hit);
				hit.value = inverted ? "inverted" : off ? "disabled" : av;
				hit.subject = hit.shared = e->to;
				hit.record = from[0] != SF_NODE_NONE ? from[0] : from[1];
				hit.plane_word = "data";
				hit.loc = sf_check_member_location(g, p, ms[i]);
				if (sf_hits_add(out, &hit) < 0)
					return -1;
			}
		}
	}
	return 0;
}

const sf_checker sf_checker_health_check = { "health_check", run };
