/* Checking the bytes of a resource that are not decoded.
 *
 * Most of a state's bytes are attributes that no rule reads. jansson
 * building them into a DOM only to free it was half the import's time;
 * what the importer needs of them is that they are valid, because a
 * state jansson would refuse must still be refused, and where.
 *
 * tf_check() answers that for one resource span without building
 * anything: it walks JSON's grammar and says 1 only where jansson, given
 * JSON_REJECT_DUPLICATES, surely decodes the span. It is stricter than
 * jansson, never looser: whatever it is unsure of (an escaped key, a
 * number near the limits of a long long or a double, a very deep or very
 * wide value) it answers 0, and the caller decodes with jansson, which
 * then either accepts the span or says what is wrong with it. So no
 * input is accepted that jansson refuses (tests/fuzz/fuzz_tf_check.c and
 * tests/unit/test_tf_check.c hold it to that), and the checker's own
 * messages never reach a user.
 *
 * What is decoded is still decoded by jansson: the resource without the
 * `attributes` objects of its instances (tf_check_strip), and later each
 * allow-listed attribute's value. */
#ifndef SF_TF_CHECK_H
#define SF_TF_CHECK_H

#include <stddef.h>

#include "model/buf.h"
#include "tf_scan.h"

/* Past these the checker answers 0 and jansson decides. */
#define TF_CHECK_MAX_DEPTH 512          /* nesting inside the span */
#define TF_CHECK_MAX_KEYS 65536         /* members of one object */

typedef struct tf_checker {
	/* after tf_check() returned 1: the `attributes` object of each
	 * element of the span's `instances` array that has one, in order */
	tf_scan_span *attrs;
	size_t nattrs, attrcap;
	/* scratch: the keys of the objects being checked */
	struct tf_check_key *keys;
	size_t nkeys, keycap;
	struct tf_check_key *sorted;
	size_t sortcap;
} tf_checker;

/* 1 when text[0..len) is one JSON object, with nothing but whitespace
 * around it, that jansson decodes with JSON_REJECT_DUPLICATES; 0 when it
 * is not or the checker cannot tell; -1 out of memory. */
int tf_check(tf_checker *ck, const char *text, size_t len);

/* The span text[0..len) that tf_check() accepted, with each of its
 * `attributes` objects replaced by `{}`, into `out` (cleared first):
 * valid JSON again, with the same members. -1 out of memory. */
int tf_check_strip(const tf_checker *ck, const char *text, size_t len, sf_buf *out);

void tf_checker_free(tf_checker *ck);

#endif
