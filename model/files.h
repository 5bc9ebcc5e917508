/* Reading input files, and resolving names inside the scanned tree only. */
#ifndef SF_FILES_H
#define SF_FILES_H

#include <stddef.h>

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
