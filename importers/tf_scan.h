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
 * span decodes (or, for the attributes inside a span, when tf_check.h
 * vouches that jansson would decode them). */
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

/* What a scan hands on, as spans into `text` (the scanner's window:
 * valid during the call only). Each returns 0 to go on; anything else
 * stops the scan, which returns it. */
typedef struct tf_scan_sink {
	/* a top-level member, but not `resources` when it holds an array */
	int (*member)(const char *text, const tf_scan_member *m, void *payload);
	/* element `index` of `resources` */
	int (*resource)(const char *text, const tf_scan_span *r, size_t index, void *payload);
	void *payload;
} tf_scan_sink;

/* Lines the importer reports resources at, gathered from every byte. */
typedef struct tf_scan_lines {
	long resources_line;        /* of the first `"resources"` anywhere; 0: none */
	long *mode_lines;           /* lines starting `      "mode": "`, in order */
	size_t nmode, modecap;
} tf_scan_lines;

/* Scan a state: `len` bytes of `text` (then a NUL, and no NUL before it:
 * the caller checks, as jansson would refuse one), or at most `size`
 * bytes read from `fd` through a window that holds only the current
 * member or resource (a NUL byte fails the scan there). The skeleton is
 * well formed when it is a top-level object, `resources` at most once,
 * every value ends where its brackets close, nothing follows the object
 * but whitespace, and no value is nested deeper than TF_SCAN_MAX_DEPTH
 * counts in the whole file. Returns 0 when it is and every callback
 * returned 0; -1 when it is not (malformed, too deep, unreadable, out of
 * memory: the caller decodes the whole file instead, which says what is
 * wrong); or what a callback returned. `lines` (may be NULL) is filled
 * either way: free it with tf_scan_lines_free(). */
int tf_scan_text(const char *text, size_t len, const tf_scan_sink *sink, tf_scan_lines *lines,
                 int *has_resources);
int tf_scan_fd(int fd, size_t size, const tf_scan_sink *sink, tf_scan_lines *lines,
               int *has_resources);
void tf_scan_lines_free(tf_scan_lines *l);

/* The members of the object text[0..len) (a decoded value), in one pass:
 * `found` gets the index of the element it is in (0 outside arrays), the
 * depth (0 for the object's own members), the key span and the value's
 * start (length 0: not yet scanned). It returns 0 to go on;
 * TF_SCAN_DESCEND, for a value that is an object or an array, to get its
 * members (or those of each object in the array) at depth + 1 in its
 * place; TF_SCAN_SPAN to be called again with the value's whole span
 * (then 0 goes on); anything else stops the walk and is returned. -1 when
 * the text is not an object. */
#define TF_SCAN_DESCEND 2
#define TF_SCAN_SPAN 3
int tf_scan_walk(const char *text, size_t len,
                 int (*found)(size_t elem, int depth, const tf_scan_span *key,
                              const tf_scan_span *value, void *payload),
                 void *payload);

/* Copy a valid JSON value without the whitespace between its tokens
 * into `out` (at least `len` bytes); returns the length written. */
size_t tf_scan_minify(const char *text, size_t len, char *out);

#endif
