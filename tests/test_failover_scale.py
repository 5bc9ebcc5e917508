#!/usr/bin/env python3
"""A Route 53 export with 50,000 failover pairs (about 15 MB, generated here,
never committed) is scanned in seconds: adding a failover member is a hash
lookup, not a scan of every member added before (which took 18-42 s).

The work bound that does not depend on the machine is the unit test
tests/unit/test_failover.c (slots probed); this test runs the whole binary
with a generous wall-clock backstop and checks that every pair was found.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PAIRS = 50000
BACKSTOP = 60.0     # seconds; the quadratic version took 18-42 s on the export alone


def sanitized(binary):
    """An ASan build is many times slower: it gets a smaller export (the
    unit test's probe count bounds the work in every build)."""
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


def export():
    rrs = [{"Name": "example.com.", "Type": "NS", "TTL": 172800,
            "ResourceRecords": [{"Value": "ns-1536.awsdns-00.co.uk."}, {"Value": "ns-0.awsdns-00.com."}]},
           {"Name": "example.com.", "Type": "SOA", "TTL": 900,
            "ResourceRecords": [{"Value": "ns-0.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}]}]
    for i in range(PAIRS):
        name = "s%d.example.com." % i
        for role, ip in (("PRIMARY", "192.0.2.%d" % (i % 250 + 1)),
                         ("SECONDARY", "198.51.100.%d" % (i % 250 + 1))):
            rrs.append({"Name": name, "Type": "A", "SetIdentifier": role.lower(), "Failover": role,
                        "TTL": 60, "ResourceRecords": [{"Value": ip}],
                        "HealthCheckId": "hc-%d-%s" % (i, role.lower())})
    return {"ResourceRecordSets": rrs}


def main():
    global PAIRS, BACKSTOP
    binary = os.path.abspath(sys.argv[1])
    if sanitized(binary):
        PAIRS, BACKSTOP = 10000, 120.0
    tmp = tempfile.mkdtemp(prefix="sf-scale-")
    try:
        with open(os.path.join(tmp, "records.json"), "w") as f:
            json.dump(export(), f)
        start = time.monotonic()
        p = subprocess.run([binary, "scan", "--format", "json", "--fail-on", "none", "records.json"],
                           cwd=tmp, capture_output=True, timeout=BACKSTOP * 3)
        took = time.monotonic() - start
    finally:
        shutil.rmtree(tmp)
    if p.returncode != 0:
        print("FAIL: exit %d\n%s" % (p.returncode, p.stderr.decode(errors="replace")[:2000]))
        return 1
    pairs = json.loads(p.stdout)["pairs"]
    if len(pairs) != PAIRS:
        print("FAIL: %d pairs, expected %d" % (len(pairs), PAIRS))
        return 1
    if took > BACKSTOP:
        print("FAIL: %d failover pairs took %.1f s (backstop %.0f s)" % (PAIRS, took, BACKSTOP))
        return 1
    print("%d failover pairs in %.1f s" % (PAIRS, took))
    return 0


if __name__ == "__main__":
    sys.exit(main())
