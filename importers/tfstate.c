/* Terraform state: format 4 (`terraform.tfstate`), `terraform show -json`,
 * and format 3 (Terraform 0.11; tfstate_v3.c turns it into the same
 * instance records).
 *
 * Every managed resource instance becomes a node keyed by its address
 * (`module.dr.aws_lb.api["b"]`) within its state: per-region states reuse
 * addresses, so the node is scoped by the state (importers/tf_scope.c) and
 * the link phase shows it bare where it is unique. Known resource types get their
 * meaning as typed edges (tf_aws.c); every other resource is a plain node.
 *
 * State files hold plaintext secrets. Nothing is copied from an instance's
 * attributes except the allow-listed facts that the semantics below read
 * by name, and never an attribute that the state marks sensitive
 * (`sensitive_attributes` in v4, `sensitive_values` in show -json). */
#include "tfstate.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "model/buf.h"
#include "model/stats.h"
#include "tf_path.h"
#include "tf_check.h"
#include "tf_jarena.h"
#include "tf_scan.h"

/* Provider tables: adding a provider file is adding a line here. */
static const tf_type *const tf_tables[] = {
	tf_aws_types,
	tf_aws_iam_types,
	tf_aws_secrets_types,
	tf_cloudflare_types,
	tf_azure_types,
	tf_gcp_types,
};

const tf_type *tf_type_find(const char *name)
{
	/* a resource's instances come together: often the last type again */
	static const tf_type *last;
	if (last && strcmp(last->name, name) == 0)
		return last;
	for (size_t i = 0; i < sizeof(tf_tables) / sizeof(tf_tables[0]); i++)
		for (const tf_type *t = tf_tables[i]; t->name; t++)
			if (strcmp(t->name, name) == 0)
				return last = t;
	return NULL;
}

/* ---- attributes kept as text, decoded per type callback ---- */

/* The instances tf_inst_attrs() decoded since the last release. One
 * import runs at a time, and tf_attrs_release() ends each type callback
 * (make_nodes, make_edges), so at most the instances one callback reads
 * are decoded at once. */
static tf_inst **decoded;
static size_t ndecoded, decodedcap;
/* Out of memory while decoding: an attribute must not read as absent (an
 * edge silently lost), so the callback's end reports it. */
static int decode_oom;

json_t *tf_inst_attrs(const tf_inst *in)
{
	/* the records are the import's own (t->inst); only the cache changes */
	tf_inst *m = (tf_inst *)(uintptr_t)in;
	int was;

	if (in->attrs || !in->kept)
		return in->attrs;
	if (ndecoded == decodedcap) {
		size_t cap = decodedcap ? decodedcap * 2 : 64;
		tf_inst **p = realloc(decoded, cap * sizeof(*p));
		if (!p) {
			decode_oom = 1;
			return NULL;
		}
		decoded = p;
		decodedcap = cap;
	}
	/* into the span arena, which tf_attrs_release() empties */
	was = tf_jarena_use(TF_JARENA_SPAN);
	m->attrs = json_object();
	tf_jarena_use(was);
	if (m->attrs)
		decoded[ndecoded++] = m;
	else
		decode_oom = 1;
	return m->attrs;
}

/* One kept value. Its text was checked once already (decoded by jansson
 * with its resource, or vouched for by tf_check), so a string without
 * escapes is exactly the bytes between its quotes, and valid UTF-8 (which
 * json_stringn checks again): made directly, as json_loadb costs
 * thousands of instructions even for a short string. Anything else is
 * jansson's. */
static json_t *kept_value(const char *p, size_t n, json_error_t *err)
{
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"' && !memchr(p, '\\', n))
		return json_stringn(p + 1, n - 2);
	if (n == 4 && memcmp(p, "true", 4) == 0)
		return json_true();
	if (n == 5 && memcmp(p, "false", 5) == 0)
		return json_false();
	if (n == 4 && memcmp(p, "null", 4) == 0)
		return json_null();
	return json_loadb(p, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, err);
}

/* Kept text is a run of entries: the name, a NUL, the length of the
 * value's JSON text (4 bytes, native order), then the text. */
json_t *tf_inst_attr(const tf_inst *in, const char *name)
{
	json_t *attrs = tf_inst_attrs(in), *v;
	const char *p, *end;
	json_error_t err;

	v = json_object_get(attrs, name);
	if (!attrs || !in->kept || v)
		return v;
	for (p = in->kept, end = in->kept + in->keptlen; p < end;) {
		size_t kl = strlen(p);
		uint32_t vl;
		int was;
		memcpy(&vl, p + kl + 1, sizeof(vl));
		if (strcmp(p, name) != 0) {
			p += kl + 1 + sizeof(vl) + vl;
			continue;
		}
		/* decoded at the first use, kept until the callback ends */
		was = tf_jarena_use(TF_JARENA_SPAN);
		v = kept_value(p + kl + 1 + sizeof(vl), vl, &err);
		sf_stat_add(SF_STAT_TF_KEPT_DECODES, 1);
		/* its text was checked once already: only memory can fail (or a
		 * checker looser than jansson, which then fails closed here) */
		if (!v || json_object_set_new(attrs, name, v) < 0) {
			v = NULL;
			decode_oom = 1;
		}
		tf_jarena_use(was);
		return v;
	}
	return NULL;
}

int tf_attrs_release(void)
{
	int rc = decode_oom ? -1 : 0;
	for (size_t i = 0; i < ndecoded; i++) {
		tf_jarena_release(decoded[i]->attrs);
		decoded[i]->attrs = NULL;
	}
	ndecoded = 0;
	decode_oom = 0;
	return rc;
}

static void attrs_release_all(void)
{
	tf_attrs_release();
	free(decoded);
	decoded = NULL;
	decodedcap = 0;
}

/* ---- small helpers over jansson, with the sensitivity check built in ---- */

/* Does a show -json sensitive_values entry mark anything inside? */
int tf_json_has_true(json_t *v, int depth)
{
	size_t i;
	const char *k;
	json_t *x;
	if (json_is_true(v))
		return 1;
	if (depth > 32)
		return 1;       /* too deep to tell: treat as sensitive */
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (tf_json_has_true(x, depth + 1))
				return 1;
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, x)
			if (tf_json_has_true(x, depth + 1))
				return 1;
	}
	return 0;
}

/* Is top-level attribute `key` of this instance, or anything inside it,
 * marked sensitive? Then none of it is read. */
int tf_sensitive(const tf_inst *in, const char *key)
{
	if (strchr(key, '.'))
		return 1;       /* not a name tf_path can spell: refuse */
	return tf_path_sensitive(in, key);
}

json_t *tf_get(const tf_inst *in, const char *key)
{
	if (!tf_inst_attrs(in) || tf_sensitive(in, key))
		return NULL;
	return tf_inst_attr(in, key);
}

const char *tf_str(const tf_inst *in, const char *key)
{
	json_t *v = tf_get(in, key);
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	return s && s[0] ? s : NULL;
}

/* A number, or a number written as a string (older providers), as text. */
const char *tf_json_num(json_t *v, char *buf, size_t bufsz)
{
	if (json_is_integer(v)) {
		snprintf(buf, bufsz, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v) && json_real_value(v) >= -1e15 && json_real_value(v) <= 1e15) {
		snprintf(buf, bufsz, "%.0f", json_real_value(v));
		return buf;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = strlen(s);
		if (n == 0 || n >= bufsz || strspn(s, "0123456789") != n)
			return NULL;
		memcpy(buf, s, n + 1);
		return buf;
	}
	return NULL;
}

const char *tf_num(const tf_inst *in, const char *key, char *buf, size_t bufsz)
{
	return tf_json_num(tf_get(in, key), buf, bufsz);
}

/* true/false, or "true"/"false" from flatmap-era providers; -1 otherwise. */
int tf_bool(const tf_inst *in, const char *key)
{
	return tf_json_bool(tf_get(in, key));
}

int tf_json_bool(json_t *v)
{
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_string(v)) {
		if (strcmp(json_string_value(v), "true") == 0)
			return 1;
		if (strcmp(json_string_value(v), "false") == 0)
			return 0;
	}
	return -1;
}

/* A nested block: providers write blocks as arrays of objects, sometimes
 * as a bare object, and null or [] when unset. */
json_t *tf_block(const tf_inst *in, const char *key)
{
	json_t *v = tf_get(in, key);
	if (json_is_array(v))
		v = json_array_get(v, 0);
	return json_is_object(v) ? v : NULL;
}

const char *tf_obj_str(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	return s && s[0] ? s : NULL;
}

