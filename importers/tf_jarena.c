/* A bump arena for jansson (tf_jarena.h). */
#include "tf_jarena.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define TF_JARENA_PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TF_JARENA_PLAIN 1
#endif
#endif
#if defined(SF_DEBUG_POOL)
#define TF_JARENA_PLAIN 1
#endif

#ifdef TF_JARENA_PLAIN

void tf_jarena_begin(void)
{
}

int tf_jarena_use(int which)
{
	(void)which;
	return TF_JARENA_OFF;
}

void tf_jarena_release(json_t *root)
{
	json_decref(root);
}

void tf_jarena_drop(json_t *v)
{
	json_decref(v);
}

void tf_jarena_end(void)
{
}

#else

#define FIRST_CHUNK ((size_t)1 << 20)
#define LARGEST_STEP ((size_t)64 << 20)

typedef struct chunk {
	struct chunk *next;
	size_t size, used;
	max_align_t data[];
} chunk;

/* Chunks, newest (largest) first; index TF_JARENA_SPAN and _FILE. */
static chunk *arenas[3];
static int current;
static json_malloc_t saved_malloc;
static json_free_t saved_free;

static int in_arena(const void *p)
{
	for (int a = TF_JARENA_SPAN; a <= TF_JARENA_FILE; a++)
		for (const chunk *c = arenas[a]; c; c = c->next)
			if ((uintptr_t)p >= (uintptr_t)c->data &&
			    (uintptr_t)p < (uintptr_t)c->data + c->size)
				return 1;
	return 0;
}

static void *arena_malloc(size_t n)
{
	chunk **head = &arenas[current];
	void *p;
	if (current == TF_JARENA_OFF)
		return saved_malloc(n);
	if (n > SIZE_MAX / 4)
		return NULL;
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!*head || (*head)->size - (*head)->used < n) {
		/* grow by doubling (to a point): few chunks, few address checks */
		size_t size = *head ? (*head)->size * 2 : FIRST_CHUNK;
		chunk *c;
		if (size > LARGEST_STEP)
			size = LARGEST_STEP;
		while (size < n)
			size *= 2;
		if (!(c = malloc(sizeof(*c) + size)))
			return NULL;
		c->next = *head;
		c->size = size;
		c->used = 0;
		*head = c;
	}
	p = (char *)(*head)->data + (*head)->used;
	(*head)->used += n;
	return p;
}

static void arena_free(void *p)
{
	if (p && !in_arena(p))
		saved_free(p);
}

static void free_chunks(chunk *c)
{
	while (c) {
		chunk *next = c->next;
		free(c);
		c = next;
	}
}

void tf_jarena_begin(void)
{
	json_get_alloc_funcs(&saved_malloc, &saved_free);
	json_set_alloc_funcs(arena_malloc, arena_free);
	current = TF_JARENA_OFF;
}

int tf_jarena_use(int which)
{
	int was = current;
	current = which;
	return was;
}

/* The largest chunk stays for the next resource. */
void tf_jarena_release(json_t *root)
{
	chunk *s = arenas[TF_JARENA_SPAN];
	(void)root;
	if (s) {
		free_chunks(s->next);
		s->next = NULL;
		s->used = 0;
	}
}

void tf_jarena_drop(json_t *v)
{
	(void)v;
}

void tf_jarena_end(void)
{
	current = TF_JARENA_OFF;
	for (int a = TF_JARENA_SPAN; a <= TF_JARENA_FILE; a++) {
		free_chunks(arenas[a]);
		arenas[a] = NULL;
	}
	json_set_alloc_funcs(saved_malloc, saved_free);
}

#endif
