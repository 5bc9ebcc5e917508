/* Route 53 record sets, from the exports of the AWS CLI (JSON) and of the
 * REST API (XML). Both parsers fill one neutral sf_r53_rrset per record
 * set and hand it to sf_r53_add; sf_r53_finish turns the collected sets
 * into graph facts the same way the Terraform importer reads
 * aws_route53_record, so the same failover pairs come out:
 *
 *   dns:<name> (ANY) -resolves_to-> route53:<name>/<type>[/<set id>]
 *   record -served_by-> zone:<apex> -served_by-> dnsprovider:route53
 *   record -resolves_to-> alias target `dns:` / `ip:` and `dns:` values
 *   record -checked_by-> route53-healthcheck:<id>
 *   failover member: group route53:<name>/<type>, role PRIMARY 0 /
 *   SECONDARY 1, root the alias target, the single value, or the record
 *   itself when it has several values.
 *
 * The apex is the name of the SOA record set (an export of a whole hosted
 * zone has one); its NS record set tells which providers serve the zone. */
#ifndef SF_ROUTE53_H
#define SF_ROUTE53_H

#include <stddef.h>

#include "importer.h"

#define SF_R53_MAX_SETS 500000
#define SF_R53_MAX_VALUES 1000      /* Route 53 allows 400 values per set */
#define SF_R53_MAX_FIELD 4096       /* longest text of one field */

typedef struct sf_r53_rrset {
	const char *name;           /* as exported: octal \NNN escapes */
	const char *type;
	const char *set_id;
	const char *failover;       /* PRIMARY, SECONDARY or NULL */
	const char *health_check;
	const char *weight;
	const char *region;
	const char *routing;        /* routing policy when not implied above */
	const char *alias_dns, *alias_zone;
	int eval_health;            /* -1 absent, else 0/1 */
	long ttl;                   /* -1 absent */
	const char *const *values;
	size_t nvalues;
	long line;
} sf_r53_rrset;

typedef struct sf_r53_set sf_r53_set;

typedef struct sf_r53 {
	sf_import_ctx *ctx;
	const char *source;         /* "route53-json" */
	sf_r53_set *sets;
	size_t n, cap;
	int oom;
} sf_r53;

void sf_r53_init(sf_r53 *r, sf_import_ctx *ctx, const char *source);
void sf_r53_free(sf_r53 *r);

/* Validate one record set and keep what the graph needs (strings are
 * copied). A bad set is a diagnostic at its line; returns -1 then. */
int sf_r53_add(sf_r53 *r, const sf_r53_rrset *s);

/* Build the graph from every set added. Returns -1 out of memory. */
int sf_r53_finish(sf_r53 *r);

#endif
