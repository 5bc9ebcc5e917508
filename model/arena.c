#include "arena.h"

#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define SF_ARENA_BLOCK (64 * 1024)
#define SF_ALIGN (sizeof(max_align_t))

struct sf_arena_block {
	sf_arena_block *next;
	size_t size;
	size_t off;
	max_align_t data[];
};

void sf_arena_init(sf_arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->held = 0;
}

void sf_arena_free(sf_arena *a)
{
	sf_arena_block *b = a->head;
	while (b) {
		sf_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
	a->held = 0;
}

/* `size` bytes at a multiple of `align` (a power of two, at most SF_ALIGN)
 * within the current block, or a new one. Not zeroed. */
static void *arena_take(sf_arena *a, size_t size, size_t align)
{
	sf_arena_block *b = a->head;
	size_t off;
	unsigned char *p;

	if (size > SIZE_MAX / 2)
		return NULL;
	if (size == 0)
		size = 1;
#ifdef SF_DEBUG_POOL
	b = NULL;
#endif
	off = b ? (b->off + align - 1) & ~(align - 1) : 0;
	if (!b || off > b->size || b->size - off < size) {
		size_t cap = size > SF_ARENA_BLOCK ? size : SF_ARENA_BLOCK;
#ifdef SF_DEBUG_POOL
		cap = size;
#endif
		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->size = cap;
		b->off = 0;
		a->held += cap;
		off = 0;
		/* A big block goes behind the current one, so the current
		 * block's free tail stays usable. */
		if (a->head && cap > SF_ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = (unsigned char *)b->data + off;
	a->used += off + size - b->off;
	b->off = off + size;
	return p;
}

void *sf_arena_alloc(sf_arena *a, size_t size)
{
	void *p = arena_take(a, size, SF_ALIGN);
	if (p)
		memset(p, 0, size);
	return p;
}

/* Strings need no alignment: packed end to end they cost their length,
 * not a multiple of 16 bytes. */
char *sf_arena_strndup(sf_arena *a, const char *s, size_t len)
{
	char *p = len < SIZE_MAX / 2 ? arena_take(a, len + 1, 1) : NULL;
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *sf_arena_strdup(sf_arena *a, const char *s)
{
	return sf_arena_strndup(a, s, strlen(s));
}
