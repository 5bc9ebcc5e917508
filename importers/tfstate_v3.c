/* Terraform state format 3 (Terraform 0.11 and earlier).
 *
 *   { "version": 3, "serial": 7, "lineage": "...",
 *     "modules": [ { "path": ["root", "dr"],
 *                    "resources": { "aws_instance.web.1": {
 *                        "type": "aws_instance", "provider": "provider.aws",
 *                        "depends_on": [...],
 *                        "primary": { "id": "...", "attributes": { flatmap } },
 *                        "deposed": [...] } } } ] }
 *
 * Terraform 1.x still reads these and upgrades them; so do we, into the
 * instance records the format-4 reader makes: `modules[].path` becomes the
 * module address, the resource key its type, name and index, and the
 * flatmap of attributes the nested shapes format 4 writes
 * (tf_flat_decode), so every resource type's meaning applies unchanged. */
#include "tfstate.h"

#include <stdlib.h>
#include <string.h>

#include "model/buf.h"

/* ---- flatmap ---- */

typedef struct flat_ent {
	const char *key;
	json_t *value;
} flat_ent;

/* Keys in segment order: a '.' sorts before every other byte, so that a
 * segment's keys ("alias", "alias.#", "alias.1587383817.name") are
 * contiguous and never interleave with "alias_x" or "alias-x". */
static int cmp_flat(const void *a, const void *b)
{
	const unsigned char *x = (const unsigned char *)((const flat_ent *)a)->key;
	const unsigned char *y = (const unsigned char *)((const flat_ent *)b)->key;
	for (;; x++, y++) {
		unsigned cx = *x == '.' ? 1 : *x, cy = *y == '.' ? 1 : *y;
		if (cx != cy)
			return cx < cy ? -1 : 1;
		if (!cx)
			return 0;
	}
}

/* Does key (from `off`) start with the segment seg[0..sl) as a whole? */
static int same_segment(const char *key, size_t off, const char *seg, size_t sl)
{
	return strncmp(key + off, seg, sl) == 0 && (key[off + sl] == '.' || key[off + sl] == '\0');
}

static json_t *build_value(const flat_ent *e, size_t lo, size_t hi, size_t off, size_t sl,
                           int depth);

/* Entries [lo, hi) share the key prefix up to `off`: an object of their
 * next segments. */
static json_t *build_object(const flat_ent *e, size_t lo, size_t hi, size_t off, int depth)
{
	json_t *obj = json_object();
	size_t i = lo;
	if (!obj)
		return NULL;
	while (i < hi) {
		const char *seg = e[i].key + off;
		size_t sl = strcspn(seg, ".");
		size_t j = i + 1;
		json_t *v;
		while (j < hi && same_segment(e[j].key, off, seg, sl))
			j++;
		v = build_value(e, i, j, off, sl, depth + 1);
		if (!v || json_object_setn_new(obj, seg, sl, v) < 0) {
			json_decref(obj);
			return NULL;
		}
		i = j;
	}
	return obj;
}

typedef struct elem {
	const char *index;
	json_t *value;
} elem;

/* List indexes are decimal; set elements are keyed by a hash (also
 * decimal, sometimes with a `~`): numeric order, then text. */
