/* service_attribute: what sharedfate.yaml (or a Backstage catalog) says
 * of a pair's service, compared like any attribute: SF401 an owner, SF403
 * a runbook. Only services an input declares are judged, and of those
 * only the tiers the rule names: an undeclared service has no tier to
 * hold it to. */
#include "checks.h"

#include <string.h>

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_node_id svc = sf_check_service(ctx->g, p);
	const char *tier, *value = NULL;
	int in_tiers = r->ntiers == 0;
	sf_hit hit;

	if (svc == SF_NODE_NONE)
		return 0;
	tier = sf_graph_attr(ctx->g, svc, "tier");
	for (size_t i = 0; tier && i < r->ntiers; i++)
		in_tiers |= strcmp(tier, r->tiers[i]) == 0;
	if (!in_tiers || !sf_check_attribute(ctx, r, svc, &value))
		return 0;
	sf_hit_init(&hit);
	hit.subject = svc;
	hit.value = tier;
	hit.loc = sf_graph_node_prov(ctx->g, sf_graph_node_at(ctx->g, svc));
	if (!hit.loc.path)
		hit.loc = sf_check_pair_location(ctx->g, p, 0);
	return sf_hits_add(out, &hit);
}

const sf_checker sf_checker_service_attribute = { "service_attribute", run };
