/* libFuzzer target: the Terraform state importer (v4 and show -json), the
 * provider semantics behind it, and the whole analysis after it: link,
 * pairs, closure and every built-in rule. */
#include "fuzz_common.h"

#include "analyzer/analyze.h"
#include "rules/rules.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sf_ruleset rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sf_diags d;
	(void)argc;
	(void)argv;
	fuzz_make_root("terraform.tfstate");
	sf_ruleset_init(&rules);
	sf_diags_init(&d);
	if (sf_rules_load_builtin(&rules, &d) < 0)
		abort();
	sf_diags_free(&d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
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
	ctx.path = "terraform.tfstate";
	ctx.realpath = fuzz_file;
	ctx.keep_going = size > 0 && data[size - 1] == '\n';   /* both paths */
	sf_importer_tfstate.sniff("terraform.tfstate", text, size < SF_SNIFF_BYTES ? size : SF_SNIFF_BYTES);
	sf_importer_tfstate.import(&ctx, text, size);
	if (sf_link(g, &d) == 0 && sf_failover_build(&fo, g) == 0 &&
	    sf_analyze(g, &fo, &rules, &o, &f, &d) == 0)
		sf_findings_finish(&f);
	sf_findings_free(&f);
	sf_failover_free(&fo);
	sf_diags_free(&d);
	sf_graph_free(g);
	free(text);
	return 0;
}
