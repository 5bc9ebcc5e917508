/* missing_edge: a member's record lacks an edge of the rule's kind (SF201:
 * a failover record with no health check), unless an attribute says the
 * edge is not needed. */
#include "checks.h"

#include <string.h>

static int fires(sf_check_ctx *ctx, const sf_rule *r, sf_node_id id, const char **value)
{
	size_t cnt;
	const sf_edge *o = sf_graph_out(ctx->g, id, &cnt);
	const char *u;
	*value = NULL;
	/* Nothing is known about what no input defines (a pool by ID):
	 * that is SF203's to say, not a missing edge. */
	if ((u = sf_graph_attr(ctx->g, id, "unresolved")) && strcmp(u, "true") == 0)
		return 0;
	for (size_t k = 0; k < cnt; k++)
		if ((int)o[k].kind == r->edge)
			return 0;
	if (r->unless_attribute && (u = sf_graph_attr(ctx->g, id, r->unless_attribute)) &&
	    strcmp(u, r->unless_value) == 0)
		return 0;
	return 1;
}

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	return sf_check_each_record(ctx, r, p, fires, out);
}

const sf_checker sf_checker_missing_edge = { "missing_edge", run };
