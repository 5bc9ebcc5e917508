/* Finding the inputs under the paths the user named, and reading them
 * without ever leaving the scanned tree. */
#ifndef SF_DISCOVER_H
#define SF_DISCOVER_H

#include <stddef.h>

#include "diag.h"

struct sf_importer;

typedef struct sf_input {
	char *path;             /* as shown to users */
	char *realpath;         /* resolved, inside root */
	char *root;             /* real path of the tree it was found in */
	const struct sf_importer *importer;
	size_t nodes;           /* filled by the scan */
	int explicit_file;      /* named on the command line */
	int via_link;           /* reached through a symbolic link */
} sf_input;

typedef struct sf_inputs {
	sf_input *items;
	size_t count, cap;
} sf_inputs;

#define SF_DISCOVER_MAX_FILES 100000
#define SF_DISCOVER_MAX_DEPTH 64

void sf_inputs_free(sf_inputs *in);

/* Walk `paths` (files or directories), sniff every regular file, and list
 * those an importer claims, sorted by path. Skips .git, .terraform and
 * node_modules; never follows a symbolic link out of the tree, nor a link
 * to a directory. Problems are diagnostics; returns -1 only out of memory. */
int sf_discover(const char *const *paths, size_t npaths, sf_inputs *out, sf_diags *d);

/* Read a whole file of at most `max` bytes into a NUL-terminated buffer
 * (free() it). On failure returns -1 and writes a reason into `err`. */
int sf_read_file(const char *path, size_t max, char **out, size_t *len,
                 char *err, size_t errsz);

/* 1 when real path `p` is `root` or below it. */
int sf_path_within(const char *root, const char *p);

/* Resolve `name` relative to the directory of `from` (a real path), and
 * check that the result exists and lies inside `root`. On success returns 0
 * and a malloc'd real path in *out. Returns -1 with a reason in `err`. */
int sf_resolve_confined(const char *root, const char *from, const char *name,
                        char **out, char *err, size_t errsz);

#endif
