/* SOPS: the `sops:` metadata of encrypted YAML, JSON (and binary, which
 * SOPS wraps in JSON), dotenv and INI files, and the `creation_rules` of
 * `.sops.yaml`.
 *
 * An encrypted file names the master keys that can open it: AWS KMS
 * (`kms[].arn`), GCP KMS (`gcp_kms[].resource_id`), Azure Key Vault
 * (`azure_kv[]`), Vault transit (`hc_vault[]`), age and PGP. Any one of
 * them opens the file (an ANY gate), unless the keys come in `key_groups`:
 * then each group opens a share and `shamir_threshold` shares (default:
 * all groups) open the file: with the threshold at the number of groups
 * every group is needed (ALL), below it the loss of any one group is
 * survived (ANY, the single-failure view the analysis takes).
 *
 * Only the `sops:` mapping is looked at. The encrypted values, the `enc`
 * data keys and the `mac` are never copied anywhere. The metadata sits at
 * the end of a file, past what sniffing sees, so a file is recognised by
 * the `ENC[AES256_GCM,` of its values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"
#include "inventory.h"
#include "model/yaml.h"

#define SOPS_MAX_KEYS 256
#define SOPS_MAX_GROUPS 32
/* Flat metadata: entries read, and the highest list index taken. */
#define SOPS_FLAT_MAX_ENTRIES 4096
#define SOPS_FLAT_MAX_INDEX 255

typedef struct sops {
	sf_import_ctx *ctx;
	int oom;
	size_t nkeys;
} sops;

