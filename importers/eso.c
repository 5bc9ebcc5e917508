/* External Secrets Operator manifests (external-secrets.io/v1 and
 * v1beta1), read with the bounded YAML reader: SecretStore and
 * ClusterSecretStore (provider aws, vault, azurekv, gcpsm), ExternalSecret
 * (secretStoreRef, data[].remoteRef.key, dataFrom[], an item's own
 * sourceRef.storeRef) and ClusterExternalSecret (its externalSecretSpec in
 * each namespace). Files hold several documents, or a List as kubectl
 * writes it; Deployments, ConfigMaps and the rest of a kustomization
 * beside them are skipped without a word.
 *
 * A store belongs to the cluster its controller runs in, which is where
 * the file is: stores and namespaces are keyed by the file's scope (the
 * side's folder from sharedfate.yaml, else the file's folder), so that
 * two clusters' `vault-backend` stores stay two nodes and an
 * ExternalSecret meets its store in another file of the same cluster.
 *
 *   inventory file -> namespace -> store -> backend (Vault mount and
 *   cluster, Secrets Manager secret in its region, Key Vault, project)
 *   store -> the Vault auth method or IAM role it logs in with */
#include <stdio.h>
#include <string.h>

#include "importer.h"
#include "inventory.h"
#include "model/yaml.h"

#define ESO_MAX_ITEMS 10000
/* Items read per file, counted once per namespace that reads them: a
 * ClusterExternalSecret of 10,000 namespaces and 10,000 items must not
 * make 10^8 edges. */
#define ESO_MAX_WORK 200000

typedef struct eso {
	sf_import_ctx *ctx;
	const char *scope;
	sf_node_id file;
	int oom;
	size_t work;
} eso;

static int eso_sniff(const char *path, const char *head, size_t len)
{
	size_t l = strlen(path);
	(void)len;
	if (l < 5 || (strcmp(path + l - 5, ".yaml") != 0 && strcmp(path + l - 4, ".yml") != 0))
		return 0;
	/* a Helm template is not YAML until rendered: not an inventory */
	if (strstr(head, "{{"))
		return 0;
	return strstr(head, "external-secrets.io/v1") ? 80 : 0;
}

static void edge(eso *e, sf_node_id from, sf_edge_kind k, sf_node_id to, long line)
{
	if (sf_inv_edge(e->ctx, from, k, to, line) < 0)
		e->oom = 1;
}

static sf_node_id node(eso *e, sf_kind kind, const char *key, const char *label, long line)
{
	sf_prov prov = { e->ctx->path, line };
	sf_node_id id = sf_graph_node(e->ctx->graph, kind, key, label, &prov);
	if (id == SF_NODE_NONE)
		e->oom = 1;
	return id;
}

static const char *str_at(const sf_ynode *n, const char *a, const char *b, const char *c)
{
	const sf_ynode *x = sf_yaml_get(n, a);
	if (b)
		x = sf_yaml_get(x, b);
	if (c)
		x = sf_yaml_get(x, c);
	return sf_yaml_str(x);
}

static sf_node_id store_node(eso *e, int cluster_wide, const char *ns, const char *name, long line)
{
	char key[SF_INV_KEY_MAX], label[300];
	if (cluster_wide)
		snprintf(key, sizeof(key), "eso:%s:ClusterSecretStore/%s", e->scope, name);
	else
		snprintf(key, sizeof(key), "eso:%s:SecretStore/%s/%s", e->scope, ns, name);
	snprintf(label, sizeof(label), "%s%s%s", cluster_wide ? "" : ns, cluster_wide ? "" : "/", name);
	return node(e, SF_KIND_SECRET_STORE, key, label, line);
}

/* The Vault auth method a store logs in with: kubernetes, appRole, jwt,
 * ldap, userPass, cert, iam each take a mount path (default: the type). */
