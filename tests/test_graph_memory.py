#!/usr/bin/env python3
"""The graph's memory counters (SHAREDFATE_STATS, graph_*): present after a
scan, consistent with each other and with the graph the scan reports.

The counters are how the estate benchmark (tests/bench/bench.py) reports
bytes per node; a counter that leaves out a structure, counts one twice or
wraps around would make every number it prints wrong. This checks what
follows from the definitions, never a size or speed threshold.
argv: sharedfate binary, source directory."""
import json
import os
import subprocess
import sys

PARTS = ("nodes", "edges", "strtab", "dedup", "adjacency", "attrs")


def scan(sf, fixture, fmt):
    env = dict(os.environ, SHAREDFATE_STATS="1")
    p = subprocess.run([sf, "scan", "--format", fmt, "--fail-on", "none", fixture],
                       capture_output=True, env=env)
    if p.returncode != 0:
        raise SystemExit("%s: exit %d: %s" % (fixture, p.returncode, p.stderr.decode(errors="replace")))
    stats = {}
    for line in p.stderr.decode().splitlines():
        if line.startswith("sharedfate: stat: graph_"):
            name, value = line[len("sharedfate: stat: "):].split()
            stats[name] = int(value)
    return json.loads(p.stdout), stats


def main():
    sf, src = sys.argv[1], sys.argv[2]
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    for name in ("demo", "tf-per-region-states"):
        fixture = os.path.join(src, "fixtures", name)
        report, st = scan(sf, fixture, "json")
        graph, st2 = scan(sf, fixture, "graph-json")
        want = ["graph_" + k for k in ("nodes", "edges", "strings", "string_bytes", "bytes")]
        want += ["graph_bytes_" + p for p in PARTS]
        missing = [k for k in want if k not in st]
        if missing:
            failures.append("%s: counters missing: %s" % (name, missing))
            continue
        check(st == st2, "%s: the counters differ between two runs: %r %r" % (name, st, st2))
        nodes, edges = st["graph_nodes"], st["graph_edges"]
        # merged nodes stay in the arrays; the report counts live ones
        check(nodes >= report["graph"]["nodes"] > 0,
              "%s: graph_nodes %d, the report %d" % (name, nodes, report["graph"]["nodes"]))
        check(edges == report["graph"]["edges"],
              "%s: graph_edges %d, the report %d" % (name, edges, report["graph"]["edges"]))
        check(st["graph_bytes"] == sum(st["graph_bytes_" + p] for p in PARTS),
              "%s: graph_bytes is not the sum of its parts: %r" % (name, st))
        # every node is an entry of the node array, every edge of the edge array
        check(st["graph_bytes_nodes"] >= nodes * 16 and st["graph_bytes_edges"] >= edges * 8,
              "%s: node or edge arrays smaller than their entries: %r" % (name, st))
        # edges are checked for duplicates while the graph is built and
        # listed per node for the analysis: one or the other at any time
        check(st["graph_bytes_dedup"] + st["graph_bytes_adjacency"] >= nodes * 4,
              "%s: neither the duplicate check nor the adjacency counted: %r" % (name, st))
        check(st["graph_bytes_strtab"] >= st["graph_strings"] * 4,
              "%s: string table smaller than its strings: %r" % (name, st))
        # keys are distinct interned strings; their bytes are string bytes
        keys = sum(len(n["key"].encode()) + 1 for n in graph["nodes"])
        check(st["graph_string_bytes"] >= keys,
              "%s: %d string bytes, but the keys alone are %d" % (name, st["graph_string_bytes"], keys))
        check(st["graph_strings"] >= len(graph["nodes"]),
              "%s: %d strings for %d keys" % (name, st["graph_strings"], len(graph["nodes"])))
        # a wrapped-around subtraction shows as an absurd number
        check(all(v < 1 << 32 for v in st.values()), "%s: an absurd counter: %r" % (name, st))

    # without SHAREDFATE_STATS nothing is printed
    p = subprocess.run([sf, "scan", "--format", "json", "--fail-on", "none",
                        os.path.join(src, "fixtures", "demo")],
                       capture_output=True, env={k: v for k, v in os.environ.items() if k != "SHAREDFATE_STATS"})
    check(b"stat:" not in p.stderr, "counters printed without SHAREDFATE_STATS")

    for f in failures:
        print("FAIL:", f)
    if failures:
        sys.exit(1)
    print("graph memory counters: ok")


if __name__ == "__main__":
    main()
