#!/usr/bin/env python3
"""Hostile Terraform states, made at test time: each must end in findings or a
clear `path:line: message` with exit 2 — never a crash, a hang (each run has a
time limit) or an internal error."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

AWS = 'provider["registry.terraform.io/hashicorp/aws"]'


def state(resources, **kw):
    d = {"version": 4, "terraform_version": "1.5.7", "serial": 1, "lineage": "l", "outputs": {},
         "resources": resources}
    d.update(kw)
    return json.dumps(d, indent=2)


def r(type_, name, attrs, **kw):
    i = {"schema_version": 0, "attributes": attrs}
    i.update(kw.pop("inst", {}))
    d = {"mode": "managed", "type": type_, "name": name, "provider": AWS, "instances": [i]}
    d.update(kw)
    return d


def cases():
    yield "deep-nesting", '{"version": 4, "resources": [' + "[" * 100000 + "]" * 100000 + "]}", 2
    yield "nul-byte", state([]).replace('"serial"', '"ser\x00ial"'), 2
    yield "duplicate-key", '{"version": 4, "version": 4, "terraform_version": "1.5.7"}', 2
    yield "bad-utf8", b'{"version": 4, "terraform_version": "1.5.7", "x": "\xff\xfe"}', 2
    yield "top-level-array", "[1, 2, 3]", 2
    yield "version-string", '{"version": "4", "terraform_version": "1.5.7"}', 2
    yield "version-huge", '{"version": 99999999999999999999, "terraform_version": "1.5.7"}', 2
    yield "resources-object", state({"a": 1}), 2
    yield "instances-string", state([{"mode": "managed", "type": "aws_lb", "name": "a",
                                      "provider": AWS, "instances": "nope"}]), 2
    yield "resource-not-object", state([1, "x", None]), 2
    yield "type-with-control-chars", state([r("aws_lb\u001b[31m", "a", {})]), 2
    # Wrong shapes inside attributes: tolerated, never a crash.
    yield "wrong-attribute-types", state([
        r("aws_route53_record", "a", {"name": 7, "type": ["A"], "alias": "x", "records": {"a": 1},
                                      "failover_routing_policy": "PRIMARY", "zone_id": None,
                                      "health_check_id": 5, "ttl": "abc", "fqdn": None}),
        r("aws_route53_record", "b", {"name": "b.example.com", "type": "A", "alias": [None, 3],
                                      "records": [None, 1, {"x": 1}, "203.0.113.1"],
                                      "failover_routing_policy": [{"type": None}], "ttl": -5}),
        r("aws_route53_record", "c", {"name": "c.example.com", "type": "A", "alias": [{"name": None}],
                                      "failover_routing_policy": [{"type": "PRIMARY"}],
                                      "set_identifier": {"x": 1}}),
        r("aws_lb", "l", {"arn": "arn:aws:elasticloadbalancing:::::", "dns_name": ["x"], "internal": "maybe"}),
        r("aws_lb", "m", {"arn": "arn:" + "x:" * 5000, "dns_name": "." * 300}),
        r("aws_lb_listener", "x", {"default_action": [{"forward": "x", "target_group_arn": 3},
                                                      {"forward": [{"target_group": "no"}]}, None],
                                   "load_balancer_arn": ["x"]}),
        r("aws_lb_target_group_attachment", "t", {"target_group_arn": None, "target_id": {"a": 1}}),
        r("aws_instance", "i", {"availability_zone": "a", "private_ip": "not an ip", "arn": 12}),
        r("aws_instance", "j", {"availability_zone": "", "private_ip": "10.0.0.1" * 100}),
        r("aws_ecs_service", "s", {"load_balancer": "x", "cluster": ["y"]}),
        r("aws_route53_zone", "z", {"zone_id": ["Z"], "name": None}),
        r("aws_route53_health_check", "h", {"port": "eighty", "type": None, "disabled": "yes"}),
        r("null_resource", "n", None, inst={"index_key": {"bad": 1}}),
        r("null_resource", "o", None, inst={"dependencies": 7, "sensitive_attributes": "x"}),
        r("null_resource", "p", [], inst={"index_key": 'a"b\\c\u0007d'}),
    ]), 2
    # A million-character name and ten thousand pairs: bounded time.
    big = []
    for i in range(10000):
        big.append(r("aws_route53_record", "p%d" % i, {
            "name": "svc%d.example.com" % i, "type": "A", "fqdn": "svc%d.example.com" % i,
            "records": ["10.0.%d.%d" % (i // 250, i % 250)], "ttl": 60, "zone_id": "Z1",
            "failover_routing_policy": [{"type": "PRIMARY" if i % 2 == 0 else "SECONDARY"}],
            "health_check_id": "h"}))
    big.append(r("aws_lb", "long", {"name": "n" * 1000000}))
    yield "big", state(big), 1
    # Every record failing over to one shared address: one big closure.
    same = [r("aws_route53_record", "q%d" % i, {
        "name": "s%d.example.com" % (i // 2), "type": "A", "fqdn": "s%d.example.com" % (i // 2),
        "records": ["192.0.2.1"], "ttl": 60, "zone_id": "Z1", "health_check_id": "h",
        "failover_routing_policy": [{"type": "PRIMARY" if i % 2 == 0 else "SECONDARY"}]})
        for i in range(4000)]
    yield "shared-address", state(same), 1     # both sides answer one address: SF108, critical
    yield "plan-not-state", json.dumps({"format_version": "1.2", "terraform_version": "1.5.7",
                                        "planned_values": {}}), 2
    yield "show-json-v2", json.dumps({"format_version": "2.0", "values": {}}), 2
    yield "show-json-bad-modules", json.dumps({"format_version": "1.0", "values": {"root_module": {
        "resources": [{"address": "aws_lb.a", "mode": "managed", "type": "aws_lb", "name": "a",
                       "values": "x"}],
        "child_modules": [{"address": "module.a", "child_modules": "x", "resources": [None]}]}}}), 2


def main():
    binary = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="sf-hostile-")
    failures = []
    try:
        for name, data, want in cases():
            d = os.path.join(tmp, name)
            os.makedirs(d)
            with open(os.path.join(d, "terraform.tfstate"), "wb") as f:
                f.write(data.encode() if isinstance(data, str) else data)
            t0 = time.monotonic()
            try:
                p = subprocess.run([binary, "scan", "--format", "json", name], cwd=tmp,
                                   capture_output=True, timeout=60)
            except subprocess.TimeoutExpired:
                failures.append("%s: hang (over 60 s)" % name)
                continue
            dt = time.monotonic() - t0
            err = p.stderr.decode(errors="replace")
            if p.returncode != want:
                failures.append("%s: exit %d, expected %d\n%s" % (name, p.returncode, want, err[:2000]))
            if p.returncode == 2:
                lines = [l for l in err.splitlines() if ": error: " in l]
                if not lines or not all(re.match(re.escape(name) + r"/terraform\.tfstate:\d+: error: ", l)
                                        for l in lines):
                    failures.append("%s: errors without path:line:\n%s" % (name, err[:2000]))
            if "\x1b" in err or "\x00" in err:
                failures.append("%s: control characters reached stderr" % name)
            print("%-24s exit %d  %.2fs" % (name, p.returncode, dt))
        # Over the size limit: refused before reading (a sparse file), the
        # message naming the limit and the option that sets it.
        d = os.path.join(tmp, "huge")
        os.makedirs(d)
        with open(os.path.join(d, "terraform.tfstate"), "wb") as f:
            f.truncate(65 * 1024 * 1024)
        p = subprocess.run([binary, "scan", "--max-input-size", "64M", "huge"], cwd=tmp,
                           capture_output=True, timeout=60)
        if p.returncode != 2 or b"larger than the limit of 67108864 bytes (--max-input-size)" \
                not in p.stderr:
            failures.append("huge: exit %d %r" % (p.returncode, p.stderr[:300]))
        p = subprocess.run([binary, "scan", "--max-input-size", "1K", "huge"], cwd=tmp,
                           capture_output=True, timeout=60)
        if p.returncode != 2 or b"limit of 1024 bytes" not in p.stderr:
            failures.append("huge, 1K: exit %d %r" % (p.returncode, p.stderr[:300]))
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    print("all hostile states handled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
