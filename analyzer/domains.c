#include "domains.h"

#include <stdlib.h>
#include <string.h>

#include "closure.h"
#include "model/buf.h"

int sf_domains_kind(sf_kind k)
{
	switch (k) {
	case SF_KIND_REGION:
	case SF_KIND_AVAILABILITY_ZONE:
	case SF_KIND_ACCOUNT:
	case SF_KIND_IDENTITY_PROVIDER:
	case SF_KIND_SECRET_STORE:
	case SF_KIND_KMS_KEY:
	case SF_KIND_CERTIFICATE_AUTHORITY:
	case SF_KIND_DNS_PROVIDER:
	case SF_KIND_LOAD_BALANCER:
		return 1;
	default:
		return 0;
	}
}

/* One (domain, pair, sides) fact before grouping. */
typedef struct fact {
	sf_node_id node;
	const sf_pair *pair;
	unsigned char down;
	unsigned char control;      /* found on the control plane only */
} fact;

typedef struct facts {
	fact *v;
	size_t n, cap;
} facts;

static int add(facts *f, sf_node_id node, const sf_pair *p, unsigned char down, int control)
{
	if (f->n == f->cap) {
		fact *t = realloc(f->v, (f->cap = f->cap ? f->cap * 2 : 64) * sizeof(*t));
		if (!t)
			return -1;
		f->v = t;
	}
	f->v[f->n].node = node;
	f->v[f->n].pair = p;
	f->v[f->n].control = (unsigned char)control;
	f->v[f->n++].down = down;
	return 0;
}

/* The DNS provider alone serving a zone of the pair's name: when it
 * fails, the name no longer answers, whichever side is up. */
static int lone_providers(sf_graph *g, const sf_pair *p, facts *f)
{
	for (size_t i = 0; i < p->nexcluded; i++) {
		sf_node_id z = p->excluded[i], only = SF_NODE_NONE;
		size_t cnt, providers = 0;
		const sf_edge *out;
		if (sf_graph_node_at(g, z)->kind != SF_KIND_DNS_ZONE)
			continue;
		out = sf_graph_out(g, z, &cnt);
		for (size_t k = 0; k < cnt; k++) {
			const sf_edge *e = &out[k];
			if (sf_graph_node_at(g, e->to)->kind == SF_KIND_DNS_PROVIDER &&
			    sf_edge_propagates(e->kind, SF_PLANE_DATA) && e->to != only) {
				providers++;
				only = e->to;
			}
		}
		if (providers == 1 && add(f, only, p, 3, 0) < 0)
			return -1;
	}
	return 0;
}

static const sf_graph *cmp_g;

static int cmp_fact(const void *a, const void *b)
{
	const fact *x = a, *y = b;
	int c;
	if (x->node != y->node)
		return strcmp(sf_graph_key(cmp_g, x->node), sf_graph_key(cmp_g, y->node));
	if ((c = strcmp(x->pair->service, y->pair->service)))
		return c;
	if ((c = strcmp(x->pair->id, y->pair->id)))
		return c;
	/* the pair's strongest fact first: the data plane, both sides */
	if (x->control != y->control)
		return (int)x->control - (int)y->control;
	return (int)y->down - (int)x->down;
}

static int cmp_domain(const void *a, const void *b)
{
	const sf_domain *x = a, *y = b;
	if (x->nboth != y->nboth)
		return x->nboth > y->nboth ? -1 : 1;
	if (x->nprimary + x->nstandby != y->nprimary + y->nstandby)
		return x->nprimary + x->nstandby > y->nprimary + y->nstandby ? -1 : 1;
	return strcmp(sf_graph_key(cmp_g, x->node), sf_graph_key(cmp_g, y->node));
}

int sf_domains_build(sf_graph *g, const sf_failover *fo, sf_domains *out)
{
	facts f = { NULL, 0, 0 };
	sf_closure *c = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (sf_closure_new(&c, g) < 0)
		goto cleanup;
	for (size_t i = 0; i < fo->npairs; i++) {
		const sf_pair *p = &fo->pairs[i];
		if (!p->primary || p->nstandby == 0)
			continue;       /* no failover: nothing to judge */
		/* The data plane (cannot serve), then the control plane (cannot
		 * be recovered: accounts, CAs, DNS rights), which adds to it. */
		for (int pl = 0; pl < 2; pl++) {
			sf_blast b;
			if (sf_closure_blast(c, p, pl ? SF_PLANE_CONTROL : SF_PLANE_DATA, &b) < 0)
				goto cleanup;
			out->truncated += (size_t)b.truncated;
			for (size_t k = 0; k < b.n; k++)
				if (sf_domains_kind(sf_graph_node_at(g, b.node[k])->kind) &&
				    add(&f, b.node[k], p, b.down[k], pl) < 0) {
					sf_blast_free(&b);
					goto cleanup;
				}
			sf_blast_free(&b);
		}
		if (lone_providers(g, p, &f) < 0)
			goto cleanup;
	}
	cmp_g = g;
	sf_sort(f.v, f.n, sizeof(*f.v), cmp_fact);
	/* one domain per run of facts; a pair once per domain (its strongest) */
	for (size_t i = 0; i < f.n;) {
		size_t j = i;
		sf_domain *d, *t;
		while (j < f.n && f.v[j].node == f.v[i].node)
			j++;
		if (!(t = realloc(out->items, (out->count + 1) * sizeof(*t))))
			goto cleanup;
		out->items = t;
		d = &out->items[out->count++];
		memset(d, 0, sizeof(*d));
		d->node = f.v[i].node;
		d->control = 1;
		d->both = malloc((j - i) * sizeof(*d->both));
		d->primary = malloc((j - i) * sizeof(*d->primary));
		d->standby = malloc((j - i) * sizeof(*d->standby));
		if (!d->both || !d->primary || !d->standby)
			goto cleanup;
		for (size_t k = i; k < j; k++) {
			if (k > i && f.v[k].pair == f.v[k - 1].pair)
				continue;
			d->control &= f.v[k].control;
			if (f.v[k].down == 3)
				d->both[d->nboth++] = f.v[k].pair;
			else if (f.v[k].down == 1)
				d->primary[d->nprimary++] = f.v[k].pair;
			else
				d->standby[d->nstandby++] = f.v[k].pair;
		}
		i = j;
	}
	sf_sort(out->items, out->count, sizeof(*out->items), cmp_domain);
	rc = 0;
cleanup:
	cmp_g = NULL;
	sf_closure_free(c);
	free(f.v);
	if (rc < 0)
		sf_domains_free(out);
	return rc;
}

void sf_domains_free(sf_domains *d)
{
	for (size_t i = 0; i < d->count; i++) {
		free(d->items[i].both);
		free(d->items[i].primary);
		free(d->items[i].standby);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}
