#include "link.h"

#include <stdlib.h>
#include <string.h>

#include "importers/importer.h"
#include "model/buf.h"

typedef struct scoped {
	sf_node_id id;
	const char *path;           /* into the key, up to the second mark */
	size_t pathlen;
	const char *name;           /* the address (and suffix) */
} scoped;

static int cmp_scoped(const void *a, const void *b)
{
	const scoped *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	c = strncmp(x->path, y->path, x->pathlen < y->pathlen ? x->pathlen : y->pathlen);
	return c ? c : (x->pathlen > y->pathlen) - (x->pathlen < y->pathlen);
}

/* Keys scoped by their input (a Terraform address within its state) as
 * people read them: the bare name where no other input has it, else
 * `path:name`. The choice depends only on which inputs share the name, so
 * a finding keeps its keys (and fingerprint) when an unrelated input is
 * added. */
static int unscope_keys(sf_graph *g)
{
	size_t n = sf_graph_node_count(g), ns = 0;
	scoped *s = malloc((n ? n : 1) * sizeof(*s));
	sf_node_id *ids = malloc((n ? n : 1) * sizeof(*ids));
	char **keys = calloc(n ? n : 1, sizeof(*keys));
	int rc = -1;

	if (!s || !ids || !keys)
		goto cleanup;
	for (sf_node_id id = 0; id < n; id++) {
		const char *k = sf_graph_node_at(g, id)->key;
		const char *mark;
		if (k[0] != SF_SCOPE_MARK || !(mark = strchr(k + 1, SF_SCOPE_MARK)))
			continue;
		s[ns].id = id;
		s[ns].path = k + 1;
		s[ns].pathlen = (size_t)(mark - (k + 1));
		s[ns].name = mark + 1;
		ns++;
	}
	if (ns == 0) {
		rc = 0;
		goto cleanup;
	}
	sf_sort(s, ns, sizeof(*s), cmp_scoped);
	for (size_t i = 0; i < ns;) {
		size_t j = i + 1;
		while (j < ns && strcmp(s[j].name, s[i].name) == 0)
			j++;
		for (size_t k = i; k < j; k++) {
			sf_buf b = SF_BUF_INIT;
			if (j - i == 1 && sf_graph_find(g, s[k].name) == SF_NODE_NONE)
				sf_buf_puts(&b, s[k].name);
			else
				sf_buf_printf(&b, "%.*s:%s", (int)s[k].pathlen, s[k].path, s[k].name);
			if (b.failed) {
				sf_buf_free(&b);
				goto cleanup;
			}
			ids[k] = s[k].id;
			keys[k] = b.ptr;
		}
		i = j;
	}
	rc = sf_graph_rekey(g, ids, (const char *const *)keys, ns);
cleanup:
	for (size_t k = 0; keys && k < ns; k++)
		free(keys[k]);
	free(keys);
	free(ids);
	free(s);
	return rc;
}

/* Canonical keys already join most sources: a zone file's CNAME target and
 * a load balancer's DNS name are the same `dns:` node. What is left is to
 * say which names lead nowhere. A name leads somewhere when it has any
 * propagating out-edge (to a target, a load balancer, an address). One
 * pass over the edges says which do: the ordered adjacency lists (a sort
 * of every key) are not needed for a yes or no. */
int sf_link(sf_graph *g, sf_diags *d)
{
	size_t n, m;
	unsigned char *leads;
	int rc = -1;

	(void)d;
	if (unscope_keys(g) < 0 || sf_graph_merge_aliases(g) < 0)
		return -1;
	n = sf_graph_node_count(g);
	m = sf_graph_edge_count(g);
	if (!(leads = calloc(n ? n : 1, 1)))
		return -1;
	for (size_t i = 0; i < m; i++) {
		const sf_edge *e = sf_graph_edge_at(g, i);
		if (e->kind == SF_EDGE_RESOLVES_TO || e->kind == SF_EDGE_ROUTES_TO)
			leads[e->from] = 1;
	}
	for (sf_node_id id = 0; id < n; id++) {
		sf_node *node = sf_graph_node_at(g, id);
		/* Names and addresses; and pools, targets and load balancers
		 * known only by a reference (no input defines them). */
		if ((node->kind != SF_KIND_DNS_NAME && node->kind != SF_KIND_ENDPOINT &&
		     !((node->kind == SF_KIND_TARGET_GROUP || node->kind == SF_KIND_LOAD_BALANCER) &&
		       !node->path)) ||
		    node->merged)
			continue;
		if (!leads[id] && !sf_graph_attr(g, id, "unresolved") &&
		    sf_graph_set_attr(g, id, "unresolved", "true") < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	free(leads);
	return rc;
}
