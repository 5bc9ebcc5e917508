/* AWS secrets, keys and certificates in Terraform state: Secrets Manager
 * (with replicas and rotation), SSM parameters, KMS keys (multi-region
 * replicas, aliases), ACM certificates and private CAs.
 *
 * Regional copies are nodes of their own. A secret replicated to another
 * region is one node per region, keyed by that region's ARN, each
 * encrypted by its own regional key and located in its region; a replica
 * is `member_of` its primary (control plane: rotation and changes come
 * from the primary). A consumer depends on the copy its reference names:
 * ECS and Lambda read a full ARN in the ARN's region, so a standby that
 * reads the primary's ARN still depends on the primary's region even when
 * a replica exists. The values (`secret_string`, parameter `value`) are
 * never read. */
#include "tf_aws.h"

#include <string.h>

#include "tf_path.h"

#define MAX_REPLICAS 32

/* The ARN of a regional copy: the same ARN in another region. */
static int arn_in_region(const char *arn, const char *region, char *out, size_t outsz)
{
	tf_arn a;
	const char *res = arn;
	if (tf_arn_parse(arn, &a) < 0 || !region || !region[0] || strlen(region) >= 64)
		return -1;
	for (int colons = 0; *res && colons < 5; res++)
		if (*res == ':')
			colons++;
	return tf_aws_arn(out, outsz, &a, a.service, region, res);
}

/* `arn:...:secret:NAME` without the random suffix: the partial ARN that
 * consumers may use. */
static void alias_partial(tf_ctx *t, sf_node_id id, const char *arn, const char *name)
{
	char res[600], partial[800];
	tf_arn a;
	if (!name || strlen(name) > 512 || tf_arn_parse(arn, &a) < 0)
		return;
	snprintf(res, sizeof(res), "secret:%s", name);
	if (tf_aws_arn(partial, sizeof(partial), &a, "secretsmanager", NULL, res) == 0 &&
	    strcmp(partial, arn) != 0 && tf_alias(t, partial, id) < 0)
		t->oom = 1;
}

