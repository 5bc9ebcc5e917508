/* Keys of scoped nodes: things named by a Terraform address (`aws_lb.this`,
 * `azurerm_traffic_manager_profile.p/monitor_config`), which is unique in
 * one state only.
 *
 * A scoped node is keyed when it is made by the name it will most likely
 * keep: the bare name while no node has that key, else `<path>:<name>`.
 * No key is made only to be thrown away: the scoped key of old
 * (SF_SCOPE_MARK path SF_SCOPE_MARK name) stayed in the string table after
 * the link phase renamed it, the longest string of all. That form is kept
 * for what is rare: a path too long to keep the label inside the key, and
 * `<path>:<name>` held by another node.
 *
 * The outcome is the one of keys scoped until every input is read: a name
 * another input also names is qualified by the link phase (sf_link), and
 * no other input may meet a scoped node by its key on the way. Whoever
 * makes a key or alias that a scoped node holds claims it first
 * (sf_scope_claim), and the scoped node moves aside. */
#include "importer.h"

#include <stdlib.h>
#include <string.h>

#include "model/buf.h"

/* A key longer than this was refused as out of memory when every key was
 * scoped; it still is. */
#define SCOPE_KEY_MAX 4096
/* The longest path whose nodes may be keyed by the bare name: the label
 * (the name) then stays within a byte of offset in its key, in each of
 * the forms the node may take. */
#define SCOPE_PATH_SHORT 252

