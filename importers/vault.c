/* HashiCorp Vault mount tables: `vault secrets list -format=json` and
 * `vault auth list -format=json`, read with jansson.
 *
 * Both print a map keyed by mount path ("secret/", "auth/oidc/" is
 * printed as "oidc/"), each mount with type, accessor, local, seal_wrap,
 * config and options. The HTTP API (GET /v1/sys/mounts, /v1/sys/auth)
 * wraps the same map in {"request_id": ..., "data": {...}} and older
 * servers repeat it at the top level too; we read `data` when it is there.
 * An auth table is told from a secrets table by its accessors (auth_*),
 * which the CLI prints for every mount, else by the `token` method every
 * auth table holds.
 *
 * Nodes: the cluster is a secret_store keyed `vault:<address>`; the
 * address comes from a `VAULT_ADDR` member beside the mounts, else from a
 * folder of the file named for the host (`vault.example.com_8200/`). A
 * secrets engine is a secret_store `vault:<address>/<path>` served by the
 * cluster; `local: true` marks it not replicated to other clusters. An
 * auth method is an identity_provider `vault:<address>/auth/<path>`;
 * oidc, jwt, ldap, saml and okta are how people log in (login=operators),
 * kubernetes, aws, approle, cert, gcp and azure how workloads do
 * (login=workloads). Nothing in these tables is secret; only allow-listed
 * facts are copied anyway. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "importer.h"
#include "inventory.h"

#define VAULT_MAX_MOUNTS 10000

static const char *const operator_logins[] = { "oidc", "jwt", "ldap", "saml", "okta",
	                                           "userpass", "github", "radius", NULL };

static int in_list(const char *s, const char *const *l)
{
	for (; s && *l; l++)
		if (strcmp(s, *l) == 0)
			return 1;
	return 0;
}

/* The mount map: `data` of an API response, else the object itself. */
static json_t *mount_map(json_t *root)
{
	json_t *data = json_object_get(root, "data");
	if (json_is_object(data) && (json_object_get(root, "request_id") ||
	                             json_object_get(root, "lease_id")))
		return data;
	return root;
}

/* Does `v` look like a mount (an object with a string type)? */
static int is_mount(const char *path, json_t *v)
{
	size_t l = strlen(path);
	return l > 1 && path[l - 1] == '/' && json_is_object(v) &&
	       json_is_string(json_object_get(v, "type"));
}

static int vault_sniff(const char *path, const char *head, size_t len)
{
	const char *p = head;
	(void)path;
	(void)len;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p != '{' || strstr(head, "\"terraform_version\"") || strstr(head, "\"ResourceRecordSets\""))
		return 0;
	/* every mount the CLI prints has these three */
	return strstr(head, "\"accessor\"") && strstr(head, "\"seal_wrap\"") &&
	       strstr(head, "\"type\"") ? 85 : 0;
}

/* The address from the file's folders: the nearest named like a host,
 * `vault.example.com` or `vault.example.com_8200`. */
static int addr_from_path(const char *path, char *out, size_t outsz)
{
	char comp[300], key[SF_INV_KEY_MAX], url[320];
	int found = -1;
	for (const char *c = path, *slash; (slash = strchr(c, '/')); c = slash + 1) {
		size_t l = (size_t)(slash - c);
		char *us;
		if (l == 0 || l >= sizeof(comp) || !memchr(c, '.', l) || (l <= 2 && c[0] == '.'))
			continue;
		memcpy(comp, c, l);
		comp[l] = '\0';
		if ((us = strrchr(comp, '_')) && us[1] && strspn(us + 1, "0123456789") == strlen(us + 1))
			*us = ':';
		snprintf(url, sizeof(url), "https://%s", comp);
		if (sf_inv_vault_key(url, key, sizeof(key)) == 0 &&
		    (size_t)snprintf(out, outsz, "%s", url) < outsz)
			found = 0;      /* keep going: the nearest folder wins */
	}
	if (found == 0)
		return 0;
	return -1;
}

