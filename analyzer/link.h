/* The link phase: after every input is imported, join what sources left
 * for each other, and mark the references that nothing defines. */
#ifndef SF_LINK_H
#define SF_LINK_H

#include "model/diag.h"
#include "model/graph.h"

/* Mark dns_name and endpoint nodes that lead nowhere with unresolved=true.
 * Returns -1 out of memory. */
int sf_link(sf_graph *g, sf_diags *d);

#endif