static void vault_auth(eso *e, sf_node_id store, const char *cluster_key, const sf_ynode *auth)
{
	static const struct { const char *field, *type; } methods[] = {
		{ "kubernetes", "kubernetes" }, { "appRole", "approle" }, { "jwt", "jwt" },
		{ "ldap", "ldap" }, { "userPass", "userpass" }, { "cert", "cert" }, { "iam", "aws" },
	};
	for (size_t i = 0; auth && auth->type == SF_Y_MAP && i < sizeof(methods) / sizeof(methods[0]); i++) {
		const sf_ynode *m = sf_yaml_get(auth, methods[i].field);
		const char *mount;
		char key[SF_INV_KEY_MAX];
		sf_node_id id;
		size_t l;
		if (!m)
			continue;
		mount = sf_yaml_str(sf_yaml_get(m, "mountPath"));
		if (!mount)
			mount = sf_yaml_str(sf_yaml_get(m, "path"));
		if (!mount || !mount[0])
			mount = methods[i].type;
		while (*mount == '/')
			mount++;
		l = strlen(mount);
		if (l == 0 || l > 200)
			continue;
		if ((size_t)snprintf(key, sizeof(key), "%s/auth/%s%s", cluster_key, mount,
		                     mount[l - 1] == '/' ? "" : "/") >= sizeof(key))
			continue;
		id = node(e, SF_KIND_IDENTITY_PROVIDER, key, key + 6, m->line);
		edge(e, store, SF_EDGE_AUTHENTICATES_VIA, id, m->line);
		edge(e, id, SF_EDGE_SERVED_BY, sf_graph_find(e->ctx->graph, cluster_key), m->line);
	}
}

static void provider_vault(eso *e, sf_node_id store, const sf_ynode *v)
{
	const char *server = sf_yaml_str(sf_yaml_get(v, "server"));
	const char *path = sf_yaml_str(sf_yaml_get(v, "path"));
	char key[SF_INV_KEY_MAX];
	sf_node_id cluster;
	size_t l;
	if (!server || (cluster = sf_inv_vault_cluster(e->ctx, server, v->line)) == SF_NODE_NONE) {
		sf_diag_warn(e->ctx->diags, e->ctx->path, v->line,
		             "vault provider without a server address such as https://vault.example.com:8200");
		return;
	}
	snprintf(key, sizeof(key), "%s", sf_graph_key(e->ctx->graph, cluster));
	vault_auth(e, store, key, sf_yaml_get(v, "auth"));
	/* the store reads one engine mount; without a path, the cluster */
	if (path && (l = strlen(path)) > 0 && l < 200 && path[0] != '/') {
		char mkey[SF_INV_KEY_MAX];
		sf_node_id m;
		if ((size_t)snprintf(mkey, sizeof(mkey), "%s/%s%s", key, path,
		                     path[l - 1] == '/' ? "" : "/") >= sizeof(mkey))
			return;
		m = node(e, SF_KIND_SECRET_STORE, mkey, mkey + 6, v->line);
		edge(e, store, SF_EDGE_READS_SECRET, m, v->line);
		edge(e, m, SF_EDGE_SERVED_BY, cluster, v->line);
	} else {
		edge(e, store, SF_EDGE_READS_SECRET, cluster, v->line);
	}
}

static void provider_aws(eso *e, sf_node_id store, const sf_ynode *v)
{
	const char *region = sf_yaml_str(sf_yaml_get(v, "region"));
	const char *role = sf_yaml_str(sf_yaml_get(v, "role"));
	const char *service = sf_yaml_str(sf_yaml_get(v, "service"));
	char key[128];
	if (region && strlen(region) < 64 &&
	    strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(region)) {
		snprintf(key, sizeof(key), "region:aws/%s", region);
		edge(e, store, SF_EDGE_LOCATED_IN,
		     node(e, SF_KIND_REGION, key, region, 0), v->line);
		if (sf_graph_set_attr(e->ctx->graph, store, "region", region) < 0)
			e->oom = 1;
	}
	if (service && sf_graph_set_attr(e->ctx->graph, store, "provider", service) < 0)
		e->oom = 1;
	if (role) {
		sf_node_id r = sf_inv_arn_node(e->ctx, SF_KIND_PRINCIPAL, role, v->line);
		const char *account = r == SF_NODE_NONE ? NULL : sf_graph_attr(e->ctx->graph, r, "account");
		edge(e, store, SF_EDGE_ASSUMES, r, v->line);
		if (account && sf_graph_set_attr(e->ctx->graph, store, "account", account) < 0)
			e->oom = 1;
	}
}

