#include "route53.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns_common.h"

struct sf_r53_set {
	const char *name;           /* canonical, interned */
	const char *type;
	const char *set_id, *failover, *health_check, *weight, *region, *routing;
	const char *alias, *alias_zone; /* alias: canonical target */
	int eval_health;
	long ttl;
	const char **values;        /* canonical names / addresses, interned */
	size_t nvalues;
	long line;
};

void sf_r53_init(sf_r53 *r, sf_import_ctx *ctx, const char *source)
{
	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
	r->source = source;
}

void sf_r53_free(sf_r53 *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->sets[i].values);
	free(r->sets);
	r->sets = NULL;
	r->n = r->cap = 0;
}

/* A short identifier: printable, no blanks, at most `max` bytes. */
static int clean_id(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] == 0x7f)
			return 0;
	return 1;
}

static int type_is(const char *type, const char *want)
{
	return strcmp(type, want) == 0;
}

/* The types whose values the graph follows. */
static int keeps_values(const char *type)
{
	return type_is(type, "A") || type_is(type, "AAAA") || type_is(type, "CNAME") ||
	       type_is(type, "NS");
}

static const char *intern_opt(sf_r53 *r, const char *s)
{
	const char *i;
	if (!s)
		return NULL;
	if (!(i = sf_graph_intern(r->ctx->graph, s)))
		r->oom = 1;
	return i;
}

/* A value of an A/AAAA/CNAME/NS set, canonical; NULL (diagnosed) if bad. */
static const char *canon_value(sf_r53 *r, const char *name, const char *type, const char *v,
                               long line)
{
	char buf[SF_DNS_TEXT_MAX];
	unsigned char addr[16];
	if (type_is(type, "A") || type_is(type, "AAAA")) {
		int af = type_is(type, "A") ? AF_INET : AF_INET6;
		if (inet_pton(af, v, addr) != 1 || !inet_ntop(af, addr, buf, sizeof(buf))) {
			sf_diag_error(r->ctx->diags, r->ctx->path, line, "record set %s: %s value '%s' is not an %s address", name, type, v, af == AF_INET ? "IPv4" : "IPv6");
			return NULL;
		}
	} else if (sf_dns_canon(v, strlen(v), 1, buf, sizeof(buf)) < 0) {
		sf_diag_error(r->ctx->diags, r->ctx->path, line, "record set %s: %s value '%s' is not a DNS name",
		              name, type, v);
		return NULL;
	}
	return intern_opt(r, buf);
}

