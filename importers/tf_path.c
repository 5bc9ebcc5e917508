#include "tf_path.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 16
#define MAX_MIRROR_DEPTH 32

typedef struct step {
	const char *name;   /* into the path buffer */
	long index;         /* -1 for a name */
} step;

/* One step of a walk through the attributes, as it really went: the
 * container it left and the member or element it took. A block written as
 * a bare object where Terraform writes a one-element list takes no entry,
 * so two paths that spell the same value differently still compare equal. */
typedef struct hop {
	json_t *parent;
	const char *name;   /* an object member, or NULL */
	long index;         /* an array element, when name is NULL */
} hop;

/* Where a walk along a v4 sensitive path ended. */
enum { WALK_OK, WALK_ABSENT, WALK_ODD, WALK_LONGER };

/* Split "a.0.b" in place into steps; -1 when malformed or too deep. */
static int split(char *path, step *steps, size_t *n)
{
	char *p = path;
	*n = 0;
	while (*p) {
		char *dot = strchr(p, '.');
		if (*n == MAX_STEPS)
			return -1;
		if (dot)
			*dot = '\0';
		if (!*p)
			return -1;
		steps[*n].name = p;
		steps[*n].index = -1;
		if (strspn(p, "0123456789") == strlen(p) && strlen(p) < 9)
			steps[*n].index = strtol(p, NULL, 10);
		(*n)++;
		if (!dot)
			break;
		p = dot + 1;
	}
	return *n ? 0 : -1;
}

/* Follow our own path through the attributes, recording the hops. */
/* `in`'s attributes are `v`: its members are read with tf_inst_attr(). */
static json_t *walk(const tf_inst *in, json_t *v, const step *steps, size_t n, hop *hops,
                    size_t *nhops)
{
	json_t *root = v;
	*nhops = 0;
	for (size_t i = 0; i < n && v; i++) {
		if (json_is_array(v) && steps[i].index >= 0) {
			hops[*nhops] = (hop){ v, NULL, steps[i].index };
			v = json_array_get(v, (size_t)steps[i].index);
		} else if (json_is_object(v)) {
			json_t *x = v == root ? tf_inst_attr(in, steps[i].name)
			                      : json_object_get(v, steps[i].name);
			if (!x && steps[i].index == 0)
				continue;       /* a block written as a bare object */
			hops[*nhops] = (hop){ v, steps[i].name, -1 };
			v = x;
		} else {
			return NULL;
		}
		(*nhops)++;
	}
	return v;
}

static int hop_eq(const hop *a, const hop *b)
{
	if (a->parent != b->parent)
		return 0;
	if (a->name || b->name)
		return a->name && b->name && strcmp(a->name, b->name) == 0;
	return a->index == b->index;
}

/* Is walk `a` a prefix of walk `b` (a's value is b's or one of its ancestors)? */
static int hops_prefix(const hop *a, size_t na, const hop *b, size_t nb)
{
	if (na > nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!hop_eq(&a[i], &b[i]))
			return 0;
	return 1;
}

/* The key of one v4 path step: a get_attr name, or an index that is a
 * number or a map key ({"value": ..., "type": ...} in Terraform 0.15+). */
static json_t *step_key(json_t *ps)
{
	json_t *val = json_object_get(ps, "value");
	if (strcmp(json_string_value(json_object_get(ps, "type")), "index") == 0 &&
	    json_is_object(val))
		val = json_object_get(val, "value");
	return val;
}

/* Walk a v4 sensitive path (already checked by tf_path_sensitive_checked)
 * through the attributes, recording at most `max` hops. */
