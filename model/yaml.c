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
} ybuild;

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

static int append(sf_ynode *parent, sf_ynode *child, char *key, long key_line)
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

/* Attach `n` to the open collection. A mapping alternates key and value:
 * a key is held in b->pending until its value arrives. Returns 1 when `n`
 * was taken as a key (and freed), 0 when attached, -1 on error (`n` is
 * still the caller's). */
static int attach(ybuild *b, sf_ynode *n, long line)
{
	size_t top = b->depth - 1;
	sf_ynode *parent = b->stack[top];

	if (parent->type == SF_Y_SEQ)
		return append(parent, n, NULL, 0);
	if (!b->pending[top]) {
		if (n->type != SF_Y_SCALAR) {
			sf_diag_error(b->d, b->path, line, "mapping keys must be plain strings");
			return -1;
		}
		if (strcmp(n->value, "<<") == 0 && n->plain) {
			sf_diag_error(b->d, b->path, line, "YAML merge keys (<<) are not supported");
			return -1;
		}
		if (key_seen(b, top, n->value)) {
			sf_diag_error(b->d, b->path, line, "duplicate key '%s'", n->value);
			return -1;
		}
		b->pending[top] = n->value;
		b->pending_line[top] = line;
		n->value = NULL;
		node_free(n);
		return 1;
	}
	if (append(parent, n, b->pending[top], b->pending_line[top]) < 0)
		return -1;
	b->pending[top] = NULL;
	if (key_add(b, top) < 0)
		return -2;      /* attached: the tree owns `n` now */
	return 0;
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
		case YAML_ALIAS_EVENT:
			sf_diag_error(d, path, line, "YAML aliases (*%s) are not supported",
			              ev.data.alias.anchor ? (const char *)ev.data.alias.anchor : "");
			yaml_event_delete(&ev);
			goto cleanup;
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
			if (n && n->type != SF_Y_SCALAR) {
				b.pending[b.depth] = NULL;
				key_forget(&b, b.depth);
				b.stack[b.depth++] = n;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (b.depth) {
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
		key_forget(&b, i);
	}
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
