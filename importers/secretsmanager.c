/* AWS Secrets Manager inventories: `aws secretsmanager list-secrets`
 * ({"SecretList": [...]}) and `describe-secret` (one secret at the top
 * level, with ReplicationStatus), read with jansson.
 *
 * The nodes are the Terraform importer's for the same ARN, so the two
 * sources meet: the secret keyed by its ARN, in its region and account;
 * its KMS key by ARN (no KmsKeyId: the account's aws/secretsmanager key of
 * the region); each replica a node of its own keyed by the ARN in the
 * replica's region, a member of its primary and encrypted by its own
 * regional key. Dates come as ISO 8601 strings (CLI v2 default) or as
 * epoch seconds (v1, --cli-timestamp-format none); both become ISO UTC.
 * The secret's value is never in these outputs, and tags and descriptions
 * (which teams do paste secrets into) are not read. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "importer.h"
#include "inventory.h"

#define SM_MAX_SECRETS 200000
#define SM_MAX_REPLICAS 64

static int sm_sniff(const char *path, const char *head, size_t len)
{
	const char *p = head;
	(void)path;
	(void)len;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p != '{' || strstr(head, "\"terraform_version\""))
		return 0;
	if (strstr(head, "\"SecretList\""))
		return 90;
	return strstr(head, "\"ARN\"") && strstr(head, ":secretsmanager:") &&
	       strstr(head, "\"Name\"") ? 80 : 0;
}

/* The line of the first `"needle"` in the text (once per file). */
static long line_of(const char *data, const char *needle)
{
	sf_inv_lines l;
	sf_inv_lines_init(&l, data);
	return sf_inv_lines_next(&l, needle);
}

/* ISO 8601 text, or epoch seconds, to `YYYY-MM-DDTHH:MM:SSZ`. */
static int date_text(json_t *v, char *out, size_t outsz)
{
	if (json_is_number(v)) {
		double d = json_number_value(v);
		struct tm tm;
		time_t t;
		if (!isfinite(d) || d < 0 || d > 253402300799.0)
			return -1;
		t = (time_t)d;
		if (!gmtime_r(&t, &tm))
			return -1;
		return strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm) ? 0 : -1;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		/* keep the date and time; drop fractions and the offset */
		if (strlen(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' '))
			return -1;
		for (size_t i = 0; i < 19; i++)
			if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 &&
			    (s[i] < '0' || s[i] > '9'))
				return -1;
		return snprintf(out, outsz, "%.10sT%.8sZ", s, s + 11) < (int)outsz ? 0 : -1;
	}
	return -1;
}

