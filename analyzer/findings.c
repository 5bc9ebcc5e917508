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

/* What a key counts as in a fingerprint: a Terraform resource shown as
 * `path:address` (another state has the address too) counts as its
 * address, as it did before that state was added. */
static const char *stable_key(const sf_graph *g, const char *key, int full)
{
	sf_node_id id;
	const char *addr;
	size_t kl, al;
	if (full || !g || !key || (id = sf_graph_find(g, key)) == SF_NODE_NONE ||
	    !(addr = sf_graph_attr(g, id, "address")))
		return key;
	kl = strlen(key);
	al = strlen(addr);
	return kl > al + 1 && key[kl - al - 1] == ':' && strcmp(key + kl - al, addr) == 0 ? addr : key;
}

static void fingerprint(sf_finding *x, const sf_graph *g, int full)
{
	uint64_t h = 1469598103934665603ull;
	h = fp_add(h, x->rule->id);
	h = fp_add(h, x->pair ? x->pair->id : NULL);
	h = fp_add(h, stable_key(g, x->subject, full));
	for (size_t k = 0; k < x->nshared; k++)
		h = fp_add(h, stable_key(g, x->shared[k], full));
	snprintf(x->fingerprint, sizeof(x->fingerprint), "%016llx", (unsigned long long)h);
}

static int cmp_fp(const void *a, const void *b)
{
	return strcmp((*(sf_finding *const *)a)->fingerprint, (*(sf_finding *const *)b)->fingerprint);
}

/* Two findings that differ only in the state of a same-named resource
 * would share a fingerprint by address: those count by their full keys. */
static void fingerprints(sf_findings *f, const sf_graph *g)
{
	sf_finding **by = malloc((f->count ? f->count : 1) * sizeof(*by));
	for (size_t i = 0; i < f->count; i++) {
		sf_finding *x = &f->items[i];
		if (x->nshared > 1)
			sf_sort(x->shared, x->nshared, sizeof(*x->shared), cmp_cstr);
		fingerprint(x, g, 0);
	}
	if (!by)
		return;
	for (size_t i = 0; i < f->count; i++)
		by[i] = &f->items[i];
	sf_sort(by, f->count, sizeof(*by), cmp_fp);
	for (size_t i = 0; i + 1 < f->count; i++)
		if (strcmp(by[i]->fingerprint, by[i + 1]->fingerprint) == 0) {
			size_t j = i + 1;
			while (j < f->count && strcmp(by[j]->fingerprint, by[i]->fingerprint) == 0)
				j++;
			for (size_t k = i; k < j; k++)
				fingerprint(by[k], g, 1);
			i = j - 1;
		}
	free(by);
}

/* Lookup of findings by (pair, subject), for the root causes. */
typedef struct by_subject {
	const sf_pair *pair;
	const char *subject;
	size_t index;
} by_subject;

static int cmp_by_subject(const void *a, const void *b)
{
	const by_subject *x = a, *y = b;
	if (x->pair != y->pair)
		return strcmp(x->pair->id, y->pair->id) ? strcmp(x->pair->id, y->pair->id)
		                                         : (x->pair < y->pair ? -1 : 1);
	if (strcmp(x->subject, y->subject))
		return strcmp(x->subject, y->subject);
	return (x->index > y->index) - (x->index < y->index);
}

static size_t find_subject(const by_subject *bs, size_t n, const sf_pair *pair, const char *subject)
{
	by_subject probe = { pair, subject, 0 };
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_by_subject(&bs[mid], &probe) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && bs[lo].pair == pair && strcmp(bs[lo].subject, subject) == 0 ? bs[lo].index
	                                                                           : (size_t)-1;
}

/* sf_sort takes no payload: the ranks of the sort in progress. */
static const size_t *sort_rank;

static int cmp_rank(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (sort_rank[x] != sort_rank[y])
		return sort_rank[x] < sort_rank[y] ? -1 : 1;
	return (x > y) - (x < y);
}

