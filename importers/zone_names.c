#include "zone_names.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define ZN_MAX_ITEMS (UINT32_MAX / 2)

static uint64_t mum(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* A keyed multiply-and-fold hash over 8 bytes at a time: names are short,
 * and a table of a million of them is hashed once per record. The last
 * word ends at the last byte, overlapping the one before: a tail copied
 * byte by byte into a word stalls the load that reads it back. The words
 * are those sf_znames_lower() reads, so that sf_znames_lower_hash() can
 * hash them as it writes them. */
#define ZN_P0 0xa0761d6478bd642full
#define ZN_P1 0xe7037ed1a0b428dbull

static uint64_t zn_begin(const sf_znames *t, unsigned kind, size_t len)
{
	return t->key[0] ^ ((uint64_t)len << 8 | kind) * ZN_P0;
}

static uint64_t zn_word(const sf_znames *t, uint64_t h, uint64_t w)
{
	return mum(h ^ w ^ ZN_P1, t->key[1] ^ ZN_P0);
}

static uint32_t zn_end(const sf_znames *t, uint64_t h)
{
	h = mum(h ^ ZN_P0, t->key[1] ^ ZN_P1);
	return (uint32_t)(h ^ h >> 32);
}

static uint32_t zn_hash(const sf_znames *t, unsigned kind, const uint8_t *s, size_t len)
{
	uint64_t h = zn_begin(t, kind, len), w;
	size_t i = 0;

	for (; i + 8 < len; i += 8) {
		memcpy(&w, s + i, 8);
		h = zn_word(t, h, w);
	}
	if (len > 8)
		memcpy(&w, s + len - 8, 8);
	else
		w = sf_znames_word(s, len);
	return zn_end(t, zn_word(t, h, w));
}

static void zn_seed(sf_znames *t)
{
	if (getrandom(t->key, sizeof(t->key), GRND_NONBLOCK) != (ssize_t)sizeof(t->key)) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		t->key[0] = mum((uint64_t)ts.tv_nsec ^ 0x9e3779b97f4a7c15ull, (uint64_t)ts.tv_sec | 1);
		t->key[1] = mum((uint64_t)getpid() ^ (uint64_t)(uintptr_t)t, 0xbf58476d1ce4e5b9ull);
	}
	t->key[1] |= 1;
}

/* The slots are read at random, one cache miss per look-up: on 2 MB
 * pages a miss is not also a TLB miss. Zeroed. */
static uint64_t *zn_slots_alloc(size_t n)
{
	uint64_t *s = calloc(n, sizeof(uint64_t));
	sf_znames_huge(s, 0, n * sizeof(uint64_t));
	return s;
}

/* 2 MB pages for the untouched part of a large buffer: advice only.
 * Measured in the bench, where other programs run between two scans:
 * for these arrays they are a gain (a first touch of a 4 KB page costs
 * about 0.45 ms per MB here); advising every array, the small per-owner
 * ones too, was a loss, as the 2 MB pages past what the kernel had freed
 * a moment before cost up to 2.5 ms per MB to touch. */
void sf_znames_huge(void *p, size_t from, size_t bytes)
{
	uintptr_t a = ((uintptr_t)p + from + 4095) & ~(uintptr_t)4095, e = (uintptr_t)p + bytes;
	if (p && bytes - from >= ((size_t)4 << 20) && e > a)
		madvise((void *)a, (size_t)(e - a) & ~(size_t)4095, MADV_HUGEPAGE);
}

/* An entry's header, before its bytes. */
typedef struct zn_head {
	uint32_t id;
	uint16_t len;
	uint16_t kind;
} zn_head;

int sf_znames_init(sf_znames *t, size_t text_bytes)
{
	/* a name or an address per 40 bytes of text is about what real zones
	 * hold; the table grows past the guess */
	size_t guess = text_bytes / 40 + 64, slots = 128;

	memset(t, 0, sizeof(*t));
	while (3 * slots < 4 * guess && slots < ((size_t)1 << 31))
		slots *= 2;
	t->offs = malloc(guess * sizeof(*t->offs));
	t->bytes = malloc(guess * 32);
	t->slots = zn_slots_alloc(slots);
	t->mask = slots - 1;
	if (!t->offs || !t->bytes || !t->slots) {
		sf_znames_free(t);
		return -1;
	}
	sf_znames_huge(t->bytes, 0, guess * 32);
	t->cap = guess;
	t->bytescap = guess * 32;
	zn_seed(t);
	return 0;
}

