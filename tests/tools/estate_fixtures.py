#!/usr/bin/env python3
"""Writes the fixtures of real Terraform estates (issue 7) under fixtures/:
one state per region with the same addresses in each, a state beside its
backup and an older copy, a format-3 (Terraform 0.11) state, a huge integer,
Cloudflare pools known only by ID, A+AAAA failover records, and an ECS
standby whose image comes from the primary's region.

The shapes are tfstate_fixtures.py's (what Terraform and the providers
write); format 3 is written here the way Terraform 0.11 wrote it: four-space
indentation, `modules[]` with `path`, flat string attributes.

Run from the repository root; then regenerate the goldens
(SF_UPDATE_GOLDEN=1 ctest -R golden) and review the diff.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tfstate_fixtures import (ACCOUNT, CF_ACCOUNT, CF_ZONE, CLOUDFLARE, DR_ACCOUNT, LB_ZONE,  # noqa: E402
                              health_check, record, regional_stack, res, secret, service_stack,
                              stable_hex, state, task_definition, write, zone)

Z = "Z0123456789ABCDEFGHIJ"
HC = "0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"


def lineage(name):
    """Every state has a lineage of its own (terraform init makes one)."""
    h = stable_hex("lineage-" + name, 32)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])


def own_state(resources, name, serial=12):
    st = state(resources, serial=serial)
    st["lineage"] = lineage(name)
    return st


def instance(tf, region, az, ip, account=ACCOUNT, suffix="0a1b2c3d4e5f60718"):
    iid = "i-" + suffix
    return res("aws_instance", tf, {
        "ami": "ami-0c55b159cbfafe1f0", "arn": "arn:aws:ec2:%s:%s:instance/%s" % (region, account, iid),
        "associate_public_ip_address": False, "availability_zone": az, "id": iid,
        "instance_state": "running", "instance_type": "t3.small", "private_dns": "ip-%s.ec2.internal"
        % ip.replace(".", "-"), "private_ip": ip, "public_dns": "", "public_ip": "",
        "subnet_id": "subnet-0aa", "tags": {"Name": tf}, "tags_all": {"Name": tf},
        "vpc_security_group_ids": ["sg-0a1b2c3d4e5f60718"]})


def per_region():
    """The Terragrunt layout: one root module per region, the same
    addresses in each (aws_lb.this, aws_acm_certificate.this,
    aws_instance.web), DNS in a state of its own. Nothing is shared; the
    only finding is real: the standby's certificate does not name the
    service."""
    base = "fixtures/tf-per-region-states/"
    regions = (("us-east-1", "api-use1", "50dc6c495c0c9188", ACCOUNT, "api.example.com", "10.0.1.10"),
               ("us-west-2", "api-usw2", "7e0a5d1b2c3f4a69", DR_ACCOUNT, "api-west.example.com",
                "10.1.1.10"))
    lbs = {}
    for region, prefix, suffix, account, domain, ip in regions:
        rs, dns, lbz = service_stack(prefix, region, suffix, "this", (domain, [domain]), account=account)
        rs.append(instance("web", region, region + "b", ip, account=account))
        lbs[region] = (dns, lbz)
        write(base + region + "/terraform.tfstate", own_state(rs, "per-region-" + region))
    dns = [zone("example.com", Z), health_check("api_primary", HC, "api-use1.example.com"),
           record("api_primary", Z, "api.example.com", "PRIMARY", "primary",
                  alias=("dualstack." + lbs["us-east-1"][0], lbs["us-east-1"][1]), hc=HC),
           record("api_secondary", Z, "api.example.com", "SECONDARY", "secondary",
                  alias=("dualstack." + lbs["us-west-2"][0], lbs["us-west-2"][1]))]
    write(base + "dns/terraform.tfstate", own_state(dns, "per-region-dns"))


def clean_pair(extra=()):
    east, east_dns, east_zone = regional_stack("api-use1", "us-east-1", "50dc6c495c0c9188", tfname="api_use1")
    west, west_dns, west_zone = regional_stack("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", tfname="api_usw2",
                                               account=DR_ACCOUNT)
    rs = [zone("example.com", Z), health_check("api_primary", HC, "api-use1.example.com")]
    rs += east + west + list(extra)
    rs += [record("api_primary", Z, "api.example.com", "PRIMARY", "primary",
                  alias=("dualstack." + east_dns, east_zone), hc=HC),
           record("api_secondary", Z, "api.example.com", "SECONDARY", "secondary",
                  alias=(west_dns, west_zone))]
    return rs


def backups():
    """The state, Terraform's backup of it (the instance still in its old
    availability zone) and a copy kept by hand two changes earlier: only
    the state is imported."""
    base = "fixtures/tf-state-backup/"
    name = "backup"
    write(base + "terraform.tfstate",
          own_state(clean_pair([instance("web", "us-east-1", "us-east-1b", "10.0.2.10")]), name, serial=14))
    write(base + "terraform.tfstate.backup",
          own_state(clean_pair([instance("web", "us-east-1", "us-east-1a", "10.0.1.10")]), name, serial=13))
    write(base + "copies/terraform-before-upgrade.tfstate",
          own_state(clean_pair([instance("web", "us-east-1", "us-east-1a", "10.0.1.10")]), name, serial=11))


def huge_integer():
    """cty numbers are written as plain digits, past 2^63 too."""
    big = res("random_integer", "seed", {"id": "12345678901234567890", "keepers": None,
                                         "max": 18446744073709551615, "min": 0,
                                         "result": 12345678901234567890, "seed": None},
              provider='provider["registry.terraform.io/hashicorp/random"]')
    write("fixtures/tf-huge-integer/terraform.tfstate", own_state(clean_pair([big]), "huge"))


def a_and_aaaa():
    """A and AAAA failover records of one name, both aliases of two load
    balancers in one region: one pair, so each finding prints once."""
    east, east_dns, east_zone = regional_stack("api-use1", "us-east-1", "50dc6c495c0c9188", tfname="api_use1")
    east2, east2_dns, _ = regional_stack("api-use1b", "us-east-1", "0b9d8c7e6f5a4b3c", tfname="api_use1b")
    rs = [zone("example.com", Z), health_check("api_primary", HC, "api-use1.example.com")] + east + east2
    for t in ("A", "AAAA"):
        sfx = "" if t == "A" else "_v6"
        p = record("api_primary" + sfx, Z, "api.example.com", "PRIMARY", "primary",
                   alias=("dualstack." + east_dns, east_zone), hc=HC, type_=t)
        s = record("api_secondary" + sfx, Z, "api.example.com", "SECONDARY", "secondary",
                   alias=("dualstack." + east2_dns, east_zone), type_=t)
        rs += [p, s]
    write("fixtures/tf-a-aaaa/terraform.tfstate", own_state(rs, "a-aaaa"))


def ecr_image():
    """The standby's task in us-west-2 runs an image from the primary's
    registry in us-east-1: it cannot start while us-east-1 is down."""
    rs = clean_pair()
    east_td, _ = task_definition("api_use1", "api-use1", "us-east-1", None, None)
    west_td, _ = task_definition("api_usw2", "api-usw2", "us-west-2", None, None, account=DR_ACCOUNT)
    defs = json.loads(west_td["instances"][0]["attributes"]["container_definitions"])
    defs[0]["image"] = "%s.dkr.ecr.us-east-1.amazonaws.com/api-use1:1.14.2" % ACCOUNT
    west_td["instances"][0]["attributes"]["container_definitions"] = json.dumps(
        defs, separators=(",", ":"), sort_keys=True)
    rs += [east_td, west_td]
    write("fixtures/tf-ecr-image-primary-region/terraform.tfstate", own_state(rs, "ecr"))


def replica_unused():
    """The secret is replicated to us-west-2, but the standby's task reads
    it by its us-east-1 ARN: the fix is to read the replica's ARN, not to
    replicate it (which is done)."""
    rs = clean_pair()
    sec, arn = secret("db", "prod/api/db", "us-east-1", "Xy7Q2p", replicas=[("us-west-2", "")])
    east_td, _ = task_definition("api_use1", "api-use1", "us-east-1", None, None,
                                 secrets=[("DB_PASSWORD", arn)])
    west_td, _ = task_definition("api_usw2", "api-usw2", "us-west-2", None, None, account=DR_ACCOUNT,
                                 secrets=[("DB_PASSWORD", arn)])
    rs += [sec, east_td, west_td]
    write("fixtures/tf-secret-replica-unread/terraform.tfstate", own_state(rs, "replica"))


def cloudflare_pools_by_id():
    """A Cloudflare load balancer whose pools live in another state: only
    their IDs are here. Nothing is known about them, so both sides are
    unresolved (SF203), not "without a health check"."""
    ids = [stable_hex("cf-ext-pool-" + n, 32) for n in ("use", "usw")]
    rs = [res("cloudflare_zone", "example", {
        "account_id": CF_ACCOUNT, "id": CF_ZONE, "jump_start": False, "meta": {"phishing_detected": False},
        "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"], "paused": False,
        "plan": "enterprise", "status": "active", "type": "full", "vanity_name_servers": [],
        "verification_key": "", "zone": "example.com"}, provider=CLOUDFLARE),
        res("cloudflare_load_balancer", "api", {
            "country_pools": [], "created_on": "2026-01-12T09:30:00.000000Z",
            "default_pool_ids": [ids[0]], "description": "", "enabled": True,
            "fallback_pool_id": ids[1], "id": stable_hex("cf-lb-ext", 32),
            "location_strategy": [{"mode": "pop", "prefer_ecs": "proximity"}],
            "modified_on": "2026-01-12T09:30:00.000000Z", "name": "api.example.com", "pop_pools": [],
            "proxied": True, "random_steering": [], "region_pools": [], "rules": [],
            "session_affinity": "", "session_affinity_attributes": [], "session_affinity_ttl": 0,
            "steering_policy": "off", "ttl": 30, "zone_id": CF_ZONE}, provider=CLOUDFLARE)]
    write("fixtures/tf-cloudflare-pools-by-id/terraform.tfstate", own_state(rs, "cf-ext"))


# ---- format 3 ----

def flat(prefix, value, out):
    """Terraform 0.11's flatmap: lists and sets get `.#`, maps `.%`."""
    if isinstance(value, dict):
        out[prefix + ".%"] = str(len(value))
        for k, v in value.items():
            flat(prefix + "." + k, v, out)
    elif isinstance(value, list):
        out[prefix + ".#"] = str(len(value))
        for i, v in enumerate(value):
            flat(prefix + "." + str(i), v, out)
    elif isinstance(value, bool):
        out[prefix] = "true" if value else "false"
    else:
        out[prefix] = str(value)