static int vault_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	json_t *root, *map, *v, *addr_j;
	const char *path, *addr = NULL;
	char addrbuf[400], key[SF_INV_KEY_MAX], scope[1024];
	int is_auth = 0, rc = -1;
	size_t nmounts = 0;
	sf_inv_lines lines;
	sf_node_id cluster;

	if (!(root = sf_json_load_input(ctx->diags, ctx->path, data, len)))
		return -1;
	if (!json_is_object(root)) {
		sf_diag_error(ctx->diags, ctx->path, 1, "not a Vault mount table: the top level is not an object");
		goto cleanup;
	}
	map = mount_map(root);
	json_object_foreach(map, path, v) {
		if (!is_mount(path, v))
			continue;
		nmounts++;
		if (strncmp(json_string_value(json_object_get(v, "accessor")) ?
		            json_string_value(json_object_get(v, "accessor")) : "", "auth_", 5) == 0 ||
		    strcmp(json_string_value(json_object_get(v, "type")), "token") == 0)
			is_auth = 1;
	}
	if (nmounts == 0 || nmounts > VAULT_MAX_MOUNTS) {
		if (nmounts)
			sf_diag_error(ctx->diags, ctx->path, 1, "more than %d mounts", VAULT_MAX_MOUNTS);
		else
			sf_diag_error(ctx->diags, ctx->path, 1, "not a Vault mount table: no member is a "
			              "mount (\"path/\": {\"type\": ...})");
		goto cleanup;
	}
	addr_j = json_object_get(root, "VAULT_ADDR");
	if (!addr_j)
		addr_j = json_object_get(root, "vault_addr");
	if (json_is_string(addr_j))
		addr = json_string_value(addr_j);
	else if (addr_from_path(ctx->path, addrbuf, sizeof(addrbuf)) == 0)
		addr = addrbuf;
	if (!addr) {
		sf_diag_warn(ctx->diags, ctx->path, 1,
		             "which Vault cluster? add \"VAULT_ADDR\" beside the mounts or name a folder "
		             "for its host (vault.example.com_8200/); keyed by this file meanwhile");
		snprintf(addrbuf, sizeof(addrbuf), "https://unknown.vault.invalid");
		addr = addrbuf;
	}
	if ((cluster = sf_inv_vault_cluster(ctx, addr, 1)) == SF_NODE_NONE) {
		sf_inv_lines_init(&lines, data);
		sf_diag_error(ctx->diags, ctx->path, sf_inv_lines_next(&lines, "VAULT_ADDR"),
		              "VAULT_ADDR is not an address such as https://vault.example.com:8200");
		goto cleanup;
	}
	if (sf_inv_file(ctx, is_auth ? "vault-auth" : "vault-secrets", scope, sizeof(scope)) ==
	    SF_NODE_NONE)
		goto oom;
	if (sf_graph_set_attr(ctx->graph, cluster, "type", "vault") < 0)
		goto oom;
	/* jansson iterates an object in the text's order */
	sf_inv_lines_init(&lines, data);
	json_object_foreach(map, path, v) {
		const char *type, *nodekey = sf_graph_key(ctx->graph, cluster);
		long line;
		sf_node_id m;
		sf_prov prov;
		json_t *local, *ver;
		if (!is_mount(path, v) || strlen(path) > 500)
			continue;
		type = json_string_value(json_object_get(v, "type"));
		line = sf_inv_lines_next(&lines, path);
		prov.path = ctx->path;
		prov.line = line;
		snprintf(key, sizeof(key), "%s/%s%s", nodekey, is_auth ? "auth/" : "", path);
		m = sf_graph_node(ctx->graph, is_auth ? SF_KIND_IDENTITY_PROVIDER : SF_KIND_SECRET_STORE,
		                  key, key + 6, &prov);
		if (m == SF_NODE_NONE || sf_graph_set_attr(ctx->graph, m, "type", type) < 0 ||
		    sf_inv_edge(ctx, m, SF_EDGE_SERVED_BY, cluster, line) < 0)
			goto oom;
		local = json_object_get(v, "local");
		if (json_is_true(local) && sf_graph_set_attr(ctx->graph, m, "local_only", "true") < 0)
			goto oom;
		ver = json_object_get(json_object_get(v, "options"), "version");
		if (!is_auth && json_is_string(ver) && strspn(json_string_value(ver), "0123456789") ==
		                                           strlen(json_string_value(ver)) &&
		    strlen(json_string_value(ver)) < 4 &&
		    sf_graph_set_attr(ctx->graph, m, "kv_version", json_string_value(ver)) < 0)
			goto oom;
		if (is_auth && strcmp(type, "token") != 0 &&
		    sf_graph_set_attr(ctx->graph, m, "login",
		                      in_list(type, operator_logins) ? "operators" : "workloads") < 0)
			goto oom;
	}
	rc = 0;
	goto cleanup;
oom:
	sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
cleanup:
	json_decref(root);
	return rc;
}

const sf_importer sf_importer_vault = { "vault", vault_sniff, vault_import, NULL, NULL };
