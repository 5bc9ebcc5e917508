#include "inventory.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dns_common.h"
#include "manifest.h"
#include "tfstate.h"

#define ATTRIBUTIONS_MAX 16

int sf_inv_edge(sf_import_ctx *ctx, sf_node_id from, sf_edge_kind k, sf_node_id to, long line)
{
	sf_prov prov = { ctx->path, line };
	if (from == SF_NODE_NONE || to == SF_NODE_NONE)
		return 0;
	return sf_graph_edge(ctx->graph, from, k, to, &prov);
}

int sf_inv_web_url(const char *u)
{
	if (!u || (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) ||
	    strlen(u) > 2048)
		return 0;
	for (; *u; u++)
		if ((unsigned char)*u <= 0x20 || (unsigned char)*u >= 0x7f)
			return 0;
	return 1;
}

int sf_inv_service_meta(sf_import_ctx *ctx, sf_node_id svc, sf_kind kind, const char *value,
                        long line)
{
	int owner = kind == SF_KIND_OWNER;
	char key[2100];
	sf_prov prov = { ctx->path, line };
	sf_node_id id;

	snprintf(key, sizeof(key), "%s:%s", owner ? "owner" : "runbook", value);
	id = sf_graph_node(ctx->graph, kind, key, value, &prov);
	if (id == SF_NODE_NONE || sf_graph_set_attr(ctx->graph, svc, owner ? "owner" : "runbook",
	                                            value) < 0)
		return -1;
	return sf_graph_edge(ctx->graph, svc, owner ? SF_EDGE_OWNED_BY : SF_EDGE_DEPENDS_ON, id,
	                     &prov) < 0 ? -1 : 0;
}

/* scheme://[user@]host[:port][/...] -> lower-case scheme and host, the
 * port kept as written; credentials and the path dropped. */