def v3_resource(type_, attrs, deps=(), provider="provider.aws", blocks=(), sets=None):
    """attrs: flat string attributes; blocks: (name, [dict]) as lists;
    sets: (name, hash, dict) as a set element keyed by its hash."""
    a = {}
    for k, v in attrs.items():
        flat(k, v, a) if isinstance(v, (dict, list)) else a.__setitem__(
            k, ("true" if v else "false") if isinstance(v, bool) else str(v))
    for name, items in blocks:
        a[name + ".#"] = str(len(items))
        for i, item in enumerate(items):
            for k, v in item.items():
                flat("%s.%d.%s" % (name, i, k), v, a)
    for name, h, item in sets or ():
        a[name + ".#"] = "1"
        for k, v in item.items():
            flat("%s.%s.%s" % (name, h, k), v, a)
    return {"type": type_, "depends_on": list(deps),
            "primary": {"id": a.get("id", ""), "attributes": a, "meta": {"schema_version": "1"},
                        "tainted": False},
            "deposed": [], "provider": provider}


def format3():
    """Terraform 0.11: a root module with the zone, the health check and the
    failover records (alias blocks are sets keyed by a hash), a module "dr"
    holding the standby's load balancer, a data source, a counted instance,
    and an object only deposed. The health check is TCP: SF202."""
    def lb(name, region, suffix, account):
        arn = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s" % (region, account, name, suffix)
        dns = "%s-%s.%s.elb.amazonaws.com" % (name, suffix[:10], region)
        return v3_resource("aws_lb", {
            "arn": arn, "arn_suffix": "app/%s/%s" % (name, suffix), "dns_name": dns, "id": arn,
            "internal": False, "ip_address_type": "ipv4", "load_balancer_type": "application",
            "name": name, "subnets": ["subnet-0aa", "subnet-0bb"], "tags": {"Team": "api"},
            "vpc_id": "vpc-0123456789abcdef0", "zone_id": LB_ZONE[region]},
            blocks=[("access_logs", [{"bucket": "", "enabled": False, "prefix": ""}])]), dns

    east, east_dns = lb("api-use1", "us-east-1", "50dc6c495c0c9188", ACCOUNT)
    west, west_dns = lb("api-usw2", "us-west-2", "7e0a5d1b2c3f4a69", DR_ACCOUNT)

    def rec(role, dns, region, hc, deps):
        return v3_resource("aws_route53_record", {
            "allow_overwrite": True, "fqdn": "api.example.com", "health_check_id": hc,
            "id": "%s_api.example.com_A_%s" % (Z, role.lower()), "name": "api.example.com",
            "records": [], "set_identifier": role.lower(), "ttl": "0", "type": "A", "zone_id": Z},
            deps=deps, blocks=[("failover_routing_policy", [{"type": role}])],
            sets=[("alias", "1587383817" if role == "PRIMARY" else "3309216590",
                   {"evaluate_target_health": True, "name": "dualstack." + dns,
                    "zone_id": LB_ZONE[region]})])

    zone_r = v3_resource("aws_route53_zone", {
        "comment": "Managed by Terraform", "force_destroy": False, "id": Z, "name": "example.com",
        "name_servers": ["ns-1536.awsdns-00.co.uk", "ns-0.awsdns-00.com", "ns-1024.awsdns-00.org",
                         "ns-512.awsdns-00.net"], "tags": {}, "zone_id": Z})
    hc = v3_resource("aws_route53_health_check", {
        "child_health_threshold": "0", "disabled": False, "enable_sni": False, "failure_threshold": "3",
        "fqdn": "api-use1.example.com", "id": HC, "invert_healthcheck": False, "measure_latency": False,
        "port": "443", "request_interval": "30", "resource_path": "", "type": "TCP"})
    web = lambda i: v3_resource("aws_instance", {
        "ami": "ami-0c55b159cbfafe1f0", "arn": "arn:aws:ec2:us-east-1:%s:instance/i-0%d1b2c3d4e5f6071"
        % (ACCOUNT, i), "availability_zone": "us-east-1%s" % "ab"[i], "id": "i-0%d1b2c3d4e5f6071" % i,
        "instance_type": "t2.small", "private_ip": "10.0.%d.10" % (i + 1), "tags": {"Name": "web"}})
    deposed = {"type": "aws_instance", "depends_on": [], "primary": None,
               "deposed": [web(0)["primary"]], "provider": "provider.aws"}
    data = v3_resource("aws_availability_zones", {"id": "2026-01-12 09:30:00", "names": ["us-east-1a"]})
    st = {"version": 3, "terraform_version": "0.11.14", "serial": 7, "lineage": lineage("v3"),
          "modules": [
              {"path": ["root"], "outputs": {}, "resources": {
                  "aws_route53_zone.main": zone_r,
                  "aws_route53_health_check.api_primary": hc,
                  "aws_lb.api_use1": east,
                  "aws_route53_record.api_primary": rec("PRIMARY", east_dns, "us-east-1", HC,
                                                        ["aws_lb.api_use1", "aws_route53_health_check.api_primary"]),
                  "aws_route53_record.api_secondary": rec("SECONDARY", west_dns, "us-west-2", "",
                                                          ["module.dr"]),
                  "aws_instance.web.0": web(0),
                  "aws_instance.web.1": web(1),
                  "aws_instance.old": deposed,
                  "data.aws_availability_zones.all": data},
               "depends_on": []},
              {"path": ["root", "dr"], "outputs": {}, "resources": {"aws_lb.api_usw2": west},
               "depends_on": []}]}
    path = "fixtures/tf-format3-failover/terraform.tfstate"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(st, f, indent=4)
        f.write("\n")


def main():
    per_region()
    backups()
    huge_integer()
    a_and_aaaa()
    ecr_image()
    cloudflare_pools_by_id()
    format3()
    replica_unused()


if __name__ == "__main__":
    main()
