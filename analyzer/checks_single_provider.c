/* single_provider: a zone serving the failover name whose every name
 * server one provider runs (SF207). */
#include "checks.h"

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_graph *g = ctx->g;
	(void)r;
	for (size_t i = 0; i < p->nexcluded; i++) {
		sf_node_id z = p->excluded[i], provider = SF_NODE_NONE;
		const sf_node *zn = sf_graph_node_at(g, z);
		size_t cnt, providers = 0;
		const sf_edge *edges;
		sf_hit hit;

		/* Only zones whose NS set an input showed us are judged. A zone
		 * known from Terraform alone (aws_route53_zone) says where it is
		 * hosted, not how its parent delegates it: the registrar may list
		 * another provider's servers too, and Route 53's own four servers
		 * already sit in four TLDs. Reporting every such zone would flag
		 * every Terraform-only repository; a zone file or an export with
		 * the apex NS records is evidence, so it is judged. */
		if (!zn || zn->kind != SF_KIND_DNS_ZONE || !sf_graph_attr(g, z, "nameservers") ||
		    sf_hits_has(out, z))
			continue;
		edges = sf_graph_out(g, z, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &edges[k];
			const sf_node *to = sf_graph_node_at(g, e->to);
			if (e->kind != SF_EDGE_SERVED_BY || to->kind != SF_KIND_DNS_PROVIDER ||
			    e->to == provider)
				continue;
			provider = e->to;
			providers++;
		}
		if (providers != 1)
			continue;
		sf_hit_init(&hit);
		hit.subject = hit.record = z;
		hit.shared = provider;
		hit.value = sf_graph_node_label(g, sf_graph_node_at(g, provider));
		hit.loc = sf_graph_node_prov(g, zn);
		if (sf_hits_add(out, &hit) < 0)
			return -1;
	}
	return 0;
}

const sf_checker sf_checker_single_provider = { "single_provider", run };
