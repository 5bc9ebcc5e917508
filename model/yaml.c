#include "yaml.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <yaml.h>

#include "stats.h"

typedef struct ybuild {
	const char *path;
	sf_diags *d;
	size_t nodes;
	sf_ynode *stack[SF_YAML_MAX_DEPTH + 1];
	char *pending[SF_YAML_MAX_DEPTH + 1];   /* a mapping's key awaiting its value */
	long pending_line[SF_YAML_MAX_DEPTH + 1];
	/* per open mapping: a hash set of its keys (index + 1 into keys[]), so
	 * that a mapping of 100,000 keys is checked for duplicates in linear
	 * time; keyed with a per-run seed so keys cannot be crafted to collide */
	size_t *keyset[SF_YAML_MAX_DEPTH + 1];
	size_t keysetcap[SF_YAML_MAX_DEPTH + 1];
	size_t depth;
	int failed;
	/* per open collection: its anchor, and the index + 1 of a plain "<<"
	 * key in a mapping, merged when the mapping ends */
	char *anchor_at[SF_YAML_MAX_DEPTH + 1];
	size_t merge_at[SF_YAML_MAX_DEPTH + 1];
	/* the anchors of this document: a hash table of complete copies, so that
	 * an alias never points into the tree (merges move nodes out of it) */
	struct yanchor *anchors;
	size_t anchorcap, nanchors;
} ybuild;

typedef struct yanchor {
	char *name;
	sf_ynode *copy;
	size_t height;
} yanchor;

static void node_free(sf_ynode *n)
{
	if (!n)
		return;
	free(n->value);
	for (size_t i = 0; i < n->count; i++) {
		if (n->keys)
			free(n->keys[i]);
		node_free(n->items[i]);
	}
	free(n->keys);
	free(n->key_lines);
	free(n->items);
	free(n);
}

void sf_yaml_free(sf_ydoc *doc)
{
	for (size_t i = 0; i < doc->ndocs; i++)
		node_free(doc->docs[i]);
	free(doc->docs);
	doc->docs = NULL;
	doc->ndocs = 0;
}

/* Arrays grow by doubling, at counts 0, 1, 2, 4, 8...: the capacity is
 * the next power of two, so no field holds it. Growing by one element
 * copied a 100,000-key mapping's arrays 100,000 times where realloc cannot
 * grow in place (under AddressSanitizer, always). */
static int grow(void **p, size_t count, size_t size)
{
	void *q;
	if (count && (count & (count - 1)) != 0)
		return 0;
	if (!(q = realloc(*p, (count ? count * 2 : 1) * size)))
		return -1;
	*p = q;
	return 0;
}

sf_ynode *sf_yaml_new(sf_ytype type, long line)
{
	sf_ynode *n = calloc(1, sizeof(*n));
	if (n) {
		n->type = type;
		n->line = line;
		n->plain = 1;
	}
	return n;
}

int sf_yaml_append(sf_ynode *parent, sf_ynode *child, char *key, long key_line)
{
	if (grow((void **)&parent->items, parent->count, sizeof(*parent->items)) < 0)
		return -1;
	if (parent->type == SF_Y_MAP) {
		if (grow((void **)&parent->keys, parent->count, sizeof(*parent->keys)) < 0 ||
		    grow((void **)&parent->key_lines, parent->count, sizeof(*parent->key_lines)) < 0)
			return -1;
		parent->keys[parent->count] = key;
		parent->key_lines[parent->count] = key_line;
	}
	parent->items[parent->count++] = child;
	return 0;
}

static uint64_t key_hash(const char *k)
{
	static uint64_t seed;
	uint64_t h;
	if (!seed) {
		if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed))
			seed = (uint64_t)(uintptr_t)&seed ^ (uint64_t)time(NULL);
		seed |= 1;
	}
	h = 1469598103934665603ULL ^ seed;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	/* fmix64: spread every bit of the state into the low ones we index by */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* Is `key` already a key of the mapping open at level `top`? */
static int key_seen(ybuild *b, size_t top, const char *key)
{
	const sf_ynode *map = b->stack[top];
	size_t cap = b->keysetcap[top];
	if (!cap)
		return 0;
	for (size_t h = key_hash(key) & (cap - 1); b->keyset[top][h]; h = (h + 1) & (cap - 1)) {
		sf_stat_add(SF_STAT_YAML_KEY_PROBES, 1);
		if (strcmp(map->keys[b->keyset[top][h] - 1], key) == 0)
			return 1;
	}
	return 0;
}

