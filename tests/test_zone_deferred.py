#!/usr/bin/env python3
"""A zone's name nodes are made only for names something reaches (a pair,
another input's node, an alias chain from one): proof that this changes no
finding. Every fixture, and a few zones of the BIND corpus when present, is
scanned twice: as `scan` runs by default, and with SHAREDFATE_ZONE_GRAPH=full,
which makes every node at import as the whole-graph outputs do. The JSON
results, the text output, the diagnostics and the exit code must be the same
byte for byte, but for the graph's node and edge counts (the whole document's
and each input's).

A second check makes sure the deferral happens at all: a zone whose names
nothing reaches adds its zone node alone, not a node per name.

  test_zone_deferred.py BINARY SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

TODAY = "2026-12-01"


def scan(binary, root, fmt, extra, target, full):
    env = dict(os.environ, SHAREDFATE_TODAY=TODAY)
    env.pop("SHAREDFATE_ZONE_GRAPH", None)
    if full:
        env["SHAREDFATE_ZONE_GRAPH"] = "full"
    cmd = [binary, "scan", "--format", fmt, "--color", "never"] + extra + [target]
    p = subprocess.run(cmd, cwd=root, capture_output=True, timeout=300, env=env)
    return p.returncode, p.stdout, p.stderr


def mask_json(out):
    try:
        doc = json.loads(out)
    except ValueError:
        return out
    if isinstance(doc, dict):
        if isinstance(doc.get("graph"), dict):
            doc["graph"] = {"nodes": "N", "edges": "E"}
        for inp in doc.get("inputs", []):
            if isinstance(inp, dict) and "nodes" in inp:
                inp["nodes"] = "N"
    return json.dumps(doc, indent=1, sort_keys=True).encode()


COUNTS = re.compile(rb"\b\d+ (nodes?|edges?)\b")


def mask_text(out):
    return COUNTS.sub(rb"N \1", out)


def args_of(fdir):
    path = os.path.join(fdir, "args")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def compare(binary, root, target, extra, problems):
    for fmt, mask in (("json", mask_json), ("text", mask_text)):
        a = scan(binary, root, fmt, extra, target, False)
        b = scan(binary, root, fmt, extra, target, True)
        if a[0] != b[0]:
            problems.append("%s (%s): exit %d deferred, %d full" % (target, fmt, a[0], b[0]))
        if mask(a[1]) != mask(b[1]):
            problems.append("%s (%s): output differs" % (target, fmt))
        if a[2] != b[2]:
            problems.append("%s (%s): diagnostics differ" % (target, fmt))


def main():
    binary, root = sys.argv[1], sys.argv[2]
    problems = []
    fixtures = sorted(os.listdir(os.path.join(root, "fixtures")))
    for name in fixtures:
        fdir = os.path.join(root, "fixtures", name)
        if os.path.isdir(fdir):
            compare(binary, root, "fixtures/" + name, args_of(fdir), problems)
    # a few real zones, when the corpora are beside the project
    corpus = os.path.join(root, "..", "shared", "corpora")
    zones = []
    for dirpath, _, files in os.walk(corpus):
        for f in files:
            if f.endswith((".zone", ".db")) or f.startswith("db."):
                zones.append(os.path.join(dirpath, f))
    for z in sorted(zones)[:40]:
        compare(binary, root, os.path.abspath(z), ["--keep-going", "--fail-on", "none"],
                problems)

    # a chain in which every name points at the next many times over: each
    # name is queued to be made once, however many records lead to it (the
    # queue overflowed before; the sanitizer build catches a regression)
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "example.com.zone"), "w") as f:
            f.write("$ORIGIN example.com.\n$TTL 60\n@ IN SOA ns1 h 1 2 3 4 5\n"
                    "@ IN NS ns1.example.net.\np IN CNAME a0\ns IN CNAME a0\n")
            for i in range(60):
                for _ in range(12):
                    f.write("a%d IN HTTPS 0 a%d.example.com.\n" % (i, i + 1))
            f.write("a60 IN A 192.0.2.1\n")
        with open(os.path.join(d, "sharedfate.yaml"), "w") as f:
            f.write("version: 1\nservices:\n  - name: api\n    dns: api.example.com\n"
                    "    primary: p.example.com\n    standby: s.example.com\n")
        compare(binary, root, d, ["--fail-on", "none"], problems)
        runs = [scan(binary, root, "json", ["--fail-on", "none"], d, full) for full in (False, True)]
        nodes = [json.loads(r[1])["graph"]["nodes"] if r[0] == 0 else -1 for r in runs]
        # every name of the chain is reached; only the apex's name is not
        if nodes[0] < 0 or nodes[0] != nodes[1] - 1:
            problems.append("fan-out chain: %d nodes deferred, %d full" % tuple(nodes))

    # the deferral itself: names nothing reaches make no node
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "example.com.zone"), "w") as f:
            f.write("$ORIGIN example.com.\n$TTL 300\n"
                    "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
                    "@ IN NS ns1.example.net.\n")
            for i in range(200):
                f.write("h%d IN A 192.0.2.%d\nw%d IN CNAME h%d\n" % (i, i % 250 + 1, i, i))
        counts = []
        for full in (False, True):
            rc, out, err = scan(binary, root, "json", ["--fail-on", "none"], d, full)
            if rc != 0:
                problems.append("synthetic zone: exit %d: %s" % (rc, err.decode()[:200]))
                continue
            counts.append(json.loads(out)["graph"]["nodes"])
        if len(counts) == 2 and not (counts[0] < 10 and counts[1] > 400):
            problems.append("synthetic zone: %d nodes deferred, %d full: the deferral did not "
                            "happen" % tuple(counts))
        # a whole-graph output makes every node whatever the variable says
        env = dict(os.environ)
        env.pop("SHAREDFATE_ZONE_GRAPH", None)
        p = subprocess.run([binary, "scan", "--format", "graph-json", "--fail-on", "none", d],
                           capture_output=True, timeout=120, env=env)
        nodes = json.loads(p.stdout).get("nodes", [])
        if len(nodes) < 400:
            problems.append("graph-json lists %d nodes: not the whole graph" % len(nodes))

    # many zone files beside many nodes: a key is offered only to the zones
    # whose apex is one of its suffixes, and a zone handed over checks the
    # smaller of the graph and its own names, so the work grows with the
    # nodes and the names, not with zones times nodes (300 x 3000 here)
    with tempfile.TemporaryDirectory() as d:
        nzones = 300
        for i in range(nzones):
            o = "z%d.example.org." % i
            with open(os.path.join(d, "z%d.example.org.zone" % i), "w") as f:
                f.write("$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 h 1 2 3 4 5\n"
                        "@ IN NS ns1.example.net.\nwww IN A 192.0.2.1\n" % o)
        with open(os.path.join(d, "sharedfate.yaml"), "w") as f:
            f.write("version: 1\nservices:\n")
            for i in range(1000):
                z = "z%d.example.org" % (i % nzones)
                f.write("  - name: s%d\n    dns: s%d.%s\n    primary: p%d.%s\n"
                        "    standby: www.%s\n" % (i, i, z, i, z, z))
        env = dict(os.environ, SHAREDFATE_STATS="1")
        env.pop("SHAREDFATE_ZONE_GRAPH", None)
        p = subprocess.run([binary, "scan", "--format", "json", "--fail-on", "none", d],
                           capture_output=True, timeout=300, env=env)
        asks = [int(l.split()[-1]) for l in p.stderr.decode().splitlines()
                if l.startswith("sharedfate: stat: deferred_asks ")]
        nodes = json.loads(p.stdout)["graph"]["nodes"] if p.returncode in (0, 1) else 0
        if not asks or not nodes or asks[0] > 4 * nodes + 10 * nzones:
            problems.append("many zones: %s deferred asks for %d nodes and %d zones (exit %d)"
                            % (asks, nodes, nzones, p.returncode))
        compare(binary, root, d, ["--fail-on", "none"], problems)

    for p in problems:
        print("FAIL", p)
    print("%d fixtures and %d corpus zones compared" % (len(fixtures), min(len(zones), 40)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
