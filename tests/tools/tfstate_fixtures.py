#!/usr/bin/env python3
"""Writes the Terraform state fixtures under fixtures/ in the shapes Terraform
and the AWS provider really produce: state format 4 with two-space indentation
(as `terraform state pull` writes it), provider-v5 attribute sets with their
nulls and empty blocks, and the `terraform show -json` form of the same state.

Run from the repository root after changing a fixture here; then regenerate the
golden expectations (tests/golden.py --update build/sharedfate . fixtures/NAME)
and review the diff.
"""
import hashlib
import json
import os

AWS = 'provider["registry.terraform.io/hashicorp/aws"]'
ACCOUNT = "111122223333"
DR_ACCOUNT = "444455556666"
LB_ZONE = {"us-east-1": "Z35SXDOTRQ7X7K", "us-west-2": "Z1H1FL5HABSF5", "eu-west-1": "Z32O12XQLNTSW2"}


def res(type_, name, attrs, deps=(), module=None, index_key=None, sensitive=(), instances=None,
        provider=AWS, sensitive_paths=()):
    """sensitive: top-level attribute names; sensitive_paths: nested paths
    as lists of names and indexes, written the way Terraform writes them."""
    inst = {"schema_version": 0, "attributes": attrs,
            "sensitive_attributes": [[{"type": "get_attr", "value": s}] for s in sensitive] +
                                    [tf_path(p) for p in sensitive_paths],
            "private": "bnVsbA=="}
    if index_key is not None:
        inst = {"index_key": index_key, **inst}
    if deps:
        inst["dependencies"] = sorted(deps)
    r = {"mode": "managed", "type": type_, "name": name, "provider": provider,
         "instances": instances if instances is not None else [inst]}
    if module:
        r = {"module": module, **r}
    return r


def tf_path(steps):
    return [{"type": "index", "value": {"value": x, "type": "number"}} if isinstance(x, int)
            else {"type": "get_attr", "value": x} for x in steps]


def zone(name, zone_id, tf="main"):
    return res("aws_route53_zone", tf, {
        "arn": "arn:aws:route53:::hostedzone/" + zone_id, "comment": "Managed by Terraform",
        "delegation_set_id": "", "force_destroy": False, "id": zone_id, "name": name,
        "name_servers": ["ns-1536.awsdns-00.co.uk", "ns-0.awsdns-00.com",
                         "ns-1024.awsdns-00.org", "ns-512.awsdns-00.net"],
        "primary_name_server": "ns-0.awsdns-00.com", "tags": {}, "tags_all": {},
        "vpc": [], "zone_id": zone_id})


def health_check(tf, hc_id, fqdn, type_="HTTPS", port=443, path="/healthz", **kw):
    a = {"arn": "arn:aws:route53:::healthcheck/" + hc_id, "child_health_threshold": 0,
         "child_healthchecks": [], "cloudwatch_alarm_name": None, "cloudwatch_alarm_region": None,
         "disabled": False, "enable_sni": type_ == "HTTPS", "failure_threshold": 3,
         "fqdn": fqdn, "id": hc_id, "insufficient_data_health_status": "",
         "invert_healthcheck": False, "ip_address": "", "measure_latency": False,
         "port": port, "reference_name": None, "regions": [], "request_interval": 30,
         "resource_path": path if type_ != "TCP" else "", "routing_control_arn": "",
         "search_string": "", "tags": {}, "tags_all": {}, "type": type_}
    a.update(kw)
    return res("aws_route53_health_check", tf, a)


def alb(tf, name, region, suffix, module=None, index_key=None, account=ACCOUNT):
    arn = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s" % (region, account, name, suffix)
    dns = "%s-%s.%s.elb.amazonaws.com" % (name, suffix[:10], region)
    return res("aws_lb", tf, {
        "access_logs": [{"bucket": "", "enabled": False, "prefix": ""}],
        "arn": arn, "arn_suffix": "app/%s/%s" % (name, suffix), "customer_owned_ipv4_pool": "",
        "desync_mitigation_mode": "defensive", "dns_name": dns, "drop_invalid_header_fields": False,
        "enable_deletion_protection": False, "enable_http2": True, "enable_waf_fail_open": False,
        "id": arn, "idle_timeout": 60, "internal": False, "ip_address_type": "ipv4",
        "load_balancer_type": "application", "name": name, "name_prefix": None,
        "preserve_host_header": False, "security_groups": ["sg-0a1b2c3d4e5f60718"],
        "subnet_mapping": [], "subnets": ["subnet-0aa", "subnet-0bb"], "tags": {}, "tags_all": {},
        "timeouts": None, "vpc_id": "vpc-0123456789abcdef0", "zone_id": LB_ZONE[region]},
        module=module, index_key=index_key), arn, dns


def target_group(tf, name, region, suffix, module=None, index_key=None, account=ACCOUNT):
    arn = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s" % (region, account, name, suffix)
    return res("aws_lb_target_group", tf, {
        "arn": arn, "arn_suffix": "targetgroup/%s/%s" % (name, suffix),
        "connection_termination": False, "deregistration_delay": "300",
        "health_check": [{"enabled": True, "healthy_threshold": 3, "interval": 30,
                          "matcher": "200", "path": "/healthz", "port": "traffic-port",
                          "protocol": "HTTP", "timeout": 5, "unhealthy_threshold": 3}],
        "id": arn, "ip_address_type": "ipv4", "lambda_multi_value_headers_enabled": False,
        "load_balancing_algorithm_type": "round_robin", "name": name, "name_prefix": None,
        "port": 8080, "preserve_client_ip": None, "protocol": "HTTP", "protocol_version": "HTTP1",
        "proxy_protocol_v2": False, "slow_start": 0, "stickiness": [], "tags": {}, "tags_all": {},
        "target_type": "ip", "vpc_id": "vpc-0123456789abcdef0"},
        module=module, index_key=index_key), arn


def listener(tf, lb_arn, tg_arn, region, suffix, deps, module=None, index_key=None):
    arn = lb_arn.replace(":loadbalancer/", ":listener/") + "/" + suffix
    return res("aws_lb_listener", tf, {
        "alpn_policy": None, "arn": arn, "certificate_arn": None,
        "default_action": [{"authenticate_cognito": [], "authenticate_oidc": [], "fixed_response": [],
                            "forward": [], "order": 1, "redirect": [], "target_group_arn": tg_arn,
                            "type": "forward"}],
        "id": arn, "load_balancer_arn": lb_arn, "port": 80, "protocol": "HTTP",
        "ssl_policy": "", "tags": {}, "tags_all": {}, "timeouts": None},
        deps=deps, module=module, index_key=index_key)


def ecs_service(tf, name, region, tg_arn, deps, module=None, index_key=None, account=ACCOUNT):
    cluster = "arn:aws:ecs:%s:%s:cluster/%s" % (region, account, name)
    arn = "arn:aws:ecs:%s:%s:service/%s/%s" % (region, account, name, name)
    return res("aws_ecs_service", tf, {
        "alarms": [], "capacity_provider_strategy": [], "cluster": cluster,
        "deployment_circuit_breaker": [{"enable": False, "rollback": False}],
        "deployment_controller": [{"type": "ECS"}], "deployment_maximum_percent": 200,
        "deployment_minimum_healthy_percent": 100, "desired_count": 2,
        "enable_ecs_managed_tags": False, "enable_execute_command": False,
        "force_new_deployment": None, "health_check_grace_period_seconds": 0,
        "iam_role": "aws-service-role", "id": arn, "launch_type": "FARGATE",
        "load_balancer": [{"container_name": "app", "container_port": 8080, "elb_name": "",
                           "target_group_arn": tg_arn}],
        "name": name, "network_configuration": [{"assign_public_ip": False,
                                                 "security_groups": ["sg-0a1b2c3d4e5f60718"],
                                                 "subnets": ["subnet-0aa", "subnet-0bb"]}],
        "ordered_placement_strategy": [], "placement_constraints": [], "platform_version": "LATEST",
        "propagate_tags": "NONE", "scheduling_strategy": "REPLICA", "service_connect_configuration": [],
        "service_registries": [], "tags": {}, "tags_all": {},
        "task_definition": "arn:aws:ecs:%s:%s:task-definition/%s:7" % (region, account, name),
        "timeouts": None, "triggers": {}, "wait_for_steady_state": False},
        deps=deps, module=module, index_key=index_key)


def record(tf, zone_id, name, role, set_id, alias=None, records=None, ttl=None, hc=None,
           eth=True, type_="A", module=None):
    a = {"alias": [], "allow_overwrite": None, "cidr_routing_policy": [],
         "failover_routing_policy": [{"type": role}] if role else [],
         "fqdn": name, "geolocation_routing_policy": [], "health_check_id": hc or "",
         "id": "%s_%s_%s%s" % (zone_id, name, type_, ("_" + set_id) if set_id else ""),
         "latency_routing_policy": [], "multivalue_answer_routing_policy": None,
         "name": name, "records": records, "set_identifier": set_id or "", "ttl": ttl,
         "type": type_, "weighted_routing_policy": [], "zone_id": zone_id}
    if alias:
        a["alias"] = [{"evaluate_target_health": eth, "name": alias[0], "zone_id": alias[1]}]
    return res("aws_route53_record", tf, a, module=module)


