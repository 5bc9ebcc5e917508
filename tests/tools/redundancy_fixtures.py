#!/usr/bin/env python3
"""Writes the fixtures of SF110 (shared redundancy), `simulate` and
`domains` under fixtures/, in the state shapes of tfstate_fixtures.py
(Terraform 1.5 state format 4, AWS provider v5, Cloudflare provider v4).

Run from the repository root; then regenerate the golden expectations
(SF_UPDATE_GOLDEN=1 ctest -R golden) and review the diff.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tfstate_fixtures import (ACCOUNT, DR_ACCOUNT, LB_ZONE, alb, listener, record, res, stable_hex,  # noqa: E402
                              state, target_group, write, zone, health_check)

CLOUDFLARE = 'provider["registry.terraform.io/cloudflare/cloudflare"]'
CF_ACCOUNT = "f037e56e89293a057740de681ac9abbe"
CF_ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
Z = "Z0123456789ABCDEFGHIJ"


def cf_pools(prefix, pools, default, fallback):
    """A Cloudflare load balancer for api.example.com: pools maps a pool's
    name to its origin addresses; default/fallback name the pools."""
    ids = {n: stable_hex("%s-pool-%s" % (prefix, n), 32) for n in pools}
    mon = stable_hex("%s-mon" % prefix, 32)
    rs = [res("cloudflare_zone", "example", {
        "account_id": CF_ACCOUNT, "id": CF_ZONE, "jump_start": False, "meta": {"phishing_detected": False},
        "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"], "paused": False,
        "plan": "enterprise", "status": "active", "type": "full", "vanity_name_servers": [],
        "verification_key": "", "zone": "example.com"}, provider=CLOUDFLARE),
          res("cloudflare_load_balancer_monitor", "https", {
              "account_id": CF_ACCOUNT, "allow_insecure": False, "consecutive_down": 0, "consecutive_up": 0,
              "created_on": "2026-01-12T09:30:00.000000Z", "description": "api https",
              "expected_body": "ok", "expected_codes": "200", "follow_redirects": False, "header": [],
              "id": mon, "interval": 60, "method": "GET", "modified_on": "2026-01-12T09:30:00.000000Z",
              "path": "/healthz", "port": 443, "probe_zone": "", "retries": 2, "timeout": 5,
              "type": "https"}, provider=CLOUDFLARE)]
    for n, addrs in sorted(pools.items()):
        rs.append(res("cloudflare_load_balancer_pool", "api_" + n, {
            "account_id": CF_ACCOUNT, "check_regions": ["WNAM", "ENAM"],
            "created_on": "2026-01-12T09:30:00.000000Z", "description": "", "enabled": True,
            "id": ids[n], "latitude": 0, "load_shedding": [], "longitude": 0, "minimum_origins": 1,
            "modified_on": "2026-01-12T09:30:00.000000Z", "monitor": mon, "name": "api-" + n,
            "notification_email": "", "origin_steering": [],
            "origins": [{"address": a, "enabled": True, "header": [], "name": "%s-%d" % (n, i),
                         "virtual_network_id": "", "weight": 1} for i, a in enumerate(addrs)]},
            provider=CLOUDFLARE))
    rs.append(res("cloudflare_load_balancer", "api", {
        "country_pools": [], "created_on": "2026-01-12T09:30:00.000000Z",
        "default_pool_ids": [ids[default]], "description": "", "enabled": True,
        "fallback_pool_id": ids[fallback], "id": stable_hex("%s-lb-api" % prefix, 32),
        "location_strategy": [{"mode": "pop", "prefer_ecs": "proximity"}],
        "modified_on": "2026-01-12T09:30:00.000000Z", "name": "api.example.com", "pop_pools": [],
        "proxied": True, "random_steering": [], "region_pools": [], "rules": [],
        "session_affinity": "", "session_affinity_attributes": [], "session_affinity_ttl": 0,
        "steering_policy": "off", "ttl": 30, "zone_id": CF_ZONE}, provider=CLOUDFLARE))
    return rs


def instance(tf, iid, az, ip, account=ACCOUNT):
    region = az[:-1]
    return res("aws_instance", tf, {
        "ami": "ami-0c55b159cbfafe1f0", "arn": "arn:aws:ec2:%s:%s:instance/%s" % (region, account, iid),
        "associate_public_ip_address": False, "availability_zone": az, "id": iid,
        "instance_state": "running", "instance_type": "t3.medium", "private_dns": "",
        "private_ip": ip, "public_dns": "", "public_ip": "", "subnet_id": "subnet-0" + az[-1] * 2,
        "tags": {"Name": tf}, "tags_all": {"Name": tf}, "tenancy": "default",
        "vpc_security_group_ids": ["sg-0a1b2c3d4e5f60718"]})


def attachment(tf, tg_arn, iid, index):
    return res("aws_lb_target_group_attachment", tf, None, instances=[
        {"index_key": index, "schema_version": 0, "attributes": {
            "availability_zone": None, "id": "%s-%s" % (tg_arn.rsplit("/", 1)[1], iid), "port": 8080,
            "target_group_arn": tg_arn, "target_id": iid},
         "sensitive_attributes": [], "private": "bnVsbA==",
         "dependencies": ["aws_instance." + iid.replace("-", "_"), "aws_lb_target_group." + tf]}])


def aws_side(name, region, suffix, targets, account=ACCOUNT):
    """An ALB -> listener -> target group -> instances (id, az, ip)."""
    lb, lb_arn, dns = alb(name, name, region, suffix, account=account)
    tg, tg_arn = target_group(name, name, region, suffix[::-1], account=account)
    tg["instances"][0]["attributes"]["target_type"] = "instance"
    ls = listener(name, lb_arn, tg_arn, region, suffix[:8], ["aws_lb." + name, "aws_lb_target_group." + name])
    att = attachment(name, tg_arn, "", 0)
    att["instances"] = []
    rs = [lb, tg, ls]
    for i, (iid, az, ip, *elsewhere) in enumerate(targets):
        if not elsewhere:       # an instance the other side's state defines is only attached
            rs.append(instance(iid.replace("-", "_"), iid, az, ip, account))
        att["instances"] += attachment(name, tg_arn, iid, i)["instances"]
    rs.append(att)
    return rs, dns, LB_ZONE[region]


def aws_pair(primary, standby, name="api", with_zone=True):
    p_rs, p_dns, p_zone = primary
    s_rs, s_dns, s_zone = standby
    hc_id = stable_hex("hc-" + name, 8) + "-4b5a-6978-8a9b-0c1d2e3f4a5b"
    rs = ([zone("example.com", Z)] if with_zone else []) + p_rs + s_rs
    rs.append(health_check(name + "_primary", hc_id, name + ".example.com"))
    rs += [record(name + "_primary", Z, name + ".example.com", "PRIMARY", "primary",
                  alias=(p_dns, p_zone), hc=hc_id),
           record(name + "_secondary", Z, name + ".example.com", "SECONDARY", "secondary",
                  alias=(s_dns, s_zone))]
    return rs


def main():
    # Both pools list the very same three origins: the standby is the primary.
    same = ["198.51.100.10", "198.51.100.11", "198.51.100.12"]
    write("fixtures/tf-sf110-identical-origins/terraform.tfstate",
          state(cf_pools("sf110a", {"primary": same, "fallback": list(same)}, "primary", "fallback")))
    # Two of three origins shared: the fallback's own origin keeps it up.
    write("fixtures/tf-sf110-two-of-three/terraform.tfstate",
          state(cf_pools("sf110b", {"primary": same, "fallback": same[:2] + ["203.0.113.40"]},
                         "primary", "fallback")))
    # Two load balancers in one region, each over instances in the same two
    # availability zones: SF107 for the region, SF110 for the zones.
    azs = aws_pair(aws_side("api-blue", "us-east-1", "5a1b2c3d4e5f6a7b",
                            [("i-0a1b2c3d4e5f60001", "us-east-1a", "10.0.1.11"),
                             ("i-0a1b2c3d4e5f60002", "us-east-1b", "10.0.2.12")]),
                   aws_side("api-green", "us-east-1", "7b6a5f4e3d2c1b0a",
                            [("i-0a1b2c3d4e5f60003", "us-east-1a", "10.0.1.13"),
                             ("i-0a1b2c3d4e5f60004", "us-east-1b", "10.0.2.14")]))
    write("fixtures/tf-sf110-shared-azs/terraform.tfstate", state(azs))
    # Primary in us-east-1, standby in us-west-2 (its own account); both
    # target groups also hold one shared instance in us-east-1c. Shared:
    # that instance, its zone, us-east-1; no set of up to three of them
    # takes both sides down (the standby keeps its own two instances).
    indep = aws_pair(aws_side("api-use1", "us-east-1", "1a2b3c4d5e6f7a8b",
                              [("i-0e1f2a3b4c5d60011", "us-east-1a", "10.0.1.21"),
                               ("i-0e1f2a3b4c5d60012", "us-east-1b", "10.0.2.22"),
                               ("i-0e1f2a3b4c5d60099", "us-east-1c", "10.0.3.99")]),
                     aws_side("api-usw2", "us-west-2", "8b7a6f5e4d3c2b1a",
                              [("i-0e1f2a3b4c5d60021", "us-west-2a", "10.1.1.31"),
                               ("i-0e1f2a3b4c5d60022", "us-west-2b", "10.1.2.32"),
                               ("i-0e1f2a3b4c5d60099", "us-east-1c", "10.0.3.99", "shared")],
                              account=DR_ACCOUNT))
    write("fixtures/tf-sf110-independent/terraform.tfstate", state(indep))

    # Game day (tests/test_simulate.py works out each outage by hand): api
    # fails over from us-east-1 to us-west-2 in the DR account; login's
    # standby was built in the primary's region and account.
    game = aws_pair(aws_side("api-use1", "us-east-1", "2b3c4d5e6f7a8b9c",
                             [("i-0c1d2e3f4a5b60101", "us-east-1a", "10.0.1.41"),
                              ("i-0c1d2e3f4a5b60102", "us-east-1b", "10.0.2.42")]),
                    aws_side("api-usw2", "us-west-2", "9c8b7a6f5e4d3c2b",
                             [("i-0c1d2e3f4a5b60201", "us-west-2a", "10.1.1.51"),
                              ("i-0c1d2e3f4a5b60202", "us-west-2b", "10.1.2.52")],
                             account=DR_ACCOUNT))
    game += aws_pair(aws_side("login-blue", "us-east-1", "3c4d5e6f7a8b9c0d",
                              [("i-0c1d2e3f4a5b60301", "us-east-1a", "10.0.1.61"),
                               ("i-0c1d2e3f4a5b60302", "us-east-1b", "10.0.2.62")]),
                     aws_side("login-green", "us-east-1", "0d9c8b7a6f5e4d3c",
                              [("i-0c1d2e3f4a5b60401", "us-east-1c", "10.0.3.71"),
                               ("i-0c1d2e3f4a5b60402", "us-east-1d", "10.0.4.72")]),
                     name="login", with_zone=False)
    write("fixtures/sim-game-day/terraform.tfstate", state(game))


if __name__ == "__main__":
    main()
