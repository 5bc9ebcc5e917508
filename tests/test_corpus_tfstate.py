#!/usr/bin/env python3
"""Every real Terraform state in ../shared/corpora/driftctl-states (written by
the AWS, Google, Azure and GitHub providers of several versions) is imported
without a crash, a hang or a leak (the ASan build runs this too); the invalid
ones are refused with `path:line:` and exit 2; and every managed resource
instance in a valid state becomes exactly one node keyed by its address.

Skipped (exit 77) when the corpus is not beside the checkout.
"""
import json
import os
import re
import subprocess
import sys

# Files the corpus holds as invalid, and why they must be refused.
INVALID = {
    "testdata/v4/invalid.tfstate": "broken JSON",
    "testdata/v4/invalid_version.tfstate": "terraform_version is not a version",
    "enumerator/testdata/states/symlink.tfstate": "a symlink stored as text",
}


def expected_addresses(state):
    """Managed, non-deposed instances, with Terraform's address syntax."""
    out = set()
    if "values" in state and "version" not in state:
        def walk(mod):
            for r in mod.get("resources") or []:
                if r.get("mode") == "managed":
                    out.add(r["address"])
            for c in mod.get("child_modules") or []:
                walk(c)
        walk((state.get("values") or {}).get("root_module") or {})
        return out
    for r in state.get("resources") or []:
        if r.get("mode") != "managed":
            continue
        for i in r.get("instances") or []:
            if "deposed" in i:
                continue
            addr = "%s.%s" % (r["type"], r["name"])
            k = i.get("index_key")
            if isinstance(k, int):
                addr += "[%d]" % k
            elif isinstance(k, str):
                addr += "[%s]" % json.dumps(k)
            if r.get("module"):
                addr = r["module"] + "." + addr
            out.add(addr)
    return out


def main():
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    corpus = os.path.join(os.path.dirname(src), "shared", "corpora", "driftctl-states")
    if not os.path.isdir(corpus):
        print("skipped: %s is absent" % corpus)
        return 77
    failures = []
    files = []
    for root, dirs, names in os.walk(corpus):
        dirs.sort()
        for n in sorted(names):
            p = os.path.join(root, n)
            if n.endswith(".tfstate") and os.path.isfile(p):
                files.append(os.path.relpath(p, corpus))
    assert len(files) > 100, "corpus looks truncated"
    checked = refused = empty = 0
    for rel in files:
        p = subprocess.run([binary, "scan", "--format", "graph-json", "--fail-on", "none", rel],
                           cwd=corpus, capture_output=True, timeout=60)
        err = p.stderr.decode(errors="replace")
        if p.returncode not in (0, 2):
            failures.append("%s: exit %d\n%s" % (rel, p.returncode, err))
            continue
        with open(os.path.join(corpus, rel), "rb") as f:
            raw = f.read()
        if rel in INVALID:
            refused += 1
            if p.returncode != 2 or not re.match(re.escape(rel) + r":\d+: error: ", err):
                failures.append("%s (%s) not refused with path:line: exit %d, %r" %
                                (rel, INVALID[rel], p.returncode, err))
            continue
        if not raw.strip():
            empty += 1
            if p.returncode != 0 or "empty state file" not in err:
                failures.append("%s: empty file not reported as empty: %r" % (rel, err))
            continue
        if p.returncode != 0:
            failures.append("%s: refused: %s" % (rel, err))
            continue
        want = expected_addresses(json.loads(raw))
        graph = json.loads(p.stdout)
        got = {n["attributes"]["address"] for n in graph["nodes"]
               if "address" in n.get("attributes", {})}
        if want != got:
            failures.append("%s: nodes differ: missing %s, extra %s" %
                            (rel, sorted(want - got)[:5], sorted(got - want)[:5]))
        checked += 1
    # The whole corpus at once, as a repository scan.
    p = subprocess.run([binary, "scan", "--keep-going", "--fail-on", "none", "--format", "json", "."],
                       cwd=corpus, capture_output=True, timeout=300)
    if p.returncode != 2:
        failures.append("whole-corpus scan: exit %d, expected 2 (invalid inputs)" % p.returncode)
    else:
        report = json.loads(p.stdout)
        # The corpus holds many generations of one state (one lineage):
        # all but the newest are skipped, each with a warning.
        older = p.stderr.decode(errors="replace").count("; not imported")
        if older == 0 or len(report["inputs"]) + older != len(files):
            failures.append("whole-corpus scan lists %d inputs and %d older copies, %d files"
                            % (len(report["inputs"]), older, len(files)))
    if failures:
        print("FAIL\n" + "\n".join(failures))
        return 1
    print("%d states imported with every managed instance, %d invalid refused, %d empty"
          % (checked, refused, empty))
    return 0


if __name__ == "__main__":
    sys.exit(main())