def state(resources, serial=12, tfv="1.5.7"):
    return {"version": 4, "terraform_version": tfv, "serial": serial,
            "lineage": "5f0c3b9e-0d4e-4b7f-9f6e-2b8f1d3c7a10", "outputs": {},
            "resources": resources, "check_results": None}


def write(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def regional_stack(prefix, region, suffix, module=None, index_key=None, tfname=None, account=ACCOUNT):
    """An ALB -> listener -> target group -> ECS service in one region."""
    n = tfname or prefix
    mod_prefix = (module + ".") if module else ""
    lb, lb_arn, dns = alb(n, prefix, region, suffix, module, index_key, account)
    tg, tg_arn = target_group(n, prefix, region, suffix[::-1], module, index_key, account)
    ls = listener(n, lb_arn, tg_arn, region, suffix[:8],
                  [mod_prefix + "aws_lb." + n, mod_prefix + "aws_lb_target_group." + n], module, index_key)
    svc = ecs_service(n, prefix, region, tg_arn,
                      [mod_prefix + "aws_lb_target_group." + n], module, index_key, account)
    return [lb, tg, ls, svc], dns, LB_ZONE[region]


# ---- identity, secrets, keys, certificates (AWS provider v5 shapes) ----

def stable_hex(text, n):
    """Deterministic hex digits (Python's own hash() is salted per run)."""
    return hashlib.sha256(text.encode()).hexdigest()[:n]


def role(tf, name, account=ACCOUNT, service="ecs-tasks.amazonaws.com", trust=None, **kw):
    """An IAM role; its trust policy is a JSON string, as the provider stores it."""
    arn = "arn:aws:iam::%s:role/%s" % (account, name)
    statements = trust if trust is not None else [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": service}}]
    a = {"arn": arn, "assume_role_policy": json.dumps({"Statement": statements, "Version": "2012-10-17"},
                                                      separators=(",", ":"), sort_keys=True),
         "create_date": "2026-01-12T09:30:00Z", "description": "", "force_detach_policies": False,
         "id": name, "inline_policy": [], "managed_policy_arns": [], "max_session_duration": 3600,
         "name": name, "name_prefix": "", "path": "/", "permissions_boundary": "", "tags": {},
         "tags_all": {}, "unique_id": "AROA" + stable_hex(account + name, 16).upper()}
    a.update(kw)
    return res("aws_iam_role", tf, a), arn


def kms_key(tf, key_id, region, account=ACCOUNT, multi_region=False, description=""):
    arn = "arn:aws:kms:%s:%s:key/%s" % (region, account, key_id)
    policy = {"Id": "key-default-1", "Statement": [{
        "Action": "kms:*", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % account},
        "Resource": "*", "Sid": "Enable IAM User Permissions"}], "Version": "2012-10-17"}
    return res("aws_kms_key", tf, {
        "arn": arn, "bypass_policy_lockout_safety_check": False, "custom_key_store_id": "",
        "customer_master_key_spec": "SYMMETRIC_DEFAULT", "deletion_window_in_days": 30,
        "description": description, "enable_key_rotation": True, "id": key_id, "is_enabled": True,
        "key_id": key_id, "key_usage": "ENCRYPT_DECRYPT", "multi_region": multi_region,
        "policy": json.dumps(policy, separators=(",", ":")), "rotation_period_in_days": 365,
        "tags": {}, "tags_all": {}, "timeouts": None, "xks_key_id": ""}), arn


def kms_replica_key(tf, primary_arn, region):
    key_id = primary_arn.rsplit("/", 1)[1]
    account = primary_arn.split(":")[4]
    arn = "arn:aws:kms:%s:%s:key/%s" % (region, account, key_id)
    return res("aws_kms_replica_key", tf, {
        "arn": arn, "bypass_policy_lockout_safety_check": False, "deletion_window_in_days": 30,
        "description": "", "enabled": True, "id": key_id, "key_id": key_id,
        "key_rotation_enabled": True, "key_spec": "SYMMETRIC_DEFAULT", "key_usage": "ENCRYPT_DECRYPT",
        "policy": "", "primary_key_arn": primary_arn, "tags": {}, "tags_all": {}}), arn


def kms_alias(tf, name, key_arn):
    region, account = key_arn.split(":")[3], key_arn.split(":")[4]
    return res("aws_kms_alias", tf, {
        "arn": "arn:aws:kms:%s:%s:%s" % (region, account, name), "id": name, "name": name,
        "name_prefix": "", "target_key_arn": key_arn, "target_key_id": key_arn.rsplit("/", 1)[1]})


def secret(tf, name, region, suffix, account=ACCOUNT, kms_key_id="", replicas=()):
    """A Secrets Manager secret; replicas are (region, kms_key_id) pairs."""
    arn = "arn:aws:secretsmanager:%s:%s:secret:%s-%s" % (region, account, name, suffix)
    return res("aws_secretsmanager_secret", tf, {
        "arn": arn, "description": "", "force_overwrite_replica_secret": False, "id": arn,
        "kms_key_id": kms_key_id, "name": name, "name_prefix": "", "policy": "",
        "recovery_window_in_days": 30,
        "replica": [{"kms_key_id": k, "last_accessed_date": "", "region": r, "status": "InSync",
                     "status_message": "Replication succeeded"} for r, k in replicas],
        "tags": {}, "tags_all": {}}), arn


def secret_version(tf, secret_arn, value):
    return res("aws_secretsmanager_secret_version", tf, {
        "arn": secret_arn, "id": secret_arn + "|v1", "secret_binary": "", "secret_id": secret_arn,
        "secret_string": value, "version_id": "7c1d2a3b-9f00-4e6e-8a55-0d1c2b3a4f5e",
        "version_stages": ["AWSCURRENT"]}, sensitive=["secret_string", "secret_binary"])


def rotation(tf, secret_arn, lambda_arn, days=30, enabled=True):
    return res("aws_secretsmanager_secret_rotation", tf, {
        "id": secret_arn, "rotate_immediately": True, "rotation_enabled": enabled,
        "rotation_lambda_arn": lambda_arn,
        "rotation_rules": [{"automatically_after_days": days, "duration": "", "schedule_expression": ""}],
        "secret_id": secret_arn})


def certificate(tf, domain, region, suffix, sans=None, account=ACCOUNT, ca_arn=None):
    arn = "arn:aws:acm:%s:%s:certificate/%s" % (region, account, suffix)
    names = sans if sans is not None else [domain]
    return res("aws_acm_certificate", tf, {
        "arn": arn, "certificate_authority_arn": ca_arn or "", "certificate_body": None,
        "certificate_chain": None, "domain_name": domain,
        "domain_validation_options": [] if ca_arn else [
            {"domain_name": n, "resource_record_name": "_3f1c.%s." % n.lstrip("*."),
             "resource_record_type": "CNAME",
             "resource_record_value": "_9b2e.mhbtsbpdnt.acm-validations.aws."} for n in names],
        "early_renewal_duration": "", "id": arn, "key_algorithm": "RSA_2048",
        "not_after": "2027-02-11T23:59:59Z", "not_before": "2026-01-12T00:00:00Z",
        "options": [{"certificate_transparency_logging_preference": "ENABLED"}],
        "pending_renewal": False, "private_key": None, "renewal_eligibility": "ELIGIBLE",
        "renewal_summary": [], "status": "ISSUED", "subject_alternative_names": names,
        "tags": {}, "tags_all": {}, "type": "PRIVATE" if ca_arn else "AMAZON_ISSUED",
        "validation_emails": [], "validation_method": "" if ca_arn else "DNS",
        "validation_option": []}, sensitive=["private_key"]), arn


def private_ca(tf, region, suffix, account=ACCOUNT):
    arn = "arn:aws:acm-pca:%s:%s:certificate-authority/%s" % (region, account, suffix)
    return res("aws_acmpca_certificate_authority", tf, {
        "arn": arn, "certificate": "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----",
        "certificate_authority_configuration": [{
            "key_algorithm": "RSA_4096", "signing_algorithm": "SHA512WITHRSA",
            "subject": [{"common_name": "example.internal", "country": "", "locality": "",
                         "organization": "Example Corp", "organizational_unit": "", "state": ""}]}],
        "certificate_chain": "", "certificate_signing_request": "", "enabled": True, "id": arn,
        "key_storage_security_standard": "FIPS_140_2_LEVEL_3_OR_HIGHER",
        "not_after": "2036-01-12T00:00:00Z", "not_before": "2026-01-12T00:00:00Z",
        "permanent_deletion_time_in_days": 30, "revocation_configuration": [], "serial": "",
        "status": "ACTIVE", "tags": {}, "tags_all": {}, "type": "ROOT",
        "usage_mode": "GENERAL_PURPOSE"}), arn


def user_pool(tf, name, region, pool_suffix, account=ACCOUNT):
    pid = "%s_%s" % (region, pool_suffix)
    arn = "arn:aws:cognito-idp:%s:%s:userpool/%s" % (region, account, pid)
    return res("aws_cognito_user_pool", tf, {
        "account_recovery_setting": [{"recovery_mechanism": [{"name": "verified_email", "priority": 1}]}],
        "admin_create_user_config": [{"allow_admin_create_user_only": True, "invite_message_template": []}],
        "alias_attributes": None, "arn": arn, "auto_verified_attributes": ["email"],
        "creation_date": "2026-01-12T09:30:00Z", "custom_domain": "", "deletion_protection": "ACTIVE",
        "device_configuration": [], "domain": "", "email_configuration": [{
            "configuration_set": "", "email_sending_account": "COGNITO_DEFAULT", "from_email_address": "",
            "reply_to_email_address": "", "source_arn": ""}],
        "endpoint": "cognito-idp.%s.amazonaws.com/%s" % (region, pid),
        "estimated_number_of_users": 1250, "id": pid, "lambda_config": [],
        "last_modified_date": "2026-01-12T09:30:00Z", "mfa_configuration": "OPTIONAL", "name": name,
        "password_policy": [{"minimum_length": 12, "require_lowercase": True, "require_numbers": True,
                             "require_symbols": True, "require_uppercase": True,
                             "temporary_password_validity_days": 7}],
        "schema": [], "tags": {}, "tags_all": {}, "user_pool_add_ons": [],
        "username_attributes": ["email"], "username_configuration": [], "verification_message_template": []}), arn, pid


def auth_oidc(issuer, client_secret):
    return {"authentication_request_extra_params": {}, "authorization_endpoint": issuer + "/oauth2/v1/authorize",
            "client_id": "0oa4x9k2PqR7sT8uV5w6", "client_secret": client_secret, "issuer": issuer,
            "on_unauthenticated_request": "authenticate", "scope": "openid", "session_cookie_name":
            "AWSELBAuthSessionCookie", "session_timeout": 604800, "token_endpoint": issuer + "/oauth2/v1/token",
            "user_info_endpoint": issuer + "/oauth2/v1/userinfo"}


def auth_cognito(pool_arn, domain):
    return {"authentication_request_extra_params": {}, "on_unauthenticated_request": "authenticate",
            "scope": "openid", "session_cookie_name": "AWSELBAuthSessionCookie", "session_timeout": 604800,
            "user_pool_arn": pool_arn, "user_pool_client_id": "5k2ab3cd4ef5gh6ij7kl8mn9op",
            "user_pool_domain": domain}


def https_listener(tf, lb_arn, tg_arn, suffix, cert_arn, oidc=None, cognito=None, deps=(),
                   module=None):
    """HTTPS with a certificate, and sign-in before forwarding when asked."""
    arn = lb_arn.replace(":loadbalancer/", ":listener/") + "/" + suffix
    actions, order, sens = [], 1, []
    empty = {"authenticate_cognito": [], "authenticate_oidc": [], "fixed_response": [], "forward": [],
             "redirect": [], "target_group_arn": ""}
    if oidc:
        actions.append(dict(empty, authenticate_oidc=[oidc], order=order, type="authenticate-oidc"))
        sens.append(["default_action", 0, "authenticate_oidc", 0, "client_secret"])
        order += 1
    if cognito:
        actions.append(dict(empty, authenticate_cognito=[cognito], order=order, type="authenticate-cognito"))
        order += 1
    actions.append(dict(empty, order=order, target_group_arn=tg_arn, type="forward"))
    return res("aws_lb_listener", tf, {
        "alpn_policy": None, "arn": arn, "certificate_arn": cert_arn, "default_action": actions,
        "id": arn, "load_balancer_arn": lb_arn, "mutual_authentication": [], "port": 443,
        "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "tags": {},
        "tags_all": {}, "timeouts": None}, deps=deps, module=module, sensitive_paths=sens)


def task_definition(tf, family, region, task_role, exec_role, secrets=(), account=ACCOUNT,
                    env_secret=None, module=None):
    """A Fargate task definition; container_definitions is a JSON string,
    with environment values (never read) beside the secret references."""
    arn = "arn:aws:ecs:%s:%s:task-definition/%s:7" % (region, account, family)
    env = [{"name": "LOG_LEVEL", "value": "info"}]
    if env_secret:
        env.append({"name": "API_TOKEN", "value": env_secret})
    containers = [{
        "cpu": 0, "environment": env, "essential": True, "environmentFiles": [],
        "image": "%s.dkr.ecr.%s.amazonaws.com/%s:1.14.2" % (account, region, family),
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/" + family, "awslogs-region": region, "awslogs-stream-prefix": "app"}},
        "mountPoints": [], "name": "app",
        "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
        "secrets": [{"name": n, "valueFrom": v} for n, v in secrets],
        "systemControls": [], "volumesFrom": []}]
    return res("aws_ecs_task_definition", tf, {
        "arn": arn, "arn_without_revision": arn.rsplit(":", 1)[0],
        "container_definitions": json.dumps(containers, separators=(",", ":"), sort_keys=True),
        "cpu": "512", "ephemeral_storage": [], "execution_role_arn": exec_role, "family": family,
        "id": family, "inference_accelerator": [], "ipc_mode": "", "memory": "1024",
        "network_mode": "awsvpc", "pid_mode": "", "placement_constraints": [],
        "proxy_configuration": [], "requires_compatibilities": ["FARGATE"], "revision": 7,
        "runtime_platform": [{"cpu_architecture": "ARM64", "operating_system_family": "LINUX"}],
        "skip_destroy": False, "tags": {}, "tags_all": {}, "task_role_arn": task_role,
        "track_latest": False, "volume": []}, module=module), arn


def service_stack(prefix, region, suffix, tfname, cert, account=ACCOUNT, oidc=None, cognito=None,
                  task_role=None, exec_role=None, secrets=(), env_secret=None, module=None):
    """DNS name -> ALB -> HTTPS listener (certificate; OIDC or Cognito
    sign-in) -> target group -> ECS service -> task definition (roles,
    secrets). `cert` is (domain, sans) or an existing certificate ARN."""
    rs, dns, lbz = regional_stack(prefix, region, suffix, module=module, tfname=tfname, account=account)
    lb_arn = rs[0]["instances"][0]["attributes"]["arn"]
    tg_arn = rs[1]["instances"][0]["attributes"]["arn"]
    if isinstance(cert, tuple):
        h = stable_hex("cert-" + account + region + tfname, 32)
        c, cert_arn = certificate(tfname, cert[0], region,
                                  "%s-%s-4%s-8%s-%s" % (h[:8], h[8:12], h[13:16], h[17:20], h[20:32]),
                                  sans=cert[1], account=account)
        rs.append(c)
    else:
        cert_arn = cert
    rs.append(https_listener(tfname + "_https", lb_arn, tg_arn, suffix[8:], cert_arn, oidc=oidc,
                             cognito=cognito, module=module))
    td, td_arn = task_definition(tfname, prefix, region, task_role, exec_role, secrets, account,
                                 env_secret, module=module)
    rs.append(td)
    return rs, dns, lbz


def dns_pair(z, name, tf, p, s, hc=None, zone_name="example.com", eth=True):
    """PRIMARY/SECONDARY alias records for name, pointing at (dns, zone);
    `eth`: whether the primary evaluates its target's health."""
    return [record(tf + "_primary", z, name, "PRIMARY", "primary", alias=p, hc=hc, eth=eth),
            record(tf + "_secondary", z, name, "SECONDARY", "secondary", alias=s)]


def whole_service(z, canary=None):
    """api.example.com as one team runs it, primary in us-east-1, standby in
    us-west-2, one AWS account. What the standby still shares:
    - both listeners sign users in through the same Okta tenant;
    - both task definitions run with the same execution role;
    - the standby's task reads the primary's secret by its us-east-1 ARN,
      and that secret (unreplicated, never rotated) is encrypted with a
      single-region key of us-east-1;
    - the standby's certificate names api-west.example.com only."""
    issuer = "https://example.okta.com"
    client_secret = canary or "8fJ2kLq9ZxWv4Rt7Yp1Nm3Bc6Dh0Gs5A"
    key, key_arn = kms_key("app", "5b9e3c1a-7d24-4f8b-9a61-2c0e8d4f7a13", "us-east-1",
                           description="api secrets")
    db, db_arn = secret("db", "prod/api/db", "us-east-1", "Xy7Q2p", kms_key_id="alias/app")
    exec_r, exec_arn = role("ecs_exec", "api-ecs-execution")
    task_e, task_e_arn = role("api_task", "api-task")
    task_w, task_w_arn = role("api_task_dr", "api-task-dr")
    rs = [zone("example.com", z), key, kms_alias("app", "alias/app", key_arn), db,
          secret_version("db", db_arn, canary or "correct horse battery staple"),
          exec_r, task_e, task_w,
          health_check("api_primary", "0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b", "api-use1.example.com")]
    east, east_dns, east_zone = service_stack(
        "api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1", ("api.example.com", ["api.example.com"]),
        oidc=auth_oidc(issuer, client_secret), task_role=task_e_arn, exec_role=exec_arn,
        secrets=[("DB_PASSWORD", db_arn + ":password::")], env_secret=canary)
    west, west_dns, west_zone = service_stack(
        "api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2",
        ("api-west.example.com", ["api-west.example.com"]),
        oidc=auth_oidc(issuer, client_secret), task_role=task_w_arn, exec_role=exec_arn,
        secrets=[("DB_PASSWORD", db_arn + ":password::")], env_secret=canary)
    rs += east + west
    rs += dns_pair(z, "api.example.com", "api", ("dualstack." + east_dns, east_zone), (west_dns, west_zone),
                   hc="0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b")
    return rs


def two_stacks(z, name="api", east_kw=None, west_kw=None, west_account=DR_ACCOUNT, hc_type="HTTPS",
               hc_kw=None, eth=True):
    """A pair of plain regional stacks (us-east-1 primary, us-west-2 standby
    in its own account), with extra resources per side from the callers."""
    east, east_dns, east_zone = regional_stack(name + "-use1", "us-east-1", "50dc6c495c0c9188",
                                               tfname=name.replace("-", "_") + "_use1")
    west, west_dns, west_zone = regional_stack(name + "-usw2", "us-west-2", "7e0a5d1b2c3f4a69",
                                               tfname=name.replace("-", "_") + "_usw2", account=west_account)
    hc_id = "0f1c2d3e-4b5a-6978-8a9b-" + stable_hex(name, 12)
    rs = [health_check(name.replace("-", "_") + "_primary", hc_id, name + "-use1.example.com",
                       type_=hc_type, port=443, **(hc_kw or {}))]
    rs += east + west
    rs += dns_pair(z, name + ".example.com", name.replace("-", "_"), (east_dns, east_zone),
                   (west_dns, west_zone), hc=hc_id, eth=eth)
    return rs


def tf_stack_parts(rs, tfname):
    """The load balancer and target group ARNs of a regional stack."""
    arns = {r["type"]: r["instances"][0]["attributes"]["arn"] for r in rs
            if r["name"] == tfname and r["type"] in ("aws_lb", "aws_lb_target_group")}
    return arns["aws_lb"], arns["aws_lb_target_group"]


def identity_fixtures(z):
    # The whole service, findings written down in full in expected.json.
    write("fixtures/tf-service-ecs/terraform.tfstate", state(whole_service(z)))
    write("fixtures/tf-service-ecs-show-json/show.json",
          show_json(state(whole_service(z)), sensitive=True))

    # SF101: both load balancers sign users in with one Cognito user pool
    # (as an OIDC issuer) in us-east-1; then one pool per region.
    pool, pool_arn, pid = user_pool("login", "login", "us-east-1", "Gh4kP9sQ2")
    issuer = "https://cognito-idp.us-east-1.amazonaws.com/" + pid
    east, east_dns, east_zone = service_stack("api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1",
                                              ("api.example.com", None),
                                              oidc=auth_oidc(issuer, "s3cr3t-client-secret-value-0001"))
    west, west_dns, west_zone = service_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2",
                                              ("api.example.com", None), account=DR_ACCOUNT,
                                              oidc=auth_oidc(issuer, "s3cr3t-client-secret-value-0001"))
    base = [zone("example.com", z),
            health_check("api_primary", "0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b", "api-use1.example.com")]
    recs = dns_pair(z, "api.example.com", "api", (east_dns, east_zone), (west_dns, west_zone),
                    hc="0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b")
    write("fixtures/tf-sf101-shared-idp/terraform.tfstate", state(base + [pool] + east + west + recs))
    # ... the same pool through authenticate_cognito (user_pool_arn)
    east, _, _ = service_stack("api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1",
                               ("api.example.com", None), cognito=auth_cognito(pool_arn, "login-example"))
    west, _, _ = service_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2",
                               ("api.example.com", None), account=DR_ACCOUNT,
                               cognito=auth_cognito(pool_arn, "login-example"))
    write("fixtures/tf-sf101-cognito-action/terraform.tfstate", state(base + [pool] + east + west + recs))
    pool_w, pool_w_arn, pid_w = user_pool("login_dr", "login-dr", "us-west-2", "Tz8mW3xY6", account=DR_ACCOUNT)
    east, _, _ = service_stack("api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1",
                               ("api.example.com", None), cognito=auth_cognito(pool_arn, "login-example"))
    west, _, _ = service_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2",
                               ("api.example.com", None), account=DR_ACCOUNT,
                               cognito=auth_cognito(pool_w_arn, "login-example-dr"))
    write("fixtures/tf-sf101-idp-per-region/terraform.tfstate",
          state(base + [pool, pool_w] + east + west + recs))

    # SF102/SF103/SF302: the standby reads the primary's unreplicated secret,
    # encrypted by a single-region key; then the same secret replicated to
    # us-west-2 with a multi-region key, the standby reading the replica.
    lam = "arn:aws:lambda:us-east-1:%s:function:rotate-db" % ACCOUNT
    key, key_arn = kms_key("db", "2f6c8e1a-4b3d-4e7f-9a0b-5c6d7e8f9a0b", "us-east-1")
    db, db_arn = secret("db", "prod/api/db", "us-east-1", "Xy7Q2p", kms_key_id=key_arn)
    rot = rotation("db", db_arn, lam)
    east, _, _ = service_stack("api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1",
                               ("api.example.com", None), secrets=[("DB_PASSWORD", db_arn)])
    west, _, _ = service_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2",
                               ("api.example.com", None), secrets=[("DB_PASSWORD", db_arn)])
    write("fixtures/tf-sf102-shared-secret/terraform.tfstate",
          state(base + [key, db, rot] + east + west + recs))
    mrk = "mrk-1f2e3d4c5b6a47389a0b1c2d3e4f5a6b"
    key, key_arn = kms_key("db", mrk, "us-east-1", multi_region=True)
    rkey, rkey_arn = kms_replica_key("db_usw2", key_arn, "us-west-2")
    db, db_arn = secret("db", "prod/api/db", "us-east-1", "Xy7Q2p", kms_key_id=key_arn,
                        replicas=[("us-west-2", rkey_arn)])
    replica_arn = db_arn.replace("us-east-1", "us-west-2")
    rot = rotation("db", db_arn, lam)
    east, _, _ = service_stack("api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1",
                               ("api.example.com", None), secrets=[("DB_PASSWORD", db_arn)])
    west, _, _ = service_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2",
                               ("api.example.com", None), secrets=[("DB_PASSWORD", replica_arn)])
    write("fixtures/tf-sf102-replicated-secret/terraform.tfstate",
          state(base + [key, rkey, db, rot] + east + west + recs))

    # SF103: each side has its own secret, but the standby's was created in
    # us-east-1 with the primary's key; then in us-west-2 with its own key.
    key, key_arn = kms_key("app", "5b9e3c1a-7d24-4f8b-9a61-2c0e8d4f7a13", "us-east-1")
    db, db_arn = secret("db", "prod/api/db", "us-east-1", "Xy7Q2p", kms_key_id=key_arn)
    db_dr, db_dr_arn = secret("db_dr", "dr/api/db", "us-east-1", "Lm4N8r", kms_key_id=key_arn)
    rots = [rotation("db", db_arn, lam), rotation("db_dr", db_dr_arn, lam)]
    east, _, _ = service_stack("api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1",
                               ("api.example.com", None), secrets=[("DB_PASSWORD", db_arn)])
    west, _, _ = service_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2",
                               ("api.example.com", None), secrets=[("DB_PASSWORD", db_dr_arn)])
    write("fixtures/tf-sf103-shared-key/terraform.tfstate",
          state(base + [key, db, db_dr] + rots + east + west + recs))
    key_w, key_w_arn = kms_key("app_usw2", "8d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", "us-west-2")
    db_dr, db_dr_arn = secret("db_dr", "dr/api/db", "us-west-2", "Lm4N8r", kms_key_id=key_w_arn)
    rots = [rotation("db", db_arn, lam),
            rotation("db_dr", db_dr_arn, lam.replace("us-east-1", "us-west-2"))]
    west, _, _ = service_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2",
                               ("api.example.com", None), secrets=[("DB_PASSWORD", db_dr_arn)])
    write("fixtures/tf-sf103-own-key/terraform.tfstate",
          state(base + [key, key_w, db, db_dr] + rots + east + west + recs))

    # SF105: separate accounts, but both sides' task roles trust the same CI
    # account, which can assume them: it administers both. The CI role may
    # also change the zone's records (an inline policy): the zone's control
    # plane, recorded in the graph.
    ci = "999988887777"
    trust = [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}},
             {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ci}}]
    te, te_arn = role("api_task_use1", "api-task", trust=trust)
    tw, tw_arn = role("api_task_usw2", "api-task", account=DR_ACCOUNT, trust=trust)
    dns_role, dns_arn = role("dns_admin", "dns-admin", trust=[{
        "Action": "sts:AssumeRoleWithWebIdentity", "Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % ACCOUNT},
        "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}])
    dns_policy = res("aws_iam_role_policy", "dns_admin", {
        "id": "dns-admin:route53", "name": "route53", "name_prefix": "", "role": "dns-admin",
        "policy": json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["route53:ChangeResourceRecordSets", "route53:List*"],
             "Resource": "arn:aws:route53:::hostedzone/" + z}]}, separators=(",", ":"))})
    gh = res("aws_iam_openid_connect_provider", "github", {
        "arn": "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % ACCOUNT,
        "client_id_list": ["sts.amazonaws.com"], "id": "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % ACCOUNT,
        "tags": {}, "tags_all": {}, "thumbprint_list": ["6938fd4d98bab03faadb97b34396831e3780aea1"],
        "url": "token.actions.githubusercontent.com"})
    east, _, _ = service_stack("api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1",
                               ("api.example.com", None), task_role=te_arn)
    west, _, _ = service_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2",
                               ("api.example.com", None), account=DR_ACCOUNT, task_role=tw_arn)
    write("fixtures/tf-sf105-trusted-account/terraform.tfstate",
          state(base + [te, tw, dns_role, dns_policy, gh] + east + west + recs))
    # ... task roles that may also change the zone's records: administering
    dns_full = ["arn:aws:iam::aws:policy/AmazonRoute53FullAccess"]
    te_a, _ = role("api_task_use1", "api-task", trust=trust, managed_policy_arns=dns_full)
    tw_a, _ = role("api_task_usw2", "api-task", account=DR_ACCOUNT, trust=trust,
                   managed_policy_arns=dns_full)
    write("fixtures/tf-sf105-admin-trust/terraform.tfstate",
          state(base + [te_a, tw_a, dns_role, dns_policy, gh] + east + west + recs))

    # SF106: both certificates issued by one private CA in us-east-1, shared
    # with the standby's account; a private CA issues only in its own region,
    # so the standby runs in us-east-1 too. Then both public (Amazon's CA is
    # every public certificate's, not reported).
    ca, ca_arn = private_ca("internal", "us-east-1", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    ce, ce_arn = certificate("api_use1", "api.example.com", "us-east-1",
                             "aa11bb22-cc33-4d44-8e55-ff6677889900", ca_arn=ca_arn)
    cw, cw_arn = certificate("api_use1b", "api.example.com", "us-east-1",
                             "bb22cc33-dd44-4e55-8f66-00778899aabb", account=DR_ACCOUNT, ca_arn=ca_arn)
    east, east_dns, east_zone = service_stack("api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1",
                                              ce_arn)
    west, west_dns, west_zone = service_stack("api-use1b", "us-east-1", "7e0a5d1b2c3f4a69", "api_use1b",
                                              cw_arn, account=DR_ACCOUNT)
    recs_b = dns_pair(z, "api.example.com", "api", (east_dns, east_zone), (west_dns, west_zone),
                      hc="0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b")
    write("fixtures/tf-sf106-private-ca/terraform.tfstate", state(base + [ca, ce, cw] + east + west + recs_b))
    east, _, _ = service_stack("api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1", ("api.example.com", None))
    west, _, _ = service_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2", ("api.example.com", None),
                               account=DR_ACCOUNT)
    write("fixtures/tf-sf106-public-ca/terraform.tfstate", state(base + east + west + recs))

    # SF202/SF208/SF209: health checks that see a port (TCP), none at all
    # (disabled) or the reverse (inverted), on primaries that do not
    # evaluate target health; the same where they do (on target groups
    # that check /healthz over HTTP); then HTTPS readiness checks.
    for path, eth in (("tf-sf202-port-only", False), ("tf-sf202-eth-readiness", True)):
        fires = [zone("example.com", z)]
        fires += two_stacks(z, "api", hc_type="TCP", eth=eth)
        fires += two_stacks(z, "app", hc_kw={"disabled": True}, eth=eth)
        fires += two_stacks(z, "web", hc_kw={"invert_healthcheck": True}, eth=eth)
        write("fixtures/%s/terraform.tfstate" % path, state(fires))
    write("fixtures/tf-sf202-readiness/terraform.tfstate",
          state([zone("example.com", z)] + two_stacks(z, "api") + two_stacks(z, "app")))

    # SF205: the standby's certificate names another host; a wildcard one
    # label too short; then certificates that cover the name.
    def cert_pair(name, west_cert):
        tf = name.split(".")[0]
        east, ed, ez = service_stack(tf + "-use1", "us-east-1", "50dc6c495c0c9188", tf + "_use1", (name, None))
        west, wd, wz = service_stack(tf + "-usw2", "us-west-2", "7e0a5d1b2c3f4a69", tf + "_usw2", west_cert,
                                     account=DR_ACCOUNT)
        hc = "0f1c2d3e-4b5a-6978-8a9b-" + stable_hex(tf, 12)
        return ([health_check(tf + "_primary", hc, tf + "-use1.example.com")] + east + west +
                dns_pair(z, name, tf, (ed, ez), (wd, wz), hc=hc))
    fires = [zone("example.com", z)]
    fires += cert_pair("api.example.com", ("api-west.example.com", None))
    fires += cert_pair("deep.api.example.com", ("*.example.com", None))
    write("fixtures/tf-sf205-cert-mismatch/terraform.tfstate", state(fires))
    ok = [zone("example.com", z)]
    ok += cert_pair("api.example.com", ("*.example.com", None))
    ok += cert_pair("deep.api.example.com", ("api-west.example.com", ["api-west.example.com", "deep.api.example.com"]))
    write("fixtures/tf-sf205-cert-covered/terraform.tfstate", state(ok))

    # SF301: each side reads its own secret in its own region; neither
    # rotates; then both do.
    key_e, key_e_arn = kms_key("app_use1", "5b9e3c1a-7d24-4f8b-9a61-2c0e8d4f7a13", "us-east-1")
    key_w, key_w_arn = kms_key("app_usw2", "8d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", "us-west-2",
                               account=DR_ACCOUNT)
    db, db_arn = secret("db", "prod/api/db", "us-east-1", "Xy7Q2p", kms_key_id=key_e_arn)
    db_dr, db_dr_arn = secret("db_dr", "dr/api/db", "us-west-2", "Lm4N8r", account=DR_ACCOUNT,
                              kms_key_id=key_w_arn)
    east, _, _ = service_stack("api-use1", "us-east-1", "50dc6c495c0c9188", "api_use1",
                               ("api.example.com", None), secrets=[("DB_PASSWORD", db_arn)])
    west, _, _ = service_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", "api_usw2",
                               ("api.example.com", None), account=DR_ACCOUNT,
                               secrets=[("DB_PASSWORD", db_dr_arn)])
    common = base + [key_e, key_w, db, db_dr] + east + west + recs
    write("fixtures/tf-sf301-no-rotation/terraform.tfstate", state(common))
    for path, on in (("tf-sf301-rotated", True), ("tf-sf301-rotation-off", False)):
        write("fixtures/%s/terraform.tfstate" % path, state(common + [
            rotation("db", db_arn, lam, enabled=on),
            rotation("db_dr", db_dr_arn, "arn:aws:lambda:us-west-2:%s:function:rotate-db" % DR_ACCOUNT,
                     enabled=on)]))


