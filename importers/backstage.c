/* Backstage catalog files (`catalog-info.yaml`, apiVersion
 * backstage.io/v1alpha1 or v1beta1): a second source of service owners
 * and declared dependencies, for teams that keep them there rather than
 * in sharedfate.yaml.
 *
 * A Component or Resource is matched to a service by its annotation
 * `sharedfate.io/service`, else by metadata.name. Its spec.owner becomes
 * the service's owner, and a metadata.links entry of type `runbook` (or
 * titled "Runbook" or "Playbook") its runbook, unless sharedfate.yaml
 * names them (the manifest is the closer word; whichever file is read
 * first, the manifest wins, see manifest.c). spec.dependsOn entries (`resource:default/vault`,
 * `component:keycloak`) are kept as declared `depends_on` edges from the
 * service, for people and the graph output: they do not say which side
 * needs what, so they carry no failure (declare those in sharedfate.yaml
 * depends_on). Groups, Users, Systems, APIs and other kinds in the same
 * file are skipped quietly. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "importer.h"
#include "inventory.h"
#include "model/yaml.h"

#define BACKSTAGE_MAX_DEPS 256

static int backstage_sniff(const char *path, const char *head, size_t len)
{
	const char *b = strrchr(path, '/');
	(void)len;
	b = b ? b + 1 : path;
	if (strcmp(b, "catalog-info.yaml") == 0 || strcmp(b, "catalog-info.yml") == 0)
		return 95;
	return strstr(head, "apiVersion: backstage.io/v1") ? 80 : 0;
}

static int plain_text(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static int contains_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (; s && *s; s++)
		if (strncasecmp(s, word, n) == 0)
			return 1;
	return 0;
}

/* The first of metadata.links that is a runbook: its type says so (the
 * field teams set for this), else its title names a runbook or playbook. */
static const sf_ynode *runbook_link(const sf_ynode *links)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; links && links->type == SF_Y_SEQ && i < links->count; i++) {
			const sf_ynode *l = links->items[i];
			const char *type = sf_yaml_str(sf_yaml_get(l, "type"));
			const char *title = sf_yaml_str(sf_yaml_get(l, "title"));
			if (!sf_inv_web_url(sf_yaml_str(sf_yaml_get(l, "url"))))
				continue;
			if (pass == 0 ? type && strcasecmp(type, "runbook") == 0
			              : contains_word(title, "runbook") || contains_word(title, "playbook"))
				return l;
		}
	return NULL;
}

/* One Component or Resource. Returns -1 out of memory. */
static int entity(sf_import_ctx *ctx, const sf_ynode *doc, const char *kind)
{
	const sf_ynode *meta = sf_yaml_get(doc, "metadata"), *spec = sf_yaml_get(doc, "spec");
	const sf_ynode *deps = sf_yaml_get(spec, "dependsOn"), *link;
	const char *name = sf_yaml_str(sf_yaml_get(sf_yaml_get(meta, "annotations"),
	                                           "sharedfate.io/service"));
	const char *owner = sf_yaml_str(sf_yaml_get(spec, "owner"));
	sf_prov prov = { ctx->path, doc->line };
	char key[2100];
	sf_node_id svc;

	if (!name)
		name = sf_yaml_str(sf_yaml_get(meta, "name"));
	if (!plain_text(name, 253)) {
		sf_diag_warn(ctx->diags, ctx->path, doc->line, "%s without metadata.name: skipped", kind);
		return 0;
	}
	snprintf(key, sizeof(key), "service:%s", name);
	svc = sf_graph_node(ctx->graph, SF_KIND_SERVICE, key, name, &prov);
	if (svc == SF_NODE_NONE)
		return -1;
	if (plain_text(owner, 253) && !sf_graph_attr(ctx->graph, svc, "owner") &&
	    sf_inv_service_meta(ctx, svc, SF_KIND_OWNER, owner, doc->line) < 0)
		return -1;
	link = runbook_link(sf_yaml_get(meta, "links"));
	if (link && !sf_graph_attr(ctx->graph, svc, "runbook") &&
	    sf_inv_service_meta(ctx, svc, SF_KIND_RUNBOOK, sf_yaml_str(sf_yaml_get(link, "url")),
	                        link->line) < 0)
		return -1;
	for (size_t i = 0; deps && deps->type == SF_Y_SEQ && i < deps->count && i < BACKSTAGE_MAX_DEPS; i++) {
		const char *ref = sf_yaml_str(deps->items[i]);
		sf_prov dp = { ctx->path, deps->items[i]->line };
		sf_node_id d;
		if (!plain_text(ref, 500))
			continue;
		snprintf(key, sizeof(key), "backstage:%s", ref);
		d = sf_graph_node(ctx->graph, SF_KIND_RESOURCE, key, ref, &dp);
		if (d == SF_NODE_NONE || sf_graph_edge(ctx->graph, svc, SF_EDGE_DEPENDS_ON, d, &dp) < 0)
			return -1;
	}
	return 0;
}

static int backstage_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	sf_ydoc doc;
	int rc = 0;

	if (sf_yaml_parse(ctx->path, data, len, &doc, ctx->diags) < 0)
		return -1;
	for (size_t i = 0; i < doc.ndocs && rc == 0; i++) {
		const char *api = sf_yaml_str(sf_yaml_get(doc.docs[i], "apiVersion"));
		const char *kind = sf_yaml_str(sf_yaml_get(doc.docs[i], "kind"));
		if (!api || strncmp(api, "backstage.io/", 13) != 0 || !kind ||
		    (strcmp(kind, "Component") != 0 && strcmp(kind, "Resource") != 0))
			continue;
		rc = entity(ctx, doc.docs[i], kind);
	}
	sf_yaml_free(&doc);
	if (rc < 0)
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
	return rc;
}

const sf_importer sf_importer_backstage = { "backstage", backstage_sniff, backstage_import, NULL, NULL };
