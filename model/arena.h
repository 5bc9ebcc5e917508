/* Arena allocator: one per run, owns the graph and its strings.
 *
 * Built with SF_DEBUG_POOL every allocation is a separate malloc kept on a
 * list, so AddressSanitizer sees each object's bounds. */
#ifndef SF_ARENA_H
#define SF_ARENA_H

#include <stddef.h>

typedef struct sf_arena_block sf_arena_block;

typedef struct sf_arena {
	sf_arena_block *head;
	size_t used;        /* bytes handed out, for limits and statistics */
	size_t held;        /* bytes of the blocks themselves, for statistics */
} sf_arena;

void sf_arena_init(sf_arena *a);
void sf_arena_free(sf_arena *a);

/* Zeroed memory aligned for any type, or NULL when out of memory. */
void *sf_arena_alloc(sf_arena *a, size_t size);

/* A NUL-terminated copy of the first `len` bytes of `s`. */
char *sf_arena_strndup(sf_arena *a, const char *s, size_t len);
char *sf_arena_strdup(sf_arena *a, const char *s);

#endif
