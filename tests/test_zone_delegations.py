#!/usr/bin/env python3
"""A zone's delegations and name servers: the zone node of each delegation
and the `nameservers` list of each zone, made from the names' text as the
importer writes it for the moment (not as graph keys). The same server
written in other case is one server; the same delegation point in other
case is one delegation; a label holding an escaped dot keeps its escape;
and the delegations' zones are the same whether the names' nodes are made
at import or deferred.

  test_zone_delegations.py BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

ZONE = r"""$ORIGIN example.com.
@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@ IN NS ns-1.awsdns-01.org.
@ IN NS NS-1.AWSDNS-01.ORG.
zz IN NS ns1.zz
zz IN NS NS1.ZZ
zz IN NS ns2.other.net.
b\.c IN NS ns.example.net.
mm IN NS ns.example.net.
aa IN NS ns.example.org.
AA IN NS NS.Example.ORG.
ns1.zz IN A 192.0.2.1
"""

WANT = {
    "zone:example.com.": ("example.com.", "ns-1.awsdns-01.org."),
    "zone:aa.example.com.": ("aa.example.com.", "ns.example.org."),
    "zone:b\\.c.example.com.": ("b\\.c.example.com.", "ns.example.net."),
    "zone:mm.example.com.": ("mm.example.com.", "ns.example.net."),
    "zone:zz.example.com.": ("zz.example.com.", "ns1.zz.example.com.,ns2.other.net."),
}


def zones(binary, root, full):
    env = dict(os.environ)
    env.pop("SHAREDFATE_ZONE_GRAPH", None)
    if full:
        env["SHAREDFATE_ZONE_GRAPH"] = "full"
    p = subprocess.run([binary, "scan", "--format", "graph-json", "--fail-on", "none",
                        "example.com.zone"], cwd=root, capture_output=True, timeout=60, env=env)
    if p.returncode != 0:
        sys.exit("exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace")))
    doc = json.loads(p.stdout)
    out = {}
    for n in doc["nodes"]:
        if n["key"].startswith("zone:"):
            out[n["key"]] = (n.get("label"), n.get("attributes", {}).get("nameservers"))
    return out


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "example.com.zone"), "w") as f:
            f.write(ZONE)
        for full in (False, True):
            got = zones(binary, root, full)
            if got != WANT:
                sys.exit("full=%s: got %r, want %r" % (full, got, WANT))
    print("ok")


if __name__ == "__main__":
    main()
