#include "model/buf.h"
#include "findings.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sf_findings_init(sf_findings *f)
{
	memset(f, 0, sizeof(*f));
}

static void finding_free(sf_finding *x)
{
	free(x->message);
	free(x->shared);
	free(x->primary_path);
	free(x->standby_path);
}

void sf_findings_free(sf_findings *f)
{
	for (size_t i = 0; i < f->count; i++)
		finding_free(&f->items[i]);
	free(f->items);
	memset(f, 0, sizeof(*f));
}

int sf_findings_add(sf_findings *f, const sf_finding *item)
{
	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		sf_finding *p = realloc(f->items, cap * sizeof(*p));
		if (!p) {
			sf_finding tmp = *item;
			finding_free(&tmp);
			return -1;
		}
		f->items = p;
		f->cap = cap;
	}
	f->items[f->count++] = *item;
	return 0;
}

/* FNV-1a 64 over length-prefixed fields, so that ("ab","c") and ("a","bc")
 * differ. Stable across platforms and releases: baselines depend on it. */
static uint64_t fp_add(uint64_t h, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
	                         (unsigned char)(n >> 8), (unsigned char)n };
	for (int i = 0; i < 4; i++) {
		h ^= len[i];
		h *= 1099511628211ull;
	}
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int cmp_finding(const void *a, const void *b)
{
	const sf_finding *x = a, *y = b;
	int c = strcmp(nz(x->service), nz(y->service));
	if (c)
		return c;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	c = strcmp(x->rule->id, y->rule->id);
	if (c)
		return c;
	c = strcmp(nz(x->pair ? x->pair->id : NULL), nz(y->pair ? y->pair->id : NULL));
	if (c)
		return c;
	c = strcmp(nz(x->subject), nz(y->subject));
	if (c)
		return c;
	return strcmp(x->fingerprint, y->fingerprint);
}

void sf_findings_finish(sf_findings *f)
{
	for (size_t i = 0; i < f->count; i++) {
		sf_finding *x = &f->items[i];
		uint64_t h = 1469598103934665603ull;
		h = fp_add(h, x->rule->id);
		h = fp_add(h, x->pair ? x->pair->id : NULL);
		h = fp_add(h, x->subject);
		if (x->nshared > 1)
			sf_sort(x->shared, x->nshared, sizeof(*x->shared), cmp_cstr);
		for (size_t k = 0; k < x->nshared; k++)
			h = fp_add(h, x->shared[k]);
		snprintf(x->fingerprint, sizeof(x->fingerprint), "%016llx", (unsigned long long)h);
	}
	sf_sort(f->items, f->count, sizeof(*f->items), cmp_finding);
}

void sf_findings_summary(const sf_findings *f, size_t counts[5])
{
	memset(counts, 0, 5 * sizeof(*counts));
	for (size_t i = 0; i < f->count; i++)
		if (f->items[i].severity <= SF_SEV_CRITICAL)
			counts[f->items[i].severity]++;
}
