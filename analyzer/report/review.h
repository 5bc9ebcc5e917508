/* What the review report (HTML and Markdown) shows beside the findings:
 * who owns each service and where its runbook is, what each waiver did,
 * and the services of each failure domain. Gathered here so that both
 * writers say the same thing; nothing here is new analysis, only the
 * joins a reader needs (the gate's marks, the manifest's waivers, the
 * blast radius of analyzer/domains.h). */
#ifndef SF_REVIEW_H
#define SF_REVIEW_H

#include <stddef.h>

#include "analyzer/domains.h"
#include "analyzer/gate.h"
#include "report.h"

/* Rows a report lists per section before it says how many more there are:
 * an estate of thousands of nodes must stay readable. */
#define SF_REVIEW_MAX_ROWS 50
/* Failure domains in the blast-radius table, and services named per cell. */
#define SF_REVIEW_MAX_DOMAINS 40
#define SF_REVIEW_MAX_NAMES 8
/* The page has room for more than a pull-request comment. */
#define SF_REVIEW_MAX_DOMAINS_HTML 200
#define SF_REVIEW_MAX_NAMES_HTML 25
#define SF_REVIEW_MAX_ROWS_HTML 500

#define SF_REVIEW_MAX_PEOPLE 4

/* The owners and runbooks of a report's service. The report names a
 * service as its failover pair does (often the DNS name); sharedfate.yaml
 * and Backstage name it their way. The join is SF401/SF403's
 * (sf_check_service): the `service:` node of the pair's service name,
 * else the service that declares the pair's failover name. Strings are
 * borrowed from the graph, sorted, unique. */
typedef struct sf_review_people {
	const char *owner[SF_REVIEW_MAX_PEOPLE], *runbook[SF_REVIEW_MAX_PEOPLE];
	size_t nowner, nrunbook;
	const char *declared;       /* the declaring input's name, when not the report's */
} sf_review_people;

void sf_review_people_of(sf_scan *s, const char *service, sf_review_people *out);

/* What a manifest waiver did in this run. */
typedef enum {
	SF_REVIEW_WAIVES,           /* live, waives findings */
	SF_REVIEW_WAIVES_NOTHING,   /* live, matches no finding */
	SF_REVIEW_EXPIRED_OPEN,     /* past its date and matching: those findings are open again */
	SF_REVIEW_EXPIRED,          /* past its date, matching nothing */
} sf_review_waiver_state;

/* The state of waiver `w`; *nwaived and *nopen count the findings it
 * waives and those it would waive but for its date. */
sf_review_waiver_state sf_review_waiver(const sf_report_opts *o, const sf_manifest_waiver *w,
                                        size_t *nwaived, size_t *nopen);

/* The gate's marks of finding i (NULL when there is no gate). */
const sf_manifest_waiver *sf_review_waived(const sf_report_opts *o, size_t i);
const sf_manifest_waiver *sf_review_expired(const sf_report_opts *o, size_t i);
/* Findings waived in this run. */
size_t sf_review_nwaived(const sf_report_opts *o, const sf_scan *s);

/* The blast radius: o->domains, or built into *own (freed by the caller
 * with sf_domains_free when *built is set). NULL out of memory. */
const sf_domains *sf_review_domains(const sf_report_opts *o, sf_scan *s, sf_domains *own,
                                    int *built);

/* The services of `ps` (pairs sorted by service) without repeats, into
 * out[max]; returns how many distinct services there are in all. */
size_t sf_review_services(const sf_pair *const *ps, size_t n, const char **out, size_t max);

#endif
