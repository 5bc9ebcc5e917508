/* Blast radius: for every failure domain (region, availability zone,
 * account, identity provider, secret store, KMS key, certificate
 * authority, DNS provider, load balancer), the services whose primary,
 * whose standby, or whose both sides its failure alone takes down (gates
 * honoured, per pair: closure.c's sf_closure_blast), on the data plane
 * or else on the control plane (the domain blocks recovery: an account,
 * a CA, DNS change rights). A DNS provider that
 * alone serves a failover name's zone takes both sides down. */
#ifndef SF_DOMAINS_H
#define SF_DOMAINS_H

#include <stddef.h>

#include "model/failover.h"
#include "model/graph.h"

typedef struct sf_domain {
	sf_node_id node;
	const sf_pair **both, **primary, **standby;    /* each sorted by service */
	size_t nboth, nprimary, nstandby;
	int control;                /* only on the control plane: it blocks recovery, not serving */
} sf_domain;

typedef struct sf_domains {
	sf_domain *items;           /* most services losing both sides first, then by key */
	size_t count;
	size_t truncated;           /* pairs whose analysis stopped at the work budget */
} sf_domains;

/* Is a node of kind `k` a failure domain for this table? */
int sf_domains_kind(sf_kind k);

int sf_domains_build(sf_graph *g, const sf_failover *fo, sf_domains *out);
void sf_domains_free(sf_domains *d);

#endif
