/* The graph as an igraph_t, for the algorithms igraph does well.
 *
 * igraph's default error handler aborts the process; sf_igraph_init()
 * installs one that records the first reason and returns, so every igraph
 * failure becomes an ordinary error return here. Vertex ids equal node ids;
 * merged placeholder nodes are isolated vertices. */
#ifndef SF_GRAPH_IGRAPH_H
#define SF_GRAPH_IGRAPH_H

#include <stddef.h>

#include <igraph.h>

#include "graph.h"

/* Once per process, before any other igraph call. */
void sf_igraph_init(void);

/* The last igraph error reason ("" when none); cleared by each call below. */
const char *sf_igraph_last_error(void);

/* Export the edges along which failure propagates on `plane` (DATA: data
 * edges; CONTROL: data and control edges; NONE: every edge). `out` must be
 * uninitialised; on success the caller owns it (igraph_destroy). */
int sf_igraph_export(sf_graph *g, sf_plane plane, igraph_t *out);

/* Dependency cycles on `plane`: the strongly connected components with
 * more than one node. `membership[v]` gets the component of node v, or -1
 * when v is in no cycle (malloc'd, sf_graph_node_count entries); returns
 * the number of cycles, or -1 on error. */
long sf_igraph_cycles(sf_graph *g, sf_plane plane, long **membership);

#endif
