/* Writing a JSON document the way every sharedfate output does: indented
 * by two, ASCII only (escapes for the rest, so no terminal or encoding
 * trouble downstream), one newline at the end. */
#ifndef SF_JSONW_H
#define SF_JSONW_H

#include <stdio.h>

#include <jansson.h>

/* Write `root` to `out` and release it (json_decref), whatever happens.
 * Returns -1 on a write error (or a NULL root: out of memory building it). */
int sf_json_write(FILE *out, json_t *root);

#endif
