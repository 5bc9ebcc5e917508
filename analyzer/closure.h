/* Shared fate of a failover pair.
 *
 * For each pair and plane, the nodes whose failure alone takes down the
 * primary *and* every standby, with ALL/ANY gates honoured (INDaaS' fault
 * graph): a node fails when, for an ALL gate, any of its propagating
 * dependencies fails; for an ANY gate, all of them do. The data plane
 * follows data edges only; the control plane follows data and control
 * edges (the standby that cannot be re-keyed, re-issued or re-pointed). */
#ifndef SF_CLOSURE_H
#define SF_CLOSURE_H

#include <stddef.h>

#include "model/failover.h"
#include "model/graph.h"

typedef struct sf_shared {
	sf_node_id node;
	sf_plane plane;             /* DATA, or CONTROL when shared only there */
} sf_shared;

typedef struct sf_pair_fate {
	sf_shared *shared;          /* sorted by node key */
	size_t nshared;
	int standby_needs_primary;  /* the primary root is in a standby's closure */
	int truncated;              /* the work budget ran out: shared may be incomplete */
} sf_pair_fate;

/* Edge visits one pair's failure simulations may take. The analysis of a
 * pair that needs more stops there (deterministically) and says so. */
#define SF_CLOSURE_MAX_WORK 200000000ull

/* Work buffers reused across pairs. */
typedef struct sf_closure sf_closure;

int sf_closure_new(sf_closure **out, sf_graph *g);
void sf_closure_free(sf_closure *c);

/* Compute the shared nodes of `p`. Returns -1 out of memory. A pair without
 * a primary or standby has no shared nodes. */
int sf_closure_pair(sf_closure *c, const sf_pair *p, sf_pair_fate *out);
void sf_pair_fate_free(sf_pair_fate *f);

/* Steps the last sf_closure_pair() took (edges followed, candidates and
 * simulation steps): linear in the pair's closure unless ANY gates force
 * simulations. For tests that bound work independently of the machine. */
unsigned long long sf_closure_steps(const sf_closure *c);

/* Shortest dependency path from `from` to `to` on `plane`, not passing
 * through any node with blocked[id] set (the ends excepted), nor through
 * the pair's excluded nodes. Returns the path length in nodes (0: none);
 * *out is malloc'd. */
size_t sf_closure_path(sf_closure *c, const sf_pair *p, sf_plane plane, sf_node_id from,
                       sf_node_id to, const unsigned char *blocked, sf_node_id **out);

/* ---- several failures at once ---- */

/* Largest set of common dependencies SF110 looks for. */
#define SF_REDUNDANCY_MAX_ORDER 4

typedef struct sf_redundancy_opts {
	sf_plane plane;             /* DATA (also for NONE) or CONTROL */
	unsigned order;             /* largest set, 2..SF_REDUNDANCY_MAX_ORDER */
	unsigned long long budget;  /* steps for the pair; past it: truncated */
} sf_redundancy_opts;

typedef struct sf_cutset {
	sf_node_id member[SF_REDUNDANCY_MAX_ORDER];     /* sorted by key */
	unsigned n;
} sf_cutset;

typedef struct sf_redundancy {
	sf_cutset *sets;            /* by size, then by member keys */
	size_t nsets;
	size_t ncandidates;         /* common nodes the search combined */
	int truncated;              /* the budget ran out: sets may be missing */
	unsigned long long work;    /* steps taken */
} sf_redundancy;

/* Shared redundancy of `p` (SF110): the minimal sets of 2..order common
 * dependencies whose joint failure takes down the primary and every
 * standby while no proper subset does. The search combines only the
 * common nodes whose failure alone takes down neither side (they sit
 * under ANY gates on both), keeps the deeper of a candidate and its only
 * dependency, and stops (deterministically, truncated) past the budget.
 * Returns -1 out of memory. */
int sf_closure_redundancy(sf_closure *c, const sf_pair *p, const sf_redundancy_opts *o,
                          sf_redundancy *out);
void sf_redundancy_free(sf_redundancy *r);

/* Blast radius within one pair: every node of either side's closure on
 * `plane` whose failure alone takes down the primary (down & 1), every
 * standby (down & 2), or both. Costs the union's size squared at most. */
typedef struct sf_blast {
	sf_node_id *node;
	unsigned char *down;
	size_t n;
	int truncated;
} sf_blast;

int sf_closure_blast(sf_closure *c, const sf_pair *p, sf_plane plane, sf_blast *out);
void sf_blast_free(sf_blast *b);

#endif
