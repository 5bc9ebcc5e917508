/* Check kinds over what a pair's sides depend on, beyond shared nodes.
 *
 *   health_check (SF202): the health checks linked (checked_by) to a
 *     member's record or root. A disabled or inverted check is always a
 *     hit; otherwise the rule's attribute test decides (TCP and other
 *     checks that only see a port answer).
 *   certificate_coverage (SF205): the certificates a member presents to
 *     clients (the first TLS-terminating hop along resolves_to/routes_to)
 *     of which none covers the failover name (RFC 6125: a wildcard stands
 *     for exactly one left-most label). Certificates of unknown names are
 *     given the benefit of the doubt.
 *   path_attribute (SF301): nodes of the rule's kinds that a side depends
 *     on (data plane); the rule's attribute test decides.
 *   replica_region (SF302): nodes of the rule's kinds a standby depends on
 *     that lie outside the standby's region and have no copy there
 *     (`replica_regions`).
 *
 * Each function lists hits for one pair; analyze.c applies the rule's
 * attribute test where the kind has one and turns hits into findings. */
#ifndef SF_CHECKS_TF_H
#define SF_CHECKS_TF_H

#include <stddef.h>

#include "model/failover.h"
#include "model/graph.h"
#include "rules/rules.h"

typedef struct sf_tf_hit {
	sf_node_id subject;         /* the health check, certificate, secret */
	sf_node_id record;          /* the member's record (or root), for {record} */
	sf_node_id through;         /* the node that depends on the subject, or NONE */
	const char *value;          /* for {value}: interned or static; NULL: the attribute's */
	int always;                 /* a hit whatever the rule's attribute test says */
	const sf_failover_member *member;   /* the side; NULL when both */
	sf_node_id *ppath, *spath;  /* primary/standby root .. subject, malloc'd */
	size_t npp, nsp;
	sf_plane plane;
} sf_tf_hit;

typedef struct sf_tf_hits {
	sf_tf_hit *items;
	size_t count, cap;
} sf_tf_hits;

void sf_tf_hits_free(sf_tf_hits *h);

/* List the hits of rule `r` (of one of the four kinds above) for pair `p`.
 * Returns -1 out of memory. */
int sf_check_tf(sf_graph *g, const sf_pair *p, const sf_rule *r, sf_tf_hits *out);

/* Does certificate name `pattern` (possibly "*.example.com") cover host
 * `name`? Case-insensitive, trailing dots ignored; a wildcard is only the
 * whole left-most label, matches exactly one label, and needs at least
 * two labels after it. */
int sf_cert_name_matches(const char *pattern, const char *name);

#endif
