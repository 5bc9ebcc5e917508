#!/usr/bin/env python3
"""States of many Azure Traffic Manager profiles and many Google Cloud DNS
record sets over internal balancers read in linear work: each profile
finds its endpoints, and each record set its forwarding rules, in an index
made once per file, not by a pass over every instance of the file (which
took 28 s for 2,000 profiles).

The work is counted, not timed: `tfstate_kept_decodes` (SHAREDFATE_STATS)
counts the attribute values the importer decoded, which the old Azure pass
did for every endpoint once per profile (x14.4 the decodes for 4x the
copies). The old Google pass cost comparisons, not decodes (the values
stayed decoded through the edges), so for it this test checks only that
the pairs and the decodes grow with the copies. The fixtures are copied K
times with their ids, names and addresses renamed; 4x the copies must
cost at most 4.6x the decodes and give exactly 4x the failover pairs.

usage: test_tf_provider_scale.py SHAREDFATE SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

SMALL, LARGE = 25, 100


def azure(k, s):
    s = re.sub(r'(trafficManagerProfiles/)(api|www)', lambda m: "%s%s%d" % (m.group(1), m.group(2), k), s)
    s = re.sub(r'(publicIPAddresses/)(\w+)', lambda m: "%s%s%d" % (m.group(1), m.group(2), k), s)
    s = re.sub(r'"(api|www)-(\w+)(\.[a-z0-9.]*(trafficmanager\.net|azure\.com))"',
               lambda m: '"%s%d-%s%s"' % (m.group(1), k, m.group(2), m.group(3)), s)
    s = s.replace('"profile_name": "www"', '"profile_name": "www%d"' % k)
    s = s.replace('"name": "www"', '"name": "www%d"' % k).replace('"name": "api"', '"name": "api%d"' % k)
    return s


def gcp(k, s):
    s = re.sub(r'\b(10|203\.0)\.(\d+)\.(\d+)\b',
               lambda m: ("203.0.%d.%d" % (k // 250, k % 250 + 1)) if m.group(1) == "203.0"
               else "10.%d.%d.%s" % (k // 250, k % 250, m.group(3)), s)
    s = re.sub(r'"([a-z0-9-]+)\.example\.com\."', lambda m: '"%s%d.example.com."' % (m.group(1), k), s)
    s = re.sub(r'(backendServices/|forwardingRules/|healthChecks/|instanceGroupManagers/|instanceGroups/|instances/)'
               r'([a-z0-9-]+)', lambda m: "%s%s-%d" % (m.group(1), m.group(2), k), s)
    return s


def scaled(fixture, rename, copies, path):
    with open(fixture, encoding="utf-8") as f:
        state = json.load(f)
    out = []
    for k in range(copies):
        for r in state["resources"]:
            r2 = json.loads(rename(k, json.dumps(r)))
            r2["name"] = "%s_%d" % (r["name"], k)
            out.append(r2)
    state["resources"] = out
    with open(path, "w", encoding="utf-8") as f:
        json.dump(state, f, indent=2)


def run(binary, path):
    p = subprocess.run([binary, "scan", "--format", "json", "--fail-on", "none", path],
                       capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, SHAREDFATE_STATS="1"))
    if p.returncode != 0:
        sys.exit("FAIL: %s exited %d: %s" % (path, p.returncode, p.stderr[-2000:]))
    stats = {}
    for line in p.stderr.splitlines():
        if line.startswith("sharedfate: stat: "):
            name, value = line[len("sharedfate: stat: "):].split()
            stats[name] = int(value)
    return len(json.loads(p.stdout)["pairs"]), stats["tfstate_kept_decodes"]


def main():
    binary, src = sys.argv[1], sys.argv[2]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, rename in (("tf-azure-traffic-manager", azure), ("tf-gcp-primary-backup", gcp)):
            fixture = os.path.join(src, "fixtures", name, "terraform.tfstate")
            got = {}
            for copies in (SMALL, LARGE):
                path = os.path.join(tmp, "%s-%d.tfstate" % (name, copies))
                scaled(fixture, rename, copies, path)
                got[copies] = run(binary, path)
            (ps, ds), (pl, dl) = got[SMALL], got[LARGE]
            ratio = dl / ds if ds else float("inf")
            print("%s: %d copies %d pairs %d decodes; %d copies %d pairs %d decodes (x%.2f)"
                  % (name, SMALL, ps, ds, LARGE, pl, dl, ratio))
            if ps == 0 or pl != ps * LARGE // SMALL:
                print("FAIL: %s: pairs do not scale with the copies" % name)
                failed += 1
            if ratio > 4.6:
                print("FAIL: %s: 4x the copies cost x%.2f the decodes (a pass per instance?)" % (name, ratio))
                failed += 1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
