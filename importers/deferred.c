/* Deferred sources: nodes made on demand, after every input is read. */
#include "importer.h"
#include "dns_common.h"

#include "model/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sources, and those with a scope sorted by it: a key is offered to
 * the sources whose scope is one of its name's suffixes, found by binary
 * search per suffix, so that many zone files cost each key a few look-ups
 * rather than one check per file. */
typedef struct dindex {
	sf_deferred **all;          /* in list order */
	size_t n;
	size_t *scoped;             /* positions in `all`, by scope then position */
	size_t nscoped;
	size_t *unscoped;           /* positions of the sources asked about every key */
	size_t nunscoped;
	size_t *hits;               /* scratch: positions to ask about one key */
} dindex;

static const dindex *cmp_ix;

static int cmp_scope(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(cmp_ix->all[x]->scope, cmp_ix->all[y]->scope);
	return c ? c : (x > y) - (x < y);
}

static int cmp_pos(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

static int index_build(dindex *ix, sf_deferred *list)
{
	memset(ix, 0, sizeof(*ix));
	for (sf_deferred *d = list; d; d = d->next)
		ix->n++;
	ix->all = malloc((ix->n + 1) * sizeof(*ix->all));
	ix->scoped = malloc((ix->n + 1) * sizeof(*ix->scoped));
	ix->unscoped = malloc((ix->n + 1) * sizeof(*ix->unscoped));
	ix->hits = malloc((ix->n + 1) * sizeof(*ix->hits));
	if (!ix->all || !ix->scoped || !ix->unscoped || !ix->hits)
		return -1;
	ix->n = 0;
	for (sf_deferred *d = list; d; d = d->next) {
		if (d->scope)
			ix->scoped[ix->nscoped++] = ix->n;
		else
			ix->unscoped[ix->nunscoped++] = ix->n;
		ix->all[ix->n++] = d;
	}
	cmp_ix = ix;
	qsort(ix->scoped, ix->nscoped, sizeof(*ix->scoped), cmp_scope);
	cmp_ix = NULL;
	return 0;
}

static void index_free(dindex *ix)
{
	free(ix->all);
	free(ix->scoped);
	free(ix->unscoped);
	free(ix->hits);
}

/* Positions of the scoped sources whose scope is exactly `s`, appended. */
static size_t find_scope(const dindex *ix, const char *s, size_t nh)
{
	size_t lo = 0, hi = ix->nscoped;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ix->all[ix->scoped[mid]]->scope, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ix->nscoped && strcmp(ix->all[ix->scoped[lo]]->scope, s) == 0; lo++)
		ix->hits[nh++] = ix->scoped[lo];
	return nh;
}

/* Ask the sources that may hold `key` about it, in list order (as every
 * source was asked before the dindex: which one makes a node first
 * decides where the node says it comes from). */
static int ask(const dindex *ix, const char *key)
{
	size_t nh = ix->nunscoped;

	memcpy(ix->hits, ix->unscoped, nh * sizeof(*ix->hits));
	/* A name longer than any name's text is no zone's (its wire form
	 * does not exist), so it costs no look-up. */
	if (ix->nscoped && strncmp(key, "dns:", 4) == 0 && strlen(key + 4) < SF_DNS_TEXT_MAX) {
		/* the suffixes sf_dns_in_zone() accepts, each once: the name, what
		 * follows each unescaped dot, and the root */
		const char *name = key + 4;
		nh = find_scope(ix, name, nh);
		for (size_t k = 0; name[k]; k++) {
			size_t bs = 0;
			if (name[k] != '.' || !name[k + 1] || strcmp(name + k + 1, ".") == 0)
				continue;
			while (bs < k && name[k - 1 - bs] == '\\')
				bs++;
			if (bs % 2 == 0)
				nh = find_scope(ix, name + k + 1, nh);
		}
		if (strcmp(name, ".") != 0)
			nh = find_scope(ix, ".", nh);
		qsort(ix->hits, nh, sizeof(*ix->hits), cmp_pos);
	}
	sf_stat_add(SF_STAT_DEFERRED_ASKS, nh);
	for (size_t i = 0; i < nh; i++)
		if (ix->all[ix->hits[i]]->make(ix->all[ix->hits[i]], key) < 0)
			return -1;
	return 0;
}

int sf_deferred_resolve(sf_deferred *list, sf_graph *g, const sf_failover *fo)
{
	size_t from = 0;
	int rc = -1;
	dindex ix;

	if (!list)
		return 0;
	if (index_build(&ix, list) < 0)
		goto done;
	/* A failover name need not be a node yet; the pair's checks look it up. */
	for (size_t i = 0; fo && i < fo->nmembers; i++) {
		char key[1100];
		const char *name = fo->members[i].name;
		if (!name || (size_t)snprintf(key, sizeof(key), "dns:%s", name) >= sizeof(key))
			continue;
		if (ask(&ix, key) < 0)
			goto done;
	}
	/* Every node asks, the ones made on the way too: a name one source
	 * makes may lead to a name another holds. */
	while (from < sf_graph_node_count(g)) {
		size_t to = sf_graph_node_count(g);
		for (size_t id = from; id < to; id++)
			if (ask(&ix, sf_graph_key(g, (sf_node_id)id)) < 0)
				goto done;
		from = to;
	}
	rc = 0;
done:
	index_free(&ix);
	sf_deferred_free(list);
	return rc;
}

void sf_deferred_free(sf_deferred *list)
{
	while (list) {
		sf_deferred *next = list->next;
		list->free(list);
		list = next;
	}
}
