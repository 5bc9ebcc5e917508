#include "nodeset.h"

#include <stdlib.h>
#include <string.h>

void sf_nodeset_free(sf_nodeset *s)
{
	free(s->keys);
	free(s->values);
	free(s->order);
	memset(s, 0, sizeof(*s));
}

void sf_nodeset_clear(sf_nodeset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		s->keys[i] = SF_NODE_NONE;
	s->count = 0;
}

static size_t slot(const sf_nodeset *s, sf_node_id k)
{
	size_t j = ((size_t)k * 2654435761u) & (s->cap - 1);
	while (s->keys[j] != SF_NODE_NONE && s->keys[j] != k)
		j = (j + 1) & (s->cap - 1);
	return j;
}

static int grow(sf_nodeset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	sf_nodeset ns = { NULL, NULL, cap, NULL, s->count };
	ns.keys = malloc(cap * sizeof(*ns.keys));
	ns.values = malloc(cap * sizeof(*ns.values));
	ns.order = realloc(s->order, (cap / 2) * sizeof(*ns.order));
	if (!ns.keys || !ns.values || !ns.order) {
		free(ns.keys);
		free(ns.values);
		if (ns.order)
			s->order = ns.order;
		return -1;
	}
	for (size_t i = 0; i < cap; i++)
		ns.keys[i] = SF_NODE_NONE;
	for (size_t i = 0; i < s->cap; i++)
		if (s->keys[i] != SF_NODE_NONE) {
			size_t j = slot(&ns, s->keys[i]);
			ns.keys[j] = s->keys[i];
			ns.values[j] = s->values[i];
		}
	free(s->keys);
	free(s->values);
	*s = ns;
	return 0;
}

int sf_nodeset_has(const sf_nodeset *s, sf_node_id k)
{
	return s->cap && k != SF_NODE_NONE && s->keys[slot(s, k)] == k;
}

int sf_nodeset_add(sf_nodeset *s, sf_node_id k, sf_node_id value)
{
	size_t j;
	if (k == SF_NODE_NONE || sf_nodeset_has(s, k) || s->count >= SF_NODESET_MAX)
		return 0;
	if ((s->count + 1) * 2 > s->cap && grow(s) < 0)
		return -1;
	j = slot(s, k);
	s->keys[j] = k;
	s->values[j] = value;
	s->order[s->count++] = k;
	return 1;
}

sf_node_id sf_nodeset_get(const sf_nodeset *s, sf_node_id k)
{
	size_t j;
	if (!s->cap || k == SF_NODE_NONE)
		return SF_NODE_NONE;
	j = slot(s, k);
	return s->keys[j] == k ? s->values[j] : SF_NODE_NONE;
}

void sf_nodeset_set(sf_nodeset *s, sf_node_id k, sf_node_id value)
{
	size_t j;
	if (!s->cap || k == SF_NODE_NONE)
		return;
	j = slot(s, k);
	if (s->keys[j] == k)
		s->values[j] = value;
}

sf_node_id *sf_nodeset_path(const sf_nodeset *s, sf_node_id k, size_t *n)
{
	size_t len = 0, i;
	sf_node_id *out;
	*n = 0;
	if (!sf_nodeset_has(s, k))
		return NULL;
	/* bounded by the set's size: a cycle of values cannot loop forever */
	for (sf_node_id v = k; v != SF_NODE_NONE && len <= s->count; v = sf_nodeset_get(s, v))
		len++;
	out = malloc(len * sizeof(*out));
	if (!out)
		return NULL;
	i = len;
	for (sf_node_id v = k; v != SF_NODE_NONE && i > 0; v = sf_nodeset_get(s, v))
		out[--i] = v;
	*n = len;
	return out;
}
