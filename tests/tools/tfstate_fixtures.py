#!/usr/bin/env python3
"""Writes the Terraform state fixtures under fixtures/ in the shapes Terraform
and the AWS provider really produce: state format 4 with two-space indentation
(as `terraform state pull` writes it), provider-v5 attribute sets with their
nulls and empty blocks, and the `terraform show -json` form of the same state.

Run from the repository root after changing a fixture here; then regenerate the
golden expectations (SF_UPDATE_GOLDEN=1 ctest -R golden) and review the diff.
"""
import json
import os

AWS = 'provider["registry.terraform.io/hashicorp/aws"]'
ACCOUNT = "111122223333"
LB_ZONE = {"us-east-1": "Z35SXDOTRQ7X7K", "us-west-2": "Z1H1FL5HABSF5", "eu-west-1": "Z32O12XQLNTSW2"}


def res(type_, name, attrs, deps=(), module=None, index_key=None, sensitive=(), instances=None):
    inst = {"schema_version": 0, "attributes": attrs,
            "sensitive_attributes": [[{"type": "get_attr", "value": s}] for s in sensitive],
            "private": "bnVsbA=="}
    if index_key is not None:
        inst = {"index_key": index_key, **inst}
    if deps:
        inst["dependencies"] = sorted(deps)
    r = {"mode": "managed", "type": type_, "name": name, "provider": AWS,
         "instances": instances if instances is not None else [inst]}
    if module:
        r = {"module": module, **r}
    return r


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


def alb(tf, name, region, suffix, module=None, index_key=None):
    arn = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s" % (region, ACCOUNT, name, suffix)
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


def target_group(tf, name, region, suffix, module=None, index_key=None):
    arn = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s" % (region, ACCOUNT, name, suffix)
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


def ecs_service(tf, name, region, tg_arn, deps, module=None, index_key=None):
    cluster = "arn:aws:ecs:%s:%s:cluster/%s" % (region, ACCOUNT, name)
    arn = "arn:aws:ecs:%s:%s:service/%s/%s" % (region, ACCOUNT, name, name)
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
        "task_definition": "arn:aws:ecs:%s:%s:task-definition/%s:7" % (region, ACCOUNT, name),
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


def regional_stack(prefix, region, suffix, module=None, index_key=None, tfname=None):
    """An ALB -> listener -> target group -> ECS service in one region."""
    n = tfname or prefix
    mod_prefix = (module + ".") if module else ""
    lb, lb_arn, dns = alb(n, prefix, region, suffix, module, index_key)
    tg, tg_arn = target_group(n, prefix, region, suffix[::-1], module, index_key)
    ls = listener(n, lb_arn, tg_arn, region, suffix[:8],
                  [mod_prefix + "aws_lb." + n, mod_prefix + "aws_lb_target_group." + n], module, index_key)
    svc = ecs_service(n, prefix, region, tg_arn,
                      [mod_prefix + "aws_lb_target_group." + n], module, index_key)
    return [lb, tg, ls, svc], dns, LB_ZONE[region]


def main():
    z = "Z0123456789ABCDEFGHIJ"

    # A clean pair: primary in us-east-1, standby in us-west-2, HTTPS health
    # check on the primary, alias records that evaluate target health.
    east, east_dns, east_zone = regional_stack("api-use1", "us-east-1", "50dc6c495c0c9188", tfname="api_use1")
    west, west_dns, west_zone = regional_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", tfname="api_usw2")
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

    # The demo: three services as a small company would have them.
    demo = [zone("example.com", z),
            health_check("api_primary", "0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b", "api-use1.example.com")]
    demo += east + west
    demo += [record("api_primary", z, "api.example.com", "PRIMARY", "primary",
                    alias=("dualstack." + east_dns, east_zone), hc="0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"),
             record("api_secondary", z, "api.example.com", "SECONDARY", "secondary",
                    alias=(west_dns, west_zone))]
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


def show_json(st):
    """The same resources in `terraform show -json` form (format 1.0)."""
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


def sensitive_mirror(v):
    if isinstance(v, dict):
        return {k: sensitive_mirror(x) for k, x in v.items() if isinstance(x, (dict, list))}
    if isinstance(v, list):
        return [sensitive_mirror(x) if isinstance(x, (dict, list)) else False for x in v]
    return False


if __name__ == "__main__":
    main()