static int walk_marked(const tf_inst *in, json_t *v, json_t *path, hop *hops, size_t max,
                       size_t *nhops)
{
	size_t i;
	json_t *ps, *root = v;

	*nhops = 0;
	json_array_foreach(path, i, ps) {
		json_t *k = step_key(ps);
		if (*nhops == max)
			return WALK_LONGER;
		if (json_is_null(v))
			return WALK_ABSENT;
		if (json_is_string(k)) {
			json_t *x;
			if (!json_is_object(v))
				return WALK_ODD;        /* a name into a list or a scalar */
			x = v == root ? tf_inst_attr(in, json_string_value(k))
			              : json_object_get(v, json_string_value(k));
			if (!x)
				return WALK_ABSENT;
			hops[*nhops] = (hop){ v, json_string_value(k), -1 };
			v = x;
		} else {
			json_int_t idx = json_integer_value(k);
			if (json_is_object(v) && idx == 0)
				continue;               /* a block written as a bare object */
			if (!json_is_array(v))
				return WALK_ODD;
			if (idx < 0 || (size_t)idx >= json_array_size(v))
				return WALK_ABSENT;
			hops[*nhops] = (hop){ v, NULL, (long)idx };
			v = json_array_get(v, (size_t)idx);
		}
		(*nhops)++;
	}
	return WALK_OK;
}

/* show -json: walk the `sensitive_values` mirror along our path. The mirror
 * may spell a block as a list where the values have a bare object, or the
 * other way round; both are followed. */
static int mirror_marks(json_t *m, const step *steps, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (json_is_true(m))
			return 1;
		if (json_is_array(m) && steps[k].index < 0 && json_array_size(m) == 1)
			m = json_array_get(m, 0);       /* a one-element block list */
		if (json_is_array(m) && steps[k].index >= 0) {
			m = json_array_get(m, (size_t)steps[k].index);
		} else if (json_is_object(m)) {
			json_t *x = json_object_get(m, steps[k].name);
			if (!x && steps[k].index == 0)
				continue;               /* a bare object in the mirror */
			m = x;
		} else if (json_is_array(m)) {
			return tf_json_has_true(m, 0);  /* cannot line up: any mark counts */
		} else {
			return 0;
		}
	}
	return m ? tf_json_has_true(m, 0) : 0;
}

/* Is the value our walk `q` reached marked sensitive, or an ancestor of it,
 * or anything inside it? `qok` is 0 when our walk did not reach a value. */
static int marked(const tf_inst *in, const step *steps, size_t n, const hop *q, size_t nq,
                  int qok)
{
	size_t i;
	json_t *path;

	if (!in->sensitive)
		return 0;
	if (json_is_true(in->sensitive))
		return 1;               /* everything, or a shape we could not read */
	if (!qok)
		return 1;
	if (json_is_object(in->sensitive))
		return mirror_marks(in->sensitive, steps, n);
	json_array_foreach(in->sensitive, i, path) {
		hop s[MAX_STEPS + 1];
		size_t ns;
		json_t *k0 = json_array_size(path) ? step_key(json_array_get(path, 0)) : NULL;
		int how;
		/* A mark under another top-level attribute than ours can match
		 * neither way: its first hop differs. Skipped, so that its value
		 * is not decoded (tf_inst_attr) for nothing. */
		if (nq > 0 && q[0].parent == tf_inst_attrs(in) && q[0].name && json_is_string(k0) &&
		    strcmp(json_string_value(k0), q[0].name) != 0)
			continue;
		how = walk_marked(in, tf_inst_attrs(in), path, s, MAX_STEPS + 1, &ns);
		/* ours holds the marked value (or where it would be) */
		if (hops_prefix(q, nq, s, ns))
			return 1;
		/* the marked value holds ours; a path we could not follow to its
		 * end marks everything under the point where it stopped */
		if (how != WALK_ABSENT && how != WALK_LONGER && hops_prefix(s, ns, q, nq))
			return 1;
	}
	return 0;
}

static int step_ok(json_t *ps)
{
	const char *type = json_string_value(json_object_get(ps, "type"));
	json_t *k;
	if (!json_is_object(ps) || !type)
		return 0;
	if (strcmp(type, "get_attr") == 0)
		return json_is_string(json_object_get(ps, "value"));
	if (strcmp(type, "index") != 0)
		return 0;
	k = step_key(ps);
	return json_is_string(k) || json_is_integer(k);
}