# ---- Cloudflare (provider v4 and v5), Azure, Google Cloud ----

CLOUDFLARE = 'provider["registry.terraform.io/cloudflare/cloudflare"]'
AZURERM = 'provider["registry.terraform.io/hashicorp/azurerm"]'
GOOGLE = 'provider["registry.terraform.io/hashicorp/google"]'
CF_ACCOUNT = "f037e56e89293a057740de681ac9abbe"
CF_ZONE = "023e105f4ecef8ad9ca31a8372d0c353"


def cf_v4(z, disabled_origins=False):
    """v4: default_pool_ids (ordered) and fallback_pool_id; origins as a
    set of blocks; the primary pool's monitor is TCP-only. With
    `disabled_origins`, every pool serves from 198.51.100.10 alone and keeps
    its other origins disabled."""
    ids = {n: stable_hex("cf-pool-" + n, 32) for n in ("use", "usw", "eu")}
    mon = {n: stable_hex("cf-mon-" + n, 32) for n in ("tcp", "https")}
    rs = [res("cloudflare_zone", "example", {
        "account_id": CF_ACCOUNT, "id": CF_ZONE, "jump_start": False, "meta": {"phishing_detected": False},
        "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"], "paused": False,
        "plan": "enterprise", "status": "active", "type": "full", "vanity_name_servers": [],
        "verification_key": "", "zone": "example.com"}, provider=CLOUDFLARE)]
    for n, t in (("tcp", "tcp"), ("https", "https")):
        rs.append(res("cloudflare_load_balancer_monitor", n, {
            "account_id": CF_ACCOUNT, "allow_insecure": False, "consecutive_down": 0, "consecutive_up": 0,
            "created_on": "2026-01-12T09:30:00.000000Z", "description": "api %s" % n,
            "expected_body": "" if t == "tcp" else "ok", "expected_codes": "" if t == "tcp" else "200",
            "follow_redirects": False, "header": [], "id": mon[n], "interval": 60,
            "method": "" if t == "tcp" else "GET", "modified_on": "2026-01-12T09:30:00.000000Z",
            "path": "" if t == "tcp" else "/healthz", "port": 443, "probe_zone": "", "retries": 2,
            "timeout": 5, "type": t}, provider=CLOUDFLARE))
    pools = (("use", [("198.51.100.10", True), ("198.51.100.11", True)], "tcp"),
             ("usw", [("203.0.113.20", True), ("203.0.113.21", True)], "https"),
             ("eu", [("192.0.2.30", True)], "https"))
    if disabled_origins:
        pools = (("use", [("198.51.100.10", True), ("198.51.100.11", False)], "tcp"),
                 ("usw", [("198.51.100.10", True), ("203.0.113.21", False)], "https"),
                 ("eu", [("198.51.100.10", True)], "https"))
    for n, addrs, m in pools:
        rs.append(res("cloudflare_load_balancer_pool", "api_" + n, {
            "account_id": CF_ACCOUNT, "check_regions": ["WNAM", "ENAM"],
            "created_on": "2026-01-12T09:30:00.000000Z", "description": "", "enabled": True,
            "id": ids[n], "latitude": 0, "load_shedding": [], "longitude": 0, "minimum_origins": 1,
            "modified_on": "2026-01-12T09:30:00.000000Z", "monitor": mon[m], "name": "api-" + n,
            "notification_email": "", "origin_steering": [],
            "origins": [{"address": a, "enabled": e, "header": [], "name": "%s-%d" % (n, i),
                         "virtual_network_id": "", "weight": 1} for i, (a, e) in enumerate(addrs)]},
            provider=CLOUDFLARE))
    rs.append(res("cloudflare_load_balancer", "api", {
        "country_pools": [], "created_on": "2026-01-12T09:30:00.000000Z",
        "default_pool_ids": [ids["use"], ids["usw"]], "description": "", "enabled": True,
        "fallback_pool_id": ids["eu"], "id": stable_hex("cf-lb-api", 32),
        "location_strategy": [{"mode": "pop", "prefer_ecs": "proximity"}],
        "modified_on": "2026-01-12T09:30:00.000000Z", "name": "api.example.com", "pop_pools": [],
        "proxied": True, "random_steering": [], "region_pools": [], "rules": [],
        "session_affinity": "", "session_affinity_attributes": [], "session_affinity_ttl": 0,
        "steering_policy": "off", "ttl": 30, "zone_id": CF_ZONE}, provider=CLOUDFLARE))
    return rs


