/* Check kinds: the C half of the rule engine.
 *
 * A rule (YAML, rules/) names one check kind and its parameters; the kind
 * looks at one failover pair and lists *hits*, each the makings of one
 * finding. analyze.c turns hits into findings with the rule's message, so
 * the kinds stay free of templates. Adding a kind: a file `checks_<what it
 * checks>.c` defining one sf_checker, an enum value in rules.h and one row
 * in checks.c.
 *
 *   shared               checks_shared.c           nodes both sides fail with
 *   reaches              checks_reaches.c          a standby that needs its primary
 *   attribute            checks_record_attribute.c an attribute of the members' records
 *   missing_edge         checks_missing_edge.c     a member's record lacks an edge
 *   pair_incomplete      checks_pair_incomplete.c  a primary without standby, or the reverse
 *   single_provider      checks_single_provider.c  the name's zone at one DNS provider
 *   unresolved           checks_unresolved.c       a chain ending at nothing
 *   health_check         checks_health_check.c     a check that cannot tell readiness
 *   certificate_coverage checks_cert_coverage.c    a certificate not covering the name
 *   path_attribute       checks_path_attribute.c   an attribute of what a side depends on
 *   replica_region       checks_replica_region.c   a standby's dependency with no copy near it
 *   shared_redundancy    checks_shared_redundancy.c common nodes that together take both sides down
 *   service_attribute    checks_service_attribute.c what sharedfate.yaml says of the service
 *   cycle                checks_recovery_cycle.c   a recovery dependency cycle the pair reaches
 */
#ifndef SF_CHECKS_H
#define SF_CHECKS_H

#include <stddef.h>

#include "closure.h"
#include "model/diag.h"
#include "model/failover.h"
#include "model/graph.h"
#include "nodeset.h"
#include "rules/rules.h"

/* What a kind may use besides the pair. */
typedef struct sf_check_ctx {
	sf_graph *g;
	long ttl_threshold;             /* for "{threshold}" in a rule's values */
	/* shared and reaches only: the pair's shared fate, reused path search,
	 * the nodes earlier rules reported for this pair, and a scratch array
	 * as large as the graph, all zero between calls. */
	sf_closure *closure;
	const sf_pair_fate *fate;
	const unsigned char *claimed;
	unsigned char *blocked;
	sf_diags *diags;                /* warnings about the analysis itself (a budget hit) */
	/* cycle: the graph's loops, computed by the first pair that asks and
	 * freed by sf_check_ctx_release() */
	struct sf_check_cycles *cycles;
	/* shared: per node, the workload roles whose trust policy names it,
	 * found once per analysis (checks_shared.c); freed with the rest */
	struct sf_check_roles *roles;
} sf_check_ctx;

/* Free what check kinds kept in `ctx` across pairs. */
void sf_check_ctx_release(sf_check_ctx *ctx);
/* The part of it checks_shared.c keeps. */
void sf_check_roles_release(sf_check_ctx *ctx);

/* One finding's makings. Node ids are SF_NODE_NONE when not known. */
typedef struct sf_hit {
	sf_node_id subject;         /* the finding is about it (its key) */
	sf_node_id shared;          /* {shared}, {shared_kind}, the finding's shared node */
	sf_node_id record;          /* {record}: the member's record (or root) */
	sf_node_id through;         /* {through}: what leads to the subject */
	const char *value;          /* {value}: static, interned, or `owned` */
	char *owned;                /* malloc'd, freed with the hit */
	const char *plane_word;     /* {plane}: "data", "control", or NULL */
	sf_node_id *ppath, *spath;  /* primary/standby root .. subject, malloc'd */
	size_t npp, nsp;
	sf_plane plane;
	sf_prov loc;                /* where to point the reader */
	int claims;                 /* no later rule reports the subject for this pair */
	sf_node_id *set;            /* several shared nodes at once (SF110), malloc'd; */
	size_t nset;                /* {shared} then names them all */
} sf_hit;

typedef struct sf_hits {
	sf_hit *items;
	size_t count, cap;
} sf_hits;

#define SF_HITS_INIT { NULL, 0, 0 }

