#!/usr/bin/env python3
"""Inputs of a few KB to a few MB that used to take minutes. Each is made at
test time and must end in seconds; the work each does is bounded by a count
that does not depend on the machine (the SHAREDFATE_STATS counters on
stderr), with a generous wall-time ceiling as a backstop.

  dependencies with common prefixes     probes ~ entries x log(instances)
  two 3000-instance resources depending  at most 1,000,000 edges, a warning naming the limit
  an IAM policy attached to 2000 roles   parsed once
  sharedfate.yaml of 100k keys, 300 zones without $ORIGIN   parsed once; linear key checks
  99,900 empty state files               n log n comparisons, not n^2
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

AWS = 'provider["registry.terraform.io/hashicorp/aws"]'
CEILING = 120
failures = []


def expect(label, cond, detail=""):
    if not cond:
        failures.append("%s\n%s" % (label, detail[:2000]))
    print("%-66s %s" % (label, "ok" if cond else "FAIL"))


def scan(binary, cwd, args):
    env = dict(os.environ, SHAREDFATE_STATS="1")
    t0 = time.monotonic()
    try:
        p = subprocess.run([binary, "scan", "--fail-on", "none"] + args, cwd=cwd, env=env,
                           capture_output=True, timeout=CEILING)
    except subprocess.TimeoutExpired:
        return None, "", "hang: over %d s" % CEILING, {}, CEILING
    dt = time.monotonic() - t0
    err = p.stderr.decode(errors="replace")
    stats = {}
    for line in err.splitlines():
        if line.startswith("sharedfate: stat: "):
            k, v = line[len("sharedfate: stat: "):].split()
            stats[k] = int(v)
    return p.returncode, p.stdout.decode(errors="replace"), err, stats, dt


def state(resources):
    return json.dumps({"version": 4, "terraform_version": "1.5.7", "serial": 1, "lineage": "l",
                       "outputs": {}, "resources": resources})


def res(type_, name, instances):
    return {"mode": "managed", "type": type_, "name": name, "provider": AWS,
            "instances": instances}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def dependencies(binary, tmp):
    n = 3000
    # a, a_0 .. a_2999: every entry names `a` or `a_1`, which share a prefix
    # with every other address.
    rs = [res("null_resource", "a", [{"schema_version": 0, "attributes": {"id": "a"}}])]
    for i in range(n):
        rs.append(res("null_resource", "a_%d" % i, [{
            "schema_version": 0, "attributes": {"id": str(i)},
            "dependencies": ["null_resource.a", "null_resource.a_1", "null_resource.a_"]}]))
    write(os.path.join(tmp, "deps-prefix", "terraform.tfstate"), state(rs))
    rc, out, err, st, dt = scan(binary, tmp, ["--format", "json", "deps-prefix"])
    probes = st.get("dependency_probes", -1)
    # 3 entries x 2 binary searches x log2(3001) + the matches themselves
    expect("dependencies, common prefixes: processed (%.1fs)" % dt, rc == 0, err)
    expect("dependencies, common prefixes: %d probes <= 300,000" % probes,
           0 < probes <= 300000, err)

    # y[0..2999] each depending on x, which has 3000 instances: 9 million
    # edges that say nothing new.
    rs = [res("null_resource", "x", [{"index_key": i, "schema_version": 0,
                                      "attributes": {"id": str(i)}} for i in range(n)]),
          res("null_resource", "y", [{"index_key": i, "schema_version": 0,
                                      "attributes": {"id": str(i)},
                                      "dependencies": ["null_resource.x"]} for i in range(n)])]
    write(os.path.join(tmp, "deps-fanout", "terraform.tfstate"), state(rs))
    rc, out, err, st, dt = scan(binary, tmp, ["--format", "json", "deps-fanout"])
    probes = st.get("dependency_probes", -1)
    expect("dependencies, 3000 x 3000: processed (%.1fs)" % dt, rc == 0, err)
    expect("dependencies, 3000 x 3000: the warning names the limit",
           "more than 1000000 dependency edges" in err, err)
    expect("dependencies, 3000 x 3000: %d probes <= 1,100,000" % probes,
           0 < probes <= 1100000, err)


def iam(binary, tmp):
    n = 2000
    stmts = [{"Effect": "Allow", "Action": ["route53:ChangeResourceRecordSets"],
              "Resource": ["arn:aws:route53:::hostedzone/Z%d*" % k]} for k in range(400)]
    doc = json.dumps({"Version": "2012-10-17", "Statement": stmts})
    pol = "arn:aws:iam::123456789012:policy/dns"
    rs = [res("aws_iam_policy", "dns", [{"schema_version": 0, "attributes": {
        "arn": pol, "name": "dns", "policy": doc}}])]
    for z in range(5):
        rs.append(res("aws_route53_zone", "z%d" % z, [{"schema_version": 0, "attributes": {
            "zone_id": "Z%d" % z, "name": "z%d.example.com" % z}}]))
    for i in range(n):
        rs.append(res("aws_iam_role", "r%d" % i, [{"schema_version": 0, "attributes": {
            "arn": "arn:aws:iam::123456789012:role/r%d" % i, "name": "r%d" % i,
            "assume_role_policy": ""}}]))
        rs.append(res("aws_iam_role_policy_attachment", "a%d" % i, [{"schema_version": 0,
                      "attributes": {"role": "r%d" % i, "policy_arn": pol}}]))
    write(os.path.join(tmp, "iam", "terraform.tfstate"), state(rs))
    rc, out, err, st, dt = scan(binary, tmp, ["--format", "graph-json", "iam"])
    expect("IAM policy on 2000 roles: processed (%.1fs)" % dt, rc == 0, err)
    expect("IAM policy on 2000 roles: parsed %s time(s), expected 1"
           % st.get("policy_parses"), st.get("policy_parses") == 1, err)
    try:
        g = json.loads(out)
        admin = sum(1 for e in g.get("edges", []) if e.get("kind") == "administered_by")
    except ValueError:
        admin = -1
    expect("IAM policy on 2000 roles: 5 zones x 2000 roles administered_by (%d)" % admin,
           admin == 5 * n, out[:300])


def manifest(binary, tmp):
    zones = 300
    d = os.path.join(tmp, "manifest-big")
    text = "version: 1\nzones:\n"
    text += "".join("  - file: z%d.db\n    origin: z%d.example.com\n" % (i, i)
                    for i in range(zones))
    write(os.path.join(d, "sharedfate.yaml"), text + "extra:\n" +
          "".join("  k%d: 1\n" % i for i in range(99000)))
    for i in range(zones):
        write(os.path.join(d, "z%d.db" % i),
              "$TTL 300\n@ IN SOA ns1 h 1 2 3 4 5\n@ IN NS ns1.example.net.\nw IN A 192.0.2.1\n")
    rc, out, err, st, dt = scan(binary, tmp, ["manifest-big"])
    expect("sharedfate.yaml of 99k keys, 300 zones: refused (%.1fs)" % dt,
           rc == 2 and "unknown field 'extra'" in err, err)
    expect("sharedfate.yaml of 99k keys: parsed %s times, at most 2"
           % st.get("manifest_parses"), 0 < st.get("manifest_parses", 99) <= 2, err)
    expect("sharedfate.yaml of 99k keys: %s key probes <= 400,000"
           % st.get("yaml_key_probes"), 0 < st.get("yaml_key_probes", 10**9) <= 400000, err)
    # The same zones under a valid manifest: origins found, parsed twice
    # (the import, and once for all 300 zones).
    write(os.path.join(d, "sharedfate.yaml"), text)
    rc, out, err, st, dt = scan(binary, tmp, ["--format", "json", "manifest-big"])
    expect("sharedfate.yaml naming 300 zones: processed (%.1fs)" % dt, rc == 0, err)
    expect("sharedfate.yaml naming 300 zones: parsed %s times, at most 2"
           % st.get("manifest_parses"), 0 < st.get("manifest_parses", 99) <= 2, err)
    dup = "version: 1\nx:\n" + "".join("  k%d: 1\n" % i for i in range(99000)) + "  k5: 2\n"
    write(os.path.join(tmp, "manifest-dup", "sharedfate.yaml"), dup)
    rc, out, err, st, dt = scan(binary, tmp, ["manifest-dup"])
    expect("a duplicate key after 99k others: found (%.1fs)" % dt,
           rc == 2 and "duplicate key 'k5'" in err, err)


def discovery(binary, tmp):
    n = 99900
    d = os.path.join(tmp, "many")
    os.makedirs(d)
    for i in range(n):
        open(os.path.join(d, "s%05d.tfstate" % i), "w").close()
    rc, out, err, st, dt = scan(binary, tmp, ["many"])
    cmp = st.get("discover_compares", -1)
    expect("99,900 empty states: processed (%.1fs)" % dt, rc == 0 and "99900 inputs" in out, err)
    expect("99,900 empty states: the dropped warnings name their limit",
           "more diagnostics not shown (the limit is 10000)" in err, err[-500:])
    # n log2 n is 1.66 million; every pair would be 5 billion
    expect("99,900 empty states: %d comparisons <= 4,000,000" % cmp, 0 < cmp <= 4000000, err)


def main():
    binary = os.path.abspath(sys.argv[1])
    tmp = os.path.realpath(tempfile.mkdtemp(prefix="sf-hangs-"))
    try:
        dependencies(binary, tmp)
        iam(binary, tmp)
        manifest(binary, tmp)
        discovery(binary, tmp)
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("FAIL\n" + "\n\n".join(failures))
        return 1
    print("every crafted input ended in bounded work")
    return 0


if __name__ == "__main__":
    sys.exit(main())
