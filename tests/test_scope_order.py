#!/usr/bin/env python3
"""Keys of Terraform nodes do not depend on the order inputs are read in.

A node named by an address is keyed by it when made, and qualified by its
state's path only if another input names it too (another state, an
attribute of another state, a manifest's declared dependency, a SOPS key
id). Inputs are read in path order: each permutation of the same inputs
is laid out in folders whose names put them in that order, and every
permutation must give the same nodes (key, label, kind, where from) and
edges once the folder names are read back.
"""
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def load(src, rel):
    with open(os.path.join(src, "fixtures", rel)) as f:
        return json.load(f)


def inputs(src):
    east = load(src, "tf-per-region-states/us-east-1/terraform.tfstate")
    west = load(src, "tf-per-region-states/us-west-2/terraform.tfstate")
    dns = load(src, "tf-per-region-states/dns/terraform.tfstate")
    # a state whose attribute values are other states' addresses (and
    # nothing else of the state it was copied from: an ARN two states
    # claim goes to the first, whatever the keys)
    claim = json.loads(json.dumps(east))
    claim["lineage"] = "0badc0de-0000-4000-8000-00000000c1a1"
    claim["resources"] = [r for r in claim["resources"] if r["type"] in ("aws_lb", "aws_instance")]
    for r in claim["resources"]:
        for i in r.get("instances", []):
            i["attributes"] = {"id": "c-" + r["type"],
                               "arn": {"aws_lb": "aws_route53_zone.main",
                                       "aws_instance": "@east@/terraform.tfstate:aws_lb.this"}[r["type"]]}
        r["name"] += "_c"
    manifest = ("version: 1\nservices:\n  - name: api\n    tier: high\n    function: other\n"
                "    dns: api.example.com\n    depends_on:\n"
                "      - {kind: load_balancer, key: \"aws_route53_zone.main\", side: both}\n"
                "      - {kind: load_balancer, key: \"aws_instance.web_c\", side: both}\n"
                "      - {kind: load_balancer, key: \"@dns@/terraform.tfstate:aws_route53_zone.main\"}\n")
    sops = ("data: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\nsops:\n  gcp_kms:\n"
            "    - resource_id: aws_lb.this_c\n      created_at: \"2024-01-01T00:00:00Z\"\n      enc: abc\n"
            "  lastmodified: \"2024-01-01T00:00:00Z\"\n"
            "  mac: ENC[AES256_GCM,data:m,iv:i,tag:t,type:str]\n  version: 3.8.1\n")
    return {
        "east": ("terraform.tfstate", json.dumps(east, indent=2)),
        "west": ("terraform.tfstate", json.dumps(west, indent=2)),
        "dns": ("terraform.tfstate", json.dumps(dns, indent=2)),
        "claim": ("terraform.tfstate", json.dumps(claim, indent=2)),
        "man": ("sharedfate.yaml", manifest),
        "sops": ("s.enc.yaml", sops),
    }


def graph(binary, items, order):
    tmp = tempfile.mkdtemp(prefix="sf-scope-order-")
    try:
        folder = {k: "%d-%s" % (i, k) for i, k in enumerate(order)}
        for k in order:
            name, text = items[k]
            for other, f in folder.items():
                text = text.replace("@%s@" % other, f)
            os.makedirs(os.path.join(tmp, folder[k]))
            with open(os.path.join(tmp, folder[k], name), "w") as f:
                f.write(text)
        p = subprocess.run([binary, "graph", "--format", "json", "."], cwd=tmp,
                           capture_output=True, timeout=120)
        if p.returncode != 0:
            return None, p.stderr.decode()
        back = re.compile(r"\b\d+-(%s)/" % "|".join(items))
        g = json.loads(back.sub(r"\1/", p.stdout.decode()))
        nodes = sorted((n["key"], n["label"], n["kind"], (n.get("location") or {}).get("path") or "")
                       for n in g["nodes"])
        edges = sorted((e["from"], e["to"], e["kind"]) for e in g["edges"])
        return (nodes, edges), None
    finally:
        shutil.rmtree(tmp)


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    items = inputs(src)
    failures = []
    sets = [("east", "west", "dns"), ("dns", "claim", "man"), ("east", "claim", "sops", "man")]
    for s in sets:
        first, first_order = None, None
        for order in itertools.permutations(s):
            got, err = graph(binary, items, order)
            if got is None:
                failures.append("%s: %s" % (", ".join(order), err))
                continue
            if first is None:
                first, first_order = got, order
            elif got != first:
                diff = set(got[0]) ^ set(first[0]) or set(got[1]) ^ set(first[1])
                failures.append("%s differs from %s: %s" % (", ".join(order), ", ".join(first_order),
                                                             sorted(diff)[:4]))
        if first is None:
            continue
        keys = {n[0] for n in first[0]}
        if s[0] == "east":
            want = {"east/terraform.tfstate:aws_lb.this", "west/terraform.tfstate:aws_lb.this"} \
                if "west" in s else {"aws_lb.this"}
            if not want <= keys:
                failures.append("%s: no %s" % (", ".join(s), sorted(want - keys)))
        if "man" in s and "dns" in s and "dns/terraform.tfstate:aws_route53_zone.main" not in keys:
            failures.append("%s: the zone named by the manifest is not qualified" % ", ".join(s))
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    print("scope order: keys and labels of %d input sets the same in every read order" % len(sets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
