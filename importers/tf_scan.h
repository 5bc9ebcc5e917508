/* The structure of a format-4 state without decoding it: a small scanner
 * over the bytes that finds the top-level members and each element of
 * `resources`, so that jansson can decode one resource at a time and the
 * whole document is never one DOM.
 *
 * The scanner checks only the skeleton (the top-level object, its keys,
 * colons and commas, the `resources` array, whitespace) and where each
 * value ends, counting brackets outside strings. What lies inside a span
 * is left to jansson: a span that is not exactly one JSON value fails to
 * decode there. So the file is valid JSON when the skeleton is and every
 * span decodes. */
#ifndef SF_TF_SCAN_H
#define SF_TF_SCAN_H

#include <stddef.h>

/* jansson's JSON_PARSER_MAX_DEPTH (src/jansson_config.h.in in 2.14): a
 * value nested deeper refuses the whole file. */
#define TF_SCAN_MAX_DEPTH 2048

/* The bytes of one value (or key, quotes included) in the text. */
typedef struct tf_scan_span {
	size_t off, len;
	long line;              /* line of its first byte, 1-based */
} tf_scan_span;

typedef struct tf_scan_member {
	tf_scan_span key;
	tf_scan_span value;
} tf_scan_member;

typedef struct tf_scan_result {
	tf_scan_member *members;    /* every top-level member but `resources` */
	size_t nmembers;
	int has_resources;          /* a member spelt "resources" holds an array */
	tf_scan_span resources;     /* the array */
	tf_scan_span *res;          /* its elements, in order */
	size_t nres;
} tf_scan_result;

/* Scan `text` (`len` bytes, then a NUL, and no NUL before it: the
 * caller checks, as jansson would refuse one). 0 when the skeleton is well formed: a
 * top-level object, `resources` at most once, every value ending where
 * its brackets close, nothing after the object but whitespace, and no
 * value nested deeper than TF_SCAN_MAX_DEPTH counts in the whole file.
 * -1 otherwise (malformed, too deep, out of memory): the caller decodes
 * the whole file instead, which says what is wrong. Free with
 * tf_scan_free() either way. */
int tf_scan_state(const char *text, size_t len, tf_scan_result *out);

void tf_scan_free(tf_scan_result *r);

#endif
