#include "tf_path.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 16

typedef struct step {
	const char *name;   /* into the path buffer */
	long index;         /* -1 for a name */
} step;

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

static json_t *walk(json_t *v, const step *steps, size_t n)
{
	for (size_t i = 0; i < n && v; i++) {
		if (json_is_array(v) && steps[i].index >= 0)
			v = json_array_get(v, (size_t)steps[i].index);
		else if (json_is_object(v)) {
			json_t *x = json_object_get(v, steps[i].name);
			/* a block written as a bare object: its only element */
			v = !x && steps[i].index == 0 ? v : x;
		} else
			v = NULL;
	}
	return v;
}

/* Does one step of a v4 sensitive path match ours? get_attr steps name an
 * attribute; index steps hold {"value": N or "key", "type": ...}. */
static int step_matches(json_t *ps, const step *s)
{
	const char *type = json_string_value(json_object_get(ps, "type"));
	json_t *val = json_object_get(ps, "value");
	if (!type)
		return 0;
	if (strcmp(type, "get_attr") == 0)
		return json_is_string(val) && strcmp(json_string_value(val), s->name) == 0;
	if (strcmp(type, "index") == 0) {
		json_t *k = json_is_object(val) ? json_object_get(val, "value") : val;
		if (json_is_integer(k))
			return s->index >= 0 && json_integer_value(k) == s->index;
		if (json_is_string(k))
			return strcmp(json_string_value(k), s->name) == 0;
	}
	return 0;
}

static int sensitive(const tf_inst *in, const step *steps, size_t n)
{
	size_t i;
	json_t *path;

	if (!in->sensitive)
		return 0;
	if (json_is_object(in->sensitive)) {
		/* show -json: a mirror of the values with `true` at secrets */
		json_t *m = in->sensitive;
		for (size_t k = 0; k < n && m; k++) {
			if (json_is_true(m))
				return 1;
			if (json_is_array(m) && steps[k].index >= 0)
				m = json_array_get(m, (size_t)steps[k].index);
			else if (json_is_object(m))
				m = json_object_get(m, steps[k].name);
			else
				m = NULL;
		}
		return m ? tf_json_has_true(m, 0) : 0;
	}
	if (!json_is_array(in->sensitive))
		return 0;
	/* v4: secret when a marked path and ours agree on their common prefix
	 * (the path marks our value, an ancestor, or something inside it). */
	json_array_foreach(in->sensitive, i, path) {
		size_t plen = json_array_size(path), k, common;
		int same = 1;
		if (!json_is_array(path) || plen == 0)
			continue;
		common = plen < n ? plen : n;
		for (k = 0; k < common && same; k++)
			same = step_matches(json_array_get(path, k), &steps[k]);
		if (same)
			return 1;
	}
	return 0;
}

static json_t *vget(const tf_inst *in, int check, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static json_t *vget(const tf_inst *in, int check, const char *fmt, va_list ap)
{
	char buf[512];
	step steps[MAX_STEPS];
	size_t n;
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);
	json_t *v;

	if (!in->attrs || len < 0 || (size_t)len >= sizeof(buf) || split(buf, steps, &n) < 0)
		return NULL;
	v = walk(in->attrs, steps, n);
	if (v && check && sensitive(in, steps, n))
		return NULL;
	return v;
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
