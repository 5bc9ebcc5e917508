#!/usr/bin/env python3
"""Where each owner of a zone lies: in the zone or outside it, and under
which delegation. The importer remembers the names above owners a few
dozen at a time and asks a name's parent for what it does not remember;
this checks its answers against a plain walk of every name, on zones made
to defeat that memory: delegations inside delegations, at several depths,
names much deeper than the delegations, more distinct parents than it
remembers, owners in random order and in other case, names outside the
zone, and the apex itself.

For every owner in the zone the graph (all names made, as at import) must
hold a `served_by` edge to the apex's zone and, when a delegation is at or
above it, one to the closest such delegation's zone, and no other zone;
an owner outside the zone must make no node.

  test_zone_places.py BINARY SOURCE_DIR
"""
import json
import os
import random
import subprocess
import sys
import tempfile

APEX = "example.com."


def closest_delegation(name, delegations):
    """The closest delegation point at or above `name` (text, lower case,
    absolute), below the apex; None when none is."""
    labels = name.split(".")[:-1]
    for k in range(len(labels)):
        cand = ".".join(labels[k:]) + "."
        if cand == APEX:
            return None
        if cand in delegations:
            return cand
    return None


def make_zone(seed):
    rnd = random.Random(seed)
    delegations = set()
    records = []
    # delegations at depth 1 to 3 below the apex, some inside others
    for d in range(12):
        top = "dept%d.%s" % (d, APEX)
        if d % 3 == 0:
            delegations.add(top)
        for s in range(4):
            sub = "s%d.%s" % (s, top)
            if (d + s) % 2 == 0:
                delegations.add(sub)
            if s == 1:
                delegations.add("deep.%s" % sub)
    owners = set()
    for d in range(12):
        for h in range(30):
            depth = rnd.choice([1, 2, 3, 4, 6])
            parts = ["n%d" % rnd.randrange(1000) for _ in range(depth - 1)]
            base = rnd.choice(["dept%d" % d, "s%d.dept%d" % (rnd.randrange(4), d),
                               "deep.s1.dept%d" % d])
            owners.add(".".join(["h%d" % h] + parts + [base, APEX[:-1]]) + ".")
    owners |= {"_sip._tcp.h%d.dept%d.%s" % (h, d, APEX) for h in range(80) for d in (0, 1)}
    outside = ["h%d.example.net." % k for k in range(20)] + ["example.com.evil.", "com."]
    for name in sorted(delegations):
        records.append("%s IN NS ns.other.net." % name)
    order = sorted(owners) + outside
    rnd.shuffle(order)
    for k, name in enumerate(order):
        shown = "".join(c.upper() if rnd.random() < 0.2 else c for c in name)
        records.append("%s IN A 192.0.2.%d" % (shown, k % 250 + 1))
    text = "$ORIGIN %s\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns.other.net.\n" % APEX
    text += "@ IN A 192.0.2.254\n" + "\n".join(records) + "\n"
    return text, delegations, owners | delegations | {APEX}, outside


def main():
    binary = os.path.abspath(sys.argv[1])
    bad = 0
    for seed in (1, 2, 3):
        text, delegations, owners, outside = make_zone(seed)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "example.com.zone")
            with open(path, "w") as f:
                f.write(text)
            env = dict(os.environ, SHAREDFATE_ZONE_GRAPH="full")
            p = subprocess.run([binary, "scan", "--format", "graph-json", "--keep-going", path],
                               capture_output=True, timeout=120, env=env)
            if p.returncode not in (0, 1):
                print("FAIL: seed %d: exit %d: %s" % (seed, p.returncode, p.stderr.decode()[:500]))
                bad += 1
                continue
            graph = json.loads(p.stdout)
        zones = {}
        nodes = {n["key"] for n in graph["nodes"]}
        for e in graph["edges"]:
            if e["kind"] == "served_by" and e["from"].startswith("dns:") and e["to"].startswith("zone:"):
                zones.setdefault(e["from"][4:], set()).add(e["to"][5:])
        for name in sorted(owners):
            want = {APEX}
            d = closest_delegation(name, delegations)
            if d:
                want.add(d)
            got = zones.get(name)
            if got != want:
                print("FAIL: seed %d: %s served by %s, expected %s" % (seed, name, got, sorted(want)))
                bad += 1
        for name in outside:
            if "dns:" + name in nodes:
                print("FAIL: seed %d: %s is outside the zone but has a node" % (seed, name))
                bad += 1
    if bad:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
