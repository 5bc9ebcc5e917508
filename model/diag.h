/* Diagnostics about the input: collected, never fatal by themselves.
 *
 * Every message is printed as `path:line: level: message`, where `path` is
 * the input as the user named it (relative to the scan root), never an
 * absolute machine path. Messages are sanitised: control characters are
 * escaped so that a hostile file cannot drive the terminal. */
#ifndef SF_DIAG_H
#define SF_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef enum { SF_DIAG_WARNING, SF_DIAG_ERROR } sf_diag_level;

typedef struct sf_diag {
	sf_diag_level level;
	char *path;
	long line;          /* 1-based; 0 when the whole file is meant */
	char *message;
} sf_diag;

typedef struct sf_diags {
	sf_diag *items;
	size_t count, cap;
	size_t errors;
	size_t dropped;     /* past SF_DIAG_MAX, counted only */
} sf_diags;

#define SF_DIAG_MAX 10000

void sf_diags_init(sf_diags *d);
void sf_diags_free(sf_diags *d);

/* Record one diagnostic. `path` may be NULL for diagnostics about the run. */
void sf_diag_add(sf_diags *d, sf_diag_level level, const char *path, long line,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void sf_diag_error(sf_diags *d, const char *path, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void sf_diag_warn(sf_diags *d, const char *path, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Errors recorded for `path` (all paths when NULL). */
size_t sf_diags_errors_for(const sf_diags *d, const char *path);

void sf_diags_print(const sf_diags *d, FILE *out);

/* Copy `in` to `out` (size `outsz`), replacing control characters and
 * non-UTF-8 bytes with \xNN, and C1 controls and bidirectional overrides
 * (U+0080-U+009F, U+202A-U+202E, U+2066-U+2069, U+200E, U+200F) with
 * \uNNNN, so that text from input files is safe to print.
 * Truncates with "..." past `outsz`. */
void sf_sanitize(char *out, size_t outsz, const char *in, size_t inlen);

/* jansson's error text without its "near '...'" part, and without the
 * bytes some messages quote from inside a string: the input may be a
 * secret. Used by every JSON importer. */
struct json_error_t;
void sf_json_error_text(const struct json_error_t *err, char *out, size_t outsz);

/* Parse a JSON input file: a NUL byte, a syntax error or a duplicate key is
 * one `path:line:` diagnostic (never quoting the input) and NULL. The
 * caller owns the result (json_decref). */
struct json_t;
struct json_t *sf_json_load_input(sf_diags *d, const char *path, const char *data, size_t len);

#endif
