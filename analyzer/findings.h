/* Findings: what the rules found, grouped by root cause, sorted and
 * fingerprinted.
 *
 * A fingerprint is a stable hash of the rule id, the pair id and the shared
 * node keys (or the subject key): never of attribute values, so no secret
 * can reach it, and it survives changes that do not change the finding. A
 * Terraform resource counts by its address, not by the state-qualified key
 * it shows when another state has the same address, so adding a state
 * does not change the fingerprints of findings it has no part in.
 *
 * Findings of one pair share a root cause when the standby reaches one's
 * shared node through another's: the secret it reads from the primary's
 * region is the cause, its KMS key and its region follow from it. They
 * carry the cause's fingerprint as `root_cause` and print together, the
 * cause first. */
#ifndef SF_FINDINGS_H
#define SF_FINDINGS_H

#include <stddef.h>

#include "model/failover.h"
#include "model/graph.h"
#include "rules/rules.h"

typedef struct sf_finding {
	const sf_rule *rule;
	sf_severity severity;
	const sf_pair *pair;        /* NULL when the finding is not about a pair */
	const char *service;        /* interned */
	const char *subject;        /* node key, interned */
	char *message;
	const char **shared;        /* node keys */
	size_t nshared;
	const char **primary_path;
	size_t nprimary_path;
	const char **standby_path;
	size_t nstandby_path;
	sf_plane plane;
	sf_prov location;
	char fingerprint[17];
	char root_cause[17];        /* the cause's fingerprint; "" when not grouped */
	size_t group_rank;          /* sorting: the cause's place, set by finish */
} sf_finding;

typedef struct sf_findings {
	sf_finding *items;
	size_t count, cap;
} sf_findings;

void sf_findings_init(sf_findings *f);
void sf_findings_free(sf_findings *f);

/* Append a finding; takes ownership of message and the three key arrays
 * (malloc'd; may be NULL when empty). Returns -1 out of memory (and frees
 * what it was given). */
int sf_findings_add(sf_findings *f, const sf_finding *item);

/* Compute fingerprints (keys resolved in `g`, which may be NULL), group by
 * root cause and sort: by service, then by cause (severity highest first,
 * rule id, pair id, subject), each cause before what follows from it. */
void sf_findings_finish(sf_findings *f, const sf_graph *g);

/* Count per severity into counts[SF_SEV_INFO..SF_SEV_CRITICAL]. */
void sf_findings_summary(const sf_findings *f, size_t counts[5]);

#endif