/* A hit with every node NONE, ready to fill in. */
void sf_hit_init(sf_hit *h);
/* Append `h`; the list takes its paths and owned value (freeing them on
 * failure). Returns -1 out of memory. */
int sf_hits_add(sf_hits *hits, sf_hit *h);
void sf_hits_free(sf_hits *hits);
/* Is `subject` the subject of a hit already? */
int sf_hits_has(const sf_hits *hits, sf_node_id subject);

typedef struct sf_checker {
	const char *name;           /* as in a rule's check.kind */
	/* List the hits of rule `r` for pair `p`. Returns -1 out of memory. */
	int (*run)(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out);
} sf_checker;

/* The table, indexed by sf_check_kind; NULL for a kind with no checker. */
extern const sf_checker *const sf_checkers[SF_CHECK__COUNT];

extern const sf_checker sf_checker_shared;
extern const sf_checker sf_checker_reaches;
extern const sf_checker sf_checker_record_attribute;
extern const sf_checker sf_checker_missing_edge;
extern const sf_checker sf_checker_pair_incomplete;
extern const sf_checker sf_checker_single_provider;
extern const sf_checker sf_checker_unresolved;
extern const sf_checker sf_checker_health_check;
extern const sf_checker sf_checker_cert_coverage;
extern const sf_checker sf_checker_path_attribute;
extern const sf_checker sf_checker_replica_region;
extern const sf_checker sf_checker_shared_redundancy;
extern const sf_checker sf_checker_service_attribute;
extern const sf_checker sf_checker_recovery_cycle;

/* Run rule `r`'s kind on pair `p`. */
int sf_check_run(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p, sf_hits *out);

/* ---- helpers the kinds share ---- */

/* Does node `id` fail rule `r`'s attribute test (attribute, op, values)?
 * *value is the attribute's value (borrowed), or NULL. */
int sf_check_attribute(const sf_check_ctx *ctx, const sf_rule *r, sf_node_id id,
                       const char **value);
/* Does the rule's kinds/categories filter take node `n`? Governance
 * nodes (owners, runbooks) never: metadata is no failure cause. */
int sf_check_rule_takes(const sf_rule *r, const sf_node *n);
/* The members a rule looks at (its `subject`), primary first. */
size_t sf_check_members(const sf_pair *p, const sf_rule *r, const sf_failover_member **ms,
                        size_t max);
/* The member's record, else its root. */
sf_node_id sf_check_member_node(const sf_failover_member *m);
/* Is `v` among the nodes common to both sides by construction? */
int sf_check_excluded(const sf_pair *p, sf_node_id v);
/* Where a pair-wide finding points: a standby's provenance when
 * `prefer_standby`, else the primary's. */
sf_prov sf_check_pair_location(sf_graph *g, const sf_pair *p, int prefer_standby);
/* Where a member's finding points. */
sf_prov sf_check_member_location(sf_graph *g, const sf_pair *p, const sf_failover_member *m);
/* For each member record (or root) the rule's `subject` and `record_type`
 * select, once each: a hit when `fires` says so (its *value for {value}). */
int sf_check_each_record(sf_check_ctx *ctx, const sf_rule *r, const sf_pair *p,
                         int (*fires)(sf_check_ctx *ctx, const sf_rule *r, sf_node_id id,
                                      const char **value),
                         sf_hits *out);
/* Breadth-first from `roots` along data-plane dependencies, skipping the
 * pair's excluded nodes; values are parents. Returns -1 out of memory. */
int sf_check_walk_data(sf_graph *g, const sf_pair *p, const sf_node_id *roots, size_t nroots,
                       sf_nodeset *w);

/* The `service:` node (sharedfate.yaml, Backstage) of a pair: by the
 * pair's service name, else the service declared for its failover name.
 * SF_NODE_NONE when no input declares one. */
sf_node_id sf_check_service(sf_graph *g, const sf_pair *p);

/* Does certificate name `pattern` (possibly "*.example.com") cover host
 * `name`? Case-insensitive, trailing dots ignored; a wildcard is only the
 * whole left-most label, matches exactly one label, and needs at least
 * two labels after it. */
int sf_cert_name_matches(const char *pattern, const char *name);

#endif
