/* The rule engine: rules are data (one YAML file per rule), the C code
 * implements a handful of check kinds that rules parameterise.
 *
 * A rule file:
 *
 *   id: SF104
 *   name: shared-load-balancer
 *   severity: high
 *   title: ...
 *   description: ...
 *   remediation: ...
 *   message: "{service}: both paths go through load balancer {shared}"
 *   references: [ ... ]
 *   check:
 *     kind: shared            # shared | attribute | missing_edge | reaches | pair_incomplete | single_provider | unresolved
 *                             # | health_check | certificate_coverage | path_attribute | replica_region
 *                             # | shared_redundancy
 *     ...                     # parameters of the check kind
 */
#ifndef SF_RULES_H
#define SF_RULES_H

#include <stddef.h>

#include "model/diag.h"
#include "model/graph.h"

typedef struct sf_embedded_rule {
	const char *file;
	const char *text;
	size_t len;
} sf_embedded_rule;

extern const sf_embedded_rule sf_builtin_rules[];

typedef enum {
	SF_SEV_INFO,
	SF_SEV_LOW,
	SF_SEV_MEDIUM,
	SF_SEV_HIGH,
	SF_SEV_CRITICAL,
	SF_SEV_NONE             /* only as a --fail-on threshold: never fail */
} sf_severity;

const char *sf_severity_name(sf_severity s);
int sf_severity_from_name(const char *name);   /* -1 when unknown */

typedef enum {
	SF_CHECK_SHARED,            /* a node whose failure alone takes both sides down */
	SF_CHECK_REACHES,           /* the standby's closure contains the primary root */
	SF_CHECK_ATTRIBUTE,         /* an attribute of the pair's records/roots compared */
	SF_CHECK_MISSING_EDGE,      /* a pair's record lacks an edge of a kind */
	SF_CHECK_PAIR_INCOMPLETE,   /* a primary without standby or the reverse */
	SF_CHECK_SINGLE_PROVIDER,   /* the failover name's zones all at one DNS provider */
	SF_CHECK_UNRESOLVED,        /* a standby chain ends at a name no input defines */
	SF_CHECK_HEALTH_CHECK,      /* a member's health check tests a port, or is off */
	SF_CHECK_CERT_COVERAGE,     /* a member's certificate does not cover the name */
	SF_CHECK_PATH_ATTRIBUTE,    /* an attribute of nodes a side depends on */
	SF_CHECK_REPLICA_REGION,    /* a standby depends on a node with no copy in its region */
	SF_CHECK_SHARED_REDUNDANCY, /* a set of common nodes whose joint failure takes both sides down */
	SF_CHECK__COUNT
} sf_check_kind;

typedef enum { SF_SUBJECT_PRIMARY, SF_SUBJECT_STANDBY, SF_SUBJECT_BOTH } sf_subject;

typedef enum { SF_OP_GT, SF_OP_GE, SF_OP_LT, SF_OP_LE, SF_OP_EQ, SF_OP_NE,
               SF_OP_IN, SF_OP_MISSING } sf_op;

#define SF_RULE_MAX_REFS 16
#define SF_RULE_MAX_VALUES 16
/* A finding's message template: bytes, and {placeholders} in it. */
#define SF_RULE_MAX_MESSAGE 2048
#define SF_RULE_MAX_PLACEHOLDERS 32
/* One rule file given with --rules. */
#define SF_RULE_MAX_FILE (1024 * 1024)

typedef struct sf_rule {
	char *id, *name, *title, *description, *remediation, *message;
	char *refs[SF_RULE_MAX_REFS];
	size_t nrefs;
	sf_severity severity;
	char *file;                 /* where the rule came from */
	sf_check_kind check;
	/* shared */
	unsigned categories;        /* bit mask of sf_category; 0 = any */
	unsigned long long kinds;   /* bit mask of sf_kind; 0 = any of the categories */
	sf_plane plane;             /* DATA, CONTROL, or NONE meaning either */
	int unclaimed;              /* only nodes no other rule reported */
	/* attribute, missing_edge */
	sf_subject subject;
	char *attribute;
	sf_op op;
	char *values[SF_RULE_MAX_VALUES];
	size_t nvalues;
	int edge;                   /* sf_edge_kind for missing_edge */
	char *unless_attribute, *unless_value;
	/* record kinds the attribute/missing_edge check applies to, "" = any */
	char *record_type;
	/* shared_redundancy: largest set (2..4, default 3) and steps per pair */
	unsigned order;
	unsigned long long budget;
	/* pair sources the rule applies to (sf_pair.source); none = all */
	char *sources[SF_RULE_MAX_VALUES];
	size_t nsources;
} sf_rule;

typedef struct sf_ruleset {
	sf_rule *items;             /* sorted by id */
	size_t count, cap;
} sf_ruleset;

void sf_ruleset_init(sf_ruleset *rs);
void sf_ruleset_free(sf_ruleset *rs);

/* Load the built-in pack. Returns -1 (with diagnostics) on a broken file. */
int sf_rules_load_builtin(sf_ruleset *rs, sf_diags *d);
/* Load every *.yaml / *.yml file in `dir`; a rule with an id already loaded
 * replaces it. */
int sf_rules_load_dir(sf_ruleset *rs, const char *dir, sf_diags *d);
/* Parse one rule file's text. */
int sf_rules_load_text(sf_ruleset *rs, const char *file, const char *text, size_t len,
                       sf_diags *d);

/* 1 when the rule's `sources` list is empty or names `source`. */
int sf_rule_applies_to_source(const sf_rule *r, const char *source);

const sf_rule *sf_rules_find(const sf_ruleset *rs, const char *id_or_name);

#endif
