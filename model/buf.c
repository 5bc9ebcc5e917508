#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sf_buf_init(sf_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->failed = 0;
}

void sf_buf_free(sf_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

void sf_buf_clear(sf_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

int sf_buf_reserve(sf_buf *b, size_t len)
{
	size_t max = b->max ? b->max : SF_BUF_DEFAULT_MAX;

	if (b->failed)
		return -1;
	if (len > max - b->len) {
		b->failed = 1;
		return -1;
	}
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;
		while (cap < b->len + len + 1)
			cap *= 2;
		p = realloc(b->ptr, cap);
		if (!p) {
			b->failed = 1;
			return -1;
		}
		b->ptr = p;
		b->cap = cap;
	}
	return 0;
}

int sf_buf_add(sf_buf *b, const void *data, size_t len)
{
	if (sf_buf_reserve(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int sf_buf_puts(sf_buf *b, const char *s)
{
	return sf_buf_add(b, s, strlen(s));
}

int sf_buf_putc(sf_buf *b, char c)
{
	return sf_buf_add(b, &c, 1);
}

int sf_buf_vprintf(sf_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0) {
		b->failed = 1;
		return -1;
	}
	if ((size_t)n < sizeof(small))
		return sf_buf_add(b, small, (size_t)n);
	{
		char *big = malloc((size_t)n + 1);
		int rc;
		if (!big) {
			b->failed = 1;
			return -1;
		}
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		rc = sf_buf_add(b, big, (size_t)n);
		free(big);
		return rc;
	}
}

int sf_buf_printf(sf_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = sf_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *sf_buf_cstr(const sf_buf *b)
{
	return b->ptr ? b->ptr : "";
}

void sf_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (base && n > 1)
		qsort(base, n, size, cmp);
}