def cf_v5(z):
    """v5: default_pools and fallback_pool; single blocks as objects; the
    default pools steered by latency serve together, the fallback pool is
    the standby. A disabled origin is ignored."""
    ids = {n: stable_hex("cf5-pool-" + n, 32) for n in ("use", "usw", "dr")}
    mon = stable_hex("cf5-mon-https", 32)
    rs = [res("cloudflare_zone", "example", {
        "account": {"id": CF_ACCOUNT}, "activated_on": "2026-01-12T09:30:00Z", "id": CF_ZONE,
        "meta": {"cdn_only": False, "custom_certificate_quota": 0, "dns_only": False, "foundation_dns": False,
                 "page_rule_quota": 100, "phishing_detected": False, "step": 2},
        "name": "example.com", "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
        "paused": False, "status": "active", "type": "full", "vanity_name_servers": []},
        provider=CLOUDFLARE)]
    rs.append(res("cloudflare_load_balancer_monitor", "https", {
        "account_id": CF_ACCOUNT, "allow_insecure": False, "consecutive_down": 2, "consecutive_up": 2,
        "created_on": "2026-01-12T09:30:00Z", "description": "api readiness", "expected_body": "ok",
        "expected_codes": "200", "follow_redirects": False, "header": {"Host": ["api.example.com"]},
        "id": mon, "interval": 60, "method": "GET", "modified_on": "2026-01-12T09:30:00Z",
        "path": "/ready", "port": 443, "probe_zone": "", "retries": 2, "timeout": 5, "type": "https"},
        provider=CLOUDFLARE))
    for n, origins in (("use", [("198.51.100.10", True), ("198.51.100.11", True)]),
                       ("usw", [("203.0.113.20", True)]),
                       ("dr", [("198.51.100.10", True), ("192.0.2.99", False)])):
        rs.append(res("cloudflare_load_balancer_pool", "api_" + n, {
            "account_id": CF_ACCOUNT, "check_regions": ["WNAM", "ENAM"], "created_on": "2026-01-12T09:30:00Z",
            "description": None, "disabled_at": None, "enabled": True, "id": ids[n], "latitude": None,
            "load_shedding": {"default_percent": 0, "default_policy": "random", "session_percent": 0,
                              "session_policy": "hash"},
            "longitude": None, "minimum_origins": 1, "modified_on": "2026-01-12T09:30:00Z", "monitor": mon,
            "name": "api-" + n, "networks": ["default"], "notification_email": None,
            "notification_filter": None, "origin_steering": {"policy": "random"},
            "origins": [{"address": a, "disabled_at": None, "enabled": e,
                         "header": {"host": ["api.example.com"]}, "name": "%s-%d" % (n, i), "port": 0,
                         "virtual_network_id": None, "weight": 1} for i, (a, e) in enumerate(origins)]},
            provider=CLOUDFLARE))
    rs.append(res("cloudflare_load_balancer", "api", {
        "adaptive_routing": {"failover_across_pools": False}, "country_pools": {},
        "created_on": "2026-01-12T09:30:00Z", "default_pools": [ids["use"], ids["usw"]],
        "description": None, "enabled": True, "fallback_pool": ids["dr"], "id": stable_hex("cf5-lb-api", 32),
        "location_strategy": {"mode": "pop", "prefer_ecs": "proximity"},
        "modified_on": "2026-01-12T09:30:00Z", "name": "api.example.com", "networks": ["default"],
        "pop_pools": {}, "proxied": True, "random_steering": {"default_weight": 1, "pool_weights": {}},
        "region_pools": {}, "rules": [], "session_affinity": "none",
        "session_affinity_attributes": {"drain_duration": 0, "headers": None, "require_all_headers": False,
                                        "samesite": "Auto", "secure": "Auto", "zero_downtime_failover": "none"},
        "session_affinity_ttl": None, "steering_policy": "dynamic_latency", "ttl": 30,
        "zone_id": CF_ZONE}, provider=CLOUDFLARE))
    return rs