/* The region of replica i, when it is one. */
static const char *replica_region(const tf_inst *in, size_t i)
{
	const char *r = tf_path_str(in, "replica.%zu.region", i);
	if (r && strlen(r) < 64 && strspn(r, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(r))
		return r;
	return NULL;
}

static size_t replica_regions(const tf_inst *in, const char **out)
{
	size_t n = tf_path_count(in, "replica"), k = 0;
	for (size_t i = 0; i < n && k < MAX_REPLICAS; i++)
		if ((out[k] = replica_region(in, i)))
			k++;
	return k;
}

static void secret_nodes(tf_ctx *t, tf_inst *in)
{
	const char *arn = tf_str(in, "arn"), *name = tf_str(in, "name");
	const char *regions[MAX_REPLICAS];
	char all[MAX_REPLICAS * 70], rarn[800];
	size_t n, o;
	int rot = tf_bool(in, "rotation_enabled");    /* provider v4 and older */
	tf_arn home;

	tf_aws_arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", name);
	tf_attr(t, in->node, "rotation_enabled", rot == 1 ? "true" : "false");
	if (!arn || tf_arn_parse(arn, &home) < 0 || !home.region[0])
		return;
	alias_partial(t, in->node, arn, name);
	n = replica_regions(in, regions);
	o = (size_t)snprintf(all, sizeof(all), "%s", home.region);
	for (size_t i = 0; i < n; i++) {
		sf_prov p = { t->ctx->path, in->line };
		char label[600];
		sf_node_id r;
		if (arn_in_region(arn, regions[i], rarn, sizeof(rarn)) < 0)
			continue;
		snprintf(label, sizeof(label), "%s (replica in %s)", in->address, regions[i]);
		r = sf_graph_node(t->g, SF_KIND_SECRET, rarn, label, &p);
		if (r == SF_NODE_NONE) {
			t->oom = 1;
			return;
		}
		tf_attr(t, r, "arn", rarn);
		tf_attr(t, r, "name", name);
		tf_attr(t, r, "rotation_enabled", rot == 1 ? "true" : "false");
		tf_place(t, r, rarn, in, 1);
		alias_partial(t, r, rarn, name);
		/* Changes and rotation reach a replica from its primary. */
		tf_edge(t, r, SF_EDGE_MEMBER_OF, in->node, in);
		o += (size_t)snprintf(all + o, sizeof(all) - o, ",%s", regions[i]);
	}
	tf_attr(t, in->node, "replica_regions", all);
	for (size_t i = 0; i < n; i++)
		if (arn_in_region(arn, regions[i], rarn, sizeof(rarn)) == 0)
			tf_attr(t, tf_find(t, rarn), "replica_regions", all);
}

/* A rotation resource registered itself under `rotation-of:<secret>`. */
static sf_node_id rotation_of(tf_ctx *t, const char *arn, const char *name)
{
	char key[900];
	sf_node_id r = SF_NODE_NONE;
	if (arn && strlen(arn) < 800) {
		snprintf(key, sizeof(key), "rotation-of:%s", arn);
		r = tf_find(t, key);
	}
	if (r == SF_NODE_NONE && name && strlen(name) < 800) {
		snprintf(key, sizeof(key), "rotation-of:%s", name);
		r = tf_find(t, key);
	}
	return r;
}

static void secret_edges(tf_ctx *t, tf_inst *in)
{
	const char *arn = tf_str(in, "arn"), *name = tf_str(in, "name");
	sf_node_id rot;
	tf_arn home;
	size_t n = tf_path_count(in, "replica");

	if (!arn || tf_arn_parse(arn, &home) < 0 || !home.region[0])
		return;
	/* No key named: the account's aws/secretsmanager key of the region,
	 * which is as regional as any other. */
	tf_edge(t, in->node, SF_EDGE_ENCRYPTED_BY,
	        tf_aws_kms_ref(t, tf_str(in, "kms_key_id"), &home, NULL, "aws/secretsmanager", in), in);
	rot = rotation_of(t, arn, name);
	if (rot != SF_NODE_NONE) {
		tf_attr(t, in->node, "rotation_enabled", "true");
		tf_attr(t, in->node, "rotation_days", sf_graph_attr(t->g, rot, "rotation_days"));
	}
	for (size_t i = 0, k = 0; i < n && k < MAX_REPLICAS; i++) {
		const char *region = replica_region(in, i);
		char rarn[800];
		sf_node_id r;
		if (!region)
			continue;
		k++;
		if (arn_in_region(arn, region, rarn, sizeof(rarn)) < 0 ||
		    (r = tf_find(t, rarn)) == SF_NODE_NONE)
			continue;
		tf_edge(t, r, SF_EDGE_ENCRYPTED_BY,
		        tf_aws_kms_ref(t, tf_path_str(in, "replica.%zu.kms_key_id", i), &home, region,
		                       "aws/secretsmanager", in), in);
		if (rot != SF_NODE_NONE) {
			tf_attr(t, r, "rotation_enabled", "true");
			tf_attr(t, r, "rotation_days", sf_graph_attr(t->g, rot, "rotation_days"));
		}
	}
}

/* Rotation: the secret changes on a schedule, through a Lambda function
 * (the control plane of the secret: without it, no new value). */
static void rotation_nodes(tf_ctx *t, tf_inst *in)
{
	const char *sid = tf_str(in, "secret_id");
	char key[900], buf[32];
	const char *days = tf_path_num(in, buf, sizeof(buf), "rotation_rules.0.automatically_after_days");

	if (!sid)
		sid = tf_str(in, "id");
	if (tf_bool(in, "rotation_enabled") == 0 || !sid || strlen(sid) >= 800)
		return;
	tf_attr(t, in->node, "rotation_days", days);
	snprintf(key, sizeof(key), "rotation-of:%s", sid);
	if (tf_alias(t, key, in->node) < 0)
		t->oom = 1;
}

static void rotation_edges(tf_ctx *t, tf_inst *in)
{
	const char *sid = tf_str(in, "secret_id"), *fn = tf_str(in, "rotation_lambda_arn");
	sf_node_id s;
	if (!sid)
		sid = tf_str(in, "id");
	s = tf_aws_ref(t, SF_KIND_SECRET, sid, in);
	tf_edge(t, in->node, SF_EDGE_DEPENDS_ON, s, in);
	tf_edge(t, s, SF_EDGE_ADMINISTERED_BY, tf_aws_ref(t, SF_KIND_COMPUTE, fn, in), in);
}

static void ssm_parameter_nodes(tf_ctx *t, tf_inst *in)
{
	tf_aws_arn_alias(t, in, 1);
	tf_attr(t, in->node, "name", tf_str(in, "name"));
	tf_attr(t, in->node, "type", tf_str(in, "type"));
}

static void ssm_parameter_edges(tf_ctx *t, tf_inst *in)
{
	const char *type = tf_str(in, "type");
	tf_arn home;
	if (!type || strcmp(type, "SecureString") != 0 || tf_aws_home(in, &home) < 0)
		return;
	tf_edge(t, in->node, SF_EDGE_ENCRYPTED_BY,
	        tf_aws_kms_ref(t, tf_str(in, "key_id"), &home, NULL, "aws/ssm", in), in);
}

/* ---- KMS ---- */

static void kms_key_nodes(tf_ctx *t, tf_inst *in)
{
	const char *spec = tf_str(in, "customer_master_key_spec");
	tf_aws_arn_alias(t, in, 1);
	/* A missing multi_region (older providers) is a single-region key. */
	tf_attr(t, in->node, "multi_region", tf_bool(in, "multi_region") == 1 ? "true" : "false");
	tf_attr(t, in->node, "key_spec", spec ? spec : tf_str(in, "key_spec"));
}

static void kms_replica_nodes(tf_ctx *t, tf_inst *in)
{
	tf_aws_arn_alias(t, in, 1);
	tf_attr(t, in->node, "multi_region", "true");
}

/* A replica key decrypts on its own in its region; its policy and key
 * material come from the primary (control plane). */
static void kms_replica_edges(tf_ctx *t, tf_inst *in)
{
	tf_edge(t, in->node, SF_EDGE_MEMBER_OF,
	        tf_aws_ref(t, SF_KIND_KMS_KEY, tf_str(in, "primary_key_arn"), in), in);
}

/* An alias is another name of its key: consumers naming `alias/x` (or the
 * alias ARN) reach the key itself. Done in the first pass, so that every
 * consumer finds it. */
static void kms_alias_nodes(tf_ctx *t, tf_inst *in)
{
	const char *arn = tf_str(in, "arn"), *target = tf_str(in, "target_key_arn");
	char karn[700];
	sf_node_id key;
	tf_arn a;

	tf_attr(t, in->node, "name", tf_str(in, "name"));
	if (!arn || tf_arn_parse(arn, &a) < 0)
		return;
	tf_attr(t, in->node, "arn", arn);
	if (!target) {
		const char *kid = tf_str(in, "target_key_id");
		char res[600];
		if (!kid || strlen(kid) > 500)
			return;
		snprintf(res, sizeof(res), "key/%s", kid);
		if (tf_aws_arn(karn, sizeof(karn), &a, "kms", NULL, res) < 0)
			return;
		target = karn;
	}
	key = tf_aws_ref(t, SF_KIND_KMS_KEY, target, in);
	if (key != SF_NODE_NONE && tf_alias(t, arn, key) < 0)
		t->oom = 1;
}

/* ---- certificates ---- */

static void acm_nodes(tf_ctx *t, tf_inst *in)
{
	char sans[2048];
	tf_aws_arn_alias(t, in, 1);
	tf_attr(t, in->node, "domain_name", tf_str(in, "domain_name"));
	tf_attr(t, in->node, "subject_alternative_names",
	        tf_aws_join(tf_get(in, "subject_alternative_names"), sans, sizeof(sans)));
	tf_attr(t, in->node, "type", tf_str(in, "type"));
}

/* Who re-issues the certificate: its private CA, or Amazon's public CA
 * (control plane). An imported certificate names no issuer here. */
static void acm_edges(tf_ctx *t, tf_inst *in)
{
	const char *ca = tf_str(in, "certificate_authority_arn"), *type = tf_str(in, "type");
	if (ca)
		tf_edge(t, in->node, SF_EDGE_ADMINISTERED_BY,
		        tf_aws_ref(t, SF_KIND_CERTIFICATE_AUTHORITY, ca, in), in);
	else if ((type && strcmp(type, "AMAZON_ISSUED") == 0) ||
	         (!type && tf_str(in, "validation_method")))
		tf_edge(t, in->node, SF_EDGE_ADMINISTERED_BY, tf_aws_public_ca(t), in);
}

static void pca_nodes(tf_ctx *t, tf_inst *in)
{
	tf_aws_arn_alias(t, in, 1);
	tf_attr(t, in->node, "type", tf_str(in, "type"));
}

const tf_type tf_aws_secrets_types[] = {
	{ "aws_acm_certificate", SF_KIND_CERTIFICATE, acm_nodes, acm_edges },
	{ "aws_acmpca_certificate_authority", SF_KIND_CERTIFICATE_AUTHORITY, pca_nodes, NULL },
	{ "aws_kms_alias", SF_KIND_RESOURCE, kms_alias_nodes, NULL },
	{ "aws_kms_key", SF_KIND_KMS_KEY, kms_key_nodes, NULL },
	{ "aws_kms_replica_key", SF_KIND_KMS_KEY, kms_replica_nodes, kms_replica_edges },
	{ "aws_secretsmanager_secret", SF_KIND_SECRET, secret_nodes, secret_edges },
	{ "aws_secretsmanager_secret_rotation", SF_KIND_RESOURCE, rotation_nodes, rotation_edges },
	{ "aws_ssm_parameter", SF_KIND_SECRET, ssm_parameter_nodes, ssm_parameter_edges },
	{ NULL, SF_KIND_RESOURCE, NULL, NULL },
};
