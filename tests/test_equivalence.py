#!/usr/bin/env python3
"""Inputs that describe the same infrastructure give the same graph (every
node, attribute and edge) and the same pairs and findings; only input paths
and line numbers may differ:
- `terraform show -json` and the state file it was printed from;
- one state, and the same resources split over four states whose references
  by ARN cross files (placeholders merged by the link phase)."""
import json
import subprocess
import sys

PAIRS = [("fixtures/tf-clean-pair/terraform.tfstate", "fixtures/tf-show-json/show.json"),
         ("fixtures/tf-clean-pair/terraform.tfstate", "fixtures/tf-split-states")]


def scan(binary, src, path, fmt):
    p = subprocess.run([binary, "scan", "--format", fmt, "--fail-on", "none", path], cwd=src,
                       capture_output=True, timeout=60)
    if p.returncode != 0:
        raise SystemExit("FAIL %s: exit %d %s" % (path, p.returncode, p.stderr.decode()))
    return json.loads(p.stdout)


def strip_creation_order(g):
    """Terraform's own dependencies cannot cross states: leave them out when
    comparing one state with a split."""
    g["edges"] = [e for e in g["edges"] if e["kind"] != "depends_on"]
    return g


def strip_locations(x):
    if isinstance(x, dict):
        return {k: strip_locations(v) for k, v in x.items()
                if k not in ("location", "path", "inputs", "graph")}
    if isinstance(x, list):
        return [strip_locations(v) for v in x]
    return x


def main():
    binary, src = sys.argv[1], sys.argv[2]
    failures = []
    for state, show in PAIRS:
        for fmt in ("graph-json", "json"):
            a = strip_locations(scan(binary, src, state, fmt))
            b = strip_locations(scan(binary, src, show, fmt))
            if fmt == "graph-json" and not show.endswith(".json"):
                a, b = strip_creation_order(a), strip_creation_order(b)
            if a != b:
                failures.append("%s vs %s differ in %s:\n%s\n%s" % (
                    state, show, fmt, json.dumps(a, sort_keys=True)[:2000],
                    json.dumps(b, sort_keys=True)[:2000]))
        if not scan(binary, src, state, "graph-json")["edges"]:
            failures.append("no edges: the comparison proves nothing")
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    print("equivalent inputs agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
