#include "link.h"

#include <stdlib.h>
#include <string.h>

#include "importers/importer.h"
#include "model/buf.h"

typedef struct scoped {
	sf_node_id id;
	const char *path;           /* the input's, as shown (not NUL-terminated) */
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

/* The path and name of scoped node `id`: said by the old form of key,
 * else its provenance and label (importers/importer.h). 0, or -1 when
 * the node is not scoped. */
static int scoped_of(const sf_graph *g, sf_node_id id, scoped *out)
{
	const sf_node *n = sf_graph_node_at(g, id);
	const char *mark;

	if (!n->scoped)
		return -1;
	out->id = id;
	const char *key = sf_graph_node_key(g, n);
	if (key[0] == SF_SCOPE_MARK && (mark = strchr(key + 1, SF_SCOPE_MARK))) {
		out->path = key + 1;
		out->pathlen = (size_t)(mark - (key + 1));
		out->name = mark + 1;
		return 0;
	}
	out->path = sf_graph_node_prov(g, n).path;
	if (!out->path)
		out->path = "";
	out->pathlen = strlen(out->path);
	out->name = sf_graph_node_label(g, n);
	return 0;
}

/* Keys scoped by their input (a Terraform address within its state) as
 * people read them: the bare name where no other input has it, else
 * `path:name`. The choice depends only on which inputs share the name, so
 * a finding keeps its keys (and fingerprint) when an unrelated input is
 * added. Most nodes have their key already: each was keyed by the bare
 * name while no node held it, and only the names another input met later
 * change. */
static int unscope_keys(sf_graph *g)
{
	size_t n = sf_graph_node_count(g), ns = 0, nk = 0;
	scoped *s = malloc((n ? n : 1) * sizeof(*s));
	sf_node_id *ids = malloc((n ? n : 1) * sizeof(*ids));
	char **keys = calloc(n ? n : 1, sizeof(*keys));
	int rc = -1;

	if (!s || !ids || !keys)
		goto cleanup;
	for (sf_node_id id = 0; id < n; id++)
		if (scoped_of(g, id, &s[ns]) == 0)
			ns++;
	sf_sort(s, ns, sizeof(*s), cmp_scoped);
	for (size_t i = 0; i < ns;) {
		size_t j = i + 1;
		sf_node_id holder;
		while (j < ns && strcmp(s[j].name, s[i].name) == 0)
			j++;
		/* a bare name is the node's own only as its key */
		holder = sf_graph_find(g, s[i].name);
		for (size_t k = i; k < j; k++) {
			const char *key = sf_graph_key(g, s[k].id);
			sf_buf b = SF_BUF_INIT;
			if (j - i == 1 && (holder == SF_NODE_NONE || (holder == s[k].id && strcmp(key, s[k].name) == 0)))
				sf_buf_puts(&b, s[k].name);
			else
				sf_buf_printf(&b, "%.*s:%s", (int)s[k].pathlen, s[k].path, s[k].name);
			if (b.failed) {
				sf_buf_free(&b);
				goto cleanup;
			}
			if (strcmp(b.ptr, key) == 0) {
				sf_buf_free(&b);
				continue;
			}
			ids[nk] = s[k].id;
			keys[nk++] = b.ptr;
		}
		i = j;
	}
	rc = nk ? sf_scope_rekey(g, ids, (const char *const *)keys, nk) : 0;
cleanup:
	for (size_t k = 0; keys && k < nk; k++)
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