/* Remember the last key appended to the mapping open at level `top`. */
static int key_add(ybuild *b, size_t top)
{
	const sf_ynode *map = b->stack[top];
	size_t cap = b->keysetcap[top], h;
	if (map->count * 2 > cap) {
		size_t ncap = cap ? cap * 2 : 16;
		size_t *set = calloc(ncap, sizeof(*set));
		if (!set)
			return -1;
		free(b->keyset[top]);
		b->keyset[top] = set;
		b->keysetcap[top] = cap = ncap;
		/* rebuild from the keys themselves, all but the last one */
		for (size_t i = 0; i + 1 < map->count; i++) {
			for (h = key_hash(map->keys[i]) & (cap - 1); set[h]; h = (h + 1) & (cap - 1))
				;
			set[h] = i + 1;
		}
	}
	for (h = key_hash(map->keys[map->count - 1]) & (cap - 1); b->keyset[top][h];
	     h = (h + 1) & (cap - 1))
		;
	b->keyset[top][h] = map->count;
	return 0;
}

static void key_forget(ybuild *b, size_t level)
{
	free(b->keyset[level]);
	b->keyset[level] = NULL;
	b->keysetcap[level] = 0;
}

/* Levels of collections in `n`: 0 for a scalar. */
static size_t node_height(const sf_ynode *n)
{
	size_t h = 0;
	if (!n || n->type == SF_Y_SCALAR)
		return 0;
	for (size_t i = 0; i < n->count; i++) {
		size_t k = node_height(n->items[i]);
		if (k > h)
			h = k;
	}
	return h + 1;
}

/* A deep copy of `n`, each node counted against SF_YAML_MAX_NODES: an
 * alias costs what it expands to, so a file of nested aliases (a "billion
 * laughs") stops at the budget, in time linear in it. NULL when the budget
 * or memory runs out (*over tells which). */
static sf_ynode *node_copy(ybuild *b, const sf_ynode *n, int *over)
{
	sf_ynode *c;
	if (++b->nodes > SF_YAML_MAX_NODES) {
		*over = 1;
		return NULL;
	}
	if (!(c = sf_yaml_new(n->type, n->line)))
		return NULL;
	c->plain = n->plain;
	if (n->value && !(c->value = strdup(n->value)))
		goto fail;
	for (size_t i = 0; i < n->count; i++) {
		char *key = n->type == SF_Y_MAP ? strdup(n->keys[i]) : NULL;
		sf_ynode *item = node_copy(b, n->items[i], over);
		if ((n->type == SF_Y_MAP && !key) || !item ||
		    sf_yaml_append(c, item, key, n->type == SF_Y_MAP ? n->key_lines[i] : 0) < 0) {
			free(key);
			node_free(item);
			goto fail;
		}
	}
	return c;
fail:
	node_free(c);
	return NULL;
}

static void anchors_free(ybuild *b)
{
	for (size_t i = 0; i < b->anchorcap; i++) {
		free(b->anchors[i].name);
		node_free(b->anchors[i].copy);
	}
	free(b->anchors);
	b->anchors = NULL;
	b->anchorcap = b->nanchors = 0;
}

static yanchor *anchor_slot(ybuild *b, const char *name)
{
	size_t h;
	if (!b->anchorcap)
		return NULL;
	for (h = key_hash(name) & (b->anchorcap - 1); b->anchors[h].name;
	     h = (h + 1) & (b->anchorcap - 1))
		if (strcmp(b->anchors[h].name, name) == 0)
			break;
	return &b->anchors[h];
}

/* Remember a copy of `n` under `name`; a later anchor of the same name
 * replaces it, as YAML says. */
