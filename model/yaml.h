/* A bounded YAML reader on libyaml's event API, for every YAML input.
 *
 * It builds a small tree of mappings, sequences and scalars with line
 * numbers, and refuses what a hostile file could use against us: nesting
 * deeper than SF_YAML_MAX_DEPTH (libyaml 0.2.5 is quadratic in depth),
 * duplicate mapping keys, and more than SF_YAML_MAX_NODES nodes.
 * Anchors, aliases and merge keys (<<), which Kubernetes manifests and CI
 * files use, are expanded into copies: an alias counts against the node
 * budget for every node it expands to (so nested aliases cannot blow up),
 * may only name an anchor already complete (so no cycles), and keeps the
 * anchor's line numbers. Scalars stay strings; the helpers below resolve
 * the YAML 1.2 core schema only for plain scalars. */
#ifndef SF_YAML_H
#define SF_YAML_H

#include <stddef.h>

#include "diag.h"

#define SF_YAML_MAX_DEPTH 64
#define SF_YAML_MAX_NODES 200000

typedef enum { SF_Y_SCALAR, SF_Y_MAP, SF_Y_SEQ } sf_ytype;

typedef struct sf_ynode sf_ynode;
struct sf_ynode {
	sf_ytype type;
	long line;                  /* 1-based */
	char *value;                /* scalar text */
	int plain;                  /* scalar was unquoted */
	/* map: keys[i] -> items[i]; seq: items[i] */
	char **keys;
	long *key_lines;
	sf_ynode **items;
	size_t count;
};

/* A stream: one tree per document ("---"). */
typedef struct sf_ydoc {
	sf_ynode **docs;
	size_t ndocs;
} sf_ydoc;

/* Parse `len` bytes. On error returns -1 after one `path:line:` diagnostic. */
int sf_yaml_parse(const char *path, const char *data, size_t len, sf_ydoc *out, sf_diags *d);
void sf_yaml_free(sf_ydoc *doc);

/* Building a tree by hand (a format that flattens YAML's, as SOPS's
 * dotenv store): a new empty node, and `child` appended to `parent` (under
 * `key` in a mapping). Both take ownership on success: the tree frees
 * them with sf_yaml_free. NULL / -1 out of memory. */
sf_ynode *sf_yaml_new(sf_ytype type, long line);
int sf_yaml_append(sf_ynode *parent, sf_ynode *child, char *key, long key_line);

/* Mapping lookup; NULL when absent or `map` is not a mapping. Borrowed. */
const sf_ynode *sf_yaml_get(const sf_ynode *map, const char *key);
/* The scalar's text, or NULL when `n` is absent or not a scalar. */
const char *sf_yaml_str(const sf_ynode *n);
/* 1/0 for plain true/false, -1 otherwise. */
int sf_yaml_bool(const sf_ynode *n);
/* A plain decimal integer into *out; -1 when not one. */
int sf_yaml_long(const sf_ynode *n, long *out);
/* 1 when the scalar is plain null, ~ or empty. */
int sf_yaml_is_null(const sf_ynode *n);

#endif
