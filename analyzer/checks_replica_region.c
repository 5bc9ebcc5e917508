/* replica_region: nodes of the rule's kinds a standby depends on that lie
 * outside the standby's region and have no copy there (`replica_regions`)
 * (SF302): the standby's region survives, they may not. */
#include "checks.h"

#include <string.h>

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

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_graph *g = ctx->g;
	sf_nodeset w = SF_NODESET_INIT;
	sf_node_id seen[256];
	size_t nseen = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < p->nstandby; i++) {
		const sf_failover_member *m = p->standby[i];
		const char *home = NULL;
		sf_nodeset_clear(&w);
		if (sf_check_walk_data(g, p, &m->root, 1, &w) < 0) {
			rc = -1;
			break;
		}
		/* The standby's region: that of the first node on its way that
		 * has one (its load balancer, usually). */
		for (size_t k = 0; k < w.count && !home; k++)
			home = sf_graph_attr(g, w.order[k], "region");
		for (size_t k = 0; home && rc == 0 && k < w.count; k++) {
			sf_node_id v = w.order[k];
			const char *reg = sf_graph_attr(g, v, "region");
			const char *copies = sf_graph_attr(g, v, "replica_regions");
			sf_hit hit;
			int dup = 0;
			if (!sf_check_rule_takes(r, sf_graph_node_at(g, v)) || !reg ||
			    strcmp(reg, home) == 0 || in_list(copies, home))
				continue;
			for (size_t s = 0; s < nseen; s++)
				dup |= seen[s] == v;
			if (dup || nseen == 256)
				continue;
			seen[nseen++] = v;
			sf_hit_init(&hit);
			hit.subject = hit.shared = v;
			hit.record = sf_check_member_node(m);
			hit.through = sf_nodeset_get(&w, v);
			hit.value = sf_graph_intern(g, home);
			hit.plane = SF_PLANE_DATA;
			hit.plane_word = "data";
			hit.loc = sf_check_member_location(g, p, m);
			hit.spath = sf_nodeset_path(&w, v, &hit.nsp);
			rc = sf_hits_add(out, &hit);
		}
	}
	sf_nodeset_free(&w);
	return rc;
}

const sf_checker sf_checker_replica_region = { "replica_region", run };