int sf_r53_add(sf_r53 *r, const sf_r53_rrset *s)
{
	sf_diags *d = r->ctx->diags;
	const char *path = r->ctx->path;
	char name[SF_DNS_TEXT_MAX], alias[SF_DNS_TEXT_MAX];
	struct sf_r53_set *o;

	if (r->n >= SF_R53_MAX_SETS) {
		sf_diag_error(d, path, s->line, "more than %d record sets", SF_R53_MAX_SETS);
		return -1;
	}
	if (!s->name || sf_dns_canon(s->name, strlen(s->name), 1, name, sizeof(name)) < 0) {
		sf_diag_error(d, path, s->line, "record set Name '%s' is not a DNS name",
		              s->name ? s->name : "");
		return -1;
	}
	if (!s->type || !clean_id(s->type, 10) || strspn(s->type, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") !=
	                                            strlen(s->type)) {
		sf_diag_error(d, path, s->line, "record set %s: Type '%s' is not a record type", name,
		              s->type ? s->type : "");
		return -1;
	}
	if (s->failover && strcmp(s->failover, "PRIMARY") != 0 && strcmp(s->failover, "SECONDARY") != 0) {
		sf_diag_error(d, path, s->line, "record set %s: Failover must be PRIMARY or SECONDARY", name);
		return -1;
	}
	if ((s->set_id && !clean_id(s->set_id, 128)) || (s->health_check && !clean_id(s->health_check, 64)) ||
	    (s->alias_zone && !clean_id(s->alias_zone, 64)) || (s->weight && !clean_id(s->weight, 16)) ||
	    (s->region && !clean_id(s->region, 64))) {
		sf_diag_error(d, path, s->line,
		              "record set %s: SetIdentifier, HealthCheckId, Weight, Region or HostedZoneId "
		              "is not a short identifier", name);
		return -1;
	}
	if (s->failover && !s->set_id) {
		sf_diag_error(d, path, s->line, "record set %s: a Failover record needs a SetIdentifier", name);
		return -1;
	}
	if (s->alias_dns) {
		const char *a = s->alias_dns;
		if (strncasecmp(a, "dualstack.", 10) == 0)
			a += 10;        /* the same load balancer, both address families */
		if (sf_dns_canon(a, strlen(a), 1, alias, sizeof(alias)) < 0) {
			sf_diag_error(d, path, s->line, "record set %s: AliasTarget DNSName '%s' is not a DNS name",
			              name, s->alias_dns);
			return -1;
		}
		if (s->nvalues) {
			sf_diag_error(d, path, s->line,
			              "record set %s: has both AliasTarget and ResourceRecords", name);
			return -1;
		}
	} else if (!s->nvalues) {
		sf_diag_error(d, path, s->line, "record set %s: has neither ResourceRecords nor AliasTarget",
		              name);
		return -1;
	}
	if (s->nvalues > SF_R53_MAX_VALUES) {
		sf_diag_error(d, path, s->line, "record set %s: more than %d values", name, SF_R53_MAX_VALUES);
		return -1;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct sf_r53_set *p = realloc(r->sets, cap * sizeof(*p));
		if (!p) {
			r->oom = 1;
			return -1;
		}
		r->sets = p;
		r->cap = cap;
	}
	o = &r->sets[r->n];
	memset(o, 0, sizeof(*o));
	o->name = intern_opt(r, name);
	o->type = intern_opt(r, s->type);
	o->set_id = intern_opt(r, s->set_id);
	o->failover = intern_opt(r, s->failover);
	o->health_check = intern_opt(r, s->health_check);
	o->weight = intern_opt(r, s->weight);
	o->region = intern_opt(r, s->region);
	o->routing = intern_opt(r, s->routing);
	o->alias = s->alias_dns ? intern_opt(r, alias) : NULL;
	o->alias_zone = intern_opt(r, s->alias_zone);
	o->eval_health = s->eval_health;
	o->ttl = s->ttl;
	o->line = s->line;
	if (s->nvalues && keeps_values(s->type)) {
		if (!(o->values = malloc(s->nvalues * sizeof(*o->values)))) {
			r->oom = 1;
			return -1;
		}
		for (size_t i = 0; i < s->nvalues; i++) {
			const char *v = canon_value(r, name, s->type, s->values[i], s->line);
			if (!v) {
				free(o->values);
				return -1;
			}
			o->values[o->nvalues++] = v;
		}
	}
	if (r->oom) {
		free(o->values);
		return -1;
	}
	r->n++;
	return 0;
}

static sf_node_id dns_node(sf_graph *g, const char *name, const sf_prov *prov)
{
	char key[SF_DNS_TEXT_MAX + 8];
	snprintf(key, sizeof(key), "dns:%s", name);
	return sf_graph_node(g, SF_KIND_DNS_NAME, key, name, prov);
}

static sf_node_id value_node(sf_graph *g, const char *type, const char *v)
{
	char key[SF_DNS_TEXT_MAX + 8];
	if (type_is(type, "CNAME"))
		return dns_node(g, v, NULL);
	snprintf(key, sizeof(key), "ip:%s", v);
	return sf_graph_node(g, SF_KIND_ENDPOINT, key, v, NULL);
}

static const char *routing_of(const struct sf_r53_set *s)
{
	if (s->failover)
		return "failover";
	if (s->weight)
		return "weighted";
	if (s->routing)
		return s->routing;
	if (s->region)
		return "latency";
	return "simple";
}

static int set_attrs(sf_graph *g, sf_node_id id, const struct sf_r53_set *s)
{
	char ttl[24];
	int rc = 0;
	rc |= sf_graph_set_attr(g, id, "name", s->name);
	rc |= sf_graph_set_attr(g, id, "type", s->type);
	rc |= sf_graph_set_attr(g, id, "routing_policy", routing_of(s));
	if (s->ttl >= 0) {
		snprintf(ttl, sizeof(ttl), "%ld", s->ttl);
		rc |= sf_graph_set_attr(g, id, "ttl", ttl);
	}
	if (s->set_id)
		rc |= sf_graph_set_attr(g, id, "set_identifier", s->set_id);
	if (s->failover)
		rc |= sf_graph_set_attr(g, id, "failover", s->failover);
	if (s->weight)
		rc |= sf_graph_set_attr(g, id, "weight", s->weight);
	if (s->region)
		rc |= sf_graph_set_attr(g, id, "region", s->region);
	if (s->alias_zone)
		rc |= sf_graph_set_attr(g, id, "alias_zone_id", s->alias_zone);
	if (s->eval_health >= 0)
		rc |= sf_graph_set_attr(g, id, "evaluate_target_health", s->eval_health ? "true" : "false");
	return rc ? -1 : 0;
}

/* One record set that leads somewhere: A, AAAA, CNAME, any alias, any
 * failover record. */
static int build_set(sf_r53 *r, const struct sf_r53_set *s, sf_node_id zone)
{
	sf_graph *g = r->ctx->graph;
	sf_prov prov = { r->ctx->path, s->line };
	char key[2 * SF_DNS_TEXT_MAX + 200];
	sf_node_id rec, dn, root = SF_NODE_NONE;
	size_t nroots = 0;

	if (s->set_id)
		snprintf(key, sizeof(key), "route53:%s/%s/%s", s->name, s->type, s->set_id);
	else
		snprintf(key, sizeof(key), "route53:%s/%s", s->name, s->type);
	rec = sf_graph_node(g, SF_KIND_DNS_NAME, key, NULL, &prov);
	dn = dns_node(g, s->name, &prov);
	if (rec == SF_NODE_NONE || dn == SF_NODE_NONE || set_attrs(g, rec, s) < 0)
		return -1;
	/* The name resolves through its record sets: any one of them serves. */
	sf_graph_set_gate(g, dn, SF_GATE_ANY);
	if (sf_graph_edge(g, dn, SF_EDGE_RESOLVES_TO, rec, &prov) < 0 ||
	    sf_graph_edge(g, rec, SF_EDGE_SERVED_BY, zone, &prov) < 0)
		return -1;
	if (s->health_check) {
		sf_node_id hc;
		snprintf(key, sizeof(key), "route53-healthcheck:%s", s->health_check);
		hc = sf_graph_node(g, SF_KIND_HEALTH_CHECK, key, NULL, NULL);
		if (hc == SF_NODE_NONE || sf_graph_edge(g, rec, SF_EDGE_CHECKED_BY, hc, &prov) < 0)
			return -1;
	}
	if (s->alias) {
		root = dns_node(g, s->alias, NULL);
		if (root == SF_NODE_NONE || sf_graph_edge(g, rec, SF_EDGE_RESOLVES_TO, root, &prov) < 0)
			return -1;
		nroots = 1;
	} else {
		if (s->nvalues > 1)
			sf_graph_set_gate(g, rec, SF_GATE_ANY);     /* any value serves */
		for (size_t i = 0; i < s->nvalues; i++) {
			sf_node_id v = value_node(g, s->type, s->values[i]);
			if (v == SF_NODE_NONE || sf_graph_edge(g, rec, SF_EDGE_RESOLVES_TO, v, &prov) < 0)
				return -1;
			root = v;
			nroots++;
		}
	}
	if (nroots != 1)
		root = rec;
	if (s->failover) {
		sf_failover_member m;
		char group[SF_DNS_TEXT_MAX + 32];
		memset(&m, 0, sizeof(m));
		snprintf(group, sizeof(group), "route53:%s/%s", s->name, s->type);
		m.group = group;
		m.source = r->source;
		m.name = s->name;
		m.role = strcmp(s->failover, "PRIMARY") == 0 ? 0 : 1;
		m.record = rec;
		m.root = root;
		m.prov = prov;
		if (sf_failover_add(r->ctx->failover, g, &m) < 0)
			return -1;
	}
	return 0;
}

int sf_r53_finish(sf_r53 *r)
{
	sf_graph *g = r->ctx->graph;
	const struct sf_r53_set *soa = NULL;
	const char **ns = NULL;
	size_t nns = 0;
	char key[SF_DNS_TEXT_MAX + 64];
	sf_prov zprov = { r->ctx->path, 0 };
	sf_node_id zone, provider;
	int rc = -1;

	if (r->oom)
		return -1;
	for (size_t i = 0; i < r->n && !soa; i++)
		if (type_is(r->sets[i].type, "SOA"))
			soa = &r->sets[i];
	/* Without the SOA the apex is unknown: the zone is this export. */
	if (soa) {
		snprintf(key, sizeof(key), "zone:%s", soa->name);
		zprov.line = soa->line;
		zone = sf_graph_node(g, SF_KIND_DNS_ZONE, key, soa->name, &zprov);
		if (zone != SF_NODE_NONE && sf_graph_set_attr(g, zone, "name", soa->name) < 0)
			return -1;
	} else {
		snprintf(key, sizeof(key), "zone:route53:%s", r->ctx->path);
		zone = sf_graph_node(g, SF_KIND_DNS_ZONE, key, NULL, &zprov);
	}
	provider = sf_graph_node(g, SF_KIND_DNS_PROVIDER, "dnsprovider:route53", "Route 53", NULL);
	if (zone == SF_NODE_NONE || provider == SF_NODE_NONE ||
	    sf_graph_edge(g, zone, SF_EDGE_SERVED_BY, provider, &zprov) < 0)
		return -1;
	if (!(ns = malloc((r->n + 1) * sizeof(*ns))))
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		const struct sf_r53_set *s = &r->sets[i];
		if (soa && type_is(s->type, "NS") && s->name == soa->name) {
			const char **more = realloc(ns, (nns + s->nvalues + 1) * sizeof(*ns));
			if (!more)
				goto cleanup;
			ns = more;
			for (size_t k = 0; k < s->nvalues; k++)
				ns[nns++] = s->values[k];
			continue;
		}
		if (!(type_is(s->type, "A") || type_is(s->type, "AAAA") || type_is(s->type, "CNAME") ||
		      s->alias || s->failover))
			continue;
		if (build_set(r, s, zone) < 0)
			goto cleanup;
	}
	/* The apex NS set as the zone publishes it: what SF207 judges. */
	if (sf_dns_zone_servers(g, zone, ns, nns, &zprov) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	free(ns);
	return rc;
}