/* Report a failover member declared by instance `in` (its provenance is
 * the instance's line). Returns -1 out of memory (t->oom is set). */
int tf_member(tf_ctx *t, const tf_inst *in, const char *group, const char *source,
              const char *name, int role, sf_node_id record, sf_node_id root, long line)
{
	sf_failover_member m;
	memset(&m, 0, sizeof(m));
	m.group = group;
	m.source = source;
	m.name = name;
	m.role = role;
	m.record = record;
	m.root = root;
	m.prov.path = t->ctx->path;
	m.prov.line = line ? line : in->line;
	if (sf_failover_add(t->ctx->failover, t->g, &m) < 0) {
		t->oom = 1;
		return -1;
	}
	return 0;
}

/* ---- names ---- */

sf_node_id tf_scoped_node(tf_ctx *t, sf_kind kind, const char *name, const char *label,
                          const tf_inst *in)
{
	sf_prov p = { t->ctx->path, in->line };
	sf_node_id id = sf_scope_node(t->g, kind, name, label, &p, NULL);
	if (id == SF_NODE_NONE)
		t->oom = 1;
	return id;
}

sf_node_id tf_part_node(tf_ctx *t, sf_kind kind, const tf_inst *in, const char *suffix,
                        size_t label_max)
{
	sf_buf name = SF_BUF_INIT, label = SF_BUF_INIT;
	sf_node_id id = SF_NODE_NONE;

	sf_buf_printf(&name, "%s%s", in->address, suffix);
	if (!name.failed && name.len >= label_max)
		sf_buf_add(&label, name.ptr, label_max - 1);
	if (name.failed || label.failed)
		t->oom = 1;
	else
		id = tf_scoped_node(t, kind, name.ptr, label.len ? sf_buf_cstr(&label) : NULL, in);
	sf_buf_free(&name);
	sf_buf_free(&label);
	return id;
}

int tf_alias(tf_ctx *t, const char *key, sf_node_id id)
{
	if (sf_scope_claim(t->g, key) < 0)
		return -1;
	return sf_graph_alias(t->g, key, id);
}

sf_node_id tf_find(tf_ctx *t, const char *key)
{
	return sf_scope_lookup(t->g, key);
}

/* Printable ASCII only: keys must be safe in every output format, and no
 * real DNS name, ARN or address needs more. */
