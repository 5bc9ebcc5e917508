#!/usr/bin/env python3
"""Benchmark: scan a synthetic Terraform state of N services, each a Route 53
failover pair over two regional stacks (ALB -> listener -> target group with
three targets in three zones -> instances), with every fifth standby sharing
its primary's load balancer. Prints the median wall time of R runs.

  python3 tests/bench/bench_scan.py build/sharedfate [N ...] [--runs R]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

AWS = 'provider["registry.terraform.io/hashicorp/aws"]'


def r(type_, name, attrs):
    return {"mode": "managed", "type": type_, "name": name, "provider": AWS,
            "instances": [{"schema_version": 0, "attributes": attrs}]}


def stack(res, svc, region, acct="111122223333"):
    lb_arn = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/0" % (region, acct, svc)
    tg_arn = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/0" % (region, acct, svc)
    dns = "%s.%s.elb.amazonaws.com" % (svc, region)
    res.append(r("aws_lb", svc, {"arn": lb_arn, "dns_name": dns, "name": svc}))
    res.append(r("aws_lb_target_group", svc, {"arn": tg_arn, "name": svc, "port": 80}))
    res.append(r("aws_lb_listener", svc, {"arn": lb_arn + "/l", "load_balancer_arn": lb_arn,
                                          "default_action": [{"type": "forward", "target_group_arn": tg_arn}]}))
    for k, az in enumerate("abc"):
        iid = "i-%s-%d" % (svc, k)
        res.append(r("aws_instance", "%s_%d" % (svc, k), {
            "id": iid, "availability_zone": region + az, "private_ip": "10.%d.%d.%d" % (len(res) % 250, k, len(svc) % 250),
            "arn": "arn:aws:ec2:%s:%s:instance/%s" % (region, acct, iid)}))
        res.append(r("aws_lb_target_group_attachment", "%s_%d" % (svc, k),
                     {"target_group_arn": tg_arn, "target_id": iid}))
    return dns


def make_state(n):
    res = []
    for i in range(n):
        svc = "svc%05d" % i
        p = stack(res, svc + "-e", "us-east-1")
        s = p if i % 5 == 0 else stack(res, svc + "-w", "us-west-2")
        for role, target in (("PRIMARY", p), ("SECONDARY", s)):
            res.append(r("aws_route53_record", "%s_%s" % (svc, role.lower()), {
                "name": svc + ".example.com", "fqdn": svc + ".example.com", "type": "A",
                "zone_id": "Z1", "set_identifier": role.lower(), "health_check_id": "hc",
                "alias": [{"name": target, "zone_id": "Z35", "evaluate_target_health": True}],
                "failover_routing_policy": [{"type": role}]}))
    return {"version": 4, "terraform_version": "1.5.7", "serial": 1, "lineage": "b", "resources": res}


def main():
    args = sys.argv[1:]
    runs = 5
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    binary = os.path.abspath(args[0])
    sizes = [int(x) for x in args[1:]] or [100, 1000, 4000]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = os.path.join(tmp, "s%d.tfstate" % n)
            with open(path, "w") as f:
                json.dump(make_state(n), f, indent=2)
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                p = subprocess.run([binary, "scan", "--format", "json", "--fail-on", "none", path],
                                   capture_output=True)
                times.append(time.perf_counter() - t0)
                if p.returncode != 0:
                    raise SystemExit(p.stderr.decode())
            rep = json.loads(p.stdout)
            print("services=%-6d nodes=%-7d edges=%-7d pairs=%-5d findings=%-5d median=%.3fs (min %.3fs, %d runs, %.1f MiB state)" % (
                n, rep["graph"]["nodes"], rep["graph"]["edges"], len(rep["pairs"]), len(rep["findings"]),
                statistics.median(times), min(times), runs, os.path.getsize(path) / 1048576))


if __name__ == "__main__":
    main()
