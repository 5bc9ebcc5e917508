#!/usr/bin/env python3
"""Hostile attribute shapes for every resource type the Terraform importer
gives meaning to (identity, secrets, keys, certificates; Cloudflare, Azure,
GCP): every attribute it reads set to each wrong type in turn, nested
blocks of the wrong shape, and JSON strings (policies, container
definitions) that are not JSON, not the expected JSON, or nested too deep.
Each state must import with at most warnings (exit 0 or 1), in bounded
time, and never crash (the ASan build runs this too)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PROVIDERS = {
    "aws": 'provider["registry.terraform.io/hashicorp/aws"]',
    "cloudflare": 'provider["registry.terraform.io/cloudflare/cloudflare"]',
    "azurerm": 'provider["registry.terraform.io/hashicorp/azurerm"]',
    "google": 'provider["registry.terraform.io/hashicorp/google"]',
}

TYPES = """
aws_lb aws_lb_listener aws_lb_listener_rule aws_lb_listener_certificate aws_lb_target_group
aws_ecs_service aws_ecs_task_definition aws_lambda_function aws_eks_cluster aws_eks_node_group
aws_instance aws_cloudfront_distribution aws_route53_record aws_route53_zone aws_route53_health_check
aws_iam_role aws_iam_user aws_iam_group aws_iam_instance_profile aws_iam_policy aws_iam_role_policy
aws_iam_user_policy aws_iam_group_policy aws_iam_role_policy_attachment aws_iam_user_policy_attachment
aws_iam_group_policy_attachment aws_iam_policy_attachment aws_iam_openid_connect_provider
aws_iam_saml_provider aws_cognito_user_pool aws_cognito_user_pool_domain aws_cognito_identity_provider
aws_cognito_identity_pool aws_organizations_account aws_secretsmanager_secret
aws_secretsmanager_secret_rotation aws_ssm_parameter aws_kms_key aws_kms_replica_key aws_kms_alias
aws_acm_certificate aws_acmpca_certificate_authority
cloudflare_zone cloudflare_load_balancer cloudflare_load_balancer_pool cloudflare_load_balancer_monitor
cloudflare_record cloudflare_dns_record
azurerm_traffic_manager_profile azurerm_traffic_manager_azure_endpoint
azurerm_traffic_manager_external_endpoint azurerm_traffic_manager_nested_endpoint
azurerm_traffic_manager_endpoint azurerm_public_ip azurerm_linux_web_app azurerm_key_vault
google_dns_record_set google_dns_managed_zone google_compute_forwarding_rule
google_compute_region_backend_service google_compute_region_health_check google_compute_health_check
google_compute_instance google_compute_region_instance_group_manager
""".split()

KEYS = """
arn id name dns_name certificate_arn default_action action listener_arn load_balancer_arn
task_definition cluster load_balancer family revision arn_without_revision container_definitions
task_role_arn execution_role_arn role kms_key_arn environment qualified_arn function_name identity
role_arn node_role_arn cluster_name iam_instance_profile viewer_certificate assume_role_policy
inline_policy managed_policy_arns policy user group policy_arn roles users groups url endpoint
user_pool_id domain provider_type provider_details cognito_identity_providers
openid_connect_provider_arns saml_provider_arns supported_login_providers identity_pool_name
kms_key_id replica rotation_enabled secret_id rotation_lambda_arn rotation_rules type key_id
customer_master_key_spec key_spec multi_region primary_key_arn target_key_arn target_key_id
domain_name subject_alternative_names validation_method certificate_authority_arn zone monitor
origins default_pools default_pool_ids fallback_pool fallback_pool_id steering_policy zone_id
hostname content value port path location ip_address fqdn default_hostname resource_group_name
dns_config traffic_routing_method monitor_config profile_status profile_id profile_name
target_resource_id target priority weight enabled endpoint_status self_link backend_service
health_checks backend tcp_health_check http_health_check instance_group network_interface project
routing_policy rrdatas managed_zone ttl records alias failover_routing_policy
""".split()

WRONG = [None, [], {}, "", "x", 7, -1, 1.5, True, [None], [{}], [[]], ["x", 3], {"a": None},
         [{"a": [{"b": None}]}], "[", "{", "null", "42", '{"Statement": 5}', '[{"secrets": "x"}]',
         "arn:", "arn:aws:secretsmanager:::secret:", "*", "." * 300, "a" * 5000,
         "/subscriptions/", "projects/", "https://", "idp://"]
# JSON strings nested past jansson's depth limit, in the attributes that hold JSON.
DEEP = "[" * 3000 + "]" * 3000


def provider_of(t):
    return PROVIDERS[t.split("_", 1)[0]]


def res(t, name, attrs, sensitive=None):
    inst = {"schema_version": 0, "attributes": attrs}
    if sensitive is not None:
        inst["sensitive_attributes"] = sensitive
    return {"mode": "managed", "type": t, "name": name, "provider": provider_of(t), "instances": [inst]}


def state(resources):
    return json.dumps({"version": 4, "terraform_version": "1.5.7", "serial": 1, "lineage": "l",
                       "outputs": {}, "resources": resources})


def nested_cases():
    """Right attribute names, wrong shapes inside."""
    acct = "111122223333"
    role = "arn:aws:iam::%s:role/r" % acct
    sm = "arn:aws:secretsmanager:us-east-1:%s:secret:s-AbCdEf" % acct
    docs = [
        {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}},
        {"Statement": [None, 1, "x", {"Effect": ["Allow"], "Principal": {"AWS": [1, None, "12345"]}}]},
        {"Statement": [{"Effect": "Allow", "Principal": {"Federated": [None, "", "arn:aws:iam::1:oidc-provider/"]},
                        "Condition": {"StringEquals": "x"}}]},
        {"Statement": [{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                        "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": [7, None]}}}]},
        {"Statement": [{"Effect": "Allow", "NotAction": [], "NotResource": {}, "Action": None}]},
        {"Statement": [{"Effect": "Allow", "Action": "*" * 3000 + "?", "Resource": "*a" * 2000}]},
        {"Statement": [{"Effect": "Deny", "Action": "route53:*", "Resource": "*"}] * 600},
    ]
    rs = [res("aws_route53_zone", "z", {"zone_id": "Z1", "name": "example.com"})]
    for i, d in enumerate(docs):
        rs.append(res("aws_iam_role", "r%d" % i, {"arn": role + str(i), "name": "r%d" % i,
                                                  "assume_role_policy": json.dumps(d),
                                                  "inline_policy": [{"policy": json.dumps(d)}, None, 3]}))
        rs.append(res("aws_iam_role_policy", "p%d" % i, {"role": "r%d" % i, "policy": json.dumps(d)}))
    containers = [
        [None, 1, {"secrets": None}, {"secrets": [None, {"valueFrom": 5}, {"valueFrom": ""}]}],
        [{"secrets": [{"valueFrom": "arn:aws:secretsmanager:us-east-1:1:secret:"},
                      {"valueFrom": "arn:aws:ssm:::parameter"},
                      {"valueFrom": "/" * 3000},
                      {"valueFrom": "x" * 3000}],
          "repositoryCredentials": "x"}],
        [{"secrets": [{"valueFrom": sm + ":k:" * 500}]}] * 200,
    ]
    for i, c in enumerate(containers):
        rs.append(res("aws_ecs_task_definition", "t%d" % i, {
            "arn": "arn:aws:ecs:us-east-1:%s:task-definition/t%d:1" % (acct, i), "family": "t%d" % i,
            "container_definitions": json.dumps(c), "task_role_arn": role}))
    rs.append(res("aws_lb_listener", "l", {
        "arn": "arn:aws:elasticloadbalancing:us-east-1:%s:listener/app/a/1/2" % acct,
        "default_action": [{"authenticate_oidc": [{"issuer": ["x"]}], "forward": [{"target_group": [None, {"arn": 3}]}]},
                           {"authenticate_oidc": {"issuer": "https://Bare.Object.example/"}},
                           {"authenticate_cognito": [{"user_pool_arn": "not-an-arn"}]}]},
        sensitive=[[{"type": "get_attr", "value": "default_action"}, {"type": "index", "value": "x"}],
                   [1, 2], "x", [{"type": "index", "value": {"value": None}}]]))
    rs.append(res("aws_secretsmanager_secret", "s", {
        "arn": sm, "name": "s", "replica": [{"region": None}, {"region": "US EAST"}, {"region": "us-west-2",
                                                                                     "kms_key_id": 5}] * 40}))
    rs.append(res("cloudflare_load_balancer", "lb", {
        "name": "api.example.com", "default_pools": [None, "", "a", "a", 5] + ["p%d" % i for i in range(100)],
        "fallback_pool": "a", "steering_policy": "random"}))
    rs.append(res("azurerm_traffic_manager_profile", "p", {
        "id": "/subscriptions/S/resourceGroups/R/providers/x/trafficManagerProfiles/p", "name": "p",
        "traffic_routing_method": "Priority", "fqdn": "p.trafficmanager.net"}))
    for i in range(300):
        rs.append(res("azurerm_traffic_manager_external_endpoint", "e%d" % i, {
            "profile_id": "/SUBSCRIPTIONS/S/resourceGroups/R/providers/x/trafficManagerProfiles/P",
            "priority": ["x", None, i, -i, 2 ** 62][i % 5], "target": "e%d.example.net" % i}))
    rs.append(res("google_dns_record_set", "r", {
        "name": "api.example.com.", "type": "A", "routing_policy": [{"primary_backup": [{
            "primary": [{"internal_load_balancers": [None, {"ip_address": 5}, {"ip_address": "10.0.0.1"}]}],
            "backup_geo": [{"location": None, "rrdatas": [None, "x", "10.0.0.1"],
                            "health_checked_targets": [{"external_endpoints": "x"}]}] * 100}]}]}))
    return rs


def cases():
    for k, v in enumerate(WRONG):
        rs = []
        for t in TYPES:
            rs.append(res(t, "w%d" % k, {key: v for key in KEYS}))
        yield "wrong-%02d" % k, state(rs)
    yield "deep-json", state([res(t, "d", {k: DEEP for k in ("container_definitions", "assume_role_policy",
                                                               "policy", "inline_policy")})
                              for t in TYPES])
    yield "nested", state(nested_cases())
    # Sensitive markers of every shape on every type.
    rs = []
    for i, t in enumerate(TYPES):
        rs.append(res(t, "s%d" % i, {key: "x" for key in KEYS},
                      sensitive=[[{"type": "get_attr", "value": k}] for k in KEYS[i % len(KEYS):][:5]]))
    yield "sensitive", state(rs)


def main():
    binary = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="sf-hostile-sem-")
    failures = []
    try:
        for name, data in cases():
            d = os.path.join(tmp, name)
            os.makedirs(d)
            with open(os.path.join(d, "terraform.tfstate"), "w") as f:
                f.write(data)
            t0 = time.monotonic()
            try:
                p = subprocess.run([binary, "scan", "--format", "json", "--fail-on", "none", name],
                                   cwd=tmp, capture_output=True, timeout=120)
            except subprocess.TimeoutExpired:
                failures.append("%s: hang (over 120 s)" % name)
                continue
            err = p.stderr.decode(errors="replace")
            if p.returncode not in (0, 1):
                failures.append("%s: exit %d\n%s" % (name, p.returncode, err[:3000]))
            for line in err.splitlines():
                if ": warning: " not in line:
                    failures.append("%s: not a warning: %s" % (name, line[:300]))
                    break
            print("%-12s exit %d  %.2fs" % (name, p.returncode, time.monotonic() - t0))
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    print("all hostile attribute shapes handled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
