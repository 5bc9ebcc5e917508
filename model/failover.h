/* Failover pairs: which names fail over, from what to what.
 *
 * Importers do not build pairs. They report *members*: "this record is the
 * PRIMARY (role 0) of group G and points at node R". Once every input is
 * imported, sf_failover_build() groups members into pairs, so that a pair
 * whose primary lives in one file and standby in another is still found,
 * and the same pair read from two sources (a Terraform state and a Route 53
 * export) is one pair. */
#ifndef SF_FAILOVER_H
#define SF_FAILOVER_H

#include <stddef.h>

#include "graph.h"

typedef struct sf_failover_member {
	const char *group;      /* pair id: "route53:api.example.com./A"; interned */
	const char *source;     /* "aws_route53_record", "route53-json", ... */
	const char *name;       /* the failover name, absolute, lower case */
	const char *service;    /* NULL: derived from the name */
	const char *pair_key;   /* set by sf_failover_build: the group without its record type */
	int role;               /* 0 = primary, 1.. = standby in order of preference */
	sf_node_id record;      /* the node declaring it (record, endpoint), or NONE */
	sf_node_id root;        /* what it points at; the record when many values */
	sf_prov prov;
} sf_failover_member;

typedef struct sf_pair {
	const char *id;
	const char *service;
	const char *name;
	const char *source;
	const sf_failover_member *primary;          /* NULL when missing */
	const sf_failover_member **standby;         /* by role, then root key */
	size_t nstandby;
	/* Nodes common to both sides by construction (the zones and DNS
	 * providers serving the name): never reported as shared. */
	sf_node_id *excluded;
	size_t nexcluded;
} sf_pair;

typedef struct sf_failover {
	sf_failover_member *members;
	size_t nmembers, cap;
	/* members by (group, role, root): open addressing, power-of-two size,
	 * index + 1 (0 empty), so that adding a member is not a scan */
	size_t *index;
	size_t indexcap;
	unsigned long long probes;  /* slots looked at by sf_failover_add: a work counter for tests */
	sf_pair *pairs;             /* sorted by id */
	size_t npairs;
} sf_failover;

void sf_failover_init(sf_failover *fo);
void sf_failover_free(sf_failover *fo);

/* Record a member. Strings are interned into `g`. A member equal to one
 * already recorded (group, role, root) is ignored; finding it is a hash
 * lookup. */
int sf_failover_add(sf_failover *fo, sf_graph *g, const sf_failover_member *m);

/* Group members into pairs. Call once, after the link phase. The record
 * types of one name (A and AAAA; `route53:NAME/TYPE`, `gcp:NAME/TYPE`)
 * make one pair, whose id is the first of their groups; a standby that
 * two types share is listed once. */
int sf_failover_build(sf_failover *fo, sf_graph *g);

/* What sf_failover_build() adds to the graph, done first: members point at
 * the live nodes the link phase left, and their pair keys and default
 * service names are interned. sf_failover_build() calls it; a caller that
 * shrinks the graph to its size (sf_graph_fit) calls it before, so the
 * build adds no string. */
int sf_failover_settle(sf_failover *fo, sf_graph *g);

/* The service name for a DNS name: "api.example.com." -> "api.example.com". */
const char *sf_failover_default_service(sf_graph *g, const char *name);

#endif