static int clean_token(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

int tf_dns_key(const char *name, char *out, size_t outsz)
{
	size_t n, o = 0;
	if (!name || !clean_token(name, 255))
		return -1;
	if (strncasecmp(name, "dualstack.", 10) == 0)
		name += 10;
	n = strlen(name);
	while (n && name[n - 1] == '.')
		n--;
	if (n == 0 || n + 6 >= outsz)
		return -1;
	memcpy(out, "dns:", 4);
	o = 4;
	for (size_t i = 0; i < n; i++)
		out[o++] = (char)tolower((unsigned char)name[i]);
	out[o++] = '.';
	out[o] = '\0';
	return 0;
}

sf_node_id tf_dns_node(tf_ctx *t, const char *name)
{
	char key[300];
	if (tf_dns_key(name, key, sizeof(key)) < 0)
		return SF_NODE_NONE;
	return sf_graph_node(t->g, SF_KIND_DNS_NAME, key, key + 4, NULL);
}

/* An address in its canonical text form (inet_ntop), so that the
 * 2001:DB8::0:1 of a state and the 2001:db8::1 of a zone file meet. */
sf_node_id tf_ip_node(tf_ctx *t, const char *ip)
{
	unsigned char addr[16];
	char canon[INET6_ADDRSTRLEN], key[80];
	int af;
	if (!ip || !clean_token(ip, 64))
		return SF_NODE_NONE;
	af = strchr(ip, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(af, ip, addr) != 1 || !inet_ntop(af, addr, canon, sizeof(canon)))
		return SF_NODE_NONE;
	snprintf(key, sizeof(key), "ip:%s", canon);
	return sf_graph_node(t->g, SF_KIND_ENDPOINT, key, canon, NULL);
}

/* A node for a cloud object known by ARN or ID: the live node if some
 * input defines it, a placeholder of `kind` the link phase may merge. */
sf_node_id tf_ref(tf_ctx *t, sf_kind kind, const char *key)
{
	if (!key || !clean_token(key, 2048))
		return SF_NODE_NONE;
	if (sf_scope_claim(t->g, key) < 0) {
		t->oom = 1;
		return SF_NODE_NONE;
	}
	return sf_graph_node(t->g, kind, key, NULL, NULL);
}

int tf_edge(tf_ctx *t, sf_node_id from, sf_edge_kind kind, sf_node_id to, const tf_inst *in)
{
	sf_prov p = { t->ctx->path, in ? in->line : 0 };
	if (from == SF_NODE_NONE || to == SF_NODE_NONE)
		return 0;
	if (sf_graph_edge(t->g, from, kind, to, &p) < 0) {
		t->oom = 1;
		return -1;
	}
	return 0;
}

void tf_attr(tf_ctx *t, sf_node_id id, const char *name, const char *value)
{
	char clean[512];
	if (id == SF_NODE_NONE || !value)
		return;
	sf_sanitize(clean, sizeof(clean), value, strlen(value));
	if (sf_graph_set_attr(t->g, id, name, clean) < 0)
		t->oom = 1;
}

/* ---- ARNs ---- */

/* Copy the field from `start` up to the ':' before `next`. */
static int copy_field(char *dst, size_t dstsz, const char *start, const char *next)
{
	size_t l = (size_t)(next - start - 1);
	if (l >= dstsz)
		return -1;
	memcpy(dst, start, l);
	dst[l] = '\0';
	return 0;
}

int tf_arn_parse(const char *arn, tf_arn *out)
{
	/* arn:partition:service:region:account:resource */
	const char *p[5];
	const char *s = arn;
	memset(out, 0, sizeof(*out));
	if (!arn || strncmp(arn, "arn:", 4) != 0 || !clean_token(arn, 2048))
		return -1;
	s += 4;
	for (int i = 0; i < 4; i++) {
		const char *c = strchr(s, ':');
		if (!c)
			return -1;
		p[i] = s;
		s = c + 1;
	}
	p[4] = s;
	if (copy_field(out->partition, sizeof(out->partition), p[0], p[1]) < 0 ||
	    copy_field(out->service, sizeof(out->service), p[1], p[2]) < 0 ||
	    copy_field(out->region, sizeof(out->region), p[2], p[3]) < 0 ||
	    copy_field(out->account, sizeof(out->account), p[3], p[4]) < 0)
		return -1;
	return 0;
}

/* Region and account of a resource from its ARN: located_in (data plane),
 * member_of (control plane). */
void tf_place(tf_ctx *t, sf_node_id id, const char *arn, const tf_inst *in, int with_region)
{
	tf_arn a;
	char key[128];
	if (tf_arn_parse(arn, &a) < 0)
		return;
	if (with_region && a.region[0]) {
		sf_node_id r;
		snprintf(key, sizeof(key), "region:%s/%s", a.partition, a.region);
		r = sf_graph_node(t->g, SF_KIND_REGION, key, a.region, NULL);
		tf_edge(t, id, SF_EDGE_LOCATED_IN, r, in);
		tf_attr(t, id, "region", a.region);
	}
	if (a.account[0] && strspn(a.account, "0123456789") == strlen(a.account)) {
		sf_node_id acc;
		snprintf(key, sizeof(key), "account:%s/%s", a.partition, a.account);
		acc = sf_graph_node(t->g, SF_KIND_ACCOUNT, key, a.account, NULL);
		tf_edge(t, id, SF_EDGE_MEMBER_OF, acc, in);
		tf_attr(t, id, "account", a.account);
	}
}

/* ---- reading the two formats into tf_inst records ---- */

static long line_at(const char *text, size_t off)
{
	long line = 1;
	for (size_t i = 0; i < off && text[i]; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* Line of the first `"key":` in the text, for diagnostics about
 * top-level fields; 1 when not found. */
long tf_line_of_key(const char *text, const char *key)
{
	char pat[64];
	const char *p;
	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(text, pat);
	return p ? line_at(text, (size_t)(p - text)) : 1;
}

/* Terraform writes v4 state with two-space indentation, so a resource's
 * `"mode"` sits at six spaces. The i-th such line starts resource i. */
static void index_v4_lines(tf_ctx *t, size_t nres)
{
	const char *p = t->text, *end = t->text + t->len;
	long line = 1;
	size_t found = 0;
	long *lines = calloc(nres ? nres : 1, sizeof(*lines));

	if (!lines)
		return;
	while (p < end) {
		if ((size_t)(end - p) >= 15 && memcmp(p, "      \"mode\": \"", 15) == 0) {
			if (found < nres)
				lines[found] = line;
			found++;
		}
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			break;
		p++;
		line++;
	}
	if (found != nres) {
		free(lines);
		return;         /* not written by Terraform: lines stay unknown */
	}
	t->res_lines = lines;
}

typedef struct addr_line {
	char *addr;
	long line;
} addr_line;

static int cmp_addr_line(const void *a, const void *b)
{
	const addr_line *x = a, *y = b;
	int c = strcmp(x->addr, y->addr);
	return c ? c : (x->line < y->line ? -1 : x->line > y->line);
}

/* show -json: the line of every `"address": "..."` in one pass, so that a
 * resource's line is a binary search (and not a search of the whole text
 * per resource). The string is unescaped for \" and \\ only, enough for
 * for_each keys. */
static void index_show_lines(tf_ctx *t)
{
	const char *p = t->text, *end = t->text + t->len;
	long line = 1;
	size_t cap = 0;

	while (p < end) {
		const char *q;
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (*p != '"' || (size_t)(end - p) < 10 || memcmp(p, "\"address\"", 9) != 0) {
			p++;
			continue;
		}
		q = p + 9;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || *q != ':') {
			p = q;
			continue;
		}
		q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || *q != '"') {
			p = q;
			continue;
		}
		q++;
		{
			sf_buf b = SF_BUF_INIT;
			while (q < end && *q != '"' && *q != '\n') {
				if (*q == '\\' && q + 1 < end && (q[1] == '"' || q[1] == '\\'))
					q++;
				sf_buf_putc(&b, *q++);
			}
			if (b.failed || !b.ptr) {
				sf_buf_free(&b);
				p = q;
				continue;
			}
			if (t->naddr == cap) {
				addr_line *n = realloc(t->addr_lines, (cap = cap ? cap * 2 : 256) * sizeof(*n));
				if (!n) {
					sf_buf_free(&b);
					break;
				}
				t->addr_lines = n;
			}
			t->addr_lines[t->naddr].addr = b.ptr;
			t->addr_lines[t->naddr].line = line;
			t->naddr++;
		}
		p = q;
	}
	sf_sort(t->addr_lines, t->naddr, sizeof(addr_line), cmp_addr_line);
}

static long show_line(tf_ctx *t, const char *addr)
{
	size_t lo = 0, hi = t->naddr;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(t->addr_lines[mid].addr, addr) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->naddr && strcmp(t->addr_lines[lo].addr, addr) == 0 ? t->addr_lines[lo].line : 1;
}

int tf_push_inst(tf_ctx *t, const tf_inst *in)
{
	if (t->ninst == t->instcap) {
		size_t cap = t->instcap ? t->instcap * 2 : 64;
		tf_inst *p = realloc(t->inst, cap * sizeof(*p));
		if (!p)
			return -1;
		t->inst = p;
		t->instcap = cap;
	}
	t->inst[t->ninst++] = *in;
	return 0;
}

/* The provider's type name from either shape:
 *   provider.aws, provider.aws.west                         (0.12)
 *   provider["registry.terraform.io/hashicorp/aws"].west    (0.13+)
 *   module.x.provider[...]                                  (in modules)
 *   registry.terraform.io/hashicorp/aws                     (show -json) */
const char *tf_provider_type(const char *s, char *buf, size_t bufsz)
{
	const char *p, *end;
	if (!s)
		return NULL;
	if ((p = strstr(s, "provider[\""))) {
		p += 10;
		end = strchr(p, '"');
		if (!end)
			return NULL;
		{
			const char *slash = p;
			for (const char *q = p; q < end; q++)
				if (*q == '/')
					slash = q + 1;
			p = slash;
		}
	} else if ((p = strstr(s, "provider."))) {
		p += 9;
		end = p + strcspn(p, ".");
	} else {
		const char *slash = strrchr(s, '/');
		p = slash ? slash + 1 : s;
		end = p + strlen(p);
	}
	if (end <= p || (size_t)(end - p) >= bufsz)
		return NULL;
	memcpy(buf, p, (size_t)(end - p));
	buf[end - p] = '\0';
	return clean_token(buf, bufsz) ? buf : NULL;
}

int tf_valid_ident(const char *s)
{
	if (!s || !s[0] || strlen(s) > 256)
		return 0;
	for (const char *p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

/* `module.a.module.b["x"]`: validated, for keys. */
static int valid_module(const char *s)
{
	return s && clean_token(s, 1024) && strncmp(s, "module.", 7) == 0;
}

static int index_suffix(json_t *key, char *buf, size_t bufsz)
{
	if (!key || json_is_null(key)) {
		buf[0] = '\0';
		return 0;
	}
	if (json_is_integer(key)) {
		snprintf(buf, bufsz, "[%lld]", (long long)json_integer_value(key));
		return 0;
	}
	if (json_is_string(key)) {
		const char *s = json_string_value(key);
		sf_buf b = SF_BUF_INIT;
		int rc = 0;
		if (json_string_length(key) + 4 >= bufsz)
			return -2;      /* longer than an address may be: not escaped at all */
		/* for_each keys may hold any text: escape as Terraform does */
		sf_buf_putc(&b, '[');
		sf_buf_putc(&b, '"');
		for (const char *p = s; *p; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == '"' || c == '\\')
				sf_buf_printf(&b, "\\%c", c);
			else if (c < 0x20 || c == 0x7f)
				sf_buf_printf(&b, "\\u%04x", c);
			else
				sf_buf_putc(&b, (char)c);
		}
		sf_buf_puts(&b, "\"]");
		if (b.failed || b.len >= bufsz)
			rc = -2;
		else
			memcpy(buf, b.ptr, b.len + 1);
		sf_buf_free(&b);
		return rc;
	}
	return -1;
}

/* Fill the identity of one instance: its address from module, type, name
 * and index key, and the interned names. Returns -1 with a diagnostic when
 * the index key is neither a number nor a string, -2 out of memory. */
int tf_inst_identity(tf_ctx *t, tf_inst *in, const char *module, const char *type,
                     const char *name, const char *provider, json_t *index, long line)
{
	char idx[300];
	sf_buf addr = SF_BUF_INIT;

	memset(in, 0, sizeof(*in));
	switch (index_suffix(index, idx, sizeof(idx))) {
	case -1:
		sf_diag_error(t->ctx->diags, t->ctx->path, line,
		              "the index of %s.%s is neither a number nor a string", type, name);
		return -1;
	case -2:
		sf_diag_error(t->ctx->diags, t->ctx->path, line,
		              "the index key of %s.%s is longer than its limit of %zu bytes (written "
		              "as Terraform quotes it)", type, name, sizeof(idx) - 5);
		return -1;
	default:
		break;
	}
	if (module)
		sf_buf_printf(&addr, "%s.", module);
	sf_buf_printf(&addr, "%s.%s%s", type, name, idx);
	if (addr.failed) {
		sf_buf_free(&addr);
		return -2;
	}
	/* an address too long to key its node is refused as memory is */
	in->address = sf_scope_name_ok(t->ctx->path, addr.ptr) ? sf_graph_intern(t->g, addr.ptr) : NULL;
	sf_buf_free(&addr);
	in->type = sf_graph_intern(t->g, type);
	in->module = module ? sf_graph_intern(t->g, module) : NULL;
	in->provider = provider ? sf_graph_intern(t->g, provider) : NULL;
	in->line = line;
	return in->address && in->type ? 0 : -2;
}

/* The sensitivity marks of an instance, checked once: marks of a shape
 * Terraform does not write hide the whole instance, with a warning. */
static json_t *sensitive_marks(tf_ctx *t, const tf_inst *in, json_t *marks, int show_json)
{
	int odd;
	json_t *s = tf_path_sensitive_checked(marks, show_json, &odd);
	if (odd)
		sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
		             "%s of %s has a shape Terraform does not write; "
		             "none of its attributes are read",
		             show_json ? "sensitive_values" : "sensitive_attributes", in->address);
	return s;
}

static void add_resource_instances(tf_ctx *t, json_t *res, long line, const char *module,
                                   int show_json)
{
	const char *mode = tf_obj_str(res, "mode");
	const char *type = tf_obj_str(res, "type");
	const char *name = tf_obj_str(res, "name");
	char prov[64];
	const char *provider;
	json_t *instances, *inst;
	size_t i;

	if (!mode || !type || !name) {
		sf_diag_error(t->ctx->diags, t->ctx->path, line,
		              "resource without mode, type and name strings");
		return;
	}
	if (strcmp(mode, "managed") != 0)
		return;         /* data sources are read, not run: no failure domain */
	if (!tf_valid_ident(type) || !tf_valid_ident(name)) {
		sf_diag_error(t->ctx->diags, t->ctx->path, line,
		              "resource type or name has characters Terraform does not allow");
		return;
	}
	if (module && !valid_module(module)) {
		sf_diag_error(t->ctx->diags, t->ctx->path, line, "malformed module address");
		return;
	}
	provider = tf_provider_type(tf_obj_str(res, show_json ? "provider_name" : "provider"),
	                         prov, sizeof(prov));

	if (show_json) {
		/* one object per instance */
		tf_inst in;
		int rc = tf_inst_identity(t, &in, module, type, name, provider,
		                       json_object_get(res, "index"), line);
		if (rc == -2)
			t->oom = 1;
		if (rc < 0)
			return;
		in.attrs = json_object_get(res, "values");
		in.sensitive = sensitive_marks(t, &in, json_object_get(res, "sensitive_values"), 1);
		in.deps = json_object_get(res, "depends_on");
		in.line = line;
		if (in.attrs && !json_is_object(in.attrs)) {
			sf_diag_error(t->ctx->diags, t->ctx->path, line, "'values' of %s is not an object",
			              in.address);
			return;
		}
		if (tf_push_inst(t, &in) < 0)
			t->oom = 1;
		return;
	}

	instances = json_object_get(res, "instances");
	if (instances && !json_is_array(instances) && !json_is_null(instances)) {
		sf_diag_error(t->ctx->diags, t->ctx->path, line, "'instances' of %s.%s is not an array",
		              type, name);
		return;
	}
	json_array_foreach(instances, i, inst) {
		tf_inst in;
		json_t *attrs;
		int rc;
		if (!json_is_object(inst)) {
			sf_diag_error(t->ctx->diags, t->ctx->path, line, "instance %zu of %s.%s is not an object",
			              i, type, name);
			continue;
		}
		if (json_object_get(inst, "deposed"))
			continue;       /* being destroyed: not part of what serves */
		rc = tf_inst_identity(t, &in, module, type, name, provider,
		                   json_object_get(inst, "index_key"), line);
		if (rc == -2) {
			t->oom = 1;
			return;
		}
		if (rc < 0)
			continue;
		attrs = json_object_get(inst, "attributes");
		if (!attrs && json_is_object(json_object_get(inst, "attributes_flat"))) {
			/* upgraded from format 3 without the provider's schema */
			attrs = tf_flat_decode(json_object_get(inst, "attributes_flat"));
			if (!attrs || json_array_append_new(t->owned, attrs) < 0) {
				t->oom = 1;
				return;
			}
		}
		if (attrs && !json_is_object(attrs) && !json_is_null(attrs)) {
			sf_diag_error(t->ctx->diags, t->ctx->path, line, "attributes of %s are not an object",
			              in.address);
			continue;
		}
		in.attrs = json_is_object(attrs) ? attrs : NULL;
		in.elem = in.attrs && in.attrs == json_object_get(inst, "attributes") ? (long)i : -1;
		in.sensitive = sensitive_marks(t, &in, json_object_get(inst, "sensitive_attributes"), 0);
		in.deps = json_object_get(inst, "dependencies");
		if (!in.deps)
			in.deps = json_object_get(inst, "depends_on");      /* early 0.12 */
		if (!in.deps)
			in.deps = json_object_get(res, "depends_on");
		in.line = line;
		if (tf_push_inst(t, &in) < 0) {
			t->oom = 1;
			return;
		}
	}
}

static void walk_show_module(tf_ctx *t, json_t *mod, int depth)
{
	json_t *res, *r, *children, *c;
	size_t i;
	const char *maddr = tf_obj_str(mod, "address");

	if (depth > 64) {
		sf_diag_error(t->ctx->diags, t->ctx->path, 1, "modules nested deeper than 64 levels");
		return;
	}
	res = json_object_get(mod, "resources");
	if (res && !json_is_array(res) && !json_is_null(res)) {
		sf_diag_error(t->ctx->diags, t->ctx->path, tf_line_of_key(t->text, "resources"),
		              "'resources' is not an array");
		return;
	}
	json_array_foreach(res, i, r) {
		const char *addr = tf_obj_str(r, "address");
		long line = 1;
		if (!json_is_object(r)) {
			sf_diag_error(t->ctx->diags, t->ctx->path, 1, "a resource is not an object");
			continue;
		}
		if (addr)
			line = show_line(t, addr);
		add_resource_instances(t, r, line, depth ? maddr : NULL, 1);
	}
	children = json_object_get(mod, "child_modules");
	json_array_foreach(children, i, c) {
		if (json_is_object(c))
			walk_show_module(t, c, depth + 1);
	}
}

/* "1.2.3", "0.12.26", "1.6.0-beta1": major.minor.patch with digits. */
static int parse_version(const char *s, int *major, int *minor)
{
	char *end;
	long a, b;
	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	a = strtol(s, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return -1;
	b = strtol(end + 1, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return -1;
	strtol(end + 1, &end, 10);
	if (*end && *end != '-' && *end != '+')
		return -1;
	*major = (int)a;
	*minor = (int)b;
	return 0;
}

/* Which reader: 0 format 4, 1 show -json, 3 format 3; -1 refused. */
static int check_header(tf_ctx *t, json_t *root, int *show_json)
{
	json_t *version = json_object_get(root, "version");
	json_t *fv = json_object_get(root, "format_version");
	json_t *tv = json_object_get(root, "terraform_version");
	sf_diags *d = t->ctx->diags;
	const char *path = t->ctx->path;
	int major, minor;

	*show_json = 0;
	if (json_is_string(fv) && !version) {
		if (parse_version(json_string_value(fv), &major, &minor) < 0 &&
		    !(isdigit((unsigned char)json_string_value(fv)[0]) &&
		      strchr(json_string_value(fv), '.'))) {
			sf_diag_error(d, path, tf_line_of_key(t->text, "format_version"),
			              "format_version is not a version");
			return -1;
		}
		if (atof(json_string_value(fv)) >= 2.0) {
			sf_diag_error(d, path, tf_line_of_key(t->text, "format_version"),
			              "unsupported `terraform show -json` format_version %s (1.x is supported)",
			              json_string_value(fv));
			return -1;
		}
		if (json_object_get(root, "planned_values") && !json_object_get(root, "values")) {
			sf_diag_error(d, path, 1, "this is a plan (`terraform show -json PLAN`), not a state; "
			                          "export the state with `terraform show -json`");
			return -1;
		}
		*show_json = 1;
		return 0;
	}
	if (!version) {
		sf_diag_error(d, path, 1, "not a Terraform state: no \"version\" field");
		return -1;
	}
	if (!json_is_integer(version)) {
		sf_diag_error(d, path, tf_line_of_key(t->text, "version"), "\"version\" is not a number");
		return -1;
	}
	if (json_integer_value(version) == 3) {
		*show_json = 3;
		return 0;
	}
	if (json_integer_value(version) != 4) {
		if (json_integer_value(version) < 3 && json_integer_value(version) >= 1)
			sf_diag_error(d, path, tf_line_of_key(t->text, "version"),
			              "state format version %lld was written by Terraform 0.8 or earlier "
			              "and is not supported; upgrade the state with Terraform 0.11 or later",
			              (long long)json_integer_value(version));
		else
			sf_diag_error(d, path, tf_line_of_key(t->text, "version"),
			              "unsupported state format version %lld (3 and 4 are supported)",
			              (long long)json_integer_value(version));
		return -1;
	}
	/* The format decides, not terraform_version: `terraform state push`
	 * of an upgraded state keeps an older version. It must be a version. */
	if (tv && !json_is_null(tv) &&
	    (!json_is_string(tv) || parse_version(json_string_value(tv), &major, &minor) < 0)) {
		sf_diag_error(d, path, tf_line_of_key(t->text, "terraform_version"),
		              "terraform_version is not a version number");
		return -1;
	}
	return 0;
}

/* ---- nodes for instances, then meaning, then dependencies ---- */

static void make_nodes(tf_ctx *t)
{
	for (size_t i = 0; i < t->ninst && !t->oom; i++) {
		tf_inst *in = &t->inst[i];
		sf_prov p = { t->ctx->path, in->line };
		const tf_type *ty = in->ty = tf_type_find(in->type);
		sf_kind kind = ty ? ty->kind : SF_KIND_RESOURCE;
		int again;

		/* The node is scoped by this file: one made already is a duplicate. */
		in->node = sf_scope_node(t->g, kind, in->address, NULL, &p, &again);
		if (again) {
			sf_diag_error(t->ctx->diags, t->ctx->path, in->line,
			              "resource %s appears twice", in->address);
			in->node = SF_NODE_NONE;
			continue;
		}
		if (in->node == SF_NODE_NONE) {
			t->oom = 1;
			break;
		}
		tf_attr(t, in->node, "resource_type", in->type);
		tf_attr(t, in->node, "address", in->address);
		if (in->module)
			tf_attr(t, in->node, "module", in->module);
		if (in->provider)
			tf_attr(t, in->node, "provider", in->provider);
		if (ty && ty->nodes) {
			ty->nodes(t, in);
			if (tf_attrs_release() < 0)
				t->oom = 1;
		}
	}
}

static void make_edges(tf_ctx *t)
{
	for (size_t i = 0; i < t->ninst && !t->oom; i++) {
		tf_inst *in = &t->inst[i];
		const tf_type *ty;
		if (in->node == SF_NODE_NONE)
			continue;
		ty = in->ty;
		if (ty && ty->edges) {
			ty->edges(t, in);
			if (tf_attrs_release() < 0)
				t->oom = 1;
		}
	}
}

static int cmp_inst_addr(const void *a, const void *b)
{
	return strcmp((*(tf_inst *const *)a)->address, (*(tf_inst *const *)b)->address);
}

/* First position in `sorted` whose address is not below `key` (compared
 * on its first `kl` bytes). */
static size_t lower_bound(tf_inst **sorted, size_t n, const char *key, size_t kl)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		sf_stat_add(SF_STAT_DEP_PROBES, 1);
		if (strncmp(sorted[mid]->address, key, kl) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* One `dependencies` entry of `in`: the instance of that address, and the
 * instances `address[...]` of a count/for_each resource. Only those are
 * looked at (a binary search for each, then the matches): addresses that
 * merely share a prefix (`a` and `a_b`) cost nothing. Returns -1 when the
 * edge budget is spent. */
static int depend_on(tf_ctx *t, tf_inst **sorted, tf_inst *in, const char *a, size_t *budget)
{
	size_t al = strlen(a), j;
	char *brk;

	j = lower_bound(sorted, t->ninst, a, al + 1);
	if (j < t->ninst && strcmp(sorted[j]->address, a) == 0 && sorted[j] != in &&
	    sorted[j]->node != SF_NODE_NONE) {
		if (*budget == 0)
			return -1;
		(*budget)--;
		tf_edge(t, in->node, SF_EDGE_DEPENDS_ON, sorted[j]->node, in);
	}
	if (!(brk = malloc(al + 2))) {
		t->oom = 1;
		return -1;
	}
	memcpy(brk, a, al);
	brk[al] = '[';
	brk[al + 1] = '\0';
	for (j = lower_bound(sorted, t->ninst, brk, al + 1);
	     j < t->ninst && strncmp(sorted[j]->address, brk, al + 1) == 0 && !t->oom; j++) {
		sf_stat_add(SF_STAT_DEP_PROBES, 1);
		if (sorted[j]->node == SF_NODE_NONE || sorted[j] == in)
			continue;
		if (*budget == 0) {
			free(brk);
			return -1;
		}
		(*budget)--;
		tf_edge(t, in->node, SF_EDGE_DEPENDS_ON, sorted[j]->node, in);
	}
	free(brk);
	return 0;
}

/* Terraform's `dependencies`: creation order. Kept as depends_on edges for
 * display and linking; they carry no failure. An address without an index
 * names every instance of a count/for_each resource. Instances are sorted
 * by address once, so each dependency is a binary search, not a scan.
 * A resource of thousands of instances depending on another such resource
 * makes millions of edges that say nothing new: past SF_TF_MAX_DEP_EDGES
 * per file the rest are dropped, with a warning. */
static void make_dependencies(tf_ctx *t)
{
	tf_inst **sorted = malloc((t->ninst ? t->ninst : 1) * sizeof(*sorted));
	size_t budget = SF_TF_MAX_DEP_EDGES;
	if (!sorted) {
		t->oom = 1;
		return;
	}
	for (size_t i = 0; i < t->ninst; i++)
		sorted[i] = &t->inst[i];
	sf_sort(sorted, t->ninst, sizeof(*sorted), cmp_inst_addr);
	for (size_t i = 0; i < t->ninst && !t->oom; i++) {
		tf_inst *in = &t->inst[i];
		json_t *dep;
		size_t k;
		if (in->node == SF_NODE_NONE || !json_is_array(in->deps))
			continue;
		json_array_foreach(in->deps, k, dep) {
			const char *a = json_is_string(dep) ? json_string_value(dep) : NULL;
			if (!a || strncmp(a, "data.", 5) == 0 || strstr(a, ".data."))
				continue;
			if (depend_on(t, sorted, in, a, &budget) < 0)
				break;
		}
		if (budget == 0 && !t->oom) {
			sf_diag_warn(t->ctx->diags, t->ctx->path, in->line,
			             "more than %d dependency edges (the limit per state file); "
			             "the remaining `dependencies` are not shown in the graph",
			             SF_TF_MAX_DEP_EDGES);
			break;
		}
	}
	free(sorted);
}

static int tf_sniff(const char *path, const char *head, size_t len)
{
	size_t n = strlen(path);
	const char *p = head;
	(void)len;
	if ((n >= 8 && strcmp(path + n - 8, ".tfstate") == 0) ||
	    (n >= 15 && strcmp(path + n - 15, ".tfstate.backup") == 0))
		return 90;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p != '{')
		return 0;
	if (strstr(head, "\"terraform_version\"") &&
	    (strstr(head, "\"lineage\"") || strstr(head, "\"format_version\"")))
		return 80;
	return 0;
}

/* Reals that jansson read from integer digits (JSON_DECODE_INT_AS_REAL)
 * become integers again where a double holds them exactly; larger ones
 * stay reals, which no reader here takes for an identifier. */
/* A real that is an integer a double holds exactly (|v| <= 2^53). The
 * range is checked before the cast: casting a larger one is undefined. */
static int exact_integer(json_t *x)
{
	double v = json_is_real(x) ? json_real_value(x) : 0.5;
	return v >= -9007199254740992.0 && v <= 9007199254740992.0 && v == (double)(long long)v;
}

static void integers_back(json_t *v, int depth)
{
	size_t i;
	const char *k;
	json_t *x;
	void *tmp;
	if (depth > 64)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if (exact_integer(x))
				json_array_set_new(v, i, json_integer((json_int_t)json_real_value(x)));
			else
				integers_back(x, depth + 1);
		}
	} else if (json_is_object(v)) {
		json_object_foreach_safe(v, tmp, k, x) {
			if (exact_integer(x))
				json_object_set_new(v, k, json_integer((json_int_t)json_real_value(x)));
			else
				integers_back(x, depth + 1);
		}
	}
}

/* Terraform writes numbers as plain digits, and cty numbers may exceed
 * 2^63 ("too big integer" to jansson): such a state is read again with
 * every integer as a real, then integers put back. */
static json_t *load_state(sf_import_ctx *ctx, const char *data, size_t len)
{
	json_error_t err;
	json_t *root;
	if (strlen(data) == len) {
		if ((root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err)))
			return root;
		if (json_error_code(&err) == json_error_numeric_overflow &&
		    (root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &err))) {
			integers_back(root, 0);
			return root;
		}
	}
	return sf_json_load_input(ctx->diags, ctx->path, data, len);       /* says why */
}

