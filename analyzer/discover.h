/* Finding the inputs under the paths the user named, and reading them
 * without ever leaving the scanned tree. */
#ifndef SF_DISCOVER_H
#define SF_DISCOVER_H

#include <stddef.h>

#include "model/diag.h"
#include "model/files.h"

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

#endif