static int cmp_elem(const void *a, const void *b)
{
	const char *x = ((const elem *)a)->index, *y = ((const elem *)b)->index;
	size_t lx = strspn(x, "0123456789"), ly = strspn(y, "0123456789");
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

/* A list or set: the object of its elements by index, as an array. */
static json_t *as_array(json_t *obj)
{
	json_t *arr = json_array();
	elem *el = malloc((json_object_size(obj) + 1) * sizeof(*el));
	const char *k;
	json_t *v;
	size_t n = 0;
	if (!arr || !el) {
		json_decref(arr);
		free(el);
		return NULL;
	}
	json_object_foreach(obj, k, v) {
		if (strcmp(k, "#") == 0)
			continue;
		el[n].index = k;
		el[n++].value = v;
	}
	sf_sort(el, n, sizeof(*el), cmp_elem);
	for (size_t i = 0; i < n; i++)
		if (json_array_append(arr, el[i].value) < 0) {
			json_decref(arr);
			arr = NULL;
			break;
		}
	free(el);
	return arr;
}

/* The entries [lo, hi) all start with one segment (at `off`, `sl` long):
 * "S" alone is a leaf; "S.#" marks a list or set, "S.%" a map (whose keys
 * may hold dots: "kubernetes.io/role"); anything else nests. */
static json_t *build_value(const flat_ent *e, size_t lo, size_t hi, size_t off, size_t sl,
                           int depth)
{
	size_t sub = off + sl + 1;
	int list = 0, map = 0;
	json_t *obj, *arr;

	for (size_t i = lo; i < hi; i++) {
		if (e[i].key[off + sl] != '.')
			continue;
		list |= strcmp(e[i].key + sub, "#") == 0;
		map |= strcmp(e[i].key + sub, "%") == 0;
	}
	if (!list && !map) {
		if (e[lo].key[off + sl] == '\0' && (hi - lo == 1 || depth > 32))
			return json_incref(e[lo].value);
		if (e[lo].key[off + sl] == '\0')
			lo++;       /* a leaf with children too: the children win */
		if (depth > 32)
			return json_null();
		return build_object(e, lo, hi, sub, depth);
	}
	if (map) {
		obj = json_object();
		for (size_t i = lo; obj && i < hi; i++) {
			if (e[i].key[off + sl] != '.' || strcmp(e[i].key + sub, "%") == 0)
				continue;
			if (json_object_set(obj, e[i].key + sub, e[i].value) < 0) {
				json_decref(obj);
				obj = NULL;
			}
		}
		return obj;
	}
	while (lo < hi && e[lo].key[off + sl] == '\0')
		lo++;
	if (depth > 32)
		return json_array();
	obj = build_object(e, lo, hi, sub, depth);
	arr = obj ? as_array(obj) : NULL;
	json_decref(obj);
	return arr;
}

json_t *tf_flat_decode(json_t *flat)
{
	flat_ent *e;
	const char *k;
	json_t *v, *out;
	size_t n = 0;

	if (!json_is_object(flat))
		return json_object();
	e = malloc((json_object_size(flat) + 1) * sizeof(*e));
	if (!e)
		return NULL;
	json_object_foreach(flat, k, v) {
		if (!k[0])
			continue;
		e[n].key = k;
		e[n++].value = v;
	}
	sf_sort(e, n, sizeof(*e), cmp_flat);
	out = build_object(e, 0, n, 0, 0);
	free(e);
	return out;
}

/* ---- modules and resources ---- */

/* ["root", "dr", "inner"] -> "module.dr.module.inner"; NULL at the root.
 * Returns -1 when the path is not a list of names. */
static int module_address(json_t *path, sf_buf *out)
{
	size_t i;
	json_t *x;
	if (!json_is_array(path) || json_array_size(path) == 0 || json_array_size(path) > 65)
		return -1;      /* as deep as format 4's modules may nest */
	json_array_foreach(path, i, x) {
		const char *s = json_is_string(x) ? json_string_value(x) : NULL;
		if (!s || !tf_valid_ident(s))
			return -1;
		if (i == 0) {
			if (strcmp(s, "root") != 0)
				return -1;
			continue;
		}
		sf_buf_printf(out, "%smodule.%s", i > 1 ? "." : "", s);
	}
	return out->failed ? -2 : 0;
}

/* The line of `"key":` at or after *pos (resources are read in file
 * order, so the whole file is searched once); 0 when not found. */
static long resource_line(const char *key, const char **pos, long *line)
{
	char pat[600];
	const char *hit;
	if ((size_t)snprintf(pat, sizeof(pat), "\"%s\":", key) >= sizeof(pat))
		return 0;
	hit = strstr(*pos, pat);
	if (!hit)
		return 0;
	for (const char *p = *pos; p < hit; p++)
		*line += *p == '\n';
	*pos = hit;
	return *line;
}

/* "aws_instance.web" or "aws_instance.web.3": type, name and index. */
static int split_resource_key(const char *key, char *type, char *name, size_t sz, long *index)
{
	const char *d1 = strchr(key, '.'), *d2;
	size_t tl, nl;
	if (!d1)
		return -1;
	d2 = strchr(d1 + 1, '.');
	tl = (size_t)(d1 - key);
	nl = d2 ? (size_t)(d2 - d1 - 1) : strlen(d1 + 1);
	if (tl == 0 || nl == 0 || tl >= sz || nl >= sz)
		return -1;
	memcpy(type, key, tl);
	type[tl] = '\0';
	memcpy(name, d1 + 1, nl);
	name[nl] = '\0';
	*index = -1;
	if (d2) {
		char *end;
		if (!d2[1] || strspn(d2 + 1, "0123456789") != strlen(d2 + 1) || strlen(d2 + 1) > 9)
			return -1;
		*index = strtol(d2 + 1, &end, 10);
	}
	return 0;
}

static void read_resource(tf_ctx *t, const char *module, const char *key, json_t *res, long line)
{
	char type[300], name[300], prov[64];
	long index;
	json_t *primary, *attrs, *idx = NULL;
	tf_inst in;
	int rc;

	if (strncmp(key, "data.", 5) == 0)
		return;         /* data sources are read, not run */
	if (!json_is_object(res) || split_resource_key(key, type, name, sizeof(type), &index) < 0 ||
	    !tf_valid_ident(type) || !tf_valid_ident(name)) {
		sf_diag_error(t->ctx->diags, t->ctx->path, line,
		              "a resource key is not TYPE.NAME[.INDEX] with an object as its value");
		return;
	}
	if (tf_obj_str(res, "type") && strcmp(tf_obj_str(res, "type"), type) != 0) {
		sf_diag_error(t->ctx->diags, t->ctx->path, line,
		              "resource %s.%s says its type is something else", type, name);
		return;
	}
	primary = json_object_get(res, "primary");
	if (!json_is_object(primary))
		return;         /* only deposed objects left: being destroyed */
	attrs = json_object_get(primary, "attributes");
	if (attrs && !json_is_object(attrs) && !json_is_null(attrs)) {
		sf_diag_error(t->ctx->diags, t->ctx->path, line, "attributes of %s.%s are not an object",
		              type, name);
		return;
	}
	if (index >= 0 && !(idx = json_integer(index))) {
		t->oom = 1;
		return;
	}
	rc = tf_inst_identity(t, &in, module, type, name,
	                      tf_provider_type(tf_obj_str(res, "provider"), prov, sizeof(prov)), idx,
	                      line);
	json_decref(idx);
	if (rc < 0) {
		t->oom |= rc == -2;
		return;
	}
	in.attrs = tf_flat_decode(attrs);
	if (!in.attrs || json_array_append_new(t->owned, in.attrs) < 0) {
		t->oom = 1;
		return;
	}
	in.deps = json_object_get(res, "depends_on");
	if (tf_push_inst(t, &in) < 0)
		t->oom = 1;
}

void tf_v3_read(tf_ctx *t, json_t *root)
{
	json_t *modules = json_object_get(root, "modules"), *mod;
	const char *pos = t->text;
	long line = 1;
	size_t i;

	if (!modules && json_object_get(root, "resources")) {
		sf_diag_error(t->ctx->diags, t->ctx->path, tf_line_of_key(t->text, "version"),
		              "state format version 3 has 'modules', not 'resources': the version "
		              "field does not match the content");
		return;
	}
	if (modules && !json_is_array(modules) && !json_is_null(modules)) {
		sf_diag_error(t->ctx->diags, t->ctx->path, tf_line_of_key(t->text, "modules"),
		              "'modules' is not an array");
		return;
	}
	json_array_foreach(modules, i, mod) {
		sf_buf maddr = SF_BUF_INIT;
		json_t *resources, *res;
		const char *key, *module;
		int rc;
		if (!json_is_object(mod)) {
			sf_diag_error(t->ctx->diags, t->ctx->path, tf_line_of_key(t->text, "modules"),
			              "module %zu is not an object", i);
			continue;
		}
		rc = module_address(json_object_get(mod, "path"), &maddr);
		if (rc < 0) {
			if (rc == -2)
				t->oom = 1;
			else
				sf_diag_error(t->ctx->diags, t->ctx->path, tf_line_of_key(t->text, "path"),
				              "module %zu: 'path' is not a list of names starting with \"root\"", i);
			sf_buf_free(&maddr);
			continue;
		}
		module = maddr.len ? maddr.ptr : NULL;
		resources = json_object_get(mod, "resources");
		if (resources && !json_is_object(resources) && !json_is_null(resources))
			sf_diag_error(t->ctx->diags, t->ctx->path, tf_line_of_key(t->text, "resources"),
			              "module %zu: 'resources' is not an object", i);
		else
			json_object_foreach(resources, key, res) {
				long l = resource_line(key, &pos, &line);
				read_resource(t, module, key, res, l ? l : tf_line_of_key(t->text, "resources"));
				if (t->oom)
					break;
			}
		sf_buf_free(&maddr);
		if (t->oom)
			return;
	}
}