void sf_znames_free(sf_znames *t)
{
	free(t->offs);
	free(t->bytes);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* The slot of the entry, or the empty slot where it would go. */
static size_t zn_probe(const sf_znames *t, unsigned kind, const uint8_t *s, size_t len,
                       uint32_t h)
{
	size_t i = h & t->mask;
	for (;;) {
		uint64_t v = t->slots[i];
		if (!v)
			return i;
		if ((uint32_t)(v >> 32) == h) {
			zn_head e;
			size_t off = (uint32_t)v - 1;
			memcpy(&e, t->bytes + off, sizeof(e));
			if (e.len == len && e.kind == kind && memcmp(t->bytes + off + sizeof(e), s, len) == 0)
				return i;
		}
		i = (i + 1) & t->mask;
	}
}

static int zn_grow_slots(sf_znames *t)
{
	size_t n = (t->mask + 1) * 2;
	uint64_t *s = zn_slots_alloc(n);
	if (!s)
		return -1;
	for (size_t k = 0; k < t->count; k++) {
		zn_head e;
		uint32_t h;
		size_t i;
		/* hashed again: a table sized from the file rarely grows, and
		 * four bytes more per entry are a cost to every one */
		memcpy(&e, t->bytes + t->offs[k], sizeof(e));
		h = zn_hash(t, e.kind, t->bytes + t->offs[k] + sizeof(e), e.len);
		for (i = h & (n - 1); s[i]; i = (i + 1) & (n - 1))
			;
		s[i] = (uint64_t)h << 32 | (t->offs[k] + 1);
	}
	free(t->slots);
	t->slots = s;
	t->mask = n - 1;
	return 0;
}

uint32_t sf_znames_hash(const sf_znames *t, unsigned kind, const uint8_t *s, size_t len)
{
	return zn_hash(t, kind, s, len);
}

sf_zname_id sf_znames_find(const sf_znames *t, unsigned kind, const uint8_t *s, size_t len)
{
	return sf_znames_find_hashed(t, kind, s, len, zn_hash(t, kind, s, len));
}

sf_zname_id sf_znames_find_hashed(const sf_znames *t, unsigned kind, const uint8_t *s, size_t len,
                                  uint32_t hash)
{
	uint64_t v;
	zn_head e;
	if (!t->slots || len > UINT16_MAX)
		return SF_ZNAME_NONE;
	if (!(v = t->slots[zn_probe(t, kind, s, len, hash)]))
		return SF_ZNAME_NONE;
	memcpy(&e, t->bytes + (uint32_t)v - 1, sizeof(e));
	return e.id;
}

void sf_znames_prefetch(const sf_znames *t, uint32_t hash, int deep)
{
	const uint64_t *slot;
	if (!t->slots)
		return;
	slot = &t->slots[hash & t->mask];
	if (!deep)
		__builtin_prefetch(slot);
	else if (*slot && (uint32_t)(*slot >> 32) == hash)
		__builtin_prefetch(t->bytes + (uint32_t)*slot - 1);
}

sf_zname_id sf_znames_intern(sf_znames *t, unsigned kind, const uint8_t *s, size_t len)
{
	return sf_znames_intern_hashed(t, kind, s, len, zn_hash(t, kind, s, len));
}

sf_zname_id sf_znames_intern_hashed(sf_znames *t, unsigned kind, const uint8_t *s, size_t len,
                                    uint32_t h)
{
	size_t at, need = sizeof(zn_head) + len;
	zn_head e;

	if (!t->slots || len > UINT16_MAX)
		return SF_ZNAME_NONE;
	at = zn_probe(t, kind, s, len, h);
	if (t->slots[at]) {
		memcpy(&e, t->bytes + (uint32_t)t->slots[at] - 1, sizeof(e));
		return e.id;
	}
	/* entries are found by 32-bit offsets (a slot holds used + 1), however
	 * large the table was made from the file's size */
	if (t->count >= ZN_MAX_ITEMS || t->used + need >= UINT32_MAX)
		return SF_ZNAME_NONE;
	if (t->count == t->cap) {
		size_t cap = t->cap * 2;
		uint32_t *p = realloc(t->offs, cap * sizeof(*p));
		if (!p)
			return SF_ZNAME_NONE;
		t->offs = p;
		t->cap = cap;
	}
	if (t->used + need > t->bytescap) {
		size_t cap = t->bytescap * 2 + need;
		uint8_t *p;
		if (cap >= UINT32_MAX || !(p = realloc(t->bytes, cap)))
			return SF_ZNAME_NONE;
		sf_znames_huge(p, t->bytescap, cap);
		t->bytes = p;
		t->bytescap = cap;
	}
	e.id = (uint32_t)t->count;
	e.len = (uint16_t)len;
	e.kind = (uint16_t)kind;
	memcpy(t->bytes + t->used, &e, sizeof(e));
	memcpy(t->bytes + t->used + sizeof(e), s, len);
	t->offs[t->count++] = (uint32_t)t->used;
	t->slots[at] = (uint64_t)h << 32 | (t->used + 1);
	t->used += need;
	/* at most three quarters full: probes stay short (a run of linear
	 * probes mostly shares a cache line), and the slots stay small
	 * enough to keep in cache */
	if (4 * t->count > 3 * (t->mask + 1) && zn_grow_slots(t) < 0) {
		t->slots[at] = 0;
		t->count--;
		t->used -= need;
		return SF_ZNAME_NONE;
	}
	return e.id;
}

const uint8_t *sf_znames_bytes(const sf_znames *t, sf_zname_id id, size_t *len)
{
	zn_head e;
	memcpy(&e, t->bytes + t->offs[id], sizeof(e));
	*len = e.len;
	return t->bytes + t->offs[id] + sizeof(e);
}

/* Eight bytes lower-cased at once: a byte gains 0x20 when its low seven
 * bits are 'A'..'Z' and its top bit is clear. No sum carries into the
 * next byte. */
static uint64_t zn_lower8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t low7 = x & ~high;
	uint64_t ge_a = low7 + ones * (0x80 - 'A'), gt_z = low7 + ones * (0x80 - 'Z' - 1);
	return x | ((ge_a & ~gt_z & ~x & high) >> 2);
}

