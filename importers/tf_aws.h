/* Helpers shared by the files that give AWS resource types their meaning
 * (tf_aws.c: load balancing, DNS, compute; tf_aws_iam.c: identity and
 * administration; tf_aws_secrets.c: secrets, keys and certificates).
 *
 * References between AWS objects are made by ARN wherever one can be
 * built, because an ARN carries the region and account that decide the
 * failure domain: a reference by ARN reaches the regional copy it names. */
#ifndef SF_TF_AWS_H
#define SF_TF_AWS_H

#include "tfstate.h"

/* Alias the instance's node by its `arn` (or an ARN-shaped `id`), record
 * it, and place the node in its region (when with_region) and account. */
void tf_aws_arn_alias(tf_ctx *t, tf_inst *in, int with_region);

/* A node for an AWS object named by ARN: the node that defines it when
 * one does, else a placeholder of `kind` keyed by the ARN, placed in the
 * ARN's region and account either way. SF_NODE_NONE for no ARN. */
sf_node_id tf_aws_ref(tf_ctx *t, sf_kind kind, const char *arn, const tf_inst *in);

/* The region and account of an instance, from its `arn` (or `id`); 0 when
 * both are known. */
int tf_aws_home(const tf_inst *in, tf_arn *out);

/* Build `arn:<partition>:<service>:<region>:<account>:<resource>` from a
 * home ARN's partition/account and the given region (the home's when
 * NULL). -1 when it does not fit or the home lacks an account. */
int tf_aws_arn(char *out, size_t outsz, const tf_arn *home, const char *service,
               const char *region, const char *resource);

/* A KMS key named the way AWS APIs accept it (key ARN, alias ARN, key ID,
 * `alias/name`), resolved in `region` of the home account. An empty name
 * means `default_alias` (the AWS managed key, e.g. "aws/secretsmanager"),
 * which is still a key of that region. */
sf_node_id tf_aws_kms_ref(tf_ctx *t, const char *name, const tf_arn *home, const char *region,
                          const char *default_alias, const tf_inst *in);

/* The identity provider node for an issuer or metadata URL, keyed
 * `idp:<scheme>://<host>[:port][/path]` (lower-case scheme and host, no
 * query, no trailing slash). Issuers that AWS runs in one region
 * (oidc.eks.<region>, cognito-idp.<region>) are placed there. */
int tf_aws_idp_key(const char *url, char *out, size_t outsz);
sf_node_id tf_aws_idp(tf_ctx *t, const char *url, const tf_inst *in);

/* Parse a JSON document held in a string attribute (policies, container
 * definitions). A value that is already an object or array is taken as
 * is. Returns a new reference, or NULL when absent, sensitive or not JSON
 * (a warning with path:line, which never quotes the text). */
json_t *tf_aws_json_attr(tf_ctx *t, const tf_inst *in, const char *key);
json_t *tf_aws_json_value(tf_ctx *t, const tf_inst *in, const char *what, json_t *v);

/* The public CA node (`ca:amazon`, type=public) that every Amazon-issued
 * certificate chains to: a control-plane dependency SF106 does not report,
 * since every public certificate has one. */
sf_node_id tf_aws_public_ca(tf_ctx *t);

/* The instance whose node is `id`, or NULL. Linear: for rare lookups. */
tf_inst *tf_aws_inst_of(tf_ctx *t, sf_node_id id);

/* Join the strings of a JSON array (or a single string) with ",", into
 * `out`; skips anything else. Returns out, or NULL when nothing was
 * copied. */
const char *tf_aws_join(json_t *v, char *out, size_t outsz);

#endif