static const char ident[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

/* Could `s` be a scoped name, by its shape: a Terraform address (which
 * begins every scoped name) starts with its type, or `module`, and a dot. */
static int name_shaped(const char *s)
{
	size_t n = strspn(s, ident);
	return n > 0 && s[n] == '.';
}

/* Could `key` be the key of a scoped node, in any of its forms? A cheap
 * test that says no to ARNs, IDs, URLs and prefixed keys (`dns:` names
 * aside), so that mostly a key shaped like an address costs a look-up. */
static int key_shaped(const char *key)
{
	if (key[0] == SF_SCOPE_MARK)
		return 1;
	if (name_shaped(key))
		return 1;
	for (const char *c = strchr(key, ':'); c; c = strchr(c + 1, ':'))
		if (name_shaped(c + 1))
			return 1;
	return 0;
}

static const char *node_path(const sf_graph *g, const sf_node *n)
{
	const char *p = sf_graph_node_prov(g, n).path;
	return p ? p : "";
}

/* Is node `id` the scoped node `name` of `path`, keyed `key`? The old
 * form says both in the key. */
static int is_scoped(const sf_graph *g, sf_node_id id, const char *key, const char *path,
                     const char *name)
{
	const sf_node *n = id == SF_NODE_NONE ? NULL : sf_graph_node_at(g, id);
	if (!n || !n->scoped || strcmp(sf_graph_node_key(g, n), key) != 0)
		return 0;
	return key[0] == SF_SCOPE_MARK ||
	       (strcmp(sf_graph_node_label(g, n), name) == 0 && strcmp(node_path(g, n), path) == 0);
}

/* `<path>:<name>`, or with `mark` the old scoped form. */
static int scope_key(sf_buf *b, const char *path, const char *name, int mark)
{
	sf_buf_clear(b);
	if (mark)
		sf_buf_printf(b, "%c%s%c%s", SF_SCOPE_MARK, path, SF_SCOPE_MARK, name);
	else
		sf_buf_printf(b, "%s:%s", path, name);
	return b->failed ? -1 : 0;
}

int sf_scope_name_ok(const char *path, const char *name)
{
	return strlen(path) + strlen(name) + 2 < SCOPE_KEY_MAX;
}

/* The scoped node `name` of `path` in *out (SF_NODE_NONE: none), and in
 * *name_free whether no node holds the bare name. 0, or -1 out of memory. */
static int find_scoped(const sf_graph *g, const char *path, const char *name, sf_buf *b,
                       sf_node_id *out, int *name_free)
{
	sf_node_id id;
	*out = SF_NODE_NONE;
	*name_free = 0;
	if (strlen(path) <= SCOPE_PATH_SHORT) {
		/* A name no node holds is no scoped node's either: its first
		 * node takes it, and a key once held stays held on the way. */
		id = sf_graph_find(g, name);
		if (id == SF_NODE_NONE) {
			*name_free = 1;
			return 0;
		}
		if (is_scoped(g, id, name, path, name)) {
			*out = id;
			return 0;
		}
		if (scope_key(b, path, name, 0) < 0)
			return -1;
		id = sf_graph_find(g, b->ptr);
		if (is_scoped(g, id, b->ptr, path, name)) {
			*out = id;
			return 0;
		}
	}
	if (scope_key(b, path, name, 1) < 0)
		return -1;
	id = sf_graph_find(g, b->ptr);
	if (is_scoped(g, id, b->ptr, path, name))
		*out = id;
	return 0;
}

sf_node_id sf_scope_find(const sf_graph *g, const char *path, const char *name)
{
	sf_buf b = SF_BUF_INIT;
	sf_node_id id;
	int free_name;
	if (find_scoped(g, path, name, &b, &id, &free_name) < 0)
		id = SF_NODE_NONE;
	sf_buf_free(&b);
	return id;
}

sf_node_id sf_scope_node(sf_graph *g, sf_kind kind, const char *name, const char *label,
                         const sf_prov *prov, int *existed)
{
	sf_buf b = SF_BUF_INIT;
	sf_node_id id = SF_NODE_NONE;
	const char *path = prov->path, *key = name;
	int free_name;

	if (!label)
		label = name;
	if (existed)
		*existed = 0;
	if (!sf_scope_name_ok(path, name) || find_scoped(g, path, name, &b, &id, &free_name) < 0)
		goto done;
	if (id != SF_NODE_NONE) {
		if (existed)
			*existed = 1;
		else    /* met again, as sf_graph_node() meets a node */
			id = sf_graph_node(g, kind, sf_graph_key(g, id), label, prov);
		goto done;
	}
	/* the name is the label, but for a label cut short (the old form
	 * keeps both) */
	if (strlen(path) > SCOPE_PATH_SHORT || strcmp(label, name) != 0) {
		key = NULL;
	} else if (!free_name) {
		if (scope_key(&b, path, name, 0) < 0)
			goto done;
		key = sf_graph_find(g, b.ptr) == SF_NODE_NONE ? b.ptr : NULL;
	}
	if (!key) {
		if (scope_key(&b, path, name, 1) < 0)
			goto done;
		key = b.ptr;
	}
	id = sf_graph_node(g, kind, key, label, prov);
	if (id != SF_NODE_NONE)
		sf_graph_node_at(g, id)->scoped = 1;
done:
	sf_buf_free(&b);
	return id;
}

int sf_scope_rekey(sf_graph *g, const sf_node_id *ids, const char *const *keys, size_t n)
{
	const char **labels = malloc((n ? n : 1) * sizeof(*labels));
	int rc = -1;

	if (!labels)
		return -1;
	/* interned: the strings stay where they are */
	for (size_t i = 0; i < n; i++)
		labels[i] = sf_graph_node_label(g, sf_graph_node_at(g, ids[i]));
	if (sf_graph_rekey(g, ids, keys, n) < 0)
		goto done;
	/* a label that was the whole key followed it: the name again */
	for (size_t i = 0; i < n; i++)
		if (strcmp(sf_graph_node_label(g, sf_graph_node_at(g, ids[i])), labels[i]) != 0 &&
		    sf_graph_set_label(g, ids[i], labels[i]) < 0)
			goto done;
	rc = 0;
done:
	free(labels);
	return rc;
}

int sf_scope_claim(sf_graph *g, const char *key)
{
	sf_buf b = SF_BUF_INIT;
	sf_node_id id;
	const sf_node *n;
	const char *name, *path, *to;
	int rc = -1;

	if (!key || !key_shaped(key))
		return 0;
	id = sf_graph_find(g, key);
	n = id == SF_NODE_NONE ? NULL : sf_graph_node_at(g, id);
	if (!n || !n->scoped || strcmp(sf_graph_node_key(g, n), key) != 0 || key[0] == SF_SCOPE_MARK)
		return 0;
	name = sf_graph_node_label(g, n);
	path = node_path(g, n);
	/* The bare name moves to `<path>:<name>` if that is free; that form
	 * (or a bare name whose qualified form is taken) to the old form,
	 * which no other input can name. */
	if (strcmp(key, name) == 0) {
		if (scope_key(&b, path, name, 0) < 0)
			goto done;
		if (sf_graph_find(g, b.ptr) != SF_NODE_NONE && scope_key(&b, path, name, 1) < 0)
			goto done;
	} else if (scope_key(&b, path, name, 1) < 0) {
		goto done;
	}
	to = b.ptr;
	rc = sf_scope_rekey(g, &id, &to, 1);
done:
	sf_buf_free(&b);
	return rc;
}

sf_node_id sf_scope_lookup(const sf_graph *g, const char *key)
{
	sf_node_id id = sf_graph_find(g, key);
	const sf_node *n = id == SF_NODE_NONE ? NULL : sf_graph_node_at(g, id);
	return n && n->scoped && strcmp(sf_graph_node_key(g, n), key) == 0 ? SF_NODE_NONE : id;
}
