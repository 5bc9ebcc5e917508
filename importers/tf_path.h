/* Reading nested values of a Terraform instance one leaf at a time.
 *
 * tf_get() refuses a whole top-level attribute when anything inside it is
 * sensitive. That is right for values copied whole, but it loses a load
 * balancer listener's target groups and OIDC issuer because the same
 * action block holds the (sensitive) client secret. These functions judge
 * sensitivity per path instead: a value is refused when the state marks
 * it, one of its ancestors, or anything inside it as sensitive
 * (`sensitive_attributes` paths in v4, the `sensitive_values` mirror in
 * `terraform show -json`).
 *
 * A path is dot-separated steps: attribute or map-key names, and decimal
 * indexes into lists ("default_action.0.authenticate_oidc.0.issuer").
 * Names cannot contain dots.
 *
 * Paths are compared by where they lead in the attributes, not by how they
 * are spelt: a block written as a bare object instead of a one-element list
 * matches either spelling. Sensitivity marks of a shape Terraform does not
 * write make the whole instance sensitive (fail closed). */
#ifndef SF_TF_PATH_H
#define SF_TF_PATH_H

#include <stddef.h>

#include <jansson.h>

#include "tfstate.h"

/* The `sensitive_attributes` (v4) or `sensitive_values` (show -json) of
 * an instance as tf_inst.sensitive holds them: NULL when nothing is marked,
 * json_true() when everything is (or when the marks have a shape we cannot
 * read: then *odd is set, for a warning). */
json_t *tf_path_sensitive_checked(json_t *s, int show_json, int *odd);

/* 1 when the value at `path` (a literal path, no format), one of its
 * ancestors, or anything inside it is marked sensitive. */
int tf_path_sensitive(const tf_inst *in, const char *path);

/* The value at the path (borrowed), or NULL when absent or sensitive. */
json_t *tf_path_get(const tf_inst *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Number of elements of the list at the path (1 for an object, 0 for
 * anything else). Sizes are not secret: no sensitivity check. */
size_t tf_path_count(const tf_inst *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A non-empty string leaf, or NULL. */
const char *tf_path_str(const tf_inst *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* 1/0 for true/false (or "true"/"false"), -1 otherwise. */
int tf_path_bool(const tf_inst *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* An integer leaf (or a string of digits) as text in buf, or NULL. */
const char *tf_path_num(const tf_inst *in, char *buf, size_t bufsz, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