static void store_doc(eso *e, const sf_ynode *doc, int cluster_wide)
{
	const char *name = str_at(doc, "metadata", "name", NULL);
	const char *ns = str_at(doc, "metadata", "namespace", NULL);
	const sf_ynode *prov = sf_yaml_get(sf_yaml_get(doc, "spec"), "provider"), *v;
	sf_node_id store;
	if (!name || strlen(name) > 253) {
		sf_diag_warn(e->ctx->diags, e->ctx->path, doc->line, "secret store without metadata.name: skipped");
		return;
	}
	store = store_node(e, cluster_wide, ns ? ns : "default", name, doc->line);
	if (store == SF_NODE_NONE)
		return;
	if ((v = sf_yaml_get(prov, "vault"))) {
		provider_vault(e, store, v);
	} else if ((v = sf_yaml_get(prov, "aws"))) {
		provider_aws(e, store, v);
	} else if ((v = sf_yaml_get(prov, "azurekv"))) {
		const char *url = sf_yaml_str(sf_yaml_get(v, "vaultUrl"));
		char key[SF_INV_KEY_MAX];
		if (url && strlen(url) < 500) {
			snprintf(key, sizeof(key), "azurekv:%s", url);
			edge(e, store, SF_EDGE_READS_SECRET, node(e, SF_KIND_SECRET_STORE, key, url, v->line), v->line);
		}
	} else if ((v = sf_yaml_get(prov, "gcpsm"))) {
		const char *project = sf_yaml_str(sf_yaml_get(v, "projectID"));
		char key[SF_INV_KEY_MAX];
		if (project && strlen(project) < 200) {
			snprintf(key, sizeof(key), "gcpsm:projects/%s", project);
			edge(e, store, SF_EDGE_READS_SECRET, node(e, SF_KIND_SECRET_STORE, key, key + 6, v->line),
			     v->line);
		}
	}
}

/* A Secrets Manager secret by name: the partial ARN the Terraform importer
 * aliases each secret by, when the store's role says the account. */
static void aws_remote(eso *e, sf_node_id store, const char *keyname, long line)
{
	const char *region = sf_graph_attr(e->ctx->graph, store, "region");
	const char *svc = sf_graph_attr(e->ctx->graph, store, "provider");
	const char *account = sf_graph_attr(e->ctx->graph, store, "account");
	char arn[1200];
	if (!region || !account || strncmp(keyname, "arn:", 4) == 0 || strlen(keyname) > 512 ||
	    (svc && strcmp(svc, "SecretsManager") != 0))
		return;
	snprintf(arn, sizeof(arn), "arn:aws:secretsmanager:%s:%s:secret:%s", region, account, keyname);
	edge(e, store, SF_EDGE_READS_SECRET, sf_inv_arn_node(e->ctx, SF_KIND_SECRET, arn, line), line);
}

static void remote_key(eso *e, sf_node_id store, const char *keyname, long line)
{
	if (!keyname || !keyname[0])
		return;
	if (strncmp(keyname, "arn:", 4) == 0)
		edge(e, store, SF_EDGE_READS_SECRET, sf_inv_arn_node(e->ctx, SF_KIND_SECRET, keyname, line), line);
	else
		aws_remote(e, store, keyname, line);
}

/* The store a `secretStoreRef` (or an item's `sourceRef.storeRef`) names,
 * read from namespace `ns`, or SF_NODE_NONE when it names none. */
