/* RFC 1035 master files (BIND dialect), read with libzscanner.
 *
 * libzscanner parses records, $ORIGIN, $TTL, escapes, parentheses and
 * generic `TYPEnnn \# len hex` data. Two directives are ours: $INCLUDE,
 * because an include must stay inside the scanned tree, nest at most
 * SF_ZONE_MAX_INCLUDE_DEPTH deep and never loop; and $GENERATE, which
 * libzscanner does not know. The helpers below are the parts of the
 * importer that have no scanner state, exposed for the unit tests. */
#ifndef SF_ZONE_H
#define SF_ZONE_H

#include <stddef.h>

#include "model/buf.h"

#define SF_ZONE_MAX_INCLUDE_DEPTH 8
#define SF_ZONE_MAX_FILES 64            /* files one zone may pull in */
#define SF_ZONE_MAX_BYTES ((size_t)256 * 1024 * 1024)   /* text read for one zone */
#define SF_ZONE_MAX_GENERATE 65536      /* names one $GENERATE may make */

/* Records one zone may make through $GENERATE, unless --zone-max-generated
 * says otherwise: a few large reverse zones' worth. The budget is checked
 * before a range is expanded, so it bounds the work, not just the result. */
#define SF_ZONE_MAX_GENERATED ((size_t)131072)

/* Records one zone may hold (--zone-max-records): the default lets the
 * zone's records take at most a quarter of the machine's memory, at
 * SF_ZONE_RECORD_COST bytes each (record, names, graph nodes and edges,
 * measured at about 185 with the file's text when every name is a node;
 * about 115 when the names are not reached), and never less than
 * SF_ZONE_MIN_RECORDS. */
#define SF_ZONE_RECORD_COST 512
#define SF_ZONE_MIN_RECORDS ((size_t)1000000)
size_t sf_zone_default_max_records(void);

/* Expand one `$GENERATE range lhs [ttl] [class] type rhs` line (`line`,
 * `len` bytes, no newline) into master-file lines appended to `out`, one
 * record per line. BIND's syntax: `$` is the iterator, `${offset,width,
 * base}` with base d, o, x, X, n or N, `\$` and `$$` a literal dollar.
 * Returns the number of records, -1 with a reason in `err`, or -2 when
 * the range would make more than `max` records (nothing is made). */
long sf_zone_generate(const char *line, size_t len, long max, sf_buf *out, char *err,
                      size_t errsz);

/* The origin a file name implies: `example.com.zone`, `db.example.com`,
 * `example.com.db` (two labels at least: `.db` is a common extension).
 * Writes the canonical name and returns 0, or -1. */
int sf_zone_origin_from_filename(const char *path, char *out, size_t outsz);

/* The origin the text declares before its first record: a leading
 * `$ORIGIN name.`, or an SOA record with an absolute owner. 0 or -1. */
int sf_zone_origin_from_text(const char *data, size_t len, char *out, size_t outsz);

#endif