/* Nodes, meaning and dependencies of the instances read, and the status
 * of the import: -1 when it reported an error. */
static int finish(tf_ctx *t, size_t before)
{
	sf_import_ctx *ctx = t->ctx;
	if (ctx->diags->errors > before && !ctx->keep_going)
		return -1;
	make_nodes(t);
	make_edges(t);
	make_dependencies(t);
	if (t->oom) {
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory or past the graph's size limit");
		return -1;
	}
	return ctx->diags->errors > before ? -1 : 0;
}

static void ctx_free(tf_ctx *t)
{
	tf_aws_iam_cache_free(t->iam);
	tf_azure_index_free(t->azure);
	tf_gcp_index_free(t->gcp);
	free(t->inst);
	free(t->res_lines);
	for (size_t k = 0; k < t->naddr; k++)
		free(t->addr_lines[k].addr);
	free(t->addr_lines);
	json_decref(t->owned);
	sf_arena_free(&t->kept);
}

/* The whole file as one DOM: format 3, show -json, and any file the
 * scanner declined (malformed, odd in shape), whose errors jansson reports
 * exactly as it always did. */
static int import_whole(sf_import_ctx *ctx, const char *data, size_t len)
{
	tf_ctx t;
	json_t *root, *resources, *r;
	int show_json = 0, rc = -1;
	size_t i, before = ctx->diags->errors;

	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	t.g = ctx->graph;
	t.text = data;
	t.len = len;
	if (!(root = load_state(ctx, data, len)))
		return -1;
	if (!(t.owned = json_array())) {
		json_decref(root);
		return -1;
	}
	if (!json_is_object(root)) {
		sf_diag_error(ctx->diags, ctx->path, 1, "not a Terraform state: the top level is not an object");
		goto cleanup;
	}
	if (check_header(&t, root, &show_json) < 0)
		goto cleanup;
	if (show_json == 3) {
		tf_v3_read(&t, root);
	} else if (show_json) {
		json_t *values = json_object_get(root, "values");
		json_t *rm = json_object_get(values, "root_module");
		if (values && !json_is_null(values) && !json_is_object(values)) {
			sf_diag_error(ctx->diags, ctx->path, tf_line_of_key(data, "values"), "'values' is not an object");
			goto cleanup;
		}
		index_show_lines(&t);
		if (json_is_object(rm))
			walk_show_module(&t, rm, 0);
	} else {
		resources = json_object_get(root, "resources");
		if (resources && !json_is_array(resources) && !json_is_null(resources)) {
			sf_diag_error(ctx->diags, ctx->path, tf_line_of_key(data, "resources"),
			              "'resources' is not an array");
			goto cleanup;
		}
		long res_line = tf_line_of_key(data, "resources");
		index_v4_lines(&t, json_array_size(resources));
		json_array_foreach(resources, i, r) {
			long line = t.res_lines ? t.res_lines[i] : res_line;
			if (!json_is_object(r)) {
				sf_diag_error(ctx->diags, ctx->path, line, "resource %zu is not an object", i);
				continue;
			}
			add_resource_instances(&t, r, line, tf_obj_str(r, "module"), 0);
		}
	}
	rc = finish(&t, before);
cleanup:
	ctx_free(&t);
	json_decref(root);
	return rc;
}

