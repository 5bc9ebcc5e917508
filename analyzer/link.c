#include "link.h"

#include <string.h>

/* Canonical keys already join most sources: a zone file's CNAME target and
 * a load balancer's DNS name are the same `dns:` node. What is left is to
 * say which names lead nowhere. A name leads somewhere when it has any
 * propagating out-edge (to a target, a load balancer, an address). */
int sf_link(sf_graph *g, sf_diags *d)
{
	size_t n = sf_graph_node_count(g);
	(void)d;
	if (sf_graph_merge_aliases(g) < 0)
		return -1;
	for (sf_node_id id = 0; id < n; id++) {
		sf_node *node = sf_graph_node_at(g, id);
		size_t cnt, k;
		const size_t *out;
		int leads = 0;
		if ((node->kind != SF_KIND_DNS_NAME && node->kind != SF_KIND_ENDPOINT) ||
		    node->merged_into != SF_NODE_NONE)
			continue;
		out = sf_graph_out(g, id, &cnt);
		for (k = 0; k < cnt; k++) {
			const sf_edge *e = sf_graph_edge_at(g, out[k]);
			if (e->kind == SF_EDGE_RESOLVES_TO || e->kind == SF_EDGE_ROUTES_TO)
				leads = 1;
		}
		if (!leads && !sf_graph_attr(g, id, "unresolved") &&
		    sf_graph_set_attr(g, id, "unresolved", "true") < 0)
			return -1;
	}
	return 0;
}
