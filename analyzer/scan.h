/* One run: discover -> import -> link -> pairs -> analyse -> findings.
 * The CLI fills sf_scan_opts, calls sf_scan_run and hands the result to a
 * report writer. */
#ifndef SF_SCAN_H
#define SF_SCAN_H

#include <stddef.h>

#include "model/diag.h"
#include "discover.h"
#include "model/failover.h"
#include "findings.h"
#include "model/graph.h"
#include "rules/rules.h"

typedef struct sf_scan_opts {
	const char *const *paths;
	size_t npaths;
	const char *rules_dir;      /* extra rules, or NULL */
	int keep_going;             /* import what can be imported despite errors */
	long ttl_threshold;         /* seconds; SF204 (negative: the default, 60) */
	int strict_zones;           /* a zone record that cannot be read refuses the zone */
	size_t zone_max_records;    /* 0: the default (importers/zone.h) */
	size_t zone_max_generated;  /* 0: the default */
	/* `scan -`: one input read from standard input, named <stdin>; its
	 * format is sniffed. With no other path, nothing else is scanned. */
	const char *stdin_data;
	size_t stdin_len;
	/* Outputs that read only findings: a large zone makes nodes only for
	 * the names something reaches (importers/importer.h, sf_deferred). */
	int defer_nodes;
} sf_scan_opts;

typedef struct sf_scan {
	sf_graph *graph;
	sf_failover failover;
	sf_inputs inputs;
	sf_ruleset rules;
	sf_findings findings;
	sf_diags diags;
	struct sf_deferred *deferred;   /* sources whose nodes wait for the link phase */
} sf_scan;

#define SF_EXIT_OK 0
#define SF_EXIT_FINDINGS 1
#define SF_EXIT_INPUT 2
#define SF_EXIT_INTERNAL 3

int sf_scan_init(sf_scan *s);
void sf_scan_free(sf_scan *s);

/* Returns SF_EXIT_OK, SF_EXIT_INPUT (a diagnostic error, or no input at
 * all) or SF_EXIT_INTERNAL. Findings are in s->findings either way. */
int sf_scan_run(sf_scan *s, const sf_scan_opts *o);

#endif