static int url_parts(const char *url, char *scheme, size_t ssz, char *host, size_t hsz,
                     const char **port, size_t *portlen)
{
	const char *p = url, *sep = strstr(url, "://"), *h, *e, *colon;
	size_t hl;
	for (const char *q = url; *q; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
			return -1;
	if (sep) {
		if (sep == url || (size_t)(sep - url) >= ssz)
			return -1;
		for (size_t i = 0; i < (size_t)(sep - url); i++)
			scheme[i] = (char)tolower((unsigned char)url[i]);
		scheme[sep - url] = '\0';
		p = sep + 3;
	} else {
		snprintf(scheme, ssz, "https");
	}
	hl = strcspn(p, "/?#");
	h = p;
	for (size_t i = hl; i > 0; i--)
		if (h[i - 1] == '@') {
			h += i;
			hl -= i;
			break;
		}
	e = h + hl;
	colon = memchr(h, ':', hl);
	*port = NULL;
	*portlen = 0;
	if (colon) {
		*port = colon + 1;
		*portlen = (size_t)(e - colon - 1);
		if (*portlen == 0 || *portlen > 5 || strspn(*port, "0123456789") < *portlen)
			return -1;
		hl = (size_t)(colon - h);
	}
	if (hl == 0 || hl >= hsz)
		return -1;
	for (size_t i = 0; i < hl; i++) {
		char c = (char)tolower((unsigned char)h[i]);
		if (!isalnum((unsigned char)c) && c != '-' && c != '.' && c != '_')
			return -1;
		host[i] = c;
	}
	host[hl] = '\0';
	return 0;
}

int sf_inv_vault_key(const char *addr, char *out, size_t outsz)
{
	char scheme[17], host[256];
	const char *port;
	size_t plen;
	int n;
	if (!addr || strlen(addr) > 1024 ||
	    url_parts(addr, scheme, sizeof(scheme), host, sizeof(host), &port, &plen) < 0)
		return -1;
	/* the scheme's own port says nothing: drop it, as a browser would */
	if (port && ((strcmp(scheme, "https") == 0 && plen == 3 && strncmp(port, "443", 3) == 0) ||
	             (strcmp(scheme, "http") == 0 && plen == 2 && strncmp(port, "80", 2) == 0)))
		port = NULL;
	n = snprintf(out, outsz, "vault:%s://%s%s%.*s", scheme, host, port ? ":" : "",
	             port ? (int)plen : 0, port ? port : "");
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* The `dns:` node of a URL's host, when the host is a DNS name. */
static sf_node_id host_dns(sf_import_ctx *ctx, const char *url)
{
	char scheme[17], host[256], canon[SF_DNS_TEXT_MAX], key[SF_DNS_TEXT_MAX + 8];
	const char *port;
	size_t plen;
	if (url_parts(url, scheme, sizeof(scheme), host, sizeof(host), &port, &plen) < 0 ||
	    !strchr(host, '.') || strspn(host, "0123456789.") == strlen(host) ||
	    sf_dns_canon(host, strlen(host), 0, canon, sizeof(canon)) < 0)
		return SF_NODE_NONE;
	snprintf(key, sizeof(key), "dns:%s", canon);
	return sf_graph_node(ctx->graph, SF_KIND_DNS_NAME, key, canon, NULL);
}

sf_node_id sf_inv_vault_cluster(sf_import_ctx *ctx, const char *addr, long line)
{
	char key[SF_INV_KEY_MAX];
	sf_prov prov = { ctx->path, line };
	sf_node_id id;
	if (sf_inv_vault_key(addr, key, sizeof(key)) < 0)
		return SF_NODE_NONE;
	id = sf_graph_node(ctx->graph, SF_KIND_SECRET_STORE, key, key + 6, &prov);
	if (id == SF_NODE_NONE || sf_graph_set_attr(ctx->graph, id, "address", key + 6) < 0 ||
	    sf_inv_edge(ctx, id, SF_EDGE_RESOLVES_TO, host_dns(ctx, key + 6), line) < 0)
		return SF_NODE_NONE;
	return id;
}

sf_node_id sf_inv_idp(sf_import_ctx *ctx, const char *url, long line)
{
	char scheme[17], host[256], key[SF_INV_KEY_MAX];
	const char *port, *path;
	size_t plen, pl;
	sf_prov prov = { ctx->path, line };
	sf_node_id id;
	if (!url || strlen(url) > 1000 ||
	    url_parts(url, scheme, sizeof(scheme), host, sizeof(host), &port, &plen) < 0)
		return SF_NODE_NONE;
	/* the path names the tenant or realm; no query, no trailing slash */
	path = strstr(url, "://");
	path = path ? path + 3 : url;
	path += strcspn(path, "/?#");
	pl = strcspn(path, "?#");
	while (pl > 0 && path[pl - 1] == '/')
		pl--;
	snprintf(key, sizeof(key), "idp:%s://%s%s%.*s%.*s", scheme, host, port ? ":" : "",
	         port ? (int)plen : 0, port ? port : "", (int)pl, path);
	id = sf_graph_node(ctx->graph, SF_KIND_IDENTITY_PROVIDER, key, key + 4, &prov);
	if (id == SF_NODE_NONE || sf_inv_edge(ctx, id, SF_EDGE_RESOLVES_TO, host_dns(ctx, url), line) < 0)
		return SF_NODE_NONE;
	return id;
}

sf_node_id sf_inv_arn_node(sf_import_ctx *ctx, sf_kind kind, const char *arn, long line)
{
	sf_prov prov = { ctx->path, line };
	char key[128];
	tf_arn a;
	sf_node_id id;
	if (!arn || strlen(arn) > 1000 || tf_arn_parse(arn, &a) < 0)
		return SF_NODE_NONE;
	id = sf_graph_node(ctx->graph, kind, arn, arn, &prov);
	/* a partial ARN may reach the full one's node: keep its own */
	if (id == SF_NODE_NONE ||
	    (!sf_graph_attr(ctx->graph, id, "arn") && sf_graph_set_attr(ctx->graph, id, "arn", arn) < 0))
		return SF_NODE_NONE;
	if (a.region[0]) {
		snprintf(key, sizeof(key), "region:%s/%s", a.partition, a.region);
		if (sf_graph_set_attr(ctx->graph, id, "region", a.region) < 0 ||
		    sf_inv_edge(ctx, id, SF_EDGE_LOCATED_IN,
		                sf_graph_node(ctx->graph, SF_KIND_REGION, key, a.region, NULL), line) < 0)
			return SF_NODE_NONE;
	}
	if (a.account[0] && strspn(a.account, "0123456789") == strlen(a.account)) {
		snprintf(key, sizeof(key), "account:%s/%s", a.partition, a.account);
		if (sf_graph_set_attr(ctx->graph, id, "account", a.account) < 0 ||
		    sf_inv_edge(ctx, id, SF_EDGE_MEMBER_OF,
		                sf_graph_node(ctx->graph, SF_KIND_ACCOUNT, key, a.account, NULL), line) < 0)
			return SF_NODE_NONE;
	}
	return id;
}

int sf_inv_arn_in_region(const char *arn, const char *region, char *out, size_t outsz)
{
	const char *res = arn;
	tf_arn a;
	int n;
	if (!arn || tf_arn_parse(arn, &a) < 0 || !region || !region[0] || strlen(region) >= 64 ||
	    strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(region))
		return -1;
	for (int colons = 0; *res && colons < 5; res++)
		if (*res == ':')
			colons++;
	n = snprintf(out, outsz, "arn:%s:%s:%s:%s:%s", a.partition, a.service, region, a.account, res);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

sf_node_id sf_inv_kms_ref(sf_import_ctx *ctx, const char *name, const char *home_arn,
                          const char *region, const char *default_alias, long line)
{
	char arn[700], res[520];
	tf_arn home;
	if (name && strncmp(name, "arn:", 4) == 0)
		return sf_inv_arn_node(ctx, SF_KIND_KMS_KEY, name, line);
	if (!home_arn || tf_arn_parse(home_arn, &home) < 0 || !home.account[0])
		return SF_NODE_NONE;
	if (!region || !region[0])
		region = home.region;
	if (!name || !name[0])
		snprintf(res, sizeof(res), "alias/%s", default_alias);
	else if (strlen(name) >= 500)
		return SF_NODE_NONE;
	else if (strncmp(name, "alias/", 6) == 0)
		snprintf(res, sizeof(res), "%s", name);
	else
		snprintf(res, sizeof(res), "key/%s", name);
	if (!region[0] || strlen(region) >= 64)
		return SF_NODE_NONE;
	snprintf(arn, sizeof(arn), "arn:%s:kms:%s:%s:%s", home.partition, region, home.account, res);
	return sf_inv_arn_node(ctx, SF_KIND_KMS_KEY, arn, line);
}

sf_node_id sf_inv_file(sf_import_ctx *ctx, const char *format, char *scope, size_t scopesz)
{
	sf_manifest_attribution at[ATTRIBUTIONS_MAX];
	char key[SF_INV_KEY_MAX], sides[1024], how[2048];
	size_t n = 0, so = 0, ho = 0;
	sf_prov prov = { ctx->path, 0 };
	sf_node_id id;
	const char *slash;

	if (ctx->root && ctx->realpath)
		n = sf_manifest_attribute(ctx->root, ctx->realpath, at, ATTRIBUTIONS_MAX);
	snprintf(key, sizeof(key), "inventory:%s", ctx->path);
	id = sf_graph_node(ctx->graph, SF_KIND_RESOURCE, key, ctx->path, &prov);
	if (id == SF_NODE_NONE || sf_graph_set_attr(ctx->graph, id, "type", format) < 0)
		return SF_NODE_NONE;
	/* the file's folder, unless a side says where its cluster is */
	slash = strrchr(ctx->path, '/');
	snprintf(scope, scopesz, "%.*s", slash ? (int)(slash - ctx->path + 1) : 0, ctx->path);
	sides[0] = how[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char dkey[300];
		if (i == 0)
			snprintf(scope, scopesz, "%s", at[i].scope);
		if (so < sizeof(sides))
			so += (size_t)snprintf(sides + so, sizeof(sides) - so, "%s%s/%s", i ? ", " : "",
			                       at[i].service, at[i].side);
		if (ho < sizeof(how))
			ho += (size_t)snprintf(how + ho, sizeof(how) - ho, "%s%s", i ? "; " : "", at[i].how);
		if (!at[i].dns[0])
			continue;
		/* The side cannot serve without what its inventory names. */
		snprintf(dkey, sizeof(dkey), "dns:%s", at[i].dns);
		if (sf_inv_edge(ctx, sf_graph_node(ctx->graph, SF_KIND_DNS_NAME, dkey, at[i].dns, NULL),
		                SF_EDGE_SERVED_BY, id, 0) < 0)
			return SF_NODE_NONE;
	}
	if (sf_graph_set_attr(ctx->graph, id, "side", n ? sides : "none") < 0 ||
	    sf_graph_set_attr(ctx->graph, id, "attributed_by",
	                      n ? how : "nothing: no sharedfate.yaml side's paths or names match") < 0)
		return SF_NODE_NONE;
	return id;
}

void sf_inv_lines_init(sf_inv_lines *l, const char *data)
{
	l->data = data;
	l->pos = 0;
	l->line = 1;
	l->misses = 0;
}

long sf_inv_lines_next(sf_inv_lines *l, const char *needle)
{
	char pat[1100];
	size_t nl;
	long line = l->line;
	int n;
	if (!needle || l->misses >= SF_INV_LINES_MISSES)
		return 0;
	n = snprintf(pat, sizeof(pat), "\"%s\"", needle);
	if (n < 0 || (size_t)n >= sizeof(pat))
		return 0;
	nl = (size_t)n;
	/* our own loop, not strstr: a sanitizer's strstr measures the whole
	 * rest of the text on every call */
	for (const char *c = l->data + l->pos; *c; c++) {
		if (*c == '\n')
			line++;
		else if (*c == '"' && strncmp(c, pat, nl) == 0) {
			l->pos = (size_t)(c - l->data);
			l->line = line;
			return line;
		}
	}
	l->misses++;
	return 0;
}
