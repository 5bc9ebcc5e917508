#!/usr/bin/env python3
"""DNS inputs joined with the rest of the graph.

1. The Route 53 exports (fixtures/route53-json, fixtures/route53-xml) give
   the same failover pairs as the equivalent Terraform records
   (fixtures/tf-clean-pair): same id, name, primary and standby roots.
2. The same pair read from a Terraform state and both exports at once is
   one pair, not three.
3. In fixtures/zone-tfstate-join, the name customers use (a CNAME in a zone
   file) reaches the ECS service behind the primary's load balancer, and the
   standby's name the standby's, along data-plane edges.
argv: sharedfate binary, source directory.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def scan(binary, cwd, path, fmt="json"):
    p = subprocess.run([binary, "scan", "--format", fmt, "--color", "never", path], cwd=cwd,
                       capture_output=True, timeout=60)
    if p.returncode not in (0, 1):
        raise SystemExit("FAIL %s: exit %d\n%s" % (path, p.returncode, p.stderr.decode()))
    return json.loads(p.stdout)


def pairs(doc):
    return [{k: v for k, v in p.items() if k != "source"} for p in doc["pairs"]]


def reach(graph, start):
    adj = {}
    for e in graph["edges"]:
        if e["plane"] == "data":
            adj.setdefault(e["from"], []).append(e["to"])
    seen, todo = {start}, [start]
    while todo:
        for v in adj.get(todo.pop(), []):
            if v not in seen:
                seen.add(v)
                todo.append(v)
    return seen


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    failures = []
    want = pairs(scan(binary, src, "fixtures/tf-clean-pair"))
    if len(want) != 1:
        failures.append("tf-clean-pair: expected one pair, got %r" % want)
    for fx in ("route53-json", "route53-xml"):
        got = pairs(scan(binary, src, "fixtures/" + fx))
        if got != want:
            failures.append("%s: pairs differ from Terraform's\n  want %r\n  got  %r" % (fx, want, got))

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(os.path.join(src, "fixtures/tf-clean-pair/terraform.tfstate"), tmp)
        shutil.copy(os.path.join(src, "fixtures/route53-json/records.json"), tmp)
        shutil.copy(os.path.join(src, "fixtures/route53-xml/records.xml"), tmp)
        got = pairs(scan(binary, tmp, "."))
        if got != want:
            failures.append("three sources: expected the one pair\n  want %r\n  got  %r" % (want, got))

    g = scan(binary, src, "fixtures/zone-tfstate-join", "graph-json")
    for name, target in (("dns:api.example.com.", "aws_ecs_service.api_use1"),
                         ("dns:api-use1.example.com.", "aws_ecs_service.api_use1"),
                         ("dns:api-usw2.example.com.", "aws_ecs_service.api_usw2")):
        if target not in reach(g, name):
            failures.append("zone-tfstate-join: %s does not reach %s" % (name, target))
    if "aws_ecs_service.api_usw2" in reach(g, "dns:api.example.com."):
        failures.append("zone-tfstate-join: the primary name reaches the standby's service")

    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
