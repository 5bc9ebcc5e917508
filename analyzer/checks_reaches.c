/* reaches: the standby cannot serve without its primary (SF108), when the
 * primary's root is in a standby's closure or is the standby's root. The
 * finding claims the primary's root: what a standby reaches only through
 * it is this finding's consequence (checks_shared.c). */
#include "checks.h"

#include <stdlib.h>

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_node_id proot;
	sf_hit hit;
	(void)r;

	if (!p->primary || !p->nstandby || !ctx->fate || !ctx->fate->standby_needs_primary)
		return 0;
	proot = p->primary->root;
	sf_hit_init(&hit);
	hit.subject = hit.shared = proot;
	/* A standby that is the primary's own endpoint (both records name
	 * the same load balancer) is the plainest case: the failover switches
	 * to what just failed; its path is that one node. */
	for (size_t k = 0; k < p->nstandby && !hit.nsp; k++)
		hit.nsp = sf_closure_path(ctx->closure, p, SF_PLANE_DATA, p->standby[k]->root, proot,
		                          NULL, &hit.spath);
	hit.ppath = malloc(sizeof(*hit.ppath));
	if (!hit.ppath) {
		free(hit.spath);
		return -1;
	}
	hit.ppath[0] = proot;
	hit.npp = 1;
	hit.plane = SF_PLANE_DATA;
	hit.loc = sf_check_pair_location(ctx->g, p, 1);
	hit.claims = 1;
	return sf_hits_add(out, &hit);
}

const sf_checker sf_checker_reaches = { "reaches", run };