def azure(z, two_standbys=False):
    """Traffic Manager, Priority routing: an Azure endpoint (a public IP in
    East US) first, an external endpoint (West US 2) second, one TCP
    monitor; the legacy endpoint resource in a second profile with an
    HTTPS monitor. Everything in one subscription. With `two_standbys`:
    two profiles of legacy endpoints with two standbys each, www's in West
    US 2 and East US, app's both in East US with the primary."""
    sub = "5f3c1a2b-8d4e-4f60-9a7b-0c1d2e3f4a5b"
    rg = "/subscriptions/%s/resourceGroups/rg-api" % sub
    tm = rg + "/providers/Microsoft.Network/trafficManagerProfiles/"
    ip = rg + "/providers/Microsoft.Network/publicIPAddresses/"
    def pip(tf, name, loc, addr):
        return res("azurerm_public_ip", tf, {
            "allocation_method": "Static", "ddos_protection_mode": "VirtualNetworkInherited",
            "ddos_protection_plan_id": None, "domain_name_label": name, "edge_zone": "",
            "fqdn": "%s.%s.cloudapp.azure.com" % (name, loc), "id": ip + name, "idle_timeout_in_minutes": 4,
            "ip_address": addr, "ip_tags": {}, "ip_version": "IPv4", "location": loc, "name": name,
            "public_ip_prefix_id": None, "resource_group_name": "rg-api", "reverse_fqdn": "",
            "sku": "Standard", "sku_tier": "Regional", "tags": {}, "timeouts": None, "zones": ["1", "2", "3"]},
            provider=AZURERM)
    def profile(tf, name, proto, path):
        return res("azurerm_traffic_manager_profile", tf, {
            "dns_config": [{"relative_name": name + "-example", "ttl": 30}],
            "fqdn": name + "-example.trafficmanager.net", "id": tm + name, "max_return": 0,
            "monitor_config": [{"custom_header": [], "expected_status_code_ranges": [],
                                "interval_in_seconds": 30, "path": path, "port": 443, "protocol": proto,
                                "timeout_in_seconds": 10, "tolerated_number_of_failures": 3}],
            "name": name, "profile_status": "Enabled", "resource_group_name": "rg-api", "tags": {},
            "timeouts": None, "traffic_routing_method": "Priority", "traffic_view_enabled": False},
            provider=AZURERM)
    rs = [pip("api_eastus", "api-eastus", "eastus", "20.62.1.10"),
          pip("api_westus2", "api-westus2", "westus2", "20.99.2.20"),
          profile("api", "api", "TCP", ""),
          res("azurerm_traffic_manager_azure_endpoint", "primary", {
              "always_serve_enabled": False, "custom_header": [], "enabled": True, "geo_mappings": [],
              "id": tm.replace("trafficManagerProfiles", "trafficmanagerprofiles") + "api/azureEndpoints/primary",
              "name": "primary", "priority": 1, "profile_id": tm + "api", "subnet": [],
              "target_resource_id": ip + "api-eastus", "timeouts": None, "weight": 1}, provider=AZURERM),
          res("azurerm_traffic_manager_external_endpoint", "secondary", {
              "always_serve_enabled": False, "custom_header": [], "enabled": True,
              "endpoint_location": "West US 2", "geo_mappings": [],
              "id": tm + "api/externalEndpoints/secondary", "name": "secondary", "priority": 2,
              "profile_id": tm + "api", "subnet": [], "target": "api-westus2.westus2.cloudapp.azure.com",
              "timeouts": None, "weight": 1}, provider=AZURERM),
          # A third, disabled endpoint: not part of the failover order.
          res("azurerm_traffic_manager_external_endpoint", "retired", {
              "always_serve_enabled": False, "custom_header": [], "enabled": False,
              "endpoint_location": "North Europe", "geo_mappings": [],
              "id": tm + "api/externalEndpoints/retired", "name": "retired", "priority": 3,
              "profile_id": tm + "api", "subnet": [], "target": "api-old.example.net",
              "timeouts": None, "weight": 1}, provider=AZURERM),
          profile("www", "www", "HTTPS", "/healthz"),
          pip("www_eastus", "www-eastus", "eastus", "20.62.1.11"),
          pip("www_westus2", "www-westus2", "westus2", "20.99.2.21")]
    endpoints = [("www", "www_primary", 1, "www-eastus"), ("www", "www_secondary", 2, "www-westus2")]
    if two_standbys:
        rs = rs[-3:] + [pip("www_eastus_b", "www-eastus-b", "eastus", "20.62.1.12"),
                        profile("app", "app", "HTTPS", "/healthz"),
                        pip("app_eastus", "app-eastus", "eastus", "20.62.1.13"),
                        pip("app_eastus_b", "app-eastus-b", "eastus", "20.62.1.14"),
                        pip("app_eastus_c", "app-eastus-c", "eastus", "20.62.1.15")]
        endpoints += [("www", "www_tertiary", 3, "www-eastus-b"), ("app", "app_primary", 1, "app-eastus"),
                      ("app", "app_secondary", 2, "app-eastus-c"), ("app", "app_tertiary", 3, "app-eastus-b")]
    for prof, n, pr, target in endpoints:
        rs.append(res("azurerm_traffic_manager_endpoint", n, {
            "custom_header": [], "endpoint_location": "", "endpoint_monitor_status": "Online",
            "endpoint_status": "Enabled", "geo_mappings": [], "id": tm + prof + "/azureEndpoints/" + n,
            "min_child_endpoints": 0, "name": n, "priority": pr, "profile_name": prof,
            "resource_group_name": "rg-api", "subnet": [], "target": "", "target_resource_id": ip + target,
            "type": "azureEndpoints", "weight": 1}, provider=AZURERM))
    return rs