/* cause[i]: the finding whose shared node the standby passes on its way
 * to finding i's, first on its path; (size_t)-1 for none. Findings about
 * one node by different rules (shared, not rotated, not replicated) are
 * different problems and stay apart. */
static void find_causes(const sf_findings *f, size_t *cause)
{
	by_subject *bs = malloc((f->count ? f->count : 1) * sizeof(*bs));
	size_t n = 0;
	for (size_t i = 0; i < f->count; i++)
		cause[i] = (size_t)-1;
	if (!bs)
		return;
	for (size_t i = 0; i < f->count; i++)
		if (f->items[i].pair && f->items[i].subject) {
			bs[n].pair = f->items[i].pair;
			bs[n].subject = f->items[i].subject;
			bs[n++].index = i;
		}
	sf_sort(bs, n, sizeof(*bs), cmp_by_subject);
	for (size_t i = 0; i < f->count; i++) {
		const sf_finding *x = &f->items[i];
		if (!x->pair || x->nstandby_path < 2)
			continue;
		for (size_t k = 0; k + 1 < x->nstandby_path && cause[i] == (size_t)-1; k++) {
			size_t c = find_subject(bs, n, x->pair, x->standby_path[k]);
			if (c != (size_t)-1 && c != i)
				cause[i] = c;
		}
	}

	free(bs);
}

void sf_findings_finish(sf_findings *f, const sf_graph *g)
{
	size_t *cause, *root;

	if (f->count == 0)
		return;
	fingerprints(f, g);
	sf_sort(f->items, f->count, sizeof(*f->items), cmp_finding);
	cause = malloc((f->count ? f->count : 1) * sizeof(*cause));
	root = malloc((f->count ? f->count : 1) * sizeof(*root));
	if (!cause || !root) {
		free(cause);
		free(root);
		return;         /* ungrouped, still sorted */
	}
	find_causes(f, cause);
	/* The root of a chain of causes; a cycle (two findings each on the
	 * other's path) ends at the one first in order. */
	for (size_t i = 0; i < f->count; i++) {
		size_t r = i, hops = 0;
		while (cause[r] != (size_t)-1 && hops++ < f->count && cause[r] != i)
			r = cause[r];
		if (cause[r] != (size_t)-1 && cause[r] < r)
			r = cause[r];
		root[i] = r;
	}
	for (size_t i = 0; i < f->count; i++) {
		sf_finding *x = &f->items[i];
		x->group_rank = root[i];
		if (root[i] != i) {
			memcpy(x->root_cause, f->items[root[i]].fingerprint, sizeof(x->root_cause));
			memcpy(f->items[root[i]].root_cause, f->items[root[i]].fingerprint,
			       sizeof(x->root_cause));
		}
	}
	/* In order of the cause, the cause first, then in order. */
	for (size_t i = 0; i < f->count; i++)
		root[i] = i;
	for (size_t i = 0; i < f->count; i++)
		cause[i] = f->items[i].group_rank * 2 + (f->items[i].group_rank != i);
	sort_rank = cause;
	sf_sort(root, f->count, sizeof(*root), cmp_rank);
	sort_rank = NULL;
	{
		sf_finding *tmp = malloc((f->count ? f->count : 1) * sizeof(*tmp));
		if (tmp) {
			for (size_t i = 0; i < f->count; i++)
				tmp[i] = f->items[root[i]];
			memcpy(f->items, tmp, f->count * sizeof(*tmp));
			free(tmp);
		}
	}
	free(cause);
	free(root);
}

void sf_findings_summary(const sf_findings *f, size_t counts[5])
{
	memset(counts, 0, 5 * sizeof(*counts));
	for (size_t i = 0; i < f->count; i++)
		if (f->items[i].severity <= SF_SEV_CRITICAL)
			counts[f->items[i].severity]++;
}
