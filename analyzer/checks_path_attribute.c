/* path_attribute: nodes of the rule's kinds that a side depends on (data
 * plane) and that fail the rule's attribute test (SF301). */
#include "checks.h"

#include <stdlib.h>

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_graph *g = ctx->g;
	sf_nodeset pw = SF_NODESET_INIT, sw = SF_NODESET_INIT;
	sf_node_id *sroots = NULL;
	int rc = -1;

	if (!p->primary || !p->nstandby)
		return 0;
	sroots = malloc(p->nstandby * sizeof(*sroots));
	if (!sroots)
		return -1;
	for (size_t i = 0; i < p->nstandby; i++)
		sroots[i] = p->standby[i]->root;
	if ((r->subject != SF_SUBJECT_STANDBY &&
	     sf_check_walk_data(g, p, &p->primary->root, 1, &pw) < 0) ||
	    (r->subject != SF_SUBJECT_PRIMARY &&
	     sf_check_walk_data(g, p, sroots, p->nstandby, &sw) < 0))
		goto cleanup;
	/* Nodes of the primary's walk, then the standby's own. */
	for (int side = 0; side < 2; side++) {
		const sf_nodeset *w = side ? &sw : &pw;
		for (size_t i = 0; i < w->count; i++) {
			sf_node_id v = w->order[i];
			int in_p = sf_nodeset_has(&pw, v), in_s = sf_nodeset_has(&sw, v);
			const char *av = NULL;
			sf_hit hit;
			if ((side == 1 && in_p) || !sf_check_rule_takes(r, sf_graph_node_at(g, v)))
				continue;
			if (r->attribute && !sf_check_attribute(ctx, r, v, &av))
				continue;
			sf_hit_init(&hit);
			hit.subject = hit.shared = hit.record = v;
			hit.through = in_s ? sf_nodeset_get(&sw, v) : sf_nodeset_get(&pw, v);
			hit.value = in_p && in_s ? "the primary and the standby"
			                         : in_p ? "the primary" : "the standby";
			hit.plane = SF_PLANE_DATA;
			hit.plane_word = "data";
			hit.loc = sf_check_pair_location(g, p, 1);
			if (in_p)
				hit.ppath = sf_nodeset_path(&pw, v, &hit.npp);
			if (in_s)
				hit.spath = sf_nodeset_path(&sw, v, &hit.nsp);
			if (sf_hits_add(out, &hit) < 0)
				goto cleanup;
		}
	}
	rc = 0;
cleanup:
	sf_nodeset_free(&pw);
	sf_nodeset_free(&sw);
	free(sroots);
	return rc;
}

const sf_checker sf_checker_path_attribute = { "path_attribute", run };