static int anchor_define(ybuild *b, const char *name, const sf_ynode *n, int *over)
{
	yanchor *a;
	sf_ynode *copy;
	if ((b->nanchors + 1) * 2 > b->anchorcap) {
		size_t ncap = b->anchorcap ? b->anchorcap * 2 : 16;
		yanchor *old = b->anchors, *t = calloc(ncap, sizeof(*t));
		size_t oldcap = b->anchorcap;
		if (!t)
			return -1;
		b->anchors = t;
		b->anchorcap = ncap;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].name)
				*anchor_slot(b, old[i].name) = old[i];
		free(old);
	}
	if (!(copy = node_copy(b, n, over)))
		return -1;
	a = anchor_slot(b, name);
	if (a->name) {
		node_free(a->copy);
	} else if (!(a->name = strdup(name))) {
		node_free(copy);
		return -1;
	} else {
		b->nanchors++;
	}
	a->copy = copy;
	a->height = node_height(copy);
	return 0;
}

/* A merge key's value: a mapping, or a list of them (earlier ones win).
 * Their keys the mapping does not hold already are moved into it, after
 * its own (which win wherever they stand); then the "<<" entry goes.
 * The moved nodes came from copies or from the "<<" value itself: nothing
 * else points at them. */
static int merge_resolve(ybuild *b, size_t top)
{
	sf_ynode *map = b->stack[top];
	size_t at = b->merge_at[top] - 1;
	sf_ynode *v = map->items[at];
	sf_ynode *const *src = &v;
	size_t nsrc = 1;

	if (v->type == SF_Y_SEQ) {
		src = v->items;
		nsrc = v->count;
	}
	for (size_t k = 0; k < nsrc; k++)
		if (src[k]->type != SF_Y_MAP) {
			sf_diag_error(b->d, b->path, src[k]->line,
			              "a merge key (<<) takes a mapping or a list of mappings");
			return -1;
		}
	for (size_t k = 0; k < nsrc; k++)
		for (size_t i = 0; i < src[k]->count; i++) {
			if (key_seen(b, top, src[k]->keys[i]))
				continue;
			if (sf_yaml_append(map, src[k]->items[i], src[k]->keys[i], src[k]->key_lines[i]) < 0)
				goto oom;
			src[k]->items[i] = NULL;
			src[k]->keys[i] = NULL;
			if (key_add(b, top) < 0)
				goto oom;
		}
	free(map->keys[at]);
	node_free(v);
	memmove(&map->keys[at], &map->keys[at + 1], (map->count - at - 1) * sizeof(*map->keys));
	memmove(&map->key_lines[at], &map->key_lines[at + 1],
	        (map->count - at - 1) * sizeof(*map->key_lines));
	memmove(&map->items[at], &map->items[at + 1], (map->count - at - 1) * sizeof(*map->items));
	map->count--;
	b->merge_at[top] = 0;
	return 0;
oom:
	sf_diag_error(b->d, b->path, map->line, "out of memory");
	return -1;
}

/* Attach `n` to the open collection. A mapping alternates key and value:
 * a key is held in b->pending until its value arrives. Returns 1 when `n`
 * was taken as a key (and freed), 0 when attached, -1 on error (`n` is
 * still the caller's). */
static int attach(ybuild *b, sf_ynode *n, long line)
{
	size_t top = b->depth - 1;
	sf_ynode *parent = b->stack[top];

	if (parent->type == SF_Y_SEQ)
		return sf_yaml_append(parent, n, NULL, 0);
	if (!b->pending[top]) {
		if (n->type != SF_Y_SCALAR) {
			sf_diag_error(b->d, b->path, line, "mapping keys must be plain strings");
			return -1;
		}
		if (key_seen(b, top, n->value)) {
			sf_diag_error(b->d, b->path, line, "duplicate key '%s'", n->value);
			return -1;
		}
		if (strcmp(n->value, "<<") == 0 && n->plain)
			b->merge_at[top] = parent->count + 1;
		b->pending[top] = n->value;
		b->pending_line[top] = line;
		n->value = NULL;
		node_free(n);
		return 1;
	}
	if (sf_yaml_append(parent, n, b->pending[top], b->pending_line[top]) < 0)
		return -1;
	b->pending[top] = NULL;
	if (key_add(b, top) < 0)
		return -2;      /* attached: the tree owns `n` now */
	return 0;
}

static void copy_failed(sf_diags *d, const char *path, long line, int over)
{
	if (over)
		sf_diag_error(d, path, line, "more than %d YAML nodes (an alias counts what it "
		              "expands to)", SF_YAML_MAX_NODES);
	else
		sf_diag_error(d, path, line, "out of memory");
}