/* The key of a top-level member, decoded: plain ASCII as it stands, the
 * rest by jansson (escapes, UTF-8). NULL when jansson refuses it. */
static json_t *member_key(const char *data, const tf_scan_span *k)
{
	json_error_t err;
	int plain = 1;
	for (size_t i = 1; i + 1 < k->len && plain; i++) {
		unsigned char c = (unsigned char)data[k->off + i];
		plain = c >= 0x20 && c < 0x7f && c != '\\';
	}
	if (plain)
		return json_stringn(data + k->off + 1, k->len - 2);
	return json_loadb(data + k->off, k->len, JSON_DECODE_ANY, &err);
}

/* Reading a state's generation: the top-level members decoded, each
 * resource decoded alone (into the span arena) and dropped, as jansson
 * reads the file with JSON_DECODE_INT_AS_REAL. */
typedef struct gen_read {
	json_t *head;
	int bad;                    /* a member or resource does not decode */
} gen_read;

static int gen_member(const char *text, const tf_scan_member *m, void *payload)
{
	gen_read *g = payload;
	json_error_t err;
	json_t *key = member_key(text, &m->key);
	json_t *v = json_loadb(text + m->value.off, m->value.len, JSON_DECODE_INT_AS_REAL | JSON_DECODE_ANY,
	                       &err);
	const char *k = json_string_value(key);
	int set = k && v && strlen(k) == json_string_length(key) ?
	          json_object_set_new(g->head, k, v) : (json_decref(v), -1);
	json_decref(key);
	if (set < 0)
		g->bad = 1;     /* the last of duplicate keys wins, as in jansson */
	return g->bad;
}

