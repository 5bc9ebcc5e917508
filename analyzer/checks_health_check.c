/* health_check: the health checks linked (checked_by) to a member's record
 * or root that cannot tell whether it is ready to serve (SF202). A
 * disabled or inverted check always is; otherwise the rule's attribute
 * test decides (TCP and other checks that only see a port answer). */
#include "checks.h"

#include <string.h>

static int attr_is(sf_graph *g, sf_node_id id, const char *name, const char *value)
{
	const char *v = sf_graph_attr(g, id, name);
	return v && strcmp(v, value) == 0;
}

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_graph *g = ctx->g;
	const sf_failover_member *ms[64];
	size_t n = sf_check_members(p, r, ms, 64);
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
				const char *av = NULL;
				sf_hit hit;
				int dup = 0;
				if (e->kind != SF_EDGE_CHECKED_BY)
					continue;
				for (size_t s = 0; s < nseen; s++)
					dup |= seen[s] == e->to;
				if (dup || nseen == 64)
					continue;
				seen[nseen++] = e->to;
				sf_hit_init(&hit);
				/* A disabled check never fails; an inverted one fails
				 * when the target is up. Neither tells readiness. */
				if (attr_is(g, e->to, "disabled", "true"))
					hit.value = "disabled";
				else if (attr_is(g, e->to, "inverted", "true"))
					hit.value = "inverted";
				else if (r->attribute && !sf_check_attribute(ctx, r, e->to, &av))
					continue;
				else
					hit.value = av;
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
