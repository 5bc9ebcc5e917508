/* pair_incomplete: a primary without a standby, or a standby without a
 * primary (SF206): the failover has nowhere to go. */
#include "checks.h"

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	sf_hit hit;
	(void)r;
	if (p->primary && p->nstandby)
		return 0;
	sf_hit_init(&hit);
	hit.value = p->primary ? "a primary but no standby" : "a standby but no primary";
	hit.record = p->primary ? p->primary->record : p->standby[0]->record;
	hit.subject = hit.record;
	hit.loc = sf_check_pair_location(ctx->g, p, 0);
	return sf_hits_add(out, &hit);
}

const sf_checker sf_checker_pair_incomplete = { "pair_incomplete", run };