static const char *base_of(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static int sops_sniff(const char *path, const char *head, size_t len)
{
	const char *b = base_of(path);
	(void)len;
	if (strcmp(b, ".sops.yaml") == 0 || strcmp(b, ".sops.yml") == 0)
		return 95;
	return strstr(head, "ENC[AES256_GCM,") ? 85 : 0;
}

static sf_node_id key_node(sops *s, const char *key, const char *label, const char *type, long line)
{
	sf_prov prov = { s->ctx->path, line };
	sf_node_id id = SF_NODE_NONE;
	/* a key id taken as written may be the key a state gave a node of its
	 * own: that node moves aside (importers/tf_scope.c) */
	if (sf_scope_claim(s->ctx->graph, key) == 0)
		id = sf_graph_node(s->ctx->graph, SF_KIND_KMS_KEY, key, label, &prov);
	if (id == SF_NODE_NONE || sf_graph_set_attr(s->ctx->graph, id, "type", type) < 0)
		s->oom = 1;
	return id;
}

/* A Vault transit key: vault:<addr>/<engine>/keys/<name>, served by its
 * engine mount, served by the cluster. */
static sf_node_id transit_key(sops *s, const char *addr, const char *engine, const char *name,
                              long line)
{
	char key[SF_INV_KEY_MAX], mount[SF_INV_KEY_MAX];
	sf_node_id cluster = sf_inv_vault_cluster(s->ctx, addr, line), m, k;
	size_t el;
	if (cluster == SF_NODE_NONE || !engine || !name || (el = strlen(engine)) == 0 || el > 200 ||
	    strlen(name) > 200)
		return SF_NODE_NONE;
	while (el > 0 && engine[el - 1] == '/')
		el--;
	if ((size_t)snprintf(mount, sizeof(mount), "%s/%.*s/",
	                     sf_graph_key(s->ctx->graph, cluster), (int)el, engine) >= sizeof(mount) ||
	    (size_t)snprintf(key, sizeof(key), "%skeys/%s", mount, name) >= sizeof(key))
		return SF_NODE_NONE;
	{
		sf_prov prov = { s->ctx->path, line };
		m = sf_graph_node(s->ctx->graph, SF_KIND_SECRET_STORE, mount, mount + 6, &prov);
	}
	k = key_node(s, key, key + 6, "vault-transit", line);
	if (sf_inv_edge(s->ctx, m, SF_EDGE_SERVED_BY, cluster, line) < 0 ||
	    sf_inv_edge(s->ctx, k, SF_EDGE_SERVED_BY, m, line) < 0)
		s->oom = 1;
	return k;
}

/* `https://vault.example.com:8200/v1/sops/keys/firstkey` */
static sf_node_id transit_uri(sops *s, const char *uri, long line)
{
	const char *v1 = strstr(uri, "/v1/"), *keys;
	char addr[600], engine[300];
	if (!v1 || (size_t)(v1 - uri) >= sizeof(addr) || !(keys = strstr(v1 + 4, "/keys/")) ||
	    (size_t)(keys - v1 - 4) >= sizeof(engine))
		return SF_NODE_NONE;
	snprintf(addr, sizeof(addr), "%.*s", (int)(v1 - uri), uri);
	snprintf(engine, sizeof(engine), "%.*s", (int)(keys - v1 - 4), v1 + 4);
	return transit_key(s, addr, engine, keys + 6, line);
}

/* One master key, given as a metadata entry (a mapping) or as the string
 * a creation rule lists. */
static sf_node_id master_key(sops *s, const char *type, const sf_ynode *n)
{
	const char *v = sf_yaml_str(n);
	char key[SF_INV_KEY_MAX];
	if (++s->nkeys > SOPS_MAX_KEYS)
		return SF_NODE_NONE;
	if (strcmp(type, "kms") == 0) {
		char arn[1100];
		const char *a = v ? v : sf_yaml_str(sf_yaml_get(n, "arn"));
		sf_node_id id;
		if (!a || strlen(a) >= sizeof(arn))
			return SF_NODE_NONE;
		/* `arn:...:key/x+arn:...:role/y`: the key, then a role to assume */
		snprintf(arn, sizeof(arn), "%.*s", (int)strcspn(a, "+"), a);
		id = sf_inv_arn_node(s->ctx, SF_KIND_KMS_KEY, arn, n->line);
		if (id != SF_NODE_NONE && sf_graph_set_attr(s->ctx->graph, id, "type", "aws-kms") < 0)
			s->oom = 1;
		return id;
	}
	if (strcmp(type, "gcp_kms") == 0) {
		const char *r = v ? v : sf_yaml_str(sf_yaml_get(n, "resource_id"));
		if (!r || strlen(r) > 500)
			return SF_NODE_NONE;
		return key_node(s, r, r, "gcp-kms", n->line);
	}
	if (strcmp(type, "azure_kv") == 0 || strcmp(type, "azure_keyvault") == 0) {
		/* metadata says vault_url/name, key groups of rules vaultUrl/key */
		const char *url = v ? v : sf_yaml_str(sf_yaml_get(n, "vault_url"));
		const char *name = v ? NULL : sf_yaml_str(sf_yaml_get(n, "name"));
		if (!url && !v) {
			url = sf_yaml_str(sf_yaml_get(n, "vaultUrl"));
			name = sf_yaml_str(sf_yaml_get(n, "key"));
		}
		if (!url || strlen(url) > 500 || (name && strlen(name) > 200))
			return SF_NODE_NONE;
		snprintf(key, sizeof(key), "azurekv:%s%s%s", url, name ? "/keys/" : "", name ? name : "");
		return key_node(s, key, key + 8, "azure-key-vault", n->line);
	}
	if (strcmp(type, "hc_vault") == 0 || strcmp(type, "hc_vault_transit_uri") == 0) {
		if (v)
			return transit_uri(s, v, n->line);
		return transit_key(s, sf_yaml_str(sf_yaml_get(n, "vault_address")),
		                   sf_yaml_str(sf_yaml_get(n, "engine_path")),
		                   sf_yaml_str(sf_yaml_get(n, "key_name")), n->line);
	}
	if (strcmp(type, "age") == 0) {
		const char *r = v ? v : sf_yaml_str(sf_yaml_get(n, "recipient"));
		if (!r || strlen(r) > 200)
			return SF_NODE_NONE;
		snprintf(key, sizeof(key), "age:%s", r);
		return key_node(s, key, r, "age", n->line);
	}
	if (strcmp(type, "pgp") == 0) {
		const char *fp = v ? v : sf_yaml_str(sf_yaml_get(n, "fp"));
		if (!fp || strlen(fp) > 200)
			return SF_NODE_NONE;
		snprintf(key, sizeof(key), "pgp:%s", fp);
		return key_node(s, key, fp, "pgp", n->line);
	}
	return SF_NODE_NONE;
}

static const char *const key_types[] = { "kms", "gcp_kms", "azure_kv", "azure_keyvault", "hc_vault",
	                                     "hc_vault_transit_uri", "age", "pgp", NULL };

/* `holder` is encrypted by every key listed in mapping `m`: lists of
 * entries (metadata, key groups) or comma-separated strings (rules). */
static size_t keys_of(sops *s, sf_node_id holder, const sf_ynode *m)
{
	size_t n = 0;
	for (const char *const *t = key_types; *t; t++) {
		const sf_ynode *l = sf_yaml_get(m, *t);
		const char *csv = sf_yaml_str(l);
		if (csv) {
			/* "a,b,c": one scalar per key, with the scalar's line */
			for (const char *c = csv; *c;) {
				size_t w = strcspn(c, ",");
				char one[1100];
				sf_ynode tmp;
				if (w > 0 && w < sizeof(one)) {
					size_t b = 0;
					while (b < w && c[b] == ' ')
						b++;
					snprintf(one, sizeof(one), "%.*s", (int)(w - b), c + b);
					memset(&tmp, 0, sizeof(tmp));
					tmp.type = SF_Y_SCALAR;
					tmp.value = one;
					tmp.line = l->line;
					if (one[0] && sf_inv_edge(s->ctx, holder, SF_EDGE_ENCRYPTED_BY,
					                          master_key(s, *t, &tmp), l->line) < 0)
						s->oom = 1;
					n++;
				}
				c += w;
				if (*c == ',')
					c++;
			}
			continue;
		}
		for (size_t i = 0; l && l->type == SF_Y_SEQ && i < l->count; i++) {
			sf_node_id k = master_key(s, *t, l->items[i]);
			if (k == SF_NODE_NONE)
				continue;
			if (sf_inv_edge(s->ctx, holder, SF_EDGE_ENCRYPTED_BY, k, l->items[i]->line) < 0)
				s->oom = 1;
			n++;
		}
	}
	return n;
}

/* The keys of `meta` (a file's sops: block or a creation rule) on node
 * `holder`, with key groups and the threshold as gates. */
static void keys_and_groups(sops *s, sf_node_id holder, const sf_ynode *meta, const char *prefix)
{
	const sf_ynode *groups = sf_yaml_get(meta, "key_groups");
	long threshold = 0;
	char key[SF_INV_KEY_MAX], buf[32];

	if (!groups || groups->type != SF_Y_SEQ || groups->count == 0) {
		keys_of(s, holder, meta);
		sf_graph_set_gate(s->ctx->graph, holder, SF_GATE_ANY);
		return;
	}
	if (sf_yaml_get(meta, "shamir_threshold") &&
	    (sf_yaml_long(sf_yaml_get(meta, "shamir_threshold"), &threshold) < 0 || threshold < 1)) {
		sf_diag_warn(s->ctx->diags, s->ctx->path, sf_yaml_get(meta, "shamir_threshold")->line,
		             "shamir_threshold is not a positive number: taken as every group");
		threshold = 0;
	}
	if (threshold <= 0 || (size_t)threshold > groups->count)
		threshold = (long)groups->count;
	snprintf(buf, sizeof(buf), "%ld of %zu", threshold, groups->count);
	if (sf_graph_set_attr(s->ctx->graph, holder, "shamir_threshold", buf) < 0)
		s->oom = 1;
	sf_graph_set_gate(s->ctx->graph, holder,
	                  (size_t)threshold == groups->count ? SF_GATE_ALL : SF_GATE_ANY);
	for (size_t g = 0; g < groups->count && g < SOPS_MAX_GROUPS; g++) {
		sf_prov prov = { s->ctx->path, groups->items[g]->line };
		sf_node_id gid;
		snprintf(key, sizeof(key), "%s#group%zu", prefix, g + 1);
		gid = sf_graph_node(s->ctx->graph, SF_KIND_SECRET, key, key + 5, &prov);
		if (gid == SF_NODE_NONE || sf_inv_edge(s->ctx, holder, SF_EDGE_ENCRYPTED_BY, gid,
		                                       groups->items[g]->line) < 0) {
			s->oom = 1;
			return;
		}
		sf_graph_set_gate(s->ctx->graph, gid, SF_GATE_ANY);
		keys_of(s, gid, groups->items[g]);
	}
}

static void creation_rules(sops *s, const sf_ynode *rules, sf_node_id file)
{
	char key[SF_INV_KEY_MAX];
	for (size_t i = 0; rules->type == SF_Y_SEQ && i < rules->count && !s->oom; i++) {
		const sf_ynode *r = rules->items[i];
		const char *re = sf_yaml_str(sf_yaml_get(r, "path_regex"));
		sf_prov prov = { s->ctx->path, r->line };
		sf_node_id id;
		snprintf(key, sizeof(key), "sops:%s#rule%zu", s->ctx->path, i + 1);
		id = sf_graph_node(s->ctx->graph, SF_KIND_SECRET, key, key + 5, &prov);
		if (id == SF_NODE_NONE ||
		    (re && strlen(re) < 500 && sf_graph_set_attr(s->ctx->graph, id, "path_regex", re) < 0) ||
		    sf_inv_edge(s->ctx, file, SF_EDGE_DEPENDS_ON, id, r->line) < 0) {
			s->oom = 1;
			return;
		}
		keys_and_groups(s, id, r, key);
	}
}

/* ---- the flat stores ----
 *
 * SOPS's dotenv and INI stores cannot nest, so they flatten the metadata
 * tree into key names: a list index becomes "__list_N", a mapping key
 * "__map_NAME" (`kms__list_0__map_arn`). Dotenv puts "sops_" before each
 * key; INI puts the keys in a [sops] section. They are rebuilt here into
 * the tree the YAML and JSON stores write, so that one reader serves all
 * five formats. Only the keys are interpreted; the values stay strings and
 * the encrypted ones (data keys, the MAC) are never looked at. */

/* Child `name` of mapping `map`, made with `type` when absent; NULL when
 * it exists with another type (the entry is ignored) or out of memory. */
static sf_ynode *flat_key(sf_ynode *map, const char *name, size_t nlen, sf_ytype type, long line,
                          int *oom)
{
	sf_ynode *c;
	char *key;
	for (size_t i = 0; i < map->count; i++)
		if (strlen(map->keys[i]) == nlen && memcmp(map->keys[i], name, nlen) == 0)
			return map->items[i]->type == type ? map->items[i] : NULL;
	c = sf_yaml_new(type, line);
	key = strndup(name, nlen);
	if (!c || !key || sf_yaml_append(map, c, key, line) < 0) {
		free(c);
		free(key);
		*oom = 1;
		return NULL;
	}
	return c;
}

/* Item `idx` of sequence `seq`; the gap before it is filled with empty
 * nodes of the same type, so that readers never meet a hole. */
static sf_ynode *flat_index(sf_ynode *seq, size_t idx, sf_ytype type, long line, int *oom)
{
	while (seq->count <= idx) {
		sf_ynode *c = sf_yaml_new(type, line);
		if (!c || sf_yaml_append(seq, c, NULL, 0) < 0) {
			free(c);
			*oom = 1;
			return NULL;
		}
	}
	return seq->items[idx]->type == type ? seq->items[idx] : NULL;
}

/* The type a path segment's value has: what the next segment says. */
static sf_ytype flat_type(const char *next)
{
	if (!next)
		return SF_Y_SCALAR;
	return strncmp(next, "list_", 5) == 0 ? SF_Y_SEQ : SF_Y_MAP;
}

/* One flattened entry `key` = `val` into the tree under `root`. Entries
 * whose key is not a path SOPS writes are skipped. */
static void flat_put(sf_ynode *root, const char *key, size_t klen, const char *val, size_t vlen,
                     long line, int *oom)
{
	char path[256];
	char *seg[16];
	size_t nseg = 0;
	sf_ynode *cur = root;

	if (klen == 0 || klen >= sizeof(path))
		return;
	memcpy(path, key, klen);
	path[klen] = '\0';
	for (char *p = path; p && nseg < sizeof(seg) / sizeof(seg[0]);) {
		char *sep = strstr(p, "__");
		seg[nseg++] = p;
		if (sep) {
			*sep = '\0';
			p = sep + 2;
		} else {
			p = NULL;
		}
	}
	for (size_t i = 0; i < nseg && cur; i++) {
		const char *next = i + 1 < nseg ? seg[i + 1] : NULL;
		sf_ytype type = flat_type(next);
		if (i == 0) {
			cur = flat_key(cur, seg[0], strlen(seg[0]), type, line, oom);
		} else if (strncmp(seg[i], "list_", 5) == 0 && cur->type == SF_Y_SEQ) {
			char *end;
			unsigned long idx = strtoul(seg[i] + 5, &end, 10);
			if (end == seg[i] + 5 || *end || idx > SOPS_FLAT_MAX_INDEX)
				return;
			cur = flat_index(cur, idx, type, line, oom);
		} else if (strncmp(seg[i], "map_", 4) == 0 && seg[i][4] && cur->type == SF_Y_MAP) {
			cur = flat_key(cur, seg[i] + 4, strlen(seg[i] + 4), type, line, oom);
		} else {
			return;
		}
	}
	if (cur && cur->type == SF_Y_SCALAR && !cur->value && !(cur->value = strndup(val, vlen)))
		*oom = 1;
}

/* A flat store's metadata, as the document `{sops: {...}}` the other
 * stores write: dotenv lines `sops_PATH=value`, or INI lines `PATH = value`
 * in a [sops] section. 0 when the file has none (it is then read as YAML or
 * JSON), 1 when `out` holds it, -1 out of memory. */
static int flat_metadata(const char *data, size_t len, sf_ydoc *out)
{
	sf_ynode *top = NULL, *root = NULL;
	size_t entries = 0;
	int in_sops = 0, oom = 0;
	long line = 0;

	memset(out, 0, sizeof(*out));

	for (size_t at = 0; at < len && !oom;) {
		const char *l = data + at, *eol = memchr(l, '\n', len - at);
		size_t n = eol ? (size_t)(eol - l) : len - at, k, v;
		const char *key, *val;
		int ini;
		at += n + 1;
		line++;
		if (n && l[n - 1] == '\r')
			n--;
		while (n && (*l == ' ' || *l == '\t')) {
			l++;
			n--;
		}
		if (n && l[0] == '[') {
			in_sops = n == 6 && memcmp(l, "[sops]", 6) == 0;
			continue;
		}
		if (!n || l[0] == '#' || l[0] == ';' || !(val = memchr(l, '=', n)))
			continue;
		ini = in_sops;
		if (!ini && !(n > 5 && memcmp(l, "sops_", 5) == 0))
			continue;
		key = ini ? l : l + 5;
		k = (size_t)(val - key);
		while (k && (key[k - 1] == ' ' || key[k - 1] == '\t'))
			k--;
		val++;
		v = n - (size_t)(val - l);
		while (ini && v && (*val == ' ' || *val == '\t')) {
			val++;
			v--;
		}
		while (ini && v && (val[v - 1] == ' ' || val[v - 1] == '\t'))
			v--;
		if (++entries > SOPS_FLAT_MAX_ENTRIES)
			break;
		if (!top) {
			if (!(out->docs = malloc(sizeof(*out->docs))) || !(top = sf_yaml_new(SF_Y_MAP, line))) {
				oom = 1;
				break;
			}
			out->docs[0] = top;
			out->ndocs = 1;
			if (!(root = flat_key(top, "sops", 4, SF_Y_MAP, line, &oom)))
				break;
		}
		flat_put(root, key, k, val, v, line, &oom);
	}
	/* a file that only mentions sops_ keys is no SOPS file: it needs the
	 * metadata every store writes */
	if (oom || !root || (!sf_yaml_get(root, "version") && !sf_yaml_get(root, "mac"))) {
		sf_yaml_free(out);
		return oom ? -1 : 0;
	}
	return 1;
}

static int sops_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	sf_ydoc doc;
	char scope[1024], key[SF_INV_KEY_MAX];
	const sf_ynode *meta, *rules;
	int dotsops = strncmp(base_of(ctx->path), ".sops.y", 7) == 0, flat;
	sf_node_id file, id;
	sops s;

	flat = dotsops ? 0 : flat_metadata(data, len, &doc);
	if (flat < 0) {
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
		return -1;
	}
	if (!flat && sf_yaml_parse(ctx->path, data, len, &doc, ctx->diags) < 0)
		return -1;
	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	meta = doc.ndocs == 1 ? sf_yaml_get(doc.docs[0], "sops") : NULL;
	rules = doc.ndocs == 1 ? sf_yaml_get(doc.docs[0], "creation_rules") : NULL;
	if (dotsops && (!rules || rules->type != SF_Y_SEQ)) {
		sf_diag_error(ctx->diags, ctx->path, rules ? rules->line : 1,
		              "creation_rules must be a list of rules");
		sf_yaml_free(&doc);
		return -1;
	}
	/* ENC[...] in a file is what sniffing saw; without the metadata it is
	 * a document quoting SOPS output, not an encrypted file */
	if (!dotsops && (!meta || meta->type != SF_Y_MAP)) {
		sf_diag_warn(ctx->diags, ctx->path, meta ? meta->line : 1,
		             "looks encrypted (ENC[...]) but has no SOPS metadata (a top-level sops: "
		             "mapping, sops_ lines or a [sops] section); not read");
		sf_yaml_free(&doc);
		return 0;
	}
	if ((file = sf_inv_file(ctx, dotsops ? "sops-config" : "sops", scope, sizeof(scope))) ==
	    SF_NODE_NONE) {
		s.oom = 1;
	} else if (dotsops) {
		creation_rules(&s, rules, file);
	} else {
		sf_prov prov = { ctx->path, meta->line };
		snprintf(key, sizeof(key), "sops:%s", ctx->path);
		id = sf_graph_node(ctx->graph, SF_KIND_SECRET, key, ctx->path, &prov);
		if (id == SF_NODE_NONE || sf_inv_edge(ctx, file, SF_EDGE_READS_SECRET, id, meta->line) < 0)
			s.oom = 1;
		else
			keys_and_groups(&s, id, meta, key);
	}
	if (s.nkeys > SOPS_MAX_KEYS)
		sf_diag_warn(ctx->diags, ctx->path, meta ? meta->line : 1,
		             "more than %d master keys: the rest are not read", SOPS_MAX_KEYS);
	sf_yaml_free(&doc);
	if (s.oom) {
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
		return -1;
	}
	return 0;
}

const sf_importer sf_importer_sops = { "sops", sops_sniff, sops_import, NULL, NULL };
