/* The zone importer's own table of names and addresses, in wire form.
 *
 * A zone of millions of records names hundreds of thousands of owners and
 * targets, of which the analysis usually reaches a handful. Interning each
 * into the graph's string table would turn every name into text and hash
 * it there; this table keeps the bytes libzscanner hands out (folded to
 * lower case, so that equal names are equal bytes), each with its number
 * and length beside it, in one growing buffer sized from the file. Text is
 * made only for a name that becomes a node or a diagnostic.
 *
 * The hash is keyed at random per table, so that crafted names cannot all
 * fall into one chain; nothing iterates the table, so output never
 * depends on the key. */
#ifndef SF_ZONE_NAMES_H
#define SF_ZONE_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint32_t sf_zname_id;
#define SF_ZNAME_NONE UINT32_MAX

/* What the bytes are: entries of different kinds never match. */
enum { SF_ZNAME_NAME };

/* Each entry is a header (its id, length and kind) and its bytes in one
 * buffer; a slot holds an entry's hash and where it starts, so that a
 * look-up reads the slot and, on a match, one place in the buffer. */
typedef struct sf_znames {
	uint32_t *offs;             /* id -> entry offset */
	size_t count, cap;
	uint8_t *bytes;
	size_t used, bytescap;
	uint64_t *slots;            /* hash << 32 | offset + 1; 0 empty; a power of two */
	size_t mask;
	uint64_t key[2];
} sf_znames;

/* An empty table with room for what `text_bytes` of master-file text
 * usually names. -1 out of memory. */
int sf_znames_init(sf_znames *t, size_t text_bytes);
void sf_znames_free(sf_znames *t);

/* The id of the `len` bytes at `s` (at most 65535) of kind `kind`, added
 * when new; SF_ZNAME_NONE out of memory. Ids are dense, from 0. */
sf_zname_id sf_znames_intern(sf_znames *t, unsigned kind, const uint8_t *s, size_t len);
/* The id, or SF_ZNAME_NONE when the table does not hold them. */
sf_zname_id sf_znames_find(const sf_znames *t, unsigned kind, const uint8_t *s, size_t len);
/* The table's hash of the bytes, for a caller that filters look-ups by it
 * first, and the look-up with it. */
uint32_t sf_znames_hash(const sf_znames *t, unsigned kind, const uint8_t *s, size_t len);
sf_zname_id sf_znames_find_hashed(const sf_znames *t, unsigned kind, const uint8_t *s, size_t len,
                                  uint32_t hash);
sf_zname_id sf_znames_intern_hashed(sf_znames *t, unsigned kind, const uint8_t *s, size_t len,
                                    uint32_t hash);

/* Start loading what a look-up of `hash` reads: its slot, or (`deep`,
 * once the slot is in cache) the entry it holds. A caller with many
 * look-ups to make asks for all of them first, and their cache misses
 * overlap instead of coming one after another. */
void sf_znames_prefetch(const sf_znames *t, uint32_t hash, int deep);

/* Advise bytes [from, bytes) of the array at `p` onto huge pages when
 * they are large enough to gain: for the large arrays a zone fills densely
 * from their start (records, addresses, the grouping, these names). */
void sf_znames_huge(void *p, size_t from, size_t bytes);

/* The `n` bytes at `s` as one number that, with `n`, tells them apart:
 * the first eight when there are as many, else their bytes read in one or
 * two loads (for a filter or a hash; never a byte loop). Inline: it is
 * called per record and per owner. */
static inline uint64_t sf_znames_word(const uint8_t *s, size_t n)
{
	uint32_t a, b;
	if (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		return w;
	}
	if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		return (uint64_t)b << 32 | a;
	}
	return n ? (uint64_t)s[0] << 16 | (uint64_t)s[n / 2] << 8 | s[n - 1] : 0;
}

/* Borrowed: valid until the next intern. */
const uint8_t *sf_znames_bytes(const sf_znames *t, sf_zname_id id, size_t *len);

/* A wire-format name as the table keeps it: checked as the graph's text
 * form needs it (labels of at most 63 bytes that end within `len` and
 * within 255 bytes, then the root label) and folded to lower case into
 * `out` (256 bytes). Returns its length, or -1 when malformed. */
int sf_znames_fold(const uint8_t *wire, size_t len, uint8_t *out);
/* The two halves of sf_znames_fold: the name's length (checked as there),
 * or -1; and its `n` bytes folded into `out`, 1 when that changed any. */
int sf_znames_length(const uint8_t *wire, size_t len);
int sf_znames_lower(const uint8_t *wire, size_t n, uint8_t *out);
/* sf_znames_lower() and the table's hash of what it wrote (*hash, as
 * sf_znames_hash gives it), in one pass. */
int sf_znames_lower_hash(const sf_znames *t, unsigned kind, const uint8_t *wire, size_t n,
                         uint8_t *out, uint32_t *hash);

#endif