static sf_node_id ref_store(eso *e, sf_node_id nsnode, const char *ns, const sf_ynode *ref)
{
	const char *sname = sf_yaml_str(sf_yaml_get(ref, "name"));
	const char *skind = sf_yaml_str(sf_yaml_get(ref, "kind"));
	sf_node_id store;
	if (!sname || strlen(sname) > 253)
		return SF_NODE_NONE;
	store = store_node(e, skind && strcmp(skind, "ClusterSecretStore") == 0, ns, sname, ref->line);
	edge(e, nsnode, SF_EDGE_READS_SECRET, store, ref->line);
	return store;
}

/* data[] and dataFrom[]: each item reads from the spec's store, or from
 * the one its own sourceRef.storeRef names (ESO 0.9 and later); an item
 * made by a generator (sourceRef.generatorRef) reads no store. */
static void spec_items(eso *e, sf_node_id nsnode, const char *ns, sf_node_id store,
                       const sf_ynode *list, const char *field)
{
	for (size_t i = 0; list && list->type == SF_Y_SEQ && i < list->count && i < ESO_MAX_ITEMS; i++) {
		const sf_ynode *item = list->items[i], *src = sf_yaml_get(item, "sourceRef");
		sf_node_id from = store;
		if (++e->work == ESO_MAX_WORK + 1)
			sf_diag_warn(e->ctx->diags, e->ctx->path, item->line,
			             "more than %d secret reads in one file (items times namespaces): "
			             "the rest are not read", ESO_MAX_WORK);
		if (e->work > ESO_MAX_WORK)
			return;
		if (sf_yaml_get(src, "generatorRef"))
			continue;
		if (sf_yaml_get(src, "storeRef"))
			from = ref_store(e, nsnode, ns, sf_yaml_get(src, "storeRef"));
		if (from != SF_NODE_NONE)
			remote_key(e, from, str_at(item, field, "key", NULL), item->line);
	}
}

/* An ExternalSecret's spec, as read in namespace `ns`. */
static void external_secret(eso *e, const sf_ynode *spec, const char *ns, const char *what,
                            long line)
{
	const sf_ynode *ref = sf_yaml_get(spec, "secretStoreRef");
	char key[SF_INV_KEY_MAX];
	sf_node_id nsnode, store;

	if (strlen(ns) > 253)
		return;
	snprintf(key, sizeof(key), "k8s:%s:namespace/%s", e->scope, ns);
	nsnode = node(e, SF_KIND_COMPUTE, key, ns, line);
	edge(e, e->file, SF_EDGE_SERVED_BY, nsnode, line);
	store = ref ? ref_store(e, nsnode, ns, ref) : SF_NODE_NONE;
	if (ref && store == SF_NODE_NONE)
		sf_diag_warn(e->ctx->diags, e->ctx->path, ref->line,
		             "%s: spec.secretStoreRef without a name: its items without a store of "
		             "their own are skipped", what);
	spec_items(e, nsnode, ns, store, sf_yaml_get(spec, "data"), "remoteRef");
	spec_items(e, nsnode, ns, store, sf_yaml_get(spec, "dataFrom"), "extract");
}

static void external_secret_doc(eso *e, const sf_ynode *doc)
{
	const char *ns = str_at(doc, "metadata", "namespace", NULL);
	const sf_ynode *spec = sf_yaml_get(doc, "spec");

	if (!sf_yaml_get(spec, "secretStoreRef") && !sf_yaml_get(spec, "data") &&
	    !sf_yaml_get(spec, "dataFrom")) {
		sf_diag_warn(e->ctx->diags, e->ctx->path, doc->line,
		             "ExternalSecret without spec.secretStoreRef.name: skipped");
		return;
	}
	external_secret(e, spec, ns ? ns : "default", "ExternalSecret", doc->line);
}

