/* A set of graph nodes with one value each, in insertion order.
 *
 * Check kinds walk a pair's dependencies, which are few next to the graph:
 * a set sized by what was visited, not by the graph, lets ten thousand
 * pairs cost ten thousand small walks. The value is a node id, usually the
 * node a walk came from (so paths can be read back), or any small state. */
#ifndef SF_NODESET_H
#define SF_NODESET_H

#include <stddef.h>

#include "model/graph.h"

/* Most nodes one set holds: a walk past it stops there (bounded). */
#define SF_NODESET_MAX 200000

typedef struct sf_nodeset {
	sf_node_id *keys, *values; /* open addressing; SF_NODE_NONE marks empty */
	size_t cap;
	sf_node_id *order;          /* members in insertion order */
	size_t count;
} sf_nodeset;

#define SF_NODESET_INIT { NULL, NULL, 0, NULL, 0 }

void sf_nodeset_free(sf_nodeset *s);
/* Empty the set, keeping its memory for the next walk. */
void sf_nodeset_clear(sf_nodeset *s);

/* Add `k` with `value`: 1 when added, 0 when present already (its value
 * unchanged) or when the set is full, -1 out of memory. */
int sf_nodeset_add(sf_nodeset *s, sf_node_id k, sf_node_id value);
int sf_nodeset_has(const sf_nodeset *s, sf_node_id k);
/* The value of `k`, or SF_NODE_NONE when `k` is absent. */
sf_node_id sf_nodeset_get(const sf_nodeset *s, sf_node_id k);
/* Change the value of a member; nothing when `k` is absent. */
void sf_nodeset_set(sf_nodeset *s, sf_node_id k, sf_node_id value);

/* Following values as parents from `k` back to a node whose value is
 * SF_NODE_NONE: that node .. k, malloc'd; *n its length (0 and NULL when
 * `k` is absent or out of memory). */
sf_node_id *sf_nodeset_path(const sf_nodeset *s, sf_node_id k, size_t *n);

#endif
