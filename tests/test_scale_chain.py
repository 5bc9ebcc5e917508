#!/usr/bin/env python3
"""Issue 9: a CNAME chain of 150,000 names shared by both sides of a pair
took seconds per 10,000 names (the closure was quadratic in the shared set:
10 s of CPU at 100,000). Generated here, scanned once: the pair is analysed,
the findings are the expected ones, and the CPU time stays far below the
quadratic cost (the steps themselves are bounded in tests/unit/test_closure.c).

  test_scale_chain.py SHAREDFATE SRCDIR
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

N = 150000
CPU_LIMIT = 15.0        # seconds; the quadratic closure needs about 25 here
WALL_LIMIT = 300.0      # a backstop on a loaded machine


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "example.com.zone"), "w") as f:
            f.write("$ORIGIN example.com.\n$TTL 60\n"
                    "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 60\n@ IN NS ns1.example.net.\n"
                    "p IN CNAME c0\ns IN CNAME c0\n")
            for i in range(N - 1):
                f.write("c%d IN CNAME c%d\n" % (i, i + 1))
            f.write("c%d IN A 192.0.2.1\n" % (N - 1))
        with open(os.path.join(tmp, "sharedfate.yaml"), "w") as f:
            f.write("version: 1\nservices:\n  - name: api\n    dns: api.example.com\n"
                    "    primary: p.example.com\n    standby: s.example.com\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        p = subprocess.run([binary, "scan", "--fail-on", "none", tmp], capture_output=True, text=True,
                           timeout=WALL_LIMIT)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    fails = []
    if p.returncode != 0:
        fails.append("exit %d: %s" % (p.returncode, p.stderr[-500:]))
    # the chain's names, the pair's, the zone, its provider and the
    # manifest's nodes; not the apex name, which nothing reaches
    if "1 failover pair" not in p.stdout or "%d nodes" % (N + 7) not in p.stdout:
        fails.append("the pair or the chain is missing:\n" + p.stdout[-500:])
    if "SF203" not in p.stdout or "resolvers stop following after 16" not in p.stderr:
        fails.append("the over-long chain is not reported")
    if cpu > CPU_LIMIT:
        fails.append("took %.1f s of CPU (limit %.0f s)" % (cpu, CPU_LIMIT))
    print("chain of %d names: %.2f s CPU, %.2f s wall" % (N, cpu, wall))
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