int sf_znames_length(const uint8_t *wire, size_t len)
{
	size_t i = 0;

	if (len > 255)
		len = 255;
	/* reading only the label lengths */
	for (;;) {
		size_t lab;
		if (i >= len)
			return -1;
		lab = wire[i++];
		if (lab == 0)
			break;
		if (lab > 63 || lab > len - i)
			return -1;
		i += lab;
	}
	return (int)i;
}

/* A label length (63 at most) is below 'A', so a length byte is never
 * changed. With `t`, also the table's hash of what is written (*hash). */
static int zn_lower(const sf_znames *t, unsigned kind, const uint8_t *wire, size_t n, uint8_t *out,
                    uint32_t *hash)
{
	uint64_t changed = 0, h = t ? zn_begin(t, kind, n) : 0;
	size_t k;
	if (n >= 8) {
		/* the last word ends at the last byte, overlapping the one
		 * before: the bytes they share are lowered twice, to the same */
		for (k = 0;; k += 8) {
			uint64_t x, y;
			if (k + 8 > n)
				k = n - 8;
			memcpy(&x, wire + k, 8);
			y = zn_lower8(x);
			changed |= x ^ y;
			memcpy(out + k, &y, 8);
			if (t)
				h = zn_word(t, h, y);
			if (k + 8 == n)
				break;
		}
	} else {
		for (k = 0; k < n; k++) {
			out[k] = wire[k] >= 'A' && wire[k] <= 'Z' ? (uint8_t)(wire[k] - 'A' + 'a') : wire[k];
			changed |= out[k] ^ wire[k];
		}
		if (t)
			h = zn_word(t, h, sf_znames_word(out, n));
	}
	if (t)
		*hash = zn_end(t, h);
	return changed != 0;
}

int sf_znames_lower(const uint8_t *wire, size_t n, uint8_t *out)
{
	return zn_lower(NULL, 0, wire, n, out, NULL);
}

int sf_znames_lower_hash(const sf_znames *t, unsigned kind, const uint8_t *wire, size_t n,
                         uint8_t *out, uint32_t *hash)
{
	return zn_lower(t, kind, wire, n, out, hash);
}

int sf_znames_fold(const uint8_t *wire, size_t len, uint8_t *out)
{
	int n = sf_znames_length(wire, len);
	if (n >= 0)
		sf_znames_lower(wire, (size_t)n, out);
	return n;
}
