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
}

void *sf_arena_alloc(sf_arena *a, size_t size)
{
	size_t need = (size + SF_ALIGN - 1) / SF_ALIGN * SF_ALIGN;
	sf_arena_block *b = a->head;
	unsigned char *p;

	if (size > SIZE_MAX / 2)
		return NULL;
	if (need == 0)
		need = SF_ALIGN;
#ifdef SF_DEBUG_POOL
	b = NULL;
#endif
	if (!b || b->size - b->off < need) {
		size_t cap = need > SF_ARENA_BLOCK ? need : SF_ARENA_BLOCK;
#ifdef SF_DEBUG_POOL
		cap = need;
#endif
		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->size = cap;
		b->off = 0;
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
	p = (unsigned char *)b->data + b->off;
	b->off += need;
	a->used += need;
	memset(p, 0, need);
	return p;
}

char *sf_arena_strndup(sf_arena *a, const char *s, size_t len)
{
	char *p = sf_arena_alloc(a, len + 1);
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