def gcp(z):
    """Cloud DNS primary_backup: an internal load balancer in us-central1
    (checked by a TCP health check on its backend service) first, an
    external address of another project in us-east1 as the backup."""
    base = "https://www.googleapis.com/compute/v1/projects/"
    hc = base + "acme-prod/regions/us-central1/healthChecks/api-tcp"
    bs = base + "acme-prod/regions/us-central1/backendServices/api"
    mig = base + "acme-prod/regions/us-central1/instanceGroups/api-mig"
    def sl(link):
        return link[len("https://www.googleapis.com/compute/v1/"):]
    rs = [res("google_dns_managed_zone", "example", {
              "cloud_logging_config": [{"enable_logging": False}], "creation_time": "2026-01-12T09:30:00.000Z",
              "description": "", "dns_name": "example.com.", "dnssec_config": [], "force_destroy": False,
              "forwarding_config": [], "id": "projects/acme-prod/managedZones/example", "labels": {},
              "managed_zone_id": 5123456789012345678, "name": "example",
              "name_servers": ["ns-cloud-a1.googledomains.com.", "ns-cloud-a2.googledomains.com."],
              "peering_config": [], "private_visibility_config": [], "project": "acme-prod",
              "reverse_lookup": False, "service_directory_config": [], "timeouts": None,
              "visibility": "public"}, provider=GOOGLE),
          res("google_compute_region_health_check", "api_tcp", {
              "check_interval_sec": 5, "creation_timestamp": "2026-01-12T01:30:00.000-08:00",
              "description": "", "grpc_health_check": [], "healthy_threshold": 2, "http2_health_check": [],
              "http_health_check": [], "https_health_check": [], "id": sl(hc), "log_config": [{"enable": False}],
              "name": "api-tcp", "project": "acme-prod", "region": "us-central1", "self_link": hc,
              "ssl_health_check": [], "tcp_health_check": [{"port": 443, "port_name": "",
                                                            "port_specification": "", "proxy_header": "NONE",
                                                            "request": "", "response": ""}],
              "timeout_sec": 5, "timeouts": None, "type": "TCP", "unhealthy_threshold": 2}, provider=GOOGLE),
          res("google_compute_region_instance_group_manager", "api", {
              "base_instance_name": "api", "distribution_policy_zones": ["us-central1-a", "us-central1-b"],
              "id": "projects/acme-prod/regions/us-central1/instanceGroupManagers/api-mig",
              "instance_group": mig, "name": "api-mig", "project": "acme-prod", "region": "us-central1",
              "self_link": base + "acme-prod/regions/us-central1/instanceGroupManagers/api-mig",
              "target_size": 3}, provider=GOOGLE),
          res("google_compute_region_backend_service", "api", {
              "backend": [{"balancing_mode": "CONNECTION", "capacity_scaler": 0, "description": "",
                           "failover": False, "group": mig, "max_connections": 0}],
              "health_checks": [hc], "id": sl(bs), "load_balancing_scheme": "INTERNAL", "name": "api",
              "project": "acme-prod", "protocol": "TCP", "region": "us-central1", "self_link": bs},
              provider=GOOGLE),
          res("google_compute_forwarding_rule", "api", {
              "all_ports": False, "allow_global_access": True, "backend_service": bs,
              "id": "projects/acme-prod/regions/us-central1/forwardingRules/api-ilb", "ip_address": "10.128.0.10",
              "ip_protocol": "TCP", "load_balancing_scheme": "INTERNAL", "name": "api-ilb",
              "network": base + "acme-prod/global/networks/prod", "ports": ["443"], "project": "acme-prod",
              "region": "us-central1", "self_link": base + "acme-prod/regions/us-central1/forwardingRules/api-ilb",
              "subnetwork": base + "acme-prod/regions/us-central1/subnetworks/prod"}, provider=GOOGLE),
          res("google_compute_instance", "api_dr", {
              "can_ip_forward": False, "id": "projects/acme-dr/zones/us-east1-b/instances/api-dr",
              "machine_type": "e2-standard-4", "name": "api-dr",
              "network_interface": [{"access_config": [{"nat_ip": "203.0.113.50", "network_tier": "PREMIUM",
                                                        "public_ptr_domain_name": ""}],
                                     "network": base + "acme-dr/global/networks/dr", "network_ip": "10.142.0.5"}],
              "project": "acme-dr", "self_link": base + "acme-dr/zones/us-east1-b/instances/api-dr",
              "zone": "us-east1-b"}, provider=GOOGLE),
          res("google_dns_record_set", "api", {
              "id": "projects/acme-prod/managedZones/example/rrsets/api.example.com./A",
              "managed_zone": "example", "name": "api.example.com.", "project": "acme-prod",
              "routing_policy": [{"enable_geo_fencing": False, "geo": [], "health_check": "",
                                  "primary_backup": [{
                                      "backup_geo": [{"health_checked_targets": [], "location": "us-east1",
                                                      "rrdatas": ["203.0.113.50"]}],
                                      "enable_geo_fencing_for_backups": False,
                                      "primary": [{"external_endpoints": [], "internal_load_balancers": [{
                                          "ip_address": "10.128.0.10", "ip_protocol": "tcp",
                                          "load_balancer_type": "regionalL4ilb",
                                          "network_url": base + "acme-prod/global/networks/prod",
                                          "port": "443", "project": "acme-prod", "region": "us-central1"}]}],
                                      "trickle_ratio": 0}],
                                  "wrr": []}],
              "rrdatas": [], "ttl": 30, "type": "A"}, provider=GOOGLE)]
    return rs


