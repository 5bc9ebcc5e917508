/* Views: the part of the graph one diagram draws.
 *
 * A view is a set of live nodes, sorted by key, each with the sides of a
 * failover pair it lies on, whether a finding names it as shared, the rule
 * ids of those findings and the fingerprint of the first (the anchor the
 * diagram links to). Every diagram writer (DOT, Mermaid, GraphML) draws a
 * view, so that they agree on what a pair's picture holds. */
#ifndef SF_VIEW_H
#define SF_VIEW_H

#include <stddef.h>

#include "analyzer/scan.h"

#define SF_VIEW_PRIMARY 1u
#define SF_VIEW_STANDBY 2u

/* Nodes a pair diagram draws per side before it stops following edges. */
#define SF_VIEW_SIDE_MAX 48
/* Edges followed from a pair's roots. */
#define SF_VIEW_DEPTH 6
/* An overview larger than this is drawn collapsed by failure domain. */
#define SF_VIEW_COLLAPSE 150

/* SF110 sets a pair diagram tells apart; past it, further sets are drawn
 * as shared nodes only (their findings still name every member). */
#define SF_VIEW_MAX_SETS 16

typedef struct sf_view_node {
	sf_node_id id;
	unsigned sides;             /* SF_VIEW_PRIMARY | SF_VIEW_STANDBY */
	int shared;                 /* a finding names it as shared */
	unsigned sets;              /* bit k: a member of the pair's SF110 set k + 1 */
	char rules[64];             /* "SF104 SF107" */
	const char *anchor;         /* fingerprint of its first finding, or NULL */
} sf_view_node;

typedef struct sf_view {
	sf_scan *scan;
	sf_view_node *nodes;        /* sorted by key */
	size_t count, cap;
	uint32_t *pos;              /* graph node id -> index + 1 (0: absent) */
	size_t npos;
	const sf_pair *pair;        /* the pair drawn, or NULL for an overview */
	const char *title;          /* borrowed */
	/* a pair's shared-redundancy (SF110) sets, in finding order: the
	 * nodes that fail only together, each set a group in the diagram */
	size_t nsets;               /* at most SF_VIEW_MAX_SETS */
	const char *set_anchor[SF_VIEW_MAX_SETS];   /* the set's finding fingerprint */
	const char *set_rule[SF_VIEW_MAX_SETS];     /* its rule id ("SF110") */
} sf_view;

/* The primary and standby paths of `pair`, with its SF110 sets. Returns
 * -1 out of memory. */
int sf_view_pair(sf_view *out, sf_scan *s, const sf_pair *pair);
/* Every pair and finding of `service` (NULL: the whole graph). */
int sf_view_overview(sf_view *out, sf_scan *s, const char *service);
void sf_view_free(sf_view *v);

/* The number of finding f's set in its pair diagram ("SF110 set 2"), or
 * 0 when it draws none. */
size_t sf_view_set_number(sf_scan *s, const sf_finding *f);

/* Index of node `id` in the view, or -1. */
long sf_view_find(const sf_view *v, sf_node_id id);

/* "account 1111, us-east-1" from the node's attributes, "" when neither:
 * the failure domain a diagram clusters it in. */
void sf_view_domain(const sf_view *v, sf_node_id id, char *out, size_t outsz);

/* The finding category of a finding: that of its first shared node, else
 * of its subject, else SF_CAT_OTHER. */
sf_category sf_view_finding_category(sf_scan *s, const sf_finding *f);

/* The services of the scan (from pairs and findings), sorted, unique;
 * "(no service)" stands for findings without one. *out is malloc'd, its
 * strings borrowed. Returns -1 out of memory. */
int sf_view_services(sf_scan *s, const char ***out, size_t *n);
#define SF_VIEW_NO_SERVICE "(no service)"

/* 1 when the finding or pair belongs to `service` (SF_VIEW_NO_SERVICE too). */
int sf_view_finding_in(const sf_finding *f, const char *service);

#endif
