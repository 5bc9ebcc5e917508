/* Game day on paper: fail some nodes, see what each service does.
 *
 * Failure spreads over the whole graph against the edges, gates honoured
 * (an ALL node fails with any propagating dependency, an ANY node when
 * every alternative has, or a required dependency). It runs twice: on the
 * data plane (what still serves) and on the control plane, which adds the
 * edges of administration (what can still be recovered, re-keyed,
 * re-pointed). Then, per failover pair:
 *
 *   serves    the primary serves and can be recovered
 *   degraded  it serves through a standby, or the side that serves cannot
 *             be recovered (its account, CA or DNS rights failed)
 *   down      no side serves, or the name's zone no longer answers
 *
 * `because` says why, as paths from a side to a failed node. */
#ifndef SF_SIMULATE_H
#define SF_SIMULATE_H

#include <stddef.h>

#include "model/failover.h"
#include "model/graph.h"

typedef enum { SF_OUTCOME_SERVES, SF_OUTCOME_DEGRADED, SF_OUTCOME_DOWN } sf_outcome;

typedef struct sf_because {
	const char *side;           /* "primary", "standby" or "name" (static) */
	sf_plane plane;
	sf_node_id *path;           /* the side's root .. a failed node, malloc'd */
	size_t n;
} sf_because;

typedef struct sf_service_fate {
	const sf_pair *pair;
	sf_outcome outcome;
	const sf_failover_member *serving;  /* NULL when down */
	sf_because *because;
	size_t nbecause;
} sf_service_fate;

typedef struct sf_simulation {
	sf_node_id *failed;         /* what was failed, sorted by key, once each */
	size_t nfailed;
	sf_service_fate *services;  /* in pair order */
	size_t nservices;
} sf_simulation;

const char *sf_outcome_name(sf_outcome o);

/* Add to `sel` the live nodes that `spec` names: a node key (or alias),
 * or a selector `name=value`: region, account and availability_zone (az)
 * match those domain nodes by name, category and kind match node kinds,
 * any other allowed attribute name matches nodes with that value.
 * Returns the number of nodes it matched (0: none), -1 out of memory, -2
 * when `spec` is neither a key nor a selector we know. */
long sf_simulate_select(sf_graph *g, const char *spec, sf_node_id **sel, size_t *nsel);

/* Fail `failed` and judge every pair. Returns -1 out of memory. */
int sf_simulate_run(sf_graph *g, const sf_failover *fo, const sf_node_id *failed, size_t nfailed,
                    sf_simulation *out);
void sf_simulation_free(sf_simulation *s);

#endif