static int gen_resource(const char *text, const tf_scan_span *r, size_t index, void *payload)
{
	gen_read *g = payload;
	json_error_t err;
	json_t *v;
	(void)index;
	tf_jarena_use(TF_JARENA_SPAN);
	v = json_loadb(text + r->off, r->len, JSON_DECODE_INT_AS_REAL, &err);
	tf_jarena_use(TF_JARENA_OFF);
	tf_jarena_release(v);
	if (!v)
		g->bad = 1;
	return g->bad;
}

/* The top-level members of a state read with the scanner from `data` or
 * (data NULL) from `fd`: 1 and the members in *out, 0 when the file does
 * not decode, -1 when the scanner declines it (jansson must read it whole). */
static int generation_spans(const char *data, size_t len, int fd, json_t **out)
{
	gen_read g = { json_object(), 0 };
	tf_scan_sink sink = { gen_member, gen_resource, &g };
	int has, rc;

	*out = NULL;
	if (!g.head)
		return 0;
	tf_jarena_begin();
	rc = data ? tf_scan_text(data, len, &sink, NULL, &has) : tf_scan_fd(fd, len, &sink, NULL, &has);
	tf_jarena_end();
	if (rc < 0 && !g.bad) {
		json_decref(g.head);
		return -1;
	}
	if (g.bad) {
		json_decref(g.head);
		return 0;
	}
	*out = g.head;
	return 1;
}

static int generation_of(json_t *root, char *lineage, size_t lineagesz, long long *serial)
{
	const char *lin = tf_obj_str(root, "lineage");
	json_t *ser = json_object_get(root, "serial");
	int rc = -1;
	if (lin && strlen(lin) < lineagesz && json_is_number(ser) && json_number_value(ser) >= 0 &&
	    json_number_value(ser) < 9e18) {
		memcpy(lineage, lin, strlen(lin) + 1);
		*serial = (long long)json_number_value(ser);
		rc = 0;
	}
	json_decref(root);
	return rc;
}

/* Lineage and serial of a state, for the scan's choice of the newest
 * copy. Parsed with jansson like the import, one resource at a time where
 * the scanner can; a file that does not parse has no generation (and its
 * import reports why). */
/* The generation of a state read whole. */
static int generation_whole(const char *data, size_t len, char *lineage, size_t lineagesz,
                            long long *serial)
{
	json_error_t err;
	if (strlen(data) != len)
		return -1;
	return generation_of(json_loadb(data, len, JSON_DECODE_INT_AS_REAL, &err), lineage,
	                     lineagesz, serial);
}

int sf_tfstate_generation(const char *data, size_t len, char *lineage, size_t lineagesz,
                          long long *serial)
{
	json_t *root;
	if (strlen(data) != len)
		return -1;
	if (generation_spans(data, len, -1, &root) >= 0)
		return generation_of(root, lineage, lineagesz, serial);
	return generation_whole(data, len, lineage, lineagesz, serial);
}

int sf_tfstate_generation_fd(int fd, size_t size, char *lineage, size_t lineagesz,
                             long long *serial)
{
	json_t *root;
	char *data, why[256];
	size_t len;
	int rc;

	if (generation_spans(NULL, size, fd, &root) >= 0)
		return generation_of(root, lineage, lineagesz, serial);
	/* declined (or a NUL byte): the whole file, as sf_read_file reads it,
	 * without scanning it a second time */
	if (lseek(fd, 0, SEEK_SET) < 0 || sf_read_fd(fd, size, &data, &len, why, sizeof(why)) < 0)
		return -1;
	rc = generation_whole(data, len, lineage, lineagesz, serial);
	free(data);
	return rc;
}

/* Append jansson's output to the buffer. */
static int dump_to_buf(const char *buffer, size_t size, void *data)
{
	return sf_buf_add(data, buffer, size);
}

/* The allow-listed attributes of an instance as kept text (entries of
 * name, NUL, length and compact JSON; tf_inst_attr() decodes one) in the
 * import's arena. */
