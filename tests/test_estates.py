#!/usr/bin/env python3
"""Terraform estates as teams lay them out (issue 7):

- per-region states reuse addresses: every node of the us-east-1 and
  us-west-2 states is qualified by its state's path, none merged by address;
- adding a state whose addresses are the same but whose objects are others
  leaves the fingerprints of the existing findings unchanged (their keys
  become qualified, their fingerprints count by address);
- two states that claim one ARN with different facts get a warning;
- a state's lineage/serial picks the newest copy whatever the file names.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def scan(binary, cwd, *args):
    p = subprocess.run([binary, "scan", "--fail-on", "none"] + list(args), cwd=cwd,
                       capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    fx = os.path.join(src, "fixtures")
    failures = []

    # 1. per-region: qualified keys, no merge by address
    rc, out, err = scan(binary, src, "--format", "graph-json", "fixtures/tf-per-region-states")
    keys = {n["key"] for n in json.loads(out)["nodes"]}
    for region in ("us-east-1", "us-west-2"):
        for addr in ("aws_lb.this", "aws_acm_certificate.this", "aws_instance.web"):
            k = "fixtures/tf-per-region-states/%s/terraform.tfstate:%s" % (region, addr)
            if k not in keys:
                failures.append("per-region: no node %s" % k)
    if "aws_lb.this" in keys:
        failures.append("per-region: a bare aws_lb.this merges the regions")
    if "aws_route53_zone.main" not in keys:
        failures.append("per-region: an address unique in the scan is not shown bare")

    tmp = tempfile.mkdtemp(prefix="sf-estates-")
    try:
        # 2. fingerprints survive a state with the same addresses beside
        os.makedirs(os.path.join(tmp, "a"))
        shutil.copy(os.path.join(fx, "tf-sf102-shared-secret", "terraform.tfstate"),
                    os.path.join(tmp, "a", "terraform.tfstate"))
        rc, out, err = scan(binary, tmp, "--format", "json", "a")
        before = {(f["rule"], f["fingerprint"]) for f in json.loads(out)["findings"]}
        with open(os.path.join(tmp, "a", "terraform.tfstate")) as f:
            text = f.read()
        other = (text.replace("example.com", "example.org").replace("111122223333", "999999999999")
                 .replace("444455556666", "888888888888").replace("api-use1", "app-use1")
                 .replace("api-usw2", "app-usw2").replace("/db", "/app"))
        st = json.loads(other)
        st["lineage"] = "0badc0de-0000-4000-8000-000000000000"
        os.makedirs(os.path.join(tmp, "b"))
        with open(os.path.join(tmp, "b", "terraform.tfstate"), "w") as f:
            json.dump(st, f, indent=2)
        rc, out, err = scan(binary, tmp, "--format", "json", ".")
        found = json.loads(out)["findings"]
        after = {(f["rule"], f["fingerprint"]) for f in found if f["service"] == "api.example.com"}
        if not before or before != after:
            failures.append("fingerprints changed by an unrelated state: %s -> %s"
                            % (sorted(before), sorted(after)))
        if not any("a/terraform.tfstate:" in (f["subject"] or "") for f in found):
            failures.append("same addresses in two states: keys not qualified by the state")

        # 3. one ARN, two states, different facts: a warning
        os.makedirs(os.path.join(tmp, "c"))
        with open(os.path.join(fx, "tf-per-region-states", "us-east-1", "terraform.tfstate")) as f:
            st = json.load(f)
        with open(os.path.join(tmp, "c", "one.tfstate"), "w") as f:
            json.dump(st, f, indent=2)
        for r in st["resources"]:
            if r["type"] == "aws_lb":
                r["instances"][0]["attributes"]["dns_name"] = "renamed-123.us-east-1.elb.amazonaws.com"
        st["lineage"] = "0badc0de-0000-4000-8000-000000000001"
        with open(os.path.join(tmp, "c", "two.tfstate"), "w") as f:
            json.dump(st, f, indent=2)
        rc, out, err = scan(binary, tmp, "c")
        if "has the ARN of aws_lb.this in c/one.tfstate, with a different dns_name" not in err:
            failures.append("no warning for one ARN with two DNS names: %r" % err)

        # 4. generations: the newest serial wins whatever the names say
        os.makedirs(os.path.join(tmp, "d", "old"))
        with open(os.path.join(fx, "tf-clean-pair", "terraform.tfstate")) as f:
            st = json.load(f)
        st["serial"] = 30
        with open(os.path.join(tmp, "d", "old", "terraform.tfstate"), "w") as f:
            json.dump(st, f, indent=2)
        st["serial"] = 29
        with open(os.path.join(tmp, "d", "terraform.tfstate"), "w") as f:
            json.dump(st, f, indent=2)
        rc, out, err = scan(binary, tmp, "--format", "json", "d")
        inputs = [i["path"] for i in json.loads(out)["inputs"]]
        if inputs != ["d/old/terraform.tfstate"] or "serial 29 below 30" not in err:
            failures.append("generations: kept %s, %r" % (inputs, err))
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    print("estates: keys scoped by state, fingerprints stable, conflicts and generations reported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
