/* Running the rule pack over the failover pairs of a graph. */
#ifndef SF_ANALYZE_H
#define SF_ANALYZE_H

#include "model/diag.h"
#include "model/failover.h"
#include "findings.h"
#include "model/graph.h"
#include "rules/rules.h"

typedef struct sf_analyze_opts {
	long ttl_threshold;         /* seconds, for rules comparing "ttl" with "{threshold}" */
} sf_analyze_opts;

/* Evaluate every rule on every pair; append findings. Returns -1 on an
 * internal error (out of memory, graph library failure). */
int sf_analyze(sf_graph *g, const sf_failover *fo, const sf_ruleset *rs,
               const sf_analyze_opts *o, sf_findings *out, sf_diags *d);

#endif