static int one_secret(sf_import_ctx *ctx, json_t *s, sf_inv_lines *lines, sf_node_id file)
{
	const char *arn = json_string_value(json_object_get(s, "ARN"));
	const char *name = json_string_value(json_object_get(s, "Name"));
	const char *kms = json_string_value(json_object_get(s, "KmsKeyId"));
	const char *lambda = json_string_value(json_object_get(s, "RotationLambdaARN"));
	const char *primary = json_string_value(json_object_get(s, "PrimaryRegion"));
	json_t *rot = json_object_get(s, "RotationEnabled"), *reps, *r;
	json_t *days = json_object_get(json_object_get(s, "RotationRules"), "AutomaticallyAfterDays");
	long line = sf_inv_lines_next(lines, arn);
	char buf[64], rarn[1100];
	sf_node_id id;
	size_t i;

	if (!arn) {
		sf_diag_error(ctx->diags, ctx->path, sf_inv_lines_next(lines, name),
		              "secret without an ARN: not the output of list-secrets/describe-secret");
		return -1;
	}
	if ((id = sf_inv_arn_node(ctx, SF_KIND_SECRET, arn, line)) == SF_NODE_NONE) {
		sf_diag_error(ctx->diags, ctx->path, line, "ARN is not an ARN");
		return -1;
	}
	/* consumers (an ExternalSecret, ECS valueFrom) may name the secret by
	 * its ARN without the random suffix: the Terraform importer's alias */
	if (name && strlen(name) <= 512) {
		const char *sec = strstr(arn, ":secret:");
		char partial[1200];
		if (sec && (size_t)snprintf(partial, sizeof(partial), "%.*s:secret:%s", (int)(sec - arn),
		                            arn, name) < sizeof(partial) &&
		    strcmp(partial, arn) != 0 && sf_graph_alias(ctx->graph, partial, id) < 0)
			return -2;
	}
	if (sf_inv_edge(ctx, file, SF_EDGE_DEPENDS_ON, id, line) < 0 ||
	    (name && strlen(name) <= 512 && sf_graph_set_attr(ctx->graph, id, "name", name) < 0))
		return -2;
	/* absent means false (list-secrets leaves it out of never-rotated
	 * secrets), but says less than a state that knows the rotation */
	if ((rot || !sf_graph_attr(ctx->graph, id, "rotation_enabled")) &&
	    sf_graph_set_attr(ctx->graph, id, "rotation_enabled", json_is_true(rot) ? "true" : "false") < 0)
		return -2;
	if (json_is_integer(days) && json_integer_value(days) > 0 && json_integer_value(days) < 100000) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(days));
		if (sf_graph_set_attr(ctx->graph, id, "rotation_days", buf) < 0)
			return -2;
	}
	if (date_text(json_object_get(s, "LastRotatedDate"), buf, sizeof(buf)) == 0 &&
	    sf_graph_set_attr(ctx->graph, id, "last_rotated", buf) < 0)
		return -2;
	if (primary && strlen(primary) < 64 &&
	    sf_graph_set_attr(ctx->graph, id, "primary_region", primary) < 0)
		return -2;
	if (sf_inv_edge(ctx, id, SF_EDGE_ENCRYPTED_BY,
	                sf_inv_kms_ref(ctx, kms, arn, NULL, "aws/secretsmanager", line), line) < 0)
		return -2;
	/* rotation is how the secret is recovered after a leak: control plane */
	if (lambda && sf_inv_edge(ctx, id, SF_EDGE_ADMINISTERED_BY,
	                          sf_inv_arn_node(ctx, SF_KIND_COMPUTE, lambda, line), line) < 0)
		return -2;
	/* a replica in list-secrets of another region names its primary */
	if (primary && sf_inv_arn_in_region(arn, primary, rarn, sizeof(rarn)) == 0 &&
	    strcmp(rarn, arn) != 0 &&
	    sf_inv_edge(ctx, id, SF_EDGE_MEMBER_OF, sf_inv_arn_node(ctx, SF_KIND_SECRET, rarn, line),
	                line) < 0)
		return -2;
	reps = json_object_get(s, "ReplicationStatus");
	json_array_foreach(reps, i, r) {
		const char *region = json_string_value(json_object_get(r, "Region"));
		sf_node_id rid;
		if (i >= SM_MAX_REPLICAS || !region || sf_inv_arn_in_region(arn, region, rarn, sizeof(rarn)) < 0)
			continue;
		rid = sf_inv_arn_node(ctx, SF_KIND_SECRET, rarn, line);
		if (rid == SF_NODE_NONE ||
		    sf_inv_edge(ctx, rid, SF_EDGE_MEMBER_OF, id, line) < 0 ||
		    sf_inv_edge(ctx, rid, SF_EDGE_ENCRYPTED_BY,
		                sf_inv_kms_ref(ctx, json_string_value(json_object_get(r, "KmsKeyId")), arn,
		                               region, "aws/secretsmanager", line), line) < 0 ||
		    sf_graph_set_attr(ctx->graph, rid, "rotation_enabled",
		                      json_is_true(rot) ? "true" : "false") < 0)
			return -2;
	}
	return 0;
}

static int sm_import(sf_import_ctx *ctx, const char *data, size_t len)
{
	json_t *root, *list, *s;
	char scope[1024];
	sf_node_id file;
	sf_inv_lines lines;
	size_t i;
	int rc = 0, r;

	if (!(root = sf_json_load_input(ctx->diags, ctx->path, data, len)))
		return -1;
	list = json_object_get(root, "SecretList");
	if (!json_is_object(root) || (list && !json_is_array(list)) ||
	    (!list && !json_is_string(json_object_get(root, "ARN")))) {
		sf_diag_error(ctx->diags, ctx->path, 1, "not a Secrets Manager listing: no SecretList "
		              "list and no ARN at the top level");
		json_decref(root);
		return -1;
	}
	if (json_is_string(json_object_get(root, "NextToken")))
		sf_diag_warn(ctx->diags, ctx->path, line_of(data, "NextToken"),
		             "NextToken: secrets after this page are missing; list without --max-items");
	if ((file = sf_inv_file(ctx, "secretsmanager", scope, sizeof(scope))) == SF_NODE_NONE) {
		json_decref(root);
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
		return -1;
	}
	sf_inv_lines_init(&lines, data);
	if (!list) {
		rc = one_secret(ctx, root, &lines, file);
	} else {
		json_array_foreach(list, i, s) {
			if (i >= SM_MAX_SECRETS || !json_is_object(s))
				continue;
			if ((r = one_secret(ctx, s, &lines, file)) < rc)
				rc = r;
			if (r == -2)
				break;
		}
	}
	if (rc == -2)
		sf_diag_error(ctx->diags, ctx->path, 0, "out of memory");
	json_decref(root);
	return rc < 0 ? -1 : 0;
}

const sf_importer sf_importer_secretsmanager = { "secretsmanager", sm_sniff, sm_import, NULL, NULL };