static int kept_text(tf_ctx *t, tf_inst *in)
{
	sf_buf b = SF_BUF_INIT;
	const char *k;
	json_t *v;
	char *text;
	int rc = -1;

	json_object_foreach(in->attrs, k, v) {
		uint32_t vl;
		size_t at;
		if (!tf_keep_attr(k))
			continue;
		sf_buf_add(&b, k, strlen(k) + 1);
		at = b.len;
		sf_buf_add(&b, "\0\0\0\0", sizeof(vl));
		if (json_dump_callback(v, dump_to_buf, &b, JSON_COMPACT | JSON_ENCODE_ANY) < 0 || b.failed ||
		    b.len - at - sizeof(vl) > UINT32_MAX)
			goto done;
		vl = (uint32_t)(b.len - at - sizeof(vl));
		memcpy(b.ptr + at, &vl, sizeof(vl));
	}
	if (b.failed || !(text = sf_arena_alloc(&t->kept, b.len ? b.len : 1)))
		goto done;
	memcpy(text, b.ptr ? b.ptr : "", b.len);
	in->kept = text;
	in->keptlen = b.len;
	in->attrs = NULL;
	rc = 0;
done:
	sf_buf_free(&b);
	return rc;
}

/* The name a key span (quotes included) spells: plain ASCII as it
 * stands, escapes decoded by jansson. 0 and the NUL-terminated name in
 * `buf`, -1 when it does not fit or holds a NUL. */
static int key_name(const char *text, const tf_scan_span *k, char *buf, size_t bufsz)
{
	json_t *key;
	int rc = -1;
	if (k->len < 2 || k->len - 2 >= bufsz)
		return -1;
	if (!memchr(text + k->off, '\\', k->len)) {
		memcpy(buf, text + k->off + 1, k->len - 2);
		buf[k->len - 2] = '\0';
		return 0;
	}
	key = member_key(text, k);
	if (json_is_string(key) && json_string_length(key) < bufsz &&
	    strlen(json_string_value(key)) == json_string_length(key)) {
		memcpy(buf, json_string_value(key), json_string_length(key) + 1);
		rc = 0;
	}
	json_decref(key);
	return rc;
}

/* Kept text from the instances' own text: each allow-listed member of
 * an element's "attributes" with the whitespace between tokens left out,
 * as kept text per element (tf_inst_attr). One pass over `instances`. */
typedef struct raw_kept {
	const char *text;           /* the resource */
	sf_buf *b;                  /* every element's kept text, one after another */
	size_t *at;                 /* per element: where its kept text starts in b, */
	size_t *len;                /* and how long it is; (size_t)-1: no attributes */
	size_t n, cap;
	int failed;
} raw_kept;

static int raw_element(raw_kept *rk, size_t elem)
{
	while (rk->n <= elem) {
		if (rk->n == rk->cap) {
			size_t cap = rk->cap ? rk->cap * 2 : 8;
			size_t *a = realloc(rk->at, cap * sizeof(*a));
			size_t *l = a ? realloc(rk->len, cap * sizeof(*l)) : NULL;
			if (a)
				rk->at = a;
			if (!l)
				return rk->failed = -1;
			rk->len = l;
			rk->cap = cap;
		}
		rk->at[rk->n] = rk->b->len;
		rk->len[rk->n++] = (size_t)-1;
	}
	return 0;
}

static int found_kept(size_t elem, int depth, const tf_scan_span *k, const tf_scan_span *v,
                      void *payload)
{
	raw_kept *rk = payload;
	char name[128];
	size_t at;
	uint32_t vl;

	if (depth == 0)     /* the resource's members */
		return key_name(rk->text, k, name, sizeof(name)) == 0 && strcmp(name, "instances") == 0 &&
		       rk->text[v->off] == '[' ? TF_SCAN_DESCEND : 0;
	if (raw_element(rk, elem) < 0)
		return -1;
	if (depth == 1) {   /* an instance's */
		if (key_name(rk->text, k, name, sizeof(name)) < 0 || strcmp(name, "attributes") != 0 ||
		    rk->text[v->off] != '{')
			return 0;
		rk->at[elem] = rk->b->len;
		rk->len[elem] = 0;
		return TF_SCAN_DESCEND;
	}
	if (v->len == 0)
		return key_name(rk->text, k, name, sizeof(name)) == 0 && tf_keep_attr(name) ? TF_SCAN_SPAN : 0;
	if (key_name(rk->text, k, name, sizeof(name)) < 0)
		return 0;
	sf_buf_add(rk->b, name, strlen(name) + 1);
	at = rk->b->len;
	/* room for the length and the whole value, minified into it */
	if (v->len > UINT32_MAX || sf_buf_reserve(rk->b, sizeof(vl) + v->len) < 0)
		return rk->failed = -1;
	vl = (uint32_t)tf_scan_minify(rk->text + v->off, v->len, rk->b->ptr + at + sizeof(vl));
	memcpy(rk->b->ptr + at, &vl, sizeof(vl));
	rk->b->len = at + sizeof(vl) + vl;
	rk->b->ptr[rk->b->len] = '\0';
	rk->len[elem] = rk->b->len - rk->at[elem];
	return 0;
}

static int kept_raw(tf_ctx *t, tf_inst *in, const raw_kept *rk)
{
	size_t n = rk->len[in->elem];
	char *out = sf_arena_alloc(&t->kept, n ? n : 1);
	if (!out)
		return -1;
	/* an instance whose attributes keep nothing: the buffer may be
	 * none yet */
	if (n)
		memcpy(out, rk->b->ptr + rk->at[in->elem], n);
	in->kept = out;
	in->keptlen = n;
	in->attrs = NULL;
	return 0;
}

/* Copy out of the resource's DOM what the semantics read of the instances
 * from `first` on: the allow-listed attributes (as kept text: from the
 * resource's own text `res` where they stand in it), the sensitivity marks
 * and the dependencies (in the file arena). The DOM goes whole. With
 * `stripped`, the DOM was decoded without the `attributes` objects
 * (tf_check_strip): they are in `res` only. */
static int keep_instances(tf_ctx *t, size_t first, const char *res, size_t reslen, sf_buf *b,
                          int stripped)
{
	raw_kept rk = { NULL, b, NULL, NULL, 0, 0, 0 };
	int rc = 0;

	sf_buf_clear(b);
	rk.text = res;
	if (first < t->ninst && (tf_scan_walk(res, reslen, found_kept, &rk) != 0 || b->failed))
		rk.failed = 1;
	for (size_t i = first; i < t->ninst && rc == 0; i++) {
		tf_inst *in = &t->inst[i];
		json_t **kept[] = { &in->sensitive, &in->deps };
		if (in->attrs) {
			if (!rk.failed && in->elem >= 0 && (size_t)in->elem < rk.n &&
			    rk.len[in->elem] != (size_t)-1)
				rc = kept_raw(t, in, &rk);
			else if (stripped && in->elem >= 0)
				rc = -1;        /* its attributes are not in the DOM */
			else
				rc = kept_text(t, in);
		}
		for (size_t k = 0; k < sizeof(kept) / sizeof(kept[0]) && rc == 0; k++) {
			json_t *c;
			if (!*kept[k])
				continue;
			c = json_deep_copy(*kept[k]);
			*kept[k] = c;
			if (!c || json_array_append_new(t->owned, c) < 0)
				rc = -1;
		}
	}
	free(rk.at);
	free(rk.len);
	return rc;
}

/* Move what `from` collected into `to`, in order. */
static void diags_move(sf_diags *to, sf_diags *from)
{
	size_t moved_errors = 0;
	for (size_t i = 0; i < from->count; i++) {
		const sf_diag *d = &from->items[i];
		sf_diag_add(to, d->level, d->path, d->line, "%s", d->message);
		moved_errors += d->level == SF_DIAG_ERROR;
	}
	to->errors += from->errors - moved_errors;
	to->dropped += from->dropped;
}

#define SPANS_DECLINED (-2)

/* A resource read through the scanner: its first instance, the line it
 * was read at, and whether it said anything (that line is then in a
 * diagnostic). */
typedef struct span_res {
	size_t first;
	long line;
	int said;
} span_res;

/* One format-4 state read through the scanner (import_spans). */
typedef struct span_read {
	tf_ctx *t;
	json_t *head;               /* the top-level members but `resources` */
	json_t *owned;              /* t->owned: what outlives a resource */
	json_t *span_owned;         /* what dies with the resource's DOM */
	sf_buf keep;                /* kept text being built */
	tf_checker check;           /* what need not be decoded */
	size_t nstripped;           /* resources decoded without their attributes */
	sf_buf strip;               /* a resource without its attributes */
	tf_scan_lines lines;
	span_res *res;
	size_t nres, cap;
} span_read;

#define SPANS_STOP 1            /* a callback declines the file */

