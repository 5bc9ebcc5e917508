#include "review.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer/checks.h"
#include "view.h"

static void add_unique(const char **list, size_t *n, const char *s)
{
	size_t at = 0;
	/* kept sorted: the same services give the same order whatever the
	 * order of the edges */
	while (at < *n && strcmp(list[at], s) < 0)
		at++;
	if ((at < *n && strcmp(list[at], s) == 0) || *n == SF_REVIEW_MAX_PEOPLE)
		return;
	memmove(list + at + 1, list + at, (*n - at) * sizeof(*list));
	list[at] = s;
	(*n)++;
}

static void people_of_node(sf_graph *g, sf_node_id svc, sf_review_people *out)
{
	size_t cnt;
	const sf_edge *outs = sf_graph_out(g, svc, &cnt);
	for (size_t i = 0; i < cnt; i++) {
		const sf_node *n = sf_graph_node_at(g, sf_graph_live(g, outs[i].to));
		const char *what = sf_graph_node_label(g, n);
		if (n->kind == SF_KIND_OWNER)
			add_unique(out->owner, &out->nowner, what);
		else if (n->kind == SF_KIND_RUNBOOK)
			add_unique(out->runbook, &out->nrunbook, what);
	}
}

void sf_review_people_of(sf_scan *s, const char *service, sf_review_people *out)
{
	sf_graph *g = s->graph;
	sf_node_id seen[8];
	size_t nseen = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < s->failover.npairs && nseen < 8; i++) {
		const sf_pair *p = &s->failover.pairs[i];
		sf_node_id svc;
		int dup = 0;
		if (!p->service || strcmp(p->service, service) != 0)
			continue;
		if ((svc = sf_check_service(g, p)) == SF_NODE_NONE)
			continue;
		svc = sf_graph_live(g, svc);
		for (size_t k = 0; k < nseen; k++)
			dup |= seen[k] == svc;
		if (dup)
			continue;
		seen[nseen++] = svc;
		people_of_node(g, svc, out);
		{
			const sf_node *n = sf_graph_node_at(g, svc);
			const char *name = sf_graph_node_label(g, n);
			if (!out->declared && strcmp(name, service) != 0)
				out->declared = name;
		}
	}
	if (!nseen) {
		/* findings with no pair: the service by its name */
		char key[600];
		sf_node_id svc;
		snprintf(key, sizeof(key), "service:%s", service);
		if ((svc = sf_graph_find(g, key)) != SF_NODE_NONE &&
		    sf_graph_node_at(g, sf_graph_live(g, svc))->kind == SF_KIND_SERVICE)
			people_of_node(g, sf_graph_live(g, svc), out);
	}
}

const sf_manifest_waiver *sf_review_waived(const sf_report_opts *o, size_t i)
{
	const sf_gate_result *g = o ? o->gate : NULL;
	return g && i < g->nmarks ? g->marks[i].waiver : NULL;
}

const sf_manifest_waiver *sf_review_expired(const sf_report_opts *o, size_t i)
{
	const sf_gate_result *g = o ? o->gate : NULL;
	return g && i < g->nmarks ? g->marks[i].expired : NULL;
}

size_t sf_review_nwaived(const sf_report_opts *o, const sf_scan *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->findings.count; i++)
		n += sf_review_waived(o, i) != NULL;
	return n;
}

sf_review_waiver_state sf_review_waiver(const sf_report_opts *o, const sf_manifest_waiver *w,
                                        size_t *nwaived, size_t *nopen)
{
	const sf_gate_result *g = o ? o->gate : NULL;
	char today[11];
	int past;

	*nwaived = *nopen = 0;
	for (size_t i = 0; g && i < g->nmarks; i++) {
		*nwaived += g->marks[i].waiver == w;
		*nopen += g->marks[i].expired == w;
	}
	if (o && o->today)
		snprintf(today, sizeof(today), "%s", o->today);
	else
		sf_gate_today(today);
	past = strcmp(w->expires, today) < 0;
	if (past)
		return *nopen ? SF_REVIEW_EXPIRED_OPEN : SF_REVIEW_EXPIRED;
	/* findings an earlier waiver already waives: this one covers them too */
	if (!*nwaived && g && g->wmatched && w >= g->waivers && w < g->waivers + g->nwaivers)
		*nwaived = g->wmatched[w - g->waivers];
	return *nwaived ? SF_REVIEW_WAIVES : SF_REVIEW_WAIVES_NOTHING;
}

const sf_domains *sf_review_domains(const sf_report_opts *o, sf_scan *s, sf_domains *own,
                                    int *built)
{
	*built = 0;
	if (o && o->domains)
		return o->domains;
	if (sf_domains_build(s->graph, &s->failover, own) < 0)
		return NULL;
	*built = 1;
	return own;
}

size_t sf_review_services(const sf_pair *const *ps, size_t n, const char **out, size_t max)
{
	size_t k = 0;
	const char *last = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *svc = ps[i]->service ? ps[i]->service : SF_VIEW_NO_SERVICE;
		if (last && strcmp(last, svc) == 0)
			continue;
		if (k < max)
			out[k] = svc;
		k++;
		last = svc;
	}
	return k;
}
