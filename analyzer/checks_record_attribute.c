/* attribute: an attribute of the members' own records compared with the
 * rule's values (SF204: a failover record's TTL above the threshold). */
#include "checks.h"

static int fires(sf_check_ctx *ctx, const sf_rule *r, sf_node_id id, const char **value)
{
	return sf_check_attribute(ctx, r, id, value);
}

static int run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out)
{
	return sf_check_each_record(ctx, r, p, fires, out);
}

const sf_checker sf_checker_record_attribute = { "attribute", run };
