/* Deferred sources: nodes made on demand, after every input is read. */
#include "importer.h"

#include <stdio.h>
#include <string.h>

/* Ask every source about `key`. */
static int ask(sf_deferred *list, const char *key)
{
	for (sf_deferred *d = list; d; d = d->next)
		if (d->make(d, key) < 0)
			return -1;
	return 0;
}

int sf_deferred_resolve(sf_deferred *list, sf_graph *g, const sf_failover *fo, int all)
{
	size_t from = 0;
	int rc = -1;

	if (!list)
		return 0;
	if (all) {
		for (sf_deferred *d = list; d; d = d->next)
			if (d->make_all(d) < 0)
				goto cleanup;
		rc = 0;
		goto cleanup;
	}
	/* A failover name need not be a node yet; the pair's checks look it up. */
	for (size_t i = 0; fo && i < fo->nmembers; i++) {
		char key[1100];
		const char *name = fo->members[i].name;
		if (!name || (size_t)snprintf(key, sizeof(key), "dns:%s", name) >= sizeof(key))
			continue;
		if (ask(list, key) < 0)
			goto cleanup;
	}
	/* Every node asks, the ones made on the way too: a name one source
	 * makes may lead to a name another holds. */
	while (from < sf_graph_node_count(g)) {
		size_t to = sf_graph_node_count(g);
		for (size_t id = from; id < to; id++)
			if (ask(list, sf_graph_node_at(g, (sf_node_id)id)->key) < 0)
				goto cleanup;
		from = to;
	}
	rc = 0;
cleanup:
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
