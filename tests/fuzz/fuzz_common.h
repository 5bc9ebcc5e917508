/* What every importer fuzz target shares: a scratch tree to import into
 * (so $INCLUDE and manifest look-ups have a root to stay inside), and one
 * run of import, link and pair building over the input. */
#ifndef SF_FUZZ_COMMON_H
#define SF_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/checks_dns.h"
#include "analyzer/link.h"
#include "importers/importer.h"

static char fuzz_root[4096];
static char fuzz_file[4200];

static const struct {
	const char *name, *text;
} fuzz_files[] = {
	{ "a.inc", "a IN A 192.0.2.1\n$INCLUDE b.inc\n" },
	{ "b.inc", "b IN CNAME a\n$INCLUDE a.inc\n" },
	{ "sharedfate.yaml", "version: 1\nzones:\n  - file: input\n    origin: fuzz.example\n" },
};

static void fuzz_remove_root(void)
{
	for (size_t i = 0; i < sizeof(fuzz_files) / sizeof(fuzz_files[0]); i++) {
		char p[4200];
		snprintf(p, sizeof(p), "%s/%s", fuzz_root, fuzz_files[i].name);
		unlink(p);
	}
	rmdir(fuzz_root);
}

/* A directory with a few files an input may $INCLUDE, one of them
 * including itself, and a manifest naming an origin. */
static void fuzz_make_root(const char *name)
{
	char tmpl[] = "/tmp/sf-fuzz-XXXXXX", *real;
	if (!mkdtemp(tmpl) || !(real = realpath(tmpl, NULL)))
		abort();
	snprintf(fuzz_root, sizeof(fuzz_root), "%s", real);
	free(real);
	for (size_t i = 0; i < sizeof(fuzz_files) / sizeof(fuzz_files[0]); i++) {
		char p[4200];
		FILE *f;
		snprintf(p, sizeof(p), "%s/%s", fuzz_root, fuzz_files[i].name);
		if (!(f = fopen(p, "w")))
			abort();
		fputs(fuzz_files[i].text, f);
		fclose(f);
	}
	atexit(fuzz_remove_root);
	snprintf(fuzz_file, sizeof(fuzz_file), "%s/%s", fuzz_root, name);
}

/* Import `data` with `imp`, then link, build pairs and run the DNS checks
 * on each pair: whatever the input, no crash, no leak, no hang. */
__attribute__((unused)) static void fuzz_one(const sf_importer *imp, const uint8_t *data, size_t size)
{
	sf_graph *g;
	sf_failover fo;
	sf_diags d;
	sf_import_ctx ctx;
	char *text = malloc(size + 1);

	if (!text || sf_graph_new(&g) < 0)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	sf_failover_init(&fo);
	sf_diags_init(&d);
	memset(&ctx, 0, sizeof(ctx));
	ctx.graph = g;
	ctx.failover = &fo;
	ctx.diags = &d;
	ctx.root = fuzz_root;
	ctx.path = "input";
	ctx.realpath = fuzz_file;
	ctx.keep_going = size > 0 && data[0] == '!';   /* both paths */
	imp->sniff("input", text, size < SF_SNIFF_BYTES ? size : SF_SNIFF_BYTES);
	imp->import(&ctx, text, size);
	if (sf_link(g, &d) == 0 && sf_failover_build(&fo, g) == 0)
		for (size_t i = 0; i < fo.npairs; i++) {
			sf_dns_hits h = { NULL, 0, 0 };
			sf_check_single_provider(g, &fo.pairs[i], &h);
			sf_check_unresolved(g, &fo.pairs[i], 1, 1, 0, &h);
			for (size_t k = 0; k < h.count; k++)
				free(sf_dns_hit_reason(g, &h.items[k]));
			sf_dns_hits_free(&h);
		}
	sf_failover_free(&fo);
	sf_diags_free(&d);
	sf_graph_free(g);
	free(text);
}

#endif
