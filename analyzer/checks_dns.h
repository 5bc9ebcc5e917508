/* The DNS check kinds of the rule engine.
 *
 *   single_provider (SF207): a zone serving the failover name whose every
 *     name server is run by one provider.
 *   unresolved (SF203): a side's resolution chain ends at a name (or, if
 *     the rule lists the kind, an address) that no input defines, loops, or
 *     is longer than resolvers follow.
 *
 * Each function lists its hits for one pair; analyze.c turns a hit into a
 * finding with the rule's message, so the checks stay free of templates. */
#ifndef SF_CHECKS_DNS_H
#define SF_CHECKS_DNS_H

#include <stddef.h>

#include "model/failover.h"
#include "model/graph.h"

typedef enum {
	SF_DNS_ONE_PROVIDER,        /* single_provider */
	SF_DNS_UNDEFINED,           /* unresolved: the end is defined by no input */
	SF_DNS_LOOP,                /* unresolved: the chain comes back to the end */
	SF_DNS_TOO_LONG             /* unresolved: past SF_DNS_MAX_CHAIN aliases */
} sf_dns_why;

typedef struct sf_dns_hit {
	sf_node_id subject;         /* the zone; the node where the chain ends */
	sf_node_id shared;          /* the one provider; the same end node */
	sf_dns_why why;
	const sf_failover_member *member;   /* unresolved: the side */
	sf_node_id *path;           /* unresolved: root .. subject, malloc'd */
	size_t npath;
} sf_dns_hit;

typedef struct sf_dns_hits {
	sf_dns_hit *items;
	size_t count, cap;
} sf_dns_hits;

void sf_dns_hits_free(sf_dns_hits *h);

/* Why an unresolved hit fires, for a message's {value}: "no input defines
 * it", "its chain ends at dns:x., which no input defines", ... malloc'd. */
char *sf_dns_hit_reason(sf_graph *g, const sf_dns_hit *h);

/* Zones among the pair's excluded nodes (those serving the failover name)
 * whose NS set was seen (`nameservers` attribute) and names one provider.
 * Returns -1 out of memory. */
int sf_check_single_provider(sf_graph *g, const sf_pair *p, sf_dns_hits *out);

/* Walk each chosen side's root along resolves_to/routes_to edges through
 * dns_name and endpoint nodes. A hit for each end that is `unresolved`
 * (when `kinds`, a bit mask of sf_kind, is 0 or includes its kind), each
 * loop, and each chain longer than SF_DNS_MAX_CHAIN names. The walk is
 * iterative and bounded. Returns -1 out of memory. */
int sf_check_unresolved(sf_graph *g, const sf_pair *p, int primary, int standby,
                        unsigned long long kinds, sf_dns_hits *out);

#endif