int sf_yaml_parse(const char *path, const char *data, size_t len, sf_ydoc *out, sf_diags *d)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	ybuild b;
	sf_ynode *root = NULL;
	int done = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	b.path = path;
	b.d = d;
	if (!yaml_parser_initialize(&parser)) {
		sf_diag_error(d, path, 0, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done) {
		sf_ynode *n = NULL;
		long line;
		if (!yaml_parser_parse(&parser, &ev)) {
			sf_diag_error(d, path, (long)parser.problem_mark.line + 1, "YAML: %s%s%s",
			              parser.problem ? parser.problem : "syntax error",
			              parser.context ? " " : "", parser.context ? parser.context : "");
			goto cleanup;
		}
		line = (long)ev.start_mark.line + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			root = NULL;
			anchors_free(&b);       /* anchors live within their document */
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (root) {
				if (grow((void **)&out->docs, out->ndocs, sizeof(*out->docs)) < 0) {
					node_free(root);
					yaml_event_delete(&ev);
					goto cleanup;
				}
				out->docs[out->ndocs++] = root;
				root = NULL;
			}
			break;
		case YAML_ALIAS_EVENT: {
			/* the anchor's complete copy, copied again: an alias inside its
			 * own anchor finds nothing yet (no cycles) */
			const char *name = (const char *)ev.data.alias.anchor;
			yanchor *a = name ? anchor_slot(&b, name) : NULL;
			int over = 0;
			if (!a || !a->name) {
				sf_diag_error(d, path, line, "YAML alias *%s names no anchor defined before it",
				              name ? name : "");
				yaml_event_delete(&ev);
				goto cleanup;
			}
			if (b.depth + a->height > SF_YAML_MAX_DEPTH) {
				sf_diag_error(d, path, line, "YAML nested deeper than %d levels (through *%s)",
				              SF_YAML_MAX_DEPTH, name);
				yaml_event_delete(&ev);
				goto cleanup;
			}
			if (!(n = node_copy(&b, a->copy, &over))) {
				copy_failed(d, path, line, over);
				yaml_event_delete(&ev);
				goto cleanup;
			}
			if (!b.depth) {
				if (!root)
					root = n;
				else
					node_free(n);
			} else {
				int r = attach(&b, n, line);
				if (r < 0) {
					if (r == -2)
						sf_diag_error(d, path, line, "out of memory");
					else
						node_free(n);
					yaml_event_delete(&ev);
					goto cleanup;
				}
			}
			break;
		}
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++b.nodes > SF_YAML_MAX_NODES) {
				sf_diag_error(d, path, line, "more than %d YAML nodes", SF_YAML_MAX_NODES);
				yaml_event_delete(&ev);
				goto cleanup;
			}
			n = calloc(1, sizeof(*n));
			if (!n) {
				yaml_event_delete(&ev);
				goto cleanup;
			}
			n->line = line;
			if (ev.type == YAML_SCALAR_EVENT) {
				n->type = SF_Y_SCALAR;
				n->value = malloc(ev.data.scalar.length + 1);
				if (!n->value) {
					free(n);
					yaml_event_delete(&ev);
					goto cleanup;
				}
				memcpy(n->value, ev.data.scalar.value, ev.data.scalar.length);
				n->value[ev.data.scalar.length] = '\0';
				if (strlen(n->value) != ev.data.scalar.length) {
					sf_diag_error(d, path, line, "NUL byte in a YAML scalar");
					node_free(n);
					yaml_event_delete(&ev);
					goto cleanup;
				}
				n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev.data.scalar.tag;
			} else {
				n->type = ev.type == YAML_MAPPING_START_EVENT ? SF_Y_MAP : SF_Y_SEQ;
				if (b.depth >= SF_YAML_MAX_DEPTH) {
					sf_diag_error(d, path, line, "YAML nested deeper than %d levels",
					              SF_YAML_MAX_DEPTH);
					free(n);
					yaml_event_delete(&ev);
					goto cleanup;
				}
			}
			if (!b.depth) {
				if (n->type == SF_Y_SCALAR || !root)
					root = n;
			} else {
				int a = attach(&b, n, line);
				if (a == -2) {
					sf_diag_error(d, path, line, "out of memory");
					yaml_event_delete(&ev);
					goto cleanup;
				}
				if (a < 0) {
					node_free(n);
					yaml_event_delete(&ev);
					goto cleanup;
				}
				if (a == 1)
					n = NULL;       /* taken as a key */
			}
			{
				const yaml_char_t *anchor = ev.type == YAML_SCALAR_EVENT
				                                ? ev.data.scalar.anchor
				                            : ev.type == YAML_MAPPING_START_EVENT
				                                ? ev.data.mapping_start.anchor
				                                : ev.data.sequence_start.anchor;
				if (anchor && ev.type == YAML_SCALAR_EVENT) {
					/* a key scalar was freed by attach: copy the event's text */
					sf_ynode k = { SF_Y_SCALAR, line, (char *)ev.data.scalar.value,
					               ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
					                   !ev.data.scalar.tag,
					               NULL, NULL, NULL, 0 };
					int over = 0;
					if (anchor_define(&b, (const char *)anchor, &k, &over) < 0) {
						copy_failed(d, path, line, over);
						yaml_event_delete(&ev);
						goto cleanup;
					}
				}
				if (n && n->type != SF_Y_SCALAR) {
					b.pending[b.depth] = NULL;
					key_forget(&b, b.depth);
					b.merge_at[b.depth] = 0;
					b.anchor_at[b.depth] =
						anchor ? strdup((const char *)anchor) : NULL;
					if (anchor && !b.anchor_at[b.depth]) {
						sf_diag_error(d, path, line, "out of memory");
						yaml_event_delete(&ev);
						goto cleanup;
					}
					b.stack[b.depth++] = n;
				}
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (b.depth) {
				size_t top = b.depth - 1;
				int over = 0;
				if (b.merge_at[top] && merge_resolve(&b, top) < 0) {
					yaml_event_delete(&ev);
					goto cleanup;
				}
				if (b.anchor_at[top] &&
				    anchor_define(&b, b.anchor_at[top], b.stack[top], &over) < 0) {
					copy_failed(d, path, line, over);
					yaml_event_delete(&ev);
					goto cleanup;
				}
				free(b.anchor_at[top]);
				b.anchor_at[top] = NULL;
				b.depth--;
				free(b.pending[b.depth]);
				b.pending[b.depth] = NULL;
				key_forget(&b, b.depth);
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	rc = 0;
cleanup:
	for (size_t i = 0; i < b.depth; i++) {
		free(b.pending[i]);
		free(b.anchor_at[i]);
		key_forget(&b, i);
	}
	anchors_free(&b);
	if (rc < 0) {
		/* Free the partial document: the root owns every attached node. */
		if (root)
			node_free(root);
		sf_yaml_free(out);
	}
	yaml_parser_delete(&parser);
	return rc;
}

const sf_ynode *sf_yaml_get(const sf_ynode *map, const char *key)
{
	if (!map || map->type != SF_Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->count; i++)
		if (strcmp(map->keys[i], key) == 0)
			return map->items[i];
	return NULL;
}

const char *sf_yaml_str(const sf_ynode *n)
{
	return n && n->type == SF_Y_SCALAR ? n->value : NULL;
}

int sf_yaml_bool(const sf_ynode *n)
{
	if (!n || n->type != SF_Y_SCALAR || !n->plain)
		return -1;
	if (strcmp(n->value, "true") == 0 || strcmp(n->value, "True") == 0 ||
	    strcmp(n->value, "TRUE") == 0)
		return 1;
	if (strcmp(n->value, "false") == 0 || strcmp(n->value, "False") == 0 ||
	    strcmp(n->value, "FALSE") == 0)
		return 0;
	return -1;
}

int sf_yaml_long(const sf_ynode *n, long *out)
{
	char *end;
	long v;
	if (!n || n->type != SF_Y_SCALAR || !n->plain || !n->value[0])
		return -1;
	errno = 0;
	v = strtol(n->value, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int sf_yaml_is_null(const sf_ynode *n)
{
	if (!n)
		return 1;
	if (n->type != SF_Y_SCALAR || !n->plain)
		return 0;
	return !n->value[0] || strcmp(n->value, "null") == 0 || strcmp(n->value, "~") == 0 ||
	       strcmp(n->value, "Null") == 0 || strcmp(n->value, "NULL") == 0;
}