/* A ClusterExternalSecret makes its spec.externalSecretSpec an
 * ExternalSecret in each namespace it names (spec.namespaces); namespaces
 * picked by label selectors cannot be known from files, so they are one
 * node standing for all of them. */
static void cluster_external_secret_doc(eso *e, const sf_ynode *doc)
{
	const sf_ynode *spec = sf_yaml_get(doc, "spec");
	const sf_ynode *es = sf_yaml_get(spec, "externalSecretSpec");
	const sf_ynode *nss = sf_yaml_get(spec, "namespaces");
	const char *name = str_at(doc, "metadata", "name", NULL);
	size_t n = 0;
	char any[300];

	if (!es || es->type != SF_Y_MAP) {
		sf_diag_warn(e->ctx->diags, e->ctx->path, doc->line,
		             "ClusterExternalSecret without spec.externalSecretSpec: skipped");
		return;
	}
	for (size_t i = 0; nss && nss->type == SF_Y_SEQ && i < nss->count && i < ESO_MAX_ITEMS; i++) {
		const char *ns = sf_yaml_str(nss->items[i]);
		if (ns && ns[0]) {
			external_secret(e, es, ns, "ClusterExternalSecret", nss->items[i]->line);
			n++;
		}
	}
	if (n == 0 || sf_yaml_get(spec, "namespaceSelector") || sf_yaml_get(spec, "namespaceSelectors")) {
		snprintf(any, sizeof(any), "(namespaces selected by %s)",
		         name && strlen(name) < 200 ? name : "a ClusterExternalSecret");
		external_secret(e, es, any, "ClusterExternalSecret", doc->line);
	}
}

static int str_eq(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

/* One Kubernetes object: stores in pass 0, what reads them in pass 1;
 * every other kind is skipped without a word. */
static void object(eso *e, const sf_ynode *d, int pass)
{
	const char *api = sf_yaml_str(sf_yaml_get(d, "apiVersion"));
	const char *kind = sf_yaml_str(sf_yaml_get(d, "kind"));
	if (!str_eq(api, "external-secrets.io/v1") && !str_eq(api, "external-secrets.io/v1beta1"))
		return;
	if (pass == 0 && str_eq(kind, "SecretStore"))
		store_doc(e, d, 0);
	else if (pass == 0 && str_eq(kind, "ClusterSecretStore"))
		store_doc(e, d, 1);
	else if (pass == 1 && str_eq(kind, "ExternalSecret"))
		external_secret_doc(e, d);
	else if (pass == 1 && str_eq(kind, "ClusterExternalSecret"))
		cluster_external_secret_doc(e, d);
}

static int eso_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	sf_ydoc doc;
	char scope[1024];
	eso e;

	if (sf_yaml_parse(ctx->path, data, len, &doc, ctx->diags) < 0)
		return -1;
	memset(&e, 0, sizeof(e));
	e.ctx = ctx;
	e.scope = scope;
	if ((e.file = sf_inv_file(ctx, "external-secrets", scope, sizeof(scope))) == SF_NODE_NONE)
		e.oom = 1;
	/* stores first: an ExternalSecret reads the store's region and role */
	for (int pass = 0; pass < 2 && !e.oom; pass++)
		for (size_t i = 0; i < doc.ndocs && !e.oom; i++) {
			const sf_ynode *d = doc.docs[i], *items = sf_yaml_get(d, "items");
			/* `kubectl get ... -o yaml` wraps the objects in a List */
			if (str_eq(sf_yaml_str(sf_yaml_get(d, "kind")), "List") && items &&
			    items->type == SF_Y_SEQ) {
				for (size_t k = 0; k < items->count && k < ESO_MAX_ITEMS && !e.oom; k++)
					object(&e, items->items[k], pass);
			} else {
				object(&e, d, pass);
			}
		}
	sf_yaml_free(&doc);
	if (e.oom) {
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
		return -1;
	}
	return 0;
}

const sf_importer sf_importer_eso = { "external-secrets", eso_sniff, eso_import, NULL, NULL };