def provider_fixtures(z):
    write("fixtures/tf-cloudflare-v4/terraform.tfstate", state(cf_v4(z)))
    write("fixtures/tf-cloudflare-v5/terraform.tfstate", state(cf_v5(z), tfv="1.9.8"))
    write("fixtures/tf-azure-traffic-manager/terraform.tfstate", state(azure(z)))
    write("fixtures/tf-two-standbys/terraform.tfstate", state(azure(z, two_standbys=True)))
    write("fixtures/tf-cloudflare-disabled-origin/terraform.tfstate", state(cf_v4(z, disabled_origins=True)))
    write("fixtures/tf-gcp-primary-backup/terraform.tfstate", state(gcp(z)))


def main():
    z = "Z0123456789ABCDEFGHIJ"

    # A clean pair: primary in us-east-1, standby in us-west-2 in a DR account
    # of its own, HTTPS health check on the primary, alias records that
    # evaluate target health.
    east, east_dns, east_zone = regional_stack("api-use1", "us-east-1", "50dc6c495c0c9188", tfname="api_use1")
    west, west_dns, west_zone = regional_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", tfname="api_usw2",
                                               account=DR_ACCOUNT)
    clean = [zone("example.com", z), health_check("api_primary", "0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b", "api-use1.example.com")]
    clean += east + west
    clean += [record("api_primary", z, "api.example.com", "PRIMARY", "primary",
                     alias=("dualstack." + east_dns.upper(), east_zone),
                     hc="0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"),
              record("api_secondary", z, "api.example.com", "SECONDARY", "secondary",
                     alias=(west_dns + ".", west_zone))]
    write("fixtures/tf-clean-pair/terraform.tfstate", state(clean))

    # Both records alias the same load balancer.
    shared = [zone("example.com", z)] + east
    shared += [record("api_primary", z, "api.example.com", "PRIMARY", "primary",
                      alias=(east_dns, east_zone)),
               record("api_secondary", z, "api.example.com", "SECONDARY", "secondary",
                      alias=("dualstack." + east_dns, east_zone))]
    write("fixtures/tf-shared-lb/terraform.tfstate", state(shared))

    # Two load balancers, both in us-east-1.
    east2, east2_dns, _ = regional_stack("api-use1b", "us-east-1", "0b9d8c7e6f5a4b3c", tfname="api_use1b")
    oneregion = [zone("example.com", z)] + east + east2
    oneregion += [record("api_primary", z, "api.example.com", "PRIMARY", "primary",
                         alias=(east_dns, east_zone)),
                  record("api_secondary", z, "api.example.com", "SECONDARY", "secondary",
                         alias=(east2_dns, east_zone))]
    write("fixtures/tf-same-region/terraform.tfstate", state(oneregion))

    # A PRIMARY without SECONDARY, with a TTL'd plain record and no health check.
    incomplete = [zone("example.com", z)]
    incomplete += [record("www_primary", z, "www.example.com", "PRIMARY", "primary",
                          records=["203.0.113.10"], ttl=300, eth=False)]
    write("fixtures/tf-incomplete-pair/terraform.tfstate", state(incomplete))

    # Modules and for_each: module.dr["use1"] and module.dr["usw2"], two
    # instances of one module; the records live at the root.
    mod = []
    s1, d1, z1 = regional_stack("app-use1", "us-east-1", "1111aaaa2222bbbb", module='module.dr["use1"]', tfname="app")
    s2, d2, z2 = regional_stack("app-usw2", "us-west-2", "3333cccc4444dddd", module='module.dr["usw2"]', tfname="app")
    mod += [zone("example.com", z)] + s1 + s2
    mod += [health_check("app", "9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4", "app-use1.example.com", type_="TCP", port=443)]
    mod += [record("app", z, "app.example.com", None, None, instances=None)
            if False else
            res("aws_route53_record", "app", None, instances=[
                {"index_key": "primary", "schema_version": 2, "attributes": record(
                    "app", z, "app.example.com", "PRIMARY", "primary", alias=(d1, z1),
                    hc="9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4")["instances"][0]["attributes"],
                 "sensitive_attributes": [], "private": "bnVsbA==",
                 "dependencies": ["aws_route53_health_check.app", "aws_route53_zone.main",
                                  "module.dr.aws_lb.app"]},
                {"index_key": "secondary", "schema_version": 2, "attributes": record(
                    "app", z, "app.example.com", "SECONDARY", "secondary", alias=(d2, z2))["instances"][0]["attributes"],
                 "sensitive_attributes": [], "private": "bnVsbA==",
                 "dependencies": ["aws_route53_zone.main", "module.dr.aws_lb.app"]}])]
    write("fixtures/tf-modules-for-each/terraform.tfstate", state(mod))

    # The demo: three services as a small company would have them. api is
    # the whole service (sign-in, certificate, task roles, secret, key) of
    # tf-service-ecs, whose standby still leans on the primary.
    demo = whole_service(z)
    # login: the "DR" load balancer was built in the primary's region.
    l1, l1_dns, l1_zone = regional_stack("login-use1", "us-east-1", "2c4e6a8b0d1f3e5a", tfname="login")
    l2, l2_dns, l2_zone = regional_stack("login-dr", "us-east-1", "6b5a4c3d2e1f0a9b", module="module.login_dr", tfname="login")
    demo += l1 + l2
    demo += [record("login_primary", z, "login.example.com", "PRIMARY", "primary",
                    alias=(l1_dns, l1_zone), eth=False),
             record("login_secondary", z, "login.example.com", "SECONDARY", "secondary",
                    alias=(l2_dns, l2_zone))]
    # www: a failover policy on a plain record, no partner, long TTL.
    demo += [record("www", z, "www.example.com", "PRIMARY", "www-primary",
                    records=["203.0.113.10"], ttl=300, eth=False)]
    write("fixtures/demo/terraform/terraform.tfstate", state(demo, serial=41))

    # The clean pair split across four states, as teams split them: DNS in
    # one, each region's app in its own, one load balancer in yet another.
    # References by ARN reach across files; the listener's state is read
    # before the load balancer's, so the link phase must merge.
    by_type = lambda rs, t: [x for x in rs if x["type"] == t]
    dns = [x for x in clean if x["type"].startswith("aws_route53")]
    east_lb = by_type(east, "aws_lb")
    east_rest = [x for x in east if x["type"] != "aws_lb"]
    def own_deps(rs):
        """A state's dependencies name only its own resources."""
        rs = json.loads(json.dumps(rs))
        mine = {"%s.%s" % (x["type"], x["name"]) for x in rs}
        for x in rs:
            for i in x["instances"]:
                if "dependencies" in i:
                    i["dependencies"] = [d for d in i["dependencies"] if d in mine]
                    if not i["dependencies"]:
                        del i["dependencies"]
        return rs
    write("fixtures/tf-split-states/1-dns/terraform.tfstate", state(own_deps(dns)))
    write("fixtures/tf-split-states/2-east-app/terraform.tfstate", state(own_deps(east_rest)))
    write("fixtures/tf-split-states/3-east-lb/terraform.tfstate", state(own_deps(east_lb)))
    write("fixtures/tf-split-states/4-west/terraform.tfstate", state(own_deps(west)))

    # The clean state once more, as `terraform show -json` prints it.
    write("fixtures/tf-show-json/show.json", show_json(state(clean)))

    identity_fixtures(z)
    provider_fixtures(z)


