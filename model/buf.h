/* Growable byte buffer with a hard cap (after curl's dynbuf). */
#ifndef SF_BUF_H
#define SF_BUF_H

#include <stddef.h>
#include <stdarg.h>

typedef struct sf_buf {
	char *ptr;      /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;     /* allocated */
	size_t max;     /* hard limit on len; 0 means SF_BUF_DEFAULT_MAX */
	int failed;     /* sticky: an append hit the cap or out of memory */
} sf_buf;

#define SF_BUF_DEFAULT_MAX ((size_t)256 * 1024 * 1024)
#define SF_BUF_INIT { NULL, 0, 0, 0, 0 }

void sf_buf_init(sf_buf *b, size_t max);
void sf_buf_free(sf_buf *b);
void sf_buf_clear(sf_buf *b);
int sf_buf_add(sf_buf *b, const void *data, size_t len);
/* Room for `len` more bytes (and the NUL) after b->len, which stays:
 * write into b->ptr + b->len, then move b->len. -1 past the cap or out
 * of memory (and the buffer is failed). */
int sf_buf_reserve(sf_buf *b, size_t len);
int sf_buf_puts(sf_buf *b, const char *s);
int sf_buf_putc(sf_buf *b, char c);
int sf_buf_printf(sf_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sf_buf_vprintf(sf_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* The contents, "" for an empty buffer. Borrowed. */
const char *sf_buf_cstr(const sf_buf *b);

/* qsort that accepts an empty or NULL array (qsort's pointer must not be
 * NULL even for zero elements) and skips the call for one element. */
void sf_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
