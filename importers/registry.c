#include "importer.h"

/* Inputs that may name any key: the manifest's declared dependencies
 * (`key: aws_lb.shared`) and SOPS's GCP key ids are taken as written, and
 * may be the name of a scoped node that a state made earlier in the scan.
 * Such a node must not be met by that name (importers/tf_scope.c): the
 * input is imported once aside, into a graph of its own, and each key it
 * makes there is claimed in the scan's graph before the real import.
 * Only when the graph holds a scoped node; these inputs are small. */
static int any_scoped(const sf_graph *g)
{
	for (size_t id = 0; id < sf_graph_node_count(g); id++)
		if (sf_graph_node_at(g, (sf_node_id)id)->scoped)
			return 1;
	return 0;
}

static int import_claiming(const sf_importer *im, sf_import_ctx *ctx, const char *data, size_t len)
{
	sf_import_ctx aside = *ctx;
	sf_graph *g = NULL;
	sf_failover fo;
	sf_diags d;
	int rc = 0;

	if (!any_scoped(ctx->graph))
		return im->import(ctx, data, len);
	if (sf_graph_new(&g) < 0) {
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
		return -1;
	}
	sf_failover_init(&fo);
	sf_diags_init(&d);
	aside.graph = g;
	aside.failover = &fo;
	aside.diags = &d;
	aside.deferred = NULL;
	/* what it says, and whether it fails, the real import says again */
	im->import(&aside, data, len);
	for (size_t id = 0; id < sf_graph_node_count(g) && rc == 0; id++)
		rc = sf_scope_claim(ctx->graph, sf_graph_node_at(g, (sf_node_id)id)->key);
	sf_diags_free(&d);
	sf_failover_free(&fo);
	sf_graph_free(g);
	if (rc < 0) {
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
		return -1;
	}
	return im->import(ctx, data, len);
}

static int manifest_sniff(const char *path, const char *head, size_t len)
{
	return sf_importer_manifest.sniff(path, head, len);
}

static int manifest_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	return import_claiming(&sf_importer_manifest, ctx, data, len);
}

static int sops_sniff(const char *path, const char *head, size_t len)
{
	return sf_importer_sops.sniff(path, head, len);
}

static int sops_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	return import_claiming(&sf_importer_sops, ctx, data, len);
}

static const sf_importer manifest_claiming = { "manifest", manifest_sniff, manifest_import, NULL, NULL };
static const sf_importer sops_claiming = { "sops", sops_sniff, sops_import, NULL, NULL };

/* Adding a format: a file defining one sf_importer, and one row here. The
 * order breaks ties between equal sniff confidences. */
const sf_importer *const sf_importers[] = {
	&sf_importer_tfstate,
	&sf_importer_route53_json,
	&sf_importer_route53_xml,
	&sf_importer_zone,
	&manifest_claiming,
	&sf_importer_vault,
	&sf_importer_secretsmanager,
	&sf_importer_eso,
	&sops_claiming,
	&sf_importer_backstage,
	NULL,
};
