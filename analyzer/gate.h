/* The gate: what a CI job fails on.
 *
 * After a scan, the gate applies what the repository configured
 * (sharedfate.yaml `settings:` — disabled rules, severity overrides — and
 * `waivers:`) and a baseline of accepted findings, then decides the exit
 * code. Report writers read the marks it leaves on each finding; they
 * compute nothing. (graph.h's sf_gate is an ANY/ALL node gate: unrelated.) */
#ifndef SF_GATE_H
#define SF_GATE_H

#include <stddef.h>

#include "analyzer/scan.h"
#include "importers/manifest.h"
#include "model/diag.h"

/* A finding recorded in a baseline file (or a findings JSON). */
typedef struct sf_gate_entry {
	char fingerprint[17];
	char *rule, *service, *message;
} sf_gate_entry;

typedef struct sf_gate_baseline {
	char *path;                 /* as named by the user */
	sf_gate_entry *items;
	size_t count;
} sf_gate_baseline;

/* Per finding, parallel to sf_scan.findings after sf_gate_apply. */
typedef struct sf_gate_mark {
	const sf_manifest_waiver *waiver;   /* waives it, or NULL */
	const sf_manifest_waiver *expired;  /* matched, but past its date */
} sf_gate_mark;

typedef struct sf_gate_result {
	int fail_on;                /* sf_severity, or SF_SEV_NONE */
	const char *manifest_path;  /* where the waivers were read, or NULL */
	sf_gate_mark *marks;
	size_t nmarks;
	/* per waiver of the manifest (`waivers`), the findings it matches,
	 * though an earlier waiver may be the one that waives them */
	const sf_manifest_waiver *waivers;
	size_t nwaivers;
	size_t *wmatched;
	/* with a baseline: findings dropped as known, entries not seen again */
	const char *baseline_path;
	size_t baselined;
	const sf_gate_entry **stale;
	size_t nstale;
} sf_gate_result;

void sf_gate_init(sf_gate_result *g);
void sf_gate_free(sf_gate_result *g);

/* Load a baseline: `sharedfate/baseline/v1` or a `sharedfate/findings/v1`
 * result. Problems are `path:line:` diagnostics and -1. */
int sf_gate_baseline_load(sf_gate_baseline *b, const char *path, sf_diags *d);
void sf_gate_baseline_free(sf_gate_baseline *b);

/* Apply settings (disabled rules, severity overrides), the baseline (drops
 * the findings it holds) and the waivers to s->findings. `m` and `b` may
 * be NULL. `today` is YYYY-MM-DD (UTC). Waivers that name an unknown rule,
 * or waive nothing, and expired ones that still match are warnings in `d`.
 * Returns -1 out of memory. */
int sf_gate_apply(sf_gate_result *g, sf_scan *s, const sf_manifest *m,
                  const sf_gate_baseline *b, const char *today, sf_diags *d);

/* SF_EXIT_FINDINGS when an unwaived finding is at or above fail_on. */
int sf_gate_exit(const sf_gate_result *g, const sf_scan *s);

/* Today in UTC as YYYY-MM-DD; SHAREDFATE_TODAY overrides it (tests, and
 * re-running an old job the way it ran). */
void sf_gate_today(char out[11]);

/* Write the baseline of s's findings (waived ones too: a baseline records
 * what is known, the waiver says why it is accepted). */
int sf_gate_baseline_write(FILE *out, const sf_scan *s);

#endif