def show_json(st, sensitive=False):
    """The same resources in `terraform show -json` form (format 1.0). With
    sensitive, sensitive_values marks the state's sensitive paths true, as
    Terraform does; without, nothing is marked."""
    root = {"resources": [], "child_modules": []}
    children = {}
    for r in st["resources"]:
        for inst in r["instances"]:
            mod = r.get("module")
            idx = inst.get("index_key")
            addr = "%s.%s" % (r["type"], r["name"])
            if idx is not None:
                addr += "[%s]" % json.dumps(idx)
            if mod:
                addr = mod + "." + addr
            obj = {"address": addr, "mode": r["mode"], "type": r["type"], "name": r["name"]}
            if idx is not None:
                obj["index"] = idx
            obj["provider_name"] = "registry.terraform.io/hashicorp/aws"
            obj["schema_version"] = inst["schema_version"]
            obj["values"] = inst["attributes"]
            obj["sensitive_values"] = sensitive_mirror(inst["attributes"])
            if sensitive:
                for path in inst.get("sensitive_attributes") or []:
                    mark_sensitive(obj["sensitive_values"], [step["value"]["value"] if step["type"] == "index"
                                                             else step["value"] for step in path])
            if inst.get("dependencies"):
                obj["depends_on"] = inst["dependencies"]
            if mod:
                children.setdefault(mod, []).append(obj)
            else:
                root["resources"].append(obj)
    for mod, rs in children.items():
        root["child_modules"].append({"resources": rs, "address": mod})
    if not root["child_modules"]:
        del root["child_modules"]
    return {"format_version": "1.0", "terraform_version": st["terraform_version"],
            "values": {"root_module": root}}


def mark_sensitive(mirror, steps):
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        if isinstance(mirror, dict):
            if last or not isinstance(mirror.get(step), (dict, list)):
                mirror[step] = True
                return
            mirror = mirror[step]
        elif isinstance(mirror, list) and isinstance(step, int) and step < len(mirror):
            if last or not isinstance(mirror[step], (dict, list)):
                mirror[step] = True
                return
            mirror = mirror[step]
        else:
            return


def sensitive_mirror(v):
    if isinstance(v, dict):
        return {k: sensitive_mirror(x) for k, x in v.items() if isinstance(x, (dict, list))}
    if isinstance(v, list):
        return [sensitive_mirror(x) if isinstance(x, (dict, list)) else False for x in v]
    return False


if __name__ == "__main__":
    main()
