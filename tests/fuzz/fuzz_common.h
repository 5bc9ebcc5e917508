/* What every importer fuzz target shares: a scratch tree to import into
 * (so $INCLUDE and manifest look-ups have a root to stay inside), and one
 * run of import, link, pair building and every built-in rule over the
 * input. A target is one line: SF_FUZZ_TARGET(importer, file name). */
#ifndef SF_FUZZ_COMMON_H
#define SF_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/analyze.h"
#include "analyzer/link.h"
#include "importers/importer.h"
#include "rules/rules.h"

static char fuzz_root[4096];
static char fuzz_file[4200];
static const char *fuzz_name;
static sf_ruleset fuzz_rules;

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
	fuzz_name = name;
	{
		sf_diags d;
		sf_diags_init(&d);
		sf_ruleset_init(&fuzz_rules);
		if (sf_rules_load_builtin(&fuzz_rules, &d) < 0)
			abort();
		sf_diags_free(&d);
	}
}

/* Import `data` with `imp`, then link, build pairs and run every rule:
 * whatever the input, no crash, no leak, no hang. */
__attribute__((unused)) static void fuzz_one(const sf_importer *imp, const uint8_t *data,
                                             size_t size)
{
	sf_graph *g;
	sf_failover fo;
	sf_diags d;
	sf_findings f;
	sf_import_ctx ctx;
	sf_analyze_opts o = { 60 };
	char *text = malloc(size + 1);

	if (!text || sf_graph_new(&g) < 0)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	sf_failover_init(&fo);
	sf_diags_init(&d);
	sf_findings_init(&f);
	memset(&ctx, 0, sizeof(ctx));
	ctx.graph = g;
	ctx.failover = &fo;
	ctx.diags = &d;
	ctx.root = fuzz_root;
	ctx.path = fuzz_name;
	ctx.realpath = fuzz_file;
	ctx.keep_going = size % 2;      /* both paths, as mutations change the size */
	imp->sniff(fuzz_name, text, size < SF_SNIFF_BYTES ? size : SF_SNIFF_BYTES);
	imp->import(&ctx, text, size);
	if (sf_link(g, &d) == 0 && sf_failover_build(&fo, g) == 0 &&
	    sf_analyze(g, &fo, &fuzz_rules, &o, &f, &d) == 0)
		sf_findings_finish(&f, g);
	sf_findings_free(&f);
	sf_failover_free(&fo);
	sf_diags_free(&d);
	sf_graph_free(g);
	free(text);
}

#define SF_FUZZ_TARGET(importer, name)                                    \
	int LLVMFuzzerInitialize(int *argc, char ***argv);                \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);     \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                 \
	{                                                                 \
		(void)argc;                                               \
		(void)argv;                                               \
		fuzz_make_root(name);                                     \
		return 0;                                                 \
	}                                                                 \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)      \
	{                                                                 \
		fuzz_one(&(importer), data, size);                        \
		return 0;                                                 \
	}

#endif