static int span_member(const char *text, const tf_scan_member *m, void *payload)
{
	span_read *sr = payload;
	json_error_t err;
	json_t *key = member_key(text, &m->key), *v = NULL;
	const char *k = json_string_value(key);
	int rc = SPANS_STOP;

	/* a duplicate, or `resources` that is not an array */
	if (!k || strlen(k) != json_string_length(key) || strcmp(k, "resources") == 0 ||
	    json_object_get(sr->head, k))
		goto done;
	v = json_loadb(text + m->value.off, m->value.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (!v)
		goto done;
	/* not format 4 (Terraform writes these first): read whole at once */
	if (strcmp(k, "format_version") == 0 ||
	    (strcmp(k, "version") == 0 && !(json_is_integer(v) && json_integer_value(v) == 4)))
		goto done;
	if (json_object_set_new(sr->head, k, v) == 0)
		rc = 0;
	v = NULL;
done:
	json_decref(v);
	json_decref(key);
	return rc;
}

static int span_resource(const char *text, const tf_scan_span *s, size_t i, void *payload)
{
	span_read *sr = payload;
	tf_ctx *t = sr->t;
	json_error_t err;
	json_t *r;
	size_t first = t->ninst, said = t->ctx->diags->count;
	int stripped;
	const tf_scan_lines *l = &sr->lines;
	/* the line of the i-th resource, if the file turns out to have one
	 * `"mode"` line for each (import_spans checks at the end) */
	long line = l->nmode > i ? l->mode_lines[i] : l->resources_line ? l->resources_line : 1;

	if (sr->nres == sr->cap) {
		size_t cap = sr->cap ? sr->cap * 2 : 256;
		span_res *grown = realloc(sr->res, cap * sizeof(*grown));
		if (!grown)
			return SPANS_STOP;
		sr->res = grown;
		sr->cap = cap;
	}
	/* jansson decodes the resource without its instances' attributes when
	 * the checker vouches for them: found_kept takes the few that are
	 * kept from the text, and tf_inst_attr decodes those */
	stripped = tf_check(&sr->check, text + s->off, s->len) == 1 &&
	           tf_check_strip(&sr->check, text + s->off, s->len, &sr->strip) == 0;
	tf_jarena_use(TF_JARENA_SPAN);
	r = stripped ? json_loadb(sr->strip.ptr, sr->strip.len, JSON_REJECT_DUPLICATES, &err)
	             : json_loadb(text + s->off, s->len, JSON_REJECT_DUPLICATES, &err);
	tf_jarena_use(TF_JARENA_OFF);
	if (!r)
		return SPANS_STOP;      /* not an object, or not valid: said as before */
	/* what add_resource_instances makes from the DOM (attributes_flat
	 * decoded) holds parts of it: it goes with the DOM */
	t->owned = sr->span_owned;
	add_resource_instances(t, r, line, tf_obj_str(r, "module"), 0);
	t->owned = sr->owned;
	tf_jarena_use(TF_JARENA_FILE);
	if (keep_instances(t, first, text + s->off, s->len, &sr->keep, stripped) < 0)
		t->oom = 1;
	tf_jarena_use(TF_JARENA_OFF);
	json_array_clear(sr->span_owned);
	tf_jarena_release(r);
	sr->res[sr->nres].first = first;
	sr->res[sr->nres].line = line;
	sr->res[sr->nres].said = t->ctx->diags->count != said;
	sr->nstripped += stripped;
	sr->nres++;
	return 0;
}

/* The lines resources are reported at, now that the whole file is known:
 * the i-th `"mode"` line when there is one per resource, else the line of
 * `"resources"`. -1 when a resource that said something said it at
 * another line (the file is then read whole). */
static int settle_lines(span_read *sr)
{
	const tf_scan_lines *l = &sr->lines;
	long res_line = l->resources_line ? l->resources_line : 1;
	for (size_t i = 0; i < sr->nres; i++) {
		long line = l->nmode == sr->nres ? l->mode_lines[i] : res_line;
		size_t end = i + 1 < sr->nres ? sr->res[i + 1].first : sr->t->ninst;
		if (line == sr->res[i].line)
			continue;
		if (sr->res[i].said)
			return -1;
		for (size_t k = sr->res[i].first; k < end; k++)
			sr->t->inst[k].line = line;
	}
	return 0;
}

/* Format 4 one resource at a time, from `data` or (data NULL) from `fd`:
 * the scanner finds the top-level members and each element of
 * `resources`; jansson decodes each alone, and only what tf_keep_attr
 * allows outlives it. Returns SPANS_DECLINED, having reported nothing and
 * made no node or edge, when the file is not plainly a well-formed
 * format-4 state: import_whole() then reads it as before, so every error
 * and oddity is reported as the whole-file decode reports it. Diagnostics
 * are held back until every span has decoded for that. */
static int import_spans(sf_import_ctx *ctx, const char *data, size_t len, int fd)
{
	tf_ctx t;
	span_read sr;
	tf_scan_sink sink = { span_member, span_resource, &sr };
	sf_diags held, *diags = ctx->diags;
	int show_json = 0, has = 0, rc = SPANS_DECLINED;
	size_t before = diags->errors;

	if (data && strlen(data) != len)
		return SPANS_DECLINED;  /* a NUL byte: import_whole says where */
	memset(&t, 0, sizeof(t));
	memset(&sr, 0, sizeof(sr));
	t.ctx = ctx;
	t.g = ctx->graph;
	/* only check_header's messages quote lines of the text, and they
	 * decline the file: the whole-file read says them */
	t.text = data ? data : "";
	t.len = data ? len : 0;
	sr.t = &t;
	sf_diags_init(&held);
	ctx->diags = &held;
	tf_jarena_begin();
	tf_jarena_use(TF_JARENA_FILE);
	t.owned = sr.owned = json_array();
	tf_jarena_use(TF_JARENA_OFF);
	if (!t.owned || !(sr.head = json_object()) || !(sr.span_owned = json_array()))
		goto cleanup;
	if ((data ? tf_scan_text(data, len, &sink, &sr.lines, &has)
	          : tf_scan_fd(fd, len, &sink, &sr.lines, &has)) != 0 || !has)
		goto cleanup;
	if (check_header(&t, sr.head, &show_json) < 0 || show_json || settle_lines(&sr) < 0)
		goto cleanup;
	ctx->diags = diags;
	diags_move(diags, &held);
	/* counted once the file is known good: a file found malformed after
	 * some resources is read whole, which the counter shows */
	sf_stat_add(SF_STAT_TF_SPANS, sr.nres);
	sf_stat_add(SF_STAT_TF_STRIPPED, sr.nstripped);
	rc = finish(&t, before);
cleanup:
	t.owned = sr.owned;
	tf_jarena_use(TF_JARENA_OFF);
	json_decref(sr.span_owned);
	attrs_release_all();
	sf_buf_free(&sr.keep);
	sf_buf_free(&sr.strip);
	tf_checker_free(&sr.check);
	tf_jarena_drop(t.owned);
	t.owned = NULL;
	ctx->diags = diags;
	sf_diags_free(&held);
	ctx_free(&t);
	json_decref(sr.head);
	tf_jarena_end();
	tf_scan_lines_free(&sr.lines);
	free(sr.res);
	return rc;
}

/* A state read whole, once the scanner declined it (a state of nothing
 * but blanks among them: Terraform reads an empty state file as "no
 * state"). */
static int import_read(sf_import_ctx *ctx, const char *data, size_t len)
{
	if (strspn(data, " \t\r\n") == len) {
		sf_diag_warn(ctx->diags, ctx->path, 0, "empty state file; nothing to import");
		return 0;
	}
	return import_whole(ctx, data, len);
}

/* The whole file in memory: <stdin>, and the fuzzer. */
static int tf_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	int rc = import_spans(ctx, data, len, -1);
	return rc == SPANS_DECLINED ? import_read(ctx, data, len) : rc;
}

/* A file: streamed one resource at a time, never held whole, unless the
 * scanner declines it (then read whole, as for any other input). */
static int tf_import_fd(sf_import_ctx *ctx, int fd, size_t size)
{
	char *data, err[256];
	size_t len;
	int rc = import_spans(ctx, NULL, size, fd);

	if (rc != SPANS_DECLINED)
		return rc;
	if (lseek(fd, 0, SEEK_SET) != 0) {
		sf_diag_error(ctx->diags, ctx->path, 0, "read error: %s", strerror(errno));
		return -1;
	}
	if (sf_read_fd(fd, size, &data, &len, err, sizeof(err)) < 0) {
		sf_diag_error(ctx->diags, ctx->path, 0, "%s", err);
		return -1;
	}
	rc = import_read(ctx, data, len);
	free(data);
	return rc;
}

const sf_importer sf_importer_tfstate = { "tfstate", tf_sniff, tf_import, NULL, tf_import_fd };