static int mirror_ok(json_t *m, int depth)
{
	size_t i;
	const char *key;
	json_t *x;
	if (depth > MAX_MIRROR_DEPTH)
		return 0;
	if (json_is_array(m)) {
		json_array_foreach(m, i, x)
			if (!mirror_ok(x, depth + 1))
				return 0;
		return 1;
	}
	if (json_is_object(m)) {
		json_object_foreach(m, key, x)
			if (!mirror_ok(x, depth + 1))
				return 0;
		return 1;
	}
	return json_is_boolean(m) || json_is_null(m);
}

json_t *tf_path_sensitive_checked(json_t *s, int show_json, int *odd)
{
	size_t i, k;
	json_t *path, *ps;

	*odd = 0;
	if (!s || json_is_null(s))
		return NULL;
	if (show_json) {
		if (json_is_true(s) || (json_is_object(s) && mirror_ok(s, 0)))
			return s;
		*odd = 1;
		return json_true();
	}
	if (!json_is_array(s)) {
		*odd = 1;
		return json_true();
	}
	json_array_foreach(s, i, path) {
		if (!json_is_array(path) || json_array_size(path) == 0) {
			*odd = 1;
			return json_true();
		}
		json_array_foreach(path, k, ps)
			if (!step_ok(ps)) {
				*odd = 1;
				return json_true();
			}
	}
	return json_array_size(s) ? s : NULL;
}

static json_t *vget(const tf_inst *in, int check, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static json_t *vget(const tf_inst *in, int check, const char *fmt, va_list ap)
{
	char buf[512];
	step steps[MAX_STEPS];
	hop hops[MAX_STEPS];
	size_t n, nh;
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);
	json_t *v, *attrs = tf_inst_attrs(in);

	if (!attrs || len < 0 || (size_t)len >= sizeof(buf) || split(buf, steps, &n) < 0)
		return NULL;
	v = walk(in, attrs, steps, n, hops, &nh);
	if (v && check && marked(in, steps, n, hops, nh, 1))
		return NULL;
	return v;
}

int tf_path_sensitive(const tf_inst *in, const char *path)
{
	char buf[512];
	step steps[MAX_STEPS];
	hop hops[MAX_STEPS];
	size_t n, nh;
	json_t *v;

	if (!in->sensitive)
		return 0;
	if (strlen(path) >= sizeof(buf))
		return 1;
	memcpy(buf, path, strlen(path) + 1);
	if (split(buf, steps, &n) < 0)
		return 1;
	v = tf_inst_attrs(in) ? walk(in, tf_inst_attrs(in), steps, n, hops, &nh) : NULL;
	return marked(in, steps, n, hops, v ? nh : 0, v != NULL);
}

json_t *tf_path_get(const tf_inst *in, const char *fmt, ...)
{
	va_list ap;
	json_t *v;
	va_start(ap, fmt);
	v = vget(in, 1, fmt, ap);
	va_end(ap);
	return v;
}

size_t tf_path_count(const tf_inst *in, const char *fmt, ...)
{
	va_list ap;
	json_t *v;
	va_start(ap, fmt);
	v = vget(in, 0, fmt, ap);
	va_end(ap);
	if (json_is_array(v))
		return json_array_size(v);
	return json_is_object(v) ? 1 : 0;
}

const char *tf_path_str(const tf_inst *in, const char *fmt, ...)
{
	va_list ap;
	json_t *v;
	const char *s;
	va_start(ap, fmt);
	v = vget(in, 1, fmt, ap);
	va_end(ap);
	s = json_is_string(v) ? json_string_value(v) : NULL;
	return s && s[0] ? s : NULL;
}

int tf_path_bool(const tf_inst *in, const char *fmt, ...)
{
	va_list ap;
	json_t *v;
	va_start(ap, fmt);
	v = vget(in, 1, fmt, ap);
	va_end(ap);
	return tf_json_bool(v);
}

const char *tf_path_num(const tf_inst *in, char *buf, size_t bufsz, const char *fmt, ...)
{
	va_list ap;
	json_t *v;
	va_start(ap, fmt);
	v = vget(in, 1, fmt, ap);
	va_end(ap);
	return tf_json_num(v, buf, bufsz);
}
